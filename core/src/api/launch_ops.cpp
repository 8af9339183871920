// The "launch" operation: the command or script that runs the request's setup, every value taken from the
// estimate the core makes for the same request (docs/ESTIMATION.md, "Launch commands").
//
// Flag names follow the engines' current releases:
//   vLLM: `vllm serve MODEL` and EngineArgs.add_cli_args (vllm/engine/arg_utils.py, vllm-project/vllm@99d7eb5d, the
//     0.11 line; the flags used here are unchanged since): --max-model-len, --gpu-memory-utilization,
//     --tensor-parallel-size, --pipeline-parallel-size, --kv-cache-dtype, --quantization, --max-num-seqs,
//     --max-num-batched-tokens, --dtype, --cpu-offload-gb.
//   llama.cpp: llama-server (tools/server/README.md, common/arg.cpp in ggml-org/llama.cpp): -m, -c, -ngl,
//     --n-cpu-moe, -fa on|off, -ctk/-ctv, -np, -b, -ub.
//   transformers: from_pretrained(dtype=…) (torch_dtype before 4.56), BitsAndBytesConfig, generate.
//   TRL 1.9 / PEFT 0.20: SFTConfig(max_length=…) (max_seq_length is gone), LoraConfig (r default 8),
//     prepare_model_for_kbit_training(use_gradient_checkpointing=…) (peft/utils/other.py).
//   DeepSpeed: the ds_config.json keys zero_optimization.stage, offload_optimizer/offload_param, bf16/fp16.enabled,
//     train_micro_batch_size_per_gpu, gradient_accumulation_steps.
#include <cctype>
#include <cmath>
#include <string>
#include <vector>

#include "facade.hpp"
#include "gpumem/base/error.hpp"
#include "options.hpp"

namespace gpumem {

namespace {

struct Arg {
  std::string flag, value, from;
};

struct Launch {
  std::string engine, language, text, command;
  std::vector<Arg> args;
  ojson files = ojson::array();
  std::vector<Assumption> notes;
};

// A shell word: as is when it holds only safe characters, else in single quotes.
std::string shell_word(const std::string& s) {
  bool safe = !s.empty();
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || std::string("-_./:=,+@%").find(c) != std::string::npos))
      safe = false;
  if (safe) return s;
  std::string q = "'";
  for (const char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// A Python string literal (JSON's escapes are Python's too).
std::string py_str(const std::string& s) { return dump_json(ojson(s)); }

std::string py_bool(bool b) { return b ? "True" : "False"; }

std::string torch_dtype(const std::string& id) {
  return id == "fp32" ? "torch.float32" : id == "fp16" ? "torch.float16" : "torch.bfloat16";
}

// "org/name": one slash between two non-empty parts of letters, digits, '-', '_' and '.'.
bool looks_like_repo_id(const std::string& s) {
  const size_t slash = s.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= s.size() || s.find('/', slash + 1) != std::string::npos)
    return false;
  if (s[0] == '.' || s[slash + 1] == '.') return false;
  for (const char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' || c == '/')) return false;
  return true;
}

std::string model_id(const OptionReader& r, const json& config, std::vector<Assumption>& notes) {
  const std::string given = r.text("model_id");
  if (!given.empty()) return given;
  const auto it = config.find("_name_or_path");
  if (it != config.end() && it->is_string() && looks_like_repo_id(it->get<std::string>())) {
    notes.push_back({"model_id_from_config", "/_name_or_path",
                     txt("assume.model_id_from_config", {{"id", it->get<std::string>()}})});
    return it->get<std::string>();
  }
  notes.push_back({"model_id_placeholder", "/options/model_id", txt("assume.model_id_placeholder")});
  return "ORG/NAME";
}

std::string text_of(const ojson& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

uint64_t count_of(const ojson& obj, const char* key) {
  const auto it = obj.find(key);
  return it != obj.end() && it->is_number_unsigned() ? it->get<uint64_t>() : 0;
}

// ---- vLLM ----
void vllm_command(const json& req, const OptionReader& r, const ModelSpec& m, const ojson& est, const std::string& id,
                  bool context_from_fit, Launch& l) {
  const ojson& s = est["settings"];
  const std::string dtype = s["dtype"], quant = s["quant"], kv = s["kv_dtype"];
  l.args.push_back({"--max-model-len", text_of(s["context"]), context_from_fit ? "fit" : "context"});
  l.args.push_back(
      {"--gpu-memory-utilization", ojson(r.number("gpu_memory_utilization")).dump(), "gpu_memory_utilization"});
  l.args.push_back({"--tensor-parallel-size", text_of(s["tp"]), "tp"});
  if (count_of(s, "pp") > 1) l.args.push_back({"--pipeline-parallel-size", text_of(s["pp"]), "pp"});
  if (kv == "fp8") l.args.push_back({"--kv-cache-dtype", "fp8", "kv_dtype"});
  const std::string asked = r.choice("quant");
  if (!asked.empty() && asked != "auto") {
    // A quantization the checkpoint does not carry: vLLM quantizes fp8 and bitsandbytes while loading.
    if (quant == "fp8")
      l.args.push_back({"--quantization", "fp8", "quant"});
    else if (quant.rfind("bnb-", 0) == 0)
      l.args.push_back({"--quantization", "bitsandbytes", "quant"});
    else if (quant != "none")
      l.notes.push_back({"launch_checkpoint_quantized", "/options/quant",
                         txt("assume.launch_checkpoint_quantized.vllm", {{"quant", quant}})});
  }
  const uint64_t seqs = count_of(s, "batch") * std::max<uint64_t>(1, count_of(s, "beams"));
  const auto report = est.find("engine_report");
  const uint64_t default_seqs = report != est.end() ? count_of(*report, "max_num_seqs") : 256;
  if (r.given("max_num_seqs"))
    l.args.push_back({"--max-num-seqs", std::to_string(r.count("max_num_seqs", 0)), "max_num_seqs"});
  else if (seqs > default_seqs)
    l.args.push_back({"--max-num-seqs", std::to_string(seqs), "batch"});
  if (r.given("max_num_batched_tokens"))
    l.args.push_back(
        {"--max-num-batched-tokens", std::to_string(r.count("max_num_batched_tokens", 0)), "max_num_batched_tokens"});
  // --dtype auto (vllm/config/model.py _resolve_auto_dtype): the config's dtype, float32 (or none) downcast to the
  // GPU's preferred 16-bit type, bf16 falling back to fp16 on a card without it.
  const Gpu* card = r.given("gpu_memory") ? nullptr : find_gpu(r.text("gpu"));
  const bool no_bf16 = card != nullptr && !card->bf16;
  std::string automatic = dtype_from_torch(m.torch_dtype);
  if (automatic.empty() || automatic == "fp32") automatic = no_bf16 ? "fp16" : "bf16";
  if (automatic == "bf16" && no_bf16) automatic = "fp16";
  if (dtype != automatic)
    l.args.push_back({"--dtype", dtype == "fp32" ? "float32" : dtype == "fp16" ? "float16" : "bfloat16", "dtype"});
  if (count_of(s, "offload_layers") != 0) {
    const uint64_t cpu = count_of(est["cpu"], "bytes");
    const uint64_t gib = (cpu + (1ULL << 30) - 1) >> 30;
    l.args.push_back({"--cpu-offload-gb", std::to_string(gib), "offload_layers"});
    l.notes.push_back({"launch_cpu_offload", "/options/offload_layers",
                       txt("assume.launch_cpu_offload", {{"gib", gib}, {"bytes", cpu}})});
  }
  (void)req;
  l.text = "vllm serve " + shell_word(id);
  for (const auto& a : l.args) l.text += " " + a.flag + " " + shell_word(a.value);
  l.command = l.text;
  l.language = "shell";
}

// ---- llama.cpp ----
void llamacpp_command(const OptionReader& r, const ojson& est, const std::string& id, Launch& l) {
  const ojson& s = est["settings"];
  if (!est.contains("engine_report")) throw Error(code::internal_error, "", txt("error.launch.no_engine_report"));
  const ojson& rep = est["engine_report"];
  std::string file = r.text("model_file");
  if (file.empty()) {
    const std::string quant = s["quant"];
    std::string tag = quant == "none" ? std::string(s["dtype"]) : quant.substr(quant.rfind("gguf-", 0) == 0 ? 5 : 0);
    for (char& c : tag) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    file = id.substr(id.find('/') + 1) + "-" + tag + ".gguf";
    l.notes.push_back(
        {"model_file_placeholder", "/options/model_file", txt("assume.model_file_placeholder", {{"file", file}})});
  }
  l.args.push_back({"-m", file, "model_file"});
  l.args.push_back({"-c", text_of(rep["n_ctx"]), "context"});
  l.args.push_back({"-ngl", text_of(rep["n_gpu_layers"]), r.given("n_gpu_layers") ? "n_gpu_layers" : "fit"});
  if (count_of(rep, "n_cpu_moe") != 0)
    l.args.push_back({"--n-cpu-moe", text_of(rep["n_cpu_moe"]), r.given("n_cpu_moe") ? "n_cpu_moe" : "fit"});
  const std::string kv = s["kv_dtype"];
  const bool quantized_v = kv == "q8_0" || kv == "q4_0";
  if (!rep["flash_attn"].get<bool>())
    l.args.push_back({"-fa", "off", "flash_attn"});
  else if (quantized_v)
    l.args.push_back({"-fa", "on", "flash_attn"});
  if (quantized_v || kv == "fp32") {
    const std::string t = kv == "fp32" ? "f32" : kv;
    l.args.push_back({"-ctk", t, "kv_dtype"});
    l.args.push_back({"-ctv", t, "kv_dtype"});
  }
  const uint64_t seqs = count_of(s, "batch") * std::max<uint64_t>(1, count_of(s, "beams"));
  if (r.given("n_parallel"))
    l.args.push_back({"-np", std::to_string(r.count("n_parallel", 1)), "n_parallel"});
  else if (seqs > 1)
    l.args.push_back({"-np", std::to_string(seqs), "batch"});
  if (r.count("n_batch") != 2048) l.args.push_back({"-b", std::to_string(r.count("n_batch")), "n_batch"});
  if (r.count("n_ubatch") != 512) l.args.push_back({"-ub", std::to_string(r.count("n_ubatch")), "n_ubatch"});
  l.text = "llama-server";
  for (const auto& a : l.args) l.text += " " + a.flag + " " + shell_word(a.value);
  l.command = l.text;
  l.language = "shell";
}

// ---- transformers ----
std::string bnb_config(const std::string& quant, bool double_quant, const std::string& compute) {
  if (quant == "bnb-int8") return "BitsAndBytesConfig(load_in_8bit=True)";
  std::string c = "BitsAndBytesConfig(\n    load_in_4bit=True,\n    bnb_4bit_quant_type=" +
                  py_str(quant == "bnb-fp4" ? "fp4" : "nf4") +
                  ",\n    bnb_4bit_use_double_quant=" + py_bool(double_quant);
  if (!compute.empty()) c += ",\n    bnb_4bit_compute_dtype=" + torch_dtype(compute);
  return c + ",\n)";
}

void hf_script(const OptionReader& r, const ojson& est, const std::string& id, Launch& l) {
  const ojson& s = est["settings"];
  const std::string dtype = s["dtype"], quant = s["quant"], dm = s["device_map"];
  const std::string asked = r.choice("quant");
  const bool bnb = quant.rfind("bnb-", 0) == 0 && !asked.empty() && asked != "auto";
  // from_pretrained's dtype keyword replaced torch_dtype in transformers 4.56.
  const std::string version = s["transformers"];
  unsigned major = 0, minor = 0, patch = 0;
  const bool old = parse_release(version, major, minor, patch) && major == 4 && minor < 56;
  const char* dtype_kw = old ? "torch_dtype" : "dtype";
  const uint64_t tp = count_of(s, "tp");
  std::string device_map;
  if (dm != "none") {
    device_map = py_str(dm);
    l.args.push_back({"device_map", device_map, "device_map"});
  } else if (tp <= 1) {
    device_map = "{\"\": 0}";
    l.args.push_back({"device_map", device_map, "gpus"});
  }
  std::string compute;
  if (bnb) {
    const std::string c = r.choice("bnb_compute_dtype");
    if (!c.empty() && c != "auto") compute = c;
  }
  const uint64_t context = count_of(s, "context"), prompt = count_of(s, "prompt");
  const uint64_t batch = count_of(s, "batch"), beams = count_of(s, "beams");
  std::string t = "import torch\nfrom transformers import AutoModelForCausalLM, AutoTokenizer";
  t += bnb ? ", BitsAndBytesConfig\n\n" : "\n\n";
  t += "model_id = " + py_str(id) + "\n";
  if (bnb) {
    t += "quantization_config = " + bnb_config(quant, r.flag("double_quant", false), compute) + "\n";
    l.args.push_back({"quantization_config", bnb_config(quant, r.flag("double_quant", false), compute), "quant"});
  }
  t += "model = AutoModelForCausalLM.from_pretrained(\n    model_id,\n    " + std::string(dtype_kw) + "=" +
       torch_dtype(dtype) + ",\n";
  l.args.push_back({dtype_kw, torch_dtype(dtype), "dtype"});
  if (!device_map.empty()) t += "    device_map=" + device_map + ",\n";
  if (tp > 1) {
    t += "    tp_plan=\"auto\",\n";
    l.args.push_back({"tp_plan", "\"auto\"", "tp"});
  }
  if (dm != "none" && r.given("max_memory_mib")) {
    std::string mm = "{";
    const uint64_t gpus = r.count("gpus", 1);
    for (uint64_t g = 0; g < gpus; ++g)
      mm += (g == 0 ? "" : ", ") + std::to_string(g) + ": \"" + std::to_string(r.count("max_memory_mib", 0)) + "MiB\"";
    mm += "}";
    t += "    max_memory=" + mm + ",\n";
    l.args.push_back({"max_memory", mm, "max_memory_mib"});
  }
  if (bnb) t += "    quantization_config=quantization_config,\n";
  const std::string attn = r.choice("attn_implementation");
  t += "    attn_implementation=" + py_str(attn) + ",\n)\n";
  l.args.push_back({"attn_implementation", py_str(attn), "attn_implementation"});
  t += "tokenizer = AutoTokenizer.from_pretrained(model_id)\n";
  if (batch > 1) {
    t += "tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token\n";
    t += "inputs = tokenizer([\"Hello\"] * " + std::to_string(batch) +
         ", return_tensors=\"pt\", padding=True).to(model.device)\n";
  } else {
    t += "inputs = tokenizer(\"Hello\", return_tensors=\"pt\").to(model.device)\n";
  }
  // The estimate holds `context` tokens per sequence, prompt plus output.
  std::string new_tokens;
  if (r.given("prompt") && prompt < context) {
    new_tokens = std::to_string(context - prompt);
  } else {
    new_tokens = std::to_string(context) + " - inputs[\"input_ids\"].shape[1]";
    l.notes.push_back(
        {"launch_max_new_tokens", "/options/prompt", txt("assume.launch_max_new_tokens", {{"context", context}})});
  }
  l.args.push_back({"max_new_tokens", new_tokens, "context"});
  t += "outputs = model.generate(**inputs, max_new_tokens=" + new_tokens;
  if (beams > 1) {
    t += ", num_beams=" + std::to_string(beams);
    l.args.push_back({"num_beams", std::to_string(beams), "beams"});
  }
  t += ")\nprint(tokenizer.batch_decode(outputs, skip_special_tokens=True))\n";
  if (tp > 1) {
    l.command = "torchrun --nproc-per-node " + std::to_string(tp) + " run.py";
    l.notes.push_back({"launch_hf_tp", "/options/tp", txt("assume.launch_hf_tp")});
  } else {
    l.command = "python run.py";
  }
  if (count_of(s, "offload_layers") != 0)
    l.notes.push_back({"launch_offload_layers", "/options/offload_layers",
                       txt("assume.launch_offload_layers", {{"layers", text_of(s["offload_layers"])}})});
  if (quant != "none" && !bnb)
    l.notes.push_back({"launch_checkpoint_quantized", "/options/quant",
                       txt("assume.launch_checkpoint_quantized.hf", {{"quant", quant}})});
  l.text = t;
  l.language = "python";
}

// ---- training: TRL + PEFT, DeepSpeed ----
const char* trainer_optim(const std::string& o) {
  if (o == "adamw8bit") return "adamw_bnb_8bit";
  if (o == "paged-adamw8bit") return "paged_adamw_8bit";
  if (o == "sgd" || o == "sgd-momentum") return "sgd";
  if (o == "adafactor") return "adafactor";
  if (o == "lion") return "lion_32bit";
  if (o == "adam-mini") return "adam_mini";
  return "adamw_torch";
}

std::string py_targets(const std::string& v) {
  if (v.empty()) return "[\"q_proj\", \"v_proj\"]";
  if (v == "all-linear") return "\"all-linear\"";
  std::string out = "[";
  size_t start = 0;
  while (start <= v.size()) {
    const size_t end = std::min(v.find(',', start), v.size());
    out += (start == 0 ? "" : ", ") + py_str(v.substr(start, end - start));
    start = end + 1;
  }
  return out + "]";
}

void train_script(const json& req, const OptionReader& r, const ojson& settings, const ojson& est,
                  const std::string& id, Launch& l) {
  (void)req;
  const std::string precision = settings["precision"], optimizer = settings["optimizer"];
  const std::string quant = settings["quant"], checkpointing = settings["checkpointing"];
  const std::string engine = settings["engine"], offload = r.choice("offload");
  const uint64_t rank = count_of(settings, "lora_rank"), batch = count_of(settings, "batch");
  const uint64_t seq = count_of(settings, "seq"), accum = count_of(settings, "grad_accum");
  const uint64_t zero = count_of(settings, "zero"), gpus = count_of(settings, "gpus"), tp = count_of(settings, "tp");
  const bool lora = rank != 0, kbit = quant != "none", prepare = kbit && r.flag("prepare_kbit");
  const bool half16 = precision == "amp-fp16";
  const bool use_ds = engine == "deepspeed" || zero >= 1 || offload != "none";
  // Load dtype: the frozen base of (Q)LoRA in the compute dtype; full fine-tuning keeps fp32 weights under autocast
  // (amp-*), bf16 ones in the pure bf16 recipe.
  const std::string compute = precision == "fp32" ? "fp32" : half16 ? "fp16" : "bf16";
  const std::string load = lora ? compute : precision == "bf16" ? "bf16" : "fp32";
  const std::string attn = r.choice("attention");
  const std::string attn_impl = attn == "flash" ? "flash_attention_2" : attn;

  l.command = engine == "deepspeed" ? "deepspeed --num_gpus " + std::to_string(gpus) + " train.py"
              : gpus > 1 || use_ds  ? "accelerate launch --num_processes " + std::to_string(gpus) + " train.py"
                                    : "python train.py";
  std::string t = "# train.py; run: " + l.command + "\nimport torch\nfrom datasets import load_dataset\n";
  if (lora)
    t += std::string("from peft import LoraConfig") + (prepare ? ", prepare_model_for_kbit_training" : "") + "\n";
  t += std::string("from transformers import AutoModelForCausalLM") + (kbit ? ", BitsAndBytesConfig" : "") + "\n";
  t += "from trl import SFTConfig, SFTTrainer\n\nmodel_id = " + py_str(id) + "\n";
  if (kbit) {
    const std::string q = bnb_config(quant, r.flag("double_quant"), quant == "bnb-int8" ? "" : compute);
    t += "quantization_config = " + q + "\n";
    l.args.push_back({"quantization_config", q, "quant"});
  }
  t += "model = AutoModelForCausalLM.from_pretrained(\n    model_id,\n    dtype=" + torch_dtype(load) + ",\n";
  l.args.push_back({"dtype", torch_dtype(load), "precision"});
  if (kbit) t += "    quantization_config=quantization_config,\n";
  t += "    attn_implementation=" + py_str(attn_impl) + ",\n)\n";
  l.args.push_back({"attn_implementation", py_str(attn_impl), "attention"});
  const bool gc = checkpointing != "none";
  if (prepare) {
    t += "model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=" + py_bool(gc) + ")\n";
    l.args.push_back({"use_gradient_checkpointing", py_bool(gc), "checkpointing"});
  }
  if (lora) {
    const std::string targets = py_targets(r.text("lora_targets"));
    const std::string dropout = ojson(r.number("lora_dropout")).dump();
    t += "peft_config = LoraConfig(\n    r=" + std::to_string(rank) + ",\n    lora_alpha=" + std::to_string(2 * rank) +
         ",\n    target_modules=" + targets + ",\n    lora_dropout=" + dropout + ",\n    task_type=\"CAUSAL_LM\",\n)\n";
    l.args.push_back({"r", std::to_string(rank), "lora_rank"});
    l.args.push_back({"target_modules", targets, "lora_targets"});
    l.args.push_back({"lora_dropout", dropout, "lora_dropout"});
    l.notes.push_back({"launch_lora_alpha", "/options/lora_rank", txt("assume.launch_lora_alpha")});
  }
  t += "args = SFTConfig(\n    output_dir=\"out\",\n    per_device_train_batch_size=" + std::to_string(batch) +
       ",\n    gradient_accumulation_steps=" + std::to_string(accum) +
       ",\n    gradient_checkpointing=" + py_bool(gc && !prepare) + ",\n";
  l.args.push_back({"per_device_train_batch_size", std::to_string(batch), "batch"});
  l.args.push_back({"gradient_accumulation_steps", std::to_string(accum), "grad_accum"});
  l.args.push_back({"gradient_checkpointing", py_bool(gc && !prepare), "checkpointing"});
  // SFTConfig's bf16 defaults to True unless fp16 is set (trl/trainer/sft_config.py): fp32 says bf16=False.
  if (half16) {
    t += "    fp16=True,\n";
    l.args.push_back({"fp16", "True", "precision"});
  } else {
    t += "    bf16=" + py_bool(precision != "fp32") + ",\n";
    l.args.push_back({"bf16", py_bool(precision != "fp32"), "precision"});
  }
  t += "    max_length=" + std::to_string(seq) + ",\n";
  l.args.push_back({"max_length", std::to_string(seq), "seq"});
  if (optimizer != "none") {
    t += "    optim=" + py_str(trainer_optim(optimizer)) + ",\n";
    l.args.push_back({"optim", py_str(trainer_optim(optimizer)), "optimizer"});
    if (optimizer == "sgd-momentum") t += "    optim_args=\"momentum=0.9\",\n";
  } else {
    l.notes.push_back({"launch_no_optimizer", "/options/optimizer", txt("assume.launch_no_optimizer")});
  }
  if (r.choice("loss") == "chunked") {
    t += "    use_liger_kernel=True,\n";
    l.args.push_back({"use_liger_kernel", "True", "loss"});
  }
  if (use_ds) {
    t += "    deepspeed=\"ds_config.json\",\n";
    l.args.push_back({"deepspeed", "\"ds_config.json\"", "zero"});
  }
  t += ")\ndataset = load_dataset(\"trl-lib/Capybara\", split=\"train\")  # your dataset\ntrainer = "
       "SFTTrainer(model=model, "
       "args=args, train_dataset=dataset" +
       std::string(lora ? ", peft_config=peft_config" : "") + ")\ntrainer.train()\n";
  if (gc && prepare)
    l.notes.push_back({"launch_checkpointing_kbit", "/options/checkpointing", txt("assume.launch_checkpointing_kbit")});
  if (checkpointing == "selective")
    l.notes.push_back(
        {"launch_selective_checkpointing", "/options/checkpointing", txt("assume.launch_selective_checkpointing")});
  if (tp > 1) l.notes.push_back({"launch_megatron_tp", "/options/tp", txt("assume.launch_megatron_tp", {{"tp", tp}})});
  if (use_ds) {
    ojson zo = {{"stage", zero}};
    if (offload == "optimizer" || offload == "params")
      zo["offload_optimizer"] = {{"device", "cpu"}, {"pin_memory", true}};
    if (offload == "params") zo["offload_param"] = {{"device", "cpu"}, {"pin_memory", true}};
    ojson ds = {{"zero_optimization", std::move(zo)},
                {"bf16", {{"enabled", precision == "amp-bf16" || precision == "bf16"}}},
                {"fp16", {{"enabled", half16}}},
                {"train_micro_batch_size_per_gpu", batch},
                {"gradient_accumulation_steps", accum}};
    l.files.push_back({{"name", "ds_config.json"}, {"language", "json"}, {"text", ds.dump(2) + "\n"}});
  }
  l.text = t;
  l.language = "python";
  (void)est;
}

ojson launch_json(const std::string& mode, const Launch& l, const ojson& est_assumptions) {
  ojson args = ojson::array();
  for (const auto& a : l.args)
    args.push_back(ObjectBuilder(3).add("flag", a.flag).add("value", a.value).add("from", a.from).done());
  ojson notes = est_assumptions;
  for (const auto& a : assumptions_json(l.notes)) notes.push_back(a);
  return ObjectBuilder(9)
      .add("ok", true)
      .add("mode", mode)
      .add("engine", l.engine)
      .add("language", l.language)
      .add("text", l.text)
      .add("command", l.command)
      .add("args", std::move(args))
      .add("files", l.files)
      .add("assumptions", std::move(notes))
      .done();
}

}  // namespace

ojson op_launch(const json& req) {
  const std::string mode = request_mode(req);
  if (mode == "weights") throw Error(code::bad_request, "/options/mode", txt("error.launch.weights_mode"));
  const json options = request_options(req);
  std::vector<Assumption> reader_notes;  // the estimate below records the reader's own notes
  Launch l;
  std::vector<Assumption> ignored;
  const json config = request_config(req, ignored);
  if (mode == "train") {
    const OptionReader r(options, mode_train, reader_notes);
    const std::string id = model_id(r, config, l.notes);
    const ojson est = op_estimate_train(req);
    const ojson fit = op_fit_train(req);  // its settings: the recipe after every default
    l.engine = fit["settings"]["engine"];
    train_script(req, r, fit["settings"], est, id, l);
    return launch_json(mode, l, est["assumptions"]);
  }
  const OptionReader r(options, mode_inference, reader_notes);
  const std::string id = model_id(r, config, l.notes);
  const NormalizedConfig nc = request_model(req);
  json run = req;
  bool from_fit = false;
  if (r.choice("engine") == "vllm" && !r.given("context") && request_gpu(r)) {
    // No context: the largest that fits on the GPU (the fit's solver, in vLLM's steps of 16 tokens).
    json fit_req = req;
    fit_req["options"] = options;
    fit_req["options"]["solve"] = "context";
    const json fit = json::parse(op_fit(fit_req));
    const uint64_t n = fit.value("max_context", uint64_t{0});
    if (n == 0)
      throw Error(code::bad_request, "/options/gpu",
                  txt("error.launch.nothing_fits", {{"gpu", fit.value("gpu", std::string("GPU"))}}));
    run["options"] = options;
    run["options"]["context"] = n;
    from_fit = true;
    l.notes.push_back({"launch_context_fit", "/options/context",
                       txt("assume.launch_context_fit", {{"gpu", fit.value("gpu", std::string("GPU"))},
                                                         {"binding", fit.value("binding", std::string(""))}})});
  }
  const ojson est = op_estimate_inference(run);
  l.engine = est["settings"]["engine"];
  if (l.engine == "vllm")
    vllm_command(run, r, nc.model, est, id, from_fit, l);
  else if (l.engine == "llamacpp")
    llamacpp_command(r, est, id, l);
  else
    hf_script(r, est, id, l);
  return launch_json(mode, l, est["assumptions"]);
}

}  // namespace gpumem
