// Writes checkpoint files for the specs: a safetensors header followed by a sparse (unallocated) tail, so
// a "20 GB" shard costs a few kilobytes of disk; and a small GGUF.
import { openSync, writeSync, ftruncateSync, closeSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const tmpDir = new URL('../build/e2e/files/', import.meta.url).pathname;
mkdirSync(tmpDir, { recursive: true });

function le64(n) {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
}

// A safetensors header (8-byte length + JSON padded to 8, as the library writes it) for tensors
// [{name, dtype, shape, bytes}] laid out back to back: {head, data} (data: the tensor bytes after it).
export function safetensorsHead(tensors, metadata = null) {
  const header = metadata ? { __metadata__: metadata } : {};
  let at = 0;
  for (const t of tensors) {
    header[t.name] = { dtype: t.dtype, shape: t.shape, data_offsets: [at, at + t.bytes] };
    at += t.bytes;
  }
  let json = JSON.stringify(header);
  json += ' '.repeat((8 - (json.length % 8)) % 8);
  return { head: Buffer.concat([le64(json.length), Buffer.from(json)]), data: at };
}

// tensors: [{name, dtype, shape, bytes}] laid out back to back. Returns {path, headerBytes, size}.
export function writeSafetensors(name, tensors) {
  const { head, data: at } = safetensorsHead(tensors);
  const path = join(tmpDir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, head.length + at); // sparse: the tail is never written
  closeSync(fd);
  return { path, headerBytes: head.length, size: head.length + at };
}

// Llama's state dict for a config (LlamaForCausalLM names), in bf16.
export function llamaTensors(config) {
  const { hidden_size: d, intermediate_size: ff, vocab_size: v, num_hidden_layers: n } = config;
  const t = (name, shape) => ({ name, dtype: 'BF16', shape, bytes: 2 * shape.reduce((a, b) => a * b, 1) });
  const out = [t('model.embed_tokens.weight', [v, d])];
  for (let i = 0; i < n; i++) {
    const p = `model.layers.${i}.`;
    for (const m of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) out.push(t(`${p}self_attn.${m}.weight`, [d, d]));
    out.push(t(`${p}mlp.gate_proj.weight`, [ff, d]), t(`${p}mlp.up_proj.weight`, [ff, d]), t(`${p}mlp.down_proj.weight`, [d, ff]));
    out.push(t(`${p}input_layernorm.weight`, [d]), t(`${p}post_attention_layernorm.weight`, [d]));
  }
  out.push(t('model.norm.weight', [d]), t('lm_head.weight', [v, d]));
  return out;
}

export const readConfig = (name) =>
  JSON.parse(readFileSync(new URL(`../tests/fixtures/configs/${name}`, import.meta.url), 'utf8'));

// A GGUF v3 file: one Q4_K matrix and one F32 norm, with llama metadata.
export function writeGguf(name) {
  const parts = [];
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const str = (s) => Buffer.concat([le64(Buffer.byteLength(s)), Buffer.from(s)]);
  parts.push(Buffer.from('GGUF'), u32(3), le64(2), le64(2));
  parts.push(str('general.architecture'), u32(8), str('llama'));
  parts.push(str('llama.block_count'), u32(4), u32(1));
  parts.push(str('blk.0.attn_q.weight'), u32(2), le64(4096), le64(4096), u32(12), le64(0));
  parts.push(str('output_norm.weight'), u32(1), le64(4096), u32(0), le64(4096 * 4096 / 256 * 144));
  const head = Buffer.concat(parts);
  const dataStart = Math.ceil(head.length / 32) * 32;
  const path = join(tmpDir, name);
  const fd = openSync(path, 'w');
  writeSync(fd, head);
  ftruncateSync(fd, dataStart + 4096 * 4096 / 256 * 144 + 4096 * 4);
  closeSync(fd);
  return { path };
}
