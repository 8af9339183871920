// The page, the widget and the CLI send only options the core's schema ({op: "options"}) knows, for the mode
// they send them in: every data-opt control of index.html's two forms, and every key the widget reads
// from its attributes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadWasm } from './wasm.mjs';

const { call } = await loadWasm();
const schema = call({ op: 'options' });
const web = new URL('../../web/', import.meta.url);
const isRow = (name, mode) => schema.options.some((r) => r.name === name && r.modes.includes(mode));

test('the core answers "options" with rows and profiles', () => {
  assert.equal(schema.ok, true, JSON.stringify(schema.error));
  assert.ok(schema.options.length > 20, `only ${schema.options.length} rows`);
  assert.ok(schema.profiles.some((p) => p.name === 'current'), 'no "current" profile');
});

test('every data-opt control of the page is a schema option of its form\'s mode', () => {
  const html = readFileSync(new URL('index.html', web), 'utf8');
  for (const [id, mode] of [['inf-form', 'inference'], ['train-form', 'train']]) {
    const start = html.indexOf(`<form id="${id}"`);
    assert.ok(start >= 0, `no #${id} in index.html`);
    const form = html.slice(start, html.indexOf('</form>', start));
    const names = [...form.matchAll(/data-opt="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(names.length > 10, `${id}: only ${names.length} controls`);
    for (const name of names) assert.ok(isRow(name, mode), `${id}: data-opt="${name}" is not a ${mode} option`);
  }
});

test('every option key the widget sends is a schema option (inference, its default mode)', () => {
  const js = readFileSync(new URL('gpumem-calculator.js', web), 'utf8');
  const body = js.slice(js.indexOf('_options() {'), js.indexOf('async _update()'));
  const keys = [...body.matchAll(/for \(const k of \[([^\]]+)\]\)/g)].flatMap((m) => [...m[1].matchAll(/'([\w-]+)'/g)].map((k) => k[1]));
  assert.ok(keys.length >= 5, `found only ${keys.join(', ')} in the widget's _options()`);
  for (const key of keys) assert.ok(isRow(key, 'inference'), `the widget sends "${key}", not an inference option`);
});

// The CLI's estimate flags are the schema's (cli/main.cpp reads them from {op: "options"}): every flag its
// --help lists under OPTIONS is a row's flag, every row's flag is accepted, and `gpumem options --json` is
// the same schema the wasm module answers.
test('the CLI sends only schema options and lists every one of them', () => {
  const bin = fileURLToPath(new URL('../../build/native/bin/gpumem', import.meta.url));
  const cliSchema = JSON.parse(execFileSync(bin, ['options', '--json'], { encoding: 'utf8' }));
  assert.deepEqual(cliSchema, schema);
  const help = execFileSync(bin, ['--help'], { encoding: 'utf8' });
  const section = help.slice(help.indexOf('OPTIONS'));
  const flags = new Set([...section.matchAll(/^\s+(--[a-z0-9-]+)/gm)].map((m) => m[1]));
  const schemaFlags = new Set(schema.options.map((r) => r.flag));
  for (const f of flags) assert.ok(schemaFlags.has(f), `--help lists ${f}, which no schema row has`);
  for (const f of schemaFlags) if (f !== '--mode') assert.ok(flags.has(f), `--help does not list ${f}`);
  const config = fileURLToPath(new URL('../fixtures/configs/qwen2-0.5b-instruct.json', import.meta.url));
  for (const r of schema.options) {
    const args = ['estimate', config, '--json', '--mode', r.modes.includes('train') && !r.modes.includes('inference') ? 'train' : r.modes[0]];
    if (r.cli === 'value') args.push(r.flag, r.default === null ? (r.type === 'integer' ? '1' : 'x') : String(r.default));
    else args.push(r.flag);
    let out;
    try {
      out = execFileSync(bin, args, { encoding: 'utf8' });
    } catch (e) {
      out = e.stdout;
    }
    const res = JSON.parse(out);
    // Accepted as a flag: either an answer or an error about the option's value or its combination,
    // never "Unknown option".
    assert.ok(res.ok || !/Unknown option/.test(res.error.message), `${r.flag}: ${res.error?.message}`);
  }
});
