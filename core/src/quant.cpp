// Quantized weight storage. Sources (read, not copied):
//   bitsandbytes/nn/modules.py (Int8Params: int8 CB + fp32 SCB per row; Params4bit: blocksize 64, fp32
//     absmax, compress_statistics = nested 8-bit absmax with blocksize 256 + fp32 offset),
//   transformers/integrations/bitsandbytes.py (every nn.Linear except modules_to_not_convert; lm_head kept),
//   AutoGPTQ/auto_gptq/nn_modules/qlinear (qweight in·out·bits/32 int32, qzeros in/g × out·bits/32 int32,
//     scales in/g × out fp16, g_idx in int32), AutoAWQ/awq/modules/linear/gemm.py (no g_idx),
//   vllm/model_executor/layers/quantization/fp8.py (weight_scale per tensor or per weight_block_size block),
//   OCP MX spec v1.0 (32 × e2m1 + one E8M0), NVIDIA modelopt NVFP4 (16 × e2m1 + one E4M3, fp32 weight_scale_2
//     and input_scale per tensor), ggml/src/ggml-common.h (block sizes) and llama.cpp src/llama-quant.cpp
//     (llama_tensor_get_type: per-tensor type of each ftype).
#include "gpumem/quant.hpp"

#include <map>

#include "gpumem/checked.hpp"
#include "gpumem/error.hpp"
#include "gpumem/format.hpp"
#include "gpumem/memory.hpp"

namespace gpumem {

namespace {

struct QuantName {
  QuantMethod method;
  const char* id;
};
constexpr QuantName kQuantNames[] = {
    {QuantMethod::none, "none"},
    {QuantMethod::bnb_int8, "bnb-int8"},
    {QuantMethod::bnb_nf4, "bnb-nf4"},
    {QuantMethod::bnb_fp4, "bnb-fp4"},
    {QuantMethod::gptq, "gptq-4bit"},
    {QuantMethod::awq, "awq-4bit"},
    {QuantMethod::fp8, "fp8"},
    {QuantMethod::mxfp4, "mxfp4"},
    {QuantMethod::nvfp4, "nvfp4"},
    {QuantMethod::gguf_q4_0, "gguf-q4_0"},
    {QuantMethod::gguf_q4_k_m, "gguf-q4_k_m"},
    {QuantMethod::gguf_q5_k_m, "gguf-q5_k_m"},
    {QuantMethod::gguf_q6_k, "gguf-q6_k"},
    {QuantMethod::gguf_q8_0, "gguf-q8_0"},
};

uint64_t ceil_div(uint64_t a, uint64_t b) { return a / b + (a % b != 0 ? 1 : 0); }

// ggml block types: values per block and bytes per block (ggml-common.h block_q4_0 … block_q6_K).
struct GgmlType {
  const char* name;
  uint64_t block;
  uint64_t bytes;
};
constexpr GgmlType kQ4_0{"Q4_0", 32, 18};
constexpr GgmlType kQ8_0{"Q8_0", 32, 34};
constexpr GgmlType kQ4_K{"Q4_K", 256, 144};
constexpr GgmlType kQ5_K{"Q5_K", 256, 176};
constexpr GgmlType kQ6_K{"Q6_K", 256, 210};

// A tensor of `rows` rows of `in` values in a ggml block type; a row that is not a whole number of blocks
// would make llama.cpp fall back to another type, here it is rounded up to whole blocks.
uint64_t ggml_bytes(const GgmlType& t, uint64_t in, uint64_t rows) {
  return mul({rows, ceil_div(in, t.block), t.bytes});
}

// llama-quant.cpp use_more_bits: the first and last eighth of the layers and every third in between.
bool use_more_bits(uint64_t i, uint64_t n) {
  return i < n / 8 || i >= 7 * n / 8 || (i >= n / 8 && (i - n / 8) % 3 == 2);
}

bool is_gguf(QuantMethod q) {
  return q == QuantMethod::gguf_q4_0 || q == QuantMethod::gguf_q4_k_m || q == QuantMethod::gguf_q5_k_m ||
         q == QuantMethod::gguf_q6_k || q == QuantMethod::gguf_q8_0;
}

// The storage of one converted matrix (in × out) for the non-GGUF methods.
uint64_t matrix_bytes(const QuantSpec& q, uint64_t in, uint64_t out) {
  const uint64_t n = mul(in, out);
  switch (q.method) {
    case QuantMethod::bnb_int8:
      return add(n, mul(4, out));
    case QuantMethod::bnb_nf4:
    case QuantMethod::bnb_fp4: {
      const uint64_t blocks = ceil_div(n, 64);
      const uint64_t packed = ceil_div(n, 2);
      if (!q.double_quant) return add(packed, mul(4, blocks));
      return add(add(packed, blocks), add(mul(4, ceil_div(blocks, 256)), 4));
    }
    case QuantMethod::gptq:
    case QuantMethod::awq: {
      const uint64_t groups = q.group_size == 0 ? 1 : ceil_div(in, q.group_size);
      const uint64_t qweight = mul(4, ceil_div(mul({in, out, q.bits}), 32));
      const uint64_t qzeros = mul({4, groups, ceil_div(mul(out, q.bits), 32)});
      const uint64_t scales = mul({2, groups, out});
      uint64_t b = add(add(qweight, qzeros), scales);
      if (q.method == QuantMethod::gptq) b = add(b, mul(4, in));
      return b;
    }
    case QuantMethod::fp8:
      if (q.block == 0) return add(n, 4);
      return add(n, mul({4, ceil_div(in, q.block), ceil_div(out, q.block)}));
    case QuantMethod::mxfp4:
      return add(ceil_div(n, 2), mul(out, ceil_div(in, 32)));
    case QuantMethod::nvfp4:
      return add(add(ceil_div(n, 2), mul(out, ceil_div(in, 16))), 8);
    default:
      return 0;
  }
}

std::string per_method_formula(const QuantSpec& q) {
  switch (q.method) {
    case QuantMethod::bnb_int8:
      return "in·out × 1 B + out × 4 B (fp32 SCB)";
    case QuantMethod::bnb_nf4:
    case QuantMethod::bnb_fp4:
      return q.double_quant ? "n/2 B + ⌈n/64⌉ × 1 B (8-bit absmax) + ⌈n/64/256⌉ × 4 B + 4 B offset"
                            : "n/2 B + ⌈n/64⌉ × 4 B (fp32 absmax)";
    case QuantMethod::gptq:
    case QuantMethod::awq: {
      const std::string g = q.group_size == 0 ? "1" : "⌈in/" + std::to_string(q.group_size) + "⌉";
      return "in·out·" + std::to_string(q.bits) + "/8 B + " + g + "·out·(" + std::to_string(q.bits) + "/8 + 2) B" +
             (q.method == QuantMethod::gptq ? " + in × 4 B (g_idx)" : "");
    }
    case QuantMethod::fp8:
      return q.block == 0
                 ? "n × 1 B + 4 B (fp32 scale per tensor)"
                 : "n × 1 B + ⌈in/" + std::to_string(q.block) + "⌉·⌈out/" + std::to_string(q.block) + "⌉ × 4 B";
    case QuantMethod::mxfp4:
      return "n/2 B + n/32 × 1 B (E8M0)";
    case QuantMethod::nvfp4:
      return "n/2 B + n/16 × 1 B (E4M3) + 8 B (fp32 global and input scale)";
    default:
      return "";
  }
}

std::string bits_name(uint32_t bits) {
  return bits == 32 ? "fp32" : bits == 16 ? "16-bit" : std::to_string(bits) + "-bit";
}

// Which matrices a non-GGUF method converts. Routers stay: AutoGPTQ/AutoAWQ/vLLM leave MoE gates in 16 bits
// (modules_to_not_convert "gate"/"router"); mxfp4 checkpoints (gpt-oss) quantize the experts only when the
// config keeps the attention.
bool converts(const QuantSpec& q, MatrixKind k) {
  if (k == MatrixKind::router) return false;
  const bool attn = k == MatrixKind::attn_q || k == MatrixKind::attn_k || k == MatrixKind::attn_v ||
                    k == MatrixKind::attn_o || k == MatrixKind::attn_other;
  if (attn && q.keep_attention) return false;
  return true;
}

QuantizedWeights quantize_plain(const ModelSpec& m, const QuantSpec& q) {
  const WeightLayout w = weight_layout(m);
  uint64_t qparams = 0, qbytes = 0, kept = 0;
  for (const auto& lm : w.layers) {
    const uint64_t n = lm.run.count();
    for (const auto& x : lm.matrices) {
      if (q.method != QuantMethod::none && converts(q, x.kind)) {
        qparams = add(qparams, mul(n, x.params()));
        qbytes = add(qbytes, mul({n, x.copies, matrix_bytes(q, x.in, x.out)}));
      } else {
        kept = add(kept, mul(n, x.params()));
      }
    }
    kept = add(kept, mul(n, lm.other));
  }
  kept = add(add(kept, mul(w.embd_rows, w.embd_cols)), add(w.lm_head, w.other));
  QuantizedWeights r;
  r.quantized_params = qparams;
  r.kept_params = kept;
  const std::string base = bits_name(q.base_bits);
  if (qparams != 0)
    r.terms.push_back({"quantized matrices", qparams, qbytes,
                       with_commas(qparams) + " params as " + quant_id(q.method) + ": per matrix " +
                           per_method_formula(q) + " = " + with_commas(qbytes) + " bytes"});
  const uint64_t kept_bytes = bytes_for(kept, q.base_bits);
  r.terms.push_back({q.method == QuantMethod::none ? "all parameters" : "kept in " + base, kept, kept_bytes,
                     with_commas(kept) + " params × " + std::to_string(q.base_bits) +
                         "/8 B = " + with_commas(kept_bytes) + " bytes"});
  r.source = q.method == QuantMethod::none
                 ? "bytes per parameter of the storage type"
                 : "bitsandbytes nn/modules.py, AutoGPTQ/AutoAWQ qlinear, vLLM quantization/*.py, OCP MX v1.0, "
                   "NVIDIA NVFP4; embeddings, lm_head, norms, biases and MoE routers stay in the load dtype";
  return r;
}

// llama.cpp: 2-D weights get the ftype's type as llama_tensor_get_type chooses it; 1-D tensors (norms,
// biases) and anything the converter wrote as F32 stay F32 (4 bytes).
QuantizedWeights quantize_gguf(const ModelSpec& m, const QuantSpec& q) {
  const WeightLayout w = weight_layout(m);
  const bool k_m = q.method == QuantMethod::gguf_q4_k_m || q.method == QuantMethod::gguf_q5_k_m;
  GgmlType base = kQ8_0;
  switch (q.method) {
    case QuantMethod::gguf_q4_0:
      base = kQ4_0;
      break;
    case QuantMethod::gguf_q4_k_m:
      base = kQ4_K;
      break;
    case QuantMethod::gguf_q5_k_m:
      base = kQ5_K;
      break;
    case QuantMethod::gguf_q6_k:
      base = kQ6_K;
      break;
    default:
      break;
  }
  std::map<std::string, std::pair<uint64_t, uint64_t>> by_type;  // type → (params, bytes)
  auto put = [&](const GgmlType& t, uint64_t in, uint64_t rows) {
    auto& e = by_type[t.name];
    e.first = add(e.first, mul(in, rows));
    e.second = add(e.second, ggml_bytes(t, in, rows));
  };
  const bool eight_experts = m.n_expert == 8;
  // Output head: Q6_K unless the ftype is Q8_0, Q8_0 when a row is not whole K-blocks.
  const GgmlType out_type = base.name == kQ8_0.name ? kQ8_0 : (w.embd_cols % 256 != 0 ? kQ8_0 : kQ6_K);
  uint64_t n_attn = 0;
  for (const auto& lm : w.layers)
    if (lm.run.spec.mixer == MixerKind::attention) n_attn = add(n_attn, lm.run.count());
  uint64_t i_attn = 0, kept = 0;
  for (const auto& lm : w.layers) {
    for (uint64_t il = lm.run.from; il <= lm.run.to; ++il) {
      const bool more = use_more_bits(il, m.n_layer);
      for (const auto& x : lm.matrices) {
        GgmlType t = base;
        if (x.kind == MatrixKind::attn_v) {
          if (k_m && use_more_bits(i_attn, n_attn)) t = kQ6_K;
          if (eight_experts) t = kQ8_0;
        } else if (x.kind == MatrixKind::attn_k) {
          if (eight_experts) t = kQ8_0;
        } else if (x.kind == MatrixKind::attn_o) {
          if (eight_experts && q.method == QuantMethod::gguf_q4_k_m) t = kQ5_K;
        } else if (x.kind == MatrixKind::ffn_down || x.kind == MatrixKind::exp_down) {
          if (k_m && more) t = kQ6_K;
        }
        put(t, x.in, mul(x.out, x.copies));
      }
      kept = add(kept, lm.other);
      if (lm.run.spec.mixer == MixerKind::attention) ++i_attn;
    }
  }
  // Token embedding: the ftype's type, or the output's when it doubles as the output (tied).
  put(m.tied_embeddings ? out_type : base, w.embd_cols, w.embd_rows);
  if (w.lm_head != 0) put(out_type, w.embd_cols, w.embd_rows);
  kept = add(kept, w.other);
  QuantizedWeights r;
  for (const auto& [name, e] : by_type) {
    r.quantized_params = add(r.quantized_params, e.first);
    r.terms.push_back({std::string("GGUF ") + name, e.first, e.second,
                       with_commas(e.first) + " params in " + name + " = " + with_commas(e.second) + " bytes"});
  }
  r.kept_params = kept;
  const uint64_t kept_bytes = mul(kept, 4);
  r.terms.push_back({"F32 (norms, biases)", kept, kept_bytes,
                     with_commas(kept) + " params × 4 B = " + with_commas(kept_bytes) + " bytes"});
  r.source =
      "llama.cpp src/llama-quant.cpp llama_tensor_get_type (output Q6_K, use_more_bits for attn_v and ffn_down "
      "in _K_M, 8-expert bumps), ggml-common.h block sizes (Q4_0 18 B/32, Q8_0 34 B/32, Q4_K 144 B/256, "
      "Q5_K 176 B/256, Q6_K 210 B/256); 1-D tensors F32";
  return r;
}

}  // namespace

std::optional<QuantMethod> find_quant(std::string_view id) {
  for (const auto& n : kQuantNames)
    if (id == n.id) return n.method;
  return std::nullopt;
}

std::string quant_id(QuantMethod q) {
  for (const auto& n : kQuantNames)
    if (n.method == q) return n.id;
  return "";
}

const std::vector<std::string>& quant_ids() {
  static const std::vector<std::string> ids = [] {
    std::vector<std::string> v;
    for (const auto& n : kQuantNames) v.push_back(n.id);
    return v;
  }();
  return ids;
}

QuantizedWeights quantized_weights(const ModelSpec& m, const QuantSpec& q) {
  QuantizedWeights r = is_gguf(q.method) ? quantize_gguf(m, q) : quantize_plain(m, q);
  std::string f;
  for (const auto& t : r.terms) {
    r.bytes = add(r.bytes, t.bytes);
    f += (f.empty() ? "" : " + ") + t.formula;
  }
  r.formula = f + (r.terms.size() > 1 ? " = " + with_commas(r.bytes) + " bytes" : "");
  return r;
}

}  // namespace gpumem
