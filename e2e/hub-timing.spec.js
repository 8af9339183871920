// The timed Hub story (issue 20, acceptance 2): typing a sharded repo's id shows its exact count and weight bytes
// from the headers alone within 2 s, with 50 ms per mocked request. It runs in its own Playwright project after
// every other spec (playwright.config.js), alone on the machine's 2 cores: a time measured beside another
// browser worker measures that worker too. Alone: npx playwright test --project timing --no-deps.
import { test, expect, IDS, LATENCY_MS, STORAGE_HOST, repos } from './hub-mock.js';
import { openPage } from './fixtures.js';

const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const sum = (xs, key) => xs.reduce((n, x) => n + x[key], 0);
const search = (page) => page.locator('#gallery-search');

test('typing the id of a sharded safetensors repo shows its exact count and weight bytes from the headers alone, within 2 s', async ({ page, hub }) => {
  const repo = repos[IDS.sharded];
  const params = sum(repo.tensors, 'params');
  const bytes = sum(repo.tensors, 'bytes');
  await openPage(page);
  // Nothing goes to the Hub until the reader asks: loading the page, searching the gallery, a bundled model.
  await search(page).fill('llama');
  await page.locator('#gallery-list button[data-id="gpt2"]').or(page.locator('#gallery-list button').first()).first().click();
  await expect(page.locator('#verdict-card')).toBeVisible();
  expect(hub.requests).toEqual([]);

  await search(page).fill(IDS.sharded);
  await expect(page.locator('#gallery-count')).toContainText(`Enter reads ${IDS.sharded} from huggingface.co`);
  const t0 = Date.now();
  await search(page).press('Enter');
  const summary = page.locator('#ckpt-summary');
  await expect(summary).toContainText(`${commas(bytes)} bytes`);
  const polled = Date.now() - t0;
  await expect(summary).toContainText(`${commas(params)} parameters`);
  // The page's own measure: from Enter to the count, the checkpoint and the estimate in the page.
  const ms = Math.round(await page.evaluate(() => performance.getEntriesByName('gpumem:hub').at(-1).duration));
  await expect(page.locator('#params-total')).toHaveText(commas(params));
  await expect(page.locator('#ckpt-comparison-message')).toContainText('exactly the parameters the config describes');
  await expect(page.locator('#status')).toHaveText(new RegExp(`^Showing ${IDS.sharded} from huggingface\\.co \\([\\d,]+ bytes read in \\d+ requests\\)\\.$`));
  await expect(page.getByRole('table', { name: 'Files read' }).getByRole('row')).toHaveCount(1 + 5);
  expect(ms, `shown ${ms} ms after Enter, ${LATENCY_MS} ms per request`).toBeLessThan(2000);

  // Bytes read: each shard's header exactly (the 8-byte probe is its first 8 bytes), in two ranges at most;
  // the index and the config whole; nothing else.
  const shards = Object.keys(repo.files).filter((f) => f.endsWith('.safetensors'));
  let headers = 0;
  for (const s of shards) {
    const served = hub.served(IDS.sharded, s);
    expect(served.bytes, s).toBe(repo.files[s].headerBytes);
    expect(served.ranges, s).toBeLessThanOrEqual(2);
    headers += served.bytes;
  }
  for (const f of ['config.json', 'model.safetensors.index.json']) expect(hub.served(IDS.sharded, f).bytes).toBe(repo.files[f].size);
  const total = sum(hub.requests, 'bytes');
  const api = sum(hub.requests.filter((r) => r.path.startsWith('/api/')), 'bytes');
  expect(total).toBe(headers + repo.files['config.json'].size + repo.files['model.safetensors.index.json'].size + api);
  // The weight files came from the storage host the Hub redirected to, never from huggingface.co.
  expect(hub.forHost(STORAGE_HOST).length).toBeGreaterThan(0);
  expect(hub.forHost('huggingface.co').filter((r) => r.path.endsWith('.safetensors') && r.status !== 302)).toEqual([]);
  console.log(`sharded repo (4 shards, ${LATENCY_MS} ms per request): shown ${ms} ms after Enter (${polled} ms as the test saw it); ` +
    `${commas(total)} bytes read in ${hub.requests.length} requests (headers ${commas(headers)} of ${commas(bytes)} bytes of weights)`);

  // The estimate's weights are the checkpoint's bytes (the page sends the inventory's `checkpoint` back with
  // every request), and the core says so.
  await expect(page.locator('#parts tr[data-part="weights"] td.bytes')).toHaveText(commas(bytes));
  await expect(page.locator('#assumptions li[data-code="checkpoint_weights"]')).toHaveCount(1);
  // The command to run it names the id.
  await expect(page.locator('#launch')).toContainText(IDS.sharded);
});

