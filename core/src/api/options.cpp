// The option schema, the runtime profiles and the one option reader (options.hpp).
#include "options.hpp"

#include <cmath>
#include <cstdlib>

#include "gpumem/base/format.hpp"
#include "gpumem/memory/memory.hpp"
#include "gpumem/memory/quant.hpp"

namespace gpumem {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

namespace {

constexpr unsigned kInf = mode_inference, kTrain = mode_train, kWeights = mode_weights;
constexpr unsigned kAllOps = op_estimate_bit | op_fit_bit | op_sweep_bit | op_launch_bit | op_advise_bit | op_speed_bit;
// The training estimator's integer cap (issue 6): far above any real batch, sequence or GPU count, low
// enough that products of them stay exact in uint64_t.
constexpr double kTrainMax = 100000000;

std::string kebab(const std::string& name) {
  std::string f = "--" + name;
  for (char& c : f)
    if (c == '_') c = '-';
  return f;
}

// Row builders: each returns a row with the fields every row of its type has; the table below sets the rest.
OptionRow base(const char* name, unsigned modes, OptionType type, Tier tier, const char* help) {
  OptionRow r;
  r.name = name;
  r.modes = modes;
  r.type = type;
  r.tier = tier;
  r.help = help;
  r.flag = kebab(name);
  return r;
}
OptionRow integer(const char* name, unsigned modes, Tier tier, double min, ojson def, const char* help,
                  const char* example = "4096") {
  OptionRow r = base(name, modes, OptionType::integer, tier, help);
  r.min = min;
  r.default_value = std::move(def);
  r.example = example;
  if (modes == kTrain) r.max = kTrainMax, r.has_max = true, r.example = "4";
  return r;
}
OptionRow choice(const char* name, unsigned modes, Tier tier, std::vector<std::string> values, ojson def,
                 const char* help) {
  OptionRow r = base(name, modes, OptionType::choice, tier, help);
  r.values = std::move(values);
  r.default_value = std::move(def);
  return r;
}
OptionRow boolean(const char* name, unsigned modes, Tier tier, ojson def, const char* help,
                  CliForm cli = CliForm::value) {
  OptionRow r = base(name, modes, OptionType::boolean, tier, help);
  r.default_value = std::move(def);
  r.cli = cli;
  return r;
}
OptionRow from(OptionRow r, const char* default_from) {
  r.default_from = default_from;
  return r;
}
OptionRow only(OptionRow r, const char* engines) {
  r.applies_engine = engines;
  return r;
}
// The page hides a control whose format is not chosen (double quantization without a bitsandbytes 4-bit
// format); the core still reads the option whatever the format.
OptionRow for_quant(OptionRow r, const char* quants) {
  r.applies_quant = quants;
  return r;
}
OptionRow ops(OptionRow r, unsigned bits) {
  r.ops = bits;
  return r;
}
OptionRow unknown(OptionRow r, std::string message) {
  r.unknown = std::move(message);
  return r;
}

std::vector<std::string> profile_names() {
  std::vector<std::string> names;
  for (const auto& p : runtime_profiles()) names.push_back(p.name);
  return names;
}

std::vector<OptionRow> build_schema() {
  const Tier B = Tier::basic, E = Tier::expert, R = Tier::reproduction;
  std::vector<std::string> inf_quants = {"auto"};
  for (const auto& id : quant_ids()) inf_quants.push_back(id);
  std::vector<std::string> weight_ids = {"auto"};
  for (const auto& d : weight_dtypes()) weight_ids.emplace_back(d.id);

  std::vector<OptionRow> s;
  // ---- every mode ----
  s.push_back(choice("mode", kInf | kTrain | kWeights, B, {"inference", "train", "weights"}, "inference",
                     "What to estimate: serving a model (inference), training or fine-tuning it (train), or its "
                     "weights alone (weights)."));
  s.push_back(choice("profile", kInf | kTrain, R, profile_names(), "current",
                     "A runtime profile: the software stack and measuring loop of one published measurement "
                     "(current: today's releases); options given beside it override it."));
  // ---- inference ----
  s.push_back(choice("engine", kInf, B, {"hf", "vllm", "llamacpp"}, "hf",
                     "The serving engine: transformers (hf), vLLM or llama.cpp."));
  s.push_back(from(unknown(choice("dtype", kInf, B, {"auto", "fp32", "fp16", "bf16"}, nullptr,
                                  "Load and compute dtype of what is not quantized (auto: the config's torch_dtype)."),
                           "error.options.unknown_load_dtype"),
                   "config"));
  s.push_back(from(unknown(choice("dtype", kWeights, B, weight_ids, nullptr,
                                  "Storage dtype of every parameter (auto: the config's torch_dtype)."),
                           "error.options.unknown_weights_dtype"),
                   "config"));
  s.push_back(from(unknown(choice("quant", kInf, B, inf_quants, nullptr,
                                  "Weight quantization (auto: the config's quantization_config, else none)."),
                           "error.options.unknown_quant"),
                   "config"));
  s.push_back(for_quant(from(boolean("double_quant", kInf, E, nullptr,
                                     "bitsandbytes NF4/FP4: quantize the quantization constants too (auto: the "
                                     "config's quantization_config).",
                                     CliForm::set_true),
                             "config"),
                        "auto,bnb-nf4,bnb-fp4"));
  s.push_back(for_quant(only(from(choice("bnb_compute_dtype", kInf, E, {"auto", "fp32", "fp16", "bf16"}, nullptr,
                                         "bitsandbytes 4-bit: bnb_4bit_compute_dtype (auto: the config's, else "
                                         "float32, BitsAndBytesConfig's default)."),
                                  "config"),
                             "hf"),
                        "auto,bnb-nf4,bnb-fp4"));
  s.push_back(for_quant(from(integer("group_size", kInf, E, 1, nullptr,
                                     "GPTQ/AWQ group size: weights sharing one scale (auto: the method's or the "
                                     "config's)."),
                             "config"),
                        "auto,gptq-4bit,awq-4bit"));
  s.push_back(
      from(unknown(choice("kv_dtype", kInf, B, {"auto", "fp32", "fp16", "bf16", "fp8", "int8", "q8_0", "q4_0"}, nullptr,
                          "KV cache element type (auto: the load dtype); q8_0 and q4_0 are llama.cpp's."),
                   "error.options.unknown_kv_dtype"),
           "option"));
  s.push_back(from(integer("context", kInf, B, 1, nullptr,
                           "Tokens each sequence holds, prompt plus output (auto: the model's context limit, at "
                           "most 4096; llama.cpp: the trained context, as llama-server)."),
                   "config"));
  s.push_back(from(integer("prompt", kInf, E, 1, nullptr,
                           "Prefill length in tokens, at most context (auto: context; speed: context − output, else "
                           "512)."),
                   "option"));
  s.push_back(integer("batch", kInf, B, 1, 1, "Sequences decoded together (vLLM: concurrent sequences)."));
  s.push_back(integer("beams", kInf, E, 1, 1, "Beams × returned sequences per prompt."));
  s.push_back(integer("tp", kInf, E, 1, 1, "Tensor-parallel degree: each layer split over this many GPUs."));
  s.push_back(integer("pp", kInf, E, 1, 1, "Pipeline stages: the layers split over this many groups of GPUs."));
  s.push_back(from(integer("gpus", kInf, B, 1, nullptr,
                           "GPUs in all: tp × pp (alone: tensor parallelism over all of them; with a device_map: "
                           "the GPUs it fills)."),
                   "option"));
  s.push_back(only(choice("device_map", kInf, E, {"none", "auto", "balanced", "balanced_low_0", "sequential"}, "none",
                          "accelerate's placement of whole layers over --gpus GPUs of --gpu, then the CPU."),
                   "hf"));
  s.back().unknown = "error.options.device_map";
  s.push_back(only(integer("max_memory_mib", kInf, E, 1, nullptr,
                           "device_map: accelerate's max_memory per GPU in MiB (auto: each GPU's free memory)."),
                   "hf"));
  s.back().default_from = "gpu";
  s.push_back(integer("offload_layers", kInf, E, 0, 0, "Decoder layers whose weights stay in CPU memory."));
  s.push_back(only(choice("attn_implementation", kInf, E, {"sdpa", "eager", "flash_attention_2"}, "sdpa",
                          "transformers' attention: eager materializes the score matrix."),
                   "hf"));
  s.push_back(only(boolean("flash_attn", kInf, E, true,
                           "llama.cpp flash attention (-fa); needed for a quantized V cache.", CliForm::set_false),
                   "llamacpp"));
  s.back().flag = "--no-flash-attn";
  // llama.cpp's own settings at llama-server's defaults (common/common.h; memory/llamacpp.hpp).
  s.push_back(
      only(integer("n_ubatch", kInf, E, 1, 512,
                   "llama.cpp -ub: tokens of one physical batch; its compute buffers are reserved for it.", "512"),
           "llamacpp"));
  s.back().flag = "--ubatch-size";
  s.push_back(only(integer("n_batch", kInf, E, 1, 2048, "llama.cpp -b: the logical batch, which caps -ub.", "2048"),
                   "llamacpp"));
  s.back().flag = "--batch-size";
  s.push_back(only(from(integer("n_gpu_layers", kInf, E, 0, nullptr,
                                "llama.cpp -ngl: repeating layers on the GPU, n_layer + 1 with the output layer "
                                "(auto: all, or what --fit chooses on --gpu).",
                                "33"),
                        "gpu"),
                   "llamacpp"));
  s.push_back(only(from(integer("n_cpu_moe", kInf, E, 0, nullptr,
                                "llama.cpp --n-cpu-moe: layers, from the first, whose MoE experts stay in host memory "
                                "(auto: none, or what --fit chooses on --gpu).",
                                "8"),
                        "gpu"),
                   "llamacpp"));
  s.push_back(only(from(integer("n_parallel", kInf, E, 1, nullptr,
                                "llama.cpp -np: server slots, the output buffer's rows (auto: --batch when above 1, "
                                "else llama-server's 4).",
                                "4"),
                        "option"),
                   "llamacpp"));
  s.push_back(only(boolean("fit", kInf, E, true,
                           "llama.cpp --fit: on --gpu, shrink the context, then offload layers and MoE experts, "
                           "until the GPU keeps --fit-target free."),
                   "llamacpp"));
  s.push_back(only(integer("fit_target", kInf, E, 0, 1024, "llama.cpp --fit-target: MiB the fit leaves free.", "1024"),
                   "llamacpp"));
  s.push_back(
      only(integer("fit_ctx", kInf, E, 1, 4096, "llama.cpp --fit-ctx: the smallest context the fit may set.", "4096"),
           "llamacpp"));
  {
    OptionRow r = only(from(ops(base("gpu_memory_utilization", kInf, OptionType::number, E,
                                     "vLLM's gpu_memory_utilization: the share of the GPU's memory it may use."),
                                kAllOps),
                            "engine"),
                       "vllm");
    r.min = 0, r.min_open = true, r.max = 1, r.has_max = true, r.default_value = 0.9, r.example = "0.9";
    s.push_back(r);
  }
  // vLLM's scheduler limits size its profiling run (memory/vllm.hpp); their defaults follow vLLM's own rule.
  s.push_back(only(unknown(choice("vllm_entrypoint", kInf, E, {"serve", "llm"}, "serve",
                                  "How vLLM is started: `vllm serve` (its OpenAI server) or the Python LLM class; "
                                  "their default max_num_batched_tokens differ."),
                           "error.options.vllm_entrypoint"),
                   "vllm"));
  s.push_back(only(from(integer("max_num_batched_tokens", kInf, E, 1, nullptr,
                                "vLLM --max-num-batched-tokens: tokens per scheduler step, the profiling run's forward "
                                "(auto: vLLM's default for the GPU and entrypoint).",
                                "8192"),
                        "gpu"),
                   "vllm"));
  s.push_back(only(from(integer("max_num_seqs", kInf, E, 1, nullptr,
                                "vLLM --max-num-seqs: sequences per step, the sampler warm-up's rows (auto: vLLM's "
                                "default for the GPU).",
                                "256"),
                        "gpu"),
                   "vllm"));
  // ---- the GPU and the solvers ----
  s.push_back(from(base("gpu", kInf | kTrain, OptionType::text, B,
                        "A catalogue GPU (gpumem gpus), or a custom card's name with --gpu-memory: the fit's verdict "
                        "and solver, and a device_map's devices."),
                   "gpu"));
  s.back().default_value = nullptr;
  s.push_back(from(base("gpu_memory", kInf | kTrain, OptionType::text, E,
                        "A custom card's total memory as its runtime reports it, e.g. 23.5GiB, 24GB or 15360MiB "
                        "(replaces the catalogue's figure for --gpu)."),
                   "gpu"));
  s.back().default_value = nullptr;
  s.push_back(unknown(ops(choice("solve", kInf, B, {"context", "batch"}, "context",
                                 "What the fit solves for on --gpu: the largest context or the largest batch."),
                          op_fit_bit),
                      "error.options.solve"));
  {
    OptionRow r = ops(integer("points", kInf | kTrain, E, 1, 16, "Points of a sweep."), op_sweep_bit);
    r.max = 1024, r.has_max = true;
    s.push_back(r);
  }
  s.push_back(from(ops(integer("max_context", kInf, E, 1, nullptr,
                               "A sweep's largest context (auto: the model's context limit, else 8192)."),
                       op_sweep_bit),
                   "config"));
  // ---- speed (speed_ops.cpp, memory/speed.hpp) ----
  s.push_back(ops(integer("output", kInf, B, 1, 128, "Tokens generated per sequence (speed).", "128"), op_speed_bit));
  s.push_back(ops(integer("depth", kInf, E, 0, 0,
                          "Tokens already in each sequence's KV cache before the prompt, as in a follow-up turn "
                          "(speed; llama-bench -d).",
                          "4096"),
                  op_speed_bit));
  s.push_back(from(unknown(ops(choice("backend", kInf, E, {"auto", "cuda", "rocm", "metal", "vulkan"}, "auto",
                                      "The compute backend whose measured efficiency the speed uses (auto: the GPU "
                                      "vendor's: CUDA, ROCm, Metal; Vulkan for Intel)."),
                               op_speed_bit),
                           "error.options.backend"),
                   "gpu"));
  {
    OptionRow r = ops(base("cpu_bandwidth", kInf | kTrain, OptionType::number, E,
                           "System memory bandwidth in GB/s for layers offloaded to the CPU (speed; 76.8 is "
                           "dual-channel DDR5-4800, 2 × 38.4 GB/s)."),
                      op_speed_bit);
    r.min = 0, r.min_open = true, r.max = 100000, r.has_max = true, r.default_value = 76.8, r.example = "76.8";
    s.push_back(r);
  }
  s.push_back(ops(boolean("table", kInf, E, false,
                          "Also give tokens per second on every catalogue GPU, where the fits-on table puts the model "
                          "(speed).",
                          CliForm::set_true),
                  op_speed_bit));
  // ---- the launch command (launch_ops.cpp) ----
  s.push_back(from(ops(base("model_id", kInf | kTrain, OptionType::text, E,
                            "The Hugging Face model id the launch command loads, e.g. meta-llama/Llama-3.1-8B-Instruct "
                            "(auto: the config's _name_or_path when it reads org/name)."),
                       op_launch_bit),
                   "config"));
  s.back().default_value = nullptr;
  s.back().example = "meta-llama/Llama-3.1-8B-Instruct";
  s.push_back(
      only(from(ops(base("model_file", kInf, OptionType::text, E,
                         "The .gguf file llama-server loads (auto: a name built from the model id and --quant)."),
                    op_launch_bit),
                "option"),
           "llamacpp"));
  s.back().default_value = nullptr;
  s.back().example = "Llama-3.1-8B-Instruct-Q4_K_M.gguf";
  // ---- training ----
  s.push_back(
      choice("engine", kTrain, B, {"hf", "deepspeed"}, "hf",
             "The training stack: transformers' Trainer / PyTorch (hf) or DeepSpeed/Megatron mixed precision."));
  s.push_back(choice("precision", kTrain, B, {"fp32", "amp-fp16", "amp-bf16", "bf16"}, "amp-bf16",
                     "Precision recipe: fp32, automatic mixed precision (fp32 weights, 16-bit compute) or pure "
                     "bf16 (on a --gpu without bf16: amp-fp16)."));
  s.push_back(
      choice("optimizer", kTrain, B,
             {"adamw", "adamw8bit", "paged-adamw8bit", "sgd", "sgd-momentum", "adafactor", "lion", "adam-mini", "none"},
             "adamw", "The optimizer whose states are kept (none: a benchmark loop without a step)."));
  // No default value: 0 (full fine-tuning), or PEFT's r = 8 when the base is quantized (train_ops.cpp), so
  // the page leaves the field empty and the core decides.
  s.push_back(from(integer("lora_rank", kTrain, B, 0, nullptr,
                           "LoRA rank (0: full fine-tuning, the default; with --quant and no rank, PEFT's default 8)."),
                   "option"));
  s.push_back(from(base("lora_targets", kTrain, OptionType::text, B,
                        "LoRA target modules: all-linear or a comma list of q_proj, k_proj, v_proj, o_proj, gate_proj, "
                        "up_proj, down_proj (auto: q_proj,v_proj, PEFT's default)."),
                   "constant"));
  {
    OptionRow r = base("lora_dropout", kTrain, OptionType::number, E,
                       "LoRA dropout probability; above 0 each adapter keeps its own dropped-out input.");
    r.min = 0, r.max = 1, r.has_max = true, r.max_open = true, r.default_value = 0, r.example = "0.05";
    s.push_back(r);
  }
  s.push_back(unknown(choice("quant", kTrain, B, {"none", "bnb-int8", "bnb-nf4", "bnb-fp4"}, "none",
                             "QLoRA: the frozen base quantized by bitsandbytes (needs --lora-rank)."),
                      "error.options.train_quant"));
  s.push_back(for_quant(boolean("double_quant", kTrain, E, false,
                                "QLoRA NF4/FP4: quantize the quantization constants too.", CliForm::set_true),
                        "bnb-nf4,bnb-fp4"));
  s.push_back(
      for_quant(boolean("prepare_kbit", kTrain, E, true,
                        "QLoRA: PEFT's prepare_model_for_kbit_training casts the unquantized parameters to fp32."),
                "bnb-nf4,bnb-fp4,bnb-int8"));
  s.push_back(integer("batch", kTrain, B, 1, 1, "Micro-batch per GPU."));
  s.push_back(integer("seq", kTrain, B, 1, 512, "Sequence length in tokens."));
  s.push_back(integer("grad_accum", kTrain, B, 1, 1, "Gradient accumulation steps."));
  // No default value: none, or full for QLoRA (train_ops.cpp), so the page's select stays on "default".
  s.push_back(from(choice("checkpointing", kTrain, B, {"none", "selective", "full"}, nullptr,
                          "Activation (gradient) checkpointing (auto: none; QLoRA with --prepare-kbit: full, as PEFT "
                          "enables it)."),
                   "option"));
  s.push_back(choice("attention", kTrain, E, {"eager", "sdpa", "flash"}, "sdpa", "Attention implementation."));
  {
    OptionRow r = integer("zero", kTrain, E, 0, 0, "DeepSpeed ZeRO stage: 0 (plain data parallel), 1, 2 or 3.");
    r.max = 3;
    s.push_back(r);
  }
  s.push_back(integer("tp", kTrain, E, 1, 1, "Megatron tensor-parallel degree."));
  s.push_back(
      from(integer("gpus", kTrain, B, 1, nullptr, "GPUs in all: tp × data-parallel ranks (auto: tp)."), "option"));
  s.push_back(boolean("sequence_parallel", kTrain, E, false,
                      "Megatron sequence parallelism: the tensors tensor parallelism replicates split too.",
                      CliForm::set_true));
  s.push_back(choice("loss", kTrain, E, {"full", "chunked", "sum"}, "full",
                     "Loss: full fp32 logits, a chunked fused linear + cross-entropy, or a benchmark's logits.sum()."));
  s.push_back(choice("offload", kTrain, E, {"none", "optimizer", "params"}, "none",
                     "DeepSpeed CPU offload of the optimizer states (and with ZeRO 3 the parameters)."));
  s.push_back(choice("measure", kTrain, E, {"nvidia-smi", "allocated"}, "nvidia-smi",
                     "What the total is compared with: nvidia-smi (CUDA context included) or max_memory_allocated."));
  s.push_back(
      from(ops(integer("max_seq", kTrain, E, 1, nullptr, "A sweep's longest sequence (auto: 2 × seq)."), op_sweep_bit),
           "option"));
  {
    OptionRow r = ops(base("mfu", kTrain, OptionType::number, E,
                           "Model FLOPs utilization a training step reaches: the share of the GPU's dense peak its "
                           "matmuls run at (speed)."),
                      op_speed_bit);
    r.min = 0, r.min_open = true, r.max = 1, r.has_max = true, r.default_value = 0.4, r.example = "0.4";
    s.push_back(r);
  }
  {
    OptionRow r = ops(integer("train_tokens", kTrain, E, 0, 0,
                              "Tokens to train on: the speed also gives the time they take (0: not asked)."),
                      op_speed_bit);
    r.has_max = false, r.example = "1000000000";
    s.push_back(r);
  }
  // ---- runtime: what a profile sets ----
  s.push_back(only(from(base("transformers", kInf | kTrain, OptionType::version, R,
                             "The transformers release whose allocation is modelled, e.g. 4.40 (current: the "
                             "newest)."),
                        "profile"),
                   "hf"));
  s.back().default_value = "current";
  s.push_back(only(from(base("vllm", kInf, OptionType::version, R,
                             "The vLLM release whose KV-cache budget is followed, 0.19 to 0.27 (current: 0.27; from "
                             "0.21 the CUDA-graph estimate is part of the budget)."),
                        "profile"),
                   "vllm"));
  s.back().default_value = "0.27";
  s.push_back(from(base("bitsandbytes", kInf | kTrain, OptionType::version, R,
                        "The bitsandbytes release, e.g. 0.43.1: in training before 0.43.2 quantized linears keep their "
                        "inputs; at inference before 0.50.0 a 4-bit prefill dequantizes whole weights."),
                   "profile"));
  s.back().default_value = "current";
  s.push_back(from(boolean("lazy_loading", kInf | kTrain, R, true,
                           "CUDA lazy module loading (CUDA ≥ 11.7, PyTorch ≥ 2.0): a 500 MiB context instead of "
                           "1343 MiB."),
                   "profile"));
  s.push_back(from(boolean("count_context", kInf, R, true,
                           "Count the CUDA context in the total (false: compare with memory_allocated)."),
                   "profile"));
  s.push_back(from(integer("cuda_context_mib", kTrain, R, 0, nullptr,
                           "CUDA context and kernels in MiB as nvidia-smi counts them (auto: 500 with lazy loading, "
                           "1343 without)."),
                   "profile"));
  s.push_back(from(boolean("legacy_autograd", kTrain, R, false,
                           "PyTorch before 1.10: eager attention also keeps the unscaled scores (the 2021 tables).",
                           CliForm::set_true),
                   "profile"));
  s.push_back(from(boolean("keep_outputs", kTrain, R, false,
                           "A bare benchmark loop holds the previous step's outputs until the next forward returns.",
                           CliForm::set_true),
                   "profile"));
  return s;
}

std::string commas_or_number(double v) {
  if (v >= 0 && v == std::floor(v) && v < 1e15) return with_commas(static_cast<uint64_t>(v));
  std::string t = std::to_string(v);
  while (!t.empty() && t.back() == '0') t.pop_back();
  if (!t.empty() && t.back() == '.') t.pop_back();
  return t;
}

}  // namespace

const std::vector<OptionRow>& option_schema() {
  static const std::vector<OptionRow> rows = build_schema();
  return rows;
}

const OptionRow* find_option(std::string_view name, unsigned mode) {
  for (const auto& r : option_schema())
    if (r.name == name && (r.modes & mode) != 0) return &r;
  return nullptr;
}

// Each profile names the measurement it reproduces; tests/fixtures/measurements.json rows name their
// profile, and the measurement tests read the runtime from it.
const std::vector<Profile>& runtime_profiles() {
  static const std::vector<Profile> profiles = {
      {"current",
       "Today's releases: transformers and bitsandbytes current, CUDA lazy module loading (a 500 MiB context).",
       "the default", json::object()},
      {"hf-single-gpu-2021",
       "transformers' 'Efficient Training on a Single GPU' (2021): V100, driver 460 / CUDA 11.2 without lazy "
       "loading (1343 MiB context), PyTorch 1.8's autograd, BERT's eager attention.",
       "huggingface/transformers@0016acf7:docs/source/en/perf_train_gpu_one.md",
       {{"lazy_loading", false}, {"legacy_autograd", true}, {"attention", "eager"}}},
      {"sdpa-bench-gpt-neox-2024",
       "The SDPA benchmark tables of transformers' GPT-NeoX docs (May 2024, as 4.41): max_memory_allocated, a "
       "bare loop of logits.sum().backward() without an optimizer.",
       "huggingface/transformers:docs/source/en/model_doc/gpt_neox.md ('Using Scaled Dot Product Attention')",
       {{"transformers", "4.41"},
        {"count_context", false},
        {"optimizer", "none"},
        {"loss", "sum"},
        {"keep_outputs", true},
        {"measure", "allocated"}}},
      {"sdpa-bench-opt-2024",
       "The SDPA benchmark tables of transformers' OPT docs (September 2024, as 4.47): max_memory_allocated, a "
       "bare loop of logits.sum().backward() without an optimizer.",
       "huggingface/transformers:docs/source/en/model_doc/opt.md ('Using Scaled Dot Product Attention')",
       {{"transformers", "4.47"},
        {"count_context", false},
        {"optimizer", "none"},
        {"loss", "sum"},
        {"keep_outputs", true},
        {"measure", "allocated"}}},
      {"qlora-blog-2023",
       "The 4-bit QLoRA blog (May 2023): transformers 4.30, bitsandbytes 0.39.0, PyTorch 2.0's lazily loaded "
       "context, eager attention, nvidia-smi.",
       "huggingface/blog@1b4d85d9:4bit-transformers-bitsandbytes.md",
       {{"transformers", "4.30"},
        {"bitsandbytes", "0.39.0"},
        {"lazy_loading", true},
        {"attention", "eager"},
        {"measure", "nvidia-smi"}}},
      {"llama-cpp-python-2024",
       "llama-cpp-python's defaults of mid-2024 on an RTX 3070: llama.cpp before flash attention was on by default, "
       "n_ctx 512, n_batch 512, one sequence.",
       "developer0hye/llama-3-korean-bllossom-8b-q4-docker@1159e0ab:README.md (June 2024)",
       {{"flash_attn", false}, {"context", 512u}, {"n_batch", 512u}, {"n_parallel", 1u}}},
      {"accelerate-big-model-2022",
       "accelerate's big-model inference benchmark (July 2022): transformers 4.20, torch 1.12 without lazy "
       "module loading.",
       "huggingface/accelerate@1d57b830:benchmarks/big_model_inference/README.md",
       {{"transformers", "4.20"}, {"lazy_loading", false}}},
      {"llm-d-h100-vllm",
       "llm-d's empirical vLLM start-up logs on one H100 (79.18 GiB): `vllm serve` at gpu_memory_utilization 0.9, "
       "its CUDA graphs outside the KV budget as before vLLM 0.21.",
       "llm-d/llm-d-benchmark@25933486:config_explorer/empirical-vllm-memory-results.md",
       {{"vllm", "0.19"}}},
  };
  return profiles;
}

OptionReader::OptionReader(const json& options, unsigned mode, std::vector<Assumption>& notes)
    : options_(options), mode_(mode) {
  profile_ = &runtime_profiles().front();
  if ((mode & (mode_inference | mode_train)) == 0) return;
  const std::string name = choice("profile");
  for (const auto& p : runtime_profiles())
    if (p.name == name) profile_ = &p;
  if (profile_->name == "current") return;
  std::vector<std::string> set;
  for (const auto& [k, v] : profile_->sets.items())
    if (find_option(k, mode_) != nullptr && !in_request(k.c_str()))
      set.push_back(k + " " + (v.is_string() ? v.get<std::string>() : v.dump()));
  Text note = txt(set.empty() ? "assume.profile.nothing" : "assume.profile",
                  {{"profile", profile_->name}, {"source", profile_->source}});
  if (!set.empty()) note.phrases.emplace_back("sets", text_list("list.comma", set));
  notes.push_back({"profile", "/options/profile", std::move(note)});
}

const OptionRow& OptionReader::row(const char* name) const {
  const OptionRow* r = find_option(name, mode_);
  if (r == nullptr)
    throw Error(code::internal_error, path(name), txt("error.internal.option_not_in_schema", {{"name", name}}));
  return *r;
}

bool OptionReader::in_request(const char* name) const {
  auto it = options_.find(name);
  return it != options_.end() && !it->is_null();
}

const json* OptionReader::value(const char* name) const {
  row(name);  // every name read is in the schema
  auto it = options_.find(name);
  if (it != options_.end() && !it->is_null()) return &*it;
  if (profile_ != nullptr) {
    auto p = profile_->sets.find(name);
    if (p != profile_->sets.end()) return &*p;
  }
  return nullptr;
}

bool OptionReader::given(const char* name) const { return value(name) != nullptr; }

uint64_t OptionReader::count(const char* name) const {
  const OptionRow& r = row(name);
  if (!r.default_value.is_number_integer() || r.default_value.get<int64_t>() < 0)
    throw Error(code::internal_error, path(name), txt("error.internal.option_no_default", {{"name", name}}));
  return count(name, static_cast<uint64_t>(r.default_value.get<int64_t>()));
}

uint64_t OptionReader::count(const char* name, uint64_t fallback) const {
  const OptionRow& r = row(name);
  const json* v = value(name);
  if (v == nullptr) return fallback;
  const Text whole = txt("error.options.whole_number", {{"name", name}, {"example", r.example}});
  uint64_t n = 0;
  if (v->is_number_unsigned()) {
    n = v->get<uint64_t>();
  } else if (v->is_string()) {
    const std::string s = v->get<std::string>();
    // 15 digits: every count fits a double exactly, as the page's number fields hold them.
    if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string::npos)
      throw Error(code::bad_request, path(name), whole);
    n = std::stoull(s);
  } else {
    throw Error(code::bad_request, path(name), whole);
  }
  const double d = static_cast<double>(n);
  if (r.has_max && (d < r.min || d > r.max))
    throw Error(code::bad_request, path(name),
                txt("error.options.between",
                    {{"name", name}, {"min", commas_or_number(r.min)}, {"max", commas_or_number(r.max)}}));
  if (d < r.min)
    throw Error(code::bad_request, path(name),
                txt("error.options.at_least", {{"name", name}, {"min", commas_or_number(r.min)}}));
  return n;
}

double OptionReader::number(const char* name) const {
  const OptionRow& r = row(name);
  const json* v = value(name);
  double x = std::nan("");
  if (v == nullptr) {
    x = r.default_value.get<double>();
  } else if (v->is_number()) {
    x = v->get<double>();
  } else if (v->is_string()) {
    const std::string t = v->get<std::string>();
    char* end = nullptr;
    const double parsed = std::strtod(t.c_str(), &end);
    if (!t.empty() && end == t.c_str() + t.size()) x = parsed;
  }
  const bool low_ok = r.min_open ? x > r.min : x >= r.min;
  const bool high_ok = !r.has_max || (r.max_open ? x < r.max : x <= r.max);
  if (!(low_ok && high_ok))  // NaN fails both
    throw Error(code::bad_request, path(name),
                txt("error.options.interval", {{"name", name},
                                               {"range", (r.min_open ? "(" : "[") + commas_or_number(r.min) + ", " +
                                                             commas_or_number(r.max) + (r.max_open ? ")" : "]")},
                                               {"example", r.example}}));
  return x;
}

bool OptionReader::flag(const char* name) const {
  const OptionRow& r = row(name);
  if (!r.default_value.is_boolean())
    throw Error(code::internal_error, path(name), txt("error.internal.option_no_default", {{"name", name}}));
  return flag(name, r.default_value.get<bool>());
}

bool OptionReader::flag(const char* name, bool fallback) const {
  const json* v = value(name);
  if (v == nullptr) return fallback;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string() && (*v == "true" || *v == "1")) return true;
  if (v->is_string() && (*v == "false" || *v == "0")) return false;
  throw Error(code::bad_request, path(name), txt("error.options.boolean", {{"name", name}}));
}

std::string OptionReader::text(const char* name) const {
  const OptionRow& r = row(name);
  const json* v = value(name);
  if (v != nullptr && !v->is_string())
    throw Error(code::bad_request, path(name), txt("error.options.not_string", {{"name", name}}));
  const std::string t = v != nullptr ? v->get<std::string>() : "";
  if (!t.empty()) return t;
  return r.default_value.is_string() ? r.default_value.get<std::string>() : "";
}

std::string OptionReader::choice(const char* name) const {
  const OptionRow& r = row(name);
  const std::string v = text(name);
  if (v.empty()) return v;
  for (const auto& allowed : r.values)
    if (v == allowed) return v;
  Text message = txt(r.unknown.empty() ? "error.options.unknown_value" : r.unknown,
                     {{"name", name}, {"value", v.substr(0, 24)}, {"values", text_list("list.or", r.values)}});
  if (r.unknown == "error.options.unknown_quant") {  // every quantization but "auto"
    std::vector<std::string> quants(r.values.begin() + 1, r.values.end());
    message.phrases.emplace_back("quants", text_list("list.comma", quants));
  }
  throw Error(code::bad_request, path(name), std::move(message));
}

}  // namespace gpumem
