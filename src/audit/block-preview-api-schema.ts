import { z } from 'zod';

/** Rule 4's preview of the person whose block a head is about to lift (masked). */

const centerRef = z.object({ id: z.string(), name: z.string(), address: z.string() });

export const blockPreviewBody = z.object({
  idKind: z.enum(['rnokpp', 'passport']),
  idValue: z.string().trim().min(6).max(20),
});

export const blockPreviewView = z.object({
  person: z.object({
    /** Each part keeps at most its last 2 characters ("******ко"). */
    lastName: z.string(),
    firstName: z.string(),
    middleName: z.string().nullable(),
    idKind: z.enum(['rnokpp', 'passport']),
    idMasked: z.string(),
  }),
  /** Since when (the no-show that set it) and until when. */
  blockedAt: z.string().nullable(),
  blockedUntil: z.string(),
  /** The reason: no-shows in the month that set the block (null when unknown). */
  noShows: z.number().nullable(),
  /** The center of the no-show that set it. */
  blockCenter: centerRef.nullable(),
  /** The center whose head may lift it (of the person's last registration). */
  liftCenter: centerRef.nullable(),
});

export type BlockPreviewView = z.infer<typeof blockPreviewView>;
