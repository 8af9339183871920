// npm test: builds native (release and sanitized debug) and wasm, then runs every suite — clang-format, the CLI
// and the 2^32 converter sweeps natively (release), the Catch2 suite natively under ASan+UBSan, the Catch2 suite
// compiled to wasm under Node, the Node tests of the shipped wasm module and CLI, and Playwright against dist/ —
// and ends with one summary line.
import { spawn } from 'node:child_process';
import { readFileSync, existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
// Under CI (CI=true) the fuzz stage runs 30 s instead of 60 s, keeping the whole run under 20 minutes on
// 2 cores (measured 19.8 min with 60 s after issue 11's specs); FUZZ_SECONDS still overrides both.
const env = {
  ...process.env,
  NODE_PATH: process.env.NODE_PATH || '/usr/share/nodejs',
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1',
  FUZZ_SECONDS: process.env.FUZZ_SECONDS || (process.env.CI === 'true' ? '30' : '60'),
  // The fuzz target is built in the ASan stage's folder (CMakePresets.json native-debug), not a second time.
  FUZZ_PRESET: process.env.FUZZ_PRESET || 'native-debug',
};

function run(cmd, args) {
  return new Promise((resolve) => {
    console.log(`\n$ ${cmd} ${args.join(' ')}`);
    const child = spawn(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (stream) => (d) => {
      out += d;
      stream.write(d);
    };
    child.stdout.on('data', onData(process.stdout));
    child.stderr.on('data', onData(process.stderr));
    child.on('close', (code) => resolve({ code: code ?? 1, out }));
  });
}

const sources = (dirs, exts) =>
  dirs.flatMap((d) =>
    existsSync(d)
      ? readdirSync(d, { recursive: true })
          .filter((f) => exts.some((e) => f.endsWith(e)))
          .map((f) => join(d, f))
      : [],
  );

const ctestCounts = ({ code, out }) => {
  const m = out.match(/(\d+) tests? failed out of (\d+)/);
  if (!m) return { passed: 0, failed: 1 };
  const failed = Number(m[1]);
  return { passed: Number(m[2]) - failed, failed: failed || (code ? 1 : 0) };
};

// Configures every time (cheap when nothing changed) so a preset's cache variables always apply,
// also to a build folder made before they were added.
const buildStep = async (preset) => {
  if ((await run('cmake', ['--preset', preset])).code) return false;
  return (await run('cmake', ['--build', '--preset', preset])).code === 0;
};

const stages = [
  ['clang-format', async () => {
    const files = sources(['core', 'cli', 'wasm', 'tests', 'bench'], ['.cpp', '.hpp']);
    const r = await run('clang-format', ['--dry-run', '--Werror', ...files]);
    return r.code ? { passed: 0, failed: 1 } : { passed: 1, failed: 0 };
  }],
  ['native release (CLI, 2^32 sweeps)', async () => ((await buildStep('native')) ? ctestCounts(await run('ctest', ['--preset', 'native'])) : { passed: 0, failed: 1 })],
  ['native Catch2 (ASan+UBSan)', async () => ((await buildStep('native-debug')) ? ctestCounts(await run('ctest', ['--preset', 'native-debug'])) : { passed: 0, failed: 1 })],
  ['wasm Catch2 under Node', async () => ((await buildStep('wasm')) ? ctestCounts(await run('ctest', ['--preset', 'wasm'])) : { passed: 0, failed: 1 })],
  ['fuzz (libFuzzer, ASan+UBSan)', async () => {
    const r = await run('bash', ['scripts/fuzz.sh']);
    const m = r.out.match(/stat::number_of_executed_units: (\d+)/);
    if (m) console.log(`fuzz: ${m[1]} executions, ${r.code ? 'a finding' : 'no findings'}`);
    return r.code ? { passed: 0, failed: 1 } : { passed: 1, failed: 0 };
  }],
  ['static site', async () => ((await run('bash', ['scripts/build.sh'])).code ? { passed: 0, failed: 1 } : { passed: 1, failed: 0 })],
  ['node tests (wasm module, CLI)', async () => {
    const r = await run('node', ['--test', '--test-reporter=tap', ...sources(['tests/node'], ['.test.mjs'])]);
    const pass = r.out.match(/^# pass (\d+)/m);
    const fail = r.out.match(/^# fail (\d+)/m);
    if (!pass || !fail) return { passed: 0, failed: 1 };
    return { passed: Number(pass[1]), failed: Number(fail[1]) || (r.code ? 1 : 0) };
  }],
  ['Playwright e2e', async () => {
    const r = await run('npx', ['playwright', 'test']);
    const file = 'build/e2e/results.json';
    if (!existsSync(file)) return { passed: 0, failed: 1 };
    const s = JSON.parse(readFileSync(file, 'utf8')).stats;
    return { passed: s.expected + s.flaky, failed: s.unexpected || (r.code ? 1 : 0) };
  }],
];

let passed = 0;
let failed = 0;
const rows = [];
for (const [name, stage] of stages) {
  const t0 = Date.now();
  const r = await stage();
  passed += r.passed;
  failed += r.failed;
  rows.push(`  ${name.padEnd(32)} ${String(r.passed).padStart(4)} passed ${String(r.failed).padStart(3)} failed  ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
console.log('\nSuites:');
console.log(rows.join('\n'));
console.log(`total: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
