// The option schema ({"op": "options"}), the one option reader, the runtime profiles, and the training
// plans (fit and sweep with mode "train") checked against separate estimates.
#include <catch2/catch.hpp>
#include <set>
#include <string>

#include "support.hpp"

namespace test_options {

using gpumem::test::call;
using gpumem::test::part;
using gpumem::test::read_json;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

json schema() { return call("options", "", json::object()); }

const json* row(const json& s, const std::string& name, const std::string& mode) {
  for (const auto& r : s["options"])
    if (r["name"] == name)
      for (const auto& m : r["modes"])
        if (m == mode) return &r;
  return nullptr;
}

json train(const std::string& op, const std::string& config, json o) {
  o["mode"] = "train";
  json r = call(op, config, o);
  INFO(r.dump().substr(0, 300));
  REQUIRE(r["ok"] == true);
  return r;
}

}  // namespace

TEST_CASE("every option has a row with a type, a default, a tier and help", "[options]") {
  const json s = schema();
  REQUIRE(s["ok"] == true);
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& r : s["options"]) {
    INFO(r.dump());
    CHECK_FALSE(r["help"].get<std::string>().empty());
    CHECK(r["flag"].get<std::string>().rfind("--", 0) == 0);
    const std::string tier = r["tier"];
    CHECK((tier == "basic" || tier == "expert" || tier == "reproduction"));
    CHECK(r.contains("default"));
    CHECK(r.contains("default_from"));
    CHECK(r.contains("applies_when"));
    for (const auto& m : r["modes"]) {  // one row per name and mode
      const bool fresh = seen.insert({r["name"].get<std::string>(), m.get<std::string>()}).second;
      CHECK(fresh);
    }
    if (r["type"] == "enum") {
      REQUIRE(r["values"].size() >= 2);
      if (!r["default"].is_null()) {
        bool listed = false;
        for (const auto& v : r["values"]) listed = listed || v == r["default"];
        CHECK(listed);
      }
    }
    if (r["type"] == "integer" && r["default"].is_number()) {
      CHECK(r["default"].get<double>() >= r["min"].get<double>());
      if (r.contains("max")) CHECK(r["default"].get<double>() <= r["max"].get<double>());
    }
  }
  // The historical knobs are reproduction-tier, not first-screen options.
  for (const char* name : {"transformers", "bitsandbytes", "legacy_autograd", "keep_outputs", "lazy_loading",
                           "count_context", "cuda_context_mib", "profile"}) {
    INFO(name);
    const json* r = row(s, name, "train");
    if (r == nullptr) r = row(s, name, "inference");
    REQUIRE(r != nullptr);
    CHECK((*r)["tier"] == "reproduction");
  }
  for (const char* name : {"engine", "dtype", "quant", "kv_dtype", "batch", "context", "gpus", "gpu"})
    CHECK((*row(s, name, "inference"))["tier"] == "basic");
  for (const char* name : {"precision", "optimizer", "lora_rank", "lora_targets", "seq", "grad_accum", "checkpointing"})
    CHECK((*row(s, name, "train"))["tier"] == "basic");
}

TEST_CASE("the schema's defaults are the estimator's defaults", "[options]") {
  const std::string cfg = read_text("fixtures/configs/qwen2-0.5b-instruct.json");
  const json s = schema();
  // Passing every constant default explicitly changes no byte of the result but the assumptions that say a
  // default was taken.
  for (const char* mode : {"inference", "train"}) {
    json explicit_defaults = {{"mode", mode}};
    for (const auto& r : s["options"]) {
      bool in_mode = false;
      for (const auto& m : r["modes"]) in_mode = in_mode || m == mode;
      if (!in_mode || r["default"].is_null() || r["ops"][0] != "estimate" || r["name"] == "mode") continue;
      explicit_defaults[r["name"].get<std::string>()] = r["default"];
    }
    INFO(mode << " " << explicit_defaults.dump());
    json a = call("estimate", cfg, {{"mode", mode}});
    json b = call("estimate", cfg, explicit_defaults);
    REQUIRE(a["ok"] == true);
    REQUIRE(b["ok"] == true);
    CHECK(a["memory"] == b["memory"]);
  }
  CHECK((*row(s, "seq", "train"))["default"] == 512);
  CHECK((*row(s, "batch", "train"))["default"] == 1);
}

TEST_CASE("the one reader: type, range and values with a code and a path", "[options][errors]") {
  const std::string cfg = read_text("fixtures/configs/llama-3-8b.json");
  struct Case {
    json options;
    const char* path;
    const char* message;
  };
  for (const Case& c : {
           Case{{{"batch", "abc"}}, "/options/batch", "batch must be a whole number, e.g. 4096."},
           Case{{{"batch", 0}}, "/options/batch", "batch must be at least 1."},
           Case{{{"batch", -2}}, "/options/batch", "batch must be a whole number, e.g. 4096."},
           Case{{{"context", "1234567890123456"}}, "/options/context", "context must be a whole number, e.g. 4096."},
           Case{{{"mode", "train"}, {"seq", 0}}, "/options/seq", "seq must be between 1 and 100,000,000."},
           Case{{{"mode", "train"}, {"zero", 4}}, "/options/zero", "zero must be between 0 and 3."},
           Case{{{"mode", "train"}, {"optimizer", "adam"}},
                "/options/optimizer",
                "Unknown optimizer \"adam\"; use adamw, adamw8bit, paged-adamw8bit, sgd, sgd-momentum, adafactor, "
                "lion, adam-mini or none."},
           Case{{{"engine", "tgi"}}, "/options/engine", "Unknown engine \"tgi\"; use hf, vllm or llamacpp."},
           Case{{{"profile", "2019"}}, "/options/profile", nullptr},
           Case{{{"flash_attn", "maybe"}}, "/options/flash_attn", "flash_attn must be true or false."},
           Case{{{"engine", "vllm"}, {"gpu_memory_utilization", 0}},
                "/options/gpu_memory_utilization",
                "gpu_memory_utilization must be in (0, 1], e.g. 0.9."},
           Case{{{"mode", "train"}, {"lora_dropout", "x"}}, "/options/lora_dropout", nullptr},
           Case{{{"mode", "train"}, {"lora_rank", 8}, {"lora_targets", 3}},
                "/options/lora_targets",
                "lora_targets must be a string."},
       }) {
    INFO(c.options.dump());
    const json r = call("estimate", cfg, c.options);
    REQUIRE(r["ok"] == false);
    CHECK(r["error"]["code"] == "bad_request");
    CHECK(r["error"]["path"] == c.path);
    if (c.message != nullptr) CHECK(r["error"]["message"] == c.message);
  }
  // null counts as missing, as everywhere.
  CHECK(call("estimate", cfg, {{"batch", nullptr}, {"dtype", nullptr}})["ok"] == true);
}

TEST_CASE("runtime profiles set the reproduction options; options beside them win", "[options][profiles]") {
  const std::string cfg = read_text("fixtures/configs/llama-2-7b.json");
  const json s = schema();
  // Every profile a measurement row names exists, and every option a profile sets is in the schema.
  std::set<std::string> names;
  for (const auto& p : s["profiles"]) {
    names.insert(p["name"]);
    CHECK_FALSE(p["source"].get<std::string>().empty());
    for (const auto& [k, v] : p["sets"].items()) CHECK((row(s, k, "inference") || row(s, k, "train")));
  }
  for (const auto& m : read_json("fixtures/measurements.json"))
    CHECK(names.count(m["profile"].get<std::string>()) == 1);

  // Training's CUDA context: 500 MiB under current (lazy loading, as for inference), 1343 MiB without.
  json cur = train("estimate", cfg, json::object());
  CHECK(part(cur, "runtime_overhead") == 500ULL << 20);
  json old = train("estimate", cfg, {{"profile", "hf-single-gpu-2021"}});
  CHECK(part(old, "runtime_overhead") == 1343ULL << 20);
  CHECK(part(train("estimate", cfg, {{"lazy_loading", false}}), "runtime_overhead") == 1343ULL << 20);
  CHECK(part(train("estimate", cfg, {{"profile", "hf-single-gpu-2021"}, {"cuda_context_mib", 700}}),
             "runtime_overhead") == 700ULL << 20);
  bool said = false;
  for (const auto& a : old["assumptions"]) said = said || a["code"] == "profile";
  CHECK(said);
  // A profile equals its options spelled out.
  json spelled = train("estimate", cfg,
                       {{"transformers", "4.41"},
                        {"optimizer", "none"},
                        {"loss", "sum"},
                        {"keep_outputs", true},
                        {"measure", "allocated"},
                        {"precision", "bf16"}});
  json profiled = train("estimate", cfg, {{"profile", "sdpa-bench-gpt-neox-2024"}, {"precision", "bf16"}});
  CHECK(spelled["memory"] == profiled["memory"]);
  // The request's own option overrides the profile's.
  json overridden = train("estimate", cfg, {{"profile", "sdpa-bench-gpt-neox-2024"}, {"optimizer", "adamw"}});
  CHECK(part(overridden, "optimizer_states") > 0);
  // Inference: a profile's transformers release applies to the hf engine only.
  const json v = call("estimate", cfg, {{"engine", "vllm"}, {"profile", "accelerate-big-model-2022"}});
  REQUIRE(v["ok"] == true);
  CHECK(v["settings"]["transformers"] == "current");
}

TEST_CASE("training fit: the solved batch fits and one more does not; the table agrees with estimates",
          "[options][fit][training]") {
  struct Case {
    const char* config;
    json options;
    const char* gpu;
  };
  for (const Case& c :
       {Case{"qwen2-0.5b-instruct.json", {{"precision", "amp-bf16"}, {"seq", 1024}}, "RTX 4090"},
        Case{"llama-2-7b.json", {{"lora_rank", 16}, {"quant", "bnb-nf4"}, {"checkpointing", "full"}}, "T4"},
        Case{"opt-350m.json", {{"precision", "fp32"}, {"seq", 2048}, {"optimizer", "adamw8bit"}}, "L4"},
        Case{"llama-2-7b.json", {{"precision", "fp32"}}, "RTX 3060"}}) {
    const std::string cfg = read_text(std::string("fixtures/configs/") + c.config);
    json o = c.options;
    o["gpu"] = c.gpu;
    INFO(c.config << " " << o.dump());
    const json fit = train("fit", cfg, o);
    const uint64_t cap = fit["capacity"]["bytes"].get<uint64_t>();
    const uint64_t n = fit["max_batch"].get<uint64_t>();
    auto total = [&](uint64_t b) {
      json e = o;
      e["batch"] = b;
      return train("estimate", cfg, e)["memory"]["total_bytes"].get<uint64_t>();
    };
    if (n == 0) {
      CHECK(total(1) > cap);
      CHECK_FALSE(fit["message"].get<std::string>().empty());
    } else {
      CHECK(total(n) <= cap);
      CHECK(total(n + 1) > cap);
      CHECK(fit["total_at_max"]["bytes"] == total(n));
    }
    const uint64_t need = train("estimate", cfg, c.options)["memory"]["total_bytes"].get<uint64_t>();
    CHECK(fit["total_single_gpu"]["bytes"] == need);
    REQUIRE(fit["table"].size() >= 40);
    for (const auto& r : fit["table"]) {
      CHECK(r["fits"] == (need <= r["usable"]["bytes"].get<uint64_t>()));
      if (r["gpu"] == c.gpu) CHECK(r["usable"]["bytes"] == cap);
    }
  }
}

TEST_CASE("training sweep points equal estimates", "[options][sweep][training]") {
  const std::string cfg = read_text("fixtures/configs/qwen2-0.5b-instruct.json");
  const json o = {{"lora_rank", 8}, {"seq", 300}, {"batch", 2}};
  json req = o;
  req["points"] = 5;
  const json sw = train("sweep", cfg, req);
  REQUIRE(sw["points"].size() == 5);
  uint64_t last = 0;
  for (size_t i = 0; i < 5; ++i) {
    const json& p = sw["points"][i];
    CHECK(p["seq"] == 600 * (i + 1) / 5);  // max_seq defaults to 2 × seq
    json e = o;
    e["seq"] = p["seq"];
    const json est = train("estimate", cfg, e);
    CHECK(p["total_bytes"] == est["memory"]["total_bytes"]);
    for (const auto& part : est["memory"]["parts"]) CHECK(p["parts"][part["id"].get<std::string>()] == part["bytes"]);
    CHECK(p["total_bytes"].get<uint64_t>() > last);
    last = p["total_bytes"].get<uint64_t>();
  }
  const json bad = call("sweep", cfg, {{"mode", "train"}, {"points", 5000}});
  CHECK(bad["error"]["path"] == "/options/points");
}

}  // namespace test_options
