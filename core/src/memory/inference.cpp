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

constexpr uint64_t kMiB = 1024 * 1024;

__extension__ typedef unsigned __int128 u128;

// a·b/c without overflow in the product (shares of a byte total; b ≤ c, so the result fits).
uint64_t share(uint64_t a, uint64_t b, uint64_t c) {
  return c == 0 ? 0 : static_cast<uint64_t>(static_cast<u128>(a) * b / c);
}

uint64_t round_up(uint64_t a, uint64_t b) { return mul(a / b + (a % b != 0 ? 1 : 0), b); }

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

MemoryPart part(std::string id, uint64_t bytes, std::string formula, std::string source) {
  return {std::move(id), bytes, std::move(formula), std::move(source)};
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
      throw Error(code::internal_error, "", "pipeline stages: the weights outside the blocks do not add up");
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
  if (upto < before) throw Error(code::internal_error, "", "pipeline stages: a cut of the model shrank");
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

HfLegacy hf_legacy(const ModelSpec& m, uint32_t version, std::string* unsure) {
  HfLegacy h;
  h.version = version;
  const std::string& t = m.model_type;
  auto among = [&t](std::initializer_list<const char*> names) {
    return std::any_of(names.begin(), names.end(), [&t](const char* n) { return t == n; });
  };
  const bool current = version == 0;
  std::string doubt;
  // Tuple caches: every model before 4.36's DynamicCache (Llama, Mistral, Mixtral, Phi, Persimmon moved
  // then, and later models were born with it); GPT-NeoX until 4.45 (PR #31421), OPT until 4.49
  // (PR #35724). Other older model classes moved at dates not in this table: taken as 4.36, and said.
  uint32_t cache_class = 436;
  if (t == "gpt_neox" || t == "gptj") cache_class = 445;
  if (t == "opt") cache_class = 449;
  if (!current && version >= 436 && version < 449 &&
      among({"gpt2", "gpt_bigcode", "bloom", "falcon", "mpt", "t5", "mt5", "bart", "chatglm", "baichuan"}))
    doubt = "when " + t + " moved from tuple caches to Cache classes (taken as 4.36, with Llama)";
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
  if (current && !keeps && !among({"opt", "gpt_neox"}) && m.has_lm_head)
    doubt = (doubt.empty() ? "" : doubt + "; ") + "whether " + t + "'s forward takes logits_to_keep (counted as not)";
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
    throw Error(code::internal_error, "", "An inference plan was reused with another dtype, quant, offload or pp.");
  if (llama_ && o.pp <= 1 && o.tp <= 1) return llama_->estimate(o, formulas);
  InferenceEstimate r;
  if (o.pp <= 1 && device_map_ == DeviceMapKind::none) {
    stage_parts(o, formulas, nullptr, true, r, r.gpu);
    return r;
  }
  if (device_map_ != DeviceMapKind::none) {
    r.placement = placement_;
    r.cpu_bytes = cpu_weights_;
    if (stages_.empty())
      throw Error(code::bad_request, "/options/device_map",
                  "accelerate would place every module on the CPU: no GPU budget holds even the embeddings.");
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
  std::string wf;
  if (f && !st) wf = qw.formula;
  if (f && st) {
    const StageLayers& L = st->layers;
    wf = (device_map_ != DeviceMapKind::none
              ? "device_map GPU " + std::to_string(st->device)
              : "pipeline stage " + std::to_string(st - stages_.data()) + " of " + std::to_string(pp_)) +
         ": " +
         (L.count == 0 ? std::string("no decoder layer")
                       : "layers " + std::to_string(L.first) + "–" + std::to_string(L.first + L.count - 1)) +
         " " + with_commas(st->blocks) + " B";
    if (st->input != 0) wf += " + embeddings " + with_commas(st->input) + " B";
    if (st->output != 0) wf += " + final norm and lm_head " + with_commas(st->output) + " B";
    if (st->tied_copy != 0) wf += " + tied embedding copy as lm_head " + with_commas(st->tied_copy) + " B";
    wf += " = " + with_commas(w) + " bytes (of the whole model's " + with_commas(qw.bytes) + ": " + qw.formula + ")";
  }
  if (o.tp > 1) {
    w = (w + o.tp - 1) / o.tp;
    if (f) wf += "; ÷ " + std::to_string(o.tp) + " tensor-parallel ranks = " + with_commas(w) + " bytes per GPU";
  }
  // accelerate runs CPU-offloaded modules on GPU 0, copying each one's weights in while it runs.
  const bool runs_offloaded = st && device_map_ != DeviceMapKind::none && st == &stages_.front() && streamed_ != 0;
  if (runs_offloaded) {
    w = add(w, streamed_);
    if (f)
      wf += "; + the largest CPU-offloaded module, copied in by accelerate's hook while it runs = " + with_commas(w) +
            " bytes";
  }
  // Offloading is refused with pp > 1 (inference_ops.cpp), so a stage never offloads.
  const uint64_t offload = st ? 0 : std::min(o.offload_layers, m.n_layer);
  if (offload != 0) {
    const uint64_t layer_params = offload_params_;  // the last `offload` layers
    r.cpu_bytes = share(w, layer_params, pc.total);
    w -= r.cpu_bytes;
    if (f) {
      wf += "; " + std::to_string(offload) + " layers (" + with_commas(layer_params) + " of " + with_commas(pc.total) +
            " params) in CPU RAM: − " + with_commas(r.cpu_bytes) + " bytes = " + with_commas(w) + " bytes on the GPU";
      r.notes.push_back({"cpu_offload", "/options/offload_layers",
                         std::to_string(offload) + " layers are kept in CPU RAM (" + gib(r.cpu_bytes) +
                             "); every token then streams or computes them on the CPU, so generation is much slower."});
    }
  }
  out.parts.reserve(6);
  out.parts.push_back(part("weights", w, std::move(wf), f ? qw.source : std::string()));

  // ---- buffers (transformers): what the modeling code registers besides the weights ----
  if (o.engine == Engine::hf) {
    const uint64_t layers = st ? st->layers.count : m.n_layer;
    const HfLegacy& lg = o.runtime.hf;
    uint64_t buf = 0;
    std::string bf;
    const LayerBuffers lb = layer_buffers(m, lg, act, o.device_map != DeviceMapKind::none);
    if (lg.layer_bias_buffer) {
      buf = add(buf, mul(layers, lb.mask));
      if (f)
        bf = std::to_string(layers) + " layers × (causal-mask `bias` " + with_commas(m.n_ctx_train) + "² × " +
             std::to_string(lb.elem) + " B + masked_bias, each rounded to 512 B)";
    }
    if (lg.layer_rotary_tables) {
      buf = add(buf, mul(layers, lb.tables));
      if (f)
        bf += (bf.empty() ? "" : " + ") + std::to_string(layers) + " layers × (fp32 cos and sin tables " +
              with_commas(m.n_ctx_train) + " × " + std::to_string(lb.rot) + " + inv_freq)";
    } else if (m.positions == PositionKind::rope) {
      const uint64_t inv = round_up(mul(m.n_embd_head_k / 2, 4), 512);
      buf = add(buf, inv);
      if (f)
        bf += (bf.empty() ? "" : " + ") + std::string("rotary inv_freq: ") + std::to_string(m.n_embd_head_k / 2) +
              " fp32 values, rounded to the caching allocator's 512 B block";
    }
    if (lg.layer_bias_buffer || lg.layer_rotary_tables || m.positions == PositionKind::rope) {
      if (f)
        out.parts.push_back(
            part("buffers", buf, bf + " = " + with_commas(buf) + " bytes",
                 lg.layer_bias_buffer || lg.layer_rotary_tables
                     ? "transformers " + transformers_version_text(lg.version) + " modeling_" + m.model_type +
                           ".py: every attention layer registers `bias` and `masked_bias` (GPT-NeoX also its own "
                           "rotary tables; docs/ESTIMATION.md, transformers versions)"
                     : "transformers ≥ 4.38 modeling_rope_utils.py: one shared rotary module per model; "
                       "4.32 kept per-layer cos/sin caches (docs/ESTIMATION.md)"));
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
      if (with_formulas)
        kv.formula += "; + the CPU-offloaded layers' cache, kept on GPU 0 where they run: " + extra.formula;
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
  const char* tok_note = "";
  uint64_t act_bytes = act;
  if (o.engine == Engine::vllm) {
    // profile_run: one forward of max_num_batched_tokens tokens, whatever the batch and prompt (vllm.hpp).
    tokens = o.max_num_batched_tokens;
    tok_note = " (vLLM profile_run: one forward of max_num_batched_tokens)";
  } else if (o.engine == Engine::llamacpp) {
    // llama-context reserves one ubatch: min(n_ubatch, n_batch, n_ctx) tokens in F32 (llamacpp.cpp).
    tokens = std::min({tokens, o.llamacpp.n_ubatch, o.llamacpp.n_batch});
    act_bytes = 4;
    tok_note = " (llama.cpp compute buffer: one ubatch in F32)";
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
  std::string kvf = kv.formula;
  if (f && hf && o.context > prompt)
    kvf = std::string(moment == Moment::prefill      ? "at the peak, the prefill: "
                      : moment == Moment::first_step ? "at the peak, the first decoding step: "
                                                     : "at the peak, the last decoding step: ") +
          kvf;
  if (offload != 0 && o.engine == Engine::llamacpp) {
    const uint64_t cpu_kv = share(kv.bytes, offload, m.n_layer);
    kv_gpu -= cpu_kv;
    r.cpu_bytes = add(r.cpu_bytes, cpu_kv);
    if (f) kvf += "; the offloaded layers' cache stays with them in CPU RAM: − " + with_commas(cpu_kv) + " bytes";
  }
  out.parts.push_back(part("kv_cache", kv_gpu, std::move(kvf), kv.source));
  if (tuple) {
    const uint64_t pb = prev_bytes;
    out.parts.push_back(
        part("kv_cache_previous", pb,
             !f ? std::string()
             : prev_tokens == 0
                 ? std::string("the prefill starts from no cache: 0 bytes")
                 : "the previous step's cache of " + with_commas(prev_tokens) +
                       " tokens, still referenced by generate's model_kwargs while the step's torch.cat builds the "
                       "new one = " +
                       with_commas(pb) + " bytes",
             f ? "transformers " + transformers_version_text(o.runtime.hf.version) +
                     " legacy tuple past_key_values (docs/ESTIMATION.md, transformers versions)"
               : std::string()));
  }

  // ---- workspace ----
  std::string wsf;
  if (f) {
    if (ws_b == 0 && ws != 0) {
      wsf = "0 at the peak, the prefill's logits: the layers' transients (" + with_commas(ws) +
            " B for the widest) are freed before lm_head runs";
    } else if (ws_b != ws) {
      wsf = with_commas(seqs) + " sequences × 1 token (a decoding step) × (3 × " + std::to_string(m.n_embd) + " + " +
            std::to_string(q_w) + " + " + std::to_string(kv_w) + " + 3 × " + std::to_string(ff_r) + ") × " +
            std::to_string(act) + " B";
      const BnbTransient bs = bnb4_transient(o.quant, o.runtime, m.n_embd, bnb_out, seqs, o.dtype, true);
      if (bs.bytes != 0) wsf += " + bitsandbytes 4-bit: " + bs.formula;
      wsf += " = " + with_commas(ws_b);
    } else {
      wsf = with_commas(tokens) + " tokens" + tok_note + " × (3 × " + std::to_string(m.n_embd) + " + " +
            std::to_string(q_w) + " + " + std::to_string(kv_w) + " + 3 × " + std::to_string(ff_r) + ") × " +
            std::to_string(act_bytes) + " B = " + with_commas(ws - score_bytes - bnb_prefill.bytes);
      if (scores)
        wsf +=
            " + attention scores " + with_commas(rows) + " × " + std::to_string(heads) + " heads × " +
            with_commas(keys) + " keys × " + std::to_string(sb) +
            (hf ? (o.runtime.hf.softmax_fp32 ? " B (scores + fp32 softmax)" : " B (scores + softmax output)") : " B") +
            " = " + with_commas(ws - bnb_prefill.bytes);
      if (bnb_prefill.bytes != 0)
        wsf += " + bitsandbytes 4-bit: " + bnb_prefill.formula + "; in all " + with_commas(ws);
    }
    wsf += " bytes";
  }
  out.parts.push_back(part("workspace", ws_b, std::move(wsf),
                           !f                         ? ""
                           : hf                       ? "transformers forward of one decoder layer (SDPA: no P² term)"
                           : o.engine == Engine::vllm ? "vLLM gpu_model_runner.profile_run (dummy batch)"
                                                      : "llama.cpp llama-context.cpp graph_reserve (ubatch)"));

  // ---- logits ----
  std::string lf;
  if (f) {
    if (!m.has_lm_head) {
      lf = "no language-model head (encoder): no vocabulary logits";
    } else if (!last_stage) {
      lf = "computed on the last pipeline stage only";
    } else if (at_layer) {
      lf = "0 at the peak, inside the widest layer during the prefill: the logits (" +
           with_commas(add(full_logits, last_logits)) + " B) come after the layers";
    } else if (hf && lg_b != last_logits) {
      const bool kept = moment == Moment::first_step;
      std::string elem = std::to_string(kept && hl.fp32_prefill_logits ? 4 : act) + " B";
      if (!kept && (hl.fp32_prefill_logits || hl.clone_full_logits))
        elem = "(" + std::to_string(act) + (hl.fp32_prefill_logits ? " + 4 (logits.float())" : "") +
               (hl.clone_full_logits ? " + " + std::to_string(act) + " (_sample's clone)" : "") + ") B";
      lf = with_commas(seqs) + " seqs × " + with_commas(positions) +
           (positions == 1 ? " position (logits_to_keep = 1)" : " positions") + " × " + with_commas(V) + " vocab × " +
           elem + (kept ? " (the prefill's, still referenced by `outputs`)" : "") + " + " + with_commas(seqs) + " × " +
           with_commas(V) + " × 4 B (fp32 last position) = " + with_commas(lg_b) + " bytes";
    } else if (o.engine == Engine::vllm) {
      lf = sampler.formula;
    } else if (o.engine == Engine::llamacpp) {
      lf = with_commas(tokens) + " ubatch positions × " + with_commas(V) +
           " vocab × 4 B (graph_reserve's fp32 logits) = " + with_commas(lg_b) + " bytes";
    } else {
      lf = with_commas(seqs) + " seqs × " + with_commas(V) +
           " vocab × 4 B (fp32, last position) = " + with_commas(lg_b) + " bytes";
    }
  }
  out.parts.push_back(part("logits", lg_b, std::move(lf),
                           !f   ? ""
                           : hf ? "transformers generation/utils.py: prefill logits of every position before "
                                  "4.45 or without logits_to_keep, else of the last; fp32 scores (docs/ESTIMATION.md)"
                           : o.engine == Engine::vllm && !sampler.source.empty()
                               ? sampler.source
                               : "vLLM sampler / llama.cpp output buffer: one fp32 row per sequence"));

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
    of = "not counted: the figure compared is the allocator's own statistic (memory_allocated)";
  } else if (o.engine == Engine::hf && !o.runtime.lazy_loading) {
    ov = hf_context_bytes(false);
    of = "CUDA context without lazy module loading (CUDA < 11.7: every kernel of torch loaded) = 1343 MiB, "
         "measured on a V100 with CUDA 11.2 (tests/fixtures/measurements.json, transformers docs)";
  } else if (o.engine == Engine::hf) {
    ov = hf_context_bytes(true);
    of = "CUDA context with lazy module loading + cuBLAS/cuDNN handles ≈ 500 MiB";
  } else {
    ov = 300 * kMiB;
    of = "CUDA context + cuBLAS handle ≈ 300 MiB (llama.cpp allocates its buffers itself, no torch)";
  }
  if (f)
    out.parts.push_back(
        part("runtime_overhead", ov, of + (" = " + with_commas(ov) + " bytes"),
             "docs/ESTIMATION.md (Runtime overhead): PyTorch CUDA lazy loading notes, vLLM worker logs, "
             "the 1343 MiB V100/CUDA 11.2 context of tests/fixtures/measurements.json"));
  else
    out.parts.push_back(part("runtime_overhead", ov, {}, {}));

  for (const auto& p : out.parts) out.total_bytes = add(out.total_bytes, p.bytes);
}

}  // namespace gpumem
