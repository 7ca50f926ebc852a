import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import { maskIdentifier, type PiiCrypto } from '../platform/crypto.js';
import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { audit } from './audit-store.js';
import { maskName, mayLift } from './block-preview-rules.js';
import * as store from './block-preview-store.js';

/**
 * Rule 4: before a head lifts a no-show block, the console shows whom it would lift: the masked
 * name and identifier, since when and until when, why, and the center that set it. The preview
 * is a view of personal data, audited with the staff member's name like an operator's reveal.
 * A head of another center is refused, told which center can lift it, and sees no personal data.
 */
export function createBlockPreview(deps: {
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  /**
   * The identifier as the lift reads it (a passport's Latin look-alikes in Cyrillic), or null
   * when malformed; given by the composition root, so audit/ does not depend on identity/.
   */
  normalizeId: (kind: 'rnokpp' | 'passport', raw: string) => string | null;
}) {
  const { db, clock, crypto } = deps;
  return {
    async preview(input: {
      idKind: 'rnokpp' | 'passport';
      idValue: string;
      headCenterId: string | null;
      isNationalAdmin: boolean;
      actor: Actor;
    }) {
      const now = clock.now();
      const idValue = deps.normalizeId(input.idKind, input.idValue);
      if (!idValue)
        throw new DomainError('VALIDATION', {
          extensions: { errors: [{ field: 'body.idValue', message: 'Невірний номер документа' }] },
        });
      const person = await store.blockedPerson(db, crypto.hash(input.idKind, idValue));
      if (!person?.blocked_until || new Date(person.blocked_until) <= now)
        throw new DomainError('NOT_FOUND', { detail: 'Активного блокування для цієї особи не знайдено.' });
      const liftCenterId = (await store.lastRegistrationCenterId(db, person.id)) ?? person.block_center_id;
      const liftCenter = await store.centerView(db, liftCenterId);
      if (!mayLift({ ...input, liftCenterId })) {
        throw new DomainError('FORBIDDEN', {
          detail: liftCenter
            ? `Зняти блокування може лише керівник центру «${liftCenter.name}» (${liftCenter.address}), де була остання реєстрація особи.`
            : 'Зняти блокування може лише керівник центру, де була остання реєстрація особи.',
          extensions: { liftCenter },
        });
      }
      const [blockCenter, record] = await Promise.all([
        store.centerView(db, person.block_center_id),
        store.blockRecord(db, person.id),
      ]);
      await audit(db, {
        at: now,
        actorKind: input.actor.kind,
        actorId: input.actor.id,
        action: 'pii.viewed',
        subjectKind: 'person',
        subjectId: person.id,
        centerId: liftCenterId,
        ip: input.actor.ip,
        details: { purpose: 'block_lift_preview', fields: ['name', 'identifier'], masked: true },
      });
      return {
        person: {
          lastName: maskName(person.last_name),
          firstName: maskName(person.first_name),
          middleName: person.middle_name ? maskName(person.middle_name) : null,
          idKind: person.id_kind,
          idMasked: maskIdentifier(crypto.decrypt(person.id_enc)),
        },
        blockedAt: person.blocked_at ? new Date(person.blocked_at).toISOString() : null,
        blockedUntil: new Date(person.blocked_until).toISOString(),
        noShows: record?.noShows ?? null,
        blockCenter,
        liftCenter,
      };
    },
  };
}

export type BlockPreview = ReturnType<typeof createBlockPreview>;
