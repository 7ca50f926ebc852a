import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { randomToken, sha256 } from '../src/platform/crypto.js';
import { addDays, type Day, kyivInstant } from '../src/platform/kyiv-time.js';

/** Bench data written straight to PostgreSQL: centers, one service, slots, people with sessions. */
export const GROUP = 'bench-grp';
export const SERVICE = 'bench-svc';

export async function seedCatalog(db: pg.Pool, centers: string[]) {
  const hours = JSON.stringify(
    Object.fromEntries([1, 2, 3, 4, 5, 6, 7].map((d) => [String(d), { open: '08:00', close: '18:00' }])),
  );
  await db.query(
    `INSERT INTO service_groups (id, code, name, role) VALUES ($1, $1, 'Бенчмарк', 'administrator') ON CONFLICT DO NOTHING`,
    [GROUP],
  );
  await db.query(
    `INSERT INTO services (id, code, name, group_id) VALUES ($1, $1, 'Бенчмарк-послуга', $2) ON CONFLICT DO NOTHING`,
    [SERVICE, GROUP],
  );
  for (const [i, id] of centers.entries()) {
    await db.query(
      `INSERT INTO centers (id, code, name, region, address, working_hours) VALUES ($1, $2, $3, 'Бенч', 'вул. Тестова', $4)
       ON CONFLICT DO NOTHING`,
      [id, `B${i}-${id}`, `Бенч-центр ${id}`, hours],
    );
  }
}

export interface Slot {
  id: number;
  centerId: string;
  day: Day;
  startsAt: Date;
  capacity: number;
}

/** `windows` half-hour slots from 08:00 with `capacity` places each, per center and day. */
export async function seedSlots(
  db: pg.Pool,
  opts: { centers: string[]; days: Day[]; windows: number; capacity: number; releasedAt: Date },
): Promise<Slot[]> {
  const out: Slot[] = [];
  // Day by day, so a day's slots have consecutive ids (pgbench picks them by arithmetic).
  for (const day of opts.days) {
    for (const center of opts.centers) {
      await db.query(
        `INSERT INTO capacity_days (center_id, day, generated_at, released_at) VALUES ($1, $2, $3, $3)
         ON CONFLICT DO NOTHING`,
        [center, day, opts.releasedAt],
      );
      const starts = Array.from({ length: opts.windows }, (_, w) =>
        kyivInstant(day, `${String(8 + Math.floor(w / 2)).padStart(2, '0')}:${w % 2 ? '30' : '00'}`),
      );
      const r = await db.query<{ id: string; starts_at: Date }>(
        `INSERT INTO slots (center_id, group_id, day, starts_at, ends_at, pool, capacity)
         SELECT $1, $2, $3, s, s + interval '30 minutes', 'online', $4 FROM unnest($5::timestamptz[]) AS s
         RETURNING id, starts_at`,
        [center, GROUP, day, opts.capacity, starts],
      );
      for (const row of r.rows)
        out.push({
          id: Number(row.id),
          centerId: center,
          day,
          startsAt: row.starts_at,
          capacity: opts.capacity,
        });
    }
  }
  return out;
}

export interface Identity {
  personId: string;
  token: string;
}

/**
 * The person id of bench index `i` when seeded with `numbered`: pgbench builds the same id from a
 * number (see bench/pgbench.ts), so its scripts name persons that exist.
 */
export const numberedPerson = (i: number) => `00000000-0000-4000-9000-${String(i).padStart(12, '0')}`;

/**
 * People with live citizen sessions, in bulk (what N logins would leave behind): one multi-row
 * INSERT … SELECT FROM unnest per 20,000 persons and per 20,000 sessions. `numbered` gives them the
 * ids numberedPerson(first + i) instead of random ones.
 */
export async function seedPeople(
  db: pg.Pool,
  prefix: string,
  n: number,
  now: Date,
  numbered?: { first: number },
): Promise<Identity[]> {
  const people: Identity[] = [];
  const CHUNK = 20_000;
  for (let start = 0; start < n; start += CHUNK) {
    const chunk = Array.from({ length: Math.min(CHUNK, n - start) }, (_, i) => ({
      personId: numbered ? numberedPerson(numbered.first + start + i) : randomUUID(),
      token: randomToken(),
    }));
    const ids = chunk.map((c) => c.personId);
    const idx = chunk.map((_, i) => start + i);
    await db.query(
      `INSERT INTO persons (id, id_hash, id_kind, id_enc, last_name, first_name, email, created_at, updated_at)
       SELECT id, $2 || i, 'rnokpp', 'bench', 'Бенч', 'Особа', 'p' || i || '@bench.local', $3, $3
       FROM unnest($1::uuid[], $4::int[]) AS t(id, i)`,
      [ids, `${prefix}-`, now, idx],
    );
    await db.query(
      `INSERT INTO sessions (id_hash, kind, person_id, role, csrf_token, data, created_at, last_seen_at, expires_at)
       SELECT h, 'citizen', id, 'citizen', 'bench', '{}', $3, $3, $3::timestamptz + interval '12 hours'
       FROM unnest($1::text[], $2::uuid[]) AS t(h, id)`,
      [chunk.map((c) => sha256(c.token)), ids, now],
    );
    people.push(...chunk);
  }
  return people;
}

export const horizonDay = (today: Day, n: number) => addDays(today, n);
