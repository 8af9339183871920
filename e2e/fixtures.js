// Shared test fixture: every spec records each request the page makes and fails if one leaves
// 127.0.0.1 (the page makes no network request of its own after load).
import { test as base, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';

// Records every request `page` makes that leaves 127.0.0.1 (data: and blob: URLs stay in the page).
export function watchRequests(page) {
  const foreign = [];
  page.on('request', (req) => {
    const url = new URL(req.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return;
    if (url.hostname !== '127.0.0.1') foreign.push(req.url());
  });
  return foreign;
}

export const test = base.extend({
  page: async ({ page }, use) => {
    const foreign = watchRequests(page);
    await use(page);
    expect(foreign, 'requests that left 127.0.0.1').toEqual([]);
  },
});
export { expect };

export const fixture = (name) => new URL(`../tests/fixtures/configs/${name}`, import.meta.url).pathname;
export const fixtureText = (name) => readFileSync(fixture(name), 'utf8');

export async function openPage(page) {
  await page.goto('/');
  await expect(page.locator('body[data-ready="true"]')).toBeVisible();
}

// Opens the forms' collapsed "More options" and "Reproduce a published measurement" blocks, so a step can
// click or fill a control of the expert or reproduction tier (the schema decides which controls sit there).
export async function openReproduction(page) {
  await page.evaluate(() => {
    for (const d of document.querySelectorAll('form details.repro, form details.more')) d.open = true;
  });
}
