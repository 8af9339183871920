// The "advise" operation: rows (weight formats or training recipes) × columns (GPU × count, larger cards),
// each cell fit's own answer.
#include <catch2/catch.hpp>
#include <string>

#include "support.hpp"

namespace test_advise {

using gpumem::test::call;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

json merged(json base, const json& add) {
  for (const auto& [k, v] : add.items()) base[k] = v;
  return base;
}

const json& row_by_id(const json& r, const std::string& id) {
  for (const auto& row : r["rows"])
    if (row["id"] == id) return row;
  FAIL("no row " << id);
  static const json none;
  return none;
}

// fit's answer for the request with a row's options on one column.
json fit_for(const std::string& config, const json& request, const json& r, const json& row, size_t col) {
  const json& c = r["columns"][col];
  json opts = merged(request, row["options"]);
  opts["gpu"] = c["gpu"];
  opts["gpus"] = c["gpus"];
  return call("fit", config, opts);
}

}  // namespace

TEST_CASE("advise: inference cells are fit's answers (llama-3.1-8b, vLLM, RTX 4090)", "[advise]") {
  const std::string config = read_text("fixtures/configs/llama-3.1-8b.json");
  const json request = {{"engine", "vllm"}, {"gpu", "RTX 4090"}, {"context", 32768}};
  const json r = call("advise", config, request);
  REQUIRE(r["ok"] == true);
  CHECK(r["mode"] == "inference");
  CHECK(r["engine"] == "vllm");
  CHECK(r["context"] == 32768);
  const json& cols = r["columns"];
  REQUIRE(cols.size() <= 8);
  REQUIRE(cols.size() >= 5);
  CHECK(cols[0]["gpu"] == "RTX 4090");
  CHECK(cols[0]["gpus"] == 1);
  CHECK(cols[0]["chosen"] == true);
  CHECK(cols[1]["gpus"] == 2);
  CHECK(cols[3]["gpus"] == 8);
  // the larger cards have more usable memory than the chosen one, in increasing order
  for (size_t k = 5; k < cols.size(); ++k) {
    CHECK(cols[k]["usable_bytes"].get<uint64_t>() > cols[0]["usable_bytes"].get<uint64_t>());
    CHECK(cols[k]["usable_bytes"].get<uint64_t>() >= cols[k - 1]["usable_bytes"].get<uint64_t>());
  }
  // the usable bytes are fit's capacity for the request's card
  const json fit = call("fit", config, request);
  CHECK(cols[0]["usable_bytes"] == fit["capacity"]["bytes"]);

  // rows: the model's dtype first and current, then fp8, AWQ, GPTQ, NF4 and KV fp8 variants
  const json& bf16 = row_by_id(r, "bf16");
  CHECK(bf16["current"] == true);
  CHECK(r["current"]["row"] == "bf16");
  CHECK(r["current"]["column"] == 0);
  for (const char* id : {"bf16+kv-fp8", "fp8", "fp8+kv-fp8", "awq-4bit", "gptq-4bit", "bnb-nf4"}) row_by_id(r, id);
  CHECK(row_by_id(r, "awq-4bit")["weights_bytes"].get<uint64_t>() < bf16["weights_bytes"].get<uint64_t>() / 2);

  // every cell of a few rows equals fit with the row's options on the column's GPUs
  for (const char* id : {"bf16", "fp8+kv-fp8", "awq-4bit"}) {
    const json& row = row_by_id(r, id);
    for (size_t col : {size_t{0}, size_t{1}, cols.size() - 1}) {
      const json f = fit_for(config, request, r, row, col);
      REQUIRE(f["ok"] == true);
      const json& cell = row["cells"][col];
      INFO(id << " on column " << col);
      CHECK(cell["max_context"] == f["max_context"]);
      CHECK(cell["binding"] == f["binding"]);
      CHECK(cell["fits"] == f["fits"]);
      // total_bytes: per GPU at the requested context, fit's need (capacity less headroom)
      CHECK(cell["total_bytes"].get<int64_t>() ==
            f["capacity"]["bytes"].get<int64_t>() - f["headroom_bytes"].get<int64_t>());
    }
  }
  CHECK(r["current"]["max_context"] == fit["max_context"]);
  CHECK(r["current"]["fits"] == fit["fits"]);
}

TEST_CASE("advise: a 14B-class model on a 16 GB card fits in 4 bits, not in bf16", "[advise]") {
  // No phi-4 fixture: llama-2-13b (26 GB in bf16) stands in for a 14B model on a 16 GB card.
  const std::string config = read_text("fixtures/configs/llama-2-13b.json");
  for (const char* engine : {"vllm", "llamacpp", "hf"}) {
    INFO(engine);
    const json r = call("advise", config, {{"engine", engine}, {"gpu", "RTX 4080"}, {"context", 2048}});
    REQUIRE(r["ok"] == true);
    const json& first = r["rows"][0];
    CHECK(first["current"] == true);
    CHECK(first["cells"][0]["fits"] == false);
    CHECK(r["current"]["fits"] == false);
    bool four_bit_fits = false;
    for (const auto& row : r["rows"]) {
      const std::string q = row["options"].value("quant", "");
      if ((q == "awq-4bit" || q == "gptq-4bit" || q == "bnb-nf4" || q == "gguf-q4_k_m") && row["cells"][0]["fits"])
        four_bit_fits = true;
      // never a format the engine refuses
      if (std::string(engine) == "llamacpp") CHECK((q == "none" || q.rfind("gguf-", 0) == 0));
      if (std::string(engine) != "llamacpp") CHECK(q.rfind("gguf-", 0) != 0);
    }
    CHECK(four_bit_fits);
    // four GPUs in bf16 fit too
    CHECK(r["columns"][2]["gpus"] == 4);
    CHECK(first["cells"][2]["fits"] == true);
  }
}

TEST_CASE("advise: nearest lists only fitting setups, cheapest first", "[advise]") {
  const std::string config = read_text("fixtures/configs/qwen3-8b.json");
  const json r = call("advise", config, {{"engine", "vllm"}, {"gpu", "RTX 4080"}, {"context", 8192}});
  REQUIRE(r["ok"] == true);
  const json& near = r["nearest"];
  REQUIRE(!near.empty());
  REQUIRE(near.size() <= 3);
  uint64_t last_gpus = 0, last_mem = 0, last_weights = UINT64_MAX;
  for (const auto& n : near) {
    const json& col = r["columns"][n["column"].get<size_t>()];
    const json& row = row_by_id(r, n["row"]);
    const json& cell = row["cells"][n["column"].get<size_t>()];
    CHECK(cell["fits"] == true);
    CHECK(n["max_context"] == cell["max_context"]);
    CHECK(n["max_context"].get<uint64_t>() >= 8192);
    const uint64_t gpus = col["gpus"], mem = col["usable_bytes"], w = row["weights_bytes"];
    CHECK(gpus >= last_gpus);
    if (gpus == last_gpus) CHECK(mem >= last_mem);
    if (gpus == last_gpus && mem == last_mem) CHECK(w <= last_weights);
    last_gpus = gpus, last_mem = mem, last_weights = w;
  }
  // the first is one GPU of the chosen card (a 4-bit or fp8 format fits there)
  CHECK(r["columns"][near[0]["column"].get<size_t>()]["gpus"] == 1);
}

TEST_CASE("advise: llama.cpp rows are GGUF types with a q8_0 KV variant", "[advise]") {
  const std::string config = read_text("fixtures/configs/llama-3.1-8b.json");
  const json request = {{"engine", "llamacpp"}, {"gpu", "RTX 3060"}, {"context", 16384}};
  const json r = call("advise", config, request);
  REQUIRE(r["ok"] == true);
  for (const char* id : {"q8_0", "q6_k", "q5_k_m", "q4_k_m", "q4_k_m+kv-q8_0", "q3_k_m", "q2_k"}) row_by_id(r, id);
  const json& row = row_by_id(r, "q4_k_m+kv-q8_0");
  for (size_t col : {size_t{0}, size_t{2}}) {
    const json f = fit_for(config, request, r, row, col);
    REQUIRE(f["ok"] == true);
    CHECK(row["cells"][col]["max_context"] == f["max_context"]);
    CHECK(row["cells"][col]["fits"] == f["fits"]);
  }
}

TEST_CASE("advise: a request none of the rows matches is its own current row", "[advise]") {
  const std::string config = read_text("fixtures/configs/llama-3.1-8b.json");
  const json r = call("advise", config, {{"engine", "hf"}, {"gpu", "A100 80GB"}, {"dtype", "fp32"}});
  REQUIRE(r["ok"] == true);
  CHECK(r["rows"][0]["current"] == true);
  CHECK(r["current"]["row"] == r["rows"][0]["id"]);
  CHECK(r["rows"][0]["options"]["dtype"] == "fp32");
}

TEST_CASE("advise: training recipes, QLoRA of qwen2.5-7b fits a T4", "[advise]") {
  const std::string config = read_text("fixtures/configs/qwen2.5-7b-instruct.json");
  const json request = {{"mode", "train"}, {"gpu", "T4"}, {"seq", 2048}};
  const json r = call("advise", config, request);
  REQUIRE(r["ok"] == true);
  CHECK(r["mode"] == "train");
  CHECK(r["seq"] == 2048);
  CHECK(r["current"]["row"] == "full");
  CHECK(r["current"]["fits"] == false);
  const json& qlora = row_by_id(r, "qlora");
  CHECK(qlora["options"]["quant"] == "bnb-nf4");
  CHECK(qlora["options"]["lora_rank"] == 16);
  CHECK(qlora["cells"][0]["fits"] == true);
  CHECK(qlora["cells"][0]["max_batch"].get<uint64_t>() >= 1);
  for (const char* id : {"full+ckpt", "lora", "lora+ckpt", "qlora+chunked-loss", "qlora+chunked-loss+8bit-optim",
                         "zero2", "zero3", "zero3+offload"})
    row_by_id(r, id);
  // cells equal fit --mode train on the column's GPUs
  for (const char* id : {"qlora", "zero3", "lora+ckpt"}) {
    const json& row = row_by_id(r, id);
    for (size_t col : {size_t{0}, size_t{2}, r["columns"].size() - 1}) {
      const json f = fit_for(config, request, r, row, col);
      REQUIRE(f["ok"] == true);
      INFO(id << " on column " << col);
      CHECK(row["cells"][col]["max_batch"] == f["max_batch"]);
      CHECK(row["cells"][col]["binding"] == f["binding"]);
      CHECK(row["cells"][col]["fits"] == f["fits"]);
    }
  }
  // ZeRO-3 shards more over more GPUs: never a smaller batch with more of them
  const json& z3 = row_by_id(r, "zero3");
  CHECK(z3["cells"][3]["max_batch"].get<uint64_t>() >= z3["cells"][0]["max_batch"].get<uint64_t>());
  for (const auto& n : r["nearest"]) CHECK(row_by_id(r, n["row"])["cells"][n["column"].get<size_t>()]["fits"] == true);
}

TEST_CASE("advise: bad input is an error with a code and a path", "[advise]") {
  const std::string config = read_text("fixtures/configs/llama-3.1-8b.json");
  struct Bad {
    json options;
    const char* code;
    const char* path;
  };
  const Bad cases[] = {
      {json::object(), "bad_request", "/options/gpu"},
      {{{"gpu", "RTX 9999"}}, "bad_request", "/options/gpu"},
      {{{"gpu", "T4"}, {"quant", "q9"}}, "bad_request", "/options/quant"},
      {{{"gpu", "T4"}, {"engine", "vllm"}, {"kv_dtype", "q4_0"}}, "unsupported", "/options/kv_dtype"},
      {{{"gpu", "T4"}, {"engine", "llamacpp"}, {"quant", "awq-4bit"}}, "unsupported", "/options/quant"},
      {{{"gpu", "T4"}, {"mode", "weights"}}, "bad_request", "/options/mode"},
      {{{"gpu", "T4"}, {"mode", "train"}, {"seq", 0}}, "bad_request", "/options/seq"},
      {{{"gpu_memory", "lots"}}, "bad_request", "/options/gpu_memory"},
  };
  for (const auto& c : cases) {
    INFO(c.options.dump());
    const json r = call("advise", config, c.options);
    CHECK(r["ok"] == false);
    CHECK(r["error"]["code"] == c.code);
    CHECK(r["error"]["path"] == c.path);
    CHECK(!r["error"]["message"].get<std::string>().empty());
  }
  const json r = call("advise", "{not json", {{"gpu", "T4"}});
  CHECK(r["ok"] == false);
  CHECK(!r["error"]["code"].get<std::string>().empty());
}

TEST_CASE("advise: the option schema lists advise wherever fit reads the option", "[advise]") {
  const json s = nlohmann::json::parse(gpumem::handle(R"({"op":"options"})"));
  size_t with_advise = 0;
  for (const auto& row : s["options"]) {
    bool fit = false, advise = false;
    for (const auto& op : row["ops"]) fit = fit || op == "fit", advise = advise || op == "advise";
    if (row["name"] != "solve") CHECK(fit == advise);
    with_advise += advise ? 1 : 0;
  }
  CHECK(with_advise > 20);
}

}  // namespace test_advise
