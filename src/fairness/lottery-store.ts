import { sql } from 'kysely';
import { auditQuery } from '../audit/audit-store.js';
import { type Executor, PREPARED } from '../platform/db.js';
import { StoreError, storeOp } from '../platform/problems.js';
import { isSecondActiveRegistration } from '../registration/claim-store.js';
import { registrationInsert } from '../registration/registration-store.js';
import type { FreePlace } from './fairness-rules.js';
import './fairness-schema.js';

/** SQL of the release lottery. Every function takes the caller's transaction. */

export async function ensureDraw(db: Executor, day: string, decidesAt: Date): Promise<void> {
  await storeOp('lottery.ensureDraw', () =>
    db
      .insertInto('lottery_draws')
      .values({ day, decides_at: decidesAt })
      .onConflict((oc) => oc.column('day').doNothing())
      .execute(),
  );
}

export async function serviceGroupOf(db: Executor, serviceId: string): Promise<string> {
  const row = await storeOp('lottery.serviceGroup', () =>
    db.selectFrom('services').select('group_id').where('id', '=', serviceId).executeTakeFirstOrThrow(),
  );
  return row.group_id;
}

export interface NewEntry {
  id: string;
  day: string;
  personId: string;
  serviceId: string;
  centerId: string;
  groupId: string;
  slotId: number;
  startsAt: Date;
  legalEntity: string | null;
  now: Date;
}

export interface EntryWrite extends Omit<NewEntry, 'groupId'> {
  groupId: string;
  /** Practical exams: the vehicle category, kept on the pending registration (and so on the booking). */
  examCategory: string | null;
  audit: { actorKind: string; actorId: string | null; ip: string | null };
  /** The 202 answer to store under the request's Idempotency-Key, if it has one. */
  idempotency: { scope: string; key: string; requestHash: string; body: unknown } | null;
}

export type EntryOutcome =
  | { ok: true }
  | { ok: false; reason: 'DRAWN' | 'ALREADY_ENTERED' | 'LIMIT_REACHED' | 'IDEMPOTENT_REPLAY' };

const ENTRY_FAILURES = new Set(['DRAWN', 'ALREADY_ENTERED', 'IDEMPOTENT_REPLAY']);

/**
 * A lottery entry as ONE statement, its own transaction (the hot path of the release moment, like
 * the booking claim of booking/online-booking-store): it holds the day's draw open (a share lock on
 * its row while it is undrawn, so the draw waits for it and it never lands after the draw), inserts
 * the entry (one per person, day and service: the unique key refuses a second), the pending
 * registration (the person's one active registration of that day and group: its unique index
 * refuses a second, rule 1), the audit row and the idempotent answer. When a part did not happen,
 * `ez_fail` rolls the whole statement back. The draw row must exist (`ensureDraw`).
 */
export async function writeEntry(db: Executor, e: EntryWrite): Promise<EntryOutcome> {
  const idem = e.idempotency;
  // The registration is inserted only with the entry: `registrationInsert` takes its rows (and
  // its ticket number, none before the draw) from the CTE named, here the entry's.
  const registration = registrationInsert(
    {
      id: e.id,
      centerId: e.centerId,
      serviceId: e.serviceId,
      groupId: e.groupId,
      slotId: null,
      personId: e.personId,
      legalEntity: e.legalEntity,
      examCategory: e.examCategory,
      channel: 'online',
      status: 'pending',
      day: e.day,
      startsAt: e.startsAt,
      callAt: e.startsAt,
      now: e.now,
    },
    'entry',
  );
  const trail = auditQuery(db, {
    at: e.now,
    actorKind: e.audit.actorKind,
    actorId: e.audit.actorId,
    action: 'lottery.entered',
    subjectKind: 'registration',
    subjectId: e.id,
    centerId: e.centerId,
    ip: e.audit.ip,
    details: {
      day: e.day,
      slotId: e.slotId,
      serviceId: e.serviceId,
      ...(e.examCategory ? { examCategory: e.examCategory } : {}),
    },
  });
  try {
    await sql`${sql.raw(PREPARED)}
      WITH draw AS (
        SELECT day FROM lottery_draws WHERE day = ${e.day}::date AND drawn_at IS NULL FOR SHARE
      ),
      entry AS (
        INSERT INTO lottery_entries (id, day, person_id, service_id, center_id, group_id, slot_id, starts_at,
          legal_entity, created_at)
        SELECT ${e.id}::uuid, draw.day, ${e.personId}::uuid, ${e.serviceId}, ${e.centerId}, ${e.groupId},
          ${e.slotId}::bigint, ${e.startsAt}::timestamptz, ${e.legalEntity}::text, ${e.now}::timestamptz
        FROM draw
        ON CONFLICT (day, service_id, person_id) DO NOTHING
        RETURNING id, NULL::int AS last
      ),
      reg AS (${registration}),
      trail AS (${trail}),
      -- Taken with the draw, not the entry: a second request with the same key racing the first
      -- is answered as its replay (below), not as a second entry.
      answer AS (
        INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at)
        SELECT ${idem?.scope ?? ''}, ${idem?.key ?? ''}, ${idem?.requestHash ?? ''}, 202,
          ${JSON.stringify(idem?.body ?? {})}::jsonb, ${e.now}
        FROM draw WHERE ${idem !== null}::boolean
        ON CONFLICT (scope, key) DO NOTHING
        RETURNING key
      )
      SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM draw) THEN ez_fail('DRAWN')
        WHEN ${idem !== null}::boolean AND NOT EXISTS (SELECT 1 FROM answer) THEN ez_fail('IDEMPOTENT_REPLAY')
        WHEN NOT EXISTS (SELECT 1 FROM entry) THEN ez_fail('ALREADY_ENTERED')
      END AS failed`.execute(db);
    return { ok: true };
  } catch (error) {
    const message = (error as { message?: string }).message ?? '';
    if (ENTRY_FAILURES.has(message)) return { ok: false, reason: message as 'DRAWN' };
    if (isSecondActiveRegistration(error)) return { ok: false, reason: 'LIMIT_REACHED' };
    throw new StoreError('lottery.writeEntry', error);
  }
}

/**
 * Takes the draw of `day` for this transaction while it is open: a share lock on its row, so the
 * draw (which locks it exclusively) waits for this entry to commit, and an entry made while the
 * draw runs waits for it and then sees it drawn. Null once the draw has committed.
 */
export async function lockOpenDraw(db: Executor, day: string): Promise<{ decidesAt: Date } | null> {
  const row = await storeOp('lottery.lockOpenDraw', () =>
    db
      .selectFrom('lottery_draws')
      .select(['decides_at', 'drawn_at'])
      .where('day', '=', day)
      .forShare()
      .executeTakeFirst(),
  );
  return row && !row.drawn_at ? { decidesAt: new Date(row.decides_at) } : null;
}

/**
 * Claims one due, undrawn draw for this transaction, exactly once however many instances wake
 * at the window's end: the first to take the day's advisory lock draws, the others pass on
 * (never queue behind a draw). The row lock then waits only for the entries still committing,
 * and new entries queue behind it, so a busy morning cannot starve the draw.
 */
export async function claimDueDraw(db: Executor, now: Date): Promise<{ day: string } | undefined> {
  return storeOp('lottery.claimDraw', async () => {
    const { rows } = await sql<{ day: string }>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day FROM lottery_draws
      WHERE drawn_at IS NULL AND decides_at <= ${now}
        AND pg_try_advisory_xact_lock(784512100, (day - date '2000-01-01'))
      ORDER BY decides_at LIMIT 1`.execute(db);
    const due = rows[0];
    if (!due) return undefined;
    return db
      .selectFrom('lottery_draws')
      .select('day')
      .where('day', '=', due.day)
      .where('drawn_at', 'is', null)
      .forUpdate()
      .executeTakeFirst();
  });
}

/**
 * The entries of a day in canonical order (by id: random UUIDs, so not by arrival), with their
 * registration's state and exam category. Not locked row by row: the caller holds the draw row
 * exclusively, and the only other way out of 'pending' (a withdrawal) takes it shared first
 * (booking-service `cancel`), so no entry changes under the draw (#19: locking 200,000 rows cost
 * the national draw a second).
 */
export async function entriesOf(db: Executor, day: string) {
  return storeOp('lottery.entries', () =>
    db
      .selectFrom('lottery_entries')
      .innerJoin('registrations', 'registrations.id', 'lottery_entries.id')
      .innerJoin('persons', 'persons.id', 'lottery_entries.person_id')
      .select([
        'lottery_entries.id',
        'lottery_entries.person_id',
        'lottery_entries.service_id',
        'lottery_entries.center_id',
        'lottery_entries.group_id',
        'lottery_entries.slot_id',
        'lottery_entries.starts_at',
        'lottery_entries.legal_entity',
        'registrations.status',
        'registrations.exam_category',
        'persons.blocked_until',
        'persons.email',
        'persons.lang',
      ])
      .where('lottery_entries.day', '=', day)
      .orderBy('lottery_entries.id')
      .execute(),
  );
}

/** The day's released online places, locked until the draw commits (FCFS waits for the draw). */
export async function lockPlaces(db: Executor, day: string, now: Date): Promise<FreePlace[]> {
  return storeOp('lottery.lockPlaces', async () => {
    const rows = await db
      .selectFrom('slots')
      .innerJoin('capacity_days', (j) =>
        j
          .onRef('capacity_days.center_id', '=', 'slots.center_id')
          .onRef('capacity_days.day', '=', 'slots.day'),
      )
      .select([
        'slots.id',
        'slots.center_id',
        'slots.group_id',
        'slots.starts_at',
        'slots.capacity',
        'slots.booked',
      ])
      .where('slots.day', '=', day)
      .where('slots.pool', '=', 'online')
      .where('capacity_days.released_at', '<=', now)
      .orderBy('slots.id')
      .forUpdate('slots')
      .execute();
    return rows.map((r) => ({
      slotId: r.id,
      centerId: r.center_id,
      groupId: r.group_id,
      startsAt: new Date(r.starts_at).getTime(),
      free: Math.max(0, r.capacity - r.booked),
    }));
  });
}

export interface Outcome {
  id: string;
  position: number;
  outcome: 'won' | 'lost';
  reason: string | null;
  slotId: number | null;
}

/** Rows a batched statement of the draw takes at once (arrays are one parameter each). */
const CHUNK = 10_000;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

export async function saveOutcomes(db: Executor, outcomes: Outcome[]): Promise<void> {
  // In key order, not the draw's: each statement walks the primary key forwards. One JSON text a
  // statement (V8 writes it natively; five arrays of 10,000 were escaped element by element).
  const byId = [...outcomes].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  for (let i = 0; i < byId.length; i += 25_000) {
    const rows = JSON.stringify(byId.slice(i, i + 25_000));
    await storeOp('lottery.saveOutcomes', () =>
      sql`
        UPDATE lottery_entries e SET position = v.position, outcome = v.outcome,
          outcome_reason = v.reason, won_slot_id = v."slotId"
        FROM json_to_recordset(${rows}::json) AS v(id uuid, position int, outcome text, reason text, "slotId" bigint)
        WHERE e.id = v.id`.execute(db),
    );
  }
}

/** A limit counter of rule 1 (registration/quota-rules), keyed by subject and period. */
export interface QuotaKey {
  subject: string;
  period: string;
}

export const quotaKey = (q: QuotaKey) => `${q.subject}|${q.period}`;

/**
 * The online limit counters the draw may take units of, locked until it commits (in key order, so
 * two draws never deadlock), with what each has used. A counter without a row has used nothing.
 */
export async function lockQuotas(db: Executor, keys: readonly QuotaKey[]): Promise<Map<string, number>> {
  const used = new Map<string, number>();
  for (const chunk of chunks(keys)) {
    const { rows } = await storeOp('lottery.lockQuotas', () =>
      sql<{ subject: string; period: string; used: number }>`
        SELECT u.subject, to_char(u.period, 'YYYY-MM-DD') AS period, u.used
        FROM usage_counters u
        JOIN unnest(${chunk.map((k) => k.subject)}::text[], ${chunk.map((k) => k.period)}::date[]) AS k(subject, period)
          ON u.subject = k.subject AND u.period = k.period
        WHERE u.channel = 'online'
        ORDER BY u.subject, u.period
        FOR UPDATE OF u`.execute(db),
    );
    for (const r of rows) used.set(quotaKey(r), Number(r.used));
  }
  return used;
}

/**
 * Takes `n` units of each counter at once (the batched form of registration/claim-store's
 * quotaClaim, decided in memory against the locked counts). A counter created meanwhile by a
 * concurrent booking could take it over its limit: that is refused, and the draw rolls back.
 */
export async function takeQuotas(
  db: Executor,
  claims: ReadonlyArray<QuotaKey & { n: number; limit: number }>,
): Promise<void> {
  for (const chunk of chunks(claims)) {
    const { rows } = await storeOp('lottery.takeQuotas', () =>
      sql<{ over: number }>`
        WITH v AS (
          SELECT * FROM unnest(${chunk.map((c) => c.subject)}::text[], ${chunk.map((c) => c.period)}::date[],
            ${chunk.map((c) => c.n)}::int[], ${chunk.map((c) => c.limit)}::int[]) AS v(subject, period, n, lim)
        ),
        up AS (
          INSERT INTO usage_counters AS u (subject, channel, period, used)
          SELECT subject, 'online', period, n FROM v
          ON CONFLICT (subject, channel, period) DO UPDATE SET used = u.used + excluded.used
          RETURNING u.subject, u.period, u.used
        )
        SELECT count(*)::int AS over FROM up JOIN v USING (subject, period) WHERE up.used > v.lim`.execute(
        db,
      ),
    );
    if (Number(rows[0]?.over ?? 0) > 0) throw new Error('lottery limit counter raced past its limit');
  }
}

/**
 * Takes `n` places of each slot at once (the batched form of claim-store's placeClaim: only while
 * `booked + n <= capacity`). Returns how many slots took them.
 */
export async function claimPlaces(db: Executor, taken: ReadonlyArray<{ slotId: number; n: number }>) {
  let claimed = 0;
  for (const chunk of chunks(taken)) {
    const { rows } = await storeOp('lottery.claimPlaces', () =>
      sql<{ id: number }>`
        UPDATE slots s SET booked = s.booked + v.n
        FROM unnest(${chunk.map((t) => t.slotId)}::bigint[], ${chunk.map((t) => t.n)}::int[]) AS v(id, n)
        WHERE s.id = v.id AND s.booked + v.n <= s.capacity
        RETURNING s.id`.execute(db),
    );
    claimed += rows.length;
  }
  return claimed;
}

/** The draw's outcome mail of each entry (the outbox of notify; one row per template and entry). */
export async function enqueueOutcomes(
  db: Executor,
  now: Date,
  mails: ReadonlyArray<{ template: string; recipient: string; lang: string; registrationId: string }>,
): Promise<void> {
  for (const chunk of chunks(mails)) {
    await storeOp('outbox.enqueue.lottery', () =>
      sql`
        INSERT INTO outbox (channel, template, recipient, lang, payload, dedupe_key, next_attempt_at, created_at)
        SELECT 'email', m.template, m.recipient, m.lang, jsonb_build_object('registrationId', m.id),
          m.template || ':' || m.id, ${now}::timestamptz, ${now}::timestamptz
        FROM unnest(${chunk.map((m) => m.template)}::text[], ${chunk.map((m) => m.recipient)}::text[],
          ${chunk.map((m) => m.lang)}::text[], ${chunk.map((m) => m.registrationId)}::text[])
          AS m(template, recipient, lang, id)
        ON CONFLICT (dedupe_key) DO NOTHING`.execute(db),
    );
  }
}

/**
 * Queues the loss letters of a drawn day whose positions are in [from, to) (the draw's order):
 * the entries it closed as lost (not those withdrawn before it), to each person's address.
 * Idempotent (one letter per entry: the outbox's dedupe key), so a part may run twice.
 */
export async function enqueueLossLetters(
  db: Executor,
  day: string,
  now: Date,
  positions: { from: number; to: number },
): Promise<number> {
  const result = await storeOp('outbox.enqueue.lotteryLost', () =>
    sql`
      INSERT INTO outbox (channel, template, recipient, lang, payload, dedupe_key, next_attempt_at, created_at)
      SELECT 'email', 'lottery_lost', p.email, p.lang, jsonb_build_object('registrationId', e.id::text),
        'lottery_lost:' || e.id::text, ${now}::timestamptz, ${now}::timestamptz
      FROM lottery_entries e JOIN persons p ON p.id = e.person_id
      WHERE e.day = ${day}::date AND e.outcome = 'lost' AND e.outcome_reason <> 'withdrawn'
        AND e.position >= ${positions.from}::int AND e.position < ${positions.to}::int
        AND p.email IS NOT NULL
      ORDER BY e.position
      ON CONFLICT (dedupe_key) DO NOTHING`.execute(db),
  );
  return Number(result.numAffectedRows ?? 0);
}

/**
 * Days drawn before `drawnBefore` whose loss letters are still owed: the instance that drew a day
 * queues them at once, so one owed for long means it stopped between its draw and them.
 */
export async function untoldDraws(
  db: Executor,
  drawnBefore: Date,
): Promise<Array<{ day: string; entries: number }>> {
  return storeOp('lottery.untold', async () => {
    const { rows } = await sql<{ day: string; entries: number }>`
      SELECT to_char(day, 'YYYY-MM-DD') AS day, coalesce(entries, 0)::int AS entries FROM lottery_draws
      WHERE drawn_at IS NOT NULL AND losers_told_at IS NULL AND drawn_at < ${drawnBefore}
      ORDER BY day`.execute(db);
    return rows;
  });
}

export async function markLosersTold(db: Executor, day: string, now: Date): Promise<void> {
  await storeOp('lottery.losersTold', () =>
    db.updateTable('lottery_draws').set({ losers_told_at: now }).where('day', '=', day).execute(),
  );
}

export async function finishDraw(
  db: Executor,
  d: { day: string; seed: string; now: Date; entries: number; won: number; lost: number },
): Promise<void> {
  await storeOp('lottery.finishDraw', () =>
    db
      .updateTable('lottery_draws')
      .set({ seed: d.seed, drawn_at: d.now, entries: d.entries, won: d.won, lost: d.lost })
      .where('day', '=', d.day)
      .execute(),
  );
}
