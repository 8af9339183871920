// bitsandbytes 4-bit linears under transformers at inference: what a forward allocates beyond the layer's
// activations. Followed releases (bitsandbytes/autograd/_functions.py matmul_4bit and MatMul4Bit.forward,
// bitsandbytes/backends/cuda/ops.py gemm_4bit; read from the repository's history):
//   ≤ 0.49.2: a single row (one token of one sequence) runs gemv_4bit; any other input runs MatMul4Bit,
//     which dequantizes the whole weight in the dtype it was quantized from (quant_state.dtype, the load
//     dtype), then `.to(A.dtype)` copies it to the compute dtype when that differs.
//   ≥ 0.50.0 (PR #1949, May 2026): gemm_4bit runs a fused kernel for up to 4 rows, and for more rows either
//     the fused kernel or, past a per-GPU threshold (always past 1,536 rows on CUDA), _dequant_linear_fallback,
//     which dequantizes once, straight into the compute dtype. The threshold depends on the GPU, so more
//     than 4 rows counts the fallback's buffer (the larger case).
// Linear4bit.forward also casts its input to bnb_4bit_compute_dtype and its output back (a float32 default
// when BitsAndBytesConfig is given none: each widest linear then holds an fp32 copy of its input and output).
#pragma once

#include <cstdint>
#include <string>

#include "gpumem/base/formula.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/memory/runtime.hpp"

namespace gpumem {

struct BnbTransient {
  uint64_t bytes = 0;  // 0 when the method is not bnb 4-bit or the kernel needs nothing
  Formula formula;
};

// The transient of the widest 4-bit linear (in × out elements per tensor-parallel rank) for `rows` rows
// (tokens × sequences of one forward), loaded in `load_dtype` ("fp16", "bf16", "fp32"). formulas = false
// leaves the formula empty.
BnbTransient bnb4_transient(const QuantSpec& q, const Runtime& rt, uint64_t in, uint64_t out, uint64_t rows,
                            const std::string& load_dtype, bool formulas);

}  // namespace gpumem
