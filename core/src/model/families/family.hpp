// Internal to the core: one function per parameter layout ("family") turns a config.json object into
// a ModelSpec. model_type only selects the family and its key aliases and defaults; the counts come
// from the struct alone (params.cpp). docs/ARCHITECTURES.md lists every family with the transformers
// modeling file its layout follows.
#pragma once

#include <string>
#include <string_view>

#include "../../base/reader.hpp"
#include "gpumem/model/model.hpp"

namespace gpumem::families {

struct Ctx {
  Ctx(Reader text, Reader whole) : r(std::move(text)), root(std::move(whole)) {}

  Reader r;     // the language model's keys: the config itself, or its text_config / llm_config
  Reader root;  // the whole config (tie_word_embeddings of some multimodal configs lives here)
  NormalizedConfig out;

  ModelSpec& m() { return out.model; }
  void assume(std::string code, std::string_view key, Text text) {
    out.assumptions.push_back({std::move(code), r.path(key), std::move(text)});
  }

  // num_key_value_heads (or `keys`), else the config class's default `dflt`, else (dflt 0) one KV head
  // per query head, which is what a None default turns into.
  // `key` as a size, else the class default `dflt` with an assumption naming `cls`, else (dflt 0) missing_key.
  uint64_t size_or_class_default(std::string_view key, uint64_t dflt, const char* cls);
  uint64_t read_n_head_kv(uint64_t dflt = 0, std::initializer_list<std::string_view> keys = {"num_key_value_heads"});
  // head_dim (or `keys`), else `dflt` when non-zero (a config class default), else n_embd / n_head.
  void read_head_dim(uint64_t dflt = 0, std::initializer_list<std::string_view> keys = {"head_dim"});
  // head dimension = n_embd / n_head for every head kind; invalid_value at `heads_key` when the hidden
  // size does not divide.
  void head_dim_from_heads(std::string_view heads_key);
  // tie_word_embeddings, else the config class's default `dflt` (stated in `why`, a phrase.tied.* text).
  void read_tied(bool dflt, Text why);
  // n_layer identical layers: one run, however many layers (an absurd count overflows when counted).
  void uniform_layers(const LayerSpec& layer);
  // Appends the next layer, extending the last run when it is identical.
  void push_layer(const LayerSpec& layer);
  // Changes every layer the same way (runs stay as they are).
  template <class F>
  void all_layers(F f) {
    for (auto& run : m().layers) f(run.spec);
  }
  // Changes layer by layer, f(il, spec), for patterns that depend on the index; layers are visited one
  // by one, so this refuses more than kMaxPatternLayers of them.
  template <class F>
  void per_layer(F f) {
    check_pattern_size();
    auto runs = std::move(m().layers);
    m().layers.clear();
    for (const auto& run : runs)
      for (uint64_t il = run.from; il <= run.to; ++il) {
        LayerSpec l = run.spec;
        f(il, l);
        push_layer(l);
      }
  }
  static constexpr uint64_t kMaxPatternLayers = 1 << 20;
  void check_pattern_size();
  // Sliding-window layers from layer_types when the config lists them (Gemma 2/3, gpt-oss, Qwen2/3 in
  // recent files); `window` is the length of every sliding layer.
  bool apply_layer_types(uint64_t window);
  // Mistral-style: when sliding_window is set, every layer attends through that window (unless
  // layer_types says otherwise).
  void sliding_all();
};

using FamilyFn = void (*)(Ctx&);

// The llama-shaped base that many families start from: num_hidden_layers, hidden_size,
// num_attention_heads, num_key_value_heads, head_dim, intermediate_size, vocab_size; RMSNorm, gated MLP,
// rotary positions, two norms per layer and a final one. The defaults are the config class's for absent
// num_key_value_heads and head_dim (0: one KV head per query head; hidden_size / num_attention_heads).
void llama_base(Ctx& c, const char* family, uint64_t n_head_kv_default = 0, uint64_t head_dim_default = 0);

// A config class's defaults for the keys llama_base otherwise requires: a multimodal wrapper's text_config
// often names only what differs from its class (Gemma 3's text_config leaves out num_attention_heads and
// vocab_size), and transformers fills the rest from the class. 0: the key stays required.
struct ClassDefaults {
  const char* cls = "";
  uint64_t n_head = 0;   // num_attention_heads
  uint64_t n_vocab = 0;  // vocab_size
  uint64_t n_ctx = 0;    // max_position_embeddings
};
void llama_base(Ctx& c, const char* family, uint64_t n_head_kv_default, uint64_t head_dim_default,
                const ClassDefaults& d);

// Dense decoders (families/decoders.cpp).
void llama(Ctx&);
void mistral(Ctx&);
void qwen2(Ctx&);
void qwen3(Ctx&);
void gemma(Ctx&);
void gemma2(Ctx&);
void gemma3_text(Ctx&);
void phi3(Ctx&);
void olmo(Ctx&);
void olmo2(Ctx&);
void cohere(Ctx&);
void internlm2(Ctx&);
void baichuan(Ctx&);
void glm(Ctx&);
void glm4(Ctx&);
void generic(Ctx&);
// GPT-style decoders with LayerNorm and biases (families/gpt.cpp).
void gpt2(Ctx&);
void gpt_bigcode(Ctx&);
void gptj(Ctx&);
void gpt_neox(Ctx&);
void phi(Ctx&);
void falcon(Ctx&);
void bloom(Ctx&);
void opt(Ctx&);
void mpt(Ctx&);
void chatglm(Ctx&);
// Mixture of experts (families/moe.cpp).
void mixtral(Ctx&);
void qwen2_moe(Ctx&);
void qwen3_moe(Ctx&);
void deepseek(Ctx&);
void deepseek_v2(Ctx&);
void gpt_oss(Ctx&);
void dbrx(Ctx&);
// State-space and hybrid (families/ssm.cpp).
void mamba(Ctx&);
void nemotron_h(Ctx&);
void jamba(Ctx&);
// Encoders and encoder-decoders (families/encoders.cpp).
void bert(Ctx&);
void t5(Ctx&);
void bart(Ctx&);

}  // namespace gpumem::families
