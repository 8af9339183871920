// Training-memory controls: every change re-runs the core's "estimate" with mode "train" on the last
// config the page read (app.js announces it with a gpumem:config event). No formula lives here.
import { loadEngine } from './engine.js';
import { commas, el, fillRows } from './dom.js';

const $ = (id) => document.getElementById(id);

// Control id → request option (snake_case, as on the CLI).
const controls = {
  'train-precision': 'precision',
  'train-engine': 'engine',
  'train-optimizer': 'optimizer',
  'train-lora-rank': 'lora_rank',
  'train-lora-targets': 'lora_targets',
  'train-quant': 'quant',
  'train-batch': 'batch',
  'train-seq': 'seq',
  'train-grad-accum': 'grad_accum',
  'train-checkpointing': 'checkpointing',
  'train-attention': 'attention',
  'train-zero': 'zero',
  'train-gpus': 'gpus',
  'train-offload': 'offload',
  'train-measure': 'measure',
  'train-context': 'cuda_context_mib',
};

function options() {
  const o = { mode: 'train' };
  for (const [id, key] of Object.entries(controls)) o[key] = $(id).value;
  o.double_quant = $('train-double-quant').checked;
  if (o.lora_rank === '0' || o.lora_rank === '') delete o.lora_targets;
  return o;
}

function render(r) {
  const m = r.memory;
  $('train-totals').textContent =
    `Safe total ${m.gib_h} (${commas(m.total_bytes)} bytes), typical peak ${m.typical_peak_gib_h}; ${m.measurement}.` +
    (m.cpu_bytes ? ` CPU RAM for offloaded states: ${commas(m.cpu_bytes)} bytes.` : '');
  const t = r.training;
  $('train-recipe').textContent = `${t.recipe}. ${t.bytes_per_param}`.trim();
  fillRows($('train-parts').tBodies[0], m.parts.map((p) => [p.id, commas(p.bytes), p.gib_h, p.formula]));
}

async function main() {
  const engine = await loadEngine();
  let configText = null;
  const run = () => {
    if (configText === null) return;
    const r = engine.call({ op: 'estimate', config_text: configText, options: options() });
    $('training').hidden = false;
    if (r.ok) {
      $('train-error').hidden = true;
      render(r);
    } else {
      $('train-error').replaceChildren(el('span', r.error.message));
      $('train-error').hidden = false;
    }
  };
  document.addEventListener('gpumem:config', (e) => {
    configText = e.detail;
    run();
  });
  $('train-form').addEventListener('input', run);
  $('train-form').addEventListener('change', run);
}

main();
