// The gallery: the configs bundled with the site (dist/gallery/<id>.json, listed in index.json), searched
// by name, Hugging Face id or model_type. They are read from this site only when picked.
import { el } from './dom.js';

export async function loadGallery() {
  const r = await fetch(new URL('../gallery/index.json', import.meta.url));
  if (!r.ok) throw new Error(`gallery index: HTTP ${r.status}`);
  return r.json();
}

export async function galleryConfig(id) {
  if (!/^[\w.-]+$/.test(id)) throw new Error('not a gallery id');
  const r = await fetch(new URL(`../gallery/${id}.json`, import.meta.url));
  if (!r.ok) throw new Error(`gallery config ${id}: HTTP ${r.status}`);
  return r.text();
}

const norm = (s) => s.toLowerCase().replace(/[\s_-]+/g, '');

// Renders the entries matching `query` as buttons; `onPick(entry)` when one is chosen. Returns the entries
// shown, in order.
export function renderGallery(list, entries, query, onPick) {
  const q = norm(query);
  const shown = entries.filter((e) => !q || norm(`${e.id} ${e.name} ${e.hf_id} ${e.model_type}`).includes(q));
  list.replaceChildren(
    ...shown.map((e) => {
      const b = el('button', undefined, { type: 'button', class: 'gallery-item', 'data-id': e.id });
      b.append(el('span', e.name, { class: 'name' }), el('span', e.model_type, { class: 'type' }));
      b.addEventListener('click', () => onPick(e));
      const li = el('li');
      li.append(b);
      return li;
    }),
  );
  return shown;
}
