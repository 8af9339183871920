// Fits llama.cpp's efficiencies (core/src/memory/speed.cpp, kEfficiency) on the public llama-bench rows of
// tests/fixtures/speed/benchmarks.json, and prints the calibration table README lists. No dependencies: it runs the
// native CLI (`gpumem speed … --json`) once per row for the request's work (bytes, FLOPs, KV cache per context — the
// core's own figures, independent of the efficiencies) and the GPU's figures, then fits the constants here.
//
//   node scripts/fit-speed.mjs --bin build/native/bin/gpumem            fit; print the C++ rows and the errors
//   node scripts/fit-speed.mjs --bin build/native/bin/gpumem --table    the README table from the core's estimates
//
// Method: for each backend, decode and prefill separately, Nelder–Mead (restarted until it stops improving) on the
// sum over the fit rows of (ln estimated/measured tokens/s)², the constants mapped to plausible intervals (fractions
// in (0.02, 1], fixed costs in [0, 2 ms]). Fit rows: `calibration: true`, not in calibration.json's held_out_gpus
// or held_out_rows. ROCm and Vulkan have a handful of rows: only their bandwidth and matrix fractions are fitted, the
// other constants are CUDA's. The range (decode_lo … prefill_hi) is the 10th and 90th percentile of measured ÷
// estimated over the backend's fit rows (over every llama.cpp fit row for a backend with fewer than 8).
// The model below mirrors SpeedPlan::estimate for one device at batch 1 (speed.cpp); --table uses the core's own
// answers, so a slip between the two shows as a difference between the fit's errors and the table's.
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const root = new URL('../', import.meta.url);
const read = (p) => JSON.parse(readFileSync(new URL(p, root), 'utf8'));
const bench = read('tests/fixtures/speed/benchmarks.json');
const cal = read('tests/fixtures/speed/calibration.json');
const argv = process.argv.slice(2);
const bin = argv.includes('--bin') ? argv[argv.indexOf('--bin') + 1] : 'build/native/bin/gpumem';
const heldOut = (r) => cal.held_out_gpus.includes(r.gpu) || cal.held_out_rows.includes(r.id);

// The request of a benchmark row, as the CLI's flags (the test builds the same request: tests/test_speed.cpp).
export function rowFlags(r) {
  const config = `tests/${cal.models[r.model_hf]}`;
  const fmt = cal.formats[r.weight_format];
  const decode = r.metric === 'decode_tokens_per_s';
  const flags = [config, '--engine', 'llamacpp', '--gpu', r.gpu, '--backend', r.backend.toLowerCase(), '--batch', '1'];
  if (fmt.quant) flags.push('--quant', fmt.quant);
  if (fmt.dtype) flags.push('--dtype', fmt.dtype, '--kv-dtype', 'fp16');
  else flags.push('--kv-dtype', 'fp16');
  // tgN@dD: N steps after D tokens (a prompt of D, at least 1); ppN@dD: a prompt of N at depth D.
  if (decode) flags.push('--prompt', String(Math.max(1, r.context_depth)), '--output', String(r.gen_tokens));
  else flags.push('--prompt', String(r.prompt_tokens), '--depth', String(r.context_depth), '--output', '1');
  flags.push('--ubatch-size', String(r.ubatch ?? 512), '--n-gpu-layers', String(r.ngl ?? 99));
  if (!r.flash_attn) flags.push('--no-flash-attn');
  return flags;
}

function runRow(r) {
  const p = spawnSync(bin, ['speed', ...rowFlags(r), '--json'], { cwd: new URL('.', root), encoding: 'utf8' });
  const j = JSON.parse(p.stdout);
  if (!j.ok) throw new Error(`${r.id}: ${JSON.stringify(j.error)}`);
  return j.speed;
}

// ---- the model (speed.cpp, one device, batch 1) ----
const FMT = { F16: 0, Q8_0: 1, Q4_0: 1, Q4_K_M: 1, Q5_K_M: 1 };
function decodeTime(c, x) {
  const w = x.work, h = x.hardware;
  const bw = h.bandwidth_gb_s * 1e9, eBw = h.hbm ? c.bw_hbm : c.bw;
  const eMm = (x.quantized ? c.mm[1] : c.mm[0]) * (h.workstation_or_datacenter ? c.pro : 1);
  const k = c.alu[x.fmt];
  let t = 0;
  for (const [, weight, kv, flops] of w.decode_points) {
    const mem = w.decode_weight_bytes / (bw * eBw) + kv / (bw * c.kv);
    const alu = h.fp32_tflops > 0 ? (k * w.decode_alu_params) / (h.fp32_tflops * 1e12) : 0;
    const mm = h.matrix_tflops > 0 ? flops / (h.matrix_tflops * 1e12 * eMm) : 0;
    t += weight * (Math.max(mem, alu + mm) + w.layers * c.layer_s);
  }
  return t;
}
function prefillTime(c, x) {
  const w = x.work, h = x.hardware;
  const bw = h.bandwidth_gb_s * 1e9, eBw = h.hbm ? c.bw_hbm : c.bw;
  const P = h.matrix_tflops * 1e12;
  const eMm = (x.quantized ? c.mm[1] : c.mm[0]) * (h.workstation_or_datacenter ? c.pro : 1);
  const comp = w.prefill_matmul_flops / (P * eMm) + w.prefill_attention_flops / (P * c.attn);
  const mem = (w.prefill_chunks * w.prefill_weight_bytes) / (bw * eBw);
  const dq = x.quantized ? (w.prefill_chunks * c.dequant * w.prefill_quant_params) / bw : 0;
  return Math.max(comp, mem) + dq + w.prefill_chunks * w.layers * c.ubatch_layer_s;
}
const estimate = (c, x) =>
  x.decode ? 1 / decodeTime(c, x) : (x.row.prompt_tokens * x.row.batch) / prefillTime(c, x);

// ---- Nelder–Mead on an unconstrained vector ----
function nelderMead(f, x0, iters = 3000) {
  const n = x0.length;
  let S = [x0.slice()];
  for (let i = 0; i < n; i++) {
    const y = x0.slice();
    y[i] += 0.5;
    S.push(y);
  }
  let F = S.map(f);
  for (let it = 0; it < iters; it++) {
    const o = [...S.keys()].sort((a, b) => F[a] - F[b]);
    S = o.map((i) => S[i]);
    F = o.map((i) => F[i]);
    const c = Array(n).fill(0);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) c[k] += S[i][k] / n;
    const at = (t) => c.map((v, k) => v + t * (S[n][k] - v));
    const xr = at(-1), fr = f(xr);
    if (fr < F[0]) {
      const xe = at(-2), fe = f(xe);
      [S[n], F[n]] = fe < fr ? [xe, fe] : [xr, fr];
    } else if (fr < F[n - 1]) {
      [S[n], F[n]] = [xr, fr];
    } else {
      const xc = at(0.5), fc = f(xc);
      if (fc < F[n]) [S[n], F[n]] = [xc, fc];
      else for (let i = 1; i <= n; i++) (S[i] = S[i].map((v, k) => S[0][k] + 0.5 * (v - S[0][k]))), (F[i] = f(S[i]));
    }
  }
  return { x: S[0], f: F[0] };
}
function minimize(f, x0) {
  // Several starts (the ALU and fixed-cost terms have local minima), then restarts from the best until it settles.
  let best = nelderMead(f, x0);
  for (const d of [-2, 2, 4]) {
    const y = nelderMead(f, x0.map((v) => v + d));
    if (y.f < best.f) best = y;
  }
  for (let k = 0; k < 20; k++) {
    const next = nelderMead(f, best.x);
    if (best.f - next.f < 1e-10) return next;
    best = next;
  }
  return best;
}
// Parameter maps: fractions in (0.02, 1], costs in [0, 2 ms], ALU ops in [0, 200], traffic in [0, 16] B.
const sig = (v) => 1 / (1 + Math.exp(-v));
const frac = (v) => 0.02 + 0.98 * sig(v), unfrac = (y) => -Math.log(0.98 / (y - 0.02) - 1);
const span = (hi) => [(v) => hi * sig(v), (y) => -Math.log(hi / Math.min(Math.max(y, hi * 1e-6), hi * (1 - 1e-6)) - 1)];
const MAPS = { frac: [frac, unfrac], cost: span(2e-3), alu: span(200), bytes: span(16) };

// Fits `names` (paths into the constants object, with their map) of `c0` on `rows`; returns the new constants.
function fit(c0, rows, names) {
  const get = (c, n) => n.split('.').reduce((o, k) => o[k], c);
  const set = (c, n, v) => {
    const ks = n.split('.');
    const last = ks.pop();
    ks.reduce((o, k) => o[k], c)[last] = v;
  };
  const apply = (vec) => {
    const c = structuredClone(c0);
    names.forEach(([n, m], i) => set(c, n, MAPS[m][0](vec[i])));
    if (!names.some(([n]) => n === 'bw_hbm')) c.bw_hbm = rows.some((x) => x.hardware.hbm) ? c.bw_hbm : c.bw;
    return c;
  };
  const loss = (vec) => {
    const c = apply(vec);
    let s = 0;
    for (const x of rows) s += Math.log(estimate(c, x) / x.row.value) ** 2;
    return Number.isFinite(s) ? s : 1e30;
  };
  const x0 = names.map(([n, m]) => MAPS[m][1](get(c0, n)));
  return apply(minimize(loss, x0).x);
}

// The starting point and CUDA's constants for the thinly measured backends.
const START = {
  bw: 0.9, bw_hbm: 0.5, kv: 0.5, layer_s: 80e-6, alu: [1, 1],
  mm: [0.5, 0.4], attn: 0.15, dequant: 4, ubatch_layer_s: 1e-4, pro: 0.8,
};
const DECODE = {
  CUDA: [['bw', 'frac'], ['bw_hbm', 'frac'], ['kv', 'frac'], ['layer_s', 'cost'], ['alu.0', 'alu'], ['alu.1', 'alu']],
  Metal: [['bw', 'frac'], ['kv', 'frac'], ['layer_s', 'cost'], ['alu.0', 'alu'], ['alu.1', 'alu']],
  ROCm: [['bw', 'frac']],
  Vulkan: [['layer_s', 'cost']],
};
const PREFILL = {
  CUDA: [['mm.0', 'frac'], ['mm.1', 'frac'], ['attn', 'frac'], ['dequant', 'bytes'], ['ubatch_layer_s', 'cost'], ['pro', 'frac']],
  Metal: [['mm.0', 'frac'], ['mm.1', 'frac'], ['attn', 'frac'], ['ubatch_layer_s', 'cost']],
  ROCm: [['mm.1', 'frac']],
  Vulkan: [['mm.1', 'frac']],
};

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  const i = (s.length - 1) * q, lo = Math.floor(i);
  return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (i - lo);
};
const stats = (errs) => {
  const a = errs.map(Math.abs).sort((p, q) => p - q);
  return a.length ? { n: a.length, median: quantile(a, 0.5), max: a.at(-1) } : { n: 0, median: 0, max: 0 };
};
const pct = (x) => `${(100 * x).toFixed(1)} %`;

function main() {
  const rows = bench.map((row) => {
    const s = runRow(row);
    return {
      row, decode: row.metric === 'decode_tokens_per_s', fmt: FMT[row.weight_format],
      quantized: row.weight_format !== 'F16', work: s.work, hardware: s.hardware, core: s,
    };
  });
  if (argv.includes('--table')) return table(rows);
  const usable = (x) => x.row.calibration && (x.decode || x.hardware.matrix_tflops > 0);
  const consts = {};
  for (const b of ['CUDA', 'Metal', 'ROCm', 'Vulkan']) {
    const base = b === 'CUDA' || b === 'Metal' ? structuredClone(START) : structuredClone(consts.CUDA);
    // ROCm's and Vulkan's rows come from 2025-26 builds, whose physical batches carry no such fixed cost as the
    // May 2024 CUDA builds' (ubatch_layer_s): theirs is 0, and only the fractions above are fitted.
    if (b === 'ROCm' || b === 'Vulkan') base.ubatch_layer_s = 0;
    // Only CUDA's cuBLAS path (the May 2024 builds) dequantized whole matrices to F16 before each GEMM; Metal's
    // kernel_mul_mm, ROCm's MMQ and Vulkan's mul_mm shaders dequantize inside the matmul: no separate traffic.
    if (b !== 'CUDA') base.dequant = 0;
    const mine = rows.filter((x) => x.row.backend === b && usable(x) && !heldOut(x.row));
    let c = base;
    for (let pass = 0; pass < 2; pass++) {
      c = fit(c, mine.filter((x) => x.decode), DECODE[b]);
      c = fit(c, mine.filter((x) => !x.decode), PREFILL[b]);
    }
    if (b === 'Metal') c.bw_hbm = c.bw, c.pro = 1;
    consts[b] = c;
  }
  // Ranges (from every calibration row of the backend, fit and held out alike) and the report.
  const fitErr = {}, all = [];
  for (const b of Object.keys(consts)) {
    const mine = rows.filter((x) => x.row.backend === b && usable(x));
    for (const phase of ['decode', 'prefill']) {
      const ratios = mine.filter((x) => x.decode === (phase === 'decode')).map((x) => x.row.value / estimate(consts[b], x));
      fitErr[`${b} ${phase}`] = ratios;
      all.push(...ratios.map((r) => [phase, r]));
    }
  }
  for (const b of Object.keys(consts))
    for (const phase of ['decode', 'prefill']) {
      let r = fitErr[`${b} ${phase}`];
      if (r.length < 8) r = all.filter(([p]) => p === phase).map(([, v]) => v);
      consts[b][`${phase}_lo`] = quantile(r, 0.1);
      consts[b][`${phase}_hi`] = quantile(r, 0.9);
    }
  const g = (v) => Number(v.toPrecision(3));
  const us = (v) => (v * 1e6 < 1e-3 ? '0' : `${g(v * 1e6)}e-6`);
  console.log('// kEfficiency rows for llama.cpp (speed.cpp), from scripts/fit-speed.mjs:');
  for (const [b, c] of Object.entries(consts))
    console.log(
      `    {Engine::llamacpp, Backend::${b.toLowerCase()}, true,\n     ${g(c.bw)}, ${g(c.bw_hbm)}, ${g(c.kv)}, ${us(c.layer_s)}, {${c.alu.map(g).join(', ')}},\n` +
        `     {${c.mm.map(g).join(', ')}}, ${g(c.attn)}, ${g(c.dequant)}, ${us(c.ubatch_layer_s)}, ${g(c.pro)},\n` +
        `     ${g(c.decode_lo)}, ${g(c.decode_hi)}, ${g(c.prefill_lo)}, ${g(c.prefill_hi)}},`,
    );
  console.log('\n| rows | phase | n | median abs error | max abs error |\n| --- | --- | ---: | ---: | ---: |');
  for (const [name, pick] of [['fit', (x) => !heldOut(x.row)], ['held out', (x) => heldOut(x.row)], ['all', () => true]])
    for (const phase of ['decode', 'prefill']) {
      const errs = rows
        .filter((x) => usable(x) && pick(x) && x.decode === (phase === 'decode'))
        .map((x) => estimate(consts[x.row.backend], x) / x.row.value - 1);
      const s = stats(errs);
      console.log(`| ${name} | ${phase} | ${s.n} | ${pct(s.median)} | ${pct(s.max)} |`);
    }
  if (argv.includes('--rows'))
    for (const x of rows.filter(usable))
      console.log(`${heldOut(x.row) ? 'H' : 'F'} ${x.row.id.padEnd(44)} ${pct(estimate(consts[x.row.backend], x) / x.row.value - 1)}`);
}

// The README table: every row, the core's estimate (the CLI's own answer) and the error.
function table(rows) {
  console.log('| row | GPU | backend | model | format | test | measured t/s | estimate t/s | error | use |');
  console.log('| --- | --- | --- | --- | --- | --- | ---: | ---: | ---: | --- |');
  for (const x of rows) {
    const r = x.row, s = x.core;
    const est = x.decode ? s.decode.tokens_per_s : s.prefill ? s.prefill.tokens_per_s : null;
    const err = est == null ? '–' : pct(est / r.value - 1);
    const use = !r.calibration ? 'left out (broken row)' : est == null ? 'no peak figure' : heldOut(r) ? 'held out' : 'fit';
    const model = r.model_hf.replace(/ \(.*$/, '').replace(/^.*\//, '');
    console.log(`| ${r.id} | ${r.gpu} | ${r.backend} | ${model} | ${r.weight_format} | ${r.test} | ${r.value} | ${est == null ? '–' : Number(est.toPrecision(4))} | ${err} | ${use} |`);
  }
}

main();
