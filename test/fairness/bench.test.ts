import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requirePostgres } from '../support/test-db.js';

/**
 * Keeps `npm run bench` from rotting: the reduced benchmark runs once and its JSON line must
 * carry every key the benchmark reports, with the correctness figures at zero. Throughput
 * targets are not asserted here: they depend on the machine (see README). Not part of
 * `npm test` (it takes a minute of both cores): `npm run bench:guard`, a step of its own in CI.
 */
describe.runIf(requirePostgres())('bench --quick --json', () => {
  it('prints one JSON object with the release, lottery, browse, fairness and machine figures', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'bench/run.ts', '--quick', '--json'],
      {
        env: { ...process.env, BENCH_DATABASE_URL: process.env.TEST_DATABASE_URL },
        maxBuffer: 16 * 1024 * 1024,
        timeout: 420_000,
      },
    );
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const result = JSON.parse(last);
    for (const key of [
      'bookingsPerSec',
      'p50Ms',
      'p95Ms',
      'p99Ms',
      'overbooked',
      'limitViolations',
      'rawPerSec',
      'ratio',
      'peakRssMb',
    ])
      expect(result.release).toHaveProperty(key);
    expect(result.browse).toHaveProperty('requestsPerSec');
    expect(result.browse).toHaveProperty('p99Ms');
    for (const key of ['botShareLottery', 'botShareFcfs', 'botEntrantShare'])
      expect(result.fairness).toHaveProperty(key);
    for (const key of ['cores', 'memoryGb', 'postgres']) expect(result.machine).toHaveProperty(key);
    expect(result.release.overbooked).toBe(0);
    expect(result.release.limitViolations).toBe(0);
    // Where each attempt's CPU went (bench/cpu.ts, from /proc): every part measured, none zero.
    for (const cpu of [result.release.cpu, result.lottery.cpu]) {
      expect(cpu.serverUs).toBeGreaterThan(0);
      expect(cpu.postgresUs).toBeGreaterThan(0);
      expect(cpu.loadUs).toBeGreaterThan(0);
      expect(cpu.idle).toBeGreaterThanOrEqual(0);
    }
    expect(result.browse.fresh).toBe(true);
    // The national release through the lottery, and every figure next to its same-run ceiling.
    for (const key of ['entriesPerSec', 'p99Ms', 'drawMs', 'placesFilled', 'ceilingPerSec', 'ratio'])
      expect(result.lottery).toHaveProperty(key);
    // A center whose entrants are fewer than its places keeps some (the draw stays in the center).
    expect(result.lottery.placesFilled).toBeGreaterThan(0);
    expect(result.lottery.placesFilled).toBeLessThanOrEqual(result.lottery.places);
    // The draw reported is the national day's, of every entry (not another day's empty draw).
    expect(result.lottery.drawnEntries).toBe(result.lottery.entries);
    expect(result.lottery.doubleEntries).toBe(0);
    expect(result.lottery.rateLimitViolations).toBe(0);
    expect(result.lottery.overbooked).toBe(0);
    for (const figure of [result.release, result.browse, result.lottery])
      expect(figure.ceilingPerSec).toBeGreaterThan(0);
    // The lottery's ceiling is the batched entry the server sends at the window, every entry of
    // every pgbench transaction written (a refusal would count entries that never were); the
    // lone entry's ceiling stands beside it.
    const batch = result.ceilings.entryBatch;
    expect(batch.transactions).toBeGreaterThan(0);
    expect(batch.written).toBeGreaterThanOrEqual(batch.transactions * 16);
    expect(result.lottery.ceilingPerSec).toBe(batch.entriesPerSec);
    expect(result.lottery.ceilingLonePerSec).toBe(result.ceilings.entry.tps);
    // The lottery does not let bots win more than their share of entrants plus noise.
    expect(result.fairness.botShareLottery).toBeLessThan(result.fairness.botEntrantShare + 0.1);
  }, 450_000);
});
