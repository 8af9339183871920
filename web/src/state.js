// The page's whole state lives in the URL fragment (so a copied address reproduces the view, with no
// server) and in local storage (so a reload keeps it). The fragment is URLSearchParams text:
//   g=<gallery id> | model=<org/name[@revision]> (+ sub=<folder>, file=<chosen .gguf>: the page reads the
//   repo again) | c=<config text, deflate-raw + base64url> , n=<file name>, then one entry per control whose
//   value differs from its default (key = the control's id), e.g. inf-context=8192.
// Nothing here computes: it only reads and writes controls. A Hub token is never part of it.
import { parseHubId, refText } from './hub-id.js';

const STORE = 'gpumem:state';
// An inline config larger than this is not put in the link or in storage (a link over ~64 KB is not
// shareable anyway); the page then says the link needs the file dropped again.
const INLINE_LIMIT = 256 * 1024;

const stateful = () => [...document.querySelectorAll('[data-state], [data-opt], #gpu, #units, #inf-solve, #compare-metric, #compare-value')];

function valueOf(node) {
  if (node.type === 'checkbox') return node.checked ? '1' : '';
  return node.value;
}

function defaultOf(node) {
  if (node.type === 'checkbox') return node.defaultChecked ? '1' : '';
  if (node.tagName === 'SELECT') {
    const d = [...node.options].find((o) => o.defaultSelected) ?? node.options[0];
    return d ? d.value : '';
  }
  return node.defaultValue;
}

function setValue(node, v) {
  if (node.type === 'checkbox') node.checked = v === '1';
  else node.value = v;
}

// Base64url of deflate-raw bytes (CompressionStream is in every current browser).
async function pack(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function unpack(s) {
  const bin = atob(s.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

// The fragment for the current controls and source. `source` = {gallery, name}, {hub, name} or {text, name}.
export async function encode(source) {
  const p = new URLSearchParams();
  if (source?.gallery) p.set('g', source.gallery);
  else if (source?.hub) {
    p.set('model', refText(source.hub));
    if (source.hub.subfolder) p.set('sub', source.hub.subfolder);
    if (source.hub.file) p.set('file', source.hub.file);
  } else if (source?.text && source.text.length <= INLINE_LIMIT) p.set('c', await pack(source.text));
  if (source?.name && !source.gallery && !source.hub) p.set('n', source.name);
  const radio = document.querySelector('input[name="mode"]:checked');
  if (radio && radio.value !== 'inference') p.set('mode', radio.value);
  const view = document.querySelector('[role="tab"][aria-selected="true"]');
  if (view && view.dataset.view !== 'calculator') p.set('view', view.dataset.view);
  for (const node of stateful()) {
    if (!node.id || node.name === 'mode') continue;
    const v = valueOf(node);
    if (v !== defaultOf(node)) p.set(node.id, v);
  }
  return p.toString();
}

// Applies a fragment's controls; returns the source it names ({gallery} | {hub} | {text} | null) and the view.
export async function decode(fragment) {
  const p = new URLSearchParams(fragment);
  for (const node of stateful()) {
    if (!node.id || node.name === 'mode') continue;
    setValue(node, p.has(node.id) ? p.get(node.id) : defaultOf(node));
  }
  const mode = p.get('mode') === 'train' ? 'train' : 'inference';
  for (const r of document.querySelectorAll('input[name="mode"]')) r.checked = r.value === mode;
  let source = null;
  if (p.has('g')) source = { gallery: p.get('g') };
  else if (p.has('model')) {
    const ref = parseHubId(p.get('model'));
    const file = p.get('file');
    const sub = p.get('sub') ?? '';
    // A link's folder or file with '..' or an odd id is refused (the page then starts empty).
    if (ref.kind === 'hub' && !/(^|\/)\.\.?(\/|$)/.test(`${sub}/${file ?? ''}`)) source = { hub: { ...ref, subfolder: sub, file: file || null } };
  } else if (p.has('c')) {
    try {
      source = { text: await unpack(p.get('c')), name: p.get('n') || 'config.json' };
    } catch {
      source = null; // a damaged link: controls still apply, the config must be dropped again
    }
  }
  return { source, view: p.get('view') || 'calculator' };
}

export function save(fragment) {
  if (location.hash.slice(1) !== fragment) history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
  try {
    localStorage.setItem(STORE, fragment);
  } catch {
    // storage full or disabled: the link still carries the state
  }
}

// The fragment to start from: the address bar's, else the last one stored.
export function initial() {
  const hash = location.hash.slice(1);
  if (hash) return hash;
  try {
    return localStorage.getItem(STORE) || '';
  } catch {
    return '';
  }
}

// Preferences that belong to the reader, not to the shared view.
export const prefs = {
  get(key) {
    try {
      return localStorage.getItem(`gpumem:${key}`);
    } catch {
      return null;
    }
  },
  set(key, value) {
    try {
      localStorage.setItem(`gpumem:${key}`, value);
    } catch {
      // ignore: the preference lasts for this visit
    }
  },
};
