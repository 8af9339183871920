// Checkpoint headers: safetensors (header length + JSON header), model.safetensors.index.json and
// GGUF (v2/v3). Only headers are read: a 15 GB shard is inventoried from its first few kilobytes.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/base/text.hpp"

namespace gpumem {

struct TensorEntry {
  std::string name;
  std::string dtype;            // safetensors dtype ("BF16") or ggml type name ("Q4_K")
  std::vector<uint64_t> shape;  // as stored (safetensors: row-major; GGUF: ne0 first)
  uint64_t params = 0;          // elements
  uint64_t bytes = 0;           // tensor data bytes
  std::string group;            // embeddings, positions, attention, mlp, experts_routed, …
  uint32_t file = 0;            // index into Inventory::files
};

struct CheckpointFile {
  std::string name;
  std::string format;         // "safetensors", "safetensors_index", "gguf"
  uint64_t size = 0;          // the whole file's size in bytes
  uint64_t header_bytes = 0;  // bytes that were read (everything before the tensor data)
  nlohmann::ordered_json metadata = nlohmann::ordered_json::object();  // __metadata__ / GGUF key-values
  uint64_t declared_total = 0;                                         // index: metadata.total_size
  uint64_t index_tensors = 0;                                          // index: entries of weight_map
};

struct Inventory {
  std::vector<CheckpointFile> files;
  std::vector<TensorEntry> tensors;
  std::vector<Text> notes;  // things the user should know (packed quantized tensors, …), as sentences
};

// One file as handed over: its name, its full size, and the first `head.size()` bytes of it.
struct FileHead {
  std::string name;
  uint64_t size = 0;
  std::string_view head;
};

// Thrown while parsing when the head given is shorter than the header: the caller should retry with at
// least `bytes` bytes of that file. Never escapes the façade.
struct NeedMoreBytes {
  uint32_t file;
  uint64_t bytes;
};

// Hard limit on a safetensors JSON header / a GGUF header: real ones are well under 100 MB.
inline constexpr uint64_t kMaxHeaderBytes = 100ull * 1000 * 1000;

Inventory inspect_files(const std::vector<FileHead>& files);

// Which group a tensor belongs to, from its name (HF and GGUF naming).
std::string tensor_group(std::string_view name);

// The HF-style config a GGUF's metadata describes ({"model_type": arch, "num_hidden_layers": …}),
// or an empty object when the file has no usable architecture keys.
nlohmann::json gguf_config(const CheckpointFile& f, const Inventory& inv);

}  // namespace gpumem
