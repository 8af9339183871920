// The core's message catalogue as the tests read it: the English a Text renders to (as the core's render()
// does) and every Text nested in one. Shared by core-text.test.mjs and speed.test.mjs.
import assert from 'node:assert/strict';

export const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

// catalogue: {"op": "messages"}'s answer. Returns renderEn(text) → the English string.
export function englishRenderer(catalogue) {
  const renderEn = (text) => {
    const args = text.args ?? {};
    const value = (v) => (typeof v === 'object' ? renderEn(v) : v);
    const list = catalogue.lists[text.id];
    if (list) {
      const items = Object.keys(args).sort((a, b) => a - b).map((k) => value(args[k]));
      return items.map((s, i) => (i === 0 ? '' : i + 1 === items.length ? list.last : list.sep) + s).join('');
    }
    const tmpl = catalogue.messages[text.id];
    assert.ok(tmpl !== undefined, `unknown id ${text.id}`);
    return tmpl.replace(PLACEHOLDER, (_, n) => {
      assert.ok(Object.hasOwn(args, n), `${text.id}: no value for {${n}}`);
      return value(args[n]);
    });
  };
  return renderEn;
}

// Every text inside a text (phrases, list items), for the id checks.
export function* texts(text) {
  yield text;
  for (const v of Object.values(text.args ?? {})) if (v && typeof v === 'object') yield* texts(v);
}
