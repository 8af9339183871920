import { test, expect, fixture, fixtureText, openPage } from './fixtures.js';
import { readFileSync } from 'node:fs';

const badCases = JSON.parse(readFileSync(new URL('../tests/cases/bad_input.json', import.meta.url), 'utf8'));

test('choosing Llama-2-7b config.json shows its exact parameters and weight memory', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-2-7b.json'));
  const result = page.getByRole('region', { name: /^Model/ });
  await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
  await expect(page.locator('#params-short')).toHaveText('6.74 B');
  const weights = page.getByRole('table', { name: 'Weight memory by dtype' });
  await expect(weights.getByRole('row', { name: /^fp16 / })).toContainText('13,476,831,232');
  await expect(weights.getByRole('row', { name: /^fp16 / })).toContainText('12.5513 GiB');
  await expect(weights.getByRole('row', { name: /^fp32 / })).toContainText('25.1026 GiB');
  await expect(result.locator('#model-name')).toHaveText('llama-2-7b.json');
});

test('dropping a file anywhere on the page calculates it', async ({ page }) => {
  await openPage(page);
  const text = fixtureText('gpt2.json');
  const dataTransfer = await page.evaluateHandle((t) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], 'gpt2-config.json', { type: 'application/json' }));
    return dt;
  }, text);
  await page.dispatchEvent('header', 'drop', { dataTransfer });
  await expect(page.locator('#params-total')).toHaveText('124,439,808');
  await expect(page.locator('#params-short')).toHaveText('124.44 M');
});

test('pasted config text is calculated and its assumptions are listed', async ({ page }) => {
  await openPage(page);
  await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
  await page.getByLabel('…or paste its text').fill(fixtureText('gpt2.json'));
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.locator('#params-total')).toHaveText('124,439,808');
  await expect(page.getByRole('heading', { name: 'Assumptions made reading the config' })).toBeVisible();
  await expect(page.getByText(/n_inner is absent or null/)).toBeVisible();
});

for (const c of badCases) {
  test(`bad input (${c.name}) shows an alert and keeps the previous result`, async ({ page }) => {
    await openPage(page);
    await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-2-7b.json'));
    await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
    await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
    await page.getByLabel('…or paste its text').fill(c.config_text);
    await page.getByRole('button', { name: 'Calculate' }).click();
    const alert = page.getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(alert).toContainText(`[${c.code}]`);
    if (c.path) await expect(alert).toContainText(c.path);
    if (c.line) await expect(alert).toContainText(`line ${c.line}, column ${c.column}`);
    await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
  });
}

test('a good file after an error clears the alert', async ({ page }) => {
  await openPage(page);
  await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
  await page.getByLabel('…or paste its text').fill('[1, 2]');
  await page.getByRole('button', { name: 'Calculate' }).click();
  await expect(page.getByRole('alert')).toBeVisible();
  await page.getByLabel('Choose config.json').setInputFiles(fixture('qwen2-7b-instruct.json'));
  await expect(page.locator('#params-total')).toHaveText('7,615,616,512');
  await expect(page.getByRole('alert')).toBeHidden();
});

test('a mixture-of-experts config shows active parameters, its groups and its layers per kind', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('deepseek-v2-lite.json'));
  await expect(page.locator('#params-total')).toHaveText('15,706,484,224');
  await expect(page.locator('#params-active')).toHaveText('2,661,150,208');
  await page.getByText('Parameters by group').click();
  const groups = page.getByRole('table', { name: 'Parameters by group' });
  await expect(groups.getByRole('row', { name: /^experts_routed / })).toBeVisible();
  await expect(groups.getByRole('row', { name: /^ssm / })).toHaveCount(0);
  await page.getByText('Parameters per layer').click();
  const layers = page.getByRole('table', { name: 'Parameters per layer kind' });
  await expect(layers.getByRole('row', { name: /^full\+moe 26 / })).toContainText('1-26');
  await expect(layers.getByRole('row', { name: /^full\+dense 1 / })).toBeVisible();
});

test('a dense model has no active count and no per-layer view', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-2-7b.json'));
  await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
  await expect(page.locator('#params-active-line')).toBeHidden();
  await expect(page.getByText('Parameters per layer')).toBeHidden();
});

test('training controls show the training memory of the chosen config', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-2-7b.json'));
  const section = page.getByRole('region', { name: /^GPU memory for/ });
  await section.getByRole('radio', { name: 'Training / fine-tuning' }).check();
  await page.locator('#train-precision').selectOption('fp32');
  await page.locator('#train-optimizer').selectOption('adamw');
  const total = Number((await page.locator('#params-total').textContent()).replace(/,/g, ''));
  const parts = page.getByRole('table', { name: 'Memory by part' });
  // AdamW keeps two fp32 states per parameter: 8 bytes each.
  const eight = String(8 * total).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  await expect(parts.locator('tr[data-part="optimizer_states"] td.bytes')).toHaveText(eight);
  await expect(page.getByText(/16 bytes per parameter/)).toBeVisible();
  await page.locator('#train-lora-rank').fill('16');
  await page.locator('#train-lora-targets').fill('all-linear'); // the default is the core's (q_proj,v_proj)
  await expect(parts.locator('tr[data-part="adapters"] td.bytes')).toHaveText('159,907,840');
  await page.locator('#train-batch').fill('0');
  await expect(section.getByRole('alert')).toContainText('batch');
});
