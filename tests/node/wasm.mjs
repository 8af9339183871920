// Loads the very module the page ships (build/wasm/web/gpumem.js) in Node, with the shims
// Emscripten 3.1.6's ES6 output needs there (see TOOLCHAIN.md).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// GPUMEM_WASM_DIR: another build's web/ folder (a private build directory), else the wasm preset's.
const webDir = process.env.GPUMEM_WASM_DIR ?? join(root, 'build', 'wasm', 'web');

globalThis.require ??= createRequire(import.meta.url);
globalThis.__dirname ??= webDir;

// dir: another build's web/ folder (npm run bench's previous release build).
export async function loadWasm(dir = webDir) {
  const { default: createGpumem } = await import(join(dir, 'gpumem.js'));
  const mod = await createGpumem({ wasmBinary: readFileSync(join(dir, 'gpumem.wasm')) });
  return {
    mod,
    call: (request) => JSON.parse(mod.handle(JSON.stringify(request))),
  };
}

// The page's first module (gpumem-verdict.js: the verdict ops only, C functions instead of Embind), called as
// the page calls it (web/src/verdict-abi.js). call() parses; text() is the result's exact JSON text.
export async function loadVerdict() {
  const { default: createVerdict } = await import(join(webDir, 'gpumem-verdict.js'));
  const mod = await createVerdict({ wasmBinary: readFileSync(join(webDir, 'gpumem-verdict.wasm')) });
  const { verdictText } = await import(join(root, 'web', 'src', 'verdict-abi.js'));
  const text = verdictText(mod);
  return { mod, text, call: (request) => JSON.parse(text(JSON.stringify(request))) };
}

export const readText = (rel) => readFileSync(join(root, 'tests', rel), 'utf8');
export const readJson = (rel) => JSON.parse(readText(rel));
export const configPath = (truthConfig) => `fixtures/configs/${truthConfig.split('/').pop()}`;
