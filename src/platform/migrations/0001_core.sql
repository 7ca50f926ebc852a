-- Core schema: catalogue, capacity, people, registrations, sessions, audit, outbox.
-- Runs unchanged on PGlite and on PostgreSQL >= 15. Calendar days are Europe/Kyiv days.

CREATE TABLE centers (
  id            text PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  region        text NOT NULL,
  address       text NOT NULL,
  latitude      double precision,
  longitude     double precision,
  -- Working hours per ISO weekday: {"1": {"open": "09:00", "close": "18:00", "breakFrom": "13:00", "breakTo": "13:45"}, ...}
  working_hours jsonb NOT NULL,
  -- Share of capacity released online (the rest is the terminal pool), SPEC 3.8.
  online_share  numeric(4, 3) NOT NULL DEFAULT 0.7 CHECK (online_share BETWEEN 0 AND 1),
  alert_region  text,
  created_at    timestamptz NOT NULL DEFAULT now()
);

-- National holidays (center_id NULL) and center-specific closed days.
CREATE TABLE holidays (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_id  text REFERENCES centers (id) ON DELETE CASCADE,
  day        date NOT NULL,
  name       text NOT NULL
);
CREATE UNIQUE INDEX holidays_center_day ON holidays (coalesce(center_id, ''), day);

CREATE TABLE service_groups (
  id        text PRIMARY KEY,
  code      text NOT NULL UNIQUE,
  name      text NOT NULL,
  -- Which staff role serves this group: administrator or examiner.
  role      text NOT NULL CHECK (role IN ('administrator', 'examiner')),
  sort      int NOT NULL DEFAULT 0
);

CREATE TABLE services (
  id          text PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  group_id    text NOT NULL REFERENCES service_groups (id),
  is_exam     boolean NOT NULL DEFAULT false,
  documents   text[] NOT NULL DEFAULT '{}',
  price       text,
  sort        int NOT NULL DEFAULT 0
);

CREATE TABLE desks (
  id         text PRIMARY KEY,
  center_id  text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  number     int NOT NULL,
  group_ids  text[] NOT NULL,
  active     boolean NOT NULL DEFAULT true,
  UNIQUE (center_id, number)
);

CREATE TABLE staff (
  id          text PRIMARY KEY,
  center_id   text REFERENCES centers (id),
  full_name   text NOT NULL,
  -- administrator / examiner are operators; center_head and national_admin run the console.
  role        text NOT NULL CHECK (role IN ('administrator', 'examiner', 'center_head', 'national_admin')),
  email       text,
  oidc_sub    text UNIQUE,
  active      boolean NOT NULL DEFAULT true
);

-- Norms: how many operations of a group one person of a role does in a full working day.
CREATE TABLE norms (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_id  text REFERENCES centers (id) ON DELETE CASCADE,
  group_id   text NOT NULL REFERENCES service_groups (id),
  role       text NOT NULL,
  per_day    int NOT NULL CHECK (per_day > 0)
);
CREATE UNIQUE INDEX norms_scope ON norms (coalesce(center_id, ''), group_id, role);

-- The roster: who works at which desk on which weekdays, over a validity range.
CREATE TABLE roster_shifts (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_id   text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  staff_id    text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  desk_id     text NOT NULL REFERENCES desks (id) ON DELETE CASCADE,
  weekdays    int[] NOT NULL,
  valid_from  date NOT NULL,
  valid_to    date,
  -- Optional narrower hours for this person ("HH:mm"); null means the center's hours.
  starts      text,
  ends        text
);
CREATE INDEX roster_shifts_center ON roster_shifts (center_id);

CREATE TABLE staff_absences (
  staff_id  text NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
  day       date NOT NULL,
  reason    text,
  PRIMARY KEY (staff_id, day)
);

-- Bookable capacity: one row per center, day, service group, start time and pool.
CREATE TABLE slots (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_id   text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  group_id    text NOT NULL REFERENCES service_groups (id),
  day         date NOT NULL,
  starts_at   timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  pool        text NOT NULL CHECK (pool IN ('online', 'terminal')),
  capacity    int NOT NULL CHECK (capacity >= 0),
  booked      int NOT NULL DEFAULT 0 CHECK (booked >= 0),
  UNIQUE (center_id, group_id, starts_at, pool)
);
CREATE INDEX slots_lookup ON slots (center_id, group_id, day, pool);

-- Places freed by cancellation, back in the pool only at due_at (anti-resale delay, SPEC 3.3).
-- Until then they still count in slots.booked.
CREATE TABLE slot_returns (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  slot_id          bigint NOT NULL REFERENCES slots (id) ON DELETE CASCADE,
  registration_id  uuid NOT NULL UNIQUE,
  due_at           timestamptz NOT NULL
);
CREATE INDEX slot_returns_due ON slot_returns (due_at);

-- Which (center, day) have been generated and released to the online pool.
CREATE TABLE capacity_days (
  center_id     text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  day           date NOT NULL,
  generated_at  timestamptz NOT NULL,
  released_at   timestamptz NOT NULL,
  PRIMARY KEY (center_id, day)
);

-- Registrations that regeneration could not place: listed for the center head.
CREATE TABLE capacity_conflicts (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_id        text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  day              date NOT NULL,
  registration_id  uuid NOT NULL,
  reason           text NOT NULL,
  created_at       timestamptz NOT NULL,
  resolved_at      timestamptz
);

CREATE TABLE persons (
  id              uuid PRIMARY KEY,
  -- Keyed hash (HMAC) of the normalised identifier: the lookup key and the limit key.
  id_hash         text NOT NULL UNIQUE,
  id_kind         text NOT NULL CHECK (id_kind IN ('rnokpp', 'passport')),
  -- AES-256-GCM ciphertext of the identifier ("keyId:iv:tag:data").
  id_enc          text NOT NULL,
  id_last4        text NOT NULL,
  last_name       text NOT NULL,
  first_name      text NOT NULL,
  middle_name     text,
  email           text,
  phone           text,
  lang            text NOT NULL DEFAULT 'uk',
  blocked_until   timestamptz,
  blocked_at      timestamptz,
  block_center_id text REFERENCES centers (id),
  created_at      timestamptz NOT NULL,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE legal_entities (
  edrpou      text PRIMARY KEY CHECK (edrpou ~ '^[0-9]{8}$'),
  name        text NOT NULL,
  created_at  timestamptz NOT NULL
);

-- Limit counters (SPEC 3.1): claimed with one conditional upsert, never decremented, so that
-- cancelled registrations keep counting. subject = person id or ЄДРПОУ; period = month or day.
CREATE TABLE usage_counters (
  subject     text NOT NULL,
  channel     text NOT NULL CHECK (channel IN ('online', 'terminal')),
  period      date NOT NULL,
  used        int NOT NULL CHECK (used >= 0),
  PRIMARY KEY (subject, channel, period)
);

-- Ticket numbers per center and day: regular from 1000, priority from 1 (SPEC 3.5).
CREATE TABLE ticket_counters (
  center_id  text NOT NULL,
  day        date NOT NULL,
  sequence   text NOT NULL CHECK (sequence IN ('regular', 'priority')),
  last       int NOT NULL,
  PRIMARY KEY (center_id, day, sequence)
);

CREATE TABLE registrations (
  id                 uuid PRIMARY KEY,
  center_id          text NOT NULL REFERENCES centers (id),
  service_id         text NOT NULL REFERENCES services (id),
  group_id           text NOT NULL REFERENCES service_groups (id),
  slot_id            bigint REFERENCES slots (id),
  person_id          uuid NOT NULL REFERENCES persons (id),
  legal_entity       text REFERENCES legal_entities (edrpou),
  channel            text NOT NULL CHECK (channel IN ('online', 'terminal')),
  status             text NOT NULL CHECK (status IN
                       ('pending', 'booked', 'called', 'served', 'refused_mismatch', 'no_show', 'cancelled', 'lost')),
  day                date NOT NULL,
  starts_at          timestamptz NOT NULL,
  -- Expected call time; shifts after an air-raid alert (SPEC 3.7).
  call_at            timestamptz NOT NULL,
  number             int,
  priority_category  text CHECK (priority_category IN
                       ('disability', 'disability_companion', 'fallen_defender_family', 'military')),
  priority_doc_type  text,
  priority_doc_enc   text,
  priority_doc_hash  text,
  desk_id            text REFERENCES desks (id),
  call_count         int NOT NULL DEFAULT 0,
  called_at          timestamptz,
  parked_at          timestamptz,
  exam_passed        boolean,
  outcome_at         timestamptz,
  outcome_by         text,
  cancelled_at       timestamptz,
  -- True when the time fell inside an air-raid alert: never counted as a no-show (SPEC 3.4).
  alert_excused      boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE UNIQUE INDEX registrations_number ON registrations (center_id, day, (priority_category IS NOT NULL), number)
  WHERE number IS NOT NULL;
CREATE INDEX registrations_person ON registrations (person_id, starts_at DESC);
CREATE INDEX registrations_hall ON registrations (center_id, day, status);
CREATE INDEX registrations_slot ON registrations (slot_id);

CREATE TABLE idempotency_keys (
  scope          text NOT NULL,
  key            text NOT NULL,
  request_hash   text NOT NULL,
  status_code    int,
  response       jsonb,
  created_at     timestamptz NOT NULL,
  PRIMARY KEY (scope, key)
);

CREATE TABLE sessions (
  id_hash       text PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('citizen', 'staff', 'device')),
  person_id     uuid REFERENCES persons (id) ON DELETE CASCADE,
  staff_id      text,
  role          text NOT NULL,
  center_id     text,
  desk_id       text,
  legal_entity  text,
  csrf_token    text NOT NULL,
  data          jsonb NOT NULL DEFAULT '{}',
  created_at    timestamptz NOT NULL,
  last_seen_at  timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- Append-only audit log: who, when, what, from where.
CREATE TABLE audit_log (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at           timestamptz NOT NULL,
  actor_kind   text NOT NULL,
  actor_id     text,
  action       text NOT NULL,
  subject_kind text,
  subject_id   text,
  center_id    text,
  ip           text,
  details      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE INDEX audit_log_subject ON audit_log (subject_kind, subject_id);

-- Durable outbox (SPEC 3.10): written in the same transaction as the change that causes it.
CREATE TABLE outbox (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  channel        text NOT NULL CHECK (channel IN ('email', 'sms')),
  template       text NOT NULL,
  recipient      text NOT NULL,
  lang           text NOT NULL DEFAULT 'uk',
  payload        jsonb NOT NULL,
  dedupe_key     text UNIQUE,
  status         text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
  attempts       int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  locked_until   timestamptz,
  last_error     text,
  created_at     timestamptz NOT NULL,
  sent_at        timestamptz
);
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'sending');

-- Global policy switches changed at run time (e.g. martial law for SPEC 3.5c).
CREATE TABLE settings (
  key         text PRIMARY KEY,
  value       jsonb NOT NULL,
  updated_at  timestamptz NOT NULL,
  updated_by  text
);
