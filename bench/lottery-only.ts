/**
 * `npx tsx bench/lottery-only.ts [--quick] [--profile] [--rate N]`: only the national release
 * (bench/national.ts) and its pgbench ceilings, for experiments on the lottery path.
 * BENCH_NATIONAL_PEOPLE scales it; `--rate N` offers N attempts a second in an open loop instead
 * of keeping 64 in flight (answer times below saturation).
 */
import os from 'node:os';
import { nationalScenario } from './national.js';
import { entryBatchCeiling, entryScript, PGBENCH_SERVICE, pgbench } from './pgbench.js';
import { GROUP } from './seed.js';
import { ensureBuild } from './server.js';
import { benchDatabase } from './setup.js';
import { nationalSize } from './sizes.js';

const quick = process.argv.includes('--quick');
function rateArg(): number | undefined {
  const at = process.argv.indexOf('--rate');
  const rate = at < 0 ? undefined : Number(process.argv[at + 1]);
  if (rate !== undefined && !(rate > 0)) throw new Error('--rate needs a number of attempts a second');
  return rate;
}
const size = nationalSize(quick);
ensureBuild();
const database = await benchDatabase();
const url = database.url;
try {
  const db = database.pool(8);
  const loadBefore = os.loadavg()[0];
  const n = await nationalScenario({
    url,
    db,
    size,
    connections: 64,
    log: console.error,
    profile: process.argv.includes('--profile'),
    rate: rateArg(),
  });
  await db.query(
    `INSERT INTO services (id, code, name, group_id) VALUES ($1, $1, 'pgbench', $2) ON CONFLICT DO NOTHING`,
    [PGBENCH_SERVICE, GROUP],
  );
  const r = await db.query<{ lo: string; hi: string }>(
    `SELECT min(id) AS lo, max(id) AS hi FROM slots WHERE day = $1`,
    [n.day],
  );
  const persons = { first: size.firstPerson, count: size.people + size.bots };
  const slots = { min: Number(r.rows[0]?.lo), max: Number(r.rows[0]?.hi) };
  const seconds = quick ? 4 : 10;
  const ceiling = await pgbench(url, await entryScript(url, persons, slots, n.day), seconds, 'entry');
  const batchCeiling = await entryBatchCeiling(url, persons, slots, n.day, seconds);
  await db.end();
  console.log(JSON.stringify({ ...n, ceiling, batchCeiling, loadBefore, loadAfter: os.loadavg()[0] }));
} finally {
  await database.drop();
}
