// The one helper that checks what the page shows against the native CLI: it reads the command the
// page prints (#cli-command), runs it on the same config file, and compares every part, the total, the
// verdicts of the fits-on table and the solver line, and the speed card and the table's tokens/s, with the
// CLI's JSON. No number lives in a spec.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { expect } from './fixtures.js';
import { rate, seconds, size } from '../web/src/dom.js';
import { loadCoreText, renderCoreText } from '../web/src/core-text.js';

await loadCoreText('zh'); // the page loads the zh templates when 中文 is chosen; the expected texts need them too

const root = new URL('..', import.meta.url).pathname;
const binary = join(root, 'build/native/bin/gpumem');

// Splits a POSIX shell word list with single quotes (the page quotes values with spaces or commas).
export function shellWords(line) {
  const words = [];
  let cur = '';
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end);
      i = end;
      started = true;
    } else if (c === '\\') {
      cur += line[++i];
      started = true;
    } else if (c === ' ') {
      if (started) words.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started) words.push(cur);
  return words;
}

export function runCli(line, configPath) {
  const words = shellWords(line);
  expect(words[0]).toBe('gpumem');
  const args = words.slice(1).map((w) => (w === 'config.json' ? configPath : w));
  try {
    return JSON.parse(execFileSync(binary, args, { encoding: 'utf8' }));
  } catch (e) {
    return JSON.parse(e.stdout);
  }
}

// The CLI's JSON for other arguments (e.g. ['options', '--json']: the option schema).
export function cliJson(args) {
  return JSON.parse(execFileSync(binary, args, { encoding: 'utf8' }));
}

const commas = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');

// Returns {estimate, fit} as the CLI printed them, after asserting the page shows the same.
export async function expectPageMatchesCli(page, configPath) {
  await expect(page.locator('#memory[data-busy]')).toHaveCount(0); // the deferred table and chart are drawn
  const lines = (await page.locator('#cli-command').textContent()).split('\n');
  const estimate = runCli(lines[0], configPath);
  expect(estimate.ok, JSON.stringify(estimate.error)).toBe(true);
  const units = await page.locator('#units').inputValue();
  // Formulas read in the page's language: the core's English, or its Text rendered in 中文.
  const lang = /^zh/.test(await page.evaluate(() => document.documentElement.lang)) ? 'zh' : 'en';
  const formula = (p) => (lang === 'zh' ? renderCoreText('zh', p.formula_text, p.formula) : p.formula);
  // The page rounds sizes for people (three significant digits, dom.js size()); the bytes are exact.
  const shown = (bytes) => size(bytes, units);
  const rows = await page.locator('#parts tbody tr').evaluateAll((trs) =>
    trs.map((tr) => ({ id: tr.dataset.part, bytes: tr.querySelector('td.bytes').textContent, size: tr.querySelector('td.size').textContent,
      formula: tr.querySelector('td.formula summary').textContent })));
  const parts = estimate.memory.parts;
  expect(rows, 'parts: id, bytes, size, formula')
    .toEqual(parts.map((p) => ({ id: p.id, bytes: commas(p.bytes), size: shown(p.bytes), formula: formula(p) })));
  await expect(page.locator('#parts-total-bytes')).toHaveText(commas(estimate.memory.total_bytes));
  await expect(page.locator('#total')).toHaveText(shown(estimate.memory.total_bytes));
  await expect(page.locator('#total')).toHaveAttribute('title', `${commas(estimate.memory.total_bytes)} B`);
  if (estimate.mode === 'train') await expect(page.locator('#peak')).toHaveText(shown(estimate.memory.typical_peak_bytes));
  const stages = await page.locator('#stages tbody tr').evaluateAll((trs) => trs.map((tr) => tr.cells[2].textContent));
  const expected = (estimate.stages ?? []).length > 1 ? estimate.stages : [];
  expect(stages.map((s) => s.replace(/,/g, '')), 'pipeline stage totals').toEqual(expected.map((s) => String(s.total_bytes)));
  let fit = null;
  if (lines[1]) {
    fit = runCli(lines[1], configPath);
    expect(fit.ok, JSON.stringify(fit.error)).toBe(true);
    const n = fit.max_context ?? fit.max_batch;
    if (n > 0) await expect(page.locator('#solver')).toContainText(commas(n));
    const table = await page.locator('#fits tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({ cells: [...tr.children].map((c) => c.textContent), fits: tr.classList.contains('ok') })));
    // One comparison per table: an expect per cell (121 rows × 3, at every step of a story) is recorded by the
    // runner one by one, and the long stories slowed down step after step.
    const needed = (x) => (x.gpus_needed > 0 ? String(x.gpus_needed) : null);
    expect(table.map((r) => [r.cells[0], r.cells[1], r.fits, needed(fit.table.find((x) => x.gpu === r.cells[0])) && r.cells[4]]),
      'fits-on table: GPU, usable, verdict, GPUs needed')
      .toEqual(fit.table.map((x) => [x.gpu, shown(x.usable.bytes), x.fits, needed(x)]));
  }
  let speed = null;
  if (lines[2]) {
    speed = runCli(lines[2], configPath);
    await expectSpeedMatches(page, speed, fit);
  }
  return { estimate, fit, speed };
}

// The speed card (tokens/s per sequence and time to first token with their ranges, or the training step) where
// the chosen setup fits, and the fits-on table's tokens/s per GPU, against the CLI's speed JSON.
async function expectSpeedMatches(page, speed, fit) {
  const card = page.locator('[data-part="speed"]');
  if (!speed.ok) {
    // The core's reason instead of a rate, and no chart.
    await expect(page.locator('#speed-line')).not.toBeEmpty();
    await expect(page.locator('#speed-box')).toBeHidden();
    return;
  }
  const s = speed.speed;
  const fits = (await page.locator('[data-part="verdict"]').getAttribute('data-fits')) === 'true';
  if (fits && speed.mode === 'train') {
    for (const x of [seconds(s.step_s), seconds(s.range.step_s[0]), seconds(s.range.step_s[1]), rate(s.tokens_per_s)])
      await expect(card).toContainText(x);
  } else if (fits) {
    const r = s.range;
    for (const x of [rate(s.decode.tokens_per_s), rate(r.decode_tokens_per_s[0]), rate(r.decode_tokens_per_s[1])])
      await expect(card).toContainText(x);
    if (s.ttft_s) for (const x of [seconds(s.ttft_s), seconds(r.ttft_s[0]), seconds(r.ttft_s[1])]) await expect(card).toContainText(x);
  }
  if (speed.mode === 'train') return;
  const cells = await page.locator('#fits tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.cells[0].textContent, tr.cells[5].textContent]));
  expect(cells, 'fits-on table: tokens/s').toEqual(s.table.map((x) => [x.gpu, x.tokens_per_s ? rate(x.tokens_per_s) : '—']));
  // A row's GPUs are the fits-on table's: the request's where it fits, else the GPUs needed.
  if (fit) {
    const gpus = (fit.settings.tp ?? 1) * (fit.settings.pp ?? 1);
    expect(s.table.map((x) => x.gpus), 'speed table: GPUs per row').toEqual(fit.table.map((x) => (x.fits ? gpus : x.gpus_needed)));
  }
}
