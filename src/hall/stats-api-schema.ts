import { z } from 'zod';

/** A center's day at a glance (operators and the head): the queue now and today's outcomes. */
export const todayStats = z.object({
  date: z.string(),
  center: z.object({ id: z.string(), name: z.string() }),
  /** Waiting now (booked or checked in), in all and per service group. */
  waiting: z.object({
    total: z.number(),
    byGroup: z.array(z.object({ groupId: z.string(), name: z.string(), waiting: z.number() })),
  }),
  /** Called and not finished yet. */
  atDesks: z.number(),
  served: z.number(),
  noShows: z.number(),
  refused: z.number(),
  averageWaitSeconds: z.number().nullable(),
  perDesk: z.array(
    z.object({ desk: z.number(), served: z.number(), averageServiceSeconds: z.number().nullable() }),
  ),
  averageServiceSeconds: z.number().nullable(),
  /** Terminal places left today (slots not ended), in all and per service group. */
  freeToday: z.object({ total: z.number(), byGroup: z.record(z.string(), z.number()) }),
});

/** Statistics over a period (SPEC §1: the head's and the national admin's statistics). */
export const outcomeView = z.object({
  key: z.string(),
  label: z.string().nullable(),
  registrations: z.number(),
  online: z.number(),
  terminal: z.number(),
  served: z.number(),
  noShows: z.number(),
  refused: z.number(),
  cancelled: z.number(),
  /** no-shows among the closed tickets (served + no-show + refused), 0–1; null when none closed. */
  noShowRate: z.number().nullable(),
  waitP50Seconds: z.number().nullable(),
  waitP90Seconds: z.number().nullable(),
  serviceAverageSeconds: z.number().nullable(),
});

export const periodView = outcomeView.extend({
  planned: z.number(),
  booked: z.number(),
});

export const periodStats = z.object({
  centerId: z.string().nullable(),
  from: z.string(),
  to: z.string(),
  grain: z.enum(['day', 'week', 'month']),
  totals: periodView,
  periods: z.array(periodView),
  byChannel: z.array(outcomeView),
  byService: z.array(outcomeView),
  byDesk: z.array(outcomeView),
  byCenter: z.array(outcomeView),
  /** Released days whose online places all went, and how long after the release. */
  sellOut: z.object({
    days: z.array(z.object({ centerId: z.string(), day: z.string(), minutes: z.number().nullable() })),
    medianMinutes: z.number().nullable(),
  }),
});

export const centerNowView = z.object({
  id: z.string(),
  name: z.string(),
  region: z.string(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  freeToday: z.number(),
  waiting: z.number(),
  alert: z.boolean(),
});

export const centersNow = z.object({ now: z.string(), today: z.string(), centers: z.array(centerNowView) });

export type PeriodStats = z.infer<typeof periodStats>;
