-- The hall (SPEC 3.5–3.7): air-raid alert periods, the priority once-a-day claim, martial law.

-- Alert periods per center (SPEC 3.7). At most one open period per center, so starting an
-- alert twice (manual switch and feed at once) is a no-op and only one all-clear shifts the day.
CREATE TABLE alert_periods (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  center_id   text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  started_at  timestamptz NOT NULL,
  ended_at    timestamptz,
  source      text NOT NULL CHECK (source IN ('manual', 'feed')),
  started_by  text,
  ended_by    text,
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
CREATE UNIQUE INDEX alert_periods_open ON alert_periods (center_id) WHERE ended_at IS NULL;
CREATE INDEX alert_periods_center ON alert_periods (center_id, started_at DESC);

-- SPEC 3.5: priority is for the person's own needs, at most once per working day per service.
-- Claimed with INSERT … ON CONFLICT DO NOTHING: one conditional statement, safe under races.
CREATE TABLE priority_claims (
  person_id        uuid NOT NULL REFERENCES persons (id) ON DELETE CASCADE,
  service_id       text NOT NULL REFERENCES services (id),
  day              date NOT NULL,
  registration_id  uuid NOT NULL,
  PRIMARY KEY (person_id, service_id, day)
);

-- The calling query: today's waiting tickets of a center, in queue order.
CREATE INDEX registrations_queue ON registrations (center_id, day, group_id, call_at) WHERE status = 'booked';

-- Martial law is in force (SPEC 3.5c); the national admin switches it.
INSERT INTO settings (key, value, updated_at, updated_by)
VALUES ('martial_law', 'true'::jsonb, now(), 'migration')
ON CONFLICT (key) DO NOTHING;
