// Issue 22: the full module (gpumem.wasm) is fetched, compiled, instantiated and warmed for its first uses (a
// checkpoint header, the converter) in at most 300 ms, and the page's first load fetched only the first module.
// A timed story: it runs alone, after every other spec (playwright.config.js, project "timing").
import { test, expect, openPage } from './fixtures.js';

test('the full module is loaded and ready in at most 300 ms, and the first load fetched only the first module', async ({ page }) => {
  const wasm = [];
  page.on('request', (req) => {
    if (req.url().endsWith('.wasm')) wasm.push(new URL(req.url()).pathname);
  });
  await openPage(page);
  await page.getByRole('tab', { name: 'Bit converter' }).click();
  await expect(page.locator('#converter[data-ready="true"]')).toBeVisible();
  const [load, ready] = await page.evaluate(() => ['gpumem:full-load', 'gpumem:full-ready'].map((n) => performance.getEntriesByName(n)[0].duration));
  console.log(`full module: fetched, compiled and instantiated in ${load.toFixed(1)} ms, ready for a header or a conversion in ${ready.toFixed(1)} ms`);
  expect(ready).toBeLessThanOrEqual(300);
  expect(wasm).toEqual(['/gpumem-verdict.wasm', '/gpumem.wasm']);
});
