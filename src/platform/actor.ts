/** Who acts, for the audit trail: a citizen, a staff member, a device or the system. */
export interface Actor {
  kind: string;
  id: string | null;
  /** The request's address; empty for the system's own jobs. */
  ip: string;
}

/** The system's own jobs (the release, the alerts feed, reconciliation). */
export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, ip: '' };
