// Every view in both languages and both themes: no missing string, axe-core with no serious or critical
// violation, and screenshots at 360 px and 1280 px (kept as test artifacts in build/e2e/artifacts).
import { test, expect, fixture, openPage } from './fixtures.js';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { llamaTensors, readConfig, writeSafetensors } from './checkpoint-files.js';

const artifacts = new URL('../build/e2e/artifacts/', import.meta.url).pathname;
mkdirSync(artifacts, { recursive: true });

// The views a reader can reach, each set up from a fresh page.
const views = {
  empty: async () => {},
  inference: async (page) => {
    await page.locator('#gallery-list button[data-id="deepseek-v2-lite"]').click();
    await page.locator('#compare-box summary').click();
    await page.locator('#compare-value').fill('20 GiB');
    await page.locator('#parts tbody tr details summary').first().click();
    await page.locator('#groups-box summary').click();
    await page.locator('#layers-box summary').click();
  },
  training: async (page) => {
    await page.locator('#gallery-list button[data-id="gemma-2-9b"]').click();
    await page.locator('input[name="mode"][value="train"]').check();
    await page.locator('#train-lora-rank').fill('16');
    await page.locator('#train-quant').selectOption('bnb-nf4');
  },
  checkpoint: async (page) => {
    const shard = writeSafetensors('look.safetensors', llamaTensors(readConfig('llama-2-7b.json')));
    await page.locator('#file').setInputFiles([fixture('llama-2-7b.json'), shard.path]);
    await expect(page.locator('#checkpoint')).toBeVisible();
    await page.locator('#embed summary').click();
  },
  error: async (page) => {
    await page.locator('#gallery-list button[data-id="gpt2"]').click();
    await page.locator('#inf-batch').fill('0');
    await page.locator('#paste-box').evaluate((d) => { d.open = true; }); // the paste box is folded
    await page.locator('#paste').fill('{"model_type": "llama"');
    await page.locator('#paste-go').click();
  },
  converter: async (page) => {
    await page.locator('#tab-converter').click();
    await expect(page.locator('#converter[data-ready="true"]')).toBeVisible();
    await page.locator('.conv-steps-box summary').first().click();
  },
};

async function open(page, lang, theme) {
  await page.addInitScript(([l, th]) => {
    localStorage.setItem('gpumem:lang', l);
    localStorage.setItem('gpumem:theme', th);
  }, [lang, theme]);
  await openPage(page);
}

// The page with no saved state (the language and theme preferences stay).
async function freshView(page) {
  await page.goto('/#');
  await page.evaluate(() => localStorage.removeItem('gpumem:state'));
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeVisible();
}

// Every [data-i18n] node shows its key's text in `lang`, and no key was asked for that is missing.
async function expectAllStrings(page, lang) {
  const problems = await page.evaluate(async (l) => {
    const { languages, missing } = await import('./src/i18n.js');
    const table = languages[l].strings.page;
    const out = [...missing];
    for (const node of document.querySelectorAll('[data-i18n]')) {
      const v = table[node.dataset.i18n];
      if (typeof v !== 'string' || !v) out.push(`no text for ${node.dataset.i18n}`);
      else if (node.textContent !== v) out.push(`${node.dataset.i18n} shows "${node.textContent}"`);
    }
    for (const node of document.querySelectorAll('[data-i18n-attr]')) {
      for (const pair of node.dataset.i18nAttr.split(',')) {
        const [name, key] = pair.split('=');
        if (node.getAttribute(name) !== table[key]) out.push(`${key} not in ${name}`);
      }
    }
    return out;
  }, lang);
  expect(problems).toEqual([]);
}

for (const lang of ['en', 'zh']) {
  test(`every view renders every string in ${lang}`, async ({ page }) => {
    test.setTimeout(120_000);
    await open(page, lang, 'light');
    for (const [name, setup] of Object.entries(views)) {
      await freshView(page);
      await setup(page);
      await expectAllStrings(page, lang);
      if (name === 'inference') {
        await page.screenshot({ path: `${artifacts}page-${lang}-inference.png`, fullPage: true });
        await test.info().attach(`page-${lang}`, { path: `${artifacts}page-${lang}-inference.png`, contentType: 'image/png' });
      }
    }
  });
}

for (const theme of ['light', 'dark']) {
  test(`axe-core finds no serious or critical violation in any view (${theme})`, async ({ page }) => {
    test.setTimeout(240_000);
    await open(page, 'en', theme);
    const found = [];
    for (const [name, setup] of Object.entries(views)) {
      await freshView(page);
      await setup(page);
      await page.waitForTimeout(50);
      const t0 = Date.now();
      const r = await new AxeBuilder({ page }).analyze();
      console.log(`axe ${theme} ${name}: ${r.violations.length} violations, ${Date.now() - t0} ms`);
      for (const v of r.violations.filter((x) => ['serious', 'critical'].includes(x.impact)))
        found.push(`${name}: ${v.id} (${v.impact}) ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
    }
    expect(found).toEqual([]);
  });
}

for (const width of [360, 1280]) {
  test(`screenshots at ${width} px: nothing wider than the screen, controls reachable`, async ({ page }) => {
    test.setTimeout(120_000);
    await page.setViewportSize({ width, height: 800 });
    await open(page, 'en', 'light');
    for (const name of ['training', 'converter', 'inference']) {
      await freshView(page);
      await views[name](page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `${name} is wider than ${width} px`).toBeLessThanOrEqual(0);
      const file = `${artifacts}page-${name}-${width}.png`;
      await page.screenshot({ path: file, fullPage: true });
      await test.info().attach(`${name}-${width}`, { path: file, contentType: 'image/png' });
    }
    // The main controls stay inside the screen.
    for (const id of ['#gpu', '#total', '#share-link']) {
      const box = await page.locator(id).boundingBox();
      expect(box.x + box.width, id).toBeLessThanOrEqual(width);
    }
  });
}
