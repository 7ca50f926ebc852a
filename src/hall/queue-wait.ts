import type { Executor } from '../platform/db.js';
import { loadQueue, serviceMsOf } from './board-store.js';
import { desksServing } from './hall-store.js';
import { peopleAhead } from './queue-rules.js';

/**
 * How long the people ahead of a waiting ticket keep the desks busy from now: the hall's own
 * estimate (people ahead shared by the desks of the group, at the day's average service time).
 */
export async function queueAheadMs(
  db: Executor,
  r: { id: string; centerId: string; day: string },
  fallbackMs: number,
): Promise<number> {
  const queue = await loadQueue(db, r.centerId, r.day);
  const me = queue.find((q) => q.id === r.id);
  if (!me) return 0;
  const ahead = peopleAhead(queue, me);
  if (ahead === 0) return 0;
  const desks = (await desksServing(db, r.centerId, me.groupId)).length;
  if (desks === 0) return 0;
  return Math.floor(ahead / desks) * (await serviceMsOf(db, r.centerId, r.day, fallbackMs));
}
