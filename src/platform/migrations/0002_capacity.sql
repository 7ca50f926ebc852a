-- Capacity (SPEC 3.8): an unresolved conflict is listed once per registration, however often
-- the day is regenerated; the head's resolution is recorded.
CREATE UNIQUE INDEX capacity_conflicts_open ON capacity_conflicts (registration_id) WHERE resolved_at IS NULL;
CREATE INDEX capacity_conflicts_center ON capacity_conflicts (center_id, day);
ALTER TABLE capacity_conflicts ADD COLUMN resolved_by text;
ALTER TABLE capacity_conflicts ADD COLUMN resolution text;
CREATE INDEX staff_absences_day ON staff_absences (day);
