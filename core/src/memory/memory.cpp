#include "gpumem/memory/memory.hpp"

#include "gpumem/base/checked.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

const std::vector<DType>& weight_dtypes() {
  // Storage widths: IEEE binary32/binary16, bfloat16, and the seed's int8 (1 byte) and int4 (half a byte)
  // per parameter. int8/int4 here count every parameter at that width; quantizers that keep
  // embeddings or norms in 16 bits are refined by the quantization methods.
  static const std::vector<DType> kDTypes = {
      {"fp32", 32, "float32"}, {"fp16", 16, "float16"}, {"bf16", 16, "bfloat16"},
      {"int8", 8, "int8"},     {"int4", 4, "int4"},
  };
  return kDTypes;
}

std::string dtype_from_torch(const std::string& t) {
  if (t == "float32") return "fp32";
  if (t == "float16") return "fp16";
  if (t == "bfloat16") return "bf16";
  return "";
}

std::optional<DType> find_dtype(std::string_view id) {
  for (const auto& d : weight_dtypes())
    if (d.id == id) return d;
  return std::nullopt;
}

uint64_t bytes_for(uint64_t params, uint32_t bits) {
  // params·bits can overflow before the division; split so only the real result must fit.
  return add(mul(params / 8, bits), (params % 8 * bits + 7) / 8);
}

MemoryPart make_part(std::string id, uint64_t bytes, const Formula& formula, Text source) {
  MemoryPart p;
  p.id = std::move(id);
  p.bytes = bytes;
  p.formula_text = formula.text();
  p.source_text = std::move(source);
  p.formula = render_or_empty(p.formula_text);
  p.source = render_or_empty(p.source_text);
  return p;
}

MemoryEstimate estimate_weights(const ParamCount& params, const DType& dtype) {
  MemoryPart w;
  w.id = "weights";
  w.bytes = bytes_for(params.total, dtype.bits);
  const bool whole = dtype.bits % 8 == 0;
  w.formula_text = txt(whole ? "formula.weights.dense" : "formula.weights.dense_bits",
                       {{"params", with_commas(params.total)},
                        {"n", std::to_string(whole ? dtype.bits / 8 : dtype.bits)},
                        {"dtype", std::string(dtype.id)},
                        {"bytes", with_commas(w.bytes)},
                        {"gib", gib(w.bytes)}});
  w.source_text = txt("source.weights.dense");
  w.formula = render(w.formula_text);
  w.source = render(w.source_text);
  MemoryEstimate e;
  e.parts.push_back(std::move(w));
  for (const auto& p : e.parts) e.total_bytes = add(e.total_bytes, p.bytes);
  return e;
}

}  // namespace gpumem
