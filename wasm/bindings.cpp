// The whole JavaScript surface: the JSON façade (see core api.hpp), plus one batch converter for bulk
// work and the benchmark, where a JSON string per number would cost more than the conversion.
// gpumem::handle never throws, so no C++ exception can reach JavaScript as a bare pointer.
#include <emscripten/bind.h>

#include <cstdint>
#include <string>

#include "gpumem/api.hpp"
#include "gpumem/convert/float_bits.hpp"

namespace {

// convertBatch(to, round, e4m3Overflow, inPtr, outPtr, n): n fp32 patterns at inPtr (a Uint32Array
// view of Module._malloc'ed memory) -> n patterns of `to` at outPtr, one per uint32. Returns false,
// converting nothing, when a name is unknown. The loop is the core's from_fp32_batch.
bool convert_batch(const std::string& to, const std::string& round, const std::string& e4m3_overflow, uintptr_t in,
                   uintptr_t out, uint32_t n) {
  const auto format = gpumem::find_format(to);
  if (!format || (round != "rne" && round != "trunc") || (e4m3_overflow != "nan" && e4m3_overflow != "saturate"))
    return false;
  gpumem::from_fp32_batch(*format, round == "trunc" ? gpumem::Rounding::toward_zero : gpumem::Rounding::nearest_even,
                          e4m3_overflow == "saturate" ? gpumem::E4M3Overflow::saturate : gpumem::E4M3Overflow::nan,
                          reinterpret_cast<const uint32_t*>(in), reinterpret_cast<uint32_t*>(out), n);
  return true;
}

}  // namespace

EMSCRIPTEN_BINDINGS(gpumem) {
  emscripten::function("handle", emscripten::select_overload<std::string(const std::string&)>(&gpumem::handle));
  // handleWithBytes(requestJson, Uint8Array): the file heads for "inspect" (Embind passes the bytes as a string).
  emscripten::function(
      "handleWithBytes",
      emscripten::select_overload<std::string(const std::string&, const std::string&)>(&gpumem::handle));
  emscripten::function("convertBatch", &convert_batch);
}
