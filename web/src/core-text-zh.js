// The core's sentences in 中文: the template of every id of `{"op": "messages"}` (core-text.js renders them; this
// file and the three it gathers load only when the page or the widget is shown in 中文, loadCoreText('zh')).
import { MEMORY_ZH } from './core-text-memory.js';
import { OPS_ZH } from './core-text-ops.js';
import { SPEED_ZH } from './core-text-speed.js';

export const CORE_ZH = {
  // ---- phrases ----
  'phrase.type.fraction': '小数',
  'phrase.type.number': '数字',
  'phrase.type.string': '字符串',
  'phrase.type.boolean': '布尔值',
  'phrase.type.array': '数组',
  'phrase.type.object': '对象',
  'phrase.type.null': 'null',
  // ---- the request ----
  'error.request.not_object': '请求必须是一个 JSON 对象。',
  'error.request.not_json': '请求不是有效的 JSON。',
  'error.request.unknown_op': '未知的 op “{op}”；可用的有：{ops}。',
  'error.overflow': '模型大到无法用 64 位整数计数；请检查配置中的尺寸是否有笔误。',
  'error.internal.out_of_memory': '读取输入时内存不足；请换一个更小的文件。',
  'error.internal.exception': '内部错误：{what}；请报告此问题。',
  'error.internal.unknown': '未知的内部错误；请报告此问题。',
  'error.request.no_config': '请求中没有配置；请传入 config_text（文件的文本）。',
  // ---- config.json keys ----
  'error.config.size_negative': '{key} 为 {value}，但尺寸不能为负数；请修正该值。',
  'error.config.size_not_whole': '{key} 为 {value}，但它必须是非负整数。',
  'error.config.size_too_large': '{key} 为 {value}，远超任何真实模型；请修正该值。',
  'error.config.size_not_number': '{key} 必须是数字，但它是{type}（{value}）；请写成普通数字。',
  'error.config.size_zero': '{key} 为 0，但它至少应为 1；请修正该值。',
  'error.config.missing_required': '配置中没有 {keys}（或其值为 null）；统计该模型的参数需要它。',
  'error.config.not_boolean': '{key} 必须是 true 或 false，但它是{type}；请修正该值。',
  'error.config.fraction_not_number': '{key} 必须是数字，但它是{type}；请修正该值。',
  'error.config.fraction_range': '{key} 必须介于 0 和 1 之间；请修正该值。',
  'error.config.not_string': '{key} 必须是字符串，但它是{type}；请修正该值。',
  'error.config.not_index_list': '{key} 必须是由层索引组成的数组，但它是{type}。',
  'error.config.not_string_list': '{key} 必须是字符串数组，但它是{type}。',
  'error.config.string_list_item': '{key} 只能包含字符串，但第 {index} 项是{type}。',
  'error.config.not_object': '{key} 必须是对象，但它是{type}。',
  // ---- config.json as a whole ----
  'error.json.invalid_at':
      '文件不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）；请使用原样下载的模型 config.json。',
  'phrase.json.too_deep': '嵌套超过 {depth} 层；config.json 通常只有几层',
  'phrase.json.nul': '出现 NUL 字节',
  'phrase.json.parser': '{detail}',
  'error.config.file_too_large':
      '文件大小为 {bytes} 字节；config.json 通常只有几 KB，gpumem 最多读取 {max} 字节。请选择模型的 config.json。',
  'assume.python_json_constant':
      '文件使用了 Python 的非标准 JSON 常量（Infinity、-Infinity 或 NaN；第一个位于第 {line} 行第 {column} 列）；它们按 null 读取，参数统计不依赖它们。',
  'error.config.not_an_object':
      '该 JSON 是{type}，而不是对象；config.json 应是形如 {"model_type": "llama", …} 的对象。',
  'error.config.no_model_type':
      '配置中没有 model_type，因此无法确定架构；请补上模型 config.json 中的 model_type（例如 "llama"）。',
  'error.config.wrapped_no_model_type':
      'model_type “{outer}” 包装了一个语言模型，但其 {key} 中没有 model_type；请补上（例如 "llama"）。',
  'assume.towers_not_counted': '这是多模态 {outer} 配置：只统计其语言模型（{inner}，来自 {key}）。',
  'assume.towers_not_counted.towers':
      '这是多模态 {outer} 配置：只统计其语言模型（{inner}，来自 {key}）；{towers} 中的编码塔和投影层不计入。',
  'assume.towers_counted':
      '这是多模态 {outer} 配置：其语言模型（{inner}，来自 {key}）、{vision} 视觉编码塔和投影层都计入（vision 与 projector 两组）。量化时编码塔和投影层保持加载 dtype，与 AWQ/GPTQ 检查点、vLLM 以及 llama.cpp 的 mmproj 一致；transformers 中的 bitsandbytes 也会转换它们的线性层，除非 llm_int8_skip_modules 列出它们。',
  'assume.towers_counted.flat':
      '这是多模态 {outer} 配置，其语言模型（{inner}）的键位于配置顶层；{vision} 视觉编码塔和投影层也计入（vision 与 projector 两组）。量化时编码塔和投影层保持加载 dtype，与 AWQ/GPTQ 检查点、vLLM 以及 llama.cpp 的 mmproj 一致；transformers 中的 bitsandbytes 也会转换它们的线性层，除非 llm_int8_skip_modules 列出它们。',
  'assume.towers_counted.partly':
      '这是多模态 {outer} 配置：其语言模型（{inner}，来自 {key}）、{vision} 视觉编码塔和投影层计入（vision 与 projector 两组）；{towers} 中的编码塔不计入。',
  'assume.vision_defaults': 'vision_config 未给出 {defaults}，因此与 transformers 一样采用 {cls} 的默认值。',
  'error.config.image_not_patches':
      'vision_config 的 image_size（{image}）不是 {patch} 像素图块的整数倍（或大得离谱）；请修正 image_size 或 patch_size。',
  'error.config.mlp_ratio': 'vision_config 的 mlp_ratio 必须是小于 1024 的正数；请修正该值。',
  'error.config.unsupported_model_type':
      '不支持 model_type “{model_type}”，且配置缺少 Llama 式解码器的键（{missing}），无法估算；支持的类型：{supported}。',
  'assume.generic_layout':
      'gpumem 不认识 model_type “{model_type}”，因此按 Llama 式解码器统计：词元嵌入；每层的 q/k/v/o 投影（仅当 attention_bias 为 true 时带偏置）和由 gate、up、down 投影组成的门控 MLP（仅当 mlp_bias 为 true 时带偏置）；每层两个 RMSNorm 外加一个最终 RMSNorm；旋转位置编码（无权重）；除非 tie_word_embeddings 为 true，否则单独计入 lm_head。',
  'error.config.no_layers': '模型没有任何层；请修正层数。',
  'error.config.kv_heads_over_heads': '键/值头多于查询头；请修正 num_key_value_heads。',
  'error.config.moe_no_experts': '某个混合专家（MoE）层没有专家；请修正专家数量。',
  'error.internal.no_layer': '第 {layer} 层不存在。',
  // ---- the context limit ----
  'phrase.ctx_limit.key': '{key} = {value}',
  'phrase.ctx_limit.trained': '训练上下文 {tokens}',
  'phrase.ctx_limit.learned': '{tokens} 个可学习位置',
  'phrase.ctx_limit.rope': 'rope_scaling {kind}：{factor} × {base} = {scaled}',
  'phrase.ctx_limit.rope_yarn': 'rope_scaling {kind}：{factor} × original_max_position_embeddings {base} = {scaled}',
  'error.context.over_learned':
      '{tokens} 个 token 超出了模型的上限 {limit}（{from}）：其可学习位置表没有更多的行；请选择不超过 {limit} 的值。',
  'assume.context_over_limit':
      '{tokens} 个 token 超出了模型的上限 {limit}（{from}）；超出部分的位置从未训练过，输出质量无法保证。',
  // ---- family readers ----
  'error.config.heads_not_multiple_of_kv':
      'num_attention_heads（{heads}）不是 {key}（{kv}）的倍数；分组查询注意力要求如此。',
  'assume.n_head_kv_default.class': '缺少 {key}，因此采用配置类的默认值：{kv} 个键/值头。',
  'assume.n_head_kv_default.per_head':
      '缺少 {key}，因此与 transformers 一样，每个查询头都有自己的键/值头（{heads} 个）。',
  'assume.head_dim_default': '缺少 {key}，因此采用配置类的默认头维度 {head_dim}。',
  'assume.class_default': '缺少 {key}，因此与 transformers 一样采用 {cls} 的默认值 {value}。',
  'error.config.hidden_not_divisible':
      '隐藏层大小（{hidden}）不能被 {key}（{heads}）整除，且未给出头维度；请修正这些尺寸。',
  'assume.tied_default.shared': '缺少 tie_word_embeddings；{why}，因此 lm_head 与嵌入共享，只计一次。',
  'assume.tied_default.separate': '缺少 tie_word_embeddings；{why}，因此 lm_head 单独计入。',
  'phrase.tied.defaults': '{cls} 将 tie_word_embeddings 默认设为 {value}',
  'phrase.tied.default_plural': '{cls} 都将 tie_word_embeddings 默认设为 {value}',
  'phrase.tied.keeps_pretrained': '{cls} 沿用 PretrainedConfig 的默认值 true',
  'phrase.tied.generic': 'PretrainedConfig 的默认值本为 true，但 Llama 式解码器设为 false',
  'error.config.pattern_too_long':
      '配置有 {layers} 层，其类型按逐层模式排列；gpumem 最多展开 {max} 个这样的层（真实模型只有几百层）。',
  'error.config.layer_types_count': 'layer_types 列出了 {listed} 层，但 num_hidden_layers 为 {layers}；两者必须一致。',
  'error.config.layer_type_unsupported': '不支持层类型 “{type}”；支持的有：full_attention、sliding_attention。',
  'error.config.sliding_window_missing': 'layer_types 中有 sliding_attention 层，但缺少 sliding_window；请补上。',
  'assume.bias_default.internlm2': '缺少 bias；InternLM2Config 默认其为 true，因此 wqkv 和 wo 带偏置。',
  'assume.encoder_base_model': '按裸编码器及其池化层统计（AutoModel，{model_type}Model）；不包括掩码语言模型头或分类头等任务头。',
  'assume.n_dec_default': '缺少 num_decoder_layers，因此解码器有 num_layers 个块。',
  'error.config.bart_heads_differ':
      'decoder_attention_heads 与 encoder_attention_heads 不同；gpumem 只统计两个堆栈共用同一头布局的 BART 式模型。',
  'assume.n_ff_default': '{key} 缺失或为 null，因此与 {cls} 一样，MLP 内部大小取 4 × 隐藏层大小 = {n_ff}。',
  'assume.multi_query_default': '缺少 multi_query；GPTBigCodeConfig 默认其为 true。',
  'assume.rotary_pct_default': '未设置 rotary_pct，因此每个头的四分之一参与旋转（GPTNeoXConfig 的默认值 0.25）。',
  'assume.tied_ignored.chatglm': 'tie_word_embeddings 为 true，但 ChatGLM 的 output_layer 是独立矩阵；它会被计入。',
  'error.config.experts_used_over_experts': '每个 token 使用的专家数多于专家总数；请修正 {key}。',
  'error.config.dbrx_no_attn_config': '配置中没有 attn_config；DBRX 把 kv_n_heads 放在那里。',
  'error.config.dbrx_no_ffn_config': '配置中没有 ffn_config；DBRX 把专家设置放在那里。',
  'error.config.number_or_auto': '{key} 必须是数字或 "auto"。',
  'assume.dt_rank_default': '缺少 {key}，因此 Δ 秩取 "auto"：ceil(hidden_size / 16) = {rank}。',
  'error.config.no_hybrid_pattern': '配置中没有 hybrid_override_pattern，它指明每个块是 Mamba、注意力还是 MLP。',
  'error.config.hybrid_pattern_count':
      'hybrid_override_pattern 有 {blocks} 个块，但 num_hidden_layers 为 {layers}；两者必须一致。',
  'error.config.hybrid_block_unsupported':
      '第 {block} 块的层类型 “{type}” 不受支持（支持：M 为 Mamba-2，* 为注意力，- 为 MLP）；无法统计其参数。',
  'error.internal.weight_layout_layer': '权重布局超出了该层的参数量',
  'error.internal.weight_layout_model': '权重布局超出了模型的参数量',
  // ---- engine × format ----
  'support.hf.gguf_dequantized':
      'transformers 在加载时会反量化 GGUF 检查点（先到 fp32，再到加载 dtype）：其权重按加载 dtype 而非 GGUF 类型占用字节；要保持量化，请在 llama.cpp 中运行该 GGUF。',
  'support.hf.nvfp4_decompressed':
      'transformers 没有 NVFP4 内核：compressed-tensors 会在加载时把 NVFP4 检查点解压为加载 dtype；vLLM 则以 NVFP4 运行。',
  'support.llamacpp.mxfp4_converted':
      'llama.cpp 运行 GGUF 转换结果：convert_hf_to_gguf.py 保留 gpt-oss 的 MXFP4 专家（其余张量存为 Q8_0），即 gguf-mxfp4_moe 类型。',
  'support.llamacpp.gguf_only':
      'llama.cpp 只运行 GGUF 文件：请选择你实际运行的 GGUF 类型（gguf-q4_k_m、gguf-q8_0 等），F16/BF16 选 none；若要使用 {quant}，请改用 --engine hf 或 vllm。',
  'support.engines': '推理引擎只有 hf、vllm 和 llamacpp。',
  'support.hf.kv_refused':
      'transformers 的缓存保存为模型的 dtype，或以 QuantizedCache 保存为 int2/int4/int8（quanto、HQQ）：请选择 auto 或 int8；fp8 请用 --engine vllm，{kv} 请用 --engine llamacpp。',
  'support.vllm.kv_refused': 'vLLM 的 --kv-cache-dtype 只能是 auto、fp8、fp8_e4m3 或 fp8_e5m2：请选择 auto 或 fp8。',
  'support.llamacpp.kv_refused':
      'llama.cpp 的缓存类型为 f32、f16、bf16、q8_0、q4_0（以及 q4_1、iq4_nl、q5_0、q5_1）：8 位请选 q8_0。',
  // ---- vLLM ----
  'assume.vllm_batching_default':
      '{who}在 {where} 上默认使用 {what}（vllm/engine/arg_utils.py EngineArgs.get_batch_defaults；如果你向 vLLM 传入了 --max-num-batched-tokens / --max-num-seqs，请在此设置相同的值）。',
  'phrase.vllm.llm_class': 'LLM 类',
  'phrase.vllm.serve': '`vllm serve`',
  'phrase.vllm.where.no_gpu': '未指定 GPU（vLLM 无法查询 GPU 时的默认值）',
  'phrase.vllm.where.big': '{device}（70 GiB 及以上，且不是 A100）',
  'phrase.vllm.where.a100': '{device}（A100：较小的默认值，PR #17885）',
  'phrase.vllm.where.small': '{device}（小于 70 GiB）',
  'phrase.vllm.batch.tokens': 'max_num_batched_tokens {tokens}',
  'phrase.vllm.batch.tokens_capped': 'max_num_batched_tokens {tokens}（上限为 max_num_seqs × max_model_len = {most}）',
  'phrase.vllm.batch.seqs': 'max_num_seqs {seqs}',
  'phrase.vllm.batch.both': '{tokens} 和 {seqs}',
  'assume.vllm_budget':
      '{rel} 在 {device}（torch 报告的总量为 {total}）上申请 总量 × gpu_memory_utilization {util} = {requested}，并把权重、性能分析运行、非 torch 内存和 CUDA 图估计用剩的部分分给 KV 缓存：{kv} = {tokens} 个 token，按每块 16 个 token 分配。CUDA 上下文（{context}）不在该预算内，因此进程在 nvidia-smi 中约占 {process}。',
  'assume.vllm_budget.graphs_outside':
      '{rel} 在 {device}（torch 报告的总量为 {total}）上申请 总量 × gpu_memory_utilization {util} = {requested}，并把权重、性能分析运行和非 torch 内存用剩的部分分给 KV 缓存：{kv} = {tokens} 个 token，按每块 16 个 token 分配。CUDA 上下文（{context}）和 CUDA 图（≈ {graphs}）不在该预算内，因此进程在 nvidia-smi 中约占 {process}。',
  'assume.vllm_not_startable':
      '{rel} 无法启动：启动时的空闲显存（{total} 减去 {context} 的 CUDA 上下文）小于申请的 {requested}（“Free memory on device … is less than desired GPU memory utilization”）；请调低 --gpu-memory-utilization。',
  'assume.vllm_no_cache_memory':
      '{rel} 在 {device} 上找不到可分给 KV 缓存的显存：仅权重和性能分析运行就超过了申请的 {requested}（“No available memory for the cache blocks”）。',
  'assume.vllm_max_model_len':
      '{rel} 拒绝在 {device} 上使用 --max-model-len {context}：单个请求需要的 KV 缓存超过可用的 {kv}；能放下的最大值为 {max}（kv_cache_utils.py estimate_max_model_len）。',
  'assume.vllm_concurrency':
      '缓存可同时容纳 {concurrency} 个 {context} token 的请求（“Maximum concurrency”）；{rel} 会让其余的 {sequences} 个序列排队。',
  'assume.vllm_kv_groups':
      '该模型混合了滑动窗口层或循环层与全注意力层：vLLM 会把各层分成若干 KV 缓存组；gpumem 把一个块计为覆盖所有注意力层的 16 个 token（即日志中 token 数的含义），并按窗口截断计算每个请求的缓存，这是对这些分组的近似（docs/ESTIMATION.md）。',
  'error.options.vllm_release':
      'vllm 必须是 0.19 到 0.27 之间的版本，例如 0.21（或 "current"）；gpumem 遵循这些版本的 KV 缓存预算。',
  'assume.vllm_needs_gpu':
      'vLLM 根据 GPU 确定 KV 缓存大小：它申请 总量 × gpu_memory_utilization，并把权重和性能分析运行用剩的部分分给缓存。未指定 --gpu 或 --gpu-memory 时，KV 部分按所请求序列的需要计算；当 总量 × gpu_memory_utilization 能容纳此处的总计时，即认为该 GPU 放得下（CUDA 上下文不计入该预算）。',
  // ---- llama.cpp ----
  'assume.llamacpp_host_memory':
      'llama.cpp 把词元嵌入（{embd}）放在主机内存中；主机内存合计 {host}（CPU_Mapped 模型 {model}、CPU KV {kv}、CUDA_Host 计算 {compute}、CUDA_Host 输出 {output}）。',
  'assume.cpu_offload.llamacpp':
      '-ngl {ngl}/{layers}{moe}：{host} 的权重和缓存留在主机内存；这些层在 CPU 上运行（每个提示批次还会把其权重复制到 GPU），因此生成会变慢。',
  'error.options.prompt_over_context': 'prompt 不能超过 context（提示加输出）。',
  'assume.context_default.llamacpp':
      '未选择上下文：llama-server 的默认值（-c 0）为模型的训练上下文，每个序列 {tokens} 个 token；指定 --gpu 时其自动适配可能会缩小它。',
  'assume.llamacpp_fit.unchanged':
      'llama.cpp 在 {device} 上的自动适配（--fit on，common/fit.cpp）：扣除 CUDA 上下文后空闲 {free}，保留 {margin} 空闲（--fit-target）；模型按要求即可放下（{projected}），无需改动。',
  'assume.llamacpp_fit.changed':
      'llama.cpp 在 {device} 上的自动适配（--fit on，common/fit.cpp）：扣除 CUDA 上下文后空闲 {free}，保留 {margin} 空闲（--fit-target）{changes}（设备上 {projected}）。',
  'assume.llamacpp_fit.gave_up':
      'llama.cpp 在 {device} 上的自动适配（--fit on，common/fit.cpp）：扣除 CUDA 上下文后空闲 {free}，保留 {margin} 空闲（--fit-target）{changes}（设备上 {projected}）；它放弃了：{stopped}。',
  'phrase.llamacpp_fit.context': '；上下文 {from} → {to}',
  'phrase.llamacpp_fit.ngl': '；-ngl {from} → {to}',
  'phrase.llamacpp_fit.n_cpu_moe': '；--n-cpu-moe {n}',
  // ---- estimators ----
  'error.internal.stage_outside': '流水线阶段：块之外的权重对不上',
  'error.internal.stage_shrank': '流水线阶段：模型的某个切分变小了',
  'error.internal.plan_reused': '推理计划被用于另一种 dtype、量化、卸载或 pp 设置。',
  'error.options.device_map_all_cpu': 'accelerate 会把所有模块都放到 CPU 上：没有哪块 GPU 的预算连嵌入都放得下。',
  'assume.cpu_offload':
      '{layers} 层保留在 CPU 内存中（{bytes}）；每个 token 都要在 CPU 上流式读取或计算它们，因此生成会慢很多。',
  'error.train.mamba': '尚未对 Mamba 混合器的训练激活建模；请选择 Transformer 模型。',
  'error.train.gpus_multiple_of_tp':
      'gpus 统计所有 GPU（tp × 数据并行副本数），因此必须是 tp 的倍数，例如 tp {tp} 时 gpus 为 {gpus}。',
  'error.train.tp_lora': '尚未对带 LoRA 适配器的张量并行建模；请使用 tp 1 加数据并行或 ZeRO。',
  'error.train.tp_heads': 'tp 必须整除 {heads} 个注意力头，并整除 {kv} 个键/值头或是其倍数（Megatron 按整头切分）。',
  'error.train.sequence_parallel': '序列并行把序列切分到各 tp 副本上：请设置 tp > 1，并让 seq 能被 tp 整除。',
  'assume.paged_optimizer':
      '分页 AdamW 把状态保存在 CUDA 统一内存中：它们计入 GPU，并一直留在那里，直到显存不足时驱动把页面换出到 CPU 内存。',
  // ---- quantization_config ----
  'error.quant.gguf_rows':
      'llama-quantize 无法把 {tensor}（每行 {cols} 个值）存为 {type}，其块大小为 {block} 个值；请选择 K-quant ftype，它会对这类张量回退到 F16。',
  'error.quant.module_list': '{key} 必须是模块名列表，例如 ["lm_head"]。',
  'error.quant.scale_dtype_type': 'scale_dtype 必须是字符串，例如 "float32"。',
  'error.quant.scale_dtype_value': 'scale_dtype “{value}” 不是浮点类型；请使用 float32、bfloat16 或 float16。',
  'error.quant.positive': '{key} 必须是正整数。',
  'error.quant.positive_eg': '{key} 必须是正整数，例如 128。',
  'error.quant.block_dim_positive': '块的每个维度都必须是正整数。',
  'error.quant.block_dim_positive_eg': '块的每个维度都必须是正整数，例如 128。',
  'error.quant.block_size': '块大小必须是两个整数 [out, in]，例如 [128, 128]。',
  'error.quant.block_structure': 'block 策略需要 block_structure [out, in]，例如 [128, 128]。',
  'error.quant.fp8_strategy': '尚未对 strategy 为 “{strategy}” 的 fp8 权重建模；请使用 tensor、channel 或 block。',
  'error.quant.not_object': 'quantization_config 必须是对象。',
  'error.quant.bits': 'bits 必须是 2、3、4 或 8（GPTQ/AWQ 每个 int32 打包 32/bits 个值）。',
  // ---- options ----
  'error.options.not_object': 'options 必须是对象。',
  'error.options.not_string': '{name} 必须是字符串。',
  'error.options.boolean': '{name} 必须是 true 或 false。',
  'error.options.whole_number': '{name} 必须是整数，例如 {example}。',
  'error.options.between': '{name} 必须介于 {min} 和 {max} 之间。',
  'error.options.at_least': '{name} 至少应为 {min}。',
  'error.options.interval': '{name} 必须在 {range} 范围内，例如 {example}。',
  'error.options.unknown_value': '未知的 {name} “{value}”；请使用 {values}。',
  'error.options.unknown_load_dtype': '未知的加载 dtype “{value}”；请使用 fp32、fp16 或 bf16（8/4 位请用 --quant）。',
  'error.options.unknown_weights_dtype': '未知的 dtype “{value}”；请使用 fp32、fp16、bf16、int8 或 int4。',
  'error.options.unknown_quant': '未知的量化方式 “{value}”；请使用 {quants}。',
  'error.options.unknown_kv_dtype': '未知的 KV dtype “{value}”；请使用 auto、fp16、bf16、fp8、q8_0 或 q4_0。',
  'error.options.device_map': 'device_map 必须是 auto、balanced、balanced_low_0 或 sequential。',
  'error.options.vllm_entrypoint': 'vllm_entrypoint 必须是 serve 或 llm。',
  'error.options.solve': 'solve 必须是 context 或 batch。',
  'error.options.train_quant':
      '训练时只能用 bitsandbytes 量化冻结的基座模型；请使用 none、bnb-int8、bnb-nf4 或 bnb-fp4。',
  'error.options.transformers_version':
      'transformers 必须是形如 4.40 的版本号（或 "current"）；不支持早于 4.0 的版本。',
  'error.options.bitsandbytes_version': 'bitsandbytes 必须是形如 0.43.1 的版本号（或 "current"）。',
  'error.options.gpu_memory': 'gpu_memory 必须是形如 23.5GiB、24GB 或 15360MiB 的大小（即运行时报告的总量）。',
  'error.options.unknown_gpu': '未知的 GPU “{name}”；运行 gpumem gpus 查看可用名称，或使用 --gpu-memory。',
  'assume.profile': '{profile} 配置档（{source}）设置了 {sets}。',
  'assume.profile.nothing': '{profile} 配置档（{source}）没有设置请求中未指定的任何选项。',
  'error.internal.option_not_in_schema': '选项 {name} 不在该模式的选项表中',
  'error.internal.option_no_default': '选项 {name} 没有固定的默认值',
  'error.internal.option_table': '选项表不匹配',
  // ---- checkpoint headers ----
  'error.checkpoint.expected_uint': '{file}：此处应为非负整数；文件头已损坏。',
  'error.checkpoint.under_8_bytes': '{file} 不足 8 字节，因此没有 safetensors 文件头。',
  'error.checkpoint.header_over_limit':
      '{file} 声称文件头有 {bytes} 字节，超过 100 MB 的上限；它不是 safetensors 文件，或已损坏。',
  'error.checkpoint.header_past_end': '{file} 只有 {size} 字节，但其文件头声称有 {claimed} 字节；下载不完整。',
  'error.checkpoint.no_json_header': '{file} 的开头不是 safetensors 的 JSON 文件头；它是否是其他格式？',
  'error.checkpoint.header_not_object': '{file}：safetensors 文件头不是 JSON 对象。',
  'error.checkpoint.metadata_not_object': '{file}：__metadata__ 必须是对象。',
  'error.checkpoint.tensor_incomplete': '{file}：张量 {tensor} 缺少 dtype、shape 或 data_offsets。',
  'error.checkpoint.dtype_not_string': '{file}：dtype 必须是字符串。',
  'error.checkpoint.unknown_dtype': '{file}：张量 {tensor} 的 dtype 为 {dtype}，gpumem 不认识它；请报告此问题。',
  'error.checkpoint.shape': '{file}：shape 必须是最多 16 个尺寸组成的数组。',
  'error.checkpoint.offsets': '{file}：data_offsets 必须是 [begin, end]。',
  'error.checkpoint.offsets_reversed': '{file}：data_offsets 的结束位置在开始位置之前。',
  'error.checkpoint.span_mismatch':
      '{file}：张量 {tensor} 占 {span} 字节，但按其 shape 和 {dtype} 应为 {need} 字节；文件头前后不一致。',
  'error.checkpoint.tensor_past_end': '{file}：张量 {tensor} 结束于第 {end} 字节，但文件只有 {size} 字节；下载不完整。',
  'error.checkpoint.overlap': '{file}：有两个张量共用同一段字节；文件头已损坏。',
  'error.checkpoint.weight_map': '{file}：weight_map 必须是对象。',
  'error.checkpoint.weight_map_value': '{file}：weight_map 的每个值都应是一个分片文件名。',
  'error.checkpoint.gguf_truncated': '{file} 在其 GGUF 文件头内部就结束了（第 {size} 字节）；下载不完整或文件已损坏。',
  'error.checkpoint.gguf_over_limit': '{file}：GGUF 文件头超过 100 MB 的上限。',
  'error.checkpoint.gguf_value_type': '{file}：键 {key} 的值类型未知。',
  'error.checkpoint.gguf_nesting': '{file}：键 {key} 下的数组嵌套过深。',
  'error.checkpoint.gguf_array_type': '{file}：键 {key} 的数组类型未知。',
  'error.checkpoint.gguf_v1': '{file} 是 GGUF 版本 1，早于 64 位计数；请重新转换。',
  'error.checkpoint.gguf_version': '{file} 是 GGUF 版本 {version}；gpumem 只读取版本 2 和 3。',
  'error.checkpoint.gguf_counts': '{file}：GGUF 文件头中的计数不合常理；文件已损坏。',
  'error.checkpoint.gguf_alignment': '{file}：general.alignment 必须是 2 的幂。',
  'error.checkpoint.gguf_dims': '{file}：张量 {tensor} 的维度超过 4 个。',
  'error.checkpoint.gguf_type': '{file}：张量 {tensor} 的 ggml 类型为 {type}，gpumem 不认识它；请报告此问题。',
  'error.checkpoint.gguf_rows': '{file}：张量 {tensor} 每行有 {cols} 个元素，不是 {dtype} 块大小 {block} 的倍数。',
  'error.checkpoint.gguf_unaligned': '{file}：张量 {tensor} 未对齐；文件头已损坏。',
  'error.checkpoint.gguf_past_end': '{file}：张量 {tensor} 超出了文件末尾；下载不完整。',
  'error.checkpoint.no_files': '没有提供文件；请拖入 .safetensors、.gguf 或索引文件。',
  'error.checkpoint.head_over_size': '{file}：提供的字节数超过了其文件大小。',
  'error.checkpoint.index_too_large': '{file} 太大，不可能是索引文件。',
  'error.checkpoint.index_json': '{file} 不是有效的 JSON；请使用原样下载的 model.safetensors.index.json。',
  'error.checkpoint.not_index': '{file} 是 JSON，但不是 safetensors 索引（没有 weight_map）。',
  'error.checkpoint.tensor_twice': '张量 {tensor} 出现在两个文件中；同一检查点的每个分片只拖入一次。',
  'note.checkpoint.packed_storage':
      '部分张量是打包的量化存储（GPTQ/AWQ 的 qweight、bitsandbytes 的 absmax/quant_state）：其元素数是存储元素数，而不是模型参数量；字节数是精确的。',
  'note.checkpoint.index_only':
      '只提供了索引：字节数来自其 metadata.total_size；要得到 dtype、参数量和分组，请把分片也拖进来。',
  'note.checkpoint.index_mismatch': '分片中张量共 {bytes} 字节，但索引声明为 {declared}；其中一方来自另一个版本。',
  'note.checkpoint.missing_shards':
      '索引列出了 {listed} 个张量，拖入的分片只有 {held} 个。要得到精确总计，请拖入全部分片。',
  'phrase.checkpoint.bytes_from_headers': '文件头中的张量数据',
  'phrase.checkpoint.bytes_from_index': '索引的 metadata.total_size',
  'error.checkpoint.files_list': 'files 必须以 {name, size, length} 的形式列出拖入的文件。',
  'error.checkpoint.layer_index': '张量 {tensor} 的层号超过 100,000；文件头已损坏。',
  'error.checkpoint.weights_object': 'checkpoint 必须是 inspect 操作返回的 "checkpoint" 对象。',
  'error.checkpoint.weights_field': 'checkpoint 的此字段缺失或类型不对；请原样发送 inspect 操作的 "checkpoint"。',
  'error.checkpoint.weights_format': 'checkpoint.format 必须是 "safetensors" 或 "gguf"。',
  'error.checkpoint.weights_sum': 'checkpoint 的字节数加不起来（各层、嵌入与其余部分）；请原样发送 inspect 操作的 "checkpoint"。',
  'error.checkpoint.file_entry': '每个文件都需要文件名和以字节计的大小。',
  'error.checkpoint.length': 'length 必须是字节数。',
  'error.checkpoint.attachment_short': '附带的数据比各文件的 length 之和短。',
  // ---- the bit converter ----
  'error.convert.rounding': '未知的舍入方式 “{value}”；请使用 rne（就近舍入，平局取偶）或 trunc。',
  'error.convert.e4m3_overflow': '未知的 e4m3_overflow “{value}”；请使用 nan（PyTorch 的 float8_e4m3fn）或 saturate。',
  'error.convert.format': '未知的格式 “{value}”；请使用 fp32、fp16、bf16、e4m3 或 e5m2。',
  'error.convert.value_string': 'value 必须是字符串（"3.14"），这样十进制数只会舍入到 fp32 一次，而不经过 double。',
  'error.convert.no_value': '请给出一个数：value（"3.14"）或 bits（"0x4048f5c3"）。',
  'error.convert.bits':
      '{format} 的位串应为 0x 加上恰好 {digits} 个十六进制数字（例如 3.14 为 {example}）；“{value}” 不符合。',
  'error.convert.decimal_from': '十进制值按 fp32 读取；from 只适用于位串（0x…），请去掉它或改为给出位串。',
  'error.convert.not_a_number':
      '“{value}” 不是数字；请输入十进制数，如 3.14、-1e-8 或 inf，或输入 0x 加 8 个十六进制数字的 fp32 位串。',
  // ---- inference options and the fits-on solver ----
  'phrase.long_context.vllm':
    'vLLM 会拒绝这样的 --max-model-len，除非设置了 VLLM_ALLOW_LONG_MAX_MODEL_LEN=1（vllm/config/model.py，_get_and_verify_max_len）。',
  'phrase.long_context.llamacpp':
    'llama-server 会按 -c 分配 KV 缓存，但把每个槽位限制在训练上下文内（“the slot context exceeds the training context of the model - capping”，tools/server）。',
  'phrase.long_context.hf': 'transformers 照样计算这些位置；估算按所要求的上下文进行。',
  'assume.context_above_limit': '{over}{engine}',
  'assume.dtype_default_engine.vllm':
    '配置中没有 torch_dtype，因此 vLLM 的 --dtype auto 采用检查点的类型（未注明时为 float32），并把 float32 降为 GPU 偏好的 16 位类型：{dtype}（vllm/config/model.py _resolve_auto_dtype）。',
  'assume.dtype_default_engine.llamacpp':
    '配置中没有 torch_dtype；llama.cpp 运行 GGUF 自身的类型，而未量化的 GGUF 保存 16 位权重（convert_hf_to_gguf.py 写出 F16，或在 --outtype auto 时写出 BF16）：按 fp16 估算。',
  'assume.dtype_default_engine.hf':
    '配置中没有 torch_dtype，因此 transformers 加载检查点自身的 dtype（from_pretrained 的 dtype="auto" 自 v5 起为默认值，会从权重中读取；4.x 加载 torch 的默认 float32）：按 fp32 估算，未保存 torch_dtype 的检查点通常如此；若你的不同，请选择 --dtype。',
  'assume.bnb_fp16_load':
    '未选择 dtype，因此 transformers 以 fp16 加载 bitsandbytes 模型（其 bitsandbytes 量化器的 update_torch_dtype）；若要以其他类型加载，请选择 --dtype。',
  'assume.vllm_bf16_fallback':
    '配置的 torch_dtype 是 bfloat16，而 {gpu} 无法以它计算，因此 vLLM 的 dtype auto 回退到 float16（vllm/config/model.py _resolve_auto_dtype）。',
  'assume.dtype_from_config': '未选择 dtype，因此采用配置中的 torch_dtype（{torch_dtype}）：{dtype}。',
  'assume.bf16_unsupported_gpu.vllm':
    '{gpu} 没有硬件 bfloat16（计算能力低于 8.0，或为 Apple M1）：vLLM 在其上拒绝 --dtype bfloat16；fp16 占用的内存相同。',
  'assume.bf16_unsupported_gpu':
    '{gpu} 没有硬件 bfloat16（计算能力低于 8.0，或为 Apple M1）：bf16 以模拟方式运行，速度很慢；fp16 占用的内存相同。',
  'assume.quant_from_config': '配置的 quantization_config（{method}）选定了 {quant} 权重；可用 --quant 覆盖。',
  'assume.quant_keep_unplaced': '{note}',
  'assume.engine_converts': '{note}（{source}）',
  'assume.bnb_compute_dtype_default':
    '未给出 bnb_4bit_compute_dtype，因此采用 BitsAndBytesConfig 的 float32：每个 4 位线性层都把输入和输出转换为 fp32，预填充也以它反量化（请设置 --bnb-compute-dtype，通常为 bf16）。',
  'assume.context_default': '未选择上下文，因此每个序列容纳 {tokens} 个 token（训练上下文，最多 4096）。',
  'error.options.device_map_with_tp':
    'device_map 把整层依次放到各 GPU 上；请去掉 --tp 和 --pp（它的 --gpus 就是它要填满的设备）。',
  'assume.gpus_as_tp': '{gpus} 块 GPU 且未指定 --tp：模型按张量并行切分到它们上（tp = {gpus}）；结果按单块 GPU 计。',
  'error.options.pp_divides_gpus': 'pp 必须整除 GPU 数（gpus = tp × pp），例如 tp 为 4 时用 --gpus 8 --pp 2。',
  'error.options.gpus_over_tp_pp': 'GPU 数多于张量并行副本数 × 流水线阶段数；请设置 --tp 和 --pp，使 gpus = tp × pp。',
  'error.options.gpus_tp_pp': 'gpus 必须等于 tp × pp（{tp} × {pp}）。',
  'error.options.pp_encoder': '流水线并行只对仅解码器模型建模；该模型有编码器堆栈。',
  'error.options.pp_over_layers': 'pp 不能超过模型的 {layers} 层：每个阶段至少需要一层。',
  'error.options.pp_offload': '尚未对流水线并行下的 CPU 卸载建模；请在 --pp 和 --offload-layers 中二选一。',
  'assume.pp_even_split':
    'transformers 没有流水线并行引擎（accelerate 的 device_map 按字节填满 GPU）：各层被平均切分，与 vLLM 的 get_pp_indices 相同。',
  'error.options.transformers_hf_only': 'transformers 版本只适用于 hf 引擎；请去掉它或选择 --engine hf。',
  'assume.hf_behaviour_assumed': '不在 gpumem 的 transformers 版本表中：{unsure}。',
  'error.options.device_map_hf_only':
    'device_map 是 transformers（accelerate）的放置方式；请选择 --engine hf，vLLM 和 llama.cpp 请用 --pp。',
  'error.options.device_map_encoder': 'device_map 放置只对仅解码器模型建模；该模型有编码器堆栈。',
  'error.options.device_map_offload': '使用 device_map 时由 accelerate 决定哪些放到 CPU；请去掉 --offload-layers。',
  'error.options.device_map_gpu': 'device_map 需要知道它要填满的 GPU（--gpu 目录中的名称或 --gpu-memory；数量用 --gpus）。',
  'error.options.gpus_max': '最多 64 块 GPU。',
  'assume.device_map_free_memory':
    '每块 {gpu} 向 accelerate 提供其空闲显存：总量 {total} B 减去 {context} B 的 CUDA 上下文 = {budget} B（可用 --max-memory-mib 设置）。',
  'error.options.llamacpp_fa': 'llama.cpp 的量化 V 缓存需要 flash attention（-fa）。',
  'assume.checkpoint_weights':
    '权重：{bytes} 字节，即 {file} 及其分片按文件头所含的张量（按配置计算的布局为 {computed} 字节：{diff}）。',
  'assume.checkpoint_weights.same':
    '权重：{bytes} 字节，即 {file} 及其分片按文件头所含的张量（与按配置计算的布局相同）。',
  'assume.checkpoint_unused': '权重按配置计算，未读取 {file}：{why}。',
  'phrase.checkpoint_unused.gguf_engine': '只有 llama.cpp 加载 GGUF 文件；此引擎加载 safetensors',
  'phrase.checkpoint_unused.safetensors_llamacpp': 'llama.cpp 加载由这些 safetensors 转换而来、采用此处所选格式的 GGUF',
  'phrase.checkpoint_unused.quant': '引擎以 {quant} 加载权重，而不是按检查点的存储格式',
  'phrase.checkpoint_unused.split': '流水线或 device_map 切分按配置的布局逐层放置',
  'phrase.checkpoint_unused.encoder': '编码器-解码器检查点不按层放置',
  'phrase.checkpoint_unused.layers': '检查点含配置 {n_layer} 个解码层中的 {present} 个（这是该模型的检查点吗？）',
  'phrase.checkpoint_unused.dtype': '检查点以 {stored} 存储张量，而引擎以 {dtype} 加载',
  'assume.mla_expanded':
    'transformers 按头展开缓存 MLA 的键和值；vLLM 和 llama.cpp 缓存的是潜向量（kv_lora_rank + rope 维度）。',
  'assume.device_map_table':
    '适配表把每块 GPU 与此放置方式在所选 GPU 上的单卡显存作比较（在其他容量的 GPU 上，accelerate 会以不同方式放置各层）；其所需 GPU 数一栏按张量并行计。',
  'assume.gpu_total_table':
    '表中的可用显存是各 GPU 运行时报告的总量（torch.cuda.mem_get_info、rocminfo、Metal 的工作集）；标记为 by_rule 的行没有公开数据，按实测的同系列型号推算（gpumem gpus --json 给出每条规则）。',
  'fit.model_limit': '模型自身的上限先于显存起作用：{tokens} 个 token（{from}）。',
  'fit.nothing_fits.context': '即使 {step} 个 token 也放不下：固定部分（权重、开销）已超过 {capacity}。',
  'fit.nothing_fits.batch': '即使 {step} 个序列也放不下：固定部分（权重、开销）已超过 {capacity}。',
  // ---- training options ----
  'assume.lora_targets_default': '未给出 LoRA 目标，因此适配 q_proj 和 v_proj（PEFT 对 Llama 的默认值）。',
  'error.options.lora_target':
    '未知的 LoRA 目标 “{value}”；请使用 all-linear，或以逗号分隔的 q_proj、k_proj、v_proj、o_proj、gate_proj、up_proj、down_proj 列表。',
  'assume.precision_no_bf16':
    '未选择精度方案，且 {gpu} 没有硬件 bfloat16，因此按 fp16 自动混合精度（amp-fp16，TrainingArguments 的 fp16=True）估算。',
  'assume.precision_default': '未选择精度方案，因此按 bf16 自动混合精度（amp-bf16）估算。',
  'assume.bf16_unsupported_gpu.train':
    '{gpu} 没有硬件 bfloat16（计算能力低于 8.0，或为 Apple M1）：transformers 在其上拒绝 bf16=True（“Your setup doesn\'t support bf16/gpu”）；amp-fp16 占用的内存相同。',
  'assume.lora_rank_default': '量化的基座模型通过适配器训练，且未给出 LoRA 秩，因此采用 PEFT LoraConfig 的默认值 r = 8。',
  'assume.lora_dropout_default':
    'LoRA dropout 取 0（PEFT 的默认值）；脚本常设为 0.05 或 0.1，这会为每个适配器的输入保留一份 dropout 后的副本和一个单字节掩码。',
  'error.train.quant_needs_lora': '量化权重无法直接训练；请添加 LoRA 适配器（--lora-rank）进行 QLoRA。',
  'error.train.double_quant': '双重量化只适用于 bnb-nf4 和 bnb-fp4 冻结权重；请用 --quant 选择其一。',
  'assume.prepare_kbit_default':
    '未量化的参数（嵌入、lm_head、归一化层）按 fp32 计，因为 PEFT 的 prepare_model_for_kbit_training 会这样处理它们；如果你的脚本不调用它，请把 prepare_kbit 设为 false。',
  'assume.seq_default_limit': '默认序列长度 {default} 个 token 超出了模型的上限（{from}），因此使用 {seq}。',
  'assume.checkpointing_kbit_default':
    '未选择检查点策略，而 PEFT 的 prepare_model_for_kbit_training 默认启用梯度检查点（use_gradient_checkpointing=True），因此按完整检查点估算；如果你的脚本传入 False，请把 checkpointing 设为 none。',
  'assume.zero_one_gpu':
    'ZeRO 阶段 {zero} 把状态切分到各数据并行副本上，而未给出 GPU 数，因此 {gpus} 块 GPU 不做任何切分；请把 gpus 设为你训练所用的 GPU 数（例如 --gpus 8）。',
  'assume.zero_one_gpu.tp':
    'ZeRO 阶段 {zero} 把状态切分到各数据并行副本上，而未给出 GPU 数，因此 {gpus} 块 GPU（tp）不做任何切分；请把 gpus 设为你训练所用的 GPU 数（例如 --gpus 8）。',
  'error.train.offload_params': '参数卸载需要 ZeRO 阶段 3（--zero 3）；否则请使用 --offload optimizer。',
  'assume.cuda_context_default.lazy':
    'CUDA 上下文按 500 MiB 计（延迟模块加载：CUDA ≥ 11.7 且 PyTorch ≥ 2.0，与推理相同）；请按你的驱动设置 cuda_context_mib。',
  'assume.cuda_context_default.eager':
    'CUDA 上下文按 1343 MiB 计（无延迟模块加载：V100 上的 CUDA 11.2，见 transformers 文档的实测）；请按你的驱动设置 cuda_context_mib。',
  'assume.dropout_from_config': 'dropout 遵循配置：注意力 dropout {attn}，残差 dropout {hidden}（训练中每个都保留一个单字节掩码）。',
  'phrase.on': '开启',
  'phrase.off': '关闭',
  'fit.train.nothing_fits': '即使批大小为 1 也放不下：每块 GPU {total}，而可用 {capacity}。',
};

export const ZH = {
  ...MEMORY_ZH,
  ...OPS_ZH,
  ...SPEED_ZH,
  ...CORE_ZH,
};
