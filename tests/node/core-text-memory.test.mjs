// The memory parts' formulas and sources (and training's recipe, bytes per parameter, typical peak and
// measurement) as data: every Text the core emits renders, with the catalogue's English templates, to the
// very string beside it (so the CLI's English is the page's), and has a zh template in
// web/src/core-text-memory.js with the same placeholders and no English words outside identifiers.
// The sweep covers every fixture × engine (hf, vllm, llamacpp) × option sets, inference and training
// (LoRA, QLoRA, ZeRO, tensor parallelism), and must reach every formula/source id of the catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { loadWasm, readText } from './wasm.mjs';
import { MEMORY_ZH } from '../../web/src/core-text-memory.js';

const { call } = await loadWasm();
const catalogue = call({ op: 'messages' });
const EN = catalogue.messages;
const LISTS = catalogue.lists;
const OURS = (id) => /^(formula|source|train)\./.test(id);

const placeholders = (tmpl) => [...new Set([...tmpl.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]))].sort();

function render(t, table, listJoin) {
  const value = (v) => (typeof v === 'string' ? v : render(v, table, listJoin));
  if (LISTS[t.id]) {
    const items = Object.entries(t.args)
      .sort((a, b) => Number(a[0]) - Number(b[0]))
      .map(([, v]) => value(v));
    return listJoin(t.id, items);
  }
  const tmpl = table[t.id];
  assert.notEqual(tmpl, undefined, `no template for ${t.id}`);
  return tmpl.replace(/\{([A-Za-z0-9_]+)\}/g, (m, k) => {
    assert.ok(k in t.args, `${t.id}: no value for {${k}}`);
    return value(t.args[k]);
  });
}
const enJoin = (style, items) =>
  items.map((x, i) => (i === 0 ? '' : i + 1 === items.length ? LISTS[style].last : LISTS[style].sep) + x).join('');
// The memory texts join only with list.concat, which has no separator in any language.
const zhJoin = (style, items) => {
  assert.equal(style, 'list.concat', `a memory text joins with ${style}`);
  return items.join('');
};

// Words a zh template may keep: identifiers (code, files, options, libraries, units) are left as they are.
const KEEP = new Set(
  ('in out n B GiB MiB KV safetensors GGUF mmproj CUDA CUDA0 GPU GPUs CPU SCB absmax bit E8M0 E4M3 NVIDIA NVFP4 OCP MX AutoGPTQ AutoAWQ ' +
    'qlinear vLLM compressed tensors transformers bitsandbytes fbgemm_fp8 lm_head modules_to_not_convert ignore ' +
    'MoE llama cpp src output attn_v ffn_down attn_output ftype use_more_bits K gguf ggml common h F32 F16 token ' +
    'dtype to compute MatMul4Bit dequantize_4bit gemm_4bit dequant linear head_dim GPT NeoX MLA kv_lora_rank rope ' +
    'cache_utils py DynamicCache v1 kv_cache_interface SWA torch sort int64 profile_run max_num_seqs ' +
    'max_num_batched_tokens logits float32 utils mem_utils memory_profiling non_torch_increase cuBLAS PR ' +
    'MemorySnapshot init_device gpu_worker worker gpu_model_runner _dummy_sampler_run sample sampler ops ' +
    'topk_topp_sampler apply_top_k_top_p torch_peak_increase profile_cudagraph_memory Estimated graph memory ' +
    'VLLM_MEMORY_PROFILER_ESTIMATE_CUDAGRAPHS determine_available_memory cudagraph_memory_estimate_applied ' +
    'load_model model_memory_usage Model loading took weights_memory gpu_memory_utilization core kv_cache_utils ' +
    'get_kv_cache_config num_blocks available page_size layers block_size ngl n_cpu_moe model buffer CPU_Mapped ' +
    'KQ n_embd n_ubatch flash attention op_offload graph_reserve context llama-model load_tensors llama-context ' +
    'n_outputs docs ESTIMATION md Runtime overhead n_vocab device_map bias masked_bias cos sin inv_freq ' +
    'modeling_ rope_utils modeling_rope_utils generate model_kwargs cat past_key_values SDPA P vocab ' +
    'logits_to_keep float _sample clone outputs generation memory_allocated V100 tests fixtures measurements json ' +
    'cuDNN sampler fp32 bf16 fp16 int8 QLoRA LoRA DeepSpeed Megatron autocast PEFT prepare_model_for_kbit_training ' +
    'm v SGD q k MLP dropout a s LM Liger-Kernel LigerFusedLinearCrossEntropy ForCausalLM cross_entropy Hu et al ' +
    'LoraLayer Python use_cache nvidia-smi max_memory_allocated ZeRO Rajbhandari Model training anatomy AdamW ' +
    'Loshchilov Hutter Dettmers Optimizer8bit Adafactor Shazeer Stern Lion Chen Adam-mini Zhang Korthikanti ' +
    'Reducing Activation Recomputation GQA modeling bert-large scale g_idx input_scale_ub rows values ' +
    'int64 indices radix positions sorts llama-kv-cache llama-quant llama_tensor_get_type ggml-common ' +
    'convert_hf_to_gguf Q6_K Q4_0 Q8_0 Q2_K Q3_K Q4_K Q5_K MXFP4 attn_qkv PyTorch bert num_parameters ' +
    'compressed-tensors V GPT-NeoX min max n-cpu-moe ubatch rank accelerate hook softmax eager autograd inputs True')
    .split(/\s+/),
);
// The words of a zh template outside placeholders, quotes and identifiers (a word with a digit, an
// underscore, a dot or a slash, or one of KEEP).
function englishWords(zh) {
  const stripped = zh.replace(/\{[A-Za-z0-9_]+\}|`[^`]*`|'[^']*'|"[^"]*"/g, ' ');
  return (stripped.match(/[A-Za-z][A-Za-z0-9_./*-]*/g) ?? [])
    .map((w) => w.replace(/[.-]+$/, ''))
    .filter((w) => !/[0-9_./]/.test(w) && !KEEP.has(w));
}

test('every formula/source id of the catalogue has a zh template with the same placeholders, and only those', () => {
  const ours = Object.keys(EN).filter(OURS);
  assert.ok(ours.length > 150, `only ${ours.length} formula/source ids`);
  for (const id of ours) {
    assert.ok(id in MEMORY_ZH, `${id}: no zh template in web/src/core-text-memory.js`);
    assert.deepEqual(placeholders(MEMORY_ZH[id]), placeholders(EN[id]), `${id}: placeholders differ`);
    const words = englishWords(MEMORY_ZH[id]);
    assert.deepEqual(words, [], `${id}: English words in the zh template: ${words.join(' ')}`);
  }
  for (const id of Object.keys(MEMORY_ZH)) assert.ok(id in EN, `${id}: in core-text-memory.js but not in the catalogue`);
});

// ---- the sweep ----
const configs = readdirSync(new URL('../fixtures/configs/', import.meta.url)).filter((f) => f.endsWith('.json'));
const INFERENCE = [
  {},
  { dtype: 'bf16', batch: 4, context: 8192 },
  { dtype: 'fp16', quant: 'bnb-nf4', double_quant: true },
  { dtype: 'fp16', quant: 'gptq-4bit', group_size: 64 },
  { dtype: 'bf16', quant: 'fp8', kv_dtype: 'fp8' },
  { dtype: 'bf16', quant: 'nvfp4' },
  { dtype: 'bf16', tp: 2 },
  { dtype: 'bf16', pp: 2, gpus: 4 },
  { dtype: 'fp16', offload_layers: 4, batch: 2 },
  { dtype: 'bf16', beams: 4, prompt: 100, context: 600 },
  { dtype: 'bf16', gpu: 'A100 80GB', context: 4096 },
  { dtype: 'bf16', gpu: 'RTX 4090', context: 131072 },
];
const BY_ENGINE = {
  hf: [
    { dtype: 'fp16', attn_implementation: 'eager', transformers: '4.40' },
    { dtype: 'fp16', quant: 'awq-4bit' },
    { dtype: 'fp16', transformers: '4.30', prompt: 100, context: 101 },
    { dtype: 'fp16', transformers: '4.45', prompt: 16, context: 16 },
    { dtype: 'fp16', transformers: '4.20', lazy_loading: false, prompt: 16, context: 64 },
    { dtype: 'bf16', prompt: 16, context: 16 },
    { dtype: 'fp16', count_context: false },
    { dtype: 'fp16', quant: 'bnb-nf4', bitsandbytes: '0.45.0', batch: 4 },
    { dtype: 'bf16', device_map: 'auto', gpu: 'RTX 4090', gpus: 2 },
    { dtype: 'bf16', device_map: 'balanced_low_0', gpus: 3, max_memory_mib: 2000 },
    { dtype: 'bf16', device_map: 'sequential', gpus: 8 },
  ],
  vllm: [{ dtype: 'bf16', vllm: '0.19' }, { dtype: 'bf16', vllm: '0.19', gpu: 'A100 80GB' }],
  llamacpp: [
    { quant: 'gguf-q4_k_m', kv_dtype: 'q8_0' },
    { dtype: 'bf16', flash_attn: false },
    { dtype: 'bf16', n_gpu_layers: 0 },
    { dtype: 'bf16', n_gpu_layers: 1 },
    { dtype: 'bf16', n_gpu_layers: 2 },
    { dtype: 'bf16', n_gpu_layers: 8 },
    { dtype: 'bf16', n_cpu_moe: 4 },
    { dtype: 'bf16', count_context: false },
  ],
};
const TRAIN = [
  {},
  { precision: 'fp32', optimizer: 'sgd', measure: 'allocated' },
  { precision: 'amp-fp16', batch: 4, seq: 1024, checkpointing: 'full' },
  { lora_rank: 16, lora_targets: 'all-linear' },
  { lora_rank: 64, quant: 'bnb-nf4', double_quant: true },
  { lora_rank: 8, quant: 'bnb-int8', prepare_kbit: false },
  { optimizer: 'adamw8bit', attention: 'eager', legacy_autograd: true },
  { optimizer: 'none', loss: 'sum', keep_outputs: true, precision: 'bf16', measure: 'allocated', transformers: '4.41' },
  { loss: 'chunked', optimizer: 'adafactor', checkpointing: 'selective' },
  { optimizer: 'adam-mini', grad_accum: 4 },
  { optimizer: 'lion', engine: 'deepspeed', zero: 3, gpus: 4, offload: 'params' },
  { optimizer: 'sgd-momentum', zero: 2, gpus: 8, offload: 'optimizer' },
  { precision: 'amp-bf16', tp: 2, gpus: 4, zero: 1 },
  { precision: 'amp-bf16', tp: 2, gpus: 2, sequence_parallel: true, seq: 1024 },
  { transformers: '4.20' },
];
// A config with quantization_config: what the per-method formulas read from a checkpoint.
// A two-layer model on three GPUs: balanced_low_0 leaves GPU 0 without a decoder layer.
const variant = (keys) => JSON.stringify({ ...JSON.parse(readText('fixtures/configs/llama-3.2-1b-instruct.json')), ...keys });
const EXTRA = [
  [variant({ quantization_config: { quant_method: 'fbgemm_fp8' } }), { engine: 'hf' }],
  [variant({ quantization_config: { quant_method: 'fp8', activation_scheme: 'static' } }), { engine: 'vllm' }],
  [variant({ num_hidden_layers: 2 }), { engine: 'hf', device_map: 'balanced_low_0', gpus: 3, gpu: 'A100 80GB' }],
  // The weights as a checkpoint stores them (the inspect op's "checkpoint"): safetensors for vLLM, a GGUF for
  // llama.cpp (each layer 1,000 bytes, the token table 500, the rest 300).
  ...['safetensors', 'gguf'].map((format) => [variant({}), { engine: format === 'gguf' ? 'llamacpp' : 'vllm' }, {
    checkpoint: {
      format, file: `model.${format}`, params: 8000, bytes: 16800, embd_bytes: 500, outside_bytes: 300,
      layers: Array.from({ length: 16 }, () => ({ bytes: 1000, experts: 0, largest: 400 })), dtypes: { BF16: 16800 },
    },
  }]),
];
// Ids no request reaches: llama.cpp's plan serves decoders only, which always have an LM head.
const UNREACHABLE = new Set(['formula.llamacpp.no_lm_head']);

const PAIRS = [
  ['formula_text', 'formula'],
  ['source_text', 'source'],
  ['typical_peak_formula_text', 'typical_peak_formula'],
  ['measurement_text', 'measurement'],
  ['recipe_text', 'recipe'],
  ['bytes_per_param_text', 'bytes_per_param'],
];

test('every formula and source the core emits renders to its English string and in zh', () => {
  const seen = new Set();
  let texts = 0;
  let answers = 0;
  const collect = (t) => {
    seen.add(t.id);
    for (const v of Object.values(t.args)) if (typeof v !== 'string') collect(v);
  };
  const walk = (o, where) => {
    if (Array.isArray(o)) return o.forEach((x) => walk(x, where));
    if (!o || typeof o !== 'object') return;
    for (const [tk, sk] of PAIRS) {
      if (o[tk] == null) continue;
      texts++;
      collect(o[tk]);
      assert.equal(render(o[tk], EN, enJoin), o[sk], `${where}: ${tk}`);
      render(o[tk], MEMORY_ZH, zhJoin);  // every id has a zh template, every placeholder a value
    }
    for (const [k, v] of Object.entries(o)) if (!PAIRS.some(([tk]) => tk === k)) walk(v, where);
  };
  const run = (config_text, options, where, extra = {}) => {
    const r = call({ op: 'estimate', config_text, options, ...extra });
    if (r.ok) answers++;
    walk(r, where);
  };
  for (const f of configs) {
    const text = readText(`fixtures/configs/${f}`);
    for (const engine of ['hf', 'vllm', 'llamacpp'])
      for (const o of [...INFERENCE, ...BY_ENGINE[engine]]) run(text, { mode: 'inference', engine, ...o }, `${f} ${engine} ${JSON.stringify(o)}`);
    for (const o of TRAIN) run(text, { mode: 'train', ...o }, `${f} train ${JSON.stringify(o)}`);
    run(text, { mode: 'weights', dtype: 'fp16' }, `${f} weights`);
    run(text, { mode: 'weights', dtype: 'int4' }, `${f} weights int4`);
  }
  for (const [text, o, extra] of EXTRA) run(text, { mode: 'inference', dtype: 'bf16', ...o }, `extra ${JSON.stringify(o)}`, extra);
  assert.ok(answers > 1000, `only ${answers} estimates answered`);
  assert.ok(texts > 10000, `only ${texts} texts`);
  const missing = Object.keys(EN).filter((id) => OURS(id) && !seen.has(id) && !UNREACHABLE.has(id));
  assert.deepEqual(missing, [], 'formula/source ids the sweep never reached');
});
