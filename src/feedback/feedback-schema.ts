import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;

export interface FeedbackTable {
  id: Generated<number>;
  registration_id: string;
  center_id: string;
  desk_id: string | null;
  rating: number;
  comment: string | null;
  created_at: Timestamp;
}

export interface FeedbackTokensTable {
  token_hash: string;
  registration_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: Timestamp | null;
}

declare module '../platform/db-schema.js' {
  interface Database {
    feedback: FeedbackTable;
    feedback_tokens: FeedbackTokensTable;
  }
}
