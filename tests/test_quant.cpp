// Quantized weight storage: the layout sums back to the parameter count for every fixture, and the
// per-format sizes follow from the block layouts.
#include <catch2/catch.hpp>

#include "gpumem/base/error.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/model/config_reader.hpp"
#include "gpumem/model/params.hpp"
#include "support.hpp"

namespace test_quant {

using namespace gpumem;

namespace {

ModelSpec fixture_model(const std::string& name) {
  std::vector<Assumption> notes;
  return read_config(parse_json_text(test::read_text("fixtures/configs/" + name), &notes)).model;
}

}  // namespace

TEST_CASE("weight layout sums to the parameter count for every fixture", "[quant]") {
  for (const auto& entry : test::read_json("fixtures/truth.json")) {
    const std::string path = test::config_path(entry["config"]);
    const std::string name = path.substr(path.find_last_of('/') + 1);
    INFO(name);
    const ModelSpec m = fixture_model(name);
    const WeightLayout w = weight_layout(m);
    uint64_t sum = w.embd_rows * w.embd_cols + w.lm_head + w.other;
    for (const auto& lm : w.layers) {
      uint64_t per = lm.other;
      for (const auto& x : lm.matrices) per += x.params();
      sum += per * lm.run.count();
    }
    CHECK(sum == count_params(m).total);
    const QuantizedWeights none = quantized_weights(m, {QuantMethod::none, 16});
    CHECK(none.bytes == count_params(m).total * 2);
    for (const auto& id : quant_ids()) {
      INFO(id);
      try {
        const QuantizedWeights q = quantized_weights(m, {*find_quant(id), 16});
        CHECK(q.quantized_params + q.kept_params == count_params(m).total);
      } catch (const Error& e) {
        // llama-quantize refuses a 32-block type for rows that are not whole blocks (Mamba's dt_proj: 48).
        CHECK(e.code() == code::bad_request);
        CHECK(id.rfind("gguf-", 0) == 0);
      }
    }
  }
}

TEST_CASE("quantized sizes of Llama-2-7b follow the block layouts", "[quant]") {
  const ModelSpec m = fixture_model("llama-2-7b.json");
  const uint64_t total = count_params(m).total;
  const uint64_t embd = 32000ULL * 4096;
  const uint64_t blocks = total - 2 * embd - 65 * 4096;  // the 32 layers' matrices (norms excluded)
  // Q8_0 everywhere but the output (Q8_0 too): 34 bytes per 32 values, norms F32.
  const QuantizedWeights q8 = quantized_weights(m, {QuantMethod::gguf_q8_0, 16});
  CHECK(q8.bytes == (blocks + 2 * embd) / 32 * 34 + 65 * 4096 * 4);
  // bnb-nf4 without nested quantization: 4.5 bits per matrix value; embeddings, lm_head, norms fp16.
  const QuantizedWeights nf4 = quantized_weights(m, {QuantMethod::bnb_nf4, 16});
  CHECK(nf4.quantized_params == blocks);
  CHECK(nf4.bytes == blocks / 2 + blocks / 64 * 4 + (2 * embd + 65 * 4096) * 2);
  QuantSpec dq{QuantMethod::bnb_nf4, 16};
  dq.double_quant = true;
  CHECK(quantized_weights(m, dq).bytes < nf4.bytes);
  // Q4_K_M lies between Q4_K everywhere and Q6_K everywhere.
  const QuantizedWeights q4km = quantized_weights(m, {QuantMethod::gguf_q4_k_m, 16});
  const QuantizedWeights q6k = quantized_weights(m, {QuantMethod::gguf_q6_k, 16});
  CHECK(q4km.bytes > (blocks + embd) / 256 * 144);
  CHECK(q4km.bytes < q6k.bytes);
}

namespace {

// Params and bytes of one "GGUF <type>" term (0, 0 when the type is not used).
std::pair<uint64_t, uint64_t> gguf_term(const QuantizedWeights& q, const std::string& type) {
  for (const auto& t : q.terms)
    if (t.what == "GGUF " + type) return {t.params, t.bytes};
  return {0, 0};
}

QuantSpec spec(QuantMethod m) { return QuantSpec{m, 16}; }

QuantConfig read_quant(const std::string& config_text) {
  auto r = read_quantization_config(nlohmann::json::parse(config_text));
  REQUIRE(r.has_value());
  return *r;
}

}  // namespace

// Llama-3-8B: 32 layers, n_embd 4096, 8 KV heads of 128, n_ff 14336, vocab 128256, untied.
// use_more_bits(i, 32) holds for i = 0-3, 6, 9, …, 27, 28-31: 16 layers.
TEST_CASE("Llama-3-8B Q4_K_M follows llama-quant.cpp tensor by tensor", "[quant][gguf]") {
  const ModelSpec m = fixture_model("llama-3-8b.json");
  const QuantizedWeights q = quantized_weights(m, spec(QuantMethod::gguf_q4_k_m));
  // Q6_K: 16 attn_v (4096 × 1024) + 16 ffn_down (14336 × 4096) + output (128256 × 4096).
  CHECK(gguf_term(q, "Q6_K").first == 16ULL * 4194304 + 16ULL * 58720256 + 525336576);  // 1,531,969,536
  CHECK(gguf_term(q, "Q6_K").second == 1531969536ULL / 256 * 210);                      // 1,256,693,760
  // Q4_K: the rest of the matrices and the token embedding.
  CHECK(gguf_term(q, "Q4_K").first == 6498025472ULL);
  CHECK(gguf_term(q, "Q4_K").second == 6498025472ULL / 256 * 144);  // 3,655,139,328
  CHECK(q.kept_params == 266240);                                   // 65 norms of 4096, F32
  // 3,655,139,328 + 1,256,693,760 + 1,064,960 = 4,912,898,048 bytes = 4.575 GiB.
  CHECK(q.bytes == 4912898048ULL);
  CHECK(q.quantized_params + q.kept_params == 8030261248ULL);
}

TEST_CASE("Q4_K_S, Q5_K_S, Q3_K_M and Q2_K mixes on Llama-3-8B", "[quant][gguf]") {
  const ModelSpec m = fixture_model("llama-3-8b.json");
  // Q4_K_S: attn_v of the first 4 attn_v tensors and ffn_down of layers < 32/8 = 4 in Q5_K.
  const QuantizedWeights s4 = quantized_weights(m, spec(QuantMethod::gguf_q4_k_s));
  CHECK(gguf_term(s4, "Q5_K").first == 4ULL * 4194304 + 4ULL * 58720256);  // 251,658,240
  CHECK(gguf_term(s4, "Q6_K").first == 525336576ULL);                      // output only
  CHECK(s4.bytes == 4079812608ULL + 173015040ULL + 430940160ULL + 1064960ULL);
  // Q5_K_S: only the output differs from the default type.
  const QuantizedWeights s5 = quantized_weights(m, spec(QuantMethod::gguf_q5_k_s));
  CHECK(gguf_term(s5, "Q6_K").first == 525336576ULL);
  CHECK(gguf_term(s5, "Q5_K").first == 8030261248ULL - 266240 - 525336576);
  // Q3_K_M: attn_v Q5_K for the first 2, Q4_K after; ffn_down Q5_K below 32/16 = 2, else Q4_K; attn_output Q4_K.
  const QuantizedWeights m3 = quantized_weights(m, spec(QuantMethod::gguf_q3_k_m));
  CHECK(gguf_term(m3, "Q5_K").first == 2ULL * 4194304 + 2ULL * 58720256);
  CHECK(gguf_term(m3, "Q4_K").first == 30ULL * 4194304 + 30ULL * 58720256 + 32ULL * 16777216);
  CHECK(gguf_term(m3, "Q3_K").first == 32ULL * (16777216 + 4194304 + 117440512) + 525336576);
  // Q2_K: n_gqa = 32/8 = 4 ≥ 4, so attn_v Q4_K; ffn_down Q3_K; attn_output Q3_K.
  const QuantizedWeights q2 = quantized_weights(m, spec(QuantMethod::gguf_q2_k));
  CHECK(gguf_term(q2, "Q4_K").first == 32ULL * 4194304);
  CHECK(gguf_term(q2, "Q3_K").first == 32ULL * (58720256 + 16777216));
  // Mixes are ordered by size.
  CHECK(q2.bytes < m3.bytes);
  CHECK(m3.bytes < s4.bytes);
  CHECK(s4.bytes < quantized_weights(m, spec(QuantMethod::gguf_q4_k_m)).bytes);
  CHECK(quantized_weights(m, spec(QuantMethod::gguf_q4_k_m)).bytes < s5.bytes);
}

// Qwen2-0.5B: n_embd 896 = 3.5 × 256, so every tensor whose rows are 896 values long falls back
// (Q4_K → Q5_0, Q6_K → Q8_0); ffn_down rows (4864 = 19 × 256) do not. Tied embeddings: typed as the output,
// which is Q8_0 because 896 is not whole Q4_K blocks. use_more_bits(i, 24): 0-2, 5, 8, …, 20, 21-23 = 12.
TEST_CASE("GGUF rows that are not whole 256-blocks fall back as llama-quantize does", "[quant][gguf]") {
  const ModelSpec m = fixture_model("qwen2-0.5b-instruct.json");
  const QuantizedWeights q = quantized_weights(m, spec(QuantMethod::gguf_q4_k_m));
  // Q5_0: q, k, o, gate, up of 24 layers + the 12 attn_v not picked by use_more_bits.
  CHECK(gguf_term(q, "Q5_0").first == 24ULL * (802816 + 114688 + 802816 + 8716288) + 12ULL * 114688);
  CHECK(gguf_term(q, "Q5_0").second == 251854848ULL / 32 * 22);
  // Q8_0: the other 12 attn_v (Q6_K → Q8_0) and the tied embedding (151936 × 896).
  CHECK(gguf_term(q, "Q8_0").first == 12ULL * 114688 + 136134656);
  CHECK(gguf_term(q, "Q6_K").first == 12ULL * 4358144);
  CHECK(gguf_term(q, "Q4_K").first == 12ULL * 4358144);
  CHECK(q.kept_params == 71552);  // q/k/v biases and norms, F32
  CHECK(q.bytes == 391859712ULL);
}

TEST_CASE("GGUF: legacy types refuse rows that are not whole blocks, K-quants fall back to F16", "[quant][gguf]") {
  const ModelSpec m = fixture_model("mamba-130m-hf.json");  // dt_proj rows: dt_rank 48 values
  try {
    quantized_weights(m, spec(QuantMethod::gguf_q4_0));
    FAIL("expected an error");
  } catch (const Error& e) {
    CHECK(e.code() == code::bad_request);
    CHECK(e.path() == "/options/quant");
    CHECK(std::string(e.what()).find("rows of 48 values") != std::string::npos);
  }
  const QuantizedWeights k = quantized_weights(m, spec(QuantMethod::gguf_q4_k_m));
  CHECK(gguf_term(k, "F16").first == 24ULL * 48 * 1536);  // Q4_K → Q5_0 → F16 for 24 dt_proj
}

TEST_CASE("GGUF: 8-expert, 70B, fused-QKV and router rules", "[quant][gguf]") {
  // Mixtral-8x7B: attn_v and attn_k Q8_0, attn_output Q5_K in Q4_K_M; routers stay F32.
  const ModelSpec mx = fixture_model("mixtral-8x7b-v0.1.json");
  const QuantizedWeights q = quantized_weights(mx, spec(QuantMethod::gguf_q4_k_m));
  CHECK(gguf_term(q, "Q8_0").first == 32ULL * 2 * 4096 * 1024);
  CHECK(gguf_term(q, "Q5_K").first == 32ULL * 4096 * 4096);
  CHECK(q.kept_params == 32ULL * (8 * 4096 + 2 * 4096) + 4096);  // routers + norms
  // Llama-2-70B (80 layers, GQA): attn_v Q4_K → Q5_K; 40 of 80 attn_v Q6_K by use_more_bits.
  const ModelSpec l70 = fixture_model("llama-2-70b.json");
  const QuantizedWeights q70 = quantized_weights(l70, spec(QuantMethod::gguf_q4_k_m));
  CHECK(gguf_term(q70, "Q5_K").first == 40ULL * 8192 * 1024);
  // Phi-3-mini: one fused attn_qkv per layer, typed as attn_v: Q6_K in the 16 use_more_bits layers.
  const ModelSpec phi = fixture_model("phi-3-mini-4k-instruct.json");
  const QuantizedWeights qp = quantized_weights(phi, spec(QuantMethod::gguf_q4_k_m));
  CHECK(gguf_term(qp, "Q6_K").first == 16ULL * 3 * 3072 * 3072 + 16ULL * 8192 * 3072 + 32064ULL * 3072);
}

// gpt-oss-20b: 24 layers of 32 experts, gate_up 2880 → 2 × 2880 and down 2880 → 2880 each.
TEST_CASE("gpt-oss mxfp4 converts the experts only: 17 bytes per 32 values", "[quant][mxfp4]") {
  const ModelSpec m = fixture_model("gpt-oss-20b.json");
  const QuantConfig c = read_quant(test::read_text("fixtures/configs/gpt-oss-20b.json"));
  CHECK(c.method == "mxfp4");
  CHECK(c.spec.method == QuantMethod::mxfp4);
  CHECK(c.spec.keep_attention);
  CHECK(c.notes.empty());
  QuantSpec q = c.spec;
  q.base_bits = 16;
  const QuantizedWeights w = quantized_weights(m, q);
  const uint64_t experts = 24ULL * 32 * 3 * 2880 * 2880;  // 19,110,297,600
  CHECK(w.quantized_params == experts);
  CHECK(w.terms[0].bytes == experts / 32 * 17);  // 10,152,345,600: 16 B of e2m1 pairs + 1 E8M0 byte
  CHECK(w.bytes == experts / 32 * 17 + (count_params(m).total - experts) * 2);
  // GGUF MXFP4_MOE: the same experts in MXFP4 (17 B / 32), everything else quantizable in Q8_0.
  const QuantizedWeights g = quantized_weights(m, spec(QuantMethod::gguf_mxfp4_moe));
  CHECK(gguf_term(g, "MXFP4").first == experts);
  CHECK(gguf_term(g, "MXFP4").second == experts / 32 * 17);
}

TEST_CASE("nvfp4: 16-value blocks with an E4M3 scale and two fp32 scalars per matrix", "[quant][nvfp4]") {
  const ModelSpec m = fixture_model("llama-3-8b.json");
  const QuantizedWeights w = quantized_weights(m, spec(QuantMethod::nvfp4));
  const uint64_t n = 32ULL * 218103808;  // the 7 matrices of 32 layers
  CHECK(w.terms[0].bytes == n / 2 + n / 16 + 32ULL * 7 * 8);
}

TEST_CASE("fp8 scales: per tensor, per output row in the stored dtype, per 128 × 128 block", "[quant][fp8]") {
  const ModelSpec m = fixture_model("llama-3-8b.json");
  const uint64_t n = 32ULL * 218103808;          // 6,979,321,856 matrix values
  const uint64_t kept = 1050673152ULL + 266240;  // embeddings, lm_head, norms
  // compressed-tensors FP8_DYNAMIC: strategy channel, scales in the weight dtype (bf16), lm_head ignored.
  const QuantConfig ch = read_quant(R"({"quantization_config": {"quant_method": "compressed-tensors",
      "format": "float-quantized", "ignore": ["lm_head"],
      "config_groups": {"group_0": {"targets": ["Linear"],
        "weights": {"num_bits": 8, "type": "float", "strategy": "channel", "dynamic": false, "symmetric": true},
        "input_activations": {"num_bits": 8, "type": "float", "strategy": "token", "dynamic": true}}}}})");
  CHECK(ch.spec.method == QuantMethod::fp8);
  CHECK(ch.spec.per_channel);
  CHECK(ch.spec.scale_bytes == 0);
  CHECK_FALSE(ch.spec.input_scale);
  QuantSpec q = ch.spec;
  q.base_bits = 16;
  // Output rows per layer: 4096 + 1024 + 1024 + 4096 + 2 × 14336 + 4096 = 43,008.
  CHECK(quantized_weights(m, q).bytes == n + 32ULL * 43008 * 2 + kept * 2);  // 9,083,953,152
  // fbgemm_fp8: fp32 scale per row and one fp32 input_scale_ub per Linear.
  const QuantConfig fb = read_quant(R"({"quantization_config": {"quant_method": "fbgemm_fp8",
      "activation_scale_ub": 1200.0, "modules_to_not_convert": ["lm_head"]}})");
  q = fb.spec;
  q.base_bits = 16;
  CHECK(quantized_weights(m, q).bytes == n + 32ULL * 43008 * 4 + 32ULL * 7 * 4 + kept * 2);
  // vLLM fp8, static activations: one fp32 weight scale and one fp32 input scale per Linear.
  const QuantConfig st = read_quant(R"({"quantization_config": {"quant_method": "fp8",
      "activation_scheme": "static"}})");
  q = st.spec;
  q.base_bits = 16;
  CHECK(quantized_weights(m, q).bytes == n + 32ULL * 7 * 8 + kept * 2);
  // DeepSeek-V3 style blocks: q_proj 4096 → 4096 has 32 × 32 fp32 scales; k_proj 4096 → 1024 has 32 × 8.
  const QuantConfig bl = read_quant(R"({"quantization_config": {"quant_method": "fp8",
      "activation_scheme": "dynamic", "weight_block_size": [128, 128]}})");
  q = bl.spec;
  q.base_bits = 16;
  CHECK(q.block == 128);
  CHECK(q.block_out == 128);
  // Per layer: q, o 32·32 each; k, v 32·8 each; gate, up, down 32·112 each → 13,312 blocks.
  CHECK(quantized_weights(m, q).bytes == n + 32ULL * 13312 * 4 + kept * 2);
}

TEST_CASE("ignore / modules_to_not_convert lists keep what they name", "[quant]") {
  namespace mc = module_class;
  CHECK(parse_keep_rule("model.layers.*.self_attn") == KeepRule{-1, mc::attention});
  CHECK(parse_keep_rule("model.layers.*.mlp.router") == KeepRule{-1, mc::router});
  CHECK(parse_keep_rule("re:.*mlp.gate$") == KeepRule{-1, mc::router});
  CHECK(parse_keep_rule("model.layers.3.mlp") ==
        KeepRule{3, mc::mlp_gate_up | mc::mlp_down | mc::shexp_gate_up | mc::shexp_down | mc::exp_gate_up |
                        mc::exp_down | mc::router});
  CHECK(parse_keep_rule("model.layers.0.self_attn.q_proj") == KeepRule{0, mc::attn_q});
  CHECK(parse_keep_rule("model.layers.2.mlp.shared_experts.down_proj") == KeepRule{2, mc::shexp_down});
  CHECK(parse_keep_rule("transformer.h.5.attn.c_proj") == KeepRule{5, mc::attn_o});
  CHECK(parse_keep_rule("lm_head").classes == 0);
  CHECK(parse_keep_rule("something_else").classes == 0);
  // Llama-3-8B in fp8 per tensor with layer 0's MLP kept in bf16: 176,160,768 values move to 2 bytes.
  const ModelSpec m = fixture_model("llama-3-8b.json");
  const QuantConfig c = read_quant(R"({"quantization_config": {"quant_method": "fp8",
      "modules_to_not_convert": ["model.layers.0.mlp", "lm_head", "vision_tower", "mystery"]}})");
  REQUIRE(c.notes.size() == 1);
  CHECK(c.notes[0] == "mystery");
  QuantSpec q = c.spec;
  q.base_bits = 16;
  const QuantizedWeights w = quantized_weights(m, q);
  CHECK(w.quantized_params == 32ULL * 218103808 - 176160768);
  CHECK(w.kept_params == 1050673152ULL + 266240 + 176160768);
}

TEST_CASE("malformed quantization_config values are errors naming the key", "[quant][errors]") {
  auto err = [](const std::string& text) -> std::pair<std::string, std::string> {
    try {
      read_quantization_config(nlohmann::json::parse(text));
    } catch (const Error& e) {
      return {e.code(), e.path()};
    }
    return {"", ""};
  };
  CHECK(err(R"({"quantization_config": {"quant_method": "fp8", "weight_block_size": [0, 128]}})") ==
        std::pair<std::string, std::string>{code::invalid_value, "/quantization_config/weight_block_size/0"});
  CHECK(err(R"({"quantization_config": {"quant_method": "fp8", "weight_block_size": 128}})") ==
        std::pair<std::string, std::string>{code::wrong_type, "/quantization_config/weight_block_size"});
  CHECK(err(R"({"quantization_config": {"quant_method": "gptq", "bits": 5}})") ==
        std::pair<std::string, std::string>{code::invalid_value, "/quantization_config/bits"});
  CHECK(err(R"({"quantization_config": {"quant_method": "mxfp4", "modules_to_not_convert": "lm_head"}})") ==
        std::pair<std::string, std::string>{code::wrong_type, "/quantization_config/modules_to_not_convert"});
  CHECK(err(R"({"quantization_config": {"quant_method": "compressed-tensors", "config_groups": {"g": {"weights":
        {"num_bits": 8, "type": "float", "strategy": "group", "group_size": 128}}}}})") ==
        std::pair<std::string, std::string>{code::invalid_value,
                                            "/quantization_config/config_groups/g/weights/strategy"});
  CHECK(err(R"({"quantization_config": {"quant_method": "compressed-tensors", "config_groups": {"g": {"weights":
        {"num_bits": 8, "type": "float", "strategy": "channel", "scale_dtype": "int8"}}}}})") ==
        std::pair<std::string, std::string>{code::invalid_value,
                                            "/quantization_config/config_groups/g/weights/scale_dtype"});
  CHECK(err(R"({"quantization_config": [1]})") ==
        std::pair<std::string, std::string>{code::wrong_type, "/quantization_config"});
  // Unknown methods are not errors: the weights are counted unquantized.
  CHECK_FALSE(read_quantization_config(nlohmann::json::parse(R"({"quantization_config": {"quant_method": "hqq"}})")));
  CHECK_FALSE(read_quantization_config(nlohmann::json::parse(R"({"model_type": "llama"})")));
}

TEST_CASE("every GGUF id is listed and round-trips", "[quant][gguf]") {
  for (const char* id : {"gguf-q2_k", "gguf-q3_k_s", "gguf-q3_k_m", "gguf-q3_k_l", "gguf-q4_k_s", "gguf-q5_k_s",
                         "gguf-q4_1", "gguf-q5_0", "gguf-q5_1", "gguf-mxfp4_moe"}) {
    INFO(id);
    REQUIRE(find_quant(id).has_value());
    CHECK(quant_id(*find_quant(id)) == id);
  }
}

}  // namespace test_quant
