import { audit } from '../audit/audit-store.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { registrationIdentity } from './pii-store.js';

/**
 * The full identifier of a registration's person, for the operator comparing it with the shown
 * document (SPEC §5, rule 2): only for the ticket currently called to the asker's own desk (the
 * session's desk, or, without one, the ticket they called), and every view is audited
 * (`pii.viewed`). Another center's registration is NOT_FOUND, like an unknown one; a booked,
 * future or another desk's ticket is FORBIDDEN, so no one can look up the РНОКПП of everyone
 * registered.
 */
export function createPiiService({ db, clock, crypto }: { db: Db; clock: Clock; crypto: PiiCrypto }) {
  return {
    reveal(registrationId: string, staffCenterId: string | null, actor: Actor, deskId: string | null = null) {
      return db.transaction().execute(async (trx) => {
        const row = await registrationIdentity(trx, registrationId);
        if (!row || !staffCenterId || row.center_id !== staffCenterId) throw new DomainError('NOT_FOUND');
        const atMyDesk = deskId
          ? row.desk_id === deskId
          : row.called_by !== null && row.called_by === actor.id;
        if (row.status !== 'called' || !atMyDesk) throw new DomainError('FORBIDDEN');
        await audit(trx, {
          at: clock.now(),
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'pii.viewed',
          subjectKind: 'registration',
          subjectId: row.id,
          centerId: row.center_id,
          ip: actor.ip,
          details: { personId: row.personId, field: row.id_kind },
        });
        return {
          registrationId: row.id,
          idKind: row.id_kind,
          value: crypto.decrypt(row.id_enc),
          // The priority document too (rule 5): its number is masked everywhere else.
          priorityDocument: row.priority_doc_enc
            ? { type: row.priority_doc_type, number: crypto.decrypt(row.priority_doc_enc) }
            : null,
        };
      });
    },
  };
}

export type PiiService = ReturnType<typeof createPiiService>;
