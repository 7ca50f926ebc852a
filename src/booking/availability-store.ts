import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/** Free online places of a released day, one query: the browse hot path. */
export async function freeOnlineSlots(
  db: Executor,
  centerId: string,
  serviceId: string,
  day: string,
  now: Date,
) {
  return storeOp('slot.freeOnline', async () => {
    const { rows } = await sql<{ id: number; starts_at: Date; ends_at: Date; free: number }>`
      SELECT s.id, s.starts_at, s.ends_at, s.capacity - s.booked AS free
      FROM services v
      JOIN slots s ON s.group_id = v.group_id AND s.center_id = ${centerId} AND s.day = ${day} AND s.pool = 'online'
      JOIN capacity_days d ON d.center_id = s.center_id AND d.day = s.day
      WHERE v.id = ${serviceId} AND d.released_at <= ${now} AND s.starts_at > ${now} AND s.booked < s.capacity
      ORDER BY s.starts_at`.execute(db);
    return rows;
  });
}

/** Free online places per released day of a center for a service's group: the calendar view. */
export async function freeOnlinePerDay(
  db: Executor,
  centerId: string,
  serviceId: string,
  from: string,
  to: string,
  now: Date,
) {
  return storeOp('slot.freePerDay', async () => {
    const { rows } = await sql<{ day: string; free: number }>`
      SELECT s.day, sum(s.capacity - s.booked)::int AS free
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
