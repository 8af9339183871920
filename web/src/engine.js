// Loads the wasm core once and exposes its one JSON façade. No formula lives in JavaScript.
import createGpumem from '../gpumem.js';

let modulePromise = null;

// One tiny call per kind right after start-up, so the wasm code paths are compiled before the user's
// first drop (the first call otherwise pays ~100 ms of compilation on a slow machine).
function warmUp(mod) {
  const header = new TextEncoder().encode('{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}');
  const bytes = new Uint8Array(8 + header.length);
  bytes[0] = header.length;
  bytes.set(header, 8);
  mod.handleWithBytes(JSON.stringify({ op: 'inspect', files: [{ name: 'warm-up', size: bytes.length + 4 }] }), bytes);
  const tiny = JSON.stringify({ model_type: 'llama', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 1,
    num_key_value_heads: 1, intermediate_size: 8, vocab_size: 8, tie_word_embeddings: true });
  // What a drop runs: params, the inference estimate, fit (table and solver), the training estimate and
  // the training fit.
  mod.handle(JSON.stringify({ op: 'params', config_text: tiny }));
  mod.handle(JSON.stringify({ op: 'estimate', config_text: tiny, options: { dtype: 'bf16' } }));
  mod.handle(JSON.stringify({ op: 'fit', config_text: tiny, options: { dtype: 'bf16', gpu: 'RTX 4090', solve: 'context' } }));
  mod.handle(JSON.stringify({ op: 'estimate', config_text: tiny, options: { dtype: 'bf16', mode: 'train' } }));
  mod.handle(JSON.stringify({ op: 'fit', config_text: tiny, options: { dtype: 'bf16', mode: 'train', gpu: 'RTX 4090' } }));
  return mod;
}

export function loadEngine() {
  if (!modulePromise) modulePromise = createGpumem().then(warmUp);
  return modulePromise.then((mod) => ({
    // request: {op, config_text | config, options}; returns the parsed result object.
    call(request) {
      return JSON.parse(mod.handle(JSON.stringify(request)));
    },
    // The same with binary bytes beside the request (checkpoint file heads for "inspect").
    callWithBytes(request, bytes) {
      return JSON.parse(mod.handleWithBytes(JSON.stringify(request), bytes));
    },
  }));
}
