import { randomUUID } from 'node:crypto';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Executor } from '../platform/db.js';
import type { IdKind } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';

/** An identified person, keyed by the keyed hash of the РНОКПП (or passport). */
export interface PersonInput {
  idKind: IdKind;
  /** Normalised РНОКПП or passport number: encrypted here, never stored in clear. */
  idValue: string;
  lastName: string;
  firstName: string;
  middleName?: string | null;
  email?: string | null;
  phone?: string | null;
  lang?: string;
  /**
   * Where the data comes from. Electronic identification is verified: it refreshes the names
   * and contact data. What a visitor typed at a terminal is not: for a person already known it
   * only fills what is missing, so nobody can rename someone, or redirect their e-mail, by
   * typing their РНОКПП at a kiosk.
   */
  source: 'identification' | 'terminal';
}

export function personKey(crypto: PiiCrypto, idKind: IdKind, idValue: string): string {
  return crypto.hash(idKind, idValue);
}

/** Creates the person or updates them as their `source` allows; returns the person id. */
export async function upsertPerson(
  db: Executor,
  crypto: PiiCrypto,
  now: Date,
  input: PersonInput,
): Promise<string> {
  return storeOp('person.upsert', async () => {
    const row = await db
      .insertInto('persons')
      .values({
        id: randomUUID(),
        id_hash: personKey(crypto, input.idKind, input.idValue),
        id_kind: input.idKind,
        id_enc: crypto.encrypt(input.idValue),
        id_last4: input.idValue.slice(-4),
        last_name: input.lastName,
        first_name: input.firstName,
        middle_name: input.middleName ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
        lang: input.lang ?? 'uk',
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('id_hash').doUpdateSet((eb) =>
          input.source === 'identification'
            ? {
                last_name: eb.ref('excluded.last_name'),
                first_name: eb.ref('excluded.first_name'),
                middle_name: eb.ref('excluded.middle_name'),
                email: eb.fn.coalesce('excluded.email', 'persons.email'),
                phone: eb.fn.coalesce('excluded.phone', 'persons.phone'),
                updated_at: now,
              }
            : {
                email: eb.fn.coalesce('persons.email', 'excluded.email'),
                phone: eb.fn.coalesce('persons.phone', 'excluded.phone'),
              },
        ),
      )
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  });
}

export async function findPerson(db: Executor, personId: string) {
  return db.selectFrom('persons').selectAll().where('id', '=', personId).executeTakeFirst();
}

export async function upsertLegalEntity(
  db: Executor,
  now: Date,
  edrpou: string,
  name: string,
): Promise<void> {
  await storeOp('legalEntity.upsert', () =>
    db
      .insertInto('legal_entities')
      .values({ edrpou, name, created_at: now })
      .onConflict((oc) => oc.column('edrpou').doUpdateSet({ name }))
      .execute(),
  );
}
