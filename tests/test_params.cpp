// Parameter counts against published figures (truth.json), and the groups' sum property.
#include <catch2/catch.hpp>
#include <set>

#include "support.hpp"

namespace test_params {

using gpumem::test::call;
using gpumem::test::config_path;
using gpumem::test::read_json;
using gpumem::test::read_text;

namespace {

// A rounded published figure such as "15.5B" or "671B main + 11.5B MTP": the leading number, its unit
// and how many decimals it states.
struct Rounded {
  uint64_t mantissa = 0;  // 155 for "15.5"
  uint64_t scale = 1;     // 10^decimals
  uint64_t unit = 1;      // 10^9 for B, 10^6 for M
};

Rounded parse_rounded(const std::string& s) {
  Rounded r;
  std::size_t i = 0;
  bool after_point = false;
  for (; i < s.size(); ++i) {
    if (s[i] == '.') {
      after_point = true;
    } else if (s[i] >= '0' && s[i] <= '9') {
      r.mantissa = r.mantissa * 10 + static_cast<uint64_t>(s[i] - '0');
      if (after_point) r.scale *= 10;
    } else {
      break;
    }
  }
  REQUIRE(i < s.size());
  REQUIRE((s[i] == 'B' || s[i] == 'M'));
  r.unit = s[i] == 'B' ? 1000000000ULL : 1000000ULL;
  return r;
}

// The stated tolerance for a rounded figure: the count must round to it at the precision it is written
// with, i.e. lie within half a unit of its last digit (15.5B: 15.45B ≤ n < 15.55B).
bool rounds_to(uint64_t n, const Rounded& r) {
  const uint64_t step = r.unit / r.scale;  // value of one unit in the last stated digit
  const uint64_t figure = r.mantissa * step;
  return 2 * n >= 2 * figure - step && 2 * n < 2 * figure + step;
}

const nlohmann::json* find_config(const nlohmann::json& list, const std::string& file) {
  for (const auto& e : list)
    if (config_path(e["config"].get<std::string>()) == file) return &e;
  return nullptr;
}

}  // namespace

TEST_CASE("every truth.json fixture is counted to the parameter", "[params][golden]") {
  // Published exact counts come from truth.json; counts nobody published exactly were derived by hand
  // from the transformers modeling files (derived_counts.json, with the arithmetic); a rounded published
  // figure (params_approx) is checked as rounding. Every fixture needs at least one of them, and a family
  // gpumem does not count would have to be listed there as refused with its error code.
  const auto truth = read_json("fixtures/truth.json");
  const auto derived = read_json("fixtures/derived_counts.json");
  int exact = 0;
  for (const auto& entry : truth) {
    const std::string file = config_path(entry["config"].get<std::string>());
    CAPTURE(file);
    const auto r = call("params", read_text(file));
    const nlohmann::json* d = find_config(derived, file);
    if (d && d->contains("refused")) {
      REQUIRE_FALSE(r["ok"].get<bool>());
      CHECK(r["error"]["code"] == (*d)["refused"]);
      continue;
    }
    REQUIRE(r["ok"].get<bool>());
    const uint64_t total = r["params"]["total"].get<uint64_t>();
    bool checked = false;
    if (entry.contains("params") && !entry["params"].is_null()) {
      CHECK(total == entry["params"].get<uint64_t>());
      checked = true;
      ++exact;
    }
    if (d) {
      CHECK(total == (*d)["params"].get<uint64_t>());
      if (d->contains("active")) CHECK(r["params"]["active"].get<uint64_t>() == (*d)["active"].get<uint64_t>());
      if (d->contains("mtp")) CHECK(r["params"]["mtp"]["total"].get<uint64_t>() == (*d)["mtp"].get<uint64_t>());
      checked = true;
    }
    if (entry.contains("params_approx")) {
      CAPTURE(entry["params_approx"].get<std::string>());
      CHECK(rounds_to(total, parse_rounded(entry["params_approx"].get<std::string>())));
      checked = true;
    }
    CHECK(checked);
  }
  CHECK(exact >= 20);
  for (const auto& d : derived) {
    CAPTURE(d["config"].get<std::string>());
    CHECK(find_config(truth, config_path(d["config"].get<std::string>())) != nullptr);
  }
}

TEST_CASE("rounded figures are checked at their stated precision", "[params][golden]") {
  CHECK(rounds_to(15517456384ULL, parse_rounded("15.5B")));
  CHECK_FALSE(rounds_to(15617456384ULL, parse_rounded("15.5B")));
  CHECK(rounds_to(671026404352ULL, parse_rounded("671B main + 11.5B MTP")));
  CHECK_FALSE(rounds_to(672026404352ULL, parse_rounded("671B")));
}

TEST_CASE("synthetic configs of the families without a real fixture match their hand derivation",
          "[params][synthetic]") {
  const auto expected = read_json("fixtures/synthetic/expected.json");
  REQUIRE(expected.size() >= 15);
  for (const auto& e : expected) {
    const std::string file = "fixtures/synthetic/" + e["config"].get<std::string>();
    CAPTURE(file);
    const std::string text = read_text(file);
    CHECK(nlohmann::json::parse(text)["_synthetic"].get<std::string>().rfind("SYNTHETIC", 0) == 0);
    const auto r = call("params", text);
    REQUIRE(r["ok"].get<bool>());
    CHECK(r["params"]["total"].get<uint64_t>() == e["params"].get<uint64_t>());
    if (e.contains("active")) CHECK(r["params"]["active"].get<uint64_t>() == e["active"].get<uint64_t>());
  }
}

TEST_CASE("at least 25 model_types are counted, each by a fixture", "[params][golden]") {
  std::vector<std::string> files;
  for (const auto& entry : read_json("fixtures/truth.json"))
    files.push_back(config_path(entry["config"].get<std::string>()));
  for (const auto& e : read_json("fixtures/synthetic/expected.json"))
    files.push_back("fixtures/synthetic/" + e["config"].get<std::string>());
  std::set<std::string> types;
  for (const auto& file : files) {
    const auto r = call("params", read_text(file));
    if (!r["ok"].get<bool>()) continue;
    const std::string wrapper = r["model"]["wrapper_type"];
    types.insert(wrapper.empty() ? r["model"]["model_type"].get<std::string>() : wrapper);
  }
  CAPTURE(types.size());
  CHECK(types.size() >= 25);
}

TEST_CASE("parameter groups sum to the total and layer runs cover every layer, for every fixture",
          "[params][property]") {
  std::vector<std::string> files;
  for (const auto& entry : read_json("fixtures/truth.json"))
    files.push_back(config_path(entry["config"].get<std::string>()));
  for (const auto& e : read_json("fixtures/synthetic/expected.json"))
    files.push_back("fixtures/synthetic/" + e["config"].get<std::string>());
  for (const auto& file : files) {
    CAPTURE(file);
    const auto r = call("params", read_text(file));
    REQUIRE(r["ok"].get<bool>());
    const auto& p = r["params"];
    uint64_t sum = 0;
    for (const auto& [id, n] : p["groups"].items()) sum += n.get<uint64_t>();
    CHECK(sum == p["total"].get<uint64_t>());
    CHECK(p["groups"].size() == 13);
    uint64_t next = 0, in_layers = 0;
    for (const auto& run : p["layers"]) {
      CHECK(run["from"].get<uint64_t>() == next);
      next = run["to"].get<uint64_t>() + 1;
      in_layers += run["count"].get<uint64_t>() * run["params"].get<uint64_t>();
    }
    CHECK(next == r["model"]["n_layer"].get<uint64_t>());
    CHECK(in_layers < p["total"].get<uint64_t>());
    const bool moe = p["groups"]["experts_routed"].get<uint64_t>() > 0;
    CHECK(p.contains("active") == moe);
    if (moe) CHECK(p["active"].get<uint64_t>() < p["total"].get<uint64_t>());
  }
}

TEST_CASE("Llama-2-7b: the seed's counts and weight bytes", "[params][golden][seed]") {
  const auto text = read_text("fixtures/configs/llama-2-7b.json");
  const auto p = call("params", text);
  REQUIRE(p["ok"].get<bool>());
  CHECK(p["params"]["total_h"] == "6,738,415,616");
  CHECK(p["params"]["short"] == "6.74 B");
  CHECK(p["model"]["n_head_kv"] == 32);
  CHECK(p["model"]["n_embd_head"] == 128);

  const auto fp16 = call("estimate", text, {{"dtype", "fp16"}, {"mode", "weights"}});
  REQUIRE(fp16["ok"].get<bool>());
  CHECK(fp16["memory"]["total_bytes"].get<uint64_t>() == 13476831232ULL);
  CHECK(fp16["memory"]["gib_h"] == "12.5513 GiB");
  REQUIRE(fp16["memory"]["parts"].size() == 1);
  CHECK(fp16["memory"]["parts"][0]["id"] == "weights");

  const auto fp32 = call("estimate", text, {{"dtype", "fp32"}, {"mode", "weights"}});
  CHECK(fp32["memory"]["total_bytes"].get<uint64_t>() == 26953662464ULL);
  CHECK(fp32["memory"]["gib_h"] == "25.1026 GiB");

  // Inference mode (the default): the weights part is still the pure parameter bytes.
  for (const auto& [dtype, bytes] : {std::pair{"fp16", 13476831232ULL}, std::pair{"fp32", 26953662464ULL}}) {
    const auto inf = call("estimate", text, {{"dtype", dtype}});
    REQUIRE(inf["ok"].get<bool>());
    CHECK(inf["memory"]["parts"][0]["id"] == "weights");
    CHECK(inf["memory"]["parts"][0]["bytes"].get<uint64_t>() == bytes);
  }
}

TEST_CASE("weights by dtype follow the seed's per-billion rules of thumb", "[memory]") {
  const auto p = call("params", read_text("fixtures/configs/llama-2-7b.json"));
  const uint64_t n = p["params"]["total"].get<uint64_t>();
  for (const auto& w : p["weights_by_dtype"]) {
    CAPTURE(w["dtype"]);
    const std::string d = w["dtype"];
    const uint64_t bytes = w["bytes"].get<uint64_t>();
    if (d == "fp32") CHECK(bytes == n * 4);
    if (d == "fp16" || d == "bf16") CHECK(bytes == n * 2);
    if (d == "int8") CHECK(bytes == n);
    if (d == "int4") CHECK(bytes == (n + 1) / 2);
  }
}

TEST_CASE("estimate without a dtype uses torch_dtype and says so", "[memory][assumptions]") {
  const auto r = call("estimate", read_text("fixtures/configs/llama-3-8b.json"));
  REQUIRE(r["ok"].get<bool>());
  CHECK(r["dtype"] == "bf16");
  bool said = false;
  for (const auto& a : r["assumptions"]) said = said || a["code"] == "dtype_from_config";
  CHECK(said);
}

TEST_CASE("documented fallbacks are listed as assumptions", "[params][assumptions]") {
  // No num_key_value_heads: every query head has its own KV head (transformers' default).
  const auto r = call("params",
                      R"({"model_type":"llama","num_hidden_layers":2,"hidden_size":64,"num_attention_heads":4,
                          "intermediate_size":128,"vocab_size":100,"tie_word_embeddings":true})");
  REQUIRE(r["ok"].get<bool>());
  CHECK(r["model"]["n_head_kv"] == 4);
  REQUIRE(r["assumptions"].size() == 1);
  CHECK(r["assumptions"][0]["code"] == "n_head_kv_default");
  CHECK(r["assumptions"][0]["path"] == "/num_key_value_heads");
  // 100·64 embeddings + 2·(4·64² + 3·64·128 + 2·64) + 64 final norm.
  CHECK(r["params"]["total"].get<uint64_t>() == 6400 + 2 * (16384 + 24576 + 128) + 64);
}

}  // namespace test_params
