// llama.cpp as current llama-server runs it (core/src/memory/llamacpp.cpp): the buffers of a public log,
// the trained context as the default, the automatic fit (context, then layers, then MoE experts) and its
// flags, and the engine_report contract.
#include <catch2/catch.hpp>
#include <cstdio>
#include <regex>
#include <string>

#include "support.hpp"

namespace test_llamacpp {

using gpumem::test::call;
using gpumem::test::part;
using gpumem::test::read_json;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

constexpr uint64_t kMiB = 1ULL << 20;

std::string config(const char* name) { return read_text(std::string("fixtures/configs/") + name); }

json estimate(const char* name, json options) {
  options["engine"] = "llamacpp";
  if (!options.contains("quant")) options["quant"] = "gguf-q4_k_m";
  json r = call("estimate", config(name), options);
  INFO(r.dump().substr(0, 400));
  REQUIRE(r["ok"] == true);
  REQUIRE(r.contains("engine_report"));
  return r;
}

// "258.50": a size as llama.cpp's log prints it.
std::string log_mib(uint64_t bytes) {
  char s[32];
  std::snprintf(s, sizeof s, "%.2f", static_cast<double>(bytes) / static_cast<double>(kMiB));
  return s;
}

uint64_t device_used(const json& report) {
  const json& b = report["buffers"];
  return b["model"]["CUDA0"].get<uint64_t>() + b["kv"]["CUDA0"].get<uint64_t>() + b["compute"]["CUDA0"].get<uint64_t>();
}

}  // namespace

TEST_CASE("a public Llama-3-8B log's buffers are reproduced to its printed precision", "[llamacpp][measurements]") {
  // llama-cpp-python, mid-2024, RTX 3070, Q4_K_M, n_ctx 512, no flash attention (measurements.json): the
  // 258.50 MiB compute buffer is 512 × 128,256 fp32 logits (250.5 MiB) + the 512 × 4,096 fp32 hidden state.
  int compared = 0;
  for (const auto& m : read_json("fixtures/measurements.json")) {
    if (m["setup"].value("engine", "").rfind("llama.cpp", 0) != 0) continue;
    INFO(m["what"]);
    REQUIRE(m["profile"] == "llama-cpp-python-2024");
    const json r = estimate("llama-3-8b.json", {{"profile", m["profile"]}, {"quant", m["setup"]["quant"]}});
    const json& buf = m["setup"]["buffer"];
    const uint64_t est = r["engine_report"]["buffers"][buf["group"].get<std::string>()][buf["name"].get<std::string>()];
    char want[32];
    std::snprintf(want, sizeof want, "%.2f", m["value"].get<double>());
    CHECK(log_mib(est) == want);
    const double v = m["value"].get<double>() * kMiB;
    CHECK(std::abs(static_cast<double>(est) - v) / v <= m["tolerance"].get<double>());
    ++compared;
  }
  CHECK(compared == 6);
  // The same figure without the profile: --context 512 --no-flash-attn on today's defaults.
  const json r = estimate("llama-3-8b.json", {{"context", 512}, {"flash_attn", false}});
  const json& e = r["engine_report"];
  CHECK(log_mib(e["buffers"]["compute"]["CUDA0"]) == "258.50");
  CHECK(e["buffers"]["compute"]["CUDA0"] == 512ULL * (128256 + 4096) * 4);
  CHECK(log_mib(e["buffers"]["model"]["CPU_Mapped"]) == "281.81");  // token_embd Q4_K: in host memory
  CHECK(log_mib(e["buffers"]["model"]["CUDA0"]) == "4403.49");
  CHECK(part(r, "logits") == 512ULL * 128256 * 4);  // the logits part is the compute buffer's logits
  bool listed = false;
  for (const auto& line : e["log"]) listed = listed || line == "sched_reserve: CUDA0 compute buffer size = 258.50 MiB";
  CHECK(listed);
}

TEST_CASE("with no --context llama.cpp uses the trained context", "[llamacpp]") {
  const json r = estimate("llama-3.1-8b.json", json::object());
  CHECK(r["settings"]["context"] == 131072);
  CHECK(r["engine_report"]["n_ctx"] == 131072);
  // 32 layers × 8 KV heads × 128 × 2 (K and V) × 2 B (F16) × 131,072 cells = 16 GiB.
  CHECK(r["engine_report"]["buffers"]["kv"]["CUDA0"] == 16ULL << 30);
  CHECK(r["engine_report"]["fit"]["ran"] == false);  // no GPU: nothing to fit
  bool said = false;
  for (const auto& a : r["assumptions"])
    said = said ||
           (a["code"] == "context_default" && a["message"].get<std::string>().find("131,072") != std::string::npos);
  CHECK(said);
  // Other engines keep their own default.
  const json hf = call("estimate", config("llama-3.1-8b.json"), {{"engine", "hf"}});
  CHECK(hf["settings"]["context"] != 131072);
  // A context given is kept, and no fit happens without a GPU.
  CHECK(estimate("llama-3.1-8b.json", {{"context", 8192}})["settings"]["context"] == 8192);
}

TEST_CASE("the engine_report's buffers are the estimate's parts", "[llamacpp]") {
  for (const char* name : {"llama-3-8b.json", "qwen3-30b-a3b.json", "gemma-2-9b.json", "llama-3.2-1b-instruct.json"}) {
    for (const json& extra : {json::object(), json{{"n_gpu_layers", 10}}, json{{"n_cpu_moe", 6}, {"batch", 2}},
                              json{{"flash_attn", false}, {"n_ubatch", 1024}}}) {
      json o = extra;
      o["context"] = 8192;
      INFO(name << " " << o.dump());
      const json r = estimate(name, o);
      const json& e = r["engine_report"];
      for (const char* key : {"n_ctx", "n_gpu_layers", "n_cpu_moe", "buffers", "flags"}) CHECK(e.contains(key));
      for (const char* key : {"model", "kv", "compute", "host"}) CHECK(e["buffers"].contains(key));
      const json& b = e["buffers"];
      CHECK(b["model"]["CUDA0"] == part(r, "weights"));
      CHECK(b["kv"]["CUDA0"] == part(r, "kv_cache"));
      CHECK(b["compute"]["CUDA0"] == part(r, "workspace") + part(r, "logits"));
      CHECK(r["memory"]["total_bytes"] == device_used(e) + part(r, "runtime_overhead"));
      const uint64_t host = b["model"]["CPU_Mapped"].get<uint64_t>() + b["kv"].value("CPU", uint64_t{0}) +
                            b["compute"]["CUDA_Host"].get<uint64_t>() + b["host"]["CUDA_Host output"].get<uint64_t>();
      CHECK(b["host"]["total"] == host);
      // The whole model is on one side or the other: GPU + host model buffers = the GGUF's bytes, with a
      // tied output counted twice (llama.cpp loads token_embd again as the output on the GPU).
      const json all = estimate(name, {{"context", 8192}, {"n_gpu_layers", 0}});
      const uint64_t file = all["engine_report"]["buffers"]["model"]["CPU_Mapped"];
      const uint64_t placed = b["model"]["CUDA0"].get<uint64_t>() + b["model"]["CPU_Mapped"].get<uint64_t>();
      CHECK(placed >= file);
      // KV split by layer: GPU + host = the whole cache.
      CHECK(b["kv"]["CUDA0"].get<uint64_t>() + b["kv"].value("CPU", uint64_t{0}) ==
            estimate(name,
                     {{"context", 8192}, {"batch", o.value("batch", 1)}})["engine_report"]["buffers"]["kv"]["CUDA0"]);
    }
  }
}

TEST_CASE("the compute buffer follows n_ubatch and flash attention", "[llamacpp]") {
  const json fa = estimate("llama-3.1-8b.json", {{"context", 32768}});
  const json no_fa = estimate("llama-3.1-8b.json", {{"context", 32768}, {"flash_attn", false}});
  // Without flash attention the 32 heads' fp32 scores of 512 × 32,768 are materialized: 2 GiB and more.
  CHECK(no_fa["engine_report"]["buffers"]["compute"]["CUDA0"].get<uint64_t>() >= 32ULL * 512 * 32768 * 4);
  CHECK(fa["engine_report"]["buffers"]["compute"]["CUDA0"].get<uint64_t>() < (512ULL << 20));
  CHECK(no_fa["engine_report"]["flags"].get<std::string>().find("-fa off") != std::string::npos);
  const json ub = estimate("llama-3.1-8b.json", {{"context", 32768}, {"n_ubatch", 1024}});
  CHECK(part(ub, "logits") == 1024ULL * 128256 * 4);
  CHECK(ub["engine_report"]["n_ubatch"] == 1024);
  // -b caps -ub.
  const json b = estimate("llama-3.1-8b.json", {{"context", 32768}, {"n_ubatch", 1024}, {"n_batch", 256}});
  CHECK(b["engine_report"]["n_ubatch"] == 256);
  // The KV cache defaults to F16 whatever the weights (llama.cpp's -ctk f16).
  const json f32 = estimate("llama-3.1-8b.json", {{"context", 4096}, {"dtype", "fp32"}, {"quant", "none"}});
  CHECK(f32["engine_report"]["buffers"]["kv"]["CUDA0"] == 32ULL * 2048 * 2 * 4096);
}

TEST_CASE("the fit shrinks the context when that is enough", "[llamacpp][fit]") {
  // Llama-3.1-8B Q4_K_M: 131,072 tokens need 16 GiB of cache; an RTX 3060 (12 GB) gets a shorter context with
  // every layer on the GPU, a multiple of 256 between --fit-ctx and the trained context.
  const json r = estimate("llama-3.1-8b.json", {{"gpu", "RTX 3060"}});
  const json& e = r["engine_report"];
  const uint64_t ctx = r["settings"]["context"];
  CHECK(ctx < 131072);
  CHECK(ctx >= 4096);
  CHECK(ctx % 256 == 0);
  CHECK(e["n_gpu_layers"] == 33);
  CHECK(e["fit"]["changed"] == true);
  CHECK(e["flags"] == "-c " + std::to_string(ctx) + " -ngl 33 --n-cpu-moe 0");
  const uint64_t target = e["fit"]["free_bytes"].get<uint64_t>() - e["fit"]["margin_bytes"].get<uint64_t>();
  CHECK(device_used(e) <= target + (64ULL << 20));  // linear interpolation, as llama.cpp does it
  // An RTX 4090 runs the whole trained context: no change.
  const json big = estimate("llama-3.1-8b.json", {{"gpu", "RTX 4090"}});
  CHECK(big["settings"]["context"] == 131072);
  CHECK(big["engine_report"]["fit"]["changed"] == false);
  // A custom card works the same way.
  const json custom = estimate("llama-3.1-8b.json", {{"gpu_memory", "12GiB"}});
  CHECK(custom["engine_report"]["fit"]["ran"] == true);
  CHECK(custom["settings"]["context"].get<uint64_t>() < 131072);
  // --fit false keeps llama-server's request as it is.
  const json off = estimate("llama-3.1-8b.json", {{"gpu", "RTX 3060"}, {"fit", false}});
  CHECK(off["settings"]["context"] == 131072);
  CHECK(off["engine_report"]["fit"]["ran"] == false);
}

TEST_CASE("the fit offloads layers of a model that does not fit", "[llamacpp][fit]") {
  // Llama-3.1-70B Q4_K_M (about 40 GiB) on an RTX 4090: the context falls to --fit-ctx, then the layers fill the
  // GPU back to front; one layer more would break the margin.
  const json r = estimate("llama-3.1-70b.json", {{"gpu", "RTX 4090"}});
  const json& e = r["engine_report"];
  CHECK(r["settings"]["context"] == 4096);
  const uint64_t ngl = e["n_gpu_layers"];
  CHECK(ngl > 20);
  CHECK(ngl < 80);
  CHECK(e["flags"] == "-c 4096 -ngl " + std::to_string(ngl) + " --n-cpu-moe 0");
  CHECK(e["buffers"]["kv"]["CPU"].get<uint64_t>() > 0);  // the CPU layers keep their cache
  CHECK(r["cpu"]["bytes"].get<uint64_t>() > (10ULL << 30));
  const uint64_t target = e["fit"]["free_bytes"].get<uint64_t>() - e["fit"]["margin_bytes"].get<uint64_t>();
  CHECK(device_used(e) <= target);
  const json more = estimate("llama-3.1-70b.json", {{"context", 4096}, {"n_gpu_layers", ngl + 1}});
  CHECK(device_used(more["engine_report"]) > target);
  bool said = false;
  for (const auto& a : r["assumptions"]) said = said || a["code"] == "cpu_offload";
  CHECK(said);
  // A placement the user gave is kept: the fit stops, as llama.cpp's does.
  const json given = estimate("llama-3.1-70b.json", {{"gpu", "RTX 4090"}, {"n_gpu_layers", 81}});
  CHECK(given["engine_report"]["n_gpu_layers"] == 81);
  CHECK(given["engine_report"]["fit"]["ok"] == false);
  CHECK(given["engine_report"]["fit"]["stopped"].get<std::string>().find("already set by user") != std::string::npos);
}

TEST_CASE("the fit keeps MoE experts in host memory before it offloads layers", "[llamacpp][fit]") {
  struct Case {
    const char* config;
    const char* gpu;
  };
  for (const Case c : {Case{"qwen3-30b-a3b.json", "RTX 3060"}, Case{"mixtral-8x7b-v0.1.json", "RTX 4090"}}) {
    INFO(c.config << " " << c.gpu);
    const json r = estimate(c.config, {{"gpu", c.gpu}});
    const json& e = r["engine_report"];
    const uint64_t n_layer = r["model"]["n_layer"];
    CHECK(e["n_gpu_layers"] == n_layer + 1);  // every layer's attention and dense weights on the GPU
    const uint64_t ncmoe = e["n_cpu_moe"];
    CHECK(ncmoe > 0);
    CHECK(ncmoe < n_layer);
    CHECK(e["flags"] == "-c 4096 -ngl " + std::to_string(n_layer + 1) + " --n-cpu-moe " + std::to_string(ncmoe));
    const uint64_t target = e["fit"]["free_bytes"].get<uint64_t>() - e["fit"]["margin_bytes"].get<uint64_t>();
    CHECK(device_used(e) <= target);
    const json fewer = estimate(c.config, {{"context", 4096}, {"n_cpu_moe", ncmoe - 1}});
    CHECK(device_used(fewer["engine_report"]) > target);
    // The experts moved are host memory now.
    CHECK(e["buffers"]["model"]["CPU_Mapped"].get<uint64_t>() >
          estimate(c.config, {{"context", 4096}})["engine_report"]["buffers"]["model"]["CPU_Mapped"].get<uint64_t>());
  }
}

TEST_CASE("gpumem fit --engine llamacpp --gpu answers with llama-server's flags", "[llamacpp][fit]") {
  const json o = {{"engine", "llamacpp"}, {"quant", "gguf-q4_k_m"}, {"gpu", "RTX 3060"}};
  const json f = call("fit", config("llama-3.1-8b.json"), o);
  REQUIRE(f["ok"] == true);
  const json e = estimate("llama-3.1-8b.json", {{"gpu", "RTX 3060"}});
  CHECK(f["llama_server_flags"] == e["engine_report"]["flags"]);
  CHECK(f["engine_report"]["buffers"] == e["engine_report"]["buffers"]);
  CHECK(std::regex_match(f["llama_server_flags"].get<std::string>(),
                         std::regex("-c [0-9]+ -ngl [0-9]+ --n-cpu-moe [0-9]+")));
  // Without a GPU there is nothing to fit.
  const json plain = call("fit", config("llama-3.1-8b.json"), {{"engine", "llamacpp"}, {"quant", "gguf-q4_k_m"}});
  CHECK_FALSE(plain.contains("llama_server_flags"));
}

TEST_CASE("llama.cpp's options are checked like every other", "[llamacpp][errors]") {
  for (const json& bad : {json{{"n_ubatch", 0}}, json{{"n_gpu_layers", "all"}}, json{{"fit", "maybe"}},
                          json{{"fit_ctx", 0}}, json{{"n_cpu_moe", -1}}}) {
    INFO(bad.dump());
    json o = bad;
    o["engine"] = "llamacpp";
    const json r = call("estimate", config("llama-3-8b.json"), o);
    REQUIRE(r["ok"] == false);
    CHECK(r["error"]["code"] == "bad_request");
    CHECK(r["error"]["path"] == "/options/" + bad.begin().key());
  }
}

}  // namespace test_llamacpp
