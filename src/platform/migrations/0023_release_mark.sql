-- Rule 9: the last online day this system has opened (the horizon's last day as last accounted
-- for). A longer horizon, from the console or from HORIZON_DAYS at a redeploy, opens the days
-- after it at once: each gets a release draw one lottery window later, none goes first-come at a
-- moment an insider chose. One row; a new installation writes it at its first start.
CREATE TABLE release_marks (
  id         boolean PRIMARY KEY DEFAULT true CHECK (id),
  last_day   date NOT NULL,
  updated_at timestamptz NOT NULL
);
