// vLLM's options and engine_report for the inference operations (vllm_ops.hpp).
#include "vllm_ops.hpp"

#include <cstdio>

#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

namespace {

// GiB with two decimals, as vLLM's log prints them.
std::string gib2(uint64_t b) {
  char s[48];
  std::snprintf(s, sizeof s, "%.2f GiB", to_gib(b));
  return s;
}

}  // namespace

void read_vllm_options(const OptionReader& r, InferenceOptions& o, std::vector<Assumption>& notes) {
  const auto release = vllm_release_from_text(r.text("vllm"));
  if (!release) throw Error(code::bad_request, "/options/vllm", txt("error.options.vllm_release"));
  if (o.engine != Engine::vllm) return;
  o.runtime.vllm = *release;
  const bool tokens_given = r.given("max_num_batched_tokens"), seqs_given = r.given("max_num_seqs");
  const uint64_t tokens = r.count("max_num_batched_tokens", 0), seqs = r.count("max_num_seqs", 0);
  const VllmBatching b =
      vllm_default_batching(r.choice("vllm_entrypoint") == "llm", o.device_total, o.device, o.context,
                            tokens_given ? &tokens : nullptr, seqs_given ? &seqs : nullptr);
  o.max_num_batched_tokens = b.max_num_batched_tokens;
  o.max_num_seqs = b.max_num_seqs;
  if (!tokens_given || !seqs_given)
    notes.push_back(
        {"vllm_batching_default", tokens_given ? "/options/max_num_seqs" : "/options/max_num_batched_tokens", b.rule});
}

bool apply_vllm_budget(const ModelSpec& m, const InferenceOptions& o, InferenceEstimate& e, VllmReport& report,
                       std::vector<Assumption>& notes) {
  if (o.engine != Engine::vllm) return false;
  if (o.device_total == 0) {
    notes.push_back({"vllm_needs_gpu", "/options/gpu", txt("assume.vllm_needs_gpu")});
    return false;
  }
  report = vllm_report(m, o, e);
  vllm_fill(e, report);
  notes.insert(notes.end(), report.notes.begin(), report.notes.end());
  return true;
}

ojson vllm_report_json(const InferenceOptions& o, const VllmReport& r) {
  ojson terms = ojson::object();
  for (const auto& [id, bytes] : r.terms) terms[id] = bytes;
  ojson log = ojson::array();
  log.push_back("Available KV cache memory: " + gib2(r.kv_cache_bytes));
  log.push_back("GPU KV cache size: " + with_commas(r.kv_cache_tokens) + " tokens");
  char conc[96];
  std::snprintf(conc, sizeof conc, "%.2fx", r.max_concurrency);
  log.push_back("Maximum concurrency for " + with_commas(r.concurrency_len) + " tokens per request: " + conc);
  ObjectBuilder b(18);
  b.add("kv_cache_bytes", r.kv_cache_bytes).add("kv_cache_tokens", r.kv_cache_tokens);
  b.add("max_model_len", r.max_model_len).add("max_concurrency", r.max_concurrency);
  b.add("terms", std::move(terms));
  b.add("release", vllm_release_text(r.release)).add("gpu", r.device).add("total_bytes", r.total);
  b.add("gpu_memory_utilization", o.gpu_memory_utilization).add("requested_bytes", r.requested);
  b.add("block_size", kVllmBlockSize).add("num_blocks", r.num_blocks).add("concurrency_tokens", r.concurrency_len);
  b.add("max_num_batched_tokens", o.max_num_batched_tokens).add("max_num_seqs", o.max_num_seqs);
  b.add("outside_budget", ojson{{"cuda_context", r.cuda_context}, {"cuda_graphs", r.graphs_outside}});
  b.add("startable", r.startable && r.fits);
  b.add("log", std::move(log));
  return b.done();
}

}  // namespace gpumem
