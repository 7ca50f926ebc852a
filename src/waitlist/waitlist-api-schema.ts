import { z } from 'zod';

/**
 * The waitlist's request and response shapes (SPEC §4 and rule 12), shared with the web: the
 * portal's types are inferred from these, so a renamed field breaks its type-check.
 */

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Очікується дата у форматі YYYY-MM-DD');

export const joinWaitBody = z.object({
  centerIds: z.array(z.string().min(1).max(64)).min(1).max(10),
  serviceId: z.string().min(1).max(64),
  from: day,
  to: day,
  /**
   * Practical exams: the vehicle category (SPEC §2), required for a service with categories and
   * examined at every center of the wait; refused for other services (as online booking).
   */
  examCategory: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,3}$/)
    .nullish(),
  /** Solved proof-of-work payload (SPEC 3.9), checked by the fairness layer. */
  altcha: z.string().max(4096).optional(),
});

export const waitCreated = z.object({ id: z.string().uuid() });

export const waitView = z.object({
  id: z.string().uuid(),
  serviceId: z.string(),
  serviceName: z.string(),
  centerIds: z.array(z.string()),
  from: z.string(),
  to: z.string(),
  /** Practical exams: the vehicle category waited for; null for other services. */
  examCategory: z.string().nullable(),
  /** `active`: waiting; `offered`: a place is held for this wait (see the offers). */
  status: z.enum(['active', 'offered']),
  createdAt: z.string(),
});

export const offerView = z.object({
  id: z.string().uuid(),
  slotId: z.number().int(),
  centerId: z.string(),
  centerName: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  startsAt: z.string(),
  /** Until when the place is held: the server's time, for the countdown. */
  expiresAt: z.string(),
  /** Practical exams: the vehicle category the place is held for (rule 8); null otherwise. */
  examCategory: z.string().nullable(),
});

export const offerAccepted = z.object({
  id: z.string().uuid(),
  number: z.number().int().nullable(),
  centerId: z.string(),
  serviceId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.literal('booked'),
  cancelUntil: z.string(),
});

export const offerDeclined = z.object({ id: z.string().uuid(), status: z.literal('declined') });
export const waitLeft = z.object({ id: z.string().uuid(), status: z.literal('left') });

export type JoinWaitBody = z.infer<typeof joinWaitBody>;
export type WaitView = z.infer<typeof waitView>;
export type OfferView = z.infer<typeof offerView>;
export type OfferAccepted = z.infer<typeof offerAccepted>;
