// vLLM's KV-cache budget as its releases size it (core/src/memory/vllm.cpp, docs/ESTIMATION.md "vLLM"):
// engine_report in vLLM's own terms, the budget's terms as parts, 0.19 against the newest release, the
// scheduler defaults of arg_utils.py, the solver's KV capacity, bad values, and public vLLM logs
// (tests/fixtures/measurements.json rows whose profile sets a vllm release).
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "support.hpp"

namespace test_vllm {

using gpumem::test::call;
using gpumem::test::part;
using gpumem::test::read_json;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

const json kLlama31 = {{"engine", "vllm"}, {"gpu", "RTX 4090"}, {"dtype", "bf16"}};

json estimate(const std::string& config, const json& options) {
  const json r = call("estimate", read_text("fixtures/configs/" + config), options);
  INFO(r.dump().substr(0, 400));
  REQUIRE(r["ok"] == true);
  return r;
}

bool said(const json& r, const std::string& code) {
  for (const auto& a : r["assumptions"])
    if (a["code"] == code) return true;
  return false;
}

uint64_t term(const json& r, const char* id) { return r["engine_report"]["terms"][id].get<uint64_t>(); }

std::string commas(uint64_t n) {
  std::string s = std::to_string(n);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return s;
}

}  // namespace

TEST_CASE("Llama-3.1-8B on an RTX 4090: engine_report in vLLM's terms, its terms the parts", "[vllm]") {
  const json r = estimate("llama-3.1-8b.json", kLlama31);
  REQUIRE(r.contains("engine_report"));
  const json& v = r["engine_report"];
  for (const char* key : {"kv_cache_bytes", "kv_cache_tokens", "max_model_len", "max_concurrency", "terms"})
    CHECK(v.contains(key));
  CHECK(v["release"] == "0.27");
  // Whole blocks of 16 tokens, as many as the available memory holds and not one more.
  const uint64_t per_token = r["kv_bytes_per_token"].get<uint64_t>();  // 32 × 2 × 8 × 128 × 2 = 131,072
  CHECK(per_token == 131072);
  const uint64_t tokens = v["kv_cache_tokens"].get<uint64_t>(), bytes = v["kv_cache_bytes"].get<uint64_t>();
  CHECK(tokens % 16 == 0);
  CHECK(tokens * per_token <= bytes);
  CHECK((tokens + 16) * per_token > bytes);
  CHECK(v["num_blocks"].get<uint64_t>() * 16 == tokens);
  // The budget: total × gpu_memory_utilization, the terms summing to it, each term the part of that id.
  const uint64_t total = v["total_bytes"].get<uint64_t>(), requested = v["requested_bytes"].get<uint64_t>();
  CHECK(requested == static_cast<uint64_t>(std::floor(static_cast<double>(total) * 0.9)));
  uint64_t sum = 0;
  for (const auto& [id, b] : v["terms"].items()) {
    INFO(id);
    sum += b.get<uint64_t>();
    CHECK(part(r, id) == b.get<uint64_t>());
  }
  CHECK(sum == requested);
  CHECK(r["memory"]["total_bytes"].get<uint64_t>() == requested);
  CHECK(term(r, "kv_cache") == bytes);
  for (const auto& p : r["memory"]["parts"]) {
    INFO(p["id"]);
    CHECK_FALSE(p["formula"].get<std::string>().empty());
    CHECK(p["source"].get<std::string>().find("vLLM") != std::string::npos);
  }
  // Every term is vLLM's: weights, the profiling run's forward (2,048 tokens, `vllm serve` on a GPU under
  // 70 GiB) and its sampler warm-up over 256 rows, non-torch memory, the CUDA-graph estimate (0.21 on).
  CHECK(v["max_num_batched_tokens"] == 2048);
  CHECK(v["max_num_seqs"] == 256);
  CHECK(term(r, "workspace") == 2048ULL * (3 * 4096 + 4096 + 2048 + 3 * 14336) * 2);
  CHECK(term(r, "logits") == 256ULL * 128256 * (2 + 36) + 2048ULL * 4096 * 2 - term(r, "workspace"));
  CHECK(term(r, "cuda_graphs") == 512ULL << 20);
  // Full attention: the largest --max-model-len is the cache's tokens; the concurrency at 4,096 tokens is
  // the blocks over 256 blocks per request, to two decimals, as the log prints it.
  CHECK(v["max_model_len"] == tokens);
  CHECK(v["concurrency_tokens"] == 4096);
  CHECK(v["max_concurrency"].get<double>() ==
        Approx(std::round(static_cast<double>(tokens / 16) / 256 * 100) / 100).margin(1e-9));
  CHECK(v["log"][1] == "GPU KV cache size: " + commas(tokens) + " tokens");
  CHECK(v["log"][2].get<std::string>().rfind("Maximum concurrency for 4,096 tokens per request: ", 0) == 0);
  CHECK(said(r, "vllm_budget"));
  CHECK(said(r, "vllm_batching_default"));
}

TEST_CASE("vLLM 0.19 and the newest release (--vllm) differ only in the CUDA-graph term", "[vllm]") {
  json o = kLlama31;
  const json now = estimate("llama-3.1-8b.json", o);
  o["vllm"] = "0.19";
  const json old = estimate("llama-3.1-8b.json", o);
  CHECK(old["engine_report"]["release"] == "0.19");
  for (const auto& [id, b] : now["engine_report"]["terms"].items()) {
    INFO(id);
    if (id == "cuda_graphs") {
      CHECK(b.get<uint64_t>() == 512ULL << 20);  // counted from 0.21 (VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS)
      CHECK(old["engine_report"]["terms"][id] == 0);
    } else if (id == "kv_cache") {
      CHECK(old["engine_report"]["terms"][id].get<uint64_t>() == b.get<uint64_t>() + (512ULL << 20));
    } else {
      CHECK(old["engine_report"]["terms"][id] == b);
    }
  }
  // 0.19 captures its graphs outside the budget; the newest counts them inside.
  CHECK(old["engine_report"]["outside_budget"]["cuda_graphs"] == 512ULL << 20);
  CHECK(now["engine_report"]["outside_budget"]["cuda_graphs"] == 0);
  CHECK(old["engine_report"]["kv_cache_tokens"].get<uint64_t>() > now["engine_report"]["kv_cache_tokens"]);
  // "current", "0.27" and no value are the same release; 0.20 budgets as 0.19, 0.21 as the newest.
  for (const char* same : {"current", "0.27", "0.21", "0.24.1"}) {
    json q = kLlama31;
    q["vllm"] = same;
    CHECK(estimate("llama-3.1-8b.json", q)["engine_report"]["terms"] == now["engine_report"]["terms"]);
  }
  json q = kLlama31;
  q["vllm"] = "0.20";
  CHECK(estimate("llama-3.1-8b.json", q)["engine_report"]["terms"] == old["engine_report"]["terms"]);
}

TEST_CASE("fit --solve context answers with the KV capacity in tokens, --solve batch with the concurrency",
          "[vllm][fit]") {
  const std::string text = read_text("fixtures/configs/llama-3.1-8b.json");
  const json e = estimate("llama-3.1-8b.json", kLlama31);
  json o = kLlama31;
  o["solve"] = "context";
  const json f = call("fit", text, o);
  REQUIRE(f["ok"] == true);
  CHECK(f["engine_report"] == e["engine_report"]);
  // The model's limit (131,072) is above the cache's 37,056 tokens: the cache binds.
  CHECK(f["max_context"] == e["engine_report"]["kv_cache_tokens"]);
  CHECK(f["binding"] == "kv_cache");
  CHECK(f["capacity"]["bytes"] == e["engine_report"]["requested_bytes"]);
  // At the answer the request still fits the budget; 16 tokens more need a block vLLM does not have.
  json at = kLlama31;
  at["context"] = f["max_context"];
  const json fits = estimate("llama-3.1-8b.json", at);
  CHECK(fits["memory"]["total_bytes"] == e["engine_report"]["requested_bytes"]);
  CHECK_FALSE(said(fits, "vllm_max_model_len"));
  at["context"] = f["max_context"].get<uint64_t>() + 16;
  const json over = estimate("llama-3.1-8b.json", at);
  CHECK(over["memory"]["total_bytes"].get<uint64_t>() > e["engine_report"]["requested_bytes"].get<uint64_t>());
  CHECK(said(over, "vllm_max_model_len"));
  // The largest batch of 4,096-token sequences: the whole part of the maximum concurrency.
  o["solve"] = "batch";
  const json b = call("fit", text, o);
  REQUIRE(b["ok"] == true);
  CHECK(b["max_batch"] == static_cast<uint64_t>(e["engine_report"]["max_concurrency"].get<double>()));
}

TEST_CASE("max_num_batched_tokens and max_num_seqs follow vLLM's arg_utils defaults", "[vllm][options]") {
  struct Case {
    json options;
    uint64_t tokens, seqs;
  };
  const json base = {{"engine", "vllm"}, {"dtype", "bf16"}};
  auto with = [&](json more) {
    json o = base;
    o.update(more);
    return o;
  };
  for (const Case& c : {
           Case{with({{"gpu", "RTX 4090"}}), 2048, 256},                                 // serve, under 70 GiB
           Case{with({{"gpu", "RTX 4090"}, {"vllm_entrypoint", "llm"}}), 8192, 256},     // the LLM class
           Case{with({{"gpu", "H100 80GB"}}), 8192, 1024},                               // ≥ 70 GiB
           Case{with({{"gpu", "H100 80GB"}, {"vllm_entrypoint", "llm"}}), 16384, 1024},  //
           Case{with({{"gpu", "A100 80GB"}}), 2048, 256},                                // A100s keep the small ones
           Case{with({{"gpu", "RTX 4090"}, {"context", 4}}), 1024, 256},  // ≤ max_num_seqs × max_model_len
           Case{with({{"gpu", "RTX 4090"}, {"max_num_batched_tokens", 100}}), 100, 100},  // seqs ≤ tokens
           Case{with({{"gpu", "RTX 4090"}, {"max_num_seqs", 8}, {"max_num_batched_tokens", 4096}}), 4096, 8},
       }) {
    INFO(c.options.dump());
    const json r = estimate("llama-3.1-8b.json", c.options);
    CHECK(r["engine_report"]["max_num_batched_tokens"] == c.tokens);
    CHECK(r["engine_report"]["max_num_seqs"] == c.seqs);
    CHECK(said(r, "vllm_batching_default") == !(c.options.contains("max_num_seqs")));
  }
  // Without a GPU, vLLM's own fallback (serve: 2,048 and 256): the forward of 2,048 tokens is the workspace.
  const json none = estimate("llama-3.1-8b.json", base);
  CHECK_FALSE(none.contains("engine_report"));
  CHECK(part(none, "workspace") == 2048ULL * (3 * 4096 + 4096 + 2048 + 3 * 14336) * 2);
}

TEST_CASE("without a GPU the KV part is the request's, and vLLM's sizing from the GPU is said", "[vllm]") {
  const json r =
      estimate("llama-3.1-8b.json", {{"engine", "vllm"}, {"dtype", "bf16"}, {"context", 8192}, {"batch", 3}});
  CHECK(part(r, "kv_cache") == 131072ULL * 8192 * 3);
  CHECK(said(r, "vllm_needs_gpu"));
  // The fits-on table compares that total with each GPU's total × gpu_memory_utilization.
  const json f = call("fit", read_text("fixtures/configs/llama-3.1-8b.json"),
                      {{"engine", "vllm"}, {"dtype", "bf16"}, {"context", 8192}, {"batch", 3}});
  REQUIRE(f["ok"] == true);
  for (const auto& row : f["table"])
    CHECK(row["fits"] == (r["memory"]["total_bytes"].get<uint64_t>() <= row["usable"]["bytes"].get<uint64_t>()));
}

TEST_CASE("vLLM's own refusals: no memory for the cache, utilization above the free memory", "[vllm]") {
  // Llama-3.1-8B bf16 on a 16 GiB card: the weights alone exceed 0.9 × the total.
  const json r = estimate("llama-3.1-8b.json", {{"engine", "vllm"}, {"dtype", "bf16"}, {"gpu", "RTX 4080"}});
  CHECK(r["engine_report"]["kv_cache_tokens"] == 0);
  CHECK(r["engine_report"]["startable"] == false);
  CHECK(said(r, "vllm_no_cache_memory"));
  CHECK(r["memory"]["total_bytes"].get<uint64_t>() > r["engine_report"]["requested_bytes"].get<uint64_t>());
  // 0.99 of a 24 GiB card leaves less free at start-up than it requests (the CUDA context is already there).
  const json u =
      estimate("qwen3-0.6b.json",
               {{"engine", "vllm"}, {"dtype", "bf16"}, {"gpu", "RTX 4090"}, {"gpu_memory_utilization", 0.99}});
  CHECK(said(u, "vllm_not_startable"));
  CHECK(u["engine_report"]["startable"] == false);
}

TEST_CASE("sliding windows and pipeline stages keep vLLM's arithmetic", "[vllm][pp]") {
  // Gemma-2-9b: half the layers slide over 4,096 tokens; a block counts 16 tokens over all 42 layers, and one
  // request's cache caps its sliding layers, so the largest --max-model-len exceeds the cache's tokens.
  const json g = estimate("gemma-2-9b.json", {{"engine", "vllm"}, {"dtype", "bf16"}, {"gpu", "A100 80GB"}});
  const json& v = g["engine_report"];
  CHECK(v["kv_cache_tokens"].get<uint64_t>() * g["kv_bytes_per_token"].get<uint64_t>() <=
        v["kv_cache_bytes"].get<uint64_t>());
  CHECK(v["max_model_len"].get<uint64_t>() > v["kv_cache_tokens"].get<uint64_t>());
  CHECK(said(g, "vllm_kv_groups"));
  // Llama-3.1-70B over tp 2 × pp 2: every stage fills the same budget; the tokens are the fewest blocks'.
  const json p = estimate("llama-3.1-70b.json",
                          {{"engine", "vllm"}, {"dtype", "bf16"}, {"gpu", "H100 80GB"}, {"tp", 2}, {"pp", 2}});
  const uint64_t requested = p["engine_report"]["requested_bytes"].get<uint64_t>();
  for (const auto& s : p["stages"]) CHECK(s["total_bytes"] == requested);
  CHECK(p["engine_report"]["kv_cache_tokens"].get<uint64_t>() > 0);
}

TEST_CASE("bad vLLM options name the option", "[vllm][errors]") {
  const std::string text = read_text("fixtures/configs/llama-3.1-8b.json");
  struct Case {
    json options;
    const char* path;
  };
  for (const Case& c :
       {Case{{{"engine", "vllm"}, {"vllm", "0.18"}}, "/options/vllm"},
        Case{{{"engine", "vllm"}, {"vllm", "0.28"}}, "/options/vllm"},
        Case{{{"engine", "vllm"}, {"vllm", "1.0"}}, "/options/vllm"},
        Case{{{"engine", "vllm"}, {"vllm", "latest"}}, "/options/vllm"},
        Case{{{"engine", "hf"}, {"vllm", "0.5"}}, "/options/vllm"},
        Case{{{"engine", "vllm"}, {"max_num_seqs", 0}}, "/options/max_num_seqs"},
        Case{{{"engine", "vllm"}, {"max_num_batched_tokens", "many"}}, "/options/max_num_batched_tokens"},
        Case{{{"engine", "vllm"}, {"vllm_entrypoint", "cli"}}, "/options/vllm_entrypoint"}}) {
    INFO(c.options.dump());
    const json r = call("estimate", text, c.options);
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "bad_request");
    CHECK(r["error"]["path"] == c.path);
  }
}

// Public vLLM start-up logs (measurements.json rows whose profile sets a vllm release): "Available KV cache
// memory" within each row's tolerance. The GPU's total is the one the log prints (setup.gpu_memory).
TEST_CASE("public vLLM logs: the available KV cache memory within tolerance", "[vllm][measurements]") {
  int compared = 0;
  for (const auto& m : read_json("fixtures/measurements.json")) {
    if (m["what"] != "vLLM Available KV cache memory") continue;
    const json& s = m["setup"];
    json o = {{"engine", "vllm"},
              {"profile", m["profile"]},
              {"dtype", s["dtype"]},
              {"gpu", s["gpu"]},
              {"gpu_memory", s["gpu_memory"]},
              {"gpu_memory_utilization", s["gpu_memory_utilization"]},
              {"context", s["max_model_len"]}};
    const json r = call("estimate", read_text("fixtures/" + m["config"].get<std::string>()), o);
    INFO(m["model"] << " " << o.dump());
    REQUIRE(r["ok"] == true);
    const double est = r["engine_report"]["kv_cache_bytes"].get<double>();
    const double want = m["value"].get<double>() * 1073741824.0;
    INFO("estimate " << est / 1073741824.0 << " GiB, logged " << m["value"] << " GiB");
    CHECK(std::abs(est / want - 1) <= m["tolerance"].get<double>());
    ++compared;
  }
  CHECK(compared == 3);
}

}  // namespace test_vllm
