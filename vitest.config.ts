import { configDefaults, defineConfig } from 'vitest/config';

// The benchmark guard runs a minute of load on both cores: its own step (`npm run bench:guard`),
// not part of `npm test`.
const benchGuard = 'test/fairness/bench.test.ts';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, ...(process.env.BENCH_GUARD ? [] : [benchGuard])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
