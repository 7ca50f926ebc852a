-- A kiosk or board is activated by a short code shown in the admin console (and as a QR of a
-- link), instead of typing the long device key: only the code's hash is kept, it expires
-- after a few minutes and is cleared when used (single use).
ALTER TABLE device_credentials ADD COLUMN activation_hash text;
ALTER TABLE device_credentials ADD COLUMN activation_expires_at timestamptz;
CREATE UNIQUE INDEX device_credentials_activation ON device_credentials (activation_hash)
  WHERE activation_hash IS NOT NULL;
