// Parameter counts against published figures (truth.json), and the groups' sum property.
#include <catch2/catch.hpp>
#include <set>

#include "support.hpp"

using gpumem::test::call;
using gpumem::test::config_path;
using gpumem::test::read_json;
using gpumem::test::read_text;

namespace {
// The families this build must count. A fixture of another family must either be counted exactly or
// be refused with unsupported_model; it may never be counted wrong.
const std::set<std::string> kRequiredFamilies = {"llama", "mistral", "qwen2", "gpt2"};
}  // namespace

TEST_CASE("every exact truth.json entry is counted to the parameter", "[params][golden]") {
  const auto truth = read_json("fixtures/truth.json");
  int checked = 0;
  for (const auto& entry : truth) {
    if (!entry.contains("params") || entry["params"].is_null()) continue;
    const std::string file = config_path(entry["config"].get<std::string>());
    CAPTURE(file);
    const auto config = nlohmann::json::parse(read_text(file));
    const std::string model_type = config.value("model_type", "");
    const auto r = call("params", read_text(file));
    if (!r["ok"].get<bool>() && r["error"]["code"] == "unsupported_model") {
      REQUIRE(kRequiredFamilies.count(model_type) == 0);
      continue;
    }
    REQUIRE(r["ok"].get<bool>());
    CHECK(r["params"]["total"].get<uint64_t>() == entry["params"].get<uint64_t>());
    ++checked;
  }
  CHECK(checked >= 10);
}

TEST_CASE("parameter groups sum to the total for every fixture", "[params][property]") {
  for (const auto& entry : read_json("fixtures/truth.json")) {
    const std::string file = config_path(entry["config"].get<std::string>());
    CAPTURE(file);
    const auto r = call("params", read_text(file));
    if (!r["ok"].get<bool>()) continue;
    uint64_t sum = 0;
    for (const auto& [id, n] : r["params"]["groups"].items()) sum += n.get<uint64_t>();
    CHECK(sum == r["params"]["total"].get<uint64_t>());
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

  const auto fp16 = call("estimate", text, {{"dtype", "fp16"}});
  REQUIRE(fp16["ok"].get<bool>());
  CHECK(fp16["memory"]["total_bytes"].get<uint64_t>() == 13476831232ULL);
  CHECK(fp16["memory"]["gib_h"] == "12.5513 GiB");
  REQUIRE(fp16["memory"]["parts"].size() == 1);
  CHECK(fp16["memory"]["parts"][0]["id"] == "weights");

  const auto fp32 = call("estimate", text, {{"dtype", "fp32"}});
  CHECK(fp32["memory"]["total_bytes"].get<uint64_t>() == 26953662464ULL);
  CHECK(fp32["memory"]["gib_h"] == "25.1026 GiB");
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
