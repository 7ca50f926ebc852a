-- The registration lifecycle (src/registration/registration-states.ts) enforced by the database
-- itself: a change of `status` that is not an allowed (from, to) pair is refused, whoever writes
-- it. The pairs below are the table's; a test holds the two equal.

ALTER TABLE registrations DROP CONSTRAINT registrations_status_check;
ALTER TABLE registrations ADD CONSTRAINT registrations_status_check CHECK (status IN (
  'pending', 'offered', 'booked', 'arrived', 'called', 'served', 'refused_mismatch', 'no_show',
  'cancelled', 'lost', 'released'));

-- Who called the ticket (SPEC 3.6: an operator records served/refused only for a ticket called
-- to their own desk); when the person checked in at the kiosk (rule 13; a ticket taken off the
-- desk goes back to `arrived`); until when a waitlist offer is held (rule 12); how often the
-- owner moved it (rule 3).
ALTER TABLE registrations ADD COLUMN called_by text;
ALTER TABLE registrations ADD COLUMN arrived_at timestamptz;
ALTER TABLE registrations ADD COLUMN held_until timestamptz;
ALTER TABLE registrations ADD COLUMN move_count int NOT NULL DEFAULT 0;

CREATE TABLE registration_transitions (
  from_status  text NOT NULL,
  to_status    text NOT NULL,
  PRIMARY KEY (from_status, to_status)
);
INSERT INTO registration_transitions (from_status, to_status) VALUES
  ('pending', 'booked'), ('pending', 'lost'), ('pending', 'cancelled'),
  ('offered', 'booked'), ('offered', 'released'),
  ('booked', 'arrived'), ('booked', 'called'), ('booked', 'cancelled'), ('booked', 'booked'),
  ('arrived', 'called'),
  ('called', 'called'), ('called', 'booked'), ('called', 'arrived'), ('called', 'served'),
  ('called', 'refused_mismatch'), ('called', 'no_show');

-- Fires for every UPDATE that sets `status` (even to its own value), so a self-move is allowed
-- only where the table has one (a recall, a move). Updates of other columns are not checked.
CREATE FUNCTION registration_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM registration_transitions WHERE from_status = OLD.status AND to_status = NEW.status
  ) THEN
    RAISE EXCEPTION USING MESSAGE = 'INVALID_STATE', ERRCODE = 'P0001',
      DETAIL = format('registration %s: %s -> %s is not an allowed transition', OLD.id, OLD.status, NEW.status);
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER registrations_status_guard BEFORE UPDATE OF status ON registrations
  FOR EACH ROW EXECUTE FUNCTION registration_status_guard();

-- The calling query reads both waiting states.
DROP INDEX registrations_queue;
CREATE INDEX registrations_queue ON registrations (center_id, day, group_id, call_at)
  WHERE status IN ('booked', 'arrived');
