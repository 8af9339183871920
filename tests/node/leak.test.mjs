// 20,000 estimate calls in one wasm instance: after a warm-up the wasm heap does not grow, so nothing
// leaks per call (success and error paths alike). A result is kilobytes: leaking one per call would grow the
// heap by tens of megabytes. (100,000 calls took 152 s of CI's 20 minutes once the engines grew in issue 18.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasm, readText } from './wasm.mjs';

test('20,000 estimate calls do not grow the wasm heap', async () => {
  const { mod } = await loadWasm();
  const ok = JSON.stringify({ op: 'estimate', config_text: readText('fixtures/configs/gpt2.json'), options: { dtype: 'fp16' } });
  const bad = JSON.stringify({ op: 'estimate', config_text: '{"model_type": "llama", "hidden_size": -1}' });
  const run = (n) => {
    for (let i = 0; i < n; i++) {
      const r = mod.handle(i % 10 === 9 ? bad : ok);
      if (r.length < 10) throw new Error('empty answer');
    }
  };
  run(1000);
  const warm = mod.HEAP8.length;
  const t0 = performance.now();
  run(20000);
  const ms = performance.now() - t0;
  console.log(`20,000 calls in ${(ms / 1000).toFixed(1)} s; heap ${warm} -> ${mod.HEAP8.length} bytes`);
  assert.equal(mod.HEAP8.length, warm);
});
