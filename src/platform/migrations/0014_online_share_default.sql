-- SPEC rule 8: capacity splits 50 % online / 50 % terminal by default, as in the live system.
-- Centers keep whatever share their head set; only the default for new centers changes.
ALTER TABLE centers ALTER COLUMN online_share SET DEFAULT 0.5;
