// The gallery (tests/fixtures/configs, named in truth.json): every bundled config has a truth entry with its
// Hugging Face id as typed on the Hub, and scripts/gallery-index.mjs indexes them all with that id.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, copyFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, readJson } from './wasm.mjs';

const configs = join(root, 'tests', 'fixtures', 'configs');
const truth = readJson('fixtures/truth.json');
// "org/name" as huggingface_hub's validate_repo_id accepts it: letters, digits, '-', '_', '.', not at either
// end of a part, no '--' or '..'.
const PART = '[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?';
const HUB_ID = new RegExp(`^${PART}/${PART}$`);

test('every truth.json entry names a Hub id as typed on the Hub', () => {
  for (const t of truth) {
    assert.match(t.hf_id ?? '', HUB_ID, `${t.config}: hf_id "${t.hf_id}"`);
    assert.ok(!t.hf_id.includes('--') && !t.hf_id.includes('..'), t.hf_id);
  }
  const ids = truth.map((t) => t.hf_id);
  assert.equal(new Set(ids).size, ids.length, 'one entry per Hub id');
});

test('the gallery index lists every bundled config with its name and Hub id', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpumem-gallery-'));
  try {
    const files = readdirSync(configs).filter((f) => f.endsWith('.json'));
    for (const f of files) copyFileSync(join(configs, f), join(dir, f));
    execFileSync(process.execPath, [join(root, 'scripts', 'gallery-index.mjs'), dir], { stdio: 'pipe' });
    const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8'));
    assert.equal(index.length, files.length);
    const byFile = new Map(truth.map((t) => [t.config.split('/').pop(), t]));
    for (const e of index) {
      const t = byFile.get(`${e.id}.json`);
      assert.ok(t, `${e.id}.json has no truth.json entry`);
      assert.equal(e.hf_id, t.hf_id, e.id);
      assert.equal(e.name, t.model, e.id);
      assert.ok(e.model_type, `${e.id}: no model_type`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
