// The advisor's user stories (issue 19): each starts from an empty page, counts the reader's interactions,
// and asserts the answer is on screen (in the viewport, not just in the page), that the page's figures are
// the CLI's for the same request, that no serious accessibility violation (one viewport per language) and no
// layout shift above 0.1 happened, and keeps a screenshot per story, viewport and language (build/e2e/artifacts/).
import { test, expect, fixture, openPage } from './fixtures.js';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { expectPageMatchesCli, runCli } from './cli-compare.js';

const artifacts = new URL('../build/e2e/artifacts/', import.meta.url).pathname;
mkdirSync(artifacts, { recursive: true });
const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// The reader's actions, counted: one per control used (typing a name and pressing Enter is one).
function reader(page) {
  const r = {
    count: 0,
    async pick(query) {
      r.count++;
      await page.locator('#gallery-search').fill(query);
      await page.locator('#gallery-search').press('Enter');
      await expect(page.locator('#verdict-card')).toBeVisible();
    },
    async select(sel, value) {
      r.count++;
      await page.locator(sel).selectOption(value);
    },
    async fill(sel, value) {
      r.count++;
      await page.locator(sel).fill(value);
    },
    async click(locator) {
      r.count++;
      await locator.click();
    },
  };
  return r;
}

// The verdict card and what it says, once the deferred parts (what fits, the command) are drawn.
async function settled(page) {
  await expect(page.locator('#memory[data-busy]')).toHaveCount(0);
  await expect(page.locator('[data-part="verdict"]')).toBeInViewport();
}

// Layout shifts since load (the CLS of the story), from the page's own PerformanceObserver.
async function watchShifts(page) {
  await page.addInitScript(() => {
    window.__cls = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__cls += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
}

async function finish(page, name, lang, viewport) {
  if (lang === 'zh') {
    // No sentence of the core is left in English on the 中文 page (renderCoreText marks a fallback lang="en").
    const english = await page.locator('#view-calculator [lang="en"]:visible').evaluateAll((nodes) =>
      nodes.filter((n) => n.tagName !== 'OPTION' && n.textContent.trim()).map((n) => n.textContent.trim().slice(0, 100)));
    expect(english, 'English text from the core on the 中文 page').toEqual([]);
  }
  expect(await page.evaluate(() => window.__cls), 'cumulative layout shift').toBeLessThan(0.1);
  // axe in one viewport per language (the wide English one and the narrow 中文 one): a full-page scan with the
  // 121-row tables takes seconds, and e2e/look.spec.js scans every view in both themes.
  if ((lang === 'en') === (viewport.width > 600)) {
    const axe = await new AxeBuilder({ page }).analyze();
    const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    expect(bad.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  }
  await page.screenshot({ path: `${artifacts}story-${name}-${viewport.width}-${lang}.png` });
}

// The stories are independent pages: they may run side by side on the two workers.
test.describe.configure({ mode: 'parallel' });

const setups = [
  { lang: 'en', viewport: { width: 1280, height: 800 } },
  { lang: 'zh', viewport: { width: 390, height: 844 } },
  { lang: 'zh', viewport: { width: 1280, height: 800 } },
  { lang: 'en', viewport: { width: 390, height: 844 } },
];

for (const { lang, viewport } of setups) {
  test.describe(`${viewport.width}×${viewport.height} ${lang}`, () => {
    test.use({ viewport });
    test.beforeEach(async ({ page }) => {
      await watchShifts(page);
      await page.addInitScript((l) => localStorage.setItem('gpumem:lang', l), lang);
      await openPage(page);
    });

    test('(a) Llama-3.1-8B on vLLM, RTX 4090, 32k context: verdict, largest context and the vllm serve line in 3 steps', async ({ page }) => {
      const r = reader(page);
      await r.pick('llama-3.1-8b');
      await r.select('#inf-engine', 'vllm');
      await r.fill('#inf-context', '32768');
      expect(r.count).toBeLessThanOrEqual(3);
      await settled(page);
      const { fit } = await expectPageMatchesCli(page, fixture('llama-3.1-8b.json'));
      expect(fit.gpu).toBe('RTX 4090');
      await expect(page.locator('#solver')).toContainText(commas(fit.max_context));
      const launch = page.locator('[data-part="launch"]');
      await expect(launch).toContainText('vllm serve meta-llama/Llama-3.1-8B');
      await expect(launch).toContainText('--max-model-len 32768');
      await finish(page, 'a', lang, viewport);
    });

    test('(b) phi-4 on a 16 GB card: the what-fits table names the formats that fit, and choosing one updates the verdict', async ({ page }) => {
      const r = reader(page);
      await r.pick('phi-4');
      await r.select('#gpu', 'RTX 4080');
      await settled(page);
      await expect(page.locator('[data-part="verdict"]')).toHaveAttribute('data-fits', 'false');
      const table = page.locator('[data-part="what-fits"]');
      await expect(table.locator('tbody tr').first()).toBeVisible();
      expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
      // The chosen GPU is the first column; a format that fits there has a button in it.
      const cell = table.locator('tbody tr td:nth-child(2) button.fit').first();
      await cell.scrollIntoViewIfNeeded();
      await r.click(cell);
      await settled(page);
      await expect(page.locator('[data-part="verdict"]')).toHaveAttribute('data-fits', 'true');
      await expectPageMatchesCli(page, fixture('phi-4.json'));
      await finish(page, 'b', lang, viewport);
    });

    test('(c) QLoRA Qwen2.5-7B on a T4 at seq 2048: checkpointing on by default and a recipe that fits with its largest batch', async ({ page }) => {
      const r = reader(page);
      await r.pick('qwen2.5-7b');
      await r.click(page.locator('input[name="mode"][value="train"]'));
      await r.select('#train-quant', 'bnb-nf4');
      await r.select('#gpu', 'T4');
      await r.fill('#train-seq', '2048');
      await settled(page);
      // Nobody chose checkpointing: the core turned it on, as PEFT's prepare_model_for_kbit_training does.
      await expect(page.locator('#train-checkpointing')).toHaveValue('auto');
      await expect(page.locator('#origin-train-checkpointing')).not.toBeEmpty();
      const { estimate, fit } = await expectPageMatchesCli(page, fixture('qwen2.5-7b-instruct.json'));
      expect(estimate.assumptions.some((a) => a.path === '/options/checkpointing')).toBe(true);
      expect(fit.max_batch).toBeGreaterThanOrEqual(1);
      await expect(page.locator('#solver')).toContainText(commas(fit.max_batch));
      const fitting = page.locator('[data-part="what-fits"] tbody tr td:nth-child(2) button.fit');
      expect(await fitting.count()).toBeGreaterThanOrEqual(1);
      await expect(page.locator('[data-part="launch"]')).toContainText('BitsAndBytesConfig');
      await finish(page, 'c', lang, viewport);
    });

    test('(d) full fine-tune of Mistral-7B on 8×A100 80GB with ZeRO-3: per-GPU total and the DeepSpeed settings', async ({ page }) => {
      const r = reader(page);
      await r.pick('mistral-7b');
      await r.click(page.locator('input[name="mode"][value="train"]'));
      await r.select('#gpu', 'A100 80GB');
      await r.fill('#gpu-count', '8');
      await r.select('#train-engine', 'deepspeed');
      await page.locator('#train-more summary').click();
      await r.select('#train-zero', '3');
      await settled(page);
      const { estimate } = await expectPageMatchesCli(page, fixture('mistral-7b-v0.1.json'));
      await expect(page.locator('#cli-command')).toContainText('--zero 3');
      expect(estimate.training.gpus).toBe(8);
      const ds = page.locator('#launch-files pre[data-file="ds_config.json"]');
      await expect(ds).toBeAttached();
      expect(JSON.parse(await ds.textContent()).zero_optimization.stage).toBe(3);
      await finish(page, 'd', lang, viewport);
    });

    test('(e) gpt2-large, no torch_dtype: an answer with the dtype marked as a default, largest context 1,024', async ({ page }) => {
      const r = reader(page);
      await r.pick('gpt2-large');
      await settled(page);
      await expect(page.locator('#mem-error')).toBeHidden();
      await expect(page.locator('#origin-inf-dtype')).not.toBeEmpty();
      await expect(page.locator('#solver')).toContainText('1,024');
      const { estimate } = await expectPageMatchesCli(page, fixture('gpt2-large.json'));
      expect(estimate.assumptions.some((a) => a.path === '/options/dtype' || a.path === '/torch_dtype')).toBe(true);
      await finish(page, 'e', lang, viewport);
    });
  });
}

// The launch line the CLI prints for story (a) is the page's, character for character.
test('the launch command is the core launch op\'s', async ({ page }) => {
  await openPage(page);
  await page.locator('#gallery-search').fill('llama-3.1-8b');
  await page.locator('#gallery-search').press('Enter');
  await page.locator('#inf-engine').selectOption('vllm');
  await page.locator('#inf-context').fill('32768');
  await expect(page.locator('#memory[data-busy]')).toHaveCount(0);
  const cli = runCli('gpumem launch config.json --json --engine vllm --context 32768 --gpu \'RTX 4090\' --model-id meta-llama/Llama-3.1-8B', fixture('llama-3.1-8b.json'));
  expect(cli.ok).toBe(true);
  await expect(page.locator('[data-part="launch"]')).toHaveText(cli.text);
});
