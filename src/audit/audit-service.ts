import type { Db } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { type AuditFilter, queryAudit } from './audit-store.js';

/** The audit log's reader: the national admin sees everything, a center head only their center. */
export function createAuditService({ db }: { db: Db }) {
  return {
    query(principal: { role: string; centerId: string | null } | null, filter: AuditFilter) {
      let centerId = filter.centerId;
      if (principal?.role === 'center_head') {
        if (centerId && centerId !== principal.centerId) throw new DomainError('FORBIDDEN');
        centerId = principal.centerId ?? '';
      }
      return queryAudit(db, { ...filter, centerId });
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
