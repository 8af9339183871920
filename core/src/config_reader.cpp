#include "gpumem/config_reader.hpp"

#include <cmath>
#include <initializer_list>
#include <optional>
#include <string_view>

#include "gpumem/error.hpp"
#include "gpumem/format.hpp"

namespace gpumem {

using nlohmann::json;

namespace {

// nlohmann's recursive descent parser would exhaust the stack on 100,000-deep input; configs nest
// three or four levels, so 256 is generous.
constexpr int kMaxDepth = 256;

std::string type_name(const json& v) {
  if (v.is_number_float()) return "a fractional number";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_boolean()) return "a boolean";
  if (v.is_array()) return "an array";
  if (v.is_object()) return "an object";
  return "null";
}

std::string pointer_token(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

// Line and column (both 1-based) of byte offset `pos` (0-based) in text.
std::pair<uint64_t, uint64_t> line_col(const std::string& text, uint64_t pos) {
  uint64_t line = 1, col = 1;
  for (uint64_t i = 0; i < pos && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return {line, col};
}

void check_depth(const std::string& text) {
  int depth = 0;
  bool in_string = false, escaped = false;
  for (uint64_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) {
        auto [line, col] = line_col(text, i);
        Error err(code::invalid_json, "",
                  "The JSON nests deeper than " + std::to_string(kMaxDepth) + " levels (line " + std::to_string(line) +
                      ", column " + std::to_string(col) +
                      "); a config.json is only a few levels deep, so this is not one.");
        err.line = line;
        err.column = col;
        throw err;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

// Reads keys of one JSON object, treating null as missing and naming every failure by its path.
class Reader {
 public:
  Reader(const json& obj, std::string base) : obj_(obj), base_(std::move(base)) {}

  std::string path(std::string_view key) const { return base_ + "/" + pointer_token(key); }

  // The first of `keys` present with a non-null value; `used` receives its name.
  const json* find(std::initializer_list<std::string_view> keys, std::string_view* used = nullptr) const {
    for (auto k : keys) {
      auto it = obj_.find(std::string(k));
      if (it != obj_.end() && !it->is_null()) {
        if (used) *used = k;
        return &*it;
      }
    }
    return nullptr;
  }

  // A size: a whole number >= 1 (or >= 0 when allow_zero). Integral floats such as 4096.0 are accepted.
  std::optional<uint64_t> opt_size(std::initializer_list<std::string_view> keys, bool allow_zero = false) const {
    std::string_view key;
    const json* v = find(keys, &key);
    if (!v) return std::nullopt;
    const std::string p = path(key);
    const std::string k(key);
    uint64_t out = 0;
    if (v->is_number_unsigned()) {
      out = v->get<uint64_t>();
    } else if (v->is_number_integer()) {
      throw Error(code::invalid_value, p,
                  k + " is " + std::to_string(v->get<int64_t>()) + ", but a size cannot be negative; fix the value.");
    } else if (v->is_number_float()) {
      double d = v->get<double>();
      if (!std::isfinite(d) || d < 0 || d != std::floor(d))
        throw Error(code::invalid_value, p, k + " is " + v->dump() + ", but it must be a whole, non-negative number.");
      if (d >= 18446744073709551616.0)
        throw Error(code::invalid_value, p, k + " is " + v->dump() + ", far beyond any real model; fix the value.");
      out = static_cast<uint64_t>(d);
    } else {
      throw Error(code::wrong_type, p,
                  k + " must be a number, but it is " + type_name(*v) + " (" + v->dump().substr(0, 40) +
                      "); write a plain number.");
    }
    if (out == 0 && !allow_zero)
      throw Error(code::invalid_value, p, k + " is 0, but it must be at least 1; fix the value.");
    return out;
  }

  uint64_t req_size(std::initializer_list<std::string_view> keys) const {
    if (auto v = opt_size(keys)) return *v;
    std::string names;
    for (auto k : keys) names += (names.empty() ? "" : " or ") + std::string(k);
    throw Error(code::missing_key, path(*keys.begin()),
                "The config has no " + names + " (or it is null); it is required to count this model's parameters.");
  }

  std::optional<bool> opt_bool(std::initializer_list<std::string_view> keys) const {
    std::string_view key;
    const json* v = find(keys, &key);
    if (!v) return std::nullopt;
    if (!v->is_boolean())
      throw Error(code::wrong_type, path(key),
                  std::string(key) + " must be true or false, but it is " + type_name(*v) + "; fix the value.");
    return v->get<bool>();
  }

  std::optional<std::string> opt_string(std::initializer_list<std::string_view> keys) const {
    std::string_view key;
    const json* v = find(keys, &key);
    if (!v) return std::nullopt;
    if (!v->is_string())
      throw Error(code::wrong_type, path(key),
                  std::string(key) + " must be a string, but it is " + type_name(*v) + "; fix the value.");
    return v->get<std::string>();
  }

 private:
  const json& obj_;
  std::string base_;
};

class Normalizer {
 public:
  Normalizer(const json& config) : r_(config, "") {}

  NormalizedConfig run() {
    auto model_type = r_.opt_string({"model_type"});
    if (!model_type)
      throw Error(code::missing_key, "/model_type",
                  "The config has no model_type, so the architecture is unknown; add the model_type of the "
                  "model's config.json (e.g. \"llama\").");
    m().model_type = *model_type;
    m().torch_dtype = r_.opt_string({"torch_dtype", "dtype"}).value_or("");
    if (*model_type == "llama" || *model_type == "mistral" || *model_type == "qwen2") {
      llama_family(*model_type);
    } else if (*model_type == "gpt2") {
      gpt2();
    } else {
      throw Error(code::unsupported_model, "/model_type",
                  "model_type \"" + model_type->substr(0, 64) +
                      "\" is not supported yet; supported: llama, mistral, qwen2, gpt2.");
    }
    validate();
    return std::move(out_);
  }

 private:
  ModelSpec& m() { return out_.model; }

  void assume(std::string code, std::string_view key, std::string message) {
    out_.assumptions.push_back({std::move(code), r_.path(key), std::move(message)});
  }

  // LlamaForCausalLM and its near-identical descendants: RMSNorm, rotary positions, gated MLP.
  // Layout follows transformers' modeling_llama.py / modeling_mistral.py / modeling_qwen2.py.
  void llama_family(const std::string& type) {
    m().family = "llama";
    m().norm = NormKind::rms;
    m().mlp = MlpKind::gated;
    m().positions = PositionKind::rope;
    m().n_layer = r_.req_size({"num_hidden_layers"});
    m().n_embd = r_.req_size({"hidden_size"});
    m().n_head = r_.req_size({"num_attention_heads"});
    m().n_ff = r_.req_size({"intermediate_size"});
    m().n_vocab = r_.req_size({"vocab_size"});
    m().n_ctx_train = r_.opt_size({"max_position_embeddings"}).value_or(0);
    read_n_head_kv();
    read_head_dim();
    if (type == "qwen2") {
      // Qwen2Attention: q/k/v projections carry a bias, o_proj does not (modeling_qwen2.py).
      m().attn_qkv_bias = true;
      m().attn_o_bias = false;
    } else if (type == "llama") {
      bool bias = r_.opt_bool({"attention_bias"}).value_or(false);
      m().attn_qkv_bias = m().attn_o_bias = bias;
      m().mlp_bias = r_.opt_bool({"mlp_bias"}).value_or(false);
    }
    read_tied(false, "LlamaConfig/MistralConfig/Qwen2Config default tie_word_embeddings to false");
  }

  // GPT2LMHeadModel: LayerNorm with bias, learned positions, biased Conv1D projections, 4x MLP.
  // Layout follows transformers' modeling_gpt2.py.
  void gpt2() {
    m().family = "gpt2";
    m().norm = NormKind::layer;
    m().mlp = MlpKind::plain;
    m().positions = PositionKind::learned;
    m().attn_qkv_bias = m().attn_o_bias = m().mlp_bias = true;
    m().n_layer = r_.req_size({"n_layer", "num_hidden_layers"});
    m().n_embd = r_.req_size({"n_embd", "hidden_size"});
    m().n_head = r_.req_size({"n_head", "num_attention_heads"});
    m().n_head_kv = m().n_head;
    m().n_vocab = r_.req_size({"vocab_size"});
    m().n_pos = r_.req_size({"n_positions", "max_position_embeddings"});
    m().n_ctx_train = m().n_pos;
    if (m().n_embd % m().n_head != 0)
      throw Error(code::invalid_value, r_.path("n_head"),
                  "n_embd (" + std::to_string(m().n_embd) + ") is not divisible by n_head (" +
                      std::to_string(m().n_head) + "); fix one of them.");
    m().n_embd_head = m().n_embd / m().n_head;
    if (auto ff = r_.opt_size({"n_inner"})) {
      m().n_ff = *ff;
    } else {
      m().n_ff = 4 * m().n_embd;
      assume("n_ff_default", "n_inner",
             "n_inner is absent or null, so the MLP inner size is 4 × n_embd = " + with_commas(m().n_ff) +
                 ", as GPT2MLP does.");
    }
    read_tied(true, "GPT2Config defaults tie_word_embeddings to true");
  }

  void read_n_head_kv() {
    if (auto kv = r_.opt_size({"num_key_value_heads"})) {
      m().n_head_kv = *kv;
      if (m().n_head % m().n_head_kv != 0)
        throw Error(code::invalid_value, r_.path("num_key_value_heads"),
                    "num_attention_heads (" + std::to_string(m().n_head) +
                        ") is not a multiple of num_key_value_heads (" + std::to_string(m().n_head_kv) +
                        "); grouped-query attention needs it to be.");
    } else {
      m().n_head_kv = m().n_head;
      assume("n_head_kv_default", "num_key_value_heads",
             "num_key_value_heads is absent, so every query head has its own key/value head (" +
                 std::to_string(m().n_head) + "), as transformers does.");
    }
  }

  void read_head_dim() {
    if (auto hd = r_.opt_size({"head_dim"})) {
      m().n_embd_head = *hd;
      return;
    }
    if (m().n_embd % m().n_head != 0)
      throw Error(code::invalid_value, r_.path("num_attention_heads"),
                  "hidden_size (" + std::to_string(m().n_embd) + ") is not divisible by num_attention_heads (" +
                      std::to_string(m().n_head) + ") and no head_dim is given; add head_dim or fix the sizes.");
    m().n_embd_head = m().n_embd / m().n_head;
  }

  void read_tied(bool dflt, const char* why) {
    if (auto t = r_.opt_bool({"tie_word_embeddings"})) {
      m().tied_embeddings = *t;
    } else {
      m().tied_embeddings = dflt;
      assume("tied_default", "tie_word_embeddings",
             std::string("tie_word_embeddings is absent; ") + why + (dflt ? "" : ", so lm_head is counted separately") +
                 ".");
    }
  }

  void validate() {
    if (m().n_head_kv > m().n_head)
      throw Error(code::invalid_value, r_.path("num_key_value_heads"),
                  "There are more key/value heads than query heads; fix num_key_value_heads.");
  }

  Reader r_;
  NormalizedConfig out_;
};

}  // namespace

uint64_t ModelSpec::n_embd_q() const { return n_head * n_embd_head; }
uint64_t ModelSpec::n_embd_kv() const { return n_head_kv * n_embd_head; }

json parse_json_text(const std::string& text) {
  check_depth(text);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is 1-based and points at the offending byte (or one past the end for truncation).
    uint64_t pos = e.byte > 0 ? e.byte - 1 : 0;
    auto [line, col] = line_col(text, pos);
    std::string what = e.what();
    auto dash = what.find(" - ");
    std::string reason = dash == std::string::npos ? "syntax error" : what.substr(dash + 3);
    auto semi = reason.find(';');
    if (semi != std::string::npos) reason = reason.substr(0, semi);
    Error err(code::invalid_json, "",
              "The file is not valid JSON (" + reason + " at line " + std::to_string(line) + ", column " +
                  std::to_string(col) + "); use the model's config.json as downloaded.");
    err.line = line;
    err.column = col;
    throw err;
  }
}

NormalizedConfig read_config(const json& config) {
  if (!config.is_object())
    throw Error(code::not_an_object, "",
                "The JSON is " + type_name(config) +
                    ", not an object; a config.json is an object such as {\"model_type\": \"llama\", …}.");
  return Normalizer(config).run();
}

}  // namespace gpumem
