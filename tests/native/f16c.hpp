// The CPU's own fp32 -> fp16 conversion (x86 F16C, VCVTPS2PH): the reference for the exhaustive fp16
// sweep. Hardware rounds as the imm8 says (nearest-even or toward zero), keeps subnormals unless MXCSR
// says otherwise (it does not by default), and quiets NaNs keeping the top payload bits.
// f16c.cpp is compiled with -mf16c; call these only after f16c_supported() said yes.
#pragma once

#include <cstddef>
#include <cstdint>

namespace gpumem::test {

bool f16c_compiled();   // false where the build has no F16C translation unit (not x86-64)
bool f16c_supported();  // the CPU runs F16C instructions (checked with cpuid, not assumed)
// in: n fp32 patterns (n a multiple of 4); out: n fp16 patterns.
void f16c_convert(const uint32_t* in, uint16_t* out, size_t n, bool toward_zero);

}  // namespace gpumem::test
