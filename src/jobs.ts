import type { AppContext } from './context.js';
import type { Job } from './platform/jobs.js';

/** Every background job of the service, in one list. */
export function backgroundJobs(ctx: AppContext): Job[] {
  return [
    { name: 'slot-returns', everyMs: 15_000, run: () => ctx.booking.returnDuePlaces() },
    { name: 'session-purge', everyMs: 10 * 60_000, run: () => ctx.sessions.purgeExpired(ctx.db) },
  ];
}
