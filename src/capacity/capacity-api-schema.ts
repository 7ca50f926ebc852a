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

export type AdminDeskView = z.infer<typeof adminDeskView>;
export type StaffView = z.infer<typeof staffView>;
export type ShiftView = z.infer<typeof shiftView>;
export type PreviewDayView = z.infer<typeof previewDayView>;
export type ConflictView = z.infer<typeof conflictView>;
