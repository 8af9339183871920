// The catalogue's formula and source ids: the pieces of every memory part's formula and source
// (core/src/memory/*.cpp, base/formula.hpp), the training recipe, its bytes per parameter, the typical
// peak and the measurement. message_catalogue() (messages.cpp) appends them; web/src/core-text-memory.js has
// the zh template of each. Ids: "formula.<part or engine>.<what>", "source.<part or engine>.<what>",
// "train.<what>". English pieces concatenate to the formula and source strings of the JSON, byte for byte.
#include "gpumem/base/text.hpp"

namespace gpumem {

const std::vector<Message>& memory_messages() {
  static const std::vector<Message> catalogue = {
      {"formula.none", ""},
      {"formula.plus", " + "},
      {"formula.eq_bytes", " = {bytes} bytes"},
      {"formula.eq_bytes_gib", " = {bytes} bytes = {gib}"},
      {"formula.paren", " ({inner})"},
      {"formula.weights.dense", "{params} params × {n} bytes ({dtype}) = {bytes} bytes = {gib}"},
      {"formula.weights.dense_bits", "{params} params × {n} bits / 8 ({dtype}) = {bytes} bytes = {gib}"},
      {"formula.weights.checkpoint",
       "{file}'s tensors: {embd} bytes (token embedding) + {layers} bytes ({n} decoder layers) + {outside} bytes "
       "(the rest) = {bytes} bytes = {gib}"},
      {"source.weights.checkpoint_safetensors",
       "the safetensors headers: each tensor's data_offsets span (huggingface/safetensors format)"},
      {"source.weights.checkpoint_gguf",
       "the GGUF header: each tensor's type and shape, in ggml's bytes per block (ggml.c type traits)"},
      {"source.weights.dense",
       "bytes per parameter of the storage type; every parameter is stored once (tied embeddings count once, as in "
       "model.num_parameters())"},
      {"formula.quant.bnb_int8", "in·out × 1 B + out × 4 B (fp32 SCB)"},
      {"formula.quant.bnb4_double", "n/2 B + ⌈n/64⌉ × 1 B (8-bit absmax) + ⌈n/64/256⌉ × 4 B + 4 B offset"},
      {"formula.quant.bnb4", "n/2 B + ⌈n/64⌉ × 4 B (fp32 absmax)"},
      {"formula.quant.gptq", "in·out·{bits}/8 B + {groups}·out·({bits}/8 + 2) B + in × 4 B (g_idx)"},
      {"formula.quant.awq", "in·out·{bits}/8 B + {groups}·out·({bits}/8 + 2) B"},
      {"formula.quant.fp8_block", "n × 1 B + ⌈in/{block}⌉·⌈out/{block_out}⌉ × {scale} (scale per block)"},
      {"formula.quant.fp8_channel", "n × 1 B + out × {scale} (scale per output row)"},
      {"formula.quant.fp8_tensor", "n × 1 B + {scale} (scale per tensor)"},
      {"formula.quant.fp8_input_scale", " + {scale} (static input scale)"},
      {"formula.quant.fp8_input_scale_ub", " + 4 B (input_scale_ub)"},
      {"formula.quant.mxfp4", "n/2 B + n/32 × 1 B (E8M0)"},
      {"formula.quant.nvfp4", "n/2 B + n/16 × 1 B (E4M3) + 8 B (fp32 global and input scale)"},
      {"formula.quant.term_quantized", "{params} params as {method}: per matrix {per_matrix} = {bytes} bytes"},
      {"formula.quant.term_kept", "{params} params × {bits}/8 B = {bytes} bytes"},
      {"formula.quant.term_gguf", "{params} params in {type} = {bytes} bytes"},
      {"formula.quant.term_f32", "{params} params × 4 B = {bytes} bytes"},
      {"formula.quant.term_towers", "{params} vision tower and projector params kept × {bits}/8 B = {bytes} bytes"},
      {"formula.quant.term_mmproj", "{params} vision tower and projector params in the F16 mmproj = {bytes} bytes"},
      {"source.quant.none", "bytes per parameter of the storage type"},
      {"source.quant.plain",
       "bitsandbytes nn/modules.py, AutoGPTQ/AutoAWQ qlinear, vLLM quantization/*.py, compressed-tensors, transformers "
       "fbgemm_fp8, OCP MX v1.0, NVIDIA NVFP4; embeddings, lm_head, norms, biases, MoE routers and the checkpoint's "
       "modules_to_not_convert / ignore list stay in the load dtype"},
      {"source.quant.gguf",
       "llama.cpp src/llama-quant.cpp llama_tensor_get_type (output Q6_K; attn_v, ffn_down and attn_output by ftype, "
       "layer and use_more_bits; 8-expert and 70B bumps; row-size fallbacks), ggml-common.h block sizes (Q4_0 18 B/32, "
       "Q8_0 34 B/32, Q2_K 84, Q3_K 110, Q4_K 144, Q5_K 176, Q6_K 210 B/256, MXFP4 17 B/32); convert_hf_to_gguf.py "
       "writes 1-D tensors and routers F32"},
      {"formula.eq_B", " = {bytes} B"},
      {"formula.bnb.dequant_fused",
       "dequantized weight {in} × {out} × {n} B (gemm_4bit's dequant+linear fallback, in the compute dtype)"},
      {"formula.bnb.dequant_load",
       "dequantized weight {in} × {out} × {n} B (MatMul4Bit: dequantize_4bit in the load dtype)"},
      {"formula.bnb.dequant_cast", " + its .to(compute dtype) copy × {n} B"},
      {"formula.bnb.casts", "the input and output in the compute dtype {rows} × ({in} + {out}) × {n} B"},
      {"formula.close_paren", ")"},
      {"formula.kv.group", "{layers} layers × {per_token} B/token × {tokens} tokens"},
      {"formula.kv.state", "{bytes} B recurrent state × {seqs} seqs"},
      {"formula.kv.no_attention", "no decoder attention layer"},
      {"formula.kv.total", " = {bytes} bytes ({seqs} sequences; {kv}; per token = K + V rows of KV heads × head_dim"},
      {"formula.kv.fp32_keys", " (keys fp32: GPT-NeoX's fp32 rotary tables)"},
      {"formula.kv.mla", ", MLA latent kv_lora_rank + rope dim"},
      {"source.kv.hf", "transformers cache_utils.py (DynamicCache, sliding layers capped)"},
      {"source.kv.vllm", "vLLM v1 kv_cache_interface.py (blocks of 16 tokens, MLA latent)"},
      {"source.kv.llamacpp", "llama.cpp llama-kv-cache.cpp (cells padded to 256, SWA cache)"},
      {"formula.vllm.sampler",
       "sampler warm-up: {rows} rows (min(max_num_seqs {max_num_seqs}, max_num_batched_tokens {tokens})) × {vocab} "
       "vocab × ({act} B logits + 4 B fp32 copy + 32 B of torch.sort: values, int64 indices, the radix sort's second "
       "buffers and the positions it sorts) = {logits} B, beside the forward's output {tokens} × {n_embd} × {act} B = "
       "{hidden} B; torch's peak is the larger of this {phase} B and the forward's (the workspace, {forward_peak} B), "
       "so this part is what it adds: {bytes} bytes"},
      {"source.vllm.sampler",
       "vLLM v1/worker/gpu_model_runner.py profile_run → _dummy_sampler_run (logits of each dummy request's last "
       "token; v1/sample/sampler.py: logits.to(float32); v1/sample/ops/topk_topp_sampler.py apply_top_k_top_p: "
       "logits.sort); utils/mem_utils.py memory_profiling (torch_peak_increase)"},
      {"formula.vllm.non_torch",
       "non_torch_increase ≈ 64 MiB (cuBLAS workspaces and attention-backend buffers allocated outside torch during "
       "the profiling run; vLLM logs 0.04–0.07 GiB on one GPU) = {bytes} bytes; the CUDA context (≈ 500 MiB) is in the "
       "baseline snapshot, outside the budget"},
      {"source.vllm.non_torch",
       "vLLM utils/mem_utils.py memory_profiling (non_torch_increase since the MemorySnapshot of "
       "v1/worker/gpu_worker.py init_device); PR #21489's log: 0.07 GiB for non-torch memory"},
      {"formula.vllm.cuda_graphs",
       "profile_cudagraph_memory's estimate ≈ 512 MiB (vLLM logs 'Estimated CUDA graph memory: 0.23–0.84 GiB' for "
       "dense 1–8B models), subtracted from the budget since 0.21 = {bytes} bytes"},
      {"formula.vllm.cuda_graphs_outside",
       "0 in the budget: {release} captures its CUDA graphs (≈ 512 MiB) after sizing the cache, outside the budget "
       "(VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS=0 by default before 0.21)"},
      {"source.vllm.cuda_graphs",
       "vLLM v1/worker/gpu_worker.py determine_available_memory (cudagraph_memory_estimate_applied), "
       "v1/worker/gpu_model_runner.py profile_cudagraph_memory (PR #30515; on by default since 0.21)"},
      {"source.vllm.weights_loaded",
       "; vLLM v1/worker/gpu_model_runner.py load_model: model_memory_usage, the log's \"Model loading took … GiB\" "
       "and the budget's weights_memory"},
      {"formula.vllm.kv_remainder",
       "{release} gives its cache the budget's remainder: requested {requested} (total × gpu_memory_utilization) − the "
       "other parts = {available} bytes = {blocks} blocks of 16 tokens ({block_bytes} B each) = {tokens} tokens; the "
       "request's sequences use {used} B of it{own}"},
      {"formula.vllm.kv_short",
       "the request's sequences need {need} bytes{own}, more than the {available} {release} leaves for its cache "
       "(requested − the other parts)"},
      {"source.vllm.kv_cache",
       "vLLM v1/worker/gpu_worker.py determine_available_memory, v1/core/kv_cache_utils.py get_kv_cache_config "
       "(num_blocks = available // (page_size × layers)), v1/kv_cache_interface.py (block_size 16)"},
      {"formula.layers.none", "no layer"},
      {"formula.layers.one", "layer {layer}"},
      {"formula.layers.range", "layers {first}–{last}"},
      {"formula.llamacpp.weights_layers", "-ngl {ngl}: {range} {bytes} B"},
      {"formula.llamacpp.output_gpu", " + output layer {bytes} B"},
      {"formula.llamacpp.output_cpu", " (output layer on the CPU)"},
      {"formula.llamacpp.moved_experts",
       " − routed experts of layers below --n-cpu-moe {n_cpu_moe} (host memory) {bytes} B"},
      {"formula.llamacpp.weights_total",
       " = {bytes} bytes (CUDA0 model buffer {mib}); token embeddings {embd} B stay in host memory (CPU_Mapped model "
       "buffer {host_mib}); the file: "},
      {"formula.llamacpp.kv_none", "no layer on the GPU: 0 bytes"},
      {"formula.llamacpp.kv_host", "; {range} keep theirs in host memory (CPU KV buffer {mib})"},
      {"formula.llamacpp.kv_buffer", " (CUDA0 KV buffer {mib})"},
      {"formula.llamacpp.compute_fa",
       "CUDA0 compute buffer {mib} for a ubatch of {ubatch} tokens (n_ubatch), the largest of: output {ubatch} × "
       "({vocab} vocab + {n_embd}) × 4 B; attention (flash attention: the KQ mask F32 + F16 of {ctx} cells + 4 × "
       "n_embd activations); feed-forward"},
      {"formula.llamacpp.compute_eager",
       "CUDA0 compute buffer {mib} for a ubatch of {ubatch} tokens (n_ubatch), the largest of: output {ubatch} × "
       "({vocab} vocab + {n_embd}) × 4 B; attention (no flash attention: {heads} heads × {ubatch} × {ctx} fp32 scores "
       "+ the mask + 4 × n_embd activations); feed-forward"},
      {"formula.llamacpp.output_binds", "; the output binds, less its logits (the logits part) = {bytes} bytes"},
      {"formula.llamacpp.layer_binds", "; a layer binds = {bytes} bytes"},
      {"formula.llamacpp.op_offload", " (with the largest host weight copied in for the ubatch: op_offload)"},
      {"formula.llamacpp.logits",
       "{positions} positions × {vocab} vocab × 4 B (every position's fp32 logits, inside the compute buffer) = "
       "{bytes} bytes"},
      {"formula.llamacpp.logits_reused", "0: a layer's peak binds the compute buffer, which the logits reuse"},
      {"formula.llamacpp.no_lm_head", "no language-model head: no vocabulary logits"},
      {"source.llamacpp.weights_checkpoint",
       "llama.cpp src/llama-model.cpp load_tensors (the input layer on the CPU; -ngl layers and the output layer on "
       "the GPU; --n-cpu-moe experts on the CPU); the bytes from {file}"},
      {"source.llamacpp.weights",
       "llama.cpp src/llama-model.cpp load_tensors (the input layer on the CPU; -ngl layers and the output layer on "
       "the GPU; --n-cpu-moe experts on the CPU)"},
      {"source.llamacpp.workspace",
       "llama.cpp src/llama-context.cpp graph_reserve (one n_ubatch, n_outputs = n_ubatch); docs/ESTIMATION.md "
       "(llama.cpp)"},
      {"source.llamacpp.logits", "llama.cpp src/llama-context.cpp graph_reserve: n_ubatch × n_vocab fp32 logits"},
      {"formula.runtime.llamacpp",
       "CUDA context + cuBLAS handle ≈ 300 MiB (llama.cpp allocates its buffers itself, no torch) = {bytes} bytes"},
      {"formula.runtime.llamacpp_not_counted", "not counted: the figure compared is the buffers alone"},
      {"source.runtime.llamacpp", "docs/ESTIMATION.md (Runtime overhead)"},
      {"formula.bytes_suffix", " bytes"},
      {"formula.eq_value", " = {value}"},
      {"formula.stage.no_layer", "no decoder layer"},
      {"formula.stage.device_map", "device_map GPU {device}: {layers} {bytes} B"},
      {"formula.stage.pipeline", "pipeline stage {stage} of {stages}: {layers} {bytes} B"},
      {"formula.stage.embeddings", " + embeddings {bytes} B"},
      {"formula.stage.output", " + final norm and lm_head {bytes} B"},
      {"formula.stage.tied_copy", " + tied embedding copy as lm_head {bytes} B"},
      {"formula.stage.total", " = {bytes} bytes (of the whole model's {model_bytes}: "},
      {"formula.weights.tp", "; ÷ {tp} tensor-parallel ranks = {bytes} bytes per GPU"},
      {"formula.weights.offloaded_module",
       "; + the largest CPU-offloaded module, copied in by accelerate's hook while it runs = {bytes} bytes"},
      {"formula.weights.cpu_offload",
       "; {layers} layers ({params} of {total} params) in CPU RAM: − {cpu} bytes = {bytes} bytes on the GPU"},
      {"formula.buffers.bias",
       "{layers} layers × (causal-mask `bias` {ctx}² × {n} B + masked_bias, each rounded to 512 B)"},
      {"formula.buffers.rotary_tables", "{layers} layers × (fp32 cos and sin tables {ctx} × {rot} + inv_freq)"},
      {"formula.buffers.inv_freq", "rotary inv_freq: {n} fp32 values, rounded to the caching allocator's 512 B block"},
      {"source.buffers.legacy",
       "transformers {version} modeling_{model_type}.py: every attention layer registers `bias` and `masked_bias` "
       "(GPT-NeoX also its own rotary tables; docs/ESTIMATION.md, transformers versions)"},
      {"source.buffers.rope",
       "transformers ≥ 4.38 modeling_rope_utils.py: one shared rotary module per model; 4.32 kept per-layer cos/sin "
       "caches (docs/ESTIMATION.md)"},
      {"formula.kv.offloaded_layers", "; + the CPU-offloaded layers' cache, kept on GPU 0 where they run: "},
      {"formula.kv.peak_prefill", "at the peak, the prefill: "},
      {"formula.kv.peak_first_step", "at the peak, the first decoding step: "},
      {"formula.kv.peak_last_step", "at the peak, the last decoding step: "},
      {"formula.kv.cpu_offload", "; the offloaded layers' cache stays with them in CPU RAM: − {bytes} bytes"},
      {"formula.kv_previous.prefill", "the prefill starts from no cache: 0 bytes"},
      {"formula.kv_previous.step",
       "the previous step's cache of {tokens} tokens, still referenced by generate's model_kwargs while the step's "
       "torch.cat builds the new one = {bytes} bytes"},
      {"source.kv_previous",
       "transformers {version} legacy tuple past_key_values (docs/ESTIMATION.md, transformers versions)"},
      {"formula.workspace.freed",
       "0 at the peak, the prefill's logits: the layers' transients ({bytes} B for the widest) are freed before "
       "lm_head runs"},
      {"formula.workspace.step",
       "{seqs} sequences × 1 token (a decoding step) × (3 × {n_embd} + {q} + {kv} + 3 × {ff}) × {act} B"},
      {"formula.workspace.bnb4", " + bitsandbytes 4-bit: "},
      {"formula.workspace.forward",
       "{tokens} tokens{note} × (3 × {n_embd} + {q} + {kv} + 3 × {ff}) × {act} B = {value}"},
      {"formula.workspace.vllm_note", " (vLLM profile_run: one forward of max_num_batched_tokens)"},
      {"formula.workspace.llamacpp_note", " (llama.cpp compute buffer: one ubatch in F32)"},
      {"formula.workspace.scores", " + attention scores {rows} × {heads} heads × {keys} keys × {n} B = {value}"},
      {"formula.workspace.scores_fp32_softmax",
       " + attention scores {rows} × {heads} heads × {keys} keys × {n} B (scores + fp32 softmax) = {value}"},
      {"formula.workspace.scores_softmax",
       " + attention scores {rows} × {heads} heads × {keys} keys × {n} B (scores + softmax output) = {value}"},
      {"formula.workspace.in_all", "; in all {value}"},
      {"source.workspace.hf", "transformers forward of one decoder layer (SDPA: no P² term)"},
      {"source.workspace.vllm", "vLLM gpu_model_runner.profile_run (dummy batch)"},
      {"source.workspace.llamacpp", "llama.cpp llama-context.cpp graph_reserve (ubatch)"},
      {"formula.logits.no_lm_head", "no language-model head (encoder): no vocabulary logits"},
      {"formula.logits.last_stage", "computed on the last pipeline stage only"},
      {"formula.logits.after_layers",
       "0 at the peak, inside the widest layer during the prefill: the logits ({bytes} B) come after the layers"},
      {"formula.logits.elem", "{n} B"},
      {"formula.logits.elem_sum", "({n}{fp32}{clone}) B"},
      {"formula.logits.elem_fp32", " + 4 (logits.float())"},
      {"formula.logits.elem_clone", " + {n} (_sample's clone)"},
      {"formula.logits.kept", " (the prefill's, still referenced by `outputs`)"},
      {"formula.logits.prefill",
       "{seqs} seqs × {positions} positions × {vocab} vocab × {elem}{kept} + {seqs} × {vocab} × 4 B (fp32 last "
       "position) = {bytes} bytes"},
      {"formula.logits.prefill_last",
       "{seqs} seqs × {positions} position (logits_to_keep = 1) × {vocab} vocab × {elem}{kept} + {seqs} × {vocab} × 4 "
       "B (fp32 last position) = {bytes} bytes"},
      {"formula.logits.llamacpp",
       "{tokens} ubatch positions × {vocab} vocab × 4 B (graph_reserve's fp32 logits) = {bytes} bytes"},
      {"formula.logits.last_position", "{seqs} seqs × {vocab} vocab × 4 B (fp32, last position) = {bytes} bytes"},
      {"source.logits.hf",
       "transformers generation/utils.py: prefill logits of every position before 4.45 or without logits_to_keep, else "
       "of the last; fp32 scores (docs/ESTIMATION.md)"},
      {"source.logits.other", "vLLM sampler / llama.cpp output buffer: one fp32 row per sequence"},
      {"formula.runtime.not_counted",
       "not counted: the figure compared is the allocator's own statistic (memory_allocated)"},
      {"formula.runtime.hf_eager_loading",
       "CUDA context without lazy module loading (CUDA < 11.7: every kernel of torch loaded) = 1343 MiB, measured on a "
       "V100 with CUDA 11.2 (tests/fixtures/measurements.json, transformers docs)"},
      {"formula.runtime.hf", "CUDA context with lazy module loading + cuBLAS/cuDNN handles ≈ 500 MiB"},
      {"formula.runtime.llamacpp_plain",
       "CUDA context + cuBLAS handle ≈ 300 MiB (llama.cpp allocates its buffers itself, no torch)"},
      {"source.runtime.inference",
       "docs/ESTIMATION.md (Runtime overhead): PyTorch CUDA lazy loading notes, vLLM worker logs, the 1343 MiB "
       "V100/CUDA 11.2 context of tests/fixtures/measurements.json"},
      {"formula.train.per_dp_ranks", " / {g} data-parallel ranks"},
      {"formula.train.per_gpus", " / {g} GPUs"},
      {"formula.train.tp_rank", " (one of {tp} tensor-parallel ranks)"},
      {"train.recipe.lora",
       "{kind} over a frozen {base} base; fp32 adapters, gradients and optimizer states for the adapters only"},
      {"train.recipe.fp32", "fp32: fp32 weights and gradients"},
      {"train.recipe.bf16", "pure bf16: bf16 weights, gradients and optimizer states"},
      {"train.recipe.mixed_deepspeed",
       "mixed precision (DeepSpeed/Megatron): 16-bit weights and gradients, fp32 master weights"},
      {"train.recipe.amp",
       "automatic mixed precision (torch.autocast): fp32 weights and gradients, 16-bit weight copies made by autocast "
       "for the forward and kept for backward"},
      {"formula.train.weights_amp",
       "{params} matmul weights × 2 bytes (autocast's 16-bit copies; embeddings and norms are not cast)"},
      {"formula.train.master_amp", "{params} params{rank} × 4 bytes (fp32 parameters = master copy)"},
      {"formula.train.weights_qlora", "{method}{double_quant}{prepare}: "},
      {"formula.train.double_quant", " with double quantization"},
      {"formula.train.prepare_kbit", ", unquantized parameters in fp32 (PEFT prepare_model_for_kbit_training)"},
      {"formula.train.weights", "{params} params{rank} × {n} bytes"},
      {"formula.train.master", "{params} params{rank} × 4 bytes (fp32 master copy)"},
      {"formula.train.no_master", "no separate master copy in this recipe: 0"},
      {"formula.train.gathered", " + gathered layers 2 × {params} params × {n} bytes"},
      {"formula.train.params_offloaded", " − {bytes} bytes offloaded to CPU"},
      {"formula.train.gradients", "{params} trainable params × {n} bytes"},
      {"formula.train.adamw", "{params} × 2 states (m, v) × {n} bytes"},
      {"formula.train.sgd", "SGD without momentum keeps no state: 0"},
      {"formula.train.no_optimizer", "no optimizer step (forward and backward only): 0"},
      {"formula.train.momentum", "{params} × 1 momentum buffer × {n} bytes"},
      {"formula.train.adamw8bit",
       "{big} × 2 × 1 byte + ⌈{big} / 256⌉ × 2 × 4 bytes absmax + {small} small (norm) params × 8 bytes"},
      {"formula.train.adafactor",
       "{values} second-moment values (row + column vectors per matrix, full for vectors) × {n} bytes"},
      {"formula.train.adam_mini",
       "{params} first moments (m) + {v} second moments (one per head of q/k, per row of other matrices, per n_embd of "
       "vectors) × {n} bytes"},
      {"formula.train.offloaded", " → offloaded to CPU RAM: 0 on the GPU"},
      {"formula.train.acts_tp_sp", " on one of {tp} tensor-parallel ranks, sequence parallel (every tensor ÷ {tp})"},
      {"formula.train.acts_tp",
       " on one of {tp} tensor-parallel ranks (heads and MLP columns ÷ {tp}; norm inputs, linear inputs and dropout "
       "masks replicated)"},
      {"formula.train.acts_full_checkpointing",
       "full checkpointing: {layers} − 1 block inputs ({kept} bytes) + one block recomputed ({block} bytes){tp}"},
      {"formula.train.acts", "{layers} blocks × saved tensors of {tokens} tokens{tp}"},
      {"formula.train.acts_scores", " (of which eager attention's a·s² scores {bytes} bytes)"},
      {"formula.train.acts_selective", ", selective checkpointing recomputes the attention core"},
      {"formula.train.acts_outside", " + {bytes} bytes outside the blocks (embedding output, final/embedding norms)"},
      {"formula.train.vocab", "{v}"},
      {"formula.train.vocab_tp", "{v} (vocabulary ÷ {tp})"},
      {"formula.train.lm_head_input", " + lm_head input {n} bytes × {tokens} tokens"},
      {"formula.train.logits_chunked",
       "chunked fused linear + cross-entropy: input gradient {tokens} tokens × {n} bytes + one chunk of {chunk} tokens "
       "× {c} bytes × vocab {vocab}"},
      {"formula.train.logits_sum",
       "{tokens} tokens × vocab {vocab} × {c} bytes × 2 (the logits, and their gradient at the start of "
       "backward){input}"},
      {"formula.train.logits_full", "{tokens} tokens × ({c} + 4 bytes) × vocab {vocab}{input}"},
      {"formula.train.no_lm_head", "no LM head (encoder with a pooler/classifier: a few values per sample): 0"},
      {"formula.train.adapters", "{params} adapter params (rank {rank}) × 4 bytes (fp32)"},
      {"formula.train.no_adapters", "full fine-tuning, no adapters: 0"},
      {"formula.train.buffers",
       "{layers} layers × {bytes} bytes (causal-mask `bias` and rotary tables; docs/ESTIMATION.md, transformers "
       "versions)"},
      {"formula.train.no_previous_outputs", "the training loop does not hold outputs across steps: 0"},
      {"formula.train.previous_outputs", "{tokens} tokens × (logits {v} × {c} bytes + past_key_values {kv} bytes)"},
      {"formula.train.runtime_smi", "CUDA context and kernels, {mib} MiB"},
      {"formula.train.runtime_allocated",
       "cuBLAS workspaces 2 × 8,519,680 bytes (max_memory_allocated excludes the CUDA context)"},
      {"source.train.model_states",
       "ZeRO paper (Rajbhandari et al. 2020) §3; transformers docs 'Model training anatomy'"},
      {"source.train.optimizer",
       "AdamW: Loshchilov & Hutter; 8-bit: Dettmers et al. 2022 and bitsandbytes Optimizer8bit; Adafactor: Shazeer & "
       "Stern 2018; Lion: Chen et al. 2023; Adam-mini: Zhang et al. 2024"},
      {"source.train.activations",
       "saved tensors per block counted from the modules' autograd (Korthikanti et al. 2022, 'Reducing Activation "
       "Recomputation', §4, generalized to GQA, gated MLPs, dtype and dropout; tensor and sequence parallelism as in "
       "its Table 2)"},
      {"source.train.logits_chunked",
       "Liger-Kernel LigerFusedLinearCrossEntropy (chunked logits, gradient in the forward)"},
      {"source.train.logits", "transformers ForCausalLM loss (logits.float()), cross_entropy"},
      {"source.train.adapters", "Hu et al. 2021 (LoRA); PEFT LoraLayer"},
      {"source.train.buffers", "transformers modeling files"},
      {"source.train.previous_outputs",
       "Python rebinds `outputs` only after model(**inputs) returns; transformers' use_cache=True returns "
       "past_key_values in training too"},
      {"source.train.runtime", "bert-large measurement in transformers' docs"},
      {"formula.train.peak_accumulation",
       "gradient accumulation keeps gradients alive through every forward: = safe total"},
      {"formula.train.peak",
       "max(end of forward {forward_end}, start of backward {backward_start}, end of backward {backward_end}) = "
       "{bytes} (safe total minus what is freed before the other moments)"},
      {"train.bytes_per_param",
       "{weights} (weights) + {master} (master) + {gradients} (gradients) + {optimizer} (optimizer) = {total} bytes "
       "per parameter"},
      {"train.measurement.nvidia_smi", "per GPU, as nvidia-smi shows it (CUDA context included)"},
      {"train.measurement.allocated",
       "per GPU, as torch.cuda.max_memory_allocated reports it (no CUDA context, no allocator cache)"},
  };
  return catalogue;
}

}  // namespace gpumem
