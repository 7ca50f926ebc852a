import type { Executor } from '../platform/db.js';

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
    .selectAll()
    .$if(f.action !== undefined, (q) => q.where('action', '=', f.action ?? ''))
    .$if(f.subjectId !== undefined, (q) => q.where('subject_id', '=', f.subjectId ?? ''))
    .$if(f.centerId !== undefined, (q) => q.where('center_id', '=', f.centerId ?? ''))
    .$if(f.from !== undefined, (q) => q.where('at', '>=', f.from ?? new Date(0)))
    .$if(f.to !== undefined, (q) => q.where('at', '<', f.to ?? new Date(0)))
    .$if(f.cursor !== undefined, (q) => q.where('id', '<', f.cursor ?? 0))
    .orderBy('id', 'desc')
    .limit(f.limit + 1)
    .execute();
  const page = rows.slice(0, f.limit);
  return {
    items: page.map((r) => ({
      id: Number(r.id),
      at: new Date(r.at).toISOString(),
      actorKind: r.actor_kind,
      actorId: r.actor_id,
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
