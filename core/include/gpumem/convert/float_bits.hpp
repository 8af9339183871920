// Bit-exact conversions between fp32 and the narrow floating-point formats models are stored in:
// IEEE binary16 (fp16), bfloat16 (bf16), and the two OCP FP8 formats (E4M3 "FN" and E5M2).
//
// Everything here is integer bit manipulation on the bit patterns, never float arithmetic, so the
// native CLI and the wasm module give the same bits on every CPU. The rules, with a worked example,
// are in docs/CONVERTER.md.
//
//   fp32  S EEEEEEEE MMMMMMMMMMMMMMMMMMMMMMM   bias 127, max 3.40282347e38
//   fp16  S EEEEE MMMMMMMMMM                   bias 15,  max 65504, min subnormal 2^-24
//   bf16  S EEEEEEEE MMMMMMM                   bias 127, the top half of fp32
//   e4m3  S EEEE MMM                           bias 7,   max 448 (S.1111.110), NaN S.1111.111, no inf
//   e5m2  S EEEEE MM                           bias 15,  max 57344, inf S.11111.00 (fp16's top byte)
//
// Narrowing (fp32 -> fp16, bf16, e4m3, e5m2):
//   - rounding is round-to-nearest-even (Rounding::nearest_even) or truncation (Rounding::toward_zero,
//     IEEE 754 roundTowardZero);
//   - subnormal results are kept, never flushed to zero;
//   - a finite value that rounds past the largest finite number overflows: to +-inf for fp16, bf16
//     and e5m2; to NaN (S.1111.111) for e4m3, as PyTorch's float8_e4m3fn does, or to +-448 with
//     E4M3Overflow::saturate (the OCP spec's saturating mode). Truncation never rounds away from
//     zero, so under it a finite overflow gives the largest finite number, as IEEE 754 says;
//   - +-inf stays +-inf, except in e4m3 (no infinities): NaN, or +-448 when saturating;
//   - NaN stays NaN with its sign, the quiet bit set and the top payload bits kept (what x86's
//     F16C does for fp16); e4m3 has a single NaN pattern per sign.
// Widening (any format -> fp32) is exact; NaNs keep sign and payload and get the quiet bit.
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gpumem {

enum class Format : uint8_t { fp32, fp16, bf16, e4m3, e5m2 };
enum class Rounding : uint8_t { nearest_even, toward_zero };
// What e4m3 does with finite values beyond 448 and with infinities (it has no infinity).
enum class E4M3Overflow : uint8_t { nan, saturate };

struct FormatInfo {
  Format id;
  const char* name;         // the id used by the CLI, the façade and the page: "fp16"
  const char* description;  // "IEEE 754 binary16 (half)"
  uint32_t width;           // total bits
  uint32_t exp_bits;
  uint32_t man_bits;  // stored mantissa bits; normal numbers have one more, hidden
  int32_t bias;
  bool has_inf;  // false for e4m3: its all-ones exponent holds numbers, only S.1111.111 is NaN
};

inline constexpr FormatInfo kFormats[] = {
    {Format::fp32, "fp32", "IEEE 754 binary32 (single)", 32, 8, 23, 127, true},
    {Format::fp16, "fp16", "IEEE 754 binary16 (half)", 16, 5, 10, 15, true},
    {Format::bf16, "bf16", "bfloat16 (Google Brain)", 16, 8, 7, 127, true},
    {Format::e4m3, "e4m3", "OCP FP8 E4M3 (float8_e4m3fn)", 8, 4, 3, 7, false},
    {Format::e5m2, "e5m2", "OCP FP8 E5M2 (float8_e5m2)", 8, 5, 2, 15, true},
};

constexpr const FormatInfo& info(Format f) { return kFormats[static_cast<size_t>(f)]; }

// fp32 bits <-> float, for callers that hold a float (parsing, tests). std::bit_cast is missing from
// Emscripten 3.1.6's libc++; the builtin behind it is in both GCC and Clang.
constexpr float fp32_value(uint32_t bits) { return __builtin_bit_cast(float, bits); }
constexpr uint32_t fp32_bits(float f) { return __builtin_bit_cast(uint32_t, f); }

constexpr std::optional<Format> find_format(std::string_view name) {
  for (const auto& f : kFormats)
    if (name == f.name) return f.id;
  return std::nullopt;
}

// What one narrowing did, for the step-by-step explanation. narrow() fills it while converting, so
// the explanation describes the very computation that produced the bits.
struct NarrowTrace {
  enum class Path : uint8_t { nan, infinity, zero, finite };
  Path path = Path::finite;
  uint32_t significand = 0;  // 24 bits: 1.mmm with the hidden bit, or 0.mmm for an fp32 subnormal
  int32_t exponent = 0;      // unbiased fp32 exponent; -126 for fp32 subnormals (their scale 2^-126)
  int32_t field = 0;         // exponent + target bias: the target's exponent field, if it is in range
  uint32_t shift = 0;        // low significand bits dropped: 23 - man_bits, more for target subnormals (max 25)
  uint32_t kept = 0;         // significand >> shift
  uint32_t dropped = 0;      // significand & (2^shift - 1)
  bool round_up = false;
  bool overflow = false;  // the rounded magnitude passed the largest finite number
  uint32_t result = 0;
};

namespace detail {

// A narrow format's layout as a template argument, so every shift and mask below is a constant.
struct Layout {
  uint32_t exp_bits;
  uint32_t man_bits;
  int32_t bias;
  bool has_inf;
};

inline constexpr Layout kFp16{5, 10, 15, true};
inline constexpr Layout kBf16{8, 7, 127, true};
inline constexpr Layout kE4M3{4, 3, 7, false};
inline constexpr Layout kE5M2{5, 2, 15, true};

template <Layout L>
struct Consts {
  static constexpr uint32_t man_mask = (1u << L.man_bits) - 1;
  static constexpr uint32_t exp_max = (1u << L.exp_bits) - 1;  // all-ones exponent field
  static constexpr uint32_t sign = 1u << (L.exp_bits + L.man_bits);
  static constexpr uint32_t inf = exp_max << L.man_bits;  // with has_inf: S.11111.00…0
  // e4m3 spends the all-ones exponent on numbers: S.1111.000 … S.1111.110 (256 … 448).
  static constexpr uint32_t max_finite = L.has_inf ? inf - 1 : inf | (man_mask - 1);
  // IEEE quiet NaN: all-ones exponent, mantissa MSB (the quiet bit) set; e4m3: S.1111.111 only.
  static constexpr uint32_t nan = L.has_inf ? inf | (1u << (L.man_bits - 1)) : inf | man_mask;
};

// fp32 bits -> narrow bits. Integer only; see the file comment for the rules.
//
//   fp32 input   S | EEEEEEEE | 1.MMMMMMMMMMMMMMMMMMMMMMM   (24-bit significand with the hidden 1)
//   fp16 output  S | EEEEE    | 1.MMMMMMMMMM|GRSSSSSSSSSSS  (13 bits dropped: guard, round, sticky)
//
// The significand is shifted right by 23 - man_bits (more when the result is subnormal), the dropped
// bits decide the rounding, and the exponent field plus the kept bits are added as integers, so a
// rounding carry out of the mantissa lands in the exponent by itself (1.111…1 + 1 ulp = 10.000…0).
template <Layout L>
constexpr uint32_t narrow(uint32_t x, Rounding mode, E4M3Overflow e4m3, NarrowTrace* t) {
  using C = Consts<L>;
  const uint32_t sign = (x >> 31) != 0 ? C::sign : 0;
  const uint32_t a = x & 0x7fffffffu;
  if (a > 0x7f800000u) {  // NaN: keep the top payload bits (there are none in e4m3), set the quiet bit
    const uint32_t r = sign | (L.has_inf ? C::nan | ((a & 0x7fffffu) >> (23 - L.man_bits)) : C::nan);
    if (t) *t = {NarrowTrace::Path::nan, 0, 0, 0, 0, 0, 0, false, false, r};
    return r;
  }
  if (a == 0x7f800000u) {
    const uint32_t r = sign | (L.has_inf ? C::inf : e4m3 == E4M3Overflow::saturate ? C::max_finite : C::nan);
    if (t) *t = {NarrowTrace::Path::infinity, 0, 0, 0, 0, 0, 0, false, false, r};
    return r;
  }
  if (a == 0) {
    if (t) *t = {NarrowTrace::Path::zero, 0, 0, 0, 0, 0, 0, false, false, sign};
    return sign;
  }
  const uint32_t exp_field = a >> 23;
  // An fp32 subnormal has no hidden bit and the scale of exponent field 1 (2^-126).
  const uint32_t sig = exp_field != 0 ? (a & 0x7fffffu) | 0x800000u : a;
  const int32_t e = exp_field != 0 ? static_cast<int32_t>(exp_field) - 127 : -126;
  const int32_t field = e + L.bias;
  uint32_t shift = 23 - L.man_bits;
  // Below the target's smallest normal exponent the result is subnormal: one more bit drops per
  // binade. Past 25 the whole 24-bit significand is below half an ulp already, so 25 is enough.
  if (field < 1) {
    const auto below = static_cast<uint32_t>(1 - field);
    shift += below < 2 + L.man_bits ? below : 2 + L.man_bits;
  }
  const uint32_t kept = sig >> shift;
  const uint32_t dropped = sig & ((1u << shift) - 1);
  const uint32_t half = 1u << (shift - 1);
  const bool up = mode == Rounding::nearest_even && (dropped > half || (dropped == half && (kept & 1u) != 0));
  // Normal: (field - 1) << man_bits plus kept (which holds the hidden bit) is field << man_bits | mantissa.
  // Subnormal: exponent field 0 and kept < 2^man_bits is the mantissa.
  uint32_t mag = (field < 1 ? 0u : static_cast<uint32_t>(field - 1) << L.man_bits) + kept + (up ? 1u : 0u);
  const bool overflow = mag > C::max_finite;
  if (overflow) {
    if (mode == Rounding::toward_zero || (!L.has_inf && e4m3 == E4M3Overflow::saturate))
      mag = C::max_finite;
    else
      mag = L.has_inf ? C::inf : C::nan;
  }
  if (t) *t = {NarrowTrace::Path::finite, sig, e, field, shift, kept, dropped, up, overflow, sign | mag};
  return sign | mag;
}

// Narrow bits -> fp32 bits, exact: every fp16, bf16 and FP8 number is an fp32 number.
template <Layout L>
constexpr uint32_t widen(uint32_t b) {
  using C = Consts<L>;
  const uint32_t sign = (b & C::sign) != 0 ? 0x80000000u : 0;
  const uint32_t ef = (b >> L.man_bits) & C::exp_max;
  const uint32_t mf = b & C::man_mask;
  if (ef == C::exp_max && (L.has_inf || mf == C::man_mask)) {
    if (L.has_inf && mf == 0) return sign | 0x7f800000u;
    return sign | 0x7fc00000u | (mf << (23 - L.man_bits));  // NaN: payload to the top, quiet bit set
  }
  if (ef == 0) {
    if (mf == 0) return sign;
    // bf16 shares fp32's exponent range: its subnormals are fp32 subnormals, bit for bit.
    if constexpr (L.bias == 127) return sign | (mf << (23 - L.man_bits));
    // mf * 2^(1 - bias - man_bits) with the leading 1 of mf at bit p is 1.f * 2^(p + 1 - bias - man_bits).
    const int32_t p = 31 - std::countl_zero(mf);
    const auto field = static_cast<uint32_t>(p + 1 - L.bias - static_cast<int32_t>(L.man_bits) + 127);
    return sign | (field << 23) | ((mf << (23 - p)) & 0x7fffffu);
  }
  return sign | (static_cast<uint32_t>(static_cast<int32_t>(ef) - L.bias + 127) << 23) | (mf << (23 - L.man_bits));
}

}  // namespace detail

// ---- the converters ------------------------------------------------------------------------------

constexpr uint16_t fp32_to_fp16(uint32_t fp32_bits, Rounding r = Rounding::nearest_even) {
  return static_cast<uint16_t>(detail::narrow<detail::kFp16>(fp32_bits, r, E4M3Overflow::nan, nullptr));
}
constexpr uint16_t fp32_to_bf16(uint32_t fp32_bits, Rounding r = Rounding::nearest_even) {
  return static_cast<uint16_t>(detail::narrow<detail::kBf16>(fp32_bits, r, E4M3Overflow::nan, nullptr));
}
constexpr uint8_t fp32_to_e4m3(uint32_t fp32_bits, Rounding r = Rounding::nearest_even,
                               E4M3Overflow o = E4M3Overflow::nan) {
  return static_cast<uint8_t>(detail::narrow<detail::kE4M3>(fp32_bits, r, o, nullptr));
}
constexpr uint8_t fp32_to_e5m2(uint32_t fp32_bits, Rounding r = Rounding::nearest_even) {
  return static_cast<uint8_t>(detail::narrow<detail::kE5M2>(fp32_bits, r, E4M3Overflow::nan, nullptr));
}

constexpr uint32_t fp16_to_fp32(uint16_t b) { return detail::widen<detail::kFp16>(b); }
constexpr uint32_t bf16_to_fp32(uint16_t b) { return detail::widen<detail::kBf16>(b); }
constexpr uint32_t e4m3_to_fp32(uint8_t b) { return detail::widen<detail::kE4M3>(b); }
constexpr uint32_t e5m2_to_fp32(uint8_t b) { return detail::widen<detail::kE5M2>(b); }

// Any format by id; fp32 -> fp32 is the identity. The trace, when given, records the narrowing.
constexpr uint32_t from_fp32(Format to, uint32_t fp32_bits, Rounding r = Rounding::nearest_even,
                             E4M3Overflow o = E4M3Overflow::nan, NarrowTrace* trace = nullptr) {
  switch (to) {
    case Format::fp16:
      return detail::narrow<detail::kFp16>(fp32_bits, r, o, trace);
    case Format::bf16:
      return detail::narrow<detail::kBf16>(fp32_bits, r, o, trace);
    case Format::e4m3:
      return detail::narrow<detail::kE4M3>(fp32_bits, r, o, trace);
    case Format::e5m2:
      return detail::narrow<detail::kE5M2>(fp32_bits, r, o, trace);
    case Format::fp32:
      break;
  }
  return fp32_bits;
}

constexpr uint32_t to_fp32(Format from, uint32_t bits) {
  switch (from) {
    case Format::fp16:
      return detail::widen<detail::kFp16>(bits);
    case Format::bf16:
      return detail::widen<detail::kBf16>(bits);
    case Format::e4m3:
      return detail::widen<detail::kE4M3>(bits);
    case Format::e5m2:
      return detail::widen<detail::kE5M2>(bits);
    case Format::fp32:
      break;
  }
  return bits;
}

// n fp32 patterns -> n patterns of `to` (one per uint32_t). The loop the CLI's batch mode, the wasm
// batch binding and the benchmark share; `in` and `out` may be the same array.
void from_fp32_batch(Format to, Rounding r, E4M3Overflow o, const uint32_t* in, uint32_t* out, size_t n);
namespace detail {
// from_fp32_batch's bf16 loop, without a branch per value (batch.cpp).
void bf16_batch(Rounding r, const uint32_t* in, uint32_t* out, size_t n);
}  // namespace detail

// ---- reading a pattern ---------------------------------------------------------------------------

enum class FloatClass : uint8_t { zero, subnormal, normal, infinity, nan };

struct Fields {
  bool negative = false;
  uint32_t exponent = 0;          // the stored exponent field
  uint32_t mantissa = 0;          // the stored mantissa field
  int32_t exponent_unbiased = 0;  // field - bias for normals; 1 - bias for zeros and subnormals
  FloatClass cls = FloatClass::zero;
};

constexpr Fields decompose(Format f, uint32_t bits) {
  const FormatInfo& fi = info(f);
  const uint32_t exp_max = (1u << fi.exp_bits) - 1;
  const uint32_t man_mask = (1u << fi.man_bits) - 1;
  Fields r;
  r.negative = ((bits >> (fi.width - 1)) & 1u) != 0;
  r.exponent = (bits >> fi.man_bits) & exp_max;
  r.mantissa = bits & man_mask;
  r.exponent_unbiased = (r.exponent == 0 ? 1 : static_cast<int32_t>(r.exponent)) - fi.bias;
  if (r.exponent == exp_max && fi.has_inf)
    r.cls = r.mantissa == 0 ? FloatClass::infinity : FloatClass::nan;
  else if (r.exponent == exp_max && r.mantissa == man_mask)
    r.cls = FloatClass::nan;  // e4m3: S.1111.111
  else if (r.exponent == 0)
    r.cls = r.mantissa == 0 ? FloatClass::zero : FloatClass::subnormal;
  else
    r.cls = FloatClass::normal;
  return r;
}

const char* class_name(FloatClass c);  // "zero", "subnormal", "normal", "inf", "nan"

// ---- text ----------------------------------------------------------------------------------------

// The exact decimal value of an fp32 pattern (every binary float is a finite decimal): "3.1400001049041748046875",
// "-0", "inf", "-inf", "nan". Computed with integer big-decimal arithmetic, no printf rounding.
std::string exact_decimal(uint32_t fp32_bits);
// a - b exactly, for two finite fp32 patterns: "-0.0000000000000000000000001", "0".
std::string exact_difference(uint32_t a_fp32, uint32_t b_fp32);
// An exact decimal ("3.1400001049041748046875") rounded half-even to `digits` significant digits for
// reading: "3.14000010"; outside 1e-5 … 1e9 in scientific notation ("5.96046448e-8"). "inf"/"nan" pass.
std::string round_decimal(const std::string& exact, int digits = 9);

// A decimal number -> the nearest fp32 (correctly rounded, ties to even), or nullopt when the text is
// not one. Accepted: optional sign, digits with an optional point, optional exponent ("3.14", "-1e-8",
// ".5", "6.5504E4"), and "inf", "infinity", "nan" in any case; surrounding spaces are ignored.
// Hex floats and anything else are refused.
std::optional<uint32_t> parse_decimal_fp32(std::string_view text);
// "0x" (or "0X") followed by exactly width/4 hex digits -> the bit pattern, else nullopt.
std::optional<uint32_t> parse_hex_bits(std::string_view text, uint32_t width);

}  // namespace gpumem
