// A Hugging Face Hub for the specs, built from the project's configs, that answers as the real service does:
//   huggingface.co (page.route): /api/models/{id}[/revision/{rev}] with the file list (sizes with ?blobs=true),
//     /{id}/resolve/{rev}/{file}: small files from huggingface.co itself, weight files as a 302 to the storage
//     host; 401 with X-Error-Code: GatedRepo for a gated repo without `Authorization: Bearer <token>` (200
//     with it), 404 (RepoNotFound, RevisionNotFound, EntryNotFound), 429, 500, a slow answer.
//   the storage host cas-bridge.xethub.hf.co: 206 with Content-Range for `Range: bytes=a-b`, CORS for any
//     origin. page.route cannot serve it — Playwright does not route the request a redirect leads to
//     ("page.route() does not intercept redirects", microsoft/playwright#17161; so with 1.65 here, the
//     redirected request went to the network) — so it is an HTTPS server on 127.0.0.1
//     (a throwaway self-signed certificate) that Chromium reaches through --host-resolver-rules; every other
//     host name resolves to nothing, so no request can reach the real network.
// 50 ms of latency per request on both. Every request is recorded with its headers (cookie, referer,
// authorization) and the bytes served, per file; a request to any other host is aborted and recorded, and the
// fixture fails the test if there was one.
import { test as base, expect } from '@playwright/test';
import { createServer } from 'node:https';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { safetensorsHead } from './checkpoint-files.js';

export const HUB = 'https://huggingface.co';
export const STORAGE_HOST = 'cas-bridge.xethub.hf.co';
export const LATENCY_MS = 50;
export const TOKEN = 'hf_gpumemMockReadToken0123456789abcdef';
export const SLOW_MS = 1500;

const readConfig = (name) => JSON.parse(readFileSync(new URL(`../tests/fixtures/configs/${name}`, import.meta.url), 'utf8'));
const sha = (s) => createHash('sha1').update(s).digest('hex');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const le64 = (n) => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(n));
  return b;
};

// ---- checkpoints -------------------------------------------------------------------------------------------

// A decoder's state dict in transformers' names and shapes (grouped-query attention, head_dim, tied
// embeddings, Qwen3's q/k norms), in bf16.
function decoderTensors(c) {
  const d = c.hidden_size;
  const nh = c.num_attention_heads;
  const nkv = c.num_key_value_heads ?? nh;
  const hd = c.head_dim ?? d / nh;
  const t = (name, shape) => ({ name, dtype: 'BF16', shape, params: shape.reduce((a, b) => a * b, 1) });
  const out = [t('model.embed_tokens.weight', [c.vocab_size, d])];
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}.`;
    out.push(t(`${p}self_attn.q_proj.weight`, [nh * hd, d]), t(`${p}self_attn.k_proj.weight`, [nkv * hd, d]),
      t(`${p}self_attn.v_proj.weight`, [nkv * hd, d]), t(`${p}self_attn.o_proj.weight`, [d, nh * hd]));
    if (c.model_type === 'qwen3') out.push(t(`${p}self_attn.q_norm.weight`, [hd]), t(`${p}self_attn.k_norm.weight`, [hd]));
    out.push(t(`${p}mlp.gate_proj.weight`, [c.intermediate_size, d]), t(`${p}mlp.up_proj.weight`, [c.intermediate_size, d]),
      t(`${p}mlp.down_proj.weight`, [d, c.intermediate_size]));
    out.push(t(`${p}input_layernorm.weight`, [d]), t(`${p}post_attention_layernorm.weight`, [d]));
  }
  out.push(t('model.norm.weight', [d]));
  if (!c.tie_word_embeddings) out.push(t('lm_head.weight', [c.vocab_size, d]));
  for (const x of out) x.bytes = 2 * x.params;
  return out;
}

// A safetensors file: its header (8-byte length + JSON, padded to 8 as the library writes it) and size; the
// tensor data is never held (a read past the header gets zeros, and the specs assert none happens).
function safetensorsFile(tensors) {
  const { head, data } = safetensorsHead(tensors, { format: 'pt' });
  return { head, size: head.length + data, lfs: true, headerBytes: head.length };
}

// A sharded repo: shards of about equal bytes, model.safetensors.index.json, config.json.
function shardedFiles(config, shards) {
  const tensors = decoderTensors(config);
  const total = tensors.reduce((n, x) => n + x.bytes, 0);
  const files = {};
  const map = {};
  let part = [];
  let k = 1;
  let acc = 0;
  const name = (i) => `model-${String(i).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
  for (const x of tensors) {
    part.push(x);
    acc += x.bytes;
    map[x.name] = name(k);
    if (acc >= (k * total) / shards && k < shards) {
      files[name(k)] = safetensorsFile(part);
      part = [];
      k++;
    }
  }
  files[name(k)] = safetensorsFile(part);
  files['model.safetensors.index.json'] = small(JSON.stringify({ metadata: { total_size: total }, weight_map: map }, null, 2));
  files['config.json'] = small(JSON.stringify(config, null, 2));
  return { files, tensors };
}

function small(text) {
  const head = Buffer.from(text);
  return { head, size: head.length, lfs: false };
}

// ggml types: [id, block elements, block bytes] (ggml.c's type traits).
const GGML = { F32: [0, 1, 4], Q8_0: [8, 32, 34], Q4_K: [12, 256, 144], Q6_K: [14, 256, 210] };

// A GGUF v3 file of a Llama config with every tensor in `type(name, layer)`, a tokenizer vocabulary of the
// config's size (so the header is megabytes, as real ones are), and the metadata llama.cpp writes.
function ggufFile(c, type) {
  const u32 = (n) => { const b = Buffer.alloc(4); b.writeUInt32LE(n); return b; };
  const f32 = (x) => { const b = Buffer.alloc(4); b.writeFloatLE(x); return b; };
  const str = (s) => Buffer.concat([le64(Buffer.byteLength(s)), Buffer.from(s)]);
  const kv = [];
  const put = (key, vtype, value) => kv.push(Buffer.concat([str(key), u32(vtype), value]));
  put('general.architecture', 8, str('llama'));
  put('general.name', 8, str('Llama 3.2 1B Instruct'));
  put('llama.block_count', 4, u32(c.num_hidden_layers));
  put('llama.context_length', 4, u32(c.max_position_embeddings));
  put('llama.embedding_length', 4, u32(c.hidden_size));
  put('llama.feed_forward_length', 4, u32(c.intermediate_size));
  put('llama.attention.head_count', 4, u32(c.num_attention_heads));
  put('llama.attention.head_count_kv', 4, u32(c.num_key_value_heads));
  put('llama.rope.freq_base', 6, f32(c.rope_theta ?? 500000));
  put('llama.attention.layer_norm_rms_epsilon', 6, f32(c.rms_norm_eps ?? 1e-5));
  put('llama.vocab_size', 4, u32(c.vocab_size));
  put('tokenizer.ggml.model', 8, str('gpt2'));
  const tokens = [];
  for (let i = 0; i < c.vocab_size; i++) tokens.push(str(`tok${i}`));
  put('tokenizer.ggml.tokens', 9, Buffer.concat([u32(8), le64(c.vocab_size), ...tokens]));
  const d = c.hidden_size;
  const hd = c.head_dim ?? d / c.num_attention_heads;
  const tensors = [];
  const add = (name, dims, layer = -1) => {
    const ty = type(name, layer);
    const n = dims.reduce((a, b) => a * b, 1);
    const [, blockN, blockB] = GGML[ty];
    tensors.push({ name, dims, type: ty, params: n, bytes: (n / blockN) * blockB });
  };
  add('token_embd.weight', [d, c.vocab_size]);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    add(`blk.${i}.attn_norm.weight`, [d], i);
    add(`blk.${i}.attn_q.weight`, [d, c.num_attention_heads * hd], i);
    add(`blk.${i}.attn_k.weight`, [d, c.num_key_value_heads * hd], i);
    add(`blk.${i}.attn_v.weight`, [d, c.num_key_value_heads * hd], i);
    add(`blk.${i}.attn_output.weight`, [c.num_attention_heads * hd, d], i);
    add(`blk.${i}.ffn_norm.weight`, [d], i);
    add(`blk.${i}.ffn_gate.weight`, [d, c.intermediate_size], i);
    add(`blk.${i}.ffn_up.weight`, [d, c.intermediate_size], i);
    add(`blk.${i}.ffn_down.weight`, [c.intermediate_size, d], i);
  }
  add('output_norm.weight', [d]);
  const infos = [];
  let offset = 0;
  for (const x of tensors) {
    infos.push(Buffer.concat([str(x.name), u32(x.dims.length), ...x.dims.map(le64), u32(GGML[x.type][0]), le64(offset)]));
    offset += Math.ceil(x.bytes / 32) * 32;
  }
  const head = Buffer.concat([Buffer.from('GGUF'), u32(3), le64(tensors.length), le64(kv.length), ...kv, ...infos]);
  const dataStart = Math.ceil(head.length / 32) * 32;
  return { head, size: dataStart + offset, lfs: true, headerBytes: head.length, tensors };
}

// llama.cpp's Q4_K_M mix, roughly: Q6_K for the embedding and for attn_v / ffn_down in some layers, Q4_K for
// the other matrices, F32 norms. Q8_0: every matrix Q8_0.
const q4km = (name, layer) => (name.includes('norm') ? 'F32' : name.startsWith('token_embd') ||
  (/attn_v|ffn_down/.test(name) && (layer < 2 || layer % 3 === 2)) ? 'Q6_K' : 'Q4_K');
const q80 = (name) => (name.includes('norm') ? 'F32' : 'Q8_0');

// ---- the repos -------------------------------------------------------------------------------------------

export const IDS = {
  sharded: 'gpumem-mock/Llama-3.1-8B-Instruct',
  gguf: 'gpumem-mock/Llama-3.2-1B-Instruct-GGUF',
  gated: 'gpumem-mock/Qwen3-0.6B-gated',
  binOnly: 'gpumem-mock/Mistral-7B-bin',
  busy: 'gpumem-mock/busy',
  broken: 'gpumem-mock/broken',
  unreachable: 'gpumem-mock/unreachable',
  slow: 'gpumem-mock/slow-Qwen3-0.6B',
  badConfig: 'gpumem-mock/not-json',
  hugeHeader: 'gpumem-mock/huge-header',
};

function buildRepos() {
  const repos = {};
  const repo = (id, files, extra = {}) => {
    repos[id] = { id, sha: sha(id), gated: false, files, ...extra };
  };
  const llama8 = shardedFiles(readConfig('llama-3.1-8b.json'), 4);
  repo(IDS.sharded, { ...llama8.files, 'README.md': small('# a model card') }, { tensors: llama8.tensors });
  const c1b = readConfig('llama-3.2-1b-instruct.json');
  repo(IDS.gguf, {
    'Llama-3.2-1B-Instruct-Q4_K_M.gguf': ggufFile(c1b, q4km),
    'Llama-3.2-1B-Instruct-Q8_0.gguf': ggufFile(c1b, q80),
    'README.md': small('# GGUF quants'),
  });
  const qwen = readConfig('qwen3-0.6b.json');
  const qwenFiles = { 'config.json': small(JSON.stringify(qwen)), 'model.safetensors': safetensorsFile(decoderTensors(qwen)) };
  repo(IDS.gated, qwenFiles, { gated: 'manual' });
  repo(IDS.slow, qwenFiles, { slowMs: SLOW_MS });
  repo(IDS.binOnly, { 'config.json': small(JSON.stringify(readConfig('mistral-7b-v0.1.json'))),
    'pytorch_model.bin': { head: Buffer.alloc(0), size: 14_483_498_017, lfs: true } });
  repo(IDS.busy, {}, { status: 429 });
  repo(IDS.broken, {}, { status: 500 });
  repo(IDS.unreachable, {}, { status: 'offline' }); // the connection fails: fetch rejects with a TypeError
  repo(IDS.badConfig, { 'config.json': small('<!DOCTYPE html><html><body>not a config</body></html>') });
  // A header length of 200 MB in the first 8 bytes: over the core's 100 MB limit.
  repo(IDS.hugeHeader, { 'config.json': small(JSON.stringify(qwen)),
    'model.safetensors': { head: le64(200_000_000), size: 300_000_000, lfs: true, headerBytes: 200_000_008 } });
  return repos;
}

export const repos = buildRepos();

// The file the storage host serves under a key (the part of its URL that names the blob).
const blobs = new Map();
for (const r of Object.values(repos))
  for (const [path, f] of Object.entries(r.files)) if (f.lfs) blobs.set(sha(`${r.id}/${path}`), { repo: r.id, path, file: f });

// Bytes [a, b] of a file (inclusive, as Range says): its head, then zeros.
function slice(file, a, b) {
  const out = Buffer.alloc(b - a + 1);
  if (a < file.head.length) file.head.copy(out, 0, a, Math.min(file.head.length, b + 1));
  return out;
}

function parseRange(value, size) {
  const m = /^bytes=(\d+)-(\d*)$/.exec(value ?? '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  return a <= b ? [a, b] : null;
}

// The headers the Hub's answers carry for pages on other origins (CORS for any origin, and the headers a
// page may read).
const CORS = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'X-Repo-Commit,X-Request-Id,X-Error-Code,X-Error-Message,ETag,Link,Accept-Ranges,Content-Range,X-Linked-Size,X-Linked-ETag',
};

// ---- the log -----------------------------------------------------------------------------------------------

export class HubLog {
  constructor() {
    this.requests = []; // {host, method, path, headers, status, bytes, file}
    this.blocked = []; // URLs of any other host
  }
  // Bytes served per file path ("repo/path"), and the number of range requests.
  served(repo, path) {
    const rows = this.requests.filter((r) => r.file === `${repo}/${path}`);
    return { bytes: rows.reduce((n, r) => n + r.bytes, 0), requests: rows.length, ranges: rows.filter((r) => r.range).length };
  }
  forHost(host) {
    return this.requests.filter((r) => r.host === host);
  }
}

function hubAnswer(log, req, url, headers) {
  // headers: the request's, lower-case names (authorization, range)
  const path = decodeURIComponent(url.pathname);
  const err = (status, code, message) => ({ status, headers: { ...CORS, 'content-type': 'application/json', 'x-error-code': code, 'x-error-message': message }, body: JSON.stringify({ error: message }) });
  const api = /^\/api\/models\/([^/]+\/[^/]+)(?:\/revision\/(.+))?$/.exec(path);
  if (api) {
    const r = repos[api[1]];
    if (!r) return err(404, 'RepoNotFound', 'Repository not found');
    if (r.status === 'offline') return { abort: 'internetdisconnected' };
    if (r.status) return { status: r.status, headers: CORS, body: r.status === 429 ? 'Too Many Requests' : 'Internal Error' };
    if (api[2] && api[2] !== 'main' && api[2] !== r.sha) return err(404, 'RevisionNotFound', 'Invalid rev id');
    const blobsToo = url.searchParams.get('blobs') === 'true';
    const siblings = Object.entries(r.files).map(([p, f]) => ({
      rfilename: p,
      ...(blobsToo ? { blobId: sha(p), size: f.size, ...(f.lfs ? { lfs: { sha256: sha(`${p}lfs`), size: f.size, pointerSize: 134 } } : {}) } : {}),
    }));
    const body = { _id: r.sha.slice(0, 24), id: r.id, modelId: r.id, private: false, disabled: false, gated: r.gated,
      sha: r.sha, downloads: 1, likes: 0, tags: [], siblings, lastModified: '2025-01-01T00:00:00.000Z' };
    return { status: 200, headers: { ...CORS, 'content-type': 'application/json; charset=utf-8' }, body: JSON.stringify(body), delay: r.slowMs };
  }
  const resolve = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(path);
  if (resolve) {
    const [, id, rev, file] = resolve;
    const r = repos[id];
    if (!r) return err(404, 'RepoNotFound', 'Repository not found');
    if (r.status) return { status: r.status, headers: CORS, body: 'error' };
    if (rev !== 'main' && rev !== r.sha) return err(404, 'RevisionNotFound', 'Invalid rev id');
    if (r.gated && headers.authorization !== `Bearer ${TOKEN}`)
      return err(401, 'GatedRepo', `Access to model ${id} is restricted. You must have access to it and be authenticated to access it. Please log in.`);
    const f = r.files[file];
    if (!f) return err(404, 'EntryNotFound', `${file} does not exist`);
    const repoHeaders = { ...CORS, 'x-repo-commit': r.sha, etag: `"${sha(file)}"`, 'accept-ranges': 'bytes' };
    if (f.lfs) {
      const key = sha(`${id}/${file}`);
      const location = `https://${STORAGE_HOST}/xet-bridge-us/${sha(id).slice(0, 24)}/${key}?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=3600&X-Amz-Signature=${sha(key + rev)}&X-Xet-Cas-Uid=public`;
      return { status: 302, headers: { ...repoHeaders, location, 'x-linked-size': String(f.size) }, body: '', file: `${id}/${file}` };
    }
    const range = parseRange(headers.range, f.size);
    if (range) {
      return { status: 206, headers: { ...repoHeaders, 'content-range': `bytes ${range[0]}-${range[1]}/${f.size}`, 'content-type': 'application/octet-stream' },
        body: slice(f, ...range), file: `${id}/${file}`, range: true };
    }
    return { status: 200, headers: { ...repoHeaders, 'content-type': 'text/plain; charset=utf-8' }, body: f.head, file: `${id}/${file}` };
  }
  return err(404, 'NotFound', 'Not found');
}

// ---- the storage host (HTTPS on 127.0.0.1) -----------------------------------------------------------------

// A self-signed certificate made here (an EC P-256 key and a minimal X.509 v3 in DER), valid for two days:
// the browser context ignores certificate errors, so nothing is trusted beyond this test run.
function selfSigned(host) {
  const len = (n) => (n < 128 ? Buffer.from([n]) : n < 256 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 255]));
  const tlv = (tag, ...parts) => { const body = Buffer.concat(parts); return Buffer.concat([Buffer.from([tag]), len(body.length), body]); };
  const seq = (...p) => tlv(0x30, ...p);
  const oid = (s) => {
    const a = s.split('.').map(Number);
    const out = [40 * a[0] + a[1]];
    for (const v of a.slice(2)) {
      const b = [];
      let x = v;
      do { b.unshift(x & 127); x >>= 7; } while (x);
      for (let i = 0; i < b.length - 1; i++) b[i] |= 128;
      out.push(...b);
    }
    return tlv(0x06, Buffer.from(out));
  };
  const time = (d) => tlv(0x18, Buffer.from(`${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`));
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const alg = seq(oid('1.2.840.10045.4.3.2')); // ecdsa-with-SHA256
  const name = seq(tlv(0x31, seq(oid('2.5.4.3'), tlv(0x0c, Buffer.from(host)))));
  const san = seq(oid('2.5.29.17'), tlv(0x04, seq(tlv(0x82, Buffer.from(host)))));
  const tbs = seq(tlv(0xa0, tlv(0x02, Buffer.from([2]))), tlv(0x02, Buffer.from([1])), alg, name,
    seq(time(new Date(Date.now() - 864e5)), time(new Date(Date.now() + 864e5))), name,
    publicKey.export({ type: 'spki', format: 'der' }), tlv(0xa3, seq(san)));
  const der = seq(tbs, alg, tlv(0x03, Buffer.from([0]), sign('sha256', tbs, privateKey)));
  const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').match(/.{1,64}/g).join('\n')}\n-----END CERTIFICATE-----\n`;
  return { cert: pem, key: privateKey.export({ type: 'pkcs8', format: 'pem' }) };
}

async function startStorage() {
  const state = { log: null };
  const server = createServer(selfSigned(STORAGE_HOST), async (req, res) => {
    const url = new URL(req.url, `https://${STORAGE_HOST}`);
    const row = { host: STORAGE_HOST, method: req.method, path: url.pathname, headers: req.headers, status: 0, bytes: 0, t: Date.now() };
    state.log?.requests.push(row);
    await sleep(LATENCY_MS);
    const cors = { ...CORS, 'access-control-allow-headers': 'range', 'access-control-allow-methods': 'GET, HEAD' };
    if (req.method === 'OPTIONS') {
      row.status = 204;
      return res.writeHead(204, cors).end();
    }
    const blob = blobs.get(url.pathname.split('/').pop());
    if (!blob || !url.searchParams.get('X-Amz-Signature')) {
      row.status = 403;
      return res.writeHead(403, cors).end('AccessDenied');
    }
    row.file = `${blob.repo}/${blob.path}`;
    const range = parseRange(req.headers.range, blob.file.size);
    if (!range) {
      // A whole weight file would be gigabytes: the page must always ask for a range.
      row.status = 400;
      state.log?.blocked.push(`unranged GET ${row.file}`);
      return res.writeHead(400, cors).end('a range is required here');
    }
    const body = slice(blob.file, ...range);
    row.status = 206;
    row.range = true;
    row.bytes = body.length;
    res.writeHead(206, { ...cors, 'content-type': 'application/octet-stream', 'content-range': `bytes ${range[0]}-${range[1]}/${blob.file.size}`,
      'content-length': String(body.length) });
    res.end(body);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { port: server.address().port, state, close: () => new Promise((r) => server.close(r)) };
}

// Serves huggingface.co in `context` (page.route on every non-local URL; other hosts are aborted) and
// directs the storage host's requests into `log`. Cookies for both hosts are set, so the specs can assert
// that none is sent.
export async function installHub(context, storage, log) {
  storage.state.log = log;
  await context.addCookies([
    { name: 'token', value: 'hub-session-cookie', domain: 'huggingface.co', path: '/', secure: true, sameSite: 'None' },
    { name: 'cas', value: 'storage-cookie', domain: '.hf.co', path: '/', secure: true, sameSite: 'None' },
  ]);
  await context.route((url) => url.hostname !== '127.0.0.1', async (route) => {
    const req = route.request();
    const url = new URL(req.url());
    // The storage host's signed address, asked directly (after a first redirect): on to its server.
    if (url.hostname === STORAGE_HOST) return route.continue();
    if (url.hostname !== 'huggingface.co') {
      log.blocked.push(req.url());
      return route.abort('blockedbyclient');
    }
    const row = { host: url.hostname, method: req.method(), path: url.pathname, headers: req.headers(), status: 0, bytes: 0, t: Date.now() };
    log.requests.push(row);
    const a = hubAnswer(log, req, url, row.headers);
    // Every header the browser sent (cookie and referer included), asked for during the latency.
    [row.headers] = await Promise.all([req.allHeaders().catch(() => row.headers), sleep(LATENCY_MS + (a.delay ?? 0))]);
    Object.assign(row, { status: a.status ?? 0, file: a.file, range: a.range, bytes: a.status < 300 ? Buffer.byteLength(a.body) : 0 });
    try {
      if (a.abort) await route.abort(a.abort);
      else await route.fulfill({ status: a.status, headers: a.headers, body: a.body });
    } catch {
      // the page was closed or the request cancelled meanwhile
    }
  });
  // The browser's own view: any request to a third host is a failure, even one that found nothing.
  context.on('request', (req) => {
    const host = new URL(req.url()).hostname;
    if (!['127.0.0.1', 'huggingface.co', STORAGE_HOST].includes(host) && /^(https?|wss?):/.test(req.url())) log.blocked.push(req.url());
  });
}

// The spec's test: a worker-wide storage host, Chromium resolving it (and nothing else) to 127.0.0.1, and
// per test a `hub` log with the mock installed in the test's context.
export const test = base.extend({
  storage: [async ({}, use) => {
    const s = await startStorage();
    await use(s);
    await s.close();
  }, { scope: 'worker' }],
  launchOptions: [async ({ storage, launchOptions }, use) => {
    await use({ ...launchOptions, args: [...(launchOptions.args ?? []),
      `--host-resolver-rules=MAP ${STORAGE_HOST} 127.0.0.1:${storage.port}, MAP * ~NOTFOUND, EXCLUDE 127.0.0.1`,
      // The mocked storage host sits on the loopback address; a page that page.route serves counts as public,
      // and Chromium's Local Network Access checks would refuse it what the real (public) host allows.
      '--disable-features=LocalNetworkAccessChecks'] });
  }, { scope: 'worker' }],
  ignoreHTTPSErrors: true,
  hub: async ({ context, storage }, use) => {
    const log = new HubLog();
    await installHub(context, storage, log);
    await use(log);
    expect(log.blocked, 'requests to hosts other than this site, huggingface.co and its storage host').toEqual([]);
    for (const r of log.requests) {
      expect(r.headers.cookie, `cookie sent to ${r.host}${r.path}`).toBeUndefined();
      expect(r.headers.referer, `referer sent to ${r.host}${r.path}`).toBeUndefined();
      if (r.host !== 'huggingface.co') expect(r.headers.authorization, `token sent to ${r.host}`).toBeUndefined();
    }
  },
});
export { expect };
