import { sql } from 'kysely';
import { STAFF_ACTOR_KINDS } from '../audit/audit-store.js';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import { pendingEntryRegistrations } from '../registration/registration-store.js';
import { type EntryOutcome, type EntryWrite, writeEntry } from './lottery-store.js';

/**
 * The lottery entries of the requests that arrive in the same turn of the event loop, written
 * together (issue #19: at the release moment each entry was a statement of its own, and a
 * statement's socket write and wake-up cost the server more than the entry itself).
 *
 * `writeEntry` (lottery-store) stays the definition: one entry, one statement, every part or
 * none. A batch gives each entry exactly the answer `writeEntry` would have given it, or is not
 * used:
 * - a lone entry, and any entry sharing a person's day and service or group, or an idempotency
 *   key, with an earlier one of its batch, is written by `writeEntry` (the repeats once the
 *   batch has written, so they see it; each answered as it finishes, the batch not waiting);
 * - the batch statement reads every refusal first, in `writeEntry`'s order (draw closed, answer
 *   stored under the key, entry exists, an active registration that day and group: rule 1), and
 *   writes only the entries that pass, with their pending registration, audit row and stored
 *   answer;
 * - when anything it read changed before it wrote (a concurrent request took the entry, the
 *   key or the registration), the statement fails as a whole (`ez_fail`, or the unique index),
 *   nothing of it stays, and each entry of the batch is written by `writeEntry` instead.
 */

const STAFF = new Set<string>(STAFF_ACTOR_KINDS);

/**
 * Entries written so far by this process: `together` in a batch statement, `alone` by
 * `writeEntry`; `failedBatches` counts batch statements that could not stand (exported as
 * metrics: a rising share of failed batches means requests race each other for the same rows).
 */
const counts = { together: 0, alone: 0, failedBatches: 0 };
export const entryWriteCounts = (): Readonly<typeof counts> => ({ ...counts });

const entryBatch = perExecutor((db: Executor) =>
  batchLoader(
    async (writes: readonly EntryWrite[]): Promise<Array<EntryOutcome | Error | Promise<EntryOutcome>>> => {
      const together: number[] = [];
      const after: number[] = [];
      const taken = new Set<string>();
      writes.forEach((w, i) => {
        const marks = [
          `entry|${w.day}|${w.serviceId}|${w.personId}`,
          `active|${w.day}|${w.groupId}|${w.personId}`,
          ...(w.idempotency ? [`key|${w.idempotency.scope}|${w.idempotency.key}`] : []),
        ];
        // Staff never enter the lottery; were one to, its audit row needs the staff name (writeEntry).
        if (STAFF.has(w.audit.actorKind) || marks.some((m) => taken.has(m))) after.push(i);
        else together.push(i);
        for (const m of marks) taken.add(m);
      });
      const answers: Array<EntryOutcome | Error | Promise<EntryOutcome>> = new Array(writes.length);
      const batch = together.map((i) => writes[i] as EntryWrite);
      const outcomes =
        batch.length > 1
          ? await writeTogether(db, batch).catch(() => {
              counts.failedBatches += 1;
              return null;
            })
          : null;
      if (outcomes) counts.together += outcomes.length;
      else counts.alone += batch.length;
      counts.alone += after.length;
      const settled = outcomes
        ? outcomes.map((o) => ({ status: 'fulfilled' as const, value: o }))
        : await Promise.allSettled(batch.map((w) => writeEntry(db, w)));
      settled.forEach((s, k) => {
        answers[together[k] as number] = s.status === 'fulfilled' ? s.value : asError(s.reason);
      });
      // The repeats start once the batch has written (so they see it) and are answered as each
      // finishes: the batch's own answers do not wait for them (a promise as a batch value is
      // adopted by its request alone).
      for (const i of after) answers[i] = writeEntry(db, writes[i] as EntryWrite);
      return answers;
    },
  ),
) as (db: Executor, write: EntryWrite) => Promise<EntryOutcome>;

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** `writeEntry` for one request, with the concurrent requests' entries in one statement. */
export function writeEntryWithOthers(db: Executor, write: EntryWrite): Promise<EntryOutcome> {
  return entryBatch(db, write);
}

const REFUSALS = new Set(['DRAWN', 'IDEMPOTENT_REPLAY', 'ALREADY_ENTERED', 'LIMIT_REACHED']);

/** The batch statement; throws when the batch cannot stand (see above). */
async function writeTogether(db: Executor, ws: readonly EntryWrite[]): Promise<EntryOutcome[]> {
  const col = <T>(f: (w: EntryWrite) => T) => ws.map(f);
  const { rows } = await sql<{ refused: string | null }>`${sql.raw(PREPARED)}
    WITH q AS (
      SELECT * FROM unnest(${col((w) => w.id)}::uuid[], ${col((w) => w.day)}::date[],
        ${col((w) => w.personId)}::uuid[], ${col((w) => w.serviceId)}::text[], ${col((w) => w.centerId)}::text[],
        ${col((w) => w.groupId)}::text[], ${col((w) => w.slotId)}::bigint[], ${col((w) => w.startsAt)}::timestamptz[],
        ${col((w) => w.legalEntity)}::text[], ${col((w) => w.examCategory)}::text[], ${col((w) => w.now)}::timestamptz[],
        ${col((w) => w.audit.actorKind)}::text[], ${col((w) => w.audit.actorId)}::text[], ${col((w) => w.audit.ip)}::text[],
        ${col((w) => JSON.stringify(details(w)))}::jsonb[], ${col((w) => w.idempotency?.scope ?? null)}::text[],
        ${col((w) => w.idempotency?.key ?? null)}::text[], ${col((w) => w.idempotency?.requestHash ?? null)}::text[],
        ${col((w) => JSON.stringify(w.idempotency?.body ?? {}))}::jsonb[])
        WITH ORDINALITY AS q(id, day, person_id, service_id, center_id, group_id, slot_id, starts_at, legal_entity,
          exam_category, made_at, actor_kind, actor_id, ip, details, scope, key, request_hash, body, n)
    ),
    draw AS (
      SELECT day FROM lottery_draws WHERE day IN (SELECT day FROM q) AND drawn_at IS NULL FOR SHARE
    ),
    -- Scalar subqueries, never EXISTS: a generic plan may hash an EXISTS over a whole-table scan
    -- (test/fairness/hot-path-plans.test.ts); a scalar subquery is looked up by index per row.
    verdict AS (
      SELECT q.*, CASE
        WHEN NOT EXISTS (SELECT 1 FROM draw WHERE draw.day = q.day) THEN 'DRAWN'
        WHEN q.key IS NOT NULL
             AND (SELECT 1 FROM idempotency_keys k WHERE k.scope = q.scope AND k.key = q.key) IS NOT NULL
          THEN 'IDEMPOTENT_REPLAY'
        WHEN (SELECT 1 FROM lottery_entries e
              WHERE e.day = q.day AND e.service_id = q.service_id AND e.person_id = q.person_id) IS NOT NULL
          THEN 'ALREADY_ENTERED'
        WHEN q.legal_entity IS NULL AND (
               SELECT 1 FROM registrations r
               WHERE r.person_id = q.person_id AND r.day = q.day AND r.group_id = q.group_id
                 AND r.channel = 'online' AND r.legal_entity IS NULL
                 AND r.status IN ('pending', 'offered', 'booked', 'arrived', 'called') LIMIT 1) IS NOT NULL
          THEN 'LIMIT_REACHED'
      END AS refused
      FROM q
    ),
    entry AS (
      INSERT INTO lottery_entries (id, day, person_id, service_id, center_id, group_id, slot_id, starts_at,
        legal_entity, created_at)
      SELECT id, day, person_id, service_id, center_id, group_id, slot_id, starts_at, legal_entity, made_at
      FROM verdict WHERE refused IS NULL
      ON CONFLICT (day, service_id, person_id) DO NOTHING
      RETURNING id
    ),
    entered AS (SELECT v.* FROM verdict v JOIN entry USING (id)),
    reg AS (${pendingEntryRegistrations('entered')}),
    trail AS (
      INSERT INTO audit_log (at, actor_kind, actor_id, action, subject_kind, subject_id, center_id, ip, details)
      SELECT made_at, actor_kind, actor_id, 'lottery.entered', 'registration', id::text, center_id, ip, details
      FROM entered
    ),
    answer AS (
      INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at)
      SELECT scope, key, request_hash, 202, body, made_at FROM verdict WHERE refused IS NULL AND key IS NOT NULL
      ON CONFLICT (scope, key) DO NOTHING
      RETURNING scope, key
    )
    SELECT v.refused, CASE
      WHEN v.refused IS NULL AND (NOT EXISTS (SELECT 1 FROM entry WHERE entry.id = v.id)
                                  OR NOT EXISTS (SELECT 1 FROM reg WHERE reg.id = v.id)
                                  OR (v.key IS NOT NULL AND NOT EXISTS (
                                        SELECT 1 FROM answer a WHERE a.scope = v.scope AND a.key = v.key)))
        THEN ez_fail('CHANGED')
    END AS failed
    FROM verdict v ORDER BY v.n`.execute(db);
  return rows.map((r) => {
    if (r.refused === null) return { ok: true };
    if (!REFUSALS.has(r.refused)) throw new Error(`unknown refusal ${r.refused}`);
    return { ok: false, reason: r.refused as 'DRAWN' };
  });
}

/** The audit details of an entry, as `writeEntry` writes them. */
function details(w: EntryWrite) {
  return {
    day: w.day,
    slotId: w.slotId,
    serviceId: w.serviceId,
    ...(w.examCategory ? { examCategory: w.examCategory } : {}),
  };
}
