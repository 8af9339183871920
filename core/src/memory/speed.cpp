// The speed model (speed.hpp): a roofline per device over the request's work, with the engines' achieved
// fractions of peak as data (kEfficiency). docs/ESTIMATION.md ("Speed") has the formulas, their sources and a
// worked example; scripts/fit-speed.mjs reproduces the fitted constants from tests/fixtures/speed/.
#include "gpumem/memory/speed.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "gpumem/base/error.hpp"
#include "gpumem/base/format.hpp"
#include "gpumem/memory/quant.hpp"

namespace gpumem {

namespace {

// ---- the efficiencies -------------------------------------------------------------------------------------
//
// llama.cpp rows: FITTED by scripts/fit-speed.mjs on the `calibration: true` rows of tests/fixtures/speed/
// benchmarks.json, less the held-out ones named in tests/fixtures/speed/calibration.json (7 GPUs' rows and 4 ROCm and
// Vulkan rows), by Nelder–Mead on the sum of (ln estimated/measured tokens/s)², decode and prefill separately, per
// backend; the range is the 10th and 90th percentile of measured ÷ estimated over the backend's calibration rows.
// The rows were measured with llama.cpp builds of September 2023 to February 2026, most of them
// (XiongjieDai/GPU-Benchmarks-on-LLM-Inference) with builds 2795–2843 of May 2024 and flash attention off. CUDA then
// ran batch-1 steps through mmvq (quantized weights × q8_1 activations, ggml-cuda/mmvq.cu) and
// dequantize_mul_mat_vec (F16, dmmv.cu), a kernel launch per operation (CUDA graphs, PR #6766, were new), and
// prompts through cuBLAS GEMMs with FP16 accumulation (ggml-cuda.cu ggml_cuda_op_mul_mat_cublas,
// CUBLAS_COMPUTE_16F) on weights dequantized to F16 first; so the matrix peak is the FP16-accumulate tensor rate and
// quantized prompts pay a dequantization pass (`dequant` bytes of traffic per weight and physical batch). What the
// constants say about those builds:
//   - batch-1 decode reads weights at 0.96 of GDDR bandwidth but 0.63 of HBM (A100, H100 PCIe: the matrix-vector
//     kernels keep too few bytes in flight per SM to cover HBM's latency), plus about 100 µs per layer and step of
//     launches and small kernels — which is why an H100 reaches a smaller share of its bandwidth on an 8B model
//     than an RTX 4090;
//   - attention without flash attention reads the KV cache at about half the bandwidth;
//   - `alu`: the batch-1 kernels' arithmetic per weight against the FP32 peak binds only where FP32 is low for the
//     bandwidth (A100's 19.5 TFLOPS against 2 TB/s for F16; Apple's GPUs, where Metal's dequantization binds the
//     quantized formats and M1-class chips reach 40 % of their bandwidth on Q4_K_M);
//   - prompts reach 0.77 (F16) and 0.92 (quantized, after the dequantization pass) of the FP16-accumulate peak on
//     GeForce cards, × 0.69 on workstation and datacenter cards (`pro`: their datasheet peaks assume boost clocks
//     that 300–350 W cards do not hold under tensor load: RTX 6000 Ada and L40S, the same AD102 as the RTX 4090 with
//     more SMs, prefill slower than it); attention FLOPs at 0.08 (no flash attention); about 0.9 ms per layer and
//     physical batch of fixed cost in the May 2024 builds.
// Metal runs its matrix kernels at the FP32 rate (FP16 = FP32 on Apple GPUs) and dequantizes inside them
// (kernel_mul_mm): no dequantization traffic. ROCm's and Vulkan's rows come from 2025–26 builds (MMQ on RDNA 3,
// Vulkan mul_mm shaders) with a handful of rows each: only their bandwidth (ROCm) or per-layer cost (Vulkan) and their
// quantized matrix fraction are fitted, with no per-batch fixed cost or dequantization pass; the rest is CUDA's.
// Newer CUDA builds (MMQ with int8 tensor cores, PR #7676 and #8075; CUDA graphs by default; flash attention on by
// default in 2025) run prompts faster than these constants say.
//
// vLLM and transformers rows: PRIORS, not fitted (the fixtures have no single-GPU vLLM or transformers rows that
// state GPU, release, precision, lengths and concurrency together; tests/fixtures/speed/PROVENANCE.md), marked
// calibrated = false with a wider range:
//   vLLM (v0.6–0.11, CUDA graphs for decode, FlashAttention-2/FlashInfer, cuBLAS/CUTLASS GEMMs): weight reads at
//   0.80 of GDDR and 0.70 of HBM peak bandwidth (llama.cpp's fitted HBM fraction, 0.63, with better kernels), 20 µs
//   per layer and step (a CUDA graph replay removes the launches, not the ten or so small kernels each layer still
//   runs for a few µs each), matrix FLOPs at 0.65 of the dense peak (cuBLAS BF16 GEMMs of a few thousand tokens),
//   attention at 0.5 (FlashAttention-2 reaches 50–73 % of A100's peak in the forward, Dao 2023, arXiv 2307.08691).
//   transformers (generate, sdpa, no static cache or torch.compile): 250 µs per layer and step (PyTorch eager:
//   about 25 kernels per decoder layer at about 10 µs of Python and dispatch each), weight reads at 0.7 / 0.6,
//   matrix FLOPs at 0.6 (bitsandbytes and GPTQ kernels: 0.3), attention at 0.4.
// clang-format off
const Efficiency kEfficiency[] = {
    // engine, backend, calibrated,
    //   bw, bw_hbm, kv, layer_s, alu{unquantized, quantized},
    //   mm{unquantized, quantized}, attn, dequant, ubatch_layer_s, pro,
    //   decode_lo, decode_hi, prefill_lo, prefill_hi
    // scripts/fit-speed.mjs's output, pasted as printed. Median and largest |error| of tokens/s (the script's
    // table; tests/test_speed.cpp recomputes them with the core):
    //   decode   68 rows 3.0 % / 14.2 %    held out 31 rows 6.3 % / 22.7 %
    //   prefill  73 rows 8.1 % / 41.8 %    held out 29 rows 12.5 % / 39.8 %
    {Engine::llamacpp, Backend::cuda, true,
     0.957, 0.627, 0.532, 104e-6, {43.4, 9.15},
     {0.774, 0.918}, 0.081, 4.53, 905e-6, 0.692,
     0.922, 1.07, 0.825, 1.22},
    {Engine::llamacpp, Backend::metal, true,
     0.847, 0.847, 0.0612, 115e-6, {71.3, 29.7},
     {0.681, 0.545}, 0.274, 0, 0, 1,
     0.942, 1.22, 0.878, 1.18},
    {Engine::llamacpp, Backend::rocm, true,
     0.787, 0.787, 0.532, 104e-6, {43.4, 9.15},
     {0.774, 0.438}, 0.081, 0, 0, 0.692,
     0.93, 1.09, 0.853, 1.23},
    {Engine::llamacpp, Backend::vulkan, true,
     0.957, 0.957, 0.532, 29.8e-6, {43.4, 9.15},
     {0.774, 0.454}, 0.081, 0, 0, 0.692,
     0.93, 1.09, 0.853, 1.23},
    // Priors (above): not fitted.
    {Engine::vllm, Backend::cuda, false,
     0.80, 0.70, 0.7, 20e-6, {0, 0},
     {0.65, 0.5}, 0.5, 0, 20e-6, 1,
     0.6, 1.4, 0.6, 1.4},
    {Engine::hf, Backend::cuda, false,
     0.7, 0.6, 0.4, 250e-6, {0, 0},
     {0.6, 0.3}, 0.4, 0, 250e-6, 1,
     0.4, 1.6, 0.5, 1.5},
};
// clang-format on

// Priors shared by every engine (not fitted; docs/ESTIMATION.md "Speed"): the CPU reads offloaded layers at 0.6
// of the system memory's peak (llama.cpp's CPU decode is bandwidth-bound, about 60 % of STREAM-class bandwidth on
// desktop DDR5); pinned host-to-device copies reach 0.8 of the PCIe link; one NCCL all-reduce of a few kilobytes
// costs about 10 µs over NVLink and 20 µs over PCIe (nccl-tests' small-message latency).
constexpr double kCpuEff = 0.6;
constexpr double kPcieEff = 0.8;
constexpr double kNvlinkLatency = 10e-6, kPcieLatency = 20e-6;

int format_class(const QuantSpec& q) { return q.method == QuantMethod::none ? 0 : 1; }

// Three significant digits as the English output writes them: 1,234 / 56.7 / 0.00123.
std::string sig(double x) {
  if (!(x == x) || std::isinf(x)) return "0";
  if (std::fabs(x) >= 999.5) return with_commas(static_cast<uint64_t>(std::llround(std::fabs(x))));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}
std::string ms(double s) { return sig(s * 1e3) + " ms"; }

bool hbm(const Gpu& g) { return std::strstr(g.hw.memory_type, "HBM") != nullptr; }
bool pro_card(const Gpu& g) { return g.kind == "workstation" || g.kind == "datacenter"; }

// The matrix peak an engine's GEMMs run at on `g` (TFLOPS) and its name as a phrase.
struct Peak {
  double tflops = 0;
  const char* phrase = "phrase.peak.fp32";
};
Peak matrix_peak(const Gpu& g, const InferenceOptions& o, Backend b) {
  const GpuHardware& h = g.hw;
  auto first = [](std::initializer_list<Peak> ps) {
    for (const Peak& p : ps)
      if (p.tflops > 0) return p;
    return Peak{};
  };
  if (o.engine == Engine::llamacpp) {
    if (b == Backend::metal) return {h.fp32_tflops, "phrase.peak.fp32"};
    if (b == Backend::cuda)
      return first({{h.fp16_fp16acc_tflops, "phrase.peak.fp16acc"},
                    {h.fp16_tflops, "phrase.peak.fp16"},
                    {h.fp32_tflops, "phrase.peak.fp32"}});
    return first({{h.fp16_tflops, "phrase.peak.fp16"}, {h.fp32_tflops, "phrase.peak.fp32"}});
  }
  const Peak p16 = o.dtype == "bf16" ? first({{h.bf16_tflops, "phrase.peak.bf16"}, {h.fp16_tflops, "phrase.peak.fp16"}})
                                     : Peak{h.fp16_tflops, "phrase.peak.fp16"};
  if (o.dtype == "fp32" && o.quant.method == QuantMethod::none) return {h.fp32_tflops, "phrase.peak.fp32"};
  if (o.quant.method == QuantMethod::fp8) return first({{h.fp8_tflops, "phrase.peak.fp8"}, p16});
  if (o.quant.method == QuantMethod::nvfp4 || o.quant.method == QuantMethod::mxfp4)
    return first({{h.fp4_tflops, "phrase.peak.fp4"}, p16});
  if (p16.tflops > 0) return p16;
  return {h.fp32_tflops * (h.fp16_equals_fp32 ? 1 : 0), "phrase.peak.fp32"};
}

// GB/s per direction between two GPUs of the request: NVLink / Infinity Fabric (half the bidirectional figure) when
// the card has it for this many GPUs, else PCIe through the host.
struct Link {
  double gb_s = 0;
  double latency = kPcieLatency;
  bool nvlink = false;
};
Link gpu_link(const Gpu& g, uint64_t gpus) {
  const GpuHardware& h = g.hw;
  const bool two_only = std::strstr(h.gpu_link, "2-way") != nullptr || std::strstr(h.gpu_link, "2 GPUs") != nullptr;
  if (h.gpu_link_gb_s > 0 && !(two_only && gpus > 2)) return {h.gpu_link_gb_s / 2, kNvlinkLatency, true};
  return {pcie_gb_s(h.pcie_gen, h.pcie_lanes), kPcieLatency, false};
}

// Σ over the prompt's positions p = depth + 1 … depth + n of the context a query attends to, min(p, window):
// the attention FLOPs of one layer are its width × this (causal; flash and sdpa skip the masked half).
double causal_sum(uint64_t depth, uint64_t n, uint64_t window) {
  auto upto = [&](double x) {  // Σ_{p=1}^{x} min(p, w)
    if (window == 0 || x <= static_cast<double>(window)) return x * (x + 1) / 2;
    const double w = static_cast<double>(window);
    return w * (w + 1) / 2 + (x - w) * w;
  };
  return upto(static_cast<double>(depth + n)) - upto(static_cast<double>(depth));
}

double ceil_chunks(double a, double b) { return std::ceil(a / b); }

}  // namespace

const char* backend_id(Backend b) {
  switch (b) {
    case Backend::cuda:
      return "cuda";
    case Backend::rocm:
      return "rocm";
    case Backend::metal:
      return "metal";
    case Backend::vulkan:
      return "vulkan";
  }
  return "cuda";
}

bool gpus_linked(const Gpu& g, uint64_t gpus) { return gpus <= 1 || gpu_link(g, gpus).gb_s > 0; }

Backend default_backend(const Gpu& g) {
  if (g.vendor == "AMD") return Backend::rocm;
  if (g.vendor == "Apple") return Backend::metal;
  if (g.vendor == "Intel") return Backend::vulkan;
  return Backend::cuda;
}

const Efficiency& efficiency(Engine e, Backend b) {
  // vLLM and transformers: one prior row each, whatever the backend (speed.hpp).
  if (e != Engine::llamacpp) b = Backend::cuda;
  for (const Efficiency& x : kEfficiency)
    if (x.engine == e && x.backend == b) return x;
  return kEfficiency[0];
}

SpeedPlan::SpeedPlan(const ModelSpec& m, const InferenceOptions& o, const QuantizedWeights& w, const SpeedOptions& s)
    : m_(m), o_(o), s_(s) {
  if (m.n_layer_enc != 0)
    throw Error(code::unsupported, "/config", txt("error.speed.encoder", {{"model_type", m.model_type}}));
  const WeightLayout layout = weight_layout(m);
  layers_.resize(m.n_layer);
  for (const auto& lm : layout.layers) {
    double dense = 0, expert = 0, active = 0;
    for (const Matrix& x : lm.matrices) {
      const double p = static_cast<double>(x.in) * static_cast<double>(x.out);
      const bool routed = x.kind == MatrixKind::exp_gate_up || x.kind == MatrixKind::exp_down;
      if (routed) {
        expert += p * static_cast<double>(x.copies);
        active += p * static_cast<double>(std::min<uint64_t>(x.copies, std::max<uint64_t>(1, m.n_expert_used)));
      } else {
        dense += p * static_cast<double>(x.copies);
        active += p * static_cast<double>(x.copies);
      }
    }
    const LayerSpec& l = lm.run.spec;
    for (uint64_t il = lm.run.from; il <= lm.run.to && il < m.n_layer; ++il) {
      Layer& L = layers_[il];
      L.dense_params = dense;
      L.expert_params = expert;
      L.active_params = active;
      L.attention = l.mixer == MixerKind::attention;
      if (L.attention) {
        // QKᵀ (2 · d_k) and PV (2 · d_v) per head, query and context token (MLA: the expanded heads).
        L.attn_width = 2.0 * static_cast<double>(m.n_head) * static_cast<double>(m.n_embd_head_k + m.n_embd_head_v);
        L.window = l.attn == AttnKind::sliding ? l.window : 0;
      }
    }
  }
  for (uint64_t il = 0; il < m.n_layer; ++il) {
    const double all = il < w.layer_bytes.size() ? static_cast<double>(w.layer_bytes[il]) : 0;
    const double ex = il < w.layer_expert_bytes.size() ? static_cast<double>(w.layer_expert_bytes[il]) : 0;
    layers_[il].expert_bytes = ex;
    layers_[il].dense_bytes = all - ex;
  }
  // The output head: the untied lm_head (in outside_bytes) or, tied, the token embedding read as the output
  // matrix; an untied token embedding is a row lookup per token, not read in full.
  out_bytes_ = static_cast<double>(w.outside_bytes);
  if (m.tied_embeddings && m.has_lm_head) out_bytes_ += static_cast<double>(w.embd_bytes);
  out_params_ = m.tied_embeddings && m.has_lm_head ? static_cast<double>(layout.embd_rows * layout.embd_cols)
                                                   : static_cast<double>(layout.lm_head);
  n_expert_ = m.n_expert;
  if (m.n_expert != 0) expert_share_ = static_cast<double>(m.n_expert_used) / static_cast<double>(m.n_expert);
  format_class_ = format_class(o.quant);
  quantized_ = o.quant.method != QuantMethod::none;

  // Pipeline stages (vLLM, transformers and llama.cpp's layer split over pp devices); one stage otherwise.
  stages_ = o.pp > 1 ? pipeline_stages(m.n_layer, o.pp, o.engine) : std::vector<StageLayers>{{0, m.n_layer}};
  if (o.engine == Engine::llamacpp && o.pp <= 1)
    cpu_layers_ = s.gpu_layers >= m.n_layer + 1 ? 0 : std::min<uint64_t>(m.n_layer, m.n_layer + 1 - s.gpu_layers);
  // Offloaded layers of transformers and vLLM (the last offload_layers) are copied to the GPU every forward.
  const bool llama = o.engine == Engine::llamacpp;
  streamed_from_ = !llama && o.offload_layers > 0 ? m.n_layer - std::min(o.offload_layers, m.n_layer) : m.n_layer;
  n_cpu_moe_ = llama ? std::min(o.llamacpp.n_cpu_moe, m.n_layer) : 0;
  auto add_layer = [&](Sum& x, uint64_t il) {
    const Layer& L = layers_[il];
    if (il >= streamed_from_) {
      x.streamed_dense += L.dense_bytes, x.streamed_expert += L.expert_bytes;
    } else {
      x.dense += L.dense_bytes;
      (il < n_cpu_moe_ ? x.cpu_expert : x.expert) += L.expert_bytes;
    }
    x.dense_params += L.dense_params, x.expert_params += L.expert_params, x.active_params += L.active_params;
    x.layers += 1;
    if (!L.attention) return;
    for (auto& [window, width] : x.attn)
      if (window == L.window) return void(width += L.attn_width);
    x.attn.emplace_back(L.window, L.attn_width);
  };
  for (const StageLayers& st : stages_) {
    Sum x;
    for (uint64_t il = std::max(st.first, cpu_layers_); il < st.first + st.count; ++il) add_layer(x, il);
    sums_.push_back(std::move(x));
  }
  for (uint64_t il = 0; il < cpu_layers_; ++il) add_layer(cpu_sum_, il);

  // Decode contexts: every step when the output is short, else 33 points for the trapezoid rule (the KV read is
  // piecewise linear in the context, so the average is exact to well under 0.1 %).
  const uint64_t start = s.depth + s.prompt, n = std::max<uint64_t>(1, s.output);
  const uint64_t k = std::min<uint64_t>(n, 33);
  for (uint64_t i = 0; i < k; ++i) points_.push_back(start + 1 + (k == 1 ? 0 : (n - 1) * i / (k - 1)));
  // KV bytes of one sequence per point, per stage (and the CPU's leading layers as an extra last entry): what the
  // attention reads, the sequence's own tokens (sliding layers capped at their window, MLA's latent, the cache
  // dtype's blocks), as vLLM's paged layout holds them — not llama.cpp's cache size, whose cells are padded to 256
  // and shared by every sequence.
  InferenceOptions kv_o = o;
  if (kv_o.engine == Engine::llamacpp) kv_o.engine = Engine::vllm;
  for (uint64_t c : points_) {
    std::vector<double> row;
    for (const StageLayers& st : stages_) {
      const uint64_t first = std::max(st.first, cpu_layers_);
      const uint64_t end = st.first + st.count;
      row.push_back(end > first ? static_cast<double>(kv_cache(m, kv_o, 1, c, false, first, end - first).bytes) : 0);
    }
    row.push_back(cpu_layers_ != 0 ? static_cast<double>(kv_cache(m, kv_o, 1, c, false, 0, cpu_layers_).bytes) : 0);
    kv_.push_back(std::move(row));
  }
}

namespace {

// One phase's time split by what limits it.
struct Parts {
  double memory = 0, kv = 0, compute = 0, comm = 0, cpu = 0, overhead = 0, dequant = 0;
  double bytes = 0, kv_bytes = 0, flops = 0, attn_flops = 0, alu_ops = 0, alu_params = 0, comm_bytes = 0, cpu_bytes = 0;
  double mm_s = 0, attn_s = 0, alu_s = 0;
  double total = 0;
  const char* bound() const {
    const double mem = memory + kv + dequant;
    if (cpu >= mem && cpu >= compute && cpu >= comm && cpu > 0) return "cpu";
    if (comm >= mem && comm >= compute && comm > 0) return "interconnect";
    return compute > mem ? "compute" : "memory";
  }
};

}  // namespace

SpeedEstimate SpeedPlan::estimate(const Gpu& g, uint64_t gpus, uint64_t batch, bool formulas) const {
  return estimate(g, gpus, batch, formulas, s_.backend);
}

SpeedEstimate SpeedPlan::estimate(const Gpu& g, uint64_t gpus, uint64_t batch, bool formulas, Backend backend) const {
  SpeedEstimate r;
  const GpuHardware& h = g.hw;
  if (!(h.bandwidth_gb_s > 0))
    throw Error(code::unsupported, "/options/gpu", txt("error.speed.no_bandwidth", {{"gpu", g.name}}));
  const Efficiency& e = efficiency(o_.engine, backend);
  r.eff = &e;
  r.bandwidth_gb_s = h.bandwidth_gb_s;
  r.fp32_tflops = h.fp32_tflops;
  r.hbm = hbm(g);
  r.pro = pro_card(g);
  const double bw = h.bandwidth_gb_s * 1e9;
  const double e_bw = hbm(g) ? e.bw_hbm : e.bw;
  const Peak peak = matrix_peak(g, o_, backend);
  r.matrix_tflops = peak.tflops;
  if (formulas) r.matrix_peak = txt(peak.phrase);
  const double pmat = peak.tflops * 1e12;
  const double f32 = h.fp32_tflops * 1e12;
  const double pro = pro_card(g) ? e.pro : 1.0;
  const double e_mm = (quantized_ ? e.mm[1] : e.mm[0]) * pro;
  const double alu_k = o_.engine == Engine::llamacpp ? e.alu[format_class_] : 0;
  const uint64_t tp = std::max<uint64_t>(1, o_.tp);
  const double tpd = static_cast<double>(tp);
  const Link link = gpu_link(g, gpus);
  if (!gpus_linked(g, gpus))
    throw Error(code::unsupported, "/options/gpus", txt("error.speed.no_link", {{"gpu", g.name}}));
  const double n_embd = static_cast<double>(m_.n_embd);
  const double act = 2;  // bytes per activation value crossing devices (fp16/bf16)
  const double cpu_bw = s_.cpu_bandwidth_gb_s * 1e9 * kCpuEff;
  const double pcie = pcie_gb_s(h.pcie_gen, h.pcie_lanes) * 1e9 * kPcieEff;
  const bool llama = o_.engine == Engine::llamacpp;
  const double B = static_cast<double>(batch);
  auto allreduce = [&](double bytes) {  // ring all-reduce over tp GPUs
    return link.latency + 2.0 * (tpd - 1) / tpd * bytes / (link.gb_s * 1e9);
  };
  auto frac = [&](double tokens) {  // expected share of a layer's routed experts a batch of tokens touches
    if (n_expert_ == 0) return 0.0;
    return 1.0 - std::pow(1.0 - expert_share_, tokens);
  };
  // The output head (and final norms) is on the last stage and on the GPU unless -ngl left it on the CPU.
  const bool out_on_cpu = llama && s_.gpu_layers <= m_.n_layer;
  const uint64_t streamed_from = streamed_from_, n_cpu_moe = n_cpu_moe_;

  // ---- decode: one step of `batch` sequences at point p ----
  // One step of `b` sequences at point p (fr: the share of routed experts they touch), added to t with weight k
  // (the trapezoid's): accumulating in place keeps the 121-GPU table free of a Parts per point.
  auto decode_at = [&](size_t p, double b, double fr, double k, Parts& t) {
    const double c = static_cast<double>(points_[p]);
    for (size_t si = 0; si < stages_.size(); ++si) {
      const Sum& x = sums_[si];
      double w = x.dense + x.expert * fr, alu = x.dense_params + x.expert_params * fr;
      double fl = 2 * b * x.active_params;
      for (const auto& [window, width] : x.attn)
        fl += b * width * (window != 0 ? std::min(c, static_cast<double>(window)) : c);
      const double layers = x.layers, streamed = x.streamed_dense + x.streamed_expert * fr, cpu = x.cpu_expert * fr;
      const bool last = si + 1 == stages_.size();
      if (last && !out_on_cpu) w += out_bytes_, fl += 2 * b * out_params_;
      w /= tpd, alu /= tpd, fl /= tpd;
      const double kv = b * kv_[p][si];
      const double t_mem = w / (bw * e_bw), t_kv = kv / (bw * e.kv);
      const double t_alu = f32 > 0 ? alu_k * alu / f32 : 0;
      const double t_mm = pmat > 0 ? fl / (pmat * e_mm) : 0;
      const double t_comm = tp > 1 ? layers * 2 * allreduce(b * n_embd * act) : 0;
      t.memory += k * t_mem, t.kv += k * t_kv, t.alu_s += k * t_alu, t.mm_s += k * t_mm, t.comm += k * t_comm;
      t.compute += k * (t_alu + t_mm);
      t.overhead += k * layers * e.layer_s;
      t.bytes += k * w, t.kv_bytes += k * kv, t.flops += k * fl, t.alu_ops += k * alu_k * alu;
      t.alu_params += k * alu;
      t.total += k * (std::max(t_mem + t_kv, t_alu + t_mm) + t_comm + layers * e.layer_s);
      if (streamed > 0) {  // accelerate / vLLM CPU offload: weights copied over PCIe each step
        const double ts = streamed / pcie;
        t.comm += k * ts, t.total += k * ts, t.comm_bytes += k * streamed;
      }
      if (cpu > 0) {  // --n-cpu-moe: these layers' routed experts run on the CPU
        const double tc = cpu / cpu_bw;
        t.cpu += k * tc, t.total += k * tc, t.cpu_bytes += k * cpu;
      }
      if (si != 0) {  // hand the activations to the next stage
        const double th = link.latency + b * n_embd * act / (link.gb_s * 1e9);
        t.comm += k * th, t.total += k * th;
      }
    }
    if (cpu_layers_ != 0 || out_on_cpu) {  // llama.cpp -ngl: the leading layers (and the output) on the CPU
      double cb = (out_on_cpu ? out_bytes_ : 0) + cpu_sum_.dense + cpu_sum_.expert * fr;
      cb += b * kv_[p].back();
      const double tc = cb / cpu_bw;
      t.cpu += k * tc, t.total += k * tc, t.cpu_bytes += k * cb;
    }
  };

  // Average over the output's steps: trapezoid weights over the sampled contexts.
  const size_t n = points_.size();
  // Every step sampled: each weighs the same; else the trapezoid rule between the sampled contexts.
  const bool every = n == std::max<uint64_t>(1, s_.output);
  auto span = [&](size_t i, size_t j) { return static_cast<double>(points_[j] - points_[i]); };
  const double wsum = every || n == 1 ? static_cast<double>(n) : span(0, n - 1);
  const double fr_batch = frac(B);
  Parts d;
  for (size_t i = 0; i < n; ++i) {
    const double wt = every || n == 1 ? 1.0 : ((i > 0 ? span(i - 1, i) : 0) + (i + 1 < n ? span(i, i + 1) : 0)) / 2;
    const double k = wt / wsum;
    if (formulas) {  // each point's work, for the answer's "work" (what scripts/fit-speed.mjs fits on)
      Parts t;
      decode_at(i, B, fr_batch, 1, t);
      r.work.points.push_back({points_[i], k, t.kv_bytes, t.flops});
      if (i == 0) r.work.decode_weight_bytes = t.bytes, r.work.decode_alu_params = t.alu_params;
    }
    decode_at(i, B, fr_batch, k, d);
  }
  r.decode_s_per_token = d.total;
  r.decode_tokens_per_s = 1 / d.total;
  r.decode_aggregate_tokens_per_s = B / d.total;
  r.decode_bound = d.bound();
  r.decode_weight_bytes = d.bytes;
  r.decode_kv_bytes = d.kv_bytes;
  r.decode_flops = d.flops;
  // The knee: the smallest batch whose step is compute-bound at the middle context (with the formulas only: a
  // table over the catalogue or the batch curve does not need it).
  if (formulas) {
    const size_t mid = n / 2;
    auto compute_binds = [&](double b) {
      Parts t;
      decode_at(mid, b, frac(b), 1, t);
      return t.compute >= t.memory + t.kv;
    };
    if (pmat > 0 || f32 > 0) {
      if (compute_binds(1)) {
        r.knee_batch = 1;
      } else if (compute_binds(65536)) {
        uint64_t lo = 1, hi = 65536;  // lo: memory binds, hi: compute binds
        while (hi - lo > 1) {
          const uint64_t mid_b = lo + (hi - lo) / 2;
          (compute_binds(static_cast<double>(mid_b)) ? hi : lo) = mid_b;
        }
        r.knee_batch = hi;
      }
    }
  }

  // ---- prefill: batch × prompt tokens in physical batches of U ----
  Parts pf;
  const double tokens = B * static_cast<double>(s_.prompt);
  double u = tokens;  // transformers: one forward over every prompt
  if (llama) u = static_cast<double>(std::min(o_.llamacpp.n_ubatch, o_.llamacpp.n_batch));
  if (o_.engine == Engine::vllm) u = static_cast<double>(o_.max_num_batched_tokens);
  u = std::max(1.0, std::min(u, tokens));
  const double chunks = ceil_chunks(tokens, u);
  r.prefill_known = pmat > 0;
  {
    const double fr = frac(u);
    const bool eager = o_.engine == Engine::hf && o_.eager_attention;
    for (size_t si = 0; si < stages_.size(); ++si) {
      const Sum& x = sums_[si];
      double w = x.dense + x.expert * fr, qp = x.dense_params + x.expert_params * fr;
      double mm = 2 * tokens * x.active_params, at = 0;
      for (const auto& [window, width] : x.attn) {
        const double ctx = eager ? static_cast<double>(s_.prompt) * static_cast<double>(s_.depth + s_.prompt)
                                 : causal_sum(s_.depth, s_.prompt, window);
        at += B * width * ctx;
      }
      const double layers = x.layers, streamed = x.streamed_dense + x.streamed_expert * fr, cpu = x.cpu_expert * fr;
      const bool last = si + 1 == stages_.size();
      if (last && !out_on_cpu) w += out_bytes_, mm += 2 * B * out_params_;  // logits of each sequence's last token
      w /= tpd, qp /= tpd, mm /= tpd, at /= tpd;
      const double t_mm = pmat > 0 ? mm / (pmat * e_mm) : 0;
      const double t_at = pmat > 0 ? at / (pmat * e.attn) : 0;
      const double t_w = chunks * w / (bw * e_bw);
      const double t_dq = quantized_ && llama ? chunks * e.dequant * qp / bw : 0;
      const double t_comm = tp > 1 ? chunks * layers * 2 * allreduce(u * n_embd * act) : 0;
      pf.mm_s += t_mm, pf.attn_s += t_at, pf.compute += t_mm + t_at;
      pf.memory += t_w, pf.dequant += t_dq, pf.comm += t_comm;
      pf.overhead += chunks * layers * e.ubatch_layer_s;
      pf.flops += mm, pf.attn_flops += at, pf.bytes += chunks * w;
      r.work.prefill_weight_bytes += w, r.work.prefill_quant_params += qp, r.work.layers += layers;
      pf.total += std::max(t_mm + t_at, t_w) + t_dq + t_comm + chunks * layers * e.ubatch_layer_s;
      if (streamed > 0) {
        const double ts = chunks * streamed / pcie;
        pf.comm += ts, pf.total += ts, pf.comm_bytes += chunks * streamed;
      }
      if (cpu > 0) {
        const double tc = chunks * cpu / cpu_bw;
        pf.cpu += tc, pf.total += tc, pf.cpu_bytes += chunks * cpu;
      }
      if (si != 0) {
        const double th = chunks * link.latency + tokens * n_embd * act / (link.gb_s * 1e9);
        pf.comm += th, pf.total += th;
      }
    }
    if (cpu_layers_ != 0 || out_on_cpu) {
      // llama.cpp copies CPU-resident weights to the GPU for a batch of 32 tokens or more (op offload,
      // ggml-backend.cpp); without a PCIe link (Apple) the CPU computes them at its memory bandwidth.
      const double cb = (out_on_cpu ? out_bytes_ : 0) + cpu_sum_.dense + cpu_sum_.expert * fr;
      const double tc = chunks * cb / (pcie > 0 ? pcie : cpu_bw);
      (pcie > 0 ? pf.comm : pf.cpu) += tc;
      pf.total += tc, pf.cpu_bytes += chunks * cb;
    }
  }
  r.work.chunks = chunks;
  r.work.prefill_matmul_flops = pf.flops;
  r.work.prefill_attention_flops = pf.attn_flops;
  r.prefill_s = pf.total;
  r.prefill_tokens_per_s = tokens / pf.total;
  r.prefill_bound = pf.bound();
  r.prefill_flops = pf.flops + pf.attn_flops;
  r.prefill_weight_bytes = pf.bytes;
  r.ttft_s = r.prefill_s;
  r.total_s = r.ttft_s + static_cast<double>(s_.output > 0 ? s_.output - 1 : 0) * r.decode_s_per_token;

  if (!formulas) return r;
  // ---- terms, each with its formula ----
  const std::string bw_s = sig(h.bandwidth_gb_s), peak_s = sig(peak.tflops);
  const Text peak_name = txt(peak.phrase);
  auto term = [&](const char* id, double seconds, double bytes, double flops, Text f) {
    if (seconds <= 0 && bytes <= 0 && flops <= 0) return;
    r.terms.push_back({id, seconds, bytes, flops, std::move(f)});
  };
  const uint64_t out_n = std::max<uint64_t>(1, s_.output);
  const uint64_t c_mid = points_[n / 2];
  term("prefill.matmul", pf.mm_s, 0, pf.flops,
       txt("speed.formula.prefill_matmul", {{"tokens", with_commas(static_cast<uint64_t>(tokens))},
                                            {"tflop", sig(pf.flops / 1e12)},
                                            {"peak", peak_s},
                                            {"peak_name", peak_name},
                                            {"eff", sig(e_mm)},
                                            {"time", ms(pf.mm_s)}}));
  term("prefill.attention", pf.attn_s, 0, pf.attn_flops,
       txt("speed.formula.prefill_attention", {{"depth", with_commas(s_.depth)},
                                               {"prompt", with_commas(s_.prompt)},
                                               {"tflop", sig(pf.attn_flops / 1e12)},
                                               {"peak", peak_s},
                                               {"eff", sig(e.attn)},
                                               {"time", ms(pf.attn_s)}}));
  term("prefill.weights", pf.memory, pf.bytes, 0,
       txt("speed.formula.prefill_weights", {{"chunks", sig(chunks)},
                                             {"gb", sig(pf.bytes / chunks / 1e9)},
                                             {"bw", bw_s},
                                             {"eff", sig(e_bw)},
                                             {"time", ms(pf.memory)}}));
  if (pf.dequant > 0)
    term("prefill.dequant", pf.dequant, 0, 0,
         txt("speed.formula.prefill_dequant",
             {{"chunks", sig(chunks)}, {"b", sig(e.dequant)}, {"bw", bw_s}, {"time", ms(pf.dequant)}}));
  term("prefill.overhead", pf.overhead, 0, 0,
       txt("speed.formula.prefill_overhead", {{"chunks", sig(chunks)},
                                              {"layers", with_commas(m_.n_layer)},
                                              {"us", sig(e.ubatch_layer_s * 1e6)},
                                              {"time", ms(pf.overhead)}}));
  term("decode.weights", d.memory, d.bytes, 0,
       txt("speed.formula.decode_weights",
           {{"gb", sig(d.bytes / 1e9)}, {"bw", bw_s}, {"eff", sig(e_bw)}, {"time", ms(d.memory)}}));
  term("decode.kv_cache", d.kv, d.kv_bytes, 0,
       txt("speed.formula.decode_kv", {{"batch", with_commas(batch)},
                                       {"context", with_commas(c_mid)},
                                       {"mb", sig(d.kv_bytes / B / 1e6)},
                                       {"bw", bw_s},
                                       {"eff", sig(e.kv)},
                                       {"time", ms(d.kv)}}));
  term("decode.compute", d.compute, 0, d.flops,
       d.alu_s > 0
           ? txt("speed.formula.decode_compute_alu", {{"alu", sig(alu_k)},
                                                      {"fp32", sig(h.fp32_tflops)},
                                                      {"gflop", sig(d.flops / 1e9)},
                                                      {"peak", peak_s},
                                                      {"eff", sig(e_mm)},
                                                      {"time", ms(d.compute)}})
           : txt("speed.formula.decode_compute",
                 {{"gflop", sig(d.flops / 1e9)}, {"peak", peak_s}, {"eff", sig(e_mm)}, {"time", ms(d.compute)}}));
  term("decode.overhead", d.overhead, 0, 0,
       txt("speed.formula.decode_overhead",
           {{"layers", with_commas(m_.n_layer)}, {"us", sig(e.layer_s * 1e6)}, {"time", ms(d.overhead)}}));
  if (d.comm > 0)
    term("decode.interconnect", d.comm, d.comm_bytes, 0,
         txt("speed.formula.decode_interconnect",
             {{"tp", with_commas(tp)}, {"link", sig(link.gb_s)}, {"time", ms(d.comm)}}));
  if (pf.comm > 0)
    term("prefill.interconnect", pf.comm, pf.comm_bytes, 0,
         txt("speed.formula.prefill_interconnect",
             {{"tp", with_commas(tp)}, {"link", sig(link.gb_s)}, {"time", ms(pf.comm)}}));
  if (d.cpu > 0)
    term("decode.cpu", d.cpu, d.cpu_bytes, 0,
         txt("speed.formula.decode_cpu", {{"gb", sig(d.cpu_bytes / 1e9)},
                                          {"bw", sig(s_.cpu_bandwidth_gb_s)},
                                          {"eff", sig(kCpuEff)},
                                          {"time", ms(d.cpu)}}));
  term("decode.step", d.total, 0, 0,
       txt("speed.formula.decode_step", {{"output", with_commas(out_n)},
                                         {"from", with_commas(points_.front())},
                                         {"to", with_commas(points_.back())},
                                         {"time", ms(d.total)},
                                         {"tps", sig(r.decode_tokens_per_s)}}));

  // ---- assumptions ----
  const std::string eng = engine_id(o_.engine);
  if (e.calibrated)
    r.notes.push_back({"speed_efficiency", "/options/engine",
                       txt("assume.speed_efficiency", {{"engine", eng}, {"backend", backend_id(backend)}})});
  else
    r.notes.push_back(
        {"speed_efficiency_prior", "/options/engine", txt("assume.speed_efficiency_prior", {{"engine", eng}})});
  if (n_expert_ != 0)
    r.notes.push_back({"speed_moe_experts", "/options/batch",
                       txt("assume.speed_moe_experts", {{"batch", with_commas(batch)},
                                                        {"experts", with_commas(n_expert_)},
                                                        {"used", with_commas(m_.n_expert_used)},
                                                        {"touched", sig(frac(B) * static_cast<double>(n_expert_))}})});
  if (stages_.size() > 1)
    r.notes.push_back({"speed_pipeline_serial", "/options/pp",
                       txt("assume.speed_pipeline_serial", {{"stages", with_commas(stages_.size())}})});
  if (!r.prefill_known)
    r.notes.push_back(
        {"speed_no_peak", "/options/gpu", txt("assume.speed_no_peak", {{"gpu", g.name}, {"peak", peak_name}})});
  if (alu_k > 0 && !(f32 > 0))
    r.notes.push_back({"speed_no_fp32", "/options/gpu", txt("assume.speed_no_fp32", {{"gpu", g.name}})});
  if (h.unverified)
    r.notes.push_back({"speed_unverified", "/options/gpu",
                       txt("assume.speed_unverified", {{"gpu", g.name}, {"fields", h.unverified_fields}})});
  if (llama && o_.flash_attention)
    r.notes.push_back({"speed_flash_attn", "/options/flash_attn", txt("assume.speed_flash_attn")});
  if (cpu_layers_ != 0 || out_on_cpu || n_cpu_moe != 0)
    r.notes.push_back(
        {"speed_cpu_layers", "/options/cpu_bandwidth",
         txt("assume.speed_cpu_layers",
             {{"layers", with_commas(cpu_layers_)}, {"bw", sig(s_.cpu_bandwidth_gb_s)}, {"eff", sig(kCpuEff)}})});
  if (streamed_from < m_.n_layer)
    r.notes.push_back({"speed_offload_streamed", "/options/offload_layers",
                       txt("assume.speed_offload_streamed",
                           {{"layers", with_commas(m_.n_layer - streamed_from)}, {"pcie", sig(pcie / 1e9)}})});
  return r;
}

// ---- training ------------------------------------------------------------------------------------------------

TrainSpeed estimate_train_speed(const ModelSpec& m, const ParamCount& params, const TrainOptions& o, uint64_t trainable,
                                const Gpu& g, double mfu, double cpu_bandwidth_gb_s, uint64_t train_tokens) {
  (void)params;
  TrainSpeed r;
  const GpuHardware& h = g.hw;
  // The matmul peak of the precision recipe: fp32 runs at the FP32 rate (PyTorch leaves TF32 off for matmuls since
  // 1.12), AMP and pure bf16 at the 16-bit tensor rate with FP32 accumulation.
  double peak = 0;
  const char* peak_phrase = "phrase.peak.fp32";
  if (o.precision == Precision::fp32) {
    peak = h.fp32_tflops;
  } else if (o.precision == Precision::amp_fp16) {
    peak = h.fp16_tflops > 0 ? h.fp16_tflops : (h.fp16_equals_fp32 ? h.fp32_tflops : 0);
    peak_phrase = h.fp16_tflops > 0 ? "phrase.peak.fp16" : "phrase.peak.fp32";
  } else {
    peak = h.bf16_tflops > 0 ? h.bf16_tflops : h.fp16_tflops;
    peak_phrase = h.bf16_tflops > 0 ? "phrase.peak.bf16" : "phrase.peak.fp16";
    if (!(peak > 0) && h.fp16_equals_fp32) peak = h.fp32_tflops, peak_phrase = "phrase.peak.fp32";
  }
  if (!(peak > 0))
    throw Error(code::unsupported, "/options/gpu",
                txt("error.speed.no_train_peak", {{"gpu", g.name}, {"peak", txt(peak_phrase)}}));
  r.peak_tflops = peak;
  r.mfu = mfu;

  // Matmul parameters one token passes through (routed experts: the ones it uses), the output head included.
  const WeightLayout layout = weight_layout(m);
  double active = 0, attn = 0;
  for (const auto& lm : layout.layers) {
    double a = 0;
    for (const Matrix& x : lm.matrices) {
      const bool routed = x.kind == MatrixKind::exp_gate_up || x.kind == MatrixKind::exp_down;
      const uint64_t copies = routed ? std::min<uint64_t>(x.copies, std::max<uint64_t>(1, m.n_expert_used)) : x.copies;
      a += static_cast<double>(x.in) * static_cast<double>(x.out) * static_cast<double>(copies);
    }
    const double n = static_cast<double>(lm.run.count());
    active += a * n;
    if (lm.run.spec.mixer == MixerKind::attention && lm.run.spec.role == LayerRole::decoder) {
      const double width = 2.0 * static_cast<double>(m.n_head) * static_cast<double>(m.n_embd_head_k + m.n_embd_head_v);
      // Forward attention FLOPs of one sequence: causal (flash/sdpa skip the masked half) or the full square (eager).
      const uint64_t w = lm.run.spec.attn == AttnKind::sliding ? lm.run.spec.window : 0;
      const double ctx = o.attention == AttentionImpl::eager ? static_cast<double>(o.seq) * static_cast<double>(o.seq)
                                                             : causal_sum(0, o.seq, w);
      attn += width * ctx * n;
    }
  }
  active += m.tied_embeddings && m.has_lm_head ? static_cast<double>(layout.embd_rows * layout.embd_cols)
                                               : static_cast<double>(layout.lm_head);
  const uint64_t tp = std::max<uint64_t>(1, o.tp);
  const uint64_t dp = std::max<uint64_t>(1, o.gpus / tp);
  const double seqs = static_cast<double>(o.batch) * static_cast<double>(o.grad_accum);
  const double tokens = seqs * static_cast<double>(o.seq);  // per GPU group (one data-parallel rank) and step
  const bool lora = o.lora_rank > 0;
  // Forward 2·P·T; backward 4·P·T (input and weight gradients) for trainable matrices, 2·P·T (input gradients only)
  // for frozen ones (Kaplan et al. 2020, arXiv 2001.08361, §2.1: C ≈ 6·N per token); attention 1× forward + 2×
  // backward; full checkpointing recomputes the forward, selective the attention core (Korthikanti et al. 2022).
  const double fwd = 2 * active * tokens;
  const double bwd = lora ? 2 * active * tokens + 4 * static_cast<double>(trainable) * tokens : 4 * active * tokens;
  const double att = attn * seqs * 3;
  double recompute = 0;
  if (o.checkpointing == Checkpointing::full) recompute = fwd + attn * seqs;
  if (o.checkpointing == Checkpointing::selective) recompute = attn * seqs;
  const double lora_fwd = lora ? 2 * static_cast<double>(trainable) * tokens : 0;
  const double flops = (fwd + lora_fwd + bwd + att + recompute) / static_cast<double>(tp);
  r.flops_per_step = flops;
  const double t_compute = flops / (peak * 1e12 * mfu);

  // Gradient all-reduce over the data-parallel ranks (ring: 2·(dp − 1)/dp × the gradients' bytes), overlapped with
  // the backward pass (PyTorch DDP buckets, DeepSpeed's overlap_comm): only what the compute does not hide counts.
  const double grad_bytes = static_cast<double>(trainable) / static_cast<double>(tp) *
                            (o.engine == Engine::deepspeed || o.precision == Precision::bf16 ? 2.0 : 4.0);
  const Link link = gpu_link(g, o.gpus);
  double t_comm = 0;
  if (dp > 1 && link.gb_s > 0) {
    const double factor = o.zero == 3 ? 3.0 : 2.0;  // ZeRO-3 also all-gathers the parameters, forward and backward
    t_comm = link.latency +
             factor * (static_cast<double>(dp) - 1) / static_cast<double>(dp) * grad_bytes / (link.gb_s * 1e9);
  }
  if (tp > 1 && link.gb_s > 0) {
    // Megatron: 2 all-reduces per layer in the forward, 2 in the backward, of tokens × n_embd × 2 bytes each.
    const double per = link.latency + 2.0 * (static_cast<double>(tp) - 1) / static_cast<double>(tp) * tokens *
                                          static_cast<double>(m.n_embd) * 2 / (link.gb_s * 1e9);
    t_comm += 4 * static_cast<double>(m.n_layer) * per;
  }
  // CPU offload of the optimizer (DeepSpeed ZeRO-Offload): the Adam step on the CPU reads and writes about 16 bytes
  // per parameter (fp32 master, m, v, gradient) at the system memory's bandwidth.
  double t_offload = 0;
  if (o.offload != Offload::none)
    t_offload = 16.0 * static_cast<double>(trainable) / static_cast<double>(std::max<uint64_t>(1, o.gpus)) /
                (cpu_bandwidth_gb_s * 1e9 * kCpuEff);
  r.step_s = std::max(t_compute, t_comm) + t_offload;
  r.bound = t_comm > t_compute ? "interconnect" : t_offload > t_compute ? "cpu" : "compute";
  r.tokens_per_s = tokens * static_cast<double>(dp) / r.step_s;
  r.tokens_per_s_per_gpu = r.tokens_per_s / static_cast<double>(std::max<uint64_t>(1, o.gpus));
  if (train_tokens > 0) r.time_for_tokens_s = static_cast<double>(train_tokens) / r.tokens_per_s;

  r.terms.push_back({"train.compute", t_compute, 0, flops,
                     txt(lora ? "speed.formula.train_lora" : "speed.formula.train_full",
                         {{"active", short_count(static_cast<uint64_t>(active))},
                          {"trainable", short_count(trainable)},
                          {"tokens", with_commas(static_cast<uint64_t>(tokens))},
                          {"tflop", sig(flops / 1e12)},
                          {"peak", sig(peak)},
                          {"peak_name", txt(peak_phrase)},
                          {"mfu", sig(mfu)},
                          {"time", ms(t_compute)}})});
  if (recompute > 0)
    r.terms.push_back(
        {"train.recompute", recompute / static_cast<double>(tp) / (peak * 1e12 * mfu), 0,
         recompute / static_cast<double>(tp),
         txt("speed.formula.train_recompute", {{"tflop", sig(recompute / static_cast<double>(tp) / 1e12)}})});
  if (t_comm > 0)
    r.terms.push_back({"train.interconnect", t_comm, grad_bytes, 0,
                       txt("speed.formula.train_interconnect", {{"dp", with_commas(dp)},
                                                                {"tp", with_commas(tp)},
                                                                {"gb", sig(grad_bytes / 1e9)},
                                                                {"link", sig(link.gb_s)},
                                                                {"time", ms(t_comm)}})});
  if (t_offload > 0)
    r.terms.push_back({"train.cpu", t_offload, 0, 0,
                       txt("speed.formula.train_cpu", {{"bw", sig(cpu_bandwidth_gb_s)}, {"time", ms(t_offload)}})});
  r.notes.push_back({"speed_mfu", "/options/mfu", txt("assume.speed_mfu", {{"mfu", sig(mfu)}})});
  if (h.unverified)
    r.notes.push_back({"speed_unverified", "/options/gpu",
                       txt("assume.speed_unverified", {{"gpu", g.name}, {"fields", h.unverified_fields}})});
  return r;
}

}  // namespace gpumem
