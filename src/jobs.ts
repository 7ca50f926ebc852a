import type { AppContext } from './context.js';
import type { Job } from './platform/jobs.js';

/** Every background job of the service, in one list. */
export function backgroundJobs(ctx: AppContext): Job[] {
  return [
    // Idempotent: generates whatever days today … today+horizon lack; the 21st day opens at 06:00.
    { name: 'capacity-release', everyMs: 60_000, run: () => ctx.capacity.releaseDue() },
    { name: 'slot-returns', everyMs: 15_000, run: () => ctx.booking.returnDuePlaces() },
    // Waitlist offers whose hold ended lapse; their places go to the next draw (or the pool).
    {
      name: 'waitlist-offers',
      everyMs: 15_000,
      run: async () => [await ctx.waitlist.expireDue(), await ctx.waitlist.offerFreePlaces()],
    },
    // Release lottery: each instance wakes at the moment a window closes (it sleeps until then
    // when the close is within the period); one of them takes the draw's lock and draws.
    { name: 'lottery-draw', everyMs: 5_000, run: () => ctx.fairness.lottery.drawOnTime(5_000) },
    { name: 'antibot-purge', everyMs: 10 * 60_000, run: () => ctx.fairness.antibot.purgeExpired() },
    // From 18:00 Kyiv: one reminder per booked online registration of tomorrow (deduplicated).
    { name: 'reminders', everyMs: 5 * 60_000, run: () => ctx.notify.sendReminders() },
    { name: 'outbox-purge', everyMs: 60 * 60_000, run: () => ctx.notify.purgeSent() },
    // Regional air-raid alerts feed (ALERTS_FEED_URL): opens / closes the centers' feed alerts.
    ...(ctx.config.hall.alertsFeedUrl
      ? [
          {
            name: 'alerts-feed',
            everyMs: ctx.config.hall.alertsPollMs,
            run: () => ctx.hall.alerts.pollFeed(),
          },
        ]
      : []),
    { name: 'session-purge', everyMs: 10 * 60_000, run: () => ctx.sessions.purgeExpired(ctx.db) },
  ];
}
