// Independent references for the converters in float_bits.hpp, written without their bit tricks:
//
//   - value_of(): a pattern's value from the textbook formula, in double arithmetic:
//       normal     (-1)^s * (2^m + mantissa) * 2^(exponent - bias - m)
//       subnormal  (-1)^s * mantissa * 2^(1 - bias - m)
//   - SweepReference: rounding by comparison. The format's finite non-negative values, in pattern order,
//     are increasing; the midpoint of two neighbours is computed in double (exact) and is an fp32
//     number. An input rounds to the lower neighbour below the midpoint, to the upper above it, and to
//     the one with an even pattern on it. Truncation takes the lower neighbour. Nothing here shifts or
//     adds rounding biases, so it shares no code or idea with detail::narrow.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "gpumem/convert/float_bits.hpp"

namespace gpumem::test {

inline uint32_t bits_of(float f) { return fp32_bits(f); }
inline float float_of(uint32_t b) { return fp32_value(b); }

inline std::string hex_of(uint32_t v, uint32_t width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%0*x", static_cast<int>(width / 4), v);
  return buf;
}

// The value of a non-NaN, non-inf pattern by the formula, in double (exact for all five formats).
inline double value_of(Format f, uint32_t bits) {
  const FormatInfo& fi = info(f);
  const uint32_t man = bits & ((1u << fi.man_bits) - 1);
  const uint32_t exp = (bits >> fi.man_bits) & ((1u << fi.exp_bits) - 1);
  const bool negative = ((bits >> (fi.width - 1)) & 1u) != 0;
  const int m = static_cast<int>(fi.man_bits);
  const double v =
      exp == 0 ? std::ldexp(static_cast<double>(man), 1 - fi.bias - m)
               : std::ldexp(static_cast<double>((1u << fi.man_bits) + man), static_cast<int>(exp) - fi.bias - m);
  return negative ? -v : v;
}

class SweepReference {
 public:
  SweepReference(Format f, Rounding r, E4M3Overflow o) : f_(f), r_(r), o_(o) {
    const FormatInfo& fi = info(f);
    const uint32_t inf = ((1u << fi.exp_bits) - 1) << fi.man_bits;
    max_ = fi.has_inf ? inf - 1 : inf | ((1u << fi.man_bits) - 2);
    nan_ = fi.has_inf ? inf | (1u << (fi.man_bits - 1)) : inf | ((1u << fi.man_bits) - 1);
    overflow_ = r == Rounding::toward_zero || (!fi.has_inf && o == E4M3Overflow::saturate) ? max_
                : fi.has_inf                                                               ? inf
                                                                                           : nan_;
    for (uint32_t p = 0; p <= max_; ++p) values_.push_back(exact_fp32(value_of(f, p)));
    // Past the largest value the next one would be max + ulp(max): 2^16 for fp16, 480 for e4m3.
    const double max_v = value_of(f, max_);
    const double beyond = max_v + std::ldexp(1.0, std::ilogb(max_v) - static_cast<int>(fi.man_bits));
    for (uint32_t p = 0; p < max_; ++p) mids_.push_back(exact_fp32((value_of(f, p) + value_of(f, p + 1)) / 2));
    mids_.push_back(exact_fp32((max_v + beyond) / 2));
  }

  // Start again from the smallest input: expect() walks a cursor forward.
  void rewind() { i_ = 0; }

  // The expected pattern for an fp32 input. Non-negative finite inputs must come in increasing order
  // between rewinds (positive floats order like their bit patterns).
  uint32_t expect(uint32_t x) {
    const FormatInfo& fi = info(f_);
    const uint32_t sign = (x >> 31) != 0 ? 1u << (fi.width - 1) : 0;
    const uint32_t a = x & 0x7fffffffu;
    if (a > 0x7f800000u) {  // NaN: quiet, sign and the top payload bits kept (e4m3: its one NaN)
      const uint32_t payload = fi.has_inf ? (a & 0x7fffffu) >> (23 - fi.man_bits) : 0;
      return sign | nan_ | payload;
    }
    if (a == 0x7f800000u) {
      if (fi.has_inf) return sign | (((1u << fi.exp_bits) - 1) << fi.man_bits);
      return sign | (o_ == E4M3Overflow::saturate ? max_ : nan_);
    }
    return sign | expect_positive(a);
  }

 private:
  static uint32_t exact_fp32(double d) {
    const auto f = static_cast<float>(d);
    if (static_cast<double>(f) != d) throw std::logic_error("reference value not exact in fp32");
    return bits_of(f);
  }

  uint32_t expect_positive(uint32_t a) {
    if (a < values_[i_]) i_ = 0;  // out of order: start over (correct, only slower)
    while (i_ < max_ && values_[i_ + 1] <= a) ++i_;
    const uint32_t lo = i_;  // values_[lo] <= a < values_[lo + 1], or lo == max
    if (r_ == Rounding::toward_zero) return lo;
    const uint32_t mid = mids_[lo];
    // The pattern after max (inf in IEEE formats, S.1111.111 in e4m3) stands for max + ulp(max).
    const uint32_t hi = lo == max_ ? overflow_ : lo + 1;
    if (a < mid) return lo;
    if (a > mid) return hi;
    return (lo & 1u) == 0 ? lo : hi;  // the tie goes to the even pattern; max + 1 is even iff max is odd
  }

  Format f_;
  Rounding r_;
  E4M3Overflow o_;
  uint32_t max_ = 0;
  uint32_t nan_ = 0;
  uint32_t overflow_ = 0;
  std::vector<uint32_t> values_;  // fp32 bits of pattern p, p = 0 … max
  std::vector<uint32_t> mids_;    // fp32 bits of the midpoint of patterns p and p + 1
  uint32_t i_ = 0;
};

// Collects the first few mismatches of a long sweep, so a failure prints input, expected and actual
// in hex without printing four billion lines.
struct Mismatches {
  uint64_t count = 0;
  std::vector<std::string> first;
  void add(const std::string& what, uint32_t input, uint32_t expected, uint32_t actual, uint32_t width) {
    if (count++ < 8)
      first.push_back(what + " input " + hex_of(input, 32) + ": expected " + hex_of(expected, width) + ", got " +
                      hex_of(actual, width));
  }
};

}  // namespace gpumem::test
