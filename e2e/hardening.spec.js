import { test, expect, openPage } from './fixtures.js';

const payloads = ['<img src=x onerror="window.__xss=1;alert(1)">', '<script>window.__xss=2;alert(2)</script>',
  '"><svg onload=alert(3)>', "javascript:alert(4)"];

test('a config whose every string holds script or HTML renders as text, runs nothing', async ({ page }) => {
  const dialogs = [];
  const errors = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss(); });
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await openPage(page);
  const config = {
    model_type: 'llama', architectures: payloads, torch_dtype: payloads[0], _name_or_path: payloads[1],
    num_hidden_layers: 2, hidden_size: 64, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100,
  };
  await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
  await page.getByLabel('…or paste its text').fill(JSON.stringify(config));
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.locator('#params-total')).toHaveText('95,040');
  // Unknown model_type holding markup: the error message shows it as text.
  await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
  await page.getByLabel('…or paste its text').fill(JSON.stringify({ ...config, model_type: payloads[0], hidden_size: 'x' }));
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.locator('#error')).toBeVisible();
  await page.waitForTimeout(200);
  expect(dialogs).toEqual([]);
  expect(errors).toEqual([]);
  expect(await page.evaluate(() => window.__xss)).toBeUndefined();
  // The page's own charts are the only SVG; nothing from the config became an element.
  expect(await page.locator('img[src=x], svg:not(#bar):not(#curve):not(#speed-chart), [onload], [onerror]').count()).toBe(0);
});

test('the page declares a CSP without unsafe-eval or unsafe-inline and works under it', async ({ page }) => {
  const violations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) violations.push(m.text()); });
  await openPage(page);
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp.replace("'wasm-unsafe-eval'", '')).not.toContain('unsafe-eval');
  expect(csp).not.toContain('unsafe-inline');
  await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
  await page.getByLabel('…or paste its text').fill('{"model_type":"gpt2","n_layer":12,"n_embd":768,"n_head":12,"n_positions":1024,"vocab_size":50257}');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.locator('#params-total')).toHaveText('124,439,808');
  expect(violations).toEqual([]);
});
