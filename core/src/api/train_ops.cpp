// The training operations (options.mode == "train"): "estimate", "fit" (the fits-on table and the largest
// batch per GPU) and "sweep" (memory against sequence length). Each reads the request into TrainOptions and
// the config's dropout probabilities through the option schema, then runs estimate_training (training.cpp).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "facade.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/memory/training.hpp"
#include "gpumem/model/config_reader.hpp"
#include "options.hpp"

namespace gpumem {

namespace {

unsigned lora_targets(const OptionReader& r, std::vector<Assumption>& notes) {
  const std::string v = r.text("lora_targets");
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

std::string bitsandbytes_text(uint32_t v) {
  return v == 0 ? std::string("current") : "0." + std::to_string(v / 100) + "." + std::to_string(v % 100);
}

// A training request read into its model, parameter count and options.
struct ParsedTrain {
  NormalizedConfig nc;
  ParamCount params;
  TrainOptions o;
};

ParsedTrain parse_train(const json& req) {
  const json opts = request_options(req);
  ParsedTrain p;
  NormalizedConfig& nc = p.nc;
  nc = request_model(req);
  std::vector<Assumption> ignored;
  const json config = request_config(req, ignored);
  p.params = count_params(nc.model);
  const OptionReader r(opts, mode_train, nc.assumptions);

  TrainOptions& o = p.o;
  o.engine = r.choice("engine", {Engine::hf, Engine::deepspeed});
  if (!r.given("precision"))
    nc.assumptions.push_back({"precision_default", "/options/precision",
                              "No precision recipe was chosen, so automatic mixed precision with bf16 (amp-bf16) "
                              "is assumed."});
  o.precision = r.choice("precision", {Precision::fp32, Precision::amp_fp16, Precision::amp_bf16, Precision::bf16});
  o.optimizer = r.choice("optimizer", {Optimizer::adamw, Optimizer::adamw8bit, Optimizer::paged_adamw8bit,
                                       Optimizer::sgd, Optimizer::sgd_momentum, Optimizer::adafactor, Optimizer::lion,
                                       Optimizer::adam_mini, Optimizer::none});
  o.lora_rank = r.count("lora_rank");
  if (o.lora_rank != 0) o.lora_targets = lora_targets(r, nc.assumptions);
  // a probability in [0, 1); only whether it is 0 changes memory
  o.lora_dropout = r.number("lora_dropout") > 0;
  if (o.lora_rank != 0 && !r.given("lora_dropout"))
    nc.assumptions.push_back({"lora_dropout_default", "/options/lora_dropout",
                              "LoRA dropout is taken as 0 (PEFT's default); scripts often set 0.05 or 0.1, which "
                              "keeps a dropped-out copy of each adapter's input and a one-byte mask."});
  o.quant = r.choice("quant", {QuantMethod::none, QuantMethod::bnb_int8, QuantMethod::bnb_nf4, QuantMethod::bnb_fp4});
  if (o.quant != QuantMethod::none && o.lora_rank == 0)
    throw Error(code::bad_request, "/options/quant",
                "Quantized weights cannot be trained directly; add LoRA adapters (--lora-rank) for QLoRA.");
  o.double_quant = r.flag("double_quant");
  if (o.double_quant && o.quant != QuantMethod::bnb_nf4 && o.quant != QuantMethod::bnb_fp4)
    throw Error(code::bad_request, "/options/double_quant",
                "Double quantization applies to bnb-nf4 and bnb-fp4 frozen weights; choose one with --quant.");
  // PEFT's prepare_model_for_kbit_training, which TRL's SFTTrainer and most QLoRA scripts call, casts every
  // fp16/bf16 parameter bitsandbytes left unquantized (embeddings, lm_head, norms) to fp32.
  o.prepare_kbit = r.flag("prepare_kbit");
  if (o.quant != QuantMethod::none && !r.given("prepare_kbit"))
    nc.assumptions.push_back({"prepare_kbit_default", "/options/prepare_kbit",
                              "The unquantized parameters (embeddings, lm_head, norms) are counted in fp32, as PEFT's "
                              "prepare_model_for_kbit_training leaves them; set prepare_kbit to false if your script "
                              "does not call it."});
  o.runtime.bitsandbytes = request_bitsandbytes_version(r.text("bitsandbytes"));
  o.batch = r.count("batch");
  // The model's context limit (n_ctx_max): the default sequence stays within it; a longer one is refused
  // for learned positions and warned about otherwise (config_reader.cpp).
  {
    const uint64_t limit = nc.model.n_ctx_max;
    const uint64_t dflt = r.count("seq");
    o.seq = r.count("seq", limit != 0 && !r.given("seq") ? std::min(dflt, limit) : dflt);
    if (o.seq < dflt && !r.given("seq"))
      nc.assumptions.push_back({"seq_default_limit", "/options/seq",
                                "The default sequence of " + std::to_string(dflt) +
                                    " tokens exceeds the model's limit (" + nc.model.n_ctx_max_from + "), so " +
                                    std::to_string(o.seq) + " is used."});
    if (const std::string over = context_over_limit(nc.model, o.seq, "/options/seq"); !over.empty())
      nc.assumptions.push_back({"context_above_limit", "/options/seq", over});
  }
  o.grad_accum = r.count("grad_accum");
  o.checkpointing = r.choice("checkpointing", {Checkpointing::none, Checkpointing::selective, Checkpointing::full});
  o.attention = r.choice("attention", {AttentionImpl::eager, AttentionImpl::sdpa, AttentionImpl::flash});
  o.zero = static_cast<unsigned>(r.count("zero"));
  o.tp = r.count("tp");
  // gpus counts all GPUs, tp × data-parallel ranks; without it, one data-parallel rank of tp GPUs.
  o.gpus = r.count("gpus", o.tp);
  o.sequence_parallel = r.flag("sequence_parallel");
  o.loss = r.choice("loss", {Loss::full, Loss::chunked, Loss::sum});
  o.runtime.keep_outputs = r.flag("keep_outputs");
  {
    std::string unsure;
    o.runtime.hf = hf_legacy(nc.model, request_transformers_version(r.text("transformers")), &unsure);
    if (!unsure.empty())
      nc.assumptions.push_back({"hf_behaviour_assumed", "/options/transformers",
                                "Not in gpumem's table of transformers releases: " + unsure + "."});
  }
  o.offload = r.choice("offload", {Offload::none, Offload::optimizer, Offload::params});
  if (o.offload == Offload::params && o.zero != 3)
    throw Error(code::bad_request, "/options/offload",
                "Parameter offload needs ZeRO stage 3 (--zero 3); use --offload optimizer otherwise.");
  o.runtime.legacy_autograd = r.flag("legacy_autograd");
  o.measure = r.choice("measure", {Measure::nvidia_smi, Measure::allocated});
  // CUDA context + kernels as nvidia-smi shows them: the same figure as inference's (hf_context_bytes),
  // 500 MiB with lazy module loading, 1343 MiB without (CUDA 11.2 on a V100, transformers' docs).
  o.runtime.lazy_loading = r.flag("lazy_loading");
  const uint64_t context_mib = hf_context_bytes(o.runtime.lazy_loading) >> 20;
  o.runtime.cuda_context_bytes = r.count("cuda_context_mib", context_mib) * (uint64_t{1} << 20);
  if (o.measure == Measure::nvidia_smi && !r.given("cuda_context_mib"))
    nc.assumptions.push_back(
        {"cuda_context_default", "/options/cuda_context_mib",
         o.runtime.lazy_loading
             ? "The CUDA context is taken as 500 MiB (lazy module loading: CUDA ≥ 11.7 and PyTorch ≥ 2.0, as for "
               "inference); set cuda_context_mib for your driver."
             : "The CUDA context is taken as 1343 MiB (no lazy module loading: CUDA 11.2 on a V100, measured in "
               "transformers' docs); set cuda_context_mib for your driver."});
  // ReLU keeps its output for backward, the same tensor the down projection keeps as its input.
  for (const char* key : {"activation_function", "hidden_act"})
    if (config.contains(key) && config[key].is_string() && config[key].get<std::string>() == "relu") o.relu_mlp = true;
  o.attn_dropout = config_dropout(config, {"attention_probs_dropout_prob", "attention_dropout", "attn_pdrop"});
  o.hidden_dropout = config_dropout(config, {"hidden_dropout_prob", "hidden_dropout", "resid_pdrop", "dropout"});
  nc.assumptions.push_back({"dropout_from_config", "/attention_probs_dropout_prob",
                            std::string("Dropout follows the config: attention dropout ") +
                                (o.attn_dropout ? "on" : "off") + ", residual dropout " +
                                (o.hidden_dropout ? "on" : "off") + " (each keeps a one-byte mask in training)."});
  return p;
}

ojson train_settings_json(const TrainOptions& o, const OptionReader& r) {
  return ObjectBuilder(12)
      .add("engine", engine_id(o.engine))
      .add("precision", r.choice("precision"))
      .add("optimizer", r.choice("optimizer"))
      .add("lora_rank", o.lora_rank)
      .add("quant", quant_id(o.quant))
      .add("batch", o.batch)
      .add("seq", o.seq)
      .add("grad_accum", o.grad_accum)
      .add("checkpointing", r.choice("checkpointing"))
      .add("zero", uint64_t{o.zero})
      .add("gpus", o.gpus)
      .add("tp", o.tp)
      .done();
}

// The memory one GPU offers a training process: the total its runtime reports (core/src/memory/gpus.cpp;
// Apple: Metal's working set).
uint64_t train_capacity(const Gpu& g) { return gpu_total_bytes(g); }

uint64_t train_total(const ParsedTrain& p, TrainOptions o, uint64_t batch) {
  o.batch = batch;
  return estimate_training(p.nc.model, p.params, o).memory.total_bytes;
}

}  // namespace

ojson op_fit_train(const json& req) {
  ParsedTrain p = parse_train(req);
  const json opts = request_options(req);
  std::vector<Assumption> again;  // parse_train recorded the reader's notes
  const OptionReader r(opts, mode_train, again);
  const TrainOptions& o = p.o;
  const TrainEstimate base = estimate_training(p.nc.model, p.params, o);
  p.nc.assumptions.insert(p.nc.assumptions.end(), base.notes.begin(), base.notes.end());
  const uint64_t need = base.memory.total_bytes;
  // gpus_needed: the fewest GPUs, tp × 1, 2, 4, … data-parallel ranks up to 64 GPUs, whose per-GPU total
  // fits (only ZeRO's sharding and offload make more ranks smaller). Computed when a row first asks.
  std::vector<uint64_t> gpu_counts;
  for (uint64_t d = 1; o.tp * d <= 64; d *= 2) gpu_counts.push_back(o.tp * d);
  std::vector<uint64_t> need_at(gpu_counts.size(), 0);
  std::vector<bool> known(gpu_counts.size(), false);
  auto need_with = [&](size_t i) {
    if (!known[i]) {
      TrainOptions og = o;
      og.gpus = gpu_counts[i];
      need_at[i] = estimate_training(p.nc.model, p.params, og).memory.total_bytes;
      known[i] = true;
    }
    return need_at[i];
  };
  ojson table = ojson::array();
  for (const auto& g : gpu_catalogue()) {
    const uint64_t cap = train_capacity(g);
    uint64_t n_needed = 0;
    for (size_t i = 0; i < gpu_counts.size(); ++i)
      if (need_with(i) <= cap) {
        n_needed = gpu_counts[i];
        break;
      }
    const bool fits = need <= cap;
    ObjectBuilder row(10);
    row.add("gpu", g.name)
        .add("vendor", g.vendor)
        .add("kind", g.kind)
        .add("memory", bytes_json(g.bytes))
        .add("usable", bytes_json(cap))
        .add("fits", fits)
        .add("headroom_bytes", fits ? static_cast<int64_t>(cap - need) : -static_cast<int64_t>(need - cap))
        .add("gpus_needed", n_needed)
        .add("source", g.source);
    if (!g.rule.empty()) row.add("by_rule", true);  // usable memory from gpus.cpp's sibling rule
    table.push_back(row.done());
  }
  p.nc.assumptions.push_back(
      {"gpu_total_table", "/options/gpu",
       "The table's usable memory is the total each GPU's runtime reports (torch.cuda.mem_get_info, rocminfo, "
       "Metal's working set); rows marked by_rule have none published and follow a measured sibling (gpumem gpus "
       "--json gives each rule)."});
  ojson out = {{"ok", true}, {"mode", "train"}, {"settings", train_settings_json(o, r)}, {"gpus", o.gpus}};
  out["total_single_gpu"] = bytes_json(need);
  // A catalogue GPU or a custom card (--gpu-memory), which has no row in the table: its verdict is here.
  if (const std::optional<Gpu> g = request_gpu(r)) {
    if (!g->rule.empty()) p.nc.assumptions.push_back({"gpu_total_rule", "/options/gpu", g->rule});
    const uint64_t cap = train_capacity(*g);
    out["gpu"] = g->name;
    out["capacity"] = bytes_json(cap);
    out["fits"] = need <= cap;
    out["headroom_bytes"] = need <= cap ? static_cast<int64_t>(cap - need) : -static_cast<int64_t>(need - cap);
    out["step"] = 1;
    auto fits = [&](uint64_t b) { return train_total(p, o, b) <= cap; };
    if (!fits(1)) {
      out["max_batch"] = 0;
      out["binding"] = "weights";
      out["message"] =
          "Even a batch of 1 does not fit: " + gib(train_total(p, o, 1)) + " per GPU against " + gib(cap) + ".";
    } else {
      // Doubling, then bisection, up to 65,536 sequences per GPU.
      uint64_t lo = 1, hi = 2;
      while (hi <= 65536 && fits(hi)) lo = hi, hi *= 2;
      while (hi - lo > 1) {
        const uint64_t mid = lo + (hi - lo) / 2;
        (fits(mid) ? lo : hi) = mid;
      }
      // What binds: the part that grows the most from lo to 2 lo sequences.
      TrainOptions a = o, b2 = o;
      a.batch = lo;
      b2.batch = 2 * lo;
      const auto ea = estimate_training(p.nc.model, p.params, a).memory,
                 eb = estimate_training(p.nc.model, p.params, b2).memory;
      out["max_batch"] = lo;
      out["binding"] = growing_part(ea, eb);
      out["total_at_max"] = bytes_json(ea.total_bytes);
    }
  }
  out["table"] = std::move(table);
  out["assumptions"] = assumptions_json(p.nc.assumptions);
  return out;
}

ojson op_sweep_train(const json& req) {
  ParsedTrain p = parse_train(req);
  const json opts = request_options(req);
  std::vector<Assumption> again;
  const OptionReader r(opts, mode_train, again);
  const uint64_t points = r.count("points");
  // 2 × seq, within the model's context limit.
  uint64_t max_seq = r.count("max_seq", mul(2, p.o.seq));
  if (!r.given("max_seq") && p.nc.model.n_ctx_max != 0) max_seq = std::min(max_seq, p.nc.model.n_ctx_max);
  ojson list = ojson::array();
  for (uint64_t i = 1; i <= points; ++i) {
    TrainOptions o = p.o;
    o.seq = std::max<uint64_t>(1, max_seq * i / points);
    const TrainEstimate e = estimate_training(p.nc.model, p.params, o);
    ojson parts = ojson::object();
    for (const auto& part : e.memory.parts) parts[part.id] = part.bytes;
    list.push_back(ObjectBuilder(4)
                       .add("seq", o.seq)
                       .add("total_bytes", e.memory.total_bytes)
                       .add("gib", to_gib(e.memory.total_bytes))
                       .add("parts", std::move(parts))
                       .done());
  }
  return {{"ok", true},
          {"mode", "train"},
          {"settings", train_settings_json(p.o, r)},
          {"points", std::move(list)},
          {"assumptions", assumptions_json(p.nc.assumptions)}};
}

ojson op_estimate_train(const json& req) {
  ParsedTrain p = parse_train(req);
  NormalizedConfig& nc = p.nc;
  const ParamCount& params = p.params;
  const TrainOptions& o = p.o;
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
            {"keep_outputs", o.runtime.keep_outputs},
            {"prepare_kbit", o.quant != QuantMethod::none && o.prepare_kbit},
            {"bitsandbytes", bitsandbytes_text(o.runtime.bitsandbytes)},
            {"loss_chunk_tokens", e.loss_chunk_tokens}}},
          {"memory", out_mem},
          {"assumptions", assumptions_json(nc.assumptions)}};
}

}  // namespace gpumem
