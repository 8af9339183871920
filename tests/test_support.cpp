// The engine × format table (core/src/memory/support.cpp): every pair the options op lists as refused is
// refused by the estimate with the code "unsupported" and the option's path; converted pairs are estimated as
// converted and say so; every pair that runs gives an answer.
#include <catch2/catch.hpp>
#include <string>

#include "support.hpp"

namespace test_support {

using gpumem::test::call;
using gpumem::test::has_assumption;
using gpumem::test::part;
using gpumem::test::read_text;
using nlohmann::json;

TEST_CASE("every engine × weight format and KV type pair answers as the table says", "[support]") {
  const json formats = call("options", "", json::object())["engine_formats"];
  REQUIRE(formats.size() == 3);
  const std::string cfg = read_text("fixtures/configs/llama-3-8b.json");
  int refused = 0, converted = 0;
  for (const auto& [engine, table] : formats.items()) {
    for (const auto& [quant, answer] : table["quant"].items()) {
      INFO(engine << " × " << quant << ": " << answer);
      const json r =
          call("estimate", cfg, {{"engine", engine}, {"dtype", "bf16"}, {"quant", quant}, {"context", 1024}});
      if (answer == "refused") {
        REQUIRE(r["ok"] == false);
        CHECK(r["error"]["code"] == "unsupported");
        CHECK(r["error"]["path"] == "/options/quant");
        CHECK(r["error"]["message"].get<std::string>().find("choose") != std::string::npos);
        ++refused;
      } else {
        REQUIRE(r["ok"] == true);
        CHECK(has_assumption(r, "engine_converts") == (answer == "converts"));
        converted += answer == "converts";
      }
    }
    for (const auto& [kv, answer] : table["kv_dtype"].items()) {
      INFO(engine << " × KV " << kv << ": " << answer);
      const json r =
          call("estimate", cfg, {{"engine", engine}, {"dtype", "bf16"}, {"kv_dtype", kv}, {"context", 1024}});
      if (answer == "refused") {
        REQUIRE(r["ok"] == false);
        CHECK(r["error"]["code"] == "unsupported");
        CHECK(r["error"]["path"] == "/options/kv_dtype");
        ++refused;
      } else {
        CHECK(r["ok"] == true);
      }
    }
  }
  // Refused: llama.cpp × bnb-int8/nf4/fp4, gptq, awq, fp8, nvfp4 (7); KV: transformers fp8, q8_0, q4_0, vLLM int8,
  // q8_0, q4_0, llama.cpp fp8, int8 (8). Converted: transformers × 15 GGUF types and NVFP4, llama.cpp × MXFP4.
  CHECK(refused == 15);
  CHECK(converted == 17);
}

TEST_CASE("transformers dequantizes GGUF on load; llama.cpp runs gpt-oss's MXFP4 as its GGUF", "[support]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  const json gguf = call("estimate", llama, {{"engine", "hf"}, {"dtype", "bf16"}, {"quant", "gguf-q4_k_m"}});
  const json plain = call("estimate", llama, {{"engine", "hf"}, {"dtype", "bf16"}});
  REQUIRE(gguf["ok"] == true);
  CHECK(part(gguf, "weights") == part(plain, "weights"));  // bf16 bytes, not Q4_K_M's
  CHECK(gguf["settings"]["quant"] == "none");
  CHECK(has_assumption(gguf, "engine_converts"));

  // A quantization_config the engine cannot run is refused at the config's key; MXFP4 converts.
  const json fp8 = call("estimate", read_text("fixtures/configs/deepseek-v3.json"), {{"engine", "llamacpp"}});
  REQUIRE(fp8["ok"] == false);
  CHECK(fp8["error"]["code"] == "unsupported");
  CHECK(fp8["error"]["path"] == "/quantization_config");
  const json oss =
      call("estimate", read_text("fixtures/configs/gpt-oss-20b.json"), {{"engine", "llamacpp"}, {"dtype", "bf16"}});
  REQUIRE(oss["ok"] == true);
  CHECK(oss["settings"]["quant"] == "gguf-mxfp4_moe");
  CHECK(has_assumption(oss, "engine_converts"));
}

}  // namespace test_support
