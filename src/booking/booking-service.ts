import { createHash, randomUUID } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import type { Policy } from '../config.js';
import { isValidEdrpou } from '../identity/identifiers.js';
import { findPerson, upsertLegalEntity } from '../identity/person-store.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Clock } from '../platform/clock.js';
import { maskSealed, type PiiCrypto } from '../platform/crypto.js';
import type { Db, Tx } from '../platform/db.js';
import { type Day, kyivMonth } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { releaseExamPlace } from '../registration/claim-store.js';
import { quotaFor } from '../registration/quota-rules.js';
import { allows } from '../registration/registration-states.js';
import { transitionOne } from '../registration/registration-store.js';
import type { Actor } from './actor.js';
import { createAvailability } from './availability-service.js';
import {
  assertCancellable,
  assertExamRetryAllowed,
  assertInHorizon,
  assertNotBlocked,
  cancelDeadline,
  onlineHorizon,
  resaleDelayMs,
} from './booking-rules.js';
import * as store from './booking-store.js';
import { decideExamCategory } from './exam-category.js';
import { createNoShowBlocks } from './no-show-blocks.js';
import * as online from './online-booking-store.js';
import { createReschedule } from './reschedule-service.js';

export type { Actor } from './actor.js';

/**
 * A release-day lottery (fairness): when it claims a request, the booking is decided later. A
 * released day is decided by its draw until that draw has committed (SPEC 3.9).
 */
export interface LotteryGate {
  /** Whether a request for `day` is an entry, from the day's stored draw state (null: none). */
  undecided(
    day: Day,
    now: Date,
    draw: { decidesAt: Date; drawnAt: Date | null } | null,
  ): { decidesAt: Date } | null;
  /** Holds the day's draw open for this transaction; null when it has committed (first-come). */
  openDraw(trx: Tx, day: Day, now: Date): Promise<{ decidesAt: Date } | null>;
  /**
   * Makes the request an entry of the day's draw, in one statement (SPEC 3.9). Throws
   * LOTTERY_ALREADY_ENTERED or LIMIT_REACHED; answers 'drawn' when the draw has committed since
   * the read (the request is then first-come) and 'replay' when its idempotency key was used.
   */
  enter(entry: {
    id: string;
    personId: string;
    slot: { id: number; center_id: string; group_id: string; starts_at: Date | string };
    serviceId: string;
    legalEntity: string | null;
    examCategory: string | null;
    day: Day;
    now: Date;
    /** The day's draw as read with the request's facts (null: no row yet). */
    draw: { decidesAt: Date; drawnAt: Date | null } | null;
    actor: { kind: string; id: string | null; ip: string | null };
    idempotency: { scope: string; key: string; requestHash: string; body: unknown } | null;
  }): Promise<'entered' | 'drawn' | 'replay'>;
}

/**
 * Where a freed place goes first (SPEC 3.3, 3.12): offered to one waiter drawn at random. The
 * place stays counted in its slot meanwhile; `offer` answers false when nobody waits for it.
 */
export interface FreedPlaces {
  offer(trx: Tx, place: { slotId: number; freedBy: string; now: Date }): Promise<boolean>;
}

export interface BookingDeps {
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  policy: Policy;
  lottery?: LotteryGate;
  freedPlaces?: FreedPlaces;
  random?: () => number;
  /** Called after a booking or cancellation commits, e.g. to wake the outbox workers. */
  afterCommit?: () => void;
  /**
   * How long (ms) this process may answer a slot query from memory. Its own bookings and
   * cancellations evict the day at once (a booking is visible in the next read); changes made
   * by other instances show within this time. 0 reads every query.
   */
  availabilityCacheMs?: number;
}

export interface BookInput {
  personId: string;
  /** Rule 5: the request names a priority category (online: refused, terminal only). */
  priority?: boolean;
  slotId: number;
  serviceId: string;
  legalEntity?: { edrpou: string; name?: string } | null;
  /** Practical exams: the vehicle category (SPEC §2 Exams), one the center examines. */
  examCategory?: string | null;
  /** The legal entity the identified signer represents (from e-identification), if any. */
  representedEntity: string | null;
  /** Demo sessions may act for any legal entity (there is no signature certificate to read). */
  anyEntity?: boolean;
  idempotencyKey?: string;
  actor: Actor;
  /**
   * The fairness layer's verdict on the request (its proof-of-work), still in flight: `book`
   * reads the request's facts alongside and awaits it before it decides, writes or answers.
   */
  admitted?: Promise<void>;
}

export type BookResult =
  | { status: 201; body: BookedBody }
  | { status: 202; body: { id: string; status: 'pending'; decidesAt: string } };

export interface BookedBody {
  id: string;
  number: number | null;
  centerId: string;
  serviceId: string;
  startsAt: string;
  endsAt: string;
  status: 'booked';
  cancelUntil: string;
}

export function createBookingService(deps: BookingDeps) {
  const { db, clock, policy } = deps;
  const random = deps.random ?? Math.random;
  const slots = createAvailability({ db, clock, policy, cacheMs: deps.availabilityCacheMs ?? 0 });

  /** The represented entity's daily limits and what each day of the horizon has used online. */
  async function entityLimits(edrpou: string, now: Date) {
    const { first, last } = onlineHorizon(now, policy);
    const [entity, used] = await Promise.all([
      store.legalEntityName(db, edrpou),
      store.quotaUsedByPeriod(db, `entity:${edrpou}`, 'online', first, last),
    ]);
    return {
      edrpou,
      name: entity ?? edrpou,
      online: { perDay: policy.entityOnlinePerDay },
      terminal: { perDay: policy.entityTerminalPerDay },
      usedOnline: used.map((u) => ({ day: String(u.period), used: u.used })),
    };
  }

  return {
    ...createNoShowBlocks(deps),
    ...createReschedule({ ...deps, evictDay: slots.evictDay }),
    availability: slots.forDay,
    availabilityByDay: slots.perDay,

    /** Online booking (SPEC §3 rules 1–4, 9): one transaction, every rule, atomic claims. */
    async book(input: BookInput): Promise<BookResult> {
      const idempotency = input.idempotencyKey
        ? { scope: `booking:${input.personId}`, key: input.idempotencyKey }
        : null;
      // The facts read starts now, alongside the proof's claim; nothing is decided before the
      // proof has passed, so a refused request answers its refusal and writes nothing.
      const factsRead = online.loadBookingFacts(db, { ...input, idempotency });
      factsRead.catch(() => {});
      await input.admitted;
      if (input.priority) throw new DomainError('PRIORITY_TERMINAL_ONLY');
      const now = clock.now();
      const requestHash = createHash('sha256')
        .update(
          JSON.stringify([
            input.slotId,
            input.serviceId,
            input.legalEntity?.edrpou ?? null,
            input.examCategory ?? null,
          ]),
        )
        .digest('base64url');
      const replayed = (replay: NonNullable<online.BookingFacts['replay']>): BookResult => {
        if (replay.requestHash !== requestHash) throw new DomainError('IDEMPOTENCY_MISMATCH');
        if (!replay.statusCode)
          throw new DomainError('CONFLICT', { detail: 'Запит з цим ключем ще обробляється.' });
        return { status: replay.statusCode, body: replay.response } as BookResult;
      };

      const facts = await factsRead;
      if (facts.replay) return replayed(facts.replay);
      const { slot, service, person } = facts;
      if (!person) throw new DomainError('UNAUTHENTICATED');
      if (!service) throw new DomainError('NOT_FOUND', { detail: 'Послугу не знайдено.' });
      if (slot?.pool !== 'online') throw new DomainError('NOT_FOUND', { detail: 'Час прийому не знайдено.' });
      if (slot.group_id !== service.groupId) {
        throw new DomainError('VALIDATION', { detail: 'Обраний час не належить до цієї послуги.' });
      }
      const day = slot.day;
      assertInHorizon(day, now, policy);
      assertNotBlocked(person.blockedUntil, now);
      // Until the released day's draw has committed, a request is an entry, never first-come.
      const lotteryWindow = deps.lottery?.undecided(day, now, facts.draw) ?? null;
      // Already full when read: answer at once (the write below re-checks atomically anyway).
      // At the release moment most attempts end here, sparing the database a doomed write.
      if (slot.booked >= slot.capacity && !lotteryWindow) throw new DomainError('SLOT_TAKEN');
      if (service.isExam) {
        assertExamRetryAllowed(await store.lastFailedExamDay(db, person.id, service.id), day, policy);
      }
      const examCategory = await decideExamCategory(
        service.examCategories,
        input.examCategory ?? null,
        facts.centerExamines,
      );

      const entity = input.legalEntity ?? null;
      if (entity) {
        if (!isValidEdrpou(entity.edrpou)) {
          throw new DomainError('VALIDATION', {
            extensions: { errors: [{ field: 'body.legalEntity.edrpou', message: 'Невірний код ЄДРПОУ' }] },
          });
        }
        if (!input.anyEntity && input.representedEntity !== entity.edrpou) {
          throw new DomainError('FORBIDDEN', {
            detail: 'Ви не є уповноваженим представником цієї юридичної особи.',
          });
        }
        // Idempotent, so it may stand outside the booking's statement.
        await upsertLegalEntity(db, now, entity.edrpou, entity.name ?? entity.edrpou);
      }

      if (lotteryWindow && deps.lottery) {
        const id = randomUUID();
        const body = { id, status: 'pending' as const, decidesAt: lotteryWindow.decidesAt.toISOString() };
        const entered = await deps.lottery.enter({
          id,
          personId: person.id,
          slot,
          serviceId: service.id,
          legalEntity: entity?.edrpou ?? null,
          examCategory,
          day,
          now,
          draw: facts.draw,
          actor: { kind: input.actor.kind, id: input.actor.id, ip: input.actor.ip },
          idempotency: idempotency ? { ...idempotency, requestHash, body } : null,
        });
        if (entered === 'entered') return { status: 202, body };
        if (entered === 'replay') {
          // The same key won a race a moment ago: answer what it answered.
          const again = await online.loadBookingFacts(db, { ...input, idempotency });
          if (again.replay) return replayed(again.replay);
          throw new DomainError('CONFLICT', { detail: 'Запит з цим ключем ще обробляється.' });
        }
        // The draw has committed since the read: this request is first-come.
      }

      const id = randomUUID();
      const startsAt = new Date(slot.starts_at);
      const body: BookedBody = {
        id,
        number: null,
        centerId: slot.center_id,
        serviceId: service.id,
        startsAt: startsAt.toISOString(),
        endsAt: new Date(slot.ends_at).toISOString(),
        status: 'booked',
        cancelUntil: cancelDeadline(startsAt, policy).toISOString(),
      };
      const quota = quotaFor(
        { personId: person.id, legalEntity: entity?.edrpou ?? null },
        'online',
        day,
        policy,
      );
      const written = await online.writeOnlineBooking(db, {
        id,
        quota,
        slot,
        serviceId: service.id,
        personId: person.id,
        legalEntity: entity?.edrpou ?? null,
        examCategory,
        email: person.email,
        lang: person.lang,
        audit: {
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          ip: input.actor.ip,
          details: {
            channel: 'online',
            slotId: slot.id,
            serviceId: service.id,
            legalEntity: entity?.edrpou ?? null,
            examCategory,
          },
        },
        idempotency: idempotency ? { ...idempotency, requestHash, body } : null,
        now,
      });
      if (!written.ok) {
        if (written.reason !== 'IDEMPOTENT_REPLAY') throw new DomainError(written.reason);
        // The same key won a race a moment ago: answer what it answered.
        const again = await online.loadBookingFacts(db, { ...input, idempotency });
        if (again.replay) return replayed(again.replay);
        throw new DomainError('CONFLICT', { detail: 'Запит з цим ключем ще обробляється.' });
      }
      body.number = written.number;
      slots.evictDay(slot.center_id, day);
      deps.afterCommit?.();
      return { status: 201, body };
    },

    /** Rule 3: the owner cancels until 2 h before; the place returns after a random delay. */
    async cancel(input: { personId: string; registrationId: string; actor: Actor }) {
      const result = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const reg = await store.findRegistration(trx, input.registrationId);
        // Someone else's registration is "not found": its existence is not disclosed.
        if (!reg || reg.person_id !== input.personId) throw new DomainError('NOT_FOUND');
        if (reg.status === 'cancelled') return { id: reg.id, status: 'cancelled' as const };
        // A lottery entry holds no place yet, so its owner may withdraw it until the draw; a
        // booked place is cancelled until the deadline (rule 3).
        const event = reg.status === 'pending' ? 'withdraw' : 'cancel';
        if (reg.channel !== 'online' || !allows(event, reg.status)) {
          throw new DomainError('INVALID_STATE', { detail: 'Цей запис уже не можна скасувати.' });
        }
        if (event === 'cancel') assertCancellable(new Date(reg.starts_at), now, policy);
        // A withdrawal holds the day's draw open, as an entry does: it lands wholly before the
        // draw reads the entries or waits for it (the draw does not lock 200,000 entries one by
        // one), and then finds the entry decided (the guard of 'withdraw' refuses it).
        if (event === 'withdraw') await deps.lottery?.openDraw(trx, reg.day as Day, now);
        const moved =
          event === 'withdraw'
            ? await transitionOne(trx, 'withdraw', reg.id, { personId: input.personId }, now)
            : await transitionOne(
                trx,
                'cancel',
                reg.id,
                { personId: input.personId, cancelBeforeMinutes: policy.cancelBeforeMinutes },
                now,
              );
        if (!moved) throw new DomainError('INVALID_STATE');
        // Rule 3: the freed place goes to a waiter drawn at random; only when nobody waits does
        // it return to the pool, at a random later moment (never to whoever polls first).
        const slotId = reg.slot_id;
        if (slotId && reg.status === 'booked') {
          const offered = await deps.freedPlaces?.offer(trx, { slotId, freedBy: reg.id, now });
          // Rule 8: the exam category place goes with the freed place (to the pool only with it).
          if (offered) await releaseExamPlace(trx, slotId, reg.exam_category);
          else {
            await store.scheduleSlotReturn(
              trx,
              slotId,
              reg.id,
              new Date(now.getTime() + resaleDelayMs(random(), policy)),
              reg.exam_category,
            );
          }
        }
        const person = await findPerson(trx, input.personId);
        if (person?.email) {
          await enqueue(trx, now, {
            template: 'registration_cancelled',
            recipient: person.email,
            lang: person.lang,
            payload: { registrationId: reg.id },
            dedupeKey: `registration_cancelled:${reg.id}`,
          });
        }
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'registration.cancelled',
          subjectKind: 'registration',
          subjectId: reg.id,
          centerId: reg.center_id,
          ip: input.actor.ip,
        });
        return { id: reg.id, status: 'cancelled' as const };
      });
      deps.afterCommit?.();
      return result;
    },

    /** The citizen's profile: masked identifier, limits of the current month, block. */
    async me(personId: string, representedEntity: string | null = null) {
      const now = clock.now();
      const person = await findPerson(db, personId);
      if (!person) throw new DomainError('UNAUTHENTICATED');
      const month = kyivMonth(now);
      const subject = `person:${personId}`;
      const [online, terminal] = await Promise.all([
        store.quotaUsed(db, subject, 'online', month),
        store.quotaUsed(db, subject, 'terminal', month),
      ]);
      const blockedUntil =
        person.blocked_until && new Date(person.blocked_until) > now ? new Date(person.blocked_until) : null;
      // A blocked person is told where the block can be lifted early (rule 4).
      const liftCenter = blockedUntil ? await store.lastRegistrationCenter(db, personId) : undefined;
      return {
        id: person.id,
        lastName: person.last_name,
        firstName: person.first_name,
        middleName: person.middle_name,
        email: person.email,
        phone: person.phone,
        idKind: person.id_kind,
        [person.id_kind]: maskSealed(deps.crypto, person.id_enc),
        limits: {
          month,
          online: { used: online, limit: policy.personOnlinePerMonth },
          terminal: { used: terminal, limit: policy.personTerminalPerMonth },
        },
        blockedUntil: blockedUntil?.toISOString() ?? null,
        blockLiftCenter: liftCenter
          ? { id: liftCenter.id, name: liftCenter.name, address: liftCenter.address }
          : null,
        // SPEC §2: a signer whose e-identification carries an ЄДРПОУ may book for the entity,
        // under the entity's daily limits (never silently the person's).
        entityLimits: representedEntity ? await entityLimits(representedEntity, now) : null,
      };
    },

    async myBookings(personId: string) {
      const rows = await store.listPersonRegistrations(db, personId);
      return rows.map((r) => {
        const startsAt = new Date(r.starts_at);
        return {
          id: r.id,
          number: r.number,
          centerId: r.center_id,
          centerName: r.center_name,
          centerAddress: r.center_address,
          serviceId: r.service_id,
          serviceName: r.service_name,
          channel: r.channel,
          status: r.status,
          startsAt: startsAt.toISOString(),
          callAt: new Date(r.call_at).toISOString(),
          priority: r.priority_category,
          cancelUntil: r.channel === 'online' ? cancelDeadline(startsAt, policy).toISOString() : null,
          /** Rule 9: a lottery entry is decided when its day's draw runs. */
          decidesAt:
            r.status === 'pending' && r.draw_decides_at ? new Date(r.draw_decides_at).toISOString() : null,
          legalEntity: r.legal_entity,
          legalEntityName: r.legal_entity_name,
          examCategory: r.exam_category,
          /** Rule 3: how often the owner moved it, and how often they still may. */
          moves: r.move_count,
          movesLeft: r.channel === 'online' ? Math.max(0, policy.maxMoves - r.move_count) : 0,
        };
      });
    },

    /** Job: cancelled places whose anti-resale delay has ended go back to the pool. */
    async returnDuePlaces(): Promise<number> {
      const returned = await store.applyDueSlotReturns(db, clock.now());
      if (returned > 0) slots.evictAll();
      return returned;
    },
  };
}

export type BookingService = ReturnType<typeof createBookingService>;
