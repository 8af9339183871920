// Inference memory the way engines allocate it: weights (by dtype and quantization), KV cache, workspace,
// logits, buffers and runtime overhead, per device. docs/ESTIMATION.md ("Inference") has every formula.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/memory.hpp"
#include "gpumem/model.hpp"
#include "gpumem/params.hpp"
#include "gpumem/quant.hpp"

namespace gpumem {

enum class Engine { hf, vllm, llamacpp };

// KV cache element storage: bytes per block of `block` values (fp16 2/1, fp8 1/1, q8_0 34/32, q4_0 18/32).
struct KvType {
  std::string id;
  uint64_t block = 1;
  uint64_t bytes = 2;
};

struct InferenceOptions {
  Engine engine = Engine::hf;
  std::string dtype = "fp16";  // load/compute dtype of what is not quantized
  uint32_t dtype_bits = 16;
  QuantSpec quant;
  KvType kv;
  uint64_t batch = 1;            // prompts decoded together (vLLM: concurrent sequences)
  uint64_t context = 0;          // tokens each sequence holds: prompt + output
  uint64_t prompt = 0;           // prefill length (≤ context)
  uint64_t beams = 1;            // num_beams × num_return_sequences: sequences per prompt
  uint64_t tp = 1;               // tensor-parallel degree
  uint64_t offload_layers = 0;   // layers whose weights stay in CPU RAM
  bool eager_attention = false;  // HF attn_implementation="eager": the B·H·P² score matrix is materialized
  bool flash_attention = true;   // llama.cpp -fa (needed for a quantized V cache)
  bool count_context = true;
  bool lazy_loading = true;  // CUDA_MODULE_LOADING=LAZY (CUDA ≥ 11.7, PyTorch ≥ 2.0); false: the whole context //
                             // include the CUDA context (false: compare with torch's memory_allocated)
  double gpu_memory_utilization = 0.9;  // vLLM
};

struct KvCache {
  uint64_t bytes = 0;
  uint64_t bytes_per_token = 0;  // summed over layers for one token of one sequence at full length (uncapped)
  std::string formula;
  std::string source;
};

// The KV cache (and Mamba state) of `seqs` sequences of `tokens` tokens each, on one tensor-parallel rank.
// formulas = false leaves formula and source empty (the bytes are the same): the solver and sweep path.
KvCache kv_cache(const ModelSpec& m, const InferenceOptions& o, uint64_t seqs, uint64_t tokens, bool formulas = true);

struct InferenceEstimate {
  MemoryEstimate gpu;      // per device
  uint64_t cpu_bytes = 0;  // offloaded weights in CPU RAM
  uint64_t kv_bytes_per_token = 0;
  std::vector<Assumption> notes;
};

InferenceEstimate estimate_inference(const ModelSpec& m, const InferenceOptions& o);

// The context-independent work of an inference estimate, done once: the parameter count, the quantized
// weight layout (the bulk of the cost: a walk over every matrix of every layer run, with its formula),
// the offloaded layers' share and the widest feed-forward. estimate() then adds only the terms that
// change with batch, context, prompt and tensor parallelism (weights ÷ tp, KV cache, workspace, logits),
// so the inverse solver's ~30 probes and a sweep's points cost a few hundred arithmetic operations each.
//   plan.estimate(o) == estimate_inference(m, o), byte for byte (tests/test_inference.cpp checks it),
// for any `o` that differs from the plan's options only in batch, context, prompt, beams, tp or kv;
// other differences (dtype, quant, offload_layers) throw internal_error. The plan keeps a reference to
// `m`, which must outlive it.
class InferencePlan {
 public:
  InferencePlan(const ModelSpec& m, const InferenceOptions& o);
  // formulas = false: the same bytes, without the formula/source strings and notes (what the solver,
  // the fits-on table and the sweep read).
  InferenceEstimate estimate(const InferenceOptions& o, bool formulas = true) const;
  const ParamCount& params() const { return params_; }

 private:
  const ModelSpec& m_;
  uint32_t dtype_bits_;
  QuantSpec quant_;
  uint64_t offload_layers_;
  ParamCount params_;
  QuantizedWeights weights_;     // at tp = 1, before offloading
  uint64_t offload_params_ = 0;  // parameters of the last min(offload_layers, n_layer) layers
  uint64_t widest_ffn_ = 0;
};

struct Gpu {
  std::string name;     // "RTX 4090"
  std::string vendor;   // NVIDIA, AMD, Apple, Intel
  std::string kind;     // consumer, workstation, datacenter, unified
  uint64_t bytes = 0;   // memory as the vendor states it (GiB for GDDR/HBM sizes, see gpus.cpp)
  double usable = 1.0;  // fraction an application can use (Apple unified memory: the Metal working set)
  std::string source;
};
const std::vector<Gpu>& gpu_catalogue();
const Gpu* find_gpu(const std::string& name);  // case-insensitive exact name

}  // namespace gpumem
