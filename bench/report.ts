import type { CpuShares } from './cpu.js';
import type { nationalScenario } from './national.js';

/** The human table of `npm run bench`: each figure, its same-run ceiling, the ratio and the target. */
export interface BenchResult {
  size: string;
  release: {
    bookingsPerSec: number;
    ceilingPerSec: number;
    ratio: number;
    attemptsPerSec: number;
    p50Ms: number;
    p95Ms: number;
    p99Ms: number;
    booked: number;
    places: number;
    overbooked: number;
    limitViolations: number;
    peakRssMb: number;
    statuses: Record<string, number>;
    cpu: CpuShares | null;
  };
  lottery:
    | (Awaited<ReturnType<typeof nationalScenario>> & {
        ceilingPerSec: number;
        ratio: number;
        ceilingLonePerSec: number;
        ratioLone: number;
      })
    | null;
  browse: {
    requestsPerSec: number;
    ceilingPerSec: number;
    ratio: number;
    p50Ms: number;
    p99Ms: number;
    fresh: boolean;
  };
  fairness: {
    botShareLottery: number;
    botShareFcfs: number;
    botEntrantShare: number;
    placesLottery: number;
    placesFcfs: number;
  };
  machine: {
    cores: number;
    memoryGb: number;
    postgres: string;
    node: string;
    loadBefore: number;
    loadAfter: number;
  };
}

/** Each part's CPU per request and cores in use, and the machine's idle share. */
function cpuLine(c: CpuShares | null): string {
  if (!c) return 'not measured (Linux only)';
  return `server ${c.serverUs} µs (${c.serverCores} cores), PostgreSQL ${c.postgresUs} µs (${c.postgresCores}), load generator ${c.loadUs} µs (${c.loadCores}); idle ${Math.round(c.idle * 100)} %`;
}

export function rowsOf(result: BenchResult): Array<[string, string]> {
  const l = result.lottery;
  const rows: Array<[string, string]> = [
    [
      'release: bookings/s | pgbench claim | ratio',
      `${result.release.bookingsPerSec} | ${result.release.ceilingPerSec} | ${result.release.ratio} (target ≥ 0.6)`,
    ],
    ['release: attempts/s', String(result.release.attemptsPerSec)],
    [
      'release: latency p50/p95/p99',
      `${result.release.p50Ms} / ${result.release.p95Ms} / ${result.release.p99Ms} ms (p99 target ≤ 50)`,
    ],
    ['release: booked / places', `${result.release.booked} / ${result.release.places}`],
    [
      'release: overbooked, limit violations',
      `${result.release.overbooked}, ${result.release.limitViolations} (must be 0, 0)`,
    ],
    ['release: server peak RSS', `${result.release.peakRssMb} MB (target ≤ 250)`],
    ['release: answers', JSON.stringify(result.release.statuses)],
    ['release: CPU per attempt', cpuLine(result.release.cpu)],
    [
      'browse: requests/s | bare route | ratio',
      `${result.browse.requestsPerSec} | ${result.browse.ceilingPerSec} | ${result.browse.ratio} (target ≥ 0.5)`,
    ],
    ['browse: p50/p99', `${result.browse.p50Ms} / ${result.browse.p99Ms} ms`],
    ['browse: fresh after booking', String(result.browse.fresh)],
  ];
  if (l)
    rows.push(
      [
        'lottery: entries/s | pgbench batched entry | ratio',
        `${l.entriesPerSec} | ${l.ceilingPerSec} | ${l.ratio} (target ≥ 0.6)`,
      ],
      [
        'lottery: entries/s | pgbench lone entry | ratio',
        `${l.entriesPerSec} | ${l.ceilingLonePerSec} | ${l.ratioLone}`,
      ],
      ['lottery: entry latency p50/p95/p99', `${l.p50Ms} / ${l.p95Ms} / ${l.p99Ms} ms (p99 target ≤ 50)`],
      [
        'lottery: entries / attempts',
        `${l.entries} / ${l.attempts} (${l.people} people, ${l.bots} bots, ${l.centers} centers)`,
      ],
      ['lottery: all answered inside the window', `${l.insideWindow} (${l.windowSeconds} s)`],
      ['lottery: draw', `${l.drawMs} ms for ${l.drawnEntries} entries (target ≤ 10 s)`],
      ['lottery: loss letters queued after the draw', `${l.lettersMs} ms`],
      ['lottery: places filled', `${l.placesFilled} / ${l.places}`],
      ['lottery: server peak RSS', `${l.peakRssMb} MB`],
      [
        'lottery: proof-of-work',
        `${l.pow.solvedByWorkers} solved in workers (mean ${l.pow.meanSolveMs} ms, p95 ${l.pow.p95SolveMs} ms; all would take ${l.pow.allAttemptsCoreSeconds} core-s), ${l.pow.minted} minted`,
      ],
      ['lottery: answers', JSON.stringify(l.statuses)],
      ['lottery: CPU per attempt', cpuLine(l.cpu)],
      ['fairness: bots share of places | of entrants', `${l.botShareOfPlaces} | ${l.botShareOfEntrants}`],
      [
        'fairness: rate-limit violations, double entries',
        `${l.rateLimitViolations}, ${l.doubleEntries} (must be 0, 0)`,
      ],
    );
  rows.push(
    [
      'fairness (sim): bot share, lottery',
      `${(result.fairness.botShareLottery * 100).toFixed(1)} % of ${result.fairness.placesLottery}`,
    ],
    [
      'fairness (sim): bot share, FCFS',
      `${(result.fairness.botShareFcfs * 100).toFixed(1)} % of ${result.fairness.placesFcfs}`,
    ],
    ['fairness (sim): bots among entrants', `${(result.fairness.botEntrantShare * 100).toFixed(1)} %`],
    [
      'machine',
      `${result.machine.cores} cores, ${result.machine.memoryGb} GB, PostgreSQL ${result.machine.postgres}, Node ${result.machine.node}, load ${result.machine.loadBefore} → ${result.machine.loadAfter}`,
    ],
  );
  return rows;
}

/**
 * The largest and smallest of many numbers (`Math.max(...xs)` passes every element as an argument
 * and overflows the stack for the national run's 200,000 answers). -Infinity / Infinity when empty.
 */
export function maxOf(xs: readonly number[]): number {
  let m = Number.NEGATIVE_INFINITY;
  for (const x of xs) if (x > m) m = x;
  return m;
}

export function minOf(xs: readonly number[]): number {
  let m = Number.POSITIVE_INFINITY;
  for (const x of xs) if (x < m) m = x;
  return m;
}
