// The converters of float_bits.hpp: known values, every fp16, bf16 and FP8 pattern, rounding at every
// midpoint, and a strided sweep of fp32 inputs against float_reference.hpp. Runs natively, under
// ASan+UBSan and compiled to wasm; the full 2^32 sweeps are in tests/native/test_exhaustive.cpp.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>

#include "float_reference.hpp"

namespace test_float_bits {

using namespace gpumem;
using gpumem::test::bits_of;
using gpumem::test::float_of;
using gpumem::test::hex_of;
using gpumem::test::value_of;

namespace {

constexpr Format kNarrow[] = {Format::fp16, Format::bf16, Format::e4m3, Format::e5m2};

uint32_t pow2_bits(int e) { return bits_of(std::ldexp(1.0f, e)); }

}  // namespace

// The converters are constexpr: these are checked by the compiler.
static_assert(fp32_to_fp16(0x4048f5c3u) == 0x4248);  // 3.14
static_assert(fp32_to_bf16(0x4048f5c3u) == 0x4049);
static_assert(fp16_to_fp32(0x4248) == 0x40490000u);  // 3.140625
static_assert(fp32_to_e4m3(0x43e00000u) == 0x7e);    // 448
static_assert(e5m2_to_fp32(0x7b) == 0x47600000u);    // 57344

TEST_CASE("known values convert to the documented bits", "[float_bits][known]") {
  struct Row {
    const char* what;
    uint32_t in;
    uint32_t fp16, bf16, e4m3, e5m2;
  };
  // Expected bits worked out by hand in docs/CONVERTER.md (3.14) or from the formats' definitions.
  const Row rows[] = {
      {"3.14", 0x4048f5c3u, 0x4248, 0x4049, 0x45, 0x42},
      {"-3.14", 0xc048f5c3u, 0xc248, 0xc049, 0xc5, 0xc2},
      {"1", 0x3f800000u, 0x3c00, 0x3f80, 0x38, 0x3c},
      {"65504 (fp16 max)", 0x477fe000u, 0x7bff, 0x4780, 0x7f, 0x7c},
      {"65519.996 (just below the fp16 tie)", 0x477fefffu, 0x7bff, 0x4780, 0x7f, 0x7c},
      {"65520 (tie: rounds to even = inf)", 0x477ff000u, 0x7c00, 0x4780, 0x7f, 0x7c},
      {"2^-24 (fp16 smallest subnormal)", pow2_bits(-24), 0x0001, 0x3380, 0x00, 0x00},
      {"2^-25 (tie between 0 and 2^-24)", pow2_bits(-25), 0x0000, 0x3300, 0x00, 0x00},
      {"3 * 2^-26 (above the tie)", 0x33400000u, 0x0001, 0x3340, 0x00, 0x00},
      {"2^-14 (fp16 smallest normal)", pow2_bits(-14), 0x0400, 0x3880, 0x00, 0x04},
      {"1e-8", 0x322bcc77u, 0x0000, 0x322c, 0x00, 0x00},
      {"448 (e4m3 max)", 0x43e00000u, 0x5f00, 0x43e0, 0x7e, 0x5f},
      {"464 (tie between 448 and 480: even is 448)", 0x43e80000u, 0x5f40, 0x43e8, 0x7e, 0x5f},
      {"465 (past the tie: NaN)", 0x43e88000u, 0x5f44, 0x43e8, 0x7f, 0x5f},
      {"57344 (e5m2 max)", 0x47600000u, 0x7b00, 0x4760, 0x7f, 0x7b},
      {"61440 (tie between 57344 and 65536: inf)", 0x47700000u, 0x7b80, 0x4770, 0x7f, 0x7c},
      {"2^-9 (e4m3 smallest subnormal)", pow2_bits(-9), 0x1800, 0x3b00, 0x01, 0x18},
      {"2^-16 (e5m2 smallest subnormal)", pow2_bits(-16), 0x0100, 0x3780, 0x00, 0x01},
      {"+0", 0x00000000u, 0x0000, 0x0000, 0x00, 0x00},
      {"-0", 0x80000000u, 0x8000, 0x8000, 0x80, 0x80},
      {"+inf", 0x7f800000u, 0x7c00, 0x7f80, 0x7f, 0x7c},
      {"-inf", 0xff800000u, 0xfc00, 0xff80, 0xff, 0xfc},
      {"quiet NaN", 0x7fc00000u, 0x7e00, 0x7fc0, 0x7f, 0x7e},
      {"-NaN with payload", 0xffc02000u, 0xfe01, 0xffc0, 0xff, 0xfe},
      {"signalling NaN (quieted)", 0x7f800001u, 0x7e00, 0x7fc0, 0x7f, 0x7e},
      {"signalling NaN, top payload bit", 0x7fa00000u, 0x7f00, 0x7fe0, 0x7f, 0x7f},
      {"fp32 max", 0x7f7fffffu, 0x7c00, 0x7f80, 0x7f, 0x7c},
      {"fp32 smallest subnormal", 0x00000001u, 0x0000, 0x0000, 0x00, 0x00},
      {"bf16 tie, odd: rounds up", 0x3f818000u, 0x3c0c, 0x3f82, 0x38, 0x3c},
      {"bf16 tie, even: stays", 0x3f808000u, 0x3c04, 0x3f80, 0x38, 0x3c},
      {"bf16 max tie: inf", 0x7f7f8000u, 0x7c00, 0x7f80, 0x7f, 0x7c},
      {"bf16 subnormal", 0x00012345u, 0x0000, 0x0001, 0x00, 0x00},
  };
  for (const auto& r : rows) {
    CAPTURE(r.what);
    CHECK(hex_of(fp32_to_fp16(r.in), 16) == hex_of(r.fp16, 16));
    CHECK(hex_of(fp32_to_bf16(r.in), 16) == hex_of(r.bf16, 16));
    CHECK(hex_of(fp32_to_e4m3(r.in), 8) == hex_of(r.e4m3, 8));
    CHECK(hex_of(fp32_to_e5m2(r.in), 8) == hex_of(r.e5m2, 8));
  }
}

TEST_CASE("truncation and e4m3 saturation", "[float_bits][known]") {
  const auto trunc = Rounding::toward_zero;
  CHECK(fp32_to_fp16(0x4048f5c3u, trunc) == 0x4247);  // 3.138671875: the seed's "cut to 10 bits"
  CHECK(fp32_to_bf16(0x4048f5c3u, trunc) == 0x4048);
  // Round toward zero never overflows past the largest finite value (IEEE 754 7.4).
  CHECK(fp32_to_fp16(0x477ff000u, trunc) == 0x7bff);
  CHECK(fp32_to_fp16(0x7f7fffffu, trunc) == 0x7bff);
  CHECK(fp32_to_fp16(0xff7fffffu, trunc) == 0xfbff);
  CHECK(fp32_to_fp16(0x7f800000u, trunc) == 0x7c00);  // inf is exact
  CHECK(fp32_to_e4m3(0x44800000u, trunc) == 0x7e);    // 1024 -> 448
  CHECK(fp32_to_e4m3(0x7f800000u, trunc) == 0x7f);    // no inf in e4m3: NaN
  CHECK(fp32_to_fp16(pow2_bits(-24) - 1, trunc) == 0x0000);
  const auto sat = E4M3Overflow::saturate;
  CHECK(fp32_to_e4m3(0x43e88000u, Rounding::nearest_even, sat) == 0x7e);  // 465 -> 448
  CHECK(fp32_to_e4m3(0xc4800000u, Rounding::nearest_even, sat) == 0xfe);  // -1024 -> -448
  CHECK(fp32_to_e4m3(0x7f800000u, Rounding::nearest_even, sat) == 0x7e);  // inf -> 448
  CHECK(fp32_to_e4m3(0xff800000u, Rounding::nearest_even, sat) == 0xfe);
  CHECK(fp32_to_e4m3(0x7fc00000u, Rounding::nearest_even, sat) == 0x7f);  // NaN stays NaN
}

TEST_CASE("every fp16 and bf16 pattern decodes to its formula value and encodes back", "[float_bits][all16]") {
  for (Format f : {Format::fp16, Format::bf16}) {
    CAPTURE(info(f).name);
    uint64_t checked = 0;
    for (uint32_t p = 0; p <= 0xffff; ++p) {
      const uint32_t x = to_fp32(f, p);
      const Fields d = decompose(f, p);
      const uint32_t back = from_fp32(f, x);
      if (d.cls == FloatClass::nan) {
        // sign and payload kept, quiet bit set; a signalling NaN comes back quiet, every other pattern exactly
        const uint32_t quiet = 1u << (info(f).man_bits - 1);
        if (!std::isnan(float_of(x)) || (x >> 31) != (p >> 15) || (x & 0x400000u) == 0 || back != (p | quiet)) {
          FAIL_CHECK(hex_of(p, 16) << " -> " << hex_of(x, 32) << " -> " << hex_of(back, 16));
        }
      } else {
        const double want = d.cls == FloatClass::infinity ? (d.negative ? -INFINITY : INFINITY) : value_of(f, p);
        if (static_cast<double>(float_of(x)) != want || (x >> 31) != (p >> 15) || back != p) {
          FAIL_CHECK(hex_of(p, 16) << " -> " << hex_of(x, 32) << " (want " << want << ") -> " << hex_of(back, 16));
        }
      }
      ++checked;
    }
    CHECK(checked == 65536);
  }
}

TEST_CASE("every FP8 pattern decodes to its formula value and encodes back", "[float_bits][fp8]") {
  for (Format f : {Format::e4m3, Format::e5m2}) {
    CAPTURE(info(f).name);
    int nans = 0;
    int infs = 0;
    for (uint32_t p = 0; p <= 0xff; ++p) {
      CAPTURE(hex_of(p, 8));
      const uint32_t x = to_fp32(f, p);
      const Fields d = decompose(f, p);
      CHECK((x >> 31) == (p >> 7));
      if (d.cls == FloatClass::nan) {
        ++nans;
        CHECK(std::isnan(float_of(x)));
        CHECK((x & 0x400000u) != 0);
        if (f == Format::e4m3) CHECK(from_fp32(f, x) == p);
        if (f == Format::e5m2) CHECK(from_fp32(f, x) == (p | 0x02u));  // quiet bit
      } else if (d.cls == FloatClass::infinity) {
        ++infs;
        CHECK(std::isinf(float_of(x)));
        CHECK(from_fp32(f, x) == p);
      } else {
        CHECK(static_cast<double>(float_of(x)) == value_of(f, p));
        CHECK(from_fp32(f, x) == p);
        CHECK(from_fp32(f, x, Rounding::toward_zero) == p);
      }
    }
    // e4m3: only S.1111.111; e5m2: S.11111.01/10/11, and S.11111.00 is inf.
    CHECK(nans == (f == Format::e4m3 ? 2 : 6));
    CHECK(infs == (f == Format::e4m3 ? 0 : 2));
  }
  CHECK(float_of(e4m3_to_fp32(0x7e)) == 448.0f);
  CHECK(float_of(e4m3_to_fp32(0x01)) == std::ldexp(1.0f, -9));
  CHECK(float_of(e5m2_to_fp32(0x7b)) == 57344.0f);
  CHECK(float_of(e5m2_to_fp32(0x01)) == std::ldexp(1.0f, -16));
}

TEST_CASE("rounding at and around every midpoint of neighbouring values", "[float_bits][midpoints]") {
  for (Format f : kNarrow) {
    CAPTURE(info(f).name);
    const FormatInfo& fi = info(f);
    const uint32_t inf = ((1u << fi.exp_bits) - 1) << fi.man_bits;
    const uint32_t max = fi.has_inf ? inf - 1 : inf | ((1u << fi.man_bits) - 2);
    gpumem::test::Mismatches bad;
    for (uint32_t p = 0; p < max; ++p) {
      const double lo = value_of(f, p);
      const double hi = value_of(f, p + 1);
      const uint32_t mid = bits_of(static_cast<float>((lo + hi) / 2));
      const uint32_t even = (p & 1u) == 0 ? p : p + 1;
      for (uint32_t sign : {0u, 0x80000000u}) {
        const uint32_t s = sign != 0 ? 1u << (fi.width - 1) : 0;
        const auto check = [&](const char* what, uint32_t in, uint32_t want, Rounding r) {
          const uint32_t got = from_fp32(f, sign | in, r);
          if (got != (s | want)) bad.add(what, sign | in, s | want, got, fi.width);
        };
        check("midpoint rne", mid, even, Rounding::nearest_even);
        check("below midpoint rne", mid - 1, p, Rounding::nearest_even);
        check("above midpoint rne", mid + 1, p + 1, Rounding::nearest_even);
        check("midpoint trunc", mid, p, Rounding::toward_zero);
        check("just below upper trunc", bits_of(static_cast<float>(hi)) - 1, p, Rounding::toward_zero);
      }
    }
    for (const auto& m : bad.first) UNSCOPED_INFO(m);
    CHECK(bad.count == 0);
  }
}

TEST_CASE("a strided sweep of fp32 inputs matches the comparison reference", "[float_bits][sweep]") {
  // Every 4099th pattern (a prime, so every exponent and low-bit residue is visited): about 1 M inputs
  // per configuration, fast enough for the sanitizer and wasm builds; the native release build runs
  // all 2^32 (tests/native/test_exhaustive.cpp).
  constexpr uint32_t kStride = 4099;
  struct Config {
    Format f;
    Rounding r;
    E4M3Overflow o;
  };
  const Config configs[] = {
      {Format::fp16, Rounding::nearest_even, E4M3Overflow::nan},
      {Format::fp16, Rounding::toward_zero, E4M3Overflow::nan},
      {Format::bf16, Rounding::nearest_even, E4M3Overflow::nan},
      {Format::bf16, Rounding::toward_zero, E4M3Overflow::nan},
      {Format::e4m3, Rounding::nearest_even, E4M3Overflow::nan},
      {Format::e4m3, Rounding::nearest_even, E4M3Overflow::saturate},
      {Format::e4m3, Rounding::toward_zero, E4M3Overflow::nan},
      {Format::e5m2, Rounding::nearest_even, E4M3Overflow::nan},
      {Format::e5m2, Rounding::toward_zero, E4M3Overflow::nan},
  };
  for (const auto& c : configs) {
    CAPTURE(info(c.f).name, static_cast<int>(c.r), static_cast<int>(c.o));
    gpumem::test::SweepReference ref(c.f, c.r, c.o);
    gpumem::test::Mismatches bad;
    uint64_t n = 0;
    for (uint64_t a = 0; a <= 0x7fffffffu; a += kStride, ++n) {
      for (uint32_t x : {static_cast<uint32_t>(a), static_cast<uint32_t>(a) | 0x80000000u}) {
        const uint32_t want = ref.expect(x);
        const uint32_t got = from_fp32(c.f, x, c.r, c.o);
        if (got != want) bad.add(info(c.f).name, x, want, got, info(c.f).width);
      }
    }
    for (const auto& m : bad.first) UNSCOPED_INFO(m);
    CHECK(bad.count == 0);
    CHECK(n > 500000);
  }
}

TEST_CASE("the batch loop gives the bits of the scalar converters", "[float_bits][batch]") {
  std::vector<uint32_t> in;
  for (uint32_t i = 0; i < 100000; ++i) in.push_back(i * 2654435761u);  // Knuth's multiplicative hash spread
  for (Format f : {Format::fp32, Format::fp16, Format::bf16, Format::e4m3, Format::e5m2}) {
    for (Rounding r : {Rounding::nearest_even, Rounding::toward_zero}) {
      std::vector<uint32_t> out(in.size());
      from_fp32_batch(f, r, E4M3Overflow::nan, in.data(), out.data(), in.size());
      size_t same = 0;
      for (size_t i = 0; i < in.size(); ++i) same += out[i] == from_fp32(f, in[i], r) ? 1 : 0;
      CHECK(same == in.size());
    }
  }
}

TEST_CASE("exact decimals are exact", "[float_bits][decimal]") {
  CHECK(exact_decimal(0x4048f5c3u) == "3.1400001049041748046875");
  CHECK(exact_decimal(0x3dcccccdu) == "0.100000001490116119384765625");
  CHECK(exact_decimal(0x7f7fffffu) == "340282346638528859811704183484516925440");
  CHECK(exact_decimal(0x00000001u) ==
        "0.00000000000000000000000000000000000000000000140129846432481707092372958328991613128026194187651577175706828"
        "388979108268586060148663818836212158203125");
  CHECK(exact_decimal(fp16_to_fp32(0x0001)) == "0.000000059604644775390625");
  CHECK(exact_decimal(0x80000000u) == "-0");
  CHECK(exact_decimal(0x00000000u) == "0");
  CHECK(exact_decimal(0xff800000u) == "-inf");
  CHECK(exact_decimal(0x7fc00000u) == "nan");
  CHECK(exact_decimal(0x477fe000u) == "65504");
  // 3.140625 - 3.1400001049041748046875
  CHECK(exact_difference(0x40490000u, 0x4048f5c3u) == "0.0006248950958251953125");
  CHECK(exact_difference(0x4048f5c3u, 0x40490000u) == "-0.0006248950958251953125");
  CHECK(exact_difference(0x3f800000u, 0xbf800000u) == "2");
  CHECK(exact_difference(0x80000000u, 0x00000000u) == "0");
  CHECK(exact_difference(0x00000000u, 0x322bcc77u) == "-0.00000000999999993922529029077850282192230224609375");
}

TEST_CASE("decimals are rounded half-even to n significant digits for reading", "[float_bits][decimal]") {
  CHECK(round_decimal("3.1400001049041748046875") == "3.1400001");
  CHECK(round_decimal("3.1400001049041748046875", 6) == "3.14");
  CHECK(round_decimal("0.000000059604644775390625") == "5.96046448e-8");
  CHECK(round_decimal("340282346638528859811704183484516925440") == "3.40282347e38");
  CHECK(round_decimal("65504") == "65504");
  CHECK(round_decimal("999999999.5") == "1e9");
  CHECK(round_decimal("0.125", 2) == "0.12");  // tie, 2 is even
  CHECK(round_decimal("0.135", 2) == "0.14");  // tie, 3 is odd
  CHECK(round_decimal("0.1251", 2) == "0.13");
  CHECK(round_decimal("-0.00001") == "-0.00001");
  CHECK(round_decimal("-0.000001") == "-1e-6");
  CHECK(round_decimal("-0") == "-0");
  CHECK(round_decimal("-inf") == "-inf");
}

TEST_CASE("decimal text is rounded to fp32 correctly", "[float_bits][parse]") {
  struct Row {
    const char* text;
    uint32_t bits;
  };
  // The hard cases sit exactly on, or one digit off, a midpoint between two fp32 numbers.
  const Row rows[] = {
      {"3.14", 0x4048f5c3u},
      {"-3.14", 0xc048f5c3u},
      {"+3.14", 0x4048f5c3u},
      {" 3.14\t", 0x4048f5c3u},
      {"1e-8", 0x322bcc77u},
      {".5", 0x3f000000u},
      {"5.", 0x40a00000u},
      {"6.5504E4", 0x477fe000u},
      {"65520", 0x477ff000u},
      {"-0", 0x80000000u},
      {"0e999999", 0x00000000u},
      {"1.000000059604644775390625", 0x3f800000u},               // 1 + 2^-24: tie, even stays
      {"1.000000059604644775390626", 0x3f800001u},               // just above
      {"1.000000178813934326171875", 0x3f800002u},               // 1 + 3 * 2^-24: tie, rounds up to even
      {"340282356779733661637539395458142568448", 0x7f800000u},  // FLT_MAX + half ulp: tie -> inf
      {"340282356779733661637539395458142568447", 0x7f7fffffu},
      {"1e39", 0x7f800000u},
      {"-1e39", 0xff800000u},
      {"7.00649232162408535461864791644958065640130970938257885878534141944895541342930300743319094181060791015625e-46",
       0x00000000u},  // 2^-150: tie between 0 and the smallest subnormal
      {"7.0064923216240853546186479164495806564013097093825788587853414194489554134293030074331909418106079101563e-46",
       0x00000001u},
      {"1e-50", 0x00000000u},
      {"-1e-50", 0x80000000u},
      {"2.101947696487225606385594374934874196920392912814773657635602425834686624028790902229957282543182373046875e-"
       "45",
       0x00000002u},  // 3 * 2^-150: tie, rounds to the even 2 * 2^-149
      {"inf", 0x7f800000u},
      {"-Infinity", 0xff800000u},
      {"NaN", 0x7fc00000u},
      {"-nan", 0xffc00000u},
  };
  for (const auto& r : rows) {
    CAPTURE(r.text);
    const auto got = parse_decimal_fp32(r.text);
    REQUIRE(got.has_value());
    CHECK(hex_of(*got, 32) == hex_of(r.bits, 32));
  }
  for (const char* bad : {"", " ", "abc", "3.14.1", "1e", "1e+", "0x1p3", "--1", "+-1", "1,5", "3.14f", "nanx", "e5",
                          ".", "-", "1 2", "infinit"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_decimal_fp32(bad).has_value());
  }
}

TEST_CASE("the parser agrees bit for bit with the C library's strtof", "[float_bits][parse]") {
  // Natively parse_decimal_fp32 uses std::from_chars (Emscripten's libc++ has none for float, so
  // there it uses strtof and this compares strtof with itself): both must give the same bits.
  uint64_t state = 0x9e3779b97f4a7c15u;
  const auto next = [&state]() {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  int checked = 0;
  for (int i = 0; i < 20000; ++i) {
    const auto x = static_cast<uint32_t>(next());
    if ((x & 0x7f800000u) == 0x7f800000u) continue;
    char text[64];
    // 9 significant digits identify an fp32; a 10th/11th digit lands near midpoints too.
    std::snprintf(text, sizeof text, "%.*e", 8 + static_cast<int>(next() % 4), static_cast<double>(float_of(x)));
    const auto got = parse_decimal_fp32(text);
    REQUIRE(got.has_value());
    CAPTURE(text);
    CHECK(hex_of(*got, 32) == hex_of(bits_of(std::strtof(text, nullptr)), 32));
    ++checked;
  }
  CHECK(checked > 19000);
}

TEST_CASE("hex bits need 0x and exactly width/4 digits", "[float_bits][parse]") {
  CHECK(parse_hex_bits("0x4048f5c3", 32) == 0x4048f5c3u);
  CHECK(parse_hex_bits("0X4048F5C3", 32) == 0x4048f5c3u);
  CHECK(parse_hex_bits("0x4248", 16) == 0x4248u);
  CHECK(parse_hex_bits("0x7e", 8) == 0x7eu);
  CHECK_FALSE(parse_hex_bits("0x4248", 32).has_value());
  CHECK_FALSE(parse_hex_bits("4048f5c3", 32).has_value());
  CHECK_FALSE(parse_hex_bits("0x4048f5cg", 32).has_value());
  CHECK_FALSE(parse_hex_bits("0x", 8).has_value());
}

}  // namespace test_float_bits
