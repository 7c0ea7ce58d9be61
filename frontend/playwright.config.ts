import { defineConfig } from '@playwright/test';

// The journeys run against the real single binary (`make build` puts it in ../bin, with this
// UI embedded), on its own port and a throw-away database seeded with the demo data: SQLite,
// or the PostgreSQL database REGENT_E2E_DATABASE_URL names, whose schema is emptied first
// (`make e2e` runs both when it is set, as CI does).
const baseURL = 'http://127.0.0.1:18080';
const postgresURL = process.env.REGENT_E2E_DATABASE_URL;
const freshDatabase = postgresURL
  ? `psql "$REGENT_DATABASE_URL" -qc 'DROP SCHEMA public CASCADE' -qc 'CREATE SCHEMA public' && ../bin/regent migrate`
  : 'true';

export default defineConfig({
  testDir: './e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  reporter: 'list',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    trace: 'retain-on-failure',
    launchOptions: {
      // The system Chromium: Playwright's own browsers cannot be downloaded here.
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        '--disable-dev-shm-usage',
      ],
    },
  },
  webServer: {
    command: `sh -c 'rm -rf ../.e2e && mkdir -p ../.e2e && ${freshDatabase.replaceAll("'", `'"'"'`)} && ../bin/regent demo seed && exec ../bin/regent serve'`,
    env: {
      REGENT_DATABASE_URL: postgresURL ?? 'sqlite:../.e2e/regent.db',
      REGENT_DATA_DIR: '../.e2e',
      REGENT_ADDR: '127.0.0.1:18080',
      REGENT_PUBLIC_URL: baseURL,
      REGENT_LOG_LEVEL: 'warn',
    },
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'pipe',
    stderr: 'pipe',
  },
});
