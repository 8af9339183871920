// Training memory (estimate with mode "train"): the seed's rule-of-thumb table as a special case, the
// published training measurements in measurements.json, and properties that must hold for every model.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>

#include "support.hpp"

namespace test_training {

using gpumem::test::call;
using gpumem::test::config_path;
using gpumem::test::part;
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
  CHECK(part(adam, "runtime_overhead") == 2 * 8519680);           // max_memory_allocated: cuBLAS workspaces only
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
    // The profile (hf-single-gpu-2021: CUDA 11.2 without lazy loading, PyTorch 1.8's autograd, eager
    // attention) must give the CUDA context the same file measured for this model.
    double context_mib = 0;
    for (const auto& k : cases)
      if (k["model"] == c["model"] && k["what"].get<std::string>().find("CUDA context") == 0)
        context_mib = k["value"].get<double>();
    REQUIRE(context_mib > 0);
    REQUIRE(s["driver"].get<std::string>().find("CUDA 11.2") != std::string::npos);
    json o = {
        {"profile", c["profile"]},
        {"batch", s["per_device_train_batch_size"]},
        {"seq", s["seq_len"]},
        {"grad_accum", s.value("gradient_accumulation_steps", 1)},
        {"checkpointing", s.value("gradient_checkpointing", false) ? "full" : "none"},
        {"precision", s.value("fp16", false) ? "amp-fp16" : "fp32"},
        {"measure", s["metric"].get<std::string>().find("pynvml") != std::string::npos ? "nvidia-smi" : "allocated"}};
    const std::string optim = s.value("optim", "adamw");
    o["optimizer"] = optim.find("adafactor") != std::string::npos ? "adafactor"
                     : optim.find("8bit") != std::string::npos    ? "adamw8bit"
                                                                  : "adamw";
    json r = train(read_text(config_path(c["config"].get<std::string>())), o);
    if (o["measure"] == "nvidia-smi") REQUIRE(part(r, "runtime_overhead") == uint64_t(context_mib) << 20);
    REQUIRE(c["unit"] == "MiB");
    const double est = double(r["memory"]["total_bytes"].get<uint64_t>()) / double(1ULL << 20);
    const double meas = c["value"].get<double>();
    INFO(c["model"] << " " << s.dump() << ": estimate " << est << " MiB, measured " << meas << " MiB");
    CHECK(std::abs(est - meas) / meas <= c["tolerance"].get<double>());
    ++checked;
  }
  CHECK(checked >= 9);
}

// The "training step" tables of transformers' OPT and GPT-NeoX docs come from the SDPA pull requests'
// benchmark (fxmarty's, like the generation tables): a fp16 model, random input_ids, no labels, no
// optimizer; each step zero_grad() (set to None), outputs = model(**inputs), outputs.logits.sum()
// .backward(); max_memory_allocated × 1e-6. Mapped to --precision bf16 (pure 16-bit: fp16 has the same
// bytes) --optimizer none --loss sum --keep-outputs --measure allocated, with the release whose modeling
// code the pull request ran (GPT-NeoX 4.41, OPT 4.47, as for the generation tables), typical peak.
// Two OPT SDPA rows repeat the value of the row with half their tokens (the fixture's caution): with
// SDPA the step grows with batch × length only, so they are copy errors; the test names them instead
// of asserting them. OOM rows: the estimate must reach the GPU's memory (within 5 %, the allocator's
// fragmentation and the CUDA context, which max_memory_allocated leaves out, being the rest).
TEST_CASE("SDPA training-step tables reproduced within tolerance", "[training][measurements]") {
  const json cases = read_json("fixtures/measurements.json");
  std::map<std::pair<std::string, double>, uint64_t> tokens_of_value;  // (model, value) → fewest tokens
  for (const auto& c : cases)
    if (c["what"] == "peak GPU memory, training step" && c["value"].is_number()) {
      const json& s = c["setup"];
      const uint64_t t = s["batch_size"].get<uint64_t>() * s["seq_len"].get<uint64_t>();
      auto [it, fresh] = tokens_of_value.try_emplace({c["model"].get<std::string>(), c["value"].get<double>()}, t);
      if (!fresh) it->second = std::min(it->second, t);
    }
  int checked = 0, copy_errors = 0, oom = 0;
  for (const auto& c : cases) {
    if (c["what"] != "peak GPU memory, training step") continue;
    const json& s = c["setup"];
    const bool opt = c["model"] == "opt-350m";
    // The profile sets the benchmark loop (no optimizer, logits.sum(), outputs kept, max_memory_allocated)
    // and the release whose modeling code the pull request ran.
    REQUIRE(c["profile"] == (opt ? "sdpa-bench-opt-2024" : "sdpa-bench-gpt-neox-2024"));
    json o = {{"profile", c["profile"]},
              {"precision", "bf16"},
              {"batch", s["batch_size"]},
              {"seq", s["seq_len"]},
              {"attention", s["attn_implementation"]}};
    const json r = train(read_text(config_path(c["config"].get<std::string>())), o);
    const double est = double(r["memory"]["typical_peak_bytes"].get<uint64_t>());
    const uint64_t tokens = s["batch_size"].get<uint64_t>() * s["seq_len"].get<uint64_t>();
    INFO(c["model"] << " " << s.dump() << ": estimate " << est * 1e-6 << " MB, measured " << c["value"]);
    if (!c["value"].is_number()) {
      // "RTX 3080 Ti 16GB", "L40S 45GB": GDDR sizes in GiB.
      const std::string gpu = s["gpu"];
      const double gib = std::stod(gpu.substr(gpu.find_last_of(' ') + 1));
      CHECK(est > 0.95 * gib * double(1ULL << 30));
      ++oom;
      continue;
    }
    const double meas = c["value"].get<double>() * 1e6;
    const uint64_t first = tokens_of_value.at({c["model"].get<std::string>(), c["value"].get<double>()});
    if (s["attn_implementation"] == "sdpa" && first * 2 <= tokens) {
      CHECK(est > 1.5 * meas);  // the published figure is the half-token row's
      ++copy_errors;
      continue;
    }
    CHECK(std::abs(est - meas) / meas <= c["tolerance"].get<double>());
    ++checked;
  }
  CHECK(checked == 63);
  CHECK(copy_errors == 2);
  CHECK(oom == 5);
}

// transformers' get_memory_footprint() after a fp32 full fine-tune (t5-small): the bytes of the
// parameters and buffers, which is the weights part of the fp32 recipe (tied embeddings once).
TEST_CASE("get_memory_footprint rows are the fp32 weights part", "[training][measurements]") {
  int n = 0;
  for (const auto& c : read_json("fixtures/measurements.json")) {
    if (c["unit"] != "bytes" || c["what"].get<std::string>().find("get_memory_footprint") == std::string::npos)
      continue;
    REQUIRE(c["setup"]["dtype"] == "float32");
    const json r = train(read_text(config_path(c["config"].get<std::string>())), {{"precision", "fp32"}});
    const double est = double(part(r, "weights")), meas = c["value"].get<double>();
    INFO(c["model"] << ": estimate " << est << " B, measured " << meas << " B");
    CHECK(std::abs(est - meas) / meas <= c["tolerance"].get<double>());
    CHECK(part(r, "weights") == c["value"].get<uint64_t>());  // 60,506,624 params × 4 B, exactly
    ++n;
  }
  CHECK(n == 1);
}

// The 4-bit blog's OOM / no-OOM table (huggingface/blog 4bit-transformers-bitsandbytes.md, May 2023;
// LLaMA-13B on T4s with TRL's SFTTrainer and PEFT). Its script (a gist) is not reachable from here, so
// the setup is the stack of that month: transformers 4.30 (eager attention, with Llama's torch.max
// clamp), bitsandbytes 0.39 (MatMul4Bit and MatMul8bitLt keep their inputs), PEFT's
// prepare_model_for_int8_training (unquantized parameters upcast to fp32, which SFTTrainer applied to
// quantized models), the LoRA settings of TRL's and the blog's scripts (r = 64, dropout 0.1, on PEFT's
// Llama default q_proj and v_proj), torch AdamW, the compute dtype as the autocast dtype, and PyTorch 2.0's lazily
// loaded CUDA context (500 MiB, as for inference). An outcome is OOM when the nvidia-smi figure exceeds
// the T4's 15,360 MiB; the two-T4 run (device_map="auto" splits the layers) is compared with both cards.
// One row is not reproduced and is named: NF4 + GC at 1,024 tokens (estimate about 11 GiB; the same run
// with double quantization, 0.55 GiB less, fit), see README.
TEST_CASE("4-bit blog OOM table for LLaMA-13B on T4s", "[training][measurements]") {
  const json cases = read_json("fixtures/measurements.json");
  const json gpus = call("gpus", "", json::object());
  uint64_t t4 = 0;
  for (const auto& g : gpus["gpus"])
    if (g["name"] == "T4") t4 = g["reported_bytes"].get<uint64_t>();
  REQUIRE(t4 == 15360ULL << 20);
  int reproduced = 0, named = 0;
  for (const auto& c : cases) {
    if (c["unit"] != "outcome" || c["model"] != "Llama-2-13b") continue;
    const json& s = c["setup"];
    const std::string method = s["method"], hw = s["hardware"];
    // qlora-blog-2023: transformers 4.30, bitsandbytes 0.39.0, a 500 MiB context, eager attention, nvidia-smi.
    REQUIRE(c["profile"] == "qlora-blog-2023");
    json o = {
        {"profile", c["profile"]},  {"lora_rank", 64},     {"lora_dropout", 0.1}, {"lora_targets", "q_proj,v_proj"},
        {"batch", s["batch_size"]}, {"seq", s["seq_len"]}, {"grad_accum", 4},     {"optimizer", "adamw"}};
    o["quant"] = method.find("LLM.int8") != std::string::npos ? "bnb-int8"
                 : method.find("FP4") != std::string::npos    ? "bnb-fp4"
                                                              : "bnb-nf4";
    o["precision"] = method.find("bf16 CD") != std::string::npos ? "amp-bf16" : "amp-fp16";
    o["checkpointing"] = method.find("no GC") != std::string::npos ? "none" : "full";
    if (method.find("NQ") != std::string::npos) o["double_quant"] = true;
    const uint64_t cards = hw.rfind("2x", 0) == 0 ? 2 : 1;
    const json r = train(read_text(config_path(c["config"].get<std::string>())), o);
    const uint64_t est = r["memory"]["total_bytes"].get<uint64_t>();
    const bool oom = est > cards * t4;
    INFO(method << " seq " << s["seq_len"] << " on " << hw << ": estimate " << est / double(1 << 20) << " MiB, "
                << cards * t4 / double(1 << 20) << " MiB available, published " << c["value"]);
    if (method == "4bit + NF4 + fp16 CD + GC" && s["seq_len"] == 1024) {
      CHECK_FALSE(oom);  // published OOM: not reproduced (README, "Training measurements")
      ++named;
      continue;
    }
    CHECK(oom == (c["value"] == "OOM"));
    ++reproduced;
  }
  CHECK(reproduced == 6);
  CHECK(named == 1);
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
  // PEFT's prepare_model_for_kbit_training (assumed unless said): the 328,094,720 unquantized parameters
  // (embeddings, lm_head, norms) in fp32 instead of bf16.
  bool assumed = false;
  for (const auto& a : nf4["assumptions"]) assumed |= a["code"] == "prepare_kbit_default";
  CHECK(assumed);
  json raw = o;
  raw["prepare_kbit"] = false;
  CHECK(part(dq, "weights") - part(train(cfg, raw), "weights") == 328094720ULL * 2);
  // bitsandbytes before 0.43.2 keeps each 4-bit linear's input (PR #1270); 0.43.2 and later do not.
  raw = o;
  raw["checkpointing"] = "none";
  const uint64_t now = part(train(cfg, raw), "activations");
  raw["bitsandbytes"] = "0.43.2";
  CHECK(part(train(cfg, raw), "activations") == now);
  raw["bitsandbytes"] = "0.43.1";
  CHECK(part(train(cfg, raw), "activations") > now);
  // LoRA dropout: each adapter keeps its own dropped-out 16-bit input and a byte mask. All-linear on
  // fp32 inputs: q/k/v +3 × 1 B × h and gate/up +2 × 1 B × h (their casts were per adapter already),
  // o_proj 3 B instead of its shared 2 B input (+h), down_proj 3 B instead of 2 (+ff), per token and layer.
  raw = o;
  raw["checkpointing"] = "none";
  raw["lora_dropout"] = "0.05";
  CHECK(part(train(cfg, raw), "activations") - now == 40ULL * 512 * (6 * 5120 + 13824));
  raw["lora_dropout"] = 1;
  raw["mode"] = "train";
  CHECK(call("estimate", cfg, raw)["error"]["path"] == "/options/lora_dropout");
  raw = o;
  raw["checkpointing"] = "none";
  raw["bitsandbytes"] = "0.x";
  raw["mode"] = "train";
  CHECK(call("estimate", cfg, raw)["error"]["path"] == "/options/bitsandbytes");
  o["lora_rank"] = 0;  // explicit: absent, PEFT's r = 8 is taken (test_launch.cpp)
  o["mode"] = "train";
  json bad = call("estimate", cfg, o);
  CHECK(bad["ok"] == false);
  CHECK(bad["error"]["path"] == "/options/quant");
  o["lora_rank"] = 8;
  o["quant"] = "bnb-int8";
  bad = call("estimate", cfg, o);
  CHECK(bad["error"]["path"] == "/options/double_quant");
}

// Korthikanti et al. 2022, Table 2, as a special case: with every saved tensor in 16 bits (pure bf16),
// dropout on and a plain MLP of 4h (GPT-2), a block keeps s·b·h·(10 + 24/t) + 5·a·s²·b/t bytes per
// tensor-parallel rank, and s·b·h·34/t + 5·a·s²·b/t with sequence parallelism. Outside the blocks: ln_f's
// input (2h) and the embedding dropout mask (h) per token, split by t only with sequence parallelism.
TEST_CASE("tensor-parallel activations reproduce Korthikanti's Table 2 on GPT-2", "[training][tp]") {
  const std::string cfg = read_text("fixtures/configs/gpt2.json");
  const uint64_t s = 1024, b = 1, h = 768, a = 12, L = 12;
  json o = {{"precision", "bf16"}, {"attention", "eager"}, {"batch", b}, {"seq", s}, {"measure", "allocated"}};
  CHECK(part(train(cfg, o), "activations") == 1078198272);  // by hand: 12 × (34·sbh + 5·a·s²) + 3·sbh
  for (uint64_t t : {1, 2, 4}) {
    o["tp"] = t;
    o.erase("sequence_parallel");
    const uint64_t without = part(train(cfg, o), "activations");
    CHECK(without == L * (s * b * h * 10 + s * b * h * 24 / t + 5 * a * s * s * b / t) + 3 * s * b * h);
    if (t == 1) continue;
    o["sequence_parallel"] = true;
    const uint64_t with = part(train(cfg, o), "activations");
    CHECK(with == L * (s * b * h * 34 / t + 5 * a * s * s * b / t) + 3 * s * b * h / t);
    CHECK(with <= without);
  }
  o["tp"] = 2;
  CHECK(part(train(cfg, o), "activations") == 539099136);  // 12 × (17·sbh + 30·s²) + 1.5·sbh
}

// GPT-2 per tensor-parallel rank, by hand: a block is 12h² of matrices (split) + 13h of biases and norms
// (replicated) = 3,538,944 + 9,984; the tied token table 50,257 × 768 is vocab-parallel (⌈/2⌉ = 19,298,688);
// the position table (786,432) and ln_f (1,536) are replicated: 12 × 3,548,928 + 19,298,688 + 787,968.
TEST_CASE("tensor parallelism splits the model states", "[training][tp]") {
  const std::string cfg = read_text("fixtures/configs/gpt2.json");
  json o = {{"precision", "fp32"}, {"optimizer", "sgd"}, {"measure", "allocated"}, {"tp", 2}};
  json r = train(cfg, o);
  CHECK(part(r, "weights") == 4 * 62673792ULL);
  CHECK(part(r, "gradients") == 4 * 62673792ULL);
  CHECK(r["training"]["gpus"] == 2);  // gpus defaults to tp: one data-parallel rank
  CHECK(r["training"]["dp"] == 1);
  CHECK(r["training"]["trainable_params"] == 124439808);  // the model's, not the rank's

  // gpus = tp × dp; ZeRO shards the rank's states over the dp ranks that hold the same slice.
  const std::string llama = read_text("fixtures/configs/llama-2-7b.json");
  json d = {{"precision", "amp-bf16"}, {"engine", "deepspeed"}, {"measure", "allocated"}, {"tp", 2}};
  const uint64_t opt_tp = part(train(llama, d), "optimizer_states");
  d["gpus"] = 8;
  d["zero"] = 1;
  json z = train(llama, d);
  CHECK(z["training"]["dp"] == 4);
  CHECK(part(z, "optimizer_states") == (opt_tp + 3) / 4);
}

TEST_CASE("tensor parallelism never increases per-GPU memory; sequence parallelism never adds", "[training][tp]") {
  int n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GPUMEM_TEST_DIR) + "/fixtures/configs")) {
    const std::string cfg = read_text("fixtures/configs/" + entry.path().filename().string());
    json o = {{"mode", "train"}, {"attention", "eager"}, {"batch", 2}, {"seq", 256}, {"precision", "amp-bf16"}};
    json prev = call("estimate", cfg, o);
    if (prev["ok"] != true) continue;  // Mamba mixers
    for (uint64_t t : {2, 4, 8}) {
      o["tp"] = t;
      o.erase("sequence_parallel");
      json r = call("estimate", cfg, o);
      INFO(entry.path().filename() << " tp " << t);
      if (r["ok"] != true) {  // heads not divisible by t: refused with the option's path
        CHECK(r["error"]["code"] == "bad_request");
        CHECK(r["error"]["path"] == "/options/tp");
        break;
      }
      CHECK(r["memory"]["total_bytes"].get<uint64_t>() <= prev["memory"]["total_bytes"].get<uint64_t>());
      for (const char* id : {"weights", "gradients", "optimizer_states", "activations", "logits"})
        CHECK(part(r, id) <= part(prev, id));
      o["sequence_parallel"] = true;
      json sp = call("estimate", cfg, o);
      REQUIRE(sp["ok"] == true);
      CHECK(part(sp, "activations") <= part(r, "activations"));
      CHECK(part(sp, "logits") <= part(r, "logits"));
      for (const json* x : {&r, &sp}) {
        uint64_t sum = 0;
        for (const auto& p : (*x)["memory"]["parts"]) sum += p["bytes"].get<uint64_t>();
        CHECK(sum == (*x)["memory"]["total_bytes"].get<uint64_t>());
      }
      prev = r;
      ++n;
    }
  }
  CHECK(n > 60);
}

// Adam-mini (Zhang et al. 2024) on GPT-2 by hand: m is one value per parameter (124,439,808); v is one per
// q/k head (12 + 12), per row of v, o, c_fc and the MLP's c_proj (768 + 768 + 3,072 + 768) in each of the
// 12 blocks = 64,800, per token of wte (50,257) and wpe (1,024), and one per 768 values of the 121,344 bias
// and norm values (158): 116,239 values, × 4 bytes in fp32.
TEST_CASE("Adam-mini keeps one second moment per block", "[training][adam-mini]") {
  const std::string cfg = read_text("fixtures/configs/gpt2.json");
  json o = {{"precision", "fp32"}, {"optimizer", "adam-mini"}, {"measure", "allocated"}};
  CHECK(part(train(cfg, o), "optimizer_states") == (124439808ULL + 116239) * 4);
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GPUMEM_TEST_DIR) + "/fixtures/configs")) {
    const std::string text = read_text("fixtures/configs/" + entry.path().filename().string());
    for (const json& extra : {json::object(), json{{"lora_rank", 16}, {"lora_targets", "all-linear"}}}) {
      json a = {{"mode", "train"}, {"optimizer", "adamw"}, {"seq", 128}};
      a.update(extra);
      json adamw = call("estimate", text, a);
      if (adamw["ok"] != true) continue;
      a["optimizer"] = "adam-mini";
      json mini = call("estimate", text, a);
      INFO(entry.path().filename() << " " << extra.dump());
      REQUIRE(mini["ok"] == true);
      const uint64_t am = part(adamw, "optimizer_states"), mm = part(mini, "optimizer_states");
      CHECK(mm < am);
      CHECK(mm > am / 2);  // m in full: a little over half of AdamW's
      // v is under 1% of the parameters of a full model; a rank-16 adapter's lora_B has a row per output
      // feature for only r·(in + out) parameters, so there v is nearer 1/r.
      CHECK(mm < am / 2 + (extra.empty() ? am / 100 : am / 20));
    }
  }
}

// Chunked fused loss (Liger-Kernel's fused linear cross-entropy) on GPT-2, bf16, 1,024 tokens, by hand:
// chunk = next_power_of_2(⌈1024 / ⌈50257 / 768⌉⌉) = next_power_of_2(16) = 16 tokens, so logits =
// 1,024 × 768 × 2 (the LM head input's gradient) + 16 × 2 × 50,257 = 3,181,088 bytes, against the full
// path's 1,024 × (10 × 50,257 + 1,536) = 516,204,544 bytes.
TEST_CASE("chunked loss keeps one chunk of logits", "[training][loss]") {
  const std::string cfg = read_text("fixtures/configs/gpt2.json");
  json o = {{"precision", "bf16"}, {"batch", 1}, {"seq", 1024}, {"measure", "allocated"}};
  CHECK(part(train(cfg, o), "logits") == 516204544);
  o["loss"] = "chunked";
  json r = train(cfg, o);
  CHECK(part(r, "logits") == 3181088);
  CHECK(r["training"]["loss_chunk_tokens"] == 16);
  for (const auto& entry : std::filesystem::directory_iterator(std::string(GPUMEM_TEST_DIR) + "/fixtures/configs")) {
    const std::string text = read_text("fixtures/configs/" + entry.path().filename().string());
    for (uint64_t seq : {1, 100, 4096}) {
      json a = {{"mode", "train"}, {"seq", seq}, {"batch", 2}};
      json full = call("estimate", text, a);
      if (full["ok"] != true) continue;
      a["loss"] = "chunked";
      json chunked = call("estimate", text, a);
      INFO(entry.path().filename() << " seq " << seq);
      CHECK(part(chunked, "logits") <= part(full, "logits"));
      CHECK(chunked["memory"]["total_bytes"].get<uint64_t>() <= full["memory"]["total_bytes"].get<uint64_t>());
    }
  }
}

TEST_CASE("tensor-parallel, Adam-mini and loss options are validated", "[training][tp]") {
  const std::string cfg = read_text("fixtures/configs/llama-2-7b.json");
  for (const auto& [opts, path] : std::vector<std::pair<json, std::string>>{
           {{{"tp", 3}}, "/options/tp"},  // 32 heads
           {{{"tp", "0"}}, "/options/tp"},
           {{{"tp", 4}, {"gpus", 6}}, "/options/gpus"},
           {{{"tp", 2}, {"lora_rank", 8}}, "/options/tp"},
           {{{"sequence_parallel", true}}, "/options/sequence_parallel"},
           {{{"tp", 2}, {"seq", 1001}, {"sequence_parallel", true}}, "/options/sequence_parallel"},
           {{{"sequence_parallel", "yes"}}, "/options/sequence_parallel"},
           {{{"loss", "fused"}}, "/options/loss"},
           {{{"optimizer", "adam_mini"}}, "/options/optimizer"}}) {
    json o = opts;
    o["mode"] = "train";
    json r = call("estimate", cfg, o);
    INFO(opts.dump());
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == "bad_request");
    CHECK(r["error"]["path"] == path);
  }
}

}  // namespace test_training
