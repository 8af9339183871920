// The speed op's sentences in both languages (issue 21): over the three engines, training, multi-GPU, CPU offload
// and bad input, every assumption and error is a catalogue text whose English rendering is its message and which
// renders in zh, and every term's formula_text renders to its formula in English and has a zh template for each id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { englishRenderer, texts } from './catalogue.mjs';
import { loadWasm, readText } from './wasm.mjs';
import { loadCoreText, renderCoreText, zhTemplate } from '../../web/src/core-text.js';

await loadCoreText('zh'); // as the page does when 中文 is chosen

const { call } = await loadWasm();
const catalogue = call({ op: 'messages' });

const renderEn = englishRenderer(catalogue);

function requests() {
  const llama = readText('fixtures/configs/llama-3-8b.json');
  const mixtral = readText('fixtures/configs/mixtral-8x7b-v0.1.json');
  const llama70 = readText('fixtures/configs/llama-3.1-70b.json');
  const bert = readText('fixtures/configs/bert-base-uncased.json');
  const out = [];
  for (const config_text of [llama, mixtral])
    for (const gpu of ['RTX 4090', 'H100 80GB', 'Apple M2 Ultra 192GB', 'Apple M3 Max 36GB', 'RX 7900 XTX'])
      for (const engine of ['hf', 'vllm', 'llamacpp'])
        out.push({ op: 'speed', config_text, options: { engine, gpu, batch: 4, prompt: 256, output: 64 } });
  out.push({ op: 'speed', config_text: llama70, options: { engine: 'vllm', gpu: 'H100 80GB', tp: 2, gpus: 4, pp: 2 } });
  out.push({ op: 'speed', config_text: llama70, options: { engine: 'llamacpp', gpu: 'RTX 4090', quant: 'gguf-q4_k_m' } });
  out.push({ op: 'speed', config_text: llama70, options: { engine: 'hf', gpu: 'A100 80GB', offload_layers: 20 } });
  out.push({ op: 'speed', config_text: llama, options: { gpu: 'RTX 4090', engine: 'llamacpp', backend: 'vulkan' } });
  for (const o of [{}, { lora_rank: 16, checkpointing: 'full' }, { gpus: 8, zero: 3, offload: 'optimizer' },
    { tp: 2, gpus: 4, train_tokens: 1000000 }])
    out.push({ op: 'speed', config_text: llama, options: { mode: 'train', gpu: 'H100 80GB', ...o } });
  for (const options of [{}, { gpu: 'NoSuchGPU' }, { gpu: 'x', gpu_memory: '24GB' }, { gpu: 'RTX 4090', backend: 'metal' },
    { gpu: 'RTX 4090', engine: 'vllm', backend: 'vulkan' }, { gpu: 'RTX 4090', context: 10, prompt: 9, output: 5 },
    { gpu: 'RTX 4090', mode: 'weights' }, { gpu: 'Apple M3 Max 36GB', mode: 'train' }, { gpu: 'RTX 4090', backend: 'x' }])
    out.push({ op: 'speed', config_text: llama, options });
  out.push({ op: 'speed', config_text: bert, options: { gpu: 'RTX 4090', prompt: 64, output: 16 } });
  return out;
}

test('every speed assumption, error and term formula is a catalogue text in English and 中文', () => {
  const seen = new Set();
  let sentences = 0, formulas = 0, errors = 0;
  for (const req of requests()) {
    const r = call(req);
    if (!r.ok) errors++;
    for (const s of [...(r.assumptions ?? []), ...(r.error ? [r.error] : [])]) {
      assert.ok(s.text, `no text for ${JSON.stringify(s)}`);
      for (const t of texts(s.text)) assert.ok(t.id in catalogue.messages || t.id in catalogue.lists, t.id);
      assert.equal(renderEn(s.text), s.message, s.text.id);
      const zh = renderCoreText('zh', s.text, null);
      assert.ok(zh, `${s.text.id} does not render in zh`);
      assert.notEqual(zh, s.message, `${s.text.id}: zh equals the English`);
      seen.add(s.text.id);
      sentences++;
    }
    for (const t of r.speed?.terms ?? []) {
      assert.equal(renderEn(t.formula_text), t.formula, t.id);
      for (const x of texts(t.formula_text)) assert.ok(zhTemplate(x.id) !== undefined || x.id in catalogue.lists, x.id);
      assert.ok(renderCoreText('zh', t.formula_text, null), `${t.formula_text.id} does not render in zh`);
      seen.add(t.formula_text.id);
      formulas++;
    }
  }
  assert.ok(errors >= 9, `${errors} errors`);
  assert.ok(sentences > 100 && formulas > 100, `${sentences} sentences, ${formulas} formulas`);
  for (const id of ['assume.speed_efficiency', 'assume.speed_efficiency_prior', 'assume.speed_moe_experts',
    'assume.speed_no_peak', 'assume.speed_cpu_layers', 'assume.speed_mfu', 'error.speed.no_gpu',
    'error.speed.backend_gpu', 'error.speed.encoder', 'speed.formula.decode_step', 'speed.formula.train_lora'])
    assert.ok(seen.has(id), `${id} never emitted`);
});
