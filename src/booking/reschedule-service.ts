import { createHash } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import { centerExamines } from '../catalog/exam-category-store.js';
import { findPerson } from '../identity/person-store.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Tx } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import {
  claimExamPlace,
  claimPlace,
  claimQuota,
  isSecondActiveRegistration,
  releaseExamPlace,
} from '../registration/claim-store.js';
import { quotaFor } from '../registration/quota-rules.js';
import { transitionOne } from '../registration/registration-store.js';
import type { Actor } from './actor.js';
import {
  assertCancellable,
  assertExamRetryAllowed,
  assertInHorizon,
  cancelDeadline,
  resaleDelayMs,
} from './booking-rules.js';
import type { BookingDeps } from './booking-service.js';
import * as bookingStore from './booking-store.js';
import * as store from './reschedule-store.js';

export interface RescheduleInput {
  personId: string;
  registrationId: string;
  slotId: number;
  idempotencyKey?: string;
  actor: Actor;
}

export interface MovedBody {
  id: string;
  number: number | null;
  centerId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
  status: 'booked';
  moves: number;
  cancelUntil: string;
}

const notFound = () => new DomainError('NOT_FOUND', { detail: 'Запис не знайдено.' });

/**
 * Rule 3: the owner moves an online registration to another free time of the same service (any
 * center, inside the horizon) until 2 h before, at most `maxMoves` times. One transaction: the
 * registration row is locked, the new place claimed, the limit unit moved to the new month when
 * the month changes, the registration rewritten in place (same id, new ticket number at the new
 * center and day, move_count + 1), the old place handed to the waitlist (or its random return),
 * the confirmation with a new .ics queued. Any refusal rolls every claim back.
 */
export function createReschedule(deps: BookingDeps & { evictDay(centerId: string, day: string): void }) {
  const { db, clock, policy } = deps;
  const random = deps.random ?? Math.random;

  async function move(trx: Tx, input: RescheduleInput, requestHash: string, now: Date) {
    const scope = `reschedule:${input.personId}`;
    if (input.idempotencyKey) {
      const claim = await bookingStore.claimIdempotencyKey(
        trx,
        scope,
        input.idempotencyKey,
        requestHash,
        now,
      );
      if (!claim.fresh) {
        if (claim.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH');
        if (!claim.statusCode)
          throw new DomainError('CONFLICT', { detail: 'Запит з цим ключем ще обробляється.' });
        return { replay: true as const, body: claim.response as MovedBody };
      }
    }
    const reg = await store.lockRegistration(trx, input.registrationId);
    // Someone else's registration is "not found": its existence is not disclosed.
    if (!reg || reg.person_id !== input.personId) throw notFound();
    if (reg.channel !== 'online' || reg.status !== 'booked' || reg.slot_id === null) {
      throw new DomainError('INVALID_STATE', { detail: 'Цей запис не можна перенести.' });
    }
    assertCancellable(new Date(reg.starts_at), now, policy);
    if (reg.move_count >= policy.maxMoves) {
      throw new DomainError('RESCHEDULE_LIMIT', {
        extensions: { moves: reg.move_count, maxMoves: policy.maxMoves },
      });
    }
    const slot = await bookingStore.findSlot(trx, input.slotId);
    if (slot?.pool !== 'online') throw new DomainError('NOT_FOUND', { detail: 'Час прийому не знайдено.' });
    if (slot.group_id !== reg.group_id) {
      throw new DomainError('VALIDATION', { detail: 'Обраний час не належить до послуги цього запису.' });
    }
    if (Number(slot.id) === reg.slot_id) {
      throw new DomainError('VALIDATION', { detail: 'Запис уже на цей час: оберіть інший.' });
    }
    assertInHorizon(slot.day, now, policy);
    // A released day still in its lottery takes entries only: a move must not buy a place
    // first-come that everyone else has to draw for (SPEC 3.9).
    const draw = await deps.lottery?.openDraw(trx, slot.day, now);
    if (draw) {
      throw new DomainError('CONFLICT', {
        detail: 'Місця цього дня розподіляє жеребкування: перенести запис на нього можна після розіграшу.',
        extensions: { decidesAt: draw.decidesAt.toISOString() },
      });
    }
    const service = await store.findService(trx, reg.service_id);
    if (!service) throw notFound();
    if (service.is_exam) {
      assertExamRetryAllowed(
        await bookingStore.lastFailedExamDay(trx, reg.person_id, service.id),
        slot.day,
        policy,
      );
    }
    if (reg.exam_category && !(await centerExamines(trx, slot.center_id, reg.exam_category))) {
      throw new DomainError('VALIDATION', {
        detail: `Цей центр не приймає практичний іспит категорії ${reg.exam_category}.`,
      });
    }

    // Counts once, in the month (a legal entity: the day) of the new time.
    const who = { personId: reg.person_id, legalEntity: reg.legal_entity };
    const before = quotaFor(who, 'online', reg.day, policy);
    const after = quotaFor(who, 'online', slot.day, policy);
    if (before.period !== after.period) {
      if (!(await claimQuota(trx, after, 'online'))) throw new DomainError('LIMIT_REACHED');
      await store.releaseQuota(trx, before, 'online');
    }
    if (!(await claimPlace(trx, slot.id))) throw new DomainError('SLOT_TAKEN');
    // Rule 8: another center, day or pool takes a place of the exam category there; the same
    // center and day keep the one the registration holds.
    const oldSlot = reg.slot_id;
    const oldPlace = await bookingStore.findSlot(trx, oldSlot);
    const samePlace =
      oldPlace?.center_id === slot.center_id && oldPlace.day === slot.day && oldPlace.pool === slot.pool;
    if (!samePlace && !(await claimExamPlace(trx, slot.id, reg.exam_category))) {
      throw new DomainError('SLOT_TAKEN', {
        detail: `Місць для іспиту категорії ${reg.exam_category} цього дня вже немає.`,
      });
    }
    const startsAt = new Date(slot.starts_at);
    const moved = await transitionOne(
      trx,
      'move',
      reg.id,
      {
        personId: input.personId,
        cancelBeforeMinutes: policy.cancelBeforeMinutes,
        maxMoves: policy.maxMoves,
        place: { slotId: slot.id, centerId: slot.center_id, groupId: slot.group_id, day: slot.day, startsAt },
      },
      now,
    );
    if (!moved) throw new DomainError('INVALID_STATE', { detail: 'Цей запис не можна перенести.' });

    // The place left behind goes to a waiter drawn at random; only when nobody waits does it
    // return to the pool, at a random later moment (rule 3).
    const offered = await deps.freedPlaces?.offer(trx, { slotId: oldSlot, freedBy: reg.id, now });
    const freedCategory = samePlace ? null : reg.exam_category;
    if (offered) await releaseExamPlace(trx, oldSlot, freedCategory);
    else {
      await bookingStore.scheduleSlotReturn(
        trx,
        oldSlot,
        reg.id,
        new Date(now.getTime() + resaleDelayMs(random(), policy)),
        freedCategory,
      );
    }

    const moves = reg.move_count + 1;
    const person = await findPerson(trx, reg.person_id);
    if (person?.email) {
      await enqueue(trx, now, {
        template: 'registration_moved',
        recipient: person.email,
        lang: person.lang,
        payload: { registrationId: reg.id, from: new Date(reg.starts_at).toISOString() },
        dedupeKey: `registration_moved:${reg.id}:${moves}`,
      });
    }
    await audit(trx, {
      at: now,
      actorKind: input.actor.kind,
      actorId: input.actor.id,
      action: 'registration.moved',
      subjectKind: 'registration',
      subjectId: reg.id,
      centerId: slot.center_id,
      ip: input.actor.ip,
      details: {
        fromSlotId: oldSlot,
        fromCenterId: reg.center_id,
        toSlotId: slot.id,
        moves,
        legalEntity: reg.legal_entity,
      },
    });
    const body: MovedBody = {
      id: reg.id,
      number: moved.number,
      centerId: slot.center_id,
      serviceId: reg.service_id,
      startsAt: startsAt.toISOString(),
      endsAt: new Date(slot.ends_at).toISOString(),
      status: 'booked',
      moves,
      cancelUntil: cancelDeadline(startsAt, policy).toISOString(),
    };
    if (input.idempotencyKey) {
      await bookingStore.saveIdempotentResponse(trx, scope, input.idempotencyKey, 200, body);
    }
    return {
      replay: false as const,
      body,
      evict: [reg.center_id, reg.day, slot.center_id, slot.day] as const,
    };
  }

  return {
    async reschedule(input: RescheduleInput): Promise<MovedBody> {
      const now = clock.now();
      const requestHash = createHash('sha256')
        .update(JSON.stringify(['reschedule', input.registrationId, input.slotId]))
        .digest('base64url');
      let result: Awaited<ReturnType<typeof move>>;
      try {
        result = await db.transaction().execute((trx) => move(trx, input, requestHash, now));
      } catch (error) {
        // Rule 1: the new day already holds another active registration of the person in the group.
        if (isSecondActiveRegistration(error)) throw new DomainError('LIMIT_REACHED');
        throw error;
      }
      if (!result.replay) {
        const [c1, d1, c2, d2] = result.evict;
        deps.evictDay(c1, d1);
        deps.evictDay(c2, d2);
        deps.afterCommit?.();
      }
      return result.body;
    },
  };
}
