// Internal to the core: helpers every façade operation uses, and the operations themselves.
// Each op takes the whole request object and returns the success object; failures are thrown as
// gpumem::Error and turned into {"ok": false, ...} by handle() in api.cpp.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/memory.hpp"
#include "gpumem/model/model.hpp"
#include "gpumem/model/params.hpp"
#include "options.hpp"

namespace gpumem {

using nlohmann::json;
// Results keep keys in the order written, so groups and fields read in a sensible order.
using ojson = nlohmann::ordered_json;

// An object built key by key into reserved storage. ojson's initializer-list form ({{"k", v}, …}) builds
// each pair as a two-element array first and copies nested values; the fits-on table and the sweep
// build hundreds of small objects per call, where that was most of the time in wasm. Keys must be
// distinct (they are appended without the lookup operator[] does); the result reads the same.
class ObjectBuilder {
 public:
  explicit ObjectBuilder(size_t n) { m_.reserve(n); }
  template <class V>
  ObjectBuilder& add(const char* key, V&& value) {
    m_.ojson::object_t::Container::emplace_back(key, ojson(std::forward<V>(value)));
    return *this;
  }
  ojson done() { return ojson(std::move(m_)); }

 private:
  ojson::object_t m_;
};

// ---- helpers (facade.cpp) ----
// A JSON number exactly as ojson::dump writes it (integers in decimal; doubles by nlohmann's Grisu2
// to_chars, the shortest text that reads back to the same double; non-finite as null).
void append_json(std::string& out, uint64_t n);
void append_json(std::string& out, double x);
// bytes_json(bytes) as dump_json writes it (its strings are ASCII digits and units: nothing to escape).
void append_bytes_json(std::string& out, uint64_t bytes);
// ojson::dump with invalid UTF-8 replaced, as handle() serialises results.
std::string dump_json(const ojson& j);
ojson model_json(const ModelSpec& m);
ojson bytes_json(uint64_t bytes);  // {"bytes", "gib", "gib_h", "gb_h"}
ojson params_json(const ParamCount& p);
ojson weights_by_dtype(const ParamCount& p);
ojson memory_json(const MemoryEstimate& e);
ojson assumptions_json(const std::vector<Assumption>& as);  // [{code, path, message, text}]
// A sentence as data: {"id", "args": {name: value, or a phrase as {"id", "args"}}} (base/text.hpp).
ojson text_json(const Text& t);
// out["message"] = the English sentence, out["message_text"] = the sentence as data.
void set_message(ojson& out, const Text& t);
// The request's config, from config_text (so syntax errors get a line and column) or a config object;
// what parsing had to forgive (Python's Infinity/NaN) is appended to `notes`.
json request_config(const json& req, std::vector<Assumption>& notes);
// The request's config and what the reader made of it (the parser's notes first among the assumptions). The
// page asks several ops about one config per change (estimate and fit, then speed, advice, launch and the
// curve): the last config_text read is kept with its reading, so a later request with the same text skips
// the JSON parse and the config reader — about a third of a verdict op's time in wasm. Reading is a pure
// function of the text, so a kept reading is the one a fresh read would give; errors are never kept.
struct ConfigRead {
  json config;
  NormalizedConfig nc;
};
ConfigRead read_request_config(const json& req);
// The request's config read into a ModelSpec, with the parser's notes among the assumptions.
NormalizedConfig request_model(const json& req);
// obj[key] as a string; "" when absent or null; bad_request naming `path` when not a string. Request
// options are read through OptionReader (options.hpp); this reads the request's other strings (op, …).
std::string request_string(const json& obj, const char* key, const std::string& path);
// The request's "options" object (empty when absent).
json request_options(const json& req);
// A transformers release as the option gives it: "4.40", "4.40.2" → 440; "" , "current" or 5.x → 0 (the
// current release).
uint32_t request_transformers_version(const std::string& v);
// A bitsandbytes release: "0.43.1" → 4301, "0.39" → 3900; "", "current" or 1.x → 0 (the current one).
uint32_t request_bitsandbytes_version(const std::string& v);
// A release "major.minor[.patch]" with anything after a third dot ignored ("4.41.0.dev0"); false when `v`
// is not one. minor and patch are at most 99.
bool parse_release(const std::string& v, unsigned& major, unsigned& minor, unsigned& patch);

// The GPU a request names: a custom card when options.gpu_memory is given (named by options.gpu, or
// "custom"), else the catalogue's options.gpu; nullopt when neither is given. Unknown names and sizes that
// do not read are bad_request at /options/gpu or /options/gpu_memory.
std::optional<Gpu> request_gpu(const OptionReader& r);

// The id of the part that grows the most from estimate `a` to estimate `b` (the same parts in the same order,
// one with twice the context, batch or sequences of the other): what binds a solver. "weights" when none grows.
std::string growing_part(const MemoryEstimate& a, const MemoryEstimate& b);

// The load dtype an engine takes for a config without torch_dtype (inference_ops.cpp): transformers fp32 (the
// checkpoint's, assumed float32), vLLM bf16 (fp16 on a card without bf16), llama.cpp fp16 (a 16-bit GGUF); and the
// assumption's sentence saying so.
std::string default_load_dtype(Engine e, bool no_bf16);
Text load_dtype_note(Engine e, const std::string& dtype);

// ---- operations, one per "op" value ----
ojson op_params(const json& req);    // model_ops.cpp
ojson op_estimate(const json& req);  // model_ops.cpp: dispatches on options.mode
// options.mode "inference" (the default): inference_ops.cpp
ojson op_estimate_inference(const json& req);
// options.mode "train": train_ops.cpp (training and fine-tuning memory, its fits-on table and largest
// batch, its sweep over sequence lengths)
ojson op_estimate_train(const json& req);
ojson op_fit_train(const json& req);
ojson op_sweep_train(const json& req);
// options.mode as a schema value: "inference" (also when absent), "train" or "weights" (model_ops.cpp).
std::string request_mode(const json& req);
// options_ops.cpp: the option schema and the runtime profiles.
ojson op_options(const json& req);
// inference_ops.cpp: fits-on table and inverse solver; returns its JSON text (the 50-row table is
// written directly).
std::string op_fit(const json& req);
ojson op_gpus(const json& req);  // inference_ops.cpp: the GPU catalogue
// inference_ops.cpp: memory against context length. It returns its JSON text: up to 1,024 rows of plain
// numbers written directly, without building and freeing thousands of ojson values.
std::string op_sweep(const json& req);
ojson op_convert(const json& req);  // convert_ops.cpp
// messages_ops.cpp: the sentence catalogue (id → English template) and the list styles, for the page's
// translations.
ojson op_messages(const json& req);
// Operations that also read binary bytes passed beside the request (file heads).
ojson op_inspect(const json& req, std::string_view attachment);  // checkpoint_ops.cpp
// launch_ops.cpp: the command (vLLM, llama-server) or Python (transformers, TRL/PEFT, DeepSpeed) that runs the
// request's setup, with the values the estimate used.
ojson op_launch(const json& req);
// advise_ops.cpp: "what would make it fit": the engine's weight formats (or training recipes) × the chosen GPU at
// 1, 2, 4, 8 GPUs and larger cards, each cell fit's largest context (or batch); returns its JSON text.
std::string op_advise(const json& req);
// speed_ops.cpp: time to first token and tokens per second on --gpu (memory/speed.hpp); with mode "train" the step
// time at a named MFU.
std::string op_speed(const json& req);
// A GPU's speed figures (hardware.hpp) under hardware.json's own field names, null where none is published: the
// "hardware" of each `gpus` row (speed_ops.cpp).
ojson gpu_hardware_json(const GpuHardware& h);

}  // namespace gpumem
