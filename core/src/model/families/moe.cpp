// Mixture-of-experts decoders. A MoE layer's feed-forward is a router (n_embd × n_expert), n_expert
// routed experts of inner size n_ff_exp, and optionally a shared-expert MLP; which layers are MoE is a
// function of the layer index that each family defines.
#include <algorithm>

#include "family.hpp"
#include "gpumem/base/error.hpp"

namespace gpumem::families {

namespace {

void moe_layer(LayerSpec& l) {
  l.ffn = FfnKind::moe;
  l.n_ff = 0;
}

void read_experts(Ctx& c, std::initializer_list<std::string_view> n_expert_keys,
                  std::initializer_list<std::string_view> used_keys) {
  c.m().n_expert = c.r.req_size(n_expert_keys);
  c.m().n_expert_used = c.r.req_size(used_keys);
  if (c.m().n_expert_used > c.m().n_expert)
    throw Error(code::invalid_value, c.r.path(*used_keys.begin()),
                txt("error.config.experts_used_over_experts", {{"key", *used_keys.begin()}}));
}

// Qwen2-MoE / Qwen3-MoE: layer il is sparse unless listed in mlp_only_layers, and only every
// decoder_sparse_step-th layer ((il + 1) % step == 0) is; the others use a dense MLP of intermediate_size.
void qwen_moe_layers(Ctx& c) {
  ModelSpec& m = c.m();
  read_experts(c, {"num_experts"}, {"num_experts_per_tok"});
  m.n_ff_exp = c.r.req_size({"moe_intermediate_size"});
  const uint64_t step = c.r.opt_size({"decoder_sparse_step"}).value_or(1);
  const auto dense_only = c.r.opt_size_list("mlp_only_layers").value_or(std::vector<uint64_t>{});
  c.per_layer([&](uint64_t il, LayerSpec& l) {
    const bool listed = std::find(dense_only.begin(), dense_only.end(), il) != dense_only.end();
    if (!listed && (il + 1) % step == 0) moe_layer(l);
  });
}

}  // namespace

// models/mixtral/modeling_mixtral.py: Mistral attention; every layer's MLP is num_local_experts gated
// experts (w1, w3, w2) of intermediate_size behind a bias-free router.
void mixtral(Ctx& c) {
  mistral(c);
  ModelSpec& m = c.m();
  m.family = "mixtral";
  read_experts(c, {"num_local_experts"}, {"num_experts_per_tok"});
  m.n_ff_exp = c.r.req_size({"intermediate_size"});
  c.all_layers(moe_layer);
}

// models/qwen2_moe/modeling_qwen2_moe.py: Qwen2 attention (q/k/v bias); sparse layers add a shared
// expert of shared_expert_intermediate_size scaled by a sigmoid gate Linear(n_embd, 1).
// Qwen1.5-MoE-A2.7B: 2·151936·2048 + 2048 + 24·(16,783,360 + 2048·60 + 60·8,650,752 + 34,603,008 +
// 2048 + 4096) = 14,315,784,192.
void qwen2_moe(Ctx& c) {
  qwen2(c);
  ModelSpec& m = c.m();
  m.family = "qwen2_moe";
  if (auto bias = c.r.opt_bool({"qkv_bias"})) m.attn_qkv_bias = *bias;
  qwen_moe_layers(c);
  m.n_ff_shexp = c.r.opt_size({"shared_expert_intermediate_size"}, true).value_or(0);
  if (m.n_ff_shexp != 0) {
    m.n_expert_shared = 1;
    m.shexp_gate = true;
  }
}

// models/qwen3_moe/modeling_qwen3_moe.py: Qwen3 attention (per-head q/k norms); no shared expert.
void qwen3_moe(Ctx& c) {
  qwen3(c);
  c.m().family = "qwen3_moe";
  qwen_moe_layers(c);
}

namespace {

// DeepSeek MoE placement (remote modeling_deepseek.py, all versions): layer il is MoE when
// il >= first_k_dense_replace and il % moe_layer_freq == 0. DeepSeek-V3: the first 3 of 61 are dense.
// Shared experts form one gated MLP of n_shared_experts × moe_intermediate_size.
void deepseek_moe_layers(Ctx& c) {
  ModelSpec& m = c.m();
  read_experts(c, {"n_routed_experts"}, {"num_experts_per_tok"});
  m.n_ff_exp = c.r.req_size({"moe_intermediate_size"});
  m.n_expert_shared = c.r.opt_size({"n_shared_experts"}, true).value_or(0);
  m.n_ff_shexp = m.n_expert_shared * m.n_ff_exp;
  const uint64_t first_dense = c.r.opt_size({"first_k_dense_replace"}, true).value_or(0);
  const uint64_t freq = c.r.opt_size({"moe_layer_freq"}).value_or(1);
  c.per_layer([&](uint64_t il, LayerSpec& l) {
    if (il >= first_dense && il % freq == 0) moe_layer(l);
  });
  m.n_nextn_layer = c.r.opt_size({"num_nextn_predict_layers"}, true).value_or(0);
}

}  // namespace

// DeepSeekMoE 16B (remote code modeling_deepseek.py, model_type "deepseek"): Llama attention and the
// DeepSeek MoE placement.
void deepseek(Ctx& c) {
  llama(c);
  c.m().family = "deepseek";
  deepseek_moe_layers(c);
}

// models/deepseek_v2/modeling_deepseek_v2.py and models/deepseek_v3/modeling_deepseek_v3.py (also
// Kimi K2, which ships DeepSeek-V3's code): multi-head latent attention —
//   q: q_a_proj n_embd × q_lora_rank, q_a_layernorm, q_b_proj q_lora_rank × n_head·(nope + rope)
//      (or q_proj n_embd × n_head·(nope + rope) when q_lora_rank is null);
//   kv_a_proj_with_mqa n_embd × (kv_lora_rank + rope), kv_a_layernorm, kv_b_proj
//      kv_lora_rank × n_head·(nope + v); o_proj n_head·v × n_embd; attention_bias on q_a, kv_a and o.
// The router is a bias-free n_expert × n_embd weight; DeepSeek-V3's e_score_correction_bias is a buffer
// in transformers, so num_parameters() does not count it.
void deepseek_v2(Ctx& c) {
  ModelSpec& m = c.m();
  llama_base(c, m.model_type == "deepseek_v2" ? "deepseek_v2" : "deepseek_v3");
  m.attn_layout = AttnLayout::mla;
  m.n_lora_q = c.r.opt_size({"q_lora_rank"}).value_or(0);
  m.n_lora_kv = c.r.req_size({"kv_lora_rank"});
  m.n_rot = c.r.req_size({"qk_rope_head_dim"});
  m.n_embd_head_k = m.n_embd_head = c.r.req_size({"qk_nope_head_dim"}) + m.n_rot;
  m.n_embd_head_v = c.r.req_size({"v_head_dim"});
  const bool bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  m.attn_qkv_bias = m.attn_o_bias = bias;
  deepseek_moe_layers(c);
  c.read_tied(false,
              txt("phrase.tied.default_plural", {{"cls", "DeepseekV2Config/DeepseekV3Config"}, {"value", "false"}}));
}

// models/gpt_oss/modeling_gpt_oss.py: q/k/v/o with attention_bias (true), one learned sink per head,
// a router with a bias, and experts whose gate_up_proj (n_embd × 2·ff) and down_proj carry biases;
// layer_types alternate sliding (window 128) and full attention. gpt-oss-20b: 2·201088·2880 + 2880 +
// 24·(26,550,144 + 32·24,891,840 + 92,192 + 5760) = 20,914,757,184.
void gpt_oss(Ctx& c) {
  ModelSpec& m = c.m();
  llama_base(c, "gpt_oss", 0, 64);
  m.attn_qkv_bias = m.attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(true);
  m.attn_sinks = true;
  read_experts(c, {"num_local_experts"}, {"num_experts_per_tok", "experts_per_token"});
  m.n_ff_exp = c.r.req_size({"intermediate_size"});
  m.expert_bias = m.router_bias = true;
  c.all_layers(moe_layer);
  const uint64_t w = c.r.opt_size({"sliding_window"}).value_or(128);
  if (!c.apply_layer_types(w)) {
    c.per_layer([&](uint64_t il, LayerSpec& l) {
      if (il % 2 != 0) return;
      l.attn = AttnKind::sliding;
      l.window = w;
    });
    m.sliding_window = w;
  }
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "GptOssConfig"}, {"value", "false"}}));
}

// models/dbrx/modeling_dbrx.py: keys under attn_config and ffn_config; weight-only LayerNorms; Wqkv of
// n_embd × (n_embd + 2·kv_n_heads·head_dim), out_proj, no biases; a bias-free router and
// moe_num_experts gated experts (w1, v1, w2) of ffn_hidden_size; untied lm_head.
void dbrx(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "dbrx";
  m.norm = NormKind::layer_no_bias;
  m.n_layer = c.r.req_size({"n_layers", "num_hidden_layers"});
  m.n_embd = c.r.req_size({"d_model", "hidden_size"});
  m.n_head = c.r.req_size({"n_heads", "num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"max_seq_len"}).value_or(0);
  c.head_dim_from_heads("n_heads");
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  if (auto attn = c.r.opt_object("attn_config")) {
    Ctx sub(*attn, c.root);
    sub.m().n_head = m.n_head;
    layer.n_head_kv = sub.read_n_head_kv(1, {"kv_n_heads"});
    for (auto& a : sub.out.assumptions) c.out.assumptions.push_back(a);
  } else {
    throw Error(code::missing_key, c.r.path("attn_config"), txt("error.config.dbrx_no_attn_config"));
  }
  auto ffn = c.r.opt_object("ffn_config");
  if (!ffn) throw Error(code::missing_key, c.r.path("ffn_config"), txt("error.config.dbrx_no_ffn_config"));
  m.n_expert = ffn->req_size({"moe_num_experts"});
  m.n_expert_used = ffn->req_size({"moe_top_k"});
  m.n_ff_exp = ffn->req_size({"ffn_hidden_size"});
  moe_layer(layer);
  c.uniform_layers(layer);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "DbrxConfig"}, {"value", "false"}}));
}

}  // namespace gpumem::families
