// Built with -mf16c on x86-64 only (CMakeLists.txt); everything else gets the stubs at the bottom.
// Nothing in this file runs before f16c_support.cpp's cpuid check allowed it.
#include "f16c.hpp"

#if defined(GPUMEM_F16C_TU)
#include <immintrin.h>

#include <cstring>

namespace gpumem::test {

bool f16c_compiled() { return true; }

void f16c_convert(const uint32_t* in, uint16_t* out, size_t n, bool toward_zero) {
  for (size_t i = 0; i + 4 <= n; i += 4) {
    __m128 v;
    std::memcpy(&v, in + i, sizeof v);
    // imm8 bit 2 clear: the rounding comes from imm8 bits 1:0, not from MXCSR.
    const __m128i h = toward_zero ? _mm_cvtps_ph(v, _MM_FROUND_TO_ZERO) : _mm_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT);
    std::memcpy(out + i, &h, 4 * sizeof(uint16_t));
  }
}

}  // namespace gpumem::test

#else

namespace gpumem::test {

bool f16c_compiled() { return false; }
void f16c_convert(const uint32_t*, uint16_t*, size_t, bool) {}

}  // namespace gpumem::test

#endif
