// The "launch" operation (core/src/api/launch_ops.cpp) and the defaults a user would expect (a config without
// torch_dtype, QLoRA's checkpointing and rank, cards without bf16, ZeRO without a GPU count).
#include <catch2/catch.hpp>
#include <string>

#include "support.hpp"

namespace test_launch {

using gpumem::test::call;
using gpumem::test::has_assumption;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

std::string config(const char* name) { return read_text(std::string("fixtures/configs/") + name + ".json"); }

bool contains(const json& r, const std::string& needle) {
  return r["text"].get<std::string>().find(needle) != std::string::npos;
}

// The value of the launch arg `flag` ("" when absent).
std::string arg(const json& r, const std::string& flag) {
  for (const auto& a : r["args"])
    if (a["flag"] == flag) return a["value"];
  return "";
}

}  // namespace

TEST_CASE("launch: vLLM serve for Llama 3.1 8B on an RTX 4090 at 32,768 tokens", "[launch]") {
  const json r = call(
      "launch", config("llama-3.1-8b"),
      {{"engine", "vllm"}, {"gpu", "RTX 4090"}, {"context", 32768}, {"model_id", "meta-llama/Llama-3.1-8B-Instruct"}});
  INFO(r.dump().substr(0, 600));
  REQUIRE(r["ok"] == true);
  CHECK(r["mode"] == "inference");
  CHECK(r["engine"] == "vllm");
  CHECK(r["language"] == "shell");
  CHECK(r["text"] ==
        "vllm serve meta-llama/Llama-3.1-8B-Instruct --max-model-len 32768 --gpu-memory-utilization 0.9 "
        "--tensor-parallel-size 1");
  CHECK(r["args"][0] == json({{"flag", "--max-model-len"}, {"value", "32768"}, {"from", "context"}}));
  CHECK(r["files"].empty());
  CHECK_FALSE(r["assumptions"].empty());
}

TEST_CASE("launch: vLLM without a context takes the fit's largest context; flags follow the options", "[launch]") {
  const std::string cfg = config("llama-3.1-8b");
  const json opts = {{"engine", "vllm"}, {"gpu", "RTX 4090"}};
  const json fit = call("fit", cfg, opts);
  REQUIRE(fit["ok"] == true);
  const json r = call("launch", cfg, opts);
  REQUIRE(r["ok"] == true);
  CHECK(arg(r, "--max-model-len") == std::to_string(fit["max_context"].get<uint64_t>()));
  CHECK(has_assumption(r, "launch_context_fit"));
  CHECK(has_assumption(r, "model_id_placeholder"));  // the fixture has no _name_or_path
  CHECK(r["text"].get<std::string>().rfind("vllm serve ORG/NAME --max-model-len ", 0) == 0);
  // fp8 weights and cache quantized while loading, a batch above vLLM's default, two stages.
  const json q = call("launch", cfg,
                      {{"engine", "vllm"},
                       {"context", 8192},
                       {"quant", "fp8"},
                       {"kv_dtype", "fp8"},
                       {"batch", 512},
                       {"gpus", 4},
                       {"pp", 2},
                       {"model_id", "a/b"}});
  INFO(q.dump().substr(0, 600));
  REQUIRE(q["ok"] == true);
  CHECK(arg(q, "--quantization") == "fp8");
  CHECK(arg(q, "--kv-cache-dtype") == "fp8");
  CHECK(arg(q, "--max-num-seqs") == "512");
  CHECK(arg(q, "--tensor-parallel-size") == "2");
  CHECK(arg(q, "--pipeline-parallel-size") == "2");
  CHECK(arg(q, "--dtype").empty());  // bf16 config: vLLM's auto
}

TEST_CASE("launch: llama-server with MoE experts on the CPU on a small card", "[launch]") {
  const std::string cfg = config("qwen3-30b-a3b");
  const json opts = {
      {"engine", "llamacpp"}, {"gpu", "RTX 4060 Ti 8GB"}, {"quant", "gguf-q4_k_m"}, {"model_id", "Qwen/Qwen3-30B-A3B"}};
  const json e = call("estimate", cfg, opts);
  REQUIRE(e["ok"] == true);
  const json& rep = e["engine_report"];
  REQUIRE(rep["n_cpu_moe"].get<uint64_t>() > 0);
  const json r = call("launch", cfg, opts);
  INFO(r.dump().substr(0, 800));
  REQUIRE(r["ok"] == true);
  CHECK(r["engine"] == "llamacpp");
  CHECK(arg(r, "-m") == "Qwen3-30B-A3B-Q4_K_M.gguf");
  CHECK(has_assumption(r, "model_file_placeholder"));
  CHECK(arg(r, "-c") == std::to_string(rep["n_ctx"].get<uint64_t>()));
  CHECK(arg(r, "-ngl") == std::to_string(rep["n_gpu_layers"].get<uint64_t>()));
  CHECK(arg(r, "--n-cpu-moe") == std::to_string(rep["n_cpu_moe"].get<uint64_t>()));
  CHECK(r["text"].get<std::string>().rfind("llama-server -m Qwen3-30B-A3B-Q4_K_M.gguf -c ", 0) == 0);
  // A given file and a q8_0 cache.
  json o2 = opts;
  o2["model_file"] = "my model.gguf";
  o2["kv_dtype"] = "q8_0";
  const json r2 = call("launch", cfg, o2);
  REQUIRE(r2["ok"] == true);
  CHECK(contains(r2, "-m 'my model.gguf'"));
  CHECK(contains(r2, "-fa on -ctk q8_0 -ctv q8_0"));
  CHECK_FALSE(has_assumption(r2, "model_file_placeholder"));
}

TEST_CASE("launch: transformers with bitsandbytes NF4", "[launch]") {
  const json r = call("launch", config("llama-3.1-8b"),
                      {{"quant", "bnb-nf4"},
                       {"double_quant", true},
                       {"bnb_compute_dtype", "bf16"},
                       {"batch", 2},
                       {"model_id", "meta-llama/Llama-3.1-8B"}});
  INFO(r.dump().substr(0, 1500));
  REQUIRE(r["ok"] == true);
  CHECK(r["engine"] == "hf");
  CHECK(r["language"] == "python");
  CHECK(contains(r, "from transformers import AutoModelForCausalLM, AutoTokenizer, BitsAndBytesConfig"));
  CHECK(contains(r, "load_in_4bit=True"));
  CHECK(contains(r, "bnb_4bit_quant_type=\"nf4\""));
  CHECK(contains(r, "bnb_4bit_use_double_quant=True"));
  CHECK(contains(r, "bnb_4bit_compute_dtype=torch.bfloat16"));
  CHECK(contains(r, "model_id = \"meta-llama/Llama-3.1-8B\""));
  CHECK(contains(r, "    dtype=torch.bfloat16,\n"));  // the config's torch_dtype (transformers 5)
  CHECK(contains(r, "device_map={\"\": 0}"));
  CHECK(contains(r, "quantization_config=quantization_config"));
  CHECK(contains(r, "attn_implementation=\"sdpa\""));
  CHECK(contains(r, "max_new_tokens=4096 - inputs[\"input_ids\"].shape[1]"));
  CHECK(contains(r, "[\"Hello\"] * 2"));
  CHECK(r["command"] == "python run.py");
  // Before transformers 4.56 the keyword is torch_dtype.
  const json old = call("launch", config("llama-3.1-8b"), {{"transformers", "4.45"}, {"prompt", 1000}});
  REQUIRE(old["ok"] == true);
  CHECK(contains(old, "torch_dtype=torch.bfloat16"));
  CHECK(contains(old, "max_new_tokens=3096"));
}

TEST_CASE("launch: a QLoRA script with TRL and PEFT", "[launch][training]") {
  const json r = call("launch", config("llama-3.1-8b"),
                      {{"mode", "train"},
                       {"quant", "bnb-nf4"},
                       {"batch", 4},
                       {"grad_accum", 8},
                       {"seq", 2048},
                       {"lora_targets", "all-linear"},
                       {"lora_dropout", 0.05},
                       {"optimizer", "paged-adamw8bit"}});
  INFO(r.dump().substr(0, 3000));
  REQUIRE(r["ok"] == true);
  CHECK(r["mode"] == "train");
  CHECK(r["language"] == "python");
  CHECK(contains(r, "from peft import LoraConfig, prepare_model_for_kbit_training"));
  CHECK(contains(r, "bnb_4bit_compute_dtype=torch.bfloat16"));
  CHECK(contains(r, "prepare_model_for_kbit_training(model, use_gradient_checkpointing=True)"));
  CHECK(contains(r, "    r=8,\n"));  // PEFT's default rank, said in an assumption
  CHECK(contains(r, "target_modules=\"all-linear\""));
  CHECK(contains(r, "lora_dropout=0.05"));
  CHECK(contains(r, "per_device_train_batch_size=4"));
  CHECK(contains(r, "gradient_accumulation_steps=8"));
  CHECK(contains(r, "max_length=2048"));
  CHECK(contains(r, "bf16=True"));
  CHECK(contains(r, "optim=\"paged_adamw_8bit\""));
  CHECK(contains(r, "peft_config=peft_config"));
  CHECK(r["files"].empty());
  CHECK(r["command"] == "python train.py");
  CHECK(has_assumption(r, "lora_rank_default"));
  CHECK(has_assumption(r, "checkpointing_kbit_default"));
}

TEST_CASE("launch: DeepSpeed ZeRO-3 with offload writes ds_config.json", "[launch][training]") {
  const json r = call("launch", config("llama-3.1-8b"),
                      {{"mode", "train"},
                       {"engine", "deepspeed"},
                       {"zero", 3},
                       {"offload", "params"},
                       {"gpus", 8},
                       {"batch", 2},
                       {"grad_accum", 4},
                       {"precision", "amp-fp16"}});
  INFO(r.dump().substr(0, 3000));
  REQUIRE(r["ok"] == true);
  REQUIRE(r["files"].size() == 1);
  CHECK(r["files"][0]["name"] == "ds_config.json");
  CHECK(r["files"][0]["language"] == "json");
  const json ds = json::parse(r["files"][0]["text"].get<std::string>());
  CHECK(ds["zero_optimization"]["stage"] == 3);
  CHECK(ds["zero_optimization"]["offload_optimizer"]["device"] == "cpu");
  CHECK(ds["zero_optimization"]["offload_param"]["device"] == "cpu");
  CHECK(ds["fp16"]["enabled"] == true);
  CHECK(ds["bf16"]["enabled"] == false);
  CHECK(ds["train_micro_batch_size_per_gpu"] == 2);
  CHECK(ds["gradient_accumulation_steps"] == 4);
  CHECK(r["command"] == "deepspeed --num_gpus 8 train.py");
  CHECK(contains(r, "deepspeed=\"ds_config.json\""));
  CHECK(contains(r, "fp16=True"));
  CHECK(contains(r, "dtype=torch.float32"));  // full fine-tuning keeps fp32 weights
  CHECK_FALSE(contains(r, "LoraConfig"));
}

TEST_CASE("launch: bad input has a code and a path", "[launch][errors]") {
  const std::string cfg = config("llama-3.1-8b");
  json r = call("launch", cfg, {{"mode", "weights"}});
  CHECK(r["ok"] == false);
  CHECK(r["error"]["code"] == "bad_request");
  CHECK(r["error"]["path"] == "/options/mode");
  r = call("launch", cfg, {{"model_id", 7}});
  CHECK(r["error"]["code"] == "bad_request");
  CHECK(r["error"]["path"] == "/options/model_id");
  r = call("launch", cfg, {{"engine", "vllm"}, {"gpu", "RTX 3050"}, {"dtype", "fp32"}, {"model_id", "a/b"}});
  CHECK(r["ok"] == false);
  CHECK(r["error"]["path"] == "/options/gpu");
  r = call("launch", "{", json::object());
  CHECK(r["error"]["code"] == "invalid_json");
  // Without _name_or_path the id is a placeholder, said so; with one it is the id.
  r = call("launch", config("gpt2-large"), json::object());
  REQUIRE(r["ok"] == true);
  CHECK(has_assumption(r, "model_id_placeholder"));
  CHECK(contains(r, "\"ORG/NAME\""));
  r = call("launch", config("bloom-560m"), {{"engine", "vllm"}, {"context", 2048}});
  REQUIRE(r["ok"] == true);
  CHECK(has_assumption(r, "model_id_from_config"));
  CHECK(r["text"].get<std::string>().rfind("vllm serve bigscience/bloom-560m ", 0) == 0);
}

TEST_CASE("a config without torch_dtype loads in the engine's dtype (gpt2-large)", "[launch][defaults]") {
  const std::string cfg = config("gpt2-large");
  const json p = call("params", cfg);
  REQUIRE(p["ok"] == true);
  CHECK(p["params"]["total"] == 774030080);  // keras-hub gpt2_large_en
  const json e = call("estimate", cfg);
  INFO(e.dump().substr(0, 400));
  REQUIRE(e["ok"] == true);
  CHECK(e["dtype"] == "fp32");
  CHECK(has_assumption(e, "dtype_default_engine"));
  CHECK(e["settings"]["context"] == 1024);
  const json w = call("estimate", cfg, {{"mode", "weights"}});
  REQUIRE(w["ok"] == true);
  CHECK(w["dtype"] == "fp32");
  CHECK(w["memory"]["total_bytes"] == 774030080ULL * 4);
  const json f = call("fit", cfg, {{"gpu", "RTX 4090"}});
  REQUIRE(f["ok"] == true);
  CHECK(f["max_context"] == 1024);
  // vLLM downcasts float32 to its preferred 16-bit type; llama.cpp runs a 16-bit GGUF.
  const json v = call("estimate", cfg, {{"engine", "vllm"}});
  REQUIRE(v["ok"] == true);
  CHECK(v["dtype"] == "bf16");
  CHECK(call("estimate", cfg, {{"engine", "vllm"}, {"gpu", "T4"}})["dtype"] == "fp16");
  CHECK(call("estimate", cfg, {{"engine", "llamacpp"}})["dtype"] == "fp16");
  // A given dtype is taken as it is.
  const json g = call("estimate", cfg, {{"dtype", "fp16"}});
  CHECK(g["dtype"] == "fp16");
  CHECK_FALSE(has_assumption(g, "dtype_default_engine"));
}

TEST_CASE("QLoRA defaults: gradient checkpointing on and PEFT's rank 8", "[launch][defaults][training]") {
  const std::string cfg = config("llama-3.1-8b");
  const json a = call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-nf4"}, {"lora_rank", 16}});
  const json b =
      call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-nf4"}, {"lora_rank", 16}, {"checkpointing", "full"}});
  const json c =
      call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-nf4"}, {"lora_rank", 16}, {"checkpointing", "none"}});
  REQUIRE(a["ok"] == true);
  CHECK(has_assumption(a, "checkpointing_kbit_default"));
  CHECK(a["memory"] == b["memory"]);
  CHECK(c["memory"]["total_bytes"].get<uint64_t>() > a["memory"]["total_bytes"].get<uint64_t>());
  // Without prepare_kbit nothing turns checkpointing on.
  const json d =
      call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-nf4"}, {"lora_rank", 16}, {"prepare_kbit", false}});
  CHECK_FALSE(has_assumption(d, "checkpointing_kbit_default"));
  // No rank: r = 8; an explicit 0 stays an error.
  const json e = call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-int8"}});
  REQUIRE(e["ok"] == true);
  CHECK(has_assumption(e, "lora_rank_default"));
  const json e8 = call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-int8"}, {"lora_rank", 8}});
  CHECK(e["memory"] == e8["memory"]);
  const json z = call("estimate", cfg, {{"mode", "train"}, {"quant", "bnb-int8"}, {"lora_rank", 0}});
  CHECK(z["ok"] == false);
  CHECK(z["error"]["code"] == "bad_request");
  CHECK(z["error"]["path"] == "/options/quant");
}

TEST_CASE("cards without bf16: the catalogue says so and the defaults follow", "[launch][defaults][gpus]") {
  const json gpus = call("gpus", "");
  REQUIRE(gpus["ok"] == true);
  int without = 0;
  for (const auto& g : gpus["gpus"]) {
    REQUIRE(g.contains("bf16"));
    if (g["name"] == "T4" || g["name"] == "V100 32GB" || g["name"] == "Apple M1 16GB") CHECK(g["bf16"] == false);
    if (g["name"] == "RTX 4090" || g["name"] == "A100 80GB" || g["name"] == "Apple M2 16GB") CHECK(g["bf16"] == true);
    without += g["bf16"] == false ? 1 : 0;
  }
  CHECK(without >= 5);
  const std::string cfg = config("llama-3.1-8b");
  // Training on a T4 without a precision: amp-fp16.
  const json t = call("estimate", cfg, {{"mode", "train"}, {"gpu", "T4"}, {"lora_rank", 8}});
  REQUIRE(t["ok"] == true);
  CHECK(has_assumption(t, "precision_no_bf16"));
  const json t16 =
      call("estimate", cfg, {{"mode", "train"}, {"gpu", "T4"}, {"lora_rank", 8}, {"precision", "amp-fp16"}});
  CHECK(t["memory"] == t16["memory"]);
  const json tb =
      call("estimate", cfg, {{"mode", "train"}, {"gpu", "T4"}, {"lora_rank", 8}, {"precision", "amp-bf16"}});
  CHECK(has_assumption(tb, "bf16_unsupported_gpu"));
  CHECK_FALSE(has_assumption(call("estimate", cfg, {{"mode", "train"}, {"gpu", "A10"}}), "precision_no_bf16"));
  // vLLM's auto dtype of a bf16 model on a T4: fp16; an explicit bf16 is kept with a warning.
  const json v = call("estimate", cfg, {{"engine", "vllm"}, {"gpu", "T4"}, {"quant", "awq-4bit"}});
  INFO(v.dump().substr(0, 300));
  REQUIRE(v["ok"] == true);
  CHECK(v["dtype"] == "fp16");
  CHECK(has_assumption(v, "vllm_bf16_fallback"));
  const json vb = call("estimate", cfg, {{"engine", "vllm"}, {"gpu", "T4"}, {"quant", "awq-4bit"}, {"dtype", "bf16"}});
  REQUIRE(vb["ok"] == true);
  CHECK(vb["dtype"] == "bf16");
  CHECK(has_assumption(vb, "bf16_unsupported_gpu"));
  // The launch command names the dtype vLLM then runs: nothing to add for its own fallback.
  const json l = call("launch", cfg, {{"engine", "vllm"}, {"gpu", "T4"}, {"quant", "awq-4bit"}, {"context", 2048}});
  REQUIRE(l["ok"] == true);
  CHECK(arg(l, "--dtype").empty());
}

TEST_CASE("ZeRO without a GPU count says it shards nothing", "[launch][defaults][training]") {
  const std::string cfg = config("llama-3.1-8b");
  CHECK(has_assumption(call("estimate", cfg, {{"mode", "train"}, {"zero", 2}}), "zero_one_gpu"));
  CHECK_FALSE(has_assumption(call("estimate", cfg, {{"mode", "train"}, {"zero", 2}, {"gpus", 8}}), "zero_one_gpu"));
  CHECK_FALSE(has_assumption(call("estimate", cfg, {{"mode", "train"}}), "zero_one_gpu"));
}

}  // namespace test_launch
