import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import type { Policy } from '../config.js';
import { conflictOfferIdOf, conflictOfferTokenMatches } from '../notify/conflict-offer-link.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db, Executor, Tx } from '../platform/db.js';
import type { Channel } from '../platform/db-schema.js';
import { type Day, formatKyiv } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import {
  claimExamPlace,
  claimPlace,
  claimQuota,
  isSecondActiveRegistration,
  releaseExamPlace,
} from '../registration/claim-store.js';
import { type Quota, quotaFor } from '../registration/quota-rules.js';
import { transitionOne } from '../registration/registration-store.js';
import { loadCenterInputs, lockCenter } from './capacity-store.js';
import { MAX_OFFERED_TIMES, offerExpiry, offerState } from './conflict-offer-rules.js';
import * as store from './conflict-offer-store.js';
import { isServed } from './reconcile-rules.js';
import { generateSlots } from './slot-rules.js';

/**
 * SPEC rule 8: what the center head does about a registration that regeneration could not keep
 * (a holiday, an absence, a roster change), besides marking it resolved by hand:
 *
 * - **Offer another time**: free online times of the same group at the center; the person gets
 *   one signed link per time (see notify/conflict-offer-link.ts). The link's page shows what will
 *   happen and a POST confirms (a GET changes nothing, so mail scanners do nothing). Accepting
 *   moves the SAME registration through the core's `move` event (the conflict variant: not one
 *   of the owner's moves), claims the new place and, when the month changes, moves the limit unit
 *   (rule 3: it counts once, in the month of the new time); the old place vanishes if nobody
 *   serves its time, else it goes to the waitlist or its random return (rule 3, 12). The conflict
 *   is settled, the other offers stop working, the "перенесено" mail with a new .ics is queued.
 * - **Cancel with notice**: the core's `cancel` event (conflict variant), the place handled the
 *   same way, the limit unit given back (the center cancelled, not the person), a mail naming
 *   the head's reason and how to book again.
 *
 * Every action is audited with its actor. The booking primitives (the registration lock shared
 * with the owner's own moves, the quota release, the delayed return, the horizon) are handed in
 * by the composition root: capacity/ does not import booking/ (booking → catalog → capacity).
 */

/** The registration as the owner's move locks it (booking/reschedule-store.lockRegistration). */
export interface LockedRegistration {
  id: string;
  person_id: string;
  legal_entity: string | null;
  channel: Channel;
  status: string;
  service_id: string;
  group_id: string;
  center_id: string;
  slot_id: number | null;
  day: string;
  starts_at: Date;
  /** A practical exam's vehicle category: its own places per center, day and pool (rule 8). */
  exam_category: string | null;
}

export interface MovePrimitives {
  lockRegistration(trx: Tx, id: string): Promise<LockedRegistration | undefined>;
  releaseQuota(trx: Tx, q: Quota, channel: Channel): Promise<void>;
  scheduleSlotReturn(
    trx: Tx,
    slotId: number,
    registrationId: string,
    dueAt: Date,
    examCategory: string | null,
  ): Promise<void>;
  /** The online horizon's first and last bookable day (rule 3 / §2). */
  horizon(now: Date): { first: Day; last: Day };
  /** The anti-resale delay of a freed place (rule 3), from a random number in [0, 1). */
  resaleDelayMs(random: number): number;
}

export interface ConflictOfferDeps {
  db: Db;
  clock: Clock;
  crypto: Pick<PiiCrypto, 'hash'>;
  policy: Policy;
  booking: MovePrimitives;
  /** Where a freed place goes first (rule 12): one waiter drawn at random. */
  freedPlaces?: { offer(trx: Tx, place: { slotId: number; freedBy: string; now: Date }): Promise<boolean> };
  /** A released day still in its lottery takes no first-come move (rule 9). */
  lottery?: { openDraw(trx: Tx, day: Day, now: Date): Promise<{ decidesAt: Date } | null> };
  random?: () => number;
  afterCommit?: () => void;
}

/** Why a link cannot be used, for its page. */
export type LinkRefusal = 'invalid' | 'expired' | 'used' | 'withdrawn' | 'taken' | 'changed' | 'busy-day';

export class OfferLinkError extends Error {
  constructor(readonly reason: LinkRefusal) {
    super(`conflict offer link: ${reason}`);
  }
}

const FREE_TIMES_LIMIT = 300;
/** A head-initiated move never fails on the person's own limit (it was counted when booked). */
const NO_LIMIT = 2_147_483_647;

const conflictNotFound = () => new DomainError('NOT_FOUND', { detail: 'Конфлікт не знайдено.' });
const notOpen = () => new DomainError('INVALID_STATE', { detail: 'Конфлікт уже вирішено: оновіть список.' });

export function createConflictOffers(deps: ConflictOfferDeps) {
  const { db, clock, policy } = deps;
  const random = deps.random ?? Math.random;

  /** An open conflict of an online booked registration, locked (center, then registration). */
  async function lockedConflict(trx: Tx, centerId: string, conflictId: number) {
    await lockCenter(trx, centerId);
    const conflict = await store.findConflict(trx, centerId, conflictId);
    if (!conflict) throw conflictNotFound();
    const reg = await deps.booking.lockRegistration(trx, conflict.registration_id);
    if (!reg) throw conflictNotFound();
    if (conflict.resolved_at) throw notOpen();
    if (reg.status !== 'booked')
      throw new DomainError('INVALID_STATE', {
        detail: 'Запис уже не активний (скасований чи обслужений): позначте конфлікт вирішеним.',
      });
    return { conflict, reg };
  }

  /**
   * The place a registration leaves. If nobody serves its time any more (the conflict's cause
   * stands), the place vanishes with it; if the time is served again (the holiday was removed),
   * it is freed the ordinary way: to a waiter drawn at random, else back at a random moment.
   */
  async function leavePlace(
    trx: Tx,
    slotId: number,
    registrationId: string,
    examCategory: string | null,
    now: Date,
  ) {
    const slot = await store.slotOf(trx, slotId);
    if (!slot) return;
    const inputs = await loadCenterInputs(trx, slot.center_id, slot.day, slot.day);
    const generated = inputs
      ? generateSlots({ ...inputs, day: slot.day }, { windowMinutes: policy.slotWindowMinutes })
      : [];
    if (!isServed(generated, slot.group_id, slot.starts_at)) {
      await store.dropPlace(trx, slotId);
      await releaseExamPlace(trx, slotId, examCategory);
      return 'dropped' as const;
    }
    // As the owner's own move and cancel do (booking/): a waiter drawn at random takes the
    // place (the category's place is given back), else it returns later with its category.
    const offered = await deps.freedPlaces?.offer(trx, { slotId, freedBy: registrationId, now });
    if (offered) await releaseExamPlace(trx, slotId, examCategory);
    else
      await deps.booking.scheduleSlotReturn(
        trx,
        slotId,
        registrationId,
        new Date(now.getTime() + deps.booking.resaleDelayMs(random())),
        examCategory,
      );
    return offered ? ('waitlist' as const) : ('returning' as const);
  }

  /** An offered (or accepted) time must be a free online place of the group, inside the horizon. */
  async function assertOfferable(
    trx: Executor,
    slot: Awaited<ReturnType<typeof store.slotOf>>,
    reg: LockedRegistration,
    now: Date,
  ) {
    if (!slot || slot.center_id !== reg.center_id || slot.pool !== 'online' || slot.group_id !== reg.group_id)
      throw new DomainError('VALIDATION', {
        detail: 'Запропонувати можна лише вільний онлайн-час тієї самої послуги в цьому центрі.',
      });
    if (slot.id === reg.slot_id)
      throw new DomainError('VALIDATION', { detail: 'Це той самий час, що й у записі.' });
    const { first, last } = deps.booking.horizon(now);
    if (slot.day < first || slot.day > last)
      throw new DomainError('VALIDATION', { detail: `День ${slot.day} поза межами онлайн-запису.` });
    const draw = await deps.lottery?.openDraw(trx as Tx, slot.day, now);
    if (draw)
      throw new DomainError('CONFLICT', {
        detail: 'Місця цього дня розподіляє жеребкування: запропонуйте час після розіграшу.',
        extensions: { decidesAt: draw.decidesAt.toISOString() },
      });
  }

  return {
    /** Free online times of the conflicted registration's group at the center, for the head. */
    async freeTimes(centerId: string, conflictId: number) {
      const now = clock.now();
      const conflict = await store.findConflict(db, centerId, conflictId);
      if (!conflict) throw conflictNotFound();
      const { first, last } = deps.booking.horizon(now);
      const rows = await store.freeOnlineTimes(db, {
        centerId,
        groupId: conflict.group_id,
        from: first,
        to: last,
        after: new Date(now.getTime() + policy.cancelBeforeMinutes * 60_000),
        limit: FREE_TIMES_LIMIT,
        personId: conflict.person_id,
        registrationId: conflict.registration_id,
      });
      return rows
        .filter((r) => r.id !== conflict.slot_id)
        .map((r) => ({
          slotId: r.id,
          day: r.day,
          startsAt: r.starts_at.toISOString(),
          endsAt: r.ends_at.toISOString(),
          free: r.free,
        }));
    },

    /** The head offers 1–5 free times; earlier unused offers of the conflict stop working. */
    async offer(centerId: string, conflictId: number, slotIds: number[], actor: Actor) {
      const ids = [...new Set(slotIds)];
      if (ids.length === 0 || ids.length > MAX_OFFERED_TIMES)
        throw new DomainError('VALIDATION', {
          detail: `Оберіть від 1 до ${MAX_OFFERED_TIMES} вільних часів.`,
        });
      const result = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const { conflict, reg } = await lockedConflict(trx, centerId, conflictId);
        if (reg.channel !== 'online')
          throw new DomainError('INVALID_STATE', {
            detail:
              'Інший час пропонується лише для онлайн-запису; талон терміналу можна скасувати з повідомленням.',
          });
        if (!conflict.email)
          throw new DomainError('VALIDATION', {
            detail: 'Людина не залишила e-mail: зателефонуйте їй або скасуйте запис з повідомленням.',
          });
        const slots = [];
        for (const id of ids) {
          const slot = await store.slotOf(trx, id);
          await assertOfferable(trx, slot, reg, now);
          if (!slot || slot.booked >= slot.capacity)
            throw new DomainError('SLOT_TAKEN', {
              detail: 'Один з обраних часів уже зайнятий: оновіть список.',
            });
          slots.push(slot);
        }
        const expiresAt = offerExpiry(
          now,
          slots.map((s) => s.starts_at),
          policy,
        );
        if (!expiresAt)
          throw new DomainError('VALIDATION', {
            detail: 'Обраний час надто близько: людина не встигне відповісти.',
          });
        await store.withdrawOffers(trx, conflictId, now);
        const offers = slots.map((s) => ({
          id: randomUUID(),
          conflictId,
          registrationId: reg.id,
          centerId,
          fromSlotId: reg.slot_id,
          slotId: s.id,
          startsAt: s.starts_at,
          expiresAt,
          createdBy: actor.id,
          now,
        }));
        await store.insertOffers(trx, offers);
        await enqueue(trx, now, {
          template: 'conflict_offer',
          recipient: conflict.email,
          lang: conflict.lang ?? 'uk',
          payload: { registrationId: reg.id, offerIds: offers.map((o) => o.id) },
          dedupeKey: `conflict_offer:${offers[0]?.id}`,
        });
        await audit(trx, {
          at: now,
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'capacity.conflict_offer_sent',
          subjectKind: 'registration',
          subjectId: reg.id,
          centerId,
          ip: actor.ip || null,
          details: {
            conflictId,
            offers: offers.map((o) => ({ id: o.id, slotId: o.slotId, startsAt: o.startsAt.toISOString() })),
            expiresAt: expiresAt.toISOString(),
          },
        });
        return offers.map((o) => ({
          id: o.id,
          conflictId,
          slotId: o.slotId,
          startsAt: o.startsAt.toISOString(),
          expiresAt: expiresAt.toISOString(),
          state: 'sent' as const,
        }));
      });
      deps.afterCommit?.();
      return result;
    },

    /** The center's offers with their state (sent / accepted / expired / withdrawn). */
    async offers(centerId: string) {
      const now = clock.now();
      const [rows, outcomes] = await Promise.all([
        store.listOffers(db, centerId),
        store.conflictOutcomes(db, centerId),
      ]);
      return {
        offers: rows.map((o) => ({
          id: o.id,
          conflictId: o.conflict_id,
          slotId: o.slot_id,
          startsAt: o.starts_at.toISOString(),
          expiresAt: o.expires_at.toISOString(),
          createdAt: o.created_at.toISOString(),
          decidedAt: o.decided_at?.toISOString() ?? null,
          state: offerState(o, o.conflict_open, now),
        })),
        outcomes,
      };
    },

    /**
     * What the link's page shows before the confirming click. Reads only: a GET of the link
     * (a person, or a mail scanner fetching it ahead) changes nothing.
     */
    async about(token: string) {
      const now = clock.now();
      const offer = await verified(db, token);
      const names = await store.offerPlaceNames(db, offer.registration_id);
      if (!names) throw new OfferLinkError('invalid');
      const state = offerState(offer, offer.conflict_open, now);
      return {
        state,
        refusal: refusalOf(state),
        centerName: names.center_name,
        centerAddress: names.center_address,
        serviceName: names.service_name,
        currentStartsAt: names.starts_at,
        offeredStartsAt: offer.starts_at,
        expiresAt: offer.expires_at,
      };
    },

    /** The confirming click: moves the registration to the offered time (see above). */
    async accept(token: string, ip: string) {
      const first = await verified(db, token);
      let result: { startsAt: Date; centerName?: string };
      try {
        result = await db.transaction().execute(async (trx) => {
          const now = clock.now();
          await lockCenter(trx, first.center_id);
          // The registration first, then the offer: the head's new offer takes them in this order.
          const reg = await deps.booking.lockRegistration(trx, first.registration_id);
          const offer = await store.findOffer(trx, first.id, true);
          if (!reg || !offer) throw new OfferLinkError('invalid');
          const refusal = refusalOf(offerState(offer, offer.conflict_open, now));
          if (refusal) throw new OfferLinkError(refusal);
          if (reg.status !== 'booked' || reg.slot_id !== offer.from_slot_id || reg.slot_id === null)
            throw new OfferLinkError('changed');
          const slot = await store.slotOf(trx, offer.slot_id);
          try {
            await assertOfferable(trx, slot, reg, now);
          } catch (error) {
            if (error instanceof DomainError && error.code === 'CONFLICT')
              throw new OfferLinkError('busy-day');
            throw new OfferLinkError('taken');
          }
          if (!slot) throw new OfferLinkError('taken');

          // Counts once, in the month (a legal entity: the day) of the new time (rule 3).
          const who = { personId: reg.person_id, legalEntity: reg.legal_entity };
          const before = quotaFor(who, 'online', reg.day, policy);
          const after = quotaFor(who, 'online', slot.day, policy);
          if (before.period !== after.period) {
            await claimQuota(trx, { ...after, limit: NO_LIMIT }, 'online');
            await deps.booking.releaseQuota(trx, before, 'online');
          }
          if (!(await claimPlace(trx, slot.id))) throw new OfferLinkError('taken');
          // Rule 8: an exam of a vehicle category also takes a place of that category there; the
          // same day and pool (a time lost to an absence, another time that day) keeps its own.
          const old = await store.slotOf(trx, reg.slot_id);
          const category = old?.day === slot.day && old.pool === slot.pool ? null : reg.exam_category;
          if (!(await claimExamPlace(trx, slot.id, category))) throw new OfferLinkError('taken');
          const moved = await transitionOne(
            trx,
            'move',
            reg.id,
            {
              personId: reg.person_id,
              conflictId: offer.conflict_id,
              place: {
                slotId: slot.id,
                centerId: slot.center_id,
                groupId: slot.group_id,
                day: slot.day,
                startsAt: slot.starts_at,
              },
            },
            now,
          );
          if (!moved) throw new OfferLinkError('changed');
          if (!(await store.acceptOffer(trx, offer.id, now))) throw new OfferLinkError('used');
          const oldPlace = await leavePlace(trx, reg.slot_id, reg.id, category, now);
          await store.withdrawOffers(trx, offer.conflict_id, now);
          await store.settleConflict(trx, offer.conflict_id, {
            at: now,
            actorId: offer.created_by,
            resolution: `Перенесено на ${formatKyiv(slot.starts_at)} за пропозицією керівника`,
            outcome: 'moved',
          });
          const conflict = await store.findConflict(trx, offer.center_id, offer.conflict_id);
          if (conflict?.email)
            await enqueue(trx, now, {
              template: 'registration_moved',
              recipient: conflict.email,
              lang: conflict.lang ?? 'uk',
              payload: { registrationId: reg.id, from: new Date(reg.starts_at).toISOString() },
              dedupeKey: `registration_moved:${reg.id}:conflict:${offer.conflict_id}`,
            });
          await audit(trx, {
            at: now,
            actorKind: 'citizen',
            actorId: reg.person_id,
            action: 'capacity.conflict_offer_accepted',
            subjectKind: 'registration',
            subjectId: reg.id,
            centerId: offer.center_id,
            ip: ip || null,
            details: {
              conflictId: offer.conflict_id,
              offerId: offer.id,
              offeredBy: offer.created_by,
              fromSlotId: reg.slot_id,
              toSlotId: slot.id,
              oldPlace,
            },
          });
          return { startsAt: slot.starts_at };
        });
      } catch (error) {
        // Rule 1: the new day already holds another active registration of the person in the group.
        if (isSecondActiveRegistration(error)) throw new OfferLinkError('busy-day');
        throw error;
      }
      deps.afterCommit?.();
      return result;
    },

    /** The head cancels the conflicted registration; the person is told why and how to book again. */
    async cancelWithNotice(centerId: string, conflictId: number, reason: string, actor: Actor) {
      const result = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const { conflict, reg } = await lockedConflict(trx, centerId, conflictId);
        const cancelled = await transitionOne(trx, 'cancel', reg.id, { conflictId }, now);
        if (!cancelled) throw notOpen();
        const oldPlace =
          reg.slot_id === null ? null : await leavePlace(trx, reg.slot_id, reg.id, reg.exam_category, now);
        // The center cancelled, not the person: the registration stops counting in their limit.
        const who = { personId: reg.person_id, legalEntity: reg.legal_entity };
        await deps.booking.releaseQuota(trx, quotaFor(who, reg.channel, reg.day, policy), reg.channel);
        await store.withdrawOffers(trx, conflictId, now);
        await store.settleConflict(trx, conflictId, {
          at: now,
          actorId: actor.id,
          resolution: reason,
          outcome: 'cancelled',
        });
        if (conflict.email)
          await enqueue(trx, now, {
            template: 'conflict_cancelled',
            recipient: conflict.email,
            lang: conflict.lang ?? 'uk',
            payload: { registrationId: reg.id, conflictId },
            dedupeKey: `conflict_cancelled:${conflictId}`,
          });
        await audit(trx, {
          at: now,
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'capacity.conflict_cancelled',
          subjectKind: 'registration',
          subjectId: reg.id,
          centerId,
          ip: actor.ip || null,
          details: { conflictId, reason, oldPlace, notified: !!conflict.email },
        });
        return {
          id: conflictId,
          registrationId: reg.id,
          status: 'cancelled' as const,
          notified: !!conflict.email,
        };
      });
      deps.afterCommit?.();
      return result;
    },
  };

  /** The offer a genuine token names; anything malformed or forged is the same "invalid". */
  async function verified(trx: Executor, token: string) {
    const id = conflictOfferIdOf(token);
    const offer = id ? await store.findOffer(trx, id) : undefined;
    if (
      !offer ||
      !conflictOfferTokenMatches(deps.crypto, token, {
        id: offer.id,
        registrationId: offer.registration_id,
        slotId: offer.slot_id,
        expiresAt: offer.expires_at,
      })
    )
      throw new OfferLinkError('invalid');
    return offer;
  }
}

function refusalOf(state: ReturnType<typeof offerState>): LinkRefusal | null {
  if (state === 'accepted') return 'used';
  if (state === 'expired') return 'expired';
  if (state === 'withdrawn') return 'withdrawn';
  return null;
}

export type ConflictOffers = ReturnType<typeof createConflictOffers>;
