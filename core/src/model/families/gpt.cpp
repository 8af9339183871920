// GPT-style decoders: LayerNorm with bias, plain (non-gated) MLPs, biases on most projections, and
// learned, rotary or ALiBi positions. Each function names the transformers modeling file it follows.
#include "family.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem::families {

namespace {

// The MLP inner size from `key`, else 4 × n_embd as the family's MLP class does.
uint64_t ff_or_4x(Ctx& c, std::string_view key, const char* who) {
  if (auto ff = c.r.opt_size({key})) return *ff;
  const uint64_t ff = 4 * c.m().n_embd;
  c.assume("n_ff_default", key, txt("assume.n_ff_default", {{"key", key}, {"n_ff", with_commas(ff)}, {"cls", who}}));
  return ff;
}

void layer_norm_plain(ModelSpec& m) {
  m.norm = NormKind::layer;
  m.mlp = MlpKind::plain;
}

}  // namespace

// models/gpt2/modeling_gpt2.py: learned positions, Conv1D projections with biases, a 4× MLP by default.
void gpt2(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "gpt2";
  layer_norm_plain(m);
  m.positions = PositionKind::learned;
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = true;
  m.n_layer = c.r.req_size({"n_layer", "num_hidden_layers"});
  m.n_embd = c.r.req_size({"n_embd", "hidden_size"});
  m.n_head = c.r.req_size({"n_head", "num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_pos = c.r.req_size({"n_positions", "max_position_embeddings"});
  m.n_pos_tables = 1;
  m.n_ctx_train = m.n_pos;
  c.head_dim_from_heads("n_head");
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  layer.n_ff = ff_or_4x(c, "n_inner", "GPT2MLP");
  c.uniform_layers(layer);
  c.read_tied(true, txt("phrase.tied.defaults", {{"cls", "GPT2Config"}, {"value", "true"}}));
}

// models/gpt_bigcode/modeling_gpt_bigcode.py: GPT-2 with multi_query (one K/V head: c_attn is
// n_embd × (n_embd + 2·head_dim)).
void gpt_bigcode(Ctx& c) {
  gpt2(c);
  c.m().family = "gpt_bigcode";
  if (c.r.opt_bool({"multi_query"}).value_or(true)) {
    if (!c.r.has("multi_query")) c.assume("multi_query_default", "multi_query", txt("assume.multi_query_default"));
    c.all_layers([](LayerSpec& l) { l.n_head_kv = 1; });
  }
}

// models/gptj/modeling_gptj.py: one LayerNorm per block (attention and MLP in parallel), q/k/v/o without
// bias, fc_in/fc_out with bias, rotary positions, and an lm_head with a bias.
void gptj(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "gptj";
  layer_norm_plain(m);
  m.mlp_bias = true;
  m.lm_head_bias = true;
  m.n_layer = c.r.req_size({"n_layer", "num_hidden_layers"});
  m.n_embd = c.r.req_size({"n_embd", "hidden_size"});
  m.n_head = c.r.req_size({"n_head", "num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"n_positions", "max_position_embeddings"}).value_or(0);
  c.head_dim_from_heads("n_head");
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  layer.n_norm = 1;
  layer.n_ff = ff_or_4x(c, "n_inner", "GPTJMLP");
  c.uniform_layers(layer);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "GPTJConfig"}, {"value", "false"}}));
}

// models/gpt_neox/modeling_gpt_neox.py (Pythia): fused query_key_value and dense with attention_bias
// (default true), two LayerNorms per block whether or not the residual is parallel, untied embed_out.
void gpt_neox(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "gpt_neox";
  layer_norm_plain(m);
  m.mlp_bias = true;
  m.attn_qkv_bias = m.attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(true);
  m.n_layer = c.r.req_size({"num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_head = c.r.req_size({"num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"max_position_embeddings"}).value_or(0);
  c.head_dim_from_heads("num_attention_heads");
  // rotary_ndims = int(head_size × rotary_pct) (GPTNeoXAttention); it sizes old versions' rotary tables only.
  const auto pct = c.r.opt_fraction({"rotary_pct", "partial_rotary_factor"});
  if (!pct) c.assume("rotary_pct_default", "rotary_pct", txt("assume.rotary_pct_default"));
  m.n_rot_dims = static_cast<uint64_t>(static_cast<double>(m.n_embd_head_k) * pct.value_or(0.25));
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  layer.n_ff = c.r.req_size({"intermediate_size"});
  c.uniform_layers(layer);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "GPTNeoXConfig"}, {"value", "false"}}));
}

// models/phi/modeling_phi.py (phi-1, phi-1.5, phi-2): one LayerNorm per block (parallel attention and
// MLP), biased q/k/v/dense and fc1/fc2, optional qk_layernorm (LayerNorm over head_dim, shared by heads),
// and an lm_head with a bias.
void phi(Ctx& c) {
  ModelSpec& m = c.m();
  llama_base(c, "phi");
  layer_norm_plain(m);
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = m.lm_head_bias = true;
  c.all_layers([](LayerSpec& l) { l.n_norm = 1; });
  if (c.r.opt_bool({"qk_layernorm"}).value_or(false)) {
    m.qk_norm = QkNorm::per_head;
    m.qk_norm_kind = NormKind::layer;
  }
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "PhiConfig"}, {"value", "false"}}));
}

// models/falcon/modeling_falcon.py: query_key_value is n_embd × (n_head + 2·n_head_kv)·head_dim where
// n_head_kv is num_kv_heads with new_decoder_architecture, 1 with multi_query, else n_head. Norms:
// ln_attn + ln_mlp (new architecture, num_ln_in_parallel_attn 2), else input_layernorm plus
// post_attention_layernorm unless parallel_attn. `bias` applies to every linear but lm_head.
void falcon(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "falcon";
  layer_norm_plain(m);
  m.n_layer = c.r.req_size({"num_hidden_layers", "n_layer"});
  m.n_embd = c.r.req_size({"hidden_size", "n_embed"});
  m.n_head = c.r.req_size({"num_attention_heads", "n_head"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"max_position_embeddings"}).value_or(0);
  c.head_dim_from_heads("num_attention_heads");
  const bool new_arch = c.r.opt_bool({"new_decoder_architecture"}).value_or(false);
  const bool multi_query = c.r.opt_bool({"multi_query"}).value_or(true);
  const bool parallel = c.r.opt_bool({"parallel_attn"}).value_or(true);
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = c.r.opt_bool({"bias"}).value_or(false);
  if (c.r.opt_bool({"alibi"}).value_or(false)) m.positions = PositionKind::alibi;
  LayerSpec layer;
  if (new_arch)
    layer.n_head_kv = c.read_n_head_kv(0, {"num_kv_heads"});
  else
    layer.n_head_kv = multi_query ? 1 : m.n_head;
  const uint64_t n_ln_parallel = c.r.opt_size({"num_ln_in_parallel_attn"}).value_or(2);
  layer.n_norm = new_arch && n_ln_parallel == 2 ? 2 : (parallel ? 1 : 2);
  layer.n_ff = ff_or_4x(c, "ffn_hidden_size", "FalconMLP");
  c.uniform_layers(layer);
  c.read_tied(true, txt("phrase.tied.keeps_pretrained", {{"cls", "FalconConfig"}}));
}

// models/bloom/modeling_bloom.py: ALiBi, a LayerNorm after the word embeddings (word_embeddings_layernorm)
// besides ln_f, biased fused query_key_value and dense, a 4× MLP with biases, tied lm_head.
void bloom(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "bloom";
  layer_norm_plain(m);
  m.positions = PositionKind::alibi;
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = true;
  m.n_layer = c.r.req_size({"n_layer", "num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size", "n_embed"});
  m.n_head = c.r.req_size({"n_head", "num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"seq_length", "max_position_embeddings"}).value_or(0);
  m.n_norm_out = 2;
  c.head_dim_from_heads("n_head");
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  layer.n_ff = 4 * m.n_embd;  // BloomMLP: dense_h_to_4h is always 4 × hidden_size (n_inner is ignored)
  c.uniform_layers(layer);
  c.read_tied(true, txt("phrase.tied.keeps_pretrained", {{"cls", "BloomConfig"}}));
}

// models/opt/modeling_opt.py: learned positions with 2 offset rows (max_position_embeddings + 2),
// token embeddings of width word_embed_proj_dim with project_in/project_out (no bias) when it differs
// from hidden_size, biases from enable_bias, and a final LayerNorm only when do_layer_norm_before and
// not _remove_final_layer_norm. OPT-350m: 50272·512 + 2050·1024 + 2·1024·512 + 24·12,596,224 =
// 331,196,416.
void opt(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "opt";
  layer_norm_plain(m);
  m.positions = PositionKind::learned;
  m.n_layer = c.r.req_size({"num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_head = c.r.req_size({"num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.req_size({"max_position_embeddings"});
  m.n_pos = m.n_ctx_train + 2;  // OPTLearnedPositionalEmbedding: offset 2
  m.n_pos_tables = 1;
  m.n_embd_tok = c.r.opt_size({"word_embed_proj_dim"}).value_or(m.n_embd);
  c.head_dim_from_heads("num_attention_heads");
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = c.r.opt_bool({"enable_bias"}).value_or(true);
  if (!c.r.opt_bool({"layer_norm_elementwise_affine"}).value_or(true)) m.norm = NormKind::none;
  const bool before = c.r.opt_bool({"do_layer_norm_before"}).value_or(true);
  const bool removed = c.r.opt_bool({"_remove_final_layer_norm"}).value_or(false);
  m.n_norm_out = before && !removed ? 1 : 0;
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  layer.n_ff = c.r.req_size({"ffn_dim"});
  c.uniform_layers(layer);
  c.read_tied(true, txt("phrase.tied.defaults", {{"cls", "OPTConfig"}, {"value", "true"}}));
}

// models/mpt/modeling_mpt.py: LayerNorms whose bias is removed (weight only), Wqkv/out_proj and
// up/down projections without bias, expansion_ratio × d_model MLP, ALiBi, tied lm_head.
void mpt(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "mpt";
  m.norm = NormKind::layer_no_bias;
  m.mlp = MlpKind::plain;
  m.n_layer = c.r.req_size({"n_layers", "num_hidden_layers"});
  m.n_embd = c.r.req_size({"d_model", "hidden_size"});
  m.n_head = c.r.req_size({"n_heads", "num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.opt_size({"max_seq_len"}).value_or(0);
  c.head_dim_from_heads("n_heads");
  bool alibi = true;
  if (auto attn = c.r.opt_object("attn_config")) alibi = attn->opt_bool({"alibi"}).value_or(true);
  m.positions = alibi ? PositionKind::alibi : PositionKind::none;
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  const uint64_t ratio = c.r.opt_size({"expansion_ratio"}).value_or(4);
  layer.n_ff = ratio * m.n_embd;
  c.uniform_layers(layer);
  c.read_tied(true, txt("phrase.tied.keeps_pretrained", {{"cls", "MptConfig"}}));
}

// ChatGLM2/3 and GLM-4 remote code (modeling_chatglm.py): its own key names (num_layers,
// padded_vocab_size, ffn_hidden_size, kv_channels, multi_query_group_num), a fused query_key_value of
// n_embd × (n_head + 2·groups)·kv_channels with a bias from add_qkv_bias, dense and the gated
// dense_h_to_4h (n_embd × 2·ffn) / dense_4h_to_h with add_bias_linear, RMSNorm when rmsnorm, a final
// norm when post_layer_norm, and a separate output_layer. ChatGLM3-6B: 2·65024·4096 + 4096 +
// 28·(8192 + 18,878,976 + 16,777,216 + 168,296,448) = 6,243,584,000.
void chatglm(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "chatglm";
  m.norm = c.r.opt_bool({"rmsnorm"}).value_or(true) ? NormKind::rms : NormKind::layer;
  m.n_layer = c.r.req_size({"num_layers", "num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_head = c.r.req_size({"num_attention_heads"});
  m.n_vocab = c.r.req_size({"padded_vocab_size", "vocab_size"});
  m.n_ctx_train = c.r.opt_size({"seq_length"}).value_or(0);
  if (auto kv = c.r.opt_size({"kv_channels"})) {
    m.n_embd_head = m.n_embd_head_k = m.n_embd_head_v = *kv;
  } else {
    c.head_dim_from_heads("num_attention_heads");
  }
  const bool linear_bias = c.r.opt_bool({"add_bias_linear"}).value_or(false);
  m.attn_qkv_bias = linear_bias || c.r.opt_bool({"add_qkv_bias"}).value_or(false);
  m.attn_o_bias = m.mlp_bias = linear_bias;
  m.n_norm_out = c.r.opt_bool({"post_layer_norm"}).value_or(true) ? 1 : 0;
  LayerSpec layer;
  layer.n_head_kv = m.n_head;
  if (c.r.opt_bool({"multi_query_attention"}).value_or(false))
    layer.n_head_kv = c.read_n_head_kv(1, {"multi_query_group_num"});
  layer.n_ff = c.r.req_size({"ffn_hidden_size"});
  c.uniform_layers(layer);
  m.tied_embeddings = false;  // output_layer is its own Linear; the remote code never ties it
  if (c.r.opt_bool({"tie_word_embeddings"}).value_or(false))
    c.assume("tied_ignored", "tie_word_embeddings", txt("assume.tied_ignored.chatglm"));
}

}  // namespace gpumem::families
