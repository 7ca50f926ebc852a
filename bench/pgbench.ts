import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import {
  type CompiledQuery,
  DummyDriver,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
} from 'kysely';
import pg from 'pg';
import * as online from '../src/booking/online-booking-store.js';
import { writeEntryWithOthers } from '../src/fairness/lottery-entries-store.js';
import * as lottery from '../src/fairness/lottery-store.js';
import type { Database } from '../src/platform/db-schema.js';
import { addDays, type Day, kyivMonth } from '../src/platform/kyiv-time.js';
import { GROUP, SERVICE } from './seed.js';

/**
 * Ceilings by PostgreSQL's own C client: pgbench runs the product's hot statements, byte for byte
 * as the server sends them (captured from the store functions themselves through a Kysely that
 * only records), 64 connections, prepared (as the server prepares them). Each parameter the
 * server would bind becomes an expression of pgbench variables with the type PostgreSQL inferred
 * for it (PREPARE + pg_prepared_statements): a fresh registration id, a person from the seeded
 * numbered ones (one per client and transaction), a random slot of the day; the slot's center and
 * times are read by sub-selects of the slot (a few microseconds; they make the ceiling, if
 * anything, lower).
 */

/** The values a captured statement carries where pgbench must put variables (markers). */
interface Marks {
  rid: string;
  pid: string;
  slot: number;
  center: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * The markers of a lone statement (variables `:rid`, `:pid`, `:slot`), or of the k-th entry of a
 * batch (`:rid_k`, …). Every marker of a batch has the same length, so none is a prefix of another.
 */
function marksOf(k?: number): Marks {
  if (k === undefined) {
    return {
      rid: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
      pid: '00000000-0000-4000-9000-999999999999',
      slot: 987654321,
      center: 'CENTER-MARK',
      startsAt: new Date('2099-01-01T08:00:00.000Z'),
      endsAt: new Date('2099-01-01T08:30:00.000Z'),
    };
  }
  const kk = String(k).padStart(2, '0');
  return {
    rid: `bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbb${kk}`,
    pid: `00000000-0000-4000-9000-9999999998${kk}`,
    slot: 987654400 + k,
    center: `CENTER-MARK-${kk}`,
    startsAt: new Date(Date.UTC(2099, 0, 2, 8, k)),
    endsAt: new Date(Date.UTC(2099, 0, 3, 8, k)),
  };
}

/** A statement's markers and the script's expressions of the variables that replace them. */
interface MarkSet {
  marks: Marks;
  exprs: Record<keyof Marks, string>;
}

/** The markers of a lone statement, or of a batch's k-th entry, with their variables' expressions. */
function markSet(k?: number): MarkSet {
  const v = (name: string) => (k === undefined ? `:${name}` : `:${name}_${k}`);
  return {
    marks: marksOf(k),
    exprs: {
      rid: `('00000000-0000-4000-8000-' || lpad(${v('rid')}::text, 12, '0'))`,
      pid: `('00000000-0000-4000-9000-' || lpad(${v('pid')}::text, 12, '0'))`,
      slot: v('slot'),
      center: `(SELECT center_id FROM slots WHERE id = ${v('slot')})`,
      startsAt: `(SELECT starts_at FROM slots WHERE id = ${v('slot')})`,
      endsAt: `(SELECT ends_at FROM slots WHERE id = ${v('slot')})`,
    },
  };
}

const M = marksOf();
/** The day marker, shared by a batch's entries. */
const DAY_MARK = '2099-12-31';
/** The entry's day: the next one each time a client has gone through its persons (header). */
const DAY_EXPR = `((date '1970-01-01' + :dn::int)::text)`;

function capture(
  run: (db: Kysely<Database>) => Promise<unknown>,
  which: 'first' | 'last' = 'last',
): Promise<CompiledQuery> {
  let captured: CompiledQuery | undefined;
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
    log: (event) => {
      if (which === 'last' || !captured) captured = event.query;
    },
  });
  return run(db).then(() => {
    if (!captured) throw new Error('no statement captured');
    return captured;
  });
}

/**
 * A string literal that pgbench cannot mistake for variables: it reads every `:name` (digits
 * too, so `19:25`) as one, even inside quotes; a colon stands alone before a closing quote.
 */
const quote = (s: string) =>
  s
    .split(':')
    .map((part) => `'${part.replaceAll("'", "''")}'`)
    .join(" || ':' || ");

/**
 * A parameter as SQL: markers become variable expressions, everything else a literal; an array
 * (a batch's column) becomes ARRAY[…] of its elements, the k-th with the k-th entry's markers.
 */
function expressionOf(value: unknown, set: MarkSet): string {
  if (Array.isArray(value)) return `ARRAY[${value.map((v, k) => expressionOf(v, markSet(k))).join(', ')}]`;
  const { marks: m, exprs: e } = set;
  if (value === null || value === undefined) return 'NULL';
  if (value instanceof Date) {
    if (value.getTime() === m.startsAt.getTime()) return e.startsAt;
    if (value.getTime() === m.endsAt.getTime()) return e.endsAt;
    return quote(value.toISOString());
  }
  if (typeof value === 'number') return value === m.slot ? e.slot : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const markers: Array<[string, string]> = [
    [m.rid, e.rid],
    [m.pid, e.pid],
    [String(m.slot), `${e.slot}::text`],
    [m.center, e.center],
    [DAY_MARK, DAY_EXPR],
  ];
  let parts: Array<string | { expr: string }> = [text];
  for (const [mark, expr] of markers) {
    parts = parts.flatMap((p) => {
      if (typeof p !== 'string') return [p];
      const pieces = p.split(mark);
      return pieces.flatMap((piece, i) => (i === 0 ? [piece] : [{ expr }, piece]));
    });
  }
  const sqlParts = parts.filter((p) => p !== '').map((p) => (typeof p === 'string' ? quote(p) : p.expr));
  return sqlParts.length ? sqlParts.join(' || ') : "''";
}

/** Runs `work` on a connection of its own to `url`, closed after. */
async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The pgbench script of one captured statement. */
async function scriptOf(url: string, q: CompiledQuery, header: string): Promise<string> {
  const types = await withClient(url, async (client) => {
    await client.query(`PREPARE ez_probe AS ${q.sql}`);
    const r = await client.query<{ t: string[] }>(
      `SELECT parameter_types::text[] AS t FROM pg_prepared_statements WHERE name = 'ez_probe'`,
    );
    await client.query('DEALLOCATE ez_probe');
    return r.rows[0]?.t ?? [];
  });
  // pgbench takes a statement on one line: a line comment of the store's SQL would swallow the rest.
  let text = q.sql.replace(/--[^\n]*/g, '');
  for (let i = q.parameters.length; i >= 1; i--) {
    const type = types[i - 1] ?? 'text';
    text = text.replaceAll(`$${i}`, `(${expressionOf(q.parameters[i - 1], markSet())})::${type}`);
  }
  return `${header}\n${text.replace(/\s+/g, ' ').trim()};\n`;
}

/**
 * The ids a script writes are unique by construction, never drawn at random: 12 decimal digits
 * made of the script (`kind`: 1 the claim, 2 the lone entry, 3 the batch), the client (64 of
 * them), its transaction counter `i` and, in a batch, the entry, then scattered over the 12
 * digits by pgbench's `permute` (a bijection), so they fall all over the index as the server's
 * random UUIDs do. Each script runs once a database. Ids drawn with `random` collided in about one
 * run in a hundred (birthday bound over ~200,000 ids; seen once), and one duplicate key aborts
 * pgbench.
 */
const uniqueId = (kind: 1 | 2 | 3, serial = ':i') =>
  `permute(${kind * 100_000_000_000} + :client_id * 1000000000 + ${serial}, 1000000000000, 19)`;

/**
 * Variables: a fresh id, and a person of its own per client and transaction (`count` ÷ 64 a
 * client, so at most that many transactions a client before a person comes round again); with
 * `firstDay`, a day that moves on each time the client's persons come round (`dn`, days since
 * 1970), so a person enters a day once however fast pgbench goes.
 */
function header(
  persons: { first: number; count: number },
  slots: { min: number; max: number },
  kind: 1 | 2,
  firstDay?: string,
) {
  const per = Math.max(1, Math.floor(persons.count / 64));
  return [
    '\\set i :i + 1',
    `\\set rid ${uniqueId(kind)}`,
    `\\set pid ${persons.first} + :client_id * ${per} + (:i % ${per})`,
    `\\set slot random(${slots.min}, ${slots.max})`,
    ...(firstDay ? [`\\set dn ${Date.parse(`${firstDay}T00:00:00Z`) / 86_400_000} + :i / ${per}`] : []),
  ].join('\n');
}

/** Days the entry ceiling may reach: a client goes through its persons at most this many times. */
const ENTRY_DAYS = 100;

export async function claimScript(
  url: string,
  persons: { first: number; count: number },
  slots: { min: number; max: number },
  day: string,
): Promise<string> {
  const q = await capture((db) =>
    online.writeOnlineBooking(db, {
      id: M.rid,
      quota: { subject: `person:${M.pid}`, period: kyivMonth(day as Day), limit: 4 },
      slot: {
        id: M.slot,
        center_id: M.center,
        group_id: GROUP,
        day,
        starts_at: M.startsAt,
        ends_at: M.endsAt,
        pool: 'online',
        capacity: 1,
        booked: 0,
      } as never,
      serviceId: SERVICE,
      personId: M.pid,
      legalEntity: null,
      examCategory: null,
      email: 'p@bench.local',
      lang: 'uk',
      audit: {
        actorKind: 'citizen',
        actorId: M.pid,
        ip: '10.0.0.1',
        details: { channel: 'online', slotId: M.slot, serviceId: SERVICE, legalEntity: null },
      },
      idempotency: null,
      now: new Date(),
    }),
  );
  return scriptOf(url, q, header(persons, slots, 1));
}

/** The lottery entry; pgbench's entries go to a service of their own (no conflict with the API's). */
export const PGBENCH_SERVICE = 'bench-svc-pgbench';

/**
 * The product's lottery entry, `writeEntry` (lottery-store): one statement that holds the day's
 * draw open (a share lock on its row), inserts the entry, the person's pending registration, the
 * audit row and (with a key) the stored answer, exactly what a lone API entry sends. pgbench
 * writes its entries from the day after `day` on, whose draws this opens (the API's day is drawn
 * by now, and its entrants hold a registration that day: rule 1 would refuse them); a client that
 * has gone through its persons moves to the next day (the statement refuses a second entry with
 * `ez_fail`, and pgbench gives up on a client at its first error).
 */
export async function entryScript(
  url: string,
  persons: { first: number; count: number },
  slots: { min: number; max: number },
  day: string,
): Promise<string> {
  const open = addDays(day, 1);
  await openDraws(url, open);
  const q = await capture((db) =>
    lottery.writeEntry(db, {
      id: M.rid,
      day: DAY_MARK,
      personId: M.pid,
      serviceId: PGBENCH_SERVICE,
      centerId: M.center,
      groupId: GROUP,
      slotId: M.slot,
      startsAt: M.startsAt,
      legalEntity: null,
      examCategory: null,
      now: new Date(),
      audit: { actorKind: 'citizen', actorId: M.pid, ip: '10.0.0.1' },
      idempotency: null,
    }),
  );
  return scriptOf(url, q, header(persons, slots, 2, open));
}

/** Entries of the batch ceiling's statement: the mean batch of the national window (bench/README). */
const ENTRY_BATCH = 16;

/**
 * The product's batched entry (`writeEntryWithOthers` → lottery-entries-store's batch statement):
 * what the server sends for the entries of one event-loop turn at the release moment, here
 * `ENTRY_BATCH` entries of distinct persons a transaction. At the national window the server's
 * batches average 16 entries, so `writeEntry` alone is not the database's ceiling for the path
 * (one run's API made 1,477 entries/s against 1,422 for the lone statement). Its days follow the
 * lone ceiling's `ENTRY_DAYS` (the same persons' pending registrations there would refuse these
 * under rule 1), with draws opened the same way; a client moves to the next day when its persons
 * come round. Entries a second = transactions a second × `ENTRY_BATCH` (`batchEntriesWritten`
 * checks that every one was written).
 */
async function entryBatchScript(
  url: string,
  persons: { first: number; count: number },
  slots: { min: number; max: number },
  day: string,
): Promise<{ script: string; firstDay: string }> {
  const open = addDays(day, 1 + ENTRY_DAYS);
  await openDraws(url, open);
  const now = new Date();
  const q = await capture(
    (db) =>
      Promise.allSettled(
        Array.from({ length: ENTRY_BATCH }, (_, k) => {
          const m = marksOf(k);
          return writeEntryWithOthers(db, {
            id: m.rid,
            day: DAY_MARK,
            personId: m.pid,
            serviceId: PGBENCH_SERVICE,
            centerId: m.center,
            groupId: GROUP,
            slotId: m.slot,
            startsAt: m.startsAt,
            legalEntity: null,
            examCategory: null,
            now,
            audit: { actorKind: 'citizen', actorId: m.pid, ip: '10.0.0.1' },
            idempotency: null,
          });
        }),
      ),
    // The batch statement comes first; on the recording Kysely (no rows) the loader then falls
    // back to each entry alone.
    'first',
  );
  if (!q.sql.includes('WITH ORDINALITY')) throw new Error('the batch statement was not captured');
  // Persons a client goes through per day: a whole number of batches, so a batch never spans two.
  const per = Math.max(ENTRY_BATCH, Math.floor(persons.count / 64 / ENTRY_BATCH) * ENTRY_BATCH);
  const lines = [
    '\\set i :i + 1',
    `\\set dn ${Date.parse(`${open}T00:00:00Z`) / 86_400_000} + (:i * ${ENTRY_BATCH}) / ${per}`,
    ...Array.from({ length: ENTRY_BATCH }, (_, k) => [
      `\\set rid_${k} ${uniqueId(3, `:i * ${ENTRY_BATCH} + ${k}`)}`,
      `\\set pid_${k} ${persons.first} + :client_id * ${per} + ((:i * ${ENTRY_BATCH} + ${k}) % ${per})`,
      `\\set slot_${k} random(${slots.min}, ${slots.max})`,
    ]).flat(),
  ];
  return { script: await scriptOf(url, q, lines.join('\n')), firstDay: open };
}

/** Entries the batch ceiling wrote (from its first day on): must be transactions × ENTRY_BATCH. */
async function batchEntriesWritten(url: string, firstDay: string): Promise<number> {
  return withClient(url, async (client) => {
    const r = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM lottery_entries WHERE service_id = $1 AND day >= $2::date',
      [PGBENCH_SERVICE, firstDay],
    );
    return Number(r.rows[0]?.n ?? 0);
  });
}

/**
 * The lottery's ceiling: pgbench on the batched entry (`entryBatchScript`) for `seconds`, in
 * entries a second; throws unless every entry of every transaction was written.
 */
export async function entryBatchCeiling(
  url: string,
  persons: { first: number; count: number },
  slots: { min: number; max: number },
  day: string,
  seconds: number,
): Promise<Awaited<ReturnType<typeof pgbench>> & { entriesPerSec: number; written: number }> {
  const batch = await entryBatchScript(url, persons, slots, day);
  const run = await pgbench(url, batch.script, seconds, 'entry-batch');
  const written = await batchEntriesWritten(url, batch.firstDay);
  if (written < run.transactions * ENTRY_BATCH)
    throw new Error(`the batch ceiling wrote ${written} entries in ${run.transactions} transactions`);
  return { ...run, entriesPerSec: run.tps * ENTRY_BATCH, written };
}

/** Opens ENTRY_DAYS undrawn days from `first` on (pgbench's entries need an open draw). */
async function openDraws(url: string, first: string): Promise<void> {
  await withClient(url, (client) =>
    client.query(
      `INSERT INTO lottery_draws (day, decides_at)
       SELECT d::date, '2099-01-01T00:00:00Z' FROM generate_series($1::date, $1::date + $2::int, '1 day') AS d
       ON CONFLICT DO NOTHING`,
      [first, ENTRY_DAYS - 1],
    ),
  );
}

/** Runs pgbench (64 clients, 2 threads, prepared) on a script; transactions per second. */
export async function pgbench(
  url: string,
  script: string,
  seconds: number,
  name: string,
): Promise<{ tps: number; transactions: number; failed: number; latencyMs: number }> {
  const file = `${os.tmpdir()}/ez-bench-${name}-${process.pid}.sql`;
  writeFileSync(file, script);
  const { stdout } = await promisify(execFile)(
    process.env.PGBENCH ?? 'pgbench',
    ['-n', '-c', '64', '-j', '2', '-T', String(seconds), '-M', 'prepared', '-D', 'i=0', '-f', file, url],
    { maxBuffer: 16 * 1024 * 1024 },
  );
  const num = (re: RegExp) => Number(re.exec(stdout)?.[1] ?? 0);
  return {
    tps: Math.round(num(/tps = ([\d.]+) \(without initial connection time\)/)),
    transactions: num(/number of transactions actually processed: (\d+)/),
    failed: num(/number of failed transactions: (\d+)/),
    latencyMs: num(/latency average = ([\d.]+) ms/),
  };
}
