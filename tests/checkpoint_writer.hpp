// Writes small safetensors and GGUF files (headers, and the file size their data would have) for the
// tests: no checkpoint is downloaded, every byte is made here.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace gpumem::test {

struct FakeTensor {
  std::string name;
  std::string dtype;  // safetensors dtype or ggml type id as text for GGUF
  std::vector<uint64_t> shape;
  uint64_t bytes;  // data bytes
};

inline void put_le(std::string& out, uint64_t v, int width) {
  for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

// A safetensors header for `tensors` laid out back to back; returns {header bytes, whole file size}.
inline std::pair<std::string, uint64_t> safetensors_file(const std::vector<FakeTensor>& tensors,
                                                         const nlohmann::json& metadata = nullptr) {
  nlohmann::ordered_json h = nlohmann::ordered_json::object();
  if (!metadata.is_null()) h["__metadata__"] = metadata;
  uint64_t at = 0;
  for (const auto& t : tensors) {
    h[t.name] = {{"dtype", t.dtype}, {"shape", t.shape}, {"data_offsets", {at, at + t.bytes}}};
    at += t.bytes;
  }
  std::string json = h.dump();
  while (json.size() % 8) json += ' ';  // safetensors pads the header with spaces to 8-byte alignment
  std::string out;
  put_le(out, json.size(), 8);
  out += json;
  return {out, out.size() + at};
}

struct GgufKV {
  std::string key;
  uint32_t type;
  std::string raw;  // the value's bytes as GGUF stores them
};

inline std::string gguf_string(const std::string& s) {
  std::string out;
  put_le(out, s.size(), 8);
  return out + s;
}

inline GgufKV kv_u32(const std::string& k, uint32_t v) {
  std::string raw;
  put_le(raw, v, 4);
  return {k, 4, raw};
}
inline GgufKV kv_str(const std::string& k, const std::string& v) { return {k, 8, gguf_string(v)}; }
inline GgufKV kv_str_array(const std::string& k, uint64_t n) {
  std::string raw;
  put_le(raw, 8, 4);
  put_le(raw, n, 8);
  for (uint64_t i = 0; i < n; ++i) raw += gguf_string("t" + std::to_string(i));
  return {k, 9, raw};
}

struct GgufTensor {
  std::string name;
  uint32_t type;
  std::vector<uint64_t> ne;
  uint64_t bytes;
};

// A GGUF file's header for `tensors` (aligned to 32 bytes); returns {header bytes, whole file size}.
inline std::pair<std::string, uint64_t> gguf_file(const std::vector<GgufKV>& kvs,
                                                  const std::vector<GgufTensor>& tensors, uint32_t version = 3) {
  std::string out = "GGUF";
  put_le(out, version, 4);
  put_le(out, tensors.size(), 8);
  put_le(out, kvs.size(), 8);
  for (const auto& kv : kvs) {
    out += gguf_string(kv.key);
    put_le(out, kv.type, 4);
    out += kv.raw;
  }
  uint64_t at = 0;
  for (const auto& t : tensors) {
    out += gguf_string(t.name);
    put_le(out, t.ne.size(), 4);
    for (uint64_t d : t.ne) put_le(out, d, 8);
    put_le(out, t.type, 4);
    put_le(out, at, 8);
    at += (t.bytes + 31) / 32 * 32;
  }
  const uint64_t data_start = (out.size() + 31) / 32 * 32;
  return {out, data_start + at};
}

}  // namespace gpumem::test
