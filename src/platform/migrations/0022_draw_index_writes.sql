-- #19, the national draw: every lost entry's registration is rewritten once (pending → lost, not a
-- HOT update: status is indexed), and every outcome letter is a new outbox row. Each index the new
-- row version enters costs the draw time, so indexes that answer no query lose their rows:
--
-- * registrations_slot: only registrations with a place are ever looked up by it (slot_id = …
--   implies slot_id IS NOT NULL, so the partial index serves the same queries and joins); pending
--   and lost entries have none.
-- * outbox_status (status, id): its queries are the backlog count (pending and sending: outbox_due
--   serves them) and the dead letters (the console's filter, the metric): a partial index on those.
-- * lottery_entries_day (day): the unique key (day, service_id, person_id) leads with the day.
DROP INDEX registrations_slot;
CREATE INDEX registrations_slot ON registrations (slot_id) WHERE slot_id IS NOT NULL;
DROP INDEX outbox_status;
CREATE INDEX outbox_dead ON outbox (id) WHERE status = 'dead';
DROP INDEX lottery_entries_day;
