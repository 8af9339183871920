// Reading a model from the Hugging Face Hub in the browser: the file list, config.json and the checkpoint's
// headers — never the weights. Only on the reader's request (a Hub id typed, pasted, or in a link), and only
// to https://huggingface.co and the storage host its /resolve/ addresses redirect to (index.html's CSP lists
// them). What is requested, in order:
//   GET /api/models/{id}[/revision/{rev}]?blobs=true        the file list with sizes, the gated flag
//   GET /{id}/resolve/{rev}/config.json                      the config (a few kilobytes)
//   GET …/model.safetensors.index.json                       the shard list, when sharded
//   GET …/resolve/{rev}/{shard} with Range: bytes=0-7        each shard's header length (the probe) …
//   GET {storage URL} with Range: bytes=8-{7+n}               … then exactly its header, from where /resolve/
//                                                            redirected (huggingface.js parse-safetensors-metadata.ts
//                                                            reads them the same way)
//   GGUF: the chosen file's first 256 KiB, then more only as far as the core asks (the header has no length).
// Every request: credentials 'omit' (no cookie), referrerPolicy 'no-referrer', and no header but one
// `Range: bytes=a-b` (a CORS-safelisted header, so no preflight) — except `Authorization: Bearer …` when the
// reader gave a token, and only to huggingface.co: the storage host never sees it (the Fetch standard removes
// Authorization on a cross-origin redirect, whatwg/fetch#1544; the redirect's URL is itself signed, and the
// page asks the storage host directly, without a token, from then on).
import { inspectFiles } from './checkpoint.js';
import { refText } from './hub-id.js';

export const HUB = 'https://huggingface.co';
// Shards read at once (huggingface.js reads 20; browsers open 6 connections per host over HTTP/1.1).
const CONCURRENCY = 6;
// 429 and 5xx are retried this many times, waiting 0.4, 0.8, 1.6 s (or Retry-After, up to 10 s).
const RETRIES = 3;
const BACKOFF_MS = 400;
const CONFIG_LIMIT = 16 * 2 ** 20;
// A GGUF header holds the vocabulary (a few MB for a 128k-token tokenizer): the first read is 256 KiB and
// the core asks for more (twice as much each time) until it has the tensor list.
const GGUF_FIRST = 256 * 1024;

// An error of the Hub, as a code and fields (the page says it in the reader's language: hubMessage).
export class HubError extends Error {
  constructor(code, fields = {}) {
    super(code);
    this.code = code;
    this.fields = fields;
  }
}

// Each error code and invalid-id reason → its sentence in web/src/i18n.js (en and zh).
const MESSAGES = {
  offline: 'hub.err.offline',
  not_found: 'hub.err.notFound',
  not_found_or_private: 'hub.err.notFoundOrPrivate',
  revision_not_found: 'hub.err.revision',
  file_not_found: 'hub.err.file',
  gated: 'hub.err.gated',
  gated_denied: 'hub.err.gatedDenied',
  token_rejected: 'hub.err.token',
  rate_limited: 'hub.err.rateLimited',
  server: 'hub.err.server',
  http: 'hub.err.http',
  config_not_json: 'hub.err.configJson',
  config_too_large: 'hub.err.configLarge',
  no_config: 'hub.err.noConfig',
  no_size: 'hub.err.noSize',
  gguf_model: 'hub.err.ggufModel',
};

// The sentence for a HubError (t: the page's translator, (key, fields) → text).
export function hubMessage(t, err) {
  return t(MESSAGES[err.code] ?? 'hub.err.http', err.fields);
}


const encodePath = (path) => path.split('/').map(encodeURIComponent).join('/');
const idPath = (id) => id.split('/').map(encodeURIComponent).join('/');

export function apiUrl(ref) {
  const rev = ref.revision ? `/revision/${encodeURIComponent(ref.revision)}` : '';
  return `${HUB}/api/models/${idPath(ref.id)}${rev}?blobs=true`;
}

export function resolveUrl(id, revision, path) {
  return `${HUB}/${idPath(id)}/resolve/${encodeURIComponent(revision)}/${encodePath(path)}`;
}

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason ?? new DOMException('Aborted', 'AbortError'));
    }, { once: true });
  });

// What a failed answer means for the reader. The Hub names the case in X-Error-Code (GatedRepo,
// RepoNotFound, RevisionNotFound, EntryNotFound), which its CORS headers expose.
function statusError(ctx, res, what) {
  const code = res.headers.get('x-error-code') ?? '';
  const f = { id: ctx.id, file: what, status: res.status, revision: ctx.revision ?? '' };
  if (res.status === 401 || res.status === 403) {
    if (code === 'GatedRepo' || ctx.gated) return new HubError(ctx.token ? 'gated_denied' : 'gated', f);
    if (ctx.token) return new HubError(res.status === 401 ? 'token_rejected' : 'gated_denied', f);
    return new HubError('not_found_or_private', f);
  }
  if (res.status === 404) {
    if (code === 'RevisionNotFound') return new HubError('revision_not_found', f);
    if (code === 'EntryNotFound' || what) return new HubError('file_not_found', f);
    return new HubError('not_found', f);
  }
  if (res.status === 429) return new HubError('rate_limited', f);
  if (res.status >= 500) return new HubError('server', f);
  return new HubError('http', f);
}

// One GET, retried on 429 and 5xx. `range` = [start, end) sends `Range: bytes=start-(end-1)`.
async function get(ctx, url, { range, what = '' } = {}) {
  const headers = {};
  if (range) headers.Range = `bytes=${range[0]}-${range[1] - 1}`;
  if (ctx.token && new URL(url).origin === HUB) headers.Authorization = `Bearer ${ctx.token}`;
  for (let attempt = 0; ; attempt++) {
    let res;
    try {
      res = await fetch(url, {
        headers, credentials: 'omit', referrerPolicy: 'no-referrer', mode: 'cors', redirect: 'follow',
        // A range is read once (a partial answer is not worth caching); the file list and the config may be
        // revalidated rather than fetched again.
        cache: range ? 'no-store' : 'no-cache', signal: ctx.signal,
      });
    } catch (e) {
      if (ctx.signal?.aborted) throw ctx.signal.reason ?? e;
      // fetch's TypeError: offline, DNS, TLS, a CORS refusal or a blocked address; the page cannot tell which.
      throw new HubError('offline', { id: ctx.id, file: what });
    }
    ctx.requests++;
    if ((res.status === 429 || res.status >= 500) && attempt < RETRIES) {
      const after = Number(res.headers.get('retry-after'));
      const wait = Number.isFinite(after) && after > 0 ? Math.min(after * 1000, 10_000) : BACKOFF_MS * 2 ** attempt;
      res.body?.cancel().catch(() => {});
      ctx.onStatus?.('hub.status.retry', { status: res.status, seconds: (wait / 1000).toFixed(1), id: ctx.id });
      await sleep(wait, ctx.signal);
      continue;
    }
    if (!res.ok) {
      res.body?.cancel().catch(() => {});
      throw statusError(ctx, res, what);
    }
    return res;
  }
}

// The bytes [start, end) of an answer to a Range request: a 206 holds just them; a server that ignored the
// Range (200) is read only as far as needed, then cancelled.
async function rangeBytes(res, start, end) {
  if (res.status === 206) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const chunks = [];
  let have = 0;
  while (have < end) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    have += value.length;
  }
  reader.cancel().catch(() => {});
  const all = new Uint8Array(have);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return all.slice(start, Math.min(end, have));
}

// A file of the repo as inspectFiles reads it: read(start, end) by Range; the first answer's final URL (the
// storage host's signed address) is used directly after that, so each later range is one request.
function hubFile(ctx, path, name, size, first) {
  const reader = {
    name,
    size,
    first,
    direct: null,
    async read(start, end) {
      if (reader.size !== undefined) end = Math.min(end, reader.size);
      if (end <= start) return new Uint8Array(0);
      let res;
      try {
        res = await get(ctx, reader.direct ?? resolveUrl(ctx.id, ctx.rev, path), { range: [start, end], what: path });
      } catch (e) {
        // A signed storage address that stopped working (expired): once more through /resolve/.
        if (!reader.direct || !(e instanceof HubError) || e.code === 'offline') throw e;
        reader.direct = null;
        res = await get(ctx, resolveUrl(ctx.id, ctx.rev, path), { range: [start, end], what: path });
      }
      if (res.redirected && new URL(res.url).origin !== HUB) reader.direct = res.url;
      const total = /\/(\d+)\s*$/.exec(res.headers.get('content-range') ?? '');
      if (total && reader.size === undefined) reader.size = Number(total[1]);
      const bytes = await rangeBytes(res, start, end);
      ctx.bytes += bytes.length;
      if (reader.size === undefined) {
        // Neither the file list nor Content-Range gave the size: a short answer means the file ended.
        if (bytes.length < end - start) reader.size = start + bytes.length;
        else throw new HubError('no_size', { id: ctx.id, file: path });
      }
      return bytes;
    },
  };
  return reader;
}

// A small text file (config.json), read whole.
async function readText(ctx, path, size) {
  if (size > CONFIG_LIMIT) throw new HubError('config_too_large', { id: ctx.id, file: path });
  const res = await get(ctx, resolveUrl(ctx.id, ctx.rev, path), { what: path });
  const text = await res.text();
  ctx.bytes += new TextEncoder().encode(text).length;
  return text;
}

const basename = (p) => p.slice(p.lastIndexOf('/') + 1);
const SPLIT = /-(\d{5})-of-(\d{5})\.gguf$/i;

// The .gguf files of a repo, a split file (…-00001-of-00003.gguf) listed once by its first part.
function ggufChoices(files) {
  return files
    .filter((f) => /\.gguf$/i.test(f.path) && !/(^|\/)mmproj[^/]*$/i.test(f.path))
    .filter((f) => !SPLIT.test(f.path) || SPLIT.exec(f.path)[1] === '00001')
    .map((f) => {
      const m = SPLIT.exec(f.path);
      const parts = m ? files.filter((g) => g.path.replace(SPLIT, '') === f.path.replace(SPLIT, '') && SPLIT.test(g.path)) : [f];
      return { path: f.path, parts, size: parts.reduce((n, p) => n + (p.size ?? 0), 0) };
    });
}

// The file a GGUF repo opens with: Q4_K_M (what llama.cpp's documentation and most model cards suggest),
// else the first listed.
export function defaultGguf(choices) {
  return (choices.find((c) => /q4_k_m/i.test(basename(c.path))) ?? choices[0])?.path ?? null;
}

// Reads `ref` ({id, revision, subfolder, file}, hub-id.js) from the Hub: config and checkpoint headers.
// options: {token, signal, onStatus(key, fields)}. Returns {id, ref, configText, configName, inventory,
// notes: [{key, fields}], gguf: {choices, chosen} | null, bytes, requests}; throws HubError, the core's
// error as {core: error}, or the AbortError of `signal`.
export async function readHubModel(engine, ref, { token = '', signal, onStatus } = {}) {
  const ctx = { id: ref.id, revision: ref.revision, rev: ref.revision ?? 'main', token, signal, onStatus, bytes: 0, requests: 0, gated: false };
  const shown = refText(ref);
  onStatus?.('hub.status.info', { id: shown });
  const infoRes = await get(ctx, apiUrl(ref));
  let info;
  try {
    info = await infoRes.json();
  } catch {
    throw new HubError('http', { id: shown, status: infoRes.status, file: 'api' });
  }
  // The canonical id (a renamed repo answers with its new one) and, without a revision, the commit the
  // default branch is at, so every file is read from the same commit.
  if (typeof info.id === 'string' && info.id.includes('/')) ctx.id = info.id;
  if (!ref.revision && typeof info.sha === 'string' && /^[0-9a-f]{40}$/.test(info.sha)) ctx.rev = info.sha;
  ctx.gated = Boolean(info.gated);
  const files = (Array.isArray(info.siblings) ? info.siblings : [])
    .filter((s) => typeof s?.rfilename === 'string')
    .map((s) => ({ path: s.rfilename, size: Number.isSafeInteger(s.size) ? s.size : Number.isSafeInteger(s.lfs?.size) ? s.lfs.size : undefined }));
  const prefix = ref.subfolder ? `${ref.subfolder.replace(/\/+$/, '')}/` : '';
  const here = new Map(files.filter((f) => f.path.startsWith(prefix) && !f.path.slice(prefix.length).includes('/'))
    .map((f) => [f.path.slice(prefix.length), f]));
  const choices = ggufChoices(files.filter((f) => f.path.startsWith(prefix)));
  const out = { id: ctx.id, ref: { ...ref, id: ctx.id }, notes: [], gguf: null, inventory: null };
  const progress = (key) => (done, total) => onStatus?.(key, { done, total, id: shown });

  const gguf = ref.file ?? (here.has('config.json') ? null : defaultGguf(choices));
  if (gguf) {
    const choice = choices.find((c) => c.path === gguf || c.parts.some((p) => p.path === gguf));
    if (!choice) throw new HubError('file_not_found', { id: ctx.id, file: gguf, status: 404 });
    out.gguf = { choices, chosen: choice.path };
    out.ref.file = choice.path;
    onStatus?.('hub.status.gguf', { file: basename(choice.path), id: shown });
    const readers = choice.parts.map((p) => hubFile(ctx, p.path, basename(p.path), p.size, GGUF_FIRST));
    const inv = await inspectFiles(engine, readers, null, { concurrency: CONCURRENCY, signal, onProgress: progress('hub.status.ggufParts') });
    if (!inv.ok) throw { core: inv.error };
    const model = inv.gguf_model;
    if (!model?.config || model.error) {
      if (model?.error) throw { core: model.error };
      throw new HubError('gguf_model', { id: ctx.id, file: choice.path });
    }
    out.inventory = inv;
    out.configText = JSON.stringify(model.config, null, 2);
    out.configName = basename(choice.path);
  } else {
    const config = here.get('config.json');
    if (!config) throw new HubError('no_config', { id: ctx.id });
    onStatus?.('hub.status.config', { id: shown });
    // The config and the shard index are asked for together (each is one small file).
    const index = here.get('model.safetensors.index.json');
    const indexReader = index && hubFile(ctx, `${prefix}model.safetensors.index.json`, 'model.safetensors.index.json', index.size, Infinity);
    const indexRead = indexReader?.read(0, index.size ?? CONFIG_LIMIT);
    indexRead?.catch(() => {}); // awaited below; a failure of the config is said first
    const text = await readText(ctx, `${prefix}config.json`, config.size);
    try {
      JSON.parse(text);
    } catch {
      throw new HubError('config_not_json', { id: ctx.id, file: `${prefix}config.json` });
    }
    out.configText = text;
    out.configName = 'config.json';
    const names = [...here.keys()];
    let readers = [];
    if (indexReader) {
      const indexBytes = await indexRead;
      indexReader.size ??= indexBytes.length;
      let shards = [];
      try {
        const map = JSON.parse(new TextDecoder().decode(indexBytes)).weight_map ?? {};
        // Shard names as the index lists them, relative to its folder (a '..' or an absolute name is not read).
        shards = [...new Set(Object.values(map))]
          .filter((s) => typeof s === 'string' && !s.split('/').some((p) => p === '' || p === '.' || p === '..'))
          .sort();
      } catch {
        // not JSON: the core says so when it reads the index below
      }
      // The index's bytes are already here: inspectFiles gets them without another request.
      const cached = { ...indexReader, first: indexBytes.length, read: async (a, b) => indexBytes.slice(a, b) };
      readers = [cached, ...shards.map((s) => hubFile(ctx, `${prefix}${s}`, s, here.get(s)?.size, 8))];
    } else if (here.has('model.safetensors')) {
      readers = [hubFile(ctx, `${prefix}model.safetensors`, 'model.safetensors', here.get('model.safetensors').size, 8)];
    } else {
      // Other safetensors names (a consolidated file beside shards is the same weights twice: left out).
      let st = names.filter((n) => /\.safetensors$/i.test(n));
      if (st.length > 1) st = st.filter((n) => !/^consolidated/i.test(n));
      readers = st.map((s) => hubFile(ctx, `${prefix}${s}`, s, here.get(s).size, 8));
    }
    if (readers.length) {
      const total = readers.filter((r) => /\.safetensors$/i.test(r.name)).length;
      onStatus?.('hub.status.shards', { done: 0, total, id: shown });
      const inv = await inspectFiles(engine, readers, text, {
        concurrency: CONCURRENCY, signal,
        // Progress counts shards (the index is read before).
        onProgress: (done) => onStatus?.('hub.status.shards', { done: Math.min(done, total), total, id: shown }),
      });
      if (!inv.ok) throw { core: inv.error };
      out.inventory = inv;
    } else if (names.some((n) => /\.(bin|pt|pth|ckpt)$/i.test(n))) {
      out.notes.push({ key: 'hub.note.binOnly', fields: { id: ctx.id } });
    } else {
      out.notes.push({ key: 'hub.note.noWeights', fields: { id: ctx.id } });
    }
    if (choices.length) out.gguf = { choices, chosen: null };
  }
  out.bytes = ctx.bytes;
  out.requests = ctx.requests;
  return out;
}
