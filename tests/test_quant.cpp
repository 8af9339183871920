// Quantized weight storage: the layout sums back to the parameter count for every fixture, and the
// per-format sizes follow from the block layouts.
#include <catch2/catch.hpp>
#include <filesystem>

#include "gpumem/config_reader.hpp"
#include "gpumem/params.hpp"
#include "gpumem/quant.hpp"
#include "support.hpp"

using namespace gpumem;

namespace {

ModelSpec fixture_model(const std::string& name) {
  std::vector<Assumption> notes;
  return read_config(parse_json_text(test::read_text("fixtures/configs/" + name), &notes)).model;
}

}  // namespace

TEST_CASE("weight layout sums to the parameter count for every fixture", "[quant]") {
  for (const auto& e : std::filesystem::directory_iterator(std::string(GPUMEM_TEST_DIR) + "/fixtures/configs")) {
    const std::string name = e.path().filename().string();
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
      const QuantizedWeights q = quantized_weights(m, {*find_quant(id), 16});
      CHECK(q.quantized_params + q.kept_params == count_params(m).total);
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
