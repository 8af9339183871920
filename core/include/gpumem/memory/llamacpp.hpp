// llama.cpp as current llama-server runs a GGUF on one GPU: where each tensor group lives (token
// embeddings in host memory, -ngl repeating layers and the output layer on the GPU, --n-cpu-moe experts
// in host memory), the KV cache beside its layer, the compute buffers llama-context reserves for one
// n_ubatch, and the automatic fit (--fit, on by default) that shrinks the context, then offloads layers,
// then MoE experts until the device keeps its margin free. Buffers are named as llama.cpp's log names
// them ("CUDA0 model buffer size", "CUDA_Host compute buffer size", …).
//
// Release followed: ggml-org/llama.cpp master of 2026 (src/llama-context.cpp @001d906a, common/fit.cpp
// @08033df0; the fit as merged in PR #16653, December 2025, with PR #18679's per-device targets of January
// 2026). docs/ESTIMATION.md ("llama.cpp") lists the files and functions read and a worked example.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/quant.hpp"

namespace gpumem {

// The automatic fit's answer (common/fit.cpp common_params_fit_impl, one device).
struct LlamaCppFit {
  bool ran = false;                // a GPU was given, --fit on, one device
  bool changed = false;            // the fit changed the context or the placement
  bool ok = true;                  // it met its target (else: the placement it gave up with)
  std::string stopped;             // why it stopped early, in its own words ("n_gpu_layers already set by user")
  Text stopped_text;               // the same as data (base/text.hpp): llama.cpp's log words quoted, or ours
  uint64_t free = 0;               // device memory llama.cpp sees free: the total less the CUDA context
  uint64_t margin = 0;             // --fit-target
  uint64_t projected_initial = 0;  // model + KV + compute on the device with the initial parameters
  uint64_t projected = 0;          // with the chosen ones
  uint64_t context_initial = 0;    // per sequence, before the fit
  std::vector<std::string> log;    // one line per step, worded as the fit logs it
};

class LlamaCppPlan {
 public:
  // `w`: the GGUF's bytes by tensor group (quantized_weights with its layer breakdown). m must outlive the plan.
  LlamaCppPlan(const ModelSpec& m, const InferenceOptions& o, const QuantizedWeights& w);

  // The buffers llama.cpp allocates for o (context, batch, kv dtype, flash attention, -ngl, --n-cpu-moe).
  LlamaCppBuffers buffers(const InferenceOptions& o) const;
  // The estimate as InferencePlan::estimate returns it: parts weights (the GPU model buffer), kv_cache, workspace
  // and logits (the GPU compute buffer), runtime_overhead; cpu_bytes what -ngl and --n-cpu-moe leave on the host
  // (layers, output, experts and their cache; the token embeddings are in buffers.host_model beside them).
  InferenceEstimate estimate(const InferenceOptions& o, bool formulas = true) const;
  // llama_params_fit on o.device_total: o.context (when the request left it unset), o.llamacpp.n_gpu_layers and
  // n_cpu_moe are set to what it chooses. Nothing changes without a device or with --fit off.
  LlamaCppFit fit(InferenceOptions& o) const;

  // -ngl as llama.cpp resolves o: n_gpu_layers, else n_layer − offload_layers, else all (n_layer + 1).
  uint64_t gpu_layers(const InferenceOptions& o) const;

 private:
  struct Peaks {
    uint64_t output = 0, attention = 0, ffn = 0, masks = 0;
  };
  Peaks peaks(const InferenceOptions& o, uint64_t u, uint64_t n_kv, uint64_t n_kv_swa, bool gpu_attention) const;
  uint64_t device_used(const InferenceOptions& o) const;

  const ModelSpec& m_;
  uint64_t n_layer_ = 0;
  uint64_t embd_ = 0;    // token_embd.weight: host memory (llama-model.cpp: dev_input is the CPU)
  uint64_t output_ = 0;  // output layer on the GPU: output.weight (tied: token_embd duplicated), final norms
  std::vector<uint64_t> layer_, experts_, largest_;
  std::vector<bool> attention_, sliding_;  // per layer: has attention; of which sliding-window
  uint64_t widest_ffn_ = 0;                // gate and up rows one token passes through in the widest layer
  uint64_t swa_window_ = 0;
  Formula file_formula_;  // the GGUF's tensors by type (quantized_weights' formula)
  Text file_source_;      // a checkpoint's headers, when the bytes are the file's own (inference.cpp stored_weights)
};

// llama-server's default context: n_ctx 0 is the trained context (llama-context.cpp, cparams.n_ctx), here
// n_ctx_train within the model's position limit; 4096 when the config names neither.
uint64_t llamacpp_default_context(const ModelSpec& m);
// CUDA context and cuBLAS handle of a llama.cpp process, which cudaMemGetInfo's free memory already lacks.
uint64_t llamacpp_runtime_bytes();
// The command-line flags that reproduce the buffers: "-c 131072 -ngl 33 --n-cpu-moe 0" (and -np, -ub, -b,
// -fa off, -ctk/-ctv where they differ from llama-server's defaults).
std::string llamacpp_flags(const ModelSpec& m, const InferenceOptions& o, const LlamaCppBuffers& b);

}  // namespace gpumem
