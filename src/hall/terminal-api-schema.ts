import { z } from 'zod';

/** Answers of the kiosk's time choice and check-in, shared with the web (web/shared/api.ts). */

export const terminalTime = z.object({
  /** The slot's start; a time already begun is called at once. */
  callTime: z.string(),
  free: z.number().int(),
});

export const checkInAnswer = z.object({
  id: z.string(),
  number: z.number().int().nullable(),
  /** People ahead in the queue of the ticket's service group. */
  position: z.number().int(),
  expectedCallAt: z.string(),
  /** Desks that serve the ticket. */
  desks: z.array(z.number().int()),
});
