// "inspect" through the shipped wasm module (handleWithBytes), and the native CLI on the same files:
// the same inventory, field for field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, writeSync, ftruncateSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadWasm, root } from './wasm.mjs';

const { mod } = await loadWasm();
const cli = join(root, 'build', 'native', 'bin', 'gpumem');

function safetensors(tensors) {
  const header = {};
  let at = 0;
  for (const [name, dtype, shape, bytes] of tensors) {
    header[name] = { dtype, shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  const json = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(json.length));
  const head = Buffer.concat([len, json]);
  return { head, size: head.length + at };
}

const shard = safetensors([
  ['model.embed_tokens.weight', 'BF16', [32000, 4096], 2 * 32000 * 4096],
  ['model.layers.0.self_attn.q_proj.weight', 'F8_E4M3', [4096, 4096], 4096 * 4096],
  ['model.layers.0.input_layernorm.weight', 'F32', [4096], 4 * 4096],
]);

test('wasm: inspect asks for the header, then inventories it', () => {
  const call = (bytes) =>
    JSON.parse(mod.handleWithBytes(JSON.stringify({ op: 'inspect', files: [{ name: 'a.safetensors', size: shard.size }] }), bytes));
  const first = call(new Uint8Array(shard.head.subarray(0, 8)));
  assert.equal(first.complete, false);
  assert.equal(first.need.bytes, shard.head.length);
  const r = call(new Uint8Array(shard.head));
  assert.equal(r.complete, true);
  assert.equal(r.params, 32000 * 4096 + 4096 * 4096 + 4096);
  assert.equal(r.bytes, shard.size - shard.head.length);
  assert.deepEqual(Object.keys(r.groups), ['embeddings', 'attention', 'norms']);
  assert.equal(r.by_dtype.F8_E4M3.bytes, 4096 * 4096);
});

test('native CLI inspect prints what the wasm module returns', { skip: !existsSync(cli) && 'native CLI not built' }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpumem-'));
  const path = join(dir, 'a.safetensors');
  const fd = openSync(path, 'w');
  writeSync(fd, shard.head);
  ftruncateSync(fd, shard.size);
  closeSync(fd);
  const native = JSON.parse(execFileSync(cli, ['inspect', path, '--json'], { encoding: 'utf8' }));
  const wasm = JSON.parse(mod.handleWithBytes(JSON.stringify({ op: 'inspect', files: [{ name: path, size: shard.size }] }), new Uint8Array(shard.head)));
  assert.deepEqual(native, wasm);
  // A truncated file: exit status 2 and the error object on stdout.
  ftruncateSync(openSync(path, 'r+'), shard.size - 1);
  let status = 0;
  let out = '';
  try {
    execFileSync(cli, ['inspect', path, '--json'], { encoding: 'utf8' });
  } catch (e) {
    status = e.status;
    out = e.stdout;
  }
  assert.equal(status, 2);
  assert.equal(JSON.parse(out).error.code, 'truncated');
});
