// Memory estimates. Bytes are uint64_t throughout (wasm32's size_t is 32-bit).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gpumem/base/formula.hpp"
#include "gpumem/model/params.hpp"

namespace gpumem {

struct DType {
  std::string_view id;    // as used on the CLI and in JSON: fp32, fp16, bf16, int8, int4
  uint32_t bits;          // storage bits per parameter
  std::string_view name;  // what the user reads
};

// The dtypes a weight can be stored in, in display order.
const std::vector<DType>& weight_dtypes();
std::optional<DType> find_dtype(std::string_view id);
// A config's torch_dtype ("float32", "float16", "bfloat16") as a dtype id; "" for anything else.
std::string dtype_from_torch(const std::string& torch_dtype);

// Bytes of `params` values of `bits` each, rounded up to whole bytes.
uint64_t bytes_for(uint64_t params, uint32_t bits);

struct MemoryPart {
  std::string id;  // stable vocabulary: weights, kv_cache, workspace, logits, runtime_overhead, …
  uint64_t bytes = 0;
  std::string formula;  // the formula with its numbers substituted: render(formula_text)
  std::string source;   // where the formula comes from: render(source_text)
  Text formula_text;    // the same as data (base/formula.hpp); empty when the formula is
  Text source_text;
};

// A part whose formula and source strings are the English of `formula` and `source`.
MemoryPart make_part(std::string id, uint64_t bytes, const Formula& formula, Text source);

struct MemoryEstimate {
  uint64_t total_bytes = 0;  // always the sum of parts
  std::vector<MemoryPart> parts;
};

MemoryEstimate estimate_weights(const ParamCount& params, const DType& dtype);

}  // namespace gpumem
