// The software stack an estimate assumes, in one place: which engine runs the model, which releases of
// transformers and bitsandbytes allocate for it, and what the CUDA driver adds. Estimators read these
// fields, never request options; the façade fills them from a runtime profile (api/options.cpp) and the
// options that override it.
#pragma once

#include <cstdint>

#include "gpumem/memory/hf_versions.hpp"

namespace gpumem {

// Who runs the model. Inference: hf (transformers + accelerate), vllm, llamacpp. Training: hf (the
// Trainer / plain PyTorch: fp32 master parameters, fp32 gradients) or deepspeed (DeepSpeed/Megatron mixed
// precision: 16-bit parameters and gradients, an fp32 master copy).
enum class Engine { hf, vllm, llamacpp, deepspeed };

// "hf", "vllm", "llamacpp", "deepspeed": the ids the options and results use.
const char* engine_id(Engine e);

struct Runtime {
  // transformers release behaviours (generate's peak, buffers, fp32 keys, eager attention's saved
  // tensors); version 0 is the current release. Read by the hf engine only.
  HfLegacy hf;
  // bitsandbytes release, minor × 100 + patch for 0.x (0.43.1 → 4301); 0: the current one.
  uint32_t bitsandbytes = 0;
  // vLLM release whose KV budget is followed, minor × 100 + patch (0.19 → 1900); 0: the newest gpumem
  // follows (vllm.hpp). Read by the vllm engine only.
  uint32_t vllm = 0;
  // CUDA_MODULE_LOADING=LAZY (CUDA ≥ 11.7, PyTorch ≥ 2.0): the context holds only the kernels used.
  bool lazy_loading = true;
  // CUDA context and kernels as nvidia-smi counts them (hf_context_bytes(lazy_loading) unless overridden).
  uint64_t cuda_context_bytes = 0;
  // Inference: whether the total includes the CUDA context (false: compare with memory_allocated).
  bool count_context = true;
  // Training, PyTorch before 1.10's autograd (2021): eager attention keeps the unscaled scores as well.
  bool legacy_autograd = false;
  // Training, a bare benchmark loop (`outputs = model(**inputs)` each step): the previous step's outputs
  // live until the next forward returns.
  bool keep_outputs = false;
};

// The CUDA context and library handles: with lazy module loading (CUDA ≥ 11.7, PyTorch ≥ 2.0)
// ≈ 500 MiB; without, 1343 MiB as measured on a V100 with CUDA 11.2 (docs/ESTIMATION.md): the one
// source of both figures, for inference (hf) and training.
uint64_t hf_context_bytes(bool lazy_loading);

// bitsandbytes before 0.43.2 (PR #1270, "fix QLoRA mem bug") kept each 4-bit linear's compute-dtype input
// in MatMul4Bit's ctx.tensors until backward.
inline bool bnb_4bit_keeps_input(const Runtime& r) { return r.bitsandbytes != 0 && r.bitsandbytes < 4302; }
// bitsandbytes before 0.45.0 (PR #1401) also kept an int8 transposed copy (CAt) per 8-bit linear.
inline bool bnb_int8_keeps_cat(const Runtime& r) { return r.bitsandbytes != 0 && r.bitsandbytes < 4500; }

}  // namespace gpumem
