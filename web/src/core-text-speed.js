// zh templates of the core's speed sentences (core/src/base/messages_speed.cpp): the terms' formulas, the
// assumptions, the errors and the names of the peaks. core-text.js merges them into its table;
// tests/node/core-text.test.mjs checks that every catalogue id has one, with the same placeholders.
export const SPEED_ZH = {
  // ---- the peaks a term divides by ----
  'phrase.peak.fp32': 'FP32',
  'phrase.peak.fp16': 'FP16 张量',
  'phrase.peak.fp16acc': 'FP16 张量（FP16 累加）',
  'phrase.peak.bf16': 'BF16 张量',
  'phrase.peak.fp8': 'FP8 张量',
  'phrase.peak.fp4': 'FP4 张量',
  // ---- the terms ----
  'speed.formula.prefill_matmul':
    '2 × 活跃矩阵参数 × {tokens} 个 token = {tflop} TFLOP ÷ ({peak} TFLOPS {peak_name} × {eff}) = {time}',
  'speed.formula.prefill_attention':
    '上下文 {depth} + 1 … {depth} + {prompt} 上的 QKᵀ 与 PV = {tflop} TFLOP ÷ ({peak} TFLOPS × {eff}) = {time}',
  'speed.formula.prefill_weights': '{chunks} 个物理批次 × {gb} GB 权重 ÷ ({bw} GB/s × {eff}) = {time}',
  'speed.formula.prefill_dequant': '{chunks} 个物理批次 × 每个量化权重 {b} B 的反量化流量 ÷ {bw} GB/s = {time}',
  'speed.formula.prefill_overhead': '{chunks} 个物理批次 × {layers} 层 × {us} µs = {time}',
  'speed.formula.prefill_interconnect':
    '{tp} 块 GPU 间的 all-reduce、流水线阶段交接与复制的权重，单向 {link} GB/s = {time}',
  'speed.formula.decode_weights': '每步 {gb} GB 权重 ÷ ({bw} GB/s × {eff}) = {time}',
  'speed.formula.decode_kv': '{batch} × 上下文 {context} 处 {mb} MB 的 KV 缓存 ÷ ({bw} GB/s × {eff}) = {time}',
  'speed.formula.decode_compute': '每步 {gflop} GFLOP ÷ ({peak} TFLOPS × {eff}) = {time}',
  'speed.formula.decode_compute_alu':
    '每个权重 {alu} 次运算 ÷ {fp32} TFLOPS FP32 + {gflop} GFLOP ÷ ({peak} TFLOPS × {eff}) = {time}',
  'speed.formula.decode_overhead': '{layers} 层 × {us} µs 的内核启动与同步 = {time}',
  'speed.formula.decode_interconnect':
    '{tp} 块 GPU 间的 all-reduce、流水线阶段交接与复制的权重，单向 {link} GB/s = {time}',
  'speed.formula.decode_cpu': 'CPU 读取 {gb} GB ÷ ({bw} GB/s × {eff}) = {time}',
  'speed.formula.decode_step':
    'max(权重 + KV 缓存, 计算) + 其余各项，在上下文 {from} … {to} 的 {output} 步上取平均 = 每 token {time}（{tps} token/s）',
  'speed.formula.train_full':
    '(2 前向 + 4 反向) × {active} 活跃参数 × {tokens} 个 token + 注意力 = {tflop} TFLOP ÷ ({peak} TFLOPS {peak_name} × MFU {mfu}) = {time}',
  'speed.formula.train_lora':
    '(2 前向 + 2 输入梯度) × {active} 冻结参数 + 6 × {trainable} 适配器参数，× {tokens} 个 token，+ 注意力 = {tflop} TFLOP ÷ ({peak} TFLOPS {peak_name} × MFU {mfu}) = {time}',
  'speed.formula.train_recompute': '其中 {tflop} TFLOP 用于重算检查点激活',
  'speed.formula.train_interconnect':
    '{dp} 个数据并行副本的梯度 all-reduce（{gb} GB）与 {tp} 块 GPU 的张量并行 all-reduce，单向 {link} GB/s = {time}',
  'speed.formula.train_cpu': 'CPU 上的优化器步：每个参数 16 B ÷ ({bw} GB/s × 0.6) = {time}',
  // ---- assumptions ----
  'assume.speed_efficiency':
    '速度：{engine} 在 {backend} 上的带宽与算力利用率拟合自公开的 llama-bench 实测（tests/fixtures/speed/benchmarks.json）；区间为其残差的第 10 至第 90 百分位。',
  'assume.speed_efficiency_prior':
    '速度：{engine} 的峰值利用率是有文档依据的先验值，未经实测拟合（没有注明全部设置的公开单卡数据），因此区间更宽。',
  'assume.speed_moe_experts':
    'MoE 解码读取 {batch} 个序列的一步所触及的路由专家：{experts} × (1 − (1 − {used}/{experts})^{batch}) = 每层 {touched} 个，按均匀路由计。',
  'assume.speed_pipeline_serial': '{stages} 个流水线阶段依次运行（每一步同一时刻只有一块设备在忙）；不计微批次之间的重叠。',
  'assume.speed_no_peak': '{gpu} 没有公开的 {peak} 数据：不估算预填充与首 token 时间。',
  'assume.speed_no_fp32': '{gpu} 没有公开的 FP32 数据：解码步的反量化运算不计入。',
  'assume.speed_unverified': '{gpu} 的部分速度数据（{fields}）只有一个非厂商来源。',
  'assume.speed_flash_attn': 'llama.cpp 的利用率主要拟合自未开启 flash attention 的运行；开启后长上下文会比估算略快。',
  'assume.speed_cpu_layers': '前 {layers} 层（以及 --n-cpu-moe 保留的部分）在 CPU 上运行，带宽 {bw} GB/s × {eff}（cpu_bandwidth）。',
  'assume.speed_offload_streamed': '卸载的 {layers} 层在每次前向时经 PCIe 复制到 GPU（有效 {pcie} GB/s）。',
  'assume.speed_backend_default': '后端 {backend}，即 {vendor} 的默认值（backend auto）。',
  'assume.speed_prompt_default': '提示长度按 512 个 token 计（未给出 prompt 或 context）。',
  'assume.speed_table':
    '表中每块 GPU 的 token/s 按“可装下的 GPU”表的放置计算（能装下时用请求的 GPU 数，否则用能装下的最少张量并行 GPU 数），所有层都在 GPU 上，后端为该厂商的默认后端。',
  'assume.speed_mfu': '训练步按 MFU {mfu} 计：矩阵乘法以 GPU 稠密峰值的这一比例运行。',
  'assume.speed_mfu_default':
    'MFU 取 0.4（mfu 默认值）：介于单机微调（约 0.3 至 0.4）与 Megatron-LM 在 A100 上的 0.52 之间（Narayanan 等，2021）。',
  // ---- errors ----
  'error.options.backend': 'backend 必须是 auto、cuda、rocm、metal 或 vulkan。',
  'error.speed.encoder': '速度只覆盖仅解码器模型；{model_type} 含编码器。',
  'error.speed.no_bandwidth': '{gpu} 没有公开的显存带宽；请换一块 GPU。',
  'error.speed.no_link': '目录中 {gpu} 没有 GPU 间互连；请用 --gpus 1。',
  'error.speed.no_train_peak': '{gpu} 没有公开的 {peak} 数据；请换一种精度或 GPU。',
  'error.speed.no_gpu': '速度需要一块 GPU：请给出 --gpu NAME（gpumem gpus 列出可选项）。',
  'error.speed.custom_gpu': '{gpu} 是没有速度数据的自定义显卡；请用 --gpu 选择目录中的 GPU。',
  'error.speed.backend_gpu': '后端 {backend} 不能在 {gpu}（{vendor}）上运行；请用 auto。',
  'error.speed.backend_engine': '{engine} 没有 Vulkan 后端；请用 auto。',
  'error.speed.vllm_metal': 'vLLM 没有 Apple GPU（Metal）后端；在 {gpu} 上请选择 llama.cpp 或 transformers。',
  'error.speed.context_short': 'context {context} 短于 depth + prompt + output；至少给 {need}。',
  'error.speed.weights_mode': '速度只覆盖推理与训练；请用 --mode inference 或 train。',
};
