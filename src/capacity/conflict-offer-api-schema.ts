import { z } from 'zod';

/** The head's conflict actions (SPEC rule 8): free times to offer, offers and their state. */

export const freeTimeView = z.object({
  slotId: z.number(),
  day: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  free: z.number(),
});

export const offerState = z.enum(['sent', 'accepted', 'expired', 'withdrawn']);

export const sentOfferView = z.object({
  id: z.string(),
  conflictId: z.number(),
  slotId: z.number(),
  startsAt: z.string(),
  expiresAt: z.string(),
  state: offerState,
});

export const conflictOffersView = z.object({
  offers: z.array(
    sentOfferView.extend({
      createdAt: z.string(),
      decidedAt: z.string().nullable(),
    }),
  ),
  /** What was done with each settled conflict: moved (offer accepted), cancelled, resolved. */
  outcomes: z.array(z.object({ id: z.number(), outcome: z.string().nullable() })),
});

export const conflictCancelledView = z.object({
  id: z.number(),
  registrationId: z.string(),
  status: z.literal('cancelled'),
  notified: z.boolean(),
});

export type FreeTimeView = z.infer<typeof freeTimeView>;
export type ConflictOffersView = z.infer<typeof conflictOffersView>;
