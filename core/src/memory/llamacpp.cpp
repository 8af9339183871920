// llama.cpp's buffers and automatic fit (llamacpp.hpp). Sources, read in ggml-org/llama.cpp (2026 master):
//   src/llama-model.cpp load_tensors: the input layer (token_embd) always on the CPU ("there is very little
//     benefit to offloading the input layer"); layer il on the GPU when il ≥ i_gpu_start = max(n_layer − ngl,
//     0), the output layer (il = n_layer) only when ngl > n_layer; a tied output loads token_embd again
//     (TENSOR_DUPLICATED) in the output layer's buffer.
//   src/llama-kv-cache.cpp: each layer's K and V rows on that layer's device (offload_kqv), cells padded.
//   src/llama-context.cpp llama_context(): n_ctx 0 → n_ctx_train; n_batch = min(n_ctx, n_batch), n_ubatch =
//     min(n_batch, n_ubatch); flash_attn_type auto; graph_reserve for a ubatch of n_ubatch tokens with
//     n_outputs = n_ubatch (every position's fp32 logits, n_ubatch × n_vocab); output_reserve: n_seq_max ×
//     n_vocab fp32 logits in a host buffer ("CUDA_Host output buffer size").
//   src/llama-graph.cpp build_attn_inp_kv: the KQ mask an F32 input of n_kv × n_ubatch on the host, cast to
//     F16 on the device under flash attention; without it ggml_soft_max_ext over the materialized KQ.
//   ggml/src/ggml-cuda/ggml-cuda.cu offload_op: a matrix product of ≥ 32 tokens whose weight is in host
//     memory runs on the GPU, the weight copied into the compute buffer (op_offload, on by default).
//   common/common.h common_params: n_ctx 0, n_batch 2048, n_ubatch 512, n_gpu_layers -1 (auto), fit_params
//     true, fit_params_min_ctx 4096, fit_params_target 1024 MiB per device; tools/server: n_parallel 4 with
//     one unified cache when -np is not given.
//   common/fit.cpp common_params_fit_impl: the fit's order (context, dense layers back to front, MoE
//     experts), its margin and its context interpolation.
// Where a figure is calibrated rather than derived, the comment says which log it matches.
#include "gpumem/memory/llamacpp.hpp"

#include <algorithm>
#include <cstdio>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

namespace {

__extension__ typedef __int128 i128;

constexpr uint64_t kPad = 256;        // llama-context pads n_ctx to 256 cells; the fit rounds down to 256
constexpr uint64_t kOffloadMin = 32;  // ggml-cuda offload_op: batches of ≥ 32 tokens run on the GPU

// "258.50 MiB", as llama.cpp prints buffer sizes.
std::string mib(uint64_t b) {
  char s[48];
  std::snprintf(s, sizeof s, "%.2f MiB", static_cast<double>(b) / static_cast<double>(kMiB));
  return s;
}
std::string whole_mib(uint64_t b) { return std::to_string(b / kMiB); }

MemoryPart part(const char* id, uint64_t bytes, const Formula& formula, Text source) {
  return make_part(id, bytes, formula, std::move(source));
}

Text layer_range(uint64_t first, uint64_t count) {
  if (count == 0) return txt("formula.layers.none");
  return count == 1 ? txt("formula.layers.one", {{"layer", std::to_string(first)}})
                    : txt("formula.layers.range",
                          {{"first", std::to_string(first)}, {"last", std::to_string(first + count - 1)}});
}

}  // namespace

uint64_t llamacpp_runtime_bytes() { return 300 * kMiB; }

uint64_t llamacpp_default_context(const ModelSpec& m) {
  uint64_t c = m.n_ctx_train != 0 ? m.n_ctx_train : 4096;
  if (m.n_ctx_max != 0) c = std::min(c, m.n_ctx_max);
  return c;
}

LlamaCppPlan::LlamaCppPlan(const ModelSpec& m, const InferenceOptions&, const QuantizedWeights& w)
    : m_(m), n_layer_(m.n_layer) {
  layer_ = w.layer_bytes;
  experts_ = w.layer_expert_bytes;
  largest_ = w.layer_largest;
  layer_.resize(n_layer_);
  experts_.resize(n_layer_);
  largest_.resize(n_layer_);
  embd_ = w.embd_bytes;
  file_formula_ = w.formula;
  if (w.source.id.rfind("source.weights.checkpoint", 0) == 0) file_source_ = w.source;
  output_ = add(w.outside_bytes, m.tied_embeddings && m.has_lm_head ? w.embd_bytes : 0);
  attention_.assign(n_layer_, false);
  sliding_.assign(n_layer_, false);
  for (const auto& run : m.layers) {
    const LayerSpec& l = run.spec;
    for (uint64_t il = run.from; il <= run.to && il < n_layer_; ++il) {
      attention_[il] = l.mixer == MixerKind::attention;
      sliding_[il] = l.attn == AttnKind::sliding && l.window != 0;
    }
    if (l.attn == AttnKind::sliding) swa_window_ = std::max(swa_window_, l.window);
    if (l.ffn == FfnKind::dense) widest_ffn_ = std::max(widest_ffn_, l.n_ff);
    if (l.ffn == FfnKind::moe) widest_ffn_ = std::max(widest_ffn_, add(mul(m.n_ff_exp, m.n_expert_used), m.n_ff_shexp));
    if (l.mixer == MixerKind::mamba || l.mixer == MixerKind::mamba2) widest_ffn_ = std::max(widest_ffn_, m.ssm_d_inner);
  }
}

uint64_t LlamaCppPlan::gpu_layers(const InferenceOptions& o) const {
  if (o.llamacpp.n_gpu_layers >= 0)
    return std::min<uint64_t>(static_cast<uint64_t>(o.llamacpp.n_gpu_layers), n_layer_ + 1);
  if (o.offload_layers > 0) return n_layer_ - std::min(o.offload_layers, n_layer_);
  return n_layer_ + 1;
}

// The compute buffer's candidates for a ubatch of u tokens (ggml-alloc keeps the largest set of tensors
// alive at once; these are the three moments that set it):
//   output:    the last hidden state (u × n_embd) and every position's logits (u × n_vocab), fp32 — the
//              258.50 MiB of Llama-3-8B at n_ubatch 512 (8 MiB + 250.5 MiB);
//   attention: the KQ mask's copies (F32 n_kv × u, and its F16 cast under flash attention) beside four
//              n_embd-wide fp32 activations, and without flash attention the n_head × u × n_kv fp32 scores
//              (calibrated on Mistral-7B's 164.00 MiB at n_ctx 2048 and 2144.00 MiB at 32768, -fa off);
//   ffn:       the residual and the gate and up products of the widest feed-forward.
LlamaCppPlan::Peaks LlamaCppPlan::peaks(const InferenceOptions& o, uint64_t u, uint64_t n_kv, uint64_t n_kv_swa,
                                        bool gpu_attention) const {
  Peaks p;
  const uint64_t E = m_.n_embd;
  bool full = false, swa = false;  // a full-attention and a sliding-window cache: one mask each
  for (uint64_t il = 0; il < n_layer_; ++il) {
    full = full || (attention_[il] && !sliding_[il]);
    swa = swa || (attention_[il] && sliding_[il]);
  }
  p.masks = mul({u, add(full ? n_kv : 0, swa ? n_kv_swa : 0), 4});
  if (m_.has_lm_head) p.output = add(mul({u, m_.n_vocab, 4}), mul({u, E, 4}));
  const uint64_t act = mul({4, u, E, 4});
  if (gpu_attention) {
    p.attention = o.flash_attention ? add({p.masks, p.masks / 2, act})
                                    : add({mul({std::max<uint64_t>(1, m_.n_head), u, n_kv, 4}), p.masks, act});
  }
  p.ffn = mul({u, add(E, mul(2, widest_ffn_)), 4});
  return p;
}

LlamaCppBuffers LlamaCppPlan::buffers(const InferenceOptions& o) const {
  LlamaCppBuffers b;
  const uint64_t seqs = mul(o.batch, o.beams);
  const uint64_t ngl = gpu_layers(o);
  const uint64_t rep = std::min(ngl, n_layer_), first_gpu = n_layer_ - rep;
  const bool out_gpu = ngl > n_layer_;
  b.n_gpu_layers = ngl;
  b.n_cpu_moe = std::min(o.llamacpp.n_cpu_moe, n_layer_);
  b.n_ctx = round_up(std::max<uint64_t>(1, mul(seqs, o.context)), kPad);
  b.flash_attn = o.flash_attention;
  const uint64_t u = std::max<uint64_t>(1, std::min({o.llamacpp.n_ubatch, o.llamacpp.n_batch, b.n_ctx}));
  b.n_ubatch = u;
  b.n_seq = o.llamacpp.n_parallel != 0 ? o.llamacpp.n_parallel : seqs > 1 ? seqs : 4;

  // ---- model buffers: layer by layer ----
  uint64_t copy = 0;  // the largest weight in host memory: op_offload copies it in for a ubatch
  bool gpu_attention = false, cpu_layers = first_gpu > 0;
  for (uint64_t il = 0; il < n_layer_; ++il) {
    if (il >= first_gpu) {
      b.gpu_model = add(b.gpu_model, layer_[il]);
      gpu_attention = gpu_attention || attention_[il];
      if (il < b.n_cpu_moe && experts_[il] != 0) {
        b.gpu_model -= experts_[il];
        b.host_model = add(b.host_model, experts_[il]);
        copy = std::max(copy, largest_[il]);
      }
    } else {
      b.host_model = add(b.host_model, layer_[il]);
      copy = std::max(copy, largest_[il]);
    }
  }
  if (out_gpu) {
    b.gpu_model = add(b.gpu_model, output_);
  } else {
    // On the host a tied output maps the same file range as token_embd.
    b.host_model = add(b.host_model, m_.tied_embeddings && m_.has_lm_head ? output_ - embd_ : output_);
    if (m_.has_lm_head) copy = std::max(copy, output_);
  }
  b.host_model = add(b.host_model, embd_);

  // ---- KV cache: each layer's rows on its device ----
  if (rep != 0) b.gpu_kv = kv_cache(m_, o, seqs, o.context, false, first_gpu, rep).bytes;
  if (first_gpu != 0) b.host_kv = kv_cache(m_, o, seqs, o.context, false, 0, first_gpu).bytes;

  // ---- compute buffers ----
  const uint64_t n_kv = b.n_ctx;
  const uint64_t n_kv_swa = swa_window_ == 0 ? 0 : std::min(n_kv, round_up(add(mul(swa_window_, seqs), u), kPad));
  const Peaks p = peaks(o, u, n_kv, n_kv_swa, gpu_attention);
  const uint64_t layer_peak = std::max(p.attention, p.ffn);
  b.gpu_compute = std::max(p.output, layer_peak);
  if (u >= kOffloadMin) b.gpu_compute = add(b.gpu_compute, copy);
  b.gpu_logits = m_.has_lm_head && p.output >= layer_peak ? mul({u, m_.n_vocab, 4}) : 0;
  // Host: the token embeddings' rows (get_rows runs where token_embd is), the F32 mask, token ids and
  // positions (u × 28 B: the 0.01 MiB of "9.01 MiB"), and the attention of layers left on the CPU.
  b.host_compute = add({mul({u, m_.n_embd, 4}), p.masks, mul(u, 28)});
  if (cpu_layers) {
    const uint64_t act = mul({4, u, m_.n_embd, 4});
    b.host_compute =
        add(b.host_compute,
            o.flash_attention ? add(p.masks / 2, act) : add(mul({std::max<uint64_t>(1, m_.n_head), u, n_kv, 4}), act));
  }
  b.host_output = m_.has_lm_head ? mul({b.n_seq, m_.n_vocab, 4}) : 0;
  return b;
}

uint64_t LlamaCppPlan::device_used(const InferenceOptions& o) const {
  const LlamaCppBuffers b = buffers(o);
  return add({b.gpu_model, b.gpu_kv, b.gpu_compute});
}

InferenceEstimate LlamaCppPlan::estimate(const InferenceOptions& o, bool f) const {
  InferenceEstimate r;
  const LlamaCppBuffers b = buffers(o);
  r.has_llamacpp = true;
  r.llamacpp = b;
  const uint64_t seqs = mul(o.batch, o.beams);
  const uint64_t rep = std::min(b.n_gpu_layers, n_layer_), first_gpu = n_layer_ - rep;
  const bool out_gpu = b.n_gpu_layers > n_layer_;
  const KvCache all = kv_cache(m_, o, seqs, o.context, false);
  r.kv_bytes_per_token = all.bytes_per_token;
  r.cpu_bytes = add(b.host_model - embd_, b.host_kv);

  MemoryEstimate& out = r.gpu;
  out.parts.reserve(5);
  const uint64_t moved_experts = [&] {
    uint64_t e = 0;
    for (uint64_t il = first_gpu; il < std::min(b.n_cpu_moe, n_layer_); ++il) e = add(e, experts_[il]);
    return e;
  }();
  Formula wf, kvf, wsf, lf;
  Text kv_source;
  if (f) {
    uint64_t layers = 0;
    for (uint64_t il = first_gpu; il < n_layer_; ++il) layers = add(layers, layer_[il]);
    wf = txt("formula.llamacpp.weights_layers", {{"ngl", std::to_string(b.n_gpu_layers)},
                                                 {"range", layer_range(first_gpu, rep)},
                                                 {"bytes", with_commas(layers)}});
    wf += out_gpu ? txt("formula.llamacpp.output_gpu", {{"bytes", with_commas(output_)}})
                  : txt("formula.llamacpp.output_cpu");
    if (moved_experts != 0)
      wf += txt("formula.llamacpp.moved_experts",
                {{"n_cpu_moe", std::to_string(b.n_cpu_moe)}, {"bytes", with_commas(moved_experts)}});
    wf += txt("formula.llamacpp.weights_total", {{"bytes", with_commas(b.gpu_model)},
                                                 {"mib", mib(b.gpu_model)},
                                                 {"embd", with_commas(embd_)},
                                                 {"host_mib", mib(b.host_model)}});
    wf += file_formula_;
    const KvCache kv = kv_cache(m_, o, seqs, o.context, true, first_gpu, rep);
    kv_source = kv.source;
    kvf = rep == 0 ? Formula(txt("formula.llamacpp.kv_none")) : kv.formula;
    if (first_gpu != 0)
      kvf += txt("formula.llamacpp.kv_host", {{"range", layer_range(0, first_gpu)}, {"mib", mib(b.host_kv)}});
    kvf += txt("formula.llamacpp.kv_buffer", {{"mib", mib(b.gpu_kv)}});
    wsf = o.flash_attention ? txt("formula.llamacpp.compute_fa", {{"mib", mib(b.gpu_compute)},
                                                                  {"ubatch", with_commas(b.n_ubatch)},
                                                                  {"vocab", with_commas(m_.n_vocab)},
                                                                  {"n_embd", with_commas(m_.n_embd)},
                                                                  {"ctx", with_commas(b.n_ctx)}})
                            : txt("formula.llamacpp.compute_eager", {{"mib", mib(b.gpu_compute)},
                                                                     {"ubatch", with_commas(b.n_ubatch)},
                                                                     {"vocab", with_commas(m_.n_vocab)},
                                                                     {"n_embd", with_commas(m_.n_embd)},
                                                                     {"heads", std::to_string(m_.n_head)},
                                                                     {"ctx", with_commas(b.n_ctx)}});
    const uint64_t ws = b.gpu_compute - b.gpu_logits;
    if (b.gpu_logits != 0)
      wsf += txt("formula.llamacpp.output_binds", {{"bytes", with_commas(ws)}});
    else
      wsf += txt("formula.llamacpp.layer_binds", {{"bytes", with_commas(ws)}});
    if (!out_gpu || first_gpu != 0 || moved_experts != 0) wsf += txt("formula.llamacpp.op_offload");
    lf = b.gpu_logits != 0 ? txt("formula.llamacpp.logits", {{"positions", with_commas(b.n_ubatch)},
                                                             {"vocab", with_commas(m_.n_vocab)},
                                                             {"bytes", with_commas(b.gpu_logits)}})
         : m_.has_lm_head  ? txt("formula.llamacpp.logits_reused")
                           : txt("formula.llamacpp.no_lm_head");
  }
  const Text weights_source = file_source_.empty()
                                  ? txt("source.llamacpp.weights")
                                  : txt("source.llamacpp.weights_checkpoint", {{"file", file_source_}});
  out.parts.push_back(part("weights", b.gpu_model, wf, f ? weights_source : Text()));
  out.parts.push_back(part("kv_cache", b.gpu_kv, kvf, std::move(kv_source)));
  out.parts.push_back(
      part("workspace", b.gpu_compute - b.gpu_logits, wsf, f ? txt("source.llamacpp.workspace") : Text()));
  out.parts.push_back(part("logits", b.gpu_logits, lf, f ? txt("source.llamacpp.logits") : Text()));
  const uint64_t ov = o.runtime.count_context ? llamacpp_runtime_bytes() : 0;
  out.parts.push_back(part("runtime_overhead", ov,
                           !f ? Formula()
                           : o.runtime.count_context
                               ? Formula(txt("formula.runtime.llamacpp", {{"bytes", with_commas(ov)}}))
                               : Formula(txt("formula.runtime.llamacpp_not_counted")),
                           f ? txt("source.runtime.llamacpp") : Text()));
  for (const auto& p : out.parts) out.total_bytes = add(out.total_bytes, p.bytes);

  if (f) {
    const uint64_t host = add({b.host_model, b.host_kv, b.host_compute, b.host_output});
    r.notes.push_back({"llamacpp_host_memory", "/options/engine",
                       txt("assume.llamacpp_host_memory", {{"embd", mib(embd_)},
                                                           {"host", gib(host)},
                                                           {"model", mib(b.host_model)},
                                                           {"kv", mib(b.host_kv)},
                                                           {"compute", mib(b.host_compute)},
                                                           {"output", mib(b.host_output)}})});
    if (first_gpu != 0 || !out_gpu || moved_experts != 0)
      r.notes.push_back(
          {"cpu_offload", o.llamacpp.n_gpu_layers >= 0 ? "/options/n_gpu_layers" : "/options/offload_layers",
           txt("assume.cpu_offload.llamacpp",
               {{"ngl", b.n_gpu_layers},
                {"layers", n_layer_ + 1},
                {"moe", b.n_cpu_moe != 0 ? ", --n-cpu-moe " + std::to_string(b.n_cpu_moe) : std::string()},
                {"host", gib(r.cpu_bytes)}})});
  }
  return r;
}

LlamaCppFit LlamaCppPlan::fit(InferenceOptions& o) const {
  LlamaCppFit fit;
  if (o.device_total == 0 || !o.llamacpp.fit) return fit;
  fit.ran = true;
  const std::string fn = "common_params_fit_impl: ";
  const uint64_t ctx = llamacpp_runtime_bytes();
  fit.free = o.device_total > ctx ? o.device_total - ctx : 0;
  fit.margin = o.llamacpp.fit_target;
  fit.context_initial = o.context;
  const int64_t target = static_cast<int64_t>(fit.free) - static_cast<int64_t>(fit.margin);
  auto used = [&](const InferenceOptions& x) { return static_cast<int64_t>(device_used(x)); };

  // step 1: the initial parameters
  const int64_t initial = used(o);
  fit.projected_initial = fit.projected = static_cast<uint64_t>(initial);
  fit.log.push_back(fn + "projected to use " + whole_mib(static_cast<uint64_t>(initial)) +
                    " MiB of device memory vs. " + whole_mib(fit.free) + " MiB of free device memory");
  if (initial <= target) {
    fit.log.push_back(fn + "will leave " + std::to_string((static_cast<int64_t>(fit.free) - initial) / int64_t(kMiB)) +
                      " >= " + whole_mib(fit.margin) + " MiB of free device memory, no changes needed");
    return fit;
  }
  fit.log.push_back(fn + "cannot meet free memory target of " + whole_mib(fit.margin) +
                    " MiB, need to reduce device memory by " + std::to_string((initial - target) / int64_t(kMiB)) +
                    " MiB");

  // step 2: a context the user left unset shrinks, down to --fit-ctx, by linear interpolation
  if (!o.llamacpp.context_given) {
    const uint64_t ctx_max = o.context, ctx_min = o.llamacpp.fit_ctx;
    if (ctx_max > ctx_min) {
      InferenceOptions lo = o;
      lo.context = ctx_min;
      lo.prompt = std::min(lo.prompt, ctx_min);
      const int64_t used_min = used(lo);
      if (target > used_min && initial > used_min) {
        uint64_t c = ctx_min + static_cast<uint64_t>(static_cast<i128>(ctx_max - ctx_min) * (target - used_min) /
                                                     (initial - used_min));
        c = std::max(c - c % kPad, ctx_min);
        fit.log.push_back(fn + "context size reduced from " + std::to_string(ctx_max) + " to " + std::to_string(c));
        fit.log.push_back(fn + "entire model can be fit by reducing context");
        o.context = c;
        o.prompt = std::min(o.prompt, c);
        fit.changed = true;
        fit.projected = static_cast<uint64_t>(used(o));
        return fit;
      }
      fit.log.push_back(fn + "context size reduced from " + std::to_string(ctx_max) + " to " + std::to_string(ctx_min));
      o = lo;
      fit.changed = true;
    }
  } else {
    fit.log.push_back(fn + "context size set by user to " + std::to_string(o.context) + " -> no change");
  }

  // step 3: layers (and experts), only where the user left them unset
  // `why`: llama.cpp's own log words (phrase.llamacpp_fit.log, quoted) or our sentence where it has none.
  auto give_up = [&](Text why) {
    fit.ok = false;
    fit.stopped = render(why);
    fit.stopped_text = std::move(why);
    fit.log.push_back("common_fit_params: failed to fit params to free device memory: " + fit.stopped);
    fit.projected = static_cast<uint64_t>(used(o));
    return fit;
  };
  if (o.llamacpp.n_gpu_layers >= 0 || o.offload_layers > 0)
    return give_up(txt("phrase.llamacpp_fit.log",
                       {{"line", "n_gpu_layers already set by user to " + std::to_string(gpu_layers(o)) + ", abort"}}));
  if (o.llamacpp.n_cpu_moe > 0)
    return give_up(
        txt("phrase.llamacpp_fit.log", {{"line", "model_params::tensor_buft_overrides already set by user, abort"}}));

  // The largest count in [lo, hi] for which `fits` holds (memory grows with it), or lo − 1 → none.
  auto largest = [&](uint64_t lo, uint64_t hi, auto fits) -> int64_t {
    if (!fits(lo)) return static_cast<int64_t>(lo) - 1;
    while (lo < hi) {
      const uint64_t mid = lo + (hi - lo + 1) / 2;
      if (fits(mid))
        lo = mid;
      else
        hi = mid - 1;
    }
    return static_cast<int64_t>(lo);
  };
  InferenceOptions x = o;
  const bool moe = std::any_of(experts_.begin(), experts_.end(), [](uint64_t e) { return e != 0; });
  auto at = [&](uint64_t ngl, uint64_t ncmoe) {
    InferenceOptions y = x;
    y.llamacpp.n_gpu_layers = static_cast<int64_t>(ngl);
    y.llamacpp.n_cpu_moe = ncmoe;
    return y;
  };
  const uint64_t all = n_layer_ + 1;
  uint64_t ngl = 0, ncmoe = 0;
  if (!moe) {
    fit.log.push_back(fn + "filling dense layers back-to-front:");
    const int64_t k = largest(0, all, [&](uint64_t n) { return used(at(n, 0)) <= target; });
    if (k < 0) {
      o = at(0, 0);
      return give_up(txt("phrase.llamacpp_fit.compute_exceeds"));
    }
    ngl = static_cast<uint64_t>(k);
  } else {
    const int64_t dense_only = used(at(all, n_layer_));
    const int64_t surplus = target - dense_only;
    fit.log.push_back(fn + (surplus > 0
                                ? "with only dense weights in device memory there is a total surplus of " +
                                      std::to_string(surplus / int64_t(kMiB)) + " MiB"
                                : "with only dense weights in device memory there is still a total deficit of " +
                                      std::to_string(-surplus / int64_t(kMiB)) + " MiB"));
    if (surplus <= 0) {
      fit.log.push_back(fn + "filling dense-only layers back-to-front:");
      const int64_t k = largest(0, all, [&](uint64_t n) { return used(at(n, n_layer_)) <= target; });
      if (k < 0) {
        o = at(0, n_layer_);
        return give_up(txt("phrase.llamacpp_fit.compute_exceeds"));
      }
      ngl = static_cast<uint64_t>(k), ncmoe = n_layer_;
    } else {
      // step 4: dense-only layers become full layers, front to back, while they fit: --n-cpu-moe N keeps the
      // experts of layers 0 … N − 1 in host memory; the smallest N that fits.
      fit.log.push_back(fn + "converting dense-only layers to full layers and filling them front-to-back:");
      const int64_t full = largest(0, n_layer_, [&](uint64_t k) { return used(at(all, n_layer_ - k)) <= target; });
      ngl = all, ncmoe = n_layer_ - static_cast<uint64_t>(std::max<int64_t>(0, full));
    }
  }
  o = at(ngl, ncmoe);
  fit.changed = true;
  fit.projected = static_cast<uint64_t>(used(o));
  fit.log.push_back(
      fn + "  - " + (o.device.empty() ? std::string("CUDA0") : "CUDA0 (" + o.device + ")") + ": " +
      std::to_string(ngl) + " layers" + (moe ? " (" + std::to_string(ncmoe) + " with experts in host memory)" : "") +
      ", " + whole_mib(fit.projected) + " MiB used, " +
      std::to_string((static_cast<int64_t>(fit.free) - static_cast<int64_t>(fit.projected)) / int64_t(kMiB)) +
      " MiB free");
  return fit;
}

std::string llamacpp_flags(const ModelSpec& m, const InferenceOptions& o, const LlamaCppBuffers& b) {
  const uint64_t seqs = mul(o.batch, o.beams);
  std::string s = "-c " + std::to_string(mul(seqs, o.context)) + " -ngl " + std::to_string(b.n_gpu_layers) +
                  " --n-cpu-moe " + std::to_string(b.n_cpu_moe);
  if (seqs > 1) s += " -np " + std::to_string(seqs);
  if (o.llamacpp.n_batch != 2048) s += " -b " + std::to_string(o.llamacpp.n_batch);
  if (o.llamacpp.n_ubatch != 512) s += " -ub " + std::to_string(o.llamacpp.n_ubatch);
  if (!o.flash_attention) s += " -fa off";
  // llama.cpp's cache is F16 by default; the load dtype's bf16 takes the same bytes.
  if (o.kv.id == "q8_0" || o.kv.id == "q4_0" || o.kv.id == "fp32") {
    const std::string t = o.kv.id == "fp32" ? "f32" : o.kv.id;
    s += " -ctk " + t + " -ctv " + t;
  }
  (void)m;
  return s;
}

}  // namespace gpumem
