import { z } from 'zod';

/** Rule 9, the national admin's suspicion report: booking attempts that look automated. */

const flagged = z.object({
  attempts: z.number(),
  /** Attempts answered with an error (status ≥ 400). */
  failures: z.number(),
  /** Distinct identities behind the subject (1 for an identity). */
  distinctPersons: z.number(),
  /** Problem codes of the attempts and how often each came. */
  codes: z.record(z.string(), z.number()),
  /** Why it is flagged: many_attempts, many_identities, refused_by_antibot, far_above_median. */
  reasons: z.array(z.string()),
});

export const suspicionReport = z.object({
  from: z.string(),
  to: z.string(),
  thresholds: z.object({
    attemptsPerPerson: z.number(),
    personsPerAddress: z.number(),
    refusals: z.number(),
  }),
  identities: z.array(flagged.extend({ personId: z.string() })),
  addresses: z.array(flagged.extend({ address: z.string() })),
});

/** SPEC 3.9: an ALTCHA proof-of-work challenge, valid for the session that fetched it and one scope. */
export const antibotChallenge = z.object({
  algorithm: z.string(),
  challenge: z.string(),
  maxnumber: z.number(),
  salt: z.string(),
  signature: z.string(),
});

export type SuspicionReport = z.infer<typeof suspicionReport>;
