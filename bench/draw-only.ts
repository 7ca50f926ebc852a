/**
 * `npx tsx bench/draw-only.ts [--quick]`: only the national release's draw, at full size without
 * the hours of HTTP entries before it: 143 centers × 20 half-hours × 7 = 20,020 places and
 * BENCH_NATIONAL_PEOPLE (200,000; quick 3,000) entries with their pending registrations written
 * straight to a fresh database (each person wants a random slot of the day), then the real draw
 * (`ctx.fairness.lottery.drawDue`) with its clock at the window's end. Prints one JSON line;
 * `--statements` also the draw's statements by time (stderr), to see where it goes; `--keep`
 * keeps the database (its name on stderr) and stops before the draw, to explain its statements.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { fixedClock } from '../src/platform/clock.js';
import { openPostgres } from '../src/platform/db.js';
import { addDays, type Day, kyivDay, kyivInstant } from '../src/platform/kyiv-time.js';
import { GROUP, SERVICE, seedCatalog, seedPeople, seedSlots } from './seed.js';
import { benchDatabase } from './setup.js';
import { nationalSize } from './sizes.js';
import { timeStatements } from './statements.js';

const quick = process.argv.includes('--quick');
const keep = process.argv.includes('--keep');
const size = nationalSize(quick);
const people = size.people + size.bots;
const database = await benchDatabase();
const { url } = database;
try {
  const handle = await openPostgres(url, 4);
  const db = database.pool(4);
  const releaseDate = addDays(kyivDay(new Date()), 120);
  const releaseAt = kyivInstant(releaseDate, '06:00');
  const windowEnd = new Date(releaseAt.getTime() + size.windowMinutes * 60_000);
  const day = addDays(releaseDate, 21) as Day;
  const centers = Array.from({ length: size.centers }, (_, i) => `nat-c${String(i + 1).padStart(3, '0')}`);
  await seedCatalog(db, centers);
  const slots = await seedSlots(db, {
    centers,
    days: [day],
    windows: size.windows,
    capacity: size.perSlot,
    releasedAt: releaseAt,
  });
  const persons = await seedPeople(db, 'draw-p', people, releaseAt);
  await db.query(`INSERT INTO lottery_draws (day, decides_at) VALUES ($1, $2)`, [day, windowEnd]);
  const CHUNK = 20_000;
  for (let start = 0; start < persons.length; start += CHUNK) {
    const chunk = persons.slice(start, start + CHUNK).map((p) => {
      const slot = slots[Math.floor(Math.random() * slots.length)] as (typeof slots)[number];
      return { id: randomUUID(), person: p.personId, slot };
    });
    const cols = [
      chunk.map((c) => c.id),
      chunk.map((c) => c.person),
      chunk.map((c) => c.slot.centerId),
      chunk.map((c) => c.slot.id),
      chunk.map((c) => c.slot.startsAt.toISOString()),
    ];
    await db.query(
      `INSERT INTO lottery_entries (id, day, person_id, service_id, center_id, group_id, slot_id, starts_at, created_at)
       SELECT id, $6, person, $7, center, $8, slot, starts, $9
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::timestamptz[]) AS t(id, person, center, slot, starts)`,
      [...cols, day, SERVICE, GROUP, releaseAt],
    );
    await db.query(
      `INSERT INTO registrations (id, center_id, service_id, group_id, person_id, channel, status, day, starts_at,
         call_at, created_at, updated_at)
       SELECT id, center, $7, $8, person, 'online', 'pending', $6, starts, starts, $9, $9
       FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::bigint[], $5::timestamptz[]) AS t(id, person, center, slot, starts)`,
      [...cols, day, SERVICE, GROUP, releaseAt],
    );
  }
  await db.query('ANALYZE');
  if (keep) {
    console.error(`draw-only: kept ${url} (day ${day}, window end ${windowEnd.toISOString()})`);
    await db.end();
    await handle.close();
    process.exit(0);
  }
  const base = loadConfig({
    NODE_ENV: 'development',
    JOBS: 'off',
    LOG_LEVEL: 'silent',
    LOTTERY_WINDOW_MINUTES: String(size.windowMinutes),
  });
  const ctx = createContext({ config: base, handle, clock: fixedClock(windowEnd) });
  const loadBefore = os.loadavg()[0];
  const timing = process.argv.includes('--statements') ? timeStatements() : null;
  const d0 = performance.now();
  const drawn = await ctx.fairness.lottery.drawDue({ seed: 'bench' });
  // Until the draw's commit opened the day; its loss letters are queued after it (lettersMs).
  const drawMs = drawn[0]?.durationMs ?? Math.round(performance.now() - d0);
  const lettersMs = drawn[0]?.lettersMs ?? 0;
  timing?.report();
  await ctx.stop();
  const count = async (text: string) => Number((await db.query<{ n: number }>(text, [day])).rows[0]?.n ?? 0);
  const booked = await count(
    `SELECT count(*)::int AS n FROM registrations WHERE day = $1 AND status = 'booked'`,
  );
  const overbooked = await count(`SELECT count(*)::int AS n FROM slots WHERE day = $1 AND booked > capacity`);
  const mails = await count(
    `SELECT count(*)::int AS n FROM outbox WHERE template IN ('lottery_won', 'lottery_lost') AND $1::date IS NOT NULL`,
  );
  await db.end();
  await handle.close();
  console.log(
    JSON.stringify({
      entries: drawn[0]?.entries ?? 0,
      won: drawn[0]?.won ?? 0,
      places: slots.reduce((a, s) => a + s.capacity, 0),
      booked,
      overbooked,
      mails,
      drawMs,
      lettersMs,
      loadBefore,
      loadAfter: os.loadavg()[0],
    }),
  );
} finally {
  await database.drop();
}
