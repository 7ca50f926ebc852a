/** Who acts, for the audit trail: a citizen, a staff member, a device or the system. */
export interface Actor {
  kind: string;
  id: string | null;
  ip: string;
}
