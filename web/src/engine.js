// Loads the wasm core and exposes its one JSON façade. No formula lives in JavaScript.
//
// Two modules of the same core (issue 22): gpumem-verdict.wasm holds only what a config → verdict runs (params,
// estimate, fit, gpus, options) and is all the page loads before its first estimate; gpumem.wasm holds every
// operation (the converter, the checkpoint-header parsers, sweep, advise, launch, speed) and loads on first
// use of any of those, or when the page is first idle. Both answer a verdict op byte for byte
// alike (tests/node/verdict.test.mjs).
import createVerdict from '../gpumem-verdict.js';
import { VERDICT_OPS, verdictText } from './verdict-abi.js';

// One tiny call per op right after start-up, so the wasm code paths are compiled before the user's first drop
// (the first call otherwise pays ~100 ms of compilation on a slow machine).
const tiny = JSON.stringify({ model_type: 'llama', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 1,
  num_key_value_heads: 1, intermediate_size: 8, vocab_size: 8, tie_word_embeddings: true });

function warmVerdict(call) {
  // What a drop runs: params, the inference estimate, fit (table and solver), the training estimate and fit.
  call({ op: 'params', config_text: tiny });
  call({ op: 'estimate', config_text: tiny, options: { dtype: 'bf16' } });
  call({ op: 'fit', config_text: tiny, options: { dtype: 'bf16', gpu: 'RTX 4090', solve: 'context' } });
  call({ op: 'estimate', config_text: tiny, options: { dtype: 'bf16', mode: 'train' } });
  call({ op: 'fit', config_text: tiny, options: { dtype: 'bf16', mode: 'train', gpu: 'RTX 4090' } });
}

const idle = (fn) => (typeof requestIdleCallback === 'function' ? requestIdleCallback(fn, { timeout: 1000 }) : setTimeout(fn, 50));

// V8 runs wasm first as baseline code and optimises a function once it has run enough: a few rounds of a
// full-size model's verdict when the page is idle, so a person's first drop runs optimised code (measured in
// npm run bench: the drop median went from 19.8 to 10.1 ms). An 8B-class decoder: 32 layers, GQA, 128k vocabulary.
const sized = JSON.stringify({ model_type: 'llama', num_hidden_layers: 32, hidden_size: 4096, num_attention_heads: 32,
  num_key_value_heads: 8, intermediate_size: 14336, vocab_size: 128256, max_position_embeddings: 8192,
  torch_dtype: 'bfloat16' });
// Resolves when the rounds are done, or stops early once stop() says the full module has started loading (the
// two would only slow each other down).
function warmVerdictIdle(call, stop) {
  return new Promise((resolve) => {
    const run = (round) => {
      if (stop()) return resolve();
      call({ op: 'params', config_text: sized });
      call({ op: 'estimate', config_text: sized, options: { batch: String(1 + (round % 2)) } });
      call({ op: 'fit', config_text: sized, options: { gpu: 'RTX 4090', solve: 'context', batch: String(1 + (round % 2)) } });
      if (round < 12) idle(() => run(round + 1));
      else resolve();
    };
    idle(() => run(0));
  });
}

// The full module's first call of each kind compiles its code paths. The first uses issue 22 times — a
// checkpoint header, the converter — are warmed as the module loads (a first header read paid ~40 ms of
// compilation without it); what follows a verdict (speed, advice, launch, the curve), whose first calls compile
// far more (~300 ms in all), when the page is next idle.
function warmFirstUses(mod) {
  const header = new TextEncoder().encode('{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}');
  const bytes = new Uint8Array(8 + header.length);
  bytes[0] = header.length;
  bytes.set(header, 8);
  mod.handleWithBytes(JSON.stringify({ op: 'inspect', files: [{ name: 'warm-up', size: bytes.length + 4 }] }), bytes);
  mod.handle(JSON.stringify({ op: 'convert', value: '3.14' }));
  return mod;
}

function warmAfterVerdict(mod) {
  const options = { dtype: 'bf16', gpu: 'RTX 4090' };
  for (const op of ['speed', 'advise', 'launch']) mod.handle(JSON.stringify({ op, config_text: tiny, options }));
  mod.handle(JSON.stringify({ op: 'sweep', config_text: tiny, options: { ...options, points: 4, max_context: 64 } }));
}

// What the page shows when the full module did not load (offline, a failed fetch): a code and the sentence in the
// language of `t`, shaped as the core's errors are.
export const fullModuleError = (t, err) => ({
  code: 'module_not_loaded', path: '', message: t('engine.fullFailed', { reason: String(err?.message ?? err) }),
});

let enginePromise = null;

export function loadEngine() {
  if (enginePromise) return enginePromise;
  enginePromise = createVerdict().then((mod) => {
    const text = verdictText(mod);
    const verdict = (request) => JSON.parse(text(JSON.stringify(request)));
    warmVerdict(verdict);
    let full = null;         // the full module once loaded
    let fullPromise = null;
    const warmed = warmVerdictIdle(verdict, () => fullPromise !== null);
    const engine = {
      // request: {op, config_text | config, options}; returns the parsed result object. A verdict op always
      // answers; any other op needs the full module loaded first (await engine.full()).
      call(request) {
        if (VERDICT_OPS.has(request?.op)) return verdict(request);
        if (!full) throw new Error(`gpumem: "${request?.op}" needs the full module: await engine.full() first`);
        return JSON.parse(full.handle(JSON.stringify(request)));
      },
      // The same with binary bytes beside the request (checkpoint file heads for "inspect"): full module only.
      callWithBytes(request, bytes) {
        if (!full) throw new Error('gpumem: "inspect" needs the full module: await engine.full() first');
        return JSON.parse(full.handleWithBytes(JSON.stringify(request), bytes));
      },
      // Whether every op answers now.
      get fullLoaded() {
        return full !== null;
      },
      // Loads the full module once (first use, or prefetch()); resolves to this engine when every op answers.
      full() {
        if (!fullPromise) performance.mark('gpumem:full-start');
        fullPromise ??= import('../gpumem.js')
          .then(({ default: createGpumem }) => createGpumem())
          .then((mod) => {
            // Fetch, compile and instantiate (gpumem:full-load), then the first uses' warm-up: the module is ready
            // for a header or the converter at gpumem:full-ready (npm run bench, e2e/modules.spec.js; ≤ 300 ms).
            performance.measure('gpumem:full-load', 'gpumem:full-start');
            full = warmFirstUses(mod);
            performance.measure('gpumem:full-ready', 'gpumem:full-start');
            idle(() => warmAfterVerdict(mod));
            return engine;
          })
          .catch((err) => {
            fullPromise = null; // a failed load (offline) is tried again on the next use
            throw err;
          });
        return fullPromise;
      },
      // Loads the full module when the browser is idle after the verdict module's warm-up (the page calls it at
      // start-up), so a first use rarely waits.
      prefetch() {
        warmed.then(() => idle(() => engine.full().catch(() => {})));
      },
    };
    return engine;
  });
  return enginePromise;
}
