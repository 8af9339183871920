// Hostile and broken configs (tests/cases/adversarial.json): each gets its expected answer — an error
// code and path, or "ok" — and never a crash, NaN or a negative size. Huge and binary inputs are made
// here from a recipe ("generate") instead of being stored.
#include <catch2/catch.hpp>
#include <cmath>

#include "support.hpp"

namespace test_adversarial {

using gpumem::test::read_json;
using nlohmann::json;

namespace {

std::string generate(const json& g) {
  const std::string kind = g["kind"];
  if (kind == "deep") {
    const size_t d = g["depth"];
    return std::string(d, '[') + std::string(d, ']');
  }
  if (kind == "deep_in_key") {
    const size_t d = g["depth"];
    return R"({"model_type":"llava","text_config":)" + std::string(d, '{') + std::string(d, '}') + "}";
  }
  if (kind == "long_key") {
    return R"({"model_type":"llama",")" + std::string(g["bytes"].get<size_t>(), 'k') +
           R"(":1,"num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,"intermediate_size":128,)"
           R"("vocab_size":100,"tie_word_embeddings":true})";
  }
  if (kind == "big") {
    std::string s = R"({"model_type":"llama","pad":")";
    s.append(g["bytes"].get<size_t>(), 'x');
    return s + "\"}";
  }
  if (kind == "garbage") {
    std::string s;
    uint64_t x = 0x243F6A8885A308D3ULL;
    for (size_t i = 0; i < g["bytes"].get<size_t>(); ++i) {
      x ^= x << 13, x ^= x >> 7, x ^= x << 17;
      s.push_back(static_cast<char>(x));
    }
    return s;
  }
  if (kind == "utf16") {
    const std::string ascii = R"({"model_type": "llama", "num_hidden_layers": 2})";
    std::string s = "\xFF\xFE";
    for (char c : ascii) s += std::string{c, '\0'};
    return s;
  }
  throw std::runtime_error("unknown generator " + kind);
}

// No NaN and no negative number anywhere in a result (NaN would be serialised as null).
void check_numbers(const json& j, const std::string& where) {
  if (j.is_number_float()) {
    CAPTURE(where);
    CHECK(std::isfinite(j.get<double>()));
    CHECK(j.get<double>() >= 0);
  } else if (j.is_number_integer() && !j.is_number_unsigned()) {
    CAPTURE(where);
    CHECK(j.get<int64_t>() >= 0);
  } else if (j.is_structured()) {
    for (auto it = j.begin(); it != j.end(); ++it) check_numbers(*it, where + "/" + (j.is_object() ? it.key() : "#"));
  }
}

}  // namespace

TEST_CASE("adversarial configs get their expected answer", "[adversarial][errors]") {
  const auto cases = read_json("cases/adversarial.json");
  CHECK(cases.size() >= 50);
  for (const auto& c : cases) {
    const std::string name = c["name"];
    CAPTURE(name);
    const std::string text = c.contains("generate") ? generate(c["generate"]) : c["config_text"].get<std::string>();
    const auto r = gpumem::test::call(c["op"], text, c.value("options", json::object()));
    REQUIRE(r.contains("ok"));
    REQUIRE(r["ok"].get<bool>() != r.contains("error"));
    const std::string got = r["ok"].get<bool>() ? "ok" : r["error"]["code"].get<std::string>();
    CHECK(got == c["expect"].get<std::string>());
    if (c.contains("path")) CHECK(r["error"]["path"] == c["path"]);
    if (r["ok"].get<bool>())
      check_numbers(r, "");
    else
      CHECK_FALSE(r["error"]["message"].get<std::string>().empty());
  }
}

}  // namespace test_adversarial
