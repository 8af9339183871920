// Encoders (BERT, RoBERTa) and encoder-decoders (T5, BART). Encoder blocks come first in `layers`.
#include "family.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"

namespace gpumem::families {

// models/bert/modeling_bert.py (BertModel) and models/roberta/modeling_roberta.py: word, position
// (max_position_embeddings rows; RoBERTa's configs already include its 2 padding-offset rows) and
// token-type embeddings plus a LayerNorm; per layer biased q/k/v and output dense, a LayerNorm after
// attention and after the MLP (intermediate and output dense, biased); a pooler (dense + bias).
// bert-base-uncased: 30522·768 + 512·768 + 2·768 + 1536 + 12·7,087,872 + 590,592 = 109,482,240.
void bert(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "bert";
  m.norm = NormKind::layer;
  m.mlp = MlpKind::plain;
  m.positions = PositionKind::learned;
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = true;
  m.has_lm_head = false;
  m.pooler = true;
  m.n_layer = m.n_layer_enc = c.r.req_size({"num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_head = c.r.req_size({"num_attention_heads"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_pos = m.n_ctx_train = c.r.req_size({"max_position_embeddings"});
  m.n_pos_tables = 1;
  m.n_tok_types = c.r.opt_size({"type_vocab_size"}, true).value_or(2);
  c.head_dim_from_heads("num_attention_heads");
  LayerSpec layer;
  layer.role = LayerRole::encoder;
  layer.n_head_kv = m.n_head;
  layer.n_ff = c.r.req_size({"intermediate_size"});
  c.uniform_layers(layer);
  c.out.assumptions.push_back(
      {"encoder_base_model", "/architectures", txt("assume.encoder_base_model", {{"model_type", m.model_type}})});
}

// models/t5/modeling_t5.py (T5ForConditionalGeneration; MT5 the same): a shared embedding, per block
// bias-free q/k/v/o (inner width num_heads·d_kv), decoder blocks add cross-attention, the MLP is wi/wo
// or, for gated-* feed_forward_proj, wi_0/wi_1/wo; RMS-style T5LayerNorm before each sub-layer and at
// the end of each stack; the first block of each stack holds the relative-attention bias
// (num_buckets × heads). lm_head is tied by default for T5 (T5Config) and untied for MT5.
// t5-small: 32128·512 + (6·3,146,752 + 256 + 512) + (6·4,195,840 + 256 + 512) = 60,506,624.
void t5(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "t5";
  m.positions = PositionKind::relative;
  m.n_embd = c.r.req_size({"d_model"});
  m.n_head = c.r.req_size({"num_heads"});
  m.n_embd_head = m.n_embd_head_k = m.n_embd_head_v = c.r.req_size({"d_kv"});
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_rel_buckets = c.r.opt_size({"relative_attention_num_buckets"}).value_or(32);
  m.n_ctx_train = c.r.opt_size({"n_positions"}).value_or(0);
  const uint64_t n_enc = c.r.req_size({"num_layers"});
  uint64_t n_dec = n_enc;
  if (auto d = c.r.opt_size({"num_decoder_layers"}))
    n_dec = *d;
  else
    c.assume("n_dec_default", "num_decoder_layers", txt("assume.n_dec_default"));
  const std::string proj = c.r.opt_string({"feed_forward_proj"}).value_or("relu");
  m.mlp = proj.rfind("gated-", 0) == 0 ? MlpKind::gated : MlpKind::plain;
  const uint64_t n_ff = c.r.req_size({"d_ff"});
  m.n_layer = add(n_enc, n_dec);
  c.check_pattern_size();
  m.n_layer_enc = n_enc;
  m.n_norm_out = 2;  // encoder.final_layer_norm and decoder.final_layer_norm
  for (uint64_t il = 0; il < m.n_layer; ++il) {
    LayerSpec l;
    l.role = il < n_enc ? LayerRole::encoder : LayerRole::decoder;
    l.n_head_kv = m.n_head;
    l.n_ff = n_ff;
    l.cross_attn = l.role == LayerRole::decoder;
    l.n_norm = l.cross_attn ? 3 : 2;
    l.rel_bias = il == 0 || il == n_enc;
    c.push_layer(l);
  }
  const bool mt5 = m.model_type == "mt5";
  c.read_tied(
      !mt5, txt("phrase.tied.defaults", {{"cls", mt5 ? "MT5Config" : "T5Config"}, {"value", mt5 ? "false" : "true"}}));
}

// models/bart/modeling_bart.py (BartForConditionalGeneration): a shared embedding, one learned position
// table per stack with max_position_embeddings + 2 rows (offset 2), a LayerNorm after each stack's
// embeddings (layernorm_embedding), per layer biased q/k/v/out, fc1/fc2 with biases and LayerNorms after
// each sub-layer (decoder: + cross-attention and its LayerNorm); lm_head tied by default.
// bart-base: 50265·768 + 2·1026·768 + 6·7,087,872 + 6·9,451,776 + 2·1536 = 139,420,416.
void bart(Ctx& c) {
  ModelSpec& m = c.m();
  m.family = "bart";
  m.norm = NormKind::layer;
  m.mlp = MlpKind::plain;
  m.positions = PositionKind::learned;
  m.attn_qkv_bias = m.attn_o_bias = m.mlp_bias = true;
  m.n_embd = c.r.req_size({"d_model"});
  m.n_head = c.r.req_size({"encoder_attention_heads"});
  if (auto dh = c.r.opt_size({"decoder_attention_heads"}); dh && *dh != m.n_head)
    throw Error(code::unsupported_model, c.r.path("decoder_attention_heads"), txt("error.config.bart_heads_differ"));
  c.head_dim_from_heads("encoder_attention_heads");
  m.n_vocab = c.r.req_size({"vocab_size"});
  m.n_ctx_train = c.r.req_size({"max_position_embeddings"});
  m.n_pos = m.n_ctx_train + 2;  // BartLearnedPositionalEmbedding: offset 2
  m.n_pos_tables = 2;
  const uint64_t n_enc = c.r.req_size({"encoder_layers"});
  const uint64_t n_dec = c.r.req_size({"decoder_layers"});
  const uint64_t ff_enc = c.r.req_size({"encoder_ffn_dim"});
  const uint64_t ff_dec = c.r.req_size({"decoder_ffn_dim"});
  m.n_layer = add(n_enc, n_dec);
  c.check_pattern_size();
  m.n_layer_enc = n_enc;
  m.n_norm_out = 2;  // encoder.layernorm_embedding and decoder.layernorm_embedding
  for (uint64_t il = 0; il < m.n_layer; ++il) {
    LayerSpec l;
    l.role = il < n_enc ? LayerRole::encoder : LayerRole::decoder;
    l.n_head_kv = m.n_head;
    l.n_ff = il < n_enc ? ff_enc : ff_dec;
    l.cross_attn = l.role == LayerRole::decoder;
    l.n_norm = l.cross_attn ? 3 : 2;
    c.push_layer(l);
  }
  c.read_tied(true, txt("phrase.tied.defaults", {{"cls", "BartConfig"}, {"value", "true"}}));
}

}  // namespace gpumem::families
