// The memory section: reads the controls of the chosen mode into one request, asks the core ("estimate",
// "fit", "sweep", "speed"), and renders the headline, the stacked bar, the parts with their formulas, the
// assumptions, the fits-on table, the inverse solver, the memory-vs-context curve and the speed. No formula
// lives here, and no memory figure, capacity or rate is computed: the verdict, the table and the solver are
// the core's "fit", the curve its "sweep", tokens/s its "speed"; this file only formats and draws them.
import { commas, el, fillRows, rate, seconds, setSize, size } from './dom.js';
import { curve, stackedBar, throughput } from './charts.js';
import { FORMS, applies, applySchema, loadSchema, showProfileHelp, syncFormats } from './controls.js';
import { partColour } from './palette.js';
import { fullModuleError } from './engine.js';
import { coreTextLang, renderCoreText } from './core-text.js';

const $ = (id) => document.getElementById(id);
// Runs fn after the next frame is painted (what the frame shows first is on screen before fn's work).
const afterFrame = (fn) => requestAnimationFrame(() => setTimeout(fn, 0));
// The page's language, as applyLanguage set it on <html>: the core's formulas and sources render in it.
const pageLang = () => (/^zh/i.test(document.documentElement.lang) ? 'zh' : 'en');

// One colour per part id, in every view (bar, legend, table, verdict card): palette.js, shared with the widget.
export { partColour };

function swatch(id) {
  const sw = el('span', undefined, { class: 'swatch', 'aria-hidden': 'true' });
  sw.dataset.c = partColour(id);
  return sw;
}

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
    $('gpu').replaceChildren(...this.gpus.map((g) => el('option', `${g.name} (${size(g.bytes)})`, { value: g.name })));
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
  // transformers' attention choice, ...); a hidden field is not sent.
  syncEngineFields() {
    // Only the form on screen: the other mode's form is synced when it is chosen (every change runs this).
    const current = this.mode();
    for (const [formId, mode] of FORMS) {
      if (mode !== current) continue;
      const form = $(formId);
      if (mode === 'inference') syncFormats(this.schema, form);
      for (const node of form.querySelectorAll('[data-opt]')) node.closest('.field').hidden = !applies(this.schema, form, mode, node);
      showProfileHelp(this.schema, form);
    }
    const train = current === 'train';
    $('inf-form').hidden = train;
    $('train-form').hidden = !train;
  }

  options() {
    // The GPU count beside the GPU picker is the request's GPUs in all (tensor parallel for inference,
    // data parallel / ZeRO for training); 1 is the core's own default and is not sent.
    const count = Number($('gpu-count').value);
    const gpus = Number.isInteger(count) && count > 1 ? { gpus: String(count) } : {};
    if (this.mode() === 'train') {
      const o = { mode: 'train', ...formOptions($('train-form')), ...gpus };
      // Targets mean something only with adapters: a rank, or a quantized base (the core then uses PEFT's r = 8).
      const adapters = Number(o.lora_rank) > 0 || (o.lora_rank === undefined && (o.quant ?? 'none') !== 'none');
      if (!adapters) delete o.lora_targets;
      return o;
    }
    const o = { mode: 'inference', ...formOptions($('inf-form')), ...gpus };
    // GPUs in all with tp and pp left at 1: the core splits the layers over all of them (tensor parallel),
    // as it does when only --gpus is given; tp or pp chosen by hand are sent and must multiply to the count.
    if (o.gpus && o.tp === '1' && (o.pp ?? '1') === '1') {
      delete o.tp;
      delete o.pp;
    }
    // accelerate fills the chosen GPU model (the one the fit compares with), --gpus of them.
    if (o.device_map) Object.assign(o, this.gpuOptions());
    return o;
  }

  // The chosen GPUs as people say it: "RTX 4090" or "2× RTX 4090".
  gpuLabel(gpu) {
    const n = Number($('gpu-count').value);
    return n > 1 ? `${n}× ${gpu}` : gpu;
  }

  // The chosen GPU: a catalogue name, and the memory the user's own runtime reports when typed in
  // ("Your GPU's memory", sent as gpu_memory: the core then uses that size instead of the catalogue's).
  gpuOptions() {
    const memory = $('gpu-memory').value.trim();
    return memory ? { gpu: $('gpu').value, gpu_memory: memory } : { gpu: $('gpu').value };
  }

  // modelNotes: the assumptions made reading the config (shown with the model, not repeated here). A new
  // config drops the checkpoint of the previous model (setCheckpoint gives the new one's).
  setConfig(text, model, modelNotes = [], hubId = '', modelFile = '') {
    this.text = text;
    this.model = model;
    this.hubId = hubId;
    this.modelFile = modelFile;
    this.checkpoint = null;
    this.checkpointFiles = [];
    this.modelNotes = new Set(modelNotes.map((a) => `${a.code} ${a.path}`));
  }

  // The checkpoint's weights as the latest "inspect" of this model gave them (its `checkpoint` object, from
  // dropped files or a Hub repo's headers), or null: sent back verbatim with every request below, so the
  // weights part is the bytes the checkpoint stores (the core says when and why it uses them).
  // `files`: the inventory's files, whose weights files the CLI line names (--checkpoint a,b: the CLI reads the
  // same headers from local copies).
  setCheckpoint(checkpoint, files = []) {
    this.checkpoint = checkpoint ?? null;
    this.checkpointFiles = this.checkpoint ? (files ?? []).filter((f) => f.format !== 'safetensors_index').map((f) => f.name) : [];
  }

  // One request of the estimate family (estimate, fit, sweep, advise, launch) for the config on screen.
  request(op, options) {
    const r = { op, config_text: this.text, options };
    if (this.checkpoint) r.checkpoint = this.checkpoint;
    return r;
  }

  showError(error) {
    const t = this.ctx.t;
    const message = renderCoreText(pageLang(), error.text, error.message);
    $('mem-error').textContent = `${message}${error.path ? t('error.at', { path: error.path }) : ''} [${error.code}]`;
    $('mem-error').lang = coreTextLang(pageLang(), error.text);
    $('mem-error').hidden = false;
  }

  // An error hides every result: numbers of an earlier request beside it would be read as this one's.
  fail(error) {
    this.showError(error);
    delete $('memory').dataset.busy;
    for (const id of ['mem-results', 'what-fits-box', 'launch-box', 'verdict-card', 'speed-box']) $(id).hidden = true;
    this.generation++;
    return null;
  }

  // Runs the request and renders it; returns the view model (the rows as shown) or null on an error,
  // which leaves the previous result on screen.
  update() {
    if (this.text === null) return null;
    this.syncEngineFields();
    const generation = ++this.generation;
    const options = this.options();
    const r = this.engine.call(this.request('estimate', options));
    if (!r.ok) return this.fail(r.error);
    const fit = this.engine.call(this.request('fit', { ...options, ...this.fitOptions(options) }));
    if (!fit.ok) return this.fail(fit.error);
    $('mem-error').hidden = true;
    for (const id of ['mem-results', 'verdict-card']) $(id).hidden = false;
    this.shownText = this.text;
    this.view = this.render(r, fit, options);
    // The verdict card is drawn now; the breakdown after the frame that shows it, then speed, advice, launch, the
    // fits-on table and the curve (data-busy on the section until all are drawn). A newer update drops them. Those
    // last need the full module: the first answer waits for it (loaded on first use, or prefetched when idle).
    $('memory').dataset.busy = 'true';
    const current = () => generation === this.generation;
    const later = () => {
      if (!current()) return;
      this.renderLater(r, fit, options);
      delete $('memory').dataset.busy;
    };
    afterFrame(() => {
      if (!current()) return;
      this.renderBreakdown(r, options, this.view.parts, this.view.chosen);
      if (this.engine.fullLoaded) {
        later();
        return;
      }
      this.engine.full().then(later, (err) => {
        if (!current()) return;
        delete $('memory').dataset.busy;
        this.showError(fullModuleError(this.ctx.t, err));
      });
    });
    return this.view;
  }

  // The breakdown under the verdict card (the bar, its legend, the parts table, pipeline stages, the core's
  // assumptions and the notes under the controls): drawn after the frame that shows the verdict.
  renderBreakdown(r, options, parts, chosen) {
    const { t, units } = this.ctx;
    const u = units();
    const lang = pageLang();
    const train = options.mode === 'train';
    const m = r.memory;
    const capacity = chosen?.capacity ?? 0;
    // Stacked bar, legend, parts table.
    stackedBar($('bar'), parts, capacity, t('bar.capacity', { gpu: chosen?.gpu ?? '' }));
    $('legend').replaceChildren(
      ...parts.filter((p) => p.bytes > 0).map((p) => {
        const li = el('li');
        li.append(swatch(p.id), el('span', `${p.label}: ${p.size}`));
        return li;
      }),
    );
    // The parts table's rows are kept while the parts are the same ones (a control change): only their texts
    // change, and a formula opened by the reader stays open.
    const body = $('parts').tBodies[0];
    const same = body.rows.length === parts.length && parts.every((p, i) => body.rows[i].dataset.part === p.id);
    if (!same) {
      body.replaceChildren(...parts.map((p) => {
        const tr = el('tr', undefined, { 'data-part': p.id });
        const th = el('th', undefined, { scope: 'row' });
        th.append(swatch(p.id), el('span'));
        const details = el('details');
        details.append(el('summary'), el('p'), el('p', p.id, { class: 'muted' }));
        const formula = el('td', undefined, { class: 'formula' });
        formula.append(details);
        tr.append(th, el('td', undefined, { class: 'bytes' }), el('td', undefined, { class: 'size' }), formula);
        return tr;
      }));
    }
    parts.forEach((p, i) => {
      const [th, bytes, sz, formula] = body.rows[i].cells;
      th.lastElementChild.textContent = p.label;
      bytes.textContent = commas(p.bytes);
      sz.textContent = p.size;
      sz.title = `${commas(p.bytes)} B`;
      formula.lang = coreTextLang(lang, p.formulaText);
      const [summary, source] = formula.firstElementChild.children;
      summary.textContent = renderCoreText(lang, p.formulaText, p.formula);
      source.textContent = `${t('parts.source')} ${renderCoreText(lang, p.sourceText, p.source)}`;
      source.lang = coreTextLang(lang, p.sourceText);
    });
    $('parts-total-bytes').textContent = commas(m.total_bytes);
    $('parts-total-size').textContent = size(m.total_bytes, u);

    // Pipeline stages: each stage's layers and total per GPU (the headline is the most loaded one).
    const stages = !train && r.stages?.length > 1 ? r.stages : [];
    $('stages-box').hidden = stages.length === 0;
    fillRows($('stages').tBodies[0], stages.map((st) => [
      String(st.stage), `${st.layers[0]}–${st.layers[1]}`, commas(st.total_bytes), size(st.total_bytes, u)]));

    // Assumptions (the core's sentences) and where each defaulted control got its value.
    this.lastAssumptions = r.assumptions.map((a) => `${a.code} ${a.path}`);
    const notes = r.assumptions.filter((a) => !this.modelNotes.has(`${a.code} ${a.path}`));
    $('assumptions').replaceChildren(...notes.map((a) => el('li', renderCoreText(pageLang(), a.text, a.message),
      { lang: coreTextLang(pageLang(), a.text), 'data-code': a.code })));
    $('assumptions-box').hidden = notes.length === 0;
    const has = (code) => r.assumptions.some((a) => a.code === code);
    const s = r.settings ?? {};
    // The load dtype: the config's torch_dtype, or with none the dtype the engine loads (the core's reason).
    const dtypeNote = train ? null : r.assumptions.find((a) => a.path === '/options/dtype');
    $('origin-inf-dtype').textContent = !train && has('dtype_from_config')
      ? t('origin.dtype', { value: `${this.model.torch_dtype} → ${s.dtype}` })
      : dtypeNote ? renderCoreText(pageLang(), dtypeNote.text, dtypeNote.message) : '';
    $('origin-inf-quant').textContent = !train && has('quant_from_config') ? t('origin.quant', { value: s.quant }) : '';
    $('origin-inf-context').textContent =
      !train && has('context_default') ? t('origin.context', { value: commas(s.context), trained: commas(this.model.n_ctx_train) }) : '';
    if (!train && has('context_default')) $('inf-context').placeholder = String(s.context);
    // Training controls left to the core: the note under each says what it chose and why (the core's
    // assumption on that option's path).
    for (const [id, name] of [['origin-train-precision', 'precision'], ['origin-train-checkpointing', 'checkpointing']]) {
      const a = train ? r.assumptions.find((x) => x.path === `/options/${name}`) : null;
      $(id).textContent = a ? renderCoreText(pageLang(), a.text, a.message) : '';
      $(id).lang = a ? coreTextLang(pageLang(), a.text) : '';
    }

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
    const lang = pageLang();  // the core's formulas, sources and recipe render in it
    const train = options.mode === 'train';
    const m = r.memory;
    const parts = m.parts.map((p) => ({
      id: p.id, label: this.label(p.id), bytes: p.bytes, size: size(p.bytes, u), formula: p.formula, source: p.source,
      formulaText: p.formula_text, sourceText: p.source_text, colour: partColour(p.id),
    }));
    // The label keeps its key so a language switch re-translates it.
    $('total-label').dataset.i18n = train ? 'total.train' : 'total.inference';
    $('total-label').textContent = t($('total-label').dataset.i18n);
    setSize($('total'), m.total_bytes, u);
    $('total-bytes').textContent = t('total.bytes', { bytes: commas(m.total_bytes) });
    $('peak-line').hidden = !train;
    if (train) {
      $('peak').textContent = size(m.typical_peak_bytes, u);
      $('peak-formula').textContent = `(${renderCoreText(lang, m.typical_peak_formula_text, m.typical_peak_formula)})`;
      $('peak-formula').setAttribute('lang', coreTextLang(lang, m.typical_peak_formula_text));
    }

    // The verdict for the chosen GPU: the core's own (a custom card from "Your GPU's memory" has no row in the
    // fits-on table), else its fits-on row.
    const row = fit.table.find((x) => x.gpu === fit.gpu);
    const chosen = fit.capacity && fit.fits !== undefined
      ? { gpu: fit.gpu, capacity: fit.capacity.bytes, headroom: fit.headroom_bytes, fits: fit.fits }
      : row ? { gpu: fit.gpu, capacity: row.usable.bytes, headroom: row.headroom_bytes, fits: row.fits } : null;
    const capacity = chosen?.capacity ?? 0;
    const gpuText = chosen ? this.gpuLabel(chosen.gpu) : '';
    const verdict = !chosen
      ? ''
      : chosen.fits
        ? t('verdict.fits', { gpu: gpuText, usable: size(capacity, u), left: size(chosen.headroom, u) })
        : t('verdict.noFit', { gpu: gpuText, usable: size(capacity, u), over: size(-chosen.headroom, u) });
    $('verdict').textContent = `${chosen ? (chosen.fits ? '✓ ' : '✗ ') : ''}${verdict}`;
    $('verdict').className = `verdict ${chosen?.fits ? 'ok' : 'no'}`;
    $('verdict-card').dataset.fits = String(Boolean(chosen?.fits));
    this.chosenFits = Boolean(chosen?.fits);
    // The card's three biggest parts (the breakdown below has them all).
    $('top-parts').replaceChildren(
      ...[...parts].filter((p) => p.bytes > 0).sort((a, b) => b.bytes - a.bytes).slice(0, 3).map((p) => {
        const li = el('li', undefined, { 'data-part': p.id });
        li.append(swatch(p.id), el('span', `${p.label} ${p.size}`));
        return li;
      }),
    );
    const cpu = train ? m.cpu_bytes : r.cpu?.bytes;
    $('cpu-line').hidden = !cpu;
    $('cpu-line').textContent = cpu ? t('cpu.line', { size: size(cpu, u) }) : '';
    $('recipe').hidden = !train;
    if (train && coreTextLang(lang, r.training.recipe_text) === 'zh') {
      const bpp = renderCoreText(lang, r.training.bytes_per_param_text, r.training.bytes_per_param);
      $('recipe').textContent = `${renderCoreText(lang, r.training.recipe_text)}。${bpp ? `${bpp}；` : ''}${renderCoreText(lang, m.measurement_text, m.measurement)}。`;
      $('recipe').setAttribute('lang', 'zh');
    } else {
      $('recipe').textContent = train ? `${r.training.recipe}. ${r.training.bytes_per_param} ${m.measurement}.` : '';
      $('recipe').setAttribute('lang', 'en');
    }

    // Fits-on table and the solver line (training: the largest batch per GPU at this sequence length).
    this.fits = fit.table.map((x) => ({
      gpu: x.gpu, usable: x.usable.bytes, usableText: x.usable, fits: x.fits, headroom: x.headroom_bytes,
      needed: x.gpus_needed > 0 ? String(x.gpus_needed) : t('fits.more'),
    }));
    const n = fit.max_context ?? fit.max_batch;
    if (train) {
      $('solver').textContent = n > 0 ? t('solver.trainBatch', { gpu: this.gpuLabel(fit.gpu), n: commas(n), seq: commas(r.training.seq) }) : t('solver.trainNone', { gpu: this.gpuLabel(fit.gpu) });
    } else {
      const key = fit.max_context !== undefined ? 'solver.context' : 'solver.batch';
      $('solver').textContent = fit.binding === 'model_limit'
        ? t('solver.modelLimit', { gpu: this.gpuLabel(fit.gpu), n: commas(n) })
        : n > 0 ? t(key, { gpu: this.gpuLabel(fit.gpu), n: commas(n), binding: this.label(fit.binding) }) : t('solver.noneShort', { gpu: this.gpuLabel(fit.gpu) });
    }

    const weights = this.checkpointFiles?.length ? { checkpoint: this.checkpointFiles.join(',') } : {};
    const cli = cliCommand('estimate', options, weights);
    $('cli-command').textContent = [cli, cliCommand('fit', options, { ...this.fitOptions(options), ...weights }),
      cliCommand('speed', options, { ...this.speedOptions(options), ...weights })].join('\n');
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
      chosen,
    };
  }

  // The curve: the core's sweep over context (inference) or sequence length (training, 16 points up to
  // twice the current length).
  renderLater(r, fit, options) {
    const { t, units } = this.ctx;
    const u = units();
    this.renderSpeed(options);
    this.renderFits(u);
    this.renderAdvice(options);
    this.renderLaunch(options);
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
      const sw = this.engine.call(this.request('sweep', { ...options, points: 48, max_context: maxContext }));
      if (sw.ok) points = sw.points.map((p) => ({ x: p.context, bytes: p.total_bytes }));
      current = { x: ctx, bytes: r.memory.total_bytes };
      $('curve-caption').textContent = t('curve.inference', { gpu: g });
    } else {
      const seq = r.training.seq;
      const sw = this.engine.call(this.request('sweep', { ...options, points: 16, max_seq: 2 * seq }));
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

  // What "speed" adds to the request: the chosen GPU, and for inference tokens/s on every GPU (the fits-on
  // table's column).
  speedOptions(options) {
    return options.mode === 'train' ? this.gpuOptions() : { ...this.gpuOptions(), table: true };
  }

  // Speed (the core's speed op) for the chosen setup: the card's tokens/s and time to first token with the
  // calibration's range (training: the optimizer step and tokens/s at the MFU the core names), throughput
  // against batch, and the sentences the speed adds to the estimate's assumptions.
  renderSpeed(options) {
    const { t } = this.ctx;
    const lang = pageLang();
    const sp = this.engine.call(this.request('speed', { ...options, ...this.speedOptions(options) }));
    this.speed = sp.ok ? sp.speed : null;
    const card = $('speed-card');
    card.hidden = false;
    $('speed-box').hidden = !sp.ok;
    if (!sp.ok) {
      $('speed-line').textContent = t('speed.failed', { reason: renderCoreText(lang, sp.error.text, sp.error.message) });
      $('speed-line').lang = coreTextLang(lang, sp.error.text);
      $('speed-detail').textContent = '';
      return;
    }
    $('speed-line').removeAttribute('lang');
    const s = sp.speed;
    const bound = (b) => t(`speed.bound.${b}`);
    if (!this.chosenFits) {
      $('speed-line').textContent = t('speed.noFit');
      $('speed-detail').textContent = '';
    } else if (sp.mode === 'train') {
      $('speed-line').textContent = t('speed.train', { step: seconds(s.step_s), lo: seconds(s.range.step_s[0]),
        hi: seconds(s.range.step_s[1]), tps: rate(s.tokens_per_s), mfu: String(s.mfu) });
      $('speed-detail').textContent = t('speed.trainDetail', { tokens: commas(s.tokens_per_step), gpus: s.gpus, gpu: s.gpu, bound: bound(s.bound) });
    } else {
      const d = s.decode;
      const r = s.range;
      const parts = [t('speed.decode', { tps: rate(d.tokens_per_s), lo: rate(r.decode_tokens_per_s[0]), hi: rate(r.decode_tokens_per_s[1]) })];
      if (s.ttft_s) parts.push(t('speed.ttft', { ttft: seconds(s.ttft_s), lo: seconds(r.ttft_s[0]), hi: seconds(r.ttft_s[1]) }));
      if (s.batch > 1) parts.push(t('speed.aggregate', { n: rate(d.aggregate_tokens_per_s), batch: commas(s.batch) }));
      $('speed-line').textContent = parts.join(' · ');
      $('speed-detail').textContent = `${t('speed.detail', { prompt: commas(s.prompt), output: commas(s.output), engine: s.engine,
        backend: s.backend, bound: bound(d.bound) })}${r.calibrated ? '' : `${lang === 'zh' ? '' : ' '}${t('speed.prior')}`}`;
    }
    // Throughput against batch (inference), up to the largest batch memory holds.
    const points = sp.mode === 'train' ? [] : s.batch_curve.map((p) => ({ batch: p.batch, aggregate: p.aggregate_tokens_per_s, per: p.tokens_per_s }));
    $('speed-chart').toggleAttribute('hidden', points.length < 2);  // an SVG element has no hidden property
    $('speed-caption').textContent = points.length < 2 ? '' : t('speed.chart', { gpu: this.gpuLabel(s.gpu), max: commas(s.max_batch) });
    if (points.length >= 2) throughput($('speed-chart'), { points, current: s.batch, xLabel: t('speed.x'), yLabel: t('speed.y'), label: t('speed.chartLabel') });
    $('speed-chart').setAttribute('aria-label', points.length >= 2 ? `${t('speed.chartLabel')}: ${$('speed-caption').textContent}` : t('speed.chartLabel'));
    $('speed-notes').replaceChildren(...this.addedNotes(sp.assumptions));
  }

  // The sentences an answer adds to the estimate's (those are listed with the breakdown, the model's with the
  // model), as list items in the page's language.
  addedNotes(assumptions = []) {
    const seen = new Set([...(this.lastAssumptions ?? []), ...this.modelNotes]);
    return assumptions.filter((a) => !seen.has(`${a.code} ${a.path}`)).map((a) =>
      el('li', renderCoreText(pageLang(), a.text, a.message), { lang: coreTextLang(pageLang(), a.text), 'data-code': a.code }));
  }

  // "What would make it fit": the core's advise op — for inference the weight formats the chosen engine can
  // run against the chosen GPUs and a few other setups, each cell the largest context there; for training
  // the recipes and their largest batch. A fitting cell applies its setup; when the chosen setup does not
  // fit, the card names the nearest setups that do.
  renderAdvice(options) {
    const { t } = this.ctx;
    const adv = this.engine.call(this.request('advise', { ...options, ...this.fitOptions(options) }));
    this.advice = adv.ok ? adv : null;
    $('what-fits-box').hidden = !adv.ok;
    $('nearest').hidden = true;
    if (!adv.ok) return;
    const train = adv.mode === 'train';
    const table = $('what-fits');
    const columnText = (c) => (c.gpus > 1 ? `${c.gpus}× ${c.gpu}` : c.gpu);
    const head = el('tr');
    head.append(el('th', t(train ? 'whatFits.recipe' : 'whatFits.format'), { scope: 'col' }));
    for (const c of adv.columns) head.append(el('th', columnText(c), { scope: 'col', class: c.chosen ? 'chosen' : '' }));
    table.tHead.replaceChildren(head);
    $('what-fits-intro').textContent = t(train ? 'whatFits.introTrain' : 'whatFits.intro', { n: commas(train ? (adv.seq ?? '') : adv.context) });
    const cellText = (cell) => commas(train ? cell.max_batch : cell.max_context);
    table.tBodies[0].replaceChildren(
      ...adv.rows.map((row) => {
        const tr = el('tr', undefined, { 'data-row': row.id, class: row.current ? 'current' : '' });
        tr.append(el('th', this.rowLabel(row, train), { scope: 'row' }));
        row.cells.forEach((cell, j) => {
          const c = adv.columns[j];
          const td = el('td', undefined, { class: `${cell.fits ? 'fit' : 'no'}${row.current && c.chosen ? ' chosen' : ''}` });
          const n = train ? cell.max_batch : cell.max_context;
          if (n > 0) {
            const b = el('button', cellText(cell), { type: 'button', class: cell.fits ? 'fit' : 'short' });
            b.title = t(train ? 'whatFits.applyTrain' : 'whatFits.apply', { setup: this.rowLabel(row, train), gpu: columnText(c), n: cellText(cell) });
            b.addEventListener('click', () => this.applySetup(row.options, c));
            td.append(b);
          } else td.textContent = t('whatFits.no');
          tr.append(td);
        });
        return tr;
      }),
    );
    if (adv.current && !adv.current.fits && adv.nearest?.length) {
      const box = $('nearest');
      const buttons = el('div', undefined, { class: 'buttons' });
      for (const n of adv.nearest) {
        const row = adv.rows.find((x) => x.id === n.row);
        const c = adv.columns[n.column];
        if (!row || !c) continue;
        const value = commas(train ? n.max_batch : n.max_context);
        const b = el('button', t(train ? 'nearest.itemTrain' : 'nearest.item', { setup: this.rowLabel(row, train), gpu: columnText(c), n: value }), { type: 'button' });
        b.addEventListener('click', () => this.applySetup(row.options, c));
        buttons.append(b);
      }
      box.replaceChildren(el('p', t('nearest.title')), buttons);
      box.hidden = false;
    }
  }

  // A row's name: a recipe's name as the core gives it (label_text, in the page's language), or the format as
  // its select names it, with the KV cache type when the row sets one.
  rowLabel(row, train) {
    if (train) return renderCoreText(pageLang(), row.label_text, row.label);
    const optionText = (id, value) => [...($(id)?.options ?? [])].find((o) => o.value === value)?.textContent;
    const o = row.options ?? {};
    // The unquantized row loads in the model's dtype: the row id names it ("bf16", "bf16+kv-int8").
    const dtype = o.dtype && o.dtype !== 'auto' ? o.dtype : row.id.split('+')[0];
    const format = o.quant && o.quant !== 'none' ? optionText('inf-quant', o.quant) ?? o.quant : dtype;
    return o.kv_dtype && o.kv_dtype !== 'auto' ? `${format} · KV ${o.kv_dtype}` : format;
  }

  // Applies a setup of the advice: its options into the current form's controls, the GPU and the count;
  // then recomputes (the form's change event) and brings the verdict into view.
  applySetup(opts, column) {
    const form = $(this.mode() === 'train' ? 'train-form' : 'inf-form');
    for (const [key, value] of Object.entries(opts ?? {})) {
      if (key === 'gpus') continue;
      const node = form.querySelector(`[data-opt="${key}"]`);
      if (!node) continue;
      if (node.type === 'checkbox') node.checked = String(value) === String(node.dataset.value !== 'false');
      else node.value = String(value);
    }
    if (column) {
      if ([...$('gpu').options].some((o) => o.value === column.gpu)) $('gpu').value = column.gpu;
      $('gpu-count').value = String(opts?.gpus ?? column.gpus ?? 1);
    }
    form.dispatchEvent(new Event('change', { bubbles: true }));
    $('verdict-card').scrollIntoView({ block: 'nearest' });
  }

  // The command that runs this setup (the core's launch op), copyable; training adds its config files.
  renderLaunch(options) {
    const { t } = this.ctx;
    const l = this.engine.call(this.request('launch', { ...options, ...this.gpuOptions(), ...(this.hubId ? { model_id: this.hubId } : {}),
      ...(this.modelFile ? { model_file: this.modelFile } : {}) }));
    $('launch-box').hidden = !l.ok;
    if (!l.ok) return;
    this.launchText = [l.text, ...(l.command && l.command !== l.text ? [l.command] : []), ...(l.files ?? []).map((f) => `# ${f.name}\n${f.text}`)].join('\n\n');
    $('launch').textContent = l.text;
    $('launch').dataset.language = l.language ?? '';
    // A script (python) comes with the line that runs it, and training with its config files.
    const run = l.command && l.command !== l.text ? [el('p', t('launch.run'), { class: 'muted' }), el('pre', l.command, { class: 'cli', 'data-part': 'launch-run', tabindex: '0' })] : [];
    $('launch-files').replaceChildren(
      ...run,
      ...(l.files ?? []).flatMap((f) => [el('h3', f.name), el('pre', f.text, { class: 'cli', 'data-file': f.name, tabindex: '0', 'aria-label': f.name })]),
    );
    $('launch-notes').replaceChildren(...this.addedNotes(l.assumptions));
    $('launch-title').dataset.i18n = l.mode === 'train' ? 'launch.titleTrain' : 'launch.title';
    $('launch-title').textContent = t($('launch-title').dataset.i18n);
  }

  // The fits-on table, updated in place: a control change rewrites only the cells whose text changed
  // (50 rows rebuilt on every keystroke cost more than the rest of the breakdown).
  renderFits(u) {
    const { t } = this.ctx;
    const body = $('fits').tBodies[0];
    while (body.rows.length > this.fits.length) body.lastElementChild.remove();
    while (body.rows.length < this.fits.length) {
      const tr = el('tr');
      tr.append(el('th', undefined, { scope: 'row' }), el('td'), el('td'), el('td'), el('td'), el('td', undefined, { class: 'speed-col' }));
      body.append(tr);
    }
    // tokens/s per row (the speed op's table; inference only): where the fits-on table puts the model.
    const speeds = new Map((this.speed?.table ?? []).map((x) => [x.gpu, x]));
    const train = this.mode() === 'train';
    for (const c of $('fits').querySelectorAll('.speed-col')) c.hidden = train;
    this.fits.forEach((f, i) => {
      const tr = body.rows[i];
      const sp = speeds.get(f.gpu);
      const tps = sp?.tokens_per_s ? rate(sp.tokens_per_s) : '—';
      const title = sp?.tokens_per_s ? t('fits.speedTitle', { gpus: sp.gpus, lo: rate(sp.tokens_per_s_range[0]),
        hi: rate(sp.tokens_per_s_range[1]), ttft: sp.ttft_s ? seconds(sp.ttft_s) : '—' }) : '';
      if (tr.cells[5].title !== title) tr.cells[5].title = title;
      const cells = [f.gpu, size(f.usable, u), t(f.fits ? 'fits.yes' : 'fits.no'),
        `${f.headroom < 0 ? '−' : ''}${size(Math.abs(f.headroom), u)}`, f.needed, tps];
      const cls = f.fits ? 'ok' : 'no';
      if (tr.className !== cls) tr.className = cls;
      cells.forEach((text, j) => {
        if (tr.cells[j].textContent !== text) tr.cells[j].textContent = text;
      });
    });
  }
}
