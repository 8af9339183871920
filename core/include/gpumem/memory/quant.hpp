// Weight bytes under a quantization method: which tensors each method converts, the storage of the
// converted ones (packed values plus their scales and zero points), and the dtype of what stays.
// docs/ESTIMATION.md ("Quantized weights") gives each layout with its source and a worked example.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/base/formula.hpp"
#include "gpumem/model/model.hpp"
#include "gpumem/model/params.hpp"

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
  gguf_q4_0,  // llama.cpp ftypes (llama-quant.cpp's mix per tensor; docs/ESTIMATION.md "GGUF")
  gguf_q4_k_m,
  gguf_q5_k_m,
  gguf_q6_k,
  gguf_q8_0,
  gguf_q4_1,
  gguf_q5_0,
  gguf_q5_1,
  gguf_q2_k,
  gguf_q3_k_s,
  gguf_q3_k_m,
  gguf_q3_k_l,
  gguf_q4_k_s,
  gguf_q5_k_s,
  gguf_mxfp4_moe,  // gpt-oss GGUFs: experts MXFP4, every other quantizable tensor Q8_0
};

// Classes of block matrices that a modules_to_not_convert / ignore list can name (bit flags).
namespace module_class {
inline constexpr uint32_t attn_q = 1u << 0;
inline constexpr uint32_t attn_k = 1u << 1;
inline constexpr uint32_t attn_v = 1u << 2;
inline constexpr uint32_t attn_o = 1u << 3;
inline constexpr uint32_t attn_other = 1u << 4;   // MLA's low-rank projections, cross-attention
inline constexpr uint32_t mlp_gate_up = 1u << 5;  // dense MLP
inline constexpr uint32_t mlp_down = 1u << 6;
inline constexpr uint32_t shexp_gate_up = 1u << 7;  // shared experts of a MoE layer
inline constexpr uint32_t shexp_down = 1u << 8;
inline constexpr uint32_t exp_gate_up = 1u << 9;  // routed experts
inline constexpr uint32_t exp_down = 1u << 10;
inline constexpr uint32_t router = 1u << 11;
inline constexpr uint32_t ssm = 1u << 12;
inline constexpr uint32_t attention = attn_q | attn_k | attn_v | attn_o | attn_other;
inline constexpr uint32_t all = (1u << 13) - 1;
}  // namespace module_class

// One entry of a checkpoint's list of modules left in the load dtype, as the matrices it names.
struct KeepRule {
  int64_t layer = -1;  // -1: every layer ("model.layers.*.self_attn"); else that block only
  uint32_t classes = 0;
  bool operator==(const KeepRule&) const = default;
};

struct QuantSpec {
  QuantMethod method = QuantMethod::none;
  uint32_t base_bits = 16;       // storage of every tensor the method leaves alone (the load dtype)
  bool double_quant = false;     // bnb 4-bit: bnb_4bit_use_double_quant
  std::string compute_dtype{};   // bnb 4-bit: bnb_4bit_compute_dtype as fp32/fp16/bf16 ("": not given, float32)
  uint64_t group_size = 128;     // gptq/awq: group_size (input columns per scale); -1 in a config = 0 here
  uint32_t bits = 4;             // gptq/awq: bits
  uint64_t block = 0;            // fp8: weight_block_size[1] (input columns per scale block), 0 = no blocks
  uint64_t block_out = 0;        // fp8: weight_block_size[0] (output rows per block); 0 = same as `block`
  bool per_channel = false;      // fp8: one scale per output row (compressed-tensors "channel", fbgemm_fp8)
  uint32_t scale_bytes = 4;      // fp8: bytes of one stored weight scale; 0 = the load dtype (base_bits / 8)
  bool input_scale = false;      // fp8: a static activation scale per Linear (activation_scheme "static")
  bool input_scale_ub = false;   // fbgemm_fp8: one fp32 input_scale_ub per Linear
  bool keep_attention = false;   // modules_to_not_convert names the attention (gpt-oss: "self_attn")
  std::vector<KeepRule> keep{};  // further modules_to_not_convert / ignore entries (see parse_keep_rule)
  bool operator==(const QuantSpec&) const = default;
};

// A checkpoint's quantization_config read into a QuantSpec (base_bits left at 16: the caller sets the load
// dtype). `method` is the config's quant_method; `notes` name list entries that match no text-model matrix.
struct QuantConfig {
  QuantSpec spec;
  std::string method;
  std::vector<std::string> notes;
};
// config: the whole config.json. nullopt when it has no quantization_config or a method we do not model
// (the weights are then counted unquantized). Throws Error{invalid_value / wrong_type} naming the key when
// a value the layout depends on is malformed (weight_block_size [0,128], bits 5, …).
std::optional<QuantConfig> read_quantization_config(const nlohmann::json& config);

// "model.layers.*.self_attn", "lm_head", "re:.*mlp.gate$", "model.layers.3.mlp.experts" → the matrices it
// names; classes 0 for names outside the blocks (embeddings, lm_head: kept anyway) or unknown ones.
KeepRule parse_keep_rule(std::string_view name);

std::optional<QuantMethod> find_quant(std::string_view id);
bool is_gguf(QuantMethod q);  // a llama.cpp GGUF type (gguf_q4_0 … the last)
std::string quant_id(QuantMethod q);
const std::vector<std::string>& quant_ids();  // every id, in display order

// One line of the breakdown: a class of tensors and its storage.
struct QuantTerm {
  std::string what;  // "quantized matrices", "token embedding", "kept in bf16", …
  uint64_t params = 0;
  uint64_t bytes = 0;
  Text formula;  // with numbers substituted
};

struct QuantizedWeights {
  uint64_t bytes = 0;             // sum of terms
  uint64_t quantized_params = 0;  // parameters stored in the quantized format
  uint64_t kept_params = 0;       // parameters left in the base dtype (or F32 in GGUF)
  std::vector<QuantTerm> terms;
  Formula formula;  // one line: the terms added up
  Text source;      // files the layout follows
  // Where the bytes are, for an engine that places tensors per device (llama.cpp, llamacpp.cpp): the
  // token embedding table; per layer index its bytes, the routed experts' share and its largest single
  // tensor (GGUF: an expert tensor holds every expert); outside_bytes is the rest (output matrix, final
  // norms, position tables), so embd_bytes + Σ layer_bytes + outside_bytes == bytes.
  uint64_t embd_bytes = 0;
  uint64_t outside_bytes = 0;
  std::vector<uint64_t> layer_bytes, layer_expert_bytes, layer_largest;
};

// Bytes of the model's weights under `q`. For QuantMethod::none this is params × base_bits / 8 exactly.
// QLoRA's frozen base: quantized_weights(m, {QuantMethod::bnb_nf4, 16, true}).
QuantizedWeights quantized_weights(const ModelSpec& m, const QuantSpec& q);

}  // namespace gpumem
