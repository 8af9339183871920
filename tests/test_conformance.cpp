// JSONTestSuite (tests/fixtures/jsontestsuite, MIT) through the façade: y_ files parse (and are then
// refused only as "not a model config"), n_ files are refused as invalid_json with a line and column,
// i_ files get an answer either way. The same test runs natively, under ASan+UBSan and in wasm.
#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <set>

#include "support.hpp"

namespace test_conformance {

using gpumem::test::call;
using gpumem::test::read_text;

namespace {

std::vector<std::string> suite_files() {
  std::vector<std::string> names;
  for (const auto& e :
       std::filesystem::directory_iterator(std::string(GPUMEM_TEST_DIR) + "/fixtures/jsontestsuite/test_parsing"))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// Python's json writes NaN, Infinity and -Infinity, and Hugging Face configs contain them (Nemotron-H);
// the config reader accepts them as null and says so. These n_ files hold exactly those tokens.
const std::set<std::string> kPythonConstants = {"n_number_NaN.json", "n_number_infinity.json",
                                                "n_number_minus_infinity.json"};

}  // namespace

TEST_CASE("JSONTestSuite: y_ parse, n_ are invalid_json with a position, i_ never crash", "[conformance]") {
  int y = 0, n = 0, i = 0;
  for (const auto& name : suite_files()) {
    CAPTURE(name);
    const auto r = call("params", read_text("fixtures/jsontestsuite/test_parsing/" + name));
    REQUIRE(r.contains("ok"));
    REQUIRE(r["ok"].get<bool>() != r.contains("error"));
    const std::string code = r["ok"].get<bool>() ? "" : r["error"]["code"].get<std::string>();
    if (name.rfind("y_", 0) == 0) {
      CHECK(code != "invalid_json");
      CHECK_FALSE(code.empty());  // none of them is a model config
      ++y;
    } else if (name.rfind("n_", 0) == 0) {
      if (kPythonConstants.count(name)) {
        CHECK(code != "invalid_json");
      } else {
        CHECK(code == "invalid_json");
        CHECK(r["error"]["line"].get<uint64_t>() >= 1);
        CHECK(r["error"]["column"].get<uint64_t>() >= 1);
      }
      ++n;
    } else {
      ++i;
    }
  }
  CHECK(y == 95);
  CHECK(n == 188);
  CHECK(i == 35);
}

}  // namespace test_conformance
