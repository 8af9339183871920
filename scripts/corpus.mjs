// Regression corpus for the gpumem CLI: proves that a refactor changes no figure (issue 17's acceptance:
// byte-identical outputs before and after, except documented additions). The corpus is generated, not
// stored: a fixed, deterministic list of CLI invocations over every config in tests/fixtures/configs
// (params, weights, inference on each engine with several option sets, fit, sweep, training recipes,
// human-readable output, error cases, convert, gpus, --help). Errors are part of the corpus.
//
//   node scripts/corpus.mjs run --bin PATH/TO/gpumem --out FILE.jsonl [--configs DIR]... [--jobs N]
//       runs every invocation (cwd = the repository root, N at a time, default min(4, cores)) and writes
//       one line per invocation, in id order: {"id", "args", "rc", "out"} (+ "err": stderr, when any;
//       "signal", when killed). Config paths in args are relative to the repository root.
//   node scripts/corpus.mjs compare BEFORE.jsonl AFTER.jsonl [--allow FILE] [--quiet]
//       compares the two runs case by case (same id, same args). Outputs are parsed as JSON where
//       possible; each difference is one of
//         addition       AFTER holds every key and value of BEFORE, recursively, plus new keys; in arrays of
//                        assumptions ({code, path, message}) new entries may be inserted anywhere
//         error-message  both are {"ok": false} errors with the same error.code and error.path
//         changed        anything else (values, removed keys, exit status, text)
//       --allow FILE: a JSON list of rules tolerating known differences:
//         [{"match": {"args_include": ["--mode", "train"]}, "kinds": ["changed"],
//           "paths": ["/memory/parts/runtime_overhead", "/memory/total_bytes"], "why": "issue 17: …"}]
//       args_include: every item must equal an argument or be a substring of one (a config's name works);
//       kinds: the difference kinds tolerated; paths (optional): JSON-pointer prefixes to which a "changed"
//       difference must be confined; "parts": ["id", …] is shorthand for "/memory/parts/id". Elements of
//       arrays whose items all carry a unique string "id" (memory.parts) are addressed by that id, others
//       by index. Exit status 0 when every difference is an addition or allowed, else 1; the last line is
//       "corpus: N identical, N additions, N allowed, N unexpected".
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, resolve, relative, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// ---- the invocations ----------------------------------------------------------------------------------

const ENGINES = ['hf', 'vllm', 'llamacpp'];

// Inference option sets: [engines (null = all three), args]. Some sets name no dtype, so configs without
// torch_dtype take the error path there and the success path in the others.
const INFERENCE = [
  [null, []],
  [null, ['--dtype', 'bf16', '--batch', '4', '--context', '8192']],
  [null, ['--dtype', 'fp16', '--quant', 'bnb-nf4', '--double-quant']],
  [null, ['--quant', 'gptq-4bit', '--group-size', '64', '--dtype', 'fp16']],
  [null, ['--quant', 'fp8', '--kv-dtype', 'fp8', '--dtype', 'bf16']],
  [null, ['--tp', '2']],
  [null, ['--pp', '2', '--gpus', '4', '--dtype', 'bf16']],
  [null, ['--offload-layers', '4']],
  [null, ['--offload-layers', '4', '--dtype', 'fp16', '--batch', '2']],
  [null, ['--beams', '4', '--prompt', '100', '--context', '600']],
  [null, ['--dtype', 'fp32', '--kv-dtype', 'fp16', '--context', '32768']],
  [['llamacpp'], ['--quant', 'gguf-q4_k_m', '--kv-dtype', 'q8_0']],
  [['llamacpp'], ['--quant', 'gguf-q8_0', '--kv-dtype', 'q4_0', '--dtype', 'bf16', '--context', '16384']],
  [['llamacpp'], ['--no-flash-attn', '--dtype', 'bf16']],
  [['hf'], ['--attn-implementation', 'eager', '--transformers', '4.40']],
  [['hf'], ['--transformers', '4.20', '--lazy-loading', 'false', '--count-context', 'false']],
  [['hf'], ['--device-map', 'auto', '--gpu', 'RTX 4090', '--gpus', '2', '--dtype', 'bf16']],
  [['hf'], ['--quant', 'bnb-int8', '--dtype', 'fp16', '--batch', '8']],
  [['hf'], ['--quant', 'awq-4bit', '--dtype', 'fp16']],
  [['vllm'], ['--gpu-memory-utilization', '0.8']],
  [['vllm'], ['--quant', 'mxfp4', '--dtype', 'bf16', '--gpu-memory-utilization', '0.95', '--batch', '16']],
];

const TRAINING = [
  [],
  ['--precision', 'fp32', '--optimizer', 'sgd', '--measure', 'allocated'],
  ['--precision', 'amp-fp16', '--batch', '4', '--seq', '1024', '--checkpointing', 'full'],
  ['--lora-rank', '16', '--lora-targets', 'all-linear'],
  ['--lora-rank', '64', '--quant', 'bnb-nf4', '--double-quant', '--lora-dropout', '0.1'],
  ['--lora-rank', '8', '--quant', 'bnb-int8', '--bitsandbytes', '0.39.0', '--transformers', '4.30',
    '--prepare-kbit', 'false'],
  ['--lora-rank', '16', '--quant', 'bnb-fp4', '--lora-targets', 'q_proj,v_proj', '--seq', '2048'],
  ['--optimizer', 'adamw8bit', '--attention', 'eager', '--legacy-autograd', '--cuda-context-mib', '1343'],
  ['--optimizer', 'none', '--loss', 'sum', '--keep-outputs', '--precision', 'bf16', '--measure', 'allocated',
    '--transformers', '4.41'],
  ['--loss', 'chunked', '--optimizer', 'adafactor'],
  ['--engine', 'deepspeed', '--zero', '3', '--gpus', '8', '--offload', 'params'],
  ['--engine', 'deepspeed', '--zero', '1', '--gpus', '2', '--precision', 'amp-bf16'],
  ['--zero', '2', '--gpus', '4', '--offload', 'optimizer'],
  ['--tp', '2', '--gpus', '4', '--sequence-parallel'],
  ['--optimizer', 'lion', '--checkpointing', 'selective', '--attention', 'flash'],
  ['--optimizer', 'paged-adamw8bit'],
  ['--optimizer', 'sgd-momentum', '--attention', 'sdpa', '--batch', '2'],
  ['--optimizer', 'adam-mini', '--grad-accum', '8'],
  ['--measure', 'nvidia-smi'],
];

// Error cases, run on a few configs only: [command, args after CONFIG --json].
const ERRORS = [
  ['estimate', ['--engine', 'foo']],
  ['estimate', ['--batch', '0']],
  ['estimate', ['--batch', 'abc']],
  ['estimate', ['--batch', '1.5']],
  ['estimate', ['--batch', '-1']],
  ['estimate', ['--context', '99999999999999999']],
  ['estimate', ['--gpus', '0']],
  ['estimate', ['--mode', 'train', '--seq', '0']],
  ['estimate', ['--mode', 'train', '--seq', '200000000']],
  ['estimate', ['--mode', 'train', '--zero', '5']],
  ['estimate', ['--mode', 'train', '--lora-rank', 'x']],
  ['estimate', ['--mode', 'train', '--lora-rank', '8', '--lora-targets', 'foo']],
  ['estimate', ['--quant', 'gptq-4bit', '--mode', 'train', '--lora-rank', '8']],
  ['estimate', ['--quant', 'bnb-nf4', '--mode', 'train']],
  ['estimate', ['--double-quant', '--mode', 'train']],
  ['estimate', ['--offload', 'params', '--mode', 'train']],
  ['estimate', ['--gpu-memory-utilization', '1.5', '--engine', 'vllm']],
  ['estimate', ['--mode', 'train', '--lora-rank', '8', '--lora-dropout', '1']],
  ['estimate', ['--mode', 'train', '--lora-rank', '8', '--lora-dropout', '-0.1']],
  ['estimate', ['--transformers', '3.0']],
  ['estimate', ['--transformers', '4.40.x']],
  ['estimate', ['--mode', 'train', '--transformers', '3.0']],
  ['estimate', ['--mode', 'train', '--lora-rank', '8', '--quant', 'bnb-int8', '--bitsandbytes', '0.43x']],
  ['estimate', ['--kv-dtype', 'q4_0', '--engine', 'hf']],
  ['estimate', ['--prompt', '9000', '--context', '100']],
  ['estimate', ['--pp', '3', '--gpus', '4']],
  ['estimate', ['--device-map', 'auto']],
  ['estimate', ['--device-map', 'auto', '--gpu', 'NoSuchGPU']],
  ['estimate', ['--mode', 'foo']],
  ['estimate', ['--mode', 'weights', '--dtype', 'fp8']],
  ['estimate', ['--precision', 'fp64', '--mode', 'train']],
  ['estimate', ['--optimizer', 'adam', '--mode', 'train']],
  ['estimate', ['--quant', 'gguf-q4_k_m', '--engine', 'hf']],
  ['estimate', ['--bogus-option']],
  ['estimate', ['--batch']],
  ['sweep', ['--points', '2000']],
  ['sweep', ['--points', '1']],
  ['fit', ['--solve', 'foo', '--gpu', 'RTX 4090']],
  ['fit', ['--gpu', 'NoSuchGPU']],
];
const ERROR_CONFIGS = ['llama-3-8b.json', 'mixtral-8x7b-v0.1.json', 'gpt-oss-20b.json'];

const CONVERT_VALUES = [
  '0', '-0', '1', '3.14', '65504', '65520', '448', '1e-8', '-2.5e-40', 'inf', 'nan', '0x7f800001',
];

function configFiles(dirs) {
  const files = [];
  for (const dir of dirs) {
    const abs = resolve(dir);
    const names = readdirSync(abs)
      .filter((f) => f.endsWith('.json'))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const name of names) {
      const rel = relative(root, join(abs, name));
      files.push({ name, path: rel.startsWith('..') || isAbsolute(rel) ? join(abs, name) : rel });
    }
  }
  return files;
}

export function invocations(configs) {
  const cases = [];
  const add = (...args) => cases.push(args.flat());
  add('gpus', '--json');
  add('gpus');
  add('--help');
  for (const { path: c } of configs) {
    add('params', c, '--json');
    add('estimate', c, '--json', '--mode', 'weights');
    add('estimate', c, '--json', '--mode', 'weights', '--dtype', 'int4');
    add('estimate', c, '--json', '--mode', 'weights', '--dtype', 'fp32');
    for (const engine of ENGINES)
      for (const [engines, args] of INFERENCE)
        if (!engines || engines.includes(engine)) add('estimate', c, '--json', '--engine', engine, args);
    add('fit', c, '--json', '--dtype', 'bf16');
    add('fit', c, '--json', '--gpu', 'RTX 4090');
    add('fit', c, '--json', '--gpu', 'L4', '--solve', 'batch', '--engine', 'vllm');
    add('fit', c, '--json', '--gpu', 'RTX 4090', '--engine', 'llamacpp', '--quant', 'gguf-q4_k_m', '--dtype', 'bf16');
    add('sweep', c, '--json', '--points', '8');
    add('sweep', c, '--json', '--points', '5', '--max-context', '100000', '--engine', 'vllm');
    add('sweep', c, '--json', '--points', '4', '--engine', 'llamacpp', '--quant', 'gguf-q4_0', '--dtype', 'bf16');
    for (const args of TRAINING) add('estimate', c, '--json', '--mode', 'train', args);
    // The human-readable printers (figures too; errors go to stderr).
    add('params', c);
    add('estimate', c, '--dtype', 'bf16');
    add('estimate', c, '--mode', 'train', '--lora-rank', '16');
    add('fit', c, '--gpu', 'RTX 4090', '--dtype', 'bf16');
    add('sweep', c, '--points', '4', '--dtype', 'bf16');
  }
  for (const { name, path: c } of configs)
    if (ERROR_CONFIGS.includes(name)) for (const [cmd, args] of ERRORS) add(cmd, c, '--json', args);
  const first = configs[0]?.path ?? 'tests/fixtures/configs/llama-3-8b.json';
  add('estimate', '--json');
  add('estimate', 'tests/fixtures/no-such-config.json', '--json');
  add('estimate', first, first, '--json');
  add('frobnicate', '--json');
  add('estimate', first, '--batch', '0');
  add('estimate', 'tests/fixtures/no-such-config.json');
  for (const v of CONVERT_VALUES) {
    add('convert', v, '--json');
    add('convert', v, '--json', '--round', 'trunc', '--e4m3-overflow', 'saturate');
  }
  add('convert', '0x3c00', '--from', 'fp16', '--json');
  add('convert', '0x7f80', '--from', 'bf16', '--json');
  add('convert', '0x7e', '--from', 'e4m3', '--json');
  add('convert', '0x7b', '--from', 'e5m2', '--json');
  add('convert', '3.14');
  add('convert', 'abc', '--json');
  return cases;
}

// ---- run ------------------------------------------------------------------------------------------------

function runOne(bin, args, timeoutMs) {
  return new Promise((done) => {
    const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (d) => out.push(d));
    child.stderr.on('data', (d) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      done({ rc: null, out: '', err: String(e.message), signal: null });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({
        rc: code,
        out: Buffer.concat(out).toString('utf8').trim(),
        err: Buffer.concat(err).toString('utf8').trim(),
        signal,
      });
    });
  });
}

async function run(opts) {
  if (!opts.bin || !opts.out) usage('run needs --bin and --out');
  const bin = resolve(opts.bin);
  if (!existsSync(bin)) usage(`no such binary: ${bin}`);
  const configs = configFiles(opts.configs.length ? opts.configs : [join(root, 'tests', 'fixtures', 'configs')]);
  const cases = invocations(configs);
  const jobs = Math.max(1, Number(opts.jobs) || Math.min(4, os.availableParallelism()));
  const results = new Array(cases.length);
  const start = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < cases.length) {
      const id = next++;
      const r = await runOne(bin, cases[id], 120_000);
      const line = { id, args: cases[id], rc: r.rc, out: r.out };
      if (r.err) line.err = r.err;
      if (r.signal) line.signal = r.signal;
      results[id] = JSON.stringify(line);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  writeFileSync(resolve(opts.out), results.join('\n') + '\n');
  const ok = results.filter((l) => JSON.parse(l).rc === 0).length;
  const seconds = ((performance.now() - start) / 1000).toFixed(1);
  console.log(
    `corpus: ${cases.length} invocations over ${configs.length} configs (${ok} rc 0, ${cases.length - ok} errors)` +
      ` in ${seconds} s with ${jobs} jobs -> ${opts.out}`,
  );
}

// ---- compare --------------------------------------------------------------------------------------------

const isObj = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const seg = (s) => String(s).replace(/~/g, '~0').replace(/\//g, '~1');
const isAssumption = (x) => isObj(x) && typeof x.code === 'string' && typeof x.message === 'string';

function equal(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (isObj(a)) {
    if (!isObj(b)) return false;
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => k in b && equal(a[k], b[k]));
  }
  return Number.isNaN(a) && Number.isNaN(b);
}

// b holds every key and value of a, recursively (assumption arrays may gain entries).
function superset(a, b) {
  const d = [];
  diff(a, b, '', d);
  return d.every((x) => x.kind === 'added');
}

function idKeyed(arr) {
  if (!arr.length || !arr.every((x) => isObj(x) && typeof x.id === 'string')) return false;
  return new Set(arr.map((x) => x.id)).size === arr.length;
}

// Appends {path, kind: added|removed|changed, before?, after?} for every difference between a and b.
function diff(a, b, path, out) {
  if (equal(a, b)) return;
  if (isObj(a) && isObj(b)) {
    for (const k of Object.keys(a)) {
      if (k in b) diff(a[k], b[k], `${path}/${seg(k)}`, out);
      else out.push({ path: `${path}/${seg(k)}`, kind: 'removed', before: a[k] });
    }
    for (const k of Object.keys(b)) if (!(k in a)) out.push({ path: `${path}/${seg(k)}`, kind: 'added', after: b[k] });
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.every(isAssumption) && b.every(isAssumption) && (a.length || b.length)) {
      // Additions: a is a subsequence of b (element-wise superset), new entries anywhere.
      const match = [];
      let j = 0;
      for (const x of a) {
        while (j < b.length && !superset(x, b[j])) j++;
        if (j === b.length) break;
        match.push(j++);
      }
      if (match.length === a.length) {
        const used = new Set(match);
        match.forEach((jj, i) => diff(a[i], b[jj], `${path}/${jj}`, out));
        b.forEach((x, jj) => {
          if (!used.has(jj)) out.push({ path: `${path}/${jj}`, kind: 'added', after: x });
        });
        return;
      }
      // Otherwise pair entries by code and path, in order; the rest are removed or new.
      const used = new Set();
      let from = 0;
      a.forEach((x, i) => {
        let k = from;
        while (k < b.length && !(b[k].code === x.code && b[k].path === x.path)) k++;
        if (k < b.length) {
          used.add(k);
          from = k + 1;
          diff(x, b[k], `${path}/${k}`, out);
        } else out.push({ path: `${path}/${i}`, kind: 'removed', before: x });
      });
      b.forEach((x, k) => {
        if (!used.has(k)) out.push({ path: `${path}/${k}`, kind: 'added', after: x });
      });
      return;
    }
    if (idKeyed(a) && idKeyed(b)) {
      const ids = (arr) => arr.map((x) => x.id);
      const common = ids(a).filter((id) => ids(b).includes(id));
      const order = (arr) => ids(arr).filter((id) => common.includes(id)).join('\n');
      if (order(a) !== order(b)) out.push({ path, kind: 'changed', before: ids(a), after: ids(b) });
      for (const x of a) {
        const y = b.find((e) => e.id === x.id);
        if (y) diff(x, y, `${path}/${seg(x.id)}`, out);
        else out.push({ path: `${path}/${seg(x.id)}`, kind: 'removed', before: x });
      }
      for (const y of b)
        if (!a.some((x) => x.id === y.id)) out.push({ path: `${path}/${seg(y.id)}`, kind: 'changed', after: y });
      return;
    }
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) diff(a[i], b[i], `${path}/${i}`, out);
    if (a.length !== b.length)
      out.push({ path, kind: 'changed', before: `${a.length} items`, after: `${b.length} items` });
    return;
  }
  out.push({ path, kind: 'changed', before: a, after: b });
}

const parse = (text) => {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
};

// One case's difference: null when identical, else {kind, entries: [{path, kind, before, after}]}.
export function classify(before, after) {
  const entries = [];
  if (before.rc !== after.rc || before.signal !== after.signal)
    entries.push({
      path: '(rc)',
      kind: 'changed',
      before: before.signal ?? before.rc,
      after: after.signal ?? after.rc,
    });
  if ((before.err ?? '') !== (after.err ?? '')) {
    const bl = (before.err ?? '').split('\n');
    const al = (after.err ?? '').split('\n');
    const i = bl.findIndex((l, k) => l !== al[k]);
    entries.push({ path: '(stderr)', kind: 'changed', before: bl[i], after: al[i] });
  }
  if (before.out !== after.out) {
    const pb = parse(before.out);
    const pa = parse(after.out);
    if (pb.ok && pa.ok) {
      const d = [];
      diff(pb.value, pa.value, '', d);
      if (!d.length) d.push({ path: '', kind: 'changed', before: 'text', after: 'same JSON value, different text' });
      entries.push(...d);
      const eb = pb.value?.error;
      const ea = pa.value?.error;
      if (
        pb.value?.ok === false &&
        pa.value?.ok === false &&
        isObj(eb) &&
        isObj(ea) &&
        eb.code === ea.code &&
        eb.path === ea.path &&
        entries.every((e) => e.kind === 'added' || e.path === '/error/message' || e.path === '(stderr)')
      )
        return { kind: 'error-message', entries };
    } else {
      // Text: additions when BEFORE's lines are a subsequence of AFTER's.
      const bl = before.out.split('\n');
      const al = after.out.split('\n');
      let j = 0;
      const kept = bl.every((l) => {
        while (j < al.length && al[j] !== l) j++;
        return j++ < al.length;
      });
      if (kept) entries.push({ path: '(text)', kind: 'added', after: `${al.length - bl.length} new lines` });
      else {
        const i = bl.findIndex((l, k) => l !== al[k]);
        entries.push({ path: `(text line ${i + 1})`, kind: 'changed', before: bl[i], after: al[i] });
      }
    }
  }
  if (!entries.length) return null;
  // Human-mode errors: "gpumem: CODE (at PATH): message" on stderr, same code and path.
  const head = (t) => /^gpumem: ([a-z_]+)(?: \(at ([^)]*)\))?: /.exec(t ?? '')?.slice(1, 3).join(' ');
  const sameHead = head(before.err) && head(before.err) === head(after.err);
  if (entries.length === 1 && entries[0].path === '(stderr)' && before.rc !== 0 && sameHead)
    return { kind: 'error-message', entries };
  return { kind: entries.every((e) => e.kind === 'added') ? 'addition' : 'changed', entries };
}

function allowedBy(rules, args, d) {
  return rules.find((r) => {
    const inc = r.match?.args_include ?? [];
    if (!inc.every((s) => args.some((a) => a === s || a.includes(s)))) return false;
    if (!(r.kinds ?? []).includes(d.kind)) return false;
    if (d.kind !== 'changed') return true;
    const prefixes = [...(r.paths ?? []), ...(r.parts ?? []).map((p) => `/memory/parts/${seg(p)}`)];
    if (!prefixes.length) return true;
    return d.entries
      .filter((e) => e.kind !== 'added')
      .every((e) => prefixes.some((p) => e.path === p || e.path.startsWith(/[/ ]$/.test(p) ? p : `${p}/`)));
  });
}

const short = (v) => {
  const s = v === undefined ? '∅' : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}…` : s;
};
const quote = (a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`);

function describe(d) {
  const shown = d.entries.slice(0, 3).map((e) =>
    e.kind === 'added'
      ? `+${e.path}`
      : e.kind === 'removed'
        ? `-${e.path}`
        : `${e.path || '(whole output)'} ${short(e.before)} → ${short(e.after)}`,
  );
  const more = d.entries.length > 3 ? ` (+${d.entries.length - 3} more)` : '';
  return shown.join('; ') + more;
}

function readCorpus(file) {
  return readFileSync(resolve(file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
}

function compare(opts) {
  if (opts.files.length !== 2) usage('compare needs BEFORE.jsonl and AFTER.jsonl');
  const [before, after] = opts.files.map(readCorpus);
  const rules = opts.allow ? JSON.parse(readFileSync(resolve(opts.allow), 'utf8')) : [];
  const byId = new Map(after.map((c) => [c.id, c]));
  const counts = { identical: 0, additions: 0, allowed: 0, unexpected: 0 };
  const print = (tag, c, text) => {
    if (opts.quiet && tag !== 'UNEXPECTED') return;
    console.log(`${tag.padEnd(10)} #${c.id} ${c.args.map(quote).join(' ')}: ${text}`);
  };
  for (const b of before) {
    const a = byId.get(b.id);
    byId.delete(b.id);
    if (!a) {
      counts.unexpected++;
      print('UNEXPECTED', b, 'missing from AFTER');
      continue;
    }
    if (JSON.stringify(a.args) !== JSON.stringify(b.args)) {
      counts.unexpected++;
      print('UNEXPECTED', b, `args differ in AFTER: ${a.args.map(quote).join(' ')}`);
      continue;
    }
    const d = classify(b, a);
    if (!d) counts.identical++;
    else if (d.kind === 'addition') {
      counts.additions++;
      print('addition', b, describe(d));
    } else {
      const rule = allowedBy(rules, b.args, d);
      if (rule) {
        counts.allowed++;
        print('allowed', b, `${d.kind}: ${describe(d)}${rule.why ? ` [${rule.why}]` : ''}`);
      } else {
        counts.unexpected++;
        print('UNEXPECTED', b, `${d.kind}: ${describe(d)}`);
      }
    }
  }
  for (const a of byId.values()) {
    counts.unexpected++;
    print('UNEXPECTED', a, 'only in AFTER');
  }
  console.log(
    `corpus: ${counts.identical} identical, ${counts.additions} additions, ${counts.allowed} allowed, ` +
      `${counts.unexpected} unexpected`,
  );
  return counts.unexpected ? 1 : 0;
}

// ---- command line ---------------------------------------------------------------------------------------

function usage(message) {
  if (message) console.error(`corpus: ${message}`);
  console.error(
    'usage: node scripts/corpus.mjs run --bin PATH/TO/gpumem --out FILE.jsonl [--configs DIR]... [--jobs N]\n' +
      '       node scripts/corpus.mjs compare BEFORE.jsonl AFTER.jsonl [--allow FILE] [--quiet]',
  );
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { configs: [], files: [] };
  for (let i = 0; i < argv.length; i++) {
    const s = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${s} needs a value`));
    if (s === '--bin') opts.bin = value();
    else if (s === '--out') opts.out = value();
    else if (s === '--configs') opts.configs.push(value());
    else if (s === '--jobs') opts.jobs = value();
    else if (s === '--allow') opts.allow = value();
    else if (s === '--quiet') opts.quiet = true;
    else if (s.startsWith('--')) usage(`unknown option ${s}`);
    else opts.files.push(s);
  }
  return opts;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [cmd, ...rest] = process.argv.slice(2);
  const opts = parseArgs(rest);
  if (cmd === 'run') await run(opts);
  else if (cmd === 'compare') process.exitCode = compare(opts);
  else usage(cmd ? `unknown command ${cmd}` : '');
}
