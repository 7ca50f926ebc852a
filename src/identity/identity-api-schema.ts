import { z } from 'zod';

/** Identity answers (devices, the identifier reveal, the demo session): shared by server and web. */

export const deviceKind = z.enum(['terminal', 'board']);

export const deviceIssued = z.object({
  id: z.string(),
  kind: deviceKind,
  label: z.string(),
  centerId: z.string(),
  /** Shown once: only its hash is kept. */
  token: z.string(),
  /** The short code the device is activated with (single use, until `activationExpiresAt`). */
  activationCode: z.string(),
  activationExpiresAt: z.string(),
});

export const deviceActivation = z.object({
  id: z.string(),
  activationCode: z.string(),
  activationExpiresAt: z.string(),
});

export const deviceView = z.object({
  id: z.string(),
  kind: deviceKind,
  label: z.string(),
  createdAt: z.date(),
  lastUsedAt: z.date().nullable(),
  revokedAt: z.date().nullable(),
});

export const deviceRevoked = z.object({ id: z.string(), status: z.literal('revoked') });

export const deviceSession = z.object({ token: z.string(), role: deviceKind, centerId: z.string() });

export const identityReveal = z.object({
  registrationId: z.string(),
  idKind: z.enum(['rnokpp', 'passport']),
  value: z.string(),
  priorityDocument: z.object({ type: z.string().nullable(), number: z.string() }).nullable(),
});

export const devSessionAnswer = z.object({
  role: z.string(),
  token: z.string(),
  csrfToken: z.string(),
  personId: z.string().optional(),
  centerId: z.string().nullable().optional(),
  staffId: z.string().nullable().optional(),
});

export const role = z.enum(['citizen', 'operator', 'center_head', 'national_admin', 'terminal', 'board']);

/** Who is signed in on this browser; only `authenticated: false` without a session. */
export const sessionView = z.object({
  authenticated: z.boolean(),
  role: role.optional(),
  personId: z.string().nullable().optional(),
  staffId: z.string().nullable().optional(),
  centerId: z.string().nullable().optional(),
  deskId: z.string().nullable().optional(),
  legalEntity: z.string().nullable().optional(),
  /** Echoed in the `x-csrf-token` header of every write (double submit). */
  csrfToken: z.string().optional(),
});

export const signedOut = z.object({ status: z.literal('signed_out') });

export type DeviceView = z.infer<typeof deviceView>;
export type IdentityReveal = z.infer<typeof identityReveal>;
