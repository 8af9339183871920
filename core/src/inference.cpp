// Inference memory per device: weights, buffers, KV cache, workspace, logits, runtime overhead.
// Each engine preset fixes the layout choices; docs/ESTIMATION.md ("Inference") lists the sources.
#include "gpumem/inference.hpp"

#include <algorithm>

#include "gpumem/checked.hpp"
#include "gpumem/error.hpp"
#include "gpumem/format.hpp"
#include "gpumem/params.hpp"

namespace gpumem {

namespace {

constexpr uint64_t kMiB = 1024 * 1024;

__extension__ typedef unsigned __int128 u128;

// a·b/c without overflow in the product (shares of a byte total; b ≤ c, so the result fits).
uint64_t share(uint64_t a, uint64_t b, uint64_t c) {
  return c == 0 ? 0 : static_cast<uint64_t>(static_cast<u128>(a) * b / c);
}

uint64_t round_up(uint64_t a, uint64_t b) { return mul(a / b + (a % b != 0 ? 1 : 0), b); }

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

}  // namespace

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
}

InferenceEstimate InferencePlan::estimate(const InferenceOptions& o, bool formulas) const {
  if (o.dtype_bits != dtype_bits_ || !(o.quant == quant_) || o.offload_layers != offload_layers_)
    throw Error(code::internal_error, "", "An inference plan was reused with another dtype, quant or offload.");
  const ModelSpec& m = m_;
  const bool f = formulas;  // build the formula strings (the bytes never depend on it)
  InferenceEstimate r;
  const ParamCount& pc = params_;
  const uint64_t act = o.dtype_bits / 8;  // activation bytes: the compute dtype
  const uint64_t seqs = mul(o.batch, o.beams);
  const uint64_t prompt = o.prompt == 0 ? o.context : o.prompt;

  // ---- weights: quantized layout, split over tensor-parallel ranks, minus offloaded layers ----
  const QuantizedWeights& qw = weights_;
  uint64_t w = qw.bytes;
  std::string wf;
  if (f) wf = qw.formula;
  if (o.tp > 1) {
    w = (w + o.tp - 1) / o.tp;
    if (f) wf += "; ÷ " + std::to_string(o.tp) + " tensor-parallel ranks = " + with_commas(w) + " bytes per GPU";
  }
  uint64_t offload = std::min(o.offload_layers, m.n_layer);
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
  r.gpu.parts.reserve(6);
  r.gpu.parts.push_back(part("weights", w, std::move(wf), f ? qw.source : std::string()));

  // ---- buffers (transformers): rotary inv_freq, one per model (transformers ≥ 4.38) ----
  if (o.engine == Engine::hf && m.positions == PositionKind::rope) {
    const uint64_t inv = round_up(mul(m.n_embd_head_k / 2, 4), 512);
    if (f)
      r.gpu.parts.push_back(
          part("buffers", inv,
               "rotary inv_freq: " + std::to_string(m.n_embd_head_k / 2) +
                   " fp32 values, rounded to the caching allocator's 512 B block = " + with_commas(inv) + " bytes",
               "transformers ≥ 4.38 modeling_rope_utils.py: one shared rotary module per model; "
               "4.32 kept per-layer cos/sin caches (docs/ESTIMATION.md)"));
    else
      r.gpu.parts.push_back(part("buffers", inv, {}, {}));
  }

  // ---- KV cache ----
  const KvCache kv = kv_cache(m, o, seqs, o.context, f);
  r.kv_bytes_per_token = kv.bytes_per_token;
  uint64_t kv_gpu = kv.bytes;
  std::string kvf = kv.formula;
  if (offload != 0 && o.engine == Engine::llamacpp) {
    const uint64_t cpu_kv = share(kv.bytes, offload, m.n_layer);
    kv_gpu -= cpu_kv;
    r.cpu_bytes = add(r.cpu_bytes, cpu_kv);
    if (f) kvf += "; the offloaded layers' cache stays with them in CPU RAM: − " + with_commas(cpu_kv) + " bytes";
  }
  r.gpu.parts.push_back(part("kv_cache", kv_gpu, std::move(kvf), kv.source));

  // ---- workspace: the prefill peak of one layer's transient tensors ----
  const uint64_t ff = widest_ffn_;
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
    tokens = std::min<uint64_t>(tokens, 8192);
    tok_note = " (vLLM profiles max_num_batched_tokens = min(batch × prompt, 8192))";
  } else if (o.engine == Engine::llamacpp) {
    tokens = std::min<uint64_t>(tokens, 512);
    act_bytes = 4;
    tok_note = " (llama.cpp compute buffer: one ubatch of 512 tokens in F32)";
  }
  uint64_t ws = mul({tokens, width, act_bytes});
  std::string wsf;
  if (f)
    wsf = with_commas(tokens) + " tokens" + tok_note + " × (3 × " + std::to_string(m.n_embd) + " + " +
          std::to_string(q_w) + " + " + std::to_string(kv_w) + " + 3 × " + std::to_string(ff_r) + ") × " +
          std::to_string(act_bytes) + " B = " + with_commas(ws);
  const bool scores =
      (o.engine == Engine::hf && o.eager_attention) || (o.engine == Engine::llamacpp && !o.flash_attention);
  if (scores) {
    // Eager attention materializes softmax(QKᵀ): batch × heads × prompt × keys (llama.cpp: per ubatch, F32).
    const uint64_t rows = o.engine == Engine::llamacpp ? tokens : mul(o.batch, prompt);
    const uint64_t keys = o.engine == Engine::llamacpp ? round_up(mul(seqs, o.context), 256) : prompt;
    const uint64_t sb = o.engine == Engine::llamacpp ? 4 : act;
    const uint64_t s = mul({rows, heads, keys, sb});
    ws = add(ws, s);
    if (f)
      wsf += " + attention scores " + with_commas(rows) + " × " + std::to_string(heads) + " heads × " +
             with_commas(keys) + " keys × " + std::to_string(sb) + " B = " + with_commas(ws);
  }
  if (f) wsf += " bytes";
  r.gpu.parts.push_back(part("workspace", ws, std::move(wsf),
                             !f                       ? ""
                             : o.engine == Engine::hf ? "transformers forward of one decoder layer (SDPA: no P² term)"
                             : o.engine == Engine::vllm ? "vLLM gpu_model_runner.profile_run (dummy batch)"
                                                        : "llama.cpp llama-context.cpp graph_reserve (ubatch)"));

  // ---- logits ----
  uint64_t lg = 0;
  std::string lf;
  const uint64_t V = std::max<uint64_t>(1, m.n_vocab / (o.engine == Engine::hf ? 1 : o.tp));
  if (!m.has_lm_head) {
    if (f) lf = "no language-model head (encoder): no vocabulary logits";
  } else if (o.engine == Engine::hf) {
    // transformers 4.4x generate: the prefill forward returns logits for every prompt position in the model
    // dtype; generate keeps the last position's as fp32 for the logits processors.
    const uint64_t full = mul({seqs, prompt, V, act});
    const uint64_t last = mul({seqs, V, 4});
    lg = add(full, last);
    if (f)
      lf = with_commas(seqs) + " seqs × " + with_commas(prompt) + " positions × " + with_commas(V) + " vocab × " +
           std::to_string(act) + " B + " + with_commas(seqs) + " × " + with_commas(V) +
           " × 4 B (fp32 last position) = " + with_commas(lg) + " bytes";
  } else {
    lg = mul({seqs, V, 4});
    if (f)
      lf = with_commas(seqs) + " seqs × " + with_commas(V) + " vocab × 4 B (fp32, last position) = " + with_commas(lg) +
           " bytes";
  }
  r.gpu.parts.push_back(part("logits", lg, std::move(lf),
                             !f ? ""
                             : o.engine == Engine::hf
                                 ? "transformers generation/utils.py (prefill logits of all "
                                   "positions before 4.45's num_logits_to_keep; fp32 scores)"
                                 : "vLLM sampler / llama.cpp output buffer: one fp32 row per sequence"));

  // ---- runtime overhead: named constants per engine ----
  uint64_t ov = 0;
  const char* of = "";
  if (!o.count_context) {
    of = "not counted: the figure compared is the allocator's own statistic (memory_allocated)";
  } else if (o.engine == Engine::hf && !o.lazy_loading) {
    ov = 1343 * kMiB;
    of = "CUDA context without lazy module loading (CUDA < 11.7: every kernel of torch loaded) = 1343 MiB, "
         "measured on a V100 with CUDA 11.2 (tests/fixtures/measurements.json, transformers docs)";
  } else if (o.engine == Engine::hf) {
    ov = 500 * kMiB;
    of = "CUDA context with lazy module loading + cuBLAS/cuDNN handles ≈ 500 MiB";
  } else if (o.engine == Engine::vllm) {
    ov = add(500 * kMiB, 512 * kMiB);
    of = "CUDA context ≈ 500 MiB + CUDA graph pools ≈ 512 MiB (vLLM logs 'Graph capturing finished … took 0.5 GiB' "
         "for 7–8B models)";
  } else {
    ov = 300 * kMiB;
    of = "CUDA context + cuBLAS handle ≈ 300 MiB (llama.cpp allocates its buffers itself, no torch)";
  }
  if (f)
    r.gpu.parts.push_back(
        part("runtime_overhead", ov, of + (" = " + with_commas(ov) + " bytes"),
             "docs/ESTIMATION.md (Runtime overhead): PyTorch CUDA lazy loading notes, vLLM worker logs, "
             "the 1343 MiB V100/CUDA 11.2 context of tests/fixtures/measurements.json"));
  else
    r.gpu.parts.push_back(part("runtime_overhead", ov, {}, {}));

  for (const auto& p : r.gpu.parts) r.gpu.total_bytes = add(r.gpu.total_bytes, p.bytes);
  return r;
}

}  // namespace gpumem
