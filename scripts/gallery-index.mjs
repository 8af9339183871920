// Writes dist/gallery/index.json: one entry per bundled config (id = file name without .json), with the
// model's name and Hugging Face id from tests/fixtures/truth.json, so the page's gallery can be searched
// without loading every config. Usage: node scripts/gallery-index.mjs <gallery dir>
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2];
const truth = JSON.parse(readFileSync(new URL('../tests/fixtures/truth.json', import.meta.url), 'utf8'));
// truth.json's config paths are resolved by file name (some point into the shared fixture set).
const byFile = new Map(truth.map((t) => [t.config.split('/').pop(), t]));
const entries = readdirSync(dir)
  .filter((f) => f.endsWith('.json') && f !== 'index.json')
  .sort()
  .map((f) => {
    // Some real configs hold Infinity (Python's json), which JSON.parse refuses; the type is all we need.
    const type = readFileSync(join(dir, f), 'utf8').match(/"model_type"\s*:\s*"([^"]*)"/);
    const t = byFile.get(f);
    return {
      id: f.replace(/\.json$/, ''),
      name: t?.model ?? f.replace(/\.json$/, ''),
      hf_id: t?.hf_id ?? '',
      model_type: type ? type[1] : '',
    };
  });
writeFileSync(join(dir, 'index.json'), JSON.stringify(entries));
console.log(`gpumem: gallery index with ${entries.length} configs`);
