// Checkpoint headers: safetensors (header length + JSON header), model.safetensors.index.json and
// GGUF (v2/v3). Only headers are read: a 15 GB shard is inventoried from its first few kilobytes.
#pragma once

#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
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

// The weights a checkpoint stores, placed the way QuantizedWeights places a computed layout (quant.hpp): the
// token embedding table, each decoder layer by the index in its tensors' names, and the rest (output matrix,
// final norms, position tables, vision and audio towers, projectors). The estimate uses these bytes for the
// weights part when the engine loads the tensors as stored (inference_ops.cpp, apply_checkpoint): what a
// quantized checkpoint really holds (GPTQ packing, FP8 scales, a GGUF's mix of types per tensor) is then
// read, not modelled. Sent back by the page with every request as {"checkpoint": …} (checkpoint_weights_json).
struct CheckpointLayer {
  uint64_t bytes = 0;    // every tensor of the layer
  uint64_t experts = 0;  // of which routed experts
  uint64_t largest = 0;  // its largest single tensor
  bool operator==(const CheckpointLayer&) const = default;
};
struct CheckpointWeights {
  std::string format;  // "safetensors" or "gguf"
  std::string file;    // the first weights file (a GGUF's file name)
  uint64_t params = 0;
  uint64_t bytes = 0;
  uint64_t embd_bytes = 0;                 // the token embedding table
  uint64_t outside_bytes = 0;              // neither the token embedding nor a decoder layer
  std::vector<CheckpointLayer> layers;     // by decoder-layer index (a gap: a layer with no tensor)
  std::map<std::string, uint64_t> dtypes;  // bytes per stored dtype ("BF16", "Q4_K")
  bool operator==(const CheckpointWeights&) const = default;
};
// nullopt when the inventory cannot stand for the weights: no tensor header was read (an index alone), or
// files of both formats were given.
std::optional<CheckpointWeights> checkpoint_weights(const Inventory& inv);
nlohmann::ordered_json checkpoint_weights_json(const CheckpointWeights& w);
// The request's "checkpoint" object back into the struct; Error{wrong_type / invalid_value} with a path
// under /checkpoint when a field is missing or inconsistent (the sums must add up).
CheckpointWeights read_checkpoint_weights(const nlohmann::json& j);

// The decoder layer a tensor belongs to, from its name ("model.layers.12.mlp…", "transformer.h.3.…",
// "blk.7.…"): -1 for tensors outside the decoder blocks, including vision and audio towers' own layers.
int64_t tensor_layer(std::string_view name);

// Which group a tensor belongs to, from its name (HF and GGUF naming).
std::string tensor_group(std::string_view name);

// The HF-style config a GGUF's metadata describes ({"model_type": arch, "num_hidden_layers": …}),
// or an empty object when the file has no usable architecture keys.
nlohmann::json gguf_config(const CheckpointFile& f, const Inventory& inv);

}  // namespace gpumem
