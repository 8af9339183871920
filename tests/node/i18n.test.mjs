// The page's strings (web/src/i18n.js): every language has every key, and every step and warning code
// the core emits, over inputs that reach each path, renders in each language without a hole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadWasm } from './wasm.mjs';
import { languages, stepText, warningText } from '../../web/src/i18n.js';

const { call } = await loadWasm();

const keys = (o) => Object.keys(o).sort();

test('every language has the same keys as English', () => {
  const en = languages.en.strings;
  for (const [lang, { strings }] of Object.entries(languages)) {
    for (const part of ['ui', 'decisions', 'steps', 'warnings']) {
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
