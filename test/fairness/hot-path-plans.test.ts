import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { requirePostgres } from '../support/test-db.js';
import { citizenWithProof } from './pow-client.js';

/**
 * Issue #19: the plans PostgreSQL keeps for the release moment's hot statements. pg's named
 * statements get a generic plan after five executions and keep it; on a young database (no
 * statistics yet: the first release after a deploy, and every bench run) a join with a parameter
 * array was planned as a hash join over a sequential scan of the whole table. The rate-limit
 * counters read by the proof-of-work claim did that: every guarded request read all of
 * `rate_limits`, a row per client, and the national bench spent most of PostgreSQL's time there.
 * Each hot statement is captured as the server sends it and explained with a forced generic plan
 * on this never-analysed database: the tables that grow with the crowd must be read by index.
 */

const RELEASE = '2026-11-23T04:00:30Z';
const LOTTERY_DAY = '2026-12-14';
const FIRST_COME_DAY = '2026-11-30';

/** Tables with a row (or more) per person, client or attempt. */
const GROWING = [
  'rate_limits',
  'antibot_used',
  'idempotency_keys',
  'persons',
  'sessions',
  'lottery_entries',
  'registrations',
  'usage_counters',
  'slots',
  'outbox',
  'audit_log',
];

interface Captured {
  text: string;
  values: unknown[];
}

describe.runIf(requirePostgres())('issue #19: hot statements on a young database', () => {
  let h: Harness;
  let admin: pg.Client;
  const seen: Captured[] = [];
  let capturing = false;
  const query = pg.Client.prototype.query;

  beforeAll(async () => {
    h = await createHarness('postgres', {
      now: RELEASE,
      env: { ANTIBOT: 'on', RATE_LIMITS: 'on', SESSION_CACHE_MS: '2000', AVAILABILITY_CACHE_MS: '1000' },
    });
    await seedCatalog(h.ctx.db);
    admin = new pg.Client({ connectionString: h.handle.url });
    await admin.connect();
    // biome-ignore lint/suspicious/noExplicitAny: a capturing wrapper around pg's overloads
    (pg.Client.prototype as any).query = function (this: pg.Client, ...args: any[]) {
      const c = args[0];
      if (capturing && this !== admin && typeof c === 'object' && c?.text) {
        seen.push({ text: String(c.text), values: [...(c.values ?? args[1] ?? [])] });
      }
      // biome-ignore lint/suspicious/noExplicitAny: forwards every overload unchanged
      return (query as any).apply(this, args);
    };
  });
  afterAll(async () => {
    pg.Client.prototype.query = query;
    await admin?.end();
    await h?.close();
  });

  async function capture(work: () => Promise<unknown>): Promise<Captured[]> {
    seen.length = 0;
    capturing = true;
    try {
      await work();
      return [...seen];
    } finally {
      capturing = false;
    }
  }

  /** The scans of growing tables that are not by index, in the generic plan of `s`. */
  async function sequentialScans(s: Captured): Promise<string[]> {
    await admin.query('DEALLOCATE ALL');
    await admin.query('SET plan_cache_mode = force_generic_plan');
    await admin.query(`PREPARE hot AS ${s.text}`);
    const literals = s.values.map((v) =>
      v === null || v === undefined ? 'NULL' : admin.escapeLiteral(toText(v)),
    );
    const { rows } = await admin.query<{ 'QUERY PLAN': unknown }>(
      `EXPLAIN (FORMAT JSON) EXECUTE hot${literals.length ? `(${literals.join(', ')})` : ''}`,
    );
    const found: string[] = [];
    const walk = (node: unknown) => {
      if (!node || typeof node !== 'object') return;
      const n = node as Record<string, unknown>;
      if (n['Node Type'] === 'Seq Scan' && GROWING.includes(String(n['Relation Name']))) {
        found.push(String(n['Relation Name']));
      }
      for (const v of Object.values(n)) {
        if (Array.isArray(v)) v.forEach(walk);
        else if (v && typeof v === 'object') walk(v);
      }
    };
    walk(rows[0]?.['QUERY PLAN']);
    return found;
  }

  const citizen = (n: number) => citizenWithProof(h.app, n);

  async function expectIndexReads(statements: Captured[]) {
    expect(statements.length).toBeGreaterThan(0);
    for (const s of statements) {
      expect(await sequentialScans(s), s.text).toEqual([]);
    }
  }

  it('a first-come booking with every defence on reads growing tables by index only', async () => {
    const slot = await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '10:00', capacity: 5 });
    const p = await citizen(9201);
    const statements = await capture(async () => {
      const r = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha });
      expect(r.statusCode).toBe(201);
    });
    await expectIndexReads(statements);
  });

  it('a lottery entry in the release window reads growing tables by index only', async () => {
    const slot = await addSlot(h.ctx.db, {
      day: LOTTERY_DAY,
      time: '10:00',
      capacity: 1,
      releasedAt: new Date('2026-11-23T04:00:00Z'),
    });
    const first = await citizen(9202);
    await h.client.book({ cookie: first.cookie }, { slotId: slot, altcha: first.altcha });
    const p = await citizen(9203);
    const statements = await capture(async () => {
      const r = await h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha });
      expect(r.statusCode).toBe(202);
    });
    await expectIndexReads(statements);
  });

  it('lottery entries written together read growing tables by index only', async () => {
    const slot = await addSlot(h.ctx.db, {
      day: LOTTERY_DAY,
      time: '11:00',
      capacity: 4,
      releasedAt: new Date('2026-11-23T04:00:00Z'),
    });
    const people = await Promise.all([9205, 9206, 9207].map(citizen));
    const statements = await capture(async () => {
      const answers = await Promise.all(
        people.map((p) => h.client.book({ cookie: p.cookie }, { slotId: slot, altcha: p.altcha })),
      );
      expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
    });
    expect(statements.some((s) => s.text.includes('verdict AS'))).toBe(true);
    await expectIndexReads(statements);
  });

  it('a challenge and the slots of a day read growing tables by index only', async () => {
    await addSlot(h.ctx.db, { day: FIRST_COME_DAY, time: '11:00', capacity: 5 });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(9204) });
    const url = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${FIRST_COME_DAY}`;
    const statements = await capture(async () => {
      expect((await h.app.inject({ url, headers: { cookie: p.cookie } })).statusCode).toBe(200);
      expect(
        (await h.app.inject({ url: '/api/v1/antibot/challenge', headers: { cookie: p.cookie } })).statusCode,
      ).toBe(200);
    });
    await expectIndexReads(statements);
  });
});

/** A bound value as PostgreSQL's text input reads it (arrays as array literals). */
function toText(v: unknown): string {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) {
    return `{${v.map((x) => (x === null || x === undefined ? 'NULL' : `"${toText(x).replace(/(["\\])/g, '\\$1')}"`)).join(',')}}`;
  }
  if (typeof v === 'object' && v !== null) return JSON.stringify(v);
  return String(v);
}
