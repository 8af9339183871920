// npm run bench:convert [-- N [FORMAT]]: conversions per second of the fp32 -> FORMAT converter
// (default 10,000,000 inputs to fp16), natively and in wasm, over the same inputs. A benchmark, not a
// test: it prints a table and checks only that every path produced the same bits.
//
//   native CLI batch, hex lines     gpumem convert --to F - < lines   (parse, convert, print; whole process)
//   native CLI batch, decimal lines the same with decimals (9 significant digits)
//   native core loop                gpumem_bench_convert: from_fp32_batch over a uint32 array, best of 5
//   wasm core loop (Node)           Module.convertBatch: the same loop compiled to wasm, best of 5
//   wasm JSON façade, per value     handle({"op":"convert"}) per input, for scale (a 2,000 subset)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync, readFileSync, openSync, closeSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import os from 'node:os';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const env = { ...process.env, NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs' };
const n = Number(process.argv[2] || 10_000_000);
const to = process.argv[3] || 'fp16';
const dir = join(root, 'build', 'bench');
mkdirSync(dir, { recursive: true });

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { env, stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed with status ${r.status}`);
  return r;
}

// ---- build what is needed -------------------------------------------------------------------------
console.log('building the native CLI, the native benchmark and the wasm module…');
if (!existsSync('build/native/CMakeCache.txt')) sh('cmake', ['--preset', 'native'], { stdio: ['ignore', 'ignore', 'inherit'] });
sh('cmake', ['--build', '--preset', 'native', '--target', 'gpumem', 'gpumem_bench_convert'], { stdio: ['ignore', 'ignore', 'inherit'] });
if (!existsSync('build/wasm/CMakeCache.txt')) sh('cmake', ['--preset', 'wasm'], { stdio: ['ignore', 'ignore', 'inherit'] });
sh('cmake', ['--build', '--preset', 'wasm', '--target', 'gpumem_web'], { stdio: ['ignore', 'ignore', 'inherit'] });

// ---- the inputs: n fp32 patterns spread over every class (xorshift32, fixed seed) -----------------
const inputs = new Uint32Array(n);
let s = 2463534242;
for (let i = 0; i < n; i++) {
  s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
  inputs[i] = s;
}
const binFile = join(dir, 'convert-input.bin');
const hexFile = join(dir, 'convert-input-hex.txt');
const decFile = join(dir, 'convert-input-dec.txt');
writeFileSync(binFile, Buffer.from(inputs.buffer));
const hexLines = new Array(n);
const decLines = new Array(n);
const f32 = new Float32Array(inputs.buffer);
for (let i = 0; i < n; i++) {
  hexLines[i] = `0x${inputs[i].toString(16).padStart(8, '0')}`;
  // Test data only: 9 significant digits name every fp32 uniquely, so the CLI parses back these bits
  // (NaN patterns become "nan", whose payload differs; they are compared by the hex run).
  decLines[i] = Number.isNaN(f32[i]) ? 'nan' : f32[i].toPrecision(9);
}
writeFileSync(hexFile, hexLines.join('\n') + '\n');
writeFileSync(decFile, decLines.join('\n') + '\n');

// ---- native --------------------------------------------------------------------------------------
const cli = join(root, 'build', 'native', 'bin', 'gpumem');
function runCli(file, outName) {
  const outFile = join(dir, outName);
  const fin = openSync(file, 'r');
  const fout = openSync(outFile, 'w');
  const t0 = performance.now();
  const r = spawnSync(cli, ['convert', '--to', to, '-'], { stdio: [fin, fout, 'inherit'] });
  const seconds = (performance.now() - t0) / 1000;
  closeSync(fin);
  closeSync(fout);
  if (r.status !== 0) throw new Error(`gpumem convert failed with status ${r.status}`);
  return { seconds, out: readFileSync(outFile, 'utf8').trimEnd().split('\n') };
}
const cliHex = runCli(hexFile, 'convert-output-hex.txt');
const cliDec = runCli(decFile, 'convert-output-dec.txt');
const nativeCore = JSON.parse(
  spawnSync(join(root, 'build', 'native', 'bin', 'gpumem_bench_convert'), [to, binFile, '5'], { encoding: 'utf8' }).stdout,
);

// ---- wasm (the module the page ships) ------------------------------------------------------------
const { loadWasm } = await import('../tests/node/wasm.mjs');
const { mod, call } = await loadWasm();
const inPtr = mod._malloc(4 * n);
const outPtr = mod._malloc(4 * n);
mod.HEAPU32.set(inputs, inPtr >>> 2);
let wasmBest = Infinity;
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  if (!mod.convertBatch(to, 'rne', 'nan', inPtr, outPtr, n)) throw new Error('convertBatch refused');
  wasmBest = Math.min(wasmBest, (performance.now() - t0) / 1000);
}
const wasmOut = Uint32Array.from(mod.HEAPU32.subarray(outPtr >>> 2, (outPtr >>> 2) + n));
mod._free(inPtr);
mod._free(outPtr);

const facadeN = Math.min(n, 2_000);
const t0 = performance.now();
for (let i = 0; i < facadeN; i++) call({ op: 'convert', bits: hexLines[i] });
const facadeSeconds = (performance.now() - t0) / 1000;

// ---- the same bits everywhere ----------------------------------------------------------------------
let checksum = 0n;
for (const v of wasmOut) checksum += BigInt(v);
const mismatches = [];
for (let i = 0; i < n && mismatches.length < 5; i++) {
  if (Number(cliHex.out[i]) !== wasmOut[i]) mismatches.push(`${hexLines[i]}: CLI ${cliHex.out[i]}, wasm ${wasmOut[i]}`);
  if (decLines[i] !== 'nan' && Number(cliDec.out[i]) !== wasmOut[i]) mismatches.push(`${decLines[i]}: CLI ${cliDec.out[i]}, wasm ${wasmOut[i]}`);
}
if (cliHex.out.length !== n || cliDec.out.length !== n) mismatches.push('the CLI printed a different number of lines');
if (BigInt(nativeCore.checksum) !== checksum) mismatches.push('native core and wasm checksums differ');

// ---- the table -------------------------------------------------------------------------------------
const rows = [
  ['native CLI batch, hex lines', n, cliHex.seconds],
  ['native CLI batch, decimal lines', n, cliDec.seconds],
  ['native core loop', n, nativeCore.seconds],
  ['wasm core loop (Node)', n, wasmBest],
  ['wasm JSON façade, per value', facadeN, facadeSeconds],
];
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`\nfp32 -> ${to}, ${n.toLocaleString('en-US')} inputs; ${os.cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}\n`);
console.log(`${'path'.padEnd(34)} ${'inputs'.padStart(12)} ${'seconds'.padStart(9)} ${'conversions/s'.padStart(15)}`);
for (const [name, count, sec] of rows) {
  console.log(`${name.padEnd(34)} ${fmt(count).padStart(12)} ${sec.toFixed(4).padStart(9)} ${fmt(count / sec).padStart(15)}`);
}
console.log(`\nnative core loop / wasm core loop: ${(wasmBest / nativeCore.seconds).toFixed(2)}× (conversions per second, native over wasm)`);
console.log(`native CLI batch (hex lines) / wasm core loop: ${(wasmBest / cliHex.seconds).toFixed(2)}× (the CLI also parses and prints text)`);
if (mismatches.length) {
  console.log(`\nMISMATCH:\n  ${mismatches.join('\n  ')}`);
  process.exit(1);
}
console.log('every path produced the same bits');
