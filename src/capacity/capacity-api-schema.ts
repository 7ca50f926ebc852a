import { z } from 'zod';

/** The center head's capacity screens: desks, staff, roster, absences, preview, conflicts. */

export const adminDeskView = z.object({
  id: z.string(),
  number: z.number(),
  groupIds: z.array(z.string()),
  active: z.boolean(),
});

export const staffView = z.object({
  id: z.string(),
  fullName: z.string(),
  role: z.enum(['administrator', 'examiner', 'center_head', 'national_admin']),
  email: z.string().nullable(),
  active: z.boolean(),
});

export const shiftView = z.object({
  id: z.number(),
  staffId: z.string(),
  deskId: z.string(),
  weekdays: z.array(z.number()),
  validFrom: z.string(),
  validTo: z.string().nullable(),
  starts: z.string().nullable(),
  ends: z.string().nullable(),
});

export const absenceView = z.object({
  staffId: z.string(),
  fullName: z.string(),
  day: z.string(),
  reason: z.string().nullable(),
});

const poolUse = z.object({ capacity: z.number(), booked: z.number() });

export const previewDayView = z.object({
  day: z.string(),
  generatedAt: z.string(),
  releasedAt: z.string(),
  groups: z.array(
    z.object({
      groupId: z.string(),
      online: poolUse,
      terminal: poolUse,
      slots: z.array(
        z.object({
          id: z.number(),
          startsAt: z.string(),
          endsAt: z.string(),
          pool: z.enum(['online', 'terminal']),
          capacity: z.number(),
          booked: z.number(),
        }),
      ),
    }),
  ),
});

export const conflictView = z.object({
  id: z.number(),
  day: z.string(),
  registrationId: z.string(),
  reason: z.string(),
  createdAt: z.string(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  number: z.number().nullable(),
  status: z.string(),
  startsAt: z.string(),
  groupId: z.string(),
  channel: z.enum(['online', 'terminal']),
  person: z.object({
    name: z.string(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
  }),
  serviceName: z.string(),
});

/**
 * What a settings change did: every change regenerates the center's generated days from today
 * on in the same transaction, so its answer lists the days recomputed, the registrations that
 * lost their place (conflicts) and the slots now holding more than their capacity.
 */
export const regenerationEffect = z.object({
  regenerated: z.number(),
  conflicts: z.array(
    z.object({
      id: z.number(),
      registrationId: z.string(),
      day: z.string(),
      reason: z.string(),
      centerId: z.string(),
    }),
  ),
  overbooked: z.array(
    z.object({ slotId: z.number(), capacity: z.number(), held: z.number(), centerId: z.string() }),
  ),
});

/** The answers of the roster routes: the change as made, with its regeneration effect. */
export const deskAdded = regenerationEffect.extend({
  id: z.string(),
  number: z.number(),
  groupIds: z.array(z.string()),
  active: z.boolean(),
});
export const deskUpdated = regenerationEffect.extend({
  id: z.string(),
  groupIds: z.array(z.string()).optional(),
  active: z.boolean().optional(),
});
export const staffAdded = regenerationEffect.extend({
  id: z.string(),
  fullName: z.string(),
  role: z.enum(['administrator', 'examiner']),
  email: z.string().optional(),
  active: z.boolean(),
});
export const staffActiveSet = regenerationEffect.extend({ id: z.string(), active: z.boolean() });
export const shiftAdded = regenerationEffect.extend({
  id: z.number(),
  staffId: z.string(),
  deskId: z.string(),
  weekdays: z.array(z.number()),
  validFrom: z.string(),
  validTo: z.string().nullish(),
  starts: z.string().nullish(),
  ends: z.string().nullish(),
});
export const shiftRemoved = regenerationEffect.extend({ id: z.number(), removed: z.boolean() });
export const absenceAdded = regenerationEffect.extend({
  staffId: z.string(),
  day: z.string(),
  reason: z.string().optional(),
});
export const absenceRemoved = regenerationEffect.extend({
  staffId: z.string(),
  day: z.string(),
  removed: z.boolean(),
});

/**
 * A center's settings capacity depends on: opening hours per ISO weekday ('1' Monday … '7'),
 * online share. (The same shape as the catalogue's; not imported, as catalog imports capacity.)
 */
const workingDayView = z.object({
  open: z.string(),
  close: z.string(),
  breakFrom: z.string().optional(),
  breakTo: z.string().optional(),
});
export const centerSettings = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  region: z.string(),
  address: z.string(),
  /** Only the open days: a weekday missing here is closed. */
  workingHours: z.partialRecord(z.string(), workingDayView),
  /** The online pool's share of each slot, 0 … 1 (the rest is the kiosk's). */
  onlineShare: z.number(),
});
export const centerSettingsUpdated = regenerationEffect.extend({
  centerId: z.string(),
  workingHours: z.partialRecord(z.string(), workingDayView).optional(),
  onlineShare: z.number().optional(),
});

/** A holiday: the nation's (`centerId` null, `national`) or one center's own. */
export const holidayView = z.object({
  id: z.number(),
  day: z.string(),
  name: z.string(),
  centerId: z.string().nullable(),
  national: z.boolean(),
});
export const holidayAdded = regenerationEffect.extend({ id: z.number(), day: z.string(), name: z.string() });
export const holidayRemoved = regenerationEffect.extend({ id: z.number(), removed: z.boolean() });

/**
 * A norm (operations per staff member and day) of a service group and role: the national one, the
 * center's own (`perDay`: the override, null when the national one applies; nationally the
 * national one) and the one in force.
 */
export const normView = z.object({
  groupId: z.string(),
  groupName: z.string(),
  role: z.enum(['administrator', 'examiner']),
  national: z.number().nullable(),
  perDay: z.number().nullable(),
  effective: z.number().nullable(),
});
export const normsSet = regenerationEffect.extend({
  norms: z.array(
    z.object({
      groupId: z.string(),
      role: z.enum(['administrator', 'examiner']),
      perDay: z.number().nullable(),
    }),
  ),
});

/** A regeneration the head asked for: the days recomputed, slots written, conflicts, overbooked slots. */
export const regenerationView = z.object({
  centerId: z.string(),
  days: z.array(z.string()),
  slots: z.number(),
  conflicts: z.array(
    z.object({ id: z.number(), registrationId: z.string(), day: z.string(), reason: z.string() }),
  ),
  overbooked: z.array(z.object({ slotId: z.number(), capacity: z.number(), held: z.number() })),
});

export const conflictResolved = z.object({ id: z.number(), resolved: z.boolean() });

export type AdminDeskView = z.infer<typeof adminDeskView>;
export type StaffView = z.infer<typeof staffView>;
export type ShiftView = z.infer<typeof shiftView>;
export type PreviewDayView = z.infer<typeof previewDayView>;
export type ConflictView = z.infer<typeof conflictView>;
