// The converter through the wasm module the page ships: the same known values as the native Catch2
// suite (tests/cases/convert_known.json), the steps the page renders, the batch binding, and the
// native CLI (JSON and batch mode) compared with the wasm module bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadWasm, readJson, root } from './wasm.mjs';

const { mod, call } = await loadWasm();
const cases = readJson('cases/convert_known.json');
const cli = join(root, 'build', 'native', 'bin', 'gpumem');
const noCli = !existsSync(cli) && 'native CLI not built';

const format = (r, name) => r.formats.find((f) => f.format === name);
const step = (f, code) => f.steps.find((s) => s.code === code);

// n fp32 patterns through Module.convertBatch (memory from the module's own malloc).
function batch(to, inputs, round = 'rne', overflow = 'nan') {
  const n = inputs.length;
  const inPtr = mod._malloc(4 * n);
  const outPtr = mod._malloc(4 * n);
  try {
    mod.HEAPU32.set(inputs, inPtr >>> 2);
    const ok = mod.convertBatch(to, round, overflow, inPtr, outPtr, n);
    return ok ? Uint32Array.from(mod.HEAPU32.subarray(outPtr >>> 2, (outPtr >>> 2) + n)) : null;
  } finally {
    mod._free(inPtr);
    mod._free(outPtr);
  }
}

test('wasm: every known value of convert_known.json', () => {
  for (const c of cases) {
    const r = call({ op: 'convert', ...c.request });
    assert.equal(r.ok, true, `${c.name}: ${JSON.stringify(r.error)}`);
    for (const [name, bits] of Object.entries(c.bits)) assert.equal(format(r, name).bits, bits, `${c.name} ${name}`);
    for (const [name, value] of Object.entries(c.values ?? {})) assert.equal(format(r, name).value, value, `${c.name} ${name}`);
    for (const [name, codes] of Object.entries(c.warnings ?? {})) {
      assert.deepEqual(format(r, name).warnings.map((w) => w.code), codes, `${c.name} ${name} warnings`);
    }
  }
});

test('wasm: 3.14 -> fp16 steps: exponent 128 -> 16, mantissa rounded up to 1001001000', () => {
  const fp16 = format(call({ op: 'convert', value: '3.14' }), 'fp16');
  assert.deepEqual(fp16.steps.map((s) => s.code), ['sign', 'exponent_rebias', 'round', 'result']);
  const e = step(fp16, 'exponent_rebias');
  assert.deepEqual([e.from_field, e.unbiased, e.to_field, e.to_bits], [128, 1, 16, '10000']);
  const r = step(fp16, 'round');
  assert.deepEqual([r.kept, r.dropped, r.guard, r.round, r.sticky, r.decision, r.mantissa],
    ['1001000111', '1010111000011', 1, 0, 1, 'up', '1001001000']);
  assert.equal(fp16.bits, '0x4248');
  assert.equal(fp16.value, '3.140625');
});

test('wasm: convertBatch gives the façade\'s bits and refuses unknown names', () => {
  const inputs = Uint32Array.from([0x4048f5c3, 0x477fe000, 0x477ff000, 0x33800000, 0x322bcc77, 0x43e00000, 0x43e80000,
    0x43e88000, 0x80000000, 0x7fc00000, 0xff800000, 0x00000001, 0x7f7fffff]);
  for (const to of ['fp32', 'fp16', 'bf16', 'e4m3', 'e5m2']) {
    for (const round of ['rne', 'trunc']) {
      const out = batch(to, inputs, round);
      inputs.forEach((x, i) => {
        const hex = `0x${x.toString(16).padStart(8, '0')}`;
        const r = call({ op: 'convert', bits: hex, round });
        assert.equal(Number(format(r, to).bits), out[i], `${hex} -> ${to} ${round}`);
      });
    }
  }
  assert.equal(batch('fp8', inputs), null);
  assert.equal(batch('fp16', inputs, 'up'), null);
});

test('native CLI convert --json prints exactly what the wasm module returns', { skip: noCli }, () => {
  for (const c of cases) {
    const req = c.request;
    const args = ['convert', req.value ?? req.bits];
    if (req.from) args.push('--from', req.from);
    if (req.round) args.push('--round', req.round);
    if (req.e4m3_overflow) args.push('--e4m3-overflow', req.e4m3_overflow);
    const native = JSON.parse(execFileSync(cli, [...args, '--json'], { encoding: 'utf8' }));
    const wasm = call({ op: 'convert', value: req.value ?? req.bits, from: req.from, round: req.round, e4m3_overflow: req.e4m3_overflow });
    assert.deepEqual(native, wasm, c.name);
  }
});

test('native CLI batch mode gives the wasm batch bits for 100,000 patterns and decimals', { skip: noCli }, () => {
  // xorshift32: a fixed spread of patterns over every class (NaNs, infinities, subnormals included).
  let s = 2463534242;
  const inputs = new Uint32Array(100000);
  for (let i = 0; i < inputs.length; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    inputs[i] = s;
  }
  const hexLines = Array.from(inputs, (x) => `0x${x.toString(16).padStart(8, '0')}`).join('\n');
  for (const [to, round, overflow] of [['fp16', 'rne', 'nan'], ['bf16', 'trunc', 'nan'], ['e4m3', 'rne', 'saturate'], ['e5m2', 'rne', 'nan']]) {
    const out = execFileSync(cli, ['convert', '--to', to, '--round', round, '--e4m3-overflow', overflow, '-'], { input: hexLines, encoding: 'utf8', maxBuffer: 1 << 26 });
    const native = out.trimEnd().split('\n').map(Number);
    assert.deepEqual(native, Array.from(batch(to, inputs, round, overflow)), `${to} ${round} ${overflow}`);
  }
  // Decimal lines: the known values, read by the CLI's parser and by the façade's.
  const decimals = cases.filter((c) => c.request.value && !c.request.from).map((c) => c.request.value);
  const out = execFileSync(cli, ['convert', '--to', 'fp16', '-'], { input: decimals.join('\n') + '\n', encoding: 'utf8' });
  assert.deepEqual(out.trimEnd().split('\n'), decimals.map((v) => format(call({ op: 'convert', value: v }), 'fp16').bits));
});

test('native CLI batch mode stops at a bad line with status 2 and its line number', { skip: noCli }, () => {
  let status = 0;
  let stdout = '';
  let stderr = '';
  try {
    execFileSync(cli, ['convert', '--to', 'bf16', '-'], { input: '1\n2\nthree\n4\n', encoding: 'utf8', stdio: 'pipe' });
  } catch (e) {
    ({ status, stdout, stderr } = e);
  }
  assert.equal(status, 2);
  assert.equal(stdout, '0x3f80\n0x4000\n');
  assert.match(stderr, /line 3: "three"/);
});
