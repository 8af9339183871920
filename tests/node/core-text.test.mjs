// The core's sentences in both languages (web/src/core-text.js): every message id of {"op": "messages"} has a
// zh template with the same placeholders and no English sentence in it; every assumption and error the core
// emits over a broad request set (fixtures × engines × option sets, training, the bad inputs of
// tests/cases, the converter's and the checkpoint reader's errors) carries a text whose id is in the
// catalogue, whose English rendering is its message, and which renders in zh without a hole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { englishRenderer, PLACEHOLDER, texts } from './catalogue.mjs';
import { loadWasm, readText, readJson } from './wasm.mjs';
import { LISTS, loadCoreText, renderCoreText, zhTemplate } from '../../web/src/core-text.js';
import { CORE_ZH } from '../../web/src/core-text-zh.js';

await loadCoreText('zh'); // the page loads the zh templates when 中文 is chosen

const { call } = await loadWasm();
const catalogue = call({ op: 'messages' });
const names = (t) => [...new Set([...t.matchAll(PLACEHOLDER)].map((m) => m[1]))].sort();

const renderEn = englishRenderer(catalogue);

test('the messages op answers with the catalogue and the list styles', () => {
  assert.equal(catalogue.ok, true);
  assert.ok(Object.keys(catalogue.messages).length > 200);
  assert.deepEqual(Object.keys(catalogue.lists).sort(), Object.keys(LISTS.zh).sort());
  assert.deepEqual(Object.keys(LISTS.en).sort(), Object.keys(LISTS.zh).sort());
});

test('every message id has a zh template with the same placeholders', () => {
  for (const [id, en] of Object.entries(catalogue.messages)) {
    const zh = zhTemplate(id);
    assert.ok(zh !== undefined, `no zh template for ${id}`);
    assert.deepEqual(names(zh), names(en), id);
  }
  for (const id of Object.keys(CORE_ZH)) assert.ok(id in catalogue.messages, `zh template for a gone id ${id}`);
});

test('no zh template holds an English sentence', () => {
  // Code-like words (identifiers with _ . / - or digits, flags, quoted log lines) are kept as is; three plain
  // English words in a row are a sentence left untranslated.
  const sentence = /(?<![\w./\-'])[A-Za-z]+(?: [A-Za-z]+){2,}(?![\w./\-'])/;
  for (const id of Object.keys(catalogue.messages)) {
    const zh = zhTemplate(id)
      .replace(/`[^`]*`/g, ' ')
      .replace(/“[^”]*”/g, ' ')
      .replace(/"[^"]*"/g, ' ')
      .replace(/'[^']*'/g, ' ')
      .replace(PLACEHOLDER, ' ')
      .replace(/(?<![\w./\-'])[A-Z][A-Z0-9]+(?![\w./\-'])/g, '#'); // acronyms (CPU, KV) are names
    assert.doesNotMatch(zh, sentence, `${id}: English words in «${zhTemplate(id)}»`);
  }
});

// The request set: every fixture × engines × option sets, training, the weights mode, errors.
function requests() {
  const out = [];
  const dir = 'fixtures/configs';
  const configs = readdirSync(new URL(`../${dir}`, import.meta.url)).filter((f) => f.endsWith('.json'));
  const sets = [
    {},
    { dtype: 'bf16', context: 200000, gpu: 'RTX 4090' },
    { quant: 'bnb-nf4', dtype: 'fp16', kv_dtype: 'q4_0', gpus: 2 },
    { offload_layers: 4, dtype: 'fp16', pp: 2, gpus: 4 },
    { quant: 'gguf-q4_k_m', gpu: 'T4', profile: 'accelerate-big-model-2022' },
  ];
  for (const f of configs) {
    const config_text = readText(`${dir}/${f}`);
    out.push({ op: 'params', config_text });
    for (const engine of ['hf', 'vllm', 'llamacpp'])
      for (const s of sets) out.push({ op: 'estimate', config_text, options: { engine, ...s } });
    out.push({ op: 'estimate', config_text, options: { mode: 'train', quant: 'bnb-nf4', lora_rank: 8, zero: 2 } });
    out.push({ op: 'estimate', config_text, options: { mode: 'train', seq: 100000, precision: 'bf16', gpu: 'T4' } });
    out.push({ op: 'estimate', config_text, options: { mode: 'weights' } });
    out.push({ op: 'fit', config_text, options: { gpu: 'RTX 4090', solve: 'batch' } });
  }
  for (const c of readJson('cases/bad_input.json')) out.push({ op: 'params', config_text: c.config_text });
  const llama = readText(`${dir}/llama-2-7b.json`);
  for (const options of [{ batch: 'x' }, { dtype: 'fp64' }, { quant: 'nope' }, { tp: 3 }, { gpu: 'NoSuchGPU' },
    { engine: 'vllm', kv_dtype: 'q8_0' }, { mode: 'train', quant: 'bnb-nf4' }, { transformers: '3.0' }, { vllm: '0.1' },
    { device_map: 'auto', tp: 2 }, { prompt: 9000, context: 10 }, { mode: 'train', gpus: 3, tp: 2 }])
    out.push({ op: 'estimate', config_text: llama, options });
  out.push({ op: 'nope' }, { op: 'convert', value: 'x' }, { op: 'convert', bits: '0x1', from: 'fp16' },
    { op: 'convert', value: '1', round: 'up' }, { op: 'inspect', files: [] });
  return out;
}

test('every assumption and error the core emits is a catalogue text whose English is its message', () => {
  const seen = new Set();
  let n = 0;
  for (const req of requests()) {
    const r = call(req);
    const sentences = [...(r.assumptions ?? []), ...(r.error ? [r.error] : [])];
    for (const s of sentences) {
      assert.ok(s.text, `no text for ${JSON.stringify(s)}`);
      for (const t of texts(s.text))
        assert.ok(t.id in catalogue.messages || t.id in catalogue.lists, `${t.id} is not in the catalogue`);
      assert.equal(renderEn(s.text), s.message, s.text.id);
      const zh = renderCoreText('zh', s.text, null);
      assert.ok(zh, `${s.text.id} does not render in zh`);
      assert.notEqual(zh, s.message, `${s.text.id}: zh equals the English`);
      seen.add(s.text.id);
      n += 1;
    }
  }
  assert.ok(n > 1000, `${n} sentences`);
  assert.ok(seen.size > 60, `${seen.size} ids`);
});

// The advise and launch operations, configs without torch_dtype (gpt2-large) and cards without bf16 (T4): every
// assumption, error, left-out row, refused cell and row label is a catalogue text that renders to its English and
// in zh; no assumption or error is a plain sentence.
function opsRequests() {
  const dir = 'fixtures/configs';
  const llama = readText(`${dir}/llama-2-7b.json`);
  const gpt2 = readText(`${dir}/gpt2-large.json`);
  const mixtral = readText(`${dir}/mixtral-8x7b-v0.1.json`);
  const out = [];
  for (const config_text of [llama, gpt2, mixtral]) {
    for (const gpu of ['RTX 4090', 'T4', 'H100 80GB']) {
      for (const engine of ['hf', 'vllm', 'llamacpp']) {
        out.push({ op: 'advise', config_text, options: { engine, gpu } });
        out.push({ op: 'advise', config_text, options: { engine, gpu, tp: 2, dtype: 'fp32' } });
        out.push({ op: 'launch', config_text, options: { engine, gpu } });
        out.push({ op: 'estimate', config_text, options: { engine, gpu } });
        out.push({ op: 'estimate', config_text, options: { engine, gpu, dtype: 'bf16' } });
      }
      out.push({ op: 'launch', config_text, options: { engine: 'vllm', gpu, quant: 'awq-4bit', context: 4096 } });
      out.push({ op: 'launch', config_text, options: { engine: 'vllm', gpu, offload_layers: 4, context: 4096 } });
      out.push({ op: 'launch', config_text, options: { engine: 'llamacpp', gpu, quant: 'gguf-q4_k_m', n_gpu_layers: 10 } });
      out.push({ op: 'launch', config_text, options: { engine: 'hf', gpu, quant: 'bnb-nf4', tp: 2, gpus: 2 } });
      out.push({ op: 'launch', config_text, options: { engine: 'hf', gpu, quant: 'gptq-4bit', offload_layers: 2, beams: 2 } });
      out.push({ op: 'estimate', config_text, options: { engine: 'llamacpp', gpu, n_gpu_layers: 99, context: 4096 } });
      out.push({ op: 'advise', config_text, options: { mode: 'train', gpu } });
      out.push({ op: 'advise', config_text, options: { mode: 'train', gpu, gpus: 4, tp: 2, seq: 4096 } });
      for (const train of [
        { engine: 'deepspeed', zero: 3, gpus: 4, offload: 'optimizer' },
        { quant: 'bnb-nf4', lora_rank: 16 },
        { quant: 'bnb-nf4' },
        { checkpointing: 'selective', optimizer: 'none', tp: 2, gpus: 2 },
        { lora_rank: 8 },
        { precision: 'bf16' },
        {},
      ]) {
        out.push({ op: 'launch', config_text, options: { mode: 'train', gpu, ...train } });
        out.push({ op: 'estimate', config_text, options: { mode: 'train', gpu, ...train } });
      }
    }
  }
  out.push({ op: 'launch', config_text: llama, options: { mode: 'weights' } });
  out.push({ op: 'advise', config_text: llama, options: { mode: 'weights', gpu: 'T4' } });
  out.push({ op: 'advise', config_text: llama, options: {} });
  out.push({ op: 'advise', config_text: llama, options: { mode: 'train', gpu: 'T4', gpus: 3, tp: 2 } });
  // Every card whose usable memory follows the sibling rule.
  for (const g of call({ op: 'gpus' }).gpus ?? [])
    if (g.rule) out.push({ op: 'estimate', config_text: llama, options: { gpu: g.name } });
  return out;
}

// Every sentence-like entry of an answer: [what, {message, text}].
function* sentences(r) {
  for (const a of r.assumptions ?? []) yield ['assumption', a];
  if (r.error) yield ['error', r.error];
  for (const l of r.left_out ?? []) yield ['left_out', l];
  const fit = r.engine_report?.fit;
  if (fit?.stopped !== undefined) yield ['fit stopped', { message: fit.stopped, text: fit.stopped_text }];
  for (const row of r.rows ?? []) {
    if (row.label !== undefined) yield ['label', { message: row.label, text: row.label_text }];
    for (const c of row.cells ?? []) if (c.error) yield ['cell error', c.error];
  }
}

test('advise, launch, defaults and bf16-less cards: every sentence is a catalogue text', () => {
  const seen = new Set();
  let n = 0;
  for (const req of opsRequests()) {
    const r = call(req);
    for (const [what, s] of sentences(r)) {
      assert.ok(s.text, `${req.op}: ${what} without a text: ${JSON.stringify(s)}`);
      for (const t of texts(s.text))
        assert.ok(t.id in catalogue.messages || t.id in catalogue.lists, `${t.id} is not in the catalogue`);
      assert.equal(renderEn(s.text), s.message, s.text.id);
      const zh = renderCoreText('zh', s.text, null);
      assert.ok(zh, `${s.text.id} does not render in zh`);
      if (what !== 'label') assert.notEqual(zh, s.message, `${s.text.id}: zh equals the English`);
      seen.add(s.text.id);
      n += 1;
    }
  }
  for (const id of ['assume.advise_cells.inference', 'assume.advise_cells.train', 'assume.model_id_placeholder',
    'assume.model_file_placeholder', 'assume.launch_lora_alpha', 'assume.launch_megatron_tp',
    'assume.dtype_default_engine.vllm', 'assume.dtype_default_engine.hf', 'assume.dtype_default_engine.llamacpp',
    'assume.bf16_unsupported_gpu.vllm', 'assume.bf16_unsupported_gpu', 'assume.precision_no_bf16',
    'assume.lora_rank_default', 'assume.checkpointing_kbit_default', 'assume.launch_checkpointing_kbit',
    'assume.launch_context_fit', 'assume.launch_cpu_offload', 'assume.launch_hf_tp', 'assume.gpu_total_rule',
    'phrase.llamacpp_fit.log', 'error.launch.weights_mode', 'error.advise.mode', 'error.advise.no_gpu',
    'phrase.advise.row.format_kv', 'phrase.advise.recipe.qlora'])
    assert.ok(seen.has(id), `the sweep never met ${id}`);
  assert.ok(n > 500, `${n} sentences`);
});
