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

/** The kiosk's registration (SPEC §4): the ticket, where and when it is called, whom it was sent to. */
export const terminalTicket = z.object({
  id: z.string(),
  number: z.number().int().nullable(),
  /** The time the ticket is called from (its slot's start, or now). */
  callTime: z.string(),
  /** The priority category (rule 5), null in the ordinary queue. */
  priority: z.string().nullable(),
  center: z.object({ id: z.string(), name: z.string() }),
  service: z.object({ id: z.string(), name: z.string() }),
  /** SPEC §2: the legal entity the registration is for, under its registered name. */
  legalEntity: z.object({ edrpou: z.string(), name: z.string() }).nullable(),
  /** SPEC §2 Exams: the vehicle category of a practical exam. */
  examCategory: z.string().nullable(),
  /** Desks that serve the ticket. */
  desks: z.array(z.number().int()),
  peopleAhead: z.number().int(),
  estimatedCallTime: z.string(),
  emailSentTo: z.string(),
});
