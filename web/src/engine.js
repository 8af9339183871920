// Loads the wasm core once and exposes its one JSON façade. No formula lives in JavaScript.
import createGpumem from '../gpumem.js';

let modulePromise = null;

export function loadEngine() {
  if (!modulePromise) modulePromise = createGpumem();
  return modulePromise.then((mod) => ({
    // request: {op, config_text | config, options}; returns the parsed result object.
    call(request) {
      return JSON.parse(mod.handle(JSON.stringify(request)));
    },
  }));
}
