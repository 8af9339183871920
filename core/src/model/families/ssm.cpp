// State-space and hybrid models: Mamba, Nemotron-H (Mamba-2 / attention / MLP blocks) and Jamba
// (Mamba and attention layers, dense and MoE feed-forwards).
#include "family.hpp"
#include "gpumem/base/error.hpp"

namespace gpumem::families {

namespace {

// time_step_rank / mamba_dt_rank: a number, or "auto" = ceil(n_embd / 16) (MambaConfig, JambaConfig).
uint64_t dt_rank(Ctx& c, std::string_view key) {
  if (const auto* v = c.r.find({key}); v && v->is_string()) {
    if (v->get<std::string>() != "auto")
      throw Error(code::invalid_value, c.r.path(key), txt("error.config.number_or_auto", {{"key", key}}));
    return (c.m().n_embd + 15) / 16;
  }
  if (auto n = c.r.opt_size({key})) return *n;
  c.assume("dt_rank_default", key, txt("assume.dt_rank_default", {{"key", key}, {"rank", (c.m().n_embd + 15) / 16}}));
  return (c.m().n_embd + 15) / 16;
}

LayerSpec ssm_layer(MixerKind mixer) {
  LayerSpec l;
  l.mixer = mixer;
  l.attn = AttnKind::none;
  l.ffn = FfnKind::none;
  l.n_norm = 1;
  return l;
}

}  // namespace

// models/mamba/modeling_mamba.py: each block is an RMSNorm and a MambaMixer — in_proj n_embd × 2·d_inner,
// a depthwise conv1d (d_inner × d_conv + bias), x_proj d_inner × (dt_rank + 2·d_state), dt_proj
// dt_rank × d_inner + bias, A_log d_inner × d_state, D d_inner, out_proj d_inner × n_embd; tied lm_head.
// mamba-130m: 50280·768 + 24·3,771,648 + 768 = 129,135,360.
void mamba(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "mamba";
  m.positions = PositionKind::none;
  m.n_layer = c.r.req_size({"num_hidden_layers", "n_layer"});
  m.n_embd = c.r.req_size({"hidden_size", "d_model"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.ssm_d_inner = c.r.opt_size({"intermediate_size"}).value_or(c.r.opt_size({"expand"}).value_or(2) * m.n_embd);
  m.ssm_d_state = c.r.opt_size({"state_size"}).value_or(16);
  m.ssm_d_conv = c.r.opt_size({"conv_kernel"}).value_or(4);
  m.ssm_dt_rank = dt_rank(c, "time_step_rank");
  m.ssm_proj_bias = c.r.opt_bool({"use_bias"}).value_or(false);
  m.ssm_conv_bias = c.r.opt_bool({"use_conv_bias"}).value_or(true);
  c.uniform_layers(ssm_layer(MixerKind::mamba));
  c.read_tied(true, txt("phrase.tied.keeps_pretrained", {{"cls", "MambaConfig"}}));
}

// models/nemotron_h/modeling_nemotron_h.py: hybrid_override_pattern names each block — M a Mamba-2
// mixer, * attention (q/k/v/o, attention_head_dim), - an MLP (up/down, no gate) — each behind one
// RMSNorm. Mamba-2 mixer: in_proj n_embd × (2·d_inner + 2·groups·d_state + heads), depthwise conv over
// d_inner + 2·groups·d_state channels with bias, dt_bias/A_log/D per head, a gated RMSNorm over d_inner,
// out_proj d_inner × n_embd.
void nemotron_h(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "nemotron_h";
  m.mlp = MlpKind::plain;
  m.positions = PositionKind::none;
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"max_position_embeddings"}).value_or(0);
  m.n_head = c.r.req_size({"num_attention_heads"});
  m.n_embd_head = m.n_embd_head_k = m.n_embd_head_v =
      c.r.opt_size({"attention_head_dim", "head_dim"}).value_or(m.n_embd / m.n_head);
  m.attn_qkv_bias = m.attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  m.mlp_bias = c.r.opt_bool({"mlp_bias"}).value_or(false);
  m.ssm_n_head = c.r.req_size({"mamba_num_heads"});
  m.ssm_d_inner = m.ssm_n_head * c.r.req_size({"mamba_head_dim"});
  m.ssm_d_state = c.r.req_size({"ssm_state_size"});
  m.ssm_n_group = c.r.opt_size({"n_groups"}).value_or(8);
  m.ssm_d_conv = c.r.opt_size({"conv_kernel"}).value_or(4);
  m.ssm_proj_bias = c.r.opt_bool({"use_bias"}).value_or(false);
  m.ssm_conv_bias = c.r.opt_bool({"use_conv_bias"}).value_or(true);
  const uint64_t n_head_kv = c.read_n_head_kv();
  const uint64_t n_ff = c.r.req_size({"intermediate_size"});
  auto pattern = c.r.opt_string({"hybrid_override_pattern"});
  if (!pattern)
    throw Error(code::missing_key, c.r.path("hybrid_override_pattern"), txt("error.config.no_hybrid_pattern"));
  m.n_layer = pattern->size();
  if (auto n = c.r.opt_size({"num_hidden_layers"}); n && *n != m.n_layer)
    throw Error(code::invalid_value, c.r.path("hybrid_override_pattern"),
                txt("error.config.hybrid_pattern_count", {{"blocks", m.n_layer}, {"layers", *n}}));
  for (uint64_t il = 0; il < m.n_layer; ++il) {
    const char t = (*pattern)[il];
    LayerSpec l = ssm_layer(MixerKind::mamba2);
    if (t == '*') {
      l.mixer = MixerKind::attention;
      l.attn = AttnKind::full;
      l.n_head_kv = n_head_kv;
    } else if (t == '-') {
      l.mixer = MixerKind::none;
      l.ffn = FfnKind::dense;
      l.n_ff = n_ff;
    } else if (t != 'M') {
      throw Error(code::unsupported_model, c.r.path("hybrid_override_pattern"),
                  txt("error.config.hybrid_block_unsupported", {{"block", il}, {"type", std::string(1, t)}}));
    }
    c.push_layer(l);
  }
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "NemotronHConfig"}, {"value", "false"}}));
}

// models/jamba/modeling_jamba.py: layer il has attention when il % attn_layer_period == attn_layer_offset,
// else a Mamba mixer (as Mamba's, plus RMSNorms on Δ, B and C); its feed-forward is MoE when
// il % expert_layer_period == expert_layer_offset (num_experts gated experts, bias-free router), else a
// gated MLP. Two norms per layer. Jamba-v0.1: attention every 8th layer from 4, MoE every 2nd from 1.
void jamba(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "jamba";
  m.positions = PositionKind::none;
  m.n_layer = c.r.req_size({"num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_head = c.r.req_size({"num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"max_position_embeddings"}).value_or(0);
  c.head_dim_from_heads("num_attention_heads");
  const uint64_t n_head_kv = c.read_n_head_kv();
  const uint64_t n_ff = c.r.req_size({"intermediate_size"});
  m.ssm_d_inner = c.r.opt_size({"mamba_expand"}).value_or(2) * m.n_embd;
  m.ssm_d_state = c.r.opt_size({"mamba_d_state"}).value_or(16);
  m.ssm_d_conv = c.r.opt_size({"mamba_d_conv"}).value_or(4);
  m.ssm_dt_rank = dt_rank(c, "mamba_dt_rank");
  m.ssm_conv_bias = c.r.opt_bool({"mamba_conv_bias"}).value_or(true);
  m.ssm_proj_bias = c.r.opt_bool({"mamba_proj_bias"}).value_or(false);
  m.ssm_dt_norms = true;
  m.n_expert = c.r.opt_size({"num_experts"}).value_or(16);
  m.n_expert_used = c.r.opt_size({"num_experts_per_tok"}).value_or(2);
  m.n_ff_exp = n_ff;
  const uint64_t attn_period = c.r.opt_size({"attn_layer_period"}).value_or(8);
  const uint64_t attn_offset = c.r.opt_size({"attn_layer_offset"}, true).value_or(4);
  const uint64_t exp_period = c.r.opt_size({"expert_layer_period"}).value_or(2);
  const uint64_t exp_offset = c.r.opt_size({"expert_layer_offset"}, true).value_or(1);
  c.check_pattern_size();
  for (uint64_t il = 0; il < m.n_layer; ++il) {
    LayerSpec l;
    if (il % attn_period == attn_offset) {
      l.n_head_kv = n_head_kv;
    } else {
      l.mixer = MixerKind::mamba;
      l.attn = AttnKind::none;
    }
    if (m.n_expert > 1 && il % exp_period == exp_offset)
      l.ffn = FfnKind::moe;
    else
      l.n_ff = n_ff;
    c.push_layer(l);
  }
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "JambaConfig"}, {"value", "false"}}));
}

}  // namespace gpumem::families
