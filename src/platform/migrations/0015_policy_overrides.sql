-- SPEC §1: the national admin edits the global policy values (limits, horizon, split, lottery
-- window ...) in the console. An override replaces the configured value (environment) in every
-- server process; removing it restores the configured value. One row per overridden key.
CREATE TABLE policy_overrides (
  key              text PRIMARY KEY,
  value            numeric NOT NULL,
  changed_at       timestamptz NOT NULL,
  changed_by       text NOT NULL,
  -- The staff member's name at the time (the SSO identity), kept even if the staff row changes.
  changed_by_name  text,
  reason           text NOT NULL
);

-- Every change, append-only: who, when, from what to what and why. `old_value`/`new_value` are
-- the values in force before and after (an override's removal has new_source 'config').
CREATE TABLE policy_changes (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  key              text NOT NULL,
  old_value        numeric NOT NULL,
  old_source       text NOT NULL CHECK (old_source IN ('default', 'config', 'override')),
  new_value        numeric NOT NULL,
  new_source       text NOT NULL CHECK (new_source IN ('default', 'config', 'override')),
  changed_at       timestamptz NOT NULL,
  changed_by       text NOT NULL,
  changed_by_name  text,
  reason           text NOT NULL
);
CREATE INDEX policy_changes_recent ON policy_changes (id DESC);

-- Each audit entry keeps the staff member's name and position as they were when they acted: a
-- later rename (or a reused staff id) must not rewrite history. Older entries take today's name.
ALTER TABLE audit_log ADD COLUMN actor_name text;
ALTER TABLE audit_log ADD COLUMN actor_staff_role text;
UPDATE audit_log a
   SET actor_name = s.full_name, actor_staff_role = s.role
  FROM staff s
 WHERE s.id = a.actor_id
   AND a.actor_kind IN ('operator', 'center_head', 'national_admin');
