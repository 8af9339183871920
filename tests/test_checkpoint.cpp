// Checkpoint headers: every safetensors dtype and ggml type, Llama-shaped shards against the config
// count, the "need more bytes" protocol, and corrupted or truncated headers (errors, never crashes).
#include <catch2/catch.hpp>

#include "checkpoint_writer.hpp"
#include "gpumem/checkpoint/checkpoint.hpp"
#include "support.hpp"

namespace test_checkpoint {

using namespace gpumem::test;
using nlohmann::json;

namespace {

struct Dropped {
  std::string name;
  std::string head;
  uint64_t size;
};

json inspect(const std::vector<Dropped>& files, const std::string& config_text = "") {
  json req = {{"op", "inspect"}, {"files", json::array()}};
  std::string attachment;
  for (const auto& f : files) {
    req["files"].push_back({{"name", f.name}, {"size", f.size}, {"length", f.head.size()}});
    attachment += f.head;
  }
  if (!config_text.empty()) req["config_text"] = config_text;
  return json::parse(gpumem::handle(req.dump(), attachment));
}

Dropped st(const std::string& name, const std::vector<FakeTensor>& t, const json& md = nullptr) {
  auto [head, size] = safetensors_file(t, md);
  return {name, head, size};
}

// Llama-2-7b's tensors as transformers saves them (LlamaForCausalLM state dict).
std::vector<FakeTensor> llama_tensors(uint64_t n_layer, uint64_t n_embd, uint64_t n_ff, uint64_t n_vocab) {
  auto bf16 = [](std::string name, std::vector<uint64_t> shape) {
    uint64_t n = 1;
    for (auto d : shape) n *= d;
    return FakeTensor{std::move(name), "BF16", shape, 2 * n};
  };
  std::vector<FakeTensor> t = {bf16("model.embed_tokens.weight", {n_vocab, n_embd})};
  for (uint64_t i = 0; i < n_layer; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    for (const char* m : {"q_proj", "k_proj", "v_proj", "o_proj"})
      t.push_back(bf16(p + "self_attn." + m + ".weight", {n_embd, n_embd}));
    t.push_back(bf16(p + "mlp.gate_proj.weight", {n_ff, n_embd}));
    t.push_back(bf16(p + "mlp.up_proj.weight", {n_ff, n_embd}));
    t.push_back(bf16(p + "mlp.down_proj.weight", {n_embd, n_ff}));
    t.push_back(bf16(p + "input_layernorm.weight", {n_embd}));
    t.push_back(bf16(p + "post_attention_layernorm.weight", {n_embd}));
  }
  t.push_back(bf16("model.norm.weight", {n_embd}));
  t.push_back(bf16("lm_head.weight", {n_vocab, n_embd}));
  return t;
}

}  // namespace

TEST_CASE("safetensors: every dtype is sized exactly", "[checkpoint]") {
  // {dtype, bits}: 6 elements each, so 4- and 6-bit types fill whole bytes.
  const std::vector<std::pair<std::string, uint64_t>> dtypes = {
      {"BOOL", 8}, {"U8", 8},   {"I8", 8},    {"F8_E5M2", 8}, {"F8_E4M3", 8}, {"F8_E8M0", 8}, {"I16", 16},
      {"U16", 16}, {"F16", 16}, {"BF16", 16}, {"I32", 32},    {"U32", 32},    {"F32", 32},    {"I64", 64},
      {"U64", 64}, {"F64", 64}, {"C64", 64},  {"F4", 4},      {"F6_E2M3", 6}, {"F6_E3M2", 6}};
  std::vector<FakeTensor> t;
  uint64_t bytes = 0;
  for (const auto& [d, bits] : dtypes) {
    t.push_back({"t." + d, d, {2, 4}, 8 * bits / 8});
    bytes += 8 * bits / 8;
  }
  const auto r = inspect({st("all.safetensors", t, {{"format", "pt"}})});
  REQUIRE(r["ok"].get<bool>());
  CHECK(r["complete"].get<bool>());
  CHECK(r["tensors"] == dtypes.size());
  CHECK(r["params"] == 8 * dtypes.size());
  CHECK(r["bytes"] == bytes);
  for (const auto& [d, bits] : dtypes) {
    CAPTURE(d);
    CHECK(r["by_dtype"][d]["bytes"] == 8 * bits / 8);
    CHECK(r["by_dtype"][d]["params"] == 8);
  }
  CHECK(r["files"][0]["metadata"]["format"] == "pt");
}

TEST_CASE("GGUF: every ggml type is sized by its blocks", "[checkpoint]") {
  // {type id, block elements, block bytes} from ggml's type traits.
  const std::vector<std::tuple<uint32_t, uint64_t, uint64_t>> types = {
      {0, 1, 4},      {1, 1, 2},     {2, 32, 18},    {3, 32, 20},    {6, 32, 22},    {7, 32, 24},    {8, 32, 34},
      {9, 32, 36},    {10, 256, 84}, {11, 256, 110}, {12, 256, 144}, {13, 256, 176}, {14, 256, 210}, {15, 256, 292},
      {16, 256, 66},  {17, 256, 74}, {18, 256, 98},  {19, 256, 50},  {20, 32, 18},   {21, 256, 110}, {22, 256, 82},
      {23, 256, 136}, {24, 1, 1},    {25, 1, 2},     {26, 1, 4},     {27, 1, 8},     {28, 1, 8},     {29, 256, 56},
      {30, 1, 2},     {34, 256, 54}, {35, 256, 66},  {39, 32, 17},   {40, 64, 36}};
  for (uint32_t version : {2u, 3u}) {
    std::vector<GgufTensor> t;
    uint64_t bytes = 0;
    for (const auto& [id, block, size] : types) {
      // 512 × 3 elements: a whole number of blocks for every type.
      const uint64_t b = 512 / block * size * 3;
      t.push_back({"blk.0.t" + std::to_string(id), id, {512, 3}, b});
      bytes += b;
    }
    auto [head, size] =
        gguf_file({kv_str("general.architecture", "llama"), kv_u32("general.alignment", 32)}, t, version);
    const auto r = inspect({{"m.gguf", head, size}});
    CAPTURE(version);
    REQUIRE(r["ok"].get<bool>());
    CHECK(r["bytes"] == bytes);
    CHECK(r["params"] == 512 * 3 * types.size());
    CHECK(r["by_dtype"]["Q4_K"]["bytes"] == 2 * 144 * 3);
    CHECK(r["files"][0]["metadata"]["gguf.version"] == version);
  }
}

TEST_CASE("Llama-2-7b shards and index: groups and count equal the config's", "[checkpoint][golden]") {
  const auto tensors = llama_tensors(32, 4096, 11008, 32000);
  const std::vector<FakeTensor> a(tensors.begin(), tensors.begin() + 150), b(tensors.begin() + 150, tensors.end());
  json weight_map = json::object();
  uint64_t total = 0;
  for (size_t i = 0; i < tensors.size(); ++i) {
    weight_map[tensors[i].name] = i < 150 ? "model-00001-of-00002.safetensors" : "model-00002-of-00002.safetensors";
    total += tensors[i].bytes;
  }
  const std::string index = json({{"metadata", {{"total_size", total}}}, {"weight_map", weight_map}}).dump();
  const std::string config = read_text("fixtures/configs/llama-2-7b.json");
  const auto r = inspect({st("model-00001-of-00002.safetensors", a),
                          st("model-00002-of-00002.safetensors", b),
                          {"model.safetensors.index.json", index, index.size()}},
                         config);
  REQUIRE(r["ok"].get<bool>());
  CHECK(r["params"] == 6738415616ULL);
  CHECK(r["bytes"] == 13476831232ULL);
  CHECK(r["tensors"] == 291);
  CHECK(r["notes"].empty());
  REQUIRE(r.contains("comparison"));
  CHECK(r["comparison"]["agrees"].get<bool>());
  for (const auto& row : r["comparison"]["groups"]) {
    CAPTURE(row.dump());
    CHECK(row["agrees"].get<bool>());
  }
  CHECK(r["groups"]["attention"]["params"] == 2147483648ULL);
  CHECK(r["groups"]["lm_head"]["params"] == 131072000ULL);

  SECTION("the index alone gives the exact bytes") {
    const auto ri = inspect({{"model.safetensors.index.json", index, index.size()}});
    REQUIRE(ri["ok"].get<bool>());
    CHECK(ri["bytes"] == 13476831232ULL);
    CHECK(ri["bytes_source"] == "metadata.total_size of the index");
  }
  SECTION("a config that disagrees is shown group by group") {
    json cfg = json::parse(config);
    cfg["intermediate_size"] = 11000;
    const auto rc = inspect({st("a.safetensors", a), st("b.safetensors", b)}, cfg.dump());
    CHECK_FALSE(rc["comparison"]["agrees"].get<bool>());
    bool mlp_flagged = false;
    for (const auto& row : rc["comparison"]["groups"])
      mlp_flagged = mlp_flagged || (row["group"] == "mlp" && !row["agrees"]);
    CHECK(mlp_flagged);
  }
}

TEST_CASE("GGUF metadata gives a model description the estimator can use", "[checkpoint]") {
  std::vector<GgufTensor> t = {{"token_embd.weight", 12, {256, 100}, 144 * 100},
                               {"blk.0.attn_q.weight", 12, {256, 256}, 144 * 256},
                               {"blk.0.attn_norm.weight", 0, {256}, 1024},
                               {"blk.0.ffn_gate_exps.weight", 12, {256, 512, 4}, 144 * 512 * 4},
                               {"blk.0.ffn_gate_inp.weight", 0, {256, 4}, 4096}};
  auto [head, size] = gguf_file({kv_str("general.architecture", "llama"), kv_u32("llama.block_count", 1),
                                 kv_u32("llama.embedding_length", 256), kv_u32("llama.feed_forward_length", 512),
                                 kv_u32("llama.attention.head_count", 4), kv_u32("llama.attention.head_count_kv", 2),
                                 kv_u32("llama.context_length", 4096), kv_str_array("tokenizer.ggml.tokens", 100)},
                                t);
  const auto r = inspect({{"tiny.gguf", head, size}});
  REQUIRE(r["ok"].get<bool>());
  const auto& cfg = r["gguf_model"]["config"];
  CHECK(cfg["model_type"] == "llama");
  CHECK(cfg["num_hidden_layers"] == 1);
  CHECK(cfg["num_key_value_heads"] == 2);
  CHECK(cfg["vocab_size"] == 100);
  CHECK(cfg["tie_word_embeddings"] == true);
  CHECK(r["gguf_model"]["model"]["n_head_kv"] == 2);
  CHECK(r["groups"]["embeddings"]["params"] == 25600);
  CHECK(r["groups"]["experts_routed"]["params"] == 256 * 512 * 4);
  CHECK(r["groups"]["router"]["params"] == 1024);
  CHECK(r["groups"]["norms"]["params"] == 256);
  CHECK(r["groups"]["attention"]["params"] == 65536);
  CHECK(r["files"][0]["metadata"]["tokenizer.ggml.tokens"]["length"] == 100);
}

TEST_CASE("a short head asks for exactly the header's bytes", "[checkpoint]") {
  auto [head, size] = safetensors_file(llama_tensors(2, 64, 128, 100));
  const auto r1 = inspect({{"m.safetensors", head.substr(0, 4), size}});
  REQUIRE(r1["ok"].get<bool>());
  CHECK_FALSE(r1["complete"].get<bool>());
  CHECK(r1["need"]["bytes"] == 8);
  const auto r2 = inspect({{"m.safetensors", head.substr(0, 8), size}});
  CHECK(r2["need"]["bytes"] == head.size());
  const auto r3 = inspect({{"m.safetensors", head, size}});
  CHECK(r3["complete"].get<bool>());

  auto [g, gsize] = gguf_file({kv_str_array("tokenizer.ggml.tokens", 5000)}, {{"output.weight", 1, {64, 10}, 1280}});
  std::string part = g.substr(0, 64);
  json r;
  int rounds = 0;
  while (true) {
    r = inspect({{"m.gguf", part, gsize}});
    REQUIRE(r["ok"].get<bool>());
    if (r["complete"].get<bool>()) break;
    const uint64_t want = r["need"]["bytes"].get<uint64_t>();
    REQUIRE(want > part.size());
    REQUIRE(want <= gsize);
    part = g.substr(0, want);
    REQUIRE(++rounds < 40);
  }
  CHECK(r["bytes"] == 1280);
}

TEST_CASE("broken headers give errors naming the problem", "[checkpoint][errors]") {
  auto [head, size] = safetensors_file(llama_tensors(1, 64, 128, 100));
  SECTION("a header length over 100 MB") {
    std::string bad = head;
    bad[6] = 0x10;
    const auto r = inspect({{"m.safetensors", bad, 1ull << 60}});
    CHECK(r["error"]["code"] == "invalid_header");
  }
  SECTION("a file cut inside its data") {
    const auto r = inspect({{"m.safetensors", head, size - 1}});
    CHECK(r["error"]["code"] == "truncated");
  }
  SECTION("a file cut inside its header") {
    const auto r = inspect({{"m.safetensors", head.substr(0, 20), 20}});
    CHECK(r["error"]["code"] == "truncated");
  }
  SECTION("a shape that does not match the byte range") {
    const auto [h2, s2] = safetensors_file({{"w", "F16", {10, 10}, 100}});
    const auto r = inspect({{"w.safetensors", h2, s2}});
    CHECK(r["error"]["code"] == "invalid_header");
    CHECK(r["error"]["path"] == "/w/data_offsets");
  }
  SECTION("an unknown dtype") {
    const auto [h2, s2] = safetensors_file({{"w", "F12", {10}, 15}});
    const auto r = inspect({{"w.safetensors", h2, s2}});
    CHECK(r["error"]["code"] == "unsupported_dtype");
    CHECK(r["error"]["path"] == "/w/dtype");
  }
  SECTION("GGUF version 1") {
    auto [g, gs] = gguf_file({}, {}, 1);
    CHECK(inspect({{"old.gguf", g, gs}})["error"]["code"] == "unsupported_format");
  }
  SECTION("a shard dropped twice") {
    CHECK(inspect({{"a", head, size}, {"b", head, size}})["error"]["code"] == "invalid_header");
  }
}

TEST_CASE("every truncation and 1,500 byte flips per format: an answer, never a crash", "[checkpoint][fuzz]") {
  auto [s, ssize] = safetensors_file(llama_tensors(1, 64, 128, 100));
  auto [g, gsize] = gguf_file({kv_str("general.architecture", "llama"), kv_u32("llama.block_count", 1),
                               kv_str_array("tokenizer.ggml.tokens", 20)},
                              {{"token_embd.weight", 8, {64, 20}, 34 * 2 * 20}, {"output_norm.weight", 0, {64}, 256}});
  for (const auto& [name, bytes, size] :
       {std::tuple{std::string("m.safetensors"), s, ssize}, std::tuple{std::string("m.gguf"), g, gsize}}) {
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      const auto r = inspect({{name, bytes.substr(0, cut), cut}});
      CAPTURE(name, cut);
      // The whole file is `cut` bytes, so some tensor's data is always missing.
      CHECK_FALSE(r["ok"].get<bool>());
      CHECK((r["error"]["code"] == "truncated" || r["error"]["code"] == "invalid_header"));
    }
    uint64_t state = 0x9E3779B97F4A7C15ULL;
    for (int i = 0; i < 1500; ++i) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      std::string mutated = bytes;
      mutated[(state >> 33) % mutated.size()] = static_cast<char>(state >> 13);
      const auto r = inspect({{name, mutated, size}});
      CAPTURE(name, i);
      REQUIRE(r.contains("ok"));
      CHECK((r["ok"].get<bool>() != r.contains("error")));
    }
  }
}

namespace {

json estimate_with(const std::string& config, const json& checkpoint, const json& options) {
  json req = {{"op", "estimate"}, {"config_text", config}, {"options", options}, {"checkpoint", checkpoint}};
  return json::parse(gpumem::handle(req.dump()));
}

}  // namespace

TEST_CASE("the decoder layer of a tensor comes from its name", "[checkpoint]") {
  CHECK(gpumem::tensor_layer("model.layers.12.mlp.down_proj.weight") == 12);
  CHECK(gpumem::tensor_layer("transformer.h.3.attn.c_attn.weight") == 3);
  CHECK(gpumem::tensor_layer("blk.7.ffn_gate_exps.weight") == 7);
  CHECK(gpumem::tensor_layer("gpt_neox.layers.0.attention.dense.weight") == 0);
  CHECK(gpumem::tensor_layer("model.embed_tokens.weight") == -1);
  CHECK(gpumem::tensor_layer("lm_head.weight") == -1);
  // A tower's blocks are not decoder layers.
  CHECK(gpumem::tensor_layer("vision_tower.vision_model.encoder.layers.4.mlp.fc1.weight") == -1);
  CHECK(gpumem::tensor_layer("visual.blocks.3.attn.qkv.weight") == -1);
  CHECK(gpumem::tensor_layer("model.layers.x.mlp") == -1);
}

TEST_CASE("the estimate's weights are the checkpoint's bytes where the engine loads them as stored",
          "[checkpoint][inference]") {
  const std::string config = read_text("fixtures/configs/llama-2-7b.json");
  auto tensors = llama_tensors(32, 4096, 11008, 32000);
  const auto r = inspect({st("model.safetensors", tensors)});
  REQUIRE(r.contains("checkpoint"));
  const json& ck = r["checkpoint"];
  CHECK(ck["format"] == "safetensors");
  CHECK(ck["bytes"] == 13476831232ULL);
  CHECK(ck["embd_bytes"] == 32000ULL * 4096 * 2);
  CHECK(ck["layers"].size() == 32);
  // One layer: 4 attention matrices, 3 MLP matrices and 2 norms in BF16; the largest is an MLP matrix.
  CHECK(ck["layers"][5]["bytes"] == 2 * (4ULL * 4096 * 4096 + 3ULL * 11008 * 4096 + 2 * 4096));
  CHECK(ck["layers"][5]["largest"] == 2ULL * 11008 * 4096);
  CHECK(ck["outside_bytes"] == 2 * (4096ULL + 32000ULL * 4096));

  const json vllm = {{"engine", "vllm"}, {"dtype", "bf16"}, {"gpu", "A100 80GB"}, {"context", 4096}};
  const json plain = call("estimate", config, vllm);
  const json with = estimate_with(config, ck, vllm);
  REQUIRE(with["ok"].get<bool>());
  CHECK(has_assumption(with, "checkpoint_weights"));
  // The same bytes as the layout computed from the config: the same estimate.
  CHECK(part(with, "weights") == 13476831232ULL);
  CHECK(with["memory"]["total_bytes"] == plain["memory"]["total_bytes"]);

  SECTION("a checkpoint that stores more (a bias the config does not know) moves the weights by exactly that") {
    tensors.push_back({"model.layers.1.self_attn.q_proj.bias", "BF16", {4096}, 8192});
    const auto r2 = inspect({st("model.safetensors", tensors)});
    const json e = estimate_with(config, r2["checkpoint"], vllm);
    CHECK(part(e, "weights") == 13476831232ULL + 8192);
    bool said = false;
    for (const auto& a : e["assumptions"])
      said = said ||
             (a["code"] == "checkpoint_weights" && a["message"].get<std::string>().find("+8,192") != std::string::npos);
    CHECK(said);
  }
  SECTION("tensor parallelism divides the checkpoint's bytes as it divides the computed ones") {
    json o = vllm;
    o["tp"] = 2;
    CHECK(part(estimate_with(config, ck, o), "weights") == 13476831232ULL / 2);
  }
  SECTION("where the engine does not load the tensors as stored, the config's layout is used and said") {
    for (const json& o : {json{{"engine", "hf"}, {"dtype", "fp32"}}, json{{"engine", "hf"}, {"quant", "bnb-nf4"}},
                          json{{"engine", "vllm"}, {"pp", 2}}, json{{"engine", "llamacpp"}}}) {
      CAPTURE(o.dump());
      const json e = estimate_with(config, ck, o);
      REQUIRE(e["ok"].get<bool>());
      CHECK(has_assumption(e, "checkpoint_unused"));
      CHECK_FALSE(has_assumption(e, "checkpoint_weights"));
      CHECK(e["memory"]["total_bytes"] == call("estimate", config, o)["memory"]["total_bytes"]);
    }
  }
  SECTION("a checkpoint of another model (fewer layers) is not used") {
    const auto small = inspect({st("model.safetensors", llama_tensors(2, 4096, 11008, 32000))});
    const json e = estimate_with(config, small["checkpoint"], vllm);
    CHECK(has_assumption(e, "checkpoint_unused"));
  }
  SECTION("a checkpoint object that does not add up is refused with its path") {
    json bad = ck;
    bad["bytes"] = 1;
    json e = estimate_with(config, bad, vllm);
    CHECK(e["error"]["code"] == "invalid_value");
    CHECK(e["error"]["path"] == "/checkpoint/bytes");
    bad = ck;
    bad["layers"][3].erase("largest");
    e = estimate_with(config, bad, vllm);
    CHECK(e["error"]["code"] == "missing_key");
    CHECK(e["error"]["path"] == "/checkpoint/layers/3/largest");
    bad = ck;
    bad["format"] = "pickle";
    e = estimate_with(config, bad, vllm);
    CHECK(e["error"]["path"] == "/checkpoint/format");
    e = estimate_with(config, "x", vllm);
    CHECK(e["error"]["code"] == "wrong_type");
  }
  SECTION("an index whose shards were not all read gives no checkpoint") {
    json weight_map = json::object();
    for (const auto& t : tensors) weight_map[t.name] = "b.safetensors";
    const std::string index = json({{"weight_map", weight_map}}).dump();
    const auto ri = inspect({{"model.safetensors.index.json", index, index.size()},
                             st("a.safetensors", {tensors.begin(), tensors.begin() + 5})});
    CHECK_FALSE(ri.contains("checkpoint"));
  }
}

TEST_CASE("llama.cpp places a GGUF's own tensors: a tensor stored larger moves the GPU weights by its bytes",
          "[checkpoint][llamacpp]") {
  // A 2-layer Llama-shaped GGUF (Q4_K matrices, F32 norms, Q6_K output) for a config read from its metadata.
  const uint64_t d = 256, ff = 512, vocab = 1024;
  auto q4k = [](uint64_t n) { return n / 256 * 144; };
  auto make = [&](uint64_t extra) {
    std::vector<GgufTensor> t = {{"token_embd.weight", 12, {d, vocab}, q4k(d * vocab)}};
    for (int il = 0; il < 2; ++il) {
      const std::string p = "blk." + std::to_string(il) + ".";
      for (const char* m : {"attn_q", "attn_k", "attn_v", "attn_output"})
        t.push_back({p + m + ".weight", 12, {d, d}, q4k(d * d)});
      t.push_back({p + "ffn_gate.weight", 12, {d, ff}, q4k(d * ff)});
      t.push_back({p + "ffn_up.weight", 12, {d, ff}, q4k(d * ff)});
      // layer 1's down projection in Q8_0 (34 bytes per 32) when `extra`, as llama-quant's mixes do
      t.push_back(il == 1 && extra ? GgufTensor{p + "ffn_down.weight", 8, {ff, d}, ff * d / 32 * 34}
                                   : GgufTensor{p + "ffn_down.weight", 12, {ff, d}, q4k(ff * d)});
      t.push_back({p + "attn_norm.weight", 0, {d}, 4 * d});
      t.push_back({p + "ffn_norm.weight", 0, {d}, 4 * d});
    }
    t.push_back({"output_norm.weight", 0, {d}, 4 * d});
    t.push_back({"output.weight", 14, {d, vocab}, d * vocab / 256 * 210});
    return gguf_file({kv_str("general.architecture", "llama"), kv_u32("llama.block_count", 2),
                      kv_u32("llama.embedding_length", d), kv_u32("llama.feed_forward_length", ff),
                      kv_u32("llama.attention.head_count", 4), kv_u32("llama.attention.head_count_kv", 2),
                      kv_u32("llama.context_length", 4096), kv_str_array("tokenizer.ggml.tokens", vocab)},
                     t);
  };
  auto [head, size] = make(0);
  const auto r = inspect({{"tiny-Q4_K_M.gguf", head, size}});
  REQUIRE(r.contains("checkpoint"));
  CHECK(r["checkpoint"]["format"] == "gguf");
  const std::string config = r["gguf_model"]["config"].dump();
  const json o = {{"engine", "llamacpp"}, {"gpu", "RTX 4090"}, {"context", 4096}};
  const json e = estimate_with(config, r["checkpoint"], o);
  REQUIRE(e["ok"].get<bool>());
  CHECK(has_assumption(e, "checkpoint_weights"));
  auto [head2, size2] = make(1);
  const auto r2 = inspect({{"tiny-Q4_K_M.gguf", head2, size2}});
  const json e2 = estimate_with(config, r2["checkpoint"], o);
  CHECK(part(e2, "weights") - part(e, "weights") == ff * d / 32 * 34 - q4k(ff * d));
  // The GGUF is what llama.cpp loads whatever quant the config-based estimate would pick; vLLM does not load it.
  CHECK(has_assumption(estimate_with(config, r["checkpoint"], {{"engine", "vllm"}}), "checkpoint_unused"));
}

}  // namespace test_checkpoint
