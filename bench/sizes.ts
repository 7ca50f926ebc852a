import type { NationalSize } from './national.js';

/**
 * The national release's size: full = 143 centers, ~20,000 places, 200,000 people, 5,000 bots;
 * quick = the same catalogue, 1,430 places, 3,000 people, 150 bots (CI's guard).
 * BENCH_NATIONAL_PEOPLE overrides the people (bots scale with them, 1 in 40).
 */
export function nationalSize(quick: boolean): NationalSize {
  const people = Number(process.env.BENCH_NATIONAL_PEOPLE ?? (quick ? 3_000 : 200_000));
  const bots = Math.max(10, Math.round(people / 40));
  return quick
    ? {
        centers: 143,
        windows: 10,
        perSlot: 1,
        people,
        bots,
        botAttempts: 3,
        greedyBots: 10,
        solved: 10,
        warmup: 300,
        windowMinutes: 1,
        firstPerson: 1,
      }
    : {
        centers: 143,
        windows: 20,
        perSlot: 7,
        people,
        bots,
        botAttempts: 3,
        greedyBots: Math.min(100, bots),
        solved: 100,
        warmup: 2_000,
        windowMinutes: 10,
        firstPerson: 1,
      };
}
