import { defineConfig } from 'vitest/config';

// The database-facing suites: run on SQLite with everything else, and again on PostgreSQL.
const onBothEngines = [
  'test/adapters/lease.test.ts',
  'test/adapters/write-serialisation.test.ts',
  'test/db/concurrent-migrations.test.ts',
  'test/services/**/*.test.ts',
  'test/crash/**/*.test.ts',
  'test/worker/**/*.test.ts',
  'test/http/**/*.test.ts',
  'test/cli/**/*.test.ts',
];
// What only PostgreSQL has: its driver, connection faults and several machines.
const postgresOnly = ['test/postgres/**/*.test.ts'];
// The quick start is SQLite's (npm run demo), and the browser tests exercise pages that web.test.ts and
// console.test.ts already cover on Postgres.
const sqliteOnly = [
  'test/worker/demo.test.ts',
  'test/http/browser.test.ts',
  'test/http/console-browser.test.ts',
];

export default defineConfig({
  test: {
    // Tests that run the built `digest` need it current; the postgres project adds its server (below).
    globalSetup: ['test/support/build.ts'],
    // Crash and browser tests spawn real processes; give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // expect.poll waits for something done after an answer (a confirmation email sent in the background, a
    // page that submits itself). Its default of one second is less than a loaded 2-core machine can take.
    expect: { poll: { timeout: 10_000 } },
    // Vitest's default is one worker fewer than the cores: on a 2-core machine, one file at a time. Most of
    // the suite's time is spent waiting (on child processes, a lease expiring, a paced provider), not
    // computing, so files run three at a time.
    maxWorkers: 3,
    projects: [
      {
        extends: true,
        test: {
          name: 'sqlite',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: postgresOnly,
          env: { DIGEST_TEST_ENGINE: 'sqlite' },
        },
      },
      {
        extends: true,
        test: {
          name: 'postgres',
          include: [...onBothEngines, ...postgresOnly],
          exclude: sqliteOnly,
          env: { DIGEST_TEST_ENGINE: 'postgres' },
          globalSetup: ['test/support/postgres-setup.ts'],
        },
      },
    ],
  },
});
