// Starting from a Hugging Face model id (issue 20), against the mocked Hub of e2e/hub-mock.js: the config and
// the checkpoint headers read by Range (and nothing more), a GGUF repo and its quants, links by id, gated
// models and the token, every failure with the previous result kept, the widget by id, and 中文.
import { test, expect, HubLog, IDS, LATENCY_MS, SLOW_MS, STORAGE_HOST, TOKEN, installHub, repos } from './hub-mock.js';
import { openPage } from './fixtures.js';
import { readFileSync } from 'node:fs';

test.describe.configure({ mode: 'parallel' });

const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const sum = (xs, key) => xs.reduce((n, x) => n + x[key], 0);
const search = (page) => page.locator('#gallery-search');
const alert = (page) => page.locator('#error');

async function typeId(page, text) {
  await search(page).fill(text);
  await search(page).press('Enter');
}

test('a GGUF repo: its .gguf files, the chosen quant\'s exact tensor bytes and the estimate on llama.cpp', async ({ page, hub }) => {
  const repo = repos[IDS.gguf];
  const q4 = 'Llama-3.2-1B-Instruct-Q4_K_M.gguf';
  const q8 = 'Llama-3.2-1B-Instruct-Q8_0.gguf';
  await openPage(page);
  // The paste box takes the model page's address.
  await page.locator('#paste-box').evaluate((d) => { d.open = true; });
  await page.getByLabel('…or paste its text').fill(`https://huggingface.co/${IDS.gguf}`);
  await page.getByRole('button', { name: 'Calculate' }).click();
  const select = page.getByLabel('GGUF file (quant)');
  await expect(select.locator('option')).toHaveText([new RegExp(`^${q4} \\(`), new RegExp(`^${q8} \\(`)]);
  await expect(select).toHaveValue(q4);
  const summary = page.locator('#ckpt-summary');
  const t4 = repo.files[q4].tensors;
  await expect(summary).toContainText(`${commas(sum(t4, 'bytes'))} bytes`);
  await expect(page.locator('#params-total')).toHaveText(commas(sum(t4, 'params')));
  const q4k = t4.filter((x) => x.type === 'Q4_K');
  await expect(page.getByRole('table', { name: 'Tensor data by dtype' }).getByRole('row', { name: /^Q4_K/ })).toContainText(commas(sum(q4k, 'bytes')));
  await expect(page.locator('#inf-engine')).toHaveValue('llamacpp');
  await expect(page.locator('#verdict-card')).toBeVisible();
  await expect(page.locator('#launch')).toContainText(`-m ${q4}`);
  await expect(page.locator('#assumptions li[data-code="checkpoint_weights"]')).toHaveCount(1);
  // A GGUF header has no length field: it is read in growing ranges, at most twice its size.
  const read4 = hub.served(IDS.gguf, q4).bytes;
  expect(read4).toBeGreaterThanOrEqual(repo.files[q4].headerBytes);
  expect(read4).toBeLessThanOrEqual(2 * repo.files[q4].headerBytes);
  console.log(`GGUF ${q4}: header ${commas(repo.files[q4].headerBytes)} bytes, read ${commas(read4)} bytes`);

  await select.selectOption(q8);
  const t8 = repo.files[q8].tensors;
  await expect(summary).toContainText(`${commas(sum(t8, 'bytes'))} bytes`);
  await expect(page.locator('#launch')).toContainText(`-m ${q8}`);
  expect(new URL(page.url()).hash).toContain(`file=${q8}`);
  expect(hub.served(IDS.gguf, q4).bytes).toBe(read4); // the first quant is not read again
});

test('#model=org/name in a fresh browser reads the repo again and shows the same view', async ({ page, hub, browser, storage }) => {
  await openPage(page);
  await typeId(page, IDS.sharded);
  await expect(page.locator('#ckpt-summary')).toBeVisible();
  await page.locator('#inf-context').fill('8192');
  await expect(page.locator('#cli-command')).toContainText('--context 8192');
  const url = page.url();
  const hash = new URL(url).hash;
  expect(hash).toContain(`model=${encodeURIComponent(IDS.sharded)}`);
  expect(hash).not.toMatch(/[#&]c=/);
  const shown = async (p) => Promise.all(['#params-total', '#ckpt-summary', '#verdict', '#total', '#solver', '#launch']
    .map((s) => p.locator(s).textContent()));
  const before = await shown(page);

  const fresh = await browser.newContext({ ignoreHTTPSErrors: true });
  const log = new HubLog();
  await installHub(fresh, storage, log);
  const other = await fresh.newPage();
  await other.goto(url);
  await expect(other.locator('#ckpt-summary')).toHaveText(before[1]);
  await expect(other.locator('#inf-context')).toHaveValue('8192');
  await expect(other.locator('#memory[data-busy]')).toHaveCount(0);
  expect(await shown(other)).toEqual(before);
  expect(log.requests.some((r) => r.path === `/api/models/${IDS.sharded}`)).toBe(true);
  expect(log.blocked).toEqual([]);
  await fresh.close();
});

test('a gated repo: 401, the message, a token, 200 — and the token is nowhere but the request to huggingface.co', async ({ page, hub }) => {
  await openPage(page);
  const field = page.getByLabel('Hugging Face read token');
  await expect(field).toHaveAttribute('type', 'password');
  await expect(field).toHaveAttribute('autocomplete', 'off');
  await typeId(page, IDS.gated);
  await expect(alert(page)).toContainText(`${IDS.gated} is gated: accept its license on the model page (huggingface.co/${IDS.gated}), then give a read token below`);
  await expect(alert(page)).toContainText('[gated]');
  await expect(field).toBeFocused();
  await field.fill(TOKEN);
  await page.getByRole('button', { name: 'Read with this token' }).click();
  const qwen = repos[IDS.gated].files;
  await expect(page.locator('#ckpt-summary')).toContainText(`${commas(qwen['model.safetensors'].size - qwen['model.safetensors'].headerBytes)} bytes`);
  await expect(alert(page)).toBeHidden();
  const configs = hub.requests.filter((r) => r.path === `/${IDS.gated}/resolve/${repos[IDS.gated].sha}/config.json` || r.path.endsWith(`${IDS.gated}/resolve/main/config.json`));
  expect(configs.map((r) => [r.status, r.headers.authorization ?? null])).toEqual([[401, null], [200, `Bearer ${TOKEN}`]]);
  // The weights' storage host got the file through the redirect, without the token (the teardown checks
  // every request for cookie, referer and a token off huggingface.co).
  expect(hub.forHost(STORAGE_HOST).filter((r) => r.file?.endsWith('model.safetensors')).length).toBeGreaterThan(0);

  // Nowhere else: the address, storage, the downloads, the commands, the page's markup.
  expect(page.url()).not.toContain(TOKEN);
  const stored = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
  expect(stored).not.toContain(TOKEN);
  for (const id of ['export-json', 'export-csv', 'export-md']) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator(`#${id}`).click()]);
    expect(readFileSync(await download.path(), 'utf8'), id).not.toContain(TOKEN);
  }
  for (const sel of ['#launch-box', '#cli-command', '#embed-element', '#embed-iframe', '#status'])
    expect(await page.locator(sel).textContent(), sel).not.toContain(TOKEN);
  expect(await page.content()).not.toContain(TOKEN);
});

test('offline, 404, 429, 500, a config that is not JSON and a header over the limit each say what to do, and keep the result', async ({ page, hub }) => {
  await openPage(page);
  await search(page).fill('gpt2');
  await page.locator('#gallery-list button[data-id="gpt2"]').click();
  const kept = async () => {
    await expect(page.locator('#params-total')).toHaveText('124,439,808');
    await expect(page.locator('#verdict-card')).toBeVisible();
  };
  await kept();
  await typeId(page, 'gpumem-mock/no-such-model');
  await expect(alert(page)).toContainText('There is no model gpumem-mock/no-such-model on the Hugging Face Hub. Check the id');
  await expect(alert(page)).toContainText('[not_found]');
  await expect(page.locator('#status')).toContainText('Showing');
  await kept();
  // Pasting an id never meets the JSON reader.
  await page.locator('#paste-box').evaluate((d) => { d.open = true; });
  await page.getByLabel('…or paste its text').fill('gpumem-mock/no-such-model');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(alert(page)).toContainText('[not_found]');
  await expect(alert(page)).not.toContainText('JSON');
  await typeId(page, IDS.unreachable);
  await expect(alert(page)).toContainText(`Could not reach huggingface.co for ${IDS.unreachable}`);
  await expect(alert(page)).toContainText('[offline]');
  await typeId(page, 'org/na me');
  await expect(alert(page)).toContainText('"org/na me" is not a Hugging Face model id');
  await expect(alert(page)).toContainText('[bad_id]');
  await typeId(page, IDS.busy);
  await expect(page.locator('#status')).toContainText('huggingface.co answered HTTP 429; trying again in');
  await expect(alert(page)).toContainText('huggingface.co is limiting requests (HTTP 429)', { timeout: 10_000 });
  await expect(alert(page)).toContainText('[rate_limited]');
  expect(hub.requests.filter((r) => r.path === `/api/models/${IDS.busy}`).length).toBe(4);
  await kept();
  await typeId(page, IDS.broken);
  await expect(alert(page)).toContainText('huggingface.co answered HTTP 500 (a server error)', { timeout: 10_000 });
  await expect(alert(page)).toContainText('[server]');
  await kept();
  await typeId(page, IDS.badConfig);
  await expect(alert(page)).toContainText(`config.json of ${IDS.badConfig} is not JSON`);
  await expect(alert(page)).toContainText('[config_not_json]');
  await typeId(page, IDS.hugeHeader);
  await expect(alert(page)).toContainText('[invalid_header]');
  expect(hub.served(IDS.hugeHeader, 'model.safetensors').bytes).toBe(8); // the length alone
  await kept();
});

test('a slow answer shows progress; choosing another model meanwhile cancels it', async ({ page, hub }) => {
  await openPage(page);
  await typeId(page, IDS.slow);
  await expect(page.locator('#status')).toHaveText(`Reading ${IDS.slow} from huggingface.co…`);
  await search(page).fill('gpt2');
  await page.locator('#gallery-list button[data-id="gpt2"]').click();
  await expect(page.locator('#params-total')).toHaveText('124,439,808');
  await page.waitForTimeout(SLOW_MS + 300);
  await expect(page.locator('#params-total')).toHaveText('124,439,808');
  await expect(page.locator('#status')).not.toContainText(IDS.slow);
  expect(hub.requests.filter((r) => r.path.includes('/resolve/'))).toEqual([]);
  // Waited for, it arrives.
  await typeId(page, IDS.slow);
  await expect(page.locator('#status')).toHaveText(`Reading ${IDS.slow} from huggingface.co…`);
  const qwen = repos[IDS.slow].files['model.safetensors'];
  await expect(page.locator('#ckpt-summary')).toContainText(commas(qwen.size - qwen.headerBytes), { timeout: 5000 });
});

test('the widget with model="…" renders under a strict CSP that allows only the Hub, and embed.html takes ?model=', async ({ page, hub }) => {
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.route('**/hub-widget.html', (r) => r.fulfill({ contentType: 'text/html', body: `<!doctype html><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self' https://huggingface.co https://*.hf.co">
<script type="module" src="/gpumem-calculator.js"></script>
<gpumem-calculator model="${IDS.sharded}" gpu="RTX 4090"></gpumem-calculator>` }));
  await page.goto('/hub-widget.html');
  const w = page.locator('gpumem-calculator');
  await expect(w.locator('[part="headline"]')).toContainText(IDS.sharded);
  await expect(w.locator('[part="params"]')).toContainText(commas(sum(repos[IDS.sharded].tensors, 'params')));
  await expect(w.locator('[part="verdict"]')).toContainText('RTX 4090');
  expect(hub.requests.some((r) => r.host === STORAGE_HOST)).toBe(true); // the headers were read
  await page.goto(`/embed.html?model=${encodeURIComponent(IDS.gguf)}&compact`);
  await expect(page.locator('gpumem-calculator [part="headline"]')).toContainText(`${IDS.gguf} · Llama-3.2-1B-Instruct-Q4_K_M.gguf`);
  expect(violations).toEqual([]);
  expect(errors).toEqual([]);
});

test('中文: a Hub message in Chinese; a repo with only .bin weights falls back to the config with a note', async ({ page, hub }) => {
  await openPage(page);
  await page.locator('#lang-switch button[data-lang="zh"]').click();
  await typeId(page, 'gpumem-mock/no-such-model');
  await expect(alert(page)).toContainText('Hugging Face Hub 上没有模型 gpumem-mock/no-such-model');
  await expect(alert(page)).toHaveAttribute('lang', 'zh-Hans');
  await typeId(page, IDS.binOnly);
  await expect(page.locator('#params-total')).toHaveText('7,241,732,096');
  await expect(page.locator('#hub-note')).toContainText(`${IDS.binOnly} 只有 PyTorch .bin 权重`);
  await expect(page.locator('#checkpoint')).toBeHidden();
  expect(hub.served(IDS.binOnly, 'pytorch_model.bin').requests).toBe(0);
});
