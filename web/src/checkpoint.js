// Checkpoint headers on the page: only the first bytes of each file are read with File.slice — the core
// says how many it needs — so a 20 GB shard is inventoried without reading its tensor data.
import { commas, el, fillRows } from './dom.js';
import { coreTextLang, renderCoreText } from './core-text.js';

const FIRST_READ = 64 * 1024;

export const isCheckpoint = (file) => /\.(safetensors|gguf)$/i.test(file.name) || /\.index\.json$/i.test(file.name);

// Runs the "inspect" op over `files`, growing each file's head until the core has the whole header.
export async function inspectFiles(engine, files, configText) {
  const lengths = files.map((f) => Math.min(f.size, FIRST_READ));
  const heads = await Promise.all(files.map((f, i) => f.slice(0, lengths[i]).arrayBuffer()));
  performance.mark('gpumem:heads-read');
  for (let round = 0; round < 64; round++) {
    const total = heads.reduce((n, h) => n + h.byteLength, 0);
    const attachment = new Uint8Array(total);
    let at = 0;
    for (const h of heads) {
      attachment.set(new Uint8Array(h), at);
      at += h.byteLength;
    }
    const request = {
      op: 'inspect',
      files: files.map((f, i) => ({ name: f.name, size: f.size, length: heads[i].byteLength })),
    };
    if (configText) request.config_text = configText;
    const r = engine.callWithBytes(request, attachment);
    if (!r.ok || r.complete) {
      performance.mark('gpumem:heads-parsed');
      return r;
    }
    const { file, bytes } = r.need;
    heads[file] = await files[file].slice(0, bytes).arrayBuffer();
  }
  return { ok: false, error: { code: 'internal_error', path: '', message: 'The header could not be read; please report it.' } };
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
