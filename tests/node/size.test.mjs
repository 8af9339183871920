// The first-load size budget (issue 22: ≤ 128 KB gzipped, for the page and for the widget). Bytes are
// deterministic, so this is a test; until the goal is met each budget is the measured figure + 5%
// (bench/size-budget.json says why), so any growth fails here and has to be argued for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLoad } from '../../scripts/first-load.mjs';
import { root } from './wasm.mjs';

const budget = JSON.parse(readFileSync(join(root, 'bench', 'size-budget.json'), 'utf8'));

for (const [what, entry, must] of [
  ['page', 'index.html', ['src/app.js', 'gpumem-verdict.wasm']],
  ['widget', 'gpumem-calculator.js', ['src/engine.js', 'gpumem-verdict.wasm']],
]) {
  test(`first load of the ${what} (gzip) stays within the size budget, without the full module`, () => {
    const load = firstLoad(join(root, 'dist'), entry);
    const names = load.files.map((f) => f.path);
    for (const name of must) assert.ok(names.includes(name), `${what}: ${name} not among ${names}`);
    // The full module, the converter, the comparison, the exports and 中文 load on first use.
    for (const later of ['gpumem.wasm', 'gpumem.js', 'src/converter.js', 'src/compare.js', 'src/export.js', 'src/i18n-zh.js', 'src/core-text-zh.js'])
      assert.ok(!names.includes(later), `${what}: ${later} is loaded before the first estimate`);
    const max = budget[what].max_gzip_bytes;
    console.log(`${what} first load: ${load.gzip} bytes gzip (${load.files.length} files); budget ${max}, goal ${budget.goal_gzip_bytes}`);
    assert.ok(load.gzip <= max, `${what}: ${load.gzip} > ${max} bytes gzip`);
  });
}
