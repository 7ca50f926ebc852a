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

-- The loss letters of a draw (185,000 of the national release's 205,000 outcome letters) are
-- queued right after it commits, by the same job, in parallel parts; the draw commits the mark
-- that they are owed (losers_told_at IS NULL), so a crash between the two is resumed by the next
-- run. Winners' letters (the booking confirmation, rule 10) stay in the draw's transaction.
ALTER TABLE lottery_draws ADD COLUMN losers_told_at timestamptz;
UPDATE lottery_draws SET losers_told_at = drawn_at WHERE drawn_at IS NOT NULL;
CREATE INDEX lottery_draws_untold ON lottery_draws (day) WHERE drawn_at IS NOT NULL AND losers_told_at IS NULL;
