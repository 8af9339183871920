// The first module's C functions (wasm/verdict.cpp) as one call: the request's UTF-8 goes into memory from
// malloc, the result is read back from the module's memory (valid until the next call) and returned as text.
// engine.js and the Node tests (tests/node/verdict.test.mjs) call the module through this.
// The ops the first module answers (core api.cpp, kVerdictOps); engine.js sends every other op to the full module.
// tests/node/verdict.test.mjs checks the module names exactly these.
export const VERDICT_OPS = new Set(['params', 'estimate', 'fit', 'gpus', 'options']);

export function verdictText(mod) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return (requestJson) => {
    const bytes = encoder.encode(requestJson);
    const at = mod._malloc(Math.max(1, bytes.length));
    try {
      mod.HEAPU8.set(bytes, at);
      const out = mod._gpumem_verdict(at, bytes.length);
      return decoder.decode(mod.HEAPU8.subarray(out, out + mod._gpumem_result_length()));
    } finally {
      mod._free(at);
    }
  };
}
