-- SPEC §2 Exams and rules 8, 12: a wait for a practical exam names the vehicle category, as a
-- booking does. A freed place of an exam is offered only to waiters whose category the center
-- examines and still has a place that day; the offer records the category and claims its place.
-- NULL for services without categories (and for waits made before this column existed).
ALTER TABLE waits ADD COLUMN exam_category text;
