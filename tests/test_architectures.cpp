// What the normalized model says per layer (the KV-cache and training estimators build on it), and the
// families' edge cases: multimodal text towers, unknown model types, refused layer types.
#include <catch2/catch.hpp>

#include "support.hpp"

namespace test_architectures {

using gpumem::test::call;
using gpumem::test::read_text;

namespace {

nlohmann::json params_of(const std::string& file) {
  const auto r = call("params", read_text(file));
  REQUIRE(r["ok"].get<bool>());
  return r;
}

bool has_assumption(const nlohmann::json& r, const std::string& code) {
  for (const auto& a : r["assumptions"])
    if (a["code"] == code) return true;
  return false;
}

}  // namespace

TEST_CASE("DeepSeek-V3: MLA dimensions, 3 dense then 58 MoE layers, MTP outside the total", "[arch][moe]") {
  const auto r = params_of("fixtures/configs/deepseek-v3.json");
  const auto& m = r["model"];
  CHECK(m["attn_layout"] == "mla");
  CHECK(m["n_lora_q"] == 1536);
  CHECK(m["n_lora_kv"] == 512);
  CHECK(m["n_rot"] == 64);
  CHECK(m["n_embd_head_k"] == 192);
  CHECK(m["n_embd_head_v"] == 128);
  CHECK(m["n_expert"] == 256);
  CHECK(m["n_expert_used"] == 8);
  CHECK(m["n_expert_shared"] == 1);
  CHECK(m["n_nextn_layer"] == 1);
  REQUIRE(m["layers"].size() == 2);
  CHECK(m["layers"][0]["ffn"] == "dense");
  CHECK(m["layers"][0]["to"] == 2);
  CHECK(m["layers"][1]["ffn"] == "moe");
  CHECK(m["layers"][1]["count"] == 58);
  const auto& p = r["params"];
  CHECK(p["mtp"]["total"].get<uint64_t>() > 11000000000ULL);
  CHECK(p["groups"]["router"] == 58 * 256 * 7168);
  CHECK(p["groups"]["experts_shared"] == 58ULL * 3 * 7168 * 2048);
  // Active: everything but the 248 routed experts per MoE layer that a token skips.
  CHECK(p["total"].get<uint64_t>() - p["active"].get<uint64_t>() == 58ULL * 248 * 3 * 7168 * 2048);
  REQUIRE(p["layers"].size() == 2);
  CHECK(p["layers"][1]["kind"] == "full+moe");
}

TEST_CASE("Gemma 2 alternates sliding and global layers, and gpt-oss has sinks and sliding layers", "[arch][sliding]") {
  const auto g = params_of("fixtures/configs/gemma-2-9b.json")["model"];
  CHECK(g["sliding_window"] == 4096);
  CHECK(g["n_layer_sliding"] == 21);
  CHECK(g["n_layer_full"] == 21);
  CHECK(g["layers"][0]["attn"] == "sliding");
  CHECK(g["layers"][0]["window"] == 4096);
  CHECK(g["layers"][1]["attn"] == "full");
  CHECK(g["layers"][0]["n_norm"] == 4);

  const auto o = params_of("fixtures/configs/gpt-oss-20b.json");
  CHECK(o["model"]["attn_sinks"] == true);
  CHECK(o["model"]["n_layer_sliding"] == 12);
  CHECK(o["model"]["layers"][0]["window"] == 128);
  CHECK(o["params"]["groups"]["router"] == 24 * (2880 * 32 + 32));
}

TEST_CASE("Gemma 3 text: every sixth layer is global", "[arch][sliding]") {
  const auto m = params_of("fixtures/synthetic/gemma3-text.json")["model"];
  REQUIRE(m["layers"].size() == 3);
  CHECK(m["layers"][0]["to"] == 4);
  CHECK(m["layers"][0]["attn"] == "sliding");
  CHECK(m["layers"][1]["from"] == 5);
  CHECK(m["layers"][1]["attn"] == "full");
  CHECK(m["qk_norm"] == "per_head");
}

TEST_CASE("Nemotron-H: Mamba-2, attention and MLP blocks from the pattern, and Python Infinity is read",
          "[arch][ssm]") {
  const auto r = params_of("fixtures/configs/nemotron-h-56b-base-8k.json");
  const auto& m = r["model"];
  CHECK(m["n_layer"] == 118);
  CHECK(m["n_layer_ssm"] == 54);
  CHECK(m["n_layer_full"] == 10);
  CHECK(m["layers"][0]["mixer"] == "mamba2");
  CHECK(m["layers"][0]["attn"] == "none");
  CHECK(m["layers"][1]["mixer"] == "none");
  CHECK(m["layers"][1]["ffn"] == "dense");
  CHECK(m["ssm_d_inner"] == 16384);
  CHECK(r["params"]["groups"]["ssm"].get<uint64_t>() > 0);
  CHECK(has_assumption(r, "python_json_constant"));
}

TEST_CASE("Nemotron-H blocks of a type gpumem cannot count are refused by name", "[arch][errors]") {
  const auto r = call("params", R"({"model_type":"nemotron_h","hidden_size":64,"vocab_size":100,
    "num_attention_heads":4,"mamba_num_heads":4,"mamba_head_dim":16,"ssm_state_size":8,"intermediate_size":128,
    "hybrid_override_pattern":"M*E-"})");
  REQUIRE_FALSE(r["ok"].get<bool>());
  CHECK(r["error"]["code"] == "unsupported_model");
  CHECK(r["error"]["path"] == "/hybrid_override_pattern");
  CHECK(r["error"]["message"].get<std::string>().find("'E'") != std::string::npos);
}

TEST_CASE("T5: encoder blocks first, decoder blocks with cross-attention, relative bias in each stack's first block",
          "[arch][encdec]") {
  const auto r = params_of("fixtures/configs/t5-small.json");
  const auto& m = r["model"];
  CHECK(m["n_layer"] == 12);
  CHECK(m["n_layer_enc"] == 6);
  CHECK(m["layers"][0]["role"] == "encoder");
  CHECK(m["layers"].back()["role"] == "decoder");
  CHECK(m["layers"].back()["cross_attn"] == true);
  CHECK(r["params"]["groups"]["positions"] == 2 * 32 * 8);
}

TEST_CASE("a multimodal config counts its text tower and names its keys under /text_config", "[arch][multimodal]") {
  const auto r = params_of("fixtures/synthetic/llava.json");
  CHECK(r["model"]["model_type"] == "llama");
  CHECK(r["model"]["wrapper_type"] == "llava");
  CHECK(has_assumption(r, "towers_counted"));  // and its CLIP tower and projector (test_multimodal.cpp)
  CHECK(has_assumption(r, "vision_defaults"));

  const auto bad = call("params", R"({"model_type":"llava","text_config":{"model_type":"llama","num_hidden_layers":2,
    "num_attention_heads":4,"intermediate_size":128,"vocab_size":100},"vision_config":{}})");
  REQUIRE_FALSE(bad["ok"].get<bool>());
  CHECK(bad["error"]["code"] == "missing_key");
  CHECK(bad["error"]["path"] == "/text_config/hidden_size");
}

TEST_CASE("an unknown model_type with Llama's keys is estimated and says what it assumed", "[arch][generic]") {
  const auto r = params_of("fixtures/synthetic/unknown-llama-like.json");
  REQUIRE(r["assumptions"].size() >= 1);
  CHECK(r["assumptions"][0]["code"] == "generic_layout");
  CHECK(r["assumptions"][0]["path"] == "/model_type");
  const std::string msg = r["assumptions"][0]["message"];
  for (const char* word : {"RMSNorm", "gated MLP", "attention_bias", "tie_word_embeddings", "rotary"})
    CHECK(msg.find(word) != std::string::npos);
}

TEST_CASE("an unknown model_type without those keys is refused, listing the keys looked for", "[arch][generic]") {
  const auto r = call("params", R"({"model_type":"mystery","d_model":64})");
  REQUIRE_FALSE(r["ok"].get<bool>());
  CHECK(r["error"]["code"] == "unsupported_model");
  CHECK(r["error"]["path"] == "/model_type");
  const std::string msg = r["error"]["message"];
  for (const char* key : {"num_hidden_layers", "hidden_size", "num_attention_heads", "intermediate_size", "vocab_size"})
    CHECK(msg.find(key) != std::string::npos);
}

TEST_CASE("dense models have one layer run and no active count", "[arch]") {
  const auto r = params_of("fixtures/configs/llama-3-8b.json");
  REQUIRE(r["params"]["layers"].size() == 1);
  CHECK(r["params"]["layers"][0]["count"] == 32);
  CHECK(r["params"]["layers"][0]["kind"] == "full+dense");
  CHECK_FALSE(r["params"].contains("active"));
  CHECK(r["model"]["n_head_kv"] == 8);
  CHECK(r["model"]["layers"][0]["n_head_kv"] == 8);
}

TEST_CASE("absurd layer counts of patterned families are refused rather than laid out", "[arch][errors]") {
  const auto r = call("params", R"({"model_type":"gemma2","num_hidden_layers":4000000000,"hidden_size":64,
    "num_attention_heads":4,"intermediate_size":128,"vocab_size":100})");
  REQUIRE_FALSE(r["ok"].get<bool>());
  CHECK(r["error"]["code"] == "invalid_value");
  CHECK(r["error"]["path"] == "/num_hidden_layers");
}

}  // namespace test_architectures
