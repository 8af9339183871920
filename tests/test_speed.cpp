// Speed (issue 21): the GPU catalogue's speed figures against tests/fixtures/speed/hardware.json, the calibration
// against the public llama-bench rows of benchmarks.json (fit rows and held-out rows reported apart), the model's
// properties, and bad input with its code and path.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "gpumem/base/error.hpp"
#include "gpumem/memory/speed.hpp"
#include "gpumem/model/config_reader.hpp"
#include "support.hpp"

namespace test_speed {

using gpumem::test::call;
using gpumem::test::has_assumption;
using gpumem::test::read_json;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

json speed(const std::string& config, json options) {
  json r = call("speed", config, options);
  INFO(options.dump() << " -> " << r.dump().substr(0, 400));
  REQUIRE(r["ok"] == true);
  return r["speed"];
}

// The request of a benchmark row (the same as scripts/fit-speed.mjs's rowFlags): llama.cpp on the row's GPU and
// backend, batch 1, the row's format, micro-batch and flash attention; tgN@dD → a prompt of D (at least 1) and N
// output tokens; ppN@dD → a prompt of N at depth D.
json row_options(const json& row, const json& cal) {
  json o = {{"engine", "llamacpp"},
            {"gpu", row["gpu"]},
            {"batch", 1},
            {"kv_dtype", "fp16"},
            {"n_ubatch", row.value("ubatch", 512)},
            {"n_gpu_layers", 99}};
  std::string backend = row["backend"];
  std::transform(backend.begin(), backend.end(), backend.begin(), [](unsigned char c) { return std::tolower(c); });
  o["backend"] = backend;
  const json& fmt = cal["formats"][row["weight_format"].get<std::string>()];
  if (fmt.contains("quant")) o["quant"] = fmt["quant"];
  if (fmt.contains("dtype")) o["dtype"] = fmt["dtype"];
  if (row["metric"] == "decode_tokens_per_s") {
    o["prompt"] = std::max<uint64_t>(1, row["context_depth"].get<uint64_t>());
    o["output"] = row["gen_tokens"];
  } else {
    o["prompt"] = row["prompt_tokens"];
    o["depth"] = row["context_depth"];
    o["output"] = 1;
  }
  if (!row["flash_attn"].is_boolean() || !row["flash_attn"].get<bool>()) o["flash_attn"] = false;
  return o;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

bool contains(const json& list, const std::string& s) {
  for (const auto& x : list)
    if (x == s) return true;
  return false;
}

}  // namespace

TEST_CASE("the catalogue's speed figures are hardware.json's, GPU by GPU", "[speed]") {
  const json fixture = read_json("fixtures/speed/hardware.json");
  const json gpus = call("gpus", "", json::object())["gpus"];
  REQUIRE(fixture.size() == gpus.size());
  REQUIRE(static_cast<size_t>(gpumem::gpu_hardware_count()) == fixture.size());
  const char* fields[] = {"architecture",
                          "memory_type",
                          "bandwidth_gb_s",
                          "bandwidth_basis",
                          "bandwidth_source",
                          "fp32_tflops",
                          "fp32_basis",
                          "fp32_source",
                          "fp16_tensor_tflops",
                          "fp16_tensor_fp16acc_tflops",
                          "bf16_tensor_tflops",
                          "fp8_tensor_tflops",
                          "int8_tensor_tops",
                          "fp4_tensor_tflops",
                          "tensor_basis",
                          "tensor_source",
                          "fp16_equals_fp32_rate",
                          "pcie_gen",
                          "pcie_lanes",
                          "gpu_link",
                          "gpu_link_gb_s",
                          "interconnect_source",
                          "unverified",
                          "unverified_fields"};
  for (size_t i = 0; i < fixture.size(); ++i) {
    const json& want = fixture[i];
    const json& got = gpus[i];
    CAPTURE(want["name"]);
    REQUIRE(got["name"] == want["name"]);
    CHECK(got["vendor"] == want["vendor"]);
    for (const char* f : fields) {
      CAPTURE(f);
      const json& w = want[f];
      const json& g = got["hardware"][f];
      if (w.is_number())
        CHECK(g.get<double>() == w.get<double>());  // the figure as published, to the last digit
      else
        CHECK(g == w);
    }
  }
}

TEST_CASE("calibration: llama-bench rows within issue 21's bounds, held-out rows reported apart", "[speed]") {
  const json bench = read_json("fixtures/speed/benchmarks.json");
  const json cal = read_json("fixtures/speed/calibration.json");
  std::map<std::string, std::string> configs;
  struct Err {
    std::string id, gpu, format;
    bool decode = false, held_out = false;
    double err = 0;
  };
  std::vector<Err> errs;
  int no_peak = 0;
  for (const auto& row : bench) {
    if (!row["calibration"].get<bool>()) continue;
    const std::string id = row["id"];
    CAPTURE(id);
    const std::string path = cal["models"][row["model_hf"].get<std::string>()];
    if (!configs.count(path)) configs[path] = read_text(path);
    const json s = speed(configs[path], row_options(row, cal));
    const bool decode = row["metric"] == "decode_tokens_per_s";
    if (!decode && s["prefill"].is_null()) {  // no FP32 figure for the GPU (Apple M3 Ultra): not estimated
      ++no_peak;
      continue;
    }
    const double est = decode ? s["decode"]["tokens_per_s"].get<double>() : s["prefill"]["tokens_per_s"].get<double>();
    const bool held = contains(cal["held_out_gpus"], row["gpu"]) || contains(cal["held_out_rows"], id);
    errs.push_back({id, row["gpu"], row["weight_format"], decode, held, est / row["value"].get<double>() - 1});
  }
  // Acceptance 1 of issue 21: at least 40 rows over at least 10 GPUs and 3 weight formats.
  std::set<std::string> gpus, formats;
  for (const Err& e : errs) gpus.insert(e.gpu), formats.insert(e.format);
  CHECK(errs.size() >= 40);
  CHECK(gpus.size() >= 10);
  CHECK(formats.size() >= 3);
  CHECK(no_peak <= 2);
  auto report = [&](const char* name, auto pick, double decode_bound, double prefill_bound) {
    for (const bool decode : {true, false}) {
      std::vector<double> a;
      std::string worst;
      double max = 0;
      for (const Err& e : errs)
        if (e.decode == decode && pick(e)) {
          a.push_back(std::fabs(e.err));
          if (std::fabs(e.err) > max) max = std::fabs(e.err), worst = e.id;
        }
      const double med = median(a);
      std::printf("speed calibration, %-8s %-7s rows %3zu: median |error| %5.1f %%, max %5.1f %% (%s)\n", name,
                  decode ? "decode" : "prefill", a.size(), 100 * med, 100 * max, worst.c_str());
      INFO(name << (decode ? " decode" : " prefill") << ": median " << med << ", max " << max << " at " << worst);
      CHECK(!a.empty());
      CHECK(med <= (decode ? decode_bound : prefill_bound));
      CHECK(max <= 0.5);  // every row within 50 %
    }
  };
  report(
      "all", [](const Err&) { return true; }, 0.15, 0.25);
  report(
      "fit", [](const Err& e) { return !e.held_out; }, 0.15, 0.25);
  // Validation: rows the fit never saw (calibration.json's held-out GPUs and rows).
  report(
      "held-out", [](const Err& e) { return e.held_out; }, 0.15, 0.25);
}

TEST_CASE("decode tokens/s falls as the context grows", "[speed]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  const std::string gemma = read_text("fixtures/configs/gemma-2-9b.json");
  for (const json& base : {json{{"engine", "llamacpp"}, {"quant", "gguf-q4_k_m"}, {"gpu", "RTX 4090"}},
                           json{{"engine", "vllm"}, {"gpu", "H100 80GB"}},
                           json{{"engine", "hf"}, {"gpu", "A100 80GB"}, {"dtype", "bf16"}}}) {
    for (const std::string* cfg : {&llama, &gemma}) {
      double last = 1e30;
      for (uint64_t prompt : {16, 512, 2048, 4096, 7000}) {
        json o = base;
        o["prompt"] = prompt;
        o["output"] = 64;
        const double tps = speed(*cfg, o)["decode"]["tokens_per_s"];
        CAPTURE(base.dump(), prompt);
        CHECK(tps < last);
        last = tps;
      }
    }
  }
}

TEST_CASE("aggregate tokens/s rises with batch to the knee; per-sequence tokens/s never rises", "[speed]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  const std::string mixtral = read_text("fixtures/configs/mixtral-8x7b-v0.1.json");
  int knees = 0;
  for (const std::string* cfg : {&llama, &mixtral}) {
    for (const json& base : {json{{"engine", "vllm"}, {"gpu", "H100 80GB"}, {"prompt", 32}, {"output", 32}},
                             json{{"engine", "vllm"}, {"gpu", "A100 80GB"}, {"prompt", 2048}, {"output", 512}},
                             json{{"engine", "llamacpp"},
                                  {"gpu", "RTX 4090"},
                                  {"quant", "gguf-q4_k_m"},
                                  {"prompt", 32},
                                  {"output", 32},
                                  {"n_gpu_layers", 99}}}) {
      CAPTURE(base.dump());
      json o = base;
      // The knee: the smallest batch whose step compute binds (0: the KV cache's reads keep it memory-bound).
      const uint64_t knee = speed(*cfg, o)["decode"]["knee_batch"];
      if (knee != 0) {
        ++knees;
        CHECK(knee > 1);
      }
      const uint64_t top = knee != 0 ? 4 * knee : 4096;
      double per_last = 1e30, agg_last = 0, agg_knee = 0;
      for (uint64_t b = 1; b <= top && b <= 8192; b = b < 8 ? b + 1 : b * 2) {
        o["batch"] = b;
        const json d = speed(*cfg, o)["decode"];
        const double per = d["tokens_per_s"], agg = d["aggregate_tokens_per_s"];
        CAPTURE(b, knee);
        CHECK(per <= per_last);
        CHECK(agg >= agg_last);
        if (knee == 0 || b <= knee) CHECK(agg > agg_last);
        if (knee != 0 && b >= knee && agg_knee == 0) agg_knee = agg;
        if (knee != 0 && b >= 4 * knee) CHECK(agg < 1.6 * agg_knee);  // compute binds: the aggregate flattens
        per_last = per, agg_last = agg;
      }
    }
  }
  CHECK(knees >= 3);  // short contexts reach a compute-bound knee
  // The curve the answer carries climbs the same way, up to the largest batch the memory holds.
  const json s = speed(llama, {{"engine", "vllm"}, {"gpu", "A100 80GB"}, {"prompt", 512}, {"output", 512}});
  CHECK(s["max_batch"].get<uint64_t>() > 16);
  double per = 1e30, agg = 0;
  for (const auto& p : s["batch_curve"]) {
    CHECK(p["tokens_per_s"].get<double>() <= per);
    CHECK(p["aggregate_tokens_per_s"].get<double>() >= agg);
    per = p["tokens_per_s"], agg = p["aggregate_tokens_per_s"];
  }
}

TEST_CASE("a smaller weight format is never slower in decode at batch 1", "[speed]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  const std::string qwen = read_text("fixtures/configs/qwen3-30b-a3b.json");
  for (const char* gpu :
       {"RTX 4090", "A100 80GB", "H100 PCIe", "Apple M2 Ultra 192GB", "Apple M1 Max 64GB", "RX 7900 XTX", "Arc B580"}) {
    for (const std::string* cfg : {&llama, &qwen}) {
      std::vector<std::pair<double, double>> by_bytes;  // (weight bytes per step, tokens/s)
      for (const char* q : {"none", "gguf-q8_0", "gguf-q6_k", "gguf-q5_k_m", "gguf-q5_0", "gguf-q4_k_m", "gguf-q4_0",
                            "gguf-q3_k_m", "gguf-q2_k"}) {
        json o = {{"engine", "llamacpp"}, {"gpu", gpu},    {"quant", q},   {"dtype", "fp16"},
                  {"n_gpu_layers", 99},   {"prompt", 512}, {"output", 128}};
        const json d = speed(*cfg, o)["decode"];
        by_bytes.push_back({d["weight_bytes"].get<double>(), d["tokens_per_s"].get<double>()});
      }
      std::sort(by_bytes.begin(), by_bytes.end());
      for (size_t i = 1; i < by_bytes.size(); ++i) {
        CAPTURE(gpu, by_bytes[i - 1].first, by_bytes[i].first);
        CHECK(by_bytes[i - 1].second >= by_bytes[i].second);
      }
    }
    // vLLM: bf16 > fp8 > AWQ 4-bit in bytes, so in time per token.
    double last = 0;
    for (const char* q : {"none", "fp8", "awq-4bit"}) {
      const json d =
          speed(llama, {{"engine", "vllm"}, {"gpu", "H100 80GB"}, {"quant", q}, {"dtype", "bf16"}})["decode"];
      CHECK(d["tokens_per_s"].get<double>() >= last);
      last = d["tokens_per_s"];
    }
  }
}

TEST_CASE("MoE decode at batch 1 reads about the active parameters' bytes, not the total", "[speed]") {
  for (const char* file : {"fixtures/configs/mixtral-8x7b-v0.1.json", "fixtures/configs/qwen3-30b-a3b.json"}) {
    CAPTURE(file);
    const std::string cfg = read_text(file);
    const json p = call("params", cfg)["params"];
    const double total = p["total"], active = p["active"];
    const double embd = p["groups"]["embeddings"];
    // bf16 weights: 2 bytes per parameter; the token embedding is a row lookup, not read.
    const json s = speed(cfg, {{"engine", "vllm"}, {"gpu", "H100 80GB"}, {"dtype", "bf16"}, {"batch", 1}});
    const double read = s["decode"]["weight_bytes"];
    CHECK(read / ((active - embd) * 2) == Approx(1).epsilon(0.03));
    CHECK(read < 0.4 * total * 2);
    // A batch of 8 sequences touches more experts: E × (1 − (1 − k/E)^8) per layer.
    const json s8 = speed(cfg, {{"engine", "vllm"}, {"gpu", "H100 80GB"}, {"dtype", "bf16"}, {"batch", 8}});
    CHECK(s8["decode"]["weight_bytes"].get<double>() > 1.5 * read);
    CHECK(has_assumption(call("speed", cfg, {{"engine", "vllm"}, {"gpu", "H100 80GB"}}), "speed_moe_experts"));
  }
}

TEST_CASE("multi-GPU: tensor parallelism over the link, pipeline stages one at a time, CPU layers at its bandwidth",
          "[speed]") {
  const std::string llama70 = read_text("fixtures/configs/llama-3.1-70b.json");
  const json base = {{"engine", "vllm"}, {"gpu", "H100 80GB"}, {"dtype", "bf16"}, {"prompt", 1024}, {"output", 128}};
  json o = base;
  const double one = speed(llama70, o)["decode"]["tokens_per_s"];
  o["tp"] = 4, o["gpus"] = 4;
  const json tp4 = speed(llama70, o);
  o.erase("tp"), o["pp"] = 4;
  const json pp4 = speed(llama70, o);
  CHECK(tp4["decode"]["tokens_per_s"].get<double>() > 2.5 * one);
  // A batch-1 step runs the 4 stages one after another: about one GPU's time, plus the hand-offs.
  CHECK(pp4["decode"]["tokens_per_s"].get<double>() == Approx(one).epsilon(0.1));
  bool comm = false;
  for (const auto& t : tp4["terms"]) comm = comm || t["id"] == "decode.interconnect";
  CHECK(comm);
  // PCIe cards all-reduce over PCIe: slower than NVLink for the same split.
  json pcie = base;
  pcie["gpu"] = "L40S", pcie["tp"] = 4, pcie["gpus"] = 4;
  json nv = pcie;
  nv["gpu"] = "H100 80GB";
  CHECK(speed(llama70, pcie)["prefill"]["seconds"].get<double>() >
        speed(llama70, nv)["prefill"]["seconds"].get<double>());

  // llama.cpp on a card too small: --fit leaves layers on the CPU, which then binds; a faster memory helps.
  const std::string q = "gguf-q4_k_m";
  const json slow = speed(llama70, {{"engine", "llamacpp"},
                                    {"gpu", "RTX 4090"},
                                    {"quant", q},
                                    {"prompt", 512},
                                    {"output", 64},
                                    {"cpu_bandwidth", 50}});
  const json fast = speed(llama70, {{"engine", "llamacpp"},
                                    {"gpu", "RTX 4090"},
                                    {"quant", q},
                                    {"prompt", 512},
                                    {"output", 64},
                                    {"cpu_bandwidth", 100}});
  CHECK(slow["decode"]["bound"] == "cpu");
  CHECK(fast["decode"]["tokens_per_s"].get<double>() > 1.3 * slow["decode"]["tokens_per_s"].get<double>());
  const json fits =
      speed(llama70, {{"engine", "llamacpp"}, {"gpu", "A100 80GB"}, {"quant", q}, {"prompt", 512}, {"output", 64}});
  CHECK(fits["decode"]["bound"] == "memory");
  CHECK(fits["decode"]["tokens_per_s"].get<double>() > 3 * slow["decode"]["tokens_per_s"].get<double>());
}

TEST_CASE("every engine answers with TTFT, tokens/s, a range and terms with formulas", "[speed]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  for (const char* engine : {"hf", "vllm", "llamacpp"}) {
    CAPTURE(engine);
    const json r = call("speed", llama,
                        {{"engine", engine},
                         {"gpu", "RTX 4090"},
                         {"batch", 4},
                         {"prompt", 1000},
                         {"output", 200},
                         {"quant", std::string(engine) == "llamacpp" ? "gguf-q4_k_m" : "auto"}});
    REQUIRE(r["ok"] == true);
    const json& s = r["speed"];
    CHECK(s["prefill"]["seconds"].get<double>() > 0);
    CHECK(s["prefill"]["tokens_per_s"].get<double>() ==
          Approx(4 * 1000 / s["prefill"]["seconds"].get<double>()).epsilon(0.001));
    const std::string pb = s["prefill"]["bound"], db = s["decode"]["bound"];
    CHECK((pb == "compute" || pb == "memory"));
    CHECK(db == "memory");
    CHECK(s["decode"]["aggregate_tokens_per_s"].get<double>() ==
          Approx(4 * s["decode"]["tokens_per_s"].get<double>()).epsilon(0.001));
    CHECK(s["ttft_s"] == s["prefill"]["seconds"]);
    CHECK(s["total_s"].get<double>() ==
          Approx(s["ttft_s"].get<double>() + 199 * s["decode"]["seconds_per_token"].get<double>()).epsilon(0.001));
    const json& rg = s["range"]["decode_tokens_per_s"];
    CHECK(rg[0].get<double>() <= s["decode"]["tokens_per_s"].get<double>());
    CHECK(rg[1].get<double>() >= s["decode"]["tokens_per_s"].get<double>());
    CHECK(s["range"]["calibrated"] == (std::string(engine) == "llamacpp"));
    for (const auto& t : s["terms"]) {
      const std::string f = t["formula"];
      CHECK(f == gpumem::render(gpumem::test::text_from_json(t["formula_text"])));
    }
    CHECK(has_assumption(r, std::string(engine) == "llamacpp" ? "speed_efficiency" : "speed_efficiency_prior"));
  }
  // Worked example of docs/ESTIMATION.md ("Speed"): Llama-3-8B Q4_K_M on an RTX 4090, batch 1.
  const json s = speed(llama, {{"engine", "llamacpp"},
                               {"gpu", "RTX 4090"},
                               {"quant", "gguf-q4_k_m"},
                               {"prompt", 512},
                               {"output", 128},
                               {"flash_attn", false}});
  CHECK(s["decode"]["weight_bytes"] == 4617396224);  // 4.58 GiB file less the Q4_K token embedding
  CHECK(s["decode"]["tokens_per_s"].get<double>() == Approx(121.1).epsilon(0.005));
}

TEST_CASE("training: step time from 6 x params x tokens at the named MFU", "[speed]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  const json base = {{"mode", "train"}, {"gpu", "H100 80GB"}, {"batch", 4}, {"seq", 2048}, {"precision", "amp-bf16"}};
  const json r = call("speed", llama, base);
  REQUIRE(r["ok"] == true);
  const json& s = r["speed"];
  const json p = call("params", llama)["params"];
  const double embd = p["groups"]["embeddings"];
  const double matmul = p["total"].get<double>() - embd;  // the lm_head is a matrix, the embedding a lookup
  const double tokens = 4 * 2048;
  CHECK(s["tokens_per_step"] == 8192);
  CHECK(s["flops_per_step"].get<double>() > 6 * matmul * tokens);
  CHECK(s["flops_per_step"].get<double>() < 1.15 * 6 * matmul * tokens);  // + attention at 2,048 tokens
  CHECK(s["step_s"].get<double>() == Approx(s["flops_per_step"].get<double>() / (989.4e12 * 0.4)).epsilon(0.001));
  CHECK(s["mfu"] == 0.4);
  CHECK(has_assumption(r, "speed_mfu"));
  CHECK(has_assumption(r, "speed_mfu_default"));
  // LoRA: the frozen base costs the forward and the input gradients (4 of the 6); full checkpointing adds a forward.
  json lora = base;
  lora["lora_rank"] = 16;
  const double t_lora = speed(llama, lora)["step_s"];
  CHECK(t_lora / s["step_s"].get<double>() == Approx(4.0 / 6).epsilon(0.05));
  json ckpt = base;
  ckpt["checkpointing"] = "full";
  CHECK(speed(llama, ckpt)["step_s"].get<double>() / s["step_s"].get<double>() == Approx(8.0 / 6).epsilon(0.05));
  json tokens_asked = base;
  tokens_asked["train_tokens"] = 1000000000;
  tokens_asked["mfu"] = 0.5;
  const json t = speed(llama, tokens_asked);
  CHECK(t["time_s"].get<double>() == Approx(1e9 / t["tokens_per_s"].get<double>()).epsilon(0.001));
}

TEST_CASE("speed: bad input is an error with a code and a path", "[speed][errors]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  struct Case {
    json options;
    const char* code;
    const char* path;
  };
  for (const Case& c : {
           Case{json::object(), "bad_request", "/options/gpu"},
           Case{{{"gpu", "RTX 9999"}}, "bad_request", "/options/gpu"},
           Case{{{"gpu", "mine"}, {"gpu_memory", "24GB"}}, "unsupported", "/options/gpu"},
           Case{{{"gpu", "RTX 4090"}, {"backend", "metal"}}, "unsupported", "/options/backend"},
           Case{{{"gpu", "RTX 4090"}, {"backend", "opencl"}}, "bad_request", "/options/backend"},
           Case{{{"gpu", "RTX 4090"}, {"engine", "vllm"}, {"backend", "vulkan"}}, "unsupported", "/options/backend"},
           Case{{{"gpu", "Apple M2 Max 96GB"}, {"engine", "vllm"}}, "unsupported", "/options/engine"},
           Case{{{"gpu", "RTX 4090"}, {"cpu_bandwidth", 0}}, "bad_request", "/options/cpu_bandwidth"},
           Case{{{"gpu", "RTX 4090"}, {"output", 0}}, "bad_request", "/options/output"},
           Case{{{"gpu", "RTX 4090"}, {"context", 100}, {"prompt", 90}, {"output", 20}},
                "bad_request",
                "/options/context"},
           Case{{{"gpu", "RTX 4090"}, {"mode", "weights"}}, "bad_request", "/options/mode"},
           Case{{{"gpu", "Apple M3 Max 36GB"}, {"mode", "train"}}, "unsupported", "/options/gpu"},
           Case{{{"gpu", "RTX 4090"}, {"mode", "train"}, {"mfu", 1.5}}, "bad_request", "/options/mfu"},
       }) {
    CAPTURE(c.options.dump());
    const json r = call("speed", llama, c.options);
    REQUIRE(r["ok"] == false);
    CHECK(r["error"]["code"] == c.code);
    CHECK(r["error"]["path"] == c.path);
    CHECK(r["error"]["text"].contains("id"));
  }
  const json bert = call("speed", read_text("fixtures/configs/bert-base-uncased.json"),
                         {{"gpu", "RTX 4090"}, {"prompt", 64}, {"output", 16}});
  CHECK(bert["error"]["code"] == "unsupported");
  CHECK(bert["error"]["path"] == "/config");
  // A GPU without a bandwidth figure (none in the catalogue has none: a card built here).
  const gpumem::NormalizedConfig nc = gpumem::read_config(json::parse(llama));
  gpumem::InferenceOptions o;
  o.engine = gpumem::Engine::llamacpp;
  const gpumem::InferencePlan plan(nc.model, o);
  const gpumem::SpeedPlan sp(nc.model, o, plan.weights(), gpumem::SpeedOptions{});
  gpumem::Gpu g = *gpumem::find_gpu("RTX 4090");
  g.hw.bandwidth_gb_s = 0;
  try {
    (void)sp.estimate(g, 1, 1);
    FAIL("no error");
  } catch (const gpumem::Error& e) {
    CHECK(std::string(e.code()) == "unsupported");
    CHECK(e.path() == "/options/gpu");
  }
  // A GPU without the matrix peak the engine uses: decode still answers, prefill is null and says why.
  const json m3 = call("speed", llama, {{"gpu", "Apple M3 Max 36GB"}, {"engine", "llamacpp"}});
  REQUIRE(m3["ok"] == true);
  CHECK(m3["speed"]["prefill"].is_null());
  CHECK(m3["speed"]["decode"]["tokens_per_s"].get<double>() > 0);
  CHECK(has_assumption(m3, "speed_no_peak"));
}

TEST_CASE("the speed table: every catalogue GPU, placed where the fits-on table puts the model", "[speed]") {
  const std::string llama = read_text("fixtures/configs/llama-3-8b.json");
  for (const json& base : {json{{"engine", "llamacpp"}, {"quant", "gguf-q4_k_m"}},
                           json{{"engine", "vllm"}, {"context", 32768}}, json{{"engine", "hf"}, {"batch", 4}}}) {
    CAPTURE(base.dump());
    json o = base;
    o["gpu"] = "RTX 4090";
    json with_table = o;
    with_table["table"] = true;
    const json one = speed(llama, o);
    const json s = speed(llama, with_table);
    CHECK_FALSE(one.contains("table"));
    const json fit = call("fit", llama, o);
    REQUIRE(fit["ok"] == true);
    const json& table = s["table"];
    REQUIRE(table.size() == fit["table"].size());
    for (size_t i = 0; i < table.size(); ++i) {
      const json& row = table[i];
      const json& f = fit["table"][i];
      CAPTURE(row.dump());
      REQUIRE(row["gpu"] == f["gpu"]);
      // The fits-on table's GPUs: 1 (the request's) where it fits, else gpus_needed (0: not even 64 hold it).
      CHECK(row["gpus"] == (f["fits"] == true ? json(1) : f["gpus_needed"]));
      const std::string vendor = f["vendor"];
      const bool runs = !(base["engine"] == "vllm" && vendor == "Apple");
      const bool rated = row["gpus"] != 0 && runs && !(row["gpus"] != 1 && vendor == "Apple");
      CHECK(row["tokens_per_s"].is_number() == rated);
      if (!row["tokens_per_s"].is_number()) continue;
      const double tps = row["tokens_per_s"];
      CHECK(row["tokens_per_s_range"][0].get<double>() <= tps);
      CHECK(row["tokens_per_s_range"][1].get<double>() >= tps);
      CHECK(row["aggregate_tokens_per_s"].get<double>() >= tps * 0.999);
    }
    // The chosen GPU's row is the single answer's when it fits there with every layer on it.
    const auto it = std::find_if(table.begin(), table.end(), [](const json& r) { return r["gpu"] == "RTX 4090"; });
    REQUIRE(it != table.end());
    if ((*it)["gpus"] == 1) CHECK((*it)["tokens_per_s"] == one["decode"]["tokens_per_s"]);
    CHECK(has_assumption(call("speed", llama, with_table), "speed_table"));
  }
}

}  // namespace test_speed
