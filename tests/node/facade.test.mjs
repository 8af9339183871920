// The wasm module the browser loads, exercised through the same JSON façade and the same case files
// as the native Catch2 suite; and the native CLI compared with it, field for field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadWasm, readJson, readText, configPath, root } from './wasm.mjs';

const { call } = await loadWasm();
const truth = readJson('fixtures/truth.json');
const cli = process.env.GPUMEM_CLI ?? join(root, 'build', 'native', 'bin', 'gpumem');  // GPUMEM_CLI: another build's

test('wasm: every fixture is counted to the parameter (published or derived by hand)', () => {
  const derived = readJson('fixtures/derived_counts.json');
  let checked = 0;
  for (const entry of truth) {
    const d = derived.find((x) => configPath(x.config) === configPath(entry.config));
    const expected = entry.params ?? d?.params;
    assert.ok(expected != null, `${entry.config}: no exact count in truth.json or derived_counts.json`);
    const r = call({ op: 'params', config_text: readText(configPath(entry.config)) });
    assert.equal(r.ok, true, `${entry.config}: ${JSON.stringify(r.error)}`);
    assert.equal(r.params.total, expected, entry.config);
    if (d?.active != null) assert.equal(r.params.active, d.active, `${entry.config} active`);
    checked++;
  }
  assert.equal(checked, truth.length);
});

test('wasm: synthetic configs match their hand derivation', () => {
  for (const e of readJson('fixtures/synthetic/expected.json')) {
    const r = call({ op: 'params', config_text: readText(`fixtures/synthetic/${e.config}`) });
    assert.equal(r.ok, true, `${e.config}: ${JSON.stringify(r.error)}`);
    assert.equal(r.params.total, e.params, e.config);
    if (e.active != null) assert.equal(r.params.active, e.active, `${e.config} active`);
  }
});

test('wasm: Llama-2-7b fp16 and fp32 weights are the seed figures', () => {
  const text = readText('fixtures/configs/llama-2-7b.json');
  const fp16 = call({ op: 'estimate', config_text: text, options: { dtype: 'fp16', mode: 'weights' } });
  assert.equal(fp16.memory.total_bytes, 13476831232);
  assert.equal(fp16.memory.gib_h, '12.5513 GiB');
  const fp32 = call({ op: 'estimate', config_text: text, options: { dtype: 'fp32', mode: 'weights' } });
  assert.equal(fp32.memory.gib_h, '25.1026 GiB');
  const inference = call({ op: 'estimate', config_text: text, options: { dtype: 'fp16' } });
  const weights = inference.memory.parts.find((p) => p.id === 'weights');
  assert.equal(weights.bytes, 13476831232);
});

test('wasm: bad input cases give the expected code and path', () => {
  for (const c of readJson('cases/bad_input.json')) {
    const r = call({ op: 'params', config_text: c.config_text });
    assert.equal(r.ok, false, c.name);
    assert.equal(r.error.code, c.code, c.name);
    assert.equal(r.error.path, c.path, c.name);
    if (c.line) assert.deepEqual([r.error.line, r.error.column], [c.line, c.column], c.name);
  }
});

test('native CLI prints exactly what the wasm module returns, for every fixture', { skip: !existsSync(cli) && 'native CLI not built' }, () => {
  for (const entry of truth) {
    const file = join(root, 'tests', configPath(entry.config));
    const train = [
      ['--mode', 'train', '--lora-rank', '8', '--checkpointing', 'full', '--batch', '2', '--seq', '256'],
      { mode: 'train', lora_rank: '8', checkpointing: 'full', batch: '2', seq: '256' },
    ];
    const zero3 = [
      ['--mode', 'train', '--optimizer', 'adamw8bit', '--zero', '3', '--gpus', '4', '--attention', 'eager'],
      { mode: 'train', optimizer: 'adamw8bit', zero: '3', gpus: '4', attention: 'eager' },
    ];
    for (const [args, options] of [
      [['params'], {}],
      [['estimate', '--dtype', 'bf16'], { dtype: 'bf16' }],
      [['estimate', ...train[0]], train[1]],
      [['estimate', ...zero3[0]], zero3[1]],
    ]) {
      const op = args[0];
      let out;
      let status = 0;
      try {
        out = execFileSync(cli, [...args, file, '--json'], { encoding: 'utf8' });
      } catch (e) {
        out = e.stdout;
        status = e.status;
      }
      const native = JSON.parse(out);
      const wasm = call({ op, config_text: readText(configPath(entry.config)), options });
      assert.deepEqual(native, wasm, `${file} ${op}`);
      assert.equal(status, native.ok ? 0 : 2, `${file} ${op} exit status`);
    }
  }
});

test('native CLI and wasm agree on inference estimates, fits and the GPU catalogue', { skip: !existsSync(cli) && 'native CLI not built' }, () => {
  const runCli = (args) => JSON.parse(execFileSync(cli, [...args, '--json'], { encoding: 'utf8' }));
  assert.deepEqual(runCli(['gpus']), call({ op: 'gpus' }));
  for (const name of ['llama-3-8b.json', 'deepseek-v3.json', 'gemma-2-9b.json', 't5-small.json', 'mamba-130m-hf.json']) {
    const file = join(root, 'tests', 'fixtures', 'configs', name);
    const text = readText(`fixtures/configs/${name}`);
    for (const [engine, quant] of [['hf', 'none'], ['vllm', 'fp8'], ['llamacpp', 'gguf-q4_k_m']]) {
      const flags = ['--engine', engine, '--dtype', 'bf16', '--quant', quant, '--context', '4096', '--batch', '2'];
      const options = { engine, dtype: 'bf16', quant, context: '4096', batch: '2' };
      assert.deepEqual(runCli(['estimate', file, ...flags]), call({ op: 'estimate', config_text: text, options }), `${name} ${engine}`);
      const fit = runCli(['fit', file, ...flags, '--gpu', 'RTX 4090', '--solve', 'batch']);
      assert.deepEqual(fit, call({ op: 'fit', config_text: text, options: { ...options, gpu: 'RTX 4090', solve: 'batch' } }));
      assert.equal(fit.ok, true);
    }
  }
});
