// The page's strings (web/src/i18n.js): every language has every key, and every step and warning code
// the core emits, over inputs that reach each path, renders in each language without a hole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasm } from './wasm.mjs';
import { readFileSync, readdirSync } from 'node:fs';
import { languages, loadLanguage, stepText, warningText } from '../../web/src/i18n.js';

// 中文 loads on demand on the page (loadLanguage); here every language, before any test.
await Promise.all(Object.keys(languages).map(loadLanguage));

const { call } = await loadWasm();

const keys = (o) => Object.keys(o).sort();

test('every language has the same keys as English', () => {
  const en = languages.en.strings;
  for (const [lang, { strings }] of Object.entries(languages)) {
    for (const part of ['ui', 'decisions', 'steps', 'warnings', 'page']) {
      assert.deepEqual(keys(strings[part]), keys(en[part]), `${lang}.${part}`);
    }
  }
});

test('every step and warning the core emits renders in every language', () => {
  // Inputs chosen to reach every path: normal, tie, carry, overflow (rne, trunc, saturate), exponent
  // too large, subnormal results, underflow, zero, inf, quiet and signalling NaN, and each widening.
  const requests = [
    ...['3.14', '1.9999', '65520', '1e10', '5.9604644775390625e-8', '1e-8', '-0', 'inf', 'nan', '465', '1e-40'].flatMap(
      (value) => [{ value }, { value, round: 'trunc' }, { value, e4m3_overflow: 'saturate' }]),
    { bits: '0x3f801000' }, { bits: '0x3f803000' }, { bits: '0x7f800001' }, { bits: '0x00000001' },
    ...['0x4248', '0x0001', '0x7c00', '0x7e00', '0x8000'].map((bits) => ({ bits, from: 'fp16' })),
    ...['0x4049', '0x0001', '0x7fc0'].map((bits) => ({ bits, from: 'bf16' })),
    ...['0x7e', '0x01', '0x7f'].map((bits) => ({ bits, from: 'e4m3' })),
    ...['0x7b', '0x7c', '0x7d'].map((bits) => ({ bits, from: 'e5m2' })),
  ];
  const seen = { steps: new Set(), warnings: new Set() };
  for (const req of requests) {
    const r = call({ op: 'convert', ...req });
    assert.equal(r.ok, true, JSON.stringify(req));
    for (const f of r.formats) {
      for (const lang of Object.keys(languages)) {
        for (const s of f.steps) {
          seen.steps.add(s.code);
          const text = stepText(lang, s);
          assert.ok(languages[lang].strings.steps[s.code], `${lang}: no text for step ${s.code}`);
          assert.doesNotMatch(text, /undefined|null|\[object/, `${lang} ${s.code}: ${text}`);
        }
        for (const w of f.warnings) {
          seen.warnings.add(w.code);
          assert.ok(languages[lang].strings.warnings[w.code], `${lang}: no text for warning ${w.code}`);
          assert.doesNotMatch(warningText(lang, w), /undefined|\[object/, `${lang} ${w.code}`);
        }
      }
    }
  }
  // Every code the languages know is reached by some input above, so none is dead text.
  assert.deepEqual([...seen.steps].sort(), keys(languages.en.strings.steps));
  assert.deepEqual([...seen.warnings].sort(), keys(languages.en.strings.warnings));
});

// The page's strings: every key index.html or a page module names exists in every language, every key
// is used somewhere (no dead text), and each renders to non-empty text with sample fields.
const web = new URL('../../web/', import.meta.url);
const html = readFileSync(new URL('index.html', web), 'utf8');
const modules = readdirSync(new URL('src/', web))
  .filter((f) => f.endsWith('.js') && f !== 'i18n.js')
  .map((f) => readFileSync(new URL(`src/${f}`, web), 'utf8'))
  .join('\n');
// Keys built at run time from the core's ids: part.<part id>, compare.explain.<metric>.
const dynamicPrefixes = ['part.', 'compare.explain.', 'speed.bound.'];

test('every page key in index.html exists in every language', () => {
  const named = [
    ...[...html.matchAll(/data-i18n="([^"]+)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/data-i18n-attr="([^"]+)"/g)].flatMap((m) => m[1].split(',').map((p) => p.split('=')[1])),
  ];
  assert.ok(named.length > 100, `only ${named.length} keys in index.html`);
  for (const [lang, { strings }] of Object.entries(languages))
    for (const key of named) assert.equal(typeof strings.page[key], 'string', `${lang}: ${key} (index.html) is not a plain string`);
});

test('every page key is used by index.html or a page module, and renders in every language', () => {
  const fields = new Proxy({}, { get: (_, k) => (typeof k === 'string' ? `<${k}>` : undefined) });
  for (const key of Object.keys(languages.en.strings.page)) {
    const used = html.includes(`"${key}"`) || html.includes(`=${key}`) || modules.includes(`'${key}'`) ||
      dynamicPrefixes.some((p) => key.startsWith(p));
    assert.ok(used, `${key} is never used`);
    for (const [lang, { strings }] of Object.entries(languages)) {
      const v = strings.page[key];
      const text = typeof v === 'function' ? v(fields) : v;
      assert.ok(typeof text === 'string' && text.trim().length > 0, `${lang}: ${key} is empty`);
      assert.doesNotMatch(text, /undefined|\[object/, `${lang}: ${key}`);
    }
  }
  // The dynamic keys cover the core's part ids and the comparison's metrics.
  for (const id of ['weights', 'kv_cache', 'workspace', 'logits', 'runtime_overhead', 'gradients', 'optimizer_states', 'activations'])
    assert.ok(languages.en.strings.page[`part.${id}`], `part.${id}`);
  // The speed op's "bound" values (core/src/memory/speed.cpp, Parts::bound).
  for (const bound of ['memory', 'compute', 'interconnect', 'cpu']) assert.ok(languages.en.strings.page[`speed.bound.${bound}`], bound);
  for (const metric of [...html.matchAll(/<option value="([\w-]+)" data-i18n="compare\.metric\./g)].map((m) => m[1]))
    assert.ok(languages.en.strings.page[`compare.explain.${{ 'nvidia-smi': 'smi' }[metric] ?? metric}`], metric);
});

test('the Chinese page strings are translated, not copied from English', () => {
  const names = new Set(['engine.hf']); // a product's name reads the same in both
  const same = Object.keys(languages.en.strings.page).filter((k) => {
    if (names.has(k)) return false;
    const en = languages.en.strings.page[k];
    const zh = languages.zh.strings.page[k];
    return typeof en === 'string' && en === zh && /[a-z]{4,}\s+[a-z]{3,}/i.test(en); // a phrase, not a name
  });
  assert.deepEqual(same, []);
});
