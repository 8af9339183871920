// All 2^32 fp32 inputs through each narrowing converter, against an independent reference:
//   fp16: the CPU's F16C instruction (VCVTPS2PH), in both rounding modes;
//   bf16, e4m3, e5m2: the comparison reference of float_reference.hpp (neighbours and midpoints).
// Hidden ([.exhaustive]): the native release preset registers each as its own ctest
// (CMakeLists.txt, GPUMEM_EXHAUSTIVE_TESTS); ASan and wasm builds run the strided sweep instead.
#include <catch2/catch.hpp>
#include <chrono>
#include <iostream>
#include <vector>

#include "../float_reference.hpp"
#include "f16c.hpp"

using namespace gpumem;
using gpumem::test::Mismatches;

namespace {

constexpr size_t kBlock = size_t{1} << 16;

void report(const std::string& what, const Mismatches& bad, std::chrono::steady_clock::time_point t0) {
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << what << ": 2^32 inputs, " << bad.count << " mismatches, " << s << " s\n";
  for (const auto& m : bad.first) UNSCOPED_INFO(m);
  if (bad.count > bad.first.size()) UNSCOPED_INFO("… and " << bad.count - bad.first.size() << " more");
  CHECK(bad.count == 0);
}

// Positive inputs in increasing order (the reference walks forward), each with its negative twin.
void sweep(Format f, Rounding r, E4M3Overflow o, const std::string& what) {
  const auto t0 = std::chrono::steady_clock::now();
  gpumem::test::SweepReference ref(f, r, o);
  Mismatches bad;
  std::vector<uint32_t> pos(kBlock), neg(kBlock), got_pos(kBlock), got_neg(kBlock);
  for (uint64_t base = 0; base < (uint64_t{1} << 31); base += kBlock) {
    for (size_t i = 0; i < kBlock; ++i) {
      pos[i] = static_cast<uint32_t>(base + i);
      neg[i] = pos[i] | 0x80000000u;
    }
    from_fp32_batch(f, r, o, pos.data(), got_pos.data(), kBlock);
    from_fp32_batch(f, r, o, neg.data(), got_neg.data(), kBlock);
    for (size_t i = 0; i < kBlock; ++i) {
      const uint32_t want = ref.expect(pos[i]);
      if (got_pos[i] != want) bad.add(what, pos[i], want, got_pos[i], info(f).width);
      const uint32_t want_neg = ref.expect(neg[i]);
      if (got_neg[i] != want_neg) bad.add(what, neg[i], want_neg, got_neg[i], info(f).width);
    }
  }
  report(what, bad, t0);
}

// The batch path against the scalar converter (narrow(), the one the page's single conversions and the step-by-step
// explanation use): bf16's batch loop is a separate, branch-free implementation (batch.cpp).
void sweep_scalar(Format f, Rounding r, const std::string& what) {
  const auto t0 = std::chrono::steady_clock::now();
  Mismatches bad;
  std::vector<uint32_t> in(kBlock), got(kBlock);
  for (uint64_t base = 0; base < (uint64_t{1} << 32); base += kBlock) {
    for (size_t i = 0; i < kBlock; ++i) in[i] = static_cast<uint32_t>(base + i);
    from_fp32_batch(f, r, E4M3Overflow::nan, in.data(), got.data(), kBlock);
    for (size_t i = 0; i < kBlock; ++i) {
      const uint32_t want = from_fp32(f, in[i], r, E4M3Overflow::nan, nullptr);
      if (got[i] != want) bad.add(what, in[i], want, got[i], info(f).width);
    }
  }
  report(what, bad, t0);
}

}  // namespace

TEST_CASE("every fp32 input converts to fp16 exactly as the CPU's F16C instruction does", "[.exhaustive][fp16]") {
  if (!gpumem::test::f16c_supported()) {
    WARN("skipped: this CPU or build has no F16C (x86-64 with F16C and AVX enabled is needed)");
    return;
  }
  std::vector<uint32_t> in(kBlock), got(kBlock);
  std::vector<uint16_t> want(kBlock);
  for (Rounding r : {Rounding::nearest_even, Rounding::toward_zero}) {
    const std::string what = r == Rounding::nearest_even ? "fp16 rne vs F16C" : "fp16 trunc vs F16C";
    const auto t0 = std::chrono::steady_clock::now();
    Mismatches bad;
    for (uint64_t base = 0; base < (uint64_t{1} << 32); base += kBlock) {
      for (size_t i = 0; i < kBlock; ++i) in[i] = static_cast<uint32_t>(base + i);
      gpumem::test::f16c_convert(in.data(), want.data(), kBlock, r == Rounding::toward_zero);
      from_fp32_batch(Format::fp16, r, E4M3Overflow::nan, in.data(), got.data(), kBlock);
      for (size_t i = 0; i < kBlock; ++i)
        if (got[i] != want[i]) bad.add(what, in[i], want[i], got[i], 16);
    }
    report(what, bad, t0);
  }
}

TEST_CASE("every fp32 input converts to bf16 as the comparison reference says", "[.exhaustive][bf16]") {
  sweep(Format::bf16, Rounding::nearest_even, E4M3Overflow::nan, "bf16 rne");
  sweep(Format::bf16, Rounding::toward_zero, E4M3Overflow::nan, "bf16 trunc");
  sweep_scalar(Format::bf16, Rounding::nearest_even, "bf16 batch vs scalar, rne");
  sweep_scalar(Format::bf16, Rounding::toward_zero, "bf16 batch vs scalar, trunc");
}

TEST_CASE("every fp32 input converts to e4m3 as the comparison reference says", "[.exhaustive][e4m3]") {
  sweep(Format::e4m3, Rounding::nearest_even, E4M3Overflow::nan, "e4m3 rne nan");
  sweep(Format::e4m3, Rounding::nearest_even, E4M3Overflow::saturate, "e4m3 rne saturate");
  sweep(Format::e4m3, Rounding::toward_zero, E4M3Overflow::nan, "e4m3 trunc");
}

TEST_CASE("every fp32 input converts to e5m2 as the comparison reference says", "[.exhaustive][e5m2]") {
  sweep(Format::e5m2, Rounding::nearest_even, E4M3Overflow::nan, "e5m2 rne");
  sweep(Format::e5m2, Rounding::toward_zero, E4M3Overflow::nan, "e5m2 trunc");
}
