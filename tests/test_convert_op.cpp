// The façade's "convert" op: the known values of tests/cases/convert_known.json (the Node tests run
// the same file through the wasm module), the step-by-step explanation, and bad requests.
#include <catch2/catch.hpp>

#include "support.hpp"

namespace test_convert_op {

using nlohmann::json;

namespace {

json convert(json request) {
  request["op"] = "convert";
  return json::parse(gpumem::handle(request.dump()));
}

const json& format(const json& r, const std::string& name) {
  for (const auto& f : r["formats"])
    if (f["format"] == name) return f;
  throw std::runtime_error("no format " + name);
}

// The first step with this code, or null.
json step(const json& f, const std::string& code) {
  for (const auto& s : f["steps"])
    if (s["code"] == code) return s;
  return nullptr;
}

std::vector<std::string> codes(const json& list) {
  std::vector<std::string> out;
  for (const auto& x : list) out.push_back(x["code"].get<std::string>());
  return out;
}

}  // namespace

TEST_CASE("convert: the known values of convert_known.json", "[convert][known]") {
  for (const auto& c : gpumem::test::read_json("cases/convert_known.json")) {
    CAPTURE(c["name"].get<std::string>());
    const json r = convert(c["request"]);
    REQUIRE(r["ok"].get<bool>());
    for (const auto& [name, bits] : c["bits"].items()) {
      CAPTURE(name);
      CHECK(format(r, name)["bits"] == bits);
    }
    if (c.contains("values"))
      for (const auto& [name, value] : c["values"].items()) {
        CAPTURE(name);
        CHECK(format(r, name)["value"] == value);
      }
    if (c.contains("warnings"))
      for (const auto& [name, want] : c["warnings"].items()) {
        CAPTURE(name);
        CHECK(codes(format(r, name)["warnings"]) == want.get<std::vector<std::string>>());
      }
  }
}

TEST_CASE("convert: 3.14 -> fp16 is explained step by step", "[convert][steps]") {
  const json r = convert({{"value", "3.14"}});
  const json& fp16 = format(r, "fp16");
  CHECK(codes(fp16["steps"]) == std::vector<std::string>{"sign", "exponent_rebias", "round", "result"});

  const json e = step(fp16, "exponent_rebias");
  CHECK(e["from_field"] == 128);
  CHECK(e["unbiased"] == 1);
  CHECK(e["to_bias"] == 15);
  CHECK(e["to_field"] == 16);
  CHECK(e["to_bits"] == "10000");

  // 1.10010001111010111000011: keep 10 bits 1001000111, drop 1010111000011 (guard 1, round 0,
  // sticky 1) -> above half -> round up to 1001001000.
  const json s = step(fp16, "round");
  CHECK(s["significand"] == "1.10010001111010111000011");
  CHECK(s["kept"] == "1001000111");
  CHECK(s["dropped"] == "1010111000011");
  CHECK(s["guard"] == 1);
  CHECK(s["round"] == 0);
  CHECK(s["sticky"] == 1);
  CHECK(s["decision"] == "up");
  CHECK(s["mantissa"] == "1001001000");

  const json res = step(fp16, "result");
  CHECK(res["bits"] == "0x4248");
  CHECK(res["fields"] == "0 10000 1001001000");
  CHECK(res["value"] == "3.140625");

  CHECK(fp16["error"]["abs"] == "0.0006248950958251953125");
  CHECK(fp16["alternative"]["round"] == "trunc");
  CHECK(fp16["alternative"]["bits"] == "0x4247");
  CHECK(fp16["alternative"]["value"] == "3.138671875");

  const json bf16 = format(r, "bf16");
  CHECK(step(bf16, "exponent_same")["field"] == 128);
  CHECK(step(bf16, "round")["kept"] == "1001000");
  CHECK(step(bf16, "round")["decision"] == "up");
}

TEST_CASE("convert: rounding decisions, carries, overflow and underflow are named", "[convert][steps]") {
  SECTION("a tie goes to the even neighbour") {
    // 1 + 2^-11: exactly half an fp16 ulp above 1; 1.0000000000 is even, so it stays.
    const json s = step(format(convert({{"bits", "0x3f801000"}}), "fp16"), "round");
    CHECK(s["decision"] == "tie_down");
    CHECK(s["guard"] == 1);
    CHECK(s["round"] == 0);
    CHECK(s["sticky"] == 0);
    // 1 + 3 * 2^-11: half above 1.0000000001 (odd), so it goes up to 1.0000000010.
    const json u = step(format(convert({{"bits", "0x3f803000"}}), "fp16"), "round");
    CHECK(u["decision"] == "tie_up");
    CHECK(u["mantissa"] == "0000000010");
  }
  SECTION("rounding up 1.1111111111 carries into the exponent") {
    const json f = format(convert({{"value", "1.9999"}}), "fp16");
    CHECK(step(f, "round")["kept"] == "1111111111");
    CHECK(step(f, "round")["decision"] == "up");
    const json c = step(f, "carry");
    REQUIRE(c.is_object());
    CHECK(c["from_field"] == 15);
    CHECK(c["to_field"] == 16);
    CHECK(f["bits"] == "0x4000");
  }
  SECTION("65520 overflows fp16 to inf; truncation keeps 65504") {
    const json f = format(convert({{"value", "65520"}}), "fp16");
    CHECK(step(f, "overflow")["result"] == "inf");
    CHECK(step(f, "overflow")["max"] == "65504");
    CHECK(step(f, "carry")["to_field"] == 31);
    const json t = format(convert({{"value", "65520"}, {"round", "trunc"}}), "fp16");
    CHECK(step(t, "round")["decision"] == "truncate");
    CHECK(step(t, "overflow").is_null());
    CHECK(t["bits"] == "0x7bff");
    const json big = format(convert({{"value", "100000"}, {"round", "trunc"}}), "fp16");
    CHECK(step(big, "overflow")["result"] == "max");
    CHECK(step(big, "overflow")["reason"] == "trunc");
    CHECK(big["bits"] == "0x7bff");
  }
  SECTION("1e10 is beyond fp16's exponent range before any rounding") {
    const json f = format(convert({{"value", "1e10"}}), "fp16");
    CHECK(step(f, "exponent_too_large")["max_unbiased"] == 15);
    CHECK(step(f, "round").is_null());
    CHECK(f["bits"] == "0x7c00");
  }
  SECTION("2^-24 becomes the smallest fp16 subnormal, 1e-8 becomes 0") {
    const json f = format(convert({{"value", "5.9604644775390625e-8"}}), "fp16");
    const json s = step(f, "subnormal_shift");
    CHECK(s["unbiased"] == -24);
    CHECK(s["min_unbiased"] == -14);
    CHECK(s["extra"] == 10);
    CHECK(step(f, "subnormal_result")["min_normal_pow2"] == -14);
    const json z = format(convert({{"value", "1e-8"}}), "fp16");
    CHECK(step(z, "underflow_zero")["min_subnormal_pow2"] == -24);
    CHECK(z["warnings"][0]["min_subnormal"] == "0.000000059604644775390625");
  }
  SECTION("e4m3: 465 is NaN by default, 448 when saturating; inf likewise") {
    CHECK(step(format(convert({{"value", "465"}}), "e4m3"), "overflow")["result"] == "nan");
    const json s = format(convert({{"value", "465"}, {"e4m3_overflow", "saturate"}}), "e4m3");
    CHECK(step(s, "overflow")["result"] == "max");
    CHECK(step(s, "overflow")["reason"] == "saturate");
    CHECK(step(format(convert({{"value", "inf"}}), "e4m3"), "infinity")["result"] == "nan");
    CHECK(format(convert({{"value", "inf"}, {"e4m3_overflow", "saturate"}}), "e4m3")["bits"] == "0x7e");
  }
  SECTION("NaN keeps its sign and gets the quiet bit") {
    const json f = format(convert({{"bits", "0xff800001"}}), "fp16");
    CHECK(step(f, "nan")["quiet_input"] == false);
    CHECK(codes(f["warnings"]) == std::vector<std::string>{"nan_quieted"});
    CHECK(f["bits"] == "0xfe00");
  }
}

TEST_CASE("convert: bits of a narrow format are widened to fp32, explained", "[convert][steps]") {
  SECTION("fp16 0x4248: exponent 16 - 15 + 127 = 128, mantissa padded with 13 zeros") {
    const json r = convert({{"bits", "0x4248"}, {"from", "fp16"}});
    CHECK(format(r, "fp16")["role"] == "source");
    const json& fp32 = format(r, "fp32");
    CHECK(fp32["role"] == "widened");
    const json e = step(fp32, "decode_exponent");
    CHECK(e["from_field"] == 16);
    CHECK(e["to_field"] == 128);
    CHECK(e["to_bits"] == "10000000");
    const json m = step(fp32, "decode_mantissa");
    CHECK(m["from"] == "1001001000");
    CHECK(m["to"] == "10010010000000000000000");
  }
  SECTION("the seed's 0 01101 1010000000 has exponent 13 - 15 = -2: it is 0.40625") {
    const json fp32 = format(convert({{"bits", "0x3680"}, {"from", "fp16"}}), "fp32");
    CHECK(step(fp32, "decode_exponent")["unbiased"] == -2);
    CHECK(step(fp32, "decode_exponent")["to_field"] == 125);
    CHECK(fp32["value"] == "0.40625");
  }
  SECTION("an fp16 subnormal is normalised") {
    const json fp32 = format(convert({{"bits", "0x0001"}, {"from", "fp16"}}), "fp32");
    const json s = step(fp32, "decode_subnormal");
    CHECK(s["scale_pow2"] == -24);
    CHECK(s["to_field"] == 103);
    CHECK(fp32["bits"] == "0x33800000");
  }
}

TEST_CASE("convert: bad requests name the field", "[convert][errors]") {
  struct Bad {
    json request;
    const char* code;
    const char* path;
  };
  const Bad bad[] = {
      {json::object(), "bad_request", "/value"},
      {{{"value", "abc"}}, "invalid_value", "/value"},
      {{{"value", 3.14}}, "bad_request", "/value"},
      {{{"bits", "0x4248"}}, "invalid_value", "/bits"},
      {{{"bits", "0x4248"}, {"from", "fp8"}}, "bad_request", "/from"},
      {{{"value", "3.14"}, {"from", "fp16"}}, "bad_request", "/from"},
      {{{"value", "3.14"}, {"round", "up"}}, "bad_request", "/round"},
      {{{"value", "3.14"}, {"e4m3_overflow", "wrap"}}, "bad_request", "/e4m3_overflow"},
      {{{"value", "0x12"}}, "invalid_value", "/value"},
  };
  for (const auto& b : bad) {
    CAPTURE(b.request.dump());
    const json r = convert(b.request);
    REQUIRE_FALSE(r["ok"].get<bool>());
    CHECK(r["error"]["code"] == b.code);
    CHECK(r["error"]["path"] == b.path);
    CHECK_FALSE(r["error"]["message"].get<std::string>().empty());
  }
}

}  // namespace test_convert_op
