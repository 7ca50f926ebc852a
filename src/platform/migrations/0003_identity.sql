-- Identity (SPEC §1, §2): login flows bound to the browser, kiosk and board credentials.

-- One pending login (ID.GOV.UA or staff OIDC): the browser holds a random id in a short-lived
-- httpOnly cookie; the row keeps its hash, the state, PKCE verifier / nonce and the return path.
-- Single use (deleted when consumed) and expiring.
CREATE TABLE auth_flows (
  id_hash     text PRIMARY KEY,
  provider    text NOT NULL CHECK (provider IN ('idgovua', 'staff_oidc')),
  state       text NOT NULL,
  data        jsonb NOT NULL DEFAULT '{}',
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL
);
CREATE INDEX auth_flows_expiry ON auth_flows (expires_at);

-- A credential per kiosk or board, issued by the center head: only the hash of the token is kept.
CREATE TABLE device_credentials (
  id          uuid PRIMARY KEY,
  center_id   text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('terminal', 'board')),
  label       text NOT NULL,
  token_hash  text NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL,
  created_by  text,
  last_used_at timestamptz,
  revoked_at  timestamptz,
  revoked_by  text
);
CREATE INDEX device_credentials_center ON device_credentials (center_id);

-- The center head's audit view and the cursor of the audit query.
CREATE INDEX audit_log_center ON audit_log (center_id, id DESC);
CREATE INDEX audit_log_action ON audit_log (action, id DESC);
