// The embeddable widget: the sample docs page (strict CSP, hostile CSS, script loaded twice),
// config-url fetching exactly its URL, the iframe page, and the npm package installed into an empty
// folder and served statically.
import { test, expect, openPage } from './fixtures.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, extname } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
// What the native CLI says for the same request: the widget must show the same numbers.
const cli = (config, ...args) =>
  JSON.parse(execFileSync(join(root, 'build/native/bin/gpumem'), ['estimate', join(root, 'tests/fixtures/configs', config), ...args, '--json'], { encoding: 'utf8' }));

test('the sample docs page shows both widgets under a strict CSP and hostile CSS, script loaded twice', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/examples/docs.html');
  const w1 = page.locator('#w1');
  const w2 = page.locator('#w2');
  await expect(w1.getByText(/Total: \d+\.\d{4} GiB/)).toBeVisible();
  await expect(w1.getByRole('table')).toBeVisible(); // host CSS hides every table and div; not this one
  await expect(w2.getByText(/qwen2 · fp16: \d+\.\d{4} GiB/)).toBeVisible();
  const style = await w1.evaluate((el) => {
    const total = el.shadowRoot.querySelector('.total');
    const s = getComputedStyle(total);
    return { color: s.color, size: s.fontSize, hostDisplay: getComputedStyle(el).display };
  });
  expect(style.color).not.toBe('rgb(255, 0, 0)'); // the host's red !important stays outside
  expect(style.hostDisplay).toBe('block');
  // The widget's styles do not leak: host elements keep the host's look.
  expect(await page.locator('#host-text').evaluate((el) => getComputedStyle(el).fontSize)).not.toBe('18.2px');
  expect(errors).toEqual([]);
});

test('config-url fetches exactly that URL; a failing URL shows the error state and fires gpumem-error', async ({ page }) => {
  const requests = [];
  await openPage(page);
  page.on('request', (r) => requests.push(new URL(r.url()).pathname));
  await page.evaluate(async () => {
    await import('/gpumem-calculator.js');
    const w = document.createElement('gpumem-calculator');
    w.id = 'remote';
    w.setAttribute('config-url', '/gallery/mistral-7b-v0.1.json');
    w.setAttribute('dtype', 'fp16');
    window.__events = [];
    w.addEventListener('gpumem-estimate', (e) => window.__events.push(['estimate', e.detail.memory.total_bytes]));
    w.addEventListener('gpumem-error', (e) => window.__events.push(['error', e.detail.code]));
    document.body.append(w);
  });
  const expected = cli('mistral-7b-v0.1.json', '--dtype', 'fp16');
  await expect(page.locator('#remote').getByText(`Total: ${expected.memory.gib_h}`)).toBeVisible();
  expect(requests.filter((p) => p.endsWith('.json'))).toEqual(['/gallery/mistral-7b-v0.1.json']);
  await page.evaluate(() => document.getElementById('remote').setAttribute('config-url', '/gallery/no-such-model.json'));
  await expect(page.locator('#remote').getByRole('alert')).toContainText('[fetch_failed]');
  const events = await page.evaluate(() => window.__events);
  expect(events).toContainEqual(['estimate', expected.memory.total_bytes]);
  expect(events).toContainEqual(['error', 'fetch_failed']);
});

test('embed.html builds the widget from its URL parameters', async ({ page }) => {
  await page.goto('/embed.html?gallery=gpt2&dtype=fp32&compact');
  const expected = cli('gpt2.json', '--dtype', 'fp32');
  await expect(page.locator('gpumem-calculator').getByText(`gpt2 · fp32: ${expected.memory.gib_h}`)).toBeVisible();
});

test('the npm package, installed into an empty folder and served statically, renders the widget', async ({ page }) => {
  const work = join(root, 'build', 'pack');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'site'), { recursive: true });
  execFileSync('npm', ['pack', '--pack-destination', work], { cwd: root, stdio: 'ignore' });
  const tgz = readdirSync(work).find((f) => f.endsWith('.tgz'));
  writeFileSync(join(work, 'site', 'package.json'), '{"name": "site", "private": true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', join(work, tgz)], { cwd: join(work, 'site'), stdio: 'ignore' });
  expect(existsSync(join(work, 'site', 'node_modules', 'gpumem', 'dist', 'gpumem.wasm'))).toBe(true);
  writeFileSync(join(work, 'site', 'index.html'), `<!doctype html><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'">
<link rel="icon" href="data:,">
<script type="module" src="node_modules/gpumem/dist/gpumem-calculator.js"></script>
<gpumem-calculator gallery="llama-2-7b" dtype="fp16" compact></gpumem-calculator>`);
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css' };
  const server = createServer((req, res) => {
    const file = join(work, 'site', decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(join(work, 'site')) || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] || 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((r) => server.listen(4180, '127.0.0.1', r));
  try {
    await page.goto('http://127.0.0.1:4180/index.html');
    const expected = cli('llama-2-7b.json', '--dtype', 'fp16');
    await expect(page.locator('gpumem-calculator').getByText(`llama · fp16: ${expected.memory.gib_h}`)).toBeVisible();
  } finally {
    server.close();
  }
});

test('"Embed this" gives snippets that render the same model in a widget', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('…or paste its text').fill(readFileSync(join(root, 'tests/fixtures/configs/gpt2.json'), 'utf8'));
  await page.getByRole('button', { name: 'Calculate' }).click();
  await page.getByText('Embed this').click();
  const element = await page.locator('#embed-element').textContent();
  expect(element).toContain('<gpumem-calculator config=');
  const iframe = await page.locator('#embed-iframe').textContent();
  const src = iframe.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');
  await page.goto(src);
  await expect(page.locator('gpumem-calculator').getByText('124,439,808', { exact: false })).toBeVisible();
});
