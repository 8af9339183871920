// transformers + bitsandbytes 4-bit at inference (core/src/memory/bnb.cpp): the prefill's dequantized weight
// and compute-dtype casts, absent for a single-token decode and, from bitsandbytes 0.50.0, for up to 4 rows;
// the default float32 compute dtype; the fp16 load of a model without a dtype.
#include <catch2/catch.hpp>
#include <string>

#include "support.hpp"

namespace test_bnb {

using gpumem::test::call;
using gpumem::test::has_assumption;
using gpumem::test::part;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

json estimate(const std::string& cfg, json o) {
  o["engine"] = "hf";
  json r = call("estimate", cfg, o);
  INFO(r.dump().substr(0, 300));
  REQUIRE(r["ok"] == true);
  return r;
}

}  // namespace

TEST_CASE("a 4-bit prefill dequantizes the widest weight; a one-token decode does not", "[bnb][inference]") {
  // StarCoder 15B: the MLP's c_fc is 6,144 × 24,576 = 150,994,944 weights. bitsandbytes ≤ 0.49 dequantizes it
  // in fp16 (the load dtype) and copies it to float32 (the default compute dtype): 150,994,944 × (2 + 4) =
  // 905,969,664 B = 0.84 GiB; Linear4bit also casts its 512 × (6,144 + 24,576) input and output to fp32.
  const std::string cfg = read_text("fixtures/configs/starcoder.json");
  const json plain = {{"dtype", "fp16"}, {"context", 512}, {"prompt", 512}};
  json nf4 = plain;
  nf4["quant"] = "bnb-nf4";
  nf4["bitsandbytes"] = "0.49.2";
  const json old = estimate(cfg, nf4);
  const uint64_t base = part(estimate(cfg, plain), "workspace");
  const uint64_t dequant = 150994944ULL * (2 + 4), casts = 512ULL * (6144 + 24576) * 4;
  CHECK(part(old, "workspace") == base + dequant + casts);
  CHECK(has_assumption(old, "bnb_compute_dtype_default"));
  CHECK(old["memory"]["parts"][2]["formula"].get<std::string>().find("dequantize_4bit") != std::string::npos);

  // With bf16 compute and an fp16 load: the dequantized weight and its bf16 copy, and bf16 casts.
  nf4["bnb_compute_dtype"] = "bf16";
  CHECK(part(estimate(cfg, nf4), "workspace") == base + 150994944ULL * (2 + 2) + 512ULL * (6144 + 24576) * 2);
  nf4["dtype"] = "bf16";
  const json bf = estimate(cfg, nf4);
  json bf_plain = plain;
  bf_plain["dtype"] = "bf16";
  CHECK(part(bf, "workspace") == part(estimate(cfg, bf_plain), "workspace") + 150994944ULL * 2);  // no copy
  CHECK_FALSE(has_assumption(bf, "bnb_compute_dtype_default"));

  // One token of one sequence runs gemv_4bit: nothing dequantized (the casts of one row remain).
  json one = {{"dtype", "bf16"},
              {"context", 1},
              {"prompt", 1},
              {"quant", "bnb-nf4"},
              {"bitsandbytes", "0.49.2"},
              {"bnb_compute_dtype", "bf16"}};
  json one_plain = {{"dtype", "bf16"}, {"context", 1}, {"prompt", 1}};
  CHECK(part(estimate(cfg, one), "workspace") == part(estimate(cfg, one_plain), "workspace"));

  // bitsandbytes 0.50.0 (PR #1949): the fused gemm_4bit for up to 4 rows, and for more the fallback that
  // dequantizes once, into the compute dtype.
  json four = one;
  four["context"] = four["prompt"] = 4;
  json four_plain = one_plain;
  four_plain["context"] = four_plain["prompt"] = 4;
  four["bitsandbytes"] = "0.49.2";
  CHECK(part(estimate(cfg, four), "workspace") == part(estimate(cfg, four_plain), "workspace") + 150994944ULL * 2);
  four["bitsandbytes"] = "0.50.0";
  CHECK(part(estimate(cfg, four), "workspace") == part(estimate(cfg, four_plain), "workspace"));
  four.erase("bitsandbytes");  // the current release
  CHECK(part(estimate(cfg, four), "workspace") == part(estimate(cfg, four_plain), "workspace"));
  nf4.erase("bitsandbytes");
  CHECK(part(estimate(cfg, nf4), "workspace") == part(estimate(cfg, bf_plain), "workspace") + 150994944ULL * 2);
}

TEST_CASE("bitsandbytes loads without a dtype in fp16; the config's compute dtype is read", "[bnb][inference]") {
  // A config without torch_dtype (gpt2-large's): with bitsandbytes transformers loads it in fp16, not refused.
  json gpt2 = json::parse(read_text("fixtures/configs/gpt2.json"));
  gpt2.erase("torch_dtype");
  // without bnb: the checkpoint's dtype transformers loads, fp32 (test_launch.cpp, dtype_default_engine)
  CHECK(call("estimate", gpt2.dump(), {{"context", 64}})["settings"]["dtype"] == "fp32");
  const json r = estimate(gpt2.dump(), {{"quant", "bnb-nf4"}, {"context", 64}});
  CHECK(r["settings"]["dtype"] == "fp16");
  CHECK(has_assumption(r, "bnb_fp16_load"));
  // transformers 4.x overrides even a config's torch_dtype (from_pretrained's torch_dtype=None).
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  CHECK(estimate(llama, {{"quant", "bnb-nf4"}, {"transformers", "4.44"}})["settings"]["dtype"] == "fp16");
  CHECK(estimate(llama, {{"quant", "bnb-nf4"}})["settings"]["dtype"] == "bf16");
  // A quantization_config's bnb_4bit_compute_dtype is used.
  json cfg = json::parse(llama);
  cfg["quantization_config"] = {{"quant_method", "bitsandbytes"},
                                {"load_in_4bit", true},
                                {"bnb_4bit_quant_type", "nf4"},
                                {"bnb_4bit_compute_dtype", "bfloat16"}};
  const json q = estimate(cfg.dump(), {{"context", 512}});
  CHECK_FALSE(has_assumption(q, "bnb_compute_dtype_default"));
}

}  // namespace test_bnb
