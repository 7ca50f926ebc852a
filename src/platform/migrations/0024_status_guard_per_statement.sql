-- #19, the national draw: migration 0009's guard ran a PL/pgSQL function and a lookup in
-- registration_transitions for every row an UPDATE of status touched: 185,000 calls when the
-- draw closes the losers, 1.8–2.3 s of the draw's 14–16 s on the 2-core AMD machine
-- (EXPLAIN ANALYZE of the losers' statement, trigger time). The same rule, checked in two parts:
--
-- * a real change of status is checked once per statement, over all its rows together: the
--   statement's old and new rows (transition tables) joined by id, every pair looked up in the
--   table (0.35 s for the same 185,000). A hash join: the planner knows nothing of the size of a
--   transition table, and a nested loop over 185,000 × 185,000 rows does not end.
-- * a row that keeps its status while the UPDATE sets it (a self-move, allowed only where the
--   table has one: a recall, a move), or whose id changes (the statement's check pairs old and
--   new rows by id), is checked per row as before; no other row calls a function.
--
-- The error is the same (INVALID_STATE, P0001) and the whole statement is refused.

CREATE FUNCTION registration_moves_guard() RETURNS trigger LANGUAGE plpgsql
SET enable_nestloop = off AS $$
DECLARE
  bad record;
BEGIN
  SELECT o.id, o.status AS from_status, n.status AS to_status INTO bad
  FROM old_rows o JOIN new_rows n ON n.id = o.id
  WHERE o.status <> n.status
    AND NOT EXISTS (
      SELECT 1 FROM registration_transitions t WHERE t.from_status = o.status AND t.to_status = n.status)
  LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION USING MESSAGE = 'INVALID_STATE', ERRCODE = 'P0001',
      DETAIL = format('registration %s: %s -> %s is not an allowed transition', bad.id, bad.from_status,
        bad.to_status);
  END IF;
  RETURN NULL;
END;
$$;

CREATE OR REPLACE FUNCTION registration_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.id <> NEW.id THEN
    RAISE EXCEPTION USING MESSAGE = 'INVALID_STATE', ERRCODE = 'P0001',
      DETAIL = format('registration %s: the id of a registration never changes', OLD.id);
  END IF;
  IF NOT EXISTS (
    SELECT 1 FROM registration_transitions WHERE from_status = OLD.status AND to_status = NEW.status
  ) THEN
    RAISE EXCEPTION USING MESSAGE = 'INVALID_STATE', ERRCODE = 'P0001',
      DETAIL = format('registration %s: %s -> %s is not an allowed transition', OLD.id, OLD.status, NEW.status);
  END IF;
  RETURN NEW;
END;
$$;

DROP TRIGGER registrations_status_guard ON registrations;
CREATE TRIGGER registrations_status_guard BEFORE UPDATE OF id, status ON registrations
  FOR EACH ROW WHEN (OLD.status = NEW.status OR OLD.id <> NEW.id)
  EXECUTE FUNCTION registration_status_guard();
CREATE TRIGGER registrations_moves_guard AFTER UPDATE ON registrations
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION registration_moves_guard();
