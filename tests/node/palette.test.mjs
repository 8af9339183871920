// The part colours have one source, web/src/palette.js (the page's bar and legend, the widget); the page's
// stylesheet names the same colours as --c0…--c11 for its SVG and swatches and must not drift from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PALETTE, partColour } from '../../web/src/palette.js';

test('styles.css --c0…--c11 are palette.js PALETTE, and every part colour is a palette index', () => {
  const css = readFileSync(new URL('../../web/styles.css', import.meta.url), 'utf8');
  const vars = Object.fromEntries([...css.matchAll(/--c(\d+):\s*(#[0-9a-f]{6})/gi)].map((m) => [Number(m[1]), m[2].toLowerCase()]));
  assert.deepEqual(PALETTE.map((_, i) => vars[i]), PALETTE.map((c) => c.toLowerCase()));
  for (const id of ['weights', 'kv_cache', 'runtime_overhead', 'no_such_part']) assert.ok(PALETTE[Number(partColour(id))], id);
});
