-- SPEC rule 8: an examiner takes about 15 practical exams a day per vehicle category the center
-- has a car for. A center declares how many cars of each category it examines with; a day's
-- places of a category are capped at cars × the examiner norm (never more than the exam group's
-- capacity that day), split between the online and the terminal pool in the proportion of the
-- day's pools, so one category cannot take every place of the exam slots.
ALTER TABLE center_exam_categories ADD COLUMN cars int NOT NULL DEFAULT 1 CHECK (cars >= 0);

-- The places of a category claimed per center, day and pool: claimed with one conditional upsert
-- in the same transaction (or statement) as the slot place, given back with it.
CREATE TABLE exam_category_places (
  center_id  text NOT NULL REFERENCES centers (id) ON DELETE CASCADE,
  day        date NOT NULL,
  pool       text NOT NULL CHECK (pool IN ('online', 'terminal')),
  category   text NOT NULL,
  booked     int NOT NULL CHECK (booked >= 0),
  PRIMARY KEY (center_id, day, pool, category)
);

-- The cap of one category in one pool of a center's day for a service group: cars × the norm
-- (the center's own norm for the group's role, else the national one; with no norm at all the
-- slots were not made from norms and only the day's capacity bounds it), at most the group's
-- capacity that day, the pool's share in proportion to the pools' capacities (the online share
-- rounded, the terminal pool the rest, as the slots themselves are split).
CREATE FUNCTION exam_category_cap(p_center text, p_group text, p_day date, p_pool text, p_category text)
RETURNS int LANGUAGE sql STABLE AS $$
  WITH day_pools AS (
    SELECT coalesce(sum(capacity), 0)::int AS total,
           coalesce(sum(capacity) FILTER (WHERE pool = 'online'), 0)::int AS online
    FROM slots WHERE center_id = p_center AND group_id = p_group AND day = p_day
  ), cap AS (
    SELECT least(
      coalesce((SELECT cars FROM center_exam_categories WHERE center_id = p_center AND category = p_category), 0)
      * coalesce((SELECT n.per_day FROM norms n JOIN service_groups g ON g.id = n.group_id AND g.role = n.role
                  WHERE n.group_id = p_group AND (n.center_id = p_center OR n.center_id IS NULL)
                  ORDER BY n.center_id NULLS LAST LIMIT 1), total),
      total) AS places, total, online
    FROM day_pools
  )
  SELECT CASE
    WHEN total = 0 THEN 0
    WHEN p_pool = 'online' THEN round(places * online::numeric / total)::int
    ELSE places - round(places * online::numeric / total)::int
  END FROM cap
$$;

-- A place freed by a cancellation or a move keeps its category place until the place itself
-- returns to the pool (rule 3: a freed scarce category place never goes to whoever polls first).
ALTER TABLE slot_returns ADD COLUMN exam_category text;

-- Registrations already holding a place of a category count from the start.
INSERT INTO exam_category_places (center_id, day, pool, category, booked)
SELECT s.center_id, s.day, s.pool, r.exam_category, count(*)::int
FROM registrations r JOIN slots s ON s.id = r.slot_id
WHERE r.exam_category IS NOT NULL AND r.status NOT IN ('pending', 'cancelled', 'lost', 'released')
GROUP BY s.center_id, s.day, s.pool, r.exam_category;
