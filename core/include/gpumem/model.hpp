// The normalized model description. config.json is read once (config_reader.cpp) into this plain
// struct; everything downstream (parameter counts, memory) sees only this, never JSON.
// Vocabulary follows llama.cpp's hparams so the names are learned once.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gpumem {

enum class NormKind { rms, layer };         // rms: weight only; layer (LayerNorm): weight + bias
enum class MlpKind { gated, plain };        // gated: gate+up+down (SwiGLU); plain: up+down
enum class PositionKind { rope, learned };  // learned: an n_pos × n_embd table (GPT-2)

struct Assumption {
  std::string code;     // stable id, e.g. "n_head_kv_default"
  std::string path;     // JSON pointer of the key that was absent
  std::string message;  // one sentence shown to the user
};

struct ModelSpec {
  std::string model_type;   // as written in config.json
  std::string family;       // the parameter layout used to count ("llama", "gpt2")
  std::string torch_dtype;  // "" when the config does not say

  uint64_t n_layer = 0;      // transformer blocks
  uint64_t n_embd = 0;       // hidden size
  uint64_t n_head = 0;       // query heads
  uint64_t n_head_kv = 0;    // key/value heads (GQA: < n_head; MQA: 1)
  uint64_t n_embd_head = 0;  // per-head dimension (head_dim; not always n_embd / n_head)
  uint64_t n_ff = 0;         // MLP inner size
  uint64_t n_vocab = 0;      // vocabulary rows of the embedding table
  uint64_t n_ctx_train = 0;  // max_position_embeddings / n_positions
  uint64_t n_pos = 0;        // rows of a learned position table; 0 for rotary models

  NormKind norm = NormKind::rms;
  MlpKind mlp = MlpKind::gated;
  PositionKind positions = PositionKind::rope;
  bool tied_embeddings = false;  // lm_head shares the input embedding matrix
  bool attn_qkv_bias = false;
  bool attn_o_bias = false;
  bool mlp_bias = false;

  // Per-layer accessors: every layer is the same today, but callers go through the layer index so
  // sliding-window, hybrid and MoE layers can differ without touching the estimators.
  uint64_t n_head_kv_at(uint64_t /*il*/) const { return n_head_kv; }
  uint64_t n_ff_at(uint64_t /*il*/) const { return n_ff; }
  uint64_t n_embd_q() const;   // n_head × n_embd_head: width of the query projection
  uint64_t n_embd_kv() const;  // n_head_kv × n_embd_head: width of each of K and V
};

struct NormalizedConfig {
  ModelSpec model;
  std::vector<Assumption> assumptions;
};

}  // namespace gpumem
