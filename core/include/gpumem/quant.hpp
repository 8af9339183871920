// Weight bytes under a quantization method: which tensors each method converts, the storage of the
// converted ones (packed values plus their scales and zero points), and the dtype of what stays.
// docs/ESTIMATION.md ("Quantized weights") gives each layout with its source and a worked example.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/model.hpp"
#include "gpumem/params.hpp"

namespace gpumem {

enum class QuantMethod {
  none,       // every parameter in the base dtype
  bnb_int8,   // bitsandbytes LLM.int8: int8 weights + one fp32 scale (SCB) per output row
  bnb_nf4,    // bitsandbytes 4-bit NF4: 4-bit codes + fp32 absmax per block of 64 (or double-quantized)
  bnb_fp4,    // bitsandbytes 4-bit FP4: same storage as NF4
  gptq,       // GPTQ: int32-packed qweight, qzeros, fp16 scales per group, int32 g_idx per input column
  awq,        // AWQ (GEMM): int32-packed qweight, qzeros, fp16 scales per group
  fp8,        // float8 e4m3 weights + fp32 scale per tensor (or per 128×128 block, DeepSeek-V3)
  mxfp4,      // OCP MX FP4: e2m1 values + one E8M0 scale byte per 32
  nvfp4,      // NVIDIA FP4: e2m1 values + E4M3 scale per 16 + fp32 global and input scales per tensor
  gguf_q4_0,  // llama.cpp ftypes (llama-quant.cpp's mix per tensor)
  gguf_q4_k_m,
  gguf_q5_k_m,
  gguf_q6_k,
  gguf_q8_0,
};

struct QuantSpec {
  QuantMethod method = QuantMethod::none;
  uint32_t base_bits = 16;      // storage of every tensor the method leaves alone (the load dtype)
  bool double_quant = false;    // bnb 4-bit: bnb_4bit_use_double_quant
  uint64_t group_size = 128;    // gptq/awq: group_size (input columns per scale); -1 in a config = 0 here
  uint32_t bits = 4;            // gptq/awq: bits
  uint64_t block = 0;           // fp8: weight_block_size (square), 0 = one scale per tensor
  bool keep_attention = false;  // modules_to_not_convert names the attention (gpt-oss: "self_attn")
  bool operator==(const QuantSpec&) const = default;
};

std::optional<QuantMethod> find_quant(std::string_view id);
std::string quant_id(QuantMethod q);
const std::vector<std::string>& quant_ids();  // every id, in display order

// One line of the breakdown: a class of tensors and its storage.
struct QuantTerm {
  std::string what;  // "quantized matrices", "token embedding", "kept in bf16", …
  uint64_t params = 0;
  uint64_t bytes = 0;
  std::string formula;  // with numbers substituted
};

struct QuantizedWeights {
  uint64_t bytes = 0;             // sum of terms
  uint64_t quantized_params = 0;  // parameters stored in the quantized format
  uint64_t kept_params = 0;       // parameters left in the base dtype (or F32 in GGUF)
  std::vector<QuantTerm> terms;
  std::string formula;  // one line: the terms added up
  std::string source;   // files the layout follows
};

// Bytes of the model's weights under `q`. For QuantMethod::none this is params × base_bits / 8 exactly.
// QLoRA's frozen base: quantized_weights(m, {QuantMethod::bnb_nf4, 16, true}).
QuantizedWeights quantized_weights(const ModelSpec& m, const QuantSpec& q);

}  // namespace gpumem
