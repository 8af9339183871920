// The inference operations: "estimate" in inference mode (the default), "fit" (fits-on table and the
// inverse solver), "gpus" (the catalogue) and "sweep" (memory against context length).
#include <algorithm>
#include <cmath>
#include <iterator>
#include <vector>

#include "facade.hpp"
#include "fit_ops.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/support.hpp"
#include "gpumem/model/config_reader.hpp"
#include "llamacpp_ops.hpp"
#include "options.hpp"
#include "vllm_ops.hpp"

namespace gpumem {

namespace {

using Parsed = ParsedInference;

// What each engine does with a context past the model's limit (for RoPE, relative and ALiBi positions; learned
// ones are refused by context_over_limit). Their sources: vLLM raises unless told otherwise; llama-server
// warns and caps each slot; transformers only warns from generate.
Text engine_on_long_context(Engine e) {
  switch (e) {
    case Engine::vllm:
      return txt("phrase.long_context.vllm");
    case Engine::llamacpp:
      return txt("phrase.long_context.llamacpp");
    default:
      return txt("phrase.long_context.hf");
  }
}

}  // namespace

std::string default_load_dtype(Engine e, bool no_bf16) {
  if (e == Engine::vllm) return no_bf16 ? "fp16" : "bf16";
  if (e == Engine::llamacpp) return "fp16";
  return "fp32";
}

Text load_dtype_note(Engine e, const std::string& dtype) {
  if (e == Engine::vllm) return txt("assume.dtype_default_engine.vllm", {{"dtype", dtype}});
  if (e == Engine::llamacpp) return txt("assume.dtype_default_engine.llamacpp");
  return txt("assume.dtype_default_engine.hf");
}

RequestModel read_request_model(const json& req) {
  RequestModel in;
  ConfigRead read = read_request_config(req);
  in.config = std::move(read.config);
  in.nc = std::move(read.nc);
  if (const auto it = req.find("checkpoint"); it != req.end() && !it->is_null())
    in.checkpoint = std::make_shared<const CheckpointWeights>(read_checkpoint_weights(*it));
  return in;
}

namespace {

// Whether the engine loads the checkpoint's tensors as they are stored, so the weights part can be their
// bytes (checkpoint.hpp) instead of the layout computed from the config: the weight format must be the
// checkpoint's own (no --quant conversion; safetensors for transformers and vLLM, which load them as stored —
// pre-quantized ones per their quantization_config — and a GGUF for llama.cpp, which maps its tensors as they
// are, llama-model-loader.cpp), in the width the engine loads unquantized tensors in, and the model must be
// placed whole or tensor-parallel (a pipeline or device_map split is computed per layer from the config).
// Either way the user reads which figure was used and why.
void apply_checkpoint(const RequestModel& in, ParsedInference& p, bool quant_given, bool converted) {
  if (!in.checkpoint) return;
  const CheckpointWeights& c = *in.checkpoint;
  const ModelSpec& m = p.nc.model;
  InferenceOptions& o = p.o;
  auto unused = [&](Text why) {
    p.nc.assumptions.push_back({"checkpoint_unused", "/checkpoint",
                                txt("assume.checkpoint_unused", {{"file", c.file}, {"why", std::move(why)}})});
  };
  if (c.format == "gguf" && o.engine != Engine::llamacpp) return unused(txt("phrase.checkpoint_unused.gguf_engine"));
  if (c.format == "safetensors" && o.engine == Engine::llamacpp)
    return unused(txt("phrase.checkpoint_unused.safetensors_llamacpp"));
  if (quant_given || converted)
    return unused(txt("phrase.checkpoint_unused.quant", {{"quant", quant_id(o.quant.method)}}));
  if (o.pp > 1 || o.device_map != DeviceMapKind::none) return unused(txt("phrase.checkpoint_unused.split"));
  if (m.n_layer_enc != 0) return unused(txt("phrase.checkpoint_unused.encoder"));
  uint64_t present = 0;
  for (uint64_t il = 0; il < m.n_layer && il < c.layers.size(); ++il) present += c.layers[il].bytes != 0 ? 1 : 0;
  if (present != m.n_layer)
    return unused(txt("phrase.checkpoint_unused.layers", {{"present", present}, {"n_layer", m.n_layer}}));
  if (c.format == "safetensors" && o.quant.method == QuantMethod::none) {
    // Unquantized: every tensor must already be in the load width (a BF16 checkpoint loaded in fp32 doubles).
    for (const auto& [dtype, bytes] : c.dtypes) {
      const bool same = (o.dtype_bits == 16 && (dtype == "BF16" || dtype == "F16")) ||
                        (o.dtype_bits == 32 && dtype == "F32") || (o.dtype_bits == 64 && dtype == "F64");
      if (!same && bytes != 0)
        return unused(txt("phrase.checkpoint_unused.dtype", {{"stored", dtype}, {"dtype", o.dtype}}));
    }
  }
  QuantSpec q = o.quant;
  q.base_bits = o.dtype_bits;
  const uint64_t computed = quantized_weights(m, q).bytes;
  o.checkpoint = in.checkpoint;
  const uint64_t stored = add(add(c.embd_bytes, c.outside_bytes), [&] {
    uint64_t n = 0;
    for (uint64_t il = 0; il < m.n_layer; ++il) n = add(n, c.layers[il].bytes);
    return n;
  }());
  const uint64_t diff = stored > computed ? stored - computed : computed - stored;
  p.nc.assumptions.push_back({"checkpoint_weights", "/checkpoint",
                              txt(stored == computed ? "assume.checkpoint_weights.same" : "assume.checkpoint_weights",
                                  {{"file", c.file},
                                   {"bytes", with_commas(stored)},
                                   {"computed", with_commas(computed)},
                                   {"diff", (stored > computed ? "+" : "−") + with_commas(diff)}})});
}

}  // namespace

ParsedInference parse_inference(const RequestModel& in, const json& options) {
  const json& config = in.config;
  Parsed p;
  p.nc = in.nc;
  const ModelSpec& m = p.nc.model;
  InferenceOptions& o = p.o;
  const OptionReader r(options, mode_inference, p.nc.assumptions);

  o.engine = r.choice("engine", {Engine::hf, Engine::vllm, Engine::llamacpp});

  std::string dtype = r.choice("dtype");
  // transformers with bitsandbytes and no torch_dtype: the bnb quantizers' update_torch_dtype loads in fp16
  // ("Overriding torch_dtype=None with torch_dtype=torch.float16 due to requirements of bitsandbytes") — in
  // every 4.x release, whose from_pretrained has no "auto" default, and in any release when the config names no
  // torch_dtype to use.
  const bool bnb_load = [&] {
    if (o.engine != Engine::hf) return false;
    const std::string qr = r.choice("quant");
    if (qr.rfind("bnb-", 0) == 0) return true;
    if (!qr.empty() && qr != "auto") return false;
    const auto it = config.find("quantization_config");
    return it != config.end() && it->is_object() && it->value("quant_method", "") == "bitsandbytes";
  }();
  const bool release_4x = request_transformers_version(r.text("transformers")) != 0;
  if ((dtype.empty() || dtype == "auto") && bnb_load && (release_4x || dtype_from_torch(m.torch_dtype).empty())) {
    dtype = "fp16";
    p.nc.assumptions.push_back({"bnb_fp16_load", "/options/dtype", txt("assume.bnb_fp16_load")});
  }
  // A catalogue card without hardware bf16 (gpus.cpp): vLLM's dtype auto falls back to fp16 on it.
  const Gpu* card = r.given("gpu_memory") ? nullptr : find_gpu(r.text("gpu"));
  const bool no_bf16 = card != nullptr && !card->bf16;
  if (dtype.empty() || dtype == "auto") {
    dtype = dtype_from_torch(m.torch_dtype);
    if (dtype.empty()) {
      // No torch_dtype: the dtype the engine itself would load (docs/ESTIMATION.md, "Load dtype without
      // torch_dtype").
      dtype = default_load_dtype(o.engine, no_bf16);
      p.nc.assumptions.push_back({"dtype_default_engine", "/options/dtype", load_dtype_note(o.engine, dtype)});
    } else if (o.engine == Engine::vllm && dtype == "bf16" && no_bf16) {
      dtype = "fp16";
      p.nc.assumptions.push_back(
          {"vllm_bf16_fallback", "/options/gpu", txt("assume.vllm_bf16_fallback", {{"gpu", card->name}})});
    } else {
      p.nc.assumptions.push_back({"dtype_from_config", "/torch_dtype",
                                  txt("assume.dtype_from_config", {{"torch_dtype", m.torch_dtype}, {"dtype", dtype}})});
    }
  }
  if (dtype == "bf16" && no_bf16)
    p.nc.assumptions.push_back(
        {"bf16_unsupported_gpu", "/options/gpu",
         txt(o.engine == Engine::vllm ? "assume.bf16_unsupported_gpu.vllm" : "assume.bf16_unsupported_gpu",
             {{"gpu", card->name}})});
  const auto d = find_dtype(dtype);
  o.dtype = dtype;
  o.dtype_bits = d->bits;

  const std::string quant = r.choice("quant");
  if (quant.empty() || quant == "auto") {
    if (const auto qc = read_quantization_config(config)) {
      o.quant = qc->spec;
      p.nc.assumptions.push_back(
          {"quant_from_config", "/quantization_config",
           txt("assume.quant_from_config", {{"method", qc->method}, {"quant", quant_id(o.quant.method)}})});
      for (const auto& note : qc->notes)
        p.nc.assumptions.push_back(
            {"quant_keep_unplaced", "/quantization_config", txt("assume.quant_keep_unplaced", {{"note", note}})});
    }
  } else {
    o.quant.method = *find_quant(quant);
  }
  bool converted = false;  // the engine converts the format on load: not what the checkpoint stores
  {
    // The engine × format table (memory/support.cpp): refused pairs name what the engine runs; a format the
    // engine converts on load is estimated as converted.
    const bool from_config = quant.empty() || quant == "auto";
    const SupportAnswer a = weight_support(o.engine, o.quant.method);
    const char* path = from_config && o.quant.method != QuantMethod::none ? "/quantization_config" : "/options/quant";
    if (a.support == Support::refused) throw Error(code::unsupported, path, a.text);
    if (a.support == Support::converts) {
      converted = true;
      p.nc.assumptions.push_back(
          {"engine_converts", path, txt("assume.engine_converts", {{"note", a.text}, {"source", a.source}})});
      if (a.runs_as == "none")
        o.quant = QuantSpec{};
      else
        o.quant.method = *find_quant(a.runs_as);
    }
  }
  o.quant.double_quant = r.flag("double_quant", o.quant.double_quant);
  // bitsandbytes 4-bit: the compute dtype (the option, else the config's bnb_4bit_compute_dtype, else
  // BitsAndBytesConfig's float32) and the release (prefill dequantization, bnb.hpp).
  if (const std::string cd = r.choice("bnb_compute_dtype"); !cd.empty() && cd != "auto") o.quant.compute_dtype = cd;
  o.runtime.bitsandbytes = request_bitsandbytes_version(r.text("bitsandbytes"));
  if (o.engine == Engine::hf && o.quant.compute_dtype.empty() &&
      (o.quant.method == QuantMethod::bnb_nf4 || o.quant.method == QuantMethod::bnb_fp4))
    p.nc.assumptions.push_back(
        {"bnb_compute_dtype_default", "/options/bnb_compute_dtype", txt("assume.bnb_compute_dtype_default")});
  o.quant.group_size = r.count("group_size", o.quant.group_size);

  std::string kv = r.choice("kv_dtype");
  if (kv.empty() || kv == "auto") kv = o.dtype == "fp32" ? "fp32" : o.dtype;
  if (kv == "fp32")
    o.kv = {"fp32", 1, 4};
  else if (kv == "fp16" || kv == "bf16")
    o.kv = {kv, 1, 2};
  else if (kv == "fp8" || kv == "int8")
    o.kv = {kv, 1, 1};
  else if (kv == "q8_0")
    o.kv = {kv, 32, 34};
  else
    o.kv = {kv, 32, 18};  // q4_0
  if (const SupportAnswer a = kv_support(o.engine, kv); a.support == Support::refused)
    throw Error(code::unsupported, "/options/kv_dtype", a.text);

  // The model's context limit (n_ctx_max: max positions, stretched by rope_scaling; config_reader.cpp): no
  // default exceeds it, and a context above it is refused for learned positions, warned about otherwise.
  const uint64_t ctx_default = m.n_ctx_max != 0 ? std::min<uint64_t>(m.n_ctx_max, 4096) : 2048;
  if (!r.given("context"))
    p.nc.assumptions.push_back(
        {"context_default", "/options/context", txt("assume.context_default", {{"tokens", ctx_default}})});
  o.context = r.count("context", ctx_default);
  if (Text over = context_over_limit_text(m, o.context, "/options/context"); !over.empty())
    p.nc.assumptions.push_back(
        {"context_above_limit", "/options/context",
         txt("assume.context_above_limit", {{"over", std::move(over)}, {"engine", engine_on_long_context(o.engine)}})});
  o.prompt = r.count("prompt", o.context);
  if (o.prompt > o.context) throw Error(code::bad_request, "/options/prompt", txt("error.options.prompt_over_context"));
  o.batch = r.count("batch");
  o.beams = r.count("beams");
  o.tp = r.count("tp");
  o.pp = r.count("pp");
  const bool has_tp = r.given("tp");
  const bool has_pp = r.given("pp");
  const uint64_t gpus = r.count("gpus", mul(o.tp, o.pp));
  const std::string dm = r.choice("device_map");
  const bool has_dm = dm != "none";
  if (has_dm && (o.tp > 1 || o.pp > 1))
    throw Error(code::bad_request, "/options/device_map", txt("error.options.device_map_with_tp"));
  if (has_dm) {
    // the GPUs are the device_map's devices; read below
  } else if (!has_pp && !has_tp && gpus > 1) {
    // --gpus alone keeps its first meaning: tensor parallelism over all of them.
    o.tp = gpus;
    p.nc.assumptions.push_back({"gpus_as_tp", "/options/gpus", txt("assume.gpus_as_tp", {{"gpus", gpus}})});
  } else if (has_pp && !has_tp) {
    if (gpus % o.pp != 0) throw Error(code::bad_request, "/options/pp", txt("error.options.pp_divides_gpus"));
    o.tp = gpus / o.pp;
  }
  if (!has_dm && mul(o.tp, o.pp) < gpus)
    throw Error(code::bad_request, "/options/gpus", txt("error.options.gpus_over_tp_pp"));
  if (!has_dm && has_pp && mul(o.tp, o.pp) != gpus && r.given("gpus"))
    throw Error(code::bad_request, "/options/gpus", txt("error.options.gpus_tp_pp", {{"tp", o.tp}, {"pp", o.pp}}));
  if (o.pp > 1) {
    if (m.n_layer_enc != 0) throw Error(code::bad_request, "/options/pp", txt("error.options.pp_encoder"));
    if (o.pp > m.n_layer)
      throw Error(code::bad_request, "/options/pp", txt("error.options.pp_over_layers", {{"layers", m.n_layer}}));
    if (r.count("offload_layers") != 0) throw Error(code::bad_request, "/options/pp", txt("error.options.pp_offload"));
    if (o.engine == Engine::hf)
      p.nc.assumptions.push_back({"pp_even_split", "/options/pp", txt("assume.pp_even_split")});
  }
  o.offload_layers = r.count("offload_layers");
  o.eager_attention = r.choice("attn_implementation") == "eager";
  o.flash_attention = r.flag("flash_attn");
  o.runtime.count_context = r.flag("count_context");
  o.runtime.lazy_loading = r.flag("lazy_loading");
  o.runtime.cuda_context_bytes = hf_context_bytes(o.runtime.lazy_loading);
  o.gpu_memory_utilization = r.number("gpu_memory_utilization");
  {
    uint32_t version = request_transformers_version(r.text("transformers"));
    if (r.in_request("transformers") && version != 0 && o.engine != Engine::hf)
      throw Error(code::bad_request, "/options/transformers", txt("error.options.transformers_hf_only"));
    if (o.engine != Engine::hf) version = 0;  // a profile's release applies to transformers alone
    Text unsure;
    o.runtime.hf = hf_legacy(m, version, &unsure);
    if (!unsure.empty() && o.engine == Engine::hf)
      p.nc.assumptions.push_back(
          {"hf_behaviour_assumed", "/options/transformers", txt("assume.hf_behaviour_assumed", {{"unsure", unsure}})});
  }
  if (has_dm) {
    if (o.engine != Engine::hf)
      throw Error(code::bad_request, "/options/device_map", txt("error.options.device_map_hf_only"));
    if (m.n_layer_enc != 0)
      throw Error(code::bad_request, "/options/device_map", txt("error.options.device_map_encoder"));
    if (o.offload_layers != 0)
      throw Error(code::bad_request, "/options/offload_layers", txt("error.options.device_map_offload"));
    if (dm == "sequential")
      o.device_map = DeviceMapKind::sequential;
    else if (dm == "balanced")
      o.device_map = DeviceMapKind::balanced;
    else if (dm == "balanced_low_0")
      o.device_map = DeviceMapKind::balanced_low_0;
    else  // auto: balanced since transformers 4.22 (PR #18349); sequential before
      o.device_map = o.runtime.hf.version == 0 || o.runtime.hf.version >= 422 ? DeviceMapKind::balanced
                                                                              : DeviceMapKind::sequential;
    const std::optional<Gpu> g = request_gpu(r);
    if (!g) throw Error(code::bad_request, "/options/gpu", txt("error.options.device_map_gpu"));
    if (gpus > 64) throw Error(code::bad_request, "/options/gpus", txt("error.options.gpus_max"));
    uint64_t budget = 0;
    o.max_memory_given = r.given("max_memory_mib");
    if (o.max_memory_given) {
      budget = mul(r.count("max_memory_mib", 0), 1ULL << 20);
    } else {
      // get_max_memory: torch.cuda.mem_get_info's free memory, i.e. the device's total less the CUDA context.
      const uint64_t total = gpu_total_bytes(*g);
      const uint64_t ctx = o.runtime.cuda_context_bytes;
      budget = total > ctx ? total - ctx : 0;
      p.nc.assumptions.push_back({"device_map_free_memory", "/options/max_memory_mib",
                                  txt("assume.device_map_free_memory", {{"gpu", g->name},
                                                                        {"total", with_commas(total)},
                                                                        {"context", with_commas(ctx)},
                                                                        {"budget", with_commas(budget)}})});
    }
    o.max_memory.assign(gpus, budget);
  }
  if (const auto g = request_gpu(r)) {
    o.device = g->name;
    o.device_total = gpu_total_bytes(*g);
    if (!g->rule.empty()) p.nc.assumptions.push_back({"gpu_total_rule", "/options/gpu", g->rule});
  }
  if (o.engine == Engine::llamacpp && o.kv.block > 1 && !o.flash_attention)
    throw Error(code::bad_request, "/options/flash_attn", txt("error.options.llamacpp_fa"));
  if (o.engine == Engine::llamacpp) read_llamacpp_options(r, m, o, p.nc.assumptions);  // llamacpp_ops.cpp
  read_vllm_options(r, o, p.nc.assumptions);                                           // vllm_ops.cpp
  if (m.attn_layout == AttnLayout::mla && o.engine == Engine::hf)
    p.nc.assumptions.push_back({"mla_expanded", "/kv_lora_rank", txt("assume.mla_expanded")});
  apply_checkpoint(in, p, !quant.empty() && quant != "auto", converted);
  return p;
}

namespace {

ojson engine_json(const InferenceOptions& o) {
  return {{"engine", engine_id(o.engine)},
          {"dtype", o.dtype},
          {"quant", quant_id(o.quant.method)},
          {"kv_dtype", o.kv.id},
          {"batch", o.batch},
          {"context", o.context},
          {"prompt", o.prompt},
          {"beams", o.beams},
          {"tp", o.tp},
          {"pp", o.pp},
          {"offload_layers", o.offload_layers},
          {"device_map", o.device_map == DeviceMapKind::none         ? "none"
                         : o.device_map == DeviceMapKind::sequential ? "sequential"
                         : o.device_map == DeviceMapKind::balanced   ? "balanced"
                                                                     : "balanced_low_0"},
          {"transformers", transformers_version_text(o.runtime.hf.version)}};
}

// The memory one device may use: the catalogue size × the usable fraction × vLLM's utilization.
uint64_t capacity(const Gpu& g, const InferenceOptions& o) {
  // The runtime's total (gpus.cpp); vLLM's budget is that × gpu_memory_utilization (its worker's
  // requested_memory = total_memory × gpu_memory_utilization).
  const uint64_t total = gpu_total_bytes(g);
  if (o.engine != Engine::vllm) return total;
  return vllm_requested_bytes(total, o.gpu_memory_utilization);
}

// Per-device bytes with n tokens of context (solve = "context") or n sequences (solve = "batch").
InferenceOptions at(InferenceOptions o, const std::string& solve, uint64_t n) {
  if (solve == "context") {
    o.context = n;
    o.prompt = n;
  } else {
    o.batch = n;
  }
  return o;
}

uint64_t total_at(const InferencePlan& plan, const InferenceOptions& o, const std::string& solve, uint64_t n) {
  return plan.estimate(at(o, solve, n), false).gpu.total_bytes;
}

// The part that grows with n the most between n and 2n: what binds.
std::string binding(const InferencePlan& plan, const InferenceOptions& o, const std::string& solve, uint64_t n) {
  return growing_part(plan.estimate(at(o, solve, n), false).gpu, plan.estimate(at(o, solve, mul(2, n)), false).gpu);
}

// The fits-on table's fixed text per catalogue GPU: head = {"gpu":…,"vendor":…,"kind":…,"memory":{…}
// (without the closing brace), tail = ,"source":…}. Serialised by ojson, so escaping is its own.
struct RowText {
  std::string head, tail;
};
const std::vector<RowText>& catalogue_row_text() {
  static const std::vector<RowText> rows = [] {
    std::vector<RowText> out;
    for (const auto& g : gpu_catalogue()) {
      RowText r;
      r.head = dump_json(ObjectBuilder(4)
                             .add("gpu", g.name)
                             .add("vendor", g.vendor)
                             .add("kind", g.kind)
                             .add("memory", bytes_json(g.bytes))
                             .done());
      r.head.pop_back();
      // by_rule: the usable memory follows gpus.cpp's sibling rule (no runtime total is published).
      r.tail = g.rule.empty() ? dump_json(ObjectBuilder(1).add("source", g.source).done())
                              : dump_json(ObjectBuilder(2).add("source", g.source).add("by_rule", true).done());
      r.tail[0] = ',';
      out.push_back(std::move(r));
    }
    return out;
  }();
  return rows;
}

}  // namespace

uint64_t inference_capacity(const Gpu& g, const InferenceOptions& o) { return capacity(g, o); }

uint64_t inference_step(const InferenceOptions& o, const std::string& solve) {
  if (solve != "context") return 1;
  return o.engine == Engine::vllm ? 16 : o.engine == Engine::llamacpp ? 256 : 1;
}

InferenceSolve solve_inference(const InferencePlan& plan, const InferenceOptions& o, const std::string& solve,
                               uint64_t cap, uint64_t model_limit, uint64_t step) {
  InferenceSolve s;
  if (model_limit != 0) {
    // The model's context limit (n_ctx_max) caps the largest context: when it fits, it is the answer.
    const uint64_t at_limit = total_at(plan, o, solve, model_limit);
    if (at_limit <= cap) return {InferenceSolve::End::model_limit, model_limit, "model_limit", at_limit};
  }
  if (total_at(plan, o, solve, step) > cap) return {InferenceSolve::End::nothing_fits, 0, "weights", 0};
  uint64_t lo = 1, hi = 2;  // in steps: lo fits
  const uint64_t limit = uint64_t{1} << 40;
  while (hi * step < limit && total_at(plan, o, solve, hi * step) <= cap) lo = hi, hi *= 2;
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    if (total_at(plan, o, solve, mid * step) <= cap)
      lo = mid;
    else
      hi = mid;
  }
  s.max = lo * step;
  s.binding = binding(plan, o, solve, s.max);
  s.total_at_max = total_at(plan, o, solve, s.max);
  return s;
}

ojson op_estimate_inference(const json& req) {
  Parsed p = parse_inference(read_request_model(req), request_options(req));
  const InferencePlan plan(p.nc.model, p.o);
  const ParamCount& params = plan.params();
  LlamaCppFit fit;  // llama.cpp on --gpu: its automatic fit sets the context and the placement first
  if (const LlamaCppPlan* lp = plan.llamacpp(); lp != nullptr && p.o.tp <= 1 && p.o.pp <= 1)
    fit = apply_llamacpp_fit(*lp, p.o, p.nc.assumptions);
  InferenceEstimate e = plan.estimate(p.o);
  VllmReport vllm;  // vLLM on a GPU: the KV part becomes the budget's remainder (vllm_ops.cpp)
  const bool has_vllm = apply_vllm_budget(p.nc.model, p.o, e, vllm, p.nc.assumptions);
  p.nc.assumptions.insert(p.nc.assumptions.end(), e.notes.begin(), e.notes.end());
  ojson out = {{"ok", true},
               {"model", model_json(p.nc.model)},
               {"params", params_json(params)},
               {"dtype", p.o.dtype},
               {"mode", "inference"},
               {"settings", engine_json(p.o)},
               {"memory", memory_json(e.gpu)},
               {"per_device", p.o.tp > 1 || p.o.pp > 1},
               {"kv_bytes_per_token", e.kv_bytes_per_token},
               {"cpu", bytes_json(e.cpu_bytes)}};
  if (!e.stages.empty()) {
    // Every pipeline stage with its layers and parts (per GPU of the stage); "memory" is the most loaded one.
    ojson stages = ojson::array();
    for (size_t k = 0; k < e.stages.size(); ++k) {
      const StageEstimate& s = e.stages[k];
      ojson layers = ojson::array();
      if (s.layers.count != 0) layers = {s.layers.first, s.layers.first + s.layers.count - 1};
      ojson parts = ojson::object();
      for (const auto& part : s.gpu.parts) parts[part.id] = part.bytes;
      ObjectBuilder b(5);
      b.add("stage", static_cast<uint64_t>(k)).add("layers", std::move(layers)).add("total_bytes", s.gpu.total_bytes);
      b.add("gib", to_gib(s.gpu.total_bytes)).add("parts", std::move(parts));
      stages.push_back(b.done());
    }
    out["most_loaded_stage"] = e.most_loaded_stage;
    out["stages"] = std::move(stages);
  }
  if (!e.placement.empty()) {
    // accelerate's placement: every GPU (stages above are the ones that hold modules), then the CPU.
    ojson devices = ojson::array();
    for (const auto& d : e.placement) {
      ojson layers = ojson::array();
      if (d.layers.count != 0) layers = {d.layers.first, d.layers.first + d.layers.count - 1};
      ObjectBuilder b(7);
      b.add("device", d.device).add("embeddings", d.input).add("layers", std::move(layers)).add("lm_head", d.output);
      b.add("planned_bytes", d.planned).add("max_memory_bytes", d.budget).add("weights_bytes", d.weights);
      devices.push_back(b.done());
    }
    out["device_map"] = std::move(devices);
    out["per_device"] = true;
  }
  if (e.has_llamacpp) out["engine_report"] = llamacpp_report_json(p.nc.model, p.o, e.llamacpp, fit);
  if (has_vllm) out["engine_report"] = vllm_report_json(p.o, vllm);
  out["assumptions"] = assumptions_json(p.nc.assumptions);
  return out;
}

uint64_t TpNeeds::at(size_t i) {
  if (!known_[i]) {
    InferenceOptions ot = o_;
    ot.tp = kTps[i];
    ot.pp = 1;
    need_[i] = plan_.estimate(ot, false).gpu.total_bytes;
    known_[i] = true;
  }
  return need_[i];
}

uint64_t TpNeeds::gpus_needed(uint64_t cap) {
  for (size_t i = 0; i < std::size(kTps); ++i)
    if (at(i) <= cap) return kTps[i];
  return 0;
}

std::string op_fit(const json& req) {
  if (request_mode(req) == "train") return dump_json(op_fit_train(req));
  Parsed p = parse_inference(read_request_model(req), request_options(req));
  const json options = request_options(req);
  const ModelSpec& m = p.nc.model;
  std::vector<Assumption> again;  // parse_inference recorded the reader's notes
  const OptionReader r(options, mode_inference, again);
  const std::string solve = r.choice("solve");
  const uint64_t gpus = r.count("gpus", 1);
  if (p.o.device_map != DeviceMapKind::none)
    p.nc.assumptions.push_back({"device_map_table", "/options/device_map", txt("assume.device_map_table")});

  // One plan for the whole request: the table and the solver only vary tp, context or batch.
  const InferencePlan plan(m, p.o);
  // The per-GPU total does not depend on the GPU: estimate once, then compare with each capacity.
  const uint64_t need = plan.estimate(p.o, false).gpu.total_bytes;
  TpNeeds needs(plan, p.o);  // gpus_needed: the smallest tensor-parallel count whose per-GPU total fits
  const uint64_t total_single_gpu = needs.at(0);
  // The table is written as JSON text (op_fit returns its own text): 50 rows of nested objects were most
  // of the op's time in wasm. What does not depend on the request is serialised once per process.
  std::string table = "[";
  table.reserve(gpu_catalogue().size() * 400);
  const auto& fixed = catalogue_row_text();
  for (size_t k = 0; k < gpu_catalogue().size(); ++k) {
    const Gpu& g = gpu_catalogue()[k];
    const uint64_t cap = capacity(g, p.o);
    const uint64_t n_needed = needs.gpus_needed(cap);
    // {"gpu", "vendor", "kind", "memory", "usable", "fits", "headroom_bytes", "gpus_needed", "source"}
    if (k != 0) table += ',';
    table += fixed[k].head;
    table += ",\"usable\":";
    append_bytes_json(table, cap);
    table += need <= cap ? ",\"fits\":true,\"headroom_bytes\":" : ",\"fits\":false,\"headroom_bytes\":-";
    append_json(table, need <= cap ? cap - need : need - cap);
    table += ",\"gpus_needed\":";
    append_json(table, n_needed);
    table += fixed[k].tail;
  }
  table += ']';

  ojson out = {{"ok", true}, {"settings", engine_json(p.o)}, {"gpus", gpus}};
  out["total_single_gpu"] = bytes_json(total_single_gpu);
  p.nc.assumptions.push_back({"gpu_total_table", "/options/gpu", txt("assume.gpu_total_table")});
  if (const std::optional<Gpu> g = request_gpu(r)) {
    // A catalogue GPU or a custom card (--gpu-memory): the verdict is given here too, since a custom card
    // has no row in the table.
    const uint64_t cap = capacity(*g, p.o);
    const uint64_t step = inference_step(p.o, solve);
    const char* key = solve == "context" ? "max_context" : "max_batch";
    out["gpu"] = g->name;
    out["capacity"] = bytes_json(cap);
    out["fits"] = need <= cap;
    out["headroom_bytes"] = need <= cap ? static_cast<int64_t>(cap - need) : -static_cast<int64_t>(need - cap);
    out["step"] = step;
    // The model's context limit (n_ctx_max) caps the largest context: when it fits, it is the answer.
    const uint64_t model_limit = solve == "context" ? m.n_ctx_max : 0;
    if (model_limit != 0) out["model_limit"] = model_limit;
    const InferenceSolve sv = solve_inference(plan, p.o, solve, cap, model_limit, step);  // shared with advise
    out[key] = sv.max;
    out["binding"] = sv.binding;
    if (sv.end != InferenceSolve::End::nothing_fits) out["total_at_max"] = bytes_json(sv.total_at_max);
    if (sv.end == InferenceSolve::End::model_limit)
      set_message(out, txt("fit.model_limit", {{"tokens", with_commas(model_limit)}, {"from", m.n_ctx_max_why}}));
    if (sv.end == InferenceSolve::End::nothing_fits)
      set_message(out, txt(solve == "context" ? "fit.nothing_fits.context" : "fit.nothing_fits.batch",
                           {{"step", step}, {"capacity", gib(cap)}}));
  }
  if (const LlamaCppPlan* lp = plan.llamacpp(); lp != nullptr && p.o.device_total != 0 && p.o.tp <= 1 && p.o.pp <= 1) {
    // What llama-server's --fit would run on this GPU; the table and the solver above keep every layer on it.
    InferenceOptions fo = p.o;
    const LlamaCppFit fit = apply_llamacpp_fit(*lp, fo, p.nc.assumptions);
    const InferenceEstimate fe = plan.estimate(fo, false);
    out["llama_server_flags"] = llamacpp_flags(m, fo, fe.llamacpp);
    out["engine_report"] = llamacpp_report_json(m, fo, fe.llamacpp, fit);
  }
  if (p.o.engine == Engine::vllm && p.o.device_total != 0) {
    // vLLM's own figures on the request's GPU; the table and the solver compare its budget with the request's need.
    InferenceEstimate ve = plan.estimate(p.o, false);
    VllmReport vr;
    apply_vllm_budget(m, p.o, ve, vr, p.nc.assumptions);
    out["engine_report"] = vllm_report_json(p.o, vr);
  }
  // {…, "table": […], "assumptions": […]}: the object's text without its closing brace, then the rest.
  std::string text = dump_json(out);
  text.pop_back();
  text += ",\"table\":" + table + ",\"assumptions\":" + dump_json(assumptions_json(p.nc.assumptions)) + "}";
  return text;
}

ojson op_gpus(const json&) {
  ojson list = ojson::array();
  for (const auto& g : gpu_catalogue()) {
    ojson row = {{"name", g.name}, {"vendor", g.vendor}, {"kind", g.kind}};
    row.update(bytes_json(g.bytes));
    const uint64_t total = gpu_total_bytes(g);
    // The share of the marketed memory a process can use: the runtime's total over the marketed size.
    row["usable_fraction"] = std::round(static_cast<double>(total) / static_cast<double>(g.bytes) * 1e4) / 1e4;
    if (g.reported != 0) row["reported_bytes"] = g.reported;  // nvidia-smi's total, where recorded
    row["source"] = g.source;
    // The runtime's total (what verdicts and solvers use), where it was published, or the rule it follows.
    row["total_bytes"] = total;
    row["total_gib_h"] = gib(total);
    row["total_source"] = g.total_source;
    if (!g.rule.empty()) row["rule"] = render(g.rule), row["rule_text"] = text_json(g.rule);
    row["bf16"] = g.bf16;                       // hardware bfloat16 (gpus.cpp)
    row["hardware"] = gpu_hardware_json(g.hw);  // bandwidth, peaks, interconnect and sources (speed_ops.cpp)
    list.push_back(std::move(row));
  }
  return {{"ok", true}, {"gpus", std::move(list)}};
}

std::string op_sweep(const json& req) {
  if (request_mode(req) == "train") return dump_json(op_sweep_train(req));
  Parsed p = parse_inference(read_request_model(req), request_options(req));
  const json options = request_options(req);
  std::vector<Assumption> again;  // parse_inference recorded the reader's notes
  const OptionReader r(options, mode_inference, again);
  const uint64_t points = r.count("points");
  // The default reaches the model's limit (n_ctx_max), never past it; 8192 when the config names none.
  const uint64_t max_ctx = r.count("max_context", p.nc.model.n_ctx_max != 0 ? p.nc.model.n_ctx_max : 8192);
  const InferencePlan plan(p.nc.model, p.o);  // only the context changes from point to point
  // {"ok":true,"settings":{…},"points":[{"context":…,"total_bytes":…,"gib":…,"parts":{"weights":…,…}},…],
  //  "assumptions":[…]}: what dumping the equivalent ojson writes, byte for byte (the part ids are plain
  //  ASCII words, so no escaping is needed); tests/test_inference.cpp compares it with estimates.
  std::string out = "{\"ok\":true,\"settings\":" + dump_json(engine_json(p.o)) + ",\"points\":[";
  out.reserve(out.size() + points * 200);
  for (uint64_t i = 1; i <= points; ++i) {
    InferenceOptions o = p.o;
    o.context = o.prompt = std::max<uint64_t>(1, max_ctx * i / points);
    const auto e = plan.estimate(o, false);
    out += i == 1 ? "{\"context\":" : ",{\"context\":";
    append_json(out, o.context);
    out += ",\"total_bytes\":";
    append_json(out, e.gpu.total_bytes);
    out += ",\"gib\":";
    append_json(out, to_gib(e.gpu.total_bytes));
    out += ",\"parts\":{";
    for (size_t k = 0; k < e.gpu.parts.size(); ++k) {
      out += k == 0 ? "\"" : ",\"";
      out += e.gpu.parts[k].id;
      out += "\":";
      append_json(out, e.gpu.parts[k].bytes);
    }
    out += "}}";
  }
  out += "],\"assumptions\":" + dump_json(assumptions_json(p.nc.assumptions)) + "}";
  return out;
}

}  // namespace gpumem
