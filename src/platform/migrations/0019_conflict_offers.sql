-- SPEC rule 8: what the center head did about a capacity conflict. `resolved`: marked handled by
-- hand; `moved`: the person accepted an offered time (the same registration, moved); `cancelled`:
-- cancelled with notice (the reason is the resolution text, named in the person's e-mail).
ALTER TABLE capacity_conflicts ADD COLUMN outcome text
  CHECK (outcome IN ('resolved', 'moved', 'cancelled'));

-- The head's offers of another time for a conflicted registration: one row per offered time,
-- each with its own signed one-click link (the token is an HMAC over id, registration, slot and
-- expiry, never stored). The place is not held: accepting claims it then, like any move.
-- `sent` until accepted (single use) or withdrawn (another offer of the conflict was accepted,
-- or the conflict was settled otherwise); a `sent` offer past `expires_at` is expired.
CREATE TABLE conflict_offers (
  id               uuid PRIMARY KEY,
  conflict_id      bigint NOT NULL REFERENCES capacity_conflicts (id) ON DELETE CASCADE,
  registration_id  uuid NOT NULL,
  center_id        text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  -- The registration's place when the offer was made: accepting an offer made for an older place
  -- (the registration moved since) is refused.
  from_slot_id     bigint,
  slot_id          bigint NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
  starts_at        timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  status           text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'withdrawn')),
  created_by       text,
  created_at       timestamptz NOT NULL,
  decided_at       timestamptz
);
CREATE INDEX conflict_offers_by_conflict ON conflict_offers (conflict_id);
CREATE INDEX conflict_offers_by_center ON conflict_offers (center_id, created_at);
-- Exactly one accepted offer per conflict, whatever races: the database refuses a second.
CREATE UNIQUE INDEX conflict_offers_one_accepted ON conflict_offers (conflict_id) WHERE status = 'accepted';
