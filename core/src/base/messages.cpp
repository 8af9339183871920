// The catalogue of every sentence the core says: message id → English template. Placeholders are
// {name}; values are formatted as the English output writes them. The page has the zh template of
// every id in web/src/core-text.js (tests/node/core-text.test.mjs checks both lists agree).
// Ids: "assume.<assumption code>[.variant]" for assumptions, "error.<concern>.<what>" for errors,
// "phrase.<what>" for words used inside other sentences. Adding one: docs/CONTRIBUTING.md.
#include "gpumem/base/text.hpp"

namespace gpumem {

const std::vector<Message>& message_catalogue() {
  static const std::vector<Message> catalogue = {
      // ---- phrases: words inside other sentences ----
      {"phrase.type.fraction", "a fractional number"},
      {"phrase.type.number", "a number"},
      {"phrase.type.string", "a string"},
      {"phrase.type.boolean", "a boolean"},
      {"phrase.type.array", "an array"},
      {"phrase.type.object", "an object"},
      {"phrase.type.null", "null"},

      // ---- the request (api.cpp, facade.cpp) ----
      {"error.request.not_object", "The request must be a JSON object."},
      {"error.request.not_json", "The request is not valid JSON."},
      {"error.request.unknown_op", "Unknown op \"{op}\"; use one of: {ops}."},
      {"error.internal.out_of_memory", "Out of memory while reading the input; try a smaller file."},
      {"error.internal.exception", "Internal error: {what}; please report it."},
      {"error.internal.unknown", "Unknown internal error; please report it."},

      // ---- config.json keys (base/reader.cpp) ----
      {"error.config.size_negative", "{key} is {value}, but a size cannot be negative; fix the value."},
      {"error.config.size_not_whole", "{key} is {value}, but it must be a whole, non-negative number."},
      {"error.config.size_too_large", "{key} is {value}, far beyond any real model; fix the value."},
      {"error.config.size_not_number", "{key} must be a number, but it is {type} ({value}); write a plain number."},
      {"error.config.size_zero", "{key} is 0, but it must be at least 1; fix the value."},
      {"error.config.missing_required",
       "The config has no {keys} (or it is null); it is required to count this model's parameters."},
      {"error.config.not_boolean", "{key} must be true or false, but it is {type}; fix the value."},
      {"error.config.fraction_not_number", "{key} must be a number, but it is {type}; fix the value."},
      {"error.config.fraction_range", "{key} must lie between 0 and 1; fix the value."},
      {"error.config.not_string", "{key} must be a string, but it is {type}; fix the value."},
      {"error.config.not_index_list", "{key} must be an array of layer indices, but it is {type}."},
      {"error.config.not_string_list", "{key} must be an array of strings, but it is {type}."},
      {"error.config.string_list_item", "{key} must hold strings, but item {index} is {type}."},
      {"error.config.not_object", "{key} must be an object, but it is {type}."},

      // ---- config.json as a whole (model/config_reader.cpp) ----
      {"error.json.invalid_at",
       "The file is not valid JSON ({reason} at line {line}, column {column}); use the model's config.json as "
       "downloaded."},
      {"phrase.json.too_deep", "nested deeper than {depth} levels; a config.json is only a few levels deep"},
      {"phrase.json.nul", "a NUL byte"},
      {"phrase.json.parser", "{detail}"},
      {"error.config.file_too_large",
       "The file is {bytes} bytes; a config.json is a few kilobytes and gpumem reads at most {max} bytes. Choose the "
       "model's config.json."},
      {"assume.python_json_constant",
       "The file uses Python's non-standard JSON constants (Infinity, -Infinity or NaN; the first at line {line}, "
       "column {column}); they were read as null, and no parameter count depends on them."},
      {"error.config.not_an_object",
       "The JSON is {type}, not an object; a config.json is an object such as {\"model_type\": \"llama\", …}."},
      {"error.config.no_model_type",
       "The config has no model_type, so the architecture is unknown; add the model_type of the model's config.json "
       "(e.g. \"llama\")."},
      {"error.config.wrapped_no_model_type",
       "model_type \"{outer}\" wraps a language model whose {key} has no model_type; add it (e.g. \"llama\")."},
      {"assume.towers_not_counted",
       "This is a multimodal {outer} config: only its language model ({inner}, from {key}) is counted."},
      {"assume.towers_not_counted.towers",
       "This is a multimodal {outer} config: only its language model ({inner}, from {key}) is counted; the towers "
       "in {towers} and the projector are not."},
      {"assume.towers_counted",
       "This is a multimodal {outer} config: its language model ({inner}, from {key}), its {vision} vision tower and "
       "the projector are all counted (groups vision and projector). Quantization leaves the tower and projector in "
       "the load dtype, as AWQ/GPTQ checkpoints, vLLM and llama.cpp's mmproj do; bitsandbytes in transformers "
       "would convert their linear layers too unless llm_int8_skip_modules names them."},
      {"assume.towers_counted.flat",
       "This is a multimodal {outer} config whose language model ({inner}) is read from the config's top level; its "
       "{vision} vision tower and the projector are counted too (groups vision and projector). Quantization leaves "
       "the tower and projector in the load dtype, as AWQ/GPTQ checkpoints, vLLM and llama.cpp's mmproj do; "
       "bitsandbytes in transformers would convert their linear layers too unless llm_int8_skip_modules names them."},
      {"assume.towers_counted.partly",
       "This is a multimodal {outer} config: its language model ({inner}, from {key}), its {vision} vision tower and "
       "the projector are counted (groups vision and projector); the towers in {towers} are not."},
      {"assume.vision_defaults",
       "vision_config leaves out {defaults}, so {cls}'s defaults are used, as transformers does."},
      {"error.config.image_not_patches",
       "vision_config's image_size ({image}) is not a whole number of {patch}-pixel patches (or is far too large); "
       "fix image_size or patch_size."},
      {"error.config.mlp_ratio", "vision_config's mlp_ratio must be a positive number below 1024; fix the value."},
      {"error.config.unsupported_model_type",
       "model_type \"{model_type}\" is not supported, and the config lacks the keys of a Llama-style decoder "
       "({missing}) that would allow an estimate; supported: {supported}."},
      {"assume.generic_layout",
       "model_type \"{model_type}\" is not one gpumem knows, so it is counted as a Llama-style decoder: token "
       "embeddings, per layer q/k/v/o projections (biases only if attention_bias is true) and a gated MLP of gate, "
       "up and down projections (biases only if mlp_bias is true), two RMSNorms per layer and a final one, rotary "
       "positions (no weights), and a separate lm_head unless tie_word_embeddings is true."},
      {"error.config.no_layers", "The model has no layers; fix the layer count."},
      {"error.config.kv_heads_over_heads", "There are more key/value heads than query heads; fix num_key_value_heads."},
      {"error.config.moe_no_experts", "A mixture-of-experts layer has no experts; fix the expert count."},
      {"error.internal.no_layer", "Layer {layer} does not exist."},
      // ---- the context limit (model/config_reader.cpp) ----
      {"phrase.ctx_limit.key", "{key} = {value}"},
      {"phrase.ctx_limit.trained", "the trained context {tokens}"},
      {"phrase.ctx_limit.learned", "{tokens} learned positions"},
      {"phrase.ctx_limit.rope", "rope_scaling {kind}: {factor} × {base} = {scaled}"},
      {"phrase.ctx_limit.rope_yarn",
       "rope_scaling {kind}: {factor} × original_max_position_embeddings {base} = {scaled}"},
      {"error.context.over_learned",
       "{tokens} tokens exceed the model's limit of {limit} ({from}): its learned position table has no row past it; "
       "choose at most {limit}."},
      {"assume.context_over_limit",
       "{tokens} tokens exceed the model's limit of {limit} ({from}); positions past it were never trained, so output "
       "quality is not assured."},

      // ---- family readers (model/families/) ----
      {"error.config.heads_not_multiple_of_kv",
       "num_attention_heads ({heads}) is not a multiple of {key} ({kv}); grouped-query attention needs it to be."},
      {"assume.n_head_kv_default.class",
       "{key} is absent, so the config class's default of {kv} key/value heads is used."},
      {"assume.n_head_kv_default.per_head",
       "{key} is absent, so every query head has its own key/value head ({heads}), as transformers does."},
      {"assume.head_dim_default", "{key} is absent, so the config class's default head dimension {head_dim} is used."},
      {"assume.class_default", "{key} is absent, so {cls}'s default of {value} is used, as transformers does."},
      {"error.config.hidden_not_divisible",
       "The hidden size ({hidden}) is not divisible by {key} ({heads}) and no head dimension is given; fix the sizes."},
      {"assume.tied_default.shared",
       "tie_word_embeddings is absent; {why}, so lm_head shares the embedding and is counted once."},
      {"assume.tied_default.separate", "tie_word_embeddings is absent; {why}, so lm_head is counted separately."},
      {"phrase.tied.defaults", "{cls} defaults tie_word_embeddings to {value}"},
      {"phrase.tied.default_plural", "{cls} default tie_word_embeddings to {value}"},
      {"phrase.tied.keeps_pretrained", "{cls} keeps PretrainedConfig's default true"},
      {"phrase.tied.generic", "PretrainedConfig's default would be true, but Llama-style decoders set false"},
      {"error.config.pattern_too_long",
       "The config has {layers} layers whose kinds follow a per-layer pattern; gpumem lays out at most {max} such "
       "layers (real models have a few hundred)."},
      {"error.config.layer_types_count",
       "layer_types lists {listed} layers but num_hidden_layers is {layers}; they must agree."},
      {"error.config.layer_type_unsupported",
       "layer type \"{type}\" is not supported; supported: full_attention, sliding_attention."},
      {"error.config.sliding_window_missing",
       "layer_types names sliding_attention layers but sliding_window is absent; add it."},
      {"assume.bias_default.internlm2",
       "bias is absent; InternLM2Config defaults it to true, so wqkv and wo carry biases."},
      {"assume.n_dec_default", "num_decoder_layers is absent, so the decoder has num_layers blocks."},
      {"error.config.bart_heads_differ",
       "decoder_attention_heads differs from encoder_attention_heads; gpumem counts BART-style models whose stacks "
       "share one head layout."},
      {"assume.n_ff_default",
       "{key} is absent or null, so the MLP inner size is 4 × hidden size = {n_ff}, as {cls} does."},
      {"assume.multi_query_default", "multi_query is absent; GPTBigCodeConfig defaults it to true."},
      {"assume.rotary_pct_default",
       "rotary_pct is not set, so a quarter of each head rotates (GPTNeoXConfig's default 0.25)."},
      {"assume.tied_ignored.chatglm",
       "tie_word_embeddings is true, but ChatGLM's output_layer is a separate matrix; it is counted."},
      {"error.config.experts_used_over_experts", "More experts per token than experts; fix {key}."},
      {"error.config.dbrx_no_attn_config", "The config has no attn_config; DBRX keeps kv_n_heads there."},
      {"error.config.dbrx_no_ffn_config", "The config has no ffn_config; DBRX keeps its experts there."},
      {"error.config.number_or_auto", "{key} must be a number or \"auto\"."},
      {"assume.dt_rank_default", "{key} is absent, so the Δ rank is \"auto\": ceil(hidden_size / 16) = {rank}."},
      {"error.config.no_hybrid_pattern",
       "The config has no hybrid_override_pattern, which says which block is Mamba, attention or MLP."},
      {"error.config.hybrid_pattern_count",
       "hybrid_override_pattern has {blocks} blocks but num_hidden_layers is {layers}; they must agree."},
      {"error.config.hybrid_block_unsupported",
       "Block {block} has layer type '{type}', which is not supported (supported: M Mamba-2, * attention, - MLP); "
       "its parameters cannot be counted."},
      {"error.internal.weight_layout_layer", "weight layout exceeds the layer's parameters"},
      {"error.internal.weight_layout_model", "weight layout exceeds the model's parameters"},

      // ---- engine × format (memory/support.cpp) ----
      {"support.hf.gguf_dequantized",
       "transformers dequantizes a GGUF checkpoint on load (to fp32, then the load dtype): its weights take the load "
       "dtype's bytes, not the GGUF type's; run the GGUF in llama.cpp to keep it quantized."},
      {"support.hf.nvfp4_decompressed",
       "transformers has no NVFP4 kernel: compressed-tensors decompresses an NVFP4 checkpoint to the load dtype on "
       "load; vLLM runs it as NVFP4."},
      {"support.llamacpp.mxfp4_converted",
       "llama.cpp runs the GGUF conversion: convert_hf_to_gguf.py keeps gpt-oss's MXFP4 experts (and stores the other "
       "tensors as Q8_0), the gguf-mxfp4_moe type."},
      {"support.llamacpp.gguf_only",
       "llama.cpp runs GGUF files only: choose the GGUF type you run (gguf-q4_k_m, gguf-q8_0, …) or none for "
       "F16/BF16, or --engine hf or vllm for {quant}."},
      {"support.engines", "Inference engines are hf, vllm and llamacpp."},
      {"support.hf.kv_refused",
       "transformers' caches hold the model's dtype or, as QuantizedCache, int2/int4/int8 (quanto, HQQ): choose auto "
       "or int8, or --engine vllm for fp8 and --engine llamacpp for {kv}."},
      {"support.vllm.kv_refused", "vLLM's --kv-cache-dtype is auto, fp8, fp8_e4m3 or fp8_e5m2: choose auto or fp8."},
      {"support.llamacpp.kv_refused",
       "llama.cpp's cache types are f32, f16, bf16, q8_0, q4_0 (and q4_1, iq4_nl, q5_0, q5_1): choose q8_0 for 8 "
       "bits."},

      // ---- vLLM (memory/vllm.cpp, api/vllm_ops.cpp) ----
      {"assume.vllm_batching_default",
       "{who} on {where} defaults to {what} (vllm/engine/arg_utils.py EngineArgs.get_batch_defaults; set "
       "--max-num-batched-tokens / --max-num-seqs as you pass them to vLLM)."},
      {"phrase.vllm.llm_class", "The LLM class"},
      {"phrase.vllm.serve", "`vllm serve`"},
      {"phrase.vllm.where.no_gpu", "no GPU given (vLLM's defaults when it cannot query one)"},
      {"phrase.vllm.where.big", "{device} (70 GiB or more, not an A100)"},
      {"phrase.vllm.where.a100", "{device} (an A100: the smaller defaults, PR #17885)"},
      {"phrase.vllm.where.small", "{device} (under 70 GiB)"},
      {"phrase.vllm.batch.tokens", "max_num_batched_tokens {tokens}"},
      {"phrase.vllm.batch.tokens_capped",
       "max_num_batched_tokens {tokens}, capped at max_num_seqs × max_model_len = {most}"},
      {"phrase.vllm.batch.seqs", "max_num_seqs {seqs}"},
      {"phrase.vllm.batch.both", "{tokens} and {seqs}"},
      {"assume.vllm_budget",
       "{rel} on {device} (total {total} as torch reports it) requests total × gpu_memory_utilization {util} = "
       "{requested} and gives its KV cache what the weights, the profiling run, non-torch memory and the CUDA-graph "
       "estimate leave: {kv} = {tokens} tokens in blocks of 16. The CUDA context ({context}) is outside that budget, "
       "so the process holds about {process} in nvidia-smi."},
      {"assume.vllm_budget.graphs_outside",
       "{rel} on {device} (total {total} as torch reports it) requests total × gpu_memory_utilization {util} = "
       "{requested} and gives its KV cache what the weights, the profiling run, non-torch memory leave: {kv} = "
       "{tokens} tokens in blocks of 16. The CUDA context ({context}) and the CUDA graphs (≈ {graphs}) are outside "
       "that budget, so the process holds about {process} in nvidia-smi."},
      {"assume.vllm_not_startable",
       "{rel} refuses to start: the free memory at start-up ({total} less the {context} CUDA context) is less than "
       "the requested {requested} (\"Free memory on device … is less than desired GPU memory utilization\"); lower "
       "--gpu-memory-utilization."},
      {"assume.vllm_no_cache_memory",
       "{rel} finds no memory for the KV cache on {device}: the weights and the profiling run alone exceed the "
       "requested {requested} (\"No available memory for the cache blocks\")."},
      {"assume.vllm_max_model_len",
       "{rel} refuses --max-model-len {context} on {device}: one request needs more KV cache than the {kv} "
       "available; the largest that fits is {max} (kv_cache_utils.py estimate_max_model_len)."},
      {"assume.vllm_concurrency",
       "The cache holds {concurrency} requests of {context} tokens at once (\"Maximum concurrency\"); {rel} queues "
       "the rest of the {sequences} sequences."},
      {"assume.vllm_kv_groups",
       "This model mixes sliding-window or recurrent layers with full attention: vLLM groups its layers into "
       "KV-cache groups; gpumem counts a block as 16 tokens over every attention layer (what the log's token count "
       "means) and each request's cache with its windows capped, an approximation of those groups "
       "(docs/ESTIMATION.md)."},
      {"error.options.vllm_release",
       "vllm must be a release from 0.19 to 0.27, e.g. 0.21 (or \"current\"); gpumem follows those releases' "
       "KV-cache budget."},
      {"assume.vllm_needs_gpu",
       "vLLM sizes its KV cache from the GPU: it requests total × gpu_memory_utilization and gives the cache what the "
       "weights and its profiling run leave. Without --gpu or --gpu-memory the KV part is what the requested "
       "sequences need, and a GPU fits when total × gpu_memory_utilization holds this total (the CUDA context stays "
       "outside that budget)."},

      // ---- llama.cpp (memory/llamacpp.cpp, api/llamacpp_ops.cpp) ----
      {"assume.llamacpp_host_memory",
       "llama.cpp keeps the token embeddings ({embd}) in host memory; host memory in all: {host} (CPU_Mapped model "
       "{model}, CPU KV {kv}, CUDA_Host compute {compute}, CUDA_Host output {output})."},
      {"assume.cpu_offload.llamacpp",
       "-ngl {ngl} of {layers}{moe}: {host} of weights and cache stay in host memory; those layers run on the CPU "
       "(and their weights are copied to the GPU for each prompt batch), so generation is slower."},
      {"error.options.prompt_over_context", "prompt cannot exceed context (prompt plus output)."},
      {"assume.context_default.llamacpp",
       "No context was chosen: llama-server's default (-c 0) is the model's trained context, {tokens} tokens per "
       "sequence; on --gpu its fit may shrink it."},
      {"assume.llamacpp_fit.unchanged",
       "llama.cpp's automatic fit (--fit on, common/fit.cpp) on {device}: {free} free after the CUDA context, keeping "
       "{margin} free (--fit-target); the model fits as asked ({projected}), nothing changed."},
      {"assume.llamacpp_fit.changed",
       "llama.cpp's automatic fit (--fit on, common/fit.cpp) on {device}: {free} free after the CUDA context, keeping "
       "{margin} free (--fit-target){changes} ({projected} on the device)."},
      {"assume.llamacpp_fit.gave_up",
       "llama.cpp's automatic fit (--fit on, common/fit.cpp) on {device}: {free} free after the CUDA context, keeping "
       "{margin} free (--fit-target){changes} ({projected} on the device); it gave up: {stopped}."},
      {"phrase.llamacpp_fit.context", "; context {from} → {to}"},
      {"phrase.llamacpp_fit.ngl", "; -ngl {from} → {to}"},
      {"phrase.llamacpp_fit.n_cpu_moe", "; --n-cpu-moe {n}"},

      // ---- estimators (memory/) ----
      {"error.internal.stage_outside", "pipeline stages: the weights outside the blocks do not add up"},
      {"error.internal.stage_shrank", "pipeline stages: a cut of the model shrank"},
      {"error.internal.plan_reused", "An inference plan was reused with another dtype, quant, offload or pp."},
      {"error.options.device_map_all_cpu",
       "accelerate would place every module on the CPU: no GPU budget holds even the embeddings."},
      {"assume.cpu_offload",
       "{layers} layers are kept in CPU RAM ({bytes}); every token then streams or computes them on the CPU, so "
       "generation is much slower."},
      {"error.train.mamba", "Training activations of Mamba mixers are not modelled yet; choose a transformer model."},
      {"error.train.gpus_multiple_of_tp",
       "gpus counts every GPU (tp × data-parallel ranks), so it must be a multiple of tp, e.g. gpus {gpus} for tp "
       "{tp}."},
      {"error.train.tp_lora",
       "Tensor parallelism with LoRA adapters is not modelled; use tp 1 with data parallelism or ZeRO."},
      {"error.train.tp_heads",
       "tp must divide the {heads} attention heads and divide or be a multiple of the {kv} key/value heads (Megatron "
       "splits whole heads)."},
      {"error.train.sequence_parallel",
       "Sequence parallelism splits the sequence over the tp ranks: set tp > 1 and a seq divisible by tp."},
      {"assume.paged_optimizer",
       "Paged AdamW keeps its states in CUDA unified memory: they are counted on the GPU, where they live until memory "
       "runs short and the driver evicts pages to CPU RAM."},
      // ---- quantization_config (memory/quant.cpp) ----
      {"error.quant.gguf_rows",
       "llama-quantize cannot store {tensor} (rows of {cols} values) in {type}, whose blocks hold {block} values; "
       "choose a K-quant ftype, which falls back to F16 for such tensors."},
      {"error.quant.module_list", "{key} must be a list of module names, e.g. [\"lm_head\"]."},
      {"error.quant.scale_dtype_type", "scale_dtype must be a string such as \"float32\"."},
      {"error.quant.scale_dtype_value",
       "scale_dtype \"{value}\" is not a float type; use float32, bfloat16 or float16."},
      {"error.quant.positive", "{key} must be a positive integer."},
      {"error.quant.positive_eg", "{key} must be a positive integer, e.g. 128."},
      {"error.quant.block_dim_positive", "A block dimension must be a positive integer."},
      {"error.quant.block_dim_positive_eg", "A block dimension must be a positive integer, e.g. 128."},
      {"error.quant.block_size", "The block size must be two integers [out, in], e.g. [128, 128]."},
      {"error.quant.block_structure", "A block strategy needs block_structure [out, in], e.g. [128, 128]."},
      {"error.quant.fp8_strategy",
       "fp8 weights with strategy \"{strategy}\" are not modelled; use tensor, channel or block."},
      {"error.quant.not_object", "quantization_config must be an object."},
      {"error.quant.bits", "bits must be 2, 3, 4 or 8 (GPTQ/AWQ pack 32/bits values per int32)."},

      // ---- options (api/options.cpp, api/facade.cpp) ----
      {"error.request.no_config", "The request has no config; pass config_text (the file's text)."},
      {"error.options.not_object", "options must be an object."},
      {"error.options.not_string", "{name} must be a string."},
      {"error.options.boolean", "{name} must be true or false."},
      {"error.options.whole_number", "{name} must be a whole number, e.g. {example}."},
      {"error.options.between", "{name} must be between {min} and {max}."},
      {"error.options.at_least", "{name} must be at least {min}."},
      {"error.options.interval", "{name} must be in {range}, e.g. {example}."},
      {"error.options.unknown_value", "Unknown {name} \"{value}\"; use {values}."},
      {"error.options.unknown_load_dtype",
       "Unknown load dtype \"{value}\"; use fp32, fp16 or bf16 (and --quant for 8/4 bits)."},
      {"error.options.unknown_weights_dtype", "Unknown dtype \"{value}\"; use fp32, fp16, bf16, int8 or int4."},
      {"error.options.unknown_quant", "Unknown quantization \"{value}\"; use {quants}."},
      {"error.options.unknown_kv_dtype", "Unknown KV dtype \"{value}\"; use auto, fp16, bf16, fp8, q8_0 or q4_0."},
      {"error.options.device_map", "device_map must be auto, balanced, balanced_low_0 or sequential."},
      {"error.options.vllm_entrypoint", "vllm_entrypoint must be serve or llm."},
      {"error.options.solve", "solve must be context or batch."},
      {"error.options.train_quant",
       "Training quantizes the frozen base with bitsandbytes only; use none, bnb-int8, bnb-nf4 or bnb-fp4."},
      {"error.options.transformers_version",
       "transformers must be a version such as 4.40 (or \"current\"); older than 4.0 is not modelled."},
      {"error.options.bitsandbytes_version", "bitsandbytes must be a version such as 0.43.1 (or \"current\")."},
      {"error.options.gpu_memory",
       "gpu_memory must be a size such as 23.5GiB, 24GB or 15360MiB (the total your runtime reports)."},
      {"error.options.unknown_gpu", "Unknown GPU \"{name}\"; run gpumem gpus for the names, or give --gpu-memory."},
      {"assume.profile", "The {profile} profile ({source}) sets {sets}."},
      {"assume.profile.nothing", "The {profile} profile ({source}) sets nothing the request left open."},
      {"error.internal.option_not_in_schema", "option {name} is not in the schema for this mode"},
      {"error.internal.option_no_default", "option {name} has no constant default"},
      {"error.internal.option_table", "option table mismatch"},

      // ---- checkpoint headers (checkpoint/checkpoint.cpp, api/checkpoint_ops.cpp) ----
      {"error.checkpoint.expected_uint", "{file}: expected a non-negative integer here; the header is corrupted."},
      {"error.checkpoint.under_8_bytes", "{file} is shorter than 8 bytes, so it has no safetensors header."},
      {"error.checkpoint.header_over_limit",
       "{file} claims a {bytes}-byte header, more than the 100 MB limit; it is not a safetensors file or it is "
       "corrupted."},
      {"error.checkpoint.header_past_end",
       "{file} is {size} bytes but its header claims {claimed}; the download is incomplete."},
      {"error.checkpoint.no_json_header",
       "{file} does not start with a safetensors JSON header; is it another format?"},
      {"error.checkpoint.header_not_object", "{file}: the safetensors header is not a JSON object."},
      {"error.checkpoint.metadata_not_object", "{file}: __metadata__ must be an object."},
      {"error.checkpoint.tensor_incomplete", "{file}: tensor {tensor} lacks dtype, shape or data_offsets."},
      {"error.checkpoint.dtype_not_string", "{file}: dtype must be a string."},
      {"error.checkpoint.unknown_dtype",
       "{file}: tensor {tensor} has dtype {dtype}, which gpumem does not know; please report it."},
      {"error.checkpoint.shape", "{file}: shape must be an array of at most 16 sizes."},
      {"error.checkpoint.offsets", "{file}: data_offsets must be [begin, end]."},
      {"error.checkpoint.offsets_reversed", "{file}: data_offsets end before begin."},
      {"error.checkpoint.span_mismatch",
       "{file}: tensor {tensor} spans {span} bytes but its shape and {dtype} need {need}; the header is inconsistent."},
      {"error.checkpoint.tensor_past_end",
       "{file}: tensor {tensor} ends at byte {end} but the file has {size}; the download is incomplete."},
      {"error.checkpoint.overlap", "{file}: two tensors share the same bytes; the header is corrupted."},
      {"error.checkpoint.weight_map", "{file}: weight_map must be an object."},
      {"error.checkpoint.weight_map_value", "{file}: each weight_map value names a shard."},
      {"error.checkpoint.gguf_truncated",
       "{file} ends inside its GGUF header (byte {size}); the download is incomplete or the file is corrupted."},
      {"error.checkpoint.gguf_over_limit", "{file}: the GGUF header is larger than the 100 MB limit."},
      {"error.checkpoint.gguf_value_type", "{file}: key {key} has unknown value type."},
      {"error.checkpoint.gguf_nesting", "{file}: arrays nest too deeply under key {key}."},
      {"error.checkpoint.gguf_array_type", "{file}: key {key} has unknown array type."},
      {"error.checkpoint.gguf_v1", "{file} is GGUF version 1, which predates 64-bit counts; re-convert it."},
      {"error.checkpoint.gguf_version", "{file} is GGUF version {version}; gpumem reads 2 and 3."},
      {"error.checkpoint.gguf_counts", "{file}: the GGUF header claims implausible counts; it is corrupted."},
      {"error.checkpoint.gguf_alignment", "{file}: general.alignment must be a power of two."},
      {"error.checkpoint.gguf_dims", "{file}: tensor {tensor} has more than 4 dims."},
      {"error.checkpoint.gguf_type",
       "{file}: tensor {tensor} has ggml type {type}, which gpumem does not know; please report it."},
      {"error.checkpoint.gguf_rows",
       "{file}: tensor {tensor} has rows of {cols} elements, not a multiple of {dtype}'s block of {block}."},
      {"error.checkpoint.gguf_unaligned", "{file}: tensor {tensor} is not aligned; the header is corrupted."},
      {"error.checkpoint.gguf_past_end",
       "{file}: tensor {tensor} ends beyond the end of the file; the download is incomplete."},
      {"error.checkpoint.no_files", "No files were given; drop a .safetensors, .gguf or index file."},
      {"error.checkpoint.head_over_size", "{file}: more bytes were given than its size."},
      {"error.checkpoint.index_too_large", "{file} is too large for an index file."},
      {"error.checkpoint.index_json", "{file} is not valid JSON; use model.safetensors.index.json as downloaded."},
      {"error.checkpoint.not_index", "{file} is JSON but not a safetensors index (no weight_map)."},
      {"error.checkpoint.tensor_twice",
       "Tensor {tensor} appears in two files; drop each shard of one checkpoint only once."},
      {"note.checkpoint.packed_storage",
       "Some tensors are packed quantized storage (GPTQ/AWQ qweight, bitsandbytes absmax/quant_state): their element "
       "counts are storage elements, not model parameters; bytes are exact."},
      {"note.checkpoint.index_only",
       "Only the index was given: bytes come from its metadata.total_size; drop the shards too for dtypes, parameters "
       "and groups."},
      {"note.checkpoint.index_mismatch",
       "The shards hold {bytes} bytes of tensors but the index declares {declared}; one of them is from another "
       "revision."},
      {"note.checkpoint.missing_shards",
       "The index lists {listed} tensors; the dropped shards hold {held}. Drop every shard for exact totals."},
      {"phrase.checkpoint.bytes_from_headers", "tensor data in the file headers"},
      {"phrase.checkpoint.bytes_from_index", "metadata.total_size of the index"},
      {"error.checkpoint.files_list", "files must list the dropped files as {name, size, length}."},
      {"error.checkpoint.file_entry", "Each file needs its name and its size in bytes."},
      {"error.checkpoint.layer_index", "Tensor {tensor} names a layer index over 100,000; the header is corrupted."},
      {"error.checkpoint.weights_object",
       "checkpoint must be the object the inspect operation returned as \"checkpoint\"."},
      {"error.checkpoint.weights_field",
       "This field of checkpoint is missing or of the wrong type; send the inspect operation's \"checkpoint\" "
       "unchanged."},
      {"error.checkpoint.weights_format", "checkpoint.format must be \"safetensors\" or \"gguf\"."},
      {"error.checkpoint.weights_sum",
       "checkpoint's bytes do not add up (layers, embedding and the rest); send the inspect operation's "
       "\"checkpoint\" unchanged."},
      {"error.checkpoint.length", "length must be a byte count."},
      {"error.checkpoint.attachment_short", "The attachment is shorter than the lengths of the files."},

      // ---- the bit converter (api/convert_ops.cpp) ----
      {"error.convert.rounding", "Unknown rounding \"{value}\"; use rne (round to nearest, ties to even) or trunc."},
      {"error.convert.e4m3_overflow",
       "Unknown e4m3_overflow \"{value}\"; use nan (PyTorch's float8_e4m3fn) or saturate."},
      {"error.convert.format", "Unknown format \"{value}\"; use fp32, fp16, bf16, e4m3 or e5m2."},
      {"error.convert.value_string",
       "value must be a string (\"3.14\"), so the decimal is rounded to fp32 once, not via a double."},
      {"error.convert.no_value", "Give a number: value (\"3.14\") or bits (\"0x4048f5c3\")."},
      {"error.convert.bits",
       "{format} bits are 0x followed by exactly {digits} hex digits (e.g. {example} for 3.14); \"{value}\" is not."},
      {"error.convert.decimal_from",
       "A decimal value is read as fp32; from applies to bits (0x…) only, so drop it or give bits."},
      {"error.convert.not_a_number",
       "\"{value}\" is not a number; type a decimal such as 3.14, -1e-8 or inf, or 0x and 8 hex digits of fp32."},

      // ---- inference options and the fits-on solver (api/inference_ops.cpp, api/model_ops.cpp) ----
      {"phrase.long_context.vllm",
       "vLLM refuses such a --max-model-len unless VLLM_ALLOW_LONG_MAX_MODEL_LEN=1 is set (vllm/config/model.py, "
       "_get_and_verify_max_len)."},
      {"phrase.long_context.llamacpp",
       "llama-server allocates the KV cache for -c but caps each slot at the trained context (\"the slot context "
       "exceeds the training context of the model - capping\", tools/server)."},
      {"phrase.long_context.hf",
       "transformers computes the positions all the same; the estimate is for the context asked."},
      {"assume.context_above_limit", "{over} {engine}"},
      {"assume.dtype_default_engine.vllm",
       "The config names no torch_dtype, so vLLM's --dtype auto takes the checkpoint's (float32 when nothing says) and "
       "downcasts float32 to the GPU's preferred 16-bit type: {dtype} (vllm/config/model.py _resolve_auto_dtype)."},
      {"assume.dtype_default_engine.llamacpp",
       "The config names no torch_dtype; llama.cpp runs the GGUF's own types, and an unquantized GGUF holds 16-bit "
       "weights (convert_hf_to_gguf.py writes F16, or BF16 with --outtype auto): fp16 is assumed."},
      {"assume.dtype_default_engine.hf",
       "The config names no torch_dtype, so transformers loads the checkpoint's own dtype (from_pretrained's "
       "dtype=\"auto\", the default since v5, reads it from the weights; 4.x loads torch's default float32): fp32 is "
       "assumed, as checkpoints saved without torch_dtype hold; choose --dtype if yours differs."},
      {"assume.bnb_fp16_load",
       "No dtype was chosen, so transformers loads the bitsandbytes model in fp16 (its bitsandbytes quantizer's "
       "update_torch_dtype); choose --dtype to load in another."},
      {"assume.vllm_bf16_fallback",
       "The config's torch_dtype is bfloat16, which the {gpu} cannot compute, so vLLM's dtype auto falls back to "
       "float16 (vllm/config/model.py _resolve_auto_dtype)."},
      {"assume.dtype_from_config",
       "No dtype was chosen, so the config's torch_dtype ({torch_dtype}) is used: {dtype}."},
      {"assume.bf16_unsupported_gpu.vllm",
       "The {gpu} has no hardware bfloat16 (compute capability below 8.0, or an Apple M1): vLLM refuses --dtype "
       "bfloat16 on it; fp16 takes the same memory."},
      {"assume.bf16_unsupported_gpu",
       "The {gpu} has no hardware bfloat16 (compute capability below 8.0, or an Apple M1): bf16 runs emulated and "
       "slowly; fp16 takes the same memory."},
      {"assume.quant_from_config",
       "The config's quantization_config ({method}) selects {quant} weights; pass --quant to override."},
      {"assume.quant_keep_unplaced", "{note}"},
      {"assume.engine_converts", "{note} ({source})"},
      {"assume.bnb_compute_dtype_default",
       "No bnb_4bit_compute_dtype was given, so BitsAndBytesConfig's float32 is used: every 4-bit linear casts its "
       "input and output to fp32 and a prefill dequantizes in it (set --bnb-compute-dtype, usually bf16)."},
      {"assume.context_default",
       "No context was chosen, so each sequence holds {tokens} tokens (the trained context, at most 4096)."},
      {"error.options.device_map_with_tp",
       "A device_map places whole layers on GPUs one after another; drop --tp and --pp (its --gpus are the devices it "
       "fills)."},
      {"assume.gpus_as_tp",
       "{gpus} GPUs without --tp: the model is split over them by tensor parallelism (tp = {gpus}); results are per "
       "GPU."},
      {"error.options.pp_divides_gpus",
       "pp must divide the number of GPUs (gpus = tp × pp), e.g. --gpus 8 --pp 2 for tp 4."},
      {"error.options.gpus_over_tp_pp",
       "More GPUs than tensor-parallel ranks × pipeline stages; set --tp and --pp so that gpus = tp × pp."},
      {"error.options.gpus_tp_pp", "gpus must equal tp × pp ({tp} × {pp})."},
      {"error.options.pp_encoder",
       "Pipeline parallelism is modelled for decoder-only models; this one has an encoder stack."},
      {"error.options.pp_over_layers", "pp cannot exceed the model's {layers} layers: every stage needs one."},
      {"error.options.pp_offload",
       "CPU offload with pipeline parallelism is not modelled; use one of --pp or --offload-layers."},
      {"assume.pp_even_split",
       "transformers has no pipeline-parallel engine (accelerate's device_map fills GPUs by bytes): the layers are "
       "split evenly, as vLLM's get_pp_indices does."},
      {"error.options.transformers_hf_only",
       "A transformers version applies to the hf engine only; drop it or choose --engine hf."},
      {"assume.hf_behaviour_assumed", "Not in gpumem's table of transformers releases: {unsure}."},
      {"error.options.device_map_hf_only",
       "device_map is transformers' (accelerate) placement; choose --engine hf, or --pp for vLLM and llama.cpp."},
      {"error.options.device_map_encoder",
       "device_map placement is modelled for decoder-only models; this one has an encoder stack."},
      {"error.options.device_map_offload",
       "With a device_map, accelerate decides what goes to the CPU; drop --offload-layers."},
      {"error.options.device_map_gpu",
       "A device_map needs the GPU it fills (--gpu, a catalogue name, or --gpu-memory; --gpus for how many)."},
      {"error.options.gpus_max", "At most 64 GPUs."},
      {"assume.device_map_free_memory",
       "Each {gpu} offers accelerate its free memory: {total} B total less the {context} B CUDA context = {budget} B "
       "(--max-memory-mib to set it)."},
      {"error.options.llamacpp_fa", "llama.cpp needs flash attention (-fa) for a quantized V cache."},
      {"assume.checkpoint_weights",
       "Weights: {bytes} bytes, the tensors {file} and its shards hold as the headers give them (the layout "
       "computed from the config gives {computed} bytes: {diff})."},
      {"assume.checkpoint_weights.same",
       "Weights: {bytes} bytes, the tensors {file} and its shards hold as the headers give them (the same as the "
       "layout computed from the config)."},
      {"assume.checkpoint_unused", "The weights are computed from the config, not read from {file}: {why}."},
      {"phrase.checkpoint_unused.gguf_engine", "only llama.cpp loads a GGUF file; this engine loads safetensors"},
      {"phrase.checkpoint_unused.safetensors_llamacpp",
       "llama.cpp loads a GGUF converted from these safetensors, in the format chosen here"},
      {"phrase.checkpoint_unused.quant", "the engine loads the weights as {quant}, not as the checkpoint stores them"},
      {"phrase.checkpoint_unused.split",
       "a pipeline or device_map split is placed layer by layer from the config's layout"},
      {"phrase.checkpoint_unused.encoder", "encoder-decoder checkpoints are not placed by layer"},
      {"phrase.checkpoint_unused.layers",
       "the checkpoint holds {present} of the config's {n_layer} decoder layers (is it this model's checkpoint?)"},
      {"phrase.checkpoint_unused.dtype", "the checkpoint stores {stored} tensors and the engine loads them as {dtype}"},
      {"assume.mla_expanded",
       "transformers caches MLA's keys and values expanded per head; vLLM and llama.cpp cache the latent (kv_lora_rank "
       "+ rope dim)."},
      {"assume.device_map_table",
       "The fits-on table compares every GPU with the per-GPU memory of this placement over the chosen GPUs "
       "(accelerate would place the layers differently on a GPU of another size); its GPUs-needed column counts "
       "tensor-parallel GPUs."},
      {"assume.gpu_total_table",
       "The table's usable memory is the total each GPU's runtime reports (torch.cuda.mem_get_info, rocminfo, Metal's "
       "working set); rows marked by_rule have none published and follow a measured sibling (gpumem gpus --json gives "
       "each rule)."},
      {"fit.model_limit", "The model's own limit binds before memory: {tokens} tokens ({from})."},
      {"fit.nothing_fits.context",
       "Even {step} tokens does not fit: the fixed parts (weights, overhead) exceed {capacity}."},
      {"fit.nothing_fits.batch",
       "Even {step} sequence does not fit: the fixed parts (weights, overhead) exceed {capacity}."},

      // ---- training options (api/train_ops.cpp) ----
      {"assume.lora_targets_default",
       "No LoRA targets were given, so q_proj and v_proj are adapted (PEFT's default for Llama)."},
      {"error.options.lora_target",
       "Unknown LoRA target \"{value}\"; use all-linear or a comma list of q_proj, k_proj, v_proj, o_proj, gate_proj, "
       "up_proj, down_proj."},
      {"assume.precision_no_bf16",
       "No precision recipe was chosen and the {gpu} has no hardware bfloat16, so automatic mixed precision with fp16 "
       "(amp-fp16, TrainingArguments' fp16=True) is assumed."},
      {"assume.precision_default",
       "No precision recipe was chosen, so automatic mixed precision with bf16 (amp-bf16) is assumed."},
      {"assume.bf16_unsupported_gpu.train",
       "The {gpu} has no hardware bfloat16 (compute capability below 8.0, or an Apple M1): transformers refuses "
       "bf16=True there (\"Your setup doesn't support bf16/gpu\"); amp-fp16 takes the same memory."},
      {"assume.lora_rank_default",
       "A quantized base is trained through adapters and no LoRA rank was given, so PEFT's LoraConfig default r = 8 is "
       "used."},
      {"assume.lora_dropout_default",
       "LoRA dropout is taken as 0 (PEFT's default); scripts often set 0.05 or 0.1, which keeps a dropped-out copy of "
       "each adapter's input and a one-byte mask."},
      {"error.train.quant_needs_lora",
       "Quantized weights cannot be trained directly; add LoRA adapters (--lora-rank) for QLoRA."},
      {"error.train.double_quant",
       "Double quantization applies to bnb-nf4 and bnb-fp4 frozen weights; choose one with --quant."},
      {"assume.prepare_kbit_default",
       "The unquantized parameters (embeddings, lm_head, norms) are counted in fp32, as PEFT's "
       "prepare_model_for_kbit_training leaves them; set prepare_kbit to false if your script does not call it."},
      {"assume.seq_default_limit",
       "The default sequence of {default} tokens exceeds the model's limit ({from}), so {seq} is used."},
      {"assume.checkpointing_kbit_default",
       "No checkpointing was chosen and PEFT's prepare_model_for_kbit_training enables gradient checkpointing by "
       "default (use_gradient_checkpointing=True), so full checkpointing is assumed; set checkpointing none if your "
       "script passes False."},
      {"assume.zero_one_gpu",
       "ZeRO stage {zero} shards its states over the data-parallel ranks, and no GPU count was given, so {gpus} GPU "
       "shards nothing; set gpus to the GPUs you train on (e.g. --gpus 8)."},
      {"assume.zero_one_gpu.tp",
       "ZeRO stage {zero} shards its states over the data-parallel ranks, and no GPU count was given, so {gpus} GPUs "
       "(tp) shard nothing; set gpus to the GPUs you train on (e.g. --gpus 8)."},
      {"error.train.offload_params",
       "Parameter offload needs ZeRO stage 3 (--zero 3); use --offload optimizer otherwise."},
      {"assume.cuda_context_default.lazy",
       "The CUDA context is taken as 500 MiB (lazy module loading: CUDA ≥ 11.7 and PyTorch ≥ 2.0, as for inference); "
       "set cuda_context_mib for your driver."},
      {"assume.cuda_context_default.eager",
       "The CUDA context is taken as 1343 MiB (no lazy module loading: CUDA 11.2 on a V100, measured in transformers' "
       "docs); set cuda_context_mib for your driver."},
      {"assume.dropout_from_config",
       "Dropout follows the config: attention dropout {attn}, residual dropout {hidden} (each keeps a one-byte mask in "
       "training)."},
      {"phrase.on", "on"},
      {"phrase.off", "off"},

      {"fit.train.nothing_fits", "Even a batch of 1 does not fit: {total} per GPU against {capacity}."},

      {"assume.encoder_base_model",
       "Counted as the bare encoder with its pooler (AutoModel, {model_type}Model); task heads such as the masked-LM "
       "or classification head are not included."},

      {"error.overflow", "The model is too large to count in 64 bits; check the config's sizes for a typo."},
  };
  // The formula and source pieces of the memory parts live in messages_memory.cpp; the launch and advise
  // sentences, the GPU rule, llama.cpp's fit and the checkpoint comparison in messages_ops.cpp.
  const std::vector<Message>& memory_messages();
  const std::vector<Message>& ops_messages();
  const std::vector<Message>& speed_messages();  // messages_speed.cpp: the speed operation
  static const std::vector<Message> all = [] {
    std::vector<Message> v = catalogue;
    v.insert(v.end(), memory_messages().begin(), memory_messages().end());
    v.insert(v.end(), ops_messages().begin(), ops_messages().end());
    v.insert(v.end(), speed_messages().begin(), speed_messages().end());
    return v;
  }();
  return all;
}

}  // namespace gpumem
