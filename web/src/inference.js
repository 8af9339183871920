// The inference section: engine, dtype, quantization, KV dtype, batch, context, prompt, beams, tensor
// parallelism and a GPU; renders the parts (each with its formula), the fits-on table and the largest
// context that fits. All numbers come from the core ("estimate" and "fit"); text goes in via textContent.
import { commas, el, fillRows } from './dom.js';

const $ = (id) => document.getElementById(id);
const NUMBERS = ['batch', 'context', 'prompt', 'beams', 'tp'];

function options() {
  const o = {
    mode: 'inference',
    engine: $('inf-engine').value,
    dtype: $('inf-dtype').value,
    quant: $('inf-quant').value,
    kv_dtype: $('inf-kv').value,
  };
  for (const k of NUMBERS) {
    const v = $(`inf-${k}`).value.trim();
    if (v !== '') o[k] = v;
  }
  if ($('inf-double-quant').checked) o.double_quant = true;
  return o;
}

function showError(error) {
  $('inf-error').textContent = `${error.message}${error.path ? ` (at ${error.path})` : ''} [${error.code}]`;
  $('inf-error').hidden = false;
}

export function initInference(engine, getConfigText) {
  const gpus = engine.call({ op: 'gpus' });
  if (gpus.ok) $('inf-gpu').replaceChildren(...gpus.gpus.map((g) => el('option', `${g.name} (${g.gib_h})`, { value: g.name })));
  $('inf-gpu').value = 'RTX 4090';

  const update = () => {
    const text = getConfigText();
    if (text === null) return;
    $('inference').hidden = false;
    const o = options();
    const r = engine.call({ op: 'estimate', config_text: text, options: o });
    if (!r.ok) {
      showError(r.error);
      return;
    }
    $('inf-error').hidden = true;
    fillRows($('inf-parts').tBodies[0], r.memory.parts.map((p) => [p.id, commas(p.bytes), p.gib_h, p.formula]));
    $('inf-total').textContent = `${r.memory.gib_h} (${commas(r.memory.total_bytes)} bytes${r.per_device ? ' per GPU' : ''})`;
    $('inf-cpu').textContent = r.cpu.bytes > 0 ? `CPU RAM: ${r.cpu.gib_h}` : '';
    const fit = engine.call({ op: 'fit', config_text: text, options: { ...o, gpu: $('inf-gpu').value, solve: 'context' } });
    if (!fit.ok) {
      showError(fit.error);
      return;
    }
    $('inf-max').textContent =
      fit.max_context > 0
        ? `Largest context on ${fit.gpu}: ${commas(fit.max_context)} tokens per sequence (binding term: ${fit.binding}).`
        : `Does not fit on ${fit.gpu} at any context: ${fit.message}`;
    fillRows(
      $('inf-fits').tBodies[0],
      fit.table.map((row) => [
        row.gpu,
        row.usable.gib_h,
        row.fits ? 'fits' : 'does not fit',
        `${(row.headroom_bytes / 2 ** 30).toFixed(2)} GiB`,
        row.gpus_needed > 0 ? row.gpus_needed : 'more than 64',
      ]),
    );
  };
  $('inf-form').addEventListener('change', update);
  $('inf-form').addEventListener('submit', (e) => {
    e.preventDefault();
    update();
  });
  return update;
}
