// <gpumem-calculator>: the calculator as one custom element for documentation sites. Shadow DOM keeps
// host styles out and its own in; styles come from a constructed stylesheet (no inline <style>, so a
// strict CSP needs nothing more than script-src 'self' 'wasm-unsafe-eval'). The wasm module is found
// relative to this file's URL, so the folder can be served from any path or CDN.
//
// Attributes (properties mirror them): config-url, config, gallery, mode, dtype, engine, context, batch,
// gpu, lang (en|zh), theme (light|dark|auto), compact. Events: gpumem-estimate {detail: result},
// gpumem-error {detail: error}. Looks: --gpumem-bg, --gpumem-fg, --gpumem-muted, --gpumem-accent,
// --gpumem-border, --gpumem-font, --gpumem-radius; parts: root, headline, total, verdict, table, error, controls.
import { loadEngine } from './src/engine.js';
import { el, fillRows } from './src/dom.js';

const TAG = 'gpumem-calculator';
const ATTRS = ['config-url', 'config', 'gallery', 'mode', 'dtype', 'engine', 'context', 'batch', 'gpu', 'lang', 'theme', 'compact'];
const STRINGS = {
  en: { loading: 'Loading…', total: 'Total', part: 'part', memory: 'memory', fits: 'fits on', nofit: 'does not fit on',
    context: 'context', dtype: 'dtype', params: 'parameters', error: 'Error' },
  zh: { loading: '加载中…', total: '合计', part: '部分', memory: '显存', fits: '可运行于', nofit: '无法运行于',
    context: '上下文', dtype: '精度', params: '参数', error: '错误' },
};

const sheet = new CSSStyleSheet();
sheet.replaceSync(`
:host { all: initial !important; display: block !important; contain: content;
  --_bg: var(--gpumem-bg, #fff); --_fg: var(--gpumem-fg, #1b1f24); --_muted: var(--gpumem-muted, #57606a);
  --_accent: var(--gpumem-accent, #0b5cad); --_border: var(--gpumem-border, #d0d7de);
  font: 14px/1.45 var(--gpumem-font, system-ui, -apple-system, "Segoe UI", "Noto Sans", sans-serif) !important;
  color: var(--_fg) !important; }
:host([hidden]) { display: none !important; }
:host([theme="dark"]) { --_bg: var(--gpumem-bg, #0d1117); --_fg: var(--gpumem-fg, #e6edf3); --_muted: var(--gpumem-muted, #9198a1);
  --_accent: var(--gpumem-accent, #58a6ff); --_border: var(--gpumem-border, #30363d); }
@media (prefers-color-scheme: dark) { :host(:not([theme="light"])) { --_bg: var(--gpumem-bg, #0d1117); --_fg: var(--gpumem-fg, #e6edf3);
  --_muted: var(--gpumem-muted, #9198a1); --_accent: var(--gpumem-accent, #58a6ff); --_border: var(--gpumem-border, #30363d); } }
.root { display: block; background: var(--_bg); color: var(--_fg); border: 1px solid var(--_border);
  border-radius: var(--gpumem-radius, 8px); padding: 12px 14px; }
.headline { display: block; font-weight: 600; }
.total { font-size: 1.3em; }
.verdict { display: block; color: var(--_muted); }
.error { display: block; color: #b3261e; font-weight: 600; }
table { border-collapse: collapse; margin-top: 8px; width: 100%; }
th, td { display: table-cell; text-align: left; padding: 2px 8px 2px 0; border-bottom: 1px solid var(--_border); font-variant-numeric: tabular-nums; }
tr { display: table-row; } tbody { display: table-row-group; } thead { display: table-header-group; }
td:last-child, th:last-child { text-align: right; }
.controls { display: flex; gap: 8px; margin-top: 8px; flex-wrap: wrap; }
label { display: inline-flex; gap: 4px; align-items: center; color: var(--_muted); }
select, input { font: inherit; color: var(--_fg); background: var(--_bg); border: 1px solid var(--_border); border-radius: 4px; }
:host([compact]) .root { padding: 6px 10px; }
`);

class GpumemCalculator extends HTMLElement {
  static get observedAttributes() { return ATTRS; }

  constructor() {
    super();
    this.attachShadow({ mode: 'open' });
    this.shadowRoot.adoptedStyleSheets = [sheet];
    this._configText = null;
    this._loaded = null; // which source _configText came from
    this._pending = false;
  }

  connectedCallback() { this._schedule(); }
  attributeChangedCallback() { if (this.isConnected) this._schedule(); }

  _t(key) { return (STRINGS[this.getAttribute('lang')] || STRINGS.en)[key]; }

  _schedule() {
    if (this._pending) return;
    this._pending = true;
    queueMicrotask(() => {
      this._pending = false;
      this._update().catch((e) => this._fail({ code: 'internal_error', path: '', message: String(e && e.message ? e.message : e) }));
    });
  }

  // The config text, from the attribute that names it. config-url is the only network request.
  async _source() {
    const inline = this.getAttribute('config');
    if (inline) return { key: `inline:${inline}`, text: () => inline };
    const url = this.getAttribute('config-url');
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
    const id = this.getAttribute('gallery');
    if (id) {
      if (!/^[\w.-]+$/.test(id)) throw { code: 'bad_request', path: '', message: `gallery="${id}" is not a gallery id.` };
      const url = new URL(`./gallery/${id}.json`, import.meta.url);
      return { key: `gallery:${id}`, text: async () => {
        const res = await fetch(url);
        if (!res.ok) throw { code: 'unknown_gallery_id', path: '', message: `No bundled model "${id}"; see the gallery for ids.` };
        return res.text();
      } };
    }
    throw { code: 'bad_request', path: '', message: 'Give the widget a config: config-url, config or gallery.' };
  }

  _options() {
    const o = {};
    for (const k of ['mode', 'dtype', 'engine', 'gpu']) if (this.getAttribute(k)) o[k] = this.getAttribute(k);
    for (const k of ['context', 'batch']) {
      const v = this.getAttribute(k);
      if (v) o[k] = Number(v);
    }
    return o;
  }

  async _update() {
    const root = this._root();
    if (!this._result) root.replaceChildren(el('span', this._t('loading')));
    let src;
    try {
      src = await this._source();
      if (this._loaded !== src.key) {
        this._configText = await src.text();
        this._loaded = src.key;
      }
    } catch (err) {
      this._fail(err);
      return;
    }
    const engine = await loadEngine();
    const options = this._options();
    const r = engine.call({ op: 'estimate', config_text: this._configText, options });
    if (!r.ok) {
      this._fail(r.error);
      return;
    }
    let verdict = null;
    if (options.gpu) {
      const f = engine.call({ op: 'fit', config_text: this._configText, options });
      const row = f.ok && Array.isArray(f.table) ? f.table.find((g) => g.gpu === options.gpu) : null;
      verdict = f.ok ? (row ? row.fits : null) : null;
    }
    this._render(r, verdict);
    this.dispatchEvent(new CustomEvent('gpumem-estimate', { detail: r, bubbles: true, composed: true }));
  }

  _root() {
    let root = this.shadowRoot.querySelector('.root');
    if (!root) {
      root = el('div', undefined, { class: 'root', part: 'root' });
      this.shadowRoot.append(root);
    }
    return root;
  }

  _render(r, fits) {
    this._result = r;
    const root = this._root();
    const name = r.model && (r.model.name || r.model.model_type);
    const context = this.getAttribute('context');
    const bits = [name, r.dtype, context ? `${context} ${this._t('context')}` : null].filter(Boolean).join(' · ');
    const gpu = this.getAttribute('gpu');
    const verdictText = gpu && fits !== null ? `${fits ? this._t('fits') : this._t('nofit')} ${gpu}` : '';
    if (this.hasAttribute('compact')) {
      root.replaceChildren(el('span', `${bits}: ${r.memory.gib_h}${verdictText ? ` — ${verdictText}` : ''}`, { part: 'headline', class: 'headline' }));
      return;
    }
    const table = el('table', undefined, { part: 'table' });
    table.append(el('thead'), el('tbody'));
    table.tHead.append(el('tr'));
    table.tHead.rows[0].append(el('th', this._t('part'), { scope: 'col' }), el('th', this._t('memory'), { scope: 'col' }));
    fillRows(table.tBodies[0], r.memory.parts.map((p) => [p.id, p.gib_h]));
    const dtype = el('select', undefined, { 'aria-label': this._t('dtype') });
    for (const d of ['fp32', 'fp16', 'bf16', 'int8', 'int4']) {
      const o = el('option', d, { value: d });
      if (d === r.dtype) o.selected = true;
      dtype.append(o);
    }
    // Controls are user actions: they set attributes, which recompute and fire gpumem-estimate.
    dtype.addEventListener('change', () => this.setAttribute('dtype', dtype.value));
    const label = el('label', this._t('dtype'));
    label.append(dtype);
    const controls = el('div', undefined, { class: 'controls', part: 'controls' });
    controls.append(label);
    root.replaceChildren(
      el('span', bits, { part: 'headline', class: 'headline' }),
      el('span', `${this._t('total')}: ${r.memory.gib_h} (${r.memory.gb_h})`, { part: 'total', class: 'total' }),
      el('span', verdictText, { part: 'verdict', class: 'verdict' }),
      el('span', `${this._t('params')}: ${r.params.total_h} (${r.params.short})`, { class: 'verdict' }),
      table,
      controls,
    );
  }

  _fail(error) {
    const root = this._root();
    const e = el('span', `${this._t('error')}: ${error.message} [${error.code}]`, { part: 'error', class: 'error', role: 'alert' });
    // An error keeps the last good result on screen, above the message.
    const old = root.querySelector('.error');
    if (old) old.remove();
    if (!this._result) root.replaceChildren();
    root.append(e);
    this.dispatchEvent(new CustomEvent('gpumem-error', { detail: error, bubbles: true, composed: true }));
  }
}

for (const a of ATTRS) {
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
