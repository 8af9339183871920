// The catalogue's ids for the launch and advise operations, the GPU catalogue's sibling rule, llama.cpp's fit
// and the checkpoint comparison. message_catalogue() (messages.cpp) appends them; web/src/core-text-ops.js has
// the zh template of each (tests/node/core-text.test.mjs checks both lists agree). Adding one:
// docs/CONTRIBUTING.md ("Adding a sentence").
#include "gpumem/base/text.hpp"

namespace gpumem {

const std::vector<Message>& ops_messages() {
  static const std::vector<Message> catalogue = {
      // ---- render's own errors (base/text.cpp): a bug, should never be seen ----
      {"error.internal.unknown_message", "Unknown message id \"{id}\"; please report it."},
      {"error.internal.message_no_value", "Message \"{id}\" has no value for {{name}}; please report it."},

      // ---- launch (api/launch_ops.cpp) ----
      {"assume.model_id_from_config",
       "No model_id was given, so the config's _name_or_path ({id}) is loaded; pass --model-id for another checkpoint "
       "or a local path."},
      {"assume.model_id_placeholder",
       "No model_id was given and the config's _name_or_path is not an org/name id, so ORG/NAME stands in for it: "
       "replace it with the checkpoint's id or path (--model-id)."},
      {"assume.launch_checkpoint_quantized.vllm",
       "vLLM reads {quant} weights from the checkpoint's quantization_config: the model id must name a {quant} "
       "checkpoint."},
      {"assume.launch_checkpoint_quantized.hf",
       "transformers reads {quant} weights from the checkpoint's quantization_config: the model id must name such a "
       "checkpoint."},
      {"assume.launch_cpu_offload",
       "vLLM offloads weights by size, not by layer: --cpu-offload-gb {gib} holds the offloaded layers' {bytes} bytes, "
       "rounded up to a GiB."},
      {"assume.model_file_placeholder",
       "No model_file was given, so {file} stands in for the GGUF file: replace it with yours (--model-file)."},
      {"assume.launch_max_new_tokens",
       "No prompt length was given, so generation may fill the estimate's {context} tokens: max_new_tokens is the "
       "context less the prompt's tokens."},
      {"assume.launch_hf_tp",
       "transformers splits the model by tensor parallelism with tp_plan=\"auto\" under torchrun, one process per "
       "GPU."},
      {"assume.launch_offload_layers",
       "The estimate keeps {layers} decoder layers on the CPU: give from_pretrained a device_map dict that places "
       "those layers on \"cpu\"."},
      {"assume.launch_lora_alpha",
       "lora_alpha scales the adapters' output and takes no memory: 2 × r is written, a common choice (PEFT's "
       "default is 8)."},
      {"assume.launch_no_optimizer",
       "The estimate keeps no optimizer states (a benchmark loop); a Trainer always builds one."},
      {"assume.launch_checkpointing_kbit",
       "prepare_model_for_kbit_training turns gradient checkpointing on, so SFTConfig's gradient_checkpointing (True "
       "by default in TRL) is set False to avoid enabling it twice."},
      {"assume.launch_selective_checkpointing",
       "Selective checkpointing is Megatron's; transformers checkpoints whole layers, so the script enables full "
       "gradient checkpointing, which keeps less."},
      {"assume.launch_megatron_tp",
       "The estimate splits layers by Megatron tensor parallelism (tp {tp}), which TRL does not do: run it under "
       "Megatron-LM or NeMo; the script covers data parallelism."},
      {"assume.launch_context_fit",
       "No context was chosen, so --max-model-len is the largest context that fits on the {gpu} (the fit's solver: "
       "{binding} binds)."},
      {"error.launch.no_engine_report", "the llama.cpp estimate has no engine_report"},
      {"error.launch.weights_mode",
       "launch writes the command for serving (mode inference) or training (mode train); weights alone run nothing."},
      {"error.launch.nothing_fits",
       "The model does not fit on the {gpu} with vLLM even at 16 tokens of context; choose a larger GPU, --tp, or "
       "--quant."},

      // ---- advise (api/advise_ops.cpp) ----
      {"assume.advise_tensor_parallel",
       "Each column splits the model over its GPUs by tensor parallelism (gpus = tp); the request's tp and pp are "
       "replaced there."},
      {"assume.advise_cells.inference",
       "Each cell is fit's answer for the row's options on the column's GPUs: the largest context (up to the model's "
       "limit) at batch {batch}, and whether {context} tokens fit (total_bytes: per GPU at that context)."},
      {"assume.advise_cells.train",
       "Each cell is fit's answer for the recipe on the column's GPUs (gpus = the column's count, data parallel; ZeRO "
       "shards over them): the largest micro-batch per GPU at sequence {seq}, whether batch {batch} fits, and "
       "total_bytes per GPU at batch 1."},
      {"error.advise.gpus_multiple_of_tp", "gpus must be a multiple of tp (tp × data-parallel ranks)."},
      {"error.advise.mode", "advise compares inference or training setups; choose mode inference or train."},
      {"error.advise.no_gpu",
       "advise compares setups against a GPU: choose one with --gpu (gpumem gpus lists them) or give --gpu-memory."},
      // Row labels: a weight format's name (BF16, FP8, Q4_K_M), with a KV cache type, or a training recipe.
      {"phrase.advise.row.format", "{format}"},
      {"phrase.advise.row.format_kv", "{format} + KV {kv}"},
      {"phrase.advise.row.current", "Current"},
      {"phrase.advise.recipe.full", "Full fine-tuning"},
      {"phrase.advise.recipe.full_ckpt", "Full + checkpointing"},
      {"phrase.advise.recipe.full_ckpt_8bit", "Full + checkpointing + 8-bit AdamW"},
      {"phrase.advise.recipe.lora", "LoRA r={rank}"},
      {"phrase.advise.recipe.lora_ckpt", "LoRA r={rank} + checkpointing"},
      {"phrase.advise.recipe.qlora", "QLoRA (NF4, r={rank}, checkpointing)"},
      {"phrase.advise.recipe.qlora_chunked", "QLoRA + chunked loss"},
      {"phrase.advise.recipe.qlora_chunked_8bit", "QLoRA + chunked loss + paged 8-bit AdamW"},
      {"phrase.advise.recipe.zero2", "Full, DeepSpeed ZeRO-2 over the GPUs"},
      {"phrase.advise.recipe.zero3", "Full, DeepSpeed ZeRO-3 over the GPUs"},
      {"phrase.advise.recipe.zero3_offload", "Full, ZeRO-3 + optimizer offload to CPU"},

      // ---- the GPU catalogue's sibling rule (memory/gpus.cpp). {source} is the sibling's published figure: a
      // citation (a log line, an issue), quoted as it is. ----
      {"assume.gpu_total_rule",
       "No runtime total is published for the {gpu}, so its usable memory follows its sibling: {how} = {total} "
       "({source})."},
      {"phrase.gpu_rule.reserve", "{base} less the {mib} MiB {sibling} keeps back"},
      {"phrase.gpu_rule.reserve_device", "each {base} device (GCD) less the {mib} MiB {sibling} keeps back"},
      {"phrase.gpu_rule.share", "{base} × the share {sibling} reports ({total} of {bytes})"},
      {"phrase.gpu_rule.card", "the {name}"},
      {"phrase.gpu_rule.mac", "a {gb} GB Mac"},

      // ---- what gpumem's table of transformers releases does not know (memory/inference.cpp hf_legacy) ----
      {"phrase.hf_unsure.cache_class",
       "when {model_type} moved from tuple caches to Cache classes (taken as 4.36, with Llama)"},
      {"phrase.hf_unsure.logits_to_keep", "whether {model_type}'s forward takes logits_to_keep (counted as not)"},
      {"phrase.hf_unsure.both", "{first}; {second}"},

      // ---- llama.cpp's fit gave up (memory/llamacpp.cpp) ----
      // llama.cpp's own log words (common_fit_params), quoted as it prints them: not ours to translate.
      {"phrase.llamacpp_fit.log", "{line}"},
      {"phrase.llamacpp_fit.compute_exceeds", "even with no layer on the GPU the compute buffer exceeds the target"},

      // ---- the checkpoint against its config (api/checkpoint_ops.cpp) ----
      {"note.checkpoint.agrees", "The checkpoint holds exactly the parameters the config describes."},
      {"note.checkpoint.disagrees",
       "The checkpoint and the config disagree; the rows below show in which groups. Weight bytes are taken from the "
       "checkpoint."},
  };
  return catalogue;
}

}  // namespace gpumem
