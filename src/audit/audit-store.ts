import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';

/** One append-only audit record: who, when, what, from where. Never personal identifiers. */
export interface AuditEntry {
  at: Date;
  actorKind: string;
  actorId?: string | null;
  action: string;
  subjectKind?: string;
  subjectId?: string;
  centerId?: string | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(db: Executor, entry: AuditEntry): Promise<void> {
  await storeOp(`audit.${entry.action}`, () => auditQuery(db, entry).execute());
}

/** Actor kinds that are staff rows (their id is `staff.id`, bound to the SSO subject at login). */
export const STAFF_ACTOR_KINDS = ['operator', 'center_head', 'national_admin'] as const;

const isStaffActor = (kind: string) => (STAFF_ACTOR_KINDS as readonly string[]).includes(kind);

/**
 * The INSERT of `audit`, to run alone or as a part of a larger single statement. A staff actor's
 * name and position are copied from the staff row in the same statement: the entry keeps them as
 * they were at the time of the action, whatever the staff row says later.
 */
export function auditQuery(db: Executor, entry: AuditEntry) {
  const staffId = entry.actorId && isStaffActor(entry.actorKind) ? entry.actorId : null;
  const staffColumn = (column: 'full_name' | 'role') =>
    db
      .selectFrom('staff')
      .select(column)
      .where('id', '=', staffId ?? '')
      .limit(1);
  return db.insertInto('audit_log').values({
    actor_name: staffId ? staffColumn('full_name') : null,
    actor_staff_role: staffId ? staffColumn('role') : null,
    at: entry.at,
    actor_kind: entry.actorKind,
    actor_id: entry.actorId ?? null,
    action: entry.action,
    subject_kind: entry.subjectKind ?? null,
    subject_id: entry.subjectId ?? null,
    center_id: entry.centerId ?? null,
    ip: entry.ip ?? null,
    details: JSON.stringify(entry.details ?? {}),
  });
}

/**
 * The audit query (newest first, keyset-paged by id): the national admin sees everything, a
 * center head only the entries of their center.
 */
export interface AuditFilter {
  action?: string;
  subjectId?: string;
  centerId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: number;
}

export async function queryAudit(db: Executor, f: AuditFilter) {
  const rows = await db
    .selectFrom('audit_log')
    // Staff act under their staff row's id (bound to the SSO subject at login), so the entry
    // names the person: the SSO identity's name as it was when they acted (stored with the entry).
    .selectAll('audit_log')
    .$if(f.action !== undefined, (q) => q.where('audit_log.action', '=', f.action ?? ''))
    .$if(f.subjectId !== undefined, (q) => q.where('audit_log.subject_id', '=', f.subjectId ?? ''))
    .$if(f.centerId !== undefined, (q) => q.where('audit_log.center_id', '=', f.centerId ?? ''))
    .$if(f.from !== undefined, (q) => q.where('audit_log.at', '>=', f.from ?? new Date(0)))
    .$if(f.to !== undefined, (q) => q.where('audit_log.at', '<', f.to ?? new Date(0)))
    .$if(f.cursor !== undefined, (q) => q.where('audit_log.id', '<', f.cursor ?? 0))
    .orderBy('audit_log.id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      actorKind: r.actor_kind,
      actorId: r.actor_id,
      actorName: r.actor_name ?? null,
      actorStaffRole: r.actor_staff_role ?? null,
      action: r.action,
      subjectKind: r.subject_kind,
      subjectId: r.subject_id,
      centerId: r.center_id,
      ip: r.ip,
      details: r.details,
    })),
    nextCursor: rows.length > f.limit ? String(page[page.length - 1]?.id) : null,
  };
}
