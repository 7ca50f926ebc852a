-- The outbox insert trigger (0004) sent NOTIFY from every writing transaction. PostgreSQL takes
-- a global lock on the notification queue at commit, so every booking's commit waited for every
-- other one: the release moment ran at a fraction of the database's speed. Writers now nudge
-- the workers after commit (at most a few times a second per process) and workers also poll.
DROP TRIGGER IF EXISTS outbox_nudge ON outbox;
DROP FUNCTION IF EXISTS outbox_nudge();
