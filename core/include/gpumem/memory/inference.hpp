// Inference memory the way engines allocate it: weights (by dtype and quantization), KV cache, workspace,
// logits, buffers and runtime overhead, per device. docs/ESTIMATION.md ("Inference") has every formula.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gpumem/checkpoint/checkpoint.hpp"
#include "gpumem/memory/hardware.hpp"
#include "gpumem/memory/memory.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/memory/runtime.hpp"
#include "gpumem/model/model.hpp"
#include "gpumem/model/params.hpp"

namespace gpumem {

// KV cache element storage: bytes per block of `block` values (fp16 2/1, fp8 1/1, q8_0 34/32, q4_0 18/32).
struct KvType {
  std::string id;
  uint64_t block = 1;
  uint64_t bytes = 2;
};

// transformers' from_pretrained(device_map=…): "sequential" fills each GPU before the next (accelerate's
// infer_auto_device_map); "balanced" (what "auto" means since transformers 4.22) first lowers every GPU's
// budget to an even share (get_balanced_memory); balanced_low_0 keeps GPU 0 for generate's work.
enum class DeviceMapKind { none, sequential, balanced, balanced_low_0 };

// llama.cpp's own settings, with llama-server's defaults (common/common.h common_params; llamacpp.hpp).
struct LlamaCppSettings {
  uint64_t n_ubatch = 512;              // -ub: tokens of one physical batch: the compute buffers are reserved for it
  uint64_t n_batch = 2048;              // -b: logical batch (caps n_ubatch)
  int64_t n_gpu_layers = -1;            // -ngl: repeating layers on the GPU, n_layer + 1 with the output; -1: all
  uint64_t n_cpu_moe = 0;               // --n-cpu-moe: layers (from the first) whose routed experts stay in host memory
  uint64_t n_parallel = 0;              // -np: slots; 0: llama-server's auto (4 slots sharing one unified cache)
  bool fit = true;                      // --fit: shrink what the user left unset until it fits (llama_params_fit)
  uint64_t fit_target = 1024ULL << 20;  // --fit-target: free memory to leave per device, bytes
  uint64_t fit_ctx = 4096;              // --fit-ctx: the smallest context the fit may choose
  bool context_given = false;           // -c given: the fit keeps it
};

struct InferenceOptions {
  Engine engine = Engine::hf;
  std::string dtype = "fp16";  // load/compute dtype of what is not quantized
  uint32_t dtype_bits = 16;
  QuantSpec quant;
  KvType kv;
  uint64_t batch = 1;                   // prompts decoded together (vLLM: concurrent sequences)
  uint64_t context = 0;                 // tokens each sequence holds: prompt + output
  uint64_t prompt = 0;                  // prefill length (≤ context)
  uint64_t beams = 1;                   // num_beams × num_return_sequences: sequences per prompt
  uint64_t tp = 1;                      // tensor-parallel degree
  uint64_t pp = 1;                      // pipeline-parallel stages (gpus = tp × pp); layers split by pipeline_stages()
  uint64_t offload_layers = 0;          // layers whose weights stay in CPU RAM
  bool eager_attention = false;         // HF attn_implementation="eager": the B·H·P² score matrix is materialized
  bool flash_attention = true;          // llama.cpp -fa (needed for a quantized V cache)
  double gpu_memory_utilization = 0.9;  // vLLM
  // vLLM's scheduler limits (vllm.hpp: arg_utils's defaults by entrypoint and GPU): its profiling run is one
  // forward of max_num_batched_tokens tokens and a sampler warm-up over max_num_seqs sequences.
  uint64_t max_num_batched_tokens = 2048;
  uint64_t max_num_seqs = 256;
  Runtime runtime;  // transformers release, CUDA context (runtime.hpp)
  // accelerate's device_map (hf): modules placed in order over GPUs with these budgets, then the CPU.
  DeviceMapKind device_map = DeviceMapKind::none;
  std::vector<uint64_t> max_memory;  // per GPU, bytes (accelerate's max_memory)
  bool max_memory_given = false;     // by the user (else each GPU's free memory)
  // The GPU the request runs on (--gpu, or a custom card's --gpu-memory): its name and gpu_total_bytes; 0
  // when none was given (engines that size buffers by the device, as vLLM and llama.cpp do, then say so).
  std::string device;
  uint64_t device_total = 0;
  LlamaCppSettings llamacpp;  // engine llamacpp only
  // The checkpoint's own tensors (checkpoint.hpp), set only when the engine loads them as stored
  // (inference_ops.cpp apply_checkpoint): the weights are then its bytes, layer by layer, not the layout
  // quantized_weights computes from the config. Shared: the solver copies the options for every probe.
  std::shared_ptr<const CheckpointWeights> checkpoint;
};

struct KvCache {
  uint64_t bytes = 0;
  uint64_t bytes_per_token = 0;  // summed over layers for one token of one sequence at full length (uncapped)
  Formula formula;
  Text source;
};

// The KV cache (and Mamba state) of `seqs` sequences of `tokens` tokens each, on one tensor-parallel rank.
// formulas = false leaves formula and source empty (the bytes are the same): the solver and sweep path.
// Only layers first … first + count − 1 are counted (a pipeline stage); the defaults take every layer.
KvCache kv_cache(const ModelSpec& m, const InferenceOptions& o, uint64_t seqs, uint64_t tokens, bool formulas = true,
                 uint64_t first = 0, uint64_t count = UINT64_MAX);

// A pipeline stage's share of the decoder layers: layers first … first + count − 1 (count may be 0 under
// llama.cpp's split, where the last device can hold only the output layer).
struct StageLayers {
  uint64_t first = 0;
  uint64_t count = 0;
  bool operator==(const StageLayers&) const = default;
};
// How the engine splits n_layer layers over pp stages (docs/ESTIMATION.md, "Pipeline parallelism"):
//   vLLM (and hf here): get_pp_indices — n_layer / pp each, the remainder one each to the stages just
//     before the last (10 over 4 → 2, 3, 3, 2);
//   llama.cpp --split-mode layer on equal GPUs: layer il (and the output layer as il = n_layer) goes to
//     device ⌊il · pp / (n_layer + 1)⌋ (10 over 4 → 3, 3, 3, 1 + the output).
std::vector<StageLayers> pipeline_stages(uint64_t n_layer, uint64_t pp, Engine engine);

// One pipeline stage's memory on each of its tp GPUs.
struct StageEstimate {
  StageLayers layers;
  MemoryEstimate gpu;
};

// One device's share under accelerate's device_map.
struct DevicePlacement {
  std::string device;    // "cuda:0", …, "cpu"
  bool input = false;    // the embeddings
  StageLayers layers;    // decoder layers first … first + count − 1
  bool output = false;   // final norm and lm_head
  uint64_t planned = 0;  // accelerate's own size estimate of what it put there (compute_module_sizes)
  uint64_t budget = 0;   // the max_memory it filled against (after the reserve on GPU 0); 0 for the CPU
  uint64_t weights = 0;  // bytes allocated for those modules' weights and buffers
};

// What llama.cpp allocates, buffer by buffer as its log names them (engine llamacpp; llamacpp.cpp).
struct LlamaCppBuffers {
  uint64_t n_ctx = 0;         // KV cells (-c): every sequence's tokens, padded to 256
  uint64_t n_gpu_layers = 0;  // -ngl: repeating layers on the GPU, n_layer + 1 with the output layer
  uint64_t n_cpu_moe = 0;     // --n-cpu-moe: layers (from the first) whose routed experts stay in host memory
  uint64_t n_ubatch = 0;      // the physical batch the compute buffers were reserved for
  uint64_t n_seq = 0;         // slots: the output buffer's rows
  bool flash_attn = true;
  // "CUDA0 model buffer size", "CUDA0 KV buffer size", "CUDA0 compute buffer size"
  uint64_t gpu_model = 0, gpu_kv = 0, gpu_compute = 0;
  uint64_t gpu_logits = 0;  // of gpu_compute: the n_ubatch × n_vocab fp32 logits (0 when a layer's peak binds)
  // "CPU_Mapped model buffer size", "CPU KV buffer size", "CUDA_Host compute buffer size",
  // "CUDA_Host output buffer size": host memory
  uint64_t host_model = 0, host_kv = 0, host_compute = 0, host_output = 0;
};

struct InferenceEstimate {
  MemoryEstimate gpu;      // per device: with pp > 1 the most loaded stage's
  uint64_t cpu_bytes = 0;  // offloaded weights in CPU RAM
  uint64_t kv_bytes_per_token = 0;
  std::vector<StageEstimate> stages;       // pp > 1 or a device_map: every stage (GPU that holds modules), in order
  std::vector<DevicePlacement> placement;  // device_map only: every GPU, then the CPU
  uint64_t most_loaded_stage = 0;          // the stage `gpu` is (the first of equals)
  std::vector<Assumption> notes;
  bool has_llamacpp = false;  // engine llamacpp on one device: `llamacpp` holds its buffers
  LlamaCppBuffers llamacpp;
};

InferenceEstimate estimate_inference(const ModelSpec& m, const InferenceOptions& o);

// The context-independent work of an inference estimate, done once: the parameter count, the quantized
// weight layout (the bulk of the cost: a walk over every matrix of every layer run, with its formula),
// the offloaded layers' share and the widest feed-forward. estimate() then adds only the terms that
// change with batch, context, prompt and tensor parallelism (weights ÷ tp, KV cache, workspace, logits),
// so the inverse solver's ~30 probes and a sweep's points cost a few hundred arithmetic operations each.
//   plan.estimate(o) == estimate_inference(m, o), byte for byte (tests/test_inference.cpp checks it),
// for any `o` that differs from the plan's options only in batch, context, prompt, beams, tp or kv, and
// whose pp is the plan's or 1 (the fits-on table's tensor-parallel column); other differences (dtype,
// quant, offload_layers, another pp) throw internal_error. The plan keeps a reference to `m`, which must
// outlive it.
class LlamaCppPlan;  // llamacpp.hpp

class InferencePlan {
 public:
  InferencePlan(const ModelSpec& m, const InferenceOptions& o);
  // formulas = false: the same bytes, without the formula/source strings and notes (what the solver,
  // the fits-on table and the sweep read).
  InferenceEstimate estimate(const InferenceOptions& o, bool formulas = true) const;
  const ParamCount& params() const { return params_; }
  // The weights as the engine loads them at tp = 1 (quantized_weights, or the checkpoint's bytes): what the speed
  // model (speed.hpp) reads per step.
  const QuantizedWeights& weights() const { return weights_; }
  // Engine llamacpp on one device (tp = pp = 1, decoder-only): llama.cpp's own layout, which estimate()
  // follows and whose automatic fit the operations run; nullptr otherwise.
  const LlamaCppPlan* llamacpp() const { return llama_.get(); }

 private:
  // One pipeline stage as the plan sees it: its layers, its weights at tp = 1 and how they add up.
  struct Stage {
    StageLayers layers;
    uint64_t blocks = 0;      // the stage's decoder layers
    uint64_t input = 0;       // token (and position) embeddings: the first stage
    uint64_t output = 0;      // final norm, lm_head, pooler: the last stage
    uint64_t tied_copy = 0;   // tied embeddings: the last stage's copy of the matrix it uses as lm_head
    uint64_t weights = 0;     // the sum of the four
    uint64_t widest_ffn = 0;  // of the stage's layers
    bool has_output = false;  // computes the logits
    uint64_t device = 0;      // device_map: the GPU index
  };
  uint64_t cut_bytes(uint64_t b, const QuantSpec& q) const;
  Stage make_stage(StageLayers layers, bool input, bool output, uint64_t before, uint64_t upto) const;
  void place_devices(const InferenceOptions& o, const QuantSpec& q);
  void stage_parts(const InferenceOptions& o, bool f, const Stage* st, bool last_stage, InferenceEstimate& r,
                   MemoryEstimate& out) const;

  const ModelSpec& m_;
  uint32_t dtype_bits_;
  QuantSpec quant_;
  uint64_t offload_layers_;
  ParamCount params_;
  QuantizedWeights weights_;     // at tp = 1, before offloading
  uint64_t offload_params_ = 0;  // parameters of the last min(offload_layers, n_layer) layers
  uint64_t widest_ffn_ = 0;
  uint64_t pp_ = 1;
  std::vector<Stage> stages_;  // pp > 1 or device_map
  DeviceMapKind device_map_ = DeviceMapKind::none;
  std::vector<DevicePlacement> placement_;
  uint64_t cpu_weights_ = 0;  // device_map: modules placed on the CPU
  uint64_t streamed_ = 0;     // device_map: the largest CPU module, copied to GPU 0 when it runs
  uint64_t input_bytes_ = 0, outside_bytes_ = 0, tied_copy_ = 0;
  std::shared_ptr<const LlamaCppPlan> llama_;
};

// A GPU of the catalogue (core/src/memory/gpus.cpp, docs/ESTIMATION.md "Usable memory"), or a custom card.
struct Gpu {
  std::string name;       // "RTX 4090"
  std::string vendor;     // NVIDIA, AMD, Apple, Intel
  std::string kind;       // consumer, workstation, datacenter, unified
  uint64_t bytes = 0;     // memory as the vendor states it (GiB for GDDR/HBM sizes, see gpus.cpp)
  double usable = 1.0;    // fraction of the total an application can use (1 for every catalogue row)
  std::string source;     // the vendor's page for `bytes`
  uint64_t reported = 0;  // nvidia-smi's total ("24564MiB"), where recorded (0: not recorded)
  // The total the runtime reports: torch.cuda.mem_get_info / cudaMemGetInfo (what vLLM logs as
  // total_gpu_memory and PyTorch's OOM message as "total capacity"), rocminfo's pool on ROCm, Metal's
  // recommendedMaxWorkingSetSize on Apple. 0: not recorded (then `reported`, else `bytes`).
  uint64_t total = 0;
  std::string total_source;  // where `total` was published; for a rule, the sibling's figure and source
  Text rule;  // non-empty when `total` follows gpus.cpp's sibling rule: the sentence saying so (base/text.hpp)
  // bfloat16 arithmetic in hardware (gpus.cpp, "bf16"): false for NVIDIA compute capability below 8.0 and Apple
  // M1, where vLLM's dtype auto falls back to fp16 and training defaults to amp-fp16. Custom cards: true.
  bool bf16 = true;
  // Bandwidth, peak throughput per compute type and interconnect with their sources (hardware.hpp; the speed
  // model, speed.hpp). Custom cards: known = false.
  GpuHardware hw;
};
const std::vector<Gpu>& gpu_catalogue();
const Gpu* find_gpu(const std::string& name);  // case-insensitive exact name
// The memory one device offers a process: `total` (the runtime's own total) where recorded, else
// nvidia-smi's `reported`, else the marketed size, times `usable`. The one source of a GPU's usable bytes:
// verdicts, headroom, gpus_needed, both solvers and accelerate's device_map budget start from it.
uint64_t gpu_total_bytes(const Gpu& g);
// "23.5GiB", "24GB", "15360MiB", "24 GiB", "16000000000" (bytes) → bytes; false when not a size.
bool parse_memory_size(const std::string& text, uint64_t& bytes);

}  // namespace gpumem
