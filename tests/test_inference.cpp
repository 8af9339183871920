// Inference memory: exact KV cache sizes, the seed's weight-load figure, the published inference
// measurements (tests/fixtures/measurements.json), parts summing to the total, and the inverse solver.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>
#include <vector>

#include "gpumem/memory/inference.hpp"
#include "support.hpp"

namespace test_inference {

using gpumem::test::call;
using gpumem::test::part;
using gpumem::test::read_json;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

double to_bytes(double value, const std::string& unit) {
  if (unit == "MiB") return value * 1048576.0;
  if (unit == "GiB") return value * 1073741824.0;
  if (unit == "MB") return value * 1e6;
  if (unit == "GB") return value * 1e9;
  if (unit == "bytes") return value;
  FAIL("unknown unit " << unit);
  return 0;
}

// A synthetic Mistral-Small-24B text config: 40 layers, 8 KV heads, head_dim 128, bf16.
const char* kMistralSmall = R"({"model_type":"mistral","num_hidden_layers":40,"hidden_size":5120,
  "num_attention_heads":32,"num_key_value_heads":8,"head_dim":128,"intermediate_size":32768,
  "vocab_size":131072,"torch_dtype":"bfloat16","max_position_embeddings":32768})";

// The solver's property: the solved context fits the GPU and one step more does not. `fit_options` asks
// fit; `base` is the same request for estimate (without the solve key). Returns fit's result.
json solved_context_fits(const std::string& text, const json& fit_options, const json& base) {
  const auto fit = call("fit", text, fit_options);
  REQUIRE(fit["ok"].get<bool>());
  const uint64_t n = fit["max_context"].get<uint64_t>(), step = fit["step"].get<uint64_t>();
  REQUIRE(n > 0);
  const uint64_t cap = fit["capacity"]["bytes"].get<uint64_t>();
  json at = base;
  at["context"] = n;
  CHECK(call("estimate", text, at)["memory"]["total_bytes"].get<uint64_t>() <= cap);
  // When the model's own limit binds first, no more context is allowed whatever the memory left.
  if (fit["binding"] == "model_limit") {
    CHECK(n == fit["model_limit"].get<uint64_t>());
    return fit;
  }
  at["context"] = n + step;
  CHECK(call("estimate", text, at)["memory"]["total_bytes"].get<uint64_t>() > cap);
  return fit;
}

}  // namespace

TEST_CASE("KV cache bytes per token match the engines' figures", "[inference][kv]") {
  // Llama-3-8B fp16: 32 layers × 2 × 8 KV heads × 128 × 2 B = 131,072 B/token; 8,192 tokens = 1 GiB.
  const auto l3 =
      call("estimate", read_text("fixtures/configs/llama-3-8b.json"), {{"dtype", "fp16"}, {"context", 8192}});
  REQUIRE(l3["ok"].get<bool>());
  CHECK(l3["kv_bytes_per_token"].get<uint64_t>() == 131072);
  CHECK(part(l3, "kv_cache") == 1ULL << 30);
  // Mistral-Small-24B bf16 in vLLM: 163,840 B/token (vLLM's log line).
  const auto ms = call("estimate", kMistralSmall, {{"engine", "vllm"}, {"context", 4096}});
  REQUIRE(ms["ok"].get<bool>());
  CHECK(ms["kv_bytes_per_token"].get<uint64_t>() == 163840);
  CHECK(part(ms, "kv_cache") == 163840ULL * 4096);
  // DeepSeek-V3 bf16, latent: 61 layers × (512 + 64) × 2 B = 70,272 B/token.
  const auto ds = call("estimate", read_text("fixtures/configs/deepseek-v3.json"),
                       {{"engine", "vllm"}, {"dtype", "bf16"}, {"quant", "none"}, {"context", 1024}});
  REQUIRE(ds["ok"].get<bool>());
  CHECK(ds["kv_bytes_per_token"].get<uint64_t>() == 70272);
  // Gemma-2-9b: the sliding layers keep at most the 4,096-token window; the full layers the whole context.
  const auto g2 =
      call("estimate", read_text("fixtures/configs/gemma-2-9b.json"), {{"dtype", "bf16"}, {"context", 8192}});
  REQUIRE(g2["ok"].get<bool>());
  const uint64_t per_layer = g2["kv_bytes_per_token"].get<uint64_t>() / 42;
  CHECK(part(g2, "kv_cache") == per_layer * (21 * 8192 + 21 * 4096));
  // vLLM rounds every sequence up to whole 16-token blocks.
  const auto v = call("estimate", read_text("fixtures/configs/llama-3-8b.json"),
                      {{"engine", "vllm"}, {"dtype", "fp16"}, {"context", 1000}, {"batch", 3}});
  CHECK(part(v, "kv_cache") == 131072ULL * 1008 * 3);
  // Beams multiply the sequences; an 8-bit cache (transformers' QuantizedCache) halves the bytes; tensor
  // parallelism splits the KV heads.
  const auto b = call("estimate", read_text("fixtures/configs/llama-3-8b.json"),
                      {{"dtype", "fp16"}, {"context", 1024}, {"beams", 4}, {"kv_dtype", "int8"}, {"tp", 2}});
  CHECK(part(b, "kv_cache") == 131072ULL / 2 / 2 * 1024 * 4);
}

TEST_CASE("parts sum to the total for every fixture and engine", "[inference]") {
  for (const auto& entry : read_json("fixtures/truth.json")) {
    const std::string path = gpumem::test::config_path(entry["config"]);
    const std::string text = read_text(path);
    // 2,048 tokens, or the model's limit when shorter (GPT-2's 1,024 learned positions refuse more): the
    // default context is min(limit, 4096), so its smaller value with 2,048 is within the limit.
    const uint64_t ctx = std::min<uint64_t>(2048, call("estimate", text, {{"dtype", "bf16"}})["settings"]["context"]);
    for (const char* engine : {"hf", "vllm", "llamacpp"}) {
      json o = {{"engine", engine}, {"dtype", "bf16"}, {"context", ctx}, {"batch", 2}};
      // llama.cpp runs GGUF (engine × format): an FP8 checkpoint's quantization_config is refused there, so
      // its BF16 conversion is estimated.
      if (std::string(engine) == "llamacpp") {
        const json first = call("estimate", text, o);
        if (first.contains("error") && first["error"]["code"] == "unsupported") o["quant"] = "none";
      }
      const auto r = call("estimate", text, o);
      INFO(path << " " << engine);
      REQUIRE(r["ok"].get<bool>());
      uint64_t sum = 0;
      for (const auto& p : r["memory"]["parts"]) {
        sum += p["bytes"].get<uint64_t>();
        CHECK_FALSE(p["formula"].get<std::string>().empty());
        CHECK_FALSE(p["source"].get<std::string>().empty());
      }
      CHECK(sum == r["memory"]["total_bytes"].get<uint64_t>());
    }
  }
}

TEST_CASE("published inference measurements are reproduced within their tolerance", "[inference][measurements]") {
  int compared = 0;
  for (const auto& m : read_json("fixtures/measurements.json")) {
    const json& s = m["setup"];
    if (!m.contains("tolerance") || m["tolerance"].is_null()) continue;
    const std::string what = m["what"];
    const std::string config = read_text("fixtures/" + m["config"].get<std::string>());
    // The row's runtime profile sets the software stack (transformers release, CUDA context, what the
    // total counts); the options below are the run's own setup.
    json options = {{"engine", "hf"}, {"profile", m["profile"]}};
    std::string dtype = s.contains("dtype")           ? s["dtype"].get<std::string>()
                        : s.contains("weights_dtype") ? s["weights_dtype"].get<std::string>()
                                                      : "";
    if (dtype.rfind("float16", 0) == 0)
      options["dtype"] = "fp16";
    else if (dtype.rfind("float32", 0) == 0)
      options["dtype"] = "fp32";
    else if (dtype.rfind("bfloat16", 0) == 0)
      options["dtype"] = "bf16";
    else if (dtype.empty())
      options["dtype"] = "fp32";  // PyTorch's default dtype when from_pretrained is given none
    else if (dtype.rfind("int8", 0) == 0)
      options["dtype"] = "fp16", options["quant"] = "bnb-int8";
    std::string select = "total";
    const std::string mode = s.value("mode", "");
    if (mode.rfind("inference", 0) == 0) {
      // Peak allocator memory of generate() (max_memory_allocated × 1e-6, so MB are 10^6 B): no CUDA
      // context. Both doc tables come from the SDPA pull requests' benchmark (fxmarty's
      // benchmark_sdpa_inference: the prompt is seq_len random tokens, then max_new_tokens =
      // min_new_tokens = --max_token, default 100). Each ran on the main branch of its day, whose
      // generate() matches a release: GPT-NeoX (PR #31031, May 2024) before 4.42's `del outputs`, as 4.41
      // (its rows grow with batch × length only: the first decoding step binds); OPT (PR #33298,
      // September 2024) after 4.45's fp32 last-position copy and before Mllama's full clone, as 4.47.
      const uint64_t prompt = s["seq_len"].get<uint64_t>();
      options["batch"] = s["batch_size"];
      options["prompt"] = prompt;
      options["context"] = prompt + 100;
      options["attn_implementation"] = s["attn_implementation"];
      REQUIRE(m["profile"] == (m["model"] == "opt-350m" ? "sdpa-bench-opt-2024" : "sdpa-bench-gpt-neox-2024"));
    } else if (what.rfind("memory_allocated after loading weights", 0) == 0) {
      select = "weights+buffers";
    } else if (what.rfind("CUDA context", 0) == 0) {
      REQUIRE(m["profile"] == "hf-single-gpu-2021");  // CUDA 11.2: no lazy module loading
      select = "runtime_overhead";
    } else if (what.rfind("after loading model weights", 0) == 0) {
      // nvidia-smi after .to('cuda') on CUDA 11.2: the whole context plus the weights.
      REQUIRE(m["profile"] == "hf-single-gpu-2021");
      options["context"] = 1;
      select = "weights+runtime_overhead";
    } else if (what.rfind("per-process GPU memory in nvidia-smi while serving", 0) == 0) {
      options["context"] = 1;
    } else if (s.contains("script") && s["script"].get<std::string>().find("device_map") != std::string::npos) {
      // accelerate's big-model benchmark (July 2022: transformers 4.20, torch 1.12 without lazy module
      // loading) loads GPT-J with device_map="auto" over two TITAN RTX; "GPU i use" is what loading left
      // allocated there (measures_util.py), the weights the placement put on it.
      options["context"] = 1;
      options["device_map"] = "auto";
      options["gpu"] = "TITAN RTX";
      options["gpus"] = 2;
      REQUIRE(m["profile"] == "accelerate-big-model-2022");  // transformers 4.20, no lazy loading
      select = what.rfind("GPU 0", 0) == 0 ? "cuda:0" : what.rfind("GPU 1", 0) == 0 ? "cuda:1" : "cpu";
    } else {
      continue;  // training measurements belong to the training estimate
    }
    const auto r = call("estimate", config, options);
    INFO(m["model"] << ": " << what << " " << s.dump());
    REQUIRE(r["ok"].get<bool>());
    double est = 0;
    if (select == "total") est = static_cast<double>(r["memory"]["total_bytes"].get<uint64_t>());
    if (select == "weights+buffers") est = static_cast<double>(part(r, "weights") + part(r, "buffers"));
    if (select == "runtime_overhead") est = static_cast<double>(part(r, "runtime_overhead"));
    if (select == "weights+runtime_overhead")
      est = static_cast<double>(part(r, "weights") + part(r, "runtime_overhead"));
    for (const auto& d : r.value("device_map", json::array()))
      if (d["device"] == select) est = static_cast<double>(d["weights_bytes"].get<uint64_t>());
    double want = to_bytes(m["value"].get<double>(), m["unit"]);
    // That benchmark prints MiB (memory_allocated / 2**20) and its README table lists them ÷ 1000 as
    // "GB", truncated: 11,765 MiB is "11.7GB" (all four non-zero figures read alike; docs/ESTIMATION.md).
    if (m["source"].get<std::string>().find("big_model_inference") != std::string::npos)
      want = m["value"].get<double>() * 1000 * 1048576.0;
    const double err = want == 0 ? est : std::abs(est / want - 1);
    const bool within = err <= m["tolerance"].get<double>();
    INFO("estimate " << est << " measured " << want << " error " << err);
    ++compared;
    CHECK(within);
  }
  CHECK(compared == 75);  // every inference measurement of the file with a tolerance
}

TEST_CASE("the seed's Llama-2-7b weight load is within 0.3% with the transformers preset", "[inference][seed]") {
  const auto text = read_text("fixtures/configs/llama-2-7b.json");
  for (const auto& m : read_json("fixtures/measurements.json")) {
    if (m["config"] != "configs/llama-2-7b.json" || m["unit"] != "GiB") continue;
    const std::string dtype = m["setup"]["dtype"] == "float32"   ? "fp32"
                              : m["setup"]["dtype"] == "float16" ? "fp16"
                                                                 : "bf16";
    const auto r = call("estimate", text, {{"dtype", dtype}});
    const double est = static_cast<double>(part(r, "weights") + part(r, "buffers"));
    CHECK(std::abs(est / (m["value"].get<double>() * 1073741824.0) - 1) < 0.003);
  }
}

TEST_CASE("the inverse solver agrees with the forward estimate", "[inference][fit]") {
  struct Case {
    const char* config;
    const char* engine;
    const char* gpu;
    const char* quant;
  };
  for (const Case c : {Case{"llama-3-8b.json", "hf", "RTX 4090", "none"}, Case{"llama-3-8b.json", "vllm", "L4", "none"},
                       Case{"llama-2-7b.json", "llamacpp", "RTX 3060", "gguf-q4_k_m"},
                       Case{"gemma-2-9b.json", "vllm", "A100 40GB", "fp8"},
                       Case{"qwen3-30b-a3b.json", "llamacpp", "RTX 4090", "gguf-q4_0"}}) {
    INFO(c.config << " " << c.engine << " " << c.gpu);
    const auto text = read_text(std::string("fixtures/configs/") + c.config);
    const json base = {{"engine", c.engine}, {"dtype", "bf16"}, {"quant", c.quant}, {"gpu", c.gpu}};
    json opts = base;
    opts["solve"] = "context";
    const auto fit = solved_context_fits(text, opts, base);
    CHECK(fit["table"].size() >= 40);
  }
  // A model that cannot fit says so and names the weights.
  const auto big =
      call("fit", read_text("fixtures/configs/llama-3.1-405b.json"), {{"gpu", "RTX 4090"}, {"dtype", "bf16"}});
  CHECK(big["max_context"] == 0);
  CHECK(big["binding"] == "weights");
}

TEST_CASE("quantization_config selects the method and says so", "[inference][quant]") {
  const auto r =
      call("estimate", read_text("fixtures/configs/gpt-oss-20b.json"), {{"context", 1024}, {"dtype", "bf16"}});
  REQUIRE(r["ok"].get<bool>());
  bool said = false;
  for (const auto& a : r["assumptions"]) said = said || a["code"] == "quant_from_config";
  CHECK(said);
  CHECK(r["settings"]["quant"] == "mxfp4");
  // mxfp4 keeps gpt-oss's attention (modules_to_not_convert "self_attn") in bf16: far below 4.25 bits overall.
  const auto none = call("estimate", read_text("fixtures/configs/gpt-oss-20b.json"),
                         {{"context", 1024}, {"quant", "none"}, {"dtype", "bf16"}});
  CHECK(part(r, "weights") < part(none, "weights") / 3);
}

TEST_CASE("the GPU catalogue and the sweep", "[inference][gpus]") {
  const auto g = gpumem::test::call("gpus", "{}");
  REQUIRE(g["ok"].get<bool>());
  CHECK(g["gpus"].size() >= 40);
  for (const auto& gpu : g["gpus"]) {
    CHECK(gpu["bytes"].get<uint64_t>() % (1ULL << 30) == 0);
    CHECK_FALSE(gpu["source"].get<std::string>().empty());
  }
  const auto s = call("sweep", read_text("fixtures/configs/llama-3-8b.json"),
                      {{"dtype", "bf16"}, {"points", 8}, {"max_context", 8192}});
  REQUIRE(s["ok"].get<bool>());
  REQUIRE(s["points"].size() == 8);
  CHECK(s["points"][7]["context"] == 8192);
  for (size_t i = 1; i < 8; ++i)
    CHECK(s["points"][i]["total_bytes"].get<uint64_t>() > s["points"][i - 1]["total_bytes"].get<uint64_t>());
}

TEST_CASE("CPU offload moves layers' weights to CPU RAM and says it is slower", "[inference][offload]") {
  const auto text = read_text("fixtures/configs/llama-2-7b.json");
  const auto all = call("estimate", text, {{"dtype", "fp16"}, {"context", 1024}, {"engine", "llamacpp"}});
  const auto half =
      call("estimate", text, {{"dtype", "fp16"}, {"context", 1024}, {"engine", "llamacpp"}, {"offload_layers", 16}});
  REQUIRE(half["ok"].get<bool>());
  CHECK(part(half, "weights") + half["cpu"]["bytes"].get<uint64_t>() - part(all, "kv_cache") + part(half, "kv_cache") ==
        part(all, "weights"));
  bool said = false;
  for (const auto& a : half["assumptions"]) said = said || a["code"] == "cpu_offload";
  CHECK(said);
}

// The solver, the fits-on table and the sweep reuse one InferencePlan per request and skip the formula
// strings; the estimate op builds a fresh plan with formulas. Both must give the same bytes exactly.
TEST_CASE("the fast path of sweep and fit gives the estimate's bytes exactly", "[inference][fit][sweep]") {
  struct Case {
    const char* config;
    json extra;
  };
  const Case cases[] = {{"llama-3-8b.json", json::object()},
                        {"gemma-2-9b.json", {{"kv_dtype", "fp8"}}},
                        {"deepseek-v2-lite.json", {{"tp", 2}}},
                        {"nemotron-h-56b-base-8k.json", {{"batch", 3}, {"beams", 2}}},
                        {"t5-small.json", json::object()},
                        {"llama-2-7b.json", {{"offload_layers", 8}, {"quant", "gguf-q4_k_m"}}},
                        {"mixtral-8x7b-v0.1.json", {{"attn_implementation", "eager"}, {"flash_attn", false}}},
                        {"gemma-2-9b.json", {{"pp", 4}}},
                        {"deepseek-v2-lite.json", {{"tp", 2}, {"pp", 3}}}};
  for (const auto& c : cases) {
    for (const char* engine : {"hf", "vllm", "llamacpp"}) {
      INFO(c.config << " " << engine << " " << c.extra.dump());
      const auto text = read_text(std::string("fixtures/configs/") + c.config);
      json base = {{"engine", engine}, {"dtype", "bf16"}};
      base.update(c.extra);
      // An 8-bit cache each engine runs: vLLM's fp8, transformers' int8 QuantizedCache, llama.cpp's q8_0.
      if (base.value("kv_dtype", "") == "fp8")
        base["kv_dtype"] = std::string(engine) == "vllm" ? "fp8" : std::string(engine) == "hf" ? "int8" : "q8_0";
      // llama.cpp runs GGUF: other formats are refused (engine × format), so the fast path is checked on GGUF.
      if (std::string(engine) == "llamacpp" && base.contains("quant") &&
          base["quant"].get<std::string>().rfind("gguf-", 0) != 0)
        base.erase("quant");
      auto estimate = [&](json more) {
        json o = base;
        o.update(more);
        const auto r = call("estimate", text, o);
        REQUIRE(r["ok"].get<bool>());
        return r;
      };

      // Every sweep point: the same total and the same parts, in the same order, as one estimate.
      json so = base;
      so["points"] = 5;
      so["max_context"] = 6000;
      // op_sweep writes its JSON text itself: it must read back and dump again to the same bytes.
      const std::string raw = gpumem::handle(json{{"op", "sweep"}, {"config_text", text}, {"options", so}}.dump());
      CHECK(nlohmann::ordered_json::parse(raw).dump() == raw);
      const auto s = json::parse(raw);
      REQUIRE(s["ok"].get<bool>());
      for (const auto& pt : s["points"]) {
        const auto e = estimate({{"context", pt["context"]}, {"prompt", pt["context"]}});
        CHECK(pt["total_bytes"] == e["memory"]["total_bytes"]);
        json parts = json::object();
        for (const auto& p : e["memory"]["parts"]) parts[p["id"].get<std::string>()] = p["bytes"];
        CHECK(pt["parts"] == parts);
      }

      // The fits-on table: fits and headroom from the request's own total; gpus_needed the smallest tp
      // whose per-GPU estimate fits without pipeline stages; the solver's total at its answer is that
      // estimate's total.
      json fo = base;
      fo["gpu"] = "RTX 4090";
      const std::string fit_raw = gpumem::handle(json{{"op", "fit"}, {"config_text", text}, {"options", fo}}.dump());
      CHECK(nlohmann::ordered_json::parse(fit_raw).dump() == fit_raw);  // fit writes its text too
      const auto f = json::parse(fit_raw);
      REQUIRE(f["ok"].get<bool>());
      const uint64_t need = estimate(json::object())["memory"]["total_bytes"].get<uint64_t>();
      std::vector<uint64_t> by_tp;
      for (uint64_t t : {1, 2, 4, 8, 16, 32, 64})
        by_tp.push_back(estimate({{"tp", t}, {"pp", 1}})["memory"]["total_bytes"].get<uint64_t>());
      CHECK(f["total_single_gpu"]["bytes"].get<uint64_t>() == by_tp[0]);
      for (const auto& row : f["table"]) {
        const uint64_t cap = row["usable"]["bytes"].get<uint64_t>();
        CHECK(row["fits"].get<bool>() == (need <= cap));
        CHECK(row["headroom_bytes"].get<int64_t>() ==
              (need <= cap ? static_cast<int64_t>(cap - need) : -static_cast<int64_t>(need - cap)));
        uint64_t needed = 0;
        for (size_t i = 0; i < by_tp.size() && needed == 0; ++i)
          if (by_tp[i] <= cap) needed = uint64_t{1} << i;
        CHECK(row["gpus_needed"].get<uint64_t>() == needed);
      }
      if (f["max_context"].get<uint64_t>() > 0) {
        const auto n = f["max_context"];
        CHECK(f["total_at_max"]["bytes"] == estimate({{"context", n}, {"prompt", n}})["memory"]["total_bytes"]);
      }
    }
  }
}

// ---- pipeline parallelism (docs/ESTIMATION.md, "Pipeline parallelism") ----

TEST_CASE("pipeline stages split the layers the way vLLM and llama.cpp do", "[inference][pp]") {
  using gpumem::Engine;
  using gpumem::pipeline_stages;
  using S = gpumem::StageLayers;
  // vLLM get_pp_indices: 10 // 4 = 2 each, remainder 2 to the stages before the last: 2, 3, 3, 2.
  CHECK(pipeline_stages(10, 4, Engine::vllm) == std::vector<S>{{0, 2}, {2, 3}, {5, 3}, {8, 2}});
  // vLLM's own docstring example: 61 layers over 4 → 15, 15, 16, 15.
  const auto v61 = pipeline_stages(61, 4, Engine::vllm);
  CHECK(v61 == std::vector<S>{{0, 15}, {15, 15}, {30, 16}, {46, 15}});
  CHECK(pipeline_stages(80, 2, Engine::vllm) == std::vector<S>{{0, 40}, {40, 40}});
  CHECK(pipeline_stages(80, 2, Engine::hf) == pipeline_stages(80, 2, Engine::vllm));
  // llama.cpp: layer il on device ⌊il · 4 / 11⌋ (the output layer is the 11th slot, on the last device):
  // il 0–2 → 0, 3–5 → 1, 6–8 → 2, 9 → 3.
  CHECK(pipeline_stages(10, 4, Engine::llamacpp) == std::vector<S>{{0, 3}, {3, 3}, {6, 3}, {9, 1}});
  // Two layers on two devices: both on the first, the second device holds only the output layer.
  CHECK(pipeline_stages(2, 2, Engine::llamacpp) == std::vector<S>{{0, 2}, {2, 0}});
  for (uint64_t n : {1, 7, 32, 61, 80, 126})
    for (uint64_t pp = 1; pp <= std::min<uint64_t>(n, 8); ++pp)
      for (Engine e : {Engine::vllm, Engine::llamacpp}) {
        INFO(n << " layers, pp " << pp);
        const auto st = pipeline_stages(n, pp, e);
        uint64_t next = 0;
        for (const auto& s : st) {
          CHECK(s.first == next);
          next = s.first + s.count;
        }
        CHECK(next == n);
      }
}

TEST_CASE("pipeline stages' weights add up to the unsplit weights plus the tied copy", "[inference][pp]") {
  struct Case {
    const char* config;
    const char* engine;
    const char* quant;
    uint64_t pp;
    uint64_t tied_copy;  // the last stage's embedding copy used as lm_head
  };
  for (const Case c :
       {Case{"llama-3.1-70b.json", "vllm", "none", 2, 0}, Case{"llama-3.1-70b.json", "vllm", "none", 3, 0},
        Case{"llama-2-7b.json", "llamacpp", "gguf-q4_k_m", 4, 0}, Case{"llama-3-8b.json", "vllm", "bnb-nf4", 5, 0},
        Case{"deepseek-v2-lite.json", "vllm", "fp8", 3, 0},
        // Gemma 2 ties its embeddings: 256,000 × 3,584 bf16 values again on the last stage.
        Case{"gemma-2-9b.json", "vllm", "none", 4, 256000ULL * 3584 * 2}}) {
    INFO(c.config << " " << c.engine << " " << c.quant << " pp " << c.pp);
    const auto text = read_text(std::string("fixtures/configs/") + c.config);
    const json base = {{"engine", c.engine}, {"dtype", "bf16"}, {"quant", c.quant}, {"context", 2048}};
    const auto whole = call("estimate", text, base);
    json o = base;
    o["pp"] = c.pp;
    const auto r = call("estimate", text, o);
    REQUIRE(r["ok"].get<bool>());
    REQUIRE(r["stages"].size() == c.pp);
    CHECK(r["settings"]["pp"] == c.pp);
    CHECK(r["per_device"] == true);
    uint64_t sum = 0, kv = 0, most = 0;
    for (const auto& s : r["stages"]) {
      sum += s["parts"]["weights"].get<uint64_t>();
      kv += s["parts"]["kv_cache"].get<uint64_t>();
      uint64_t parts = 0;
      for (const auto& [id, b] : s["parts"].items()) parts += b.get<uint64_t>();
      CHECK(parts == s["total_bytes"].get<uint64_t>());
      most = std::max(most, s["total_bytes"].get<uint64_t>());
    }
    CHECK(sum == part(whole, "weights") + c.tied_copy);
    if (std::string(c.engine) != "llamacpp") CHECK(kv == part(whole, "kv_cache"));  // llama.cpp pads per stage
    // The per-device figure is the most loaded stage, part by part.
    CHECK(r["memory"]["total_bytes"].get<uint64_t>() == most);
    const auto& top = r["stages"][r["most_loaded_stage"].get<size_t>()];
    CHECK(top["total_bytes"] == r["memory"]["total_bytes"]);
    for (const auto& p : r["memory"]["parts"]) CHECK(top["parts"][p["id"].get<std::string>()] == p["bytes"]);
    // Logits only on the last stage.
    for (size_t k = 0; k + 1 < c.pp; ++k) CHECK(r["stages"][k]["parts"]["logits"] == 0);
    CHECK(r["stages"][c.pp - 1]["parts"]["logits"] == part(whole, "logits"));
  }
}

TEST_CASE("pipeline parallelism never raises the per-device total", "[inference][pp]") {
  for (const char* config :
       {"llama-3-8b.json", "gemma-2-9b.json", "mixtral-8x7b-v0.1.json", "nemotron-h-56b-base-8k.json",
        "deepseek-v2-lite.json", "llama-3.2-1b-instruct.json", "qwen3-30b-a3b.json"}) {
    const auto text = read_text(std::string("fixtures/configs/") + config);
    for (const char* engine : {"hf", "vllm", "llamacpp"})
      for (uint64_t tp : {1, 2}) {
        const json base = {{"engine", engine}, {"dtype", "bf16"}, {"context", 4096}, {"batch", 2}, {"tp", tp}};
        uint64_t prev = call("estimate", text, base)["memory"]["total_bytes"].get<uint64_t>();
        for (uint64_t pp : {2, 4, 8}) {
          INFO(config << " " << engine << " tp " << tp << " pp " << pp);
          json o = base;
          o["pp"] = pp;
          const auto r = call("estimate", text, o);
          REQUIRE(r["ok"].get<bool>());
          const uint64_t t = r["memory"]["total_bytes"].get<uint64_t>();
          CHECK(t <= prev);
          prev = std::max(prev, t);
        }
      }
  }
}

TEST_CASE("a Gemma 2 stage caps its own sliding layers", "[inference][pp][kv]") {
  // gemma-2-9b: 42 layers alternating sliding (even index, window 4,096) and full; 8 KV heads × 256 × 2 × 2 B
  // = 8,192 B per token and layer. vLLM's split over 4: layers 0–9, 10–20, 21–31, 32–41, so the stages hold
  // (sliding, full) = (5, 5), (6, 5), (5, 6), (5, 5) layers. transformers: no block rounding.
  const auto text = read_text("fixtures/configs/gemma-2-9b.json");
  const auto r = call("estimate", text, {{"dtype", "bf16"}, {"context", 8192}, {"pp", 4}});
  REQUIRE(r["ok"].get<bool>());
  const uint64_t per_layer = 8192;
  CHECK(r["kv_bytes_per_token"].get<uint64_t>() == 42 * per_layer);
  const uint64_t sliding[] = {5, 6, 5, 5}, full[] = {5, 5, 6, 5};
  const json layers[] = {{0, 9}, {10, 20}, {21, 31}, {32, 41}};
  for (size_t k = 0; k < 4; ++k) {
    INFO("stage " << k);
    CHECK(r["stages"][k]["layers"] == layers[k]);
    CHECK(r["stages"][k]["parts"]["kv_cache"].get<uint64_t>() == per_layer * (sliding[k] * 4096 + full[k] * 8192));
  }
  // Stage 2 has the most full layers, hence the most cache.
  CHECK(r["stages"][2]["parts"]["kv_cache"].get<uint64_t>() > r["stages"][1]["parts"]["kv_cache"].get<uint64_t>());
}

TEST_CASE("the solver with pipeline stages: the solved context fits, one step more does not", "[inference][pp][fit]") {
  struct Case {
    const char* config;
    const char* engine;
    const char* gpu;
    uint64_t tp, pp;
  };
  for (const Case c :
       {Case{"llama-3.1-70b.json", "vllm", "A100 80GB", 2, 2}, Case{"gemma-2-9b.json", "hf", "RTX 4090", 1, 2},
        Case{"llama-3-8b.json", "llamacpp", "RTX 3060", 1, 3}}) {
    INFO(c.config << " " << c.engine << " " << c.gpu);
    const auto text = read_text(std::string("fixtures/configs/") + c.config);
    const json base = {{"engine", c.engine}, {"dtype", "bf16"}, {"gpu", c.gpu}, {"tp", c.tp}, {"pp", c.pp}};
    const auto fit = solved_context_fits(text, base, base);
    // The fits-on table's gpus_needed stays tensor-parallel: the same as without --pp.
    json no_pp = base;
    no_pp.erase("pp");
    const auto plain = call("fit", text, no_pp);
    for (size_t i = 0; i < fit["table"].size(); ++i)
      CHECK(fit["table"][i]["gpus_needed"] == plain["table"][i]["gpus_needed"]);
  }
}

TEST_CASE("bad pipeline-parallel requests name the option", "[inference][pp][errors]") {
  struct Case {
    const char* config;
    json options;
    const char* path;
  };
  const Case cases[] = {
      {"llama-3-8b.json", {{"gpus", 8}, {"pp", 3}}, "/options/pp"},               // pp does not divide gpus
      {"llama-3-8b.json", {{"pp", 33}}, "/options/pp"},                           // 32 layers
      {"llama-3-8b.json", {{"pp", 0}}, "/options/pp"},                            // at least 1
      {"llama-3-8b.json", {{"pp", "two"}}, "/options/pp"},                        // a whole number
      {"llama-3-8b.json", {{"gpus", 8}, {"tp", 2}, {"pp", 2}}, "/options/gpus"},  // 8 ≠ 2 × 2
      {"llama-3-8b.json", {{"gpus", 4}, {"tp", 2}}, "/options/gpus"},             // more GPUs than tp × pp
      {"llama-3-8b.json", {{"pp", 2}, {"offload_layers", 4}}, "/options/pp"},     // not modelled together
      {"t5-small.json", {{"pp", 2}}, "/options/pp"},                              // encoder-decoder
  };
  for (const auto& c : cases) {
    INFO(c.config << " " << c.options.dump());
    const auto r = call("estimate", read_text(std::string("fixtures/configs/") + c.config), c.options);
    REQUIRE_FALSE(r["ok"].get<bool>());
    CHECK(r["error"]["code"] == "bad_request");
    CHECK(r["error"]["path"] == c.path);
  }
  // --gpus alone is still tensor parallelism; with --pp the rest of the GPUs are tensor-parallel ranks.
  const auto text = read_text("fixtures/configs/llama-3-8b.json");
  CHECK(call("estimate", text, {{"gpus", 4}})["settings"]["tp"] == 4);
  const auto both = call("estimate", text, {{"gpus", 8}, {"pp", 2}});
  CHECK(both["settings"]["tp"] == 4);
  CHECK(both["settings"]["pp"] == 2);
}

TEST_CASE("transformers versions: GPT-NeoX 4.41 caches fp32 keys and holds two caches in a step", "[inference][hf]") {
  const auto text = read_text("fixtures/configs/pythia-410m.json");
  const json opts = {{"dtype", "fp16"}, {"prompt", 2048}, {"context", 2148}, {"transformers", "4.41"}};
  const auto r = call("estimate", text, opts);
  REQUIRE(r["ok"].get<bool>());
  CHECK(r["settings"]["transformers"] == "4.41");
  // 24 layers × 1,024 × (4 B fp32 key + 2 B fp16 value) = 147,456 B per token (current: 98,304).
  CHECK(r["kv_bytes_per_token"] == 147456);
  CHECK(call("estimate", text, {{"dtype", "fp16"}})["kv_bytes_per_token"] == 98304);
  // Per layer: the 2,048² bool mask (4,194,304 B) + masked_bias (512 B) + fp32 cos and sin tables of
  // 2,048 × 16 (131,072 B each) + inv_freq (512 B) = 4,457,472 B; × 24 = 106,979,328 B.
  CHECK(part(r, "buffers") == 106979328);
  // The first decoding step binds: the new cache of 2,049 tokens, the previous one of 2,048, and the
  // prefill's fp16 logits of every position still referenced (no `del outputs` before 4.42).
  CHECK(part(r, "kv_cache") == 147456ULL * 2049);
  CHECK(part(r, "kv_cache_previous") == 147456ULL * 2048);
  CHECK(part(r, "logits") == 2048ULL * 50304 * 2 + 50304ULL * 4);
  // From 4.42 the prefill logits are dropped: the last step binds (2,148 + 2,147 tokens of cache).
  json later = opts;
  later["transformers"] = "4.42";
  const auto l = call("estimate", text, later);
  CHECK(part(l, "kv_cache") == 147456ULL * 2148);
  CHECK(part(l, "kv_cache_previous") == 147456ULL * 2147);
  CHECK(part(l, "logits") == 50304ULL * 4);
}

TEST_CASE("transformers versions: prefill logits of every position before logits_to_keep", "[inference][hf]") {
  const auto text = read_text("fixtures/configs/llama-3-8b.json");
  const json base = {{"dtype", "bf16"}, {"context", 8192}};
  auto formula = [](const json& r, const char* id) {
    for (const auto& p : r["memory"]["parts"])
      if (p["id"] == id) return p["formula"].get<std::string>();
    return std::string();
  };
  // Current releases compute the last position only (logits_to_keep = 1): bf16 row + fp32 copy, so the
  // prefill peaks inside the widest layer, before the logits exist.
  const auto now = call("estimate", text, base);
  CHECK(part(now, "logits") == 0);
  CHECK(formula(now, "logits").find("(769,536 B) come after the layers") != std::string::npos);
  CHECK(part(now, "workspace") == 8192ULL * (3 * 4096 + 4096 + 2048 + 3 * 14336) * 2);
  bool said = false;
  for (const auto& a : now["assumptions"]) said = said || a["code"] == "hf_behaviour_assumed";
  CHECK_FALSE(said);
  // 4.44: every position in bf16 and LlamaForCausalLM's logits.float() of every position; these
  // outweigh the layer's transients, so the prefill peaks at the logits, with no workspace beside them.
  json old = base;
  old["transformers"] = "4.44";
  const auto r44 = call("estimate", text, old);
  CHECK(part(r44, "logits") == 8192ULL * 128256 * (2 + 4) + 128256ULL * 4);
  CHECK(part(r44, "workspace") == 0);
  // 4.45–4.46 clone the model-dtype logits in _sample, but Llama already keeps one position.
  old["transformers"] = "4.45";
  CHECK(formula(call("estimate", text, old), "logits").find("(1,026,048 B)") != std::string::npos);
  // Llama moved to DynamicCache in 4.36: no previous cache part from then on.
  old["transformers"] = "4.36";
  const auto r36 = call("estimate", text, old);
  for (const auto& p : r36["memory"]["parts"]) CHECK(p["id"] != "kv_cache_previous");
  old["transformers"] = "4.35";
  CHECK(part(call("estimate", text, old), "kv_cache_previous") == 0);  // prompt = context: the prefill binds
}

TEST_CASE("generate's peak is the largest of its moments, never their sum", "[inference][hf]") {
  // With the current release, generating C − P tokens after a prompt of P never needs more than a
  // prompt of C, and never less than the prompt alone.
  for (const char* c : {"llama-3-8b.json", "gemma-2-9b.json", "opt-350m.json", "pythia-410m.json", "gpt2.json",
                        "qwen3-30b-a3b.json", "mamba-130m-hf.json", "t5-small.json"}) {
    INFO(c);
    const auto text = read_text(std::string("fixtures/configs/") + c);
    auto total = [&](uint64_t prompt, uint64_t context) {
      const auto r =
          call("estimate", text, {{"dtype", "fp16"}, {"batch", 2}, {"prompt", prompt}, {"context", context}});
      REQUIRE(r["ok"].get<bool>());
      uint64_t sum = 0;
      for (const auto& p : r["memory"]["parts"]) sum += p["bytes"].get<uint64_t>();
      CHECK(sum == r["memory"]["total_bytes"].get<uint64_t>());
      return r["memory"]["total_bytes"].get<uint64_t>();
    };
    const uint64_t both = total(300, 1000);
    CHECK(both <= total(1000, 1000));
    CHECK(both >= total(300, 300));
  }
}

TEST_CASE("bad transformers versions name the option", "[inference][hf][errors]") {
  const auto text = read_text("fixtures/configs/llama-3-8b.json");
  for (const json& o : {json{{"transformers", "four"}}, json{{"transformers", "3.9"}}, json{{"transformers", "4.x"}},
                        json{{"transformers", 4.4}}, json{{"transformers", "4.40"}, {"engine", "vllm"}}}) {
    INFO(o.dump());
    const auto r = call("estimate", text, o);
    REQUIRE_FALSE(r["ok"].get<bool>());
    CHECK(r["error"]["path"] == "/options/transformers");
  }
  CHECK(call("estimate", text, {{"transformers", "4.40.2"}})["settings"]["transformers"] == "4.40");
  CHECK(call("estimate", text, {{"transformers", "5.0"}})["settings"]["transformers"] == "current");
  CHECK(call("estimate", text, {{"transformers", "current"}, {"engine", "vllm"}})["ok"].get<bool>());
}

TEST_CASE("device_map: accelerate's placement of GPT-J over two TITAN RTX (transformers 4.20)",
          "[inference][device_map]") {
  const auto text = read_text("fixtures/configs/gpt-j-6b.json");
  const json base = {{"context", 1}, {"device_map", "auto"},   {"gpu", "TITAN RTX"},
                     {"gpus", 2},    {"transformers", "4.20"}, {"lazy_loading", false}};
  json fp32 = base;
  fp32["dtype"] = "fp32";
  const auto r = call("estimate", text, fp32);
  REQUIRE(r["ok"].get<bool>());
  CHECK(r["settings"]["device_map"] == "sequential");  // "auto" meant sequential before 4.22
  const json& d = r["device_map"];
  REQUIRE(d.size() == 3);
  // Free memory 24,219 − 1,343 = 22,876 MiB each; GPU 0 keeps room for lm_head (50,400 × 4,096 + 50,400
  // fp32 = 825,955,200 B), so it takes the embeddings and 27 blocks of 805,421,056 B + the 2,048² uint8
  // mask counted as 1 B (accelerate's estimate), then block 27, ln_f and lm_head go to GPU 1.
  CHECK(d[0]["device"] == "cuda:0");
  CHECK(d[0]["layers"] == json::array({0, 26}));
  CHECK(d[0]["embeddings"] == true);
  CHECK(d[1]["layers"] == json::array({27, 27}));
  CHECK(d[1]["lm_head"] == true);
  CHECK(d[0]["max_memory_bytes"] == 22876ULL << 20);
  // Allocated: the mask cast to fp32 (4,194,304 × 4 B) and masked_bias in 512 B blocks, per block.
  const uint64_t block = 805421056ULL + 16777216 + 512;
  CHECK(d[0]["weights_bytes"] == 825753600ULL + 27 * block);
  CHECK(d[1]["weights_bytes"] == block + 32768 + 825955200ULL);  // ln_f: 2 × 4,096 fp32
  CHECK(d[2]["weights_bytes"] == 0);
  CHECK(r["cpu"]["bytes"] == 0);
  REQUIRE(r["stages"].size() == 2);
  // From 4.22, "auto" balances: GPU 0 is capped near half the model, so GPU 1 holds about as much.
  json later = fp32;
  later["transformers"] = "4.22";
  const auto b = call("estimate", text, later);
  CHECK(b["settings"]["device_map"] == "balanced");
  const auto g0 = b["device_map"][0]["weights_bytes"].get<uint64_t>(),
             g1 = b["device_map"][1]["weights_bytes"].get<uint64_t>();
  CHECK(g0 < g1 + 2 * block);
  CHECK(g1 < g0 + 2 * block);
}

TEST_CASE("device_map: every module is placed once, in order, and what does not fit goes to the CPU",
          "[inference][device_map]") {
  for (const char* c : {"llama-3-8b.json", "gemma-2-9b.json", "qwen3-30b-a3b.json", "opt-350m.json", "gpt2.json"}) {
    for (const char* kind : {"sequential", "balanced", "balanced_low_0"}) {
      for (const char* gpu : {"RTX 3060", "RTX 4090"}) {
        INFO(c << " " << kind << " " << gpu);
        const auto text = read_text(std::string("fixtures/configs/") + c);
        const auto whole = call("estimate", text, {{"dtype", "bf16"}, {"context", 1024}});
        const auto r = call("estimate", text,
                            {{"dtype", "bf16"}, {"context", 1024}, {"device_map", kind}, {"gpu", gpu}, {"gpus", 2}});
        REQUIRE(r["ok"].get<bool>());
        uint64_t sum = 0, next = 0, embeddings = 0, heads = 0;
        for (const auto& d : r["device_map"]) {
          sum += d["weights_bytes"].get<uint64_t>();
          embeddings += d["embeddings"].get<bool>() ? 1 : 0;
          heads += d["lm_head"].get<bool>() ? 1 : 0;
          if (d["device"] != "cpu") CHECK(d["planned_bytes"].get<uint64_t>() <= d["max_memory_bytes"].get<uint64_t>());
          if (d["layers"].empty()) continue;
          CHECK(d["layers"][0] == next);  // contiguous, never back to an earlier device
          next = d["layers"][1].get<uint64_t>() + 1;
        }
        CHECK(next == r["model"]["n_layer"]);
        CHECK(embeddings == 1);
        CHECK(heads == 1);
        CHECK(sum == part(whole, "weights"));  // current transformers: no per-layer buffers
        CHECK(r["cpu"]["bytes"] == r["device_map"].back()["weights_bytes"]);
        uint64_t parts = 0;
        for (const auto& p : r["memory"]["parts"]) parts += p["bytes"].get<uint64_t>();
        CHECK(parts == r["memory"]["total_bytes"].get<uint64_t>());
      }
    }
  }
}

TEST_CASE("bad device_map requests name the option", "[inference][device_map][errors]") {
  const auto text = read_text("fixtures/configs/llama-3-8b.json");
  struct Case {
    json options;
    const char* path;
  };
  const Case cases[] = {
      {{{"device_map", "auto"}}, "/options/gpu"},
      {{{"device_map", "auto"}, {"gpu", "no such gpu"}}, "/options/gpu"},
      {{{"device_map", "everywhere"}, {"gpu", "RTX 4090"}}, "/options/device_map"},
      {{{"device_map", "auto"}, {"gpu", "RTX 4090"}, {"engine", "vllm"}}, "/options/device_map"},
      {{{"device_map", "auto"}, {"gpu", "RTX 4090"}, {"tp", 2}}, "/options/device_map"},
      {{{"device_map", "auto"}, {"gpu", "RTX 4090"}, {"offload_layers", 2}}, "/options/offload_layers"},
      {{{"device_map", "auto"}, {"gpu", "RTX 4090"}, {"max_memory_mib", 1}}, "/options/device_map"},
  };
  for (const auto& c : cases) {
    INFO(c.options.dump());
    const auto r = call("estimate", text, c.options);
    REQUIRE_FALSE(r["ok"].get<bool>());
    CHECK(r["error"]["path"] == c.path);
  }
  CHECK(call("estimate", read_text("fixtures/configs/t5-small.json"),
             {{"device_map", "auto"}, {"gpu", "RTX 4090"}})["error"]["path"] == "/options/device_map");
  // The page sends tp = pp = 1 with every request: that is no conflict.
  const json page = {{"device_map", "sequential"}, {"gpu", "RTX 4090"}, {"gpus", 3}, {"tp", 1}, {"pp", 1}};
  CHECK(call("estimate", text, page)["ok"].get<bool>());
}

}  // namespace test_inference
