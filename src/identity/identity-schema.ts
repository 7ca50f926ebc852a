import type { ColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface AuthFlowsTable {
  id_hash: string;
  provider: 'idgovua' | 'staff_oidc';
  state: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface DeviceCredentialsTable {
  id: string;
  center_id: string;
  kind: 'terminal' | 'board';
  label: string;
  token_hash: string;
  created_at: Timestamp;
  created_by: string | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
  revoked_by: string | null;
  /** Hash of the short activation code (migration 0016); null once used. */
  activation_hash: string | null;
  activation_expires_at: Timestamp | null;
}

declare module '../platform/db-schema.js' {
  interface Database {
    auth_flows: AuthFlowsTable;
    device_credentials: DeviceCredentialsTable;
  }
}
