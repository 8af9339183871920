// llama.cpp's options, automatic fit and engine_report for the inference operations (llamacpp_ops.hpp).
#include "llamacpp_ops.hpp"

#include <algorithm>
#include <cstdio>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

namespace {

std::string mib(uint64_t b) {
  char s[48];
  std::snprintf(s, sizeof s, "%.2f MiB", static_cast<double>(b) / static_cast<double>(kMiB));
  return s;
}

// The backend's buffer names for the request's GPU, as llama.cpp's log prints them: the device buffer and
// the pinned host buffer its CPU backend uses (CUDA0 / CUDA_Host; ROCm0 / ROCm_Host; MTL0 / CPU on Apple).
struct BackendNames {
  std::string device = "CUDA0", host = "CUDA_Host";
};
BackendNames backend_names(const InferenceOptions& o) {
  BackendNames n;
  const Gpu* g = o.device.empty() ? nullptr : find_gpu(o.device);
  if (g != nullptr && g->vendor == "AMD") n = {"ROCm0", "ROCm_Host"};
  if (g != nullptr && g->vendor == "Apple") n = {"MTL0", "CPU"};
  if (g != nullptr && g->vendor == "Intel") n = {"SYCL0", "SYCL_Host"};
  return n;
}

}  // namespace

void read_llamacpp_options(const OptionReader& r, const ModelSpec& m, InferenceOptions& o,
                           std::vector<Assumption>& notes) {
  LlamaCppSettings& s = o.llamacpp;
  s.n_ubatch = r.count("n_ubatch");
  s.n_batch = r.count("n_batch");
  if (r.given("n_gpu_layers"))
    s.n_gpu_layers = static_cast<int64_t>(std::min<uint64_t>(r.count("n_gpu_layers", 0), 1u << 20));
  s.n_cpu_moe = r.count("n_cpu_moe", 0);
  s.n_parallel = r.count("n_parallel", 0);
  // llama.cpp's cache is F16 unless -ctk/-ctv say otherwise (common.h cache_type_k), whatever the weights.
  const std::string kv = r.choice("kv_dtype");
  if (kv.empty() || kv == "auto") o.kv = {"fp16", 1, 2};
  s.fit = r.flag("fit");
  s.fit_target = mul(r.count("fit_target"), kMiB);
  s.fit_ctx = r.count("fit_ctx");
  s.context_given = r.given("context");
  if (s.context_given) return;
  // llama-server's n_ctx 0 is the trained context (llama-context.cpp: cparams.n_ctx = n_ctx_train).
  const uint64_t c = llamacpp_default_context(m);
  o.context = c;
  if (!r.given("prompt")) o.prompt = c;
  if (o.prompt > o.context) throw Error(code::bad_request, "/options/prompt", txt("error.options.prompt_over_context"));
  const Assumption note("context_default", "/options/context",
                        txt("assume.context_default.llamacpp", {{"tokens", with_commas(c)}}));
  bool replaced = false;
  for (auto& a : notes)
    if (a.code == "context_default") a.message = note.message, a.text = note.text, replaced = true;
  if (!replaced) notes.push_back(note);
}

LlamaCppFit apply_llamacpp_fit(const LlamaCppPlan& plan, InferenceOptions& o, std::vector<Assumption>& notes) {
  const uint64_t ctx0 = o.context, ngl0 = plan.gpu_layers(o);
  const LlamaCppFit fit = plan.fit(o);
  if (!fit.ran) return fit;
  Text m = txt(
      !fit.changed ? "assume.llamacpp_fit.unchanged"
      : fit.ok     ? "assume.llamacpp_fit.changed"
                   : "assume.llamacpp_fit.gave_up",
      {{"device", o.device}, {"free", mib(fit.free)}, {"margin", mib(fit.margin)}, {"projected", mib(fit.projected)}});
  if (fit.changed) {
    Text changes = text_list("list.concat", {});
    if (o.context != ctx0)
      text_list_add(changes,
                    txt("phrase.llamacpp_fit.context", {{"from", with_commas(ctx0)}, {"to", with_commas(o.context)}}));
    const uint64_t ngl = plan.gpu_layers(o);
    if (ngl != ngl0) text_list_add(changes, txt("phrase.llamacpp_fit.ngl", {{"from", ngl0}, {"to", ngl}}));
    if (o.llamacpp.n_cpu_moe != 0)
      text_list_add(changes, txt("phrase.llamacpp_fit.n_cpu_moe", {{"n", o.llamacpp.n_cpu_moe}}));
    m.phrases.emplace_back("changes", std::move(changes));
    if (!fit.ok) m.phrases.emplace_back("stopped", fit.stopped_text);
  }
  notes.push_back({"llamacpp_fit", "/options/fit", std::move(m)});
  return fit;
}

ojson llamacpp_report_json(const ModelSpec& m, const InferenceOptions& o, const LlamaCppBuffers& b,
                           const LlamaCppFit& fit) {
  const BackendNames n = backend_names(o);
  ojson model = ojson::object(), kv = ojson::object(), compute = ojson::object(), host = ojson::object();
  model[n.device] = b.gpu_model;
  model["CPU_Mapped"] = b.host_model;
  kv[n.device] = b.gpu_kv;
  if (b.host_kv != 0) kv["CPU"] = b.host_kv;
  compute[n.device] = b.gpu_compute;
  compute[n.host] = b.host_compute;
  host[n.host + " output"] = b.host_output;
  host["total"] = add({b.host_model, b.host_kv, b.host_compute, b.host_output});
  ojson log = ojson::array();
  log.push_back("load_tensors: " + std::string(n.device) + " model buffer size = " + mib(b.gpu_model));
  log.push_back("load_tensors: CPU_Mapped model buffer size = " + mib(b.host_model));
  log.push_back("llama_context: " + n.host + " output buffer size = " + mib(b.host_output));
  log.push_back("llama_kv_cache: " + n.device + " KV buffer size = " + mib(b.gpu_kv));
  if (b.host_kv != 0) log.push_back("llama_kv_cache: CPU KV buffer size = " + mib(b.host_kv));
  log.push_back("sched_reserve: " + n.device + " compute buffer size = " + mib(b.gpu_compute));
  log.push_back("sched_reserve: " + n.host + " compute buffer size = " + mib(b.host_compute));
  ObjectBuilder r(10);
  r.add("n_ctx", b.n_ctx).add("n_gpu_layers", b.n_gpu_layers).add("n_cpu_moe", b.n_cpu_moe);
  r.add("n_ubatch", b.n_ubatch).add("flash_attn", b.flash_attn).add("flags", llamacpp_flags(m, o, b));
  r.add("buffers", ojson{{"model", std::move(model)},
                         {"kv", std::move(kv)},
                         {"compute", std::move(compute)},
                         {"host", std::move(host)}});
  r.add("log", std::move(log));
  ojson f = {{"ran", fit.ran}};
  if (fit.ran) {
    f["changed"] = fit.changed;
    f["ok"] = fit.ok;
    f["free_bytes"] = fit.free;
    f["margin_bytes"] = fit.margin;
    f["projected_initial_bytes"] = fit.projected_initial;
    f["projected_bytes"] = fit.projected;
    f["context_initial"] = fit.context_initial;
    if (!fit.stopped.empty()) f["stopped"] = fit.stopped, f["stopped_text"] = text_json(fit.stopped_text);
    f["log"] = fit.log;
  }
  r.add("fit", std::move(f));
  return r.done();
}

}  // namespace gpumem
