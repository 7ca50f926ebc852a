import { randomUUID } from 'node:crypto';
import { audit } from '../audit/audit-store.js';
import type { Actor } from '../booking/actor.js';
import { assertExamRetryAllowed } from '../booking/booking-rules.js';
import { lastFailedExamDay } from '../booking/booking-store.js';
import { checkExamCategory } from '../booking/exam-category.js';
import {
  isCleanName,
  isValidEdrpou,
  isValidEmail,
  isValidRnokpp,
  normalizePhone,
  parsePassport,
} from '../identity/identifiers.js';
import {
  blockedUntilOf,
  findPerson,
  saveRegistrationContact,
  upsertLegalEntity,
  upsertPerson,
} from '../identity/person-store.js';
import { enqueue } from '../notify/outbox-store.js';
import type { PriorityCategory } from '../platform/db-schema.js';
import { channels } from '../platform/events.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import { claimExamPlace, claimPlace, claimQuota } from '../registration/claim-store.js';
import { quotaFor } from '../registration/quota-rules.js';
import { insertRegistration } from '../registration/registration-store.js';
import { loadQueue, serviceMsOf } from './board-store.js';
import type { HallDeps } from './hall-deps.js';
import * as store from './hall-store.js';
import { assertPriorityAllowed, estimateCallTime, peopleAhead, terminalCallTime } from './queue-rules.js';
import { legalEntityName, terminalSlotsAt, terminalTimes } from './terminal-store.js';

export interface TerminalInput {
  centerId: string;
  serviceId: string;
  /** One of today's free terminal times (`times`); absent = the nearest. */
  callTime?: Date | null;
  person: {
    lastName: string;
    firstName: string;
    middleName?: string | null;
    rnokpp?: string | null;
    passport?: string | null;
    phone?: string | null;
    email: string;
  };
  legalEntity?: { edrpou: string; name: string } | null;
  /** Practical exams: the vehicle category (SPEC §2 Exams), checked as online. */
  examCategory?: string | null;
  priority?: { category: PriorityCategory; document: { type: string; number: string } } | null;
  actor: Actor;
}

const invalid = (field: string, message: string) =>
  new DomainError('VALIDATION', { extensions: { errors: [{ field, message }] } });

/** The identifier as shown on the document: a checked РНОКПП, else a passport number. */
function identifierOf(p: TerminalInput['person']): { idKind: 'rnokpp' | 'passport'; idValue: string } {
  if (p.rnokpp) {
    const value = p.rnokpp.replace(/\s/g, '');
    if (!isValidRnokpp(value)) throw invalid('body.person.rnokpp', 'Невірний РНОКПП (контрольна цифра)');
    return { idKind: 'rnokpp', idValue: value };
  }
  if (p.passport) {
    const parsed = parsePassport(p.passport);
    if (!parsed) throw invalid('body.person.passport', 'Паспорт: 9 цифр (ID-картка) або 2 літери й 6 цифр');
    return { idKind: 'passport', idValue: parsed.value };
  }
  throw invalid('body.person.rnokpp', 'Потрібен РНОКПП або серія й номер паспорта');
}

/**
 * Terminal registration (SPEC §2 terminal channel, rules 1, 4, 5): same day only, from the
 * terminal pool. Priority tickets take no terminal place: they are served ahead of the queue
 * anyway (rule 6), so holding a timed place for them would only hide it from other visitors;
 * their call time is the moment of registration.
 */
export function createTerminalService(deps: HallDeps) {
  const { db, clock, policy } = deps;

  return {
    /**
     * Today's free terminal times of a service (SPEC §4): `callTime` is a slot's start (a time
     * already begun is called at once), `free` the places left there. With a practical exam's
     * vehicle category (rule 8, checked as the registration checks it), only what the category
     * has left in the terminal pool today.
     */
    async times(centerId: string, serviceId: string, category: string | null = null) {
      const now = clock.now();
      const day = kyivDay(now);
      const facts = await store.serviceAtCenter(db, centerId, serviceId);
      if (!facts) throw new DomainError('NOT_FOUND', { detail: 'Центр або послугу не знайдено.' });
      if (category) {
        try {
          await checkExamCategory(db, facts.id, centerId, category);
        } catch (error) {
          if (!(error instanceof DomainError) || error.code !== 'VALIDATION') throw error;
          throw invalid('query.category', error.detailUk);
        }
      }
      const times = await terminalTimes(db, centerId, facts.group_id, day, now, category);
      return times.map((t) => ({ callTime: t.startsAt.toISOString(), free: t.free }));
    },

    async register(input: TerminalInput) {
      const { idKind, idValue } = identifierOf(input.person);
      const email = input.person.email.trim();
      if (!isValidEmail(email)) throw invalid('body.person.email', 'Невірна адреса електронної пошти');
      const phone = input.person.phone ? normalizePhone(input.person.phone) : null;
      if (input.person.phone && !phone) throw invalid('body.person.phone', 'Телефон у форматі +380XXXXXXXXX');
      const entity = input.legalEntity ?? null;
      if (entity && !isValidEdrpou(entity.edrpou))
        throw invalid('body.legalEntity.edrpou', 'Невірний код ЄДРПОУ');
      for (const [field, value] of [
        ['body.person.lastName', input.person.lastName],
        ['body.person.firstName', input.person.firstName],
        ['body.person.middleName', input.person.middleName ?? ''],
        ['body.legalEntity.name', entity?.name ?? ''],
      ] as const) {
        if (!isCleanName(value))
          throw invalid(field, 'Недопустимі символи (перенесення рядка чи керування напрямком тексту)');
      }

      const result = await db.transaction().execute(async (trx) => {
        const now = clock.now();
        const day = kyivDay(now);
        const facts = await store.serviceAtCenter(trx, input.centerId, input.serviceId);
        if (!facts) throw new DomainError('NOT_FOUND', { detail: 'Центр або послугу не знайдено.' });
        // SPEC §2 Exams: a practical exam names a category the service has and this center
        // examines, exactly as online; any other service takes none.
        const examCategory = await checkExamCategory(
          trx,
          facts.id,
          input.centerId,
          input.examCategory ?? null,
        );
        const priority = input.priority ?? null;
        if (priority) assertPriorityAllowed(priority.category, await store.isMartialLaw(trx));

        const personId = await upsertPerson(trx, deps.crypto, now, {
          idKind,
          idValue,
          lastName: input.person.lastName.trim(),
          firstName: input.person.firstName.trim(),
          middleName: input.person.middleName?.trim() || null,
          email,
          phone,
          source: 'terminal',
        });
        const person = await findPerson(trx, personId);
        // Anyone can type anyone's number here: say "blocked" (across all of the person's
        // identifiers), never until when; the person sees the date online.
        const blockedUntil = await blockedUntilOf(trx, personId);
        if (blockedUntil && blockedUntil > now) throw new DomainError('BLOCKED');
        // Rule 9: after a failed exam the same exam again no earlier than 10 days later, as online;
        // the kiosk says "too early", never the date (which would tell when the person failed).
        const failedDay = await lastFailedExamDay(trx, personId, facts.id);
        try {
          assertExamRetryAllowed(failedDay, day, policy);
        } catch {
          throw new DomainError('EXAM_RETRY_TOO_SOON');
        }
        // A kiosk never renames a known entity (anyone can type any ЄДРПОУ): the ticket names
        // the entity as registered, which is whom the registration counts against.
        if (entity) await upsertLegalEntity(trx, now, entity.edrpou, entity.name);
        const entityName = entity ? await legalEntityName(trx, entity.edrpou) : null;

        // Rule 1: the legal entity's terminal limit per day, or the person's per month.
        const quota = quotaFor({ personId, legalEntity: entity?.edrpou ?? null }, 'terminal', day, policy);
        if (!(await claimQuota(trx, quota, 'terminal'))) throw new DomainError('LIMIT_REACHED');

        const id = randomUUID();
        let slotId: number | null = null;
        let startsAt = now;
        if (priority) {
          const first = await store.claimPriority(trx, {
            personId,
            serviceId: facts.id,
            day,
            registrationId: id,
          });
          if (!first) {
            throw new DomainError('LIMIT_REACHED', {
              detail:
                'Пріоритетом можна скористатися не частіше ніж один раз на робочий день для кожної послуги.',
              extensions: { rule: 'priority_once_per_day' },
            });
          }
        } else {
          // A chosen time claims a place of that time only; none left there is SLOT_TAKEN, never
          // a silent move to another time the visitor did not choose.
          const candidates = input.callTime
            ? await terminalSlotsAt(trx, {
                centerId: input.centerId,
                groupId: facts.group_id,
                day,
                startsAt: input.callTime,
                now,
              })
            : await store.openTerminalSlots(trx, input.centerId, facts.group_id, day, now);
          for (const slot of candidates) {
            if (await claimPlace(trx, slot.id)) {
              slotId = slot.id;
              startsAt = new Date(slot.starts_at);
              break;
            }
          }
          if (slotId === null) {
            throw new DomainError('SLOT_TAKEN', {
              detail: input.callTime
                ? 'На обраний час вільних місць уже немає. Оберіть інший час.'
                : 'На сьогодні вільних місць для запису через термінал немає.',
            });
          }
          // Rule 8: a practical exam also takes a place of its vehicle category (terminal pool).
          if (!(await claimExamPlace(trx, slotId, examCategory))) {
            throw new DomainError('SLOT_TAKEN', {
              detail: `На сьогодні місць для іспиту категорії ${examCategory} уже немає.`,
            });
          }
        }
        const callAt = terminalCallTime(startsAt, now);
        const { number } = await insertRegistration(trx, {
          id,
          centerId: input.centerId,
          serviceId: facts.id,
          groupId: facts.group_id,
          slotId,
          personId,
          legalEntity: entity?.edrpou ?? null,
          examCategory,
          channel: 'terminal',
          status: 'booked',
          day,
          startsAt,
          callAt,
          priority: priority
            ? {
                category: priority.category,
                docType: priority.document.type,
                docEnc: deps.crypto.encrypt(priority.document.number.trim()),
                docHash: deps.crypto.hash(
                  `priority:${priority.document.type}`,
                  priority.document.number.trim(),
                ),
              }
            : null,
          numbered: true,
          now,
        });
        await saveRegistrationContact(trx, id, { email, phone });
        const queue = await loadQueue(trx, input.centerId, day, [facts.group_id]);
        const me = queue.find((t) => t.id === id);
        const ahead = me ? peopleAhead(queue, me) : 0;
        const desks = await store.desksServing(trx, input.centerId, facts.group_id);
        const serviceMs = await serviceMsOf(trx, input.centerId, day, deps.defaultServiceMs);
        const estimated = estimateCallTime(ahead, desks.length, serviceMs, callAt, now);
        const body = {
          id,
          number,
          callTime: callAt.toISOString(),
          priority: priority?.category ?? null,
          center: { id: input.centerId, name: facts.center_name },
          service: { id: facts.id, name: facts.name },
          legalEntity: entity ? { edrpou: entity.edrpou, name: entityName ?? entity.name } : null,
          examCategory,
          desks: desks.map((d) => d.number),
          peopleAhead: ahead,
          estimatedCallTime: estimated.toISOString(),
          emailSentTo: email,
        };
        await enqueue(trx, now, {
          template: 'terminal_ticket',
          recipient: email,
          lang: person?.lang ?? 'uk',
          payload: { registrationId: id, number, callTime: body.callTime, centerId: input.centerId },
          dedupeKey: `terminal_ticket:${id}`,
        });
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'registration.booked',
          subjectKind: 'registration',
          subjectId: id,
          centerId: input.centerId,
          ip: input.actor.ip,
          details: {
            channel: 'terminal',
            number,
            serviceId: facts.id,
            priority: priority?.category ?? null,
            slotId,
            legalEntity: entity?.edrpou ?? null,
            examCategory,
          },
        });
        if (slotId !== null)
          await deps.events.publish(trx, channels.center(input.centerId), { type: 'capacity' });
        return body;
      });
      return result;
    },
  };
}
