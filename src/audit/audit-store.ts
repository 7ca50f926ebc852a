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

/** The INSERT of `audit`, to run alone or as a part of a larger single statement. */
export function auditQuery(db: Executor, entry: AuditEntry) {
  return db.insertInto('audit_log').values({
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
