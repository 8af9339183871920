// Training memory (estimate with mode "train"): the seed's rule-of-thumb table as a special case, the
// published training measurements in measurements.json, and properties that must hold for every model.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <string>

#include "support.hpp"

using gpumem::test::call;
using gpumem::test::config_path;
using gpumem::test::read_json;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

json train(const std::string& config_text, json options) {
  options["mode"] = "train";
  json r = call("estimate", config_text, options);
  INFO(r.dump().substr(0, 400));
  REQUIRE(r["ok"] == true);
  return r;
}

uint64_t part(const json& r, const std::string& id) {
  for (const auto& p : r["memory"]["parts"])
    if (p["id"] == id) return p["bytes"].get<uint64_t>();
  FAIL("no part " << id);
  return 0;
}

uint64_t model_states(const json& r) {
  return part(r, "weights") + part(r, "master_weights") + part(r, "gradients") + part(r, "optimizer_states");
}

}  // namespace

// Seed article (first seed, training section): fp32 weights + fp32 gradients + AdamW's two fp32 states
// = 4 + 4 + 8 = 16 bytes per parameter, so a 7e9-parameter model needs 16 · 7e9 bytes ≈ 104 GiB before
// activations; SGD with momentum 4 + 4 + 4 = 12; 8-bit AdamW 4 + 4 + 2 = 10 (plus the absmax blocks).
TEST_CASE("seed table: 7B full fine-tuning bytes per parameter", "[training]") {
  const std::string cfg = read_text("fixtures/configs/llama-2-7b.json");
  json base = {{"precision", "fp32"}, {"measure", "allocated"}, {"attention", "sdpa"}};
  base["optimizer"] = "adamw";
  json adam = train(cfg, base);
  const uint64_t n = adam["params"]["total"].get<uint64_t>();
  CHECK(model_states(adam) == 16 * n);
  // 16 bytes × 7e9 parameters in GiB: the seed's "≈ 104 GB" is 104.3 GiB.
  CHECK(std::abs(16.0 * 7e9 / double(1ULL << 30) - 104.3) < 0.05);
  CHECK(part(adam, "runtime_overhead") == 0);
  CHECK(adam["memory"]["total_bytes"].get<uint64_t>() > 16 * n);  // activations come on top

  base["optimizer"] = "sgd-momentum";
  CHECK(model_states(train(cfg, base)) == 12 * n);
  base["optimizer"] = "sgd";
  CHECK(model_states(train(cfg, base)) == 8 * n);
  base["optimizer"] = "adamw8bit";
  const double per = double(part(train(cfg, base), "optimizer_states")) / double(n);
  CHECK(per > 2.0);
  CHECK(per < 2.05);  // 2 bytes + 2 × 4 bytes absmax per 256 values
}

// Each HF Trainer case in measurements.json: its setup mapped to options, the estimate within the
// case's stated tolerance. The CUDA context comes from the same file's context-only row.
TEST_CASE("training measurements reproduced within tolerance", "[training]") {
  const json cases = read_json("fixtures/measurements.json");
  int checked = 0;
  for (const auto& c : cases) {
    const json& s = c["setup"];
    if (!s.contains("trainer") || c["what"].get<std::string>().find("peak during training") == std::string::npos)
      continue;
    double context_mib = 0;
    for (const auto& k : cases)
      if (k["model"] == c["model"] && k["what"].get<std::string>().find("CUDA context") == 0)
        context_mib = k["value"].get<double>();
    REQUIRE(context_mib > 0);
    json o = {
        {"batch", s["per_device_train_batch_size"]},
        {"seq", s["seq_len"]},
        {"grad_accum", s.value("gradient_accumulation_steps", 1)},
        {"checkpointing", s.value("gradient_checkpointing", false) ? "full" : "none"},
        {"precision", s.value("fp16", false) ? "amp-fp16" : "fp32"},
        {"attention", "eager"},  // transformers 4.2x BERT had only the eager attention
                                 // a 2021 run (driver 460, CUDA 11.2): see docs/ESTIMATION.md, "legacy autograd"
        {"legacy_autograd", s["driver"].get<std::string>().find("CUDA 11.2") != std::string::npos},
        {"measure", s["metric"].get<std::string>().find("pynvml") != std::string::npos ? "nvidia-smi" : "allocated"},
        {"cuda_context_mib", static_cast<uint64_t>(context_mib)}};
    const std::string optim = s.value("optim", "adamw");
    o["optimizer"] = optim.find("adafactor") != std::string::npos ? "adafactor"
                     : optim.find("8bit") != std::string::npos    ? "adamw8bit"
                                                                  : "adamw";
    json r = train(read_text(config_path(c["config"].get<std::string>())), o);
    REQUIRE(c["unit"] == "MiB");
    const double est = double(r["memory"]["total_bytes"].get<uint64_t>()) / double(1ULL << 20);
    const double meas = c["value"].get<double>();
    INFO(c["model"] << " " << s.dump() << ": estimate " << est << " MiB, measured " << meas << " MiB");
    CHECK(std::abs(est - meas) / meas <= c["tolerance"].get<double>());
    ++checked;
  }
  CHECK(checked >= 9);
}

TEST_CASE("LoRA needs less than full fine-tuning", "[training]") {
  for (const char* f : {"llama-2-7b", "qwen2-0.5b-instruct", "opt-350m", "bert-large-uncased"}) {
    const std::string cfg = read_text(std::string("fixtures/configs/") + f + ".json");
    json o = {{"precision", "amp-bf16"}, {"batch", 4}, {"seq", 512}};
    const uint64_t full = train(cfg, o)["memory"]["total_bytes"].get<uint64_t>();
    o["lora_rank"] = 16;
    o["lora_targets"] = "all-linear";
    json lora = train(cfg, o);
    INFO(f);
    CHECK(lora["memory"]["total_bytes"].get<uint64_t>() < full);
    CHECK(part(lora, "adapters") > 0);
    CHECK(lora["training"]["trainable_params"].get<uint64_t>() < lora["params"]["total"].get<uint64_t>() / 10);
  }
}

TEST_CASE("ZeRO-3 model states fall as 1/N plus the gathered layers", "[training]") {
  const std::string cfg = read_text("fixtures/configs/llama-2-7b.json");
  json o = {{"precision", "amp-bf16"}, {"engine", "deepspeed"}, {"zero", 3}, {"measure", "allocated"}};
  o["gpus"] = 1;
  const uint64_t one = model_states(train(cfg, o));
  uint64_t prev = one;
  for (uint64_t g : {2, 4, 8, 64}) {
    o["gpus"] = g;
    json r = train(cfg, o);
    const uint64_t states = model_states(r);
    // the gathered term: two layers' 16-bit weights, independent of N
    const uint64_t layer = r["params"]["layers"][0]["params"].get<uint64_t>();
    const uint64_t gathered = 2 * 2 * std::max<uint64_t>(layer, r["params"]["groups"]["embeddings"].get<uint64_t>());
    INFO("gpus " << g);
    CHECK(states < prev);
    CHECK(states >= one / g + gathered);
    CHECK(states <= one / g + gathered + 4);  // ceil division per part
    prev = states;
  }
}

TEST_CASE("checkpointing never increases memory; parts sum to totals for every fixture", "[training]") {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GPUMEM_TEST_DIR) + "/fixtures/configs")) {
    const std::string cfg = read_text("fixtures/configs/" + entry.path().filename().string());
    for (const char* attn : {"eager", "sdpa", "flash"}) {
      json o = {{"mode", "train"}, {"attention", attn}, {"batch", 2}, {"seq", 256}};
      o["checkpointing"] = "none";
      json none = call("estimate", cfg, o);
      if (none["ok"] != true) {  // Mamba mixers are refused with a clear error
        CHECK(none["error"]["code"] == "unsupported_model");
        continue;
      }
      o["checkpointing"] = "selective";
      json sel = call("estimate", cfg, o);
      o["checkpointing"] = "full";
      json full = call("estimate", cfg, o);
      INFO(entry.path().filename() << " " << attn);
      CHECK(part(sel, "activations") <= part(none, "activations"));
      CHECK(part(full, "activations") <= part(sel, "activations"));
      for (const json* r : {&none, &sel, &full}) {
        uint64_t sum = 0;
        for (const auto& p : (*r)["memory"]["parts"]) sum += p["bytes"].get<uint64_t>();
        CHECK(sum == (*r)["memory"]["total_bytes"].get<uint64_t>());
        CHECK((*r)["memory"]["typical_peak_bytes"].get<uint64_t>() <= sum);
      }
      ++n;
    }
  }
  CHECK(n > 60);
}

TEST_CASE("training options are validated", "[training]") {
  const std::string cfg = read_text("fixtures/configs/llama-2-7b.json");
  for (const auto& [key, value] : std::vector<std::pair<std::string, json>>{{"optimizer", "adam9"},
                                                                            {"precision", "fp8"},
                                                                            {"batch", "0"},
                                                                            {"zero", 4},
                                                                            {"lora_targets", "qkv"},
                                                                            {"checkpointing", "some"},
                                                                            {"mode", "serve"}}) {
    json o = {{"mode", "train"}, {"lora_rank", 8}};
    o[key] = value;
    json r = call("estimate", cfg, o);
    INFO(key);
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "bad_request");
    CHECK(r["error"]["path"] == "/options/" + key);
  }
}

// QLoRA: the frozen base stored by bitsandbytes (bytes from quant.cpp, issue #5); double quantization
// shrinks the absmax blocks further; quantized weights cannot be trained without adapters.
TEST_CASE("QLoRA frozen base weights", "[training]") {
  const std::string cfg = read_text("fixtures/configs/llama-2-13b.json");
  json o = {{"precision", "amp-bf16"}, {"lora_rank", 16}, {"lora_targets", "all-linear"}, {"checkpointing", "full"}};
  const uint64_t lora16 = part(train(cfg, o), "weights");
  o["quant"] = "bnb-int8";
  const uint64_t int8 = part(train(cfg, o), "weights");
  o["quant"] = "bnb-nf4";
  json nf4 = train(cfg, o);
  o["double_quant"] = true;
  json dq = train(cfg, o);
  CHECK(int8 < lora16);
  CHECK(part(nf4, "weights") < int8);
  CHECK(part(dq, "weights") < part(nf4, "weights"));
  CHECK(part(dq, "adapters") == part(nf4, "adapters"));
  CHECK(nf4["training"]["recipe"].get<std::string>().find("QLoRA") == 0);
  o.erase("lora_rank");
  o["mode"] = "train";
  json bad = call("estimate", cfg, o);
  CHECK(bad["ok"] == false);
  CHECK(bad["error"]["path"] == "/options/quant");
  o["lora_rank"] = 8;
  o["quant"] = "bnb-int8";
  bad = call("estimate", cfg, o);
  CHECK(bad["error"]["path"] == "/options/double_quant");
}
