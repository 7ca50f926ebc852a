import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/**
 * Rule 8: what is left of an exam category's online places on the slot's day (`s` is the slot);
 * no category leaves the slot's own free places.
 */
const categoryLeft = (category: string | null) =>
  category
    ? sql<number>`greatest(0, exam_category_cap(s.center_id, s.group_id, s.day, 'online', ${category}::text)
        - coalesce((SELECT c.booked FROM exam_category_places c WHERE c.center_id = s.center_id
            AND c.day = s.day AND c.pool = 'online' AND c.category = ${category}::text), 0))`
    : sql<number>`${2 ** 31 - 1}::int`;

/**
 * Free online places of a released day, one query: the browse hot path. With a vehicle category
 * (rule 8) no slot offers more than the category has left that day, and none once it has none.
 */
export async function freeOnlineSlots(
  db: Executor,
  centerId: string,
  serviceId: string,
  day: string,
  now: Date,
  category: string | null = null,
) {
  return storeOp('slot.freeOnline', async () => {
    const { rows } = await sql<{ id: number; starts_at: Date; ends_at: Date; free: number }>`
      SELECT id, starts_at, ends_at, least(free, category_left) AS free FROM (
        SELECT s.id, s.starts_at, s.ends_at, s.capacity - s.booked AS free, ${categoryLeft(category)} AS category_left
        FROM services v
        JOIN slots s ON s.group_id = v.group_id AND s.center_id = ${centerId} AND s.day = ${day} AND s.pool = 'online'
        JOIN capacity_days d ON d.center_id = s.center_id AND d.day = s.day
        WHERE v.id = ${serviceId} AND d.released_at <= ${now} AND s.starts_at > ${now} AND s.booked < s.capacity
      ) f
      WHERE category_left > 0
      ORDER BY starts_at`.execute(db);
    return rows;
  });
}

/**
 * Free online places per released day of a center for a service's group: the calendar view. With a
 * vehicle category (rule 8) a day offers at most what the category has left that day.
 */
export async function freeOnlinePerDay(
  db: Executor,
  centerId: string,
  serviceId: string,
  from: string,
  to: string,
  now: Date,
  category: string | null = null,
) {
  return storeOp('slot.freePerDay', async () => {
    const { rows } = await sql<{ day: string; free: number }>`
      SELECT s.day, least(sum(s.capacity - s.booked), min(${categoryLeft(category)}))::int AS free
      FROM services v
      JOIN slots s ON s.group_id = v.group_id AND s.center_id = ${centerId} AND s.pool = 'online'
        AND s.day BETWEEN ${from} AND ${to}
      JOIN capacity_days d ON d.center_id = s.center_id AND d.day = s.day
      WHERE v.id = ${serviceId} AND d.released_at <= ${now} AND s.starts_at > ${now} AND s.booked < s.capacity
      GROUP BY s.day
      ORDER BY s.day`.execute(db);
    return rows;
  });
}

export async function centerAndServiceExist(db: Executor, centerId: string, serviceId: string) {
  const { rows } = await sql<{ center: boolean; service: boolean }>`
    SELECT EXISTS (SELECT 1 FROM centers WHERE id = ${centerId}) AS center,
           EXISTS (SELECT 1 FROM services WHERE id = ${serviceId}) AS service`.execute(db);
  return rows[0] ?? { center: false, service: false };
}
