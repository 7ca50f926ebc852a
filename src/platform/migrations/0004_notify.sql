-- Notifications (SPEC 3.10) and feedback (SPEC 3.11).

-- Every insert into the outbox wakes the workers (LISTEN outbox), whoever writes the row: a
-- NOTIFY in a transaction is delivered on commit only, so a rolled-back change wakes nobody.
CREATE FUNCTION outbox_nudge() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '{}');
  RETURN NULL;
END;
$$;
CREATE TRIGGER outbox_nudge AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_nudge();

-- The outbox worker scans due rows; a dead-letter list for the admin console.
CREATE INDEX outbox_status ON outbox (status, id);

-- Demo mode only: mail received by the in-process SMTP server (/dev/mailbox). A table, not
-- memory, so that every instance on one database shows the same mailbox.
CREATE TABLE dev_mailbox (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  received_at  timestamptz NOT NULL,
  mail_from    text,
  recipients   text[] NOT NULL,
  subject      text NOT NULL DEFAULT '',
  text_body    text,
  html_body    text,
  -- [{filename, contentType, content (utf-8 text)}]
  attachments  jsonb NOT NULL DEFAULT '[]',
  raw          text NOT NULL
);

-- Rule 11: one rating per served visit.
CREATE TABLE feedback (
  id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  registration_id  uuid NOT NULL UNIQUE REFERENCES registrations (id),
  center_id        text NOT NULL REFERENCES centers (id),
  desk_id          text REFERENCES desks (id),
  rating           int NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment          text CHECK (char_length(comment) <= 1000),
  created_at       timestamptz NOT NULL
);
CREATE INDEX feedback_center ON feedback (center_id, desk_id);

-- The single-use link of the thank-you email: only the hash of the token is stored.
CREATE TABLE feedback_tokens (
  token_hash       text PRIMARY KEY,
  registration_id  uuid NOT NULL UNIQUE REFERENCES registrations (id),
  created_at       timestamptz NOT NULL,
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz
);
