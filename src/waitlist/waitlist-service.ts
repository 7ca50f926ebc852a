import { randomBytes, randomUUID } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import type { Actor } from '../booking/actor.js';
import {
  assertExamRetryAllowed,
  assertNotBlocked,
  cancelDeadline,
  resaleDelayMs,
} from '../booking/booking-rules.js';
import type { FreedPlaces } from '../booking/booking-service.js';
import { findSlot, lastFailedExamDay, scheduleSlotReturn } from '../booking/booking-store.js';
import { checkExamCategory } from '../booking/exam-category.js';
import type { Policy } from '../config.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { claimExamPlace, claimPlace, claimQuota, releaseExamPlace } from '../registration/claim-store.js';
import { quotaFor } from '../registration/quota-rules.js';
import { transitionOne } from '../registration/registration-store.js';
import type { OfferAccepted, OfferView, WaitView } from './waitlist-api-schema.js';
import { assertWaitRange, drawOrder, holdUntil, offerable } from './waitlist-rules.js';
import * as store from './waitlist-store.js';

/**
 * The waitlist (SPEC rule 12), the fair home of every freed place: a freed place is offered to
 * ONE eligible waiter drawn at random (seed recorded), held for them, and accepted, declined or
 * left to lapse; only when nobody (else) waits does it return to the pool at a random moment.
 * The place stays counted in its slot the whole time, so nobody polling /slots ever sees it.
 */
export interface WaitlistDeps {
  db: Db;
  clock: Clock;
  policy: Policy;
  random?: () => number;
  /** Called after an offer or a booking commits, e.g. to wake the outbox workers. */
  afterCommit?: () => void;
}

const NOT_OFFERED = new Error('no eligible waiter');
const notFound = () => new DomainError('NOT_FOUND', { detail: 'Пропозицію не знайдено.' });

export function createWaitlist(deps: WaitlistDeps) {
  const { db, clock, policy } = deps;
  const random = deps.random ?? Math.random;

  /**
   * Draws a waiter for one place of `slotId` (still counted as booked). False: nobody eligible.
   * Rule 8: a waiter for a practical exam takes a place of their vehicle category in the same
   * transaction (skipped when it has none left). `freed` is the category place the freed place
   * carries, which the caller gives back when this answers true (and keeps, to return later with
   * the place, when it answers false): a waiter of that very category takes it over.
   */
  async function offerPlace(
    trx: Tx,
    slotId: number,
    now: Date,
    freed: string | null = null,
  ): Promise<boolean> {
    const slot = await findSlot(trx, slotId);
    if (slot?.pool !== 'online' || !offerable(now, new Date(slot.starts_at), policy)) return false;
    const candidates = await store.candidatesFor(trx, slot, now, freed);
    if (!candidates.length) return false;
    const seed = randomBytes(16).toString('hex');
    const order = drawOrder(seed, candidates.length);
    const startsAt = new Date(slot.starts_at);
    const expiresAt = holdUntil(now, startsAt, policy);
    for (const [position, index] of order.entries()) {
      const c = candidates[index];
      if (!c || !(await store.claimWait(trx, c.wait_id, now))) continue;
      // Rule 8: the waiter's category place, one conditional statement (nothing taken when
      // refused). The category the freed place carries goes over to a waiter of that category.
      const category = c.exam_category;
      if (category && category === freed) await store.takeOverExamPlace(trx, slot.id, category);
      else if (!(await claimExamPlace(trx, slot.id, category))) {
        // Its category filled up since the candidates were read: keep waiting, ask the next.
        await store.setWaitStatus(trx, c.wait_id, 'active', now);
        continue;
      }
      const id = randomUUID();
      const held = await store.insertOfferRegistration(trx, {
        id,
        centerId: slot.center_id,
        serviceId: c.service_id,
        groupId: slot.group_id,
        slotId: slot.id,
        personId: c.person_id,
        legalEntity: null,
        examCategory: category,
        channel: 'online',
        status: 'offered',
        day: slot.day,
        startsAt,
        callAt: startsAt,
        heldUntil: expiresAt,
        now,
      });
      if (!held) {
        // The waiter took a place of that day meanwhile (rule 1): keep waiting, ask the next; the
        // category place claimed for them goes back.
        await releaseExamPlace(trx, slot.id, category);
        await store.setWaitStatus(trx, c.wait_id, 'active', now);
        continue;
      }
      await store.recordOffer(trx, {
        id,
        waitId: c.wait_id,
        slotId: slot.id,
        seed,
        candidates: candidates.length,
        position,
        now,
        expiresAt,
      });
      if (c.email) {
        await enqueue(trx, now, {
          template: 'waitlist_offer',
          recipient: c.email,
          lang: c.lang,
          payload: { registrationId: id, expiresAt: expiresAt.toISOString() },
          dedupeKey: `waitlist_offer:${id}`,
        });
      }
      await audit(trx, {
        at: now,
        actorKind: 'system',
        action: 'waitlist.offered',
        subjectKind: 'registration',
        subjectId: id,
        centerId: slot.center_id,
        details: {
          slotId: slot.id,
          waitId: c.wait_id,
          seed,
          candidates: candidates.length,
          position,
          ...(category ? { examCategory: category } : {}),
        },
      });
      return true;
    }
    return false;
  }

  /**
   * A place given back by an offer: to the next waiter, else to the pool at a random moment. Rule
   * 8: the category place the offer held goes back at once when the next waiter takes the place
   * (they hold their own, or take this one over), else with the place after the delay.
   */
  async function passOn(
    trx: Tx,
    slotId: number,
    offerId: string,
    category: string | null,
    now: Date,
  ): Promise<void> {
    if (await offerPlace(trx, slotId, now, category)) {
      await releaseExamPlace(trx, slotId, category);
      return;
    }
    await scheduleSlotReturn(
      trx,
      slotId,
      offerId,
      new Date(now.getTime() + resaleDelayMs(random(), policy)),
      category,
    );
  }

  // The callers (cancel, move, the head's conflict offer) give the freed registration's category
  // place back when this answers true: the waiter's own claim here keeps the counts right.
  const freedPlaces: FreedPlaces = {
    offer: async (trx, place) =>
      offerPlace(trx, place.slotId, place.now, await store.freedCategory(trx, place.freedBy, place.slotId)),
  };

  /** Ends an offer the waiter declines (or leaves with their wait): the place goes on. */
  async function release(trx: Tx, offerId: string, personId: string, then: 'active' | 'left', now: Date) {
    const offer = await store.offerForUpdate(trx, offerId);
    if (!offer || offer.person_id !== personId) throw notFound();
    const moved = await transitionOne(trx, 'offer_released', offer.id, { personId }, now);
    if (!moved) throw new DomainError('INVALID_STATE', { detail: 'Ця пропозиція вже не дійсна.' });
    await store.decideOffer(trx, offer.id, 'declined', now);
    await store.setWaitStatus(trx, offer.wait_id, then, now);
    await passOn(trx, Number(offer.slot_id), offer.id, offer.exam_category, now);
    return offer;
  }

  return {
    freedPlaces,
    offerPlace,

    async join(input: {
      personId: string;
      centerIds: string[];
      serviceId: string;
      from: string;
      to: string;
      /** Practical exams: the vehicle category (SPEC §2); required for a service with categories. */
      examCategory?: string | null;
      actor: Actor;
    }): Promise<{ id: string }> {
      const now = clock.now();
      assertWaitRange(input.from, input.to, now, policy);
      const found = await store.serviceAndCenters(db, input.serviceId, [...new Set(input.centerIds)]);
      if (!found.service) throw new DomainError('NOT_FOUND', { detail: 'Послугу не знайдено.' });
      if (found.centerIds.length !== new Set(input.centerIds).size) {
        throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
      }
      const service = found.service;
      // SPEC §2 Exams, as an online booking: the category the service has, examined at every
      // center of the wait (VALIDATION on body.examCategory); none for other services.
      let examCategory: string | null = null;
      for (const centerId of found.centerIds) {
        examCategory = await checkExamCategory(db, service.id, centerId, input.examCategory ?? null);
      }
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        const fresh = await store.insertWait(trx, {
          id,
          personId: input.personId,
          serviceId: service.id,
          groupId: service.group_id,
          centerIds: found.centerIds,
          from: input.from,
          to: input.to,
          examCategory,
          now,
        });
        if (!fresh) {
          throw new DomainError('CONFLICT', { detail: 'Ви вже очікуєте на місце для цієї послуги.' });
        }
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'waitlist.joined',
          subjectKind: 'wait',
          subjectId: id,
          ip: input.actor.ip,
          details: {
            serviceId: service.id,
            centerIds: found.centerIds,
            from: input.from,
            to: input.to,
            ...(examCategory ? { examCategory } : {}),
          },
        });
      });
      return { id };
    },

    async mine(personId: string): Promise<WaitView[]> {
      const rows = await store.openWaits(db, personId);
      return rows.map((w) => ({
        id: w.id,
        serviceId: w.service_id,
        serviceName: w.service_name,
        centerIds: w.center_ids,
        from: w.from_day,
        to: w.to_day,
        examCategory: w.exam_category,
        status: w.status as 'active' | 'offered',
        createdAt: new Date(w.created_at).toISOString(),
      }));
    },

    /** Leaves a wait; an offer held for it is declined and passed on. */
    async leave(input: { personId: string; waitId: string; actor: Actor }) {
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const wait = await store.openWaitForUpdate(trx, input.waitId, input.personId);
        if (!wait) throw new DomainError('NOT_FOUND', { detail: 'Очікування не знайдено.' });
        if (wait.status === 'offered') {
          const held = await store.undecidedOfferOf(trx, wait.id);
          if (held) await release(trx, held, input.personId, 'left', now);
        }
        await store.setWaitStatus(trx, wait.id, 'left', now);
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'waitlist.left',
          subjectKind: 'wait',
          subjectId: wait.id,
          ip: input.actor.ip,
        });
      });
      deps.afterCommit?.();
      return { id: input.waitId, status: 'left' as const };
    },

    async offers(personId: string): Promise<OfferView[]> {
      const rows = await store.heldOffers(db, personId, clock.now());
      return rows.map((o) => ({
        id: o.id,
        slotId: Number(o.slot_id),
        centerId: o.center_id,
        centerName: o.center_name,
        serviceId: o.service_id,
        serviceName: o.service_name,
        startsAt: new Date(o.starts_at).toISOString(),
        expiresAt: new Date(o.held_until as Date).toISOString(),
        examCategory: o.exam_category,
      }));
    },

    /** Accepting books the held place: every check of an online booking applies (rules 1, 4, 9). */
    async accept(input: { personId: string; offerId: string; actor: Actor }): Promise<OfferAccepted> {
      const result = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const offer = await store.offerForUpdate(trx, input.offerId);
        if (!offer || offer.person_id !== input.personId) throw notFound();
        if (offer.status !== 'offered' || !offer.held_until || new Date(offer.held_until) <= now) {
          throw new DomainError('INVALID_STATE', { detail: 'Ця пропозиція вже не дійсна.' });
        }
        assertNotBlocked(offer.blocked_until ? new Date(offer.blocked_until) : null, now);
        if (offer.is_exam) {
          const failed = await lastFailedExamDay(trx, input.personId, offer.service_id);
          assertExamRetryAllowed(failed, offer.day, policy);
        }
        const quota = quotaFor({ personId: input.personId, legalEntity: null }, 'online', offer.day, policy);
        if (!(await claimQuota(trx, quota, 'online'))) throw new DomainError('LIMIT_REACHED');
        const moved = await transitionOne(
          trx,
          'offer_accepted',
          offer.id,
          { personId: input.personId, centerId: offer.center_id, day: offer.day },
          now,
        );
        if (!moved) throw new DomainError('INVALID_STATE', { detail: 'Ця пропозиція вже не дійсна.' });
        await store.decideOffer(trx, offer.id, 'accepted', now);
        await store.setWaitStatus(trx, offer.wait_id, 'fulfilled', now);
        if (offer.email) {
          await enqueue(trx, now, {
            template: 'registration_confirmed',
            recipient: offer.email,
            lang: offer.lang,
            payload: { registrationId: offer.id },
            dedupeKey: `registration_confirmed:${offer.id}`,
          });
        }
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'registration.booked',
          subjectKind: 'registration',
          subjectId: offer.id,
          centerId: offer.center_id,
          ip: input.actor.ip,
          details: {
            channel: 'online',
            slotId: Number(offer.slot_id),
            serviceId: offer.service_id,
            waitlist: true,
          },
        });
        const startsAt = new Date(offer.starts_at);
        return {
          id: offer.id,
          number: moved.number,
          centerId: offer.center_id,
          serviceId: offer.service_id,
          startsAt: startsAt.toISOString(),
          endsAt: new Date(offer.ends_at).toISOString(),
          status: 'booked' as const,
          cancelUntil: cancelDeadline(startsAt, policy).toISOString(),
        };
      });
      deps.afterCommit?.();
      return result;
    },

    /** Declining passes the place to the next draw; the waiter keeps waiting for another. */
    async decline(input: { personId: string; offerId: string; actor: Actor }) {
      await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const offer = await release(trx, input.offerId, input.personId, 'active', now);
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'waitlist.declined',
          subjectKind: 'registration',
          subjectId: offer.id,
          centerId: offer.center_id,
          ip: input.actor.ip,
        });
      });
      deps.afterCommit?.();
      return { id: input.offerId, status: 'declined' as const };
    },

    /**
     * Job: free places of the pool that someone waits for (capacity added, a place returned while
     * nobody waited) are taken from the pool one at a time and offered like a freed place.
     */
    async offerFreePlaces(): Promise<number> {
      let offered = 0;
      const slots = await store.freePlacesWaitedFor(db, clock.now(), policy.waitlistHoldMinutes, 50);
      for (const slotId of slots) {
        const done = await db
          .transaction()
          .execute(async (trx) => {
            const now = clock.now();
            if (!(await claimPlace(trx, slotId))) return false;
            // Nobody could take it after all: the claim is rolled back, the place stays free.
            if (!(await offerPlace(trx, slotId, now))) throw NOT_OFFERED;
            return true;
          })
          .catch((error: unknown) => {
            if (error === NOT_OFFERED) return false;
            throw error;
          });
        if (done) offered++;
      }
      if (offered > 0) deps.afterCommit?.();
      return offered;
    },

    /** Job: offers whose hold ended lapse (their wait ends) and the place goes to the next draw. */
    async expireDue(): Promise<number> {
      let total = 0;
      for (;;) {
        const n = await db.transaction().execute(async (trx) => {
          const now = clock.now();
          const due = await store.dueOffers(trx, now, 50);
          for (const id of due) {
            const moved = await transitionOne(trx, 'offer_released', id, { personId: null }, now);
            if (!moved || moved.slot_id === null) continue;
            const offer = await store.offerForUpdate(trx, id);
            await store.decideOffer(trx, id, 'expired', now);
            if (offer) await store.setWaitStatus(trx, offer.wait_id, 'lapsed', now);
            await passOn(trx, Number(moved.slot_id), id, offer?.exam_category ?? null, now);
          }
          return due.length;
        });
        total += n;
        if (n < 50) break;
      }
      if (total > 0) deps.afterCommit?.();
      return total;
    },
  };
}

export type Waitlist = ReturnType<typeof createWaitlist>;
