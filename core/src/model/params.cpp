// Parameter layouts, computed from ModelSpec alone; docs/ARCHITECTURES.md lists each family's layout
// with the transformers file it follows, and docs/ESTIMATION.md the formulas below.
//
// Worked example, Llama-2-7b (n_embd 4096, n_ff 11008, 32 layers, 32 KV heads, vocab 32000, untied):
//   embeddings 32000·4096 = 131,072,000; lm_head the same;
//   per layer: attention 4·4096² = 67,108,864, MLP 3·4096·11008 = 135,266,304, norms 2·4096;
//   32 layers = 6,476,267,520; final norm 4096; total 6,738,415,616 (model.num_parameters()).
#include "gpumem/model/params.hpp"

#include "gpumem/base/checked.hpp"

namespace gpumem {

namespace {

// Per-layer parameters by group, so one layer's total and the model's groups come from one place.
struct Parts {
  uint64_t positions = 0, attention = 0, mlp = 0, experts_routed = 0, experts_shared = 0, router = 0, ssm = 0,
           norms = 0;
  uint64_t sum() const {
    uint64_t s = 0;
    for (uint64_t p : {positions, attention, mlp, experts_routed, experts_shared, router, ssm, norms}) s = add(s, p);
    return s;
  }
};

// One norm over n features: RMSNorm and bias-free LayerNorm have a weight, LayerNorm a weight and a bias.
uint64_t norm_params(NormKind k, uint64_t n) {
  switch (k) {
    case NormKind::rms:
    case NormKind::layer_no_bias:
      return n;
    case NormKind::layer:
      return mul(2, n);
    case NormKind::none:
      return 0;
  }
  return 0;
}

// A linear map in → out, with a bias of `out` when `bias`.
uint64_t linear(uint64_t in, uint64_t out, bool bias) { return add(mul(in, out), bias ? out : 0); }

// Multi-head attention with n_head_kv key/value heads: W_q, W_k, W_v (n_embd → heads·head_dim) and W_o.
uint64_t mha_params(const ModelSpec& m, uint64_t n_head_kv) {
  const uint64_t q = mul(m.n_head, m.n_embd_head_k);
  const uint64_t k = mul(n_head_kv, m.n_embd_head_k);
  const uint64_t v = mul(n_head_kv, m.n_embd_head_v);
  uint64_t p = add(add(linear(m.n_embd, q, m.attn_qkv_bias), linear(m.n_embd, k, m.attn_qkv_bias)),
                   linear(m.n_embd, v, m.attn_qkv_bias));
  return add(p, linear(mul(m.n_head, m.n_embd_head_v), m.n_embd, m.attn_o_bias));
}

// DeepSeek's multi-head latent attention; DeepSeek-V3 (7168 hidden, 128 heads, q_lora 1536, kv_lora 512,
// nope 128 + rope 64, v 128): 7168·1536 + 1536·128·192 + 7168·576 + 512·128·256 + 128·128·7168 =
// 187,105,280 projection weights, plus the 1536 + 512 latent norm weights.
void mla_params(const ModelSpec& m, Parts& p) {
  const uint64_t q_out = mul(m.n_head, m.n_embd_head_k);
  uint64_t a = 0;
  if (m.n_lora_q != 0) {
    a = add(linear(m.n_embd, m.n_lora_q, m.attn_qkv_bias), mul(m.n_lora_q, q_out));  // q_a_proj, q_b_proj
    p.norms = add(p.norms, norm_params(m.norm, m.n_lora_q));                         // q_a_layernorm
  } else {
    a = mul(m.n_embd, q_out);  // q_proj
  }
  a = add(a, linear(m.n_embd, add(m.n_lora_kv, m.n_rot), m.attn_qkv_bias));  // kv_a_proj_with_mqa
  const uint64_t nope = m.n_embd_head_k - m.n_rot;
  a = add(a, mul({m.n_lora_kv, m.n_head, add(nope, m.n_embd_head_v)}));         // kv_b_proj
  a = add(a, linear(mul(m.n_head, m.n_embd_head_v), m.n_embd, m.attn_o_bias));  // o_proj
  p.attention = add(p.attention, a);
  p.norms = add(p.norms, norm_params(m.norm, m.n_lora_kv));  // kv_a_layernorm
}

// A feed-forward of inner size ff: gated (gate, up, down) or plain (up, down), biases on each matrix.
uint64_t mlp_params(const ModelSpec& m, MlpKind kind, uint64_t ff, bool bias) {
  const uint64_t matrices = kind == MlpKind::gated ? 3 : 2;
  uint64_t p = mul({matrices, m.n_embd, ff});
  if (bias) p = add(p, add(mul(matrices - 1, ff), m.n_embd));
  return p;
}

// Mamba (S6): in_proj n_embd → 2·d_inner, depthwise conv1d, x_proj d_inner → dt_rank + 2·d_state,
// dt_proj dt_rank → d_inner (with bias), A_log d_inner × d_state, D d_inner, out_proj d_inner → n_embd.
void mamba_params(const ModelSpec& m, Parts& p) {
  const uint64_t di = m.ssm_d_inner;
  uint64_t s = linear(m.n_embd, mul(2, di), m.ssm_proj_bias);
  s = add(s, linear(m.ssm_d_conv, di, m.ssm_conv_bias));
  s = add(s, mul(di, add(m.ssm_dt_rank, mul(2, m.ssm_d_state))));
  s = add(s, linear(m.ssm_dt_rank, di, true));
  s = add(s, add(mul(di, m.ssm_d_state), di));
  s = add(s, linear(di, m.n_embd, m.ssm_proj_bias));
  p.ssm = add(p.ssm, s);
  if (m.ssm_dt_norms) p.norms = add(p.norms, add(m.ssm_dt_rank, mul(2, m.ssm_d_state)));
}

// Mamba-2 (SSD): in_proj n_embd → d_inner (gate) + conv_dim + heads (Δ), with conv_dim = d_inner +
// 2·groups·d_state (x, B, C); depthwise conv1d over conv_dim; dt_bias, A_log and D per head; a gated
// RMSNorm over d_inner; out_proj d_inner → n_embd.
void mamba2_params(const ModelSpec& m, Parts& p) {
  const uint64_t di = m.ssm_d_inner;
  const uint64_t conv_dim = add(di, mul({2, m.ssm_n_group, m.ssm_d_state}));
  uint64_t s = linear(m.n_embd, add(add(di, conv_dim), m.ssm_n_head), m.ssm_proj_bias);
  s = add(s, linear(m.ssm_d_conv, conv_dim, m.ssm_conv_bias));
  s = add(s, mul(3, m.ssm_n_head));
  s = add(s, linear(di, m.n_embd, m.ssm_proj_bias));
  p.ssm = add(p.ssm, s);
  p.norms = add(p.norms, di);
}

// Query/key norms: per_head shares one head_dim-wide norm across heads; full has one per head.
uint64_t qk_norm_params(const ModelSpec& m, uint64_t n_head_kv) {
  switch (m.qk_norm) {
    case QkNorm::none:
      return 0;
    case QkNorm::per_head:
      return mul(2, norm_params(m.qk_norm_kind, m.n_embd_head_k));
    case QkNorm::full:
      return add(norm_params(m.qk_norm_kind, mul(m.n_head, m.n_embd_head_k)),
                 norm_params(m.qk_norm_kind, mul(n_head_kv, m.n_embd_head_k)));
  }
  return 0;
}

Parts layer_parts(const ModelSpec& m, const LayerSpec& l) {
  Parts p;
  switch (l.mixer) {
    case MixerKind::attention:
      if (m.attn_layout == AttnLayout::mla)
        mla_params(m, p);
      else
        p.attention = mha_params(m, l.n_head_kv);
      p.norms = add(p.norms, qk_norm_params(m, l.n_head_kv));
      if (m.attn_sinks) p.attention = add(p.attention, m.n_head);
      break;
    case MixerKind::mamba:
      mamba_params(m, p);
      break;
    case MixerKind::mamba2:
      mamba2_params(m, p);
      break;
    case MixerKind::none:
      break;
  }
  if (l.cross_attn) p.attention = add(p.attention, mha_params(m, m.n_head));
  if (l.rel_bias) p.positions = mul(m.n_rel_buckets, m.n_head);
  switch (l.ffn) {
    case FfnKind::dense:
      p.mlp = mlp_params(m, m.mlp, l.n_ff, m.mlp_bias);
      break;
    case FfnKind::moe:
      p.router = linear(m.n_embd, m.n_expert, m.router_bias);
      p.experts_routed = mul(m.n_expert, mlp_params(m, m.mlp, m.n_ff_exp, m.expert_bias));
      if (m.n_ff_shexp != 0)
        p.experts_shared = add(mlp_params(m, MlpKind::gated, m.n_ff_shexp, false), m.shexp_gate ? m.n_embd : 0);
      break;
    case FfnKind::none:
      break;
  }
  p.norms = add(p.norms, mul(l.n_norm, norm_params(m.norm, m.n_embd)));
  return p;
}

// ---- multimodal towers (transformers 4.50 – 4.57; the layouts are unchanged across those releases) ----

// One ViT encoder block of SigLIP or CLIP: layer_norm1 and layer_norm2 (LayerNorm, weight and bias), q/k/v/out
// projections (width² + width each), fc1 (width → n_ff) and fc2 back, all biased. siglip/modeling_siglip.py
// SiglipEncoderLayer (SiglipAttention, SiglipMLP); clip/modeling_clip.py CLIPEncoderLayer is the same shape.
// SigLIP so400m-style (1152 wide, 4304 inner): 2·2304 + 4·(1152² + 1152) + 1152·4304 + 4304 + 4304·1152 + 1152
// = 15,239,504.
uint64_t vit_block(uint64_t h, uint64_t ff) {
  return add(
      {mul(2, norm_params(NormKind::layer, h)), mul(4, linear(h, h, true)), linear(h, ff, true), linear(ff, h, true)});
}

// The vision encoder (VisionTower::kind), without the projector.
uint64_t vision_params(const VisionTower& v) {
  const uint64_t h = v.n_embd;
  const uint64_t patch_in = mul({v.n_chan, v.patch_t, v.patch, v.patch});  // one patch's pixels × channels
  switch (v.kind) {
    case VisionKind::none:
      return 0;
    case VisionKind::siglip: {
      // SiglipVisionEmbeddings: patch_embedding Conv2d(num_channels, width, patch, stride patch) with its bias,
      // position_embedding Embedding((image/patch)², width); SiglipVisionTransformer: the blocks and
      // post_layernorm; SiglipMultiheadAttentionPoolingHead when vision_use_head: probe (width), torch's
      // MultiheadAttention (in_proj 3·width² + 3·width, out_proj width² + width), a LayerNorm and a SiglipMLP.
      uint64_t p = add({linear(patch_in, h, true), mul(v.n_pos, h), mul(v.n_layer, vit_block(h, v.n_ff)),
                        norm_params(NormKind::layer, h)});
      if (v.head)
        p = add({p, h, linear(h, mul(3, h), true), linear(h, h, true), norm_params(NormKind::layer, h),
                 linear(h, v.n_ff, true), linear(v.n_ff, h, true)});
      return p;
    }
    case VisionKind::clip:
      // CLIPVisionEmbeddings: class_embedding (width), patch_embedding Conv2d without a bias, position_embedding
      // of (image/patch)² + 1 rows; CLIPVisionTransformer: pre_layrnorm, the blocks, post_layernorm.
      // CLIPVisionModel has no visual_projection (that is CLIPVisionModelWithProjection's).
      return add({h, mul(patch_in, h), mul(v.n_pos, h), mul(2, norm_params(NormKind::layer, h)),
                  mul(v.n_layer, vit_block(h, v.n_ff))});
    case VisionKind::qwen2_vl:
      // qwen2_vl/modeling_qwen2_vl.py Qwen2VisionTransformerPretrainedModel: PatchEmbed Conv3d (channels,
      // temporal_patch_size, patch, patch) → embed_dim without a bias; Qwen2VLVisionBlock: norm1, norm2
      // (LayerNorm), VisionAttention qkv (width → 3·width) and proj, VisionMlp fc1/fc2, all biased: the fused
      // qkv holds what SigLIP's q, k and v hold, so a block has vit_block's parameters.
      return add(mul(patch_in, h), mul(v.n_layer, vit_block(h, v.n_ff)));
    case VisionKind::qwen2_5_vl: {
      // qwen2_5_vl/modeling_qwen2_5_vl.py Qwen2_5_VisionTransformerPretrainedModel: Qwen2_5_VisionPatchEmbed
      // (Conv3d, no bias); Qwen2_5_VLVisionBlock: norm1, norm2 (Qwen2RMSNorm), Qwen2_5_VLVisionAttention qkv
      // (width → 3·width) and proj, Qwen2_5_VLMLP gate/up/down, all biased. Qwen2.5-VL-7B (1280 wide, 3420
      // inner, 32 blocks): 3·2·14·14·1280 + 32·(2·1280 + 1280·3840 + 3840 + 1280² + 1280 + 2·(1280·3420 +
      // 3420) + 3420·1280 + 1280) = 1,505,280 + 32·19,702,200 = 631,975,680.
      const uint64_t block = add({mul(2, norm_params(NormKind::rms, h)), linear(h, mul(3, h), true), linear(h, h, true),
                                  mul(2, linear(h, v.n_ff, true)), linear(v.n_ff, h, true)});
      return add(mul(patch_in, h), mul(v.n_layer, block));
    }
  }
  return 0;
}

// The projector (VisionTower::projector) from the vision width into the language model's.
uint64_t projector_params(const VisionTower& v, uint64_t text_width) {
  switch (v.projector) {
    case ProjectorKind::none:
      return 0;
    case ProjectorKind::gemma3:
      // gemma3/modeling_gemma3.py Gemma3MultiModalProjector: mm_input_projection_weight (vision width × text
      // width) and mm_soft_emb_norm, a Gemma3RMSNorm over the vision width; its AvgPool2d has no weights.
      return add(mul(v.proj_in, v.proj_out), norm_params(NormKind::rms, v.proj_in));
    case ProjectorKind::linear:
      // paligemma/modeling_paligemma.py PaliGemmaMultiModalProjector: Linear(vision width, projection_dim).
      return linear(v.proj_in, v.proj_out, true);
    case ProjectorKind::mlp2:
      // llava/modeling_llava.py LlavaMultiModalProjector: linear_1 (vision width × feature layers → text
      // width), linear_2 (text → text), biased when multimodal_projector_bias (default true); LLaVA-NeXT adds
      // image_newline, one text-width vector (llava_next/modeling_llava_next.py LlavaNextModel).
      return add({linear(v.proj_in, v.proj_out, v.proj_bias), linear(v.proj_out, v.proj_out, v.proj_bias),
                  v.image_newline ? text_width : 0});
    case ProjectorKind::merger: {
      // Qwen2.5-VL Qwen2_5_VLPatchMerger (Qwen2-VL PatchMerger): ln_q over the vision width (RMSNorm;
      // Qwen2-VL: LayerNorm), then Linear(width·merge², width·merge²), GELU, Linear(width·merge², out_hidden).
      // Qwen2.5-VL-7B: 1280 + (5120² + 5120) + (5120·3584 + 3584) = 44,574,464.
      const uint64_t ctx = v.n_embd;
      const NormKind n = v.kind == VisionKind::qwen2_vl ? NormKind::layer : NormKind::rms;
      return add({norm_params(n, ctx), linear(v.proj_in, v.proj_in, true), linear(v.proj_in, v.proj_out, true)});
    }
  }
  return 0;
}

}  // namespace

ParamCount count_params(const ModelSpec& m) {
  ParamCount out;
  Parts blocks;
  uint64_t inactive = 0;  // routed experts a token does not pass through
  for (const auto& run : m.layers) {
    const LayerSpec& l = run.spec;
    const Parts p = layer_parts(m, l);
    const uint64_t n = run.count();
    blocks.positions = add(blocks.positions, mul(n, p.positions));
    blocks.attention = add(blocks.attention, mul(n, p.attention));
    blocks.mlp = add(blocks.mlp, mul(n, p.mlp));
    blocks.experts_routed = add(blocks.experts_routed, mul(n, p.experts_routed));
    blocks.experts_shared = add(blocks.experts_shared, mul(n, p.experts_shared));
    blocks.router = add(blocks.router, mul(n, p.router));
    blocks.ssm = add(blocks.ssm, mul(n, p.ssm));
    blocks.norms = add(blocks.norms, mul(n, p.norms));
    if (l.ffn == FfnKind::moe) {
      out.has_moe = true;
      inactive = add(inactive, mul(n, p.experts_routed / m.n_expert * (m.n_expert - m.n_expert_used)));
    }
    out.layers.push_back({run, p.sum()});
  }

  const uint64_t embeddings = add(mul(m.n_vocab, m.n_embd_tok), mul(m.n_tok_types, m.n_embd));
  const uint64_t positions = add(mul({m.n_pos_tables, m.n_pos, m.n_embd}), blocks.positions);
  const uint64_t norms = add(blocks.norms, mul(m.n_norm_out, norm_params(m.norm, m.n_embd)));
  uint64_t lm_head = 0;
  if (m.has_lm_head) {
    if (!m.tied_embeddings) lm_head = mul(m.n_vocab, m.n_embd_tok);
    if (m.lm_head_bias) lm_head = add(lm_head, m.n_vocab);
  }
  uint64_t other = 0;
  if (m.n_embd_tok != m.n_embd) other = mul({2, m.n_embd, m.n_embd_tok});  // OPT project_in, project_out
  if (m.pooler) other = add(other, linear(m.n_embd, m.n_embd, true));

  const uint64_t vision = vision_params(m.vision);
  const uint64_t projector = projector_params(m.vision, m.n_embd);

  out.groups = {{"embeddings", embeddings},
                {"positions", positions},
                {"attention", blocks.attention},
                {"mlp", blocks.mlp},
                {"experts_routed", blocks.experts_routed},
                {"experts_shared", blocks.experts_shared},
                {"router", blocks.router},
                {"ssm", blocks.ssm},
                {"norms", norms},
                {"lm_head", lm_head},
                {"other", other},
                {"vision", vision},
                {"projector", projector}};
  for (const auto& g : out.groups) out.total = add(out.total, g.count);
  if (out.has_moe) out.active = out.total - inactive;

  // DeepSeek-V3's MTP module: enorm and hnorm, eh_proj (2·n_embd → n_embd), one decoder layer shaped like
  // the last one, and shared_head.norm; it shares the embedding and the output head with the model.
  if (m.n_nextn_layer != 0) {
    const uint64_t one = add(add(mul(3, norm_params(m.norm, m.n_embd)), mul({2, m.n_embd, m.n_embd})),
                             layer_parts(m, m.layers.back().spec).sum());
    out.mtp = mul(m.n_nextn_layer, one);
  }
  return out;
}

}  // namespace gpumem

namespace gpumem {

uint64_t Matrix::params() const { return mul({in, out, copies}); }

namespace {

// The matrices of one layer, following the same layouts as layer_parts above.
std::vector<Matrix> layer_matrices(const ModelSpec& m, const LayerSpec& l) {
  std::vector<Matrix> out;
  const uint64_t q = mul(m.n_head, m.n_embd_head_k);
  const uint64_t o_in = mul(m.n_head, m.n_embd_head_v);
  if (l.mixer == MixerKind::attention) {
    if (m.attn_layout == AttnLayout::mla) {
      if (m.n_lora_q != 0) {
        out.push_back({MatrixKind::attn_other, m.n_embd, m.n_lora_q});
        out.push_back({MatrixKind::attn_q, m.n_lora_q, q});
      } else {
        out.push_back({MatrixKind::attn_q, m.n_embd, q});
      }
      out.push_back({MatrixKind::attn_other, m.n_embd, add(m.n_lora_kv, m.n_rot)});
      out.push_back(
          {MatrixKind::attn_other, m.n_lora_kv, mul(m.n_head, add(m.n_embd_head_k - m.n_rot, m.n_embd_head_v))});
    } else {
      out.push_back({MatrixKind::attn_q, m.n_embd, q});
      out.push_back({MatrixKind::attn_k, m.n_embd, mul(l.n_head_kv, m.n_embd_head_k)});
      out.push_back({MatrixKind::attn_v, m.n_embd, mul(l.n_head_kv, m.n_embd_head_v)});
    }
    out.push_back({MatrixKind::attn_o, o_in, m.n_embd});
  } else if (l.mixer == MixerKind::mamba) {
    const uint64_t di = m.ssm_d_inner;
    out.push_back({MatrixKind::ssm, m.n_embd, mul(2, di)});
    out.push_back({MatrixKind::ssm, di, add(m.ssm_dt_rank, mul(2, m.ssm_d_state))});
    out.push_back({MatrixKind::ssm, m.ssm_dt_rank, di});
    out.push_back({MatrixKind::ssm, di, m.n_embd});
  } else if (l.mixer == MixerKind::mamba2) {
    const uint64_t di = m.ssm_d_inner;
    const uint64_t conv_dim = add(di, mul({2, m.ssm_n_group, m.ssm_d_state}));
    out.push_back({MatrixKind::ssm, m.n_embd, add(add(di, conv_dim), m.ssm_n_head)});
    out.push_back({MatrixKind::ssm, di, m.n_embd});
  }
  if (l.cross_attn) {
    for (int i = 0; i < 3; ++i) out.push_back({MatrixKind::attn_other, m.n_embd, q});
    out.push_back({MatrixKind::attn_other, o_in, m.n_embd});
  }
  const uint64_t up = m.mlp == MlpKind::gated ? 2 : 1;
  if (l.ffn == FfnKind::dense) {
    out.push_back({MatrixKind::ffn_gate_up, m.n_embd, l.n_ff, up});
    out.push_back({MatrixKind::ffn_down, l.n_ff, m.n_embd});
  } else if (l.ffn == FfnKind::moe) {
    out.push_back({MatrixKind::router, m.n_embd, m.n_expert});
    out.push_back({MatrixKind::exp_gate_up, m.n_embd, m.n_ff_exp, mul(up, m.n_expert)});
    out.push_back({MatrixKind::exp_down, m.n_ff_exp, m.n_embd, m.n_expert});
    if (m.n_ff_shexp != 0) {
      out.push_back({MatrixKind::ffn_gate_up, m.n_embd, m.n_ff_shexp, 2});
      out.push_back({MatrixKind::ffn_down, m.n_ff_shexp, m.n_embd});
    }
  }
  return out;
}

}  // namespace

WeightLayout weight_layout(const ModelSpec& m) {
  const ParamCount pc = count_params(m);
  WeightLayout w;
  uint64_t in_blocks = 0;
  for (const auto& lp : pc.layers) {
    LayerMatrices lm{lp.run, layer_matrices(m, lp.run.spec), 0};
    uint64_t mats = 0;
    for (const auto& x : lm.matrices) mats = add(mats, x.params());
    if (mats > lp.params) throw Error(code::internal_error, "", txt("error.internal.weight_layout_layer"));
    lm.other = lp.params - mats;
    in_blocks = add(in_blocks, mul(lp.params, lp.run.count()));
    w.layers.push_back(std::move(lm));
  }
  w.embd_rows = m.n_vocab;
  w.embd_cols = m.n_embd_tok;
  if (m.has_lm_head && !m.tied_embeddings) w.lm_head = mul(m.n_vocab, m.n_embd_tok);
  const uint64_t known = add(add(in_blocks, mul(w.embd_rows, w.embd_cols)), w.lm_head);
  if (known > pc.total) throw Error(code::internal_error, "", txt("error.internal.weight_layout_model"));
  w.other = pc.total - known;
  for (const auto& g : pc.groups)
    if (g.id == "vision" || g.id == "projector") w.towers = add(w.towers, g.count);
  return w;
}

}  // namespace gpumem
