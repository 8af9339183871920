// The page: reads the dropped/picked/pasted file, passes its text to the engine, renders the result.
// Everything that came from a file is set with textContent; nothing is sent anywhere.
import { loadEngine } from './engine.js';
import { commas, el, fillRows } from './dom.js';
import { inspectFiles, isCheckpoint, renderInventory } from './checkpoint.js';
import { embedSnippets } from './snippets.js';
import { initInference } from './inference.js';

const $ = (id) => document.getElementById(id);

function showError(error) {
  const where = error.line ? ` (line ${error.line}, column ${error.column})` : error.path ? ` (at ${error.path})` : '';
  $('error').textContent = `${error.message}${where} [${error.code}]`;
  $('error').hidden = false;
}

function render(name, r) {
  $('error').hidden = true;
  $('source-name').textContent = name;
  const m = r.model;
  const facts = [
    ['model_type', m.model_type],
    ['layout', m.family],
    ['layers', m.n_layer],
    ['hidden size', m.n_embd],
    ['attention heads', m.n_head],
    ['KV heads', m.n_head_kv],
    ['head dim', m.n_embd_head],
    ['MLP size', m.n_ff],
    ['vocabulary', m.n_vocab],
    ['tied embeddings', m.tied_embeddings ? 'yes' : 'no'],
  ];
  if (m.wrapper_type) facts.splice(1, 0, ['multimodal config', m.wrapper_type]);
  if (m.attn_layout === 'mla') facts.push(['latent attention (MLA)', `kv_lora_rank ${m.n_lora_kv}, rope dim ${m.n_rot}`]);
  if (m.n_expert) facts.push(['experts', `${m.n_expert} routed, ${m.n_expert_used} per token, ${m.n_layer_moe} MoE layers`]);
  if (m.n_layer_sliding) facts.push(['sliding-window layers', `${m.n_layer_sliding} (window ${m.sliding_window})`]);
  if (m.n_layer_ssm) facts.push(['Mamba layers', m.n_layer_ssm]);
  if (m.n_layer_enc) facts.push(['encoder layers', m.n_layer_enc]);
  $('model-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', k), el('dd', v)]));
  $('params-total').textContent = r.params.total_h;
  $('params-short').textContent = r.params.short;
  fillRows($('weights').tBodies[0], r.weights_by_dtype.map((w) => [w.dtype, commas(w.bytes), w.gib_h, w.gb_h]));
  const p = r.params;
  $('params-active-line').hidden = p.active === undefined;
  $('params-active').textContent = p.active_h ?? '';
  $('params-active-short').textContent = p.active_short ?? '';
  $('params-mtp-line').hidden = p.mtp === undefined;
  $('params-mtp').textContent = p.mtp ? `${p.mtp.total_h} (${p.mtp.short})` : '';
  const share = (n) => `${((100 * n) / p.total).toFixed(2)} %`;
  fillRows(
    $('groups').tBodies[0],
    Object.entries(p.groups)
      .filter(([, n]) => n > 0)
      .map(([g, n]) => [g, commas(n), share(n)]),
  );
  $('layers-box').hidden = p.layers.length < 2;
  fillRows($('layer-kinds').tBodies[0], p.layer_kinds.map((k) => [k.kind, k.count, k.params_h, k.layers]));
  $('assumptions').replaceChildren(...r.assumptions.map((a) => el('li', a.message)));
  $('assumptions-box').hidden = r.assumptions.length === 0;
  $('result').hidden = false;
}

async function main() {
  const engine = await loadEngine();
  $('status').textContent = 'Ready. Drop a config.json.';
  document.body.dataset.ready = 'true';
  performance.mark('gpumem:ready');

  // The last config that was read: checkpoint headers dropped later are compared with it.
  let configText = null;
  const updateInference = initInference(engine, () => configText);
  const run = (name, text) => {
    performance.mark('gpumem:estimate-start');
    const r = engine.call({ op: 'params', config_text: text });
    if (r.ok) {
      configText = text;
      render(name, r);
      updateInference();
      document.dispatchEvent(new CustomEvent('gpumem:config', { detail: text }));
      const snippets = embedSnippets(text);
      $('embed-element').textContent = snippets.element;
      $('embed-iframe').textContent = snippets.iframe;
      performance.measure('gpumem:estimate', 'gpumem:estimate-start');
    } else {
      showError(r.error); // the previous result stays on screen
    }
  };
  // Several files may arrive together: config.json plus shards, an index or a GGUF.
  const runFiles = async (fileList) => {
    const files = [...fileList];
    const checkpoints = files.filter(isCheckpoint);
    for (const f of files.filter((x) => !isCheckpoint(x))) run(f.name, await f.text());
    if (checkpoints.length === 0) return;
    performance.mark('gpumem:inspect-start');
    const r = await inspectFiles(engine, checkpoints, configText);
    if (r.ok) {
      $('error').hidden = true;
      renderInventory(r);
      performance.measure('gpumem:inspect', 'gpumem:inspect-start');
    } else {
      showError(r.error);
    }
  };

  $('file').addEventListener('change', (e) => {
    if (e.target.files.length) runFiles(e.target.files);
    e.target.value = '';
  });
  for (const which of ['element', 'iframe'])
    $(`copy-embed-${which}`).addEventListener('click', () => navigator.clipboard.writeText($(`embed-${which}`).textContent));
  $('paste-go').addEventListener('click', () => run('pasted text', $('paste').value));
  document.addEventListener('dragover', (e) => {
    e.preventDefault();
    $('dropzone').classList.add('over');
  });
  document.addEventListener('dragleave', () => $('dropzone').classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    $('dropzone').classList.remove('over');
    if (e.dataTransfer.files.length) runFiles(e.dataTransfer.files);
  });
}

main().catch((err) => {
  $('status').textContent = 'The calculator could not start.';
  showError({ code: 'load_failed', message: String(err && err.message ? err.message : err), path: '' });
});
