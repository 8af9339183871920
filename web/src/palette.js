// The part colours, for the page and the widget: one colour per part id of the core's vocabulary, in every
// view (bar, legend, table, verdict card, widget). An id this list does not know yet takes the grey (9).
// The page's stylesheet names the same colours --c0…--c11 (tests/node/palette.test.mjs keeps them equal).
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#9c755f',
  '#ff9da7', '#bab0ac', '#86bcb6', '#d37295'];

const PART_COLOURS = {
  weights: 0, kv_cache: 1, activations: 2, workspace: 3, gradients: 4, optimizer_states: 5, master_weights: 6,
  runtime_overhead: 7, logits: 8, buffers: 9, cuda_graphs: 10, adapters: 11, kv_cache_previous: 1, previous_outputs: 2,
};
// The palette index of a part, as a string (a data-c attribute).
export const partColour = (id) => String(PART_COLOURS[id] ?? 9);
