import { z } from 'zod';

/** Free online places: per time of a day, and per day of the horizon. */
export const slotView = z.object({
  id: z.number(),
  startsAt: z.string(),
  endsAt: z.string(),
  free: z.number(),
});

export const availabilityView = z.object({
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ date: z.string(), free: z.number() })),
});

export type SlotView = z.infer<typeof slotView>;
export type AvailabilityView = z.infer<typeof availabilityView>;
