import { test, expect, openPage } from './fixtures.js';

async function openConverter(page) {
  await openPage(page);
  await page.getByRole('tab', { name: 'Bit converter' }).click();
  await expect(page.locator('#converter[data-ready="true"]')).toBeVisible();
}

const card = (page, format) => page.getByRole('article', { name: new RegExp(`^${format} `) });

test('3.14 is shown in every format, and the fp16 steps explain it in English and in Chinese', async ({ page }) => {
  await openConverter(page);
  const fp16 = card(page, 'fp16');
  await expect(fp16.locator('.conv-hex code')).toHaveText('0x4248');
  await expect(fp16.locator('.conv-value')).toHaveText('3.140625');
  await expect(card(page, 'fp32').locator('.conv-hex code')).toHaveText('0x4048f5c3');
  await expect(card(page, 'bf16').locator('.conv-hex code')).toHaveText('0x4049');
  await expect(card(page, 'e4m3').locator('.conv-hex code')).toHaveText('0x45');
  await expect(card(page, 'e5m2').locator('.conv-hex code')).toHaveText('0x42');

  const steps = fp16.locator('ol.steps');
  await expect(steps.locator('li[data-code="exponent_rebias"]')).toContainText('field 128 → 16');
  const round = steps.locator('li[data-code="round"]');
  await expect(round).toContainText('keep 1001000111, drop 1010111000011');
  await expect(round).toContainText('guard 1, round 0, sticky 1');
  await expect(round).toContainText('round up (+1) → 1001001000');
  await expect(steps.locator('li[data-code="result"]')).toContainText('0 10000 1001001000 = 0x4248 = 3.140625');

  await page.getByRole('button', { name: '中文' }).click();
  await expect(page.getByRole('button', { name: '中文' })).toHaveAttribute('aria-pressed', 'true');
  await expect(steps.locator('li[data-code="exponent_rebias"]')).toContainText('字段 128 → 16');
  await expect(round).toContainText('保留 1001000111，舍去 1010111000011');
  await expect(round).toContainText('保护位 1、舍入位 0、粘滞位 1');
  await expect(round).toContainText('向上舍入（+1） → 1001001000');
  await expect(fp16.locator('summary')).toHaveText('步骤');

  await page.getByRole('button', { name: 'English' }).click();
  await expect(round).toContainText('round up (+1)');
});

test('flipping a bit updates every format, the input and the bit itself', async ({ page }) => {
  await openConverter(page);
  const lowest = page.getByRole('button', { name: 'fp16 bit 0 (mantissa)' });
  await expect(lowest).toHaveAttribute('aria-pressed', 'false');
  await lowest.click();
  await expect(lowest).toHaveAttribute('aria-pressed', 'true');
  await expect(lowest).toBeFocused();
  const fp16 = card(page, 'fp16');
  await expect(fp16.locator('.conv-hex code')).toHaveText('0x4249');
  await expect(fp16.locator('.conv-value')).toHaveText(/^3\.142578125 /);
  await expect(card(page, 'fp32').locator('.conv-hex code')).toHaveText('0x40492000');
  await expect(card(page, 'bf16').locator('.conv-hex code')).toHaveText('0x4049');
  await expect(card(page, 'e4m3').locator('.conv-hex code')).toHaveText('0x45');
  await expect(page.getByLabel('Number or bits')).toHaveValue('0x4249');
  await expect(page.getByLabel('Bits (0x…) are')).toHaveValue('fp16');
  await expect(fp16.locator('ol.steps li[data-code="input_bits"]')).toContainText('fp16 bits 0x4249');
  await expect(card(page, 'fp32').locator('ol.steps li[data-code="decode_exponent"]')).toContainText('field 16 → 128');

  // The sign bit of fp32 turns every format negative.
  await page.getByRole('button', { name: 'fp32 bit 31 (sign)' }).click();
  await expect(card(page, 'fp32').locator('.conv-hex code')).toHaveText('0xc0492000');
  await expect(fp16.locator('.conv-hex code')).toHaveText('0xc249');
  await expect(card(page, 'bf16').locator('.conv-hex code')).toHaveText('0xc049');
  await expect(card(page, 'e5m2').locator('.conv-hex code')).toHaveText('0xc2');
  await expect(fp16.locator('.conv-value')).toHaveText(/^-3\.142578125 /);
});

test('overflow, underflow and lost precision are warned about', async ({ page }) => {
  await openConverter(page);
  const input = page.getByLabel('Number or bits');
  const fp16 = card(page, 'fp16');
  await input.fill('65520');
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(fp16.locator('.conv-hex code')).toHaveText('0x7c00');
  await expect(fp16.locator('.conv-warnings')).toContainText('beyond 65504 the value becomes infinity');
  await input.fill('1e-8');
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(fp16.locator('.conv-hex code')).toHaveText('0x0000');
  await expect(fp16.locator('.conv-warnings')).toContainText('below half of 2^-24');
  await expect(card(page, 'bf16').locator('.conv-warnings')).toContainText('Precision lost');
  await input.fill('465');
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(card(page, 'e4m3').locator('.conv-hex code')).toHaveText('0x7f');
  await page.getByLabel('e4m3 overflow').selectOption('saturate');
  await expect(card(page, 'e4m3').locator('.conv-hex code')).toHaveText('0x7e');
});

test('truncation is shown beside round-to-nearest-even', async ({ page }) => {
  await openConverter(page);
  const fp16 = card(page, 'fp16');
  await expect(fp16.locator('.conv-alt')).toHaveText('0x4247 = 3.13867188');
  await page.getByLabel('Rounding').selectOption('trunc');
  await expect(fp16.locator('.conv-hex code')).toHaveText('0x4247');
  await expect(fp16.locator('.conv-alt')).toHaveText('0x4248 = 3.140625');
  await expect(fp16.locator('ol.steps li[data-code="round"]')).toContainText('truncation: the dropped bits are discarded');
});

test('copy buttons put the hex and the binary on the clipboard', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openConverter(page);
  await page.getByRole('button', { name: 'Copy hex (fp16)' }).click();
  await expect(page.locator('#conv-status')).toHaveText('Copied hex: 0x4248.');
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('0x4248');
  await page.getByRole('button', { name: 'Copy binary (bf16)' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('0100000001001001');
});

test('a bad number shows an alert and keeps the previous result', async ({ page }) => {
  await openConverter(page);
  await page.getByLabel('Number or bits').fill('three');
  await page.getByRole('button', { name: 'Convert' }).click();
  await expect(page.locator('#conv-error')).toBeVisible();
  await expect(page.locator('#conv-error')).toContainText('[invalid_value]');
  await expect(card(page, 'fp16').locator('.conv-hex code')).toHaveText('0x4248');
});
