// The page's first module: the façade's verdict operations (gpumem::handle_verdict) behind two C functions,
// without Embind, so what the page downloads before its first estimate holds only what that estimate runs.
// The full module (bindings.cpp) loads on first use of anything else. gpumem::handle_verdict never throws.
//
// JavaScript writes the request's UTF-8 into memory from malloc, calls gpumem_verdict(ptr, length), then reads
// gpumem_result_length() bytes at the returned pointer (valid until the next call).
#include <emscripten/emscripten.h>

#include <cstdint>
#include <string>

#include "gpumem/api.hpp"

namespace {
std::string result;
}

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* gpumem_verdict(const char* request, uint32_t length) {
  result = gpumem::handle_verdict(std::string(request, length));
  return result.data();
}

EMSCRIPTEN_KEEPALIVE uint32_t gpumem_result_length() { return static_cast<uint32_t>(result.size()); }

}  // extern "C"
