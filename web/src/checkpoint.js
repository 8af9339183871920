// Checkpoint headers on the page: only the first bytes of each file are read with File.slice — the core
// says how many it needs — so a 20 GB shard is inventoried without reading its tensor data.
import { commas, el, fillRows } from './dom.js';
import { coreTextLang, renderCoreText } from './core-text.js';

const FIRST_READ = 64 * 1024;

export const isCheckpoint = (file) => /\.(safetensors|gguf)$/i.test(file.name) || /\.index\.json$/i.test(file.name);

// A local file as inspectFiles reads it (File.slice: nothing leaves the browser, and only the bytes asked for
// are read from disk). A reader of the Hub (hub.js) has the same shape: {name, size, first?, read(start, end)}.
export const fileReader = (file) => ({ name: file.name, size: file.size, read: (start, end) => file.slice(start, end).arrayBuffer() });

function concat(a, b) {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const aborted = (signal) => signal?.reason ?? new DOMException('Aborted', 'AbortError');

// Runs the "inspect" op over `sources` (File objects or readers), growing each file's head until the core has
// its whole header: each file is asked about alone, and when the core answers {complete: false, need: {bytes}}
// only the missing bytes [have, need) are read and appended — so what is read is the headers plus at most
// the first read (the probe) per file. Files are read `concurrency` at a time (a Hub repo's shards in
// parallel), `onProgress(done, total)` after each, and `signal` stops it. Then one call over all the heads
// (with the config, for the comparison) gives the inventory.
export async function inspectFiles(engine, sources, configText, { concurrency = 6, signal, onProgress } = {}) {
  // "inspect" is in the full module (engine.js): loaded here on first use (an engine without full() has every op).
  if (engine.full) await engine.full();
  const readers = sources.map((s) => (typeof s.read === 'function' ? s : fileReader(s)));
  const heads = new Array(readers.length);
  const ask = (indices, withConfig) => {
    const attachment = new Uint8Array(indices.reduce((n, i) => n + heads[i].length, 0));
    let at = 0;
    for (const i of indices) {
      attachment.set(heads[i], at);
      at += heads[i].length;
    }
    const request = {
      op: 'inspect',
      files: indices.map((i) => ({ name: readers[i].name, size: readers[i].size, length: heads[i].length })),
    };
    if (withConfig && configText) request.config_text = configText;
    return engine.callWithBytes(request, attachment);
  };
  const single = readers.length === 1;
  let firstReads = 0;
  let done = 0;
  let failure = null;
  let final = null;
  // One file: its first read, then the core's needs, each read as the missing bytes only.
  const resolve = async (i) => {
    const r = readers[i];
    const first = Math.min(r.first ?? FIRST_READ, r.size ?? Infinity);
    heads[i] = new Uint8Array(await r.read(0, first));
    if (++firstReads === readers.length) performance.mark('gpumem:heads-read');
    for (let round = 0; round < 64; round++) {
      if (signal?.aborted) throw aborted(signal);
      const res = ask([i], single);
      if (!res.ok || res.complete) return res;
      const need = res.need.bytes;
      if (res.need.file !== 0 || need <= heads[i].length) break;
      heads[i] = concat(heads[i], new Uint8Array(await r.read(heads[i].length, need)));
    }
    return { ok: false, error: { code: 'internal_error', path: '', message: 'The header could not be read; please report it.' } };
  };
  let next = 0;
  const worker = async () => {
    while (next < readers.length && !failure) {
      const i = next++;
      const res = await resolve(i);
      if (!res.ok) failure ??= res;
      else if (single) final = res;
      onProgress?.(++done, readers.length);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, readers.length) }, worker));
  } catch (e) {
    failure = { thrown: e };
  }
  if (failure?.thrown) throw failure.thrown;
  if (failure) return failure;
  if (signal?.aborted) throw aborted(signal);
  const r = final ?? ask(readers.map((_, i) => i), true);
  performance.mark('gpumem:heads-parsed');
  return r;
}


// t(key, fields): the page's strings in the chosen language (web/src/i18n.js).
export function renderInventory(r, t) {
  document.getElementById('ckpt-summary').textContent = t('ckpt.summary', {
    tensors: commas(r.tensors), params: r.params_h, short: r.params_short, bytes: commas(r.bytes), gib: r.gib_h, gb: r.gb_h,
    source: renderCoreText(/^zh/i.test(document.documentElement.lang) ? 'zh' : 'en', r.bytes_source_text, r.bytes_source),
  });
  fillRows(document.getElementById('ckpt-dtypes').tBodies[0],
    Object.entries(r.by_dtype).map(([d, t]) => [d, commas(t.params), commas(t.bytes)]));
  fillRows(document.getElementById('ckpt-groups').tBodies[0],
    Object.entries(r.groups).map(([g, t]) => [g, commas(t.params), commas(t.bytes)]));
  fillRows(document.getElementById('ckpt-files').tBodies[0],
    r.files.map((f) => [f.name, f.format, commas(f.tensors), commas(f.header_bytes), commas(f.size)]));
  const cmp = r.comparison;
  const box = document.getElementById('ckpt-comparison');
  box.hidden = !cmp;
  if (cmp) {
    document.getElementById('ckpt-comparison-message').textContent = t('ckpt.cmp', {
      message: cmp.message, config: commas(cmp.config_params), checkpoint: commas(cmp.checkpoint_params),
    });
    fillRows(document.getElementById('ckpt-comparison-table').tBodies[0],
      cmp.groups.map((g) => [g.group, commas(g.config), commas(g.checkpoint), t(g.agrees ? 'yes' : 'no')]));
  }
  const lang = /^zh/i.test(document.documentElement.lang) ? 'zh' : 'en';
  document.getElementById('ckpt-notes').replaceChildren(...r.notes.map((n, i) =>
    el('li', renderCoreText(lang, r.notes_text?.[i], n), { lang: coreTextLang(lang, r.notes_text?.[i]) })));
  document.getElementById('checkpoint').hidden = false;
}
