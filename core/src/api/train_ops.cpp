// The training operations (options.mode == "train"): "estimate", "fit" (the fits-on table and the largest
// batch per GPU) and "sweep" (memory against sequence length). Each reads the request into TrainOptions and
// the config's dropout probabilities through the option schema, then runs estimate_training (training.cpp).
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "facade.hpp"
#include "fit_ops.hpp"
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
    notes.push_back({"lora_targets_default", "/options/lora_targets", txt("assume.lora_targets_default")});
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
                  txt("error.options.lora_target", {{"value", name.substr(0, 24)}}));
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

}  // namespace

// A training request read into its model, parameter count and options (the config read once, fit_ops.hpp).
ParsedTrain parse_train(const RequestModel& in, const ParamCount& params, const json& opts) {
  ParsedTrain p;
  NormalizedConfig& nc = p.nc;
  nc = in.nc;
  const json& config = in.config;
  p.params = params;
  const OptionReader r(opts, mode_train, nc.assumptions);

  TrainOptions& o = p.o;
  o.engine = r.choice("engine", {Engine::hf, Engine::deepspeed});
  // A catalogue card without hardware bf16 (gpus.cpp): T4, V100, TITAN RTX, Apple M1.
  const Gpu* card = r.given("gpu_memory") ? nullptr : find_gpu(r.text("gpu"));
  const bool no_bf16 = card != nullptr && !card->bf16;
  o.precision = r.choice("precision", {Precision::fp32, Precision::amp_fp16, Precision::amp_bf16, Precision::bf16});
  if (!r.given("precision") && no_bf16) {
    o.precision = Precision::amp_fp16;
    nc.assumptions.push_back(
        {"precision_no_bf16", "/options/precision", txt("assume.precision_no_bf16", {{"gpu", card->name}})});
  } else if (!r.given("precision")) {
    nc.assumptions.push_back({"precision_default", "/options/precision", txt("assume.precision_default")});
  } else if (no_bf16 && (o.precision == Precision::amp_bf16 || o.precision == Precision::bf16)) {
    nc.assumptions.push_back({"bf16_unsupported_gpu", "/options/precision",
                              txt("assume.bf16_unsupported_gpu.train", {{"gpu", card->name}})});
  }
  o.optimizer = r.choice("optimizer", {Optimizer::adamw, Optimizer::adamw8bit, Optimizer::paged_adamw8bit,
                                       Optimizer::sgd, Optimizer::sgd_momentum, Optimizer::adafactor, Optimizer::lion,
                                       Optimizer::adam_mini, Optimizer::none});
  o.quant = r.choice("quant", {QuantMethod::none, QuantMethod::bnb_int8, QuantMethod::bnb_nf4, QuantMethod::bnb_fp4});
  o.lora_rank = r.count("lora_rank", 0);
  if (o.quant != QuantMethod::none && !r.given("lora_rank")) {
    // QLoRA without a rank: PEFT's LoraConfig default (r = 8, peft/tuners/lora/config.py).
    o.lora_rank = 8;
    nc.assumptions.push_back({"lora_rank_default", "/options/lora_rank", txt("assume.lora_rank_default")});
  }
  if (o.lora_rank != 0) o.lora_targets = lora_targets(r, nc.assumptions);
  // a probability in [0, 1); only whether it is 0 changes memory
  o.lora_dropout = r.number("lora_dropout") > 0;
  if (o.lora_rank != 0 && !r.given("lora_dropout"))
    nc.assumptions.push_back({"lora_dropout_default", "/options/lora_dropout", txt("assume.lora_dropout_default")});
  if (o.quant != QuantMethod::none && o.lora_rank == 0)
    throw Error(code::bad_request, "/options/quant", txt("error.train.quant_needs_lora"));
  o.double_quant = r.flag("double_quant");
  if (o.double_quant && o.quant != QuantMethod::bnb_nf4 && o.quant != QuantMethod::bnb_fp4)
    throw Error(code::bad_request, "/options/double_quant", txt("error.train.double_quant"));
  // PEFT's prepare_model_for_kbit_training, which TRL's SFTTrainer and most QLoRA scripts call, casts every
  // fp16/bf16 parameter bitsandbytes left unquantized (embeddings, lm_head, norms) to fp32.
  o.prepare_kbit = r.flag("prepare_kbit");
  if (o.quant != QuantMethod::none && !r.given("prepare_kbit"))
    nc.assumptions.push_back({"prepare_kbit_default", "/options/prepare_kbit", txt("assume.prepare_kbit_default")});
  o.runtime.bitsandbytes = request_bitsandbytes_version(r.text("bitsandbytes"));
  o.batch = r.count("batch");
  // The model's context limit (n_ctx_max): the default sequence stays within it; a longer one is refused
  // for learned positions and warned about otherwise (config_reader.cpp).
  {
    const uint64_t limit = nc.model.n_ctx_max;
    const uint64_t dflt = r.count("seq");
    o.seq = r.count("seq", limit != 0 && !r.given("seq") ? std::min(dflt, limit) : dflt);
    if (o.seq < dflt && !r.given("seq"))
      nc.assumptions.push_back(
          {"seq_default_limit", "/options/seq",
           txt("assume.seq_default_limit", {{"default", dflt}, {"from", nc.model.n_ctx_max_why}, {"seq", o.seq}})});
    if (Text over = context_over_limit_text(nc.model, o.seq, "/options/seq"); !over.empty())
      nc.assumptions.push_back({"context_above_limit", "/options/seq", std::move(over)});
  }
  o.grad_accum = r.count("grad_accum");
  o.checkpointing = r.choice("checkpointing", {Checkpointing::none, Checkpointing::selective, Checkpointing::full});
  if (o.quant != QuantMethod::none && o.prepare_kbit && !r.given("checkpointing")) {
    // prepare_model_for_kbit_training(model, use_gradient_checkpointing=True) (peft/utils/other.py) turns on
    // transformers' gradient checkpointing: every decoder layer.
    o.checkpointing = Checkpointing::full;
    nc.assumptions.push_back(
        {"checkpointing_kbit_default", "/options/checkpointing", txt("assume.checkpointing_kbit_default")});
  }
  o.attention = r.choice("attention", {AttentionImpl::eager, AttentionImpl::sdpa, AttentionImpl::flash});
  o.zero = static_cast<unsigned>(r.count("zero"));
  o.tp = r.count("tp");
  // gpus counts all GPUs, tp × data-parallel ranks; without it, one data-parallel rank of tp GPUs.
  o.gpus = r.count("gpus", o.tp);
  if (o.zero >= 1 && !r.given("gpus"))
    nc.assumptions.push_back(
        {"zero_one_gpu", "/options/gpus",
         txt(o.gpus == 1 ? "assume.zero_one_gpu" : "assume.zero_one_gpu.tp", {{"zero", o.zero}, {"gpus", o.gpus}})});
  o.sequence_parallel = r.flag("sequence_parallel");
  o.loss = r.choice("loss", {Loss::full, Loss::chunked, Loss::sum});
  o.runtime.keep_outputs = r.flag("keep_outputs");
  {
    Text unsure;
    o.runtime.hf = hf_legacy(nc.model, request_transformers_version(r.text("transformers")), &unsure);
    if (!unsure.empty())
      nc.assumptions.push_back(
          {"hf_behaviour_assumed", "/options/transformers", txt("assume.hf_behaviour_assumed", {{"unsure", unsure}})});
  }
  o.offload = r.choice("offload", {Offload::none, Offload::optimizer, Offload::params});
  if (o.offload == Offload::params && o.zero != 3)
    throw Error(code::bad_request, "/options/offload", txt("error.train.offload_params"));
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
         txt(o.runtime.lazy_loading ? "assume.cuda_context_default.lazy" : "assume.cuda_context_default.eager")});
  // ReLU keeps its output for backward, the same tensor the down projection keeps as its input.
  for (const char* key : {"activation_function", "hidden_act"})
    if (config.contains(key) && config[key].is_string() && config[key].get<std::string>() == "relu") o.relu_mlp = true;
  o.attn_dropout = config_dropout(config, {"attention_probs_dropout_prob", "attention_dropout", "attn_pdrop"});
  o.hidden_dropout = config_dropout(config, {"hidden_dropout_prob", "hidden_dropout", "resid_pdrop", "dropout"});
  nc.assumptions.push_back(
      {"dropout_from_config", "/attention_probs_dropout_prob",
       txt("assume.dropout_from_config", {{"attn", txt(o.attn_dropout ? "phrase.on" : "phrase.off")},
                                          {"hidden", txt(o.hidden_dropout ? "phrase.on" : "phrase.off")}})});
  return p;
}

namespace {

ParsedTrain read_train(const json& req) {
  const RequestModel in = read_request_model(req);
  return parse_train(in, count_params(in.nc.model), request_options(req));
}

ojson train_settings_json(const TrainOptions& o, const OptionReader& r) {
  return ObjectBuilder(12)
      .add("engine", engine_id(o.engine))
      .add("precision", o.precision == Precision::fp32       ? "fp32"
                        : o.precision == Precision::amp_fp16 ? "amp-fp16"
                        : o.precision == Precision::amp_bf16 ? "amp-bf16"
                                                             : "bf16")
      .add("optimizer", r.choice("optimizer"))
      .add("lora_rank", o.lora_rank)
      .add("quant", quant_id(o.quant))
      .add("batch", o.batch)
      .add("seq", o.seq)
      .add("grad_accum", o.grad_accum)
      .add("checkpointing", o.checkpointing == Checkpointing::full        ? "full"
                            : o.checkpointing == Checkpointing::selective ? "selective"
                                                                          : "none")
      .add("zero", uint64_t{o.zero})
      .add("gpus", o.gpus)
      .add("tp", o.tp)
      .done();
}

uint64_t train_total(const ParsedTrain& p, TrainOptions o, uint64_t batch) {
  o.batch = batch;
  return estimate_training(p.nc.model, p.params, o).memory.total_bytes;
}

}  // namespace

// The memory one GPU offers a training process: the total its runtime reports (core/src/memory/gpus.cpp;
// Apple: Metal's working set).
uint64_t train_capacity(const Gpu& g) { return gpu_total_bytes(g); }

TrainSolve solve_train(const ParsedTrain& p, uint64_t cap) {
  TrainSolve s;
  s.total_at_one = train_total(p, p.o, 1);
  if (s.total_at_one > cap) {
    s.binding = "weights";
    return s;
  }
  auto fits = [&](uint64_t b) { return train_total(p, p.o, b) <= cap; };
  // Doubling, then bisection, up to 65,536 sequences per GPU.
  uint64_t lo = 1, hi = 2;
  while (hi <= 65536 && fits(hi)) lo = hi, hi *= 2;
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    (fits(mid) ? lo : hi) = mid;
  }
  // What binds: the part that grows the most from lo to 2 lo sequences.
  TrainOptions a = p.o, b2 = p.o;
  a.batch = lo;
  b2.batch = 2 * lo;
  const auto ea = estimate_training(p.nc.model, p.params, a).memory,
             eb = estimate_training(p.nc.model, p.params, b2).memory;
  s.max_batch = lo;
  s.binding = growing_part(ea, eb);
  s.total_at_max = ea.total_bytes;
  return s;
}

ojson op_fit_train(const json& req) {
  ParsedTrain p = read_train(req);
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
  p.nc.assumptions.push_back({"gpu_total_table", "/options/gpu", txt("assume.gpu_total_table")});
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
    const TrainSolve sv = solve_train(p, cap);  // shared with advise
    out["max_batch"] = sv.max_batch;
    out["binding"] = sv.binding;
    if (sv.max_batch == 0)
      set_message(out, txt("fit.train.nothing_fits", {{"total", gib(sv.total_at_one)}, {"capacity", gib(cap)}}));
    else
      out["total_at_max"] = bytes_json(sv.total_at_max);
  }
  out["table"] = std::move(table);
  out["assumptions"] = assumptions_json(p.nc.assumptions);
  return out;
}

ojson op_sweep_train(const json& req) {
  ParsedTrain p = read_train(req);
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
  ParsedTrain p = read_train(req);
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
      out_mem["typical_peak_formula_text"] = text_json(e.typical_formula_text);
      const Text measurement =
          txt(o.measure == Measure::nvidia_smi ? "train.measurement.nvidia_smi" : "train.measurement.allocated");
      out_mem["measurement"] = render(measurement);
      out_mem["measurement_text"] = text_json(measurement);
      out_mem["cpu_bytes"] = e.cpu_bytes;
    }
  }
  return {
      {"ok", true},
      {"model", model_json(nc.model)},
      {"params", params_json(params)},
      {"mode", "train"},
      {"training",
       {{"recipe", e.recipe},
        {"recipe_text", text_json(e.recipe_text)},
        {"bytes_per_param", e.bytes_per_param},
        {"bytes_per_param_text", e.bytes_per_param_text.empty() ? ojson(nullptr) : text_json(e.bytes_per_param_text)},
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
