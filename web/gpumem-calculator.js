// <gpumem-calculator>: the calculator as one custom element for documentation sites. Shadow DOM keeps
// host styles out and its own in; styles come from a constructed stylesheet (no inline <style>, so a
// strict CSP needs nothing more than script-src 'self' 'wasm-unsafe-eval'). The wasm module is found
// relative to this file's URL, so the folder can be served from any path or CDN.
//
// Attributes (properties mirror them): model, file, config-url, config, gallery, name, mode, dtype, quant, engine,
// context, batch, gpu, lang (en|zh), theme (light|dark|auto), compact. model="org/name[@revision]" (or a model
// page's address) reads the config and the checkpoint headers from huggingface.co (src/hub.js; file= picks a
// repo's .gguf): the host page's Content-Security-Policy must then allow huggingface.co and its storage hosts
// in connect-src, as embed.html's does. A missing, empty or "null" attribute means the
// core's default; a value the core rejects shows its message (and code) in the widget. Events:
// gpumem-estimate {detail: result}, gpumem-error {detail: error}. Looks: --gpumem-bg, --gpumem-fg,
// --gpumem-muted, --gpumem-accent, --gpumem-border, --gpumem-font, --gpumem-radius; parts: root, headline,
// total, verdict, context, what-fits, speed, params, table, error, controls.
//
// Every figure is the core's: "estimate" (total, parts), "fit" (verdict, headroom, largest context), "advise"
// (what would fit), "speed" (tokens/s, when the core has it); the labels are the page's (src/i18n.js), the
// part colours the page's (src/palette.js), sizes the page's size() (3 significant digits, exact bytes on hover).
import { loadEngine } from './src/engine.js';
import { commas, el, rate, setSize, size } from './src/dom.js';
import { loadLanguage, t as pageText } from './src/i18n.js';
import { renderCoreText } from './src/core-text.js';
import { PALETTE, partColour } from './src/palette.js';
import { idMessage, parseHubId, refText } from './src/hub-id.js';

const TAG = 'gpumem-calculator';
export const ATTRIBUTES = ['model', 'file', 'config-url', 'config', 'gallery', 'name', 'mode', 'dtype', 'quant', 'engine', 'context', 'batch',
  'gpu', 'lang', 'theme', 'compact'];
// The widget's own sentences; everything the page also says (part names, verdict, solver, menu labels)
// comes from src/i18n.js.
const STRINGS = {
  en: { loading: 'Loading…', total: 'Total', memory: 'memory', params: 'parameters', error: 'Error',
    tokens: (n) => `${n} tokens`, fitsOn: 'fits on', noFitOn: 'does not fit on',
    noneFits: (gpu) => `Not even one token fits on ${gpu}.`,
    whatFits: ({ gpu, setup, where, n }) => `Does not fit on ${gpu} — fits as ${setup}${where ? ` on ${where}` : ''} (${n} tokens)`,
    whatFitsTrain: ({ gpu, setup, where, n }) => `Does not fit on ${gpu} — fits with ${setup}${where ? ` on ${where}` : ''} (batch ${n})`,
    speed: ({ n, gpu }) => `About ${n} tokens/s on ${gpu}`,
    speedShort: (n) => `~${n} tok/s`,
    badGpu: ({ gpu, similar }) => `Unknown GPU "${gpu}" in the gpu attribute. Use a catalogue name, as listed in the calculator page's "fits on" table or by \`gpumem gpus\`${similar ? `; similar names: ${similar}` : ''}.` },
  zh: { loading: '加载中…', total: '合计', memory: '显存', params: '参数', error: '错误',
    tokens: (n) => `${n} 个 token`, fitsOn: '可运行于', noFitOn: '无法运行于',
    noneFits: (gpu) => `${gpu} 上连一个 token 也放不下。`,
    whatFits: ({ gpu, setup, where, n }) => `${gpu} 放不下 — 改用 ${setup}${where ? `（${where}）` : ''} 可以放下（${n} 个 token）`,
    whatFitsTrain: ({ gpu, setup, where, n }) => `${gpu} 放不下 — 改用 ${setup}${where ? `（${where}）` : ''} 可以放下（批大小 ${n}）`,
    speed: ({ n, gpu }) => `${gpu} 上约每秒 ${n} 个 token`,
    speedShort: (n) => `约 ${n} token/s`,
    badGpu: ({ gpu, similar }) => `gpu 属性中的 GPU "${gpu}" 不在目录中。请使用目录中的名称（计算器页面的“可运行于”表格或 \`gpumem gpus\`）${similar ? `；相近的名称：${similar}` : ''}。` },
};

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
:host { all: initial !important; display: block !important; contain: content;
  --_bg: var(--gpumem-bg, #fff); --_fg: var(--gpumem-fg, #1b1f24); --_muted: var(--gpumem-muted, #57606a);
  --_accent: var(--gpumem-accent, #0b5cad); --_border: var(--gpumem-border, #d0d7de); --_ok: #1a7f37; --_no: #b3261e;
  font: 14px/1.45 var(--gpumem-font, system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif) !important;
  color: var(--_fg) !important; }
:host([hidden]) { display: none !important; }
:host([theme="dark"]) { --_bg: var(--gpumem-bg, #0d1117); --_fg: var(--gpumem-fg, #e6edf3); --_muted: var(--gpumem-muted, #9198a1);
  --_accent: var(--gpumem-accent, #58a6ff); --_border: var(--gpumem-border, #30363d); --_ok: #56d364; --_no: #ff8a80; }
@media (prefers-color-scheme: dark) { :host(:not([theme="light"])) { --_bg: var(--gpumem-bg, #0d1117); --_fg: var(--gpumem-fg, #e6edf3);
  --_muted: var(--gpumem-muted, #9198a1); --_accent: var(--gpumem-accent, #58a6ff); --_border: var(--gpumem-border, #30363d);
  --_ok: #56d364; --_no: #ff8a80; } }
.root { display: block; background: var(--_bg); color: var(--_fg); border: 1px solid var(--_border);
  border-radius: var(--gpumem-radius, 8px); padding: 12px 14px; }
.headline { display: block; font-weight: 600; }
.total { font-size: 1.3em; }
.verdict, .line { display: block; color: var(--_muted); }
.verdict.ok { color: var(--_ok); } .verdict.no { color: var(--_no); }
.error { display: block; color: var(--_no); font-weight: 600; }
table { border-collapse: collapse; margin-top: 8px; width: 100%; }
th, td { display: table-cell; text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid var(--_border); font-variant-numeric: tabular-nums; }
th[scope="row"] { font-weight: normal; }
tr { display: table-row; } tbody { display: table-row-group; } thead { display: table-header-group; }
td:last-child, th:last-child { text-align: right; }
.sw { display: inline-block; width: 0.75em; height: 0.75em; border-radius: 2px; margin-right: 6px; }
${PALETTE.map((c, i) => `.sw[data-c="${i}"] { background: ${c}; }`).join('\n')}
.controls { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
label { display: inline-flex; gap: 4px; align-items: center; color: var(--_muted); }
select, input { font: inherit; color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: 4px; }
:host([compact]) .root { padding: 6px 10px; }
`);

// The bundled gallery's names (dist/gallery/index.json), asked for once and only by a widget that names a
// gallery id.
let galleryIndex = null;
function galleryNames() {
  galleryIndex ??= fetch(new URL('./gallery/index.json', import.meta.url))
    .then((res) => (res.ok ? res.json() : []))
    .catch(() => []);
  return galleryIndex;
}

// The option schema ({op: "options"}) and the GPU catalogue ({op: "gpus"}), asked once per page.
let schema = null;
let catalogue = null;

// A weight format as people write it: gguf-q4_k_m → GGUF Q4_K_M, bnb-nf4 → bitsandbytes NF4, gptq-4bit →
// GPTQ 4-bit, fp8 → FP8 (the names the page's quantization menu shows).
function quantLabel(q) {
  const [head, tail] = q.includes('-') ? q.split(/-(.*)/) : ['', q];
  const prefix = { gguf: 'GGUF', bnb: 'bitsandbytes', gptq: 'GPTQ', awq: 'AWQ' }[head] ?? head.toUpperCase();
  const rest = tail === '4bit' ? '4-bit' : tail === 'int8' ? 'int8' : tail.toUpperCase();
  return [prefix, rest].filter(Boolean).join(' ');
}

// A setup of the core's advice (a row's options): its weight format, with the KV cache type when set; the
// row of the request itself is `current` (the format on screen).
function setupLabel(row, current) {
  const o = row.options ?? {};
  if (row.current || row.id === 'current') return current;
  const format = o.quant && o.quant !== 'none' && o.quant !== 'auto' ? quantLabel(o.quant) : o.dtype ?? row.label ?? row.id;
  return o.kv_dtype && o.kv_dtype !== 'auto' ? `${format} · KV ${o.kv_dtype}` : format;
}

const attrValue = (v) => (v === null || v.trim() === '' || v.trim() === 'null' ? null : v.trim());

class GpumemCalculator extends HTMLElement {
  static get observedAttributes() { return ATTRIBUTES; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [sheet];
    this._configText = null;
    this._loaded = null; // which source _configText came from
    this._pending = false;
    this._seq = 0; // the latest update; an older one that finishes later renders nothing
  }

  connectedCallback() { this._schedule(); }
  attributeChangedCallback() { if (this.isConnected) this._schedule(); }

  get _lang() { return this.getAttribute('lang') === 'zh' ? 'zh' : 'en'; }
  _t(key) { return STRINGS[this._lang][key]; }
  _page(key, fields) { return pageText(this._lang, key, fields); }
  _attr(name) { return attrValue(this.getAttribute(name)); }

  _schedule() {
    if (this._pending) return;
    this._pending = true;
    queueMicrotask(() => {
      this._pending = false;
      this._update().catch((e) => this._fail({ code: 'internal_error', path: '', message: String(e && e.message ? e.message : e) }));
    });
  }

  // The config text, from the attribute that names it. config-url and model are the only requests beyond the
  // widget's own files (wasm, gallery). text() gives the text, or {text, checkpoint, name, gguf} for a Hub model.
  async _source() {
    const model = this._attr('model');
    if (model) {
      const ref = parseHubId(model, { single: true });
      const page = (key, fields) => this._page(key, fields);
      if (ref.kind !== 'hub') throw { code: 'bad_id', path: '', message: idMessage(page, model, ref.reason) };
      const file = this._attr('file') ?? ref.file;
      return { key: `hub:${refText(ref)}|${ref.subfolder}|${file ?? ''}`, text: async () => {
        this._hubRead?.abort();
        const ctl = new AbortController();
        this._hubRead = ctl;
        // The Hub reader loads only for a widget that names a model.
        const hub = await import('./src/hub.js');
        try {
          const m = await hub.readHubModel(await loadEngine(), { ...ref, file }, { signal: ctl.signal });
          const chosen = m.gguf?.chosen;
          return { text: m.configText, checkpoint: m.inventory?.checkpoint ?? null, gguf: Boolean(chosen),
            name: chosen ? `${refText(m.ref)} · ${chosen.slice(chosen.lastIndexOf('/') + 1)}` : refText(m.ref) };
        } catch (e) {
          if (e instanceof hub.HubError) throw { code: e.code, path: '', message: hub.hubMessage(page, e) };
          if (e?.core) throw e.core;
          throw e;
        }
      } };
    }
    const inline = this._attr('config');
    if (inline) return { key: `inline:${inline}`, text: () => inline };
    const url = this._attr('config-url');
    if (url) {
      return { key: `url:${url}`, text: async () => {
        let res;
        try {
          res = await fetch(url, { credentials: 'omit' });
        } catch (e) {
          throw { code: 'fetch_failed', path: '', message: `Could not fetch ${url}: ${e.message}. Check the config-url attribute.` };
        }
        if (!res.ok) throw { code: 'fetch_failed', path: '', message: `Fetching ${url} answered HTTP ${res.status}; check the config-url attribute.` };
        return res.text();
      } };
    }
    const id = this._attr('gallery');
    if (id) {
      if (!/^[\w.-]+$/.test(id)) throw { code: 'bad_request', path: '', message: `gallery="${id}" is not a gallery id.` };
      const url = new URL(`./gallery/${id}.json`, import.meta.url);
      return { key: `gallery:${id}`, gallery: id, text: async () => {
        const res = await fetch(url);
        if (!res.ok) throw { code: 'unknown_gallery_id', path: '', message: `No bundled model "${id}"; see the gallery for ids.` };
        return res.text();
      } };
    }
    throw { code: 'bad_request', path: '', message: 'Give the widget a config: config-url, config or gallery.' };
  }

  // The request's options, as the attributes give them; the core checks every value (an integer attribute
  // that is not a plain number goes as text, so the core's message names it).
  _options() {
    const o = {};
    for (const k of ['mode', 'dtype', 'quant', 'engine', 'gpu']) if (this._attr(k)) o[k] = this._attr(k);
    for (const k of ['context', 'batch']) {
      const v = this._attr(k);
      if (v && v !== 'auto') o[k] = /^-?\d+$/.test(v) ? Number(v) : v;
    }
    return o;
  }

  // The model's name: the name attribute, the Hub id, the gallery entry's name, the config's _name_or_path,
  // its model_type.
  async _name(src, r) {
    if (this._attr('name')) return this._attr('name');
    if (this._hub?.name) return this._hub.name;
    if (src.gallery) {
      const entry = (await galleryNames()).find?.((g) => g.id === src.gallery);
      if (entry?.name) return entry.name;
    }
    try {
      const path = JSON.parse(this._configText)._name_or_path;
      if (typeof path === 'string' && path.trim()) {
        const p = path.trim().replace(/[\\/]+$/, '');
        return /^[./\\~]|^[A-Za-z]:/.test(p) ? p.split(/[\\/]/).pop() : p;
      }
    } catch {
      // the core has read it; a name is not worth an error
    }
    return r.model?.model_type ?? '';
  }

  // The core's error, said about the attribute it concerns (an unknown GPU also gets where names come from).
  _explain(error, engine) {
    const name = error.path?.startsWith('/options/') ? error.path.slice('/options/'.length) : null;
    const value = name && ATTRIBUTES.includes(name) ? this._attr(name) : null;
    if (value === null) return error; // not an attribute's value: the core's message as it is
    if (name === 'gpu') {
      catalogue ??= engine.call({ op: 'gpus' });
      const names = catalogue.ok ? catalogue.gpus.map((g) => g.name) : [];
      if (!names.includes(value)) {
        const words = value.toLowerCase().split(/[\s_-]+/).filter((w) => /\d/.test(w) || w.length > 2);
        const similar = names.filter((n) => words.some((w) => n.toLowerCase().includes(w))).slice(0, 6).join(', ');
        return { ...error, text: undefined, message: STRINGS[this._lang].badGpu({ gpu: value, similar }) };
      }
    }
    return { ...error, text: undefined, message: `${name}="${value}": ${renderCoreText(this._lang, error.text, error.message)}` };
  }

  async _update() {
    const seq = ++this._seq;
    const root = this._root();
    if (!this._result) root.replaceChildren(el('span', this._t('loading')));
    let src;
    try {
      src = await this._source();
      if (this._loaded !== src.key) {
        const got = await src.text();
        if (seq !== this._seq) return;
        this._configText = typeof got === 'string' ? got : got.text;
        // A Hub model's checkpoint goes with every request (the weights as stored); other sources have none.
        this._hub = typeof got === 'string' ? null : got;
        this._loaded = src.key;
      }
    } catch (err) {
      if (err?.name === 'AbortError') return;
      if (seq === this._seq) this._fail(err);
      return;
    }
    // The verdict module, and 中文's strings for a zh widget; the full module (advice, speed) comes after the first
    // answer, which is then drawn again with those lines.
    const [engine] = await Promise.all([loadEngine(), loadLanguage(this._lang)]);
    if (seq !== this._seq) return;
    const text = this._configText;
    const options = this._options();
    // A GGUF runs on llama.cpp (its tensors are then the weights) unless the engine attribute says otherwise.
    if (this._hub?.gguf && !options.engine) options.engine = 'llamacpp';
    const checkpoint = this._hub?.checkpoint ? { checkpoint: this._hub.checkpoint } : {};
    const r = engine.call({ op: 'estimate', config_text: text, options, ...checkpoint });
    if (!r.ok) {
      this._fail(this._explain(r.error, engine));
      return;
    }
    schema ??= engine.call({ op: 'options' });
    // With a GPU: the verdict and the largest context (fit), what would fit (advise) and tokens/s (speed);
    // advise and speed are optional: a core without them, or one that says no, leaves their line out.
    let fit = null;
    let advice = null;
    let speed = null;
    if (options.gpu) {
      fit = engine.call({ op: 'fit', config_text: text, options, ...checkpoint });
      if (!fit.ok) {
        this._fail(this._explain(fit.error, engine));
        return;
      }
      const optional = (op) => {
        try {
          const a = engine.call({ op, config_text: text, options, ...checkpoint });
          return a && a.ok ? a : null;
        } catch {
          return null;
        }
      };
      advice = optional('advise');
      speed = optional('speed');
    }
    const name = await this._name(src, r);
    if (seq !== this._seq) return;
    this._render(r, { name, fit, advice, speed, options });
    if (options.gpu && !engine.fullLoaded) {
      engine.full().then(() => seq === this._seq && this._schedule(), () => {});
    }
    this.dispatchEvent(new CustomEvent('gpumem-estimate', { detail: r, bubbles: true, composed: true }));
  }

  _root() {
    let root = this.shadowRoot.querySelector('.root');
    if (!root) {
      root = el('div', undefined, { class: 'root', part: 'root' });
      this.shadowRoot.append(root);
    }
    root.setAttribute('lang', this._lang === 'zh' ? 'zh-Hans' : 'en');
    return root;
  }

  _partLabel(id) {
    const key = `part.${id}`;
    const text = this._page(key);
    return text === key ? id : text;
  }

  // The verdict, the largest context (or batch), the advice and the speed, as lines (null: left out).
  _fitLines(r, { fit, advice, speed, options }, format) {
    if (!fit) return {};
    const gpu = fit.gpu ?? options.gpu;
    const lines = {};
    if (fit.fits !== undefined && fit.capacity) {
      const usable = size(fit.capacity.bytes);
      lines.verdict = fit.fits
        ? `✓ ${this._page('verdict.fits', { gpu, usable, left: size(fit.headroom_bytes) })}`
        : `✗ ${this._page('verdict.noFit', { gpu, usable, over: size(-fit.headroom_bytes) })}`;
      lines.fits = fit.fits;
      lines.headroomTitle = `${commas(fit.headroom_bytes)} B`;
    }
    if (fit.max_context !== undefined) {
      const n = fit.max_context;
      lines.context = fit.binding === 'model_limit'
        ? this._page('solver.modelLimit', { gpu, n: commas(n) })
        : n > 0 ? this._page('solver.context', { gpu, n: commas(n), binding: this._partLabel(fit.binding) }) : this._t('noneFits')(gpu);
    } else if (fit.max_batch !== undefined) {
      const n = fit.max_batch;
      lines.context = n > 0 ? this._page('solver.trainBatch', { gpu, n: commas(n), seq: commas(r.training?.seq ?? '') }) : this._page('solver.trainNone', { gpu });
    }
    const near = advice?.current && !advice.current.fits && Array.isArray(advice.nearest) ? advice.nearest[0] : null;
    const row = near && advice.rows?.find((x) => x.id === near.row);
    const column = near && advice.columns?.[near.column];
    if (row && column) {
      const train = advice.mode === 'train';
      const where = column.chosen ? '' : column.gpus > 1 ? `${column.gpus}× ${column.gpu}` : column.gpu;
      const n = commas(train ? near.max_batch : near.max_context);
      lines.whatFits = this._t(train ? 'whatFitsTrain' : 'whatFits')({ gpu, setup: train && !row.current ? row.label ?? row.id : setupLabel(row, format), where, n });
    }
    // Tokens/s (per sequence; training: per step's tokens) only for a setup that fits: a rate where it does not
    // run would read as a promise.
    const tps = speed && (speed.speed?.tokens_per_s ?? speed.speed?.decode?.tokens_per_s);
    if (lines.fits !== false && Number.isFinite(tps) && tps > 0) {
      lines.speed = this._t('speed')({ n: rate(tps), gpu });
      lines.speedShort = this._t('speedShort')(rate(tps));
    }
    return lines;
  }

  // A menu of the schema's values for one option in this mode (without "auto": the widget's default is the
  // attribute left out); choosing sets the attribute.
  _menu(option, mode, current, labelKey, text = (v) => v) {
    const row = schema?.ok ? schema.options.find((x) => x.name === option && x.modes.includes(mode)) : null;
    if (!row || !Array.isArray(row.values)) return null;
    const values = row.values.filter((v) => v !== 'auto');
    if (current && !values.includes(current)) values.unshift(current);
    const select = el('select', undefined, { 'aria-label': this._page(labelKey), 'data-option': option });
    for (const v of values) {
      const o = el('option', text(v), { value: v });
      if (v === current) o.selected = true;
      select.append(o);
    }
    // Controls are user actions: they set attributes, which recompute and fire gpumem-estimate.
    select.addEventListener('change', () => this.setAttribute(option, select.value));
    const label = el('label', this._page(labelKey));
    label.append(select);
    return label;
  }

  _render(r, extra) {
    this._result = r;
    const root = this._root();
    const s = r.settings ?? {};
    const quant = s.quant && s.quant !== 'none' ? quantLabel(s.quant) : null;
    const format = quant ?? s.dtype ?? r.dtype;
    const lines = this._fitLines(r, extra, format);
    const total = size(r.memory.total_bytes);
    const exact = `${commas(r.memory.total_bytes)} B`;
    if (this.hasAttribute('compact')) {
      const verdict = lines.fits === undefined ? '' : ` — ${lines.fits ? this._t('fitsOn') : this._t('noFitOn')} ${extra.fit.gpu ?? extra.options.gpu}${lines.speedShort ? ` · ${lines.speedShort}` : ''}`;
      root.replaceChildren(el('span', `${[extra.name, format].filter(Boolean).join(' · ')}: ${total}${verdict}`,
        { part: 'headline', class: 'headline', title: exact }));
      return;
    }
    const context = s.context ? this._t('tokens')(commas(s.context)) : null;
    const table = el('table', undefined, { part: 'table' });
    table.append(el('thead'), el('tbody'));
    table.tHead.append(el('tr'));
    table.tHead.rows[0].append(el('th', this._page('parts.part'), { scope: 'col' }), el('th', this._t('memory'), { scope: 'col' }));
    table.tBodies[0].replaceChildren(...r.memory.parts.map((p) => {
      const tr = el('tr', undefined, { 'data-part': p.id });
      const th = el('th', undefined, { scope: 'row' });
      th.append(el('span', undefined, { class: 'sw', 'data-c': partColour(p.id), 'aria-hidden': 'true' }), this._partLabel(p.id));
      const td = el('td');
      setSize(td, p.bytes);
      tr.append(th, td);
      return tr;
    }));
    const mode = extra.options.mode ?? r.mode ?? 'inference';
    const controls = el('div', undefined, { class: 'controls', part: 'controls' });
    const menus = [
      this._menu('dtype', mode, s.dtype ?? r.dtype, 'inf.dtype'),
      this._menu('quant', mode, s.quant, 'inf.quant', (v) => (v === 'none' ? this._page('opt.none') : quantLabel(v))),
    ].filter(Boolean);
    controls.append(...menus);
    const line = (text, part, cls = 'line') => (text ? el('span', text, { part, class: cls }) : null);
    const verdict = el('span', lines.verdict ?? '', { part: 'verdict', class: `verdict${lines.fits === undefined ? '' : lines.fits ? ' ok' : ' no'}` });
    if (lines.headroomTitle) verdict.title = lines.headroomTitle;
    root.replaceChildren(...[
      el('span', [extra.name, format, context].filter(Boolean).join(' · '), { part: 'headline', class: 'headline' }),
      el('span', `${this._t('total')}: ${total} (${size(r.memory.total_bytes, 'gb')})`, { part: 'total', class: 'total', title: exact }),
      verdict,
      line(lines.context, 'context'),
      line(lines.whatFits, 'what-fits'),
      line(lines.speed, 'speed'),
      el('span', `${this._t('params')}: ${r.params.total_h} (${r.params.short})`, { part: 'params', class: 'verdict' }),
      table,
      menus.length ? controls : null,
    ].filter(Boolean));
  }

  _fail(error) {
    const root = this._root();
    const e = el('span', `${this._t('error')}: ${renderCoreText(this._lang, error.text, error.message)} [${error.code}]`,
      { part: 'error', class: 'error', role: 'alert' });
    // An error keeps the last good result on screen, above the message.
    const old = root.querySelector('.error');
    if (old) old.remove();
    if (!this._result) root.replaceChildren();
    root.append(e);
    this.dispatchEvent(new CustomEvent('gpumem-error', { detail: error, bubbles: true, composed: true }));
  }
}

for (const a of ATTRIBUTES) {
  const prop = a.replace(/-(\w)/g, (_, c) => c.toUpperCase());
  if (a === 'compact') {
    Object.defineProperty(GpumemCalculator.prototype, prop, {
      get() { return this.hasAttribute(a); },
      set(v) { this.toggleAttribute(a, Boolean(v)); },
    });
  } else {
    Object.defineProperty(GpumemCalculator.prototype, prop, {
      get() { return this.getAttribute(a); },
      set(v) { if (v === null || v === undefined) this.removeAttribute(a); else this.setAttribute(a, String(v)); },
    });
  }
}

// Guarded: a page that loads this module twice (two URLs, two copies) still works.
if (!customElements.get(TAG)) customElements.define(TAG, GpumemCalculator);
