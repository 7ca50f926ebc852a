-- What a visitor types at a kiosk belongs to that registration only: the contact for its
-- confirmation and later messages. It never lands in the person's file, which only electronic
-- identification writes (e-mail and phone are not PII-encrypted, as persons.email/phone are not).
ALTER TABLE registrations ADD COLUMN contact_email text;
ALTER TABLE registrations ADD COLUMN contact_phone text;

-- Further identifiers of a person, e.g. the passport that electronic identification carries
-- next to the РНОКПП: a kiosk that types either finds the same person, their block and limits.
CREATE TABLE person_identifiers (
  id_hash    text PRIMARY KEY,
  person_id  uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  id_kind    text NOT NULL CHECK (id_kind IN ('rnokpp', 'passport')),
  created_at timestamptz NOT NULL
);
CREATE INDEX person_identifiers_person ON person_identifiers (person_id);

-- The mask is derived from the encrypted identifier when read; no digit is kept in clear.
ALTER TABLE persons DROP COLUMN id_last4;
