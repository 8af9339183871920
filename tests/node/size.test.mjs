// The first-load size budget (issue: ≤ 80 KB gzipped). Bytes are deterministic, so this is a test;
// until the goal is met the budget is the measured figure + 5% (bench/size-budget.json says why), so
// any growth fails here and has to be argued for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { firstLoad } from '../../scripts/first-load.mjs';
import { root } from './wasm.mjs';

test('first load (gzip) stays within the size budget', () => {
  const budget = JSON.parse(readFileSync(join(root, 'bench', 'size-budget.json'), 'utf8'));
  const load = firstLoad(join(root, 'dist'));
  const names = load.files.map((f) => f.path);
  assert.ok(names.includes('gpumem.wasm') && names.includes('src/app.js'), `first load found: ${names}`);
  console.log(`first load: ${load.gzip} bytes gzip (${load.files.length} files); budget ${budget.max_gzip_bytes}`);
  assert.ok(load.gzip <= budget.max_gzip_bytes, `${load.gzip} > ${budget.max_gzip_bytes} bytes gzip`);
});
