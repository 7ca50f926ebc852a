import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of the waitlist (migrations/0012_waitlist.sql, 0021_wait_exam_category.sql). */
export type WaitStatus = 'active' | 'offered' | 'fulfilled' | 'left' | 'lapsed';

export interface WaitsTable {
  id: string;
  person_id: string;
  service_id: string;
  group_id: string;
  center_ids: string[];
  from_day: string;
  to_day: string;
  /** Practical exams: the vehicle category waited for (migration 0021); null for other services. */
  exam_category: string | null;
  status: WaitStatus;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface WaitlistOffersTable {
  id: string;
  wait_id: string;
  slot_id: number;
  seed: string;
  candidates: number;
  position: number;
  offered_at: Timestamp;
  expires_at: Timestamp;
  outcome: 'accepted' | 'declined' | 'expired' | null;
  decided_at: Timestamp | null;
}

declare module '../platform/db-schema.js' {
  interface Database {
    waits: WaitsTable;
    waitlist_offers: WaitlistOffersTable;
  }
}
