// The catalogue's ids for the speed operation (issue 21; memory/speed.hpp, api/speed_ops.cpp): the terms'
// formulas, the assumptions, the errors and the names of the peaks. message_catalogue() (messages.cpp) appends them;
// web/src/core-text-speed.js has the zh template of each (tests/node/core-text.test.mjs checks both lists agree).
#include "gpumem/base/text.hpp"

namespace gpumem {

const std::vector<Message>& speed_messages() {
  static const std::vector<Message> catalogue = {
      // ---- the peaks a term divides by ----
      {"phrase.peak.fp32", "FP32"},
      {"phrase.peak.fp16", "FP16 tensor"},
      {"phrase.peak.fp16acc", "FP16 tensor (FP16 accumulate)"},
      {"phrase.peak.bf16", "BF16 tensor"},
      {"phrase.peak.fp8", "FP8 tensor"},
      {"phrase.peak.fp4", "FP4 tensor"},
      // ---- the terms (speed.hpp; docs/ESTIMATION.md "Speed") ----
      {"speed.formula.prefill_matmul",
       "2 × active matrix params × {tokens} tokens = {tflop} TFLOP ÷ ({peak} TFLOPS {peak_name} × {eff}) = {time}"},
      {"speed.formula.prefill_attention",
       "QKᵀ and PV over contexts {depth} + 1 … {depth} + {prompt} = {tflop} TFLOP ÷ ({peak} TFLOPS × {eff}) = {time}"},
      {"speed.formula.prefill_weights",
       "{chunks} physical batches × {gb} GB of weights ÷ ({bw} GB/s × {eff}) = {time}"},
      {"speed.formula.prefill_dequant",
       "{chunks} physical batches × {b} B of dequantization traffic per quantized weight ÷ {bw} GB/s = {time}"},
      {"speed.formula.prefill_overhead", "{chunks} physical batches × {layers} layers × {us} µs = {time}"},
      {"speed.formula.prefill_interconnect",
       "all-reduces over {tp} GPUs, stage hand-offs and copied weights at {link} GB/s per direction = {time}"},
      {"speed.formula.decode_weights", "{gb} GB of weights per step ÷ ({bw} GB/s × {eff}) = {time}"},
      {"speed.formula.decode_kv", "{batch} × {mb} MB of KV cache at context {context} ÷ ({bw} GB/s × {eff}) = {time}"},
      {"speed.formula.decode_compute", "{gflop} GFLOP per step ÷ ({peak} TFLOPS × {eff}) = {time}"},
      {"speed.formula.decode_compute_alu",
       "{alu} ALU operations per weight ÷ {fp32} TFLOPS FP32 + {gflop} GFLOP ÷ ({peak} TFLOPS × {eff}) = {time}"},
      {"speed.formula.decode_overhead", "{layers} layers × {us} µs of kernel launches and synchronisation = {time}"},
      {"speed.formula.decode_interconnect",
       "all-reduces over {tp} GPUs, stage hand-offs and copied weights at {link} GB/s per direction = {time}"},
      {"speed.formula.decode_cpu", "{gb} GB read by the CPU ÷ ({bw} GB/s × {eff}) = {time}"},
      {"speed.formula.decode_step",
       "max(weights + KV cache, compute) + the rest, averaged over {output} steps at contexts {from} … {to} = {time} "
       "per token ({tps} tokens/s)"},
      {"speed.formula.train_full",
       "(2 forward + 4 backward) × {active} active params × {tokens} tokens + attention = {tflop} TFLOP ÷ ({peak} "
       "TFLOPS {peak_name} × MFU {mfu}) = {time}"},
      {"speed.formula.train_lora",
       "(2 forward + 2 input gradient) × {active} frozen params + 6 × {trainable} adapter params, × {tokens} tokens, + "
       "attention = {tflop} TFLOP ÷ ({peak} TFLOPS {peak_name} × MFU {mfu}) = {time}"},
      {"speed.formula.train_recompute", "of which {tflop} TFLOP recompute checkpointed activations"},
      {"speed.formula.train_interconnect",
       "gradient all-reduce over {dp} data-parallel ranks ({gb} GB) and tensor-parallel all-reduces over {tp} GPUs at "
       "{link} GB/s per direction = {time}"},
      {"speed.formula.train_cpu", "optimizer step on the CPU: 16 B per parameter ÷ ({bw} GB/s × 0.6) = {time}"},
      // ---- assumptions ----
      {"assume.speed_efficiency",
       "Speed: {engine} on {backend} at the fractions of peak bandwidth and compute fitted on public llama-bench "
       "measurements (tests/fixtures/speed/benchmarks.json); the range is the 10th to 90th percentile of their "
       "residuals."},
      {"assume.speed_efficiency_prior",
       "Speed: {engine}'s fractions of peak are documented priors, not fitted on measurements (no public single-GPU "
       "rows state every setting), so the range is wider."},
      {"assume.speed_moe_experts",
       "MoE decode reads the routed experts a step of {batch} sequences touches: {experts} × (1 − (1 − "
       "{used}/{experts})^{batch}) = {touched} per layer, with uniform routing."},
      {"assume.speed_pipeline_serial",
       "The {stages} pipeline stages run one after another (a step keeps one device busy at a time); no overlap of "
       "micro-batches is counted."},
      {"assume.speed_no_peak",
       "{gpu} has no published {peak} figure: prefill and time to first token are not estimated."},
      {"assume.speed_no_fp32",
       "{gpu} has no published FP32 figure: the decode step's dequantization work is left out."},
      {"assume.speed_unverified", "Some of {gpu}'s speed figures ({fields}) have a single non-vendor source."},
      {"assume.speed_flash_attn",
       "The llama.cpp efficiencies were fitted mostly on runs without flash attention; with it, long contexts run "
       "somewhat faster than estimated."},
      {"assume.speed_cpu_layers",
       "{layers} leading layers (and what --n-cpu-moe keeps) run on the CPU at {bw} GB/s × {eff} (cpu_bandwidth)."},
      {"assume.speed_offload_streamed",
       "The {layers} offloaded layers are copied to the GPU over PCIe at every forward ({pcie} GB/s effective)."},
      {"assume.speed_backend_default", "Backend {backend}, the {vendor} default (backend auto)."},
      {"assume.speed_prompt_default", "A prompt of 512 tokens (neither prompt nor context given)."},
      {"assume.speed_table",
       "The table's tokens per second run each GPU where the fits-on table puts the model (the request's GPUs where "
       "it fits, else the fewest tensor-parallel GPUs that hold it), every layer on the GPUs, with the GPU vendor's "
       "backend."},
      {"assume.speed_mfu", "Training step at MFU {mfu}: the matmuls run at that share of the GPU's dense peak."},
      {"assume.speed_mfu_default",
       "MFU 0.4 (mfu default): between single-node fine-tuning runs (about 0.3 to 0.4) and Megatron-LM's 0.52 on "
       "A100s (Narayanan et al. 2021)."},
      // ---- errors ----
      {"error.options.backend", "backend must be auto, cuda, rocm, metal or vulkan."},
      {"error.speed.encoder", "Speed covers decoder-only models; {model_type} has an encoder."},
      {"error.speed.no_bandwidth", "{gpu} has no published memory bandwidth; choose another GPU."},
      {"error.speed.no_link", "{gpu} has no link between GPUs in the catalogue; use --gpus 1."},
      {"error.speed.no_train_peak", "{gpu} has no published {peak} figure; choose another precision or GPU."},
      {"error.speed.no_gpu", "Speed needs a GPU: give --gpu NAME (gpumem gpus lists them)."},
      {"error.speed.custom_gpu", "{gpu} is a custom card without speed figures; give a catalogue GPU with --gpu."},
      {"error.speed.backend_gpu", "Backend {backend} does not run on {gpu} ({vendor}); use auto."},
      {"error.speed.backend_engine", "{engine} has no Vulkan backend; use auto."},
      {"error.speed.vllm_metal", "vLLM has no Apple GPU (Metal) backend; on {gpu} choose llama.cpp or transformers."},
      {"error.speed.context_short", "context {context} is shorter than depth + prompt + output; give at least {need}."},
      {"error.speed.weights_mode", "Speed covers inference and training; use --mode inference or train."},
  };
  return catalogue;
}

}  // namespace gpumem
