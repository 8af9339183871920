// The two forms' controls, set up from the core's option schema ({op: "options"}): every [data-opt]
// control takes its default, range and visibility from the schema row of the same name and mode; the
// "basic" tier stays in view, the "expert" tier moves under "More options", and the "reproduction" tier
// into a collapsed block at the end of their form, beside the profile select (a named historical
// measurement setup). The page keeps no default of its own: index.html's
// values are only what shows if the schema is missing.
import { el } from './dom.js';

export const FORMS = [
  ['inf-form', 'inference'],
  ['train-form', 'train'],
];

// What a checkbox means when checked: data-value="false" names a box that sets false ("without flash
// attention").
const checkedMeans = (node) => node.dataset.value !== 'false';

// The row for an option in a mode, or undefined.
export function rowFor(schema, name, mode) {
  return schema?.options.find((r) => r.name === name && r.modes.includes(mode));
}

// The schema once, at start-up; null if this core has none (the controls then keep index.html's values).
export function loadSchema(engine) {
  const r = engine.call({ op: 'options' });
  return r.ok ? { options: r.options, profiles: r.profiles ?? [], engine_formats: r.engine_formats ?? {} } : null;
}

// The option the "let the core choose" entry of a select carries, if it has one.
const autoOption = (select) => [...select.options].find((o) => o.value === 'auto' || o.value === '');

// Makes `value` the control's default and its value. null = decided at run time: the control keeps its
// auto/empty choice. A value a select does not offer is not invented: the select is left as it is.
function setDefault(node, value) {
  if (node.type === 'checkbox') {
    if (value === null || value === undefined) return;
    node.defaultChecked = value === checkedMeans(node);
    node.checked = node.defaultChecked;
  } else if (node.tagName === 'SELECT') {
    const pick = value === null || value === undefined ? autoOption(node) : [...node.options].find((o) => o.value === String(value));
    if (!pick) return;
    for (const o of node.options) o.defaultSelected = o === pick;
    node.value = pick.value;
  } else {
    node.defaultValue = value === null || value === undefined ? '' : String(value);
    node.value = node.defaultValue;
  }
}

// The control's value as the option it sends ('' = not sent: the core decides).
function sentValue(node) {
  if (node.type === 'checkbox') return String(node.checked ? checkedMeans(node) : !checkedMeans(node));
  const v = node.value.trim();
  return v === 'auto' ? '' : v;
}

// The value of a control as its default: back to what setDefault made it.
function resetToDefault(node) {
  if (node.type === 'checkbox') node.checked = node.defaultChecked;
  else if (node.tagName === 'SELECT') {
    const d = [...node.options].find((o) => o.defaultSelected) ?? node.options[0];
    if (d) node.value = d.value;
  } else node.value = node.defaultValue;
}

// A profile's value into a control. A select without that entry goes to its "auto" entry, if it has one: not
// sent, the core then takes the profile's value.
function setValue(node, value) {
  if (node.type === 'checkbox') node.checked = value === checkedMeans(node);
  else if (node.tagName === 'SELECT') {
    const pick = [...node.options].find((o) => o.value === String(value)) ?? autoOption(node);
    if (pick) node.value = pick.value;
  } else node.value = String(value);
}

// The profile select of a form: the schema's profiles for this mode, "current" translated (data-i18n keeps
// it translated on a language switch), the named ones by their id with the core's one-line help as title.
function fillProfiles(schema, form, mode, t) {
  const select = form.querySelector('[data-opt="profile"]');
  if (!select) return;
  const row = rowFor(schema, 'profile', mode);
  const names = row?.values ?? schema.profiles.map((p) => p.name);
  const profiles = names.map((n) => schema.profiles.find((p) => p.name === n) ?? { name: n, sets: {} });
  select.replaceChildren(
    ...profiles.map((p) => {
      const o = p.name === 'current' ? el('option', t('form.profile.current'), { value: p.name, 'data-i18n': 'form.profile.current' })
        : el('option', p.name, { value: p.name, lang: 'en' });
      if (p.help) o.title = p.source ? `${p.help} (${p.source})` : p.help;
      return o;
    }),
  );
  setDefault(select, row?.default ?? 'current');
  // Choosing a profile fills the controls it sets, so the screen (and the share link) shows what it
  // measured with; what the previous profile set and this one does not goes back to its default, and the
  // rest stays as the reader chose it. "input" comes before "change" and runs before the form's own
  // listener recomputes; data-applied is the profile the controls were last filled from (or restored with).
  select.addEventListener('input', () => {
    const find = (name) => profiles.find((x) => x.name === name)?.sets ?? {};
    const before = find(select.dataset.applied ?? 'current');
    const now = find(select.value);
    for (const key of new Set([...Object.keys(before), ...Object.keys(now)])) {
      const node = form.querySelector(`[data-opt="${key}"]`);
      if (!node || node === select) continue;
      if (key in now) setValue(node, now[key]);
      else resetToDefault(node);
    }
    select.dataset.applied = select.value;
  });
}

// The chosen profile's help and source under its select (the core's English sentence; empty for
// "current"), after every update and restore.
export function showProfileHelp(schema, form) {
  const select = form.querySelector('[data-opt="profile"]');
  const help = form.querySelector('.profile-help');
  if (!schema || !select || !help) return;
  const p = schema.profiles.find((x) => x.name === select.value);
  select.dataset.applied = select.value;
  help.textContent = p && p.name !== 'current' ? [p.help, p.source].filter(Boolean).join(' — ') : '';
}

// Sets every form's controls from the schema; run once, before a share link restores its values (the link
// stores only what differs from these defaults).
export function applySchema(schema, t) {
  if (!schema) return;
  for (const [formId, mode] of FORMS) {
    const form = document.getElementById(formId);
    const block = form.querySelector('.repro-fields');
    const more = form.querySelector('.more-fields');
    for (const node of form.querySelectorAll('[data-opt]')) {
      const row = rowFor(schema, node.dataset.opt, mode);
      if (!row || row.name === 'profile') continue;
      if (node.type === 'number') {
        if (row.min !== undefined && row.min !== null) node.min = String(row.min);
        if (row.max !== undefined && row.max !== null) node.max = String(row.max);
        // Fractions are valid for a "number" row; a field's own finer step (0.01) stays for its arrows.
        if (row.type === 'number' && !node.hasAttribute('step')) node.step = 'any';
        else if (row.type === 'integer') node.step = '1';
      }
      setDefault(node, row.default);
      if (row.tier === 'reproduction' && block) block.append(node.closest('.field'));
      else if (row.tier === 'expert' && more) more.append(node.closest('.field'));
    }
    fillProfiles(schema, form, mode, t);
  }
}

// Whether a control's option applies under the other controls' current values (the row's applies_when,
// e.g. {"engine": ["vllm"]}). A controlling value the core decides at run time (auto, empty) is unknown
// here, so the control stays shown.
export function applies(schema, form, mode, node) {
  const when = rowFor(schema, node.dataset.opt, mode)?.applies_when;
  if (!when) return true;
  return Object.entries(when).every(([key, allowed]) => {
    const ctl = form.querySelector(`[data-opt="${key}"]`);
    if (!ctl) return true;
    let v = sentValue(ctl);
    if (v === '') {
      const d = rowFor(schema, key, mode)?.default;
      if (d === null || d === undefined) return true;
      v = String(d);
    }
    return allowed.map(String).includes(v);
  });
}

// The engine × format table (the schema's engine_formats, from core/src/memory/support.cpp): a weight format
// or KV cache type the chosen engine cannot run is disabled in its select, and a choice that became
// impossible when the engine changed goes back to the select's "auto" entry (the core then decides, and
// says so). Formats the engine converts on load stay choosable: the core estimates them as converted.
export function syncFormats(schema, form) {
  const engine = form.querySelector('[data-opt="engine"]')?.value;
  const table = schema?.engine_formats?.[engine];
  if (!table) return;
  for (const key of ['quant', 'kv_dtype']) {
    const select = form.querySelector(`select[data-opt="${key}"]`);
    if (!select || !table[key]) continue;
    for (const o of select.options) o.disabled = table[key][o.value] === 'refused';
    if (select.selectedOptions[0]?.disabled) {
      const fallback = autoOption(select) ?? [...select.options].find((o) => !o.disabled);
      if (fallback) select.value = fallback.value;
    }
  }
}
