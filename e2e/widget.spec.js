// The embeddable widget: the sample docs page (strict CSP, hostile CSS, script loaded twice),
// config-url fetching exactly its URL, the iframe page, and the npm package installed into an empty
// folder and served statically.
import { test, expect, openPage } from './fixtures.js';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync, readdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, extname } from 'node:path';
import { commas, rate, size } from '../web/src/dom.js';
import { PALETTE, partColour } from '../web/src/palette.js';

const root = new URL('..', import.meta.url).pathname;
// What the native CLI says for the same request: the widget must show the same numbers.
const cliOp = (op, config, ...args) => {
  try {
    return JSON.parse(execFileSync(join(root, 'build/native/bin/gpumem'), [op, join(root, 'tests/fixtures/configs', config), ...args, '--json'], { encoding: 'utf8' }));
  } catch (e) {
    return JSON.parse(e.stdout); // an error answer exits non-zero
  }
};
const cli = (config, ...args) => cliOp('estimate', config, ...args);
// The bundled gallery's display names (what a widget with gallery="id" shows).
const galleryName = (id) => JSON.parse(readFileSync(join(root, 'dist/gallery/index.json'), 'utf8')).find((g) => g.id === id).name;
const shadowText = (locator) => locator.evaluate((el) => el.shadowRoot.textContent);

test('the sample docs page shows both widgets under a strict CSP and hostile CSS, script loaded twice', async ({ page }) => {
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto('/examples/docs.html');
  const w1 = page.locator('#w1');
  const w2 = page.locator('#w2');
  await expect(w1.getByText(/^Total: \d+(\.\d+)? GiB/)).toBeVisible();
  await expect(w1.locator('[part="headline"]')).toHaveText(`${galleryName('llama-3-8b')} · bf16 · 8,192 tokens`);
  await expect(w1.getByRole('table')).toBeVisible(); // host CSS hides every table and div; not this one
  await expect(w2.getByText(new RegExp(`^${galleryName('qwen2-7b-instruct')} · fp16: \\d+(\\.\\d+)? GiB$`))).toBeVisible();
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
  await expect(page.locator('#remote').getByText(`Total: ${size(expected.memory.total_bytes)}`)).toBeVisible();
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
  await expect(page.locator('gpumem-calculator').getByText(`${galleryName('gpt2')} · fp32: ${size(expected.memory.total_bytes)}`)).toBeVisible();
});

test('the compact widget adds tokens/s where the model fits, as the CLI computes it, in English and 中文', async ({ page }) => {
  const speed = cliOp('speed', 'llama-3-8b.json', '--gpu', 'RTX 4090');
  expect(cliOp('fit', 'llama-3-8b.json', '--gpu', 'RTX 4090').fits).toBe(true);
  const tps = rate(speed.speed.decode.tokens_per_s);
  const widget = page.locator('gpumem-calculator [part="headline"]');
  await page.goto('/embed.html?gallery=llama-3-8b&gpu=RTX%204090&compact');
  await expect(widget).toHaveText(new RegExp(` — fits on RTX 4090 · ~${tps.replace('.', '\\.')} tok/s$`));
  await page.goto('/embed.html?gallery=llama-3-8b&gpu=RTX%204090&compact&lang=zh');
  await expect(widget).toHaveText(new RegExp(` — 可运行于 RTX 4090 · 约 ${tps.replace('.', '\\.')} token/s$`));
  // Where it does not fit, no rate: it would read as a promise.
  await page.goto('/embed.html?gallery=llama-3-8b&gpu=RTX%203060&compact');
  await expect(widget).toHaveText(/ — does not fit on RTX 3060$/);
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
    await expect(page.locator('gpumem-calculator').getByText(`${galleryName('llama-2-7b')} · fp16: ${size(expected.memory.total_bytes)}`)).toBeVisible();
  } finally {
    server.close();
  }
});

test('"Embed this" gives snippets that render the same model in a widget', async ({ page }) => {
  await openPage(page);
  await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
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

test('the widget names the model, says its parts in words and colours, gives headroom, largest context and what fits', async ({ page }) => {
  await page.goto('/embed.html?gallery=mistral-7b-v0.1&dtype=fp16&gpu=RTX%204080');
  const w = page.locator('gpumem-calculator');
  const fit = cliOp('fit', 'mistral-7b-v0.1.json', '--dtype', 'fp16', '--gpu', 'RTX 4080');
  await expect(w.locator('[part="headline"]')).toHaveText(`${galleryName('mistral-7b-v0.1')} · fp16 · 4,096 tokens`); // not "mistral"
  await expect(w.locator('[part="verdict"]')).toContainText(`Fits on RTX 4080: ${size(fit.capacity.bytes)} usable, ${size(fit.headroom_bytes)} left`);
  await expect(w.locator('[part="context"]')).toContainText(`Largest context on RTX 4080: ${commas(fit.max_context)} tokens`);
  const table = w.locator('[part="table"]');
  await expect(table).toContainText('KV cache');
  await expect(table).toContainText('runtime overhead');
  expect(await shadowText(w)).not.toMatch(/kv_cache|runtime_overhead/);
  const kv = table.locator('tr[data-part="kv_cache"]');
  const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
  expect(await kv.locator('.sw').evaluate((n) => getComputedStyle(n).backgroundColor)).toBe(rgb(PALETTE[partColour('kv_cache')]));
  await expect(kv.locator('td')).toHaveAttribute('title', /^[\d,]+ B$/);
  // The dtype menu offers what inference loads (the schema's values), not the weights-only int8/int4.
  expect(await w.locator('select[data-option="dtype"] option').allTextContents()).toEqual(['fp32', 'fp16', 'bf16']);
  // The name attribute wins; zh labels are the page's.
  await w.evaluate((el) => { el.setAttribute('name', 'Mistral 7B'); el.setAttribute('lang', 'zh'); });
  await expect(w.locator('[part="headline"]')).toHaveText(/^Mistral 7B · fp16 · /);
  await expect(table).toContainText('KV 缓存');
  await expect(w.locator('[part="verdict"]')).toContainText('RTX 4080 放得下');
  // A card it does not fit: the shortfall, and what would fit when the core advises (absent without "advise").
  await w.evaluate((el) => { el.setAttribute('lang', 'en'); el.setAttribute('gpu', 'RTX 3060'); });
  const short = cliOp('fit', 'mistral-7b-v0.1.json', '--dtype', 'fp16', '--gpu', 'RTX 3060');
  await expect(w.locator('[part="verdict"]')).toContainText(`Does not fit on RTX 3060: ${size(short.capacity.bytes)} usable, ${size(-short.headroom_bytes)} short`);
  const advice = await page.evaluate(async () => {
    const { loadEngine } = await import('/src/engine.js');
    const text = await (await fetch('/gallery/mistral-7b-v0.1.json')).text();
    return (await loadEngine()).call({ op: 'advise', config_text: text, options: { dtype: 'fp16', gpu: 'RTX 3060' } });
  });
  if (advice.ok && !advice.current.fits && advice.nearest.length) {
    await expect(w.locator('[part="what-fits"]')).toContainText(/^Does not fit on RTX 3060 — fits as .+ \([\d,]+ tokens\)$/);
  } else {
    await expect(w.locator('[part="what-fits"]')).toHaveCount(0);
  }
});

test('attributes the core rejects say so inside the widget; "null" means the default', async ({ page }) => {
  await page.goto('/embed.html?gallery=gpt2&gpu=RTX%209999');
  const w = page.locator('gpumem-calculator');
  const alert = w.getByRole('alert');
  await expect(alert).toContainText('Unknown GPU "RTX 9999" in the gpu attribute');
  await expect(alert).toContainText('gpumem gpus');
  await expect(alert).toContainText('[bad_request]');
  await w.evaluate((el) => { el.gpu = null; el.context = 'abc'; });
  await expect(alert).toContainText('context="abc": context must be a whole number');
  await w.evaluate((el) => { el.context = 'null'; el.dtype = 'int8'; });
  await expect(alert).toContainText('dtype="int8": Unknown load dtype "int8"');
  await w.evaluate((el) => { el.dtype = null; el.engine = 'null'; });
  await expect(w.locator('[part="total"]')).toHaveText(/^Total: /);
  await expect(alert).toHaveCount(0);
});

test('a config without torch_dtype gets the core\'s answer (no dtype sent)', async ({ page }) => {
  const text = readFileSync(join(root, 'tests/fixtures/configs/gpt2-large.json'), 'utf8');
  expect(JSON.parse(text).torch_dtype).toBeUndefined();
  await page.goto(`/embed.html?config=${encodeURIComponent(text)}`);
  const w = page.locator('gpumem-calculator');
  const expected = cli('gpt2-large.json');
  if (expected.ok) await expect(w.locator('[part="total"]')).toHaveText(new RegExp(`^Total: ${size(expected.memory.total_bytes)} `));
  else await expect(w.getByRole('alert')).toHaveText(`Error: ${expected.error.message} [${expected.error.code}]`);
});
