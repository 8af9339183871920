// The page's first module (gpumem-verdict.wasm, issue 22) against the full one (gpumem.wasm): the same JSON text
// for every verdict op over every bundled config and the settings a first screen reaches (inference and
// training, each engine, quantized, a GPU with the context solver), every other op refused with the ops it
// has, and no heap growth over repeated calls through the C functions the page uses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadVerdict, loadWasm, readText, root } from './wasm.mjs';
import { VERDICT_OPS } from '../../web/src/verdict-abi.js';

const full = await loadWasm();
const verdict = await loadVerdict();
const configs = readdirSync(join(root, 'tests', 'fixtures', 'configs')).filter((f) => f.endsWith('.json'));

const SETTINGS = [
  { dtype: 'bf16' },
  { dtype: 'bf16', engine: 'vllm', gpu: 'H100 80GB' },
  { dtype: 'bf16', engine: 'llamacpp', quant: 'gguf-q4_k_m', gpu: 'RTX 4090', solve: 'context' },
  { dtype: 'fp16', engine: 'hf', quant: 'bnb-nf4', batch: 4, gpu: 'RTX 3060', solve: 'batch' },
  { dtype: 'bf16', mode: 'train', method: 'lora', gpu: 'A100 80GB' },
  { dtype: 'bf16', mode: 'train', optimizer: 'adamw', checkpointing: 'full' },
];

test('every verdict op answers the full module\'s JSON text, byte for byte', () => {
  let compared = 0;
  let answered = 0;
  const same = (request) => {
    const json = JSON.stringify(request);
    const text = verdict.text(json);
    assert.equal(text, full.mod.handle(json), json.slice(0, 200));
    compared++;
    if (JSON.parse(text).ok) answered++;
  };
  same({ op: 'gpus' });
  same({ op: 'options' });
  for (const file of configs) {
    const config_text = readText(`fixtures/configs/${file}`);
    same({ op: 'params', config_text });
    for (const options of SETTINGS) {
      same({ op: 'estimate', config_text, options });
      if (options.gpu) same({ op: 'fit', config_text, options });
    }
  }
  // errors too: not JSON, a bad option, an unknown GPU
  for (const request of ['{', '[]', '{"op": "estimate", "config_text": "{}"}',
    JSON.stringify({ op: 'fit', config_text: readText('fixtures/configs/gpt2.json'), options: { gpu: 'no such card' } })]) {
    assert.equal(verdict.text(request), full.mod.handle(request), request);
    compared++;
  }
  console.log(`${compared} answers compared, ${answered} of them results (the rest errors)`);
  assert.ok(answered > 300, `${answered} results`);
});

test('an op outside the verdict module is refused at /op, naming the ops it has', () => {
  for (const op of ['convert', 'inspect', 'sweep', 'advise', 'launch', 'speed', 'messages']) {
    const r = verdict.call({ op, config_text: readText('fixtures/configs/gpt2.json') });
    assert.equal(r.ok, false, op);
    assert.equal(r.error.code, 'bad_request', op);
    assert.equal(r.error.path, '/op', op);
    // the ops the module names are those the page sends it (engine.js routes by VERDICT_OPS)
    assert.ok(r.error.message.endsWith(`use one of: ${[...VERDICT_OPS].join(', ')}.`), `${op}: ${r.error.message}`);
  }
});

test('5,000 verdict calls through the C functions do not grow the heap', () => {
  const ok = JSON.stringify({ op: 'fit', config_text: readText('fixtures/configs/llama-3-8b.json'), options: { dtype: 'bf16', gpu: 'RTX 4090' } });
  const bad = JSON.stringify({ op: 'estimate', config_text: '{"model_type": "llama", "hidden_size": -1}' });
  const run = (n) => {
    for (let i = 0; i < n; i++) assert.ok(verdict.text(i % 10 === 9 ? bad : ok).length > 10);
  };
  run(500);
  const warm = verdict.mod.HEAPU8.length;
  run(5000);
  assert.equal(verdict.mod.HEAPU8.length, warm);
});
