import { audit } from '../audit/audit-store.js';
import type { Policy } from '../config.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db, Tx } from '../platform/db.js';
import { addDays, kyivMonth } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import type { Actor } from './actor.js';
import { noShowBlockUntil } from './booking-rules.js';
import * as store from './booking-store.js';

/** Rule 4: the block after the month's fourth no-show, and its lifting in person. */
export function createNoShowBlocks(deps: { db: Db; clock: Clock; policy: Policy; crypto: PiiCrypto }) {
  const { db, clock, policy } = deps;
  return {
    /**
     * Rule 4, called in the operator's transaction after an online no-show: the threshold-th
     * no-show of the month blocks the person for 30 days from now.
     */
    async applyNoShowRule(trx: Tx, personId: string, centerId: string): Promise<Date | null> {
      const now = clock.now();
      const month = kyivMonth(now);
      const next = kyivMonth(addDays(month, 32));
      const count = await store.countNoShows(trx, personId, month, next);
      const until = noShowBlockUntil(count, now, policy);
      if (!until) return null;
      const updated = await store.blockPerson(trx, { personId, until, centerId, now });
      if (!updated) return null;
      if (updated.email) {
        await enqueue(trx, now, {
          template: 'person_blocked',
          recipient: updated.email,
          lang: updated.lang,
          payload: { personId, blockedUntil: until.toISOString(), centerId },
          dedupeKey: `person_blocked:${personId}:${now.toISOString()}`,
        });
      }
      await audit(trx, {
        at: now,
        actorKind: 'system',
        action: 'person.blocked',
        subjectKind: 'person',
        subjectId: personId,
        centerId,
        details: { noShows: count, blockedUntil: until.toISOString() },
      });
      return until;
    },

    /**
     * Rule 4: a block is lifted only in person, by the head of the center of the person's last
     * registration, with a written reason (audited). The head finds the person by the document.
     */
    async liftBlock(input: {
      idKind: 'rnokpp' | 'passport';
      idValue: string;
      reason: string;
      headCenterId: string | null;
      isNationalAdmin: boolean;
      actor: Actor;
    }) {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        const person = await store.findBlockForUpdate(trx, deps.crypto.hash(input.idKind, input.idValue));
        if (!person?.blocked_until || new Date(person.blocked_until) <= now) {
          throw new DomainError('NOT_FOUND', { detail: 'Активного блокування для цієї особи не знайдено.' });
        }
        const centerOfLast = (await store.centerOfLastRegistration(trx, person.id)) ?? person.block_center_id;
        if (!input.isNationalAdmin && centerOfLast !== input.headCenterId) {
          // Named, so the head can send the person to the one center that can help.
          const where = await store.lastRegistrationCenter(trx, person.id);
          throw new DomainError('FORBIDDEN', {
            detail: where
              ? `Зняти блокування може лише керівник центру «${where.name}» (${where.address}), де була остання реєстрація особи.`
              : 'Зняти блокування може лише керівник центру, де була остання реєстрація особи.',
            extensions: {
              liftCenter: where ? { id: where.id, name: where.name, address: where.address } : null,
            },
          });
        }
        await store.liftPersonBlock(trx, person.id, now);
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.actor.id,
          action: 'person.block_lifted',
          subjectKind: 'person',
          subjectId: person.id,
          centerId: centerOfLast,
          ip: input.actor.ip,
          details: { reason: input.reason, blockedUntil: new Date(person.blocked_until).toISOString() },
        });
        return { personId: person.id, lifted: true };
      });
    },
  };
}
