// Speed (issue 21): time to first token, tokens per second and training step time, from a roofline over the
// same request the memory estimate takes, with each engine's achieved fraction of the hardware's peak fitted on
// public llama-bench measurements (tests/fixtures/speed/benchmarks.json). docs/ESTIMATION.md ("Speed") has every
// formula with its source and a worked example; the fitted constants and the rows they were fitted on are in
// speed.cpp (kEfficiency) and scripts/fit-speed.mjs reproduces them.
//
// The model, per device and step:
//   prefill (per physical batch of U tokens):  max(FLOPs / (peak × e_mm), weights / (BW × e_bw))
//                                              + dequantization traffic / BW + layers × c_ubatch
//   decode (per step of B sequences at context c):
//                                              max((weights touched + B × KV(c)) / (BW × e), ALU ops / peak)
//                                              + layers × c_layer
//   training (per optimizer step):             6 × trainable-path params × tokens (LoRA: 4 × frozen + 6 × adapter;
//                                              + 2 × with full checkpointing) / (peak × MFU)
// plus tensor parallelism's all-reduces over the interconnect, pipeline stages one after another (batch 1 runs one
// device at a time), and layers offloaded to the CPU read at the system-memory bandwidth.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/base/text.hpp"
#include "gpumem/memory/inference.hpp"
#include "gpumem/memory/training.hpp"
#include "gpumem/model/model.hpp"
#include "gpumem/model/params.hpp"

namespace gpumem {

// The compute backend: llama.cpp's ggml backends; vLLM and transformers run on CUDA (ROCm on AMD).
enum class Backend { cuda, rocm, metal, vulkan };
const char* backend_id(Backend b);  // "cuda", "rocm", "metal", "vulkan"
// The backend a GPU's vendor implies: NVIDIA cuda, AMD rocm, Apple metal, Intel vulkan.
Backend default_backend(const Gpu& g);
// Whether `gpus` cards of this model can exchange activations (NVLink / Infinity Fabric, or PCIe through the
// host; Apple's have neither): estimate() refuses more than one GPU without it.
bool gpus_linked(const Gpu& g, uint64_t gpus);

// One engine's achieved fraction of the hardware's peaks on one backend (speed.cpp, kEfficiency). Fractions are of
// the datasheet peak (hardware.hpp); times are seconds.
struct Efficiency {
  Engine engine = Engine::llamacpp;
  Backend backend = Backend::cuda;
  bool calibrated = false;  // fitted on benchmarks.json rows (else a documented prior, wider range)
  // decode
  double bw = 0.9;      // weight reads: fraction of peak bandwidth (GDDR, LPDDR)
  double bw_hbm = 0.9;  // the same on HBM cards
  double kv = 0.5;      // KV-cache reads of attention (without flash attention in the fitted builds)
  double layer_s = 0;   // fixed cost per layer and step (kernel launches, synchronisation), seconds
  // ALU operations per weight a batch-1 step spends (converting and dequantizing), against the FP32 peak:
  // unquantized, quantized. One figure for every quantized format, so that fewer bytes per weight never decode slower.
  double alu[2] = {0, 0};
  // prefill
  double mm[2] = {0.5, 0.5};  // matrix FLOPs: fraction of the matrix peak (unquantized, quantized weights)
  double attn = 0.2;          // attention FLOPs (QKᵀ and PV): fraction of the same peak
  double dequant = 0;         // bytes of memory traffic per quantized weight per physical batch (dequantize to F16)
  double ubatch_layer_s = 0;  // fixed cost per layer and physical batch, seconds
  double pro = 1;             // factor on e_mm for workstation and datacenter cards (sustained clocks, see speed.cpp)
  // range: measured ÷ estimated tokens/s at the 10th and 90th percentile of the calibration rows
  double decode_lo = 0.5, decode_hi = 1.5, prefill_lo = 0.5, prefill_hi = 1.5;
};
const Efficiency& efficiency(Engine e, Backend b);

struct SpeedOptions {
  uint64_t prompt = 512;  // tokens prefilled per sequence
  uint64_t output = 128;  // tokens generated per sequence
  uint64_t depth = 0;     // tokens already in each sequence's KV cache before the prompt (llama-bench's -d)
  Backend backend = Backend::cuda;
  double cpu_bandwidth_gb_s = 76.8;  // system memory read bandwidth for CPU-offloaded layers, GB/s
  uint64_t gpu_layers = 0;           // llama.cpp -ngl as it resolves (n_layer + 1: all on the GPU); other engines 0
};

// One term of the answer: what it counts, its size and time, and its formula with the numbers substituted.
struct SpeedTerm {
  std::string id;      // "prefill.matmul", "decode.weights", "train.compute", …
  double seconds = 0;  // prefill: the whole prompt; decode: one step at the mean context; train: one step
  double bytes = 0;
  double flops = 0;
  Text formula;
};

struct SpeedEstimate {
  bool prefill_known = true;  // false when the GPU has no figure for the matrix peak the engine uses
  double prefill_s = 0, prefill_tokens_per_s = 0;
  std::string prefill_bound;       // memory, compute, interconnect or cpu
  double decode_s_per_token = 0;   // per step, averaged over the output tokens
  double decode_tokens_per_s = 0;  // per sequence
  double decode_aggregate_tokens_per_s = 0;
  std::string decode_bound;
  double ttft_s = 0, total_s = 0;
  uint64_t knee_batch = 0;  // the smallest batch at which compute binds a decode step (0: none up to 65,536)
  const Efficiency* eff = nullptr;
  // The figures used: peak bandwidth (GB/s), the matrix peak (TFLOPS) and its name, the FP32 peak, and whether the
  // card counts as HBM or as a workstation/datacenter card for the efficiencies.
  double bandwidth_gb_s = 0, matrix_tflops = 0, fp32_tflops = 0;
  Text matrix_peak;
  bool hbm = false, pro = false;
  std::vector<SpeedTerm> terms;
  std::vector<Assumption> notes;
  // What one decode step reads and computes at the mean context (the work, independent of the GPU's speed).
  double decode_weight_bytes = 0, decode_kv_bytes = 0, decode_flops = 0;
  double prefill_flops = 0, prefill_weight_bytes = 0;
  // The work itself, summed over the devices (per device with tp): what scripts/fit-speed.mjs fits the
  // efficiencies on, and what a reader checks the terms against.
  struct Point {
    uint64_t context = 0;
    double weight = 0;    // trapezoid weight of this context in the output's average (they sum to 1)
    double kv_bytes = 0;  // KV cache the step reads, all sequences
    double flops = 0;     // matrix and attention FLOPs of the step
  };
  struct Work {
    double decode_weight_bytes = 0;  // weights a step reads (MoE: the experts the batch touches)
    double decode_alu_params = 0;    // matrix weights a step dequantizes
    double layers = 0;
    std::vector<Point> points;
    double chunks = 0;                // physical batches of the prefill
    double prefill_weight_bytes = 0;  // weights one physical batch reads
    double prefill_quant_params = 0;  // matrix weights one physical batch dequantizes
    double prefill_matmul_flops = 0, prefill_attention_flops = 0;
  } work;
};

// The GPU-independent work of a request (bytes per layer, matmul parameters, attention widths, KV bytes at the
// decode contexts), computed once; estimate() then costs it on a GPU in a few hundred operations, so a table over
// the catalogue stays cheap. `w` is the weight layout the memory estimate uses (InferencePlan::weights()).
class SpeedPlan {
 public:
  SpeedPlan(const ModelSpec& m, const InferenceOptions& o, const QuantizedWeights& w, const SpeedOptions& s);
  // Throws Error (unsupported, /options/gpu) when the GPU has no bandwidth figure.
  SpeedEstimate estimate(const Gpu& g, uint64_t gpus, uint64_t batch, bool formulas = true) const;
  // The same with another backend's efficiencies (the speed table: each GPU its vendor's backend).
  SpeedEstimate estimate(const Gpu& g, uint64_t gpus, uint64_t batch, bool formulas, Backend backend) const;

  struct Layer {
    double dense_bytes = 0, expert_bytes = 0;    // stored bytes (tp = 1): non-routed tensors, routed experts
    double dense_params = 0, expert_params = 0;  // matrix parameters (all experts)
    double active_params = 0;                    // matrix parameters one token passes through
    double attn_width = 0;                       // 2 · n_head · (d_k + d_v): FLOPs per token per context token
    uint64_t window = 0;                         // sliding window (0: full)
    bool attention = false;
  };

 private:
  const ModelSpec& m_;
  InferenceOptions o_;
  SpeedOptions s_;
  std::vector<Layer> layers_;
  double out_bytes_ = 0, out_params_ = 0;  // output head (tied: the embedding matrix) and final norms
  double expert_share_ = 0;                // n_expert_used / n_expert (0: dense)
  uint64_t n_expert_ = 0;
  int format_class_ = 0;  // 0 unquantized, 1 quantized
  bool quantized_ = false;
  std::vector<uint64_t> points_;  // decode contexts sampled (trapezoid over the output)
  // kv_[p][stage]: KV bytes of one sequence at points_[p] for each stage's layers (per device)
  std::vector<std::vector<double>> kv_;
  std::vector<StageLayers> stages_;
  uint64_t cpu_layers_ = 0;     // llama.cpp: leading layers left on the CPU by -ngl
  uint64_t streamed_from_ = 0;  // transformers / vLLM: layers from here on are copied to the GPU every forward
  uint64_t n_cpu_moe_ = 0;      // llama.cpp --n-cpu-moe: these leading layers' routed experts stay on the CPU
  // A stage's layers summed once (the routed experts' share depends on the batch, so they are kept apart):
  // estimate() then costs a step in a few operations per stage, not per layer.
  struct Sum {
    double dense = 0, expert = 0;                    // bytes on the stage's GPU
    double cpu_expert = 0;                           // --n-cpu-moe: routed experts' bytes on the CPU
    double streamed_dense = 0, streamed_expert = 0;  // offloaded layers copied over PCIe
    double dense_params = 0, expert_params = 0, active_params = 0;
    double layers = 0;
    std::vector<std::pair<uint64_t, double>> attn;  // (window, Σ attention width) per distinct window; 0 = full
  };
  std::vector<Sum> sums_;  // per stage
  Sum cpu_sum_;            // the -ngl CPU layers
};

// Training: one optimizer step of the request (batch × seq × grad_accum tokens per GPU) on `g`.
struct TrainSpeed {
  double step_s = 0, tokens_per_s = 0, tokens_per_s_per_gpu = 0;
  double mfu = 0.4;
  double flops_per_step = 0;  // per GPU
  double peak_tflops = 0;
  std::string bound;  // compute or interconnect
  double time_for_tokens_s = 0;
  std::vector<SpeedTerm> terms;
  std::vector<Assumption> notes;
};
TrainSpeed estimate_train_speed(const ModelSpec& m, const ParamCount& params, const TrainOptions& o, uint64_t trainable,
                                const Gpu& g, double mfu, double cpu_bandwidth_gb_s, uint64_t train_tokens);

}  // namespace gpumem
