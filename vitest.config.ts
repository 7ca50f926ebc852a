import { configDefaults, defineConfig } from 'vitest/config';

// The benchmark guard runs a minute of load on both cores: its own step (`npm run bench:guard`),
// not part of `npm test`.
const benchGuard = 'test/fairness/bench.test.ts';
const browser = 'test/browser/**/*.test.ts';

// Two groups, one after the other. First every test but the browser ones, two files at a time: much
// of their time is spent waiting on PostgreSQL, timers or sockets. Then the browser tests, one file
// at a time in one process: each drives Chromium against a server of its own, and Chromiums running
// beside other files on two cores made their 30 s steps time out. (With the PGlite snapshot of
// test/support/test-db.ts: npm test 1,084 → 585 s on the 2-core machine.)
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, browser, ...(process.env.BENCH_GUARD ? [] : [benchGuard])],
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: [browser],
          sequence: { groupOrder: 1 },
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
