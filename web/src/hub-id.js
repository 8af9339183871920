// What the reader typed or pasted: a Hugging Face model id or address, a gallery query, or config.json text.
// Pure (no DOM, no request): the page, the widget and tests/node/hub-id.test.mjs share it.
//
//   org/name                                  a model at its default branch
//   org/name@revision                         a branch, tag or commit
//   https://huggingface.co/org/name           the model page (also hf.co, www.huggingface.co, no scheme)
//   …/tree/revision[/sub/folder]              a folder of the repo at a revision
//   …/blob/revision/path/file.gguf            one GGUF file (quant) of the repo; …/resolve/… alike
//   …/blob/revision/sub/config.json           any other file: its folder
//
// Repo names follow huggingface_hub's validate_repo_id (utils/_validators.py): letters, digits, '-', '_'
// and '.', not starting or ending with '-' or '.', no '--' or '..', at most 96 characters for the name, not
// ending in '.git'.

const HOSTS = new Set(['huggingface.co', 'www.huggingface.co', 'hf.co']);
// First path segments of huggingface.co that are not a model owner.
const NOT_MODEL = new Set(['datasets', 'spaces', 'docs', 'api', 'settings', 'blog', 'papers', 'collections', 'models',
  'organizations', 'login', 'join', 'pricing', 'tasks', 'learn', 'chat', 'posts', 'search', 'new', 'enterprise']);
const PART = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?$/;
const MAX_NAME = 96;
// A git ref or commit as the Hub takes it in /resolve/{revision}/ and /api/models/{id}/revision/{revision}:
// refs/pr/1, v1.0, main, a 40-digit sha.
const REVISION = /^[A-Za-z0-9_][A-Za-z0-9_.\-/]{0,199}$/;

function fail(reason) {
  return { kind: 'invalid', reason };
}

// Checks "org/name" or a legacy one-part "name"; returns a reason code or null.
function idProblem(id) {
  const parts = id.split('/');
  if (parts.length > 2 || parts.some((p) => p === '')) return 'bad_id';
  if (!parts.every((p) => PART.test(p))) return 'bad_id';
  if (parts[parts.length - 1].length > MAX_NAME) return 'too_long';
  if (id.includes('--') || id.includes('..')) return 'bad_id';
  if (/\.git$/i.test(id)) return 'bad_id';
  return null;
}

function revisionProblem(rev) {
  return REVISION.test(rev) && !rev.includes('..') && !rev.endsWith('/') ? null : 'bad_revision';
}

// A path inside the repo: segments without '..', '.', empty parts or control characters.
function pathProblem(segments) {
  return segments.every((s) => s !== '' && s !== '.' && s !== '..' && !/[\u0000-\u001f\\]/.test(s)) ? null : 'bad_path';
}

// [org, name, ...rest] after the host (or of a bare path); `single` allows a one-part legacy id ("gpt2").
function fromSegments(segs, single) {
  let decoded;
  try {
    decoded = segs.map((s) => decodeURIComponent(s));
  } catch {
    return fail('bad_path');
  }
  if (decoded.length === 0) return fail('empty');
  if (NOT_MODEL.has(decoded[0].toLowerCase())) return fail('not_model');
  const verbs = new Set(['tree', 'blob', 'resolve', 'commit', 'discussions', 'settings', 'edit', 'commits']);
  // A one-part id is followed directly by a verb (huggingface.co/gpt2/tree/main) or by nothing.
  const oneName = single && (decoded.length === 1 || verbs.has(decoded[1]));
  const idParts = oneName ? decoded.slice(0, 1) : decoded.slice(0, 2);
  if (idParts.length < 2 && !oneName) return fail('bad_id');
  let id = idParts.join('/');
  let revision = null;
  // org/name@revision (the form the CLI tools take) on the name part.
  const at = id.indexOf('@');
  if (at >= 0) {
    revision = id.slice(at + 1);
    id = id.slice(0, at);
    if (revision === '') return fail('bad_revision');
  }
  const problem = idProblem(id);
  if (problem) return fail(problem);
  const rest = decoded.slice(idParts.length);
  let subfolder = '';
  let file = null;
  if (rest.length > 0) {
    const [verb, rev, ...path] = rest;
    if (verb === 'tree' || verb === 'blob' || verb === 'resolve' || verb === 'commit') {
      if (rev === undefined || rev === '') return fail('bad_revision');
      if (revision !== null) return fail('bad_revision'); // name@rev and /tree/rev together
      revision = rev;
      if (path.length > 0) {
        const p = pathProblem(path);
        if (p) return fail(p);
        if (verb === 'tree') subfolder = path.join('/');
        else if (verb === 'blob' || verb === 'resolve') {
          if (/\.gguf$/i.test(path[path.length - 1])) file = path.join('/');
          else subfolder = path.slice(0, -1).join('/');
        }
      }
    } else if (!verbs.has(verb)) {
      return fail('bad_id'); // org/name/something: not an address of a model
    }
  }
  if (revision !== null) {
    const p = revisionProblem(revision);
    if (p) return fail(p);
  }
  return { kind: 'hub', id, revision, subfolder, file };
}

// Parses a Hub id or address alone: {kind: 'hub', id, revision, subfolder, file} or {kind: 'invalid', reason}.
// Reasons: empty, not_huggingface (an address of another site), not_model (a dataset, Space or site page),
// bad_id, too_long, bad_revision, bad_path.
export function parseHubId(text, { single = false } = {}) {
  const t = String(text ?? '').trim();
  if (!t) return fail('empty');
  if (/\s/.test(t)) return fail('bad_id');
  let rest = t;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(t);
  if (scheme || /^(www\.)?(huggingface\.co|hf\.co)(\/|$)/i.test(t)) {
    let url;
    try {
      url = new URL(scheme ? t : `https://${t}`);
    } catch {
      return fail('bad_id');
    }
    if (!/^https?:$/.test(url.protocol) || !HOSTS.has(url.hostname.toLowerCase())) return fail('not_huggingface');
    rest = url.pathname;
    single = true; // huggingface.co/gpt2 names a model
  }
  // A bare org/name@revision: the revision may hold slashes (refs/pr/1), so it is cut off before splitting.
  const at = rest === t ? t.indexOf('@') : -1;
  if (at >= 0) {
    const revision = t.slice(at + 1);
    const id = t.slice(0, at);
    if (!id.includes('/') && !single) return fail('bad_id');
    const problem = idProblem(id) ?? (revision ? revisionProblem(revision) : 'bad_revision');
    return problem ? fail(problem) : { kind: 'hub', id, revision, subfolder: '', file: null };
  }
  const segs = rest.replace(/^\/+/, '').replace(/\/+$/, '').split('/');
  if (segs.length === 1 && segs[0] === '') return fail('empty');
  return fromSegments(segs, single);
}

// What a text is, for the input it was typed in:
//   'search' (the gallery box): an id needs a '/' (org/name) or an address; anything else is a query.
//   'paste' (the config box): JSON (or anything starting like a document) is config text; a one-line
//   text that is not JSON is read as an id, so "meta-llama/Llama-3.1-8B" never gives a JSON error.
// Returns {kind: 'hub', …} | {kind: 'invalid', reason} | {kind: 'query', query} | {kind: 'config'} |
// {kind: 'empty'}.
export function recognise(text, where = 'search') {
  const t = String(text ?? '').trim();
  if (!t) return { kind: 'empty' };
  if (/^[[{<"]/.test(t) || /\n/.test(t)) return where === 'paste' ? { kind: 'config' } : { kind: 'query', query: t };
  const addressLike = /^[a-z][a-z0-9+.-]*:\/\//i.test(t) || /^(www\.)?(huggingface\.co|hf\.co)(\/|$)/i.test(t);
  if (where === 'search') {
    if (!addressLike && !t.includes('/')) return { kind: 'query', query: t };
    return parseHubId(t);
  }
  if (!addressLike && !t.includes('/')) {
    // One word: a JSON literal or number is config text (the core says why it is not a config); else a
    // legacy one-part id ("gpt2").
    try {
      JSON.parse(t);
      return { kind: 'config' };
    } catch {
      return parseHubId(t, { single: true });
    }
  }
  return parseHubId(t);
}

// "org/name" or "org/name@revision": the form a link and the status line carry.
export function refText(ref) {
  return ref.revision ? `${ref.id}@${ref.revision}` : ref.id;
}

// Each invalid-id reason → its sentence in web/src/i18n.js (en and zh); here, not in hub.js, so the page words an
// invalid id without loading the Hub reader.
const REASONS = {
  empty: 'hub.reason.empty',
  not_huggingface: 'hub.reason.notHub',
  not_model: 'hub.reason.notModel',
  bad_id: 'hub.reason.badId',
  too_long: 'hub.reason.tooLong',
  bad_revision: 'hub.reason.revision',
  bad_path: 'hub.reason.path',
};

// The sentence for an id that cannot be read (parseHubId's reason).
export function idMessage(t, text, reason) {
  return t('hub.err.badId', { text: text.length > 80 ? `${text.slice(0, 80)}…` : text, reason: t(REASONS[reason] ?? 'hub.reason.badId') });
}
