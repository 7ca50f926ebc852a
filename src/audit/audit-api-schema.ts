import { z } from 'zod';

/** The audit log page: newest first, `nextCursor` pages on (null on the last page). */
export const auditEntryView = z.object({
  id: z.number(),
  at: z.string(),
  actorKind: z.string(),
  actorId: z.string().nullable(),
  /** A staff actor's name (the SSO identity's), e.g. "Іваненко Олена"; null for others. */
  actorName: z.string().nullable(),
  /** A staff actor's position: administrator, examiner, center_head, national_admin. */
  actorStaffRole: z.string().nullable(),
  action: z.string(),
  subjectKind: z.string().nullable(),
  subjectId: z.string().nullable(),
  centerId: z.string().nullable(),
  ip: z.string().nullable(),
  details: z.record(z.string(), z.unknown()),
});

export const auditPage = z.object({ items: z.array(auditEntryView), nextCursor: z.string().nullable() });

export type AuditEntryView = z.infer<typeof auditEntryView>;
export type AuditPage = z.infer<typeof auditPage>;
