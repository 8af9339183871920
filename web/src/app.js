// The page: preferences (language, theme, units), the gallery and file input, the model details, the
// memory section, checkpoint headers, the converter view, share links, exports and the measurement
// comparison. Everything that came from a file is set with textContent; nothing is sent anywhere, and
// the only requests are this site's own files (the wasm module and, when picked, a gallery config) — and,
// only when the reader asks for a Hugging Face id, the Hub's (src/hub.js says exactly which).
import { fullModuleError, loadEngine } from './engine.js';
import { commas, el, fillRows, size } from './dom.js';
import { inspectFiles, isCheckpoint, renderInventory } from './checkpoint.js';
import { embedSnippets } from './snippets.js';
import { languages, loadLanguage, t as translateKey, translate } from './i18n.js';
import { coreTextLang, renderCoreText } from './core-text.js';
import { MemorySection } from './memory.js';
import { galleryConfig, loadGallery, renderGallery } from './gallery.js';
import { decode, encode, initial, prefs, save } from './state.js';
import { idMessage, recognise, refText } from './hub-id.js';

const $ = (id) => document.getElementById(id);
// A config.json is kilobytes; the core refuses text over 16 MiB (too_large) and the page does not even
// read such a file (checkpoint files are different: only their headers are read).
const CONFIG_LIMIT = 16 * 2 ** 20;

let lang = 'en';
const t = (key, fields) => translateKey(lang, key, fields);
const units = () => $('units').value;

// ---- preferences ---------------------------------------------------------------------------------------
function pickLanguage() {
  const stored = prefs.get('lang');
  if (stored && languages[stored]) return stored;
  return (navigator.languages ?? [navigator.language]).some((l) => /^zh\b/i.test(l)) ? 'zh' : 'en';
}

function applyTheme(theme) {
  const root = document.documentElement;
  if (theme === 'light' || theme === 'dark') root.dataset.theme = theme;
  else delete root.dataset.theme;
  $('theme').value = theme || 'auto';
}

// A language's strings load when it is chosen (English is always here): await before anything renders in it.
async function applyLanguage(next) {
  await loadLanguage(languages[next] ? next : 'en');
  lang = languages[next] ? next : 'en';
  document.documentElement.lang = languages[lang].tag;
  translate(document, lang);
  for (const b of document.querySelectorAll('#lang-switch button')) b.setAttribute('aria-pressed', String(b.dataset.lang === lang));
}

// ---- views ---------------------------------------------------------------------------------------------
function showView(view) {
  for (const tab of document.querySelectorAll('[role="tab"]')) {
    const on = tab.dataset.view === view;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(tab.getAttribute('aria-controls')).hidden = !on;
  }
}

// ---- model details -------------------------------------------------------------------------------------
function renderModel(name, r) {
  const m = r.model;
  const yesNo = (b) => t(b ? 'yes' : 'no');
  const facts = [
    ['fact.model_type', m.model_type],
    ['fact.layout', m.family],
    ['fact.layers', m.n_layer],
    ['fact.hidden', m.n_embd],
    ['fact.heads', m.n_head],
    ['fact.kvHeads', m.n_head_kv],
    ['fact.headDim', m.n_embd_head],
    ['fact.mlp', m.n_ff],
    ['fact.vocab', m.n_vocab],
    ['fact.tied', yesNo(m.tied_embeddings)],
  ];
  if (m.n_ctx_train) facts.push(['fact.maxPos', commas(m.n_ctx_train)]);
  if (m.torch_dtype) facts.push(['fact.dtype', m.torch_dtype]);
  if (m.wrapper_type) facts.splice(1, 0, ['fact.wrapper', m.wrapper_type]);
  if (m.attn_layout === 'mla') facts.push(['fact.mla', t('fact.mlaValue', { rank: m.n_lora_kv, rope: m.n_rot })]);
  if (m.n_expert) facts.push(['fact.experts', t('fact.expertsValue', { n: m.n_expert, used: m.n_expert_used, layers: m.n_layer_moe })]);
  if (m.n_layer_sliding) facts.push(['fact.sliding', t('fact.slidingValue', { n: m.n_layer_sliding, window: m.sliding_window })]);
  if (m.n_layer_ssm) facts.push(['fact.ssm', m.n_layer_ssm]);
  if (m.n_layer_enc) facts.push(['fact.encoder', m.n_layer_enc]);
  $('model-facts').replaceChildren(...facts.flatMap(([k, v]) => [el('dt', t(k)), el('dd', v)]));
  $('model-name').textContent = name;
  $('source-name').textContent = name;
  const p = r.params;
  $('params-total').textContent = p.total_h;
  $('params-short').textContent = p.short;
  fillRows($('weights').tBodies[0], r.weights_by_dtype.map((w) => [w.dtype, commas(w.bytes), w.gib_h, w.gb_h]));
  $('params-active-line').hidden = p.active === undefined;
  $('params-active').textContent = p.active_h ?? '';
  $('params-active-short').textContent = p.active_short ?? '';
  $('params-mtp-line').hidden = p.mtp === undefined;
  $('params-mtp').textContent = p.mtp ? `${p.mtp.total_h} (${p.mtp.short})` : '';
  const share = (n) => `${((100 * n) / p.total).toFixed(2)} %`;
  fillRows($('groups').tBodies[0], Object.entries(p.groups).filter(([, n]) => n > 0).map(([g, n]) => [g, commas(n), share(n)]));
  $('layers-box').hidden = p.layers.length < 2;
  fillRows($('layer-kinds').tBodies[0], p.layer_kinds.map((k) => [k.kind, k.count, k.params_h, k.layers]));
  $('model-assumptions').replaceChildren(
    ...r.assumptions.map((a) => el('li', renderCoreText(lang, a.text, a.message), { lang: coreTextLang(lang, a.text) })));
  $('model-assumptions-box').hidden = r.assumptions.length === 0;
  const snippets = embedSnippets(r.configText, {}, r.hub);
  $('embed-element').textContent = snippets.element;
  $('embed-iframe').textContent = snippets.iframe;
}

// The status line keeps its key and fields (data-status, not data-i18n: translate() knows no fields), so
// a language switch re-translates it.
let statusFields = {};
function setStatus(key, fields = {}) {
  statusFields = fields;
  delete $('status').dataset.i18n;
  $('status').dataset.status = key;
  $('status').textContent = t(key, fields);
}

function showError(error) {
  const where = error.line ? t('error.line', error) : error.path ? t('error.at', error) : '';
  $('error').textContent = `${renderCoreText(lang, error.text, error.message)}${where} [${error.code}]`;
  $('error').lang = coreTextLang(lang, error.text);
  $('error').hidden = false;
}

// An error the page itself words (a Hub answer, an id that cannot be read), in the page's language.
function showPageError(code, message) {
  showError({ code, message, path: '' });
  $('error').lang = languages[lang].tag;
}

async function main() {
  // One list of transformers releases (the inference form's) for both forms, before translation.
  $('train-transformers').replaceChildren(...[...$('inf-transformers').options].map((o) => o.cloneNode(true)));
  applyTheme(prefs.get('theme'));
  await applyLanguage(pickLanguage());
  document.documentElement.classList.remove('js-pending');
  // The wasm module and the gallery's index load side by side.
  const galleryIndex = loadGallery().catch(() => null);
  const engine = await loadEngine();
  const memory = new MemorySection(engine, { t, units });
  // The full module (the converter, checkpoint headers, speed, advice, launch, the curve) loads when the page is
  // idle, or on first use if that comes sooner.
  engine.prefetch();
  // The converter view, its code and the full module it runs on load the first time it is shown.
  let converter = null;
  let converterLoad = null;
  const openConverter = () => {
    converterLoad ??= (async () => {
      if (!engine.fullLoaded) $('conv-status').textContent = t('conv.loading');
      // Its stylesheet, its code and the full module, side by side.
      const css = new Promise((resolve, reject) => {
        const link = Object.assign(document.createElement('link'), { rel: 'stylesheet', href: 'converter.css' });
        link.addEventListener('load', resolve);
        link.addEventListener('error', () => reject(new Error('converter.css did not load')));
        document.head.append(link);
      });
      const [{ startConverter }] = await Promise.all([import('./converter.js'), engine.full(), css]);
      $('conv-status').textContent = '';
      converter = startConverter(engine, lang);
    })().catch((err) => {
      converterLoad = null;
      $('conv-status').textContent = fullModuleError(t, err).message;
    });
    return converterLoad;
  };
  const showPanel = (v) => {
    showView(v);
    if (v === 'converter') openConverter();
  };
  // The comparison with a measurement (compare.js) loads when a measurement is first typed.
  let compare = null;

  // What is on screen: the config's text and where it came from (gallery id or file name).
  let source = null;
  let model = null;
  let view = null;

  // Encoding an inline config is asynchronous (deflate): only the newest state is written.
  let persisted = 0;
  const persist = async () => {
    const n = ++persisted;
    const fragment = await encode(source && { gallery: source.gallery, hub: source.hub, text: source.text, name: source.name });
    if (n === persisted) save(fragment);
  };

  const renderCompare = () => {
    const box = $('compare-result');
    const text = $('compare-value').value.trim();
    if (!text || !view) {
      box.replaceChildren();
      return;
    }
    if (!compare) {
      import('./compare.js').then((m) => {
        compare = m.compare;
        renderCompare();
      });
      return;
    }
    const c = compare(text, $('compare-metric').value, view, units());
    if (!c) {
      box.replaceChildren(el('p', t('compare.unparsed'), { class: 'error' }));
      return;
    }
    const u = units();
    const sign = c.diff < 0 ? '−' : '+';
    // Sizes in the page's unit; vLLM's KV tokens as a count, its concurrency as "5.71x".
    const show = (x) => (c.kind === 'tokens' ? commas(Math.round(x)) : c.kind === 'ratio' ? `${x.toFixed(2)}x` : size(x, u));
    const lines = [
      t('compare.against', { what: t(c.what.key, c.what.fields) }),
      t('compare.result', {
        measured: show(c.measured), estimate: show(c.estimate), diff: `${sign}${show(Math.abs(c.diff))}`,
        pct: `${sign}${Math.abs(c.pct).toFixed(1)}%`,
      }),
    ];
    if (Math.abs(c.pct) <= 3) lines.push(t('compare.close'));
    else if (c.near) lines.push(t('compare.nearPart', { part: c.near }));
    lines.push(t(`compare.explain.${{ 'nvidia-smi': 'smi' }[c.metric] ?? c.metric}`));
    box.replaceChildren(...lines.map((l, i) => el('p', l, i === 1 ? { class: 'compare-diff' } : {})));
  };

  const update = () => {
    if (!model) return;
    performance.mark('gpumem:update-start');
    const v = memory.update();
    if (v) view = v;
    renderCompare();
    persist();
    performance.measure('gpumem:update', 'gpumem:update-start');
  };

  // Reads a config's text: the parameter count first (errors stop here and keep the last good result).
  const run = (name, text, origin = {}) => {
    performance.mark('gpumem:estimate-start');
    const r = engine.call({ op: 'params', config_text: text });
    if (!r.ok) {
      showError(r.error);
      return false;
    }
    $('error').hidden = true;
    shownHubError = null;
    // Another model chosen while a Hub repo is being read: that reading stops.
    if (!origin.hub && hubLoad) {
      hubLoad.abort();
      hubLoad = null;
    }
    source = { name, text, gallery: origin.gallery, hub: origin.hub };
    model = r.model;
    r.configText = text;
    r.hub = origin.hub;
    memory.setConfig(text, r.model, r.assumptions, origin.hubId ?? '', origin.modelFile ?? '');
    memory.setCheckpoint(origin.inventory?.checkpoint, origin.inventory?.files);
    // The checkpoint section shows this model's headers (a Hub repo's), or none: an older model's are gone.
    lastInventory = origin.inventory ?? null;
    if (lastInventory) renderInventory(lastInventory, t);
    else $('checkpoint').hidden = true;
    showHubExtras(origin);
    // Only llama.cpp runs a GGUF: its tensors are then the weights (the quant stays the file's own). The
    // engine chosen before comes back with the next model that is not a GGUF.
    if (origin.gguf?.chosen) {
      if ($('inf-engine').value !== 'llamacpp') engineBeforeGguf = $('inf-engine').value;
      $('inf-engine').value = 'llamacpp';
    } else if (engineBeforeGguf !== null) {
      if ($('inf-engine').value === 'llamacpp') $('inf-engine').value = engineBeforeGguf;
      engineBeforeGguf = null;
    }
    renderModel(name, r);
    $('empty-hint').hidden = true;
    $('memory').hidden = false;
    $('result').hidden = false;
    const v = memory.update();
    if (v) view = v;
    renderCompare();
    performance.measure('gpumem:estimate', 'gpumem:estimate-start');
    persist();
    lastParams = r;
    // The status line says which model is on screen, and comes back to that after a failed Hub request.
    restStatus = origin.status ?? ['status.loaded', { name }];
    setStatus(...restStatus);
    showGallery();
    // The answer comes into view with the model (the card is held in view on wide and narrow screens
    // alike; this covers a page scrolled down to the gallery or the breakdown).
    if (!$('verdict-card').hidden) $('verdict-card').scrollIntoView({ block: 'nearest' });
    return true;
  };
  let lastParams = null;
  let engineBeforeGguf = null;
  let restStatus = ['status.ready', {}];

  const runFiles = async (fileList) => {
    const files = [...fileList];
    const checkpoints = files.filter(isCheckpoint);
    for (const f of files.filter((x) => !isCheckpoint(x))) {
      if (f.size > CONFIG_LIMIT) {
        showError({ code: 'too_large', message: t('status.tooLarge', { name: f.name, limit: '16 MiB' }), path: '' });
        continue;
      }
      run(f.name, await f.text());
    }
    if (checkpoints.length === 0) return;
    // The header parsers are in the full module: the first reading may wait for it (its load is measured on its
    // own, gpumem:full-load; the reading from here).
    if (!engine.fullLoaded) {
      setStatus('status.loadingModule');
      try {
        await engine.full();
      } catch (err) {
        showError(fullModuleError(t, err));
        return;
      } finally {
        setStatus(...restStatus);
      }
    }
    performance.mark('gpumem:inspect-start');
    const r = await inspectFiles(engine, checkpoints, source?.text ?? null);
    if (r.ok) {
      $('error').hidden = true;
      $('empty-hint').hidden = true;
      renderInventory(r, t);
      lastInventory = r;
      // The checkpoint's bytes go into every estimate of the model on screen (absent: a no-op).
      memory.setCheckpoint(r.checkpoint, r.files);
      update();
      performance.measure('gpumem:inspect', 'gpumem:inspect-start');
    } else {
      showError(r.error);
    }
  };
  let lastInventory = null;

  const pickGallery = async (entry) => {
    try {
      $('gallery-search').value = '';
      run(entry.name, await galleryConfig(entry.id), { gallery: entry.id, hubId: entry.hf_id });
    } catch (err) {
      showError({ code: 'io_error', message: String(err.message ?? err), path: '' });
    }
  };

  // ---- a Hugging Face id -------------------------------------------------------------------------------
  // Reads the repo (hub.js): the status line follows the reading, a newer request cancels an older one, and
  // an error keeps the model on screen. The token is the field's value, read at each request.
  let hubLoad = null;
  let lastHubRef = null;
  // The Hub reader (hub.js) is loaded the first time the reader asks for a Hub model: nobody else pays for it.
  let hub = null;
  const hubReader = async () => (hub ??= await import('./hub.js'));
  const token = () => $('hub-token').value.trim();
  const basename = (p) => p.slice(p.lastIndexOf('/') + 1);
  let hubNotes = [];
  const renderHubNotes = () => {
    $('hub-note').textContent = hubNotes.map((n) => t(n.key, n.fields)).join(' ');
    $('hub-note').hidden = hubNotes.length === 0;
  };
  function showHubExtras(origin) {
    hubNotes = origin.notes ?? [];
    renderHubNotes();
    const gguf = origin.gguf;
    $('hub-gguf').hidden = !gguf?.choices?.length;
    if (gguf?.choices?.length) {
      $('hub-gguf-file').replaceChildren(...gguf.choices.map((c) =>
        el('option', `${c.path}${c.size ? ` (${size(c.size, units())})` : ''}`, { value: c.path })));
      if (!gguf.chosen) $('hub-gguf-file').prepend(el('option', '—', { value: '' }));
      $('hub-gguf-file').value = gguf.chosen ?? '';
    }
  }
  const showHubError = (e, focus = true) => {
    shownHubError = e;
    showPageError(e.code, hub.hubMessage(t, e));
    // Gated or private: the token field is where the reader goes next.
    if (focus && ['gated', 'gated_denied', 'token_rejected', 'not_found_or_private'].includes(e.code)) {
      $('hub-box').open = true;
      $('hub-token').focus();
    }
  };
  const loadHub = async (ref) => {
    hubLoad?.abort();
    const ctl = new AbortController();
    hubLoad = ctl;
    lastHubRef = ref;
    const mine = () => hubLoad === ctl;
    performance.mark('gpumem:hub-start');
    try {
      const { readHubModel } = await hubReader();
      const m = await readHubModel(engine, ref, { token: token(), signal: ctl.signal, onStatus: (key, fields) => mine() && setStatus(key, fields) });
      if (!mine()) return;
      hubLoad = null;
      const file = m.gguf?.chosen ? basename(m.gguf.chosen) : '';
      const name = file ? `${refText(m.ref)} · ${file}` : refText(m.ref);
      const ok = run(name, m.configText, {
        hub: m.ref, hubId: m.id, modelFile: file, inventory: m.inventory, notes: m.notes, gguf: m.gguf,
        status: ['hub.status.loaded', { name, bytes: commas(m.bytes), requests: m.requests }],
      });
      if (!ok) {
        setStatus(...restStatus);
        return;
      }
      // From the request to the model, its checkpoint and its estimate on screen.
      performance.measure('gpumem:hub', 'gpumem:hub-start');
      lastHubRef = m.ref;
      $('gallery-search').value = '';
      showGallery();
    } catch (e) {
      if (!mine() || e?.name === 'AbortError') return;
      hubLoad = null;
      shownHubError = null;
      setStatus(...restStatus);
      if (hub && e instanceof hub.HubError) showHubError(e);
      else if (e?.core) showError(e.core);
      else showPageError('hub_failed', String(e?.message ?? e));
    }
  };
  let shownHubError = null;

  // Gallery (its index is one small file of this site).
  // The list keeps its height (reserved in styles.css, so nothing below it moves when it fills or
  // filters); Enter in the search picks the first match.
  let entries = [];
  let galleryShown = [];
  const showGallery = () => {
    const query = $('gallery-search').value;
    galleryShown = renderGallery($('gallery-list'), entries, query, pickGallery);
    $('gallery-count').textContent = t(query.trim() ? 'gallery.count' : 'gallery.closed', { shown: galleryShown.length, total: entries.length });
    const what = recognise(query, 'search');
    if (what.kind === 'hub') $('gallery-count').textContent += ` ${t('hub.hint', { id: refText(what) })}`;
  };
  entries = (await galleryIndex) ?? [];
  if (entries.length) showGallery();
  else $('gallery-count').textContent = t('gallery.loadFailed');
  $('gallery-search').addEventListener('input', showGallery);
  // Enter: a Hub id or address is read from the Hub; anything else picks the first bundled match.
  $('gallery-search').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    const text = $('gallery-search').value;
    const what = recognise(text, 'search');
    if (what.kind === 'hub') {
      e.preventDefault();
      loadHub(what);
    } else if (galleryShown.length) {
      e.preventDefault();
      pickGallery(galleryShown[0]);
    } else if (what.kind === 'invalid') {
      e.preventDefault();
      showPageError('bad_id', idMessage(t, text.trim(), what.reason));
    }
  });

  // Restores a state (a shared link, or the last visit).
  const restore = async (fragment) => {
    const { source: src, view: v } = await decode(fragment);
    applyUnits();
    showPanel(v);
    memory.syncEngineFields();
    if (src?.gallery) {
      const entry = entries.find((e) => e.id === src.gallery) ?? { id: src.gallery, name: src.gallery };
      await pickGallery(entry);
    } else if (src?.hub) {
      // A link by id reads the repo again (not awaited: the page is ready while the Hub answers).
      loadHub(src.hub);
    } else if (src?.text) {
      run(src.name, src.text);
    }
  };
  const applyUnits = () => {
    document.documentElement.dataset.units = units();
  };

  // ---- events ---------------------------------------------------------------------------------------
  $('file').addEventListener('change', (e) => {
    if (e.target.files.length) runFiles(e.target.files);
    e.target.value = '';
  });
  // The paste box takes config text or a Hub id / address: an id never meets the JSON reader.
  $('paste-go').addEventListener('click', () => {
    const text = $('paste').value;
    const what = recognise(text, 'paste');
    if (what.kind === 'hub') loadHub(what);
    else if (what.kind === 'invalid') showPageError('bad_id', idMessage(t, text.trim(), what.reason));
    else run(t('input.pastedName'), text);
  });
  const useToken = () => lastHubRef && loadHub(lastHubRef);
  $('hub-token-go').addEventListener('click', useToken);
  $('hub-token').addEventListener('keydown', (e) => {
    if (e.key !== 'Enter') return;
    e.preventDefault();
    useToken();
  });
  $('hub-gguf-file').addEventListener('change', () => {
    const file = $('hub-gguf-file').value;
    if (file && lastHubRef) loadHub({ ...lastHubRef, file });
  });
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
  for (const form of ['inf-form', 'train-form']) {
    $(form).addEventListener('change', update);
    $(form).addEventListener('input', update);
    $(form).addEventListener('submit', (e) => e.preventDefault());
  }
  for (const r of document.querySelectorAll('input[name="mode"]')) r.addEventListener('change', update);
  $('gpu').addEventListener('change', update);
  $('gpu-count').addEventListener('change', update);
  $('gpu-count').addEventListener('input', update);
  $('gpu-memory').addEventListener('change', update);
  $('inf-solve').addEventListener('change', update);
  $('units').addEventListener('change', () => {
    applyUnits();
    update();
  });
  $('compare-form').addEventListener('input', () => {
    renderCompare();
    persist();
  });
  $('compare-form').addEventListener('submit', (e) => e.preventDefault());
  $('theme').addEventListener('change', () => {
    prefs.set('theme', $('theme').value);
    applyTheme($('theme').value);
  });
  for (const b of document.querySelectorAll('#lang-switch button')) {
    b.addEventListener('click', async () => {
      prefs.set('lang', b.dataset.lang);
      await applyLanguage(b.dataset.lang);
      if ($('status').dataset.status) setStatus($('status').dataset.status, statusFields);
      converter?.setLanguage(lang);
      showGallery();
      if (lastParams) renderModel(source.name, lastParams);
      if (lastInventory) renderInventory(lastInventory, t);
      if (shownHubError && !$('error').hidden) showHubError(shownHubError, false);
      renderHubNotes();
      update();
    });
  }
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  for (const tab of tabs) {
    tab.addEventListener('click', () => {
      showPanel(tab.dataset.view);
      persist();
    });
    tab.addEventListener('keydown', (e) => {
      const i = tabs.indexOf(tab);
      const next = e.key === 'ArrowRight' ? tabs[(i + 1) % tabs.length] : e.key === 'ArrowLeft' ? tabs[(i + tabs.length - 1) % tabs.length] : null;
      if (!next) return;
      e.preventDefault();
      next.focus();
      next.click();
    });
  }
  window.addEventListener('hashchange', () => restore(location.hash.slice(1)));

  // ---- share and export -----------------------------------------------------------------------------
  const say = (text) => {
    $('share-status').textContent = text;
  };
  const copy = async (text, what) => {
    try {
      await navigator.clipboard.writeText(text);
      say(t('share.copied', { what }));
    } catch {
      say(t('share.copyFailed'));
    }
  };
  const base = () => (source?.gallery ?? (source?.name || 'config').replace(/\.json$/i, '')).replace(/[^\w.-]+/g, '_');
  $('share-link').addEventListener('click', async () => {
    await persist();
    copy(location.href, t('share.link'));
  });
  // The exports (export.js) load on the first click.
  const exporters = { json: ['toJSON', 'application/json'], csv: ['toCSV', 'text/csv'], md: ['toMarkdown', 'text/markdown'] };
  const exportModule = () => import('./export.js');
  for (const [kind, [fn, type]] of Object.entries(exporters)) {
    $(`export-${kind}`).addEventListener('click', async () => {
      if (!view) return;
      const file = `gpumem-${base()}-${view.mode}.${kind}`;
      const m = await exportModule();
      m.download(file, m[fn](view), type);
      say(t('share.saved', { file }));
    });
  }
  $('copy-md').addEventListener('click', async () => view && copy((await exportModule()).toMarkdown(view), t('share.markdown')));
  $('copy-launch').addEventListener('click', () => memory.launchText && copy(memory.launchText, t('launch.what')));
  for (const which of ['element', 'iframe'])
    $(`copy-embed-${which}`).addEventListener('click', () => copy($(`embed-${which}`).textContent, t('embed.copy')));

  await restore(initial());
  if (!source && !hubLoad) setStatus('status.ready');
  document.body.dataset.ready = 'true';
  performance.mark('gpumem:ready');
}

main().catch((err) => {
  document.documentElement.classList.remove('js-pending');
  setStatus('status.failed');
  showError({ code: 'load_failed', message: String(err && err.message ? err.message : err), path: '' });
});
