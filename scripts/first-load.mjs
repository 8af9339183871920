// What the page (or the widget) downloads before its first estimate: index.html and everything it references
// (stylesheets, module scripts and their static imports, the wasm module the engine loads), with each
// file's gzip -9 size — what a static host serving compressed files sends.
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

// entry: the page (index.html) or the widget's module (gpumem-calculator.js), relative to dist.
export function firstLoad(dist, entry = 'index.html') {
  const seen = new Set();
  const files = [];
  const visit = (rel) => {
    const path = normalize(rel);
    if (seen.has(path) || !existsSync(join(dist, path))) return;
    seen.add(path);
    const body = readFileSync(join(dist, path));
    files.push({ path, bytes: body.length, gzip: gzipSync(body, { level: 9 }).length });
    const text = path.endsWith('.wasm') ? '' : body.toString('utf8');
    const refs = [
      ...text.matchAll(/(?:href|src)="([^"#:]+)"/g),                 // html
      // js modules: static imports only (import('./x') loads on first use, after the first estimate)
      ...text.matchAll(/(?:\bfrom\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g),
      ...text.matchAll(/new URL\(\s*['"](\.{1,2}\/[^'"`$]+)['"]\s*,\s*import\.meta\.url/g), // fetched at start
      ...text.matchAll(/['"]([\w-]+\.wasm)['"]/g),                   // the emscripten loader's wasm
    ].map((m) => m[1]);
    for (const r of refs) visit(join(path.endsWith('.html') ? '' : dirname(path), r));
  };
  visit(entry);
  return { files, gzip: files.reduce((n, f) => n + f.gzip, 0), bytes: files.reduce((n, f) => n + f.bytes, 0) };
}
