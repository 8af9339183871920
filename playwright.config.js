// Playwright against the built static site (dist/), served from 127.0.0.1 with Debian's Chromium.
import { defineConfig } from '@playwright/test';

const port = Number(process.env.GPUMEM_E2E_PORT || 4173);

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'build/e2e/test-results',
  // Two workers: the specs spend most of their time waiting on the browser, so two files at a time use
  // the CI machine's 2 cores (the tests of one file still run in order).
  fullyParallel: false,
  workers: 2,
  retries: 0,
  reporter: [['list'], ['json', { outputFile: 'build/e2e/results.json' }]],
  // Timed stories run after everything else, alone and one at a time (a time measured beside another worker
  // measures it too).
  projects: [
    { name: 'specs', testIgnore: /timing\.spec\.js$/ },
    { name: 'timing', testMatch: /timing\.spec\.js$/, dependencies: ['specs'], workers: 1 },
  ],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.GPUMEM_CHROMIUM || '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
        '--disable-sync', '--disable-quic', '--no-first-run'],
    },
  },
  webServer: {
    command: `node scripts/serve.mjs`,
    env: { PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
