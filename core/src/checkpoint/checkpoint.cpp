// Checkpoint header parsing. Formats:
//   safetensors: [u64 LE header length N][N bytes JSON header][tensor data]. Header entries:
//     "name": {"dtype": "BF16", "shape": [4096, 4096], "data_offsets": [begin, end]} (offsets relative to
//     the data section), plus an optional "__metadata__": {string: string}. (huggingface/safetensors docs)
//   GGUF v2/v3: "GGUF" u32 version, u64 tensor_count, u64 kv_count, kv pairs, tensor infos
//     (name, u32 n_dims, u64 ne[n_dims], u32 ggml_type, u64 offset), padding to general.alignment
//     (default 32), tensor data. (ggml docs/gguf.md; type sizes from ggml's type traits)
// Every length and offset read from a file is checked against the file size before use, and all
// arithmetic is overflow-checked: a corrupted header is an error, never a crash or a wrap.
#include "gpumem/checkpoint/checkpoint.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

#include "../base/reader.hpp"
#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"

namespace gpumem {

using ojson = nlohmann::ordered_json;

namespace {

constexpr const char* kInvalidHeader = "invalid_header";
constexpr const char* kTruncated = "truncated";
constexpr const char* kUnsupportedFormat = "unsupported_format";

struct SafetensorsDType {
  std::string_view name;
  uint32_t bits;
};
// safetensors' Dtype enum with each type's storage width.
constexpr SafetensorsDType kSafetensorsDTypes[] = {
    {"BOOL", 8}, {"U8", 8},   {"I8", 8},    {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},
    {"U16", 16}, {"F16", 16}, {"BF16", 16}, {"I32", 32},    {"U32", 32},    {"F32", 32},    {"I64", 64},
    {"U64", 64}, {"F64", 64}, {"C64", 64},  {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6},
};

struct GgmlType {
  uint32_t id;
  std::string_view name;
  uint64_t block;  // elements per block
  uint64_t size;   // bytes per block
};
// ggml_type ids (append-only enum; gaps are removed types) with block size and bytes per block from
// ggml's type traits, e.g. Q4_K: 256 elements in 144 bytes = 4.5 bits per weight.
constexpr GgmlType kGgmlTypes[] = {
    {0, "F32", 1, 4},         {1, "F16", 1, 2},         {2, "Q4_0", 32, 18},      {3, "Q4_1", 32, 20},
    {6, "Q5_0", 32, 22},      {7, "Q5_1", 32, 24},      {8, "Q8_0", 32, 34},      {9, "Q8_1", 32, 36},
    {10, "Q2_K", 256, 84},    {11, "Q3_K", 256, 110},   {12, "Q4_K", 256, 144},   {13, "Q5_K", 256, 176},
    {14, "Q6_K", 256, 210},   {15, "Q8_K", 256, 292},   {16, "IQ2_XXS", 256, 66}, {17, "IQ2_XS", 256, 74},
    {18, "IQ3_XXS", 256, 98}, {19, "IQ1_S", 256, 50},   {20, "IQ4_NL", 32, 18},   {21, "IQ3_S", 256, 110},
    {22, "IQ2_S", 256, 82},   {23, "IQ4_XS", 256, 136}, {24, "I8", 1, 1},         {25, "I16", 1, 2},
    {26, "I32", 1, 4},        {27, "I64", 1, 8},        {28, "F64", 1, 8},        {29, "IQ1_M", 256, 56},
    {30, "BF16", 1, 2},       {34, "TQ1_0", 256, 54},   {35, "TQ2_0", 256, 66},   {39, "MXFP4", 32, 17},
    {40, "NVFP4", 64, 36},
};

std::string clip(std::string_view s, size_t n = 80) { return std::string(s.substr(0, n)); }

// ---- safetensors -------------------------------------------------------------------------------

uint64_t read_le(std::string_view bytes, uint64_t at, int width) {
  uint64_t v = 0;
  for (int i = width - 1; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

uint64_t json_uint(const nlohmann::json& v, const std::string& path, const std::string& file) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    throw Error(kInvalidHeader, path, txt("error.checkpoint.expected_uint", {{"file", file}}));
  return v.get<uint64_t>();
}

void parse_safetensors(const FileHead& f, uint32_t index, Inventory& inv) {
  if (f.size < 8) throw Error(kTruncated, "", txt("error.checkpoint.under_8_bytes", {{"file", f.name}}));
  if (f.head.size() < 8) throw NeedMoreBytes{index, 8};
  const uint64_t n = read_le(f.head, 0, 8);
  if (n > kMaxHeaderBytes)
    throw Error(kInvalidHeader, "", txt("error.checkpoint.header_over_limit", {{"file", f.name}, {"bytes", n}}));
  if (8 + n > f.size)
    throw Error(kTruncated, "",
                txt("error.checkpoint.header_past_end", {{"file", f.name}, {"size", f.size}, {"claimed", 8 + n}}));
  if (f.head.size() < 8 + n) throw NeedMoreBytes{index, 8 + n};

  nlohmann::json header;
  try {
    header = nlohmann::json::parse(f.head.substr(8, n));
  } catch (const nlohmann::json::exception&) {
    throw Error(kInvalidHeader, "", txt("error.checkpoint.no_json_header", {{"file", f.name}}));
  }
  if (!header.is_object())
    throw Error(kInvalidHeader, "", txt("error.checkpoint.header_not_object", {{"file", f.name}}));

  CheckpointFile cf;
  cf.name = f.name;
  cf.format = "safetensors";
  cf.size = f.size;
  cf.header_bytes = 8 + n;
  const uint64_t data_size = f.size - 8 - n;

  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  for (const auto& [key, entry] : header.items()) {
    const std::string path = "/" + pointer_token(key);
    if (key == "__metadata__") {
      if (!entry.is_object())
        throw Error(kInvalidHeader, path, txt("error.checkpoint.metadata_not_object", {{"file", f.name}}));
      for (const auto& [mk, mv] : entry.items()) cf.metadata[mk] = mv.is_string() ? mv.get<std::string>() : mv.dump();
      continue;
    }
    if (!entry.is_object() || !entry.contains("dtype") || !entry.contains("shape") || !entry.contains("data_offsets"))
      throw Error(kInvalidHeader, path,
                  txt("error.checkpoint.tensor_incomplete", {{"file", f.name}, {"tensor", clip(key)}}));
    const auto& dt = entry["dtype"];
    if (!dt.is_string())
      throw Error(kInvalidHeader, path + "/dtype", txt("error.checkpoint.dtype_not_string", {{"file", f.name}}));
    const auto* dtype = std::find_if(std::begin(kSafetensorsDTypes), std::end(kSafetensorsDTypes),
                                     [&](const auto& d) { return d.name == dt.get<std::string>(); });
    if (dtype == std::end(kSafetensorsDTypes))
      throw Error("unsupported_dtype", path + "/dtype",
                  txt("error.checkpoint.unknown_dtype",
                      {{"file", f.name}, {"tensor", clip(key)}, {"dtype", clip(dt.get<std::string>(), 20)}}));
    TensorEntry t;
    t.name = key;
    t.dtype = std::string(dtype->name);
    t.file = index;
    const auto& shape = entry["shape"];
    if (!shape.is_array() || shape.size() > 16)
      throw Error(kInvalidHeader, path + "/shape", txt("error.checkpoint.shape", {{"file", f.name}}));
    t.params = 1;
    for (size_t i = 0; i < shape.size(); ++i) {
      t.shape.push_back(json_uint(shape[i], path + "/shape/" + std::to_string(i), f.name));
      t.params = mul(t.params, t.shape.back());
    }
    const auto& off = entry["data_offsets"];
    if (!off.is_array() || off.size() != 2)
      throw Error(kInvalidHeader, path + "/data_offsets", txt("error.checkpoint.offsets", {{"file", f.name}}));
    const uint64_t begin = json_uint(off[0], path + "/data_offsets/0", f.name);
    const uint64_t end = json_uint(off[1], path + "/data_offsets/1", f.name);
    if (end < begin)
      throw Error(kInvalidHeader, path + "/data_offsets", txt("error.checkpoint.offsets_reversed", {{"file", f.name}}));
    const uint64_t bits = mul(t.params, dtype->bits);
    if (bits % 8 != 0 || bits / 8 != end - begin)
      throw Error(kInvalidHeader, path + "/data_offsets",
                  txt("error.checkpoint.span_mismatch", {{"file", f.name},
                                                         {"tensor", clip(key)},
                                                         {"span", end - begin},
                                                         {"dtype", t.dtype},
                                                         {"need", bits / 8}}));
    if (end > data_size)
      throw Error(kTruncated, path + "/data_offsets",
                  txt("error.checkpoint.tensor_past_end",
                      {{"file", f.name}, {"tensor", clip(key)}, {"end", 8 + n + end}, {"size", f.size}}));
    t.bytes = end - begin;
    ranges.emplace_back(begin, end);
    inv.tensors.push_back(std::move(t));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].first < ranges[i - 1].second)
      throw Error(kInvalidHeader, "", txt("error.checkpoint.overlap", {{"file", f.name}}));
  inv.files.push_back(std::move(cf));
}

// ---- model.safetensors.index.json --------------------------------------------------------------

void parse_index(const FileHead& f, uint32_t index, const nlohmann::json& j, Inventory& inv) {
  CheckpointFile cf;
  cf.name = f.name;
  cf.format = "safetensors_index";
  cf.size = f.size;
  cf.header_bytes = f.size;
  const auto& map = j["weight_map"];
  if (!map.is_object())
    throw Error(kInvalidHeader, "/weight_map", txt("error.checkpoint.weight_map", {{"file", f.name}}));
  cf.index_tensors = map.size();
  std::set<std::string> shards;
  for (const auto& [k, v] : map.items()) {
    if (!v.is_string())
      throw Error(kInvalidHeader, "/weight_map/" + pointer_token(k),
                  txt("error.checkpoint.weight_map_value", {{"file", f.name}}));
    shards.insert(v.get<std::string>());
  }
  auto md = j.find("metadata");
  if (md != j.end() && md->is_object()) {
    if (md->contains("total_size") && !(*md)["total_size"].is_null())
      cf.declared_total = json_uint((*md)["total_size"], "/metadata/total_size", f.name);
    for (const auto& [k, v] : md->items()) cf.metadata[k] = v;
  }
  cf.metadata["shards"] = shards.size();
  (void)index;
  inv.files.push_back(std::move(cf));
}

// ---- GGUF --------------------------------------------------------------------------------------

class Cursor {
 public:
  Cursor(const FileHead& f, uint32_t index) : f_(f), index_(index) {}
  uint64_t pos() const { return pos_; }

  // Makes sure `n` more bytes are readable, asking for more of the file when the head is too short.
  void need(uint64_t n) {
    const uint64_t end = add(pos_, n);
    if (end > f_.size)
      throw Error(kTruncated, "", txt("error.checkpoint.gguf_truncated", {{"file", f_.name}, {"size", f_.size}}));
    if (end > kMaxHeaderBytes)
      throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_over_limit", {{"file", f_.name}}));
    if (end > f_.head.size())
      throw NeedMoreBytes{index_, std::min(f_.size, std::max(end, 2 * static_cast<uint64_t>(f_.head.size())))};
  }
  uint64_t u(int width) {
    need(width);
    uint64_t v = read_le(f_.head, pos_, width);
    pos_ += width;
    return v;
  }
  std::string_view str() {
    const uint64_t n = u(8);
    need(n);
    std::string_view s = f_.head.substr(pos_, n);
    pos_ += n;
    return s;
  }
  void skip(uint64_t n) {
    need(n);
    pos_ += n;
  }

 private:
  const FileHead& f_;
  uint32_t index_;
  uint64_t pos_ = 0;
};

constexpr int kGgufScalarWidth[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};  // by GGUF value type id

ojson gguf_scalar(Cursor& c, uint32_t type) {
  const uint64_t raw = c.u(kGgufScalarWidth[type]);
  switch (type) {
    case 1:
      return static_cast<int8_t>(raw);
    case 3:
      return static_cast<int16_t>(raw);
    case 5:
      return static_cast<int32_t>(raw);
    case 11:
      return static_cast<int64_t>(raw);
    case 6: {
      uint32_t b = static_cast<uint32_t>(raw);
      float x;
      std::memcpy(&x, &b, 4);
      return x;
    }
    case 12: {
      double x;
      std::memcpy(&x, &raw, 8);
      return x;
    }
    case 7:
      return raw != 0;
    default:
      return raw;
  }
}

ojson gguf_value(Cursor& c, uint32_t type, const std::string& key, const std::string& file, int depth) {
  if (type > 12)
    throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_value_type", {{"file", file}, {"key", clip(key)}}));
  if (type == 8) return std::string(c.str().substr(0, 1024));
  if (type != 9) return gguf_scalar(c, type);
  if (depth > 3)
    throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_nesting", {{"file", file}, {"key", clip(key)}}));
  const uint32_t elem = static_cast<uint32_t>(c.u(4));
  const uint64_t count = c.u(8);
  if (elem > 12)
    throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_array_type", {{"file", file}, {"key", clip(key)}}));
  // Short numeric arrays (per-layer head counts) are kept; long ones (token lists) are summarised.
  const bool keep = count <= 256 && elem != 8 && elem != 9;
  ojson arr = ojson::array();
  if (elem != 8 && elem != 9 && !keep) {
    c.skip(mul(count, kGgufScalarWidth[elem]));
  } else {
    for (uint64_t i = 0; i < count; ++i) {
      ojson v = gguf_value(c, elem, key, file, depth + 1);
      if (keep) arr.push_back(std::move(v));
    }
  }
  if (keep) return arr;
  return {{"array_of", elem == 8 ? "string" : "value"}, {"length", count}};
}

void parse_gguf(const FileHead& f, uint32_t index, Inventory& inv) {
  Cursor c(f, index);
  c.skip(4);  // magic, checked by the caller
  const uint64_t version = c.u(4);
  if (version == 1) throw Error(kUnsupportedFormat, "", txt("error.checkpoint.gguf_v1", {{"file", f.name}}));
  if (version != 2 && version != 3)
    throw Error(kUnsupportedFormat, "", txt("error.checkpoint.gguf_version", {{"file", f.name}, {"version", version}}));
  const uint64_t n_tensors = c.u(8);
  const uint64_t n_kv = c.u(8);
  if (n_tensors > 1000000 || n_kv > 1000000)
    throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_counts", {{"file", f.name}}));

  CheckpointFile cf;
  cf.name = f.name;
  cf.format = "gguf";
  cf.size = f.size;
  cf.metadata["gguf.version"] = version;
  uint64_t alignment = 32;
  for (uint64_t i = 0; i < n_kv; ++i) {
    const std::string key(c.str().substr(0, 256));
    const uint32_t type = static_cast<uint32_t>(c.u(4));
    ojson v = gguf_value(c, type, key, f.name, 0);
    if (key == "general.alignment") {
      if (!v.is_number_unsigned() || v.get<uint64_t>() == 0 || (v.get<uint64_t>() & (v.get<uint64_t>() - 1)))
        throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_alignment", {{"file", f.name}}));
      alignment = v.get<uint64_t>();
    }
    cf.metadata[key] = std::move(v);
  }

  std::vector<std::pair<uint64_t, uint64_t>> ranges;
  const size_t first = inv.tensors.size();
  for (uint64_t i = 0; i < n_tensors; ++i) {
    TensorEntry t;
    t.name = std::string(c.str().substr(0, 512));
    t.file = index;
    const uint32_t n_dims = static_cast<uint32_t>(c.u(4));
    if (n_dims > 4)
      throw Error(kInvalidHeader, "", txt("error.checkpoint.gguf_dims", {{"file", f.name}, {"tensor", clip(t.name)}}));
    t.params = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      t.shape.push_back(c.u(8));
      t.params = mul(t.params, t.shape.back());
    }
    const uint32_t type = static_cast<uint32_t>(c.u(4));
    const auto* gt =
        std::find_if(std::begin(kGgmlTypes), std::end(kGgmlTypes), [&](const auto& g) { return g.id == type; });
    if (gt == std::end(kGgmlTypes))
      throw Error("unsupported_dtype", "",
                  txt("error.checkpoint.gguf_type", {{"file", f.name}, {"tensor", clip(t.name)}, {"type", type}}));
    t.dtype = std::string(gt->name);
    const uint64_t ne0 = t.shape.empty() ? 1 : t.shape[0];
    if (ne0 % gt->block != 0)
      throw Error(
          kInvalidHeader, "",
          txt("error.checkpoint.gguf_rows",
              {{"file", f.name}, {"tensor", clip(t.name)}, {"cols", ne0}, {"dtype", t.dtype}, {"block", gt->block}}));
    t.bytes = mul(t.params / gt->block, gt->size);
    const uint64_t offset = c.u(8);
    if (offset % alignment != 0)
      throw Error(kInvalidHeader, "",
                  txt("error.checkpoint.gguf_unaligned", {{"file", f.name}, {"tensor", clip(t.name)}}));
    ranges.emplace_back(offset, add(offset, t.bytes));
    inv.tensors.push_back(std::move(t));
  }
  cf.header_bytes = c.pos();
  const uint64_t data_start = add(c.pos(), (alignment - c.pos() % alignment) % alignment);
  const uint64_t data_size = f.size >= data_start ? f.size - data_start : 0;
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i].second > data_size)
      throw Error(
          kTruncated, "",
          txt("error.checkpoint.gguf_past_end", {{"file", f.name}, {"tensor", clip(inv.tensors[first + i].name)}}));
  }
  std::sort(ranges.begin(), ranges.end());
  for (size_t i = 1; i < ranges.size(); ++i)
    if (ranges[i].first < ranges[i - 1].second)
      throw Error(kInvalidHeader, "", txt("error.checkpoint.overlap", {{"file", f.name}}));
  inv.files.push_back(std::move(cf));
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool has(std::string_view s, std::string_view part) { return s.find(part) != std::string_view::npos; }

}  // namespace

std::string tensor_group(std::string_view name) {
  std::string lower(name);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string_view n = lower;
  // A multimodal model's towers first, whatever their tensors are (the config's "vision" and "projector"
  // groups, params.cpp): transformers' "[model.]vision_tower.…", "[model.]visual.blocks.…" (Qwen-VL),
  // "[model.]multi_modal_projector.…", Qwen-VL's "visual.merger.…", LLaVA-NeXT's "image_newline"; an mmproj
  // GGUF's "v.…" and "mm.…".
  if (has(n, "multi_modal_projector") || has(n, "visual.merger.") || has(n, "image_newline") || n.rfind("mm.", 0) == 0)
    return "projector";
  if (has(n, "vision_tower.") || has(n, "vision_model.") || n.rfind("visual.", 0) == 0 || has(n, ".visual.") ||
      n.rfind("v.", 0) == 0)
    return "vision";
  // Order matters: "post_attention_layernorm" is a norm, not attention; "mlp.gate.weight" is the router,
  // not the gated MLP's gate_proj.
  if (n.rfind("lm_head", 0) == 0 || n == "output.weight" || has(n, "embed_out")) return "lm_head";
  if (has(n, "position") || has(n, "wpe.") || has(n, "pos_embed") || has(n, "relative_attention_bias"))
    return "positions";
  if (has(n, "embed_tokens") || has(n, "wte.") || has(n, "word_embeddings") || has(n, "tok_embeddings") ||
      has(n, "token_embd") || has(n, "token_type_embeddings") || n == "shared.weight" || has(n, "embeddings.weight"))
    return "embeddings";
  if (has(n, "norm") || has(n, "ln_") || has(n, ".ln") || has(n, "layer_norm")) return "norms";
  if (has(n, "ffn_gate_inp") || has(n, "router") || ends_with(n, ".gate.weight") || ends_with(n, ".gate.bias") ||
      has(n, "e_score_correction"))
    return "router";
  if (has(n, "shared_expert") || has(n, "_shexp")) return "experts_shared";
  if (has(n, ".experts.") || has(n, "_exps")) return "experts_routed";
  if (has(n, "attn") || has(n, "attention") || has(n, "q_proj") || has(n, "k_proj") || has(n, "v_proj") ||
      has(n, "o_proj") || has(n, "query_key_value") || has(n, "sinks"))
    return "attention";
  if (has(n, "mlp") || has(n, "ffn") || has(n, "feed_forward") || has(n, "fc1") || has(n, "fc2") ||
      has(n, "gate_proj") || has(n, "up_proj") || has(n, "down_proj") || has(n, "dense_h_to_4h") ||
      has(n, "dense_4h_to_h") || has(n, "c_fc"))
    return "mlp";
  return "other";
}

Inventory inspect_files(const std::vector<FileHead>& files) {
  if (files.empty()) throw Error(code::bad_request, "/files", txt("error.checkpoint.no_files"));
  Inventory inv;
  for (uint32_t i = 0; i < files.size(); ++i) {
    const FileHead& f = files[i];
    if (f.head.size() > f.size)
      throw Error(code::bad_request, "/files/" + std::to_string(i),
                  txt("error.checkpoint.head_over_size", {{"file", f.name}}));
    if (f.head.size() < std::min<uint64_t>(f.size, 4)) throw NeedMoreBytes{i, std::min<uint64_t>(f.size, 4096)};
    if (f.head.substr(0, 4) == "GGUF") {
      parse_gguf(f, i, inv);
      continue;
    }
    // An index file is small JSON text whose first byte is '{'; a safetensors file starts with its length.
    if (!f.head.empty() && (f.head[0] == '{' || ends_with(f.name, ".json"))) {
      if (f.head.size() < f.size) {
        if (f.size > kMaxHeaderBytes)
          throw Error(kInvalidHeader, "", txt("error.checkpoint.index_too_large", {{"file", f.name}}));
        throw NeedMoreBytes{i, f.size};
      }
      nlohmann::json j;
      try {
        j = nlohmann::json::parse(f.head);
      } catch (const nlohmann::json::exception&) {
        throw Error(code::invalid_json, "", txt("error.checkpoint.index_json", {{"file", f.name}}));
      }
      if (!j.is_object() || !j.contains("weight_map"))
        throw Error(kUnsupportedFormat, "", txt("error.checkpoint.not_index", {{"file", f.name}}));
      parse_index(f, i, j, inv);
      continue;
    }
    parse_safetensors(f, i, inv);
  }
  std::set<std::string_view> seen;
  for (auto& t : inv.tensors) {
    if (!seen.insert(t.name).second)
      throw Error(kInvalidHeader, "", txt("error.checkpoint.tensor_twice", {{"tensor", clip(t.name)}}));
    t.group = tensor_group(t.name);
  }
  bool packed = std::any_of(inv.tensors.begin(), inv.tensors.end(), [](const TensorEntry& t) {
    return ends_with(t.name, ".qweight") || ends_with(t.name, ".weight_packed") || has(t.name, ".absmax") ||
           has(t.name, "quant_state");
  });
  if (packed) inv.notes.push_back(txt("note.checkpoint.packed_storage"));
  return inv;
}

nlohmann::json gguf_config(const CheckpointFile& f, const Inventory& inv) {
  if (f.format != "gguf" || !f.metadata.contains("general.architecture") ||
      !f.metadata["general.architecture"].is_string())
    return nlohmann::json::object();
  const std::string arch = f.metadata["general.architecture"].get<std::string>();
  nlohmann::json cfg = {{"model_type", arch}};
  // GGUF key → the config.json key the normalizer reads (llama.cpp's convert_hf_to_gguf.py writes the
  // former from the latter).
  const std::pair<const char*, const char*> keys[] = {
      {".block_count", "num_hidden_layers"},
      {".embedding_length", "hidden_size"},
      {".feed_forward_length", "intermediate_size"},
      {".attention.head_count", "num_attention_heads"},
      {".attention.head_count_kv", "num_key_value_heads"},
      {".attention.key_length", "head_dim"},
      {".context_length", "max_position_embeddings"},
      {".vocab_size", "vocab_size"},
      {".expert_count", "num_local_experts"},
      {".expert_used_count", "num_experts_per_tok"},
  };
  for (const auto& [suffix, hf] : keys) {
    auto it = f.metadata.find(arch + suffix);
    if (it != f.metadata.end() && it->is_number_unsigned()) cfg[hf] = it->get<uint64_t>();
  }
  if (!cfg.contains("vocab_size")) {
    auto it = f.metadata.find("tokenizer.ggml.tokens");
    if (it != f.metadata.end() && it->is_object() && it->contains("length")) cfg["vocab_size"] = (*it)["length"];
  }
  // llama.cpp omits output.weight when the model ties it to token_embd.
  bool has_output = std::any_of(inv.tensors.begin(), inv.tensors.end(),
                                [](const TensorEntry& t) { return t.name == "output.weight"; });
  cfg["tie_word_embeddings"] = !has_output;
  return cfg;
}

}  // namespace gpumem

namespace gpumem {

namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

int64_t tensor_layer(std::string_view name) {
  std::string lower(name);
  for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  // A tower's blocks are numbered too ("vision_tower.vision_model.encoder.layers.0", "visual.blocks.3"): they
  // are not decoder layers, whatever their index.
  for (std::string_view tower : {"vision", "visual", "audio", "multi_modal", "mm_projector", "image_newline"})
    if (has(lower, tower)) return -1;
  if (lower.rfind("v.", 0) == 0 || lower.rfind("mm.", 0) == 0) return -1;  // an mmproj GGUF's tower and projector
  // The container names the families use: HF "layers"/"h"/"layer"/"blocks"/"block", GGUF "blk".
  std::string_view rest = lower;
  std::string_view prev;
  while (!rest.empty()) {
    const size_t dot = rest.find('.');
    const std::string_view seg = rest.substr(0, dot);
    if (all_digits(seg) && seg.size() <= 9 &&
        (prev == "layers" || prev == "h" || prev == "blk" || prev == "layer" || prev == "blocks" || prev == "block"))
      return std::stoll(std::string(seg));
    if (dot == std::string_view::npos) break;
    prev = seg;
    rest.remove_prefix(dot + 1);
  }
  return -1;
}

std::optional<CheckpointWeights> checkpoint_weights(const Inventory& inv) {
  if (inv.tensors.empty()) return std::nullopt;
  CheckpointWeights w;
  for (const auto& f : inv.files) {
    if (f.format == "safetensors_index") continue;
    if (!w.format.empty() && w.format != f.format) return std::nullopt;
    if (w.format.empty()) w.format = f.format, w.file = f.name;
  }
  for (const auto& t : inv.tensors) {
    w.params = add(w.params, t.params);
    w.bytes = add(w.bytes, t.bytes);
    w.dtypes[t.dtype] = add(w.dtypes[t.dtype], t.bytes);
    const int64_t il = tensor_layer(t.name);
    if (il < 0) {
      if (t.group == "embeddings" &&
          (has(t.name, "embed_tokens") || has(t.name, "wte.") || has(t.name, "word_embeddings") ||
           has(t.name, "token_embd") || has(t.name, "tok_embeddings") || t.name == "shared.weight"))
        w.embd_bytes = add(w.embd_bytes, t.bytes);
      else
        w.outside_bytes = add(w.outside_bytes, t.bytes);
      continue;
    }
    // A decoder-layer index is below the layer count of any real model; a corrupted name must not make the
    // vector huge.
    if (il >= 100000) throw Error(code::invalid_value, "", txt("error.checkpoint.layer_index", {{"tensor", t.name}}));
    if (static_cast<uint64_t>(il) >= w.layers.size()) w.layers.resize(static_cast<size_t>(il) + 1);
    CheckpointLayer& L = w.layers[static_cast<size_t>(il)];
    L.bytes = add(L.bytes, t.bytes);
    if (t.group == "experts_routed") L.experts = add(L.experts, t.bytes);
    L.largest = std::max(L.largest, t.bytes);
  }
  return w;
}

nlohmann::ordered_json checkpoint_weights_json(const CheckpointWeights& w) {
  ojson layers = ojson::array();
  for (const auto& L : w.layers) layers.push_back({{"bytes", L.bytes}, {"experts", L.experts}, {"largest", L.largest}});
  ojson dtypes = ojson::object();
  for (const auto& [d, b] : w.dtypes) dtypes[d] = b;
  return {{"format", w.format},         {"file", w.file},
          {"params", w.params},         {"bytes", w.bytes},
          {"embd_bytes", w.embd_bytes}, {"outside_bytes", w.outside_bytes},
          {"layers", layers},           {"dtypes", dtypes}};
}

CheckpointWeights read_checkpoint_weights(const nlohmann::json& j) {
  const std::string root = "/checkpoint";
  if (!j.is_object()) throw Error(code::wrong_type, root, txt("error.checkpoint.weights_object"));
  auto count = [](const nlohmann::json& o, const char* key, const std::string& at) {
    const auto it = o.find(key);
    const std::string path = at + "/" + key;
    if (it == o.end() || it->is_null()) throw Error(code::missing_key, path, txt("error.checkpoint.weights_field"));
    if (!it->is_number_unsigned()) throw Error(code::wrong_type, path, txt("error.checkpoint.weights_field"));
    return it->get<uint64_t>();
  };
  auto text = [](const nlohmann::json& o, const char* key, const std::string& at) {
    const auto it = o.find(key);
    if (it == o.end() || !it->is_string())
      throw Error(it == o.end() || it->is_null() ? code::missing_key : code::wrong_type, at + "/" + key,
                  txt("error.checkpoint.weights_field"));
    return it->get<std::string>();
  };
  CheckpointWeights w;
  w.format = text(j, "format", root);
  if (w.format != "safetensors" && w.format != "gguf")
    throw Error(code::invalid_value, root + "/format", txt("error.checkpoint.weights_format"));
  w.file = text(j, "file", root);
  w.params = count(j, "params", root);
  w.bytes = count(j, "bytes", root);
  w.embd_bytes = count(j, "embd_bytes", root);
  w.outside_bytes = count(j, "outside_bytes", root);
  const auto layers = j.find("layers");
  if (layers == j.end() || !layers->is_array())
    throw Error(layers == j.end() || layers->is_null() ? code::missing_key : code::wrong_type, root + "/layers",
                txt("error.checkpoint.weights_field"));
  if (layers->size() > 100000) throw Error(code::too_large, root + "/layers", txt("error.checkpoint.weights_field"));
  uint64_t sum = add(w.embd_bytes, w.outside_bytes);
  for (size_t i = 0; i < layers->size(); ++i) {
    const std::string at = root + "/layers/" + std::to_string(i);
    const auto& L = (*layers)[i];
    if (!L.is_object()) throw Error(code::wrong_type, at, txt("error.checkpoint.weights_field"));
    CheckpointLayer c{count(L, "bytes", at), count(L, "experts", at), count(L, "largest", at)};
    if (c.experts > c.bytes || c.largest > c.bytes)
      throw Error(code::invalid_value, at, txt("error.checkpoint.weights_sum"));
    sum = add(sum, c.bytes);
    w.layers.push_back(c);
  }
  if (sum != w.bytes) throw Error(code::invalid_value, root + "/bytes", txt("error.checkpoint.weights_sum"));
  if (const auto d = j.find("dtypes"); d != j.end() && !d->is_null()) {
    if (!d->is_object()) throw Error(code::wrong_type, root + "/dtypes", txt("error.checkpoint.weights_field"));
    for (const auto& [k, v] : d->items()) w.dtypes[k] = count(*d, k.c_str(), root + "/dtypes");
  }
  return w;
}

}  // namespace gpumem
