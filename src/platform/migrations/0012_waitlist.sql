-- SPEC rule 1: an individual holds at most one active registration per day and service group
-- online (a lottery entry and a held waitlist offer count: each stands for a place). Enforced by
-- the database, so two concurrent requests cannot both pass. A legal entity's registrations are
-- counted by its own daily limit instead.
CREATE UNIQUE INDEX registrations_one_active ON registrations (person_id, day, group_id)
  WHERE channel = 'online' AND legal_entity IS NULL
    AND status IN ('pending', 'offered', 'booked', 'arrived', 'called');

-- SPEC rule 12: a citizen waiting for a freed place: center(s), service, date range inside the
-- horizon. `active` waits are drawn from; `offered` while a place is held for them; the others
-- are final. At most one open wait per person and service.
CREATE TABLE waits (
  id          uuid PRIMARY KEY,
  person_id   uuid NOT NULL REFERENCES persons (id),
  service_id  text NOT NULL REFERENCES services (id),
  group_id    text NOT NULL,
  center_ids  text[] NOT NULL,
  from_day    date NOT NULL,
  to_day      date NOT NULL,
  status      text NOT NULL CHECK (status IN ('active', 'offered', 'fulfilled', 'left', 'lapsed')),
  created_at  timestamptz NOT NULL,
  updated_at  timestamptz NOT NULL,
  CHECK (from_day <= to_day)
);
CREATE UNIQUE INDEX waits_one_open ON waits (person_id, service_id) WHERE status IN ('active', 'offered');
CREATE INDEX waits_open_by_group ON waits (group_id, from_day) WHERE status = 'active';

-- Each draw of a freed place among the eligible waiters: the seed and the candidates (canonical
-- order: by wait id) make it reproducible. id = the offered registration's id.
CREATE TABLE waitlist_offers (
  id           uuid PRIMARY KEY,
  wait_id      uuid NOT NULL REFERENCES waits (id),
  slot_id      bigint NOT NULL REFERENCES slots (id),
  seed         text NOT NULL,
  candidates   int NOT NULL,
  position     int NOT NULL,
  offered_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  outcome      text CHECK (outcome IN ('accepted', 'declined', 'expired')),
  decided_at   timestamptz
);
CREATE INDEX waitlist_offers_slot ON waitlist_offers (slot_id, wait_id);
-- The expiry job reads held offers by their end.
CREATE INDEX registrations_offer_hold ON registrations (held_until) WHERE status = 'offered';
