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
#include "gpumem/memory/quant.hpp"

#include <algorithm>
#include <map>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/memory.hpp"

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
    {QuantMethod::gguf_q4_1, "gguf-q4_1"},
    {QuantMethod::gguf_q5_0, "gguf-q5_0"},
    {QuantMethod::gguf_q5_1, "gguf-q5_1"},
    {QuantMethod::gguf_q8_0, "gguf-q8_0"},
    {QuantMethod::gguf_q2_k, "gguf-q2_k"},
    {QuantMethod::gguf_q3_k_s, "gguf-q3_k_s"},
    {QuantMethod::gguf_q3_k_m, "gguf-q3_k_m"},
    {QuantMethod::gguf_q3_k_l, "gguf-q3_k_l"},
    {QuantMethod::gguf_q4_k_s, "gguf-q4_k_s"},
    {QuantMethod::gguf_q4_k_m, "gguf-q4_k_m"},
    {QuantMethod::gguf_q5_k_s, "gguf-q5_k_s"},
    {QuantMethod::gguf_q5_k_m, "gguf-q5_k_m"},
    {QuantMethod::gguf_q6_k, "gguf-q6_k"},
    {QuantMethod::gguf_mxfp4_moe, "gguf-mxfp4_moe"},
};

// ggml storage types: values per block and bytes per block (ggml-common.h: block_q4_0 = fp16 d + 16 B of
// nibbles = 18 B per 32; block_q4_K = fp16 d, dmin + 12 B of 6-bit scales + 128 B of nibbles = 144 B per 256;
// block_mxfp4 = one E8M0 byte + 16 B = 17 B per 32; …).
struct GgmlType {
  const char* name;
  uint64_t block;
  uint64_t bytes;
};
constexpr GgmlType kF16{"F16", 1, 2};
constexpr GgmlType kQ4_0{"Q4_0", 32, 18};
constexpr GgmlType kQ4_1{"Q4_1", 32, 20};
constexpr GgmlType kQ5_0{"Q5_0", 32, 22};
constexpr GgmlType kQ5_1{"Q5_1", 32, 24};
constexpr GgmlType kQ8_0{"Q8_0", 32, 34};
constexpr GgmlType kQ2_K{"Q2_K", 256, 84};
constexpr GgmlType kQ3_K{"Q3_K", 256, 110};
constexpr GgmlType kQ4_K{"Q4_K", 256, 144};
constexpr GgmlType kQ5_K{"Q5_K", 256, 176};
constexpr GgmlType kQ6_K{"Q6_K", 256, 210};
constexpr GgmlType kMXFP4{"MXFP4", 32, 17};

using T = const GgmlType*;

// llama-quant.cpp use_more_bits: the first and last eighth of n and every third index in between
// (n = 32: 0-3, 6, 9, …, 27, 28-31 → 16 of 32).
bool use_more_bits(uint64_t i, uint64_t n) { return i < n / 8 || i >= 7 * n / 8 || (i - n / 8) % 3 == 2; }

// llama_ftype_get_default_type: the type of every quantizable tensor no rule below changes.
T gguf_default(QuantMethod f) {
  switch (f) {
    case QuantMethod::gguf_q4_0:
      return &kQ4_0;
    case QuantMethod::gguf_q4_1:
      return &kQ4_1;
    case QuantMethod::gguf_q5_0:
      return &kQ5_0;
    case QuantMethod::gguf_q5_1:
      return &kQ5_1;
    case QuantMethod::gguf_q2_k:
      return &kQ2_K;
    case QuantMethod::gguf_q3_k_s:
    case QuantMethod::gguf_q3_k_m:
    case QuantMethod::gguf_q3_k_l:
      return &kQ3_K;
    case QuantMethod::gguf_q4_k_s:
    case QuantMethod::gguf_q4_k_m:
      return &kQ4_K;
    case QuantMethod::gguf_q5_k_s:
    case QuantMethod::gguf_q5_k_m:
      return &kQ5_K;
    case QuantMethod::gguf_q6_k:
      return &kQ6_K;
    case QuantMethod::gguf_mxfp4_moe:
      return &kMXFP4;
    default:
      return &kQ8_0;
  }
}

// What llama_tensor_get_type needs to know about the model besides the tensor.
struct GgufModel {
  QuantMethod f;
  T base;
  bool falcon;        // LLM_ARCH_FALCON: output Q8_0 and its own ffn_down / attn_output rules
  bool is_70b;        // LLM_TYPE_70B (llama/mistral with 80 layers and GQA, qwen2 with 80 layers)
  bool fused_qkv;     // the converter writes one attn_qkv tensor (counts as attn_v)
  uint64_t n_expert;  // hparams.n_expert (0 for dense)
  uint64_t n_gqa;     // n_head / n_head_kv of layer 0
  uint64_t n_layer;   // hparams.n_layer: the ffn_down rules' n
  uint64_t n_attn_v;  // attn_v-category tensors in the file: the attn_v rules' n
};

bool any_of(QuantMethod f, std::initializer_list<QuantMethod> fs) {
  for (auto x : fs)
    if (f == x) return true;
  return false;
}

// The output tensor (and the token embedding when the model has no separate output): Q8_0 for Falcon,
// for MXFP4_MOE, for the Q8_0 ftype and when a row is not whole blocks of the default type; else Q6_K.
T gguf_output_type(const GgufModel& g, uint64_t ncols) {
  if (g.f == QuantMethod::gguf_mxfp4_moe || g.falcon || ncols % g.base->block != 0) return &kQ8_0;
  return g.base == &kQ8_0 ? &kQ8_0 : &kQ6_K;
}

// The attn_v rules (attn_v, or the fused attn_qkv): i = index of this tensor among the file's attn_v tensors.
T gguf_attn_v_type(const GgufModel& g, uint64_t i) {
  using Q = QuantMethod;
  T t = g.base;
  if (g.f == Q::gguf_q2_k) {
    t = g.n_gqa >= 4 ? &kQ4_K : &kQ3_K;
  } else if (g.f == Q::gguf_q3_k_m) {
    t = i < 2 ? &kQ5_K : &kQ4_K;
  } else if (g.f == Q::gguf_q3_k_l) {
    t = &kQ5_K;
  } else if (any_of(g.f, {Q::gguf_q4_k_m, Q::gguf_q5_k_m}) && use_more_bits(i, g.n_attn_v)) {
    t = &kQ6_K;
  } else if (g.f == Q::gguf_q4_k_s && i < 4) {
    t = &kQ5_K;
  }
  // 70B: attn_v is 8× smaller than attn_q under GQA, so more bits cost little (llama-quant.cpp's comment).
  if (g.is_70b && (t == &kQ3_K || t == &kQ4_K)) t = &kQ5_K;
  if (g.n_expert == 8) t = &kQ8_0;  // Mixtral: "bumping this to Q8_0 trades just ~128MB"
  return t;
}

// ffn_down (dense, shared expert or routed experts) of layer i of n.
T gguf_ffn_down_type(const GgufModel& g, uint64_t i, uint64_t n) {
  using Q = QuantMethod;
  const bool more = use_more_bits(i, n);
  switch (g.f) {
    case Q::gguf_q2_k:
      return &kQ3_K;
    case Q::gguf_q3_k_m:
      return i < n / 16 ? &kQ5_K : (!g.falcon || more) ? &kQ4_K : &kQ3_K;
    case Q::gguf_q3_k_l:
      return g.falcon ? &kQ4_K : &kQ5_K;
    case Q::gguf_q4_k_m:
      if (g.falcon) return i < n / 16 ? &kQ6_K : more ? &kQ5_K : &kQ4_K;
      return more ? &kQ6_K : g.base;
    case Q::gguf_q5_k_m:
      return more ? &kQ6_K : g.base;
    case Q::gguf_q4_k_s:
      return !g.falcon && i < n / 8 ? &kQ5_K : g.base;
    default:
      return g.base;
  }
}

T gguf_attn_output_type(const GgufModel& g) {
  using Q = QuantMethod;
  if (g.falcon) return g.f == Q::gguf_q3_k_l ? &kQ4_K : g.base;
  if (g.n_expert == 8)
    return any_of(g.f, {Q::gguf_q2_k, Q::gguf_q3_k_s, Q::gguf_q3_k_m, Q::gguf_q4_k_s, Q::gguf_q4_k_m}) ? &kQ5_K
                                                                                                       : g.base;
  if (g.f == Q::gguf_q2_k) return &kQ3_K;
  if (g.f == Q::gguf_q3_k_m) return &kQ4_K;
  if (g.f == Q::gguf_q3_k_l) return &kQ5_K;
  return g.base;
}

// tensor_type_fallback: a row (ne[0] = the matrix's input size) must be whole blocks. K-types fall back to a
// 32-block type (Q2_K/Q3_K → Q4_0, Q4_K → Q5_0, Q5_K → Q5_1, Q6_K → Q8_0), and to F16 when a row is not
// whole 32-blocks either; llama-quantize has no fallback for the 32-block types and stops.
T gguf_fallback(T t, uint64_t ncols, const std::string& tensor) {
  if (ncols % t->block == 0) return t;
  T r = nullptr;
  if (t == &kQ2_K || t == &kQ3_K)
    r = &kQ4_0;
  else if (t == &kQ4_K)
    r = &kQ5_0;
  else if (t == &kQ5_K)
    r = &kQ5_1;
  else if (t == &kQ6_K)
    r = &kQ8_0;
  if (r == nullptr)
    throw Error(
        code::bad_request, "/options/quant",
        txt("error.quant.gguf_rows", {{"tensor", tensor}, {"cols", ncols}, {"type", t->name}, {"block", t->block}}));
  return ncols % r->block == 0 ? r : &kF16;
}

// The HF model_types that llama.cpp converts with one fused attn_qkv tensor (convert_hf_to_gguf.py maps
// query_key_value / c_attn / qkv_proj / Wqkv to ATTN_QKV for these architectures).
bool fused_qkv_model(const ModelSpec& m) {
  for (const char* t : {"bloom", "falcon", "gpt2", "gpt_bigcode", "gpt_neox", "mpt", "phi3", "chatglm", "dbrx"})
    if (m.model_type == t) return true;
  return false;
}

// The GGUF tensor name of a matrix kind (for messages).
const char* gguf_name(MatrixKind k) {
  switch (k) {
    case MatrixKind::attn_q:
      return "attn_q";
    case MatrixKind::attn_k:
      return "attn_k";
    case MatrixKind::attn_v:
      return "attn_v";
    case MatrixKind::attn_o:
      return "attn_output";
    case MatrixKind::attn_other:
      return "attn (MLA / cross-attention projection)";
    case MatrixKind::ffn_gate_up:
      return "ffn_gate/ffn_up";
    case MatrixKind::ffn_down:
      return "ffn_down";
    case MatrixKind::exp_gate_up:
      return "ffn_gate_exps/ffn_up_exps";
    case MatrixKind::exp_down:
      return "ffn_down_exps";
    case MatrixKind::router:
      return "ffn_gate_inp";
    case MatrixKind::ssm:
      return "ssm projection";
  }
  return "weight";
}

// llama-model.cpp: LLM_TYPE_70B is an 80-layer llama/mistral with n_head ≠ n_head_kv, or an 80-layer qwen2.
bool llama_70b(const ModelSpec& m) {
  if (m.n_layer != 80) return false;
  if (m.model_type == "llama" || m.model_type == "mistral") return m.n_head != m.n_head_kv;
  return m.model_type == "qwen2";
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
    case QuantMethod::fp8: {
      const uint64_t sb = q.scale_bytes != 0 ? q.scale_bytes : q.base_bits / 8;
      uint64_t scales = 1;  // per tensor
      if (q.block != 0)
        scales = mul(ceil_div(in, q.block), ceil_div(out, q.block_out != 0 ? q.block_out : q.block));
      else if (q.per_channel)
        scales = out;
      uint64_t b = add(n, mul(sb, scales));
      if (q.input_scale) b = add(b, sb);
      if (q.input_scale_ub) b = add(b, 4);
      return b;
    }
    case QuantMethod::mxfp4:
      return add(ceil_div(n, 2), mul(out, ceil_div(in, 32)));
    case QuantMethod::nvfp4:
      return add(add(ceil_div(n, 2), mul(out, ceil_div(in, 16))), 8);
    default:
      return 0;
  }
}

Formula per_method_formula(const QuantSpec& q) {
  switch (q.method) {
    case QuantMethod::bnb_int8:
      return txt("formula.quant.bnb_int8");
    case QuantMethod::bnb_nf4:
    case QuantMethod::bnb_fp4:
      return txt(q.double_quant ? "formula.quant.bnb4_double" : "formula.quant.bnb4");
    case QuantMethod::gptq:
    case QuantMethod::awq: {
      const std::string g = q.group_size == 0 ? "1" : "⌈in/" + std::to_string(q.group_size) + "⌉";
      return txt(q.method == QuantMethod::gptq ? "formula.quant.gptq" : "formula.quant.awq",
                 {{"bits", std::to_string(q.bits)}, {"groups", g}});
    }
    case QuantMethod::fp8: {
      const std::string sb = std::to_string(q.scale_bytes != 0 ? q.scale_bytes : q.base_bits / 8) + " B";
      Formula f;
      if (q.block != 0)
        f += txt("formula.quant.fp8_block", {{"block", std::to_string(q.block)},
                                             {"block_out", std::to_string(q.block_out != 0 ? q.block_out : q.block)},
                                             {"scale", sb}});
      else if (q.per_channel)
        f += txt("formula.quant.fp8_channel", {{"scale", sb}});
      else
        f += txt("formula.quant.fp8_tensor", {{"scale", sb}});
      if (q.input_scale) f += txt("formula.quant.fp8_input_scale", {{"scale", sb}});
      if (q.input_scale_ub) f += txt("formula.quant.fp8_input_scale_ub");
      return f;
    }
    case QuantMethod::mxfp4:
      return txt("formula.quant.mxfp4");
    case QuantMethod::nvfp4:
      return txt("formula.quant.nvfp4");
    default:
      return txt("formula.none");
  }
}

std::string bits_name(uint32_t bits) {
  return bits == 32 ? "fp32" : bits == 16 ? "16-bit" : std::to_string(bits) + "-bit";
}

uint32_t class_of(MatrixKind k, bool moe_layer) {
  namespace c = module_class;
  switch (k) {
    case MatrixKind::attn_q:
      return c::attn_q;
    case MatrixKind::attn_k:
      return c::attn_k;
    case MatrixKind::attn_v:
      return c::attn_v;
    case MatrixKind::attn_o:
      return c::attn_o;
    case MatrixKind::attn_other:
      return c::attn_other;
    case MatrixKind::ffn_gate_up:  // in a MoE layer the dense-shaped matrices are the shared experts
      return moe_layer ? c::shexp_gate_up : c::mlp_gate_up;
    case MatrixKind::ffn_down:
      return moe_layer ? c::shexp_down : c::mlp_down;
    case MatrixKind::exp_gate_up:
      return c::exp_gate_up;
    case MatrixKind::exp_down:
      return c::exp_down;
    case MatrixKind::router:
      return c::router;
    case MatrixKind::ssm:
      return c::ssm;
  }
  return 0;
}

// Which matrices a non-GGUF method converts. Routers stay: AutoGPTQ/AutoAWQ/vLLM leave MoE gates in 16 bits
// (modules_to_not_convert "gate"/"router"); the checkpoint's own list keeps what it names (gpt-oss mxfp4:
// the attention, so only the experts are converted).
bool converts(const QuantSpec& q, MatrixKind k, bool moe_layer, uint64_t il) {
  if (k == MatrixKind::router) return false;
  const uint32_t c = class_of(k, moe_layer);
  if (q.keep_attention && (c & module_class::attention) != 0) return false;
  for (const auto& r : q.keep)
    if ((r.layer < 0 || static_cast<uint64_t>(r.layer) == il) && (r.classes & c) != 0) return false;
  return true;
}

bool has_layer_rules(const QuantSpec& q) {
  for (const auto& r : q.keep)
    if (r.layer >= 0) return true;
  return false;
}

// Bytes per decoder layer index as quantize_* find them (QuantizedWeights::layer_bytes and the rest).
struct LayerPlacement {
  struct Layer {
    uint64_t bytes = 0, experts = 0, largest = 0;
    // One matrix's bytes (every copy): a GGUF tensor holds every routed expert, gate and up are two.
    void add(const ModelSpec& m, const Matrix& x, uint64_t b) {
      bytes = gpumem::add(bytes, b);
      const bool expert = x.kind == MatrixKind::exp_gate_up || x.kind == MatrixKind::exp_down;
      if (expert) experts = gpumem::add(experts, b);
      const uint64_t tensors = expert && m.n_expert != 0 ? std::max<uint64_t>(1, x.copies / m.n_expert) : x.copies;
      largest = std::max(largest, b / std::max<uint64_t>(1, tensors));
    }
  };
  explicit LayerPlacement(const ModelSpec& m) : layers(m.n_layer) {}
  void set(uint64_t il, const Layer& l) {
    if (il < layers.size()) layers[il] = l;
  }
  void store(QuantizedWeights& r) const {
    r.embd_bytes = embd;
    for (const auto& l : layers) {
      r.layer_bytes.push_back(l.bytes);
      r.layer_expert_bytes.push_back(l.experts);
      r.layer_largest.push_back(l.largest);
    }
  }
  std::vector<Layer> layers;
  uint64_t embd = 0;
};

QuantizedWeights quantize_plain(const ModelSpec& m, const QuantSpec& q) {
  const WeightLayout w = weight_layout(m);
  uint64_t qparams = 0, qbytes = 0, kept = 0;
  LayerPlacement at(m);
  for (const auto& lm : w.layers) {
    const bool moe = lm.run.spec.ffn == FfnKind::moe;
    // Rules naming single layers split a run; without them every layer of a run is alike.
    const uint64_t step = has_layer_rules(q) ? 1 : lm.run.count();
    for (uint64_t il = lm.run.from; il <= lm.run.to; il += step) {
      const uint64_t n = std::min(step, lm.run.to - il + 1);
      LayerPlacement::Layer one;  // one layer of the n alike
      for (const auto& x : lm.matrices) {
        if (q.method != QuantMethod::none && converts(q, x.kind, moe, il)) {
          qparams = add(qparams, mul(n, x.params()));
          qbytes = add(qbytes, mul({n, x.copies, matrix_bytes(q, x.in, x.out)}));
          one.add(m, x, mul(x.copies, matrix_bytes(q, x.in, x.out)));
        } else {
          kept = add(kept, mul(n, x.params()));
          one.add(m, x, bytes_for(x.params(), q.base_bits));
        }
      }
      kept = add(kept, mul(n, lm.other));
      one.bytes = add(one.bytes, bytes_for(lm.other, q.base_bits));
      for (uint64_t k = 0; k < n; ++k) at.set(il + k, one);
    }
  }
  kept = add(add(kept, mul(w.embd_rows, w.embd_cols)), add(w.lm_head, w.other));
  QuantizedWeights r;
  at.embd = bytes_for(mul(w.embd_rows, w.embd_cols), q.base_bits);
  r.quantized_params = qparams;
  r.kept_params = kept;
  const std::string base = bits_name(q.base_bits);
  if (qparams != 0)
    r.terms.push_back({"quantized matrices", qparams, qbytes,
                       txt("formula.quant.term_quantized", {{"params", with_commas(qparams)},
                                                            {"method", quant_id(q.method)},
                                                            {"per_matrix", per_method_formula(q).text()},
                                                            {"bytes", with_commas(qbytes)}})});
  // A multimodal model's vision tower and projector stay in the load dtype under every method (their own
  // term, so the reader sees it): AWQ/GPTQ checkpoints and llm-compressor recipes list them as not converted
  // (modules_to_not_convert / ignore "re:visual.*"), vLLM's Qwen2.5-VL drops a GPTQ/AWQ quant_config for its
  // vision blocks (_maybe_ignore_quant_config). bitsandbytes in transformers converts their nn.Linear too unless
  // llm_int8_skip_modules names them: the term says so.
  const uint64_t towers = q.method == QuantMethod::none ? 0 : w.towers;
  const uint64_t kept_bytes = bytes_for(kept - towers, q.base_bits);
  r.terms.push_back({q.method == QuantMethod::none ? "all parameters" : "kept in " + base, kept - towers, kept_bytes,
                     txt("formula.quant.term_kept", {{"params", with_commas(kept - towers)},
                                                     {"bits", std::to_string(q.base_bits)},
                                                     {"bytes", with_commas(kept_bytes)}})});
  if (towers != 0) {
    const uint64_t tower_bytes = bytes_for(towers, q.base_bits);
    r.terms.push_back({"vision tower and projector in " + base, towers, tower_bytes,
                       txt("formula.quant.term_towers", {{"params", with_commas(towers)},
                                                         {"bits", std::to_string(q.base_bits)},
                                                         {"bytes", with_commas(tower_bytes)}})});
  }
  r.source = txt(q.method == QuantMethod::none ? "source.quant.none" : "source.quant.plain");
  at.store(r);
  return r;
}

// llama.cpp: each quantizable tensor gets the type llama_tensor_get_type chooses for the ftype, then the
// row-size fallback; 1-D tensors (norms, biases), the MoE router (ffn_gate_inp), position and token-type
// tables and SSM conv kernels are written F32 by convert_hf_to_gguf.py and never quantized.
QuantizedWeights quantize_gguf(const ModelSpec& m, const QuantSpec& q) {
  const WeightLayout w = weight_layout(m);
  GgufModel g{q.method,
              gguf_default(q.method),
              m.model_type == "falcon",
              llama_70b(m),
              fused_qkv_model(m),
              m.n_expert,
              m.n_head_kv == 0 ? 1 : m.n_head / m.n_head_kv,
              m.n_layer,
              0};
  for (const auto& lm : w.layers)
    for (const auto& x : lm.matrices)
      if (x.kind == MatrixKind::attn_v) g.n_attn_v = add(g.n_attn_v, lm.run.count());

  std::map<std::string, std::pair<uint64_t, uint64_t>> by_type;  // type → (params, bytes)
  auto put = [&](T t, uint64_t in, uint64_t rows) {
    auto& e = by_type[t->name];
    const uint64_t b = mul({rows, in / t->block, t->bytes});  // in is whole blocks after the fallback
    e.first = add(e.first, mul(in, rows));
    e.second = add(e.second, b);
    return b;
  };
  LayerPlacement at(m);
  const bool moe_model = m.n_expert > 1;  // llama.cpp then reads the layer from the tensor name
  uint64_t i_v = 0, i_down = 0, kept = 0;
  for (const auto& lm : w.layers) {
    for (uint64_t il = lm.run.from; il <= lm.run.to; ++il) {
      const std::string blk = "blk." + std::to_string(il) + ".";
      LayerPlacement::Layer one;
      // attn_v (or the fused attn_qkv) is typed once per layer; q and k share its type when fused.
      T v_type = nullptr;
      for (const auto& x : lm.matrices)
        if (x.kind == MatrixKind::attn_v) v_type = gguf_attn_v_type(g, i_v);
      for (const auto& x : lm.matrices) {
        if (x.kind == MatrixKind::router) {  // ffn_gate_inp: F32 from the converter, never quantized
          kept = add(kept, x.params());
          one.add(m, x, mul(x.params(), 4));
          continue;
        }
        T t = g.base;
        std::string name = blk + gguf_name(x.kind);
        const bool expert = x.kind == MatrixKind::exp_gate_up || x.kind == MatrixKind::exp_down;
        if (g.f == QuantMethod::gguf_mxfp4_moe) {
          t = expert ? &kMXFP4 : &kQ8_0;  // 3-D expert tensors MXFP4, every other one Q8_0
        } else if (x.kind == MatrixKind::attn_v ||
                   (g.fused_qkv && (x.kind == MatrixKind::attn_q || x.kind == MatrixKind::attn_k))) {
          t = v_type;
          name = blk + (g.fused_qkv ? "attn_qkv" : "attn_v");
        } else if (x.kind == MatrixKind::attn_k) {
          if (g.n_expert == 8) t = &kQ8_0;
          name = blk + "attn_k";
        } else if (x.kind == MatrixKind::attn_o) {
          t = gguf_attn_output_type(g);
          name = blk + "attn_output";
        } else if (x.kind == MatrixKind::ffn_down || x.kind == MatrixKind::exp_down) {
          t = gguf_ffn_down_type(g, moe_model ? il : i_down, g.n_layer);
          name = blk + (expert ? "ffn_down_exps" : "ffn_down");
          if (!moe_model) ++i_down;
        }
        one.add(m, x, put(gguf_fallback(t, x.in, name), x.in, mul(x.out, x.copies)));
      }
      if (v_type != nullptr) ++i_v;
      kept = add(kept, lm.other);
      one.bytes = add(one.bytes, mul(lm.other, 4));
      at.set(il, one);
    }
  }
  // Token embedding: typed as the output when there is no separate output tensor (tied); else the default
  // type (Q8_0 in MXFP4_MOE, which quantizes nothing but the experts to MXFP4).
  const T out_type = gguf_output_type(g, w.embd_cols);
  const bool tied = w.lm_head == 0;
  T embd_type = tied ? out_type : g.f == QuantMethod::gguf_mxfp4_moe ? &kQ8_0 : g.base;
  at.embd = put(gguf_fallback(embd_type, w.embd_cols, "token_embd.weight"), w.embd_cols, w.embd_rows);
  if (!tied) put(gguf_fallback(out_type, w.embd_cols, "output.weight"), w.embd_cols, w.embd_rows);
  // The vision tower and projector: llama.cpp reads them from a separate mmproj GGUF (convert_hf_to_gguf.py
  // --mmproj, F16 unless told otherwise), not from the model file; counted here as that file's F16 tensors.
  kept = add(kept, w.other - w.towers);
  QuantizedWeights r;
  for (const auto& [name, e] : by_type) {
    r.quantized_params = add(r.quantized_params, e.first);
    r.terms.push_back({std::string("GGUF ") + name, e.first, e.second,
                       txt("formula.quant.term_gguf",
                           {{"params", with_commas(e.first)}, {"type", name}, {"bytes", with_commas(e.second)}})});
  }
  r.kept_params = kept;
  const uint64_t kept_bytes = mul(kept, 4);
  r.terms.push_back(
      {"F32 (norms, biases, routers)", kept, kept_bytes,
       txt("formula.quant.term_f32", {{"params", with_commas(kept)}, {"bytes", with_commas(kept_bytes)}})});
  if (w.towers != 0) {
    r.kept_params = add(r.kept_params, w.towers);
    r.terms.push_back({"mmproj F16 (vision tower and projector)", w.towers, mul(w.towers, 2),
                       txt("formula.quant.term_mmproj",
                           {{"params", with_commas(w.towers)}, {"bytes", with_commas(mul(w.towers, 2))}})});
  }
  r.source = txt("source.quant.gguf");
  at.store(r);
  return r;
}

// ---- quantization_config ----

using nlohmann::json;

std::string lower(std::string s) {
  for (auto& ch : s)
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  return s;
}

// The classes one dotted component names. 0: not a module word we know.
uint32_t component_classes(const std::string& w) {
  namespace c = module_class;
  const uint32_t gate_up = c::mlp_gate_up | c::shexp_gate_up | c::exp_gate_up;
  const uint32_t down = c::mlp_down | c::shexp_down | c::exp_down;
  if (w == "self_attn" || w == "attn" || w == "attention" || w == "self_attention" || w == "cross_attn" ||
      w == "encdecattention")
    return c::attention;
  if (w == "q_proj" || w == "q_b_proj" || w == "wq" || w == "query") return c::attn_q;
  if (w == "k_proj" || w == "wk" || w == "key") return c::attn_k;
  if (w == "v_proj" || w == "wv" || w == "value") return c::attn_v;
  if (w == "qkv_proj" || w == "query_key_value" || w == "c_attn" || w == "wqkv" || w == "w_pack")
    return c::attn_q | c::attn_k | c::attn_v;
  if (w == "q_a_proj" || w == "kv_a_proj_with_mqa" || w == "kv_b_proj") return c::attn_other;
  if (w == "o_proj" || w == "wo" || w == "dense") return c::attn_o;
  if (w == "out_proj") return c::attn_o | c::ssm;
  if (w == "c_proj") return c::attn_o | down;
  if (w == "mlp" || w == "feed_forward" || w == "ffn" || w == "block_sparse_moe" || w == "moe")
    return c::mlp_gate_up | c::mlp_down | c::shexp_gate_up | c::shexp_down | c::exp_gate_up | c::exp_down | c::router;
  if (w == "experts") return c::exp_gate_up | c::exp_down;
  if (w == "shared_expert" || w == "shared_experts") return c::shexp_gate_up | c::shexp_down;
  if (w == "gate" || w == "router") return c::router;
  if (w == "gate_proj" || w == "up_proj" || w == "gate_up_proj" || w == "w1" || w == "w3" || w == "c_fc" ||
      w == "fc1" || w == "dense_h_to_4h")
    return gate_up;
  if (w == "down_proj" || w == "w2" || w == "fc2" || w == "dense_4h_to_h") return down;
  if (w == "mixer" || w == "in_proj" || w == "x_proj" || w == "dt_proj") return c::ssm;
  return 0;
}

std::optional<uint64_t> parse_index(const std::string& s) {
  if (s.empty() || s.size() > 9) return std::nullopt;
  uint64_t v = 0;
  for (char ch : s) {
    if (ch < '0' || ch > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(ch - '0');
  }
  return v;
}

// Reads the list under `key` into keep rules; entries we cannot place go to `notes`.
void read_keep_list(const json& c, const char* key, QuantConfig& out) {
  auto it = c.find(key);
  if (it == c.end() || it->is_null()) return;
  if (!it->is_array())
    throw Error(code::wrong_type, std::string("/quantization_config/") + key,
                txt("error.quant.module_list", {{"key", key}}));
  for (const auto& e : *it) {
    if (!e.is_string()) continue;
    const std::string name = e.get<std::string>();
    const KeepRule r = parse_keep_rule(name);
    if (r.classes != 0) {
      out.spec.keep.push_back(r);
    } else {
      const std::string l = lower(name);
      // Outside the blocks: kept by every method anyway, or not part of the text model we count.
      const bool known = l.find("lm_head") != std::string::npos || l.find("embed") != std::string::npos ||
                         l.find("vision") != std::string::npos || l.find("visual") != std::string::npos ||
                         l.find("audio") != std::string::npos || l.find("projector") != std::string::npos ||
                         l.find("norm") != std::string::npos;
      if (!known) out.notes.push_back(name);
    }
  }
}

// "torch.float32", "float32", "bfloat16", … → bytes; 0 for null or absent (the load dtype).
uint32_t scale_dtype_bytes(const json& args, const std::string& path) {
  auto it = args.find("scale_dtype");
  if (it == args.end() || it->is_null()) return 0;
  if (!it->is_string()) throw Error(code::wrong_type, path, txt("error.quant.scale_dtype_type"));
  std::string s = it->get<std::string>();
  if (s.rfind("torch.", 0) == 0) s = s.substr(6);
  if (s == "float32" || s == "float") return 4;
  if (s == "bfloat16" || s == "float16" || s == "half") return 2;
  if (s.find("float8") == 0) return 1;
  throw Error(code::invalid_value, path, txt("error.quant.scale_dtype_value", {{"value", s.substr(0, 30)}}));
}

// `what`: a key name, or nullptr for "A block dimension".
uint64_t positive(const json& v, const std::string& path, const char* what) {
  if (!v.is_number_integer() && !v.is_number_unsigned())
    throw Error(code::wrong_type, path,
                what ? txt("error.quant.positive", {{"key", what}}) : txt("error.quant.block_dim_positive"));
  if (v.is_number_integer() && v.get<int64_t>() <= 0)
    throw Error(code::invalid_value, path,
                what ? txt("error.quant.positive_eg", {{"key", what}}) : txt("error.quant.block_dim_positive_eg"));
  return v.get<uint64_t>();
}

// weight_block_size / block_structure: [rows (out), columns (in)].
void read_block(const json& v, const std::string& path, QuantSpec& q) {
  if (!v.is_array() || v.size() != 2) throw Error(code::wrong_type, path, txt("error.quant.block_size"));
  q.block_out = positive(v[0], path + "/0", nullptr);
  q.block = positive(v[1], path + "/1", nullptr);
}

// compressed-tensors: config_groups.<name>.weights / input_activations (QuantizationArgs).
bool read_compressed_tensors(const json& c, QuantConfig& out) {
  auto groups = c.find("config_groups");
  if (groups == c.end() || !groups->is_object() || groups->empty()) return false;
  const auto first = groups->begin();
  const std::string gpath = "/quantization_config/config_groups/" + first.key();
  const json& grp = first.value();
  if (!grp.is_object() || !grp.contains("weights") || !grp["weights"].is_object()) return false;
  const json& wts = grp["weights"];
  const std::string wpath = gpath + "/weights";
  const std::string type = wts.contains("type") && wts["type"].is_string() ? wts["type"].get<std::string>() : "";
  const uint64_t bits = wts.contains("num_bits") ? positive(wts["num_bits"], wpath + "/num_bits", "num_bits") : 0;
  const std::string strategy =
      wts.contains("strategy") && wts["strategy"].is_string() ? wts["strategy"].get<std::string>() : "tensor";
  QuantSpec& q = out.spec;
  if (type == "float" && bits == 8) {
    q.method = QuantMethod::fp8;
    // llm-compressor's observers keep the scales in the weight's dtype unless scale_dtype says otherwise.
    q.scale_bytes = scale_dtype_bytes(wts, wpath + "/scale_dtype");
    if (strategy == "channel") {
      q.per_channel = true;
    } else if (strategy == "block") {
      if (!wts.contains("block_structure"))
        throw Error(code::missing_key, wpath + "/block_structure", txt("error.quant.block_structure"));
      read_block(wts["block_structure"], wpath + "/block_structure", q);
    } else if (strategy != "tensor") {
      throw Error(code::invalid_value, wpath + "/strategy",
                  txt("error.quant.fp8_strategy", {{"strategy", strategy.substr(0, 20)}}));
    }
    auto ia = grp.find("input_activations");
    if (ia != grp.end() && ia->is_object()) q.input_scale = !ia->value("dynamic", true) && strategy != "block";
  } else if (type == "float" && bits == 4) {
    q.method = QuantMethod::nvfp4;  // nvfp4-pack-quantized: E4M3 scale per 16 + fp32 global scales
  } else {
    return false;
  }
  out.method = "compressed-tensors";
  return true;
}

}  // namespace

KeepRule parse_keep_rule(std::string_view name_in) {
  std::string s = lower(std::string(name_in));
  // compressed-tensors regexes ("re:.*mlp.gate$"): only the words matter here.
  if (s.rfind("re:", 0) == 0) s = s.substr(3);
  std::string clean;
  for (char ch : s) {
    if (ch == '^' || ch == '$' || ch == '\\' || ch == '(' || ch == ')' || ch == '+' || ch == '?') continue;
    clean += ch;
  }
  std::vector<std::string> parts;
  std::string cur;
  for (char ch : clean) {
    if (ch == '.' || ch == '/') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  if (!parts.empty() && (parts.back() == "weight" || parts.back() == "bias")) parts.pop_back();

  KeepRule r;
  uint32_t set = module_class::all;
  bool named = false;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if ((p == "layers" || p == "h" || p == "blocks" || p == "layer") && i + 1 < parts.size()) {
      if (auto idx = parse_index(parts[i + 1])) r.layer = static_cast<int64_t>(*idx);
      ++i;  // "*" or a number: every layer or one
      continue;
    }
    if (p == "lm_head" || p == "embed_tokens" || p == "wte" || p == "wpe" || p == "vision_tower" || p == "visual" ||
        p == "vision_model" || p == "multi_modal_projector")
      return {};  // outside the blocks
    const uint32_t c = component_classes(p);
    if (c == 0) continue;
    // "mlp.gate" is the router, a bare "gate" after a projection word is not a module of ours.
    const uint32_t next = set & c;
    if (next == 0) continue;
    set = next;
    named = true;
  }
  r.classes = named ? set : 0;
  return r;
}

std::optional<QuantConfig> read_quantization_config(const json& config) {
  auto it = config.find("quantization_config");
  if (it == config.end() || it->is_null()) return std::nullopt;
  if (!it->is_object()) throw Error(code::wrong_type, "/quantization_config", txt("error.quant.not_object"));
  const json& c = *it;
  auto str = [&](const char* k) { return c.contains(k) && c[k].is_string() ? c[k].get<std::string>() : ""; };
  QuantConfig out;
  QuantSpec& q = out.spec;
  const std::string method = str("quant_method");
  out.method = method;
  if (method == "bitsandbytes") {
    if (c.value("load_in_8bit", false)) {
      q.method = QuantMethod::bnb_int8;
    } else {
      q.method = str("bnb_4bit_quant_type") == "fp4" ? QuantMethod::bnb_fp4 : QuantMethod::bnb_nf4;
      q.double_quant = c.contains("bnb_4bit_use_double_quant") && c["bnb_4bit_use_double_quant"].is_boolean() &&
                       c["bnb_4bit_use_double_quant"].get<bool>();
      // "float16", "bfloat16", "float32", or "torch.bfloat16" as some configs save it.
      const std::string cd = str("bnb_4bit_compute_dtype");
      q.compute_dtype = cd.find("bfloat16") != std::string::npos  ? "bf16"
                        : cd.find("float16") != std::string::npos ? "fp16"
                        : cd.find("float32") != std::string::npos ? "fp32"
                                                                  : "";
    }
    read_keep_list(c, "llm_int8_skip_modules", out);
  } else if (method == "gptq" || method == "awq") {
    q.method = method == "gptq" ? QuantMethod::gptq : QuantMethod::awq;
    if (c.contains("bits") && !c["bits"].is_null()) {
      q.bits = static_cast<uint32_t>(positive(c["bits"], "/quantization_config/bits", "bits"));
      if (q.bits != 2 && q.bits != 3 && q.bits != 4 && q.bits != 8)
        throw Error(code::invalid_value, "/quantization_config/bits", txt("error.quant.bits"));
    }
    const char* gk = c.contains("group_size") ? "group_size" : "q_group_size";
    if (c.contains(gk) && c[gk].is_number_integer() && c[gk].get<int64_t>() < 0)
      q.group_size = 0;  // -1: one group over the whole input
    else if (c.contains(gk) && !c[gk].is_null())
      q.group_size = positive(c[gk], std::string("/quantization_config/") + gk, "group_size");
  } else if (method == "fp8") {
    q.method = QuantMethod::fp8;  // vLLM Fp8Config / DeepSeek-V3: fp32 scales
    if (c.contains("weight_block_size") && !c["weight_block_size"].is_null())
      read_block(c["weight_block_size"], "/quantization_config/weight_block_size", q);
    q.input_scale = str("activation_scheme") == "static";
    read_keep_list(c, "ignored_layers", out);
  } else if (method == "fbgemm_fp8") {
    q.method = QuantMethod::fp8;  // transformers FbgemmFp8Linear: fp32 weight_scale (out, 1), input_scale_ub
    q.per_channel = true;
    q.input_scale_ub = true;
  } else if (method == "compressed-tensors") {
    if (!read_compressed_tensors(c, out)) return std::nullopt;
    read_keep_list(c, "ignore", out);
  } else if (method == "mxfp4") {
    q.method = QuantMethod::mxfp4;
  } else if (method == "modelopt") {
    const std::string algo = str("quant_algo");
    if (algo.find("NVFP4") != std::string::npos) {
      q.method = QuantMethod::nvfp4;
    } else if (algo == "FP8") {
      q.method = QuantMethod::fp8;  // modelopt FP8: fp32 weight_scale and input_scale per Linear
      q.input_scale = true;
    } else {
      return std::nullopt;
    }
    read_keep_list(c, "exclude_modules", out);
    read_keep_list(c, "ignore", out);
  } else {
    return std::nullopt;
  }
  read_keep_list(c, "modules_to_not_convert", out);
  // The gpt-oss style "model.layers.*.self_attn" is kept as keep_attention too, as before.
  for (const auto& r : q.keep)
    if (r.layer < 0 && r.classes == module_class::attention) q.keep_attention = true;
  return out;
}

// The GGUF types are the enum's last members (quant.hpp).
bool is_gguf(QuantMethod q) { return q >= QuantMethod::gguf_q4_0; }

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
  Formula f;
  for (const auto& t : r.terms) {
    r.bytes = add(r.bytes, t.bytes);
    if (!f.empty()) f += txt("formula.plus");
    f += t.formula;
  }
  if (r.terms.size() > 1) f += txt("formula.eq_bytes", {{"bytes", with_commas(r.bytes)}});
  r.formula = std::move(f);
  uint64_t placed = r.embd_bytes;
  for (uint64_t b : r.layer_bytes) placed = add(placed, b);
  r.outside_bytes = r.bytes > placed ? r.bytes - placed : 0;
  return r;
}

}  // namespace gpumem
