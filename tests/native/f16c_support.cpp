// The CPU check for F16C lives outside f16c.cpp: code built with -mf16c may use F16C (and AVX)
// instructions anywhere in its file, so the check must not be compiled with it.
#include "f16c.hpp"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

namespace gpumem::test {

bool f16c_supported() {
#if defined(__x86_64__) || defined(__i386__)
  if (!f16c_compiled()) return false;
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  // CPUID.1:ECX bit 29 F16C, bit 28 AVX, bit 27 OSXSAVE (Intel SDM vol. 2A, CPUID). VCVTPS2PH is
  // VEX-encoded, so the OS must also save the YMM state: XCR0 bits 1 (SSE) and 2 (AVX).
  constexpr unsigned kF16C = 1u << 29, kAvx = 1u << 28, kOsxsave = 1u << 27;
  if ((ecx & (kF16C | kAvx | kOsxsave)) != (kF16C | kAvx | kOsxsave)) return false;
  unsigned xcr0_lo = 0, xcr0_hi = 0;
  __asm__ volatile("xgetbv" : "=a"(xcr0_lo), "=d"(xcr0_hi) : "c"(0));
  return (xcr0_lo & 6u) == 6u;
#else
  return false;
#endif
}

}  // namespace gpumem::test
