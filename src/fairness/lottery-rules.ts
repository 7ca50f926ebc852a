import type { Policy } from '../config.js';
import { addDays, type Day, formatHm, kyivDay, kyivInstant } from '../platform/kyiv-time.js';
import { releasedDay } from './fairness-rules.js';

/**
 * When the release lottery decides a day (SPEC 3.9): from the release moment until its draw has
 * committed, a request for the released day is an entry, never a first-come booking. The window
 * only says when the draw starts; the draw's commit (lottery_draws.drawn_at) ends the lottery.
 */

type LotteryPolicy = Pick<Policy, 'horizonDays' | 'releaseHour' | 'lotteryWindowMinutes'>;

/** The release of `day` if it was released today at or before `now`: its window's bounds. */
export function releaseOf(
  day: Day,
  now: Date,
  policy: LotteryPolicy,
): { opensAt: Date; decidesAt: Date } | null {
  if (policy.lotteryWindowMinutes <= 0) return null;
  if (day !== releasedDay(now, policy)) return null;
  const opensAt = kyivInstant(kyivDay(now), formatHm(policy.releaseHour * 60));
  if (now < opensAt) return null;
  return { opensAt, decidesAt: new Date(opensAt.getTime() + policy.lotteryWindowMinutes * 60_000) };
}

/** The state of a day's draw as stored: when it starts and whether it has committed. */
export interface DrawState {
  decidesAt: Date;
  drawnAt: Date | null;
}

/**
 * Whether a request for `day` at `now` is a lottery entry: its draw exists and has not
 * committed, or (no draw row yet) the day was released today and nothing has drawn it.
 * Returns when the draw starts, or null for first-come.
 */
export function undecided(
  day: Day,
  now: Date,
  draw: DrawState | null,
  policy: LotteryPolicy,
): { decidesAt: Date } | null {
  if (draw) return draw.drawnAt ? null : { decidesAt: draw.decidesAt };
  const release = releaseOf(day, now, policy);
  return release ? { decidesAt: release.decidesAt } : null;
}

/** The next moment a release window closes (a draw must start), strictly after `now`. */
export function nextDrawAt(now: Date, policy: LotteryPolicy): Date | null {
  if (policy.lotteryWindowMinutes <= 0) return null;
  const today = kyivDay(now);
  for (const day of [today, addDays(today, 1)]) {
    const opensAt = kyivInstant(day, formatHm(policy.releaseHour * 60));
    const closesAt = new Date(opensAt.getTime() + policy.lotteryWindowMinutes * 60_000);
    if (closesAt > now) return closesAt;
  }
  return null;
}
