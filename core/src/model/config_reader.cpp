#include "gpumem/model/config_reader.hpp"

#include <cmath>
#include <string_view>
#include <vector>

#include "../base/reader.hpp"
#include "families/family.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

using nlohmann::json;

namespace {

// nlohmann's recursive descent parser would exhaust the stack on 100,000-deep input; configs nest
// three or four levels, so 256 is generous.
constexpr int kMaxDepth = 256;

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

// `reason` is a phrase: our own ("nested deeper than …") or the parser's diagnostic (phrase.json.parser).
[[noreturn]] void throw_invalid_json_at(const std::string& text, uint64_t pos, Text reason) {
  auto [line, col] = line_col(text, pos);
  Error err(code::invalid_json, "",
            txt("error.json.invalid_at", {{"reason", std::move(reason)}, {"line", line}, {"column", col}}));
  err.line = line;
  err.column = col;
  throw err;
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
        throw_invalid_json_at(text, i, txt("phrase.json.too_deep", {{"depth", kMaxDepth}}));
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
}

// Python's json module writes float('inf') and float('nan') as the bare tokens Infinity, -Infinity and
// NaN, which JSON does not allow; Hugging Face saves configs with it (Nemotron-H's time_step_limit is
// [0.0, Infinity]). Outside strings they are replaced by null, which every count treats as absent.
// Returns the 0-based offset of the first one, or npos when there is none.
std::size_t python_constants_to_null(std::string& text) {
  std::size_t first = std::string::npos;
  std::string out;
  out.reserve(text.size());
  bool in_string = false, escaped = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      out += ch;
      if (escaped)
        escaped = false;
      else if (ch == '\\')
        escaped = true;
      else if (ch == '"')
        in_string = false;
      continue;
    }
    if (ch == '"') in_string = true;
    std::size_t len = 0;
    for (std::string_view tok : {"-Infinity", "Infinity", "NaN"})
      if (text.compare(i, tok.size(), tok) == 0) len = tok.size();
    if (len == 0) {
      out += ch;
      continue;
    }
    if (first == std::string::npos) first = i;
    out += "null";
    i += len - 1;
  }
  text = std::move(out);
  return first;
}

using families::Ctx;
using families::FamilyFn;

struct Family {
  std::string_view model_type;
  FamilyFn read;
};

// model_type → parameter layout. A model_type selects a family and its key aliases and defaults;
// the count itself comes from the ModelSpec the family fills in. README.md lists one fixture per entry.
constexpr Family kFamilies[] = {
    {"llama", families::llama},
    {"yi", families::llama},  // 01-ai Yi (remote YiForCausalLM: Llama's shapes)
    {"Yi", families::llama},
    {"mistral", families::mistral},
    {"qwen2", families::qwen2},
    {"qwen2_vl_text", families::qwen2},  // the language model of Qwen2-VL and Qwen2.5-VL: Qwen2's layout
    {"qwen2_5_vl_text", families::qwen2},
    {"qwen3", families::qwen3},
    {"gemma", families::gemma},
    {"gemma2", families::gemma2},
    {"gemma3_text", families::gemma3_text},
    {"phi", families::phi},
    {"phi3", families::phi3},
    {"olmo", families::olmo},
    {"olmo2", families::olmo2},
    {"cohere", families::cohere},
    {"internlm2", families::internlm2},
    {"baichuan", families::baichuan},
    {"glm", families::glm},
    {"glm4", families::glm4},
    {"chatglm", families::chatglm},
    {"gpt2", families::gpt2},
    {"gpt_bigcode", families::gpt_bigcode},
    {"gptj", families::gptj},
    {"gpt_neox", families::gpt_neox},
    {"falcon", families::falcon},
    {"RefinedWeb", families::falcon},  // Falcon's configs before transformers adopted it
    {"RefinedWebModel", families::falcon},
    {"bloom", families::bloom},
    {"opt", families::opt},
    {"mpt", families::mpt},
    {"mixtral", families::mixtral},
    {"qwen2_moe", families::qwen2_moe},
    {"qwen3_moe", families::qwen3_moe},
    {"deepseek", families::deepseek},
    {"deepseek_v2", families::deepseek_v2},
    {"deepseek_v3", families::deepseek_v2},
    {"kimi_k2", families::deepseek_v2},
    {"gpt_oss", families::gpt_oss},
    {"dbrx", families::dbrx},
    {"mamba", families::mamba},
    {"nemotron_h", families::nemotron_h},
    {"jamba", families::jamba},
    {"bert", families::bert},
    {"roberta", families::bert},
    {"xlm-roberta", families::bert},
    {"t5", families::t5},
    {"mt5", families::t5},
    {"bart", families::bart},
};

FamilyFn find_family(std::string_view model_type) {
  for (const auto& f : kFamilies)
    if (f.model_type == model_type) return f.read;
  return nullptr;
}

// Multimodal wrappers whose text_config may omit its own model_type: the text tower they build.
// Qwen2-VL and Qwen2.5-VL configs saved before transformers 4.52 keep the language model's keys at the top level
// beside vision_config (Qwen/Qwen2.5-VL-7B-Instruct's own config.json); later ones add a text_config.
constexpr std::pair<std::string_view, std::string_view> kTextTowers[] = {
    {"llava", "llama"},     {"llava_next", "llama"},       {"gemma3", "gemma3_text"},         {"mistral3", "mistral"},
    {"paligemma", "gemma"}, {"qwen2_vl", "qwen2_vl_text"}, {"qwen2_5_vl", "qwen2_5_vl_text"},
};

std::string_view text_tower_of(std::string_view outer) {
  for (const auto& [w, t] : kTextTowers)
    if (w == outer) return t;
  return {};
}

// ---- vision towers (model.hpp, VisionTower; counted in params.cpp) ----

// Reads vision_config keys with the vision config class's defaults (transformers fills an absent key from the
// class, as it does for every config), and says which defaults it used in one assumption.
class VisionReader {
 public:
  VisionReader(const Reader& r, const char* cls) : r_(r), cls_(cls) {}
  uint64_t size(std::initializer_list<std::string_view> keys, uint64_t dflt) {
    if (auto v = r_.opt_size(keys)) return *v;
    used_.push_back(std::string(*keys.begin()) + " " + with_commas(dflt));
    return dflt;
  }
  bool flag(std::string_view key, bool dflt, const char* shown) {
    if (auto v = r_.opt_bool({key})) return *v;
    used_.push_back(std::string(key) + " " + shown);
    return dflt;
  }
  void note(NormalizedConfig& nc) const {
    if (used_.empty()) return;
    nc.assumptions.push_back(
        {"vision_defaults", r_.base(),
         txt("assume.vision_defaults", {{"cls", cls_}, {"defaults", text_list("list.comma", used_)}})});
  }

 private:
  const Reader& r_;
  const char* cls_;
  std::vector<std::string> used_;
};

// A ViT's position rows: (image / patch)² patches, + 1 for CLIP's class token; invalid_value when the image is
// not a whole number of patches (transformers would build a table that no image fills).
uint64_t vit_patches(const Reader& v, uint64_t image, uint64_t patch) {
  if (image % patch != 0)
    throw Error(code::invalid_value, v.path("image_size"),
                txt("error.config.image_not_patches", {{"image", image}, {"patch", patch}}));
  const uint64_t side = image / patch;
  if (side > 65536)
    throw Error(code::invalid_value, v.path("image_size"),
                txt("error.config.image_not_patches", {{"image", image}, {"patch", patch}}));
  return side * side;
}

// SigLIP or CLIP as SiglipVisionConfig / CLIPVisionConfig build them from the keys present.
void read_vit(VisionTower& t, const Reader& v, NormalizedConfig& nc, bool clip) {
  VisionReader r(v, clip ? "CLIPVisionConfig" : "SiglipVisionConfig");
  t.kind = clip ? VisionKind::clip : VisionKind::siglip;
  t.n_embd = r.size({"hidden_size"}, 768);
  t.n_ff = r.size({"intermediate_size"}, 3072);
  t.n_layer = r.size({"num_hidden_layers"}, 12);
  t.n_head = r.size({"num_attention_heads"}, 12);
  t.n_chan = r.size({"num_channels"}, 3);
  t.image = r.size({"image_size"}, 224);
  t.patch = r.size({"patch_size"}, clip ? 32 : 16);
  t.n_pos = vit_patches(v, t.image, t.patch) + (clip ? 1 : 0);
  // SiglipVisionTransformer builds the pooling head unless the config says vision_use_head false.
  if (!clip) t.head = r.flag("vision_use_head", true, "true");
  r.note(nc);
}

// The vision tower of a multimodal config as its wrapper's config class builds it. False when the wrapper or
// its vision_config is not one gpumem counts (Pixtral, Mllama, Llama 4, audio encoders): then only the language
// model is counted and an assumption says so.
bool read_vision(const std::string& outer, const Reader& root, NormalizedConfig& nc) {
  auto vo = root.opt_object("vision_config");
  if (!vo) return false;
  const Reader& v = *vo;
  VisionTower t;
  ModelSpec& m = nc.model;
  const std::string vtype = v.opt_string({"model_type"}).value_or("");
  if (outer == "gemma3" || outer == "paligemma") {
    // Gemma3Config and PaliGemmaConfig build a SiglipVisionConfig from the dict.
    if (!vtype.empty() && vtype != "siglip_vision_model") return false;
    t.model_type = "siglip_vision_model";
    read_vit(t, v, nc, false);
    t.proj_in = t.n_embd;
    if (outer == "gemma3") {
      t.projector = ProjectorKind::gemma3;
      t.proj_out = m.n_embd;
      t.n_img_tokens = root.opt_size({"mm_tokens_per_image"}).value_or(256);  // Gemma3Config's default
    } else {
      // PaliGemmaConfig gives its projection_dim (default 2048) to the vision config; images take all patches.
      t.projector = ProjectorKind::linear;
      t.proj_out = root.opt_size({"projection_dim"}).value_or(2048);
      t.n_img_tokens = t.n_pos;
    }
  } else if (outer == "llava" || outer == "llava_next") {
    // LlavaConfig: vision_config's model_type defaults to clip_vision_model; AutoModel builds the tower.
    const std::string type = vtype.empty() ? "clip_vision_model" : vtype;
    if (type != "clip_vision_model" && type != "siglip_vision_model") return false;
    t.model_type = type;
    read_vit(t, v, nc, type == "clip_vision_model");
    t.projector = ProjectorKind::mlp2;
    // vision_feature_layer: one index (default -2) or a list whose features are concatenated.
    uint64_t layers = 1;
    if (const auto* f = root.find({"vision_feature_layer"}); f && f->is_array())
      layers = std::max<size_t>(1, f->size());
    t.proj_in = mul(t.n_embd, layers);
    t.proj_out = m.n_embd;
    t.proj_bias = root.opt_bool({"multimodal_projector_bias"}).value_or(true);
    t.image_newline = outer == "llava_next";
    // LLaVA-NeXT tiles an image (anyres): its token count depends on the image. LLaVA's "default" strategy drops
    // the first feature (CLIP's class token; LlavaModel.get_image_features slices [:, 1:] whatever the tower).
    const bool full = root.opt_string({"vision_feature_select_strategy"}).value_or("default") == "full";
    t.n_img_tokens = outer == "llava_next" ? 0 : t.n_pos - (full ? 0 : 1);
  } else if (outer == "qwen2_vl" || outer == "qwen2_5_vl") {
    const bool v25 = outer == "qwen2_5_vl";
    VisionReader r(v, v25 ? "Qwen2_5_VLVisionConfig" : "Qwen2VLVisionConfig");
    t.model_type = outer;
    t.kind = v25 ? VisionKind::qwen2_5_vl : VisionKind::qwen2_vl;
    t.n_layer = r.size({"depth"}, 32);
    t.n_head = r.size({"num_heads"}, 16);
    t.n_chan = r.size({"in_channels", "in_chans"}, 3);
    t.patch = r.size({"patch_size", "spatial_patch_size"}, 14);
    t.patch_t = r.size({"temporal_patch_size"}, 2);
    const uint64_t merge = r.size({"spatial_merge_size"}, 2);
    if (v25) {
      // Qwen2_5_VLVisionConfig: the blocks are hidden_size wide; out_hidden_size is the language model's width.
      t.n_embd = r.size({"hidden_size"}, 3584);
      t.n_ff = r.size({"intermediate_size"}, 3420);
      t.proj_out = r.size({"out_hidden_size"}, 3584);
    } else {
      // Qwen2VLVisionConfig: the blocks are embed_dim wide, the MLP embed_dim × mlp_ratio; hidden_size is the
      // merger's output (the language model's width).
      t.n_embd = r.size({"embed_dim"}, 1280);
      double ratio = 4.0;  // Qwen2VLVisionConfig's default
      if (const nlohmann::json* r_json = v.find({"mlp_ratio"})) {
        if (!r_json->is_number())
          throw Error(code::wrong_type, v.path("mlp_ratio"),
                      txt("error.config.fraction_not_number", {{"key", "mlp_ratio"}, {"type", type_phrase(*r_json)}}));
        ratio = r_json->get<double>();
      }
      if (!(ratio > 0 && ratio < 1024))
        throw Error(code::invalid_value, v.path("mlp_ratio"), txt("error.config.mlp_ratio"));
      // int(embed_dim * mlp_ratio); past 2^53 no real width, and the double would no longer be whole.
      const double ff = static_cast<double>(t.n_embd) * ratio;
      if (ff >= 9007199254740992.0) throw_overflow();
      t.n_ff = static_cast<uint64_t>(ff);
      t.proj_out = r.size({"hidden_size"}, 3584);
    }
    t.projector = ProjectorKind::merger;
    t.proj_in = mul({t.n_embd, merge, merge});
    t.n_img_tokens = 0;  // one token per merge² patches of the image as given (dynamic resolution)
    r.note(nc);
  } else {
    return false;
  }
  m.vision = std::move(t);
  return true;
}

// A positive whole number below 2^40 (a context length or a factor's product), else 0: the limit is read
// leniently, so a key no parameter count needs never refuses a config.
uint64_t whole_positions(const json* v) {
  if (v == nullptr || !v->is_number()) return 0;
  const double d = v->get<double>();
  return d >= 1 && d < 1099511627776.0 ? static_cast<uint64_t>(std::floor(d)) : 0;
}

// The longest context the model accepts, as vLLM derives max_model_len (vllm/config/model.py,
// _get_and_verify_max_len, vLLM 0.11): the smallest of the position keys the config has (model_max_length,
// Command-R's, replaces them); then each rope_scaling (transformers ≥ 5: rope_parameters, possibly one per
// layer type) whose rope_type is not su, longrope or llama3 multiplies it by its factor, and YaRN starts
// from original_max_position_embeddings (transformers' _compute_yarn_parameters reads factor as
// max_position_embeddings / original_max_position_embeddings, so the two agree on well-formed configs:
// DeepSeek-V3 40 × 4,096 = 163,840). llama3 and longrope configs already give the extended length in
// max_position_embeddings (Llama-3.1: 131,072 = 8 × 8,192); Gemma 3's is already scaled, so it is not
// scaled again. Learned position tables (GPT-2, BERT, OPT) hold exactly n_ctx_train positions: no scaling
// lets a model read a row its table does not have. 0 when the config names no length (BLOOM's ALiBi,
// Mamba): no limit is imposed.
void read_context_limit(const Reader& r, ModelSpec& m) {
  static constexpr std::string_view kKeys[] = {
      "max_position_embeddings", "n_positions",         "max_seq_len",    "seq_length", "model_max_length",
      "max_target_positions",    "max_sequence_length", "max_seq_length", "seq_len"};
  uint64_t limit = 0;
  Text from;
  for (std::string_view key : kKeys) {
    const uint64_t v = whole_positions(r.find({key}));
    if (v != 0 && (limit == 0 || v < limit || key == "model_max_length")) {
      limit = v;
      from = txt("phrase.ctx_limit.key", {{"key", key}, {"value", with_commas(v)}});
    }
    if (key == "model_max_length" && v != 0) break;
  }
  if (limit == 0 && m.n_ctx_train != 0)
    limit = m.n_ctx_train, from = txt("phrase.ctx_limit.trained", {{"tokens", with_commas(limit)}});
  if (m.positions == PositionKind::learned) {
    if (m.n_ctx_train != 0)
      limit = m.n_ctx_train, from = txt("phrase.ctx_limit.learned", {{"tokens", with_commas(limit)}});
    m.n_ctx_max = limit;
    m.n_ctx_max_why = from;
    m.n_ctx_max_from = from.empty() ? std::string() : render(from);
    return;
  }
  const json* rope = r.find({"rope_scaling", "rope_parameters"});
  if (limit != 0 && rope != nullptr && rope->is_object() && m.model_type.find("gemma3") == std::string::npos &&
      m.wrapper_type.find("gemma3") == std::string::npos) {
    // One dict, or one per layer type ({"full_attention": {…}, "sliding_attention": {…}}).
    std::vector<const json*> dicts;
    if (rope->contains("rope_type") || rope->contains("type") || rope->contains("factor"))
      dicts.push_back(rope);
    else
      for (const auto& [k, v] : rope->items())
        if (v.is_object()) dicts.push_back(&v);
    double factor = 1.0;
    uint64_t base = limit;
    std::string kind;
    for (const json* d : dicts) {
      std::string type;
      for (const char* k : {"rope_type", "type"})
        if (auto it = d->find(k); it != d->end() && it->is_string()) {
          type = it->get<std::string>();
          break;
        }
      if (type == "su" || type == "longrope" || type == "llama3" || type.empty() || type == "default") continue;
      if (auto it = d->find("factor"); it != d->end() && it->is_number() && it->get<double>() > 0)
        factor = it->get<double>();
      kind = type;
      if (type == "yarn")
        if (uint64_t orig = whole_positions(
                d->contains("original_max_position_embeddings") ? &(*d)["original_max_position_embeddings"] : nullptr))
          base = orig;
    }
    const double scaled = std::floor(static_cast<double>(base) * factor);
    if (!kind.empty() && scaled >= 1 && scaled < 1099511627776.0 && static_cast<uint64_t>(scaled) != limit) {
      from = txt(kind == "yarn" ? "phrase.ctx_limit.rope_yarn" : "phrase.ctx_limit.rope",
                 {{"kind", kind},
                  {"factor", format_g(factor)},
                  {"base", with_commas(base)},
                  {"scaled", with_commas(static_cast<uint64_t>(scaled))}});
      limit = static_cast<uint64_t>(scaled);
    }
  }
  m.n_ctx_max = limit;
  m.n_ctx_max_why = from;
  m.n_ctx_max_from = from.empty() ? std::string() : render(from);
}

// The keys a Llama-style decoder needs; an unknown model_type that has them all is counted as one.
constexpr std::string_view kGenericKeys[] = {"num_hidden_layers", "hidden_size", "num_attention_heads",
                                             "intermediate_size", "vocab_size"};

std::string supported_list() {
  std::string out;
  for (const auto& f : kFamilies) out += (out.empty() ? "" : ", ") + std::string(f.model_type);
  return out;
}

class Normalizer {
 public:
  explicit Normalizer(const json& config) : root_(config, "") {}

  NormalizedConfig run() {
    auto model_type = root_.opt_string({"model_type"});
    if (!model_type) throw Error(code::missing_key, "/model_type", txt("error.config.no_model_type"));
    if (FamilyFn read = find_family(*model_type)) return normalize(*model_type, read, root_, "");
    for (std::string_view key : {"text_config", "llm_config", "language_config"}) {
      if (auto text = root_.opt_object(key)) return wrapper(*model_type, *text);
    }
    // A multimodal config whose language model's keys are at the top level (Qwen2.5-VL before transformers 4.52).
    if (std::string_view inner = text_tower_of(*model_type); !inner.empty() && root_.has("hidden_size"))
      return wrapper(*model_type, root_);
    return unknown(*model_type, root_, "");
  }

 private:
  NormalizedConfig normalize(const std::string& model_type, FamilyFn read, const Reader& text,
                             const std::string& wrapper) {
    Ctx c(text, root_);
    c.m().model_type = model_type;
    c.m().wrapper_type = wrapper;
    c.m().torch_dtype =
        text.opt_string({"torch_dtype", "dtype"}).value_or(root_.opt_string({"torch_dtype", "dtype"}).value_or(""));
    read(c);
    finish(c);
    return std::move(c.out);
  }

  // A multimodal config: the language model is read from its text_config (or llm_config, or the top level of a
  // flat Qwen2-VL config); the vision tower and projector are counted where gpumem knows the wrapper
  // (read_vision), other towers (audio, the vision towers of other wrappers) are not.
  NormalizedConfig wrapper(const std::string& outer, const Reader& text) {
    const bool flat = text.base() == root_.base();
    std::string inner = flat ? "" : text.opt_string({"model_type"}).value_or("");
    if (inner.empty()) inner = std::string(text_tower_of(outer));
    if (inner.empty())
      throw Error(
          code::missing_key, text.path("model_type"),
          txt("error.config.wrapped_no_model_type", {{"outer", outer.substr(0, 64)}, {"key", text.base().substr(1)}}));
    NormalizedConfig nc = (find_family(inner) != nullptr) ? normalize(inner, find_family(inner), text, outer)
                                                          : unknown(inner, text, outer);
    const bool vision = read_vision(outer, root_, nc);
    std::vector<std::string> towers;  // the towers' keys that are not counted
    for (std::string_view key : {"vision_config", "audio_config", "vision_tower"})
      if (root_.has(key) && !(vision && key == "vision_config")) towers.emplace_back(key);
    const std::string key = flat ? "/" : text.base().substr(1);
    if (vision) {
      const char* id = !towers.empty() ? "assume.towers_counted.partly"
                       : flat          ? "assume.towers_counted.flat"
                                       : "assume.towers_counted";
      Text note = txt(id, {{"outer", outer.substr(0, 64)},
                           {"inner", inner.substr(0, 64)},
                           {"key", key},
                           {"vision", nc.model.vision.model_type.substr(0, 64)}});
      if (!towers.empty()) note.phrases.emplace_back("towers", text_list("list.and_each", towers));
      nc.assumptions.push_back({"towers_counted", "/vision_config", std::move(note)});
      return nc;
    }
    const std::initializer_list<TextArg> args = {
        {"outer", outer.substr(0, 64)}, {"inner", inner.substr(0, 64)}, {"key", key}};
    Text note = txt(towers.empty() ? "assume.towers_not_counted" : "assume.towers_not_counted.towers", args);
    if (!towers.empty()) note.phrases.emplace_back("towers", text_list("list.and_each", towers));
    nc.assumptions.push_back({"towers_not_counted", text.base(), std::move(note)});
    return nc;
  }

  NormalizedConfig unknown(const std::string& model_type, const Reader& text, const std::string& wrapper) {
    std::vector<std::string> missing;
    for (auto key : kGenericKeys)
      if (!text.has(key)) missing.emplace_back(key);
    if (!missing.empty())
      throw Error(code::unsupported_model, text.path("model_type"),
                  txt("error.config.unsupported_model_type", {{"model_type", model_type.substr(0, 64)},
                                                              {"missing", text_list("list.comma", missing)},
                                                              {"supported", supported_list()}}));
    NormalizedConfig nc = normalize(model_type, families::generic, text, wrapper);
    nc.assumptions.insert(nc.assumptions.begin(),
                          Assumption("generic_layout", text.path("model_type"),
                                     txt("assume.generic_layout", {{"model_type", model_type.substr(0, 64)}})));
    return nc;
  }

  // Derived fields and the checks every family shares.
  void finish(Ctx& c) {
    ModelSpec& m = c.m();
    if (m.layers.empty() || m.layers.back().to + 1 != m.n_layer)
      throw Error(code::invalid_value, c.r.path("num_hidden_layers"), txt("error.config.no_layers"));
    if (m.n_embd_tok == 0) m.n_embd_tok = m.n_embd;
    if (m.n_embd_head_k == 0) m.n_embd_head_k = m.n_embd_head;
    if (m.n_embd_head_v == 0) m.n_embd_head_v = m.n_embd_head_k;
    read_context_limit(c.r, m);
    for (const auto& run : m.layers) {
      const LayerSpec& l = run.spec;
      if (l.mixer == MixerKind::attention && m.n_head_kv == 0) m.n_head_kv = l.n_head_kv;
      if (l.ffn == FfnKind::dense && m.n_ff == 0) m.n_ff = l.n_ff;
      if (l.mixer == MixerKind::attention && (l.n_head_kv == 0 || l.n_head_kv > m.n_head))
        throw Error(code::invalid_value, c.r.path("num_key_value_heads"), txt("error.config.kv_heads_over_heads"));
      if (l.ffn == FfnKind::moe && (m.n_expert == 0 || m.n_ff_exp == 0))
        throw Error(code::invalid_value, c.r.path("num_experts"), txt("error.config.moe_no_experts"));
    }
  }

  Reader root_;
};
}  // namespace

const LayerSpec& ModelSpec::layer_at(uint64_t il) const {
  for (const auto& run : layers)
    if (il >= run.from && il <= run.to) return run.spec;
  throw Error(code::internal_error, "", txt("error.internal.no_layer", {{"layer", il}}));
}

uint64_t ModelSpec::n_embd_q() const { return n_head * n_embd_head_k; }
uint64_t ModelSpec::n_embd_kv() const { return n_head_kv * n_embd_head_k; }

namespace {

[[noreturn]] void throw_parse_error(const std::string& text, const json::parse_error& e) {
  // e.byte is 1-based and points at the offending byte (or one past the end for truncation).
  std::string what = e.what();
  auto dash = what.find(" - ");
  std::string reason = dash == std::string::npos ? "syntax error" : what.substr(dash + 3);
  auto semi = reason.find(';');
  if (semi != std::string::npos) reason = reason.substr(0, semi);
  throw_invalid_json_at(text, e.byte > 0 ? e.byte - 1 : 0, txt("phrase.json.parser", {{"detail", reason}}));
}

}  // namespace

json parse_json_text(const std::string& text, std::vector<Assumption>* notes) {
  if (text.size() > kMaxConfigBytes)
    throw Error(code::too_large, "",
                txt("error.config.file_too_large", {{"bytes", text.size()}, {"max", kMaxConfigBytes}}));
  // nlohmann's lexer reads a NUL byte as the end of the input; JSON allows none outside escapes.
  if (auto nul = text.find('\0'); nul != std::string::npos) throw_invalid_json_at(text, nul, txt("phrase.json.nul"));
  check_depth(text);
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    if (!notes) throw_parse_error(text, e);
    std::string lenient = text;
    const std::size_t first = python_constants_to_null(lenient);
    if (first == std::string::npos) throw_parse_error(text, e);
    json out;
    try {
      out = json::parse(lenient);
    } catch (const json::parse_error&) {
      throw_parse_error(text, e);
    }
    auto [line, col] = line_col(text, first);
    notes->push_back(
        {"python_json_constant", "", txt("assume.python_json_constant", {{"line", line}, {"column", col}})});
    return out;
  }
}

Text context_over_limit_text(const ModelSpec& m, uint64_t tokens, const std::string& path) {
  if (m.n_ctx_max == 0 || tokens <= m.n_ctx_max) return {};
  const std::initializer_list<TextArg> args = {
      {"tokens", with_commas(tokens)}, {"limit", with_commas(m.n_ctx_max)}, {"from", m.n_ctx_max_why}};
  if (m.positions == PositionKind::learned)
    throw Error(code::bad_request, path, txt("error.context.over_learned", args));
  return txt("assume.context_over_limit", args);
}

std::string context_over_limit(const ModelSpec& m, uint64_t tokens, const std::string& path) {
  const Text t = context_over_limit_text(m, tokens, path);
  return t.empty() ? std::string() : render(t);
}

NormalizedConfig read_config(const json& config) {
  if (!config.is_object())
    throw Error(code::not_an_object, "", txt("error.config.not_an_object", {{"type", type_phrase(config)}}));
  return Normalizer(config).run();
}

}  // namespace gpumem
