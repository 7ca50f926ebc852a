import type { ColumnType, Generated } from 'kysely';

/** Kysely types of the hall tables (migrations/0005_hall.sql). */

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export type AlertSource = 'manual' | 'feed';

export interface AlertPeriodsTable {
  id: Generated<number>;
  center_id: string;
  started_at: Timestamp;
  ended_at: Timestamp | null;
  source: AlertSource;
  started_by: string | null;
  ended_by: string | null;
}

export interface PriorityClaimsTable {
  person_id: string;
  service_id: string;
  day: string;
  registration_id: string;
}

declare module '../platform/db-schema.js' {
  interface Database {
    alert_periods: AlertPeriodsTable;
    priority_claims: PriorityClaimsTable;
  }
}
