// vLLM's KV-cache budget as a release sizes it at start-up, and its answers in its own terms ("Available KV
// cache memory", "GPU KV cache size: N tokens", "Maximum concurrency for L tokens per request: X").
// docs/ESTIMATION.md ("vLLM") has every formula and the worked example. Sources read (vllm-project/vllm):
//   vllm/v1/worker/gpu_worker.py    Worker.init_device: the baseline MemorySnapshot is taken after CUDA and
//                                   NCCL start, requested_memory = total × gpu_memory_utilization;
//                                   Worker.determine_available_memory: available KV = requested −
//                                   non_kv_cache_memory [− cudagraph_memory_estimate_applied from 0.21]
//   vllm/utils/mem_utils.py         memory_profiling: non_kv = weights + torch_peak_increase + non_torch_increase
//   vllm/v1/worker/gpu_model_runner.py  profile_run: _dummy_run(max_num_tokens) then _dummy_sampler_run over
//                                   min(max_num_seqs, max_num_tokens) rows; profile_cudagraph_memory (PR #30515)
//   vllm/engine/arg_utils.py        EngineArgs.get_batch_defaults, _set_default_max_num_seqs_and_batched_tokens_args
//   vllm/v1/core/kv_cache_utils.py  get_kv_cache_config (num_blocks = available // (page_size × layers)),
//                                   get_max_concurrency_for_kv_cache_config, estimate_max_model_len
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gpumem/memory/inference.hpp"

namespace gpumem {

// Releases gpumem follows, as minor × 100 + patch (0.19 → 1900). Runtime::vllm 0 means the newest.
constexpr uint32_t kVllmOldest = 1900;
constexpr uint32_t kVllmNewest = 2700;
// From 0.21 determine_available_memory subtracts the CUDA-graph estimate of profile_cudagraph_memory
// (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=1 by default); 0.19 and 0.20 estimate it only on request.
constexpr uint32_t kVllmCountsGraphs = 2100;
// Tokens per KV block (CacheConfig.block_size on CUDA).
constexpr uint64_t kVllmBlockSize = 16;

// "0.19", "0.21.1", "current" (or "") → the release (0: the newest); nullopt when not a release gpumem follows.
std::optional<uint32_t> vllm_release_from_text(const std::string& text);
std::string vllm_release_text(uint32_t release);  // 0 → "0.27"
bool vllm_counts_cuda_graphs(uint32_t release);

// vLLM's own defaults for max_num_batched_tokens and max_num_seqs (arg_utils.py get_batch_defaults and
// _set_default_max_num_seqs_and_batched_tokens_args): by entrypoint (`vllm serve` or the LLM class) and GPU
// (≥ 70 GiB and not an A100: the large defaults), then capped by max_num_seqs × max_model_len. A value the
// user gave (given_* true) is kept. `rule` says which applied, for the assumption.
struct VllmBatching {
  uint64_t max_num_batched_tokens = 0;
  uint64_t max_num_seqs = 0;
  Text rule;  // the sentence (base/text.hpp)
};
VllmBatching vllm_default_batching(bool llm_class, uint64_t device_total, const std::string& device,
                                   uint64_t max_model_len, const uint64_t* given_tokens, const uint64_t* given_seqs);

// requested_memory = total × gpu_memory_utilization (gpu_worker.py init_device), in whole bytes: the budget
// the fits-on table and the solver compare a vLLM estimate with.
uint64_t vllm_requested_bytes(uint64_t total, double utilization);

// The profiling run's sampler warm-up (_dummy_sampler_run) on the last pipeline stage: the logits of
// min(max_num_seqs, max_num_batched_tokens) rows in the model dtype, their fp32 copy and what sorting them
// for top-k/top-p holds (vllm.cpp), beside the forward's output hidden states. torch_peak_increase is the larger of the
// forward's peak
// (`forward_peak`, the workspace part) and this, so `bytes` is what it adds above the forward.
struct VllmSampler {
  uint64_t bytes = 0;
  Formula formula;
  Text source;
};
VllmSampler vllm_sampler(const ModelSpec& m, const InferenceOptions& o, uint64_t vocab, uint64_t forward_peak,
                         bool formulas);
// The parts of a vLLM device outside the profiling run: runtime_overhead (non_torch_increase) and
// cuda_graphs (the estimate, counted from 0.21; 0 bytes before).
void vllm_overhead_parts(const InferenceOptions& o, bool formulas, std::vector<MemoryPart>& parts);
uint64_t vllm_cuda_graph_bytes(const InferenceOptions& o);

// The budget of one device (a pipeline stage's worker), from an estimate whose KV part is what the request
// needs: what vLLM's log prints, before any cap by the model's context limit.
struct VllmReport {
  uint32_t release = 0;
  std::string device;
  uint64_t total = 0;      // the GPU's total as torch reports it (gpu_total_bytes)
  uint64_t requested = 0;  // total × gpu_memory_utilization
  bool startable = true;   // free memory at start-up (total − CUDA context) ≥ requested
  bool fits = true;        // the other terms leave room for a KV cache
  // The budget's terms per device, by part id (weights, workspace, logits, runtime_overhead, cuda_graphs,
  // kv_cache): they sum to `requested` when `fits`.
  std::vector<std::pair<std::string, uint64_t>> terms;
  uint64_t kv_cache_bytes = 0;  // "Available KV cache memory"
  uint64_t block_bytes = 0;     // one block of 16 tokens over the device's layers
  uint64_t num_blocks = 0;
  uint64_t kv_cache_tokens = 0;  // "GPU KV cache size: N tokens"
  uint64_t max_model_len = 0;    // the largest --max-model-len whose one request fits (0: not bounded by the cache)
  uint64_t concurrency_len = 0;  // L of "Maximum concurrency for L tokens per request"
  double max_concurrency = 0;    // rounded to two decimals, as the log prints it
  uint64_t cuda_context = 0;     // outside the budget: in the baseline snapshot
  uint64_t graphs_outside = 0;   // CUDA graphs captured after the cache, outside the budget (before 0.21)
  std::vector<uint64_t> stage_available;  // per pipeline stage (one entry without stages)
  std::vector<Assumption> notes;
};
// `need` is InferencePlan::estimate of the request (its KV part for batch × context); o.device_total > 0.
VllmReport vllm_report(const ModelSpec& m, const InferenceOptions& o, const InferenceEstimate& need);
// What vLLM allocates with a GPU: every device's KV part becomes the budget's remainder (or stays what the
// request needs where that is more, so a request that does not fit still exceeds the budget).
void vllm_fill(InferenceEstimate& e, const VllmReport& r);

}  // namespace gpumem
