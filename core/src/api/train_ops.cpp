// The "estimate" operation with options.mode == "train": reads the request into TrainOptions and the
// config's dropout probabilities, then runs estimate_training (training.cpp).
#include <string>
#include <utility>
#include <vector>

#include "facade.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/memory/training.hpp"

namespace gpumem {

namespace {

template <typename E>
E pick(const json& opts, const char* key, E fallback, const std::vector<std::pair<const char*, E>>& names) {
  const std::string path = std::string("/options/") + key;
  const std::string v = request_string(opts, key, path);
  if (v.empty()) return fallback;
  for (const auto& [n, e] : names)
    if (v == n) return e;
  std::string list;
  for (const auto& [n, e] : names) list += (list.empty() ? "" : ", ") + std::string(n);
  throw Error(code::bad_request, path,
              "Unknown " + std::string(key) + " \"" + v.substr(0, 24) + "\"; use " + list + ".");
}

// A positive integer given as a number or as a decimal string (the CLI passes strings).
uint64_t count_opt(const json& opts, const char* key, uint64_t fallback, uint64_t min_value) {
  const std::string path = std::string("/options/") + key;
  auto it = opts.find(key);
  if (it == opts.end() || it->is_null()) return fallback;
  uint64_t v = 0;
  if (it->is_number_unsigned()) {
    v = it->get<uint64_t>();
  } else if (it->is_string()) {
    const std::string s = it->get<std::string>();
    if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos)
      throw Error(code::bad_request, path, std::string(key) + " must be a whole number, e.g. 4.");
    v = std::stoull(s);
  } else {
    throw Error(code::bad_request, path, std::string(key) + " must be a whole number, e.g. 4.");
  }
  if (v < min_value || v > 100000000)
    throw Error(code::bad_request, path,
                std::string(key) + " must be between " + std::to_string(min_value) + " and 100,000,000.");
  return v;
}

// "0.43.1" → 4301, "0.39" → 3900; "current" (or absent) → 0. Releases from 1.0 on keep nothing extra.
uint32_t bitsandbytes_version(const json& opts) {
  const std::string v = request_string(opts, "bitsandbytes", "/options/bitsandbytes");
  if (v.empty() || v == "current") return 0;
  unsigned major = 0, minor = 0, patch = 0;
  if (!parse_release(v, major, minor, patch))
    throw Error(code::bad_request, "/options/bitsandbytes",
                "bitsandbytes must be a version such as 0.43.1 (or \"current\").");
  return major >= 1 ? 0 : minor * 100 + patch;
}

unsigned lora_targets(const json& opts, std::vector<Assumption>& notes) {
  std::string v = request_string(opts, "lora_targets", "/options/lora_targets");
  if (v.empty()) {
    notes.push_back({"lora_targets_default", "/options/lora_targets",
                     "No LoRA targets were given, so q_proj and v_proj are adapted (PEFT's default for Llama)."});
    return lora_q | lora_v;
  }
  if (v == "all-linear") return lora_all;
  static const std::vector<std::pair<const char*, unsigned>> kNames = {
      {"q_proj", lora_q},       {"k_proj", lora_k},   {"v_proj", lora_v},      {"o_proj", lora_o},
      {"gate_proj", lora_gate}, {"up_proj", lora_up}, {"down_proj", lora_down}};
  unsigned bits = 0;
  size_t start = 0;
  while (start <= v.size()) {
    const size_t end = std::min(v.find(',', start), v.size());
    const std::string name = v.substr(start, end - start);
    bool found = false;
    for (const auto& [n, b] : kNames)
      if (name == n) bits |= b, found = true;
    if (!found)
      throw Error(code::bad_request, "/options/lora_targets",
                  "Unknown LoRA target \"" + name.substr(0, 24) +
                      "\"; use all-linear or a comma list of q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, "
                      "down_proj.");
    start = end + 1;
  }
  return bits;
}

// Dropout probabilities as transformers' configs name them; > 0 means a mask is kept in training.
bool config_dropout(const json& config, std::initializer_list<const char*> keys) {
  const json* c = &config;
  if (config.contains("text_config") && config["text_config"].is_object()) c = &config["text_config"];
  for (const char* k : keys) {
    auto it = c->find(k);
    if (it != c->end() && it->is_number()) return it->get<double>() > 0.0;
  }
  return false;
}

}  // namespace

ojson op_estimate_train(const json& req) {
  const json opts = request_options(req);
  NormalizedConfig nc = request_model(req);
  std::vector<Assumption> ignored;
  const json config = request_config(req, ignored);
  ParamCount params = count_params(nc.model);

  TrainOptions o;
  o.engine = pick<Engine>(opts, "engine", Engine::hf, {{"hf", Engine::hf}, {"deepspeed", Engine::deepspeed}});
  if (request_string(opts, "precision", "/options/precision").empty())
    nc.assumptions.push_back({"precision_default", "/options/precision",
                              "No precision recipe was chosen, so automatic mixed precision with bf16 (amp-bf16) "
                              "is assumed."});
  o.precision = pick<Precision>(opts, "precision", Precision::amp_bf16,
                                {{"fp32", Precision::fp32},
                                 {"amp-fp16", Precision::amp_fp16},
                                 {"amp-bf16", Precision::amp_bf16},
                                 {"bf16", Precision::bf16}});
  o.optimizer = pick<Optimizer>(opts, "optimizer", Optimizer::adamw,
                                {{"adamw", Optimizer::adamw},
                                 {"adamw8bit", Optimizer::adamw8bit},
                                 {"paged-adamw8bit", Optimizer::paged_adamw8bit},
                                 {"sgd", Optimizer::sgd},
                                 {"sgd-momentum", Optimizer::sgd_momentum},
                                 {"adafactor", Optimizer::adafactor},
                                 {"lion", Optimizer::lion},
                                 {"adam-mini", Optimizer::adam_mini},
                                 {"none", Optimizer::none}});
  o.lora_rank = count_opt(opts, "lora_rank", 0, 0);
  if (o.lora_rank != 0) o.lora_targets = lora_targets(opts, nc.assumptions);
  // a probability in [0, 1); only whether it is 0 changes memory
  const double dropout = request_number(opts, "lora_dropout", 0);
  if (!(dropout >= 0 && dropout < 1))
    throw Error(code::bad_request, "/options/lora_dropout", "lora_dropout must be a probability in [0, 1), e.g. 0.05.");
  o.lora_dropout = dropout > 0;
  if (o.lora_rank != 0 && !opts.contains("lora_dropout"))
    nc.assumptions.push_back({"lora_dropout_default", "/options/lora_dropout",
                              "LoRA dropout is taken as 0 (PEFT's default); scripts often set 0.05 or 0.1, which "
                              "keeps a dropped-out copy of each adapter's input and a one-byte mask."});
  const std::string quant = request_string(opts, "quant", "/options/quant");
  if (!quant.empty() && quant != "none") {
    auto q = find_quant(quant);
    if (!q || (*q != QuantMethod::bnb_int8 && *q != QuantMethod::bnb_nf4 && *q != QuantMethod::bnb_fp4))
      throw Error(code::bad_request, "/options/quant",
                  "Training quantizes the frozen base with bitsandbytes only; use none, bnb-int8, bnb-nf4 or bnb-fp4.");
    if (o.lora_rank == 0)
      throw Error(code::bad_request, "/options/quant",
                  "Quantized weights cannot be trained directly; add LoRA adapters (--lora-rank) for QLoRA.");
    o.quant = *q;
  }
  o.double_quant = request_bool(opts, "double_quant", false);
  if (o.double_quant && o.quant != QuantMethod::bnb_nf4 && o.quant != QuantMethod::bnb_fp4)
    throw Error(code::bad_request, "/options/double_quant",
                "Double quantization applies to bnb-nf4 and bnb-fp4 frozen weights; choose one with --quant.");
  // PEFT's prepare_model_for_kbit_training, which TRL's SFTTrainer and most QLoRA scripts call, casts every
  // fp16/bf16 parameter bitsandbytes left unquantized (embeddings, lm_head, norms) to fp32.
  o.prepare_kbit = request_bool(opts, "prepare_kbit", true);
  if (o.quant != QuantMethod::none && !opts.contains("prepare_kbit"))
    nc.assumptions.push_back({"prepare_kbit_default", "/options/prepare_kbit",
                              "The unquantized parameters (embeddings, lm_head, norms) are counted in fp32, as PEFT's "
                              "prepare_model_for_kbit_training leaves them; set prepare_kbit to false if your script "
                              "does not call it."});
  o.bnb_version = bitsandbytes_version(opts);
  o.batch = count_opt(opts, "batch", 1, 1);
  o.seq = count_opt(opts, "seq", 512, 1);
  o.grad_accum = count_opt(opts, "grad_accum", 1, 1);
  o.checkpointing = pick<Checkpointing>(
      opts, "checkpointing", Checkpointing::none,
      {{"none", Checkpointing::none}, {"selective", Checkpointing::selective}, {"full", Checkpointing::full}});
  o.attention = pick<AttentionImpl>(
      opts, "attention", AttentionImpl::sdpa,
      {{"eager", AttentionImpl::eager}, {"sdpa", AttentionImpl::sdpa}, {"flash", AttentionImpl::flash}});
  o.zero = static_cast<unsigned>(count_opt(opts, "zero", 0, 0));
  if (o.zero > 3) throw Error(code::bad_request, "/options/zero", "zero must be 0, 1, 2 or 3.");
  o.tp = count_opt(opts, "tp", 1, 1);
  // gpus counts all GPUs, tp × data-parallel ranks; without it, one data-parallel rank of tp GPUs.
  o.gpus = count_opt(opts, "gpus", o.tp, 1);
  o.sequence_parallel = request_bool(opts, "sequence_parallel", false);
  o.loss = pick<Loss>(opts, "loss", Loss::full, {{"full", Loss::full}, {"chunked", Loss::chunked}, {"sum", Loss::sum}});
  o.keep_outputs = request_bool(opts, "keep_outputs", false);
  {
    std::string unsure;
    o.legacy = hf_legacy(nc.model, request_transformers_version(opts), &unsure);
    if (!unsure.empty())
      nc.assumptions.push_back({"hf_behaviour_assumed", "/options/transformers",
                                "Not in gpumem's table of transformers releases: " + unsure + "."});
  }
  o.offload = pick<Offload>(opts, "offload", Offload::none,
                            {{"none", Offload::none}, {"optimizer", Offload::optimizer}, {"params", Offload::params}});
  if (o.offload == Offload::params && o.zero != 3)
    throw Error(code::bad_request, "/options/offload",
                "Parameter offload needs ZeRO stage 3 (--zero 3); use --offload optimizer otherwise.");
  o.legacy_autograd = request_bool(opts, "legacy_autograd", false);
  o.measure = pick<Measure>(opts, "measure", Measure::nvidia_smi,
                            {{"nvidia-smi", Measure::nvidia_smi}, {"allocated", Measure::allocated}});
  // CUDA context + kernels as nvidia-smi shows them: 1343 MiB measured with CUDA 11.2 on a V100 in
  // transformers' "Efficient Training on a Single GPU" (tests/fixtures/measurements.json); override
  // with cuda_context_mib for other drivers (CUDA 12's lazy loading makes it smaller).
  const bool ctx_given = opts.contains("cuda_context_mib");
  o.cuda_context_bytes = count_opt(opts, "cuda_context_mib", 1343, 0) * (uint64_t{1} << 20);
  if (o.measure == Measure::nvidia_smi && !ctx_given)
    nc.assumptions.push_back({"cuda_context_default", "/options/cuda_context_mib",
                              "The CUDA context is taken as 1343 MiB (CUDA 11.2, V100, measured in transformers' "
                              "docs); set cuda_context_mib for your driver."});
  // ReLU keeps its output for backward, the same tensor the down projection keeps as its input.
  for (const char* key : {"activation_function", "hidden_act"})
    if (config.contains(key) && config[key].is_string() && config[key].get<std::string>() == "relu") o.relu_mlp = true;
  o.attn_dropout = config_dropout(config, {"attention_probs_dropout_prob", "attention_dropout", "attn_pdrop"});
  o.hidden_dropout = config_dropout(config, {"hidden_dropout_prob", "hidden_dropout", "resid_pdrop", "dropout"});
  nc.assumptions.push_back({"dropout_from_config", "/attention_probs_dropout_prob",
                            std::string("Dropout follows the config: attention dropout ") +
                                (o.attn_dropout ? "on" : "off") + ", residual dropout " +
                                (o.hidden_dropout ? "on" : "off") + " (each keeps a one-byte mask in training)."});

  TrainEstimate e = estimate_training(nc.model, params, o);
  nc.assumptions.insert(nc.assumptions.end(), e.notes.begin(), e.notes.end());

  ojson mem = memory_json(e.memory);
  ojson out_mem;
  for (auto& [k, v] : mem.items()) {
    out_mem[k] = v;
    if (k == "gb_h") {
      out_mem["typical_peak_bytes"] = e.typical_peak_bytes;
      ojson tp = bytes_json(e.typical_peak_bytes);
      out_mem["typical_peak_gib_h"] = tp["gib_h"];
      out_mem["typical_peak_formula"] = e.typical_formula;
      out_mem["measurement"] = o.measure == Measure::nvidia_smi
                                   ? "per GPU, as nvidia-smi shows it (CUDA context included)"
                                   : "per GPU, as torch.cuda.max_memory_allocated reports it (no CUDA context, no "
                                     "allocator cache)";
      out_mem["cpu_bytes"] = e.cpu_bytes;
    }
  }
  return {{"ok", true},
          {"model", model_json(nc.model)},
          {"params", params_json(params)},
          {"mode", "train"},
          {"training",
           {{"recipe", e.recipe},
            {"bytes_per_param", e.bytes_per_param},
            {"trainable_params", e.trainable_params},
            {"frozen_params", e.frozen_params},
            {"batch", o.batch},
            {"seq", o.seq},
            {"grad_accum", o.grad_accum},
            {"gpus", o.gpus},
            {"tp", o.tp},
            {"dp", e.dp},
            {"sequence_parallel", o.sequence_parallel},
            {"loss", o.loss == Loss::chunked ? "chunked"
                     : o.loss == Loss::sum   ? "sum"
                                             : "full"},
            {"keep_outputs", o.keep_outputs},
            {"prepare_kbit", o.quant != QuantMethod::none && o.prepare_kbit},
            {"bitsandbytes", o.bnb_version == 0 ? std::string("current")
                                                : "0." + std::to_string(o.bnb_version / 100) + "." +
                                                      std::to_string(o.bnb_version % 100)},
            {"loss_chunk_tokens", e.loss_chunk_tokens}}},
          {"memory", out_mem},
          {"assumptions", assumptions_json(nc.assumptions)}};
}

}  // namespace gpumem
