// vLLM's KV-cache budget, release by release (vllm.hpp has the sources; docs/ESTIMATION.md, "vLLM", the
// formulas and the worked example). The budget of one worker:
//   requested            = total × gpu_memory_utilization                     (gpu_worker.py init_device)
//   non_kv_cache_memory  = weights + torch_peak_increase + non_torch_increase (mem_utils.py memory_profiling)
//   available KV         = requested − non_kv_cache_memory [− CUDA-graph estimate, from 0.21]
//                                                            (gpu_worker.py determine_available_memory)
//   num_blocks           = available // (page_size × layers), 16 tokens a block (kv_cache_utils.py)
// The baseline snapshot is taken after CUDA (and NCCL) started, so the CUDA context is outside the budget.
#include "gpumem/memory/vllm.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "gpumem/base/checked.hpp"
#include "gpumem/base/format.hpp"

namespace gpumem {

namespace {

// non_torch_increase on one GPU: memory allocated outside torch's allocator between the baseline snapshot and
// the end of profile_run (cuBLAS workspaces, attention-backend buffers). vLLM's own logs show 0.04–0.07 GiB on
// one GPU (0.07 GiB for gemma-3-4b in PR #21489's "Actual usage is … 0.07 GiB for non-torch memory"); 64 MiB
// is taken. NCCL's buffers for tensor parallelism are mostly in the baseline (init_device initializes the
// distributed environment before the snapshot) and are not modelled.
constexpr uint64_t kNonTorch = 64 * kMiB;
// profile_cudagraph_memory's estimate and the graphs' pool: vLLM logs "Estimated CUDA graph memory" and
// "Graph capturing finished … took" of 0.23–0.84 GiB for dense 1–8B models with the default capture sizes
// (up to 512 tokens); 512 MiB is taken, not scaled by the model.
constexpr uint64_t kCudaGraphs = 512 * kMiB;
// The sampler warm-up's bytes per (row × vocab) element beyond the model-dtype logits (vllm_sampler).
constexpr uint64_t kSamplerBytes = 36;

uint32_t effective(uint32_t release) { return release == 0 ? kVllmNewest : release; }

// a × b, or UINT64_MAX when it would not fit.
uint64_t saturating_mul(uint64_t a, uint64_t b) { return a != 0 && b > UINT64_MAX / a ? UINT64_MAX : a * b; }

std::string two_decimals(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

// Bytes of one block of 16 tokens over layers first … first + count − 1 of one sequence: the cache of 32
// tokens less that of 16, so per-sequence recurrent state (Mamba) drops out.
uint64_t block_bytes(const ModelSpec& m, const InferenceOptions& o, uint64_t first, uint64_t count) {
  const uint64_t two = kv_cache(m, o, 1, 2 * kVllmBlockSize, false, first, count).bytes;
  const uint64_t one = kv_cache(m, o, 1, kVllmBlockSize, false, first, count).bytes;
  return two > one ? two - one : 0;
}

}  // namespace

std::optional<uint32_t> vllm_release_from_text(const std::string& text) {
  if (text.empty() || text == "current") return 0u;
  // "major.minor[.patch]", anything after a further dot ignored ("0.21.1.dev3").
  size_t i = 0;
  auto number = [&](unsigned& out) {
    const size_t start = i;
    out = 0;
    while (i < text.size() && i - start < 3 && std::isdigit(static_cast<unsigned char>(text[i])))
      out = out * 10 + unsigned(text[i++] - '0');
    return i > start;
  };
  unsigned major = 0, minor = 0, patch = 0;
  if (!number(major) || i == text.size() || text[i++] != '.' || !number(minor)) return std::nullopt;
  if (i < text.size()) {
    if (text[i++] != '.' || !number(patch) || patch > 99) return std::nullopt;
    if (i < text.size() && text[i] != '.') return std::nullopt;
  }
  const uint32_t release = minor * 100 + patch;
  if (major != 0 || minor * 100 < kVllmOldest || minor * 100 > kVllmNewest) return std::nullopt;
  return release;
}

std::string vllm_release_text(uint32_t release) {
  const uint32_t r = effective(release);
  std::string text = "0.";
  text += std::to_string(r / 100);
  if (r % 100 != 0) text.append(".").append(std::to_string(r % 100));
  return text;
}

bool vllm_counts_cuda_graphs(uint32_t release) { return effective(release) >= kVllmCountsGraphs; }

VllmBatching vllm_default_batching(bool llm_class, uint64_t device_total, const std::string& device,
                                   uint64_t max_model_len, const uint64_t* given_tokens, const uint64_t* given_seqs) {
  std::string lower = device;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  // get_batch_defaults: H100-class GPUs (≥ 70 GiB, A100s excluded since PR #17885) get the large defaults.
  const bool a100 = lower.find("a100") != std::string::npos;
  const bool big = device_total >= 70 * kGiB && !a100;
  VllmBatching b;
  b.max_num_batched_tokens = given_tokens ? *given_tokens
                             : big        ? (llm_class ? 16384 : 8192)
                                          : (llm_class ? 8192 : 2048);
  b.max_num_seqs = given_seqs ? *given_seqs : big ? 1024 : 256;
  Text tokens_rule = txt("phrase.vllm.batch.tokens");
  if (!given_tokens) {
    // _set_default_max_num_seqs_and_batched_tokens_args: a default never exceeds max_num_seqs × max_model_len.
    const uint64_t most = saturating_mul(b.max_num_seqs, max_model_len);
    if (most < b.max_num_batched_tokens) {
      b.max_num_batched_tokens = most;
      tokens_rule = txt("phrase.vllm.batch.tokens_capped", {{"most", with_commas(most)}});
    }
  }
  if (!given_seqs) b.max_num_seqs = std::min(b.max_num_seqs, b.max_num_batched_tokens);
  const Text where = txt(device_total == 0 ? "phrase.vllm.where.no_gpu"
                         : big             ? "phrase.vllm.where.big"
                         : a100            ? "phrase.vllm.where.a100"
                                           : "phrase.vllm.where.small",
                         {{"device", device}});
  tokens_rule.args.emplace_back("tokens", with_commas(b.max_num_batched_tokens));
  const Text seqs_rule = txt("phrase.vllm.batch.seqs", {{"seqs", with_commas(b.max_num_seqs)}});
  Text what = given_tokens ? seqs_rule
              : given_seqs ? tokens_rule
                           : txt("phrase.vllm.batch.both", {{"tokens", tokens_rule}, {"seqs", seqs_rule}});
  b.rule = txt("assume.vllm_batching_default",
               {{"who", txt(llm_class ? "phrase.vllm.llm_class" : "phrase.vllm.serve")}, {"where", where}});
  if (given_tokens && given_seqs)
    b.rule.args.emplace_back("what", "");
  else
    b.rule.phrases.emplace_back("what", std::move(what));
  return b;
}

uint64_t vllm_requested_bytes(uint64_t total, double utilization) {
  return static_cast<uint64_t>(std::floor(static_cast<double>(total) * utilization));
}

VllmSampler vllm_sampler(const ModelSpec& m, const InferenceOptions& o, uint64_t vocab, uint64_t forward_peak,
                         bool formulas) {
  VllmSampler s;
  const uint64_t act = o.dtype_bits / 8;
  const uint64_t tokens = o.max_num_batched_tokens;
  const uint64_t rows = std::min(o.max_num_seqs, tokens);
  // The forward's output hidden states stay referenced (profile_run's `hidden_states`) while the sampler runs.
  const uint64_t hidden = mul({tokens, m.n_embd, act});
  // Per (row × vocab) element: compute_logits in the model dtype, Sampler.forward's logits.to(float32), and the
  // PyTorch-native top-k/top-p step (_dummy_sampler_run sets top_k and top_p; topk_topp_sampler.py
  // apply_top_k_top_p sorts the logits): torch.sort's fp32 values and int64 indices, its segmented radix
  // sort's second buffers for both, and the int64 positions it sorts along = 4 + 8 + 4 + 8 + 8 = 32 B, with
  // the fp32 logits 36 B beside the model dtype's. llm-d's gpt-oss-20b log on an H100 (7.38 GiB of peak
  // activation for 1,024 × 201,088 elements: 38.5 B each) agrees within 1%; it is the check of this count
  // and not among the measurement rows tested (docs/ESTIMATION.md).
  const uint64_t logits = mul({rows, vocab, add(act, kSamplerBytes)});
  const uint64_t phase = add(hidden, logits);
  s.bytes = phase > forward_peak ? phase - forward_peak : 0;
  if (!formulas) return s;
  s.formula = txt("formula.vllm.sampler", {{"rows", with_commas(rows)},
                                           {"max_num_seqs", with_commas(o.max_num_seqs)},
                                           {"tokens", with_commas(tokens)},
                                           {"vocab", with_commas(vocab)},
                                           {"act", std::to_string(act)},
                                           {"logits", with_commas(logits)},
                                           {"n_embd", std::to_string(m.n_embd)},
                                           {"hidden", with_commas(hidden)},
                                           {"phase", with_commas(phase)},
                                           {"forward_peak", with_commas(forward_peak)},
                                           {"bytes", with_commas(s.bytes)}});
  s.source = txt("source.vllm.sampler");
  return s;
}

uint64_t vllm_cuda_graph_bytes(const InferenceOptions& o) {
  return vllm_counts_cuda_graphs(o.runtime.vllm) ? kCudaGraphs : 0;
}

void vllm_overhead_parts(const InferenceOptions& o, bool formulas, std::vector<MemoryPart>& parts) {
  const std::string rel = "vLLM " + vllm_release_text(o.runtime.vllm);
  MemoryPart nt{"runtime_overhead", kNonTorch, {}, {}, {}, {}};
  MemoryPart cg{"cuda_graphs", vllm_cuda_graph_bytes(o), {}, {}, {}, {}};
  if (formulas) {
    nt = make_part(nt.id, nt.bytes, txt("formula.vllm.non_torch", {{"bytes", with_commas(kNonTorch)}}),
                   txt("source.vllm.non_torch"));
    cg = make_part(cg.id, cg.bytes,
                   cg.bytes != 0 ? txt("formula.vllm.cuda_graphs", {{"bytes", with_commas(cg.bytes)}})
                                 : txt("formula.vllm.cuda_graphs_outside", {{"release", rel}}),
                   txt("source.vllm.cuda_graphs"));
  }
  parts.push_back(std::move(nt));
  parts.push_back(std::move(cg));
}

VllmReport vllm_report(const ModelSpec& m, const InferenceOptions& o, const InferenceEstimate& need) {
  VllmReport r;
  r.release = effective(o.runtime.vllm);
  r.device = o.device;
  r.total = o.device_total;
  r.requested = vllm_requested_bytes(o.device_total, o.gpu_memory_utilization);
  r.cuda_context = o.runtime.cuda_context_bytes;
  r.graphs_outside = vllm_counts_cuda_graphs(r.release) ? 0 : kCudaGraphs;
  r.startable = o.device_total >= r.cuda_context && o.device_total - r.cuda_context >= r.requested;
  const std::string rel = "vLLM " + vllm_release_text(r.release);

  // One worker per pipeline stage (each GPU of a stage holds the same); the whole model without stages.
  struct Worker {
    const MemoryEstimate* e;
    uint64_t first, count, available, block;
  };
  std::vector<Worker> workers;
  if (need.stages.empty())
    workers.push_back({&need.gpu, 0, UINT64_MAX, 0, 0});
  else
    for (const auto& s : need.stages) workers.push_back({&s.gpu, s.layers.first, s.layers.count, 0, 0});
  uint64_t blocks = UINT64_MAX;
  size_t binding = 0;
  for (size_t k = 0; k < workers.size(); ++k) {
    Worker& w = workers[k];
    uint64_t kv = 0;
    for (const auto& p : w.e->parts)
      if (p.id == "kv_cache") kv = p.bytes;
    const uint64_t non_kv = w.e->total_bytes - kv;
    if (non_kv >= r.requested) r.fits = false;
    w.available = non_kv < r.requested ? r.requested - non_kv : 0;
    w.block = block_bytes(m, o, w.first, w.count);
    r.stage_available.push_back(w.available);
    const uint64_t b = w.block != 0 ? w.available / w.block : UINT64_MAX;
    if (b < blocks) blocks = b, binding = k;
  }
  const Worker& bw = workers[binding];
  r.kv_cache_bytes = bw.available;
  r.block_bytes = bw.block;
  for (const auto& p : bw.e->parts) r.terms.emplace_back(p.id, p.id == "kv_cache" ? bw.available : p.bytes);
  const bool attention = blocks != UINT64_MAX;  // some layer caches keys and values
  r.num_blocks = attention ? blocks : 0;
  r.kv_cache_tokens = mul(r.num_blocks, kVllmBlockSize);

  // A request of L tokens fits when every worker's cache of one sequence fits in the blocks it allocated.
  auto fits_one = [&](uint64_t len) {
    for (const auto& w : workers)
      if (kv_cache(m, o, 1, len, false, w.first, w.count).bytes > mul(r.num_blocks, w.block)) return false;
    return true;
  };
  // estimate_max_model_len: the largest --max-model-len whose one request fits (0 when the cache does not
  // bound it, as for a model of sliding windows and recurrent layers only).
  constexpr uint64_t kSearchLimit = uint64_t{1} << 40;
  if (attention && r.fits && fits_one(1)) {
    uint64_t lo = 1, hi = 2;
    while (hi < kSearchLimit && fits_one(hi)) lo = hi, hi *= 2;
    if (hi >= kSearchLimit) {
      r.max_model_len = 0;
    } else {
      while (hi - lo > 1) {
        const uint64_t mid = lo + (hi - lo) / 2;
        (fits_one(mid) ? lo : hi) = mid;
      }
      r.max_model_len = lo;
    }
  }
  // get_max_concurrency_for_kv_cache_config: the blocks allocated ÷ the blocks one request of L tokens takes.
  r.concurrency_len = o.context;
  double conc = attention ? 1e300 : 0;
  for (const auto& w : workers) {
    const uint64_t one = kv_cache(m, o, 1, o.context, false, w.first, w.count).bytes;
    if (one != 0) conc = std::min(conc, static_cast<double>(mul(r.num_blocks, w.block)) / static_cast<double>(one));
  }
  r.max_concurrency = conc >= 1e300 ? 0 : std::round(conc * 100) / 100;

  // ---- what the log would say, in assumptions ----
  r.notes.push_back({"vllm_budget", "/options/gpu_memory_utilization",
                     txt(r.graphs_outside == 0 ? "assume.vllm_budget" : "assume.vllm_budget.graphs_outside",
                         {{"rel", rel},
                          {"device", o.device},
                          {"total", gib(r.total)},
                          {"util", two_decimals(o.gpu_memory_utilization)},
                          {"requested", gib(r.requested)},
                          {"kv", gib(r.kv_cache_bytes)},
                          {"tokens", with_commas(r.kv_cache_tokens)},
                          {"context", gib(r.cuda_context)},
                          {"graphs", gib(r.graphs_outside)},
                          {"process", gib(add({r.requested, r.cuda_context, r.graphs_outside}))}})});
  if (!r.startable)
    r.notes.push_back({"vllm_not_startable", "/options/gpu_memory_utilization",
                       txt("assume.vllm_not_startable", {{"rel", rel},
                                                         {"total", gib(r.total)},
                                                         {"context", gib(r.cuda_context)},
                                                         {"requested", gib(r.requested)}})});
  if (!r.fits)
    r.notes.push_back(
        {"vllm_no_cache_memory", "/options/gpu",
         txt("assume.vllm_no_cache_memory", {{"rel", rel}, {"device", o.device}, {"requested", gib(r.requested)}})});
  else if (attention && r.max_model_len != 0 && o.context > r.max_model_len)
    r.notes.push_back({"vllm_max_model_len", "/options/context",
                       txt("assume.vllm_max_model_len", {{"rel", rel},
                                                         {"context", with_commas(o.context)},
                                                         {"device", o.device},
                                                         {"kv", gib(r.kv_cache_bytes)},
                                                         {"max", with_commas(r.max_model_len)}})});
  else if (attention && static_cast<double>(mul(o.batch, o.beams)) > r.max_concurrency)
    r.notes.push_back({"vllm_concurrency", "/options/batch",
                       txt("assume.vllm_concurrency", {{"concurrency", two_decimals(r.max_concurrency)},
                                                       {"context", with_commas(o.context)},
                                                       {"rel", rel},
                                                       {"sequences", with_commas(mul(o.batch, o.beams))}})});
  if (!workers.empty() && m.attn_layout != AttnLayout::mla) {
    bool mixed = false;
    for (const auto& run : m.layers)
      if (run.spec.mixer != MixerKind::attention || run.spec.attn == AttnKind::sliding) mixed = true;
    if (mixed) r.notes.push_back({"vllm_kv_groups", "/options/context", txt("assume.vllm_kv_groups")});
  }
  return r;
}

void vllm_fill(InferenceEstimate& e, const VllmReport& r) {
  const std::string rel = "vLLM " + vllm_release_text(r.release);
  auto fill = [&](MemoryEstimate& g, uint64_t available) {
    g.total_bytes = 0;
    for (auto& p : g.parts) {
      if (p.id == "weights" && !p.source.empty()) {
        Formula src = p.source_text;
        src += txt("source.vllm.weights_loaded");
        p = make_part(p.id, p.bytes, p.formula_text, src.text());
      }
      if (p.id == "kv_cache") {
        const Text own =
            p.formula_text.empty() ? txt("formula.none") : txt("formula.paren", {{"inner", p.formula_text}});
        Text f;
        if (available >= p.bytes) {
          f = txt("formula.vllm.kv_remainder", {{"release", rel},
                                                {"requested", with_commas(r.requested)},
                                                {"available", with_commas(available)},
                                                {"blocks", with_commas(r.num_blocks)},
                                                {"block_bytes", with_commas(r.block_bytes)},
                                                {"tokens", with_commas(r.kv_cache_tokens)},
                                                {"used", with_commas(p.bytes)},
                                                {"own", own}});
          p.bytes = available;
        } else {
          f = txt(
              "formula.vllm.kv_short",
              {{"need", with_commas(p.bytes)}, {"own", own}, {"available", with_commas(available)}, {"release", rel}});
        }
        p = make_part(p.id, p.bytes, f, txt("source.vllm.kv_cache"));
      }
      g.total_bytes = add(g.total_bytes, p.bytes);
    }
  };
  if (e.stages.empty()) {
    fill(e.gpu, r.stage_available.empty() ? 0 : r.stage_available[0]);
    return;
  }
  e.most_loaded_stage = 0;
  for (size_t k = 0; k < e.stages.size(); ++k) {
    fill(e.stages[k].gpu, k < r.stage_available.size() ? r.stage_available[k] : 0);
    if (e.stages[k].gpu.total_bytes > e.stages[e.most_loaded_stage].gpu.total_bytes) e.most_loaded_stage = k;
  }
  e.gpu = e.stages[e.most_loaded_stage].gpu;
}

}  // namespace gpumem
