// from_fp32_batch's bf16 loop, in its own file so that it can be compiled for speed in the page's size-optimised
// module (CMakeLists.txt: -O3 with wasm SIMD, outside LTO), where -Oz would keep it scalar. The other formats'
// loops stay in float_bits.cpp.
#include "gpumem/convert/float_bits.hpp"

namespace gpumem {

// fp32 → bf16 without a branch per value, so that the loop vectorises (bf16 is fp32's top half):
//   round to nearest even: add 0x7FFF plus the lowest kept bit, keep the top half; a carry out of the
//     mantissa raises the exponent, and past the largest finite number gives the infinity, as narrow() does;
//   truncation: keep the top half;
//   NaN: the sign and the top payload bits with the quiet bit set (narrow()'s rule), chosen by a mask, not a
//     branch.
// Worked example: 0x3F808000 (1.00390625, exactly halfway) → 0x3F80 (even); 0x3F818000 → 0x3F82.
// tests/native/test_exhaustive.cpp compares it with narrow<kBf16> and with the reference on all 2^32 inputs.
void detail::bf16_batch(Rounding r, const uint32_t* in, uint32_t* out, size_t n) {
  const uint32_t round = r == Rounding::nearest_even ? ~0u : 0u;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t x = in[i];
    const uint32_t nan = 0u - static_cast<uint32_t>((x & 0x7FFFFFFFu) > 0x7F800000u);  // all ones for a NaN
    const uint32_t rounded = (x + (round & (0x7FFFu + ((x >> 16) & 1u)))) >> 16;
    const uint32_t quiet = (x >> 16) | 0x0040u;
    out[i] = rounded ^ ((rounded ^ quiet) & nan);
  }
}

}  // namespace gpumem
