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

/** A moved registration (SPEC rule 3): the same id, its new place and how often it has moved. */
export const movedView = z.object({
  id: z.string(),
  number: z.number().nullable(),
  centerId: z.string(),
  serviceId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.literal('booked'),
  moves: z.number(),
  cancelUntil: z.string(),
});

export type SlotView = z.infer<typeof slotView>;
export type AvailabilityView = z.infer<typeof availabilityView>;
export type MovedView = z.infer<typeof movedView>;
