// The calculator page (issue 11): every control checked against the CLI, share links, exports, the
// gallery, units, the measurement comparison, storage, size limits and layout stability.
import { test, expect, fixture, openPage, openReproduction, watchRequests } from './fixtures.js';
import { cliJson, expectPageMatchesCli } from './cli-compare.js';
import { readFileSync } from 'node:fs';
import { size } from '../web/src/dom.js';

const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

async function pickFromGallery(page, query, id) {
  await page.getByLabel('Gallery: search a bundled model').fill(query);
  await page.locator(`#gallery-list button[data-id="${id}"]`).click();
  await expect(page.getByRole('region', { name: /^GPU memory for/ })).toBeVisible();
}

// Each step: [how to change a control, a flag the printed command must then show].
const inferenceSteps = [
  [(p) => p.locator('#inf-dtype').selectOption('fp16'), '--dtype fp16'],
  [(p) => p.locator('#inf-context').fill('16384'), '--context 16384'],
  [(p) => p.locator('#inf-prompt').fill('1000'), '--prompt 1000'],
  [(p) => p.locator('#inf-batch').fill('4'), '--batch 4'],
  [(p) => p.locator('#inf-beams').fill('2'), '--beams 2'],
  [(p) => p.locator('#inf-kv').selectOption('int8'), '--kv-dtype int8'], // transformers' 8-bit QuantizedCache (fp8 is vLLM's)
  [(p) => p.locator('#inf-attn').selectOption('eager'), '--attn-implementation eager'],
  [(p) => p.locator('#inf-transformers').selectOption('4.38'), '--transformers 4.38'],
  [(p) => p.locator('#inf-device-map').selectOption('sequential'), '--device-map sequential'],
  [(p) => p.locator('#gpu-count').fill('3'), '--gpus 3'],
  [(p) => p.locator('#gpu-count').fill('1'), '--device-map sequential'],
  [(p) => p.locator('#inf-device-map').selectOption(''), '--transformers 4.38'],
  [(p) => p.locator('#inf-quant').selectOption('bnb-nf4'), '--quant bnb-nf4'],
  [(p) => p.locator('#inf-double-quant').check(), '--double-quant'],
  [(p) => p.locator('#inf-quant').selectOption('gptq-4bit'), '--quant gptq-4bit'],
  [(p) => p.locator('#inf-group-size').fill('64'), '--group-size 64'],
  [(p) => p.locator('#inf-count-context').selectOption('false'), '--count-context false'],
  [(p) => p.locator('#inf-lazy').selectOption('false'), '--lazy-loading false'],
  [(p) => p.locator('#inf-tp').fill('2'), '--tp 2'],
  [(p) => p.locator('#inf-pp').fill('2'), '--pp 2'],
  [(p) => p.locator('#inf-pp').fill('1'), '--pp 1'],
  [(p) => p.locator('#inf-offload').fill('4'), '--offload-layers 4'],
  [(p) => p.locator('#inf-offload').fill('0'), '--offload-layers 0'],
  [(p) => p.locator('#inf-engine').selectOption('vllm'), '--engine vllm'],
  [(p) => p.locator('#inf-gmu').fill('0.8'), '--gpu-memory-utilization 0.8'],
  [(p) => p.locator('#inf-engine').selectOption('llamacpp'), '--engine llamacpp'],
  [(p) => p.locator('#inf-quant').selectOption('gguf-q4_k_m'), '--quant gguf-q4_k_m'],
  [(p) => p.locator('#inf-no-fa').check(), '--no-flash-attn'],
  [(p) => p.locator('#inf-no-fa').uncheck(), '--quant gguf-q4_k_m'],
  [(p) => p.locator('#inf-kv').selectOption('q8_0'), '--kv-dtype q8_0'],
  [(p) => p.locator('#inf-solve').selectOption('batch'), '--solve batch'],
  [(p) => p.locator('#gpu').selectOption('H100 80GB'), "--gpu 'H100 80GB'"],
  [(p) => p.locator('#units').selectOption('gb'), '--solve batch'],
];

test('every inference control gives the numbers the CLI gives for the same request', async ({ page }) => {
  test.setTimeout(240_000);
  await openPage(page);
  await pickFromGallery(page, 'llama-3-8b', 'llama-3-8b');
  const config = fixture('llama-3-8b.json');
  await expectPageMatchesCli(page, config);
  for (const [change, flag] of inferenceSteps) {
    await openReproduction(page);
    await change(page);
    await expect(page.locator('#cli-command')).toContainText(flag);
    await expect(page.locator('#mem-error')).toBeHidden();
    await expectPageMatchesCli(page, config);
  }
  await expect(page.locator('#total')).toHaveText(/ GB$/);
});

const trainingSteps = [
  [(p) => p.locator('#train-precision').selectOption('fp32'), '--precision fp32'],
  [(p) => p.locator('#train-optimizer').selectOption('sgd'), '--optimizer sgd'],
  [(p) => p.locator('#train-optimizer').selectOption('adafactor'), '--optimizer adafactor'],
  [(p) => p.locator('#train-optimizer').selectOption('lion'), '--optimizer lion'],
  [(p) => p.locator('#train-optimizer').selectOption('adamw8bit'), '--optimizer adamw8bit'],
  [(p) => p.locator('#train-precision').selectOption('amp-fp16'), '--precision amp-fp16'],
  [(p) => p.locator('#train-batch').fill('2'), '--batch 2'],
  [(p) => p.locator('#train-seq').fill('1024'), '--seq 1024'],
  [(p) => p.locator('#train-grad-accum').fill('4'), '--grad-accum 4'],
  [(p) => p.locator('#train-checkpointing').selectOption('full'), '--checkpointing full'],
  [(p) => p.locator('#train-attention').selectOption('eager'), '--attention eager'],
  [(p) => p.locator('#train-lora-rank').fill('16'), '--lora-rank 16'],
  [(p) => p.locator('#train-lora-targets').fill('q_proj,v_proj'), "--lora-targets 'q_proj,v_proj'"],
  [(p) => p.locator('#train-lora-dropout').fill('0.05'), '--lora-dropout 0.05'],
  [(p) => p.locator('#train-quant').selectOption('bnb-nf4'), '--quant bnb-nf4'],
  [(p) => p.locator('#train-double-quant').check(), '--double-quant'],
  [(p) => p.locator('#train-double-quant').uncheck(), '--quant bnb-nf4 --batch'],
  [(p) => p.locator('#train-bitsandbytes').selectOption('0.43.1'), '--bitsandbytes 0.43.1'],
  [(p) => p.locator('#train-prepare-kbit').selectOption('false'), '--prepare-kbit false'],
  [(p) => p.locator('#train-quant').selectOption('none'), '--quant none'],
  [(p) => p.locator('#train-lora-rank').fill('0'), '--lora-rank 0'],
  [(p) => p.locator('#train-optimizer').selectOption('adam-mini'), '--optimizer adam-mini'],
  [(p) => p.locator('#train-loss').selectOption('chunked'), '--loss chunked'],
  [(p) => p.locator('#train-tp').fill('2'), '--tp 2'],
  [(p) => p.locator('#train-sp').check(), '--sequence-parallel'],
  [(p) => p.locator('#train-precision').selectOption('bf16'), '--precision bf16'],
  [(p) => p.locator('#train-zero').selectOption('3'), '--zero 3'],
  [(p) => p.locator('#gpu-count').fill('8'), '--gpus 8'],
  [(p) => p.locator('#train-offload').selectOption('optimizer'), '--offload optimizer'],
  // A transformers release applies to the hf engine only (the schema hides it under DeepSpeed).
  [(p) => p.locator('#train-transformers').selectOption('4.38'), '--transformers 4.38'],
  [(p) => p.locator('#train-engine').selectOption('deepspeed'), '--engine deepspeed'],
  [(p) => p.locator('#train-measure').selectOption('allocated'), '--measure allocated'],
  [(p) => p.locator('#train-context').fill('1343'), '--cuda-context-mib 1343'],
  [(p) => p.locator('#train-legacy').check(), '--legacy-autograd'],
  [(p) => p.locator('#train-optimizer').selectOption('none'), '--optimizer none'],
  [(p) => p.locator('#train-loss').selectOption('sum'), '--loss sum'],
  [(p) => p.locator('#train-keep-outputs').check(), '--keep-outputs'],
  // A profile fills the controls it sets (hf-single-gpu-2021: no lazy loading, legacy autograd, eager
  // attention); back to current, those return to their defaults.
  [(p) => p.locator('#train-profile').selectOption('hf-single-gpu-2021'), '--lazy-loading false'],
  [(p) => p.locator('#train-profile').selectOption('current'), '--attention sdpa'],
];

test('every training control gives the numbers the CLI gives for the same request', async ({ page }) => {
  test.setTimeout(240_000);
  await openPage(page);
  await pickFromGallery(page, 'qwen2-0.5b', 'qwen2-0.5b-instruct');
  await page.getByRole('radio', { name: 'Training / fine-tuning' }).check();
  const config = fixture('qwen2-0.5b-instruct.json');
  await expect(page.locator('#cli-command')).toContainText('--mode train');
  await expectPageMatchesCli(page, config);
  for (const [change, flag] of trainingSteps) {
    await openReproduction(page);
    await change(page);
    await expect(page.locator('#cli-command')).toContainText(flag);
    await expect(page.locator('#mem-error')).toBeHidden();
    await expectPageMatchesCli(page, config);
  }
  // The largest batch that fits is solved on the chosen GPU; the curve is drawn.
  await expect(page.locator('#solver')).toContainText('Largest batch per GPU on 8× RTX 4090');
  await expect(page.locator('#curve path.line')).toHaveCount(1);
});

test('the page starts from the core\'s option defaults, in both modes', async ({ page }) => {
  const schema = cliJson(['options', '--json']);
  await openPage(page);
  await pickFromGallery(page, 'llama-3-8b', 'llama-3-8b');
  for (const [mode, form] of [['inference', '#inf-form'], ['train', '#train-form']]) {
    if (mode === 'train') await page.getByRole('radio', { name: 'Training / fine-tuning' }).check();
    await expect(page.locator('#memory[data-busy]')).toHaveCount(0);
    const row = (name) => schema.options.find((r) => r.name === name && r.modes.includes(mode));
    // What the page sends (the JSON export's request): each option at its row's default.
    const { request } = JSON.parse(await downloaded(page, '#export-json'));
    expect(request.options.mode).toBe(mode);
    for (const [name, value] of Object.entries(request.options)) {
      if (name === 'mode') continue;
      expect(row(name), `${mode}: ${name} is in the schema`).toBeTruthy();
      expect(String(value), `${mode}: ${name}`).toBe(String(row(name).default));
    }
    // What the controls show, sent or not (a field of another engine too): no constant default is
    // contradicted; a select may leave it to the core ("auto") when it has no entry for the value.
    const controls = await page.locator(`${form} [data-opt]`).evaluateAll((nodes) => nodes.map((n) => ({
      name: n.dataset.opt, offers: n.tagName === 'SELECT' ? [...n.options].map((o) => o.value) : null,
      value: n.type === 'checkbox' ? String(n.checked === (n.dataset.value !== 'false')) : n.value,
    })));
    for (const c of controls) {
      const r = row(c.name);
      if (r?.default_from !== 'constant' || r.default === null) continue;
      if (c.offers && !c.offers.includes(String(r.default)) && ['auto', ''].includes(c.value)) continue;
      expect(c.value, `${mode}: ${c.name} control`).toBe(String(r.default));
    }
  }
});

test('a share link reproduces the view in a fresh browser, for a gallery model and for a dropped file', async ({ page, browser }) => {
  await openPage(page);
  await pickFromGallery(page, 'mistral', 'mistral-7b-v0.1');
  await page.locator('#inf-context').fill('32768');
  await page.locator('#inf-kv').selectOption('int8'); // transformers' 8-bit QuantizedCache (fp8 is vLLM's)
  await page.locator('#gpu').selectOption('L4');
  await page.locator('#units').selectOption('gb');
  await expect(page).toHaveURL(/#g=mistral-7b-v0.1&.*inf-context=32768/);
  const snapshot = async (p) => {
    await expect(p.locator('#memory[data-busy]')).toHaveCount(0); // the breakdown is drawn after the verdict
    return {
      total: await p.locator('#total').textContent(),
      parts: await p.locator('#parts tbody').textContent(),
      solver: await p.locator('#solver').textContent(),
      verdict: await p.locator('#verdict').textContent(),
      cli: await p.locator('#cli-command').textContent(),
    };
  };
  const expected = await snapshot(page);
  for (const setup of ['gallery', 'file']) {
    if (setup === 'file') {
      await page.getByLabel('Choose config.json').setInputFiles(fixture('gemma-2-9b.json'));
      await expect(page.locator('#source-name')).toHaveText('gemma-2-9b.json');
      await expect(page).toHaveURL(/#c=[\w-]+&n=gemma-2-9b.json/);
      Object.assign(expected, await snapshot(page));
    }
    const fresh = await browser.newContext();
    const other = await fresh.newPage();
    const foreign = watchRequests(other);
    await other.goto(page.url());
    await expect(other.locator('body[data-ready="true"]')).toBeVisible();
    expect(await snapshot(other)).toEqual(expected);
    await expect(other.locator('#inf-context')).toHaveValue('32768');
    await expect(other.locator('#units')).toHaveValue('gb');
    expect(foreign).toEqual([]);
    await fresh.close();
  }
});

test('the state survives a reload from local storage, and an address without a fragment restores it', async ({ page }) => {
  await openPage(page);
  await pickFromGallery(page, 'phi', 'phi-3-mini-4k-instruct');
  await page.getByRole('radio', { name: 'Training / fine-tuning' }).check();
  await page.locator('#train-lora-rank').fill('8');
  const total = await page.locator('#total').textContent();
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible();
  await expect(page.locator('#source-name')).toHaveText('Phi-3-mini-4k-instruct');
  await expect(page.locator('#train-lora-rank')).toHaveValue('8');
  await expect(page.locator('#total')).toHaveText(total);
});

async function downloaded(page, button) {
  const [download] = await Promise.all([page.waitForEvent('download'), page.locator(button).click()]);
  return readFileSync(await download.path(), 'utf8');
}

test('JSON, CSV and Markdown exports hold exactly the values on screen', async ({ page }) => {
  await openPage(page);
  await pickFromGallery(page, 'qwen3-30b', 'qwen3-30b-a3b');
  await page.locator('#inf-context').fill('8192');
  await expect(page.locator('#memory[data-busy]')).toHaveCount(0); // the breakdown is drawn after the verdict
  const screen = await page.locator('#parts tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ label: tr.querySelector('th').textContent, bytes: tr.querySelector('td.bytes').textContent,
      size: tr.querySelector('td.size').textContent, formula: tr.querySelector('td.formula summary').textContent })));
  const totalBytes = await page.locator('#parts-total-bytes').textContent();
  const totalSize = await page.locator('#parts-total-size').textContent();

  const json = JSON.parse(await downloaded(page, '#export-json'));
  expect(json.rows.map((r) => ({ label: r.part, bytes: commas(r.bytes), size: r.size, formula: r.formula }))).toEqual(screen);
  expect(commas(json.total.bytes)).toBe(totalBytes);
  expect(json.total.size).toBe(totalSize);
  expect(json.result.ok).toBe(true);

  const csv = (await downloaded(page, '#export-csv')).trim().split('\n');
  expect(csv[0]).toBe('id,part,bytes,size (GiB),formula,source');
  expect(csv).toHaveLength(screen.length + 2);
  screen.forEach((row, i) => {
    expect(csv[i + 1]).toContain(`,${row.bytes.replace(/,/g, '')},${row.size},`);
    expect(csv[i + 1]).toContain(row.label);
  });
  expect(csv.at(-1)).toContain(`,${totalBytes.replace(/,/g, '')},${totalSize},`);

  const md = await downloaded(page, '#export-md');
  for (const row of screen) expect(md).toContain(`| ${row.label} | ${row.bytes} | ${row.size} |`);
  expect(md).toContain(`| **${totalBytes}** | **${totalSize}** |`);
  expect(md).toContain(await page.locator('#cli-command').evaluate((n) => n.textContent.split('\n')[0]));
});

test('the gallery holds at least 40 configs, is searchable, and loads a config from this site only', async ({ page }) => {
  await openPage(page);
  const items = page.locator('#gallery-list button');
  expect(await items.count()).toBeGreaterThanOrEqual(40);
  await page.getByLabel('Gallery: search a bundled model').fill('deepseek');
  await expect(items).toHaveCount(3);
  await page.getByLabel('Gallery: search a bundled model').fill('qwen3_moe'); // by model_type
  await expect(items).toHaveCount(2);
  await page.getByLabel('Gallery: search a bundled model').fill('meta-llama/Llama-2-7b-hf'); // by Hugging Face id
  await expect(items).toHaveCount(1);
  await items.first().press('Enter'); // keyboard-operable
  await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
});

test('a measurement is compared with the matching part or total, with the reason for the difference', async ({ page }) => {
  await openPage(page);
  await pickFromGallery(page, 'llama-3-8b', 'llama-3-8b');
  await page.getByText('Compare with a measurement').click();
  const total = Number((await page.locator('#parts-total-bytes').textContent()).replace(/,/g, ''));
  const overhead = Number((await page.locator('tr[data-part="runtime_overhead"] td.bytes').textContent()).replace(/,/g, ''));
  const weights = Number((await page.locator('tr[data-part="weights"] td.bytes').textContent()).replace(/,/g, ''));
  const gib = (b) => size(b);
  const result = page.locator('#compare-result');

  await page.locator('#compare-value').fill('18200MiB / 24564MiB'); // an nvidia-smi line
  await expect(result).toContainText(`Measured ${gib(18200 * 2 ** 20)}, estimated ${gib(total)}`);
  await expect(result).toContainText('CUDA context');

  await page.locator('#compare-metric').selectOption('allocated');
  await expect(result).toContainText(`estimated ${gib(total - overhead)}`);
  await expect(result).toContainText('without the runtime overhead');

  await page.locator('#compare-metric').selectOption('vllm');
  await page.locator('#compare-value').fill('INFO worker.py:237] model weights take 14.96GiB; non_torch_memory takes 0.13GiB');
  await expect(result).toContainText(`Measured ${gib(14.96 * 2 ** 30)}, estimated ${gib(weights)}`);

  await page.locator('#compare-metric').selectOption('llamacpp');
  await page.locator('#compare-value').fill('llama_kv_cache_unified:      CUDA0 KV buffer size =   512.00 MiB');
  await expect(result).toContainText('the KV cache part');

  await page.locator('#compare-value').fill('no number here');
  await expect(result).toContainText('No size found');
});

test('a file over the size limit is refused with a message and the last result stays', async ({ page }) => {
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('llama-2-7b.json'));
  await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
  const big = Buffer.alloc(17 * 2 ** 20, 0x20);
  await page.getByLabel('Choose config.json').setInputFiles({ name: 'huge-config.json', mimeType: 'application/json', buffer: big });
  await expect(page.locator('#error')).toContainText('huge-config.json is larger than 16 MiB');
  await expect(page.locator('#error')).toContainText('[too_large]');
  await expect(page.locator('#params-total')).toHaveText('6,738,415,616');
  await expect(page.locator('#total')).not.toBeEmpty();
});

test('results appear without shifting the layout, and the views switch with the keyboard', async ({ page }) => {
  await page.addInitScript(() => {
    window.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  });
  await openPage(page);
  await page.getByLabel('Choose config.json').setInputFiles(fixture('qwen2.5-7b-instruct.json'));
  await expect(page.locator('#total')).not.toBeEmpty();
  await page.waitForTimeout(300);
  const shift = await page.evaluate(() => window.__shift);
  console.log(`cumulative layout shift after the first result: ${shift.toFixed(4)}`);
  expect(shift).toBeLessThan(0.1);

  await page.getByRole('tab', { name: 'Memory calculator' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Bit converter' })).toBeFocused();
  await expect(page.getByRole('region', { name: /Bit converter/ })).toBeVisible();
  await expect(page).toHaveURL(/view=converter/);
  await page.keyboard.press('ArrowLeft');
  await expect(page.getByRole('region', { name: /^GPU memory for/ })).toBeVisible();
});

test('theme and language follow the system, switch, and are remembered', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN', colorScheme: 'dark' });
  const page = await context.newPage();
  const foreign = watchRequests(page);
  await openPage(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-Hans');
  await expect(page.getByRole('tab', { name: '显存计算器' })).toBeVisible();
  const bg = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await bg()).toBe('rgb(13, 17, 23)'); // dark from the system
  await page.locator('#theme').selectOption('light');
  expect(await bg()).toBe('rgb(255, 255, 255)');
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.reload();
  await expect(page.locator('body[data-ready="true"]')).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Memory calculator' })).toBeVisible();
  expect(await bg()).toBe('rgb(255, 255, 255)');
  expect(foreign).toEqual([]);
  await context.close();
});

test('a config without torch_dtype gets the dtype transformers loads, marked as a default, one click to change', async ({ page }) => {
  await openPage(page);
  await pickFromGallery(page, 'llama-3-8b', 'llama-3-8b');
  await expect(page.locator('#origin-inf-dtype')).toContainText('torch_dtype = bfloat16 → bf16');
  await page.getByLabel('Choose config.json').setInputFiles(fixture('bert-large-uncased.json'));
  await expect(page.locator('#mem-error')).toBeHidden();
  await expect(page.locator('#mem-results')).toBeVisible();
  await expect(page.locator('#origin-inf-dtype')).toContainText('fp32');
  await expectPageMatchesCli(page, fixture('bert-large-uncased.json'));
  await page.locator('#inf-dtype').selectOption('fp16');
  await expect(page.locator('#origin-inf-dtype')).toBeEmpty();
  await expectPageMatchesCli(page, fixture('bert-large-uncased.json'));
});

test('the page offers only the formats the chosen engine runs (engine × format table)', async ({ page }) => {
  await openPage(page);
  await pickFromGallery(page, 'llama-3-8b', 'llama-3-8b');
  await page.locator('#inf-quant').selectOption('gptq-4bit');
  await page.locator('#inf-kv').selectOption('int8');
  await page.locator('#inf-engine').selectOption('llamacpp');
  // llama.cpp runs GGUF: the GPTQ choice and the int8 cache go back to auto, and cannot be chosen again.
  await expect(page.locator('#inf-quant')).toHaveValue('auto');
  await expect(page.locator('#inf-kv')).toHaveValue('auto');
  await expect(page.locator('#inf-quant option[value="bnb-nf4"]')).toBeDisabled();
  await expect(page.locator('#inf-kv option[value="fp8"]')).toBeDisabled();
  await expect(page.locator('#inf-quant option[value="gguf-q4_k_m"]')).toBeEnabled();
  await expect(page.locator('#mem-error')).toBeHidden();
  await page.locator('#inf-engine').selectOption('vllm');
  await expect(page.locator('#inf-kv option[value="q8_0"]')).toBeDisabled();
  await expect(page.locator('#inf-kv option[value="fp8"]')).toBeEnabled();
});
