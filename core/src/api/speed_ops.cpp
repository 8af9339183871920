// The "speed" operation (issue 21): time to first token, tokens per second (per sequence and in aggregate) and the
// batch they hold up to, for the inference request the memory estimate takes on --gpu (× --gpus); with mode "train"
// the optimizer step's time and tokens per second at a named MFU. The model is memory/speed.hpp.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <utility>
#include <vector>

#include "facade.hpp"
#include "fit_ops.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/llamacpp.hpp"
#include "gpumem/memory/speed.hpp"
#include "gpumem/memory/training.hpp"
#include "llamacpp_ops.hpp"
#include "options.hpp"

namespace gpumem {

namespace {

// A time or rate rounded to 4 significant digits for the JSON (the model's error is percent-sized; 4 digits keep
// every row of a table distinct without printing noise).
double round4(double x) {
  if (!(x > 0) || std::isinf(x)) return 0;
  const double p = std::pow(10.0, 3 - std::floor(std::log10(x)));
  return std::round(x * p) / p;
}

ojson range_pair(double a, double b) { return ojson::array({round4(std::min(a, b)), round4(std::max(a, b))}); }

ojson terms_json(const std::vector<SpeedTerm>& terms) {
  ojson out = ojson::array();
  for (const SpeedTerm& t : terms) {
    ObjectBuilder b(6);
    b.add("id", t.id).add("seconds", round4(t.seconds));
    if (t.bytes > 0) b.add("bytes", static_cast<uint64_t>(std::llround(t.bytes)));
    if (t.flops > 0) b.add("flops", round4(t.flops));
    b.add("formula", render(t.formula)).add("formula_text", text_json(t.formula));
    out.push_back(b.done());
  }
  return out;
}

// The GPU the speed is for: required, and a catalogue card (a custom --gpu-memory card has no speed figures).
Gpu speed_gpu(const OptionReader& r) {
  const std::optional<Gpu> g = request_gpu(r);
  if (!g) throw Error(code::bad_request, "/options/gpu", txt("error.speed.no_gpu"));
  if (!g->hw.known) throw Error(code::unsupported, "/options/gpu", txt("error.speed.custom_gpu", {{"gpu", g->name}}));
  return *g;
}

// Whether the card runs the backend: CUDA on NVIDIA, ROCm on AMD, Metal on Apple, Vulkan on all but Apple.
bool runs_backend(const Gpu& g, Backend b) {
  return (b == Backend::cuda && g.vendor == "NVIDIA") || (b == Backend::rocm && g.vendor == "AMD") ||
         (b == Backend::metal && g.vendor == "Apple") || (b == Backend::vulkan && g.vendor != "Apple");
}

// Whether the engine runs on the GPUs of the backend: vLLM has no Metal backend (on a Mac it runs on the CPU:
// docs.vllm.ai, "Installation — CPU / Apple silicon"). (transformers and vLLM on Intel cards run PyTorch's XPU
// backend; the speed uses their uncalibrated prior there, as on every backend.)
bool engine_runs(Engine e, Backend b) { return !(e == Engine::vllm && b == Backend::metal); }

// The backend the request names, or the GPU vendor's; refused where the engine or the card cannot run it.
Backend speed_backend(const OptionReader& r, const Gpu& g, Engine engine, std::vector<Assumption>& notes) {
  const std::string v = r.choice("backend");
  Backend b = default_backend(g);
  if (v.empty() || v == "auto") {
    notes.push_back({"speed_backend_default", "/options/backend",
                     txt("assume.speed_backend_default", {{"backend", backend_id(b)}, {"vendor", g.vendor}})});
  } else {
    b = v == "cuda" ? Backend::cuda : v == "rocm" ? Backend::rocm : v == "metal" ? Backend::metal : Backend::vulkan;
    if (!runs_backend(g, b))
      throw Error(code::unsupported, "/options/backend",
                  txt("error.speed.backend_gpu", {{"backend", v}, {"gpu", g.name}, {"vendor", g.vendor}}));
    if (engine != Engine::llamacpp && b == Backend::vulkan)
      throw Error(code::unsupported, "/options/backend",
                  txt("error.speed.backend_engine", {{"engine", engine_id(engine)}}));
  }
  if (!engine_runs(engine, b))
    throw Error(code::unsupported, "/options/engine", txt("error.speed.vllm_metal", {{"gpu", g.name}}));
  return b;
}

ojson efficiency_json(const Efficiency& e, bool hbm) {
  return ObjectBuilder(10)
      .add("engine", engine_id(e.engine))
      .add("backend", backend_id(e.backend))
      .add("calibrated", e.calibrated)
      .add("bandwidth", hbm ? e.bw_hbm : e.bw)
      .add("kv", e.kv)
      .add("layer_us", round4(e.layer_s * 1e6))
      .add("matmul", ojson::array({e.mm[0], e.mm[1]}))
      .add("attention", e.attn)
      .add("pro", e.pro)
      .add("decode_range", ojson::array({e.decode_lo, e.decode_hi}))
      .done();
}

// What the request reads and computes, independent of the GPU's speed (SpeedEstimate::Work): the terms' inputs,
// and what scripts/fit-speed.mjs fits the efficiencies on.
ojson work_json(const SpeedEstimate::Work& w) {
  ojson points = ojson::array();
  for (const auto& p : w.points)
    points.push_back(ojson::array({p.context, p.weight, std::llround(p.kv_bytes), p.flops}));
  return ObjectBuilder(10)
      .add("decode_weight_bytes", std::llround(w.decode_weight_bytes))
      .add("decode_alu_params", std::llround(w.decode_alu_params))
      .add("layers", w.layers)
      .add("decode_points", std::move(points))  // [context, weight, kv_bytes, flops]
      .add("prefill_chunks", w.chunks)
      .add("prefill_weight_bytes", std::llround(w.prefill_weight_bytes))
      .add("prefill_quant_params", std::llround(w.prefill_quant_params))
      .add("prefill_matmul_flops", w.prefill_matmul_flops)
      .add("prefill_attention_flops", w.prefill_attention_flops)
      .done();
}

// Tokens per second on every catalogue GPU (option "table"): the fits-on table's column. A row runs where fit's
// table puts the model: on the request's GPUs where it fits there, else on the fewest tensor-parallel GPUs that
// hold it (the row's gpus_needed); every layer on the GPUs, as that table assumes, and the GPU vendor's backend
// unless the request names one that card runs. Null figures where 64 GPUs do not hold the model, the card has no
// link between GPUs, or the engine does not run on the card (vLLM on Apple).
// Where the model goes is decided on the memory request as fit reads it (its context, not the speed's prompt +
// output); the speed runs the speed's request (o, plan) there.
std::string speed_table(const RequestModel& in, const json& memory_options, const ModelSpec& m,
                        const InferenceOptions& o, const InferencePlan& plan, SpeedOptions s, bool backend_given) {
  const ParsedInference fp = parse_inference(in, memory_options);
  const InferencePlan fit_plan(fp.nc.model, fp.o);
  const uint64_t need = fit_plan.estimate(fp.o, false).gpu.total_bytes;
  TpNeeds needs(fit_plan, fp.o);
  s.gpu_layers = m.n_layer + 1;
  const uint64_t request_gpus = std::max<uint64_t>(1, o.tp * o.pp);
  // One plan per GPU count (the request's, and tp = n with pp = 1 for the rows that need n GPUs).
  std::vector<std::pair<uint64_t, std::unique_ptr<SpeedPlan>>> plans;
  auto plan_for = [&](uint64_t gpus, bool as_requested) -> const SpeedPlan& {
    const uint64_t key = as_requested ? 0 : gpus;
    for (const auto& [k, sp] : plans)
      if (k == key) return *sp;
    InferenceOptions ot = o;
    if (!as_requested) ot.tp = gpus, ot.pp = 1;
    plans.emplace_back(key, std::make_unique<SpeedPlan>(m, ot, plan.weights(), s));
    return *plans.back().second;
  };
  // [{"gpu", "gpus", "tokens_per_s", "tokens_per_s_range", "aggregate_tokens_per_s", "ttft_s", "bound"}, …] as
  // dumping the equivalent ojson writes it (121 rows of objects cost more than their speed in wasm, as fit's
  // table did); the catalogue's names are serialised once per process.
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Gpu& g : gpu_catalogue()) out.push_back(dump_json(ojson(g.name)));
    return out;
  }();
  std::string out = "[";
  out.reserve(gpu_catalogue().size() * 170);
  for (size_t k = 0; k < gpu_catalogue().size(); ++k) {
    const Gpu& g = gpu_catalogue()[k];
    const uint64_t cap = inference_capacity(g, fp.o);
    const bool fits = need <= cap;
    const uint64_t gpus = fits ? request_gpus : needs.gpus_needed(cap);
    out += k == 0 ? "{\"gpu\":" : ",{\"gpu\":";
    out += names[k];
    out += ",\"gpus\":";
    append_json(out, gpus);
    const Backend backend = backend_given && runs_backend(g, s.backend) ? s.backend : default_backend(g);
    if (gpus == 0 || !g.hw.known || !(g.hw.bandwidth_gb_s > 0) || !gpus_linked(g, gpus) ||
        !engine_runs(o.engine, backend)) {
      out +=
          ",\"tokens_per_s\":null,\"tokens_per_s_range\":null,\"aggregate_tokens_per_s\":null,\"ttft_s\":null,"
          "\"bound\":null}";
      continue;
    }
    const SpeedEstimate x = plan_for(gpus, fits).estimate(g, gpus, o.batch, false, backend);
    const double tps = x.decode_tokens_per_s;
    out += ",\"tokens_per_s\":";
    append_json(out, round4(tps));
    out += ",\"tokens_per_s_range\":[";
    append_json(out, round4(tps * x.eff->decode_lo));
    out += ',';
    append_json(out, round4(tps * x.eff->decode_hi));
    out += "],\"aggregate_tokens_per_s\":";
    append_json(out, round4(x.decode_aggregate_tokens_per_s));
    out += ",\"ttft_s\":";
    if (x.prefill_known)
      append_json(out, round4(x.ttft_s));
    else
      out += "null";
    out += ",\"bound\":\"";
    out += x.decode_bound;
    out += "\"}";
  }
  out += ']';
  return out;
}

std::string op_speed_inference(const json& req) {
  const RequestModel in = read_request_model(req);
  const json memory_options = request_options(req);
  json options = memory_options;
  std::vector<Assumption> notes;  // the speed options' own notes; parse_inference records the rest
  const OptionReader r(options, mode_inference, notes);
  notes.clear();  // the profile's note: parse_inference writes it again
  SpeedOptions s;
  s.output = r.count("output");
  s.depth = r.count("depth");
  s.cpu_bandwidth_gb_s = r.number("cpu_bandwidth");
  // The prompt: given; else what a given context leaves after the depth and the output; else 512 tokens.
  if (r.given("prompt")) {
    s.prompt = r.count("prompt", 512);
  } else if (r.given("context")) {
    const uint64_t c = r.count("context", 0);
    if (c <= s.depth + s.output)
      throw Error(code::bad_request, "/options/context",
                  txt("error.speed.context_short",
                      {{"context", with_commas(c)}, {"need", with_commas(s.depth + s.output + 1)}}));
    s.prompt = c - s.depth - s.output;
  } else {
    s.prompt = 512;
    notes.push_back({"speed_prompt_default", "/options/prompt", txt("assume.speed_prompt_default")});
  }
  const uint64_t context = s.depth + s.prompt + s.output;
  if (r.given("context") && r.count("context", 0) < context)
    throw Error(code::bad_request, "/options/context",
                txt("error.speed.context_short",
                    {{"context", with_commas(r.count("context", 0))}, {"need", with_commas(context)}}));
  // The memory side sees the whole sequence: the cache holds depth + prompt + output tokens at the end.
  options["context"] = std::max<uint64_t>(context, r.given("context") ? r.count("context", 0) : 0);
  options["prompt"] = s.depth + s.prompt;

  ParsedInference p = parse_inference(in, options);
  const Gpu g = speed_gpu(r);
  s.backend = speed_backend(r, g, p.o.engine, notes);
  const ModelSpec& m = p.nc.model;
  const InferencePlan plan(m, p.o);
  if (const LlamaCppPlan* lp = plan.llamacpp(); lp != nullptr && p.o.tp <= 1 && p.o.pp <= 1) {
    apply_llamacpp_fit(*lp, p.o, p.nc.assumptions);  // llama-server's --fit: what it leaves on the CPU runs there
    s.gpu_layers = lp->gpu_layers(p.o);
  } else {
    s.gpu_layers = m.n_layer + 1;
  }
  const uint64_t gpus = std::max<uint64_t>(1, p.o.tp * p.o.pp);
  const SpeedPlan sp(m, p.o, plan.weights(), s);
  const SpeedEstimate e = sp.estimate(g, gpus, p.o.batch);
  const Efficiency& eff = *e.eff;

  // The batch the memory holds on this GPU (fit's solver: vLLM's KV budget, llama.cpp's cells) and the throughput
  // there; the curve doubles the batch up to it (at most 1,024).
  const uint64_t cap = inference_capacity(g, p.o);
  const InferenceSolve sv = solve_inference(plan, p.o, "batch", cap, 0, 1);
  ojson curve = ojson::array();
  const uint64_t top = std::min<uint64_t>(sv.max != 0 ? sv.max : p.o.batch, 1024);
  for (uint64_t b = 1;; b *= 2) {
    const uint64_t bb = std::min(b, top);
    const SpeedEstimate x = sp.estimate(g, gpus, bb, false);
    curve.push_back(ObjectBuilder(4)
                        .add("batch", bb)
                        .add("tokens_per_s", round4(x.decode_tokens_per_s))
                        .add("aggregate_tokens_per_s", round4(x.decode_aggregate_tokens_per_s))
                        .add("bound", x.decode_bound)
                        .done());
    if (bb >= top) break;
  }

  ojson prefill = nullptr;
  if (e.prefill_known)
    prefill = ObjectBuilder(5)
                  .add("seconds", round4(e.prefill_s))
                  .add("tokens_per_s", round4(e.prefill_tokens_per_s))
                  .add("bound", e.prefill_bound)
                  .add("flops", round4(e.prefill_flops))
                  .add("weight_bytes", static_cast<uint64_t>(std::llround(e.prefill_weight_bytes)))
                  .done();
  ojson decode = ObjectBuilder(8)
                     .add("seconds_per_token", round4(e.decode_s_per_token))
                     .add("tokens_per_s", round4(e.decode_tokens_per_s))
                     .add("aggregate_tokens_per_s", round4(e.decode_aggregate_tokens_per_s))
                     .add("bound", e.decode_bound)
                     .add("weight_bytes", static_cast<uint64_t>(std::llround(e.decode_weight_bytes)))
                     .add("kv_bytes", static_cast<uint64_t>(std::llround(e.decode_kv_bytes)))
                     .add("flops", round4(e.decode_flops))
                     .add("knee_batch", e.knee_batch)
                     .done();
  // The range: the estimate × the 10th and 90th percentile of measured ÷ estimated on the calibration rows.
  ojson range = ObjectBuilder(5)
                    .add("calibrated", eff.calibrated)
                    .add("decode_tokens_per_s",
                         range_pair(e.decode_tokens_per_s * eff.decode_lo, e.decode_tokens_per_s * eff.decode_hi))
                    .add("prefill_tokens_per_s", e.prefill_known ? range_pair(e.prefill_tokens_per_s * eff.prefill_lo,
                                                                              e.prefill_tokens_per_s * eff.prefill_hi)
                                                                 : ojson(nullptr))
                    .add("ttft_s", e.prefill_known ? range_pair(e.ttft_s / eff.prefill_hi, e.ttft_s / eff.prefill_lo)
                                                   : ojson(nullptr))
                    .add("total_s", e.prefill_known
                                        ? range_pair(e.ttft_s / eff.prefill_hi + (e.total_s - e.ttft_s) / eff.decode_hi,
                                                     e.ttft_s / eff.prefill_lo + (e.total_s - e.ttft_s) / eff.decode_lo)
                                        : ojson(nullptr))
                    .done();
  ojson speed = ObjectBuilder(20)
                    .add("engine", engine_id(p.o.engine))
                    .add("backend", backend_id(s.backend))
                    .add("gpu", g.name)
                    .add("gpus", gpus)
                    .add("batch", p.o.batch)
                    .add("prompt", s.prompt)
                    .add("output", s.output)
                    .add("depth", s.depth)
                    .add("prefill", std::move(prefill))
                    .add("decode", std::move(decode))
                    .add("ttft_s", e.prefill_known ? ojson(round4(e.ttft_s)) : ojson(nullptr))
                    .add("total_s", e.prefill_known ? ojson(round4(e.total_s)) : ojson(nullptr))
                    .add("range", std::move(range))
                    .add("max_batch", sv.max)
                    .add("batch_curve", std::move(curve))
                    .add("terms", terms_json(e.terms))
                    .add("efficiency", efficiency_json(eff, std::strstr(g.hw.memory_type, "HBM") != nullptr))
                    .add("hardware", ObjectBuilder(7)
                                         .add("bandwidth_gb_s", e.bandwidth_gb_s)
                                         .add("matrix_tflops", e.matrix_tflops)
                                         .add("matrix_peak", render(e.matrix_peak))
                                         .add("fp32_tflops", e.fp32_tflops)
                                         .add("hbm", e.hbm)
                                         .add("workstation_or_datacenter", e.pro)
                                         .add("source", g.hw.bandwidth_source)
                                         .done())
                    .add("work", work_json(e.work))
                    .done();
  // {"ok":true,"mode":"inference","speed":{…, "table":[…]},"assumptions":[…]}: the table is written as text.
  std::string speed_text = dump_json(speed);
  if (r.flag("table")) {
    const std::string v = r.choice("backend");
    speed_text.pop_back();
    speed_text += ",\"table\":" + speed_table(in, memory_options, m, p.o, plan, s, !v.empty() && v != "auto") + "}";
    notes.push_back({"speed_table", "/options/table", txt("assume.speed_table")});
  }
  std::vector<Assumption> all = p.nc.assumptions;
  all.insert(all.end(), notes.begin(), notes.end());
  all.insert(all.end(), e.notes.begin(), e.notes.end());
  return "{\"ok\":true,\"mode\":\"inference\",\"speed\":" + speed_text +
         ",\"assumptions\":" + dump_json(assumptions_json(all)) + "}";
}

ojson op_speed_train(const json& req) {
  const RequestModel in = read_request_model(req);
  const json options = request_options(req);
  const ParamCount params = count_params(in.nc.model);
  ParsedTrain p = parse_train(in, params, options);
  std::vector<Assumption> again;
  const OptionReader r(options, mode_train, again);
  const Gpu g = speed_gpu(r);
  const double mfu = r.number("mfu");
  if (!r.given("mfu"))
    p.nc.assumptions.push_back({"speed_mfu_default", "/options/mfu", txt("assume.speed_mfu_default")});
  const TrainEstimate te = estimate_training(p.nc.model, p.params, p.o);
  const TrainSpeed t = estimate_train_speed(p.nc.model, p.params, p.o, te.trainable_params, g, mfu,
                                            r.number("cpu_bandwidth"), r.count("train_tokens"));
  const uint64_t tp = std::max<uint64_t>(1, p.o.tp);
  const double tokens = static_cast<double>(p.o.batch * p.o.grad_accum * p.o.seq) *
                        static_cast<double>(std::max<uint64_t>(1, p.o.gpus / tp));
  // The range: MFU from 0.7× to 1.3× the one named (single-node fine-tuning reports spread about that much).
  ojson speed = ObjectBuilder(14)
                    .add("mode", "train")
                    .add("gpu", g.name)
                    .add("gpus", p.o.gpus)
                    .add("step_s", round4(t.step_s))
                    .add("tokens_per_step", static_cast<uint64_t>(tokens))
                    .add("tokens_per_s", round4(t.tokens_per_s))
                    .add("tokens_per_s_per_gpu", round4(t.tokens_per_s_per_gpu))
                    .add("mfu", mfu)
                    .add("peak_tflops", t.peak_tflops)
                    .add("flops_per_step", round4(t.flops_per_step))
                    .add("bound", t.bound)
                    .add("range", ObjectBuilder(1).add("step_s", range_pair(t.step_s / 1.3, t.step_s / 0.7)).done())
                    .add("time_s", t.time_for_tokens_s > 0 ? ojson(round4(t.time_for_tokens_s)) : ojson(nullptr))
                    .add("terms", terms_json(t.terms))
                    .done();
  std::vector<Assumption> all = p.nc.assumptions;
  all.insert(all.end(), t.notes.begin(), t.notes.end());
  return {{"ok", true}, {"mode", "train"}, {"speed", std::move(speed)}, {"assumptions", assumptions_json(all)}};
}

}  // namespace

ojson gpu_hardware_json(const GpuHardware& h) {
  auto fig = [](double x) { return x > 0 ? ojson(x) : ojson(nullptr); };
  auto str = [](const char* s) { return *s != 0 ? ojson(s) : ojson(nullptr); };
  return ObjectBuilder(24)
      .add("architecture", str(h.architecture))
      .add("memory_type", str(h.memory_type))
      .add("bandwidth_gb_s", fig(h.bandwidth_gb_s))
      .add("bandwidth_basis", str(h.bandwidth_basis))
      .add("bandwidth_source", str(h.bandwidth_source))
      .add("fp32_tflops", fig(h.fp32_tflops))
      .add("fp32_basis", str(h.fp32_basis))
      .add("fp32_source", str(h.fp32_source))
      .add("fp16_tensor_tflops", fig(h.fp16_tflops))
      .add("fp16_tensor_fp16acc_tflops", fig(h.fp16_fp16acc_tflops))
      .add("bf16_tensor_tflops", fig(h.bf16_tflops))
      .add("fp8_tensor_tflops", fig(h.fp8_tflops))
      .add("int8_tensor_tops", fig(h.int8_tops))
      .add("fp4_tensor_tflops", fig(h.fp4_tflops))
      .add("tensor_basis", str(h.tensor_basis))
      .add("tensor_source", str(h.tensor_source))
      .add("fp16_equals_fp32_rate", h.fp16_equals_fp32)
      .add("pcie_gen", h.pcie_gen != 0 ? ojson(h.pcie_gen) : ojson(nullptr))
      .add("pcie_lanes", h.pcie_lanes != 0 ? ojson(h.pcie_lanes) : ojson(nullptr))
      .add("gpu_link", str(h.gpu_link))
      .add("gpu_link_gb_s", fig(h.gpu_link_gb_s))
      .add("interconnect_source", str(h.interconnect_source))
      .add("unverified", h.unverified)
      .add("unverified_fields", h.unverified_fields)
      .done();
}

std::string op_speed(const json& req) {
  if (request_mode(req) == "train") return dump_json(op_speed_train(req));
  if (request_mode(req) == "weights") throw Error(code::bad_request, "/options/mode", txt("error.speed.weights_mode"));
  return op_speed_inference(req);
}

}  // namespace gpumem
