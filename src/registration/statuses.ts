import type { RegistrationStatus } from '../platform/db-schema.js';

/**
 * Every state of a registration (the transition table is in registration-states.ts). A module of
 * its own, without runtime imports, so that the API schemas shared with the web client can name
 * the states from here: a new state cannot be missing from the API.
 */
export const STATUSES = [
  'pending',
  'offered',
  'booked',
  'arrived',
  'called',
  'served',
  'refused_mismatch',
  'no_show',
  'cancelled',
  'lost',
  'released',
] as const satisfies readonly RegistrationStatus[];
