-- SPEC §2 Exams: a practical exam is for a vehicle category; only some centers examine (exam
-- hubs) and each examines the categories it has its own cars for. The citizen chooses the
-- category first and sees only the centers that declare it; a registration records its category.
ALTER TABLE services ADD COLUMN exam_categories text[] NOT NULL DEFAULT '{}';

CREATE TABLE center_exam_categories (
  center_id  text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  category   text NOT NULL CHECK (category ~ '^[A-Z][A-Z0-9]{0,3}$'),
  PRIMARY KEY (center_id, category)
);
CREATE INDEX center_exam_categories_by_category ON center_exam_categories (category);

ALTER TABLE registrations ADD COLUMN exam_category text;

-- SPEC rule 3: a registration moved twice frees a place each time (and may be cancelled after),
-- so one registration can leave several places on their way back to the pool.
ALTER TABLE slot_returns DROP CONSTRAINT slot_returns_registration_id_key;
CREATE INDEX slot_returns_registration ON slot_returns (registration_id);
