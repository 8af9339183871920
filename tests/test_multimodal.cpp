// Multimodal towers: the vision encoder and the projector counted to the parameter against published
// totals, the checkpoint's tower tensors grouped as the config counts them, and their weights in the estimate.
#include <catch2/catch.hpp>

#include "checkpoint_writer.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/checkpoint/checkpoint.hpp"
#include "support.hpp"

namespace test_multimodal {

using gpumem::test::call;
using gpumem::test::FakeTensor;
using gpumem::test::has_assumption;
using gpumem::test::read_text;
using nlohmann::json;

namespace {

json params_of(const std::string& text) {
  const auto r = call("params", text);
  REQUIRE(r["ok"].get<bool>());
  return r;
}

uint64_t group(const json& r, const char* id) { return r["params"]["groups"][id].get<uint64_t>(); }

const json* find_assumption(const json& r, const std::string& code) {
  for (const auto& a : r["assumptions"])
    if (a["code"] == code) return &a;
  return nullptr;
}

}  // namespace

TEST_CASE("gemma-3-4b-it: the SigLIP tower and Gemma 3's projector, to the parameter", "[multimodal][golden]") {
  // The Hub's safetensors total is 4,300,079,472 (truth.json); a public summary of the same architecture
  // (medgemma-4b-it) prints vision_tower 416,866,032, multi_modal_projector 2,950,272 and language_model
  // 3,880,263,168.
  const auto r = params_of(read_text("fixtures/configs/gemma-3-4b-it.json"));
  CHECK(r["params"]["total"] == 4300079472ULL);
  CHECK(group(r, "vision") == 416866032ULL);
  CHECK(group(r, "projector") == 2950272ULL);
  const auto& v = r["model"]["vision"];
  CHECK(v["kind"] == "siglip");
  CHECK(v["n_pos"] == 4096);  // (896 / 14)²
  CHECK(v["head"] == false);
  CHECK(v["n_img_tokens"] == 256);
  CHECK(r["model"]["wrapper_type"] == "gemma3");
  CHECK(r["model"]["n_vocab"] == 262208);  // Gemma3TextConfig's default: text_config has no vocab_size
  CHECK(r["model"]["n_head"] == 8);
  CHECK(r["model"]["n_ctx_max"] == 131072);
  const json* counted = find_assumption(r, "towers_counted");
  REQUIRE(counted != nullptr);
  CHECK((*counted)["path"] == "/vision_config");
  CHECK_FALSE(has_assumption(r, "towers_not_counted"));
  bool heads_default = false;
  for (const auto& a : r["assumptions"])
    heads_default = heads_default || (a["code"] == "class_default" && a["path"] == "/text_config/num_attention_heads");
  CHECK(heads_default);
}

TEST_CASE("Qwen2.5-VL-7B-Instruct: vision transformer and patch merger, flat and nested configs",
          "[multimodal][golden]") {
  // Hub total 8,292,166,656; its visual module (blocks and merger) 676,550,144 (truth.json).
  const std::string text = read_text("fixtures/configs/qwen2.5-vl-7b-instruct.json");
  const auto r = params_of(text);
  CHECK(r["params"]["total"] == 8292166656ULL);
  CHECK(group(r, "vision") == 631975680ULL);
  CHECK(group(r, "projector") == 44574464ULL);
  CHECK(group(r, "vision") + group(r, "projector") == 676550144ULL);
  CHECK(r["model"]["model_type"] == "qwen2_5_vl_text");
  CHECK(r["model"]["wrapper_type"] == "qwen2_5_vl");
  CHECK(r["model"]["attn_qkv_bias"] == true);
  CHECK(r["model"]["vision"]["n_img_tokens"] == 0);  // dynamic resolution
  REQUIRE(has_assumption(r, "towers_counted"));
  CHECK_FALSE(has_assumption(r, "generic_layout"));

  // transformers ≥ 4.52 saves the language model under text_config (model_type qwen2_5_vl_text): the same count.
  json nested = json::parse(text);
  json tc = json::object();
  for (const char* k : {"hidden_size", "intermediate_size", "num_attention_heads", "num_hidden_layers",
                        "num_key_value_heads", "vocab_size", "max_position_embeddings", "rope_theta", "rms_norm_eps"})
    tc[k] = nested[k];
  tc["model_type"] = "qwen2_5_vl_text";
  nested["text_config"] = tc;
  const auto rn = params_of(nested.dump());
  CHECK(rn["params"]["total"] == 8292166656ULL);
  CHECK(group(rn, "projector") == 44574464ULL);
}

TEST_CASE("Qwen2-VL: LayerNorm blocks, fc1/fc2 from mlp_ratio, LayerNorm merger", "[multimodal][golden]") {
  // Qwen/Qwen2-VL-7B-Instruct's sizes (its config.json: the language model at the top level, vision_config with
  // embed_dim 1280, hidden_size 3584, depth 32, mlp_ratio 4). 8,291,375,616 is the count a public evaluation
  // table lists for it (library file id 12439498600); its language model is Qwen2-7B's 7,615,616,512.
  const auto r = params_of(R"({"model_type": "qwen2_vl", "hidden_size": 3584, "intermediate_size": 18944,
    "num_attention_heads": 28, "num_hidden_layers": 28, "num_key_value_heads": 4, "vocab_size": 152064,
    "tie_word_embeddings": false, "max_position_embeddings": 32768,
    "vision_config": {"depth": 32, "embed_dim": 1280, "mlp_ratio": 4, "num_heads": 16, "in_chans": 3,
      "hidden_size": 3584, "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2}})");
  CHECK(r["params"]["total"] == 8291375616ULL);
  CHECK(group(r, "vision") + group(r, "projector") == 675759104ULL);
  CHECK(group(r, "projector") == 2560ULL + (5120ULL * 5120 + 5120) + (5120ULL * 3584 + 3584));
}

TEST_CASE("LLaVA-1.5-7B's sizes: CLIP ViT-L/14-336 and the two-layer projector", "[multimodal][golden]") {
  // llava-hf/llava-1.5-7b-hf: LlavaForConditionalGeneration counts 7,063,427,072 (a public test asserts it,
  // library file id 4065502446). Its config.json leaves the text sizes to LlamaConfig's defaults; they are
  // written out here (vicuna-7b: 4096 wide, 32 layers, 11008, vocab 32064).
  const auto r = params_of(R"({"model_type": "llava", "projector_hidden_act": "gelu", "vision_feature_layer": -2,
    "vision_feature_select_strategy": "default", "tie_word_embeddings": false,
    "text_config": {"model_type": "llama", "hidden_size": 4096, "intermediate_size": 11008, "num_attention_heads": 32,
      "num_hidden_layers": 32, "num_key_value_heads": 32, "vocab_size": 32064, "max_position_embeddings": 4096},
    "vision_config": {"model_type": "clip_vision_model", "hidden_size": 1024, "image_size": 336,
      "intermediate_size": 4096, "num_attention_heads": 16, "num_hidden_layers": 24, "patch_size": 14,
      "projection_dim": 768}})");
  CHECK(r["params"]["total"] == 7063427072ULL);
  // CLIP: class embedding, patch conv (no bias), 577 positions, pre/post LayerNorm, 24 blocks.
  CHECK(group(r, "vision") == 303507456ULL);
  CHECK(group(r, "projector") == (1024ULL * 4096 + 4096) + (4096ULL * 4096 + 4096));
  CHECK(r["model"]["vision"]["n_img_tokens"] == 576);  // "default" drops the class token
  // The config names every size; only num_channels comes from CLIPVisionConfig.
  const json* d = find_assumption(r, "vision_defaults");
  REQUIRE(d != nullptr);
  CHECK((*d)["message"] ==
        "vision_config leaves out num_channels 3, so CLIPVisionConfig's defaults are used, as "
        "transformers does.");
}

TEST_CASE("a tower gpumem does not count is said, with the language model counted alone", "[multimodal]") {
  const auto r = params_of(R"({"model_type": "mistral3", "text_config": {"model_type": "mistral", "hidden_size": 64,
    "intermediate_size": 128, "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2,
    "vocab_size": 100}, "vision_config": {"model_type": "pixtral", "hidden_size": 32}})");
  CHECK(has_assumption(r, "towers_not_counted"));
  CHECK(group(r, "vision") == 0);
  CHECK(r["model"].contains("vision") == false);
  // An audio tower beside a counted vision tower is named as not counted.
  const auto a = params_of(R"({"model_type": "gemma3", "text_config": {"hidden_size": 64, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32, "num_hidden_layers": 2, "vocab_size": 100},
    "vision_config": {"hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 1, "image_size": 28,
      "patch_size": 14, "vision_use_head": false}, "audio_config": {"hidden_size": 8}})");
  const json* partly = find_assumption(a, "towers_counted");
  REQUIRE(partly != nullptr);
  CHECK((*partly)["message"].get<std::string>().find("audio_config") != std::string::npos);
}

TEST_CASE("vision_config errors name their key", "[multimodal][errors]") {
  const auto r = call("params", R"({"model_type": "gemma3", "text_config": {"hidden_size": 64,
    "intermediate_size": 128, "num_hidden_layers": 2}, "vision_config": {"image_size": 100, "patch_size": 14}})");
  REQUIRE_FALSE(r["ok"].get<bool>());
  CHECK(r["error"]["code"] == "invalid_value");
  CHECK(r["error"]["path"] == "/vision_config/image_size");
  const auto s = call("params", R"({"model_type": "gemma3", "text_config": {"hidden_size": 64,
    "intermediate_size": 128, "num_hidden_layers": 2}, "vision_config": {"hidden_size": "wide"}})");
  REQUIRE_FALSE(s["ok"].get<bool>());
  CHECK(s["error"]["path"] == "/vision_config/hidden_size");
  const std::string qwen2_vl = R"({"model_type": "qwen2_vl", "hidden_size": 64, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 100, "vision_config": )";
  const auto t = call("params", qwen2_vl + R"({"mlp_ratio": "four"}})");
  REQUIRE_FALSE(t["ok"].get<bool>());
  CHECK(t["error"]["code"] == "wrong_type");
  CHECK(t["error"]["path"] == "/vision_config/mlp_ratio");
  const auto u = call("params", qwen2_vl + R"({"embed_dim": 1e18, "mlp_ratio": 1000}})");
  REQUIRE_FALSE(u["ok"].get<bool>());
  CHECK(u["error"]["code"] == "overflow");
}

namespace {

FakeTensor bf16(std::string name, std::vector<uint64_t> shape) {
  uint64_t n = 1;
  for (auto d : shape) n *= d;
  return FakeTensor{std::move(name), "BF16", std::move(shape), 2 * n};
}

json inspect_with(const std::vector<FakeTensor>& t, const std::string& config) {
  auto [head, size] = gpumem::test::safetensors_file(t);
  json req = {{"op", "inspect"},
              {"files", {{{"name", "model.safetensors"}, {"size", size}, {"length", head.size()}}}},
              {"config_text", config}};
  return json::parse(gpumem::handle(req.dump(), head));
}

void check_agrees(const json& r) {
  REQUIRE(r["ok"].get<bool>());
  REQUIRE(r.contains("comparison"));
  for (const auto& row : r["comparison"]["groups"]) {
    CAPTURE(row.dump());
    CHECK(row["agrees"].get<bool>());
  }
  CHECK(r["comparison"]["agrees"].get<bool>());
}

}  // namespace

TEST_CASE("a Gemma 3 checkpoint's tower tensors land in the config's vision and projector groups",
          "[multimodal][checkpoint]") {
  const std::string config = R"({"model_type": "gemma3", "mm_tokens_per_image": 4,
    "text_config": {"hidden_size": 64, "intermediate_size": 128, "num_attention_heads": 4, "num_key_value_heads": 2,
      "head_dim": 32, "num_hidden_layers": 2, "vocab_size": 1000, "max_position_embeddings": 1024},
    "vision_config": {"hidden_size": 32, "intermediate_size": 48, "num_hidden_layers": 2, "num_attention_heads": 2,
      "image_size": 28, "patch_size": 14, "num_channels": 3, "vision_use_head": false}})";
  // As transformers 4.50 saves Gemma3ForConditionalGeneration (later releases prefix "model."; both group alike).
  for (const std::string prefix : {"", "model."}) {
    CAPTURE(prefix);
    const std::string lm = prefix.empty() ? "language_model.model." : "model.language_model.";
    std::vector<FakeTensor> t = {bf16(lm + "embed_tokens.weight", {1000, 64}), bf16(lm + "norm.weight", {64})};
    for (int i = 0; i < 2; ++i) {
      const std::string p = lm + "layers." + std::to_string(i) + ".";
      t.push_back(bf16(p + "self_attn.q_proj.weight", {128, 64}));
      t.push_back(bf16(p + "self_attn.k_proj.weight", {64, 64}));
      t.push_back(bf16(p + "self_attn.v_proj.weight", {64, 64}));
      t.push_back(bf16(p + "self_attn.o_proj.weight", {64, 128}));
      t.push_back(bf16(p + "self_attn.q_norm.weight", {32}));
      t.push_back(bf16(p + "self_attn.k_norm.weight", {32}));
      for (const char* m : {"gate_proj", "up_proj"}) t.push_back(bf16(p + "mlp." + m + ".weight", {128, 64}));
      t.push_back(bf16(p + "mlp.down_proj.weight", {64, 128}));
      for (const char* n :
           {"input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm"})
        t.push_back(bf16(p + n + ".weight", {64}));
    }
    const std::string vm = prefix + "vision_tower.vision_model.";
    t.push_back(bf16(vm + "embeddings.patch_embedding.weight", {32, 3, 14, 14}));
    t.push_back(bf16(vm + "embeddings.patch_embedding.bias", {32}));
    t.push_back(bf16(vm + "embeddings.position_embedding.weight", {4, 32}));
    for (int i = 0; i < 2; ++i) {
      const std::string p = vm + "encoder.layers." + std::to_string(i) + ".";
      for (const char* n : {"layer_norm1", "layer_norm2"}) {
        t.push_back(bf16(p + n + ".weight", {32}));
        t.push_back(bf16(p + n + ".bias", {32}));
      }
      for (const char* m : {"q_proj", "k_proj", "v_proj", "out_proj"}) {
        t.push_back(bf16(p + "self_attn." + m + ".weight", {32, 32}));
        t.push_back(bf16(p + "self_attn." + m + ".bias", {32}));
      }
      t.push_back(bf16(p + "mlp.fc1.weight", {48, 32}));
      t.push_back(bf16(p + "mlp.fc1.bias", {48}));
      t.push_back(bf16(p + "mlp.fc2.weight", {32, 48}));
      t.push_back(bf16(p + "mlp.fc2.bias", {32}));
    }
    t.push_back(bf16(vm + "post_layernorm.weight", {32}));
    t.push_back(bf16(vm + "post_layernorm.bias", {32}));
    t.push_back(bf16(prefix + "multi_modal_projector.mm_input_projection_weight", {32, 64}));
    t.push_back(bf16(prefix + "multi_modal_projector.mm_soft_emb_norm.weight", {32}));

    const auto r = inspect_with(t, config);
    check_agrees(r);
    const auto p = params_of(config);
    CHECK(r["groups"]["vision"]["params"] == group(p, "vision"));
    CHECK(r["groups"]["projector"]["params"] == group(p, "projector"));
    CHECK(r["groups"]["projector"]["params"] == 32 * 64 + 32);
    CHECK_FALSE(r["groups"].contains("positions"));  // the tower's position table is the tower's
  }
}

TEST_CASE("a Qwen2.5-VL checkpoint's visual blocks and merger land in the config's groups",
          "[multimodal][checkpoint]") {
  const std::string config = R"({"model_type": "qwen2_5_vl", "hidden_size": 64, "intermediate_size": 128,
    "num_attention_heads": 4, "num_key_value_heads": 2, "num_hidden_layers": 2, "vocab_size": 1000,
    "tie_word_embeddings": false, "max_position_embeddings": 1024,
    "vision_config": {"depth": 2, "hidden_size": 32, "intermediate_size": 48, "num_heads": 2, "in_chans": 3,
      "patch_size": 14, "temporal_patch_size": 2, "spatial_merge_size": 2, "out_hidden_size": 64}})";
  std::vector<FakeTensor> t = {bf16("model.embed_tokens.weight", {1000, 64}), bf16("model.norm.weight", {64}),
                               bf16("lm_head.weight", {1000, 64})};
  for (int i = 0; i < 2; ++i) {
    const std::string p = "model.layers." + std::to_string(i) + ".";
    t.push_back(bf16(p + "self_attn.q_proj.weight", {64, 64}));
    t.push_back(bf16(p + "self_attn.q_proj.bias", {64}));
    for (const char* m : {"k_proj", "v_proj"}) {
      t.push_back(bf16(p + "self_attn." + m + ".weight", {32, 64}));
      t.push_back(bf16(p + "self_attn." + m + ".bias", {32}));
    }
    t.push_back(bf16(p + "self_attn.o_proj.weight", {64, 64}));
    for (const char* m : {"gate_proj", "up_proj"}) t.push_back(bf16(p + "mlp." + m + ".weight", {128, 64}));
    t.push_back(bf16(p + "mlp.down_proj.weight", {64, 128}));
    t.push_back(bf16(p + "input_layernorm.weight", {64}));
    t.push_back(bf16(p + "post_attention_layernorm.weight", {64}));
  }
  t.push_back(bf16("visual.patch_embed.proj.weight", {32, 3, 2, 14, 14}));
  for (int i = 0; i < 2; ++i) {
    const std::string p = "visual.blocks." + std::to_string(i) + ".";
    t.push_back(bf16(p + "norm1.weight", {32}));
    t.push_back(bf16(p + "norm2.weight", {32}));
    t.push_back(bf16(p + "attn.qkv.weight", {96, 32}));
    t.push_back(bf16(p + "attn.qkv.bias", {96}));
    t.push_back(bf16(p + "attn.proj.weight", {32, 32}));
    t.push_back(bf16(p + "attn.proj.bias", {32}));
    for (const char* m : {"gate_proj", "up_proj"}) {
      t.push_back(bf16(p + "mlp." + m + ".weight", {48, 32}));
      t.push_back(bf16(p + "mlp." + m + ".bias", {48}));
    }
    t.push_back(bf16(p + "mlp.down_proj.weight", {32, 48}));
    t.push_back(bf16(p + "mlp.down_proj.bias", {32}));
  }
  t.push_back(bf16("visual.merger.ln_q.weight", {32}));
  t.push_back(bf16("visual.merger.mlp.0.weight", {128, 128}));
  t.push_back(bf16("visual.merger.mlp.0.bias", {128}));
  t.push_back(bf16("visual.merger.mlp.2.weight", {64, 128}));
  t.push_back(bf16("visual.merger.mlp.2.bias", {64}));
  const auto r = inspect_with(t, config);
  check_agrees(r);
  CHECK(r["groups"]["projector"]["params"] == 32 + 128 * 128 + 128 + 64 * 128 + 64);
  CHECK(r["groups"]["norms"]["params"] == 2 * 2 * 64 + 64);  // ln_q and the blocks' norms are not the model's
}

TEST_CASE("tower tensor names of every layout are grouped by their tower", "[multimodal][checkpoint]") {
  using gpumem::tensor_group;
  CHECK(tensor_group("vision_tower.vision_model.encoder.layers.0.self_attn.q_proj.weight") == "vision");
  CHECK(tensor_group("model.vision_tower.vision_model.post_layernorm.weight") == "vision");
  CHECK(tensor_group("vision_tower.vision_model.embeddings.position_embedding.weight") == "vision");
  CHECK(tensor_group("visual.blocks.31.mlp.down_proj.weight") == "vision");
  CHECK(tensor_group("model.visual.patch_embed.proj.weight") == "vision");
  CHECK(tensor_group("visual.merger.ln_q.weight") == "projector");
  CHECK(tensor_group("model.multi_modal_projector.linear_1.weight") == "projector");
  CHECK(tensor_group("image_newline") == "projector");
  // An mmproj GGUF (llama.cpp's clip): "v." tower tensors and "mm." projector tensors.
  CHECK(tensor_group("v.blk.0.attn_q.weight") == "vision");
  CHECK(tensor_group("v.position_embd.weight") == "vision");
  CHECK(tensor_group("mm.0.weight") == "projector");
  // The language model's tensors are untouched.
  CHECK(tensor_group("language_model.model.layers.0.self_attn.q_proj.weight") == "attention");
  CHECK(tensor_group("model.language_model.norm.weight") == "norms");
  CHECK(tensor_group("blk.0.attn_v.weight") == "attention");
}

TEST_CASE("the towers' weights are in the estimate, kept in the load dtype when the language model is quantized",
          "[multimodal][estimate]") {
  const std::string text = read_text("fixtures/configs/gemma-3-4b-it.json");
  const uint64_t towers = 416866032ULL + 2950272ULL;
  const auto plain = call("estimate", text, {{"dtype", "bf16"}});
  REQUIRE(plain["ok"].get<bool>());
  CHECK(gpumem::test::part(plain, "weights") == 2 * 4300079472ULL);

  const auto nf4 = call("estimate", text, {{"dtype", "bf16"}, {"quant", "bnb-nf4"}});
  REQUIRE(nf4["ok"].get<bool>());
  const std::string f = nf4.dump();
  CHECK(f.find("formula.quant.term_towers") != std::string::npos);
  CHECK(f.find(gpumem::with_commas(towers)) != std::string::npos);

  const auto gguf = call("estimate", text, {{"engine", "llamacpp"}, {"quant", "gguf-q4_k_m"}});
  REQUIRE(gguf["ok"].get<bool>());
  const std::string g = gguf.dump();
  CHECK(g.find("formula.quant.term_mmproj") != std::string::npos);
  CHECK(g.find(gpumem::with_commas(2 * towers)) != std::string::npos);
}

}  // namespace test_multimodal
