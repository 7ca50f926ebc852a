import { z } from 'zod';

/** A center's air-raid alert (rule 7): on since when, or off (`since` null). */
export const alertState = z.object({ active: z.boolean(), since: z.string().nullable() });

/** The national martial-law switch (SPEC §3.5c): serving military have priority only while it is on. */
export const martialLawState = z.object({ active: z.boolean() });

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
  alert: alertState,
});

export type BoardSnapshot = z.infer<typeof boardSnapshot>;
