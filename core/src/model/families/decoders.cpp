// Dense decoders shaped like Llama: RMSNorm (or a variant), rotary positions, q/k/v/o projections and
// a gated MLP. Each function states the transformers modeling file it follows and what differs from
// LlamaForCausalLM (models/llama/modeling_llama.py).
#include "family.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem::families {

uint64_t Ctx::read_n_head_kv(uint64_t dflt, std::initializer_list<std::string_view> keys) {
  if (auto kv = r.opt_size(keys)) {
    if (m().n_head % *kv != 0)
      throw Error(
          code::invalid_value, r.path(*keys.begin()),
          txt("error.config.heads_not_multiple_of_kv", {{"heads", m().n_head}, {"key", *keys.begin()}, {"kv", *kv}}));
    return *kv;
  }
  if (dflt != 0) {
    assume("n_head_kv_default", *keys.begin(),
           txt("assume.n_head_kv_default.class", {{"key", *keys.begin()}, {"kv", dflt}}));
    return dflt;
  }
  assume("n_head_kv_default", *keys.begin(),
         txt("assume.n_head_kv_default.per_head", {{"key", *keys.begin()}, {"heads", m().n_head}}));
  return m().n_head;
}

void Ctx::read_head_dim(uint64_t dflt, std::initializer_list<std::string_view> keys) {
  if (auto hd = r.opt_size(keys)) {
    m().n_embd_head = *hd;
  } else if (dflt != 0) {
    m().n_embd_head = dflt;
    assume("head_dim_default", *keys.begin(),
           txt("assume.head_dim_default", {{"key", *keys.begin()}, {"head_dim", dflt}}));
  } else {
    head_dim_from_heads("num_attention_heads");
  }
  m().n_embd_head_k = m().n_embd_head_v = m().n_embd_head;
}

void Ctx::head_dim_from_heads(std::string_view heads_key) {
  if (m().n_embd % m().n_head != 0)
    throw Error(
        code::invalid_value, r.path(heads_key),
        txt("error.config.hidden_not_divisible", {{"hidden", m().n_embd}, {"key", heads_key}, {"heads", m().n_head}}));
  m().n_embd_head = m().n_embd_head_k = m().n_embd_head_v = m().n_embd / m().n_head;
}

void Ctx::read_tied(bool dflt, Text why) {
  // Multimodal wrappers keep the flag on the outer config when the text tower's has none.
  if (auto t = r.opt_bool({"tie_word_embeddings"})) {
    m().tied_embeddings = *t;
  } else if (auto outer = root.opt_bool({"tie_word_embeddings"}); outer && root.base() != r.base()) {
    m().tied_embeddings = *outer;
  } else {
    m().tied_embeddings = dflt;
    assume("tied_default", "tie_word_embeddings",
           txt(dflt ? "assume.tied_default.shared" : "assume.tied_default.separate", {{"why", std::move(why)}}));
  }
}

void Ctx::uniform_layers(const LayerSpec& layer) { m().layers = {{0, m().n_layer - 1, layer}}; }

void Ctx::push_layer(const LayerSpec& layer) {
  auto& runs = m().layers;
  if (!runs.empty() && runs.back().spec == layer) {
    ++runs.back().to;
    return;
  }
  const uint64_t il = runs.empty() ? 0 : runs.back().to + 1;
  runs.push_back({il, il, layer});
}

void Ctx::check_pattern_size() {
  if (m().n_layer > kMaxPatternLayers)
    throw Error(code::invalid_value, r.path("num_hidden_layers"),
                txt("error.config.pattern_too_long",
                    {{"layers", with_commas(m().n_layer)}, {"max", with_commas(kMaxPatternLayers)}}));
}

bool Ctx::apply_layer_types(uint64_t window) {
  auto types = r.opt_string_list("layer_types");
  if (!types) return false;
  if (types->size() != m().n_layer)
    throw Error(code::invalid_value, r.path("layer_types"),
                txt("error.config.layer_types_count", {{"listed", types->size()}, {"layers", m().n_layer}}));
  per_layer([&](uint64_t il, LayerSpec& l) {
    const std::string& t = (*types)[il];
    if (t == "full_attention") return;
    if (t != "sliding_attention")
      throw Error(code::unsupported_model, r.path("layer_types") + "/" + std::to_string(il),
                  txt("error.config.layer_type_unsupported", {{"type", t.substr(0, 40)}}));
    if (window == 0)
      throw Error(code::missing_key, r.path("sliding_window"), txt("error.config.sliding_window_missing"));
    l.attn = AttnKind::sliding;
    l.window = window;
    m().sliding_window = window;
  });
  return true;
}

void Ctx::sliding_all() {
  auto w = r.opt_size({"sliding_window"});
  if (apply_layer_types(w.value_or(0)) || !w) return;
  all_layers([&](LayerSpec& l) {
    l.attn = AttnKind::sliding;
    l.window = *w;
  });
  m().sliding_window = *w;
}

uint64_t Ctx::size_or_class_default(std::string_view key, uint64_t dflt, const char* cls) {
  if (dflt == 0) return r.req_size({key});
  if (auto v = r.opt_size({key})) return *v;
  assume("class_default", key, txt("assume.class_default", {{"key", key}, {"cls", cls}, {"value", with_commas(dflt)}}));
  return dflt;
}

void llama_base(Ctx& c, const char* family, uint64_t n_head_kv_default, uint64_t head_dim_default) {
  llama_base(c, family, n_head_kv_default, head_dim_default, ClassDefaults{});
}

void llama_base(Ctx& c, const char* family, uint64_t n_head_kv_default, uint64_t head_dim_default,
                const ClassDefaults& d) {
  ModelSpec& m = c.m();
  m.family = family;
  m.n_layer = c.r.req_size({"num_hidden_layers"});
  m.n_embd = c.r.req_size({"hidden_size"});
  m.n_head = c.size_or_class_default("num_attention_heads", d.n_head, d.cls);
  m.n_vocab = c.size_or_class_default("vocab_size", d.n_vocab, d.cls);
  m.n_ctx_train = d.n_ctx != 0 ? c.size_or_class_default("max_position_embeddings", d.n_ctx, d.cls)
                               : c.r.opt_size({"max_position_embeddings"}).value_or(0);
  LayerSpec layer;
  layer.n_ff = c.r.req_size({"intermediate_size"});
  layer.n_head_kv = c.read_n_head_kv(n_head_kv_default);
  c.read_head_dim(head_dim_default);
  c.uniform_layers(layer);
}

// models/llama/modeling_llama.py: attention_bias puts a bias on q, k, v and o; mlp_bias on the MLP.
void llama(Ctx& c) {
  llama_base(c, "llama");
  c.m().attn_qkv_bias = c.m().attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  c.m().mlp_bias = c.r.opt_bool({"mlp_bias"}).value_or(false);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "LlamaConfig"}, {"value", "false"}}));
}

// models/mistral/modeling_mistral.py: Llama without biases; sliding_window applies to every layer;
// MistralConfig defaults num_key_value_heads to 8.
void mistral(Ctx& c) {
  llama_base(c, "llama", 8);
  c.sliding_all();
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "MistralConfig"}, {"value", "false"}}));
}

// models/qwen2/modeling_qwen2.py: q/k/v carry a bias, o_proj does not. Sliding layers only with
// use_sliding_window, from max_window_layers on; num_key_value_heads defaults to 32 (Qwen2Config).
void qwen2(Ctx& c) {
  llama_base(c, "qwen2", 32);
  c.m().attn_qkv_bias = true;
  auto w = c.r.opt_size({"sliding_window"});
  if (!c.apply_layer_types(w.value_or(0)) && w && c.r.opt_bool({"use_sliding_window"}).value_or(false)) {
    const uint64_t from = c.r.opt_size({"max_window_layers"}, true).value_or(28);
    c.per_layer([&](uint64_t il, LayerSpec& l) {
      if (il < from) return;
      l.attn = AttnKind::sliding;
      l.window = *w;
      c.m().sliding_window = *w;
    });
  }
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "Qwen2Config"}, {"value", "false"}}));
}

// models/qwen3/modeling_qwen3.py: attention_bias on q/k/v/o (default false), RMSNorm(head_dim) on
// queries and keys per head, head_dim defaults to 128 and num_key_value_heads to 32 (Qwen3Config).
void qwen3(Ctx& c) {
  ModelSpec& m = c.m();
  llama_base(c, "qwen3", 32, 128);
  m.attn_qkv_bias = m.attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  m.qk_norm = QkNorm::per_head;
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "Qwen3Config"}, {"value", "false"}}));
}

namespace {

// The Gemma base; the config classes differ only in the default number of KV heads (GemmaConfig 16,
// Gemma2Config and Gemma3TextConfig 4).
void gemma_base(Ctx& c, uint64_t n_head_kv_default, const ClassDefaults& d = {}) {
  llama_base(c, "gemma", n_head_kv_default, 256, d);
  c.m().attn_qkv_bias = c.m().attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  c.read_tied(true, txt("phrase.tied.default_plural",
                        {{"cls", text_list("list.and", {"GemmaConfig", "Gemma2Config", "Gemma3TextConfig"})},
                         {"value", "true"}}));
}

}  // namespace

// models/gemma/modeling_gemma.py: head_dim defaults to 256 and need not be hidden/heads; embeddings tied.
void gemma(Ctx& c) { gemma_base(c, 16); }

// models/gemma2/modeling_gemma2.py: four norms per layer (input, post-attention, pre- and
// post-feed-forward); layers alternate sliding (even index) and full attention.
void gemma2(Ctx& c) {
  gemma_base(c, 4);
  ModelSpec& m = c.m();
  m.family = "gemma2";
  c.all_layers([](LayerSpec& l) { l.n_norm = 4; });
  const uint64_t w = c.r.opt_size({"sliding_window"}).value_or(4096);
  if (!c.apply_layer_types(w)) {
    c.per_layer([&](uint64_t il, LayerSpec& l) {
      if (il % 2 != 0) return;
      l.attn = AttnKind::sliding;
      l.window = w;
    });
    m.sliding_window = w;
  }
}

// models/gemma3/modeling_gemma3.py (Gemma3ForCausalLM, the text tower of Gemma3ForConditionalGeneration):
// Gemma 2's four norms plus per-head q/k RMSNorm; every sliding_window_pattern-th layer (default 6) is
// global, the others slide. For 26 layers and pattern 6: layers 5, 11, 17, 23 are global.
// Gemma3TextConfig's defaults fill what a Gemma3ForConditionalGeneration text_config leaves out (gemma-3-4b-it
// names neither num_attention_heads nor vocab_size): 8 heads, 262,208 tokens, 131,072 positions.
void gemma3_text(Ctx& c) {
  gemma_base(c, 4, ClassDefaults{"Gemma3TextConfig", 8, 262208, 131072});
  ModelSpec& m = c.m();
  m.family = "gemma3";
  m.qk_norm = QkNorm::per_head;
  c.all_layers([](LayerSpec& l) { l.n_norm = 4; });
  const uint64_t w = c.r.opt_size({"sliding_window"}).value_or(4096);
  if (!c.apply_layer_types(w)) {
    const uint64_t pattern = c.r.opt_size({"sliding_window_pattern", "_sliding_window_pattern"}).value_or(6);
    c.per_layer([&](uint64_t il, LayerSpec& l) {
      if ((il + 1) % pattern == 0) return;
      l.attn = AttnKind::sliding;
      l.window = w;
      m.sliding_window = w;
    });
  }
}

// models/phi3/modeling_phi3.py: fused qkv_proj (n_embd × (q + 2·kv)) and gate_up_proj (n_embd × 2·n_ff),
// no biases; the fused matrices have exactly the parameters of the separate ones.
void phi3(Ctx& c) {
  llama_base(c, "phi3");
  c.sliding_all();
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "Phi3Config"}, {"value", "false"}}));
}

// models/olmo/modeling_olmo.py: OlmoLayerNorm has no weight and no bias (parameter-free).
void olmo(Ctx& c) {
  llama_base(c, "olmo");
  c.m().norm = NormKind::none;
  c.m().attn_qkv_bias = c.m().attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "OlmoConfig"}, {"value", "false"}}));
}

// models/olmo2/modeling_olmo2.py: norms after attention and after the MLP (still two per layer), and
// q_norm over all query heads (n_head·head_dim) and k_norm over all key heads (n_head_kv·head_dim).
void olmo2(Ctx& c) {
  llama_base(c, "olmo2");
  c.m().qk_norm = QkNorm::full;
  c.m().attn_qkv_bias = c.m().attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "Olmo2Config"}, {"value", "false"}}));
}

// models/cohere/modeling_cohere.py: attention and MLP run in parallel after one LayerNorm without bias;
// use_qk_norm adds weight-only LayerNorms of shape (heads, head_dim) on queries and keys.
void cohere(Ctx& c) {
  llama_base(c, "cohere");
  ModelSpec& m = c.m();
  m.norm = NormKind::layer_no_bias;
  c.all_layers([](LayerSpec& l) { l.n_norm = 1; });
  m.attn_qkv_bias = m.attn_o_bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  if (c.r.opt_bool({"use_qk_norm"}).value_or(false)) {
    m.qk_norm = QkNorm::full;
    m.qk_norm_kind = NormKind::layer_no_bias;
  }
  c.read_tied(true, txt("phrase.tied.defaults", {{"cls", "CohereConfig"}, {"value", "true"}}));
}

// InternLM2 (remote code modeling_internlm2.py): fused wqkv and wo with `bias` (InternLM2Config default
// true), w1/w3/w2 gated MLP without bias, separate output head.
void internlm2(Ctx& c) {
  llama_base(c, "internlm2");
  const bool bias = c.r.opt_bool({"bias"}).value_or(true);
  if (!c.r.has("bias")) c.assume("bias_default", "bias", txt("assume.bias_default.internlm2"));
  c.m().attn_qkv_bias = c.m().attn_o_bias = bias;
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "InternLM2Config"}, {"value", "false"}}));
}

// Baichuan / Baichuan2 (remote code modeling_baichuan.py): Llama's shapes with a fused W_pack
// (n_embd × 3·n_embd) and a NormHead lm_head (vocab × n_embd). The 13B variants use ALiBi instead of
// rotary positions; neither has weights, so the count is the same.
void baichuan(Ctx& c) {
  llama_base(c, "baichuan");
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "BaichuanConfig"}, {"value", "false"}}));
}

// models/glm/modeling_glm.py: q/k/v bias from attention_bias (GlmConfig default true), o_proj without,
// fused gate_up_proj, head_dim defaults to 128.
void glm(Ctx& c) {
  llama_base(c, "glm", 0, 128);
  c.m().attn_qkv_bias = c.r.opt_bool({"attention_bias"}).value_or(true);
  c.read_tied(false, txt("phrase.tied.defaults", {{"cls", "GlmConfig"}, {"value", "false"}}));
}

// models/glm4/modeling_glm4.py: GLM plus post_self_attn_layernorm and post_mlp_layernorm (four norms).
void glm4(Ctx& c) {
  glm(c);
  c.m().family = "glm4";
  c.all_layers([](LayerSpec& l) { l.n_norm = 4; });
}

// An unknown model_type that has Llama's keys: counted as a Llama-style decoder, saying so.
void generic(Ctx& c) {
  llama_base(c, "llama");
  const bool bias = c.r.opt_bool({"attention_bias"}).value_or(false);
  c.m().attn_qkv_bias = c.m().attn_o_bias = bias;
  c.m().mlp_bias = c.r.opt_bool({"mlp_bias"}).value_or(false);
  c.read_tied(false, txt("phrase.tied.generic"));
}

}  // namespace gpumem::families
