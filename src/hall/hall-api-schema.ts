import { z } from 'zod';

/** The hall board's snapshot: public, so no personal data, only numbers, desks and counts. */
export const boardCall = z.object({
  number: z.number().nullable(),
  desk: z.number(),
  calledAt: z.string().nullable(),
  priority: z.boolean(),
});

export const boardSnapshot = z.object({
  now: z.string(),
  date: z.string(),
  center: z.object({ id: z.string(), name: z.string() }),
  current: z.array(boardCall),
  recent: z.array(boardCall),
  freeToday: z.object({ total: z.number(), byGroup: z.record(z.string(), z.number()) }),
  freeByService: z.array(z.object({ serviceId: z.string(), name: z.string(), free: z.number() })),
  alert: z.object({ active: z.boolean(), since: z.string().nullable() }),
});

export type BoardSnapshot = z.infer<typeof boardSnapshot>;
