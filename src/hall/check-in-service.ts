import { audit } from '../audit/audit-store.js';
import type { Actor } from '../booking/actor.js';
import type { Executor } from '../platform/db.js';
import { channels } from '../platform/events.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { transitionOne } from '../registration/registration-store.js';
import { loadQueue, serviceMsOf } from './board-store.js';
import { checkInCode, readCheckInCode, sameSurname } from './check-in-code.js';
import * as store from './check-in-store.js';
import type { HallDeps } from './hall-deps.js';
import { desksServing } from './hall-store.js';
import { estimateCallTime, peopleAhead } from './queue-rules.js';

export type CheckInInput = { centerId: string; actor: Actor } & (
  | { code: string }
  | { number: number; lastName: string }
);

type Row = NonNullable<Awaited<ReturnType<typeof store.registrationForCheckIn>>>;

/** Anything that does not lead to today's registration at this center answers the same. */
const notFound = () =>
  new DomainError('NOT_FOUND', {
    detail: 'Запис на сьогодні в цьому центрі не знайдено. Перевірте номер і прізвище або код.',
  });

const WAITING = new Set(['booked', 'arrived']);
/** A person's live stream re-reads the position at most this often, however busy the hall. */
const FOLLOW_MIN_GAP_MS = 2_000;

/**
 * Rule 13: arrival check-in at the kiosk and the live position that follows it. The kiosk sends
 * the signed code of the QR or the ticket number with the surname; a wrong surname, an unknown
 * number, another center's or another day's registration and a forged code all answer the same
 * NOT_FOUND, so the kiosk tells an enumerating bot nothing (and its device rate limit slows it).
 */
export function createCheckInService(deps: HallDeps) {
  const { db, clock, crypto } = deps;

  /** People ahead and the expected call time of a waiting ticket of today; nulls otherwise. */
  async function positionOf(trx: Executor, r: Row, now: Date) {
    if (!WAITING.has(r.status) || r.day !== kyivDay(now)) return { position: null, expectedCallAt: null };
    const queue = await loadQueue(trx, r.center_id, r.day, [r.group_id]);
    const me = queue.find((t) => t.id === r.id);
    if (!me) return { position: null, expectedCallAt: null };
    const ahead = peopleAhead(queue, me);
    const desks = await desksServing(trx, r.center_id, r.group_id);
    const serviceMs = await serviceMsOf(trx, r.center_id, r.day, deps.defaultServiceMs);
    const expected = estimateCallTime(ahead, desks.length, serviceMs, new Date(r.call_at), now);
    return { position: ahead, expectedCallAt: expected.toISOString(), desks: desks.map((d) => d.number) };
  }

  return {
    async checkIn(input: CheckInInput) {
      const now = clock.now();
      const today = kyivDay(now);
      return db.transaction().execute(async (trx) => {
        let row: Row | undefined;
        if ('code' in input) {
          const named = readCheckInCode(crypto, input.code);
          if (!named || named.day !== today) throw notFound();
          row = await store.registrationForCheckIn(trx, named.id);
        } else {
          row = await store.registrationByNumber(trx, input.centerId, today, input.number);
          if (row && !sameSurname(row.last_name, input.lastName)) row = undefined;
        }
        if (!row || row.center_id !== input.centerId || row.day !== today || row.channel !== 'online')
          throw notFound();
        // A second scan of the same code is no error: the person sees their place again.
        if (row.status !== 'arrived') {
          const moved = await transitionOne(trx, 'check_in', row.id, { today }, now);
          if (!moved)
            throw new DomainError('INVALID_STATE', {
              detail: 'Цей запис уже викликано, завершено або скасовано.',
              extensions: { from: row.status, event: 'check_in' },
            });
          row = { ...row, status: 'arrived', arrived_at: now };
          await audit(trx, {
            at: now,
            actorKind: input.actor.kind,
            actorId: input.actor.id,
            action: 'registration.checked_in',
            subjectKind: 'registration',
            subjectId: row.id,
            centerId: row.center_id,
            ip: input.actor.ip,
            details: { number: row.number, via: 'code' in input ? 'code' : 'number' },
          });
          // Workstations and followers re-read the queue; no personal data travels.
          await deps.events.publish(trx, channels.center(row.center_id), { type: 'arrived' });
        }
        const pos = await positionOf(trx, row, now);
        return {
          id: row.id,
          number: row.number,
          position: pos.position ?? 0,
          expectedCallAt: pos.expectedCallAt ?? new Date(row.call_at).toISOString(),
          desks: pos.desks ?? [],
        };
      });
    },

    /**
     * "My registrations": each online registration of today or later gets its arrival code;
     * every one its `checkedInAt`; today's waiting ones their `position` and `expectedCallAt`.
     */
    async enrich<B extends { id: string }>(personId: string, bookings: B[]) {
      const now = clock.now();
      const today = kyivDay(now);
      const rows = await store.arrivalsOf(
        db,
        personId,
        bookings.map((b) => b.id),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      return Promise.all(
        bookings.map(async (b) => {
          const r = byId.get(b.id);
          if (!r) return { ...b, checkInCode: null, checkedInAt: null, position: null, expectedCallAt: null };
          const pos = await positionOf(db, r, now);
          return {
            ...b,
            checkInCode:
              r.channel === 'online' && r.status === 'booked' && r.day >= today
                ? checkInCode(crypto, r.id, r.day)
                : null,
            checkedInAt: r.arrived_at ? new Date(r.arrived_at).toISOString() : null,
            position: pos.position,
            expectedCallAt: pos.expectedCallAt,
          };
        }),
      );
    },

    /** The arrival code of a registration (for the confirmation e-mail's QR). */
    codeOf: (id: string, day: string) => checkInCode(crypto, id, day),

    /**
     * Live position of a person's registration: `send` gets the state now and again whenever the
     * center's queue moves (calls, arrivals, desks, alerts), at most once per FOLLOW_MIN_GAP_MS.
     * Resolves to the unsubscribe function; NOT_FOUND for someone else's registration.
     */
    async follow(personId: string, id: string, send: (state: Record<string, unknown>) => void) {
      const first = await store.ownRegistration(db, personId, id);
      if (!first) throw new DomainError('NOT_FOUND');
      let timer: NodeJS.Timeout | undefined;
      let last = 0;
      let stopped = false;
      const push = async () => {
        timer = undefined;
        last = Date.now();
        const r = await store.ownRegistration(db, personId, id);
        if (!r || stopped) return;
        const pos = await positionOf(db, r, clock.now());
        send({
          status: r.status,
          checkedInAt: r.arrived_at ? new Date(r.arrived_at).toISOString() : null,
          position: pos.position,
          expectedCallAt: pos.expectedCallAt,
        });
      };
      const schedule = () => {
        if (timer || stopped) return;
        timer = setTimeout(
          () => void push().catch(() => undefined),
          Math.max(0, FOLLOW_MIN_GAP_MS - (Date.now() - last)),
        );
        timer.unref();
      };
      const unsubscribe = await deps.events.subscribe(channels.center(first.center_id), () => schedule());
      await push();
      return async () => {
        stopped = true;
        clearTimeout(timer);
        await unsubscribe();
      };
    },
  };
}

export type CheckInService = ReturnType<typeof createCheckInService>;
