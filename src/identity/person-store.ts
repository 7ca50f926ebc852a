import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Executor } from '../platform/db.js';
import type { IdKind } from '../platform/db-schema.js';
import { storeOp } from '../platform/problems.js';

/** An identified person, keyed by the keyed hash of the РНОКПП (or passport). */
export interface PersonInput {
  idKind: IdKind;
  /** Normalised РНОКПП or passport number: encrypted here, never stored in clear. */
  idValue: string;
  /**
   * Further identifiers the same verified source vouches for (ID.GOV.UA can carry a passport next
   * to the РНОКПП): recorded so that typing either one finds this person, their block and limits.
   */
  alsoKnownAs?: ReadonlyArray<{ idKind: IdKind; idValue: string }>;
  lastName: string;
  firstName: string;
  middleName?: string | null;
  email?: string | null;
  phone?: string | null;
  lang?: string;
  /**
   * Where the data comes from. Electronic identification is verified: it refreshes the names
   * and contact data. What a visitor typed at a terminal is not: it never changes a known
   * person, and a person first seen at a kiosk gets no contact data in their file (the contact
   * stays with that registration, see saveRegistrationContact), so nobody can rename someone or
   * redirect their mail by typing their number at a kiosk.
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
    const idHash = personKey(crypto, input.idKind, input.idValue);
    const verified = input.source === 'identification';
    // An identifier recorded as another person's second one resolves to that person.
    const linked = await db
      .selectFrom('person_identifiers')
      .select('person_id')
      .where('id_hash', '=', idHash)
      .executeTakeFirst();
    let personId: string;
    if (linked) {
      personId = linked.person_id;
      if (verified) {
        await db
          .updateTable('persons')
          .set((eb) => ({
            last_name: input.lastName,
            first_name: input.firstName,
            middle_name: input.middleName ?? null,
            email: eb.fn.coalesce(eb.val(input.email ?? null), 'email'),
            phone: eb.fn.coalesce(eb.val(input.phone ?? null), 'phone'),
            updated_at: now,
          }))
          .where('id', '=', personId)
          .execute();
      }
    } else {
      const row = await db
        .insertInto('persons')
        .values({
          id: randomUUID(),
          id_hash: idHash,
          id_kind: input.idKind,
          id_enc: crypto.encrypt(input.idValue),
          last_name: input.lastName,
          first_name: input.firstName,
          middle_name: input.middleName ?? null,
          email: verified ? (input.email ?? null) : null,
          phone: verified ? (input.phone ?? null) : null,
          lang: input.lang ?? 'uk',
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.column('id_hash').doUpdateSet((eb) =>
            verified
              ? {
                  last_name: eb.ref('excluded.last_name'),
                  first_name: eb.ref('excluded.first_name'),
                  middle_name: eb.ref('excluded.middle_name'),
                  email: eb.fn.coalesce('excluded.email', 'persons.email'),
                  phone: eb.fn.coalesce('excluded.phone', 'persons.phone'),
                  updated_at: now,
                }
              : // Nothing typed at a kiosk changes a known person (the no-op update returns the id).
                { id_kind: eb.ref('persons.id_kind') },
          ),
        )
        .returning('id')
        .executeTakeFirstOrThrow();
      personId = row.id;
    }
    if (verified) {
      const others = (input.alsoKnownAs ?? [])
        .map((o) => ({ idKind: o.idKind, hash: personKey(crypto, o.idKind, o.idValue) }))
        .filter((o) => o.hash !== idHash);
      if (others.length) {
        await db
          .insertInto('person_identifiers')
          .values(
            others.map((o) => ({ id_hash: o.hash, person_id: personId, id_kind: o.idKind, created_at: now })),
          )
          .onConflict((oc) =>
            oc.column('id_hash').doUpdateSet((eb) => ({ person_id: eb.ref('excluded.person_id') })),
          )
          .execute();
      }
    }
    return personId;
  });
}

export async function findPerson(db: Executor, personId: string) {
  return db.selectFrom('persons').selectAll().where('id', '=', personId).executeTakeFirst();
}

/**
 * The latest block end of the person across every identifier known for them: their own row, rows
 * keyed by their further identifiers, and rows whose further identifier is their key. A block
 * follows the person, not the number typed.
 */
export async function blockedUntilOf(db: Executor, personId: string): Promise<Date | null> {
  return storeOp('person.blockedUntil', async () => {
    const r = await sql<{ until: Date | string | null }>`
      SELECT max(p.blocked_until) AS until FROM persons p
       WHERE p.id = ${personId}
          OR p.id_hash IN (SELECT id_hash FROM person_identifiers WHERE person_id = ${personId})
          OR p.id IN (SELECT pi.person_id FROM person_identifiers pi
                        JOIN persons me ON me.id_hash = pi.id_hash WHERE me.id = ${personId})`.execute(db);
    const until = r.rows[0]?.until;
    return until ? new Date(until) : null;
  });
}

/** The contact typed for one (kiosk) registration: its messages go there, the person's file is untouched. */
export async function saveRegistrationContact(
  db: Executor,
  registrationId: string,
  contact: { email: string | null; phone: string | null },
): Promise<void> {
  await storeOp('registration.contact', () =>
    db
      .updateTable('registrations')
      .set({ contact_email: contact.email, contact_phone: contact.phone })
      .where('id', '=', registrationId)
      .execute(),
  );
}

/**
 * Records a legal entity. Only a verified source (`rename: true`, electronic identification
 * carrying the ЄДРПОУ) may change a known entity's name; a name typed at a kiosk or in a booking
 * form names a new entity at most.
 */
export async function upsertLegalEntity(
  db: Executor,
  now: Date,
  edrpou: string,
  name: string,
  options: { rename?: boolean } = {},
): Promise<void> {
  await storeOp('legalEntity.upsert', () =>
    db
      .insertInto('legal_entities')
      .values({ edrpou, name, created_at: now })
      .onConflict((oc) =>
        options.rename ? oc.column('edrpou').doUpdateSet({ name }) : oc.column('edrpou').doNothing(),
      )
      .execute(),
  );
}
