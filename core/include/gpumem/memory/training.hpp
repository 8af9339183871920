// Training and fine-tuning memory: model states per precision recipe, optimizer states, gradients,
// activations per saved tensor, logits and loss, LoRA adapters, ZeRO/FSDP sharding and CPU offload.
// The estimator sees a ModelSpec, its ParamCount and these options, never JSON (train_ops.cpp reads
// the request into TrainOptions).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpumem/memory/memory.hpp"
#include "gpumem/memory/quant.hpp"
#include "gpumem/memory/runtime.hpp"
#include "gpumem/model/model.hpp"
#include "gpumem/model/params.hpp"

namespace gpumem {

// fp32: everything in binary32. amp_fp16 / amp_bf16: fp32 parameters with 16-bit compute under autocast.
// bf16: parameters, gradients and optimizer states all in bfloat16 (pure bf16).
enum class Precision { fp32, amp_fp16, amp_bf16, bf16 };
// none: forward and backward only, no optimizer step (a benchmark loop).
enum class Optimizer { adamw, adamw8bit, paged_adamw8bit, sgd, sgd_momentum, adafactor, lion, adam_mini, none };
enum class Checkpointing { none, selective, full };
enum class AttentionImpl { eager, sdpa, flash };
enum class Offload { none, optimizer, params };
// full: the LM head's logits for every token, upcast to fp32 for cross_entropy (transformers).
// chunked: a fused linear + cross-entropy that computes the logits a chunk of tokens at a time and their
// gradient in the forward (Liger-Kernel's LigerFusedLinearCrossEntropy), so only one chunk's logits live.
// sum: outputs.logits.sum(), as benchmarks use: the logits in the compute dtype, no upcast, and at the start
// of backward their gradient, which the lm_head matmul materializes (sum's is a stride-0 expand).
enum class Loss { full, chunked, sum };
// What the total is compared with: nvidia-smi (CUDA context included) or
// torch.cuda.max_memory_allocated (context and the allocator's unused cache excluded).
enum class Measure { nvidia_smi, allocated };

// PEFT target module names, by role in the block.
enum LoraTarget : unsigned {
  lora_q = 1u << 0,
  lora_k = 1u << 1,
  lora_v = 1u << 2,
  lora_o = 1u << 3,
  lora_gate = 1u << 4,
  lora_up = 1u << 5,
  lora_down = 1u << 6,
  lora_all = (1u << 7) - 1,
};

struct TrainOptions {
  Precision precision = Precision::amp_bf16;
  Engine engine = Engine::hf;
  Optimizer optimizer = Optimizer::adamw;
  uint64_t lora_rank = 0;     // 0: full fine-tuning
  unsigned lora_targets = 0;  // LoraTarget bits
  bool lora_dropout = false;  // lora_dropout > 0: each adapter drops out its own copy of the input
  // Storage of LoRA's frozen base (QLoRA: bnb_nf4/bnb_fp4/bnb_int8 through quant.hpp, issue #5).
  QuantMethod quant = QuantMethod::none;
  bool double_quant = false;
  // PEFT prepare_model_for_kbit_training: the parameters bitsandbytes did not quantize are upcast to fp32,
  // so the residual stream, and every quantized linear's output (bitsandbytes returns its input's dtype),
  // are fp32 too.
  bool prepare_kbit = true;
  uint64_t batch = 1;  // micro-batch per GPU
  uint64_t seq = 512;
  uint64_t grad_accum = 1;
  Checkpointing checkpointing = Checkpointing::none;
  AttentionImpl attention = AttentionImpl::sdpa;
  unsigned zero = 0;  // 0 (plain data parallel), 1, 2, 3
  uint64_t gpus = 1;  // all GPUs: tp × data-parallel degree; ZeRO shards over the data-parallel ranks
  // Megatron tensor parallelism (Shoeybi et al. 2019): attention heads, MLP columns and the vocabulary
  // split over tp GPUs; sequence_parallel also splits the tensors TP leaves replicated (norms, dropout)
  // along the sequence (Korthikanti et al. 2022).
  uint64_t tp = 1;
  bool sequence_parallel = false;
  Loss loss = Loss::full;
  Offload offload = Offload::none;
  bool attn_dropout = false;    // dropout on attention probabilities (keeps a byte mask per score)
  bool hidden_dropout = false;  // dropout on the residual branches (keeps a byte mask per hidden value)
  Measure measure = Measure::nvidia_smi;
  bool relu_mlp = false;  // ReLU saves its output, which is also the down projection's input
  // transformers and bitsandbytes releases, legacy autograd, a benchmark loop's kept outputs, the CUDA
  // context counted when measure == nvidia_smi (runtime.hpp)
  Runtime runtime;
};

struct TrainEstimate {
  MemoryEstimate memory;            // per GPU; parts sum to total_bytes (the "safe" total)
  uint64_t typical_peak_bytes = 0;  // activations freed while gradients fill (see training.cpp)
  uint64_t cpu_bytes = 0;           // CPU RAM for offloaded states
  uint64_t trainable_params = 0;
  uint64_t frozen_params = 0;
  uint64_t dp = 1;                 // data-parallel ranks = gpus / tp
  uint64_t loss_chunk_tokens = 0;  // tokens per logits chunk with Loss::chunked, else 0
  std::string recipe;              // the precision recipe in words
  std::string bytes_per_param;     // e.g. "4 + 4 + 8 = 16 bytes per parameter"
  std::string typical_formula;
  Text recipe_text;  // the same three as data (base/formula.hpp)
  Text bytes_per_param_text;
  Text typical_formula_text;
  std::vector<Assumption> notes;
};

TrainEstimate estimate_training(const ModelSpec& m, const ParamCount& params, const TrainOptions& o);

}  // namespace gpumem
