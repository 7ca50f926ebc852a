import { z } from 'zod';
import { STATUSES } from '../registration/statuses.js';

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

/** Rule 1: a booked place (201), the same body an `Idempotency-Key` replay answers. */
export const bookedView = z.object({
  id: z.string(),
  number: z.number().nullable(),
  centerId: z.string(),
  serviceId: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  status: z.literal('booked'),
  cancelUntil: z.string(),
});

/** Until the released day's draw has committed, a request is a lottery entry (202). */
export const pendingView = z.object({
  id: z.string(),
  status: z.literal('pending'),
  decidesAt: z.string(),
});

/** Rule 3: a cancelled registration (or a withdrawn lottery entry). */
export const cancelledView = z.object({ id: z.string(), status: z.literal('cancelled') });

/** Rule 4: a block lifted in person by the head of the center. */
export const blockLiftedView = z.object({ personId: z.string(), lifted: z.boolean() });

const used = z.object({ used: z.number(), limit: z.number() });

/** The citizen's profile: the identifier masked, this month's limits, a block and where to lift it. */
export const meView = z.object({
  id: z.string(),
  lastName: z.string(),
  firstName: z.string(),
  middleName: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  idKind: z.enum(['rnokpp', 'passport']),
  /** Masked: only the identifier the person signed in with is present. */
  rnokpp: z.string().optional(),
  passport: z.string().optional(),
  limits: z.object({ month: z.string(), online: used, terminal: used }),
  blockedUntil: z.string().nullable(),
  /** Rule 4: the center whose head can lift the block early (the last registration's); else null. */
  blockLiftCenter: z.object({ id: z.string(), name: z.string(), address: z.string() }).nullable(),
  /** SPEC §2: the legal entity the e-identification carries, with its daily limits; else null. */
  entityLimits: z
    .object({
      edrpou: z.string(),
      name: z.string(),
      online: z.object({ perDay: z.number() }),
      terminal: z.object({ perDay: z.number() }),
      usedOnline: z.array(z.object({ day: z.string(), used: z.number() })),
    })
    .nullable(),
});

export const registrationStatus = z.enum(STATUSES);

/** "My registrations": each with its place, limits of moving and (rule 13) its arrival facts. */
export const myBookingView = z.object({
  id: z.string(),
  number: z.number().nullable(),
  centerId: z.string(),
  centerName: z.string(),
  centerAddress: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  channel: z.enum(['online', 'terminal']),
  status: registrationStatus,
  startsAt: z.string(),
  callAt: z.string(),
  priority: z.string().nullable(),
  /** Online registrations only (rule 3); null for the terminal's. */
  cancelUntil: z.string().nullable(),
  /** Rule 9: when a lottery entry (status pending) is decided; null for every other status. */
  decidesAt: z.string().nullable(),
  legalEntity: z.string().nullable(),
  legalEntityName: z.string().nullable(),
  examCategory: z.string().nullable(),
  /** Rule 3: how often it was moved and how often it still may be. */
  moves: z.number(),
  movesLeft: z.number(),
  /** Rule 13: the signed arrival code (for the QR) of an online registration of today or later. */
  checkInCode: z.string().nullable(),
  checkedInAt: z.string().nullable(),
  /** On its day, while waiting: people ahead and the expected call. */
  position: z.number().nullable(),
  expectedCallAt: z.string().nullable(),
});

export type SlotView = z.infer<typeof slotView>;
export type AvailabilityView = z.infer<typeof availabilityView>;
export type MovedView = z.infer<typeof movedView>;
