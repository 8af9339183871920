// Formulas as data (core/include/gpumem/base/formula.hpp): a formula's segments render, concatenated, to the
// English line, and every part the façade emits carries formula_text and source_text that render to its
// "formula" and "source" strings (tests/node/core-text-memory.test.mjs sweeps every fixture and the zh side).
#include <catch2/catch.hpp>
#include <string>

#include "gpumem/api.hpp"
#include "gpumem/base/formula.hpp"
#include "gpumem/memory/memory.hpp"
#include "support.hpp"

namespace test_formula_text {

using gpumem::Formula;
using gpumem::render;
using gpumem::Text;
using gpumem::txt;
using gpumem::test::call;
using gpumem::test::read_text;
using gpumem::test::text_from_json;
using nlohmann::json;

namespace {

// Every {x_text, x} pair in a result renders to x; returns how many were checked.
int check_formulas(const json& j) {
  int n = 0;
  if (j.is_array())
    for (const auto& x : j) n += check_formulas(x);
  if (!j.is_object()) return n;
  for (const char* key : {"formula", "source", "typical_peak_formula", "measurement", "recipe", "bytes_per_param"}) {
    const std::string tk = std::string(key) + "_text";
    if (!j.contains(tk) || j[tk].is_null()) continue;
    INFO(j[tk].dump());
    CHECK(render(text_from_json(j[tk])) == j[key].get<std::string>());
    ++n;
  }
  for (const auto& [k, v] : j.items()) n += check_formulas(v);
  return n;
}

}  // namespace

TEST_CASE("a formula's segments render, concatenated, to its English line", "[formula_text]") {
  Formula f = txt("formula.kv.group", {{"layers", "32"}, {"per_token", "4,096"}, {"tokens", "8"}});
  CHECK(f.text().id == "formula.kv.group");  // one segment is its own text
  f += txt("formula.plus");
  f += Formula(txt("formula.kv.state", {{"bytes", "10"}, {"seqs", "2"}}));
  f += Text();  // an empty text adds nothing
  CHECK(f.segs.size() == 3);
  CHECK(f.str() == "32 layers × 4,096 B/token × 8 tokens + 10 B recurrent state × 2 seqs");
  CHECK(f.text().id == "list.concat");
  CHECK(render(f.text()) == f.str());
  CHECK(Formula().text().empty());
  const gpumem::MemoryPart p = gpumem::make_part("kv_cache", 1, f, txt("source.kv.hf"));
  CHECK(p.formula == f.str());
  CHECK(p.source == "transformers cache_utils.py (DynamicCache, sliding layers capped)");
  CHECK(gpumem::make_part("logits", 0, Formula(), Text()).formula.empty());
}

TEST_CASE("every part's formula_text and source_text render to its formula and source", "[formula_text]") {
  int n = 0;
  for (const char* cfg : {"fixtures/configs/llama-2-7b.json", "fixtures/configs/mixtral-8x7b-v0.1.json",
                          "fixtures/configs/gemma-2-9b.json", "fixtures/configs/mamba-130m-hf.json"}) {
    const std::string text = read_text(cfg);
    for (const char* engine : {"hf", "vllm", "llamacpp"}) {
      n += check_formulas(call("estimate", text, {{"engine", engine}, {"dtype", "bf16"}}));
      n += check_formulas(call("estimate", text, {{"engine", engine}, {"dtype", "bf16"}, {"gpu", "RTX 4090"}}));
      n += check_formulas(call("estimate", text, {{"engine", engine}, {"dtype", "fp16"}, {"quant", "bnb-nf4"}}));
      n += check_formulas(call("estimate", text, {{"engine", engine}, {"dtype", "bf16"}, {"tp", 2}}));
    }
    n += check_formulas(call("estimate", text, {{"mode", "train"}, {"lora_rank", 16}, {"quant", "bnb-nf4"}}));
    n += check_formulas(call("estimate", text, {{"mode", "train"}, {"zero", 3}, {"gpus", 4}, {"offload", "params"}}));
    n += check_formulas(call("estimate", text, {{"mode", "weights"}, {"dtype", "int4"}}));
  }
  CHECK(n > 300);
}

}  // namespace test_formula_text
