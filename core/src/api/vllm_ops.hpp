// vLLM in the inference operations: its release and scheduler options, and its engine_report
// (memory/vllm.hpp has the budget; docs/ESTIMATION.md "vLLM").
#pragma once

#include <vector>

#include "facade.hpp"
#include "gpumem/memory/vllm.hpp"

namespace gpumem {

// Engine vllm: reads --vllm (validated for every engine), --vllm-entrypoint, --max-num-batched-tokens and
// --max-num-seqs into o, with vLLM's own defaults for o.device and o.context, saying which rule applied.
void read_vllm_options(const OptionReader& r, InferenceOptions& o, std::vector<Assumption>& notes);

// Engine vllm after the estimate: with a GPU, the budget report and `e`'s KV part filled to the budget's
// remainder (returns true); without one, a note that vLLM sizes its cache from the GPU (returns false).
bool apply_vllm_budget(const ModelSpec& m, const InferenceOptions& o, InferenceEstimate& e, VllmReport& report,
                       std::vector<Assumption>& notes);

// "engine_report" for --engine vllm: {"kv_cache_bytes", "kv_cache_tokens", "max_model_len", "max_concurrency",
// "terms": {part id: bytes, …} (summing to "requested_bytes"), "release", "gpu", "total_bytes",
// "requested_bytes", "block_size", "num_blocks", "concurrency_tokens", "max_num_batched_tokens",
// "max_num_seqs", "outside_budget": {"cuda_context", "cuda_graphs"}, "log": [the lines vLLM prints]}.
ojson vllm_report_json(const InferenceOptions& o, const VllmReport& r);

}  // namespace gpumem
