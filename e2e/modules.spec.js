// Issue 22: the page answers from its first module (gpumem-verdict.wasm) and loads the full one (gpumem.wasm:
// the converter, checkpoint headers, speed, advice, launch, the curve) on first use or when idle. The page says
// it is loading while a first use waits for it (its load time: modules-timing.spec.js, alone).
import { test, expect, openPage, fixture } from './fixtures.js';

// Holds every response of the full module (its loader and its wasm) until release() is called.
async function holdFullModule(page) {
  let release;
  const held = new Promise((r) => {
    release = r;
  });
  await page.route(/\/gpumem\.(js|wasm)$/, async (route) => {
    await held;
    await route.continue();
  });
  return release;
}

test('before the full module is in, the verdict shows; the converter and the checkpoint reader say they are loading', async ({ page }) => {
  const release = await holdFullModule(page);
  await openPage(page);
  // The verdict comes from the first module alone; what needs the full one waits (data-busy on the section).
  await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-3-8b.json'));
  await expect(page.locator('#verdict')).toContainText('RTX 4090');
  await expect(page.locator('#memory')).toHaveAttribute('data-busy', 'true');
  await page.getByRole('tab', { name: 'Bit converter' }).click();
  await expect(page.locator('#conv-status')).toHaveText('Loading the converter (first use only)…');
  release();
  await expect(page.locator('#converter[data-ready="true"]')).toBeVisible();
  await expect(page.locator('#conv-status')).toHaveText('');
  await expect(page.locator('#conv-fp16 .conv-hex code')).toHaveText('0x4248');
  await page.getByRole('tab', { name: 'Memory calculator' }).click();
  await expect(page.locator('#memory')).not.toHaveAttribute('data-busy', 'true');
  await expect(page.locator('#speed-line')).not.toBeEmpty();
});

test('a checkpoint dropped before the full module is in says it is loading, then is read', async ({ page }) => {
  const release = await holdFullModule(page);
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('gpt2.json'));
  await expect(page.locator('#verdict')).not.toBeEmpty();
  await page.evaluate(() => {
    // a one-tensor safetensors file: 8-byte header length, the header, the data
    const header = new TextEncoder().encode('{"w":{"dtype":"F16","shape":[2],"data_offsets":[0,4]}}');
    const bytes = new Uint8Array(8 + header.length + 4);
    bytes[0] = header.length;
    bytes.set(header, 8);
    const input = document.getElementById('file');
    const files = new DataTransfer();
    files.items.add(new File([bytes], 'model.safetensors'));
    input.files = files.files;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  });
  await expect(page.locator('#status')).toHaveText(/Loading the checkpoint reader/);
  release();
  await expect(page.getByRole('region', { name: 'Checkpoint headers' }).locator('#ckpt-summary')).toContainText('2 parameters');
  await expect(page.locator('#status')).not.toHaveText(/Loading the checkpoint reader/);
});
