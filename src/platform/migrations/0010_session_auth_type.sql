-- How a citizen signed in at ID.GOV.UA (dig_sign, bank_id, diia_id, diia_oauth, …), as the
-- provider reports it: kept with the session (and in the login's audit row). NULL for staff,
-- devices and logins the provider did not describe.
ALTER TABLE sessions ADD COLUMN auth_type text CHECK (auth_type IS NULL OR length(auth_type) <= 32);
