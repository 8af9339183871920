// The memory section: reads the controls of the chosen mode into one request, asks the core ("estimate",
// "fit", "sweep"), and renders the headline, the stacked bar, the parts with their formulas, the
// assumptions, the fits-on table, the inverse solver and the memory-vs-context curve. No formula lives
// here, and no memory figure or capacity is computed: the verdict, the table and the solver are the core's
// "fit", the curve its "sweep"; this file only formats and draws them.
import { commas, el, fillRows, size } from './dom.js';
import { curve, stackedBar } from './charts.js';
import { FORMS, applies, applySchema, loadSchema, showProfileHelp, syncFormats } from './controls.js';

const $ = (id) => document.getElementById(id);

// The control values of a form as request options (snake_case, as on the CLI): empty and "auto" mean
// "let the core choose" and are left out; a hidden field does not apply to the chosen engine.
function formOptions(form) {
  const o = {};
  for (const node of form.querySelectorAll('[data-opt]')) {
    if (node.closest('.field')?.hidden) continue;
    const key = node.dataset.opt;
    if (node.type === 'checkbox') {
      // A box may set false ("without flash attention"): data-value names what checking it means.
      if (node.checked) o[key] = node.dataset.value !== 'false';
      continue;
    }
    const v = node.value.trim();
    if (v !== '' && v !== 'auto') o[key] = v;
  }
  return o;
}

// The command line that gives the same JSON (value options → --kebab-case value, true → --flag,
// false → --no-flag).
export function cliCommand(op, options, extra = {}) {
  const args = ['gpumem', op, 'config.json', '--json'];
  for (const [k, v] of Object.entries({ ...options, ...extra })) {
    const flag = `--${k.replace(/_/g, '-')}`;
    if (v === true) args.push(flag);
    else if (v === false) args.push(`--no-${k.replace(/_/g, '-')}`);
    else args.push(flag, /[\s"'$`\\,]/.test(String(v)) ? `'${String(v).replace(/'/g, "'\\''")}'` : String(v));
  }
  return args.join(' ');
}

export class MemorySection {
  // ctx: { t(key, fields), units(), lang }
  constructor(engine, ctx) {
    this.engine = engine;
    this.ctx = ctx;
    // The controls' defaults, ranges, visibility and tiers come from the core's option schema, before a
    // share link or the stored state restores values (those store only what differs from a default).
    this.schema = loadSchema(engine);
    applySchema(this.schema, ctx.t);
    this.text = null;
    this.model = null;
    this.view = null;
    this.generation = 0;
    const gpus = engine.call({ op: 'gpus' });
    this.gpus = gpus.ok ? gpus.gpus : [];
    $('gpu').replaceChildren(...this.gpus.map((g) => el('option', `${g.name} (${g.gib_h})`, { value: g.name })));
    // The default the page starts with (and the one a shared link omits).
    const def = [...$('gpu').options].find((o) => o.value === 'RTX 4090');
    if (def) def.defaultSelected = true;
    $('gpu').value = 'RTX 4090';
    this.syncEngineFields();
  }

  mode() {
    return document.querySelector('input[name="mode"]:checked')?.value === 'train' ? 'train' : 'inference';
  }

  // Fields that apply only under other choices (the schema's applies_when: vLLM's memory fraction,
  // transformers' attention choice, ...); a hidden field is not sent. The GPU count of a device_map is
  // the page's own case: it means something only once a device_map is chosen.
  syncEngineFields() {
    for (const [formId, mode] of FORMS) {
      const form = $(formId);
      if (mode === 'inference') syncFormats(this.schema, form);
      for (const node of form.querySelectorAll('[data-opt]')) node.closest('.field').hidden = !applies(this.schema, form, mode, node);
      showProfileHelp(this.schema, form);
    }
    if ($('inf-device-map').value === '') $('inf-dm-gpus').closest('.field').hidden = true;
    const train = this.mode() === 'train';
    $('inf-form').hidden = train;
    $('train-form').hidden = !train;
  }

  options() {
    if (this.mode() === 'train') {
      const o = { mode: 'train', ...formOptions($('train-form')) };
      if (!Number(o.lora_rank)) delete o.lora_targets;
      return o;
    }
    const o = { mode: 'inference', ...formOptions($('inf-form')) };
    // accelerate fills the chosen GPU model (the one the fit compares with), --gpus of them.
    if (o.device_map) Object.assign(o, this.gpuOptions());
    return o;
  }

  // The chosen GPU: a catalogue name, and the memory the user's own runtime reports when typed in
  // ("Your GPU's memory", sent as gpu_memory: the core then uses that size instead of the catalogue's).
  gpuOptions() {
    const memory = $('gpu-memory').value.trim();
    return memory ? { gpu: $('gpu').value, gpu_memory: memory } : { gpu: $('gpu').value };
  }

  // modelNotes: the assumptions made reading the config (shown with the model, not repeated here).
  setConfig(text, model, modelNotes = []) {
    this.text = text;
    this.model = model;
    this.modelNotes = new Set(modelNotes.map((a) => `${a.code} ${a.path}`));
  }

  showError(error) {
    const t = this.ctx.t;
    $('mem-error').textContent = `${error.message}${error.path ? t('error.at', { path: error.path }) : ''} [${error.code}]`;
    $('mem-error').hidden = false;
  }

  // An error keeps the last result of this config on screen; a result of another config is hidden, since
  // its numbers would be read as this one's (e.g. a config without torch_dtype needs a dtype chosen).
  fail(error) {
    this.showError(error);
    delete $('memory').dataset.busy;
    if (this.shownText !== this.text) $('mem-results').hidden = true;
    return null;
  }

  // Runs the request and renders it; returns the view model (the rows as shown) or null on an error,
  // which leaves the previous result on screen.
  update() {
    if (this.text === null) return null;
    this.syncEngineFields();
    const generation = ++this.generation;
    const options = this.options();
    const r = this.engine.call({ op: 'estimate', config_text: this.text, options });
    if (!r.ok) return this.fail(r.error);
    const fit = this.engine.call({ op: 'fit', config_text: this.text, options: { ...options, ...this.fitOptions(options) } });
    if (!fit.ok) return this.fail(fit.error);
    $('mem-error').hidden = true;
    $('mem-results').hidden = false;
    this.shownText = this.text;
    this.view = this.render(r, fit, options);
    // The fits-on table and the curve come after this frame (data-busy on the
    // section until they are drawn), and are dropped if a newer update started meanwhile.
    $('memory').dataset.busy = 'true';
    setTimeout(() => {
      if (generation !== this.generation) return;
      this.renderLater(r, fit, options);
      delete $('memory').dataset.busy;
    }, 0);
    return this.view;
  }

  label(id) {
    const key = `part.${id}`;
    const text = this.ctx.t(key);
    return text === key ? id : text;
  }

  // What "fit" adds to the request: the chosen GPU, and for inference what to solve for (training
  // solves the batch per GPU).
  fitOptions(options) {
    return options.mode === 'train' ? this.gpuOptions() : { ...this.gpuOptions(), solve: $('inf-solve').value };
  }

  render(r, fit, options) {
    const { t, units } = this.ctx;
    const u = units();
    const train = options.mode === 'train';
    const m = r.memory;
    const parts = m.parts.map((p) => ({
      id: p.id, label: this.label(p.id), bytes: p.bytes, size: size(p.bytes, u), formula: p.formula, source: p.source,
    }));
    // The label keeps its key so a language switch re-translates it.
    $('total-label').dataset.i18n = train ? 'total.train' : 'total.inference';
    $('total-label').textContent = t($('total-label').dataset.i18n);
    $('total').textContent = size(m.total_bytes, u);
    $('total-bytes').textContent = t('total.bytes', { bytes: commas(m.total_bytes) });
    $('peak-line').hidden = !train;
    if (train) {
      $('peak').textContent = size(m.typical_peak_bytes, u);
      $('peak-formula').textContent = `(${m.typical_peak_formula})`;
    }

    // The verdict for the chosen GPU: the core's own (a custom card from "Your GPU's memory" has no row in the
    // fits-on table), else its fits-on row.
    const row = fit.table.find((x) => x.gpu === fit.gpu);
    const chosen = fit.capacity && fit.fits !== undefined
      ? { gpu: fit.gpu, capacity: fit.capacity.bytes, headroom: fit.headroom_bytes, fits: fit.fits }
      : row ? { gpu: fit.gpu, capacity: row.usable.bytes, headroom: row.headroom_bytes, fits: row.fits } : null;
    const capacity = chosen?.capacity ?? 0;
    const verdict = !chosen
      ? ''
      : chosen.fits
        ? t('verdict.fits', { gpu: chosen.gpu, usable: size(capacity, u), left: size(chosen.headroom, u) })
        : t('verdict.noFit', { gpu: chosen.gpu, usable: size(capacity, u), over: size(-chosen.headroom, u) });
    $('verdict').textContent = verdict;
    $('verdict').className = `verdict ${chosen?.fits ? 'ok' : 'no'}`;
    const cpu = train ? m.cpu_bytes : r.cpu?.bytes;
    $('cpu-line').hidden = !cpu;
    $('cpu-line').textContent = cpu ? t('cpu.line', { size: size(cpu, u) }) : '';
    $('recipe').hidden = !train;
    $('recipe').textContent = train ? `${r.training.recipe}. ${r.training.bytes_per_param} ${m.measurement}.` : '';
    $('recipe').setAttribute('lang', 'en');

    // Stacked bar, legend, parts table.
    stackedBar($('bar'), parts, capacity, t('bar.capacity', { gpu: chosen?.gpu ?? '' }));
    $('legend').replaceChildren(
      ...parts.filter((p) => p.bytes > 0).map((p) => {
        const li = el('li');
        const sw = el('span', undefined, { class: 'swatch', 'aria-hidden': 'true' });
        sw.dataset.c = String(parts.indexOf(p) % 8);
        li.append(sw, el('span', `${p.label}: ${p.size}`));
        return li;
      }),
    );
    const body = $('parts').tBodies[0];
    body.replaceChildren(
      ...parts.map((p, i) => {
        const tr = el('tr', undefined, { 'data-part': p.id });
        const th = el('th', undefined, { scope: 'row' });
        const sw = el('span', undefined, { class: 'swatch', 'aria-hidden': 'true' });
        sw.dataset.c = String(i % 8);
        th.append(sw, el('span', p.label));
        const formula = el('td', undefined, { class: 'formula', lang: 'en' });
        const details = el('details');
        details.append(el('summary', p.formula), el('p', `${t('parts.source')} ${p.source}`), el('p', p.id, { class: 'muted' }));
        formula.append(details);
        tr.append(th, el('td', commas(p.bytes), { class: 'bytes' }), el('td', p.size, { class: 'size' }), formula);
        return tr;
      }),
    );
    $('parts-total-bytes').textContent = commas(m.total_bytes);
    $('parts-total-size').textContent = size(m.total_bytes, u);

    // Pipeline stages: each stage's layers and total per GPU (the headline is the most loaded one).
    const stages = !train && r.stages?.length > 1 ? r.stages : [];
    $('stages-box').hidden = stages.length === 0;
    fillRows($('stages').tBodies[0], stages.map((st) => [
      String(st.stage), `${st.layers[0]}–${st.layers[1]}`, commas(st.total_bytes), size(st.total_bytes, u)]));

    // Assumptions (the core's sentences) and where each defaulted control got its value.
    const notes = r.assumptions.filter((a) => !this.modelNotes.has(`${a.code} ${a.path}`));
    $('assumptions').replaceChildren(...notes.map((a) => el('li', a.message, { lang: 'en', 'data-code': a.code })));
    $('assumptions-box').hidden = notes.length === 0;
    const has = (code) => r.assumptions.some((a) => a.code === code);
    const s = r.settings ?? {};
    $('origin-inf-dtype').textContent = !train && has('dtype_from_config') ? t('origin.dtype', { value: `${this.model.torch_dtype} → ${s.dtype}` }) : '';
    $('origin-inf-quant').textContent = !train && has('quant_from_config') ? t('origin.quant', { value: s.quant }) : '';
    $('origin-inf-context').textContent =
      !train && has('context_default') ? t('origin.context', { value: commas(s.context), trained: commas(this.model.n_ctx_train) }) : '';
    if (!train && has('context_default')) $('inf-context').placeholder = String(s.context);

    // Fits-on table and the solver line (training: the largest batch per GPU at this sequence length).
    this.fits = fit.table.map((x) => ({
      gpu: x.gpu, usable: x.usable.bytes, usableText: x.usable, fits: x.fits, headroom: x.headroom_bytes,
      needed: x.gpus_needed > 0 ? String(x.gpus_needed) : t('fits.more'),
    }));
    const n = fit.max_context ?? fit.max_batch;
    if (train) {
      $('solver').textContent = n > 0 ? t('solver.trainBatch', { gpu: fit.gpu, n: commas(n), seq: commas(r.training.seq) }) : t('solver.trainNone', { gpu: fit.gpu });
    } else {
      const key = fit.max_context !== undefined ? 'solver.context' : 'solver.batch';
      $('solver').textContent = fit.binding === 'model_limit'
        ? t('solver.modelLimit', { gpu: fit.gpu, n: commas(n) })
        : n > 0 ? t(key, { gpu: fit.gpu, n: commas(n), binding: this.label(fit.binding) }) : t('solver.none', { gpu: fit.gpu, message: fit.message });
    }

    const cli = cliCommand('estimate', options);
    $('cli-command').textContent = `${cli}\n${cliCommand('fit', options, this.fitOptions(options))}`;
    const unitName = u === 'gb' ? 'GB' : 'GiB';
    return {
      name: $('source-name').textContent,
      mode: options.mode,
      request: { op: 'estimate', options },
      cli,
      unitName,
      parts,
      total: m.total_bytes,
      totalSize: size(m.total_bytes, u),
      totalLabel: t('parts.total'),
      headers: [t('parts.part'), t('col.bytes'), `${t('col.size')} (${unitName})`, t('parts.formula')],
      settingsLine: Object.entries(options).map(([k, v]) => `${k} ${v}`).join(', '),
      verdict,
      result: r,
      capacity,
    };
  }

  // The curve: the core's sweep over context (inference) or sequence length (training, 16 points up to
  // twice the current length).
  renderLater(r, fit, options) {
    const { t, units } = this.ctx;
    const u = units();
    this.renderFits(u);
    const unit = u === 'gb' ? 1e9 : 2 ** 30;
    const unitName = u === 'gb' ? 'GB' : 'GiB';
    const capacity = this.view?.capacity ?? 0;
    const g = fit.gpu;
    let points = [];
    let current;
    if (options.mode !== 'train') {
      const ctx = r.settings.context;
      const solved = fit?.max_context ?? 0;
      const maxContext = Math.min(1 << 20, Math.max(2 * ctx, Math.round(1.25 * solved), 16));
      const sw = this.engine.call({ op: 'sweep', config_text: this.text, options: { ...options, points: 48, max_context: maxContext } });
      if (sw.ok) points = sw.points.map((p) => ({ x: p.context, bytes: p.total_bytes }));
      current = { x: ctx, bytes: r.memory.total_bytes };
      $('curve-caption').textContent = t('curve.inference', { gpu: g });
    } else {
      const seq = r.training.seq;
      const sw = this.engine.call({ op: 'sweep', config_text: this.text, options: { ...options, points: 16, max_seq: 2 * seq } });
      if (sw.ok) points = sw.points.map((p) => ({ x: p.seq, bytes: p.total_bytes }));
      current = { x: seq, bytes: r.memory.total_bytes };
      $('curve-caption').textContent = t('curve.train', { gpu: g });
    }
    curve($('curve'), {
      points, current, capacity, unit, unitName,
      xLabel: t(options.mode === 'train' ? 'curve.x.seq' : 'curve.x.context'),
      label: t('curve.label'),
    });
    $('curve').setAttribute('aria-label', `${t('curve.label')}: ${$('curve-caption').textContent}`);
  }

  // The fits-on table, updated in place: a control change rewrites only the cells whose text changed
  // (50 rows rebuilt on every keystroke cost more than the rest of the breakdown).
  renderFits(u) {
    const { t } = this.ctx;
    const body = $('fits').tBodies[0];
    while (body.rows.length > this.fits.length) body.lastElementChild.remove();
    while (body.rows.length < this.fits.length) {
      const tr = el('tr');
      tr.append(el('th', undefined, { scope: 'row' }), el('td'), el('td'), el('td'), el('td'));
      body.append(tr);
    }
    this.fits.forEach((f, i) => {
      const tr = body.rows[i];
      // The core's own text of the usable size (its rounding: 15.78125 GiB reads 15.7812 GiB in both).
      const cells = [f.gpu, f.usableText?.[u === 'gb' ? 'gb_h' : 'gib_h'] ?? size(f.usable, u), t(f.fits ? 'fits.yes' : 'fits.no'),
        `${f.headroom < 0 ? '−' : ''}${size(Math.abs(f.headroom), u)}`, f.needed];
      const cls = f.fits ? 'ok' : 'no';
      if (tr.className !== cls) tr.className = cls;
      cells.forEach((text, j) => {
        if (tr.cells[j].textContent !== text) tr.cells[j].textContent = text;
      });
    });
  }
}
