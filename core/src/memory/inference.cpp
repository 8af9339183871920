// Inference memory per device: weights, buffers, KV cache, workspace, logits, runtime overhead.
// Each engine preset fixes the layout choices; docs/ESTIMATION.md ("Inference") lists the sources.
#include "gpumem/memory/inference.hpp"

#include <algorithm>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/bnb.hpp"
#include "gpumem/memory/llamacpp.hpp"
#include "gpumem/memory/vllm.hpp"
#include "gpumem/model/params.hpp"

namespace gpumem {

namespace {

__extension__ typedef unsigned __int128 u128;

// a·b/c without overflow in the product (shares of a byte total; b ≤ c, so the result fits).
uint64_t share(uint64_t a, uint64_t b, uint64_t c) {
  return c == 0 ? 0 : static_cast<uint64_t>(static_cast<u128>(a) * b / c);
}

// The buffers each decoder layer registers in older transformers (HfLegacy): the causal-mask `bias`
// (torch.tril(torch.ones(n_ctx, n_ctx))) with masked_bias (a scalar), and GPT-NeoX's fp32 cos and sin
// tables of n_ctx × rotary dims with an inv_freq; each tensor in the caching allocator's 512 B blocks.
// `planned` is accelerate's estimate of them (compute_module_sizes: min(load dtype, own dtype); bool 1/8 B).
struct LayerBuffers {
  uint64_t elem = 1;  // bytes per mask element as allocated (1, or the load dtype's when cast)
  uint64_t rot = 0;   // rotary dimensions of the tables
  uint64_t mask = 0, tables = 0, planned = 0;
};
LayerBuffers layer_buffers(const ModelSpec& m, const HfLegacy& lg, uint64_t act, bool device_map) {
  LayerBuffers b;
  const uint64_t ctx2 = mul(m.n_ctx_train, m.n_ctx_train);
  if (lg.layer_bias_buffer) {
    b.elem = lg.bias_cast && device_map ? act : 1;
    b.mask = add(round_up(mul(ctx2, b.elem), 512), 512);
    b.planned = lg.bias_is_bool ? ctx2 / 8 : ctx2;
  }
  if (lg.layer_rotary_tables) {
    b.rot = m.n_rot_dims != 0 ? m.n_rot_dims : m.n_embd_head_k;
    b.tables = add(mul({2, round_up(mul({m.n_ctx_train, b.rot, 4}), 512)}), round_up(mul(b.rot / 2, 4), 512));
    b.planned = add(b.planned, mul({2, m.n_ctx_train, b.rot, std::min<uint64_t>(act, 4)}));
  }
  return b;
}

// get_balanced_memory (transformers integrations/accelerate.py; accelerate utils/modeling.py): every GPU
// but the last is capped at an even share of the model plus 1.25 × its largest no-split block; with
// balanced_low_0 GPU 0 keeps only what the others cannot take. One GPU: 90 % of its budget when the user
// gave none. `est` holds the modules' sizes, the decoder layers at 1 … size − 2.
void balance(std::vector<uint64_t>& mm, const std::vector<uint64_t>& est, DeviceMapKind kind, bool user_budget) {
  const size_t n = mm.size();
  if (n == 0) return;
  if (n == 1) {
    if (!user_budget) mm[0] = mm[0] / 10 * 9;
    return;
  }
  const bool low_zero = kind == DeviceMapKind::balanced_low_0;
  uint64_t total = 0, block = 0;
  for (size_t i = 0; i < est.size(); ++i) {
    total = add(total, est[i]);
    if (i != 0 && i + 1 != est.size()) block = std::max(block, est[i]);
  }
  const uint64_t per_gpu = add(total / (low_zero ? n - 1 : n), block / 4 * 5 + block % 4 * 5 / 4);
  for (size_t i = low_zero ? 1 : 0; i + 1 < n; ++i) mm[i] = std::min(mm[i], per_gpu);
  if (low_zero) {
    uint64_t others = 0;
    for (size_t i = 1; i < n; ++i) others = add(others, mm[i]);
    mm[0] = std::min(mm[0], total > others ? total - others : 0);
  }
}

MemoryPart part(std::string id, uint64_t bytes, const Formula& formula, Text source) {
  return make_part(std::move(id), bytes, formula, std::move(source));
}

// The widest feed-forward a token passes through in one layer (routed experts used + shared).
uint64_t widest_ffn(const ModelSpec& m) {
  uint64_t ff = 0;
  for (const auto& run : m.layers) {
    const LayerSpec& l = run.spec;
    if (l.ffn == FfnKind::dense) ff = std::max(ff, l.n_ff);
    if (l.ffn == FfnKind::moe) ff = std::max(ff, add(mul(m.n_ff_exp, m.n_expert_used), m.n_ff_shexp));
    if (l.mixer == MixerKind::mamba || l.mixer == MixerKind::mamba2) ff = std::max(ff, mul(2, m.ssm_d_inner));
  }
  return ff;
}

// The widest feed-forward among layers first … first + count − 1 (a pipeline stage).
uint64_t widest_ffn_in(const ModelSpec& m, uint64_t first, uint64_t count) {
  ModelSpec part = m;
  part.layers.clear();
  for (const auto& run : m.layers)
    if (count != 0 && run.to >= first && run.from < first + count) part.layers.push_back(run);
  return widest_ffn(part);
}

// The model cut after its first b layers (every run clipped to 0 … b − 1; n_layer kept, so llama.cpp's
// use_more_bits still sees each layer's place in the whole model). Quantizing it gives the bytes of those
// layers plus everything outside the blocks; differences of two cuts give a stage's layers exactly,
// whatever the method stores per layer.
ModelSpec layers_before(const ModelSpec& m, uint64_t b) {
  ModelSpec cut = m;
  cut.n_nextn_layer = 0;  // not part of the weights (params.hpp), and it reads layers.back()
  cut.layers.clear();
  for (const auto& run : m.layers) {
    if (run.from >= b) break;
    LayerRun r = run;
    r.to = std::min(r.to, b - 1);
    cut.layers.push_back(r);
  }
  return cut;
}

// The checkpoint's tensors as the weights (apply_checkpoint has checked that the engine loads them as stored
// and that the decoder layers 0 … n_layer − 1 are all there): the same per-layer placement quantized_weights
// gives, so llama.cpp's per-device layout and the offloaded layers read the file's bytes. Layers past
// n_layer (a DeepSeek-V3 MTP layer) are not loaded for inference (params.hpp counts them apart too).
// Worked example: Llama-3.1-8B's four BF16 shards: 16,060,522,496 bytes = 8,030,261,248 params × 2.
QuantizedWeights stored_weights(const ModelSpec& m, const CheckpointWeights& c) {
  QuantizedWeights w;
  w.embd_bytes = c.embd_bytes;
  w.outside_bytes = c.outside_bytes;
  uint64_t layers = 0;
  for (uint64_t il = 0; il < m.n_layer && il < c.layers.size(); ++il) {
    const CheckpointLayer& L = c.layers[il];
    w.layer_bytes.push_back(L.bytes);
    w.layer_expert_bytes.push_back(L.experts);
    w.layer_largest.push_back(L.largest);
    layers = add(layers, L.bytes);
  }
  w.bytes = add(add(w.embd_bytes, w.outside_bytes), layers);
  w.formula = txt("formula.weights.checkpoint", {{"file", c.file},
                                                 {"embd", with_commas(c.embd_bytes)},
                                                 {"layers", with_commas(layers)},
                                                 {"n", std::to_string(w.layer_bytes.size())},
                                                 {"outside", with_commas(c.outside_bytes)},
                                                 {"bytes", with_commas(w.bytes)},
                                                 {"gib", gib(w.bytes)}});
  w.source = txt(c.format == "gguf" ? "source.weights.checkpoint_gguf" : "source.weights.checkpoint_safetensors");
  return w;
}

}  // namespace

std::vector<StageLayers> pipeline_stages(uint64_t n_layer, uint64_t pp, Engine engine) {
  std::vector<StageLayers> out(pp);
  if (pp == 0) return out;
  if (engine == Engine::llamacpp) {
    // llama-model.cpp load_tensors: splits = cumulative free memory / total (equal GPUs: (d + 1) / pp);
    // layer il goes to upper_bound(splits, il / (n_layer + 1)), the output layer being il = n_layer.
    // In exact arithmetic that is ⌊il · pp / (n_layer + 1)⌋ (llama.cpp compares floats).
    for (uint64_t il = 0; il < n_layer; ++il) {
      const uint64_t d = static_cast<uint64_t>(static_cast<u128>(il) * pp / (n_layer + 1));
      if (out[d].count == 0) out[d].first = il;
      ++out[d].count;
    }
    for (uint64_t d = 1; d < pp; ++d)  // a stage without layers starts where the previous one ended
      if (out[d].count == 0) out[d].first = out[d - 1].first + out[d - 1].count;
    return out;
  }
  // vLLM distributed/utils.py get_pp_indices: n_layer / pp each; the remainder one each to stages
  // pp − 2, pp − 3, … (the last stage carries the final norm and lm_head, the first the embeddings).
  const uint64_t each = n_layer / pp, extra = n_layer % pp;
  uint64_t at = 0;
  for (uint64_t d = 0; d < pp; ++d) {
    out[d].first = at;
    out[d].count = each + (d + 1 < pp && d + 1 + extra >= pp ? 1 : 0);
    at += out[d].count;
  }
  return out;
}

InferenceEstimate estimate_inference(const ModelSpec& m, const InferenceOptions& o) {
  return InferencePlan(m, o).estimate(o);
}

InferencePlan::InferencePlan(const ModelSpec& m, const InferenceOptions& o)
    : m_(m), dtype_bits_(o.dtype_bits), quant_(o.quant), offload_layers_(o.offload_layers), params_(count_params(m)) {
  QuantSpec q = o.quant;
  q.base_bits = o.dtype_bits;
  weights_ = quantized_weights(m, q);
  if (o.checkpoint) weights_ = stored_weights(m, *o.checkpoint);
  const uint64_t offload = std::min(o.offload_layers, m.n_layer);
  for (uint64_t il = m.n_layer - offload; il < m.n_layer; ++il)  // the last `offload` layers
    for (const auto& lp : params_.layers)
      if (il >= lp.run.from && il <= lp.run.to) offload_params_ = add(offload_params_, lp.params);
  widest_ffn_ = widest_ffn(m);
  if (o.engine == Engine::llamacpp && m.n_layer_enc == 0)  // one device: llama.cpp's buffers (llamacpp.cpp)
    llama_ = std::make_shared<const LlamaCppPlan>(m, o, weights_);
  pp_ = std::max<uint64_t>(1, o.pp);
  device_map_ = o.engine == Engine::hf ? o.device_map : DeviceMapKind::none;
  if (pp_ > 1 || device_map_ != DeviceMapKind::none) {
    // Weights per stage at tp = 1 (docs/ESTIMATION.md, "Pipeline parallelism"): the stage's layers are
    // the difference of two cuts of the model; outside the blocks, the token (and position) embeddings go
    // to the first stage and the rest (final norm, lm_head, pooler) to the last, as vLLM's models build
    // them (PPMissingLayer elsewhere). With tied embeddings the last stage also holds the embedding matrix
    // it uses as lm_head (vLLM builds embed_tokens on the last rank too; llama.cpp duplicates it).
    ModelSpec bare = layers_before(m, 0);
    outside_bytes_ = quantized_weights(bare, q).bytes;
    bare.has_lm_head = false;
    bare.lm_head_bias = false;
    bare.pooler = false;
    bare.n_norm_out = 0;
    input_bytes_ = quantized_weights(bare, q).bytes;
    if (input_bytes_ > outside_bytes_ || outside_bytes_ > weights_.bytes)
      throw Error(code::internal_error, "", txt("error.internal.stage_outside"));
    if (m.tied_embeddings && m.has_lm_head && device_map_ == DeviceMapKind::none)
      // the token matrix's share of the input (exact in one dtype); accelerate keeps tied weights once
      tied_copy_ = share(input_bytes_, mul(m.n_vocab, m.n_embd_tok), count_params(bare).total);
  }
  if (device_map_ != DeviceMapKind::none) {
    place_devices(o, q);
  } else if (pp_ > 1) {
    const auto layers = pipeline_stages(m.n_layer, pp_, o.engine);
    for (size_t k = 0; k < layers.size(); ++k)
      stages_.push_back(make_stage(layers[k], k == 0, k + 1 == layers.size(), cut_bytes(layers[k].first, q),
                                   cut_bytes(layers[k].first + layers[k].count, q)));
    if (o.engine == Engine::llamacpp && !stages_.empty()) {
      // llama.cpp keeps token_embd in host memory whatever the split (llama-model.cpp: dev_input is the CPU).
      Stage& first = stages_.front();
      const uint64_t e = std::min(first.input, weights_.embd_bytes);
      first.input -= e;
      first.weights -= e;
    }
  }
}

// The bytes of the model cut after its first b layers (everything outside the blocks included).
uint64_t InferencePlan::cut_bytes(uint64_t b, const QuantSpec& q) const {
  if (b == 0) return outside_bytes_;
  return b >= m_.n_layer ? weights_.bytes : quantized_weights(layers_before(m_, b), q).bytes;
}

// A stage of `layers`, whose cuts of the model before and after them are `before` and `upto` bytes.
InferencePlan::Stage InferencePlan::make_stage(StageLayers layers, bool input, bool output, uint64_t before,
                                               uint64_t upto) const {
  Stage st;
  st.layers = layers;
  if (upto < before) throw Error(code::internal_error, "", txt("error.internal.stage_shrank"));
  st.blocks = upto - before;
  if (input) st.input = input_bytes_;
  if (output) st.output = outside_bytes_ - input_bytes_, st.tied_copy = tied_copy_;
  st.has_output = output;
  st.weights = add(add(st.blocks, st.input), add(st.output, st.tied_copy));
  st.widest_ffn = widest_ffn_in(m_, layers.first, layers.count);
  return st;
}

// accelerate's infer_auto_device_map (docs/ESTIMATION.md, "device_map"): the modules in model order —
// embeddings, each decoder layer (a no-split block), final norm and lm_head — each on the current GPU if
// it fits its budget, else on the next GPU (never back), else on the CPU. GPU 0, the main device, keeps
// room for the largest module still to place, which it needs to run a CPU-offloaded one. Sizes are
// accelerate's estimate (compute_module_sizes: parameters at the load dtype, buffers at the smaller of
// it and their own dtype, bool as 1/8 B); what is then allocated is the plan's own bytes.
void InferencePlan::place_devices(const InferenceOptions& o, const QuantSpec& q) {
  const ModelSpec& m = m_;
  const uint64_t L = m.n_layer, act = o.dtype_bits / 8;
  const LayerBuffers lb = layer_buffers(m, o.runtime.hf, act, true);
  const uint64_t buf = add(lb.mask, lb.tables), buf_est = lb.planned;
  // modules: 0 = embeddings, 1 … L = layers, L + 1 = final norm and lm_head
  std::vector<uint64_t> cuts(L + 1), est(L + 2), real(L + 2);
  for (uint64_t b = 0; b <= L; ++b) cuts[b] = cut_bytes(b, q);
  for (uint64_t il = 0; il < L; ++il) {
    real[il + 1] = add(cuts[il + 1] - cuts[il], buf);
    est[il + 1] = add(cuts[il + 1] - cuts[il], buf_est);
  }
  real[0] = est[0] = input_bytes_;
  real[L + 1] = est[L + 1] = outside_bytes_ - input_bytes_;
  std::vector<uint64_t> budget = o.max_memory;
  const uint64_t n_gpu = budget.size();
  if (device_map_ != DeviceMapKind::sequential) balance(budget, est, device_map_, o.max_memory_given);
  // placement: device index per module (n_gpu = the CPU)
  std::vector<uint64_t> where(L + 2, n_gpu);
  std::vector<uint64_t> suffix_max(L + 3, 0);
  for (uint64_t i = L + 2; i-- > 0;) suffix_max[i] = std::max(suffix_max[i + 1], est[i]);
  uint64_t dev = 0, used = 0;
  for (uint64_t i = 0; i < L + 2; ++i) {
    while (dev < n_gpu) {
      const uint64_t reserve = dev == 0 ? suffix_max[i + 1] : 0;
      const uint64_t cap = budget[dev] > reserve ? budget[dev] - reserve : 0;
      if (add(used, est[i]) <= cap) break;
      ++dev, used = 0;
    }
    where[i] = dev;
    if (dev < n_gpu) used = add(used, est[i]);
  }
  placement_.clear();
  for (uint64_t d = 0; d <= n_gpu; ++d) {
    DevicePlacement p;
    p.device = d == n_gpu ? std::string("cpu") : "cuda:" + std::to_string(d);
    p.budget = d == n_gpu ? 0 : budget[d];
    uint64_t first = L, count = 0;
    for (uint64_t i = 0; i < L + 2; ++i) {
      if (where[i] != d) continue;
      p.planned = add(p.planned, est[i]);
      p.weights = add(p.weights, real[i]);
      if (i == 0) p.input = true;
      if (i == L + 1) p.output = true;
      if (i >= 1 && i <= L) first = std::min(first, i - 1), ++count;
    }
    p.layers = {count == 0 ? 0 : first, count};
    if (d == n_gpu) {
      cpu_weights_ = p.weights;
      for (uint64_t i = 0; i < L + 2; ++i)
        if (where[i] == n_gpu) streamed_ = std::max(streamed_, real[i]);
    } else if (p.weights != 0) {
      Stage st = make_stage(p.layers, p.input, p.output, cuts[p.layers.first],
                            cuts[std::min(L, p.layers.first + p.layers.count)]);
      st.device = d;
      stages_.push_back(st);
    }
    placement_.push_back(p);
  }
  // Offloaded modules run on GPU 0 (accelerate's execution device): so do the logits when lm_head is
  // on the CPU.
  if (!stages_.empty() && where[L + 1] == n_gpu) stages_.front().has_output = true;
}

std::string transformers_version_text(uint32_t v) {
  return v == 0 ? "current" : std::to_string(v / 100) + "." + std::to_string(v % 100);
}

uint64_t hf_layer_buffer_bytes(const ModelSpec& m, const HfLegacy& lg, uint64_t act) {
  const LayerBuffers b = layer_buffers(m, lg, act, false);
  return add(b.mask, b.tables);
}

HfLegacy hf_legacy(const ModelSpec& m, uint32_t version, Text* unsure) {
  HfLegacy h;
  h.version = version;
  const std::string& t = m.model_type;
  auto among = [&t](std::initializer_list<const char*> names) {
    return std::any_of(names.begin(), names.end(), [&t](const char* n) { return t == n; });
  };
  const bool current = version == 0;
  Text doubt;
  // Tuple caches: every model before 4.36's DynamicCache (Llama, Mistral, Mixtral, Phi, Persimmon moved
  // then, and later models were born with it); GPT-NeoX until 4.45 (PR #31421), OPT until 4.49
  // (PR #35724). Other older model classes moved at dates not in this table: taken as 4.36, and said.
  uint32_t cache_class = 436;
  if (t == "gpt_neox" || t == "gptj") cache_class = 445;
  if (t == "opt") cache_class = 449;
  if (!current && version >= 436 && version < 449 &&
      among({"gpt2", "gpt_bigcode", "bloom", "falcon", "mpt", "t5", "mt5", "bart", "chatglm", "baichuan"}))
    doubt = txt("phrase.hf_unsure.cache_class", {{"model_type", t}});
  h.tuple_cache = !current && version < cache_class;
  // generate() drops the prefill outputs before the next forward from 4.42 (PR #30536, `del outputs`).
  h.keep_prefill_logits = !current && version < 442;
  // logits_to_keep = 1 in generate from 4.45 (PR #31292) for models whose forward takes it: the 4.45 list
  // below, GPT-NeoX from 4.49, models added since then; OPT only after 4.57.
  const bool keep_45 =
      among({"llama", "mistral", "mixtral", "phi", "phi3", "qwen2", "qwen2_moe", "gemma", "gemma2", "cohere", "dbrx",
             "olmo", "olmoe", "nemotron", "persimmon", "stablelm", "starcoder2", "jetmoe"});
  const bool keep_later =
      among({"qwen3", "qwen3_moe", "gemma3", "gemma3_text", "olmo2", "cohere2", "gpt_oss", "deepseek_v2", "deepseek_v3",
             "glm", "glm4", "granite", "granitemoe", "mistral3", "exaone4", "smollm3", "ministral", "kimi_k2"});
  bool keeps = false;
  if (current || version >= 445) keeps = keep_45;
  if (t == "gpt_neox") keeps = current || version >= 449;
  if (current && keep_later) keeps = true;
  if (current && !keeps && !among({"opt", "gpt_neox"}) && m.has_lm_head) {
    Text keep = txt("phrase.hf_unsure.logits_to_keep", {{"model_type", t}});
    doubt = doubt.empty() ? keep : txt("phrase.hf_unsure.both", {{"first", doubt}, {"second", keep}});
  }
  h.full_prefill_logits = !keeps;
  h.fp32_prefill_logits = !current && version < 445 && t == "llama";
  h.clone_full_logits = !current && version >= 445 && version < 447;
  if (t == "gpt_neox") {
    // GPTNeoXRotaryEmbedding returned its fp32 cos/sin uncast in 4.37.1–4.44 (PR #28602 undid 4.35's cast;
    // PR #32617 restored it), so q and k leave apply_rotary_pos_emb in fp32 and the cache holds fp32
    // keys; the tables were per-layer buffers from 4.35 until the shared rotary module of 4.45; the
    // `bias` mask buffer stayed until the 4.49 rewrite (PR #35610).
    h.fp32_keys = !current && version >= 438 && version < 445;
    h.layer_rotary_tables = !current && version >= 435 && version < 445;
    h.layer_bias_buffer = !current && version < 449;
  }
  if (t == "gptj") {
    // GPTJAttention's `bias` mask (4.11–4.44, removed with the Cache classes of PR #31421): uint8 from
    // 4.13 to 4.26 (PR #14190 … PR #21384), else bool; 4.20–4.21 cast every checkpoint tensor that is not
    // torch.int* to the load dtype on the device_map path (PR #17341, undone by PR #18471 in 4.22).
    h.layer_bias_buffer = !current && version >= 411 && version < 445;
    h.bias_is_bool = !(version >= 413 && version < 427);
    h.bias_cast = version >= 420 && version < 422;
  }
  // torch.max(scores, finfo.min) after the mask: OPT until the eager_attention_forward rewrite (4.49),
  // Llama until Llama 2's release (4.31, PR #24891).
  if (t == "opt") h.eager_clamp = !current && version < 449;
  if (t == "llama") h.eager_clamp = !current && version < 431;
  // softmax(attn_weights, dim=-1, dtype=torch.float32) in Llama's eager_attention_forward, which the
  // families below share (modular transformers), and T5's softmax(scores.float()).
  for (const char* f : {"llama", "mixtral", "qwen2_moe", "gemma2", "gemma3", "cohere", "olmo", "olmo2", "phi", "phi3",
                        "deepseek_v2", "gpt_oss", "t5"})
    if (m.family == f) h.softmax_fp32 = true;
  if (t == "opt") h.softmax_fp32 = current || version >= 421;  // PR #17437
  if (unsure != nullptr) *unsure = doubt;
  return h;
}

InferenceEstimate InferencePlan::estimate(const InferenceOptions& o, bool formulas) const {
  if (o.dtype_bits != dtype_bits_ || !(o.quant == quant_) || o.offload_layers != offload_layers_ ||
      (o.pp > 1 && o.pp != pp_))
    throw Error(code::internal_error, "", txt("error.internal.plan_reused"));
  if (llama_ && o.pp <= 1 && o.tp <= 1) return llama_->estimate(o, formulas);
  InferenceEstimate r;
  if (o.pp <= 1 && device_map_ == DeviceMapKind::none) {
    stage_parts(o, formulas, nullptr, true, r, r.gpu);
    return r;
  }
  if (device_map_ != DeviceMapKind::none) {
    r.placement = placement_;
    r.cpu_bytes = cpu_weights_;
    if (stages_.empty()) throw Error(code::bad_request, "/options/device_map", txt("error.options.device_map_all_cpu"));
  }
  // Results are per device: every GPU of a stage holds the same (tp splits the stage evenly), and the
  // most loaded stage is what must fit, so it is the per-device figure that fit's solver compares.
  r.stages.reserve(stages_.size());
  for (size_t k = 0; k < stages_.size(); ++k) {
    StageEstimate se;
    se.layers = stages_[k].layers;
    stage_parts(o, formulas, &stages_[k], stages_[k].has_output, r, se.gpu);
    if (r.stages.empty() || se.gpu.total_bytes > r.stages[r.most_loaded_stage].gpu.total_bytes) r.most_loaded_stage = k;
    r.stages.push_back(std::move(se));
  }
  r.gpu = r.stages[r.most_loaded_stage].gpu;
  return r;
}

// The parts of one device: the whole model (st == nullptr) or one pipeline stage's tp share.
void InferencePlan::stage_parts(const InferenceOptions& o, bool formulas, const Stage* st, bool last_stage,
                                InferenceEstimate& r, MemoryEstimate& out) const {
  const ModelSpec& m = m_;
  const bool f = formulas;  // build the formula strings (the bytes never depend on it)
  const ParamCount& pc = params_;
  const uint64_t act = o.dtype_bits / 8;  // activation bytes: the compute dtype
  const uint64_t seqs = mul(o.batch, o.beams);
  const uint64_t prompt = o.prompt == 0 ? o.context : o.prompt;

  // ---- weights: quantized layout, split over tensor-parallel ranks, minus offloaded layers ----
  const QuantizedWeights& qw = weights_;
  uint64_t w = st ? st->weights : qw.bytes;
  Formula wf;
  if (f && !st) wf = qw.formula;
  if (f && st) {
    const StageLayers& L = st->layers;
    const Text layers = L.count == 0 ? txt("formula.stage.no_layer")
                                     : txt("formula.layers.range", {{"first", std::to_string(L.first)},
                                                                    {"last", std::to_string(L.first + L.count - 1)}});
    wf = device_map_ != DeviceMapKind::none
             ? txt("formula.stage.device_map",
                   {{"device", std::to_string(st->device)}, {"layers", layers}, {"bytes", with_commas(st->blocks)}})
             : txt("formula.stage.pipeline", {{"stage", std::to_string(st - stages_.data())},
                                              {"stages", std::to_string(pp_)},
                                              {"layers", layers},
                                              {"bytes", with_commas(st->blocks)}});
    if (st->input != 0) wf += txt("formula.stage.embeddings", {{"bytes", with_commas(st->input)}});
    if (st->output != 0) wf += txt("formula.stage.output", {{"bytes", with_commas(st->output)}});
    if (st->tied_copy != 0) wf += txt("formula.stage.tied_copy", {{"bytes", with_commas(st->tied_copy)}});
    wf += txt("formula.stage.total", {{"bytes", with_commas(w)}, {"model_bytes", with_commas(qw.bytes)}});
    wf += qw.formula;
    wf += txt("formula.close_paren");
  }
  if (o.tp > 1) {
    w = (w + o.tp - 1) / o.tp;
    if (f) wf += txt("formula.weights.tp", {{"tp", std::to_string(o.tp)}, {"bytes", with_commas(w)}});
  }
  // accelerate runs CPU-offloaded modules on GPU 0, copying each one's weights in while it runs.
  const bool runs_offloaded = st && device_map_ != DeviceMapKind::none && st == &stages_.front() && streamed_ != 0;
  if (runs_offloaded) {
    w = add(w, streamed_);
    if (f) wf += txt("formula.weights.offloaded_module", {{"bytes", with_commas(w)}});
  }
  // Offloading is refused with pp > 1 (inference_ops.cpp), so a stage never offloads.
  const uint64_t offload = st ? 0 : std::min(o.offload_layers, m.n_layer);
  if (offload != 0) {
    const uint64_t layer_params = offload_params_;  // the last `offload` layers
    r.cpu_bytes = share(w, layer_params, pc.total);
    w -= r.cpu_bytes;
    if (f) {
      wf += txt("formula.weights.cpu_offload", {{"layers", std::to_string(offload)},
                                                {"params", with_commas(layer_params)},
                                                {"total", with_commas(pc.total)},
                                                {"cpu", with_commas(r.cpu_bytes)},
                                                {"bytes", with_commas(w)}});
      r.notes.push_back({"cpu_offload", "/options/offload_layers",
                         txt("assume.cpu_offload", {{"layers", offload}, {"bytes", gib(r.cpu_bytes)}})});
    }
  }
  out.parts.reserve(6);
  out.parts.push_back(part("weights", w, wf, f ? qw.source : Text()));

  // ---- buffers (transformers): what the modeling code registers besides the weights ----
  if (o.engine == Engine::hf) {
    const uint64_t layers = st ? st->layers.count : m.n_layer;
    const HfLegacy& lg = o.runtime.hf;
    uint64_t buf = 0;
    Formula bf;
    const LayerBuffers lb = layer_buffers(m, lg, act, o.device_map != DeviceMapKind::none);
    if (lg.layer_bias_buffer) {
      buf = add(buf, mul(layers, lb.mask));
      if (f)
        bf = txt(
            "formula.buffers.bias",
            {{"layers", std::to_string(layers)}, {"ctx", with_commas(m.n_ctx_train)}, {"n", std::to_string(lb.elem)}});
    }
    if (lg.layer_rotary_tables) {
      buf = add(buf, mul(layers, lb.tables));
      if (f) {
        if (!bf.empty()) bf += txt("formula.plus");
        bf += txt(
            "formula.buffers.rotary_tables",
            {{"layers", std::to_string(layers)}, {"ctx", with_commas(m.n_ctx_train)}, {"rot", std::to_string(lb.rot)}});
      }
    } else if (m.positions == PositionKind::rope) {
      const uint64_t inv = round_up(mul(m.n_embd_head_k / 2, 4), 512);
      buf = add(buf, inv);
      if (f) {
        if (!bf.empty()) bf += txt("formula.plus");
        bf += txt("formula.buffers.inv_freq", {{"n", std::to_string(m.n_embd_head_k / 2)}});
      }
    }
    if (lg.layer_bias_buffer || lg.layer_rotary_tables || m.positions == PositionKind::rope) {
      if (f)
        out.parts.push_back(part("buffers", buf, bf + txt("formula.eq_bytes", {{"bytes", with_commas(buf)}}),
                                 lg.layer_bias_buffer || lg.layer_rotary_tables
                                     ? txt("source.buffers.legacy", {{"version", transformers_version_text(lg.version)},
                                                                     {"model_type", m.model_type}})
                                     : txt("source.buffers.rope")));
      else
        out.parts.push_back(part("buffers", buf, {}, {}));
    }
  }

  // ---- KV cache, workspace and logits at the engine's peak ----
  // vLLM and llama.cpp allocate the whole cache up front, and their workspace and logits buffers are
  // reserved beside it, so the three add up. transformers' generate() allocates as it goes; its peak is
  // the largest of three moments (docs/ESTIMATION.md, "generate's peak"):
  //   prefill:      KV(prompt) + one layer's transients for batch × prompt tokens + every position's logits
  //   first step:   KV(prompt + 1) [+ the previous tuple cache KV(prompt)] [+ the prefill logits, kept]
  //   last step:    KV(context) [+ the previous tuple cache KV(context − 1)]
  // each with the fp32 scores of the last position. With prompt = context only the prefill happens.
  const uint64_t first_layer = st ? st->layers.first : 0, n_layers = st ? st->layers.count : UINT64_MAX;
  // With a device_map, GPU 0 also keeps the cache of the layers offloaded to the CPU (they run there).
  const DevicePlacement* cpu_part =
      runs_offloaded && placement_.back().layers.count != 0 ? &placement_.back() : nullptr;
  auto kv_at = [&](uint64_t n, bool with_formulas) {
    KvCache kv = kv_cache(m, o, seqs, n, with_formulas, first_layer, n_layers);
    if (cpu_part) {
      const KvCache extra = kv_cache(m, o, seqs, n, with_formulas, cpu_part->layers.first, cpu_part->layers.count);
      kv.bytes = add(kv.bytes, extra.bytes);
      if (with_formulas) {
        kv.formula += txt("formula.kv.offloaded_layers");
        kv.formula += extra.formula;
      }
    }
    return kv;
  };
  const bool hf = o.engine == Engine::hf;
  const bool tuple = hf && o.runtime.hf.tuple_cache;

  // workspace: one layer's transient tensors for `tokens` tokens
  const uint64_t ff = st ? st->widest_ffn : widest_ffn_;
  const uint64_t heads = std::max<uint64_t>(1, m.n_head / o.tp);
  const uint64_t q_w = mul(heads, m.n_embd_head_k);
  const uint64_t kv_w = mul({2, std::max<uint64_t>(1, m.n_head_kv / o.tp), m.n_embd_head_k});
  const uint64_t ff_r = std::max<uint64_t>(1, ff / o.tp);
  // residual + normed hidden, q, k and v, attention output, gate, up and their product
  const uint64_t width = add(add(mul(3, m.n_embd), add(q_w, kv_w)), mul(3, ff_r));
  uint64_t tokens = mul(o.batch, prompt);
  const char* tok_note = "formula.none";
  uint64_t act_bytes = act;
  if (o.engine == Engine::vllm) {
    // profile_run: one forward of max_num_batched_tokens tokens, whatever the batch and prompt (vllm.hpp).
    tokens = o.max_num_batched_tokens;
    tok_note = "formula.workspace.vllm_note";
  } else if (o.engine == Engine::llamacpp) {
    // llama-context reserves one ubatch: min(n_ubatch, n_batch, n_ctx) tokens in F32 (llamacpp.cpp).
    tokens = std::min({tokens, o.llamacpp.n_ubatch, o.llamacpp.n_batch});
    act_bytes = 4;
    tok_note = "formula.workspace.llamacpp_note";
  }
  uint64_t ws = mul({tokens, width, act_bytes});
  const bool scores = (hf && o.eager_attention) || (o.engine == Engine::llamacpp && !o.flash_attention);
  uint64_t score_bytes = 0, rows = 0, keys = 0, sb = 0;
  if (scores) {
    // Eager attention materializes softmax(QKᵀ): batch × heads × prompt × keys (llama.cpp: per ubatch, F32).
    rows = o.engine == Engine::llamacpp ? tokens : mul(o.batch, prompt);
    keys = o.engine == Engine::llamacpp ? round_up(mul(seqs, o.context), 256) : prompt;
    // transformers' eager attention: the scores in the model dtype and softmax(…, dtype=float32) beside
    // them until the cast back (legacy GPT-NeoX kept softmax in the model dtype).
    sb = o.engine == Engine::llamacpp ? 4 : add(act, o.runtime.hf.softmax_fp32 ? uint64_t{4} : act);
    score_bytes = mul({rows, heads, keys, sb});
    ws = add(ws, score_bytes);
  }
  // transformers + bitsandbytes 4-bit: the widest linear's dequantized weight and compute-dtype casts during
  // a forward of many rows (bnb.hpp); a decoding step's rows are the sequences.
  const uint64_t bnb_out = std::max(ff_r, q_w);
  const BnbTransient bnb_prefill =
      hf ? bnb4_transient(o.quant, o.runtime, m.n_embd, bnb_out, tokens, o.dtype, f) : BnbTransient{};
  ws = add(ws, bnb_prefill.bytes);
  // logits: the prefill's every position in the model dtype (transformers), the last position in fp32
  const uint64_t V = std::max<uint64_t>(1, m.n_vocab / (hf ? 1 : o.tp));
  const bool logits_here = m.has_lm_head && last_stage;
  // transformers' prefill: the positions it computes (every one, or the last with logits_to_keep), in
  // the model dtype, plus Llama ≤ 4.44's fp32 copy of them, or 4.45–4.46's clone of them in _sample.
  const HfLegacy& hl = o.runtime.hf;
  const uint64_t positions = hl.full_prefill_logits ? prompt : 1;
  const uint64_t per_position = mul(seqs, V);
  const uint64_t prefill_elem = add({act, hl.fp32_prefill_logits ? uint64_t{4} : 0, hl.clone_full_logits ? act : 0});
  const uint64_t full_logits = logits_here && hf ? mul({per_position, positions, prefill_elem}) : 0;
  // what `outputs.logits` still holds during the first decoding step before 4.42
  const uint64_t kept_logits = logits_here && hf && hl.keep_prefill_logits
                                   ? mul({per_position, positions, hl.fp32_prefill_logits ? uint64_t{4} : act})
                                   : 0;
  // llama.cpp's graph_reserve computes every position of the ubatch: n_ubatch × n_vocab fp32 logits.
  const uint64_t last_logits = !logits_here                   ? 0
                               : o.engine == Engine::llamacpp ? mul({tokens, V, 4})
                                                              : mul({seqs, V, 4});

  // The moment that binds (transformers) and its terms; the other engines have one moment.
  enum class Moment { prefill, first_step, last_step } moment = Moment::prefill;
  uint64_t kv_tokens = hf ? prompt : o.context, prev_tokens = tuple ? prompt : 0;
  uint64_t ws_b = ws, lg_b = add(full_logits, last_logits);
  // vLLM: the profiling run's sampler warm-up instead, on the last stage (vllm.cpp).
  VllmSampler sampler;
  if (o.engine == Engine::vllm && logits_here) sampler = vllm_sampler(m, o, m.n_vocab, ws, f);
  if (o.engine == Engine::vllm) lg_b = sampler.bytes;
  // In transformers' prefill the widest layer's transients are freed before lm_head runs: the prefill
  // peaks either inside that layer or at the logits, not with both.
  bool at_layer = false;
  if (hf) {
    if (ws >= lg_b)
      lg_b = 0, at_layer = true;
    else
      ws_b = 0;
  }
  // The candidates' caches are computed once; the chosen one's is reused unless formulas are wanted.
  KvCache chosen;
  bool have_chosen = false;
  uint64_t prev_bytes = 0;
  if (hf && o.context > prompt) {
    // a decoding step's forward: one token per sequence
    const uint64_t ws_step =
        add(mul({seqs, width, act}), bnb4_transient(o.quant, o.runtime, m.n_embd, bnb_out, seqs, o.dtype, false).bytes);
    chosen = kv_at(prompt, false);
    have_chosen = true;
    uint64_t best = add({chosen.bytes, ws_b, lg_b});
    struct Cand {
      Moment at;
      uint64_t kv_tokens, prev_tokens, logits;
    };
    // Without a previous cache or kept prefill logits the first step never exceeds the last one.
    const bool first_matters = tuple || kept_logits != 0;
    const Cand cands[] = {
        {Moment::first_step, add(prompt, 1), tuple ? prompt : 0, add(kept_logits, last_logits)},
        {Moment::last_step, o.context, tuple ? o.context - 1 : 0, last_logits},
    };
    for (const Cand& c : cands) {
      if (c.at == Moment::first_step && !first_matters) continue;
      KvCache kc = kv_at(c.kv_tokens, false);
      const uint64_t pb = c.prev_tokens ? kv_at(c.prev_tokens, false).bytes : 0;
      const uint64_t t = add({kc.bytes, pb, ws_step, c.logits});
      if (t > best) {
        best = t, moment = c.at, kv_tokens = c.kv_tokens, prev_tokens = c.prev_tokens, ws_b = ws_step;
        lg_b = c.logits, at_layer = false, chosen = std::move(kc), prev_bytes = pb;
      }
    }
  }
  if (moment == Moment::prefill) prev_tokens = 0, prev_bytes = 0;  // the prefill starts from an empty cache

  // ---- KV cache ----
  const KvCache kv = f || !have_chosen ? kv_at(kv_tokens, f) : std::move(chosen);
  r.kv_bytes_per_token = add(r.kv_bytes_per_token, kv.bytes_per_token);  // stages add up to the model's
  uint64_t kv_gpu = kv.bytes;
  Formula kvf = kv.formula;
  if (f && hf && o.context > prompt)
    kvf = txt(moment == Moment::prefill      ? "formula.kv.peak_prefill"
              : moment == Moment::first_step ? "formula.kv.peak_first_step"
                                             : "formula.kv.peak_last_step") +
          kvf;
  if (offload != 0 && o.engine == Engine::llamacpp) {
    const uint64_t cpu_kv = share(kv.bytes, offload, m.n_layer);
    kv_gpu -= cpu_kv;
    r.cpu_bytes = add(r.cpu_bytes, cpu_kv);
    if (f) kvf += txt("formula.kv.cpu_offload", {{"bytes", with_commas(cpu_kv)}});
  }
  out.parts.push_back(part("kv_cache", kv_gpu, kvf, kv.source));
  if (tuple) {
    const uint64_t pb = prev_bytes;
    out.parts.push_back(
        part("kv_cache_previous", pb,
             !f                 ? Formula()
             : prev_tokens == 0 ? Formula(txt("formula.kv_previous.prefill"))
                                : Formula(txt("formula.kv_previous.step",
                                              {{"tokens", with_commas(prev_tokens)}, {"bytes", with_commas(pb)}})),
             f ? txt("source.kv_previous", {{"version", transformers_version_text(o.runtime.hf.version)}}) : Text()));
  }

  // ---- workspace ----
  Formula wsf;
  if (f) {
    if (ws_b == 0 && ws != 0) {
      wsf = txt("formula.workspace.freed", {{"bytes", with_commas(ws)}});
    } else if (ws_b != ws) {
      wsf = txt("formula.workspace.step", {{"seqs", with_commas(seqs)},
                                           {"n_embd", std::to_string(m.n_embd)},
                                           {"q", std::to_string(q_w)},
                                           {"kv", std::to_string(kv_w)},
                                           {"ff", std::to_string(ff_r)},
                                           {"act", std::to_string(act)}});
      const BnbTransient bs = bnb4_transient(o.quant, o.runtime, m.n_embd, bnb_out, seqs, o.dtype, true);
      if (bs.bytes != 0) {
        wsf += txt("formula.workspace.bnb4");
        wsf += bs.formula;
      }
      wsf += txt("formula.eq_value", {{"value", with_commas(ws_b)}});
    } else {
      wsf = txt("formula.workspace.forward", {{"tokens", with_commas(tokens)},
                                              {"note", txt(tok_note)},
                                              {"n_embd", std::to_string(m.n_embd)},
                                              {"q", std::to_string(q_w)},
                                              {"kv", std::to_string(kv_w)},
                                              {"ff", std::to_string(ff_r)},
                                              {"act", std::to_string(act_bytes)},
                                              {"value", with_commas(ws - score_bytes - bnb_prefill.bytes)}});
      if (scores)
        wsf += txt(!hf                         ? "formula.workspace.scores"
                   : o.runtime.hf.softmax_fp32 ? "formula.workspace.scores_fp32_softmax"
                                               : "formula.workspace.scores_softmax",
                   {{"rows", with_commas(rows)},
                    {"heads", std::to_string(heads)},
                    {"keys", with_commas(keys)},
                    {"n", std::to_string(sb)},
                    {"value", with_commas(ws - bnb_prefill.bytes)}});
      if (bnb_prefill.bytes != 0) {
        wsf += txt("formula.workspace.bnb4");
        wsf += bnb_prefill.formula;
        wsf += txt("formula.workspace.in_all", {{"value", with_commas(ws)}});
      }
    }
    wsf += txt("formula.bytes_suffix");
  }
  out.parts.push_back(part("workspace", ws_b, wsf,
                           !f                         ? Text()
                           : hf                       ? txt("source.workspace.hf")
                           : o.engine == Engine::vllm ? txt("source.workspace.vllm")
                                                      : txt("source.workspace.llamacpp")));

  // ---- logits ----
  Formula lf;
  if (f) {
    if (!m.has_lm_head) {
      lf = txt("formula.logits.no_lm_head");
    } else if (!last_stage) {
      lf = txt("formula.logits.last_stage");
    } else if (at_layer) {
      lf = txt("formula.logits.after_layers", {{"bytes", with_commas(add(full_logits, last_logits))}});
    } else if (hf && lg_b != last_logits) {
      const bool kept = moment == Moment::first_step;
      Text elem = txt("formula.logits.elem", {{"n", std::to_string(kept && hl.fp32_prefill_logits ? 4 : act)}});
      if (!kept && (hl.fp32_prefill_logits || hl.clone_full_logits))
        elem = txt("formula.logits.elem_sum",
                   {{"n", std::to_string(act)},
                    {"fp32", txt(hl.fp32_prefill_logits ? "formula.logits.elem_fp32" : "formula.none")},
                    {"clone", hl.clone_full_logits ? txt("formula.logits.elem_clone", {{"n", std::to_string(act)}})
                                                   : txt("formula.none")}});
      lf = txt(positions == 1 ? "formula.logits.prefill_last" : "formula.logits.prefill",
               {{"seqs", with_commas(seqs)},
                {"positions", with_commas(positions)},
                {"vocab", with_commas(V)},
                {"elem", elem},
                {"kept", txt(kept ? "formula.logits.kept" : "formula.none")},
                {"bytes", with_commas(lg_b)}});
    } else if (o.engine == Engine::vllm) {
      lf = sampler.formula;
    } else if (o.engine == Engine::llamacpp) {
      lf = txt("formula.logits.llamacpp",
               {{"tokens", with_commas(tokens)}, {"vocab", with_commas(V)}, {"bytes", with_commas(lg_b)}});
    } else {
      lf = txt("formula.logits.last_position",
               {{"seqs", with_commas(seqs)}, {"vocab", with_commas(V)}, {"bytes", with_commas(lg_b)}});
    }
  }
  out.parts.push_back(part("logits", lg_b, lf,
                           !f                                                    ? Text()
                           : hf                                                  ? txt("source.logits.hf")
                           : o.engine == Engine::vllm && !sampler.source.empty() ? sampler.source
                                                                                 : txt("source.logits.other")));

  // ---- runtime overhead: named constants per engine ----
  if (o.engine == Engine::vllm) {
    // vLLM: the non-torch increase and the CUDA-graph estimate of its budget; the CUDA context is outside it.
    vllm_overhead_parts(o, f, out.parts);
    for (const auto& p : out.parts) out.total_bytes = add(out.total_bytes, p.bytes);
    return;
  }
  uint64_t ov = 0;
  const char* of = "";
  if (!o.runtime.count_context) {
    of = "formula.runtime.not_counted";
  } else if (o.engine == Engine::hf && !o.runtime.lazy_loading) {
    ov = hf_context_bytes(false);
    of = "formula.runtime.hf_eager_loading";
  } else if (o.engine == Engine::hf) {
    ov = hf_context_bytes(true);
    of = "formula.runtime.hf";
  } else {
    ov = 300 * kMiB;
    of = "formula.runtime.llamacpp_plain";
  }
  if (f)
    out.parts.push_back(part("runtime_overhead", ov, txt(of) + txt("formula.eq_bytes", {{"bytes", with_commas(ov)}}),
                             txt("source.runtime.inference")));
  else
    out.parts.push_back(part("runtime_overhead", ov, {}, {}));

  for (const auto& p : out.parts) out.total_bytes = add(out.total_bytes, p.bytes);
}

}  // namespace gpumem
