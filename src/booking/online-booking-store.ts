import { sql } from 'kysely';
import { auditQuery } from '../audit/audit-store.js';
import { enqueueQuery } from '../notify/outbox-store.js';
import { batchLoader, perExecutor } from '../platform/batch.js';
import { type Executor, PREPARED } from '../platform/db.js';
import { StoreError, storeOp } from '../platform/problems.js';
import {
  categoryClaim,
  isSecondActiveRegistration,
  placeClaim,
  quotaClaim,
  ticketNumber,
} from '../registration/claim-store.js';
import type { Quota } from '../registration/quota-rules.js';
import { registrationInsert } from '../registration/registration-store.js';
import type { SlotInfo } from './booking-store.js';

/**
 * The hot path of the release moment: the one read (batched across concurrent requests) and
 * the one write statement of an online booking.
 */

export interface BookingFacts {
  slot: SlotInfo | null;
  service: { id: string; groupId: string; isExam: boolean; examCategories: string[] } | null;
  person: { id: string; blockedUntil: Date | null; email: string | null; lang: string } | null;
  /** The stored answer of an earlier request with the same Idempotency-Key, if any. */
  replay: { requestHash: string; statusCode: number | null; response: unknown } | null;
  /** The release lottery draw of the slot's day, if the day has one (SPEC 3.9). */
  draw: { decidesAt: Date; drawnAt: Date | null } | null;
  /** Whether the slot's center examines the asked vehicle category (false when none was asked). */
  centerExamines: boolean;
}

export interface FactsQuery {
  slotId: number;
  serviceId: string;
  personId: string;
  /** The vehicle category asked for (practical exams), read with the rest (SPEC §2 Exams). */
  examCategory?: string | null;
  idempotency: { scope: string; key: string } | null;
}

/** One row per query, in the order asked (`n`); the slot's columns are null when it is unknown. */
interface FactsRow extends Omit<SlotInfo, 'id' | 'group_id'> {
  n: number;
  slot_id: number | null;
  slot_group_id: string;
  service_id: string | null;
  service_group_id: string;
  is_exam: boolean;
  exam_categories: string[] | null;
  examines: boolean;
  person_id: string | null;
  blocked_until: Date | null;
  email: string | null;
  lang: string;
  request_hash: string | null;
  status_code: number | null;
  response: unknown;
  draw_decides_at: Date | null;
  draw_drawn_at: Date | null;
}

/**
 * Everything a booking decides on, read at once: the slot, the service (with its vehicle
 * categories), the person, whether the slot's center examines the asked category and an
 * earlier answer to the same idempotency key. Concurrent bookings are read in one query (see
 * platform/batch.ts): at the release moment this read is made by every attempt. A malformed
 * key reads as "not found" so that it cannot fail the others' batch. Every row is looked up by
 * its key in a lateral subquery (`OFFSET 0` keeps the planner from flattening it into a join): a
 * generic plan made while the tables were small joined them by hash over whole-table scans, and
 * kept doing so as they grew at the release moment (#19, test/fairness/hot-path-plans.test.ts).
 */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const factsBatch = perExecutor((db: Executor) =>
  batchLoader(async (queries: readonly FactsQuery[]) => {
    const { rows } = await sql<FactsRow>`${sql.raw(PREPARED)}
      SELECT q.n, s.id AS slot_id, s.center_id, s.group_id AS slot_group_id, s.day, s.starts_at, s.ends_at,
             s.pool, s.capacity, s.booked, v.id AS service_id, v.group_id AS service_group_id, v.is_exam,
             v.exam_categories, EXISTS (SELECT 1 FROM center_exam_categories c
                                        WHERE c.center_id = s.center_id AND c.category = q.category) AS examines,
             p.id AS person_id, p.blocked_until, p.email, p.lang,
             k.request_hash, k.status_code, k.response, d.decides_at AS draw_decides_at, d.drawn_at AS draw_drawn_at
      FROM unnest(${queries.map((q) => (Number.isSafeInteger(q.slotId) ? q.slotId : 0))}::bigint[],
                  ${queries.map((q) => q.serviceId)}::text[],
                  ${queries.map((q) => (UUID.test(q.personId) ? q.personId : null))}::uuid[], ${queries.map((q) => q.idempotency?.scope ?? '')}::text[],
                  ${queries.map((q) => q.idempotency?.key ?? '')}::text[],
                  ${queries.map((q) => q.examCategory ?? null)}::text[])
             WITH ORDINALITY AS q(slot_id, service_id, person_id, scope, key, category, n)
      LEFT JOIN LATERAL (SELECT * FROM slots WHERE id = q.slot_id OFFSET 0) s ON true
      LEFT JOIN LATERAL (SELECT * FROM services WHERE id = q.service_id OFFSET 0) v ON true
      LEFT JOIN LATERAL (SELECT * FROM persons WHERE id = q.person_id OFFSET 0) p ON true
      LEFT JOIN LATERAL (SELECT * FROM idempotency_keys WHERE scope = q.scope AND key = q.key OFFSET 0) k ON true
      LEFT JOIN LATERAL (SELECT * FROM lottery_draws WHERE day = s.day OFFSET 0) d ON true`.execute(db);
    const byN = new Map(rows.map((r) => [Number(r.n), r]));
    return queries.map((_, i) => toFacts(byN.get(i + 1)));
  }),
);

export function loadBookingFacts(db: Executor, query: FactsQuery): Promise<BookingFacts> {
  return storeOp('booking.loadFacts', () => factsBatch(db, query));
}

function toFacts(r: FactsRow | undefined): BookingFacts {
  if (!r) return { slot: null, service: null, person: null, replay: null, draw: null, centerExamines: false };
  return {
    slot:
      r.slot_id === null
        ? null
        : {
            id: Number(r.slot_id),
            center_id: r.center_id,
            group_id: r.slot_group_id,
            day: r.day,
            starts_at: r.starts_at,
            ends_at: r.ends_at,
            pool: r.pool,
            capacity: r.capacity,
            booked: r.booked,
          },
    service:
      r.service_id === null
        ? null
        : {
            id: r.service_id,
            groupId: r.service_group_id,
            isExam: r.is_exam,
            examCategories: r.exam_categories ?? [],
          },
    person:
      r.person_id === null
        ? null
        : { id: r.person_id, blockedUntil: r.blocked_until, email: r.email, lang: r.lang },
    replay:
      r.request_hash === null
        ? null
        : { requestHash: r.request_hash, statusCode: r.status_code, response: r.response },
    draw:
      r.draw_decides_at === null
        ? null
        : {
            decidesAt: new Date(r.draw_decides_at),
            drawnAt: r.draw_drawn_at ? new Date(r.draw_drawn_at) : null,
          },
    centerExamines: r.examines === true,
  };
}

export interface OnlineBookingWrite {
  id: string;
  quota: Quota;
  slot: SlotInfo;
  serviceId: string;
  personId: string;
  legalEntity: string | null;
  examCategory: string | null;
  email: string | null;
  lang: string;
  audit: { actorKind: string; actorId: string | null; ip: string | null; details: Record<string, unknown> };
  idempotency: { scope: string; key: string; requestHash: string; body: unknown } | null;
  now: Date;
}

export type OnlineBookingOutcome =
  | { ok: true; number: number }
  | { ok: false; reason: 'LIMIT_REACHED' | 'SLOT_TAKEN' | 'IDEMPOTENT_REPLAY' };

const WRITE_FAILURES = new Set(['LIMIT_REACHED', 'SLOT_TAKEN', 'IDEMPOTENT_REPLAY']);

/**
 * The whole write of an online booking as ONE statement, which is its own transaction (the hot
 * path of the release moment: no BEGIN/COMMIT round trips, hot rows locked for the shortest
 * time). It takes a unit of the limit counter, then a place of the slot only if the limit
 * allowed it, a ticket number only if the place was won, inserts the registration, its
 * confirmation in the outbox, the audit row and the idempotent answer. Every claim is
 * conditional and atomic (the fragments of registration/claim-store; a practical exam also takes
 * a place of its vehicle category, rule 8); when one fails, `ez_fail` (migration 0008) raises, so the whole statement, with every claim and row already made, is
 * rolled back: the outbox and audit rows need no condition of their own.
 */
export async function writeOnlineBooking(db: Executor, w: OnlineBookingWrite): Promise<OnlineBookingOutcome> {
  const s = w.slot;
  const idem = w.idempotency;
  const mail = w.email
    ? sql`, mail AS (${enqueueQuery(db, w.now, {
        template: 'registration_confirmed',
        recipient: w.email,
        lang: w.lang,
        payload: { registrationId: w.id },
        dedupeKey: `registration_confirmed:${w.id}`,
      })})`
    : sql``;
  const trail = auditQuery(db, {
    at: w.now,
    actorKind: w.audit.actorKind,
    actorId: w.audit.actorId,
    action: 'registration.booked',
    subjectKind: 'registration',
    subjectId: w.id,
    centerId: s.center_id,
    ip: w.audit.ip,
    details: w.audit.details,
  });
  const registration = registrationInsert(
    {
      id: w.id,
      centerId: s.center_id,
      serviceId: w.serviceId,
      groupId: s.group_id,
      slotId: s.id,
      personId: w.personId,
      legalEntity: w.legalEntity,
      examCategory: w.examCategory,
      channel: 'online',
      status: 'booked',
      day: s.day,
      startsAt: s.starts_at,
      callAt: s.starts_at,
      now: w.now,
    },
    'num',
  );
  // Rule 8: a practical exam also takes a place of its vehicle category that day, under the cap.
  const category = w.examCategory ? sql`cat AS (${categoryClaim(s.id, w.examCategory, 1, 'claim')}),` : sql``;
  try {
    const { rows } = await sql<{ number: number }>`${sql.raw(PREPARED)}
      WITH quota AS (${quotaClaim(w.quota, 'online')}),
      claim AS (${placeClaim(s.id, 1, 'quota')}),
      ${category}
      num AS (${ticketNumber(s.center_id, s.day, 'regular', 'claim')}),
      reg AS (${registration})${mail},
      trail AS (${trail}),
      answer AS (
        INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response, created_at)
        SELECT ${idem?.scope ?? ''}, ${idem?.key ?? ''}, ${idem?.requestHash ?? ''}, 201,
          jsonb_set(${JSON.stringify(idem?.body ?? {})}::jsonb, '{number}', to_jsonb(reg.number)), ${w.now}
        FROM reg WHERE ${idem !== null}::boolean
        ON CONFLICT (scope, key) DO NOTHING
        RETURNING key
      )
      SELECT CASE
        WHEN NOT EXISTS (SELECT 1 FROM quota) THEN ez_fail('LIMIT_REACHED')
        WHEN NOT EXISTS (SELECT 1 FROM claim) THEN ez_fail('SLOT_TAKEN')
        ${w.examCategory ? sql`WHEN NOT EXISTS (SELECT 1 FROM cat) THEN ez_fail('SLOT_TAKEN')` : sql``}
        WHEN ${idem !== null}::boolean AND NOT EXISTS (SELECT 1 FROM answer) THEN ez_fail('IDEMPOTENT_REPLAY')
      END AS failed, (SELECT number FROM reg) AS number`.execute(db);
    return { ok: true, number: rows[0]?.number ?? 0 };
  } catch (error) {
    const message = (error as { message?: string }).message ?? '';
    if (WRITE_FAILURES.has(message)) return { ok: false, reason: message as 'LIMIT_REACHED' };
    // Rule 1: the person already holds an active registration that day in that service group.
    if (isSecondActiveRegistration(error)) return { ok: false, reason: 'LIMIT_REACHED' };
    throw new StoreError('booking.write', error);
  }
}
