-- Fair access (SPEC 3.9): proof-of-work replay guard, shared rate-limit counters,
-- the release lottery and the audited booking attempts.

-- Solved proof-of-work challenges, each accepted once (INSERT … ON CONFLICT DO NOTHING).
-- Rows are useless after the challenge expired and are purged then.
CREATE TABLE antibot_used (
  challenge   text PRIMARY KEY,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX antibot_used_expiry ON antibot_used (expires_at);

-- Counters of rate-limiter-flexible (RateLimiterPostgres layout): shared by every instance.
CREATE TABLE rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);

-- One draw per released day: claimed atomically by one instance, seed kept for audit.
CREATE TABLE lottery_draws (
  day          date PRIMARY KEY,
  decides_at   timestamptz NOT NULL,
  seed         text,
  drawn_at     timestamptz,
  entries      int,
  won          int,
  lost         int
);
CREATE INDEX lottery_draws_due ON lottery_draws (decides_at) WHERE drawn_at IS NULL;

-- Entries of the release lottery: one per person, released day and service (SPEC 3.9).
-- id = the pending registration's id.
CREATE TABLE lottery_entries (
  id            uuid PRIMARY KEY,
  day           date NOT NULL REFERENCES lottery_draws (day),
  person_id     uuid NOT NULL REFERENCES persons (id),
  service_id    text NOT NULL REFERENCES services (id),
  center_id     text NOT NULL REFERENCES centers (id),
  group_id      text NOT NULL,
  slot_id       bigint NOT NULL REFERENCES slots (id),
  starts_at     timestamptz NOT NULL,
  legal_entity  text,
  created_at    timestamptz NOT NULL,
  -- Filled by the draw: place in the shuffled order and the outcome.
  position      int,
  outcome       text CHECK (outcome IN ('won', 'lost')),
  outcome_reason text,
  won_slot_id   bigint,
  UNIQUE (day, service_id, person_id)
);
CREATE INDEX lottery_entries_day ON lottery_entries (day);

-- Booking attempts, successes and failures, for the suspicion report. No personal data beyond
-- the person id and the network address.
CREATE TABLE booking_attempts (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at         timestamptz NOT NULL,
  scope      text NOT NULL,
  person_id  uuid,
  ip         text NOT NULL,
  status     int NOT NULL,
  code       text
);
CREATE INDEX booking_attempts_at ON booking_attempts (at);
