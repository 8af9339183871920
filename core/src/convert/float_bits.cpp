// The non-constexpr half of float_bits.hpp: exact decimals (integer big-decimal arithmetic) and parsing text
// into fp32 bits, and the batch loop (its bf16 path is batch.cpp).
#include "gpumem/convert/float_bits.hpp"

#include <cstdlib>
#include <vector>
#include <version>
#if defined(__cpp_lib_to_chars) && __cpp_lib_to_chars >= 201611L
#include <charconv>
#define GPUMEM_HAVE_FLOAT_FROM_CHARS 1
#endif

namespace gpumem {

namespace {

template <detail::Layout L>
void narrow_all(Rounding r, E4M3Overflow o, const uint32_t* in, uint32_t* out, size_t n) {
  for (size_t i = 0; i < n; ++i) out[i] = detail::narrow<L>(in[i], r, o, nullptr);
}

}  // namespace

void from_fp32_batch(Format to, Rounding r, E4M3Overflow o, const uint32_t* in, uint32_t* out, size_t n) {
  switch (to) {
    case Format::fp16:
      return narrow_all<detail::kFp16>(r, o, in, out, n);
    case Format::bf16:
      return detail::bf16_batch(r, in, out, n);  // branch-free (batch.cpp)
    case Format::e4m3:
      return narrow_all<detail::kE4M3>(r, o, in, out, n);
    case Format::e5m2:
      return narrow_all<detail::kE5M2>(r, o, in, out, n);
    case Format::fp32:
      break;
  }
  for (size_t i = 0; i < n; ++i) out[i] = in[i];
}

const char* class_name(FloatClass c) {
  switch (c) {
    case FloatClass::zero:
      return "zero";
    case FloatClass::subnormal:
      return "subnormal";
    case FloatClass::normal:
      return "normal";
    case FloatClass::infinity:
      return "inf";
    case FloatClass::nan:
      return "nan";
  }
  return "nan";
}

// ---- exact decimals ------------------------------------------------------------------------------
//
// Every finite fp32 value is an integer multiple of 2^-149 (the smallest subnormal), so
// |v| = N * 2^-149 = N * 5^149 / 10^149 with N < 2^24 * 2^253. N * 5^149 is an integer of at most
// 190 decimal digits; placing the decimal point 149 digits from its right gives v exactly.

namespace {

constexpr uint32_t kBase = 1000000000;  // base-10^9 limbs, least significant first
constexpr int kScale = 149;             // fp32 values are multiples of 2^-kScale

class BigDec {
 public:
  explicit BigDec(uint64_t v) {
    for (; v != 0; v /= kBase) limbs_.push_back(static_cast<uint32_t>(v % kBase));
  }
  void mul(uint32_t m) {  // limb (< 10^9) * m (< 2^32) + carry fits in 64 bits
    uint64_t carry = 0;
    for (auto& l : limbs_) {
      const uint64_t x = static_cast<uint64_t>(l) * m + carry;
      l = static_cast<uint32_t>(x % kBase);
      carry = x / kBase;
    }
    for (; carry != 0; carry /= kBase) limbs_.push_back(static_cast<uint32_t>(carry % kBase));
  }
  void mul_pow2(int k) {
    for (; k >= 31; k -= 31) mul(1u << 31);
    if (k > 0) mul(1u << k);
  }
  void mul_pow5(int k) {
    for (; k >= 13; k -= 13) mul(1220703125u);  // 5^13, the largest power of 5 below 2^32
    for (; k > 0; --k) mul(5);
  }
  bool is_zero() const { return limbs_.empty(); }
  friend int compare(const BigDec& a, const BigDec& b) {
    if (a.limbs_.size() != b.limbs_.size()) return a.limbs_.size() < b.limbs_.size() ? -1 : 1;
    for (size_t i = a.limbs_.size(); i-- > 0;)
      if (a.limbs_[i] != b.limbs_[i]) return a.limbs_[i] < b.limbs_[i] ? -1 : 1;
    return 0;
  }
  void add(const BigDec& b) {
    uint32_t carry = 0;
    for (size_t i = 0; i < b.limbs_.size() || carry != 0; ++i) {
      if (i == limbs_.size()) limbs_.push_back(0);
      uint32_t x = limbs_[i] + carry + (i < b.limbs_.size() ? b.limbs_[i] : 0);
      carry = x >= kBase ? 1 : 0;
      limbs_[i] = x - carry * kBase;
    }
  }
  void sub(const BigDec& b) {  // requires *this >= b
    uint32_t borrow = 0;
    for (size_t i = 0; i < limbs_.size(); ++i) {
      const uint32_t d = (i < b.limbs_.size() ? b.limbs_[i] : 0) + borrow;
      borrow = limbs_[i] < d ? 1 : 0;
      limbs_[i] = limbs_[i] + borrow * kBase - d;
    }
    while (!limbs_.empty() && limbs_.back() == 0) limbs_.pop_back();
  }
  std::string digits() const {
    if (limbs_.empty()) return "0";
    std::string s = std::to_string(limbs_.back());
    for (size_t i = limbs_.size() - 1; i-- > 0;) {
      const std::string part = std::to_string(limbs_[i]);
      s.append(9 - part.size(), '0');
      s += part;
    }
    return s;
  }

 private:
  std::vector<uint32_t> limbs_;
};

// |v| * 2^149 for a finite fp32 pattern.
BigDec scaled(uint32_t bits) {
  const uint32_t exp_field = (bits >> 23) & 0xffu;
  const uint32_t man = bits & 0x7fffffu;
  if (exp_field == 0) return BigDec(man);
  BigDec n(man | 0x800000u);
  n.mul_pow2(static_cast<int>(exp_field) - 1);  // (1.m * 2^23) * 2^(E - 127 - 23) * 2^149
  return n;
}

// N * 2^-149 as a decimal string without trailing zeros.
std::string scaled_to_decimal(BigDec n, bool negative) {
  n.mul_pow5(kScale);
  std::string d = n.digits();
  if (d.size() <= static_cast<size_t>(kScale)) d.insert(0, kScale + 1 - d.size(), '0');
  std::string s = negative ? "-" : "";
  s.append(d, 0, d.size() - kScale);
  size_t end = d.size();
  while (end > d.size() - kScale && d[end - 1] == '0') --end;
  if (end > d.size() - kScale) s.append(".").append(d, d.size() - kScale, end - (d.size() - kScale));
  return s;
}

bool is_nan_bits(uint32_t b) { return (b & 0x7fffffffu) > 0x7f800000u; }
bool is_inf_bits(uint32_t b) { return (b & 0x7fffffffu) == 0x7f800000u; }

}  // namespace

std::string exact_decimal(uint32_t fp32_bits) {
  const bool negative = (fp32_bits >> 31) != 0;
  if (is_nan_bits(fp32_bits)) return negative ? "-nan" : "nan";
  if (is_inf_bits(fp32_bits)) return negative ? "-inf" : "inf";
  return scaled_to_decimal(scaled(fp32_bits), negative);
}

std::string exact_difference(uint32_t a_fp32, uint32_t b_fp32) {
  const bool a_neg = (a_fp32 >> 31) != 0;
  const bool b_neg = (b_fp32 >> 31) != 0;
  BigDec a = scaled(a_fp32);
  const BigDec b = scaled(b_fp32);
  bool negative = a_neg;
  if (a_neg != b_neg) {  // a - (-b) = a + b
    a.add(b);
  } else if (compare(a, b) >= 0) {
    a.sub(b);
  } else {
    BigDec r = b;
    r.sub(a);
    a = r;
    negative = !a_neg;
  }
  return scaled_to_decimal(a, negative && !a.is_zero());
}

std::string round_decimal(const std::string& exact, int digits) {
  if (exact.find_first_of("0123456789") == std::string::npos) return exact;  // inf, nan
  const bool negative = !exact.empty() && exact[0] == '-';
  const std::string body = negative ? exact.substr(1) : exact;
  const size_t point = body.find('.');
  const std::string int_part = body.substr(0, point);
  const std::string all = int_part + (point == std::string::npos ? "" : body.substr(point + 1));
  const size_t first = all.find_first_not_of('0');
  if (first == std::string::npos) return negative ? "-0" : "0";
  // The value is 0.d1d2d3… * 10^exp10 with d1 = all[first].
  int exp10 = static_cast<int>(int_part.size()) - static_cast<int>(first);
  std::string sig = all.substr(first, static_cast<size_t>(digits));
  const std::string rest = all.size() > first + sig.size() ? all.substr(first + sig.size()) : "";
  // Round half to even on the decimal digits: above half, or exactly half with an odd last digit.
  bool up = false;
  if (!rest.empty() && rest[0] > '5') up = true;
  if (!rest.empty() && rest[0] == '5')
    up = rest.find_first_not_of('0', 1) != std::string::npos || ((sig.back() - '0') % 2 == 1);
  if (up) {
    size_t i = sig.size();
    while (i > 0 && sig[i - 1] == '9') sig[--i] = '0';
    if (i == 0) {  // 9.99 -> 10.0: the digits are all 0 now; keep their count
      sig[0] = '1';
      ++exp10;
    } else {
      ++sig[i - 1];
    }
  }
  while (sig.size() > 1 && sig.back() == '0') sig.pop_back();
  // Built with append only: GCC 12 reports a false -Wrestrict on chains of string operator+.
  std::string out = negative ? "-" : "";
  const auto whole = static_cast<size_t>(exp10);
  if (exp10 > 9 || exp10 < -4) {  // scientific: d.ddd e(exp10 - 1)
    out.append(sig, 0, 1);
    if (sig.size() > 1) out.append(".").append(sig, 1, std::string::npos);
    out.append("e").append(std::to_string(exp10 - 1));
  } else if (exp10 <= 0) {
    out.append("0.").append(static_cast<size_t>(-exp10), '0').append(sig);
  } else if (sig.size() <= whole) {
    out.append(sig).append(whole - sig.size(), '0');
  } else {
    out.append(sig, 0, whole).append(".").append(sig, whole, std::string::npos);
  }
  return out;
}

// ---- parsing -------------------------------------------------------------------------------------

namespace {

std::string_view trim(std::string_view s) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool equals_ignore_case(std::string_view a, std::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if ((a[i] >= 'A' && a[i] <= 'Z' ? static_cast<char>(a[i] - 'A' + 'a') : a[i]) != lower[i]) return false;
  return true;
}

// digits [. digits] | . digits, then [e|E [+|-] digits]: the whole of s.
bool is_decimal(std::string_view s) {
  size_t i = 0;
  size_t mantissa_digits = 0;
  while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && is_digit(s[i])) ++i, ++mantissa_digits;
  }
  if (mantissa_digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    const size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  return i == s.size();
}

// strtof is correctly rounded in glibc and in musl (Emscripten's libc); std::from_chars (libstdc++'s
// fast_float) is too, and much faster, but Emscripten 3.1.6's libc++ lacks it for float. Both give
// the same bits; tests/test_float_bits.cpp checks that on every native build.
uint32_t decimal_to_bits(std::string_view s) {
#ifdef GPUMEM_HAVE_FLOAT_FROM_CHARS
  float f = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), f, std::chars_format::general);
  if (ec == std::errc() && end == s.data() + s.size()) return fp32_bits(f);
    // Out of range (libstdc++ reports results that round to 0 or overflow to inf so): strtof below.
#endif
  char small[128];
  std::string big;
  const char* z = small;
  if (s.size() < sizeof small) {
    s.copy(small, s.size());
    small[s.size()] = '\0';
  } else {
    big.assign(s);
    z = big.c_str();
  }
  return fp32_bits(std::strtof(z, nullptr));
}

}  // namespace

std::optional<uint32_t> parse_decimal_fp32(std::string_view text) {
  std::string_view s = trim(text);
  uint32_t sign = 0;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? 0x80000000u : 0;
    s.remove_prefix(1);
  }
  if (equals_ignore_case(s, "inf") || equals_ignore_case(s, "infinity")) return sign | 0x7f800000u;
  if (equals_ignore_case(s, "nan")) return sign | 0x7fc00000u;
  if (!is_decimal(s)) return std::nullopt;
  return sign | (decimal_to_bits(s) & 0x7fffffffu);
}

std::optional<uint32_t> parse_hex_bits(std::string_view text, uint32_t width) {
  const std::string_view s = trim(text);
  const size_t n = width / 4;
  if (s.size() != n + 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X')) return std::nullopt;
  uint32_t v = 0;
  for (char c : s.substr(2)) {
    uint32_t d = 0;
    if (c >= '0' && c <= '9')
      d = static_cast<uint32_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      d = static_cast<uint32_t>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      d = static_cast<uint32_t>(c - 'A' + 10);
    else
      return std::nullopt;
    v = (v << 4) | d;
  }
  return v;
}

}  // namespace gpumem
