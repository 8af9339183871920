import { test, expect, fixture, openPage } from './fixtures.js';

test('the inference section estimates Llama-3-8B, lists the GPUs it fits on and the largest context', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-3-8b.json'));
  const panel = page.getByRole('region', { name: /^GPU memory for/ });
  await expect(panel).toBeVisible();
  await panel.getByLabel('Load dtype').selectOption('fp16');
  await panel.getByLabel('Context per sequence (prompt + output tokens)').fill('8192');
  const parts = page.getByRole('table', { name: 'Memory by part' });
  // 131,072 bytes per token × 8,192 tokens = 1 GiB of KV cache.
  await expect(parts.locator('tr[data-part="kv_cache"] td.bytes')).toHaveText('1,073,741,824');
  for (const id of ['weights', 'workspace', 'logits', 'runtime_overhead']) await expect(parts.locator(`tr[data-part="${id}"]`)).toBeVisible();
  const fits = page.getByRole('table', { name: 'Fits-on table' });
  expect(await fits.locator('tbody tr').count()).toBeGreaterThanOrEqual(40);
  await expect(fits.getByRole('row', { name: /^H100 80GB/ })).toContainText('fits');
  await expect(page.locator('#solver')).toContainText('Largest context on RTX 4090');
  // Your own card's memory (sent as gpu_memory): the verdict is against it, and the share link keeps it.
  await panel.getByLabel("Your GPU's memory").fill('15360MiB');
  await panel.getByLabel("Your GPU's memory").press('Enter');
  await expect(page.locator('#verdict')).toContainText('15 GiB usable');
  await expect(page).toHaveURL(/gpu-memory=15360MiB/);
  await panel.getByLabel("Your GPU's memory").fill('');
  await panel.getByLabel("Your GPU's memory").press('Enter');
  await panel.getByLabel('Quantization', { exact: true }).selectOption('gguf-q4_k_m');
  await panel.locator('#inf-engine').selectOption('llamacpp');
  await expect(parts.locator('tr[data-part="weights"]')).toContainText('Q6_K');
});
