// What "fit" and "advise" share: a request's config read once, the option parsing of inference_ops.cpp and
// train_ops.cpp with the config already read (advise parses the options of every row × column against one
// config), and fit's solvers (the largest context or batch on one GPU), so that advise's cells are fit's
// answers by construction.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>

#include "facade.hpp"
#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/training.hpp"

namespace gpumem {

// The request's config, parsed once: its JSON (quantization_config, dropout keys) and the ModelSpec, with
// what parsing forgave first among the assumptions (request_model's order).
struct RequestModel {
  json config;
  NormalizedConfig nc;
  // The request's "checkpoint" (the inspect op's, checkpoint.hpp): the weights as a checkpoint stores them.
  std::shared_ptr<const CheckpointWeights> checkpoint;
};
RequestModel read_request_model(const json& req);

// ---- inference (inference_ops.cpp) ----
struct ParsedInference {
  NormalizedConfig nc;  // a copy of the request's, with the options' assumptions appended
  InferenceOptions o;
};
// The request's options read against the config (what op_estimate, op_fit and op_sweep read).
ParsedInference parse_inference(const RequestModel& in, const json& options);
// The memory one device may use under o's engine: the runtime's total (gpus.cpp), × gpu_memory_utilization
// for vLLM. What fit compares every total with.
uint64_t inference_capacity(const Gpu& g, const InferenceOptions& o);
// The solver's granularity: tokens for solve = "context" (vLLM 16, llama.cpp 256, else 1), 1 for "batch".
uint64_t inference_step(const InferenceOptions& o, const std::string& solve);

// fit's answer on one GPU: the largest context (solve = "context", capped at model_limit when that is not 0)
// or batch that fits in `cap`, in multiples of `step`.
struct InferenceSolve {
  enum class End { model_limit, nothing_fits, memory };
  End end = End::memory;
  uint64_t max = 0;           // 0 when not even one step fits
  std::string binding;        // "model_limit", "weights" or the part that grows the most (growing_part)
  uint64_t total_at_max = 0;  // per GPU at `max` (0 when nothing fits)
};
InferenceSolve solve_inference(const InferencePlan& plan, const InferenceOptions& o, const std::string& solve,
                               uint64_t cap, uint64_t model_limit, uint64_t step);

// The per-GPU total at tensor-parallel degree 1, 2, 4, …, 64 (pp = 1 whatever the request says): fit's
// gpus_needed column and the speed table's GPU count. Each total is estimated when a row first asks for it
// (most GPUs stop at tp = 1 or 2), once.
class TpNeeds {
 public:
  static constexpr uint64_t kTps[] = {1, 2, 4, 8, 16, 32, 64};
  TpNeeds(const InferencePlan& plan, const InferenceOptions& o) : plan_(plan), o_(o) {}
  uint64_t at(size_t i);
  // The smallest tp whose per-GPU total fits in cap; 0 when not even 64 GPUs hold it.
  uint64_t gpus_needed(uint64_t cap);

 private:
  const InferencePlan& plan_;
  InferenceOptions o_;
  uint64_t need_[std::size(kTps)] = {};
  bool known_[std::size(kTps)] = {};
};

// ---- training (train_ops.cpp) ----
struct ParsedTrain {
  NormalizedConfig nc;
  ParamCount params;
  TrainOptions o;
};
// The request's training options read against the config; `params` is count_params(in.nc.model).
ParsedTrain parse_train(const RequestModel& in, const ParamCount& params, const json& options);
// The memory one GPU offers a training process (gpus.cpp's runtime total).
uint64_t train_capacity(const Gpu& g);

// fit's largest batch per GPU (doubling, then bisection, up to 65,536 sequences).
struct TrainSolve {
  uint64_t max_batch = 0;     // 0 when a batch of 1 does not fit
  std::string binding;        // "weights" when nothing fits, else the part that grows the most
  uint64_t total_at_one = 0;  // per GPU at batch 1
  uint64_t total_at_max = 0;  // per GPU at max_batch (0 when nothing fits)
};
TrainSolve solve_train(const ParsedTrain& p, uint64_t cap);

}  // namespace gpumem
