import { audit } from '../audit/audit-store.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db, Executor } from '../platform/db.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { assertRateable, normalizeComment } from './feedback-rules.js';
import * as store from './feedback-store.js';

/**
 * Rule 11, for the hall: call in the transaction that records the outcome `served`. Enqueues
 * the thank-you email with the single-use rating link (the worker derives the token at send
 * time, so the outbox never holds it). A person without an email gets nothing.
 */
export async function notifyServed(trx: Executor, registrationId: string, now: Date): Promise<void> {
  const person = await store.contactOf(trx, registrationId);
  if (!person?.email) return;
  await enqueue(trx, now, {
    template: 'visit_served',
    recipient: person.email,
    lang: person.lang,
    payload: { registrationId },
    dedupeKey: `visit_served:${registrationId}`,
  });
}

/** The rating link's token of a served visit, issued once (null after the visit is rated). */
export function feedbackLinks(crypto: PiiCrypto, ttlDays: number) {
  return (db: Executor, registrationId: string, now: Date) =>
    store.ensureFeedbackToken(db, crypto, registrationId, now, ttlDays);
}

export interface FeedbackDeps {
  db: Db;
  clock: Clock;
}

export interface Rating {
  rating: number;
  comment?: string | null;
}

const invalidLink = () =>
  new DomainError('NOT_FOUND', { detail: 'Посилання для оцінки недійсне, застаріле або вже використане.' });
const alreadyRated = () => new DomainError('CONFLICT', { detail: 'Цей візит уже оцінено. Дякуємо!' });

export function createFeedbackService({ db, clock }: FeedbackDeps) {
  async function give(
    trx: Executor,
    reg: { id: string; center_id: string; desk_id: string | null },
    input: Rating,
    now: Date,
    actor: { kind: string; id: string | null; ip?: string },
  ) {
    const comment = normalizeComment(input.comment);
    const inserted = await store.insertFeedback(trx, {
      registrationId: reg.id,
      centerId: reg.center_id,
      deskId: reg.desk_id,
      rating: input.rating,
      comment,
      now,
    });
    if (!inserted) throw alreadyRated();
    await audit(trx, {
      at: now,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'feedback.given',
      subjectKind: 'registration',
      subjectId: reg.id,
      centerId: reg.center_id,
      ip: actor.ip,
      details: { rating: input.rating },
    });
    return { registrationId: reg.id, rating: input.rating, comment };
  }

  return {
    /** What the link is about: service, center, date. No personal data: the token is a bearer. */
    async about(token: string) {
      const now = clock.now();
      const t = await store.findToken(db, token);
      if (!t || new Date(t.expires_at) <= now) throw invalidLink();
      return {
        serviceName: t.service_name,
        centerName: t.center_name,
        date: t.day,
        rated: Boolean(t.used_at || t.feedback_id),
      };
    },

    async rateByToken(token: string, input: Rating, ip?: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const registrationId = await store.consumeToken(trx, token, now);
        if (!registrationId) {
          const t = await store.findToken(trx, token);
          if (t && (t.used_at || t.feedback_id) && new Date(t.expires_at) > now) throw alreadyRated();
          throw invalidLink();
        }
        const reg = await store.findServedRegistration(trx, registrationId);
        if (!reg) throw invalidLink();
        assertRateable(reg.status);
        return give(trx, reg, input, now, { kind: 'feedback-link', id: null, ip });
      });
    },

    /** A signed-in citizen rates their own served visit, once. */
    async rateOwn(personId: string, registrationId: string, input: Rating, ip?: string) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const reg = await store.findServedRegistration(trx, registrationId);
        // Someone else's registration is "not found": its existence is not disclosed.
        if (!reg || reg.person_id !== personId) throw new DomainError('NOT_FOUND');
        assertRateable(reg.status);
        const result = await give(trx, reg, input, now, { kind: 'citizen', id: personId, ip });
        await store.useTokenOf(trx, registrationId, now);
        return result;
      });
    },

    /** Average and count per center and per desk. */
    async summary(centerId: string) {
      if (!(await store.centerExists(db, centerId)))
        throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
      const s = await store.summary(db, centerId);
      return {
        centerId,
        asOf: kyivDay(clock.now()),
        count: Number(s.center.count),
        average: s.center.average === null ? null : Number(s.center.average),
        desks: s.desks.map((d) => ({
          deskId: d.desk_id,
          number: d.number,
          count: Number(d.count),
          average: d.average === null ? null : Number(d.average),
        })),
      };
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
