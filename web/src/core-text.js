// The core's sentences in the page's language. Every assumption and error the core emits carries a
// `text`: {id, args} (core/include/gpumem/base/text.hpp), where an arg is a value formatted as the English
// output writes it ("6,738,415,616", "12.5513 GiB") or a phrase, itself {id, args} (a JSON type, a list of
// identifiers). English is the core's own `message`; zh renders the id's template. Every id of
// `{"op": "messages"}` has a zh template in core-text-zh.js (or in core-text-memory.js, the memory parts'
// formulas and sources; core-text-ops.js; core-text-speed.js, the speed op's sentences), with the same
// placeholders: tests/node/core-text.test.mjs. Adding a sentence: docs/CONTRIBUTING.md.
//
// The zh templates (about 30 KB gzip) load only for a reader of 中文: loadCoreText('zh') before rendering in zh
// (the page and the widget await it when the language is chosen); until then zh falls back to English.

// How lists of identifiers are joined ("list.or": a, b or c), by language.
export const LISTS = {
  en: {
    'list.or': { sep: ', ', last: ' or ' },
    'list.and': { sep: ', ', last: ' and ' },
    'list.or_each': { sep: ' or ', last: ' or ' },
    'list.and_each': { sep: ' and ', last: ' and ' },
    'list.comma': { sep: ', ', last: ', ' },
    'list.concat': { sep: '', last: '' },
  },
  zh: {
    'list.or': { sep: '、', last: ' 或 ' },
    'list.and': { sep: '、', last: ' 和 ' },
    'list.or_each': { sep: ' 或 ', last: ' 或 ' },
    'list.and_each': { sep: ' 和 ', last: ' 和 ' },
    'list.comma': { sep: '、', last: '、' },
    'list.concat': { sep: '', last: '' },
  },
};


let ZH = {};
let zhLoading = null;

// Loads a language's templates once (only zh has any); resolves when renderCoreText can render in it.
export function loadCoreText(lang) {
  if (lang !== 'zh') return Promise.resolve();
  zhLoading ??= import('./core-text-zh.js').then((m) => {
    ZH = m.ZH;
  });
  return zhLoading;
}

// The zh template of `id` (undefined when there is none, or before loadCoreText('zh')).
export const zhTemplate = (id) => ZH[id];

const PLACEHOLDER = /\{([A-Za-z0-9_]+)\}/g;

// Renders a core text {id, args} in `lang`; null when an id or a value is missing (the caller falls back).
function render(lang, text) {
  if (!text || typeof text.id !== 'string') return null;
  const args = text.args || {};
  const value = (v) => (v && typeof v === 'object' ? render(lang, v) : v == null ? null : String(v));
  const list = LISTS[lang]?.[text.id];
  if (list) {
    const items = Object.keys(args).sort((a, b) => Number(a) - Number(b)).map((k) => value(args[k]));
    if (items.some((s) => s == null)) return null;
    return items.map((s, i) => (i === 0 ? '' : i + 1 === items.length ? list.last : list.sep) + s).join('');
  }
  const template = ZH[text.id];
  if (template == null) return null;
  let missing = false;
  const out = template.replace(PLACEHOLDER, (_, name) => {
    const v = Object.hasOwn(args, name) ? value(args[name]) : null;
    if (v == null) missing = true;
    return v ?? '';
  });
  return missing ? null : out;
}

// The sentence to show for a core text in the page's language: zh from the template of its id, English as
// the core wrote it (`fallbackMessage`, the JSON's "message"). Falls back to the English message when the
// text is absent or has no zh template.
export function renderCoreText(lang, text, fallbackMessage) {
  if (lang === 'zh' && text) {
    const zh = render('zh', text);
    if (zh != null) return zh;
  }
  return fallbackMessage ?? (text ? render('en', text) : '') ?? '';
}

// The language a sentence rendered by renderCoreText is in (for the element's lang attribute).
export const coreTextLang = (lang, text) => (lang === 'zh' && text && render('zh', text) != null ? 'zh' : 'en');
