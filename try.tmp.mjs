import { chromium } from '@playwright/test';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
const server = spawn('node', ['scripts/serve.mjs'], { env: { ...process.env, PORT: '4190' }, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 800));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const config = readFileSync('tests/fixtures/configs/llama-3-8b.json');
const drops = [], ups = [], parts = [];
for (let i = 0; i < 6; i++) {
  const ctx = await browser.newContext(); const page = await ctx.newPage();
  await page.goto('http://127.0.0.1:4190/');
  await page.waitForSelector('body[data-ready="true"]');
  await page.setInputFiles('#file', { name: 'config.json', mimeType: 'application/json', buffer: config });
  await page.waitForFunction(() => performance.getEntriesByName('gpumem:estimate').length > 0);
  drops.push(await page.evaluate(() => performance.getEntriesByName('gpumem:estimate')[0].duration));
  for (let j = 0; j < 10; j++) {
    await page.fill('#inf-batch', String(j + 1));
    ups.push(await page.evaluate(() => performance.getEntriesByName('gpumem:update').at(-1).duration));
  }
  parts.push(await page.evaluate(() => ['est','fit','render'].map((n) => { const e = performance.getEntriesByName(n); const xs = e.map((x) => x.duration).sort((a, b) => a - b); return n + ' ' + xs[Math.floor(xs.length / 2)].toFixed(2); }).join(', ')));
  await ctx.close();
}
const q = (a, p) => a.slice().sort((x, y) => x - y)[Math.floor(a.length * p)];
const m = await Promise.resolve(0); console.log("drop median", q(drops, 0.5).toFixed(1), "update median", q(ups, 0.5).toFixed(1));
console.log(parts.join('\n'));
await browser.close();
server.kill();
