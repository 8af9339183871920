// The bit converter panel (<section id="converter">): one number in fp32, fp16, bf16, e4m3 and e5m2,
// with clickable bits, copy buttons, the error, warnings and the core's step-by-step explanation in
// the chosen language. Every number comes from the wasm façade's "convert" op; this file only builds
// requests and sets text (textContent only).
import { languages, strings, stepText, warningText } from './i18n.js';

const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = String(text);
  return node;
}

// Which field bit i (0 = least significant) of a format belongs to.
function fieldOf(f, i) {
  if (i === f.width - 1) return 'sign';
  return i >= f.man_bits ? 'exponent' : 'mantissa';
}

// The pattern with bit i flipped, as 0x + width/4 hex digits. Integer bit work on the pattern, the
// one piece of arithmetic here; the value it stands for comes back from the core.
function flipped(f, i) {
  const v = (Number.parseInt(f.bits.slice(2), 16) ^ (2 ** i)) >>> 0;
  return `0x${v.toString(16).padStart(f.width / 4, '0')}`;
}

class ConverterPanel {
  constructor(engine) {
    this.engine = engine;
    this.lang = 'en';
    this.result = null;
    this.cards = new Map(); // format -> {root, bits: [buttons], ...}
    this.form = $('conv-form');
    this.input = $('conv-input');
    this.from = $('conv-from');
    this.round = $('conv-round');
    this.e4m3 = $('conv-e4m3');
    this.error = $('conv-error');
    this.status = $('conv-status');
    this.list = $('conv-formats');

    this.form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.runFromForm();
    });
    for (const select of [this.round, this.e4m3]) select.addEventListener('change', () => this.runFromForm());
  }

  request(extra) {
    return { op: 'convert', round: this.round.value, e4m3_overflow: this.e4m3.value, ...extra };
  }

  runFromForm() {
    const text = this.input.value.trim();
    const isBits = /^0x/i.test(text);
    this.run(isBits ? this.request({ bits: text, from: this.from.value }) : this.request({ value: text }));
  }

  run(request) {
    const r = this.engine.call(request);
    if (!r.ok) {
      this.error.textContent = `${r.error.message} [${r.error.code}]`;
      this.error.hidden = false;
      return; // the previous result stays on screen
    }
    this.error.hidden = true;
    this.result = r;
    this.render();
  }

  flip(format, i) {
    const f = this.result.formats.find((x) => x.format === format);
    const bits = flipped(f, i);
    this.input.value = bits;
    this.from.value = format;
    this.run(this.request({ bits, from: format }));
  }

  setLanguage(lang) {
    if (!languages[lang]) return;
    this.lang = lang;
    if (this.result) this.render();
  }

  async copy(text, what) {
    const t = strings(this.lang).ui;
    try {
      await navigator.clipboard.writeText(text);
      this.status.textContent = t.copied(`${what}: ${text}`);
    } catch {
      this.status.textContent = t.copyFailed;
    }
  }

  // One card per format, built once; later results only update text and states, so a flipped bit's
  // button keeps its focus.
  card(f) {
    let c = this.cards.get(f.format);
    if (c) return c;
    const root = el('article', { id: `conv-${f.format}`, class: 'conv-card', 'aria-labelledby': `conv-${f.format}-title` });
    const title = el('h3', { id: `conv-${f.format}-title` });
    const name = el('span', { class: 'conv-name' }, f.format);
    const desc = el('span', { class: 'conv-desc' });
    const role = el('span', { class: 'conv-role' });
    title.append(name, ' ', desc, ' ', role);
    const bitRow = el('div', { class: 'conv-bits', role: 'group' });
    const bits = [];
    for (let i = f.width - 1; i >= 0; i--) {
      const b = el('button', { type: 'button', class: `bit ${fieldOf(f, i)}`, 'data-bit': String(i) });
      b.addEventListener('click', () => this.flip(f.format, i));
      bits.push(b);
      bitRow.append(b);
    }
    const facts = el('dl', { class: 'conv-facts' });
    const row = (cls) => {
      const dt = el('dt');
      const dd = el('dd', { class: cls });
      facts.append(dt, dd);
      return { dt, dd };
    };
    const hex = row('conv-hex');
    const bin = row('conv-bin');
    const value = row('conv-value');
    const error = row('conv-error-value');
    const alt = row('conv-alt');
    const hexText = el('code');
    const binText = el('code');
    const copyHex = el('button', { type: 'button', class: 'copy' });
    const copyBin = el('button', { type: 'button', class: 'copy' });
    copyHex.addEventListener('click', () => this.copy(hexText.textContent, 'hex'));
    copyBin.addEventListener('click', () => this.copy(binText.dataset.plain, 'binary'));
    hex.dd.append(hexText, ' ', copyHex);
    bin.dd.append(binText, ' ', copyBin);
    const warnHead = el('h4');
    const warnings = el('ul', { class: 'conv-warnings' });
    const stepsBox = el('details', { class: 'conv-steps-box', open: '' });
    const stepsHead = el('summary');
    const steps = el('ol', { class: 'steps' });
    stepsBox.append(stepsHead, steps);
    root.append(title, bitRow, facts, warnHead, warnings, stepsBox);
    this.list.append(root);
    c = { root, desc, role, bitRow, bits, hex, bin, value, error, alt, hexText, binText, copyHex, copyBin, warnHead, warnings, stepsHead, steps };
    this.cards.set(f.format, c);
    return c;
  }

  render() {
    const t = strings(this.lang).ui;
    for (const f of this.result.formats) {
      const c = this.card(f);
      c.desc.textContent = f.description;
      c.role.textContent = `(${t.roles[f.role] ?? f.role})`;
      c.root.dataset.role = f.role;
      c.bitRow.setAttribute('aria-label', t.bitsOf(f.format));
      c.bits.forEach((b, k) => {
        const i = f.width - 1 - k;
        const on = f.binary[k] === '1';
        b.textContent = on ? '1' : '0';
        b.setAttribute('aria-pressed', String(on));
        b.setAttribute('aria-label', t.bit(f.format, i, t.fields[fieldOf(f, i)]));
        b.title = t.bit(f.format, i, t.fields[fieldOf(f, i)]);
      });
      c.hex.dt.textContent = t.hex;
      c.hexText.textContent = f.bits;
      c.copyHex.textContent = t.copyHex;
      c.copyHex.setAttribute('aria-label', `${t.copyHex} (${f.format})`);
      c.bin.dt.textContent = t.binary;
      c.binText.textContent = f.fields;
      c.binText.dataset.plain = f.binary;
      c.copyBin.textContent = t.copyBinary;
      c.copyBin.setAttribute('aria-label', `${t.copyBinary} (${f.format})`);
      c.value.dt.textContent = t.value;
      c.value.dd.textContent = f.approx === f.value ? f.value : `${f.value} (≈ ${f.approx})`;
      c.error.dt.textContent = t.error;
      c.error.dd.textContent = f.error ? `${f.error.abs_approx} (${t.relative} ${f.error.rel_approx})` : t.none;
      const a = f.alternative;
      c.alt.dt.textContent = a ? t.alternative[a.round] : '';
      c.alt.dd.textContent = a ? `${a.bits} = ${a.approx}` : '';
      c.alt.dt.hidden = c.alt.dd.hidden = !a;
      c.warnHead.textContent = t.warnings;
      c.warnHead.hidden = f.warnings.length === 0;
      c.warnings.replaceChildren(...f.warnings.map((w) => el('li', { 'data-code': w.code }, warningText(this.lang, w))));
      c.stepsHead.textContent = t.steps;
      c.steps.setAttribute('lang', this.lang === 'zh' ? 'zh-Hans' : 'en');
      c.steps.replaceChildren(...f.steps.map((s) => el('li', { 'data-code': s.code }, stepText(this.lang, s))));
    }
    $('converter').dataset.ready = 'true';
  }
}

// Called by app.js with the page's engine; the page's language switch calls setLanguage.
export function startConverter(engine, lang) {
  const panel = new ConverterPanel(engine);
  panel.lang = lang;
  panel.runFromForm();
  return panel;
}
