import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

/** Tables of the fairness area (migrations/0006_fairness.sql). */
export interface AntibotUsedTable {
  challenge: string;
  expires_at: Timestamp;
}

export interface RateLimitsTable {
  key: string;
  points: number;
  expire: number | null;
}

export interface LotteryDrawsTable {
  day: string;
  decides_at: Timestamp;
  seed: string | null;
  drawn_at: Timestamp | null;
  /** When the draw's loss letters were all queued (null after the draw: they are owed). */
  losers_told_at: Timestamp | null;
  entries: number | null;
  won: number | null;
  lost: number | null;
}

export interface LotteryEntriesTable {
  id: string;
  day: string;
  person_id: string;
  service_id: string;
  center_id: string;
  group_id: string;
  slot_id: number;
  starts_at: Timestamp;
  legal_entity: string | null;
  created_at: Timestamp;
  position: number | null;
  outcome: 'won' | 'lost' | null;
  outcome_reason: string | null;
  won_slot_id: number | null;
}

export interface BookingAttemptsTable {
  id: Generated<number>;
  at: Timestamp;
  scope: string;
  person_id: string | null;
  ip: string;
  status: number;
  code: string | null;
}

declare module '../platform/db-schema.js' {
  interface Database {
    antibot_used: AntibotUsedTable;
    rate_limits: RateLimitsTable;
    lottery_draws: LotteryDrawsTable;
    lottery_entries: LotteryEntriesTable;
    booking_attempts: BookingAttemptsTable;
  }
}
