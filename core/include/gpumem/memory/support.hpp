// Which engine runs which format: one table for every weight format (QuantMethod) and KV cache element type
// per inference engine. A pair the engine cannot run is refused by the façade with the list of what it can
// run; a pair the engine converts on load (transformers dequantizes GGUF) is estimated as converted.
#pragma once

#include <string>
#include <vector>

#include "gpumem/base/text.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/memory/runtime.hpp"

namespace gpumem {

enum class Support { runs, converts, refused };

struct SupportAnswer {
  Support support = Support::runs;
  // converts: the format it runs as (quant id: "none" = the load dtype, or a GGUF type); refused: empty.
  std::string runs_as;
  // One sentence: how it converts, or why it is refused and what to choose instead. Empty when it runs.
  std::string note;
  Text text;           // the same sentence as data (base/text.hpp); note == render(text)
  std::string source;  // the engine code or docs the row follows
};

// Weight format `q` under engine `e` (hf, vllm, llamacpp).
SupportAnswer weight_support(Engine e, QuantMethod q);
// KV cache element type `kv` ("fp32", "fp16", "bf16", "fp8", "int8", "q8_0", "q4_0") under engine `e`.
SupportAnswer kv_support(Engine e, const std::string& kv);
// The KV cache ids the table knows, in display order.
const std::vector<std::string>& kv_ids();

}  // namespace gpumem
