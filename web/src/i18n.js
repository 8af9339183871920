// Every string the page renders from the core's structured data, in every language, in one place.
// The core returns stable codes with numbers and bit strings ({code: 'exponent_rebias', from_field: 128,
// to_field: 16, ...}); each language maps a code to a function of those fields. Adding a language is
// adding one object with the same keys (tests/node/i18n.test.mjs checks they match).
//
// Only formatting lives here: the numbers, bits and decimal strings all come from the core.

import { loadCoreText } from './core-text.js';

export const pow2 = (p) => `2^${p}`;

const en = {
  ui: {
    steps: 'Steps',
    warnings: 'Warnings',
    hex: 'hex',
    binary: 'binary',
    value: 'value',
    error: 'error vs fp32',
    relative: 'relative',
    copyHex: 'Copy hex',
    copyBinary: 'Copy binary',
    copied: (what) => `Copied ${what}.`,
    copyFailed: 'The browser did not allow copying; select the text instead.',
    bitsOf: (format) => `${format} bits (click a bit to flip it)`,
    bit: (format, i, field) => `${format} bit ${i} (${field})`,
    fields: { sign: 'sign', exponent: 'exponent', mantissa: 'mantissa' },
    roles: { source: 'input', widened: 'widened exactly', converted: 'converted' },
    alternative: { trunc: 'truncation would give', rne: 'round-to-nearest-even would give' },
    none: '—',
  },
  decisions: {
    exact: 'the dropped bits are all 0: exact',
    down: 'below half an ulp: round down (keep)',
    up: 'above half an ulp: round up (+1)',
    tie_down: 'exactly half an ulp: ties to even, the kept bits end in 0: keep',
    tie_up: 'exactly half an ulp: ties to even, the kept bits end in 1: round up (+1)',
    truncate: 'truncation: the dropped bits are discarded',
  },
  steps: {
    parse_decimal: (s) => `"${s.text}" is read as the nearest fp32: ${s.bits} = ${s.value}.`,
    input_bits: (s) => `Input: ${s.format} bits ${s.bits}.`,
    sign: (s) => `Sign: bit ${s.sign} is copied unchanged.`,
    nan: (s) =>
      s.single_pattern
        ? 'NaN stays NaN: e4m3 has one NaN pattern per sign, S.1111.111.'
        : `NaN stays NaN: the sign and the top ${s.payload_bits} payload bits are kept and the quiet bit is set.`,
    infinity: (s) =>
      s.result === 'inf'
        ? 'Infinity stays infinity.'
        : s.result === 'nan'
          ? 'e4m3 has no infinity: it becomes NaN (as PyTorch\'s float8_e4m3fn).'
          : `e4m3 has no infinity: saturating gives the largest finite value, ${s.max}.`,
    zero: () => 'Zero stays zero, with its sign.',
    input_subnormal: (s) =>
      `The input is an fp32 subnormal: exponent field 0 means 2^-126 with no hidden 1 (mantissa ${s.mantissa}).`,
    exponent_same: (s) =>
      `Exponent: bf16 keeps fp32's 8-bit exponent and bias 127, so field ${s.field} (${s.bits}) is copied unchanged: 2^${s.unbiased}.`,
    exponent_rebias: (s) =>
      `Exponent: field ${s.from_field} → ${s.to_field} (${s.from_field} − ${s.from_bias} + ${s.to_bias}` +
      (s.to_bits ? `; binary ${s.to_bits}` : '') +
      `), the value's exponent is 2^${s.unbiased}.` +
      (s.to_field < s.min_field ? ` That is below the smallest normal field ${s.min_field}.` : '') +
      (s.to_field > s.max_field ? ` That is above the largest finite field ${s.max_field}.` : ''),
    exponent_too_large: (s) =>
      `${pow2(s.unbiased)} is above the largest exponent ${pow2(s.max_unbiased)}: no rounding can bring it back.`,
    subnormal_shift: (s) =>
      `${pow2(s.unbiased)} is below the smallest normal exponent ${pow2(s.min_unbiased)}: the result is subnormal ` +
      `(exponent field 0) and the significand moves ${s.extra} more places right.`,
    round: (s, t) =>
      `Mantissa: of ${s.significand} keep ${s.kept}, drop ${s.dropped} — guard ${s.guard}, round ${s.round}, ` +
      `sticky ${s.sticky}: ${t.decisions[s.decision]} → ${s.mantissa}.`,
    carry: (s) =>
      `Carry: ${s.mantissa_before} + 1 overflows the mantissa, so the exponent field goes ${s.from_field} → ${s.to_field}.`,
    overflow: (s) =>
      s.result === 'inf'
        ? `Overflow: beyond the largest finite value ${s.max} the result is infinity.`
        : s.result === 'nan'
          ? `Overflow: beyond ${s.max} e4m3 gives NaN (as PyTorch's float8_e4m3fn).`
          : s.reason === 'trunc'
            ? `Rounding toward zero never passes the largest finite value: ${s.max}.`
            : `Saturating: clamped to the largest finite value ${s.max}.`,
    underflow_zero: (s) =>
      `Underflow: below half the smallest subnormal ${pow2(s.min_subnormal_pow2)} = ${s.min_subnormal}, the result is 0.`,
    subnormal_result: (s) =>
      `The result is subnormal (below ${pow2(s.min_normal_pow2)} = ${s.min_normal}): it keeps fewer significant bits.`,
    result: (s) => `Result: ${s.fields} = ${s.bits} = ${s.value}.`,
    decode_sign: (s) => `Sign: bit ${s.sign} is copied.`,
    decode_nan: () => 'NaN: the payload moves to the top of the fp32 mantissa and the quiet bit is set.',
    decode_infinity: () => 'Infinity stays infinity.',
    decode_zero: () => 'Zero stays zero, with its sign.',
    decode_exponent: (s) =>
      `Exponent: field ${s.from_field} → ${s.to_field} (${s.from_field} − ${s.from_bias} + 127; binary ${s.to_bits}), 2^${s.unbiased}.`,
    decode_exponent_same: (s) => `Exponent: field ${s.from_field} is copied (the same bias 127), 2^${s.unbiased}.`,
    decode_mantissa: (s) => `Mantissa: ${s.from} gets ${s.zeros} zeros appended: ${s.to}. Widening is exact.`,
    decode_subnormal: (s) =>
      `Subnormal: ${s.mantissa} × ${pow2(s.scale_pow2)} is normalised to ${pow2(s.unbiased)} ` +
      `(field ${s.to_field}, binary ${s.to_bits}), mantissa ${s.to_mantissa}.`,
    decode_subnormal_same: (s) => `A bf16 subnormal is an fp32 subnormal: mantissa ${s.to_mantissa}.`,
  },
  warnings: {
    overflow_inf: (w) => `Overflow: beyond ${w.max} the value becomes infinity.`,
    overflow_nan: (w) => `Overflow: beyond ${w.max} e4m3 gives NaN.`,
    overflow_max: (w) => `Overflow: clamped to the largest finite value ${w.max}.`,
    infinity_nan: () => 'e4m3 has no infinity: NaN.',
    infinity_max: (w) => `e4m3 has no infinity: saturated to ${w.max}.`,
    underflow_zero: (w) => `Underflow: below half of ${pow2(w.min_subnormal_pow2)} (the smallest subnormal) the value becomes 0.`,
    subnormal: (w) => `Subnormal: below ${pow2(w.min_normal_pow2)} fewer significant bits are kept.`,
    inexact: (w) => `Precision lost: relative error ${w.rel_approx}.`,
    nan_quieted: () => 'A signalling NaN became a quiet NaN.',
  },
};

// The page's own strings (index.html's data-i18n keys and what the page's modules render). A value is
// a string or a function of named fields; every language has the same keys (tests/node/i18n.test.mjs).
const enPage = {
  tagline: 'Exact parameter counts and GPU memory for Hugging Face models. Your files never leave this browser: everything is computed on this page.',
  'prefs.language': 'Language',
  'prefs.theme': 'Theme',
  'prefs.theme.auto': 'as the system',
  'prefs.theme.light': 'light',
  'prefs.theme.dark': 'dark',
  'prefs.units': 'Units',
  'prefs.units.gib': 'GiB (2^30 bytes)',
  'prefs.units.gb': 'GB (10^9 bytes)',
  'views.label': 'Views',
  'views.calculator': 'Memory calculator',
  'views.converter': 'Bit converter',
  'input.title': 'Model',
  'input.drop': 'or drop a config.json (and checkpoint files: only their headers are read) anywhere on the page.',
  'input.choose': 'Choose config.json',
  'input.paste': '…or paste its text',
  'input.calculate': 'Calculate',
  'input.pastedName': 'pasted text',
  'gallery.search': 'Gallery: search a bundled model',
  'gallery.label': 'Bundled model configs',
  'gallery.count': ({ shown, total }) => `${shown} of ${total} bundled configs (they load from this site, nothing is fetched elsewhere).`,
  'gallery.loadFailed': 'The gallery could not be loaded from this site.',
  'status.loading': 'Loading the calculator…',
  'status.ready': 'Ready. Drop a config.json or pick a model from the gallery.',
  'status.loadingModule': 'Loading the checkpoint reader (the full calculator module, first use only)…',
  'engine.fullFailed': ({ reason }) => `The full calculator module did not load: ${reason}. Reload the page to try again.`,
  'status.failed': 'The calculator could not start.',
  'status.empty': 'The memory breakdown appears here once a config is read.',
  'status.tooLarge': ({ name, limit }) => `${name} is larger than ${limit}: a config.json is a few kilobytes, so this file was not read.`,
  'error.at': ({ path }) => ` (at ${path})`,
  'error.line': ({ line, column }) => ` (line ${line}, column ${column})`,
  'memory.title': 'GPU memory for',
  'params.label': 'Parameters:',
  'params.active': 'Active per token:',
  'params.mtp': 'Multi-token prediction modules (not in the total, not loaded by transformers):',
  'mode.label': 'What to estimate',
  'mode.inference': 'Inference',
  'mode.train': 'Training / fine-tuning',
  'inf.engine': 'Engine',
  'engine.hf': 'Hugging Face transformers',
  'engine.vllm': 'vLLM',
  'engine.llamacpp': 'llama.cpp',
  'inf.dtype': 'Load dtype',
  'opt.fromConfig': 'from config',
  'opt.none': 'none',
  'opt.asLoad': 'as load dtype',
  'opt.q8_0': 'q8_0 (llama.cpp)',
  'opt.q4_0': 'q4_0 (llama.cpp)',
  'inf.quant': 'Quantization',
  'inf.doubleQuant': 'Double quantization (bnb 4-bit)',
  'inf.kv': 'KV cache dtype',
  'inf.batch': 'Batch (concurrent sequences)',
  'inf.context': 'Context per sequence (prompt + output tokens)',
  'inf.prompt': 'Prompt (prefill) tokens, empty = context',
  'inf.beams': 'Beams × returned sequences',
  'inf.tp': 'Tensor-parallel GPUs',
  'inf.pp': 'Pipeline-parallel stages (GPUs = tensor × pipeline)',
  'inf.offload': 'Layers offloaded to CPU',
  'inf.attn': 'Attention implementation',
  'inf.transformers': 'transformers version (how generate() allocates)',
  'inf.transformers.current': 'current (4.49 and later)',
  'inf.deviceMap': 'device_map (accelerate places layers over the chosen GPUs, then the CPU)',
  'inf.deviceMap.none': 'none (one GPU, or --tp/--pp)',
  'inf.gmu': 'vLLM gpu_memory_utilization',
  'inf.groupSize': 'Group size (GPTQ/AWQ), empty = from config or 128',
  'inf.noFlash': 'Without flash attention (llama.cpp)',
  'inf.countContext': 'CUDA context and libraries',
  'inf.countContext.true': 'counted (as nvidia-smi shows)',
  'inf.countContext.false': 'left out (as torch.cuda.max_memory_allocated)',
  'inf.lazy': 'CUDA lazy module loading',
  'inf.lazy.true': 'on (CUDA 11.7 and later)',
  'inf.lazy.false': 'off (older CUDA)',
  'inf.solve': 'Solve for the largest',
  'inf.solve.context': 'context',
  'inf.solve.batch': 'batch',
  'train.precision': 'Precision',
  'train.precision.amp-bf16': 'amp-bf16 (autocast, fp32 weights)',
  'train.precision.amp-fp16': 'amp-fp16 (autocast, fp32 weights)',
  'train.precision.bf16': 'bf16 (pure)',
  'train.engine': 'Engine',
  'train.engine.hf': 'hf (Trainer / PyTorch)',
  'train.engine.deepspeed': 'deepspeed (16-bit weights + fp32 master)',
  'train.optimizer': 'Optimizer',
  'train.optimizer.sgd-momentum': 'SGD with momentum',
  'train.loraRank': 'LoRA rank (0 = full fine-tuning)',
  'train.loraTargets': 'LoRA targets',
  'train.quant': 'Frozen base (QLoRA)',
  'train.quant.none': '16-bit (no quantization)',
  'train.doubleQuant': 'Double quantization (nf4/fp4)',
  'train.loraDropout': 'LoRA dropout (0: none)',
  'train.prepareKbit': 'QLoRA: parameters left unquantized (embeddings, lm_head, norms)',
  'train.prepareKbit.true': 'fp32 (PEFT prepare_model_for_kbit_training)',
  'train.prepareKbit.false': 'load dtype (not prepared)',
  'train.bitsandbytes': 'bitsandbytes version (what quantized linears keep for backward)',
  'train.bitsandbytes.current': 'current (0.45 and later)',
  'train.bitsandbytes.old': '0.43.1 and earlier',
  'train.batch': 'Batch per GPU',
  'train.seq': 'Sequence length',
  'train.gradAccum': 'Gradient accumulation steps',
  'train.checkpointing': 'Activation checkpointing',
  'train.checkpointing.selective': 'selective',
  'train.checkpointing.full': 'full',
  'train.attention': 'Attention',
  'train.zero': 'ZeRO stage',
  'train.zero.0': '0 (data parallel)',
  'train.zero.2': '2 (FSDP SHARD_GRAD_OP)',
  'train.zero.3': '3 (FSDP FULL_SHARD)',
  'train.tp': 'Tensor-parallel GPUs',
  'train.sp': 'Sequence parallelism (with tensor parallelism)',
  'train.loss': 'Loss',
  'train.loss.full': 'full logits',
  'train.loss.chunked': 'chunked fused cross-entropy (Liger-Kernel)',
  'train.loss.sum': 'logits.sum() (benchmark loops: no upcast)',
  'train.keepOutputs': "the loop keeps the previous step's outputs (logits, past_key_values)",
  'train.optimizer.none': 'none (forward and backward only)',
  'train.offload': 'Offload to CPU',
  'train.offload.optimizer': 'optimizer states',
  'train.offload.params': 'parameters too (ZeRO-3)',
  'train.measure': 'Compare with',
  'train.measure.smi': 'nvidia-smi (with CUDA context)',
  'train.cudaContext': 'CUDA context (MiB)',
  'train.legacy': 'Legacy autograd saving (older PyTorch, as the BERT-large measurements)',
  'form.reproduce': 'Reproduce a published measurement',
  'form.reproduceHint': 'Settings that only matter to match a measurement made with older software or a particular setup; a profile fills them in.',
  'form.profile': 'Measurement setup (profile)',
  'form.profile.current': 'current (today’s defaults)',
  'gpu.label': 'GPU',
  'gpu.memory': "Your GPU's memory",
  'gpu.memoryHint': 'Optional: the total your runtime reports (torch.cuda.mem_get_info, nvidia-smi), e.g. 23.5GiB, 24GB or 15360MiB. It replaces the catalogue figure.',
  'total.inference': 'Total per GPU:',
  'total.train': 'Safe total per GPU:',
  'total.peak': 'Typical peak:',
  'total.bytes': ({ bytes }) => `(${bytes} bytes)`,
  'verdict.fits': ({ gpu, usable, left }) => `Fits on ${gpu}: ${usable} usable, ${left} left.`,
  'verdict.noFit': ({ gpu, usable, over }) => `Does not fit on ${gpu}: ${usable} usable, ${over} short.`,
  'cpu.line': ({ size }) => `CPU RAM for offloaded parts: ${size} (runs slower: offloaded weights or states cross PCIe every step).`,
  'bar.label': 'Stacked bar of the memory parts, with the GPU capacity marked',
  'bar.capacity': ({ gpu }) => `${gpu} usable`,
  'parts.label': 'Memory by part',
  'parts.caption': 'Per GPU; the parts add up to the total. Open a row for its formula and source.',
  'parts.part': 'part',
  'parts.formula': 'formula',
  'parts.total': 'total',
  'parts.source': 'Source:',
  'col.bytes': 'bytes',
  'col.size': 'size',
  'part.weights': 'weights',
  'part.buffers': 'buffers',
  'part.kv_cache': 'KV cache',
  'part.kv_cache_previous': "previous step's KV cache (tuple caches)",
  'part.workspace': 'workspace (activations)',
  'part.logits': 'logits',
  'part.runtime_overhead': 'runtime overhead (CUDA context, libraries)',
  'part.cuda_graphs': 'CUDA graphs (vLLM)',
  'part.gradients': 'gradients',
  'part.optimizer_states': 'optimizer states',
  'part.master_weights': 'fp32 master weights',
  'part.activations': 'activations',
  'part.adapters': 'LoRA adapters',
  'stages.title': 'Pipeline stages (the total above is the most loaded one, per GPU)',
  'stages.stage': 'stage',
  'stages.layers': 'layers',
  'assumptions.title': 'Assumptions',
  'assumptions.model': 'Assumptions made reading the config',
  'origin.dtype': ({ value }) => `default from config.json: torch_dtype = ${value}`,
  'origin.quant': ({ value }) => `from config.json quantization_config: ${value}`,
  'origin.context': ({ value, trained }) => `default ${value} tokens (trained context ${trained}, capped at 4096)`,
  'solver.context': ({ gpu, n, binding }) => `Largest context on ${gpu}: ${n} tokens per sequence (the part that grows with it most: ${binding}).`,
  'solver.batch': ({ gpu, n, binding }) => `Largest batch on ${gpu}: ${n} sequences (the part that grows with it most: ${binding}).`,
  'solver.modelLimit': ({ gpu, n }) => `Largest context on ${gpu}: ${n} tokens per sequence — the model's own limit (its maximum positions), reached before memory runs out.`,
  'solver.trainBatch': ({ gpu, n, seq }) => `Largest batch per GPU on ${gpu} at sequence length ${seq}: ${n}.`,
  'solver.trainNone': ({ gpu }) => `Does not fit on ${gpu} even at batch 1.`,
  'curve.inference': ({ gpu }) => `Memory per GPU against context length; the dashed line is ${gpu}'s usable memory, the dot the current setting.`,
  'curve.train': ({ gpu }) => `Memory per GPU against sequence length; the dashed line is ${gpu}'s usable memory, the dot the current setting.`,
  'curve.label': 'Line chart of memory against context length',
  'curve.x.context': 'context (tokens)',
  'curve.x.seq': 'sequence length (tokens)',
  'fits.title': 'Fits on…',
  'fits.label': 'Fits-on table',
  'fits.gpu': 'GPU',
  'fits.usable': 'usable',
  'fits.verdict': 'verdict',
  'fits.headroom': 'headroom',
  'fits.needed': 'GPUs needed (tensor parallel)',
  'fits.yes': 'fits',
  'fits.no': 'does not fit',
  'fits.more': 'more than 64',
  'fits.speed': 'tokens/s',
  'fits.speedTitle': ({ gpus, lo, hi, ttft }) => `${gpus} GPU(s): ${lo}–${hi} tokens/s per sequence; first token in ${ttft}`,
  'inf.output': 'Output tokens (speed)',
  'speed.decode': ({ tps, lo, hi }) => `≈ ${tps} tokens/s per sequence (${lo}–${hi})`,
  'speed.ttft': ({ ttft, lo, hi }) => `first token in ${ttft} (${lo}–${hi})`,
  'speed.aggregate': ({ n, batch }) => `${n} tokens/s in all at batch ${batch}`,
  'speed.detail': ({ prompt, output, engine, backend, bound }) => `Prompt ${prompt} tokens, output ${output}; ${engine} (${backend}); limited by ${bound}.`,
  'speed.prior': 'Uncalibrated for this engine (no public measurements that state every setting): read the range, not the figure.',
  'speed.noFit': 'Speed shows once the setup fits; the fits-on table gives tokens/s where it does.',
  'speed.failed': ({ reason }) => `No speed: ${reason}`,
  'speed.train': ({ step, lo, hi, tps, mfu }) => `One optimizer step ≈ ${step} (${lo}–${hi}) · ${tps} tokens/s at MFU ${mfu}`,
  'speed.trainDetail': ({ tokens, gpus, gpu, bound }) => `${tokens} tokens per step on ${gpus}× ${gpu}; limited by ${bound}.`,
  'speed.bound.memory': 'memory bandwidth',
  'speed.bound.compute': 'compute',
  'speed.bound.interconnect': 'the link between GPUs',
  'speed.bound.cpu': 'the CPU',
  'speed.chart': ({ gpu, max }) => `Decode tokens/s on ${gpu} against batch: in all (solid line) and per sequence (dashed), up to ${max} sequences, the largest batch memory holds; the dot is the current batch.`,
  'speed.chartLabel': 'Line chart of tokens per second against batch',
  'speed.x': 'batch (sequences)',
  'speed.y': 'tokens/s',
  'compare.title': 'Compare with a measurement',
  'compare.metric': 'What you measured',
  'compare.metric.smi': 'nvidia-smi (memory used)',
  'compare.metric.allocated': 'torch.cuda.max_memory_allocated()',
  'compare.metric.reserved': 'torch.cuda.max_memory_reserved()',
  'compare.metric.vllm': 'a vLLM log line',
  'compare.metric.llamacpp': 'a llama.cpp log line',
  'compare.value': 'Value or log line (e.g. 17.5 GiB, 18200MiB, "Loading model weights took 14.99 GB", "GPU KV cache size: 46,768 tokens")',
  'compare.unparsed': 'No size found: type a number with a unit (GiB, GB, MiB, MB) or paste the log line.',
  'compare.against': ({ what }) => `Compared with: ${what}.`,
  'compare.what.total': 'the total',
  'compare.what.totalNoOverhead': 'the total without the runtime overhead',
  'compare.what.part': ({ part }) => `the ${part} part`,
  'compare.what.kv_cache_bytes': 'vLLM\'s available KV cache memory (engine report)',
  'compare.what.kv_cache_tokens': 'vLLM\'s KV cache size in tokens (engine report)',
  'compare.what.max_concurrency': 'vLLM\'s maximum concurrency at the requested context (engine report)',
  'compare.what.buffer': ({ buffer }) => `llama.cpp's ${buffer} buffer (engine report)`,
  'compare.result': ({ measured, estimate, diff, pct }) => `Measured ${measured}, estimated ${estimate}: difference ${diff} (${pct}).`,
  'compare.close': 'Within 3%: the estimate and the measurement agree.',
  'compare.explain.smi': 'nvidia-smi shows everything the process holds: the CUDA context (in the runtime overhead part) and the caching allocator\'s reserved but unused blocks (not estimated), so it reads higher than the allocator\'s peak.',
  'compare.explain.allocated': 'max_memory_allocated counts tensors only: it leaves out the CUDA context and library workspaces (the runtime overhead part), which is why that part is not in the comparison.',
  'compare.explain.reserved': 'max_memory_reserved adds the allocator\'s cached blocks to the tensors (usually a few percent, rounded to 2 MiB blocks) but still leaves out the CUDA context.',
  'compare.explain.vllm': 'vLLM fills gpu_memory_utilization of the GPU: whatever is left after weights and activations becomes KV cache, so its total is a budget, not a need.',
  'compare.explain.llamacpp': 'llama.cpp reports its buffers separately: model buffer = weights, KV buffer = KV cache, compute buffer = workspace; the CUDA context is not in any of them.',
  'compare.nearPart': ({ part }) => `The difference is about the size of the ${part} part.`,
  'share.title': 'Share and export',
  'share.copyLink': 'Copy link',
  'share.json': 'Download JSON',
  'share.csv': 'Download CSV',
  'share.md': 'Download Markdown',
  'share.copyMd': 'Copy Markdown',
  'share.copied': ({ what }) => `Copied ${what}.`,
  'share.copyFailed': 'The browser did not allow copying; select the text instead.',
  'share.link': 'the link',
  'share.markdown': 'the Markdown table',
  'share.saved': ({ file }) => `Saved ${file}.`,
  'share.cli': 'The same numbers from the command line (config.json = your file):',
  'model.title': 'Model',
  'fact.model_type': 'model_type',
  'fact.wrapper': 'multimodal config',
  'fact.layout': 'layout',
  'fact.layers': 'layers',
  'fact.hidden': 'hidden size',
  'fact.heads': 'attention heads',
  'fact.kvHeads': 'KV heads',
  'fact.headDim': 'head dim',
  'fact.mlp': 'MLP size',
  'fact.vocab': 'vocabulary',
  'fact.tied': 'tied embeddings',
  'fact.maxPos': 'trained context',
  'fact.dtype': 'torch_dtype',
  'fact.mla': 'latent attention (MLA)',
  'fact.mlaValue': ({ rank, rope }) => `kv_lora_rank ${rank}, rope dim ${rope}`,
  'fact.experts': 'experts',
  'fact.expertsValue': ({ n, used, layers }) => `${n} routed, ${used} per token, ${layers} MoE layers`,
  'fact.sliding': 'sliding-window layers',
  'fact.slidingValue': ({ n, window }) => `${n} (window ${window})`,
  'fact.ssm': 'Mamba layers',
  'fact.encoder': 'encoder layers',
  yes: 'yes',
  no: 'no',
  'weights.label': 'Weight memory by dtype',
  'weights.caption': 'Weight memory by storage type (GiB = 2^30 bytes, GB = 10^9 bytes)',
  'groups.title': 'Parameters by group',
  'groups.group': 'group',
  'groups.params': 'parameters',
  'groups.share': 'share',
  'layers.title': 'Parameters per layer (the layers differ)',
  'layers.label': 'Parameters per layer kind',
  'layers.kind': 'layer kind',
  'layers.count': 'layers',
  'layers.each': 'parameters each',
  'layers.indices': 'layer indices',
  'embed.title': 'Embed this',
  'embed.intro': 'Paste either snippet into a documentation page (the widget runs there, with nothing sent anywhere):',
  'embed.element': 'Custom element',
  'embed.iframe': 'iframe',
  'embed.copy': 'Copy',
  'ckpt.title': 'Checkpoint headers',
  'ckpt.dtypes': 'Tensor data by dtype',
  'ckpt.byDtype': 'By dtype',
  'ckpt.groups': 'Tensor data by group',
  'ckpt.byGroup': 'By group',
  'ckpt.vsConfig': 'Checkpoint vs config',
  'ckpt.comparison': 'Checkpoint and config by group',
  'ckpt.config': 'config',
  'ckpt.checkpoint': 'checkpoint',
  'ckpt.agrees': 'agrees',
  'ckpt.files': 'Files read',
  'ckpt.filesCaption': 'Files (only the header bytes were read)',
  'ckpt.file': 'file',
  'ckpt.format': 'format',
  'ckpt.tensors': 'tensors',
  'ckpt.headerBytes': 'header bytes read',
  'ckpt.size': 'file size',
  'ckpt.summary': ({ tensors, params, short, bytes, gib, gb, source }) =>
    `${tensors} tensors · ${params} parameters (${short}) · ${bytes} bytes of tensor data = ${gib} (${gb}), from ${source}.`,
  'ckpt.cmp': ({ message, config, checkpoint }) => `${message} Config: ${config} parameters; checkpoint: ${checkpoint}.`,
  'conv.title': 'Bit converter: fp32 ↔ fp16, bf16, FP8',
  'conv.loading': 'Loading the converter (first use only)…',
  'conv.intro': 'Type a decimal (3.14, 1e-8, inf) or bits (0x4048f5c3), or click any bit below to flip it. Every format is computed by the same C++ core as the CLI, bit for bit.',
  'conv.input': 'Number or bits',
  'conv.from': 'Bits (0x…) are',
  'conv.round': 'Rounding',
  'conv.round.rne': 'round to nearest, ties to even',
  'conv.round.trunc': 'truncate (toward zero)',
  'conv.e4m3': 'e4m3 overflow',
  'conv.e4m3.nan': 'NaN (PyTorch float8_e4m3fn)',
  'conv.e4m3.saturate': 'saturate to ±448',
  'conv.go': 'Convert',
  'train.precision.auto': 'default (bf16 mixed precision; fp16 on cards without bf16)',
  'train.checkpointing.auto': 'default (off; on for QLoRA, as PEFT does)',
  'input.pasteTitle': 'Paste a config.json',
  'gallery.placeholder': 'e.g. llama-3.1-8b, qwen3, or a Hub id: Qwen/Qwen3-8B',
  'gallery.closed': ({ total }) => `${total} bundled configs: type to search, Enter picks the first.`,
  'status.loaded': ({ name }) => `Showing ${name}.`,
  'gpu.count': 'GPUs',
  'form.more': 'More options',
  'verdict.title': 'Verdict',
  'breakdown.title': 'Breakdown',
  'solver.noneShort': ({ gpu }) => `Not even one token fits on ${gpu}: see what would fit below.`,
  'whatFits.title': 'What would make it fit',
  'whatFits.format': 'Weights',
  'whatFits.recipe': 'Recipe',
  'whatFits.intro': ({ n }) => `Largest context (tokens per sequence) for each weight format the engine can run, on each setup; a green number reaches the ${n} tokens asked for. Choose one to apply it.`,
  'whatFits.introTrain': ({ n }) => `Largest batch per GPU at sequence length ${n} for each recipe, on each setup. Choose one to apply it.`,
  'whatFits.apply': ({ setup, gpu, n }) => `Apply ${setup} on ${gpu} (largest context ${n})`,
  'whatFits.applyTrain': ({ setup, gpu, n }) => `Apply ${setup} on ${gpu} (largest batch ${n})`,
  'whatFits.no': 'no',
  'nearest.title': 'Nearest setups that fit:',
  'nearest.item': ({ setup, gpu, n }) => `${setup} on ${gpu}: ${n} tokens`,
  'nearest.itemTrain': ({ setup, gpu, n }) => `${setup} on ${gpu}: batch ${n}`,
  'launch.title': 'Run it',
  'launch.titleTrain': 'Train it',
  'launch.run': 'Run it with:',
  'launch.copy': 'Copy',
  'launch.what': 'the command',
  // Starting from a Hugging Face model id (hub.js, hub-id.js).
  'hub.privacy': 'A Hugging Face id (org/name) or model address typed in the search or pasted is read from huggingface.co: its file list, config.json and the checkpoint headers — a few kilobytes per file, by Range requests to huggingface.co and the storage host it redirects to, never the weights — with no cookie and no referrer. Nothing else is requested, and dropped files never leave your browser.',
  'hub.tokenTitle': 'Models from the Hugging Face Hub: what is read, and a token for gated ones',
  'hub.token': 'Hugging Face read token',
  'hub.tokenGo': 'Read with this token',
  'hub.tokenHint': 'Kept in this tab\'s memory only — never in the link, storage, exports or the command — and sent only to huggingface.co.',
  'hub.ggufFile': 'GGUF file (quant)',
  'hub.hint': ({ id }) => `Enter reads ${id} from huggingface.co (its config and checkpoint headers).`,
  'hub.status.info': ({ id }) => `Reading ${id} from huggingface.co…`,
  'hub.status.config': ({ id }) => `Reading the config of ${id}…`,
  'hub.status.shards': ({ done, total, id }) => `Reading shard headers ${done} / ${total} of ${id}…`,
  'hub.status.gguf': ({ file }) => `Reading the header of ${file}…`,
  'hub.status.ggufParts': ({ done, total }) => `Reading the GGUF parts' headers ${done} / ${total}…`,
  'hub.status.retry': ({ status, seconds }) => `huggingface.co answered HTTP ${status}; trying again in ${seconds} s…`,
  'hub.status.loaded': ({ name, bytes, requests }) => `Showing ${name} from huggingface.co (${bytes} bytes read in ${requests} requests).`,
  'hub.note.binOnly': ({ id }) => `${id} has PyTorch .bin weights only (no safetensors): the parameter count and the weights are the config's, not read from the checkpoint.`,
  'hub.note.noWeights': ({ id }) => `${id} lists no weight file: the parameter count and the weights are the config's.`,
  'hub.err.offline': ({ id }) => `Could not reach huggingface.co for ${id}: the browser is offline, the name did not resolve, or the request was blocked (a network filter, or a page whose Content-Security-Policy does not allow huggingface.co). Check the connection and try again; a local config.json still works.`,
  'hub.err.notFound': ({ id }) => `There is no model ${id} on the Hugging Face Hub. Check the id as the model page's address shows it (org/name).`,
  'hub.err.notFoundOrPrivate': ({ id }) => `huggingface.co has no public model ${id}. Check the id (org/name); if the model is private, give a read token below.`,
  'hub.err.revision': ({ id, revision }) => `${id} has no revision ${revision}. Use a branch, tag or commit the model page lists, or leave the revision out.`,
  'hub.err.file': ({ id, file }) => `${id} has no file ${file}. Choose one of the repo's files, or open the model without a file.`,
  'hub.err.gated': ({ id }) => `${id} is gated: accept its license on the model page (huggingface.co/${id}), then give a read token below (huggingface.co/settings/tokens).`,
  'hub.err.gatedDenied': ({ id }) => `The token has no access to ${id} yet: accept the license on the model page (huggingface.co/${id}) with the account the token belongs to, wait for the approval if the authors review requests, then try again.`,
  'hub.err.token': ({ id }) => `huggingface.co did not accept the token for ${id}. Check that it is a valid read token (huggingface.co/settings/tokens) and give it again.`,
  'hub.err.rateLimited': ({ id }) => `huggingface.co is limiting requests (HTTP 429) and still was after three more tries. Wait a minute, then read ${id} again.`,
  'hub.err.server': ({ status, id }) => `huggingface.co answered HTTP ${status} (a server error) for ${id}, four times in a row. Try again in a few minutes.`,
  'hub.err.http': ({ status, file, id }) => `huggingface.co answered HTTP ${status} for ${file || id}. Try again; if it persists, drop the model's config.json instead.`,
  'hub.err.configJson': ({ id, file }) => `${file} of ${id} is not JSON, so it cannot be read as a config. Drop a correct config.json instead.`,
  'hub.err.configLarge': ({ id, file }) => `${file} of ${id} is larger than 16 MiB, which no config is, so it was not read. Drop the model's config.json instead.`,
  'hub.err.noConfig': ({ id }) => `${id} has no config.json and no .gguf file, so its architecture cannot be read. Drop the model's config.json instead.`,
  'hub.err.noSize': ({ file }) => `The Hub did not say how large ${file} is, so its header cannot be checked. Try again later, or drop the model's config.json.`,
  'hub.err.ggufModel': ({ file }) => `The header of ${file} names no architecture the calculator reads. Drop the model's config.json instead.`,
  'hub.err.badId': ({ text, reason }) => `"${text}" is not a Hugging Face model id: ${reason} Type it as org/name (e.g. meta-llama/Llama-3.1-8B), optionally with @revision, or paste the model page's address.`,
  'hub.reason.empty': 'it is empty.',
  'hub.reason.notHub': 'the address is not on huggingface.co.',
  'hub.reason.notModel': 'the address is a dataset, a Space or a page of the site, not a model.',
  'hub.reason.badId': 'an id is org/name, made of letters, digits, "-", "_" and ".", with no space.',
  'hub.reason.tooLong': 'the name is longer than 96 characters.',
  'hub.reason.revision': 'the revision (after @ or /tree/) is not a branch, tag or commit name.',
  'hub.reason.path': 'the folder or file path in the address is not valid.',
  footer: 'Formulas and sources: docs/ESTIMATION.md in the repository. GiB = 2^30 bytes; GB = 10^9 bytes.',
};

export const languages = {
  en: { name: 'English', tag: 'en', strings: { ...en, page: enPage } },
  // 中文's strings (i18n-zh.js) load when it is chosen: loadLanguage('zh').
  zh: { name: '中文', tag: 'zh-Hans', strings: null },
};

const loading = new Map();

// Loads a language's page strings and the core's sentences in it (core-text.js) once; resolves when t() and
// renderCoreText can render in it. English is always here.
export function loadLanguage(lang) {
  if (!languages[lang] || languages[lang].strings) return loadCoreText(lang);
  if (!loading.has(lang)) {
    loading.set(lang, Promise.all([import(`./i18n-${lang}.js`), loadCoreText(lang)]).then(([m]) => {
      languages[lang].strings = m.strings;
    }));
  }
  return loading.get(lang);
}

// Records keys asked for but missing in a language (or asked before the language was loaded) (the page's tests read it: it must stay empty).
export const missing = new Set();

// A page string: the key's text, or its function applied to `fields`.
export function t(lang, key, fields = {}) {
  const page = languages[lang]?.strings?.page ?? {};
  let v = page[key];
  if (v === undefined) {
    missing.add(`${lang}:${key}`);
    v = languages.en.strings.page[key] ?? key;
  }
  return typeof v === 'function' ? v(fields) : v;
}

// Fills every [data-i18n] element's text and every [data-i18n-attr] attribute ("name=key,name=key")
// under `root`, and sets the document's language.
export function translate(root, lang) {
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(lang, node.dataset.i18n);
  for (const node of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of node.dataset.i18nAttr.split(',')) {
      const [name, key] = pair.split('=');
      node.setAttribute(name, t(lang, key));
    }
  }
}

// A language's strings; English's until the language is loaded (t() records those keys as missing).
export function strings(lang) {
  return languages[lang]?.strings ?? languages.en.strings;
}

// A step or warning object from the core, as a sentence. An unknown code shows as itself rather than
// vanishing, so a core that learned a new step is visible before its translation exists.
export function stepText(lang, step) {
  const t = strings(lang);
  const f = t.steps[step.code];
  return f ? f(step, t) : step.code;
}

export function warningText(lang, warning) {
  const t = strings(lang);
  const f = t.warnings[warning.code];
  return f ? f(warning, t) : warning.code;
}
