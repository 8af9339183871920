// zh templates of the core's launch and advise sentences, the GPU catalogue's sibling rule, llama.cpp's fit and
// the checkpoint comparison (core/src/base/messages_ops.cpp). core-text.js merges them into its table;
// tests/node/core-text.test.mjs checks that every catalogue id has one, with the same placeholders.
export const OPS_ZH = {
  // ---- render's own errors ----
  'error.internal.unknown_message': '未知的消息 id "{id}"；请报告此问题。',
  'error.internal.message_no_value': '消息 "{id}" 缺少 {{name}} 的值；请报告此问题。',

  // ---- launch ----
  'assume.model_id_from_config':
    '未给出 model_id，因此加载配置中的 _name_or_path（{id}）；要用其他检查点或本地路径，请传入 --model-id。',
  'assume.model_id_placeholder':
    '未给出 model_id，且配置中的 _name_or_path 不是 org/name 形式的 id，因此以 ORG/NAME 占位：请换成检查点的 id 或路径（--model-id）。',
  'assume.launch_checkpoint_quantized.vllm':
    'vLLM 从检查点的 quantization_config 读取 {quant} 权重：模型 id 必须指向一个 {quant} 检查点。',
  'assume.launch_checkpoint_quantized.hf':
    'transformers 从检查点的 quantization_config 读取 {quant} 权重：模型 id 必须指向这样的检查点。',
  'assume.launch_cpu_offload':
    'vLLM 按大小而非按层卸载权重：--cpu-offload-gb {gib} 容纳被卸载各层的 {bytes} 字节，向上取整到 GiB。',
  'assume.model_file_placeholder': '未给出 model_file，因此以 {file} 代替 GGUF 文件：请换成你的文件（--model-file）。',
  'assume.launch_max_new_tokens':
    '未给出提示长度，因此生成可能占满估算的 {context} 个 token：max_new_tokens 为上下文减去提示的 token 数。',
  'assume.launch_hf_tp': 'transformers 在 torchrun 下以 tp_plan="auto" 按张量并行切分模型，每个 GPU 一个进程。',
  'assume.launch_offload_layers':
    '估算把 {layers} 个解码层放在 CPU 上：请给 from_pretrained 一个 device_map 字典，把这些层放到 "cpu"。',
  'assume.launch_lora_alpha':
    'lora_alpha 缩放适配器的输出，不占内存：这里写 2 × r，这是常见选择（PEFT 的默认值为 8）。',
  'assume.launch_no_optimizer': '估算不保留优化器状态（基准测试循环）；Trainer 总会创建一个优化器。',
  'assume.launch_checkpointing_kbit':
    'prepare_model_for_kbit_training 会开启梯度检查点，因此 SFTConfig 的 gradient_checkpointing（TRL 中默认为 True）设为 False，以免开启两次。',
  'assume.launch_selective_checkpointing':
    '选择性检查点是 Megatron 的做法；transformers 按整层做检查点，因此脚本开启完整的梯度检查点，保留的更少。',
  'assume.launch_megatron_tp':
    '估算按 Megatron 张量并行切分各层（tp {tp}），TRL 不支持：请在 Megatron-LM 或 NeMo 下运行；脚本只涵盖数据并行。',
  'assume.launch_context_fit':
    '未选择上下文，因此 --max-model-len 取在 {gpu} 上能放下的最大上下文（适配求解：受 {binding} 限制）。',
  'error.launch.no_engine_report': 'llama.cpp 的估算没有 engine_report',
  'error.launch.weights_mode': 'launch 写出推理服务（mode inference）或训练（mode train）的命令；只有权重时没有可运行的内容。',
  'error.launch.nothing_fits':
    '即使上下文只有 16 个 token，模型在 {gpu} 上用 vLLM 也放不下；请选择更大的 GPU、--tp 或 --quant。',

  // ---- advise ----
  'assume.advise_tensor_parallel': '每一列按张量并行把模型切分到该列的 GPU 上（gpus = tp）；请求中的 tp 与 pp 在此被替换。',
  'assume.advise_cells.inference':
    '每个单元格是该行选项在该列 GPU 上的适配结果：批大小 {batch} 时的最大上下文（不超过模型上限），以及 {context} 个 token 是否放得下（total_bytes：该上下文下每个 GPU 的用量）。',
  'assume.advise_cells.train':
    '每个单元格是该训练方案在该列 GPU 上的适配结果（gpus 为该列的数量，数据并行；ZeRO 在其间分片）：序列长度 {seq} 时每个 GPU 的最大微批大小、批大小 {batch} 是否放得下，以及批大小 1 时每个 GPU 的 total_bytes。',
  'error.advise.gpus_multiple_of_tp': 'gpus 必须是 tp 的倍数（tp × 数据并行的进程数）。',
  'error.advise.mode': 'advise 比较推理或训练的配置；请选择 mode inference 或 train。',
  'error.advise.no_gpu': 'advise 需要对照一块 GPU 比较配置：用 --gpu 选择一块（gpumem gpus 列出全部），或给出 --gpu-memory。',
  'phrase.advise.row.format': '{format}',
  'phrase.advise.row.format_kv': '{format} + KV {kv}',
  'phrase.advise.row.current': '当前',
  'phrase.advise.recipe.full': '全参数微调',
  'phrase.advise.recipe.full_ckpt': '全参数 + 检查点',
  'phrase.advise.recipe.full_ckpt_8bit': '全参数 + 检查点 + 8-bit AdamW',
  'phrase.advise.recipe.lora': 'LoRA r={rank}',
  'phrase.advise.recipe.lora_ckpt': 'LoRA r={rank} + 检查点',
  'phrase.advise.recipe.qlora': 'QLoRA（NF4，r={rank}，检查点）',
  'phrase.advise.recipe.qlora_chunked': 'QLoRA + 分块损失',
  'phrase.advise.recipe.qlora_chunked_8bit': 'QLoRA + 分块损失 + 分页 8-bit AdamW',
  'phrase.advise.recipe.zero2': '全参数，DeepSpeed ZeRO-2 分布到各 GPU',
  'phrase.advise.recipe.zero3': '全参数，DeepSpeed ZeRO-3 分布到各 GPU',
  'phrase.advise.recipe.zero3_offload': '全参数，ZeRO-3 + 优化器卸载到 CPU',

  // ---- the GPU catalogue's sibling rule ({source}: the sibling's citation, quoted as it is) ----
  'assume.gpu_total_rule': '{gpu} 没有公开的运行时总量，因此其可用内存参照同代型号：{how} = {total}（{source}）。',
  'phrase.gpu_rule.reserve': '{base} 减去{sibling}保留的 {mib} MiB',
  'phrase.gpu_rule.reserve_device': '每个 {base} 设备（GCD）减去{sibling}保留的 {mib} MiB',
  'phrase.gpu_rule.share': '{base} × {sibling}报告的比例（{bytes} 中的 {total}）',
  'phrase.gpu_rule.card': ' {name} ',
  'phrase.gpu_rule.mac': ' {gb} GB 内存的 Mac ',

  // ---- what the table of transformers releases does not know ----
  'phrase.hf_unsure.cache_class': '{model_type} 何时从元组缓存改用 Cache 类（按 4.36 计，与 Llama 相同）',
  'phrase.hf_unsure.logits_to_keep': '{model_type} 的 forward 是否接受 logits_to_keep（按不接受计）',
  'phrase.hf_unsure.both': '{first}；{second}',

  // ---- llama.cpp's fit ----
  'phrase.llamacpp_fit.log': '“{line}”',
  'phrase.llamacpp_fit.compute_exceeds': '即使 GPU 上不放任何层，计算缓冲区也超过目标',

  // ---- the checkpoint against its config ----
  'note.checkpoint.agrees': '检查点所含参数与配置描述的完全一致。',
  'note.checkpoint.disagrees': '检查点与配置不一致；下表列出不一致的分组。权重字节数取自检查点。',
};
