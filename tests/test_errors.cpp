// Bad input: every case asserts the stable error code and the JSON pointer path. The same case file
// is run through the wasm module by tests/node/facade.test.mjs.
#include <catch2/catch.hpp>

#include "support.hpp"

namespace test_errors {

using gpumem::test::call;
using gpumem::test::read_json;

TEST_CASE("bad input cases give the expected code and path", "[errors]") {
  for (const auto& c : read_json("cases/bad_input.json")) {
    CAPTURE(c["name"].get<std::string>());
    const auto r = call("params", c["config_text"].get<std::string>());
    REQUIRE_FALSE(r["ok"].get<bool>());
    CHECK(r["error"]["code"] == c["code"]);
    CHECK(r["error"]["path"] == c["path"]);
    CHECK_FALSE(r["error"]["message"].get<std::string>().empty());
    if (c.contains("line")) {
      CHECK(r["error"]["line"] == c["line"]);
      CHECK(r["error"]["column"] == c["column"]);
    }
  }
}

TEST_CASE("the façade never throws on a broken request", "[errors]") {
  for (const char* req : {"", "not json", "[]", "{}", R"({"op":"params"})", R"({"op":"nope","config_text":"{}"})",
                          R"({"op":"estimate","config_text":"{}","options":{"dtype":7}})"}) {
    CAPTURE(req);
    const auto r = nlohmann::json::parse(gpumem::handle(req));
    CHECK_FALSE(r["ok"].get<bool>());
    CHECK(r["error"].contains("code"));
  }
}

TEST_CASE("an unknown dtype is a bad_request naming /options/dtype", "[errors]") {
  const auto r = call("estimate", gpumem::test::read_text("fixtures/configs/gpt2.json"), {{"dtype", "fp7"}});
  REQUIRE_FALSE(r["ok"].get<bool>());
  CHECK(r["error"]["code"] == "bad_request");
  CHECK(r["error"]["path"] == "/options/dtype");
}

TEST_CASE("deeply nested input is refused before the recursive parser sees it", "[errors]") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const auto r = call("params", deep);
  CHECK(r["error"]["code"] == "invalid_json");
}

}  // namespace test_errors
