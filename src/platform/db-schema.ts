import type { ColumnType, Generated } from 'kysely';

/** Table types for Kysely, matching migrations/*.sql. `date` columns are ISO day strings. */

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json<T> = ColumnType<T, string | T, string | T>;

export interface WorkingDay {
  open: string;
  close: string;
  breakFrom?: string;
  breakTo?: string;
}
/** ISO weekday ("1" = Monday … "7" = Sunday) → hours; a missing day is closed. */
export type WorkingHours = Partial<Record<string, WorkingDay>>;

export interface CentersTable {
  id: string;
  code: string;
  name: string;
  region: string;
  address: string;
  name_en: ColumnType<string | null, string | null | undefined, string | null>;
  address_en: ColumnType<string | null, string | null | undefined, string | null>;
  latitude: number | null;
  longitude: number | null;
  working_hours: Json<WorkingHours>;
  online_share: ColumnType<number, number | undefined, number>;
  alert_region: string | null;
  created_at: Generated<Date>;
}

export interface HolidaysTable {
  id: Generated<number>;
  center_id: string | null;
  day: string;
  name: string;
}

export type StaffRole = 'administrator' | 'examiner' | 'center_head' | 'national_admin';
export type OperatorRole = 'administrator' | 'examiner';

export interface ServiceGroupsTable {
  id: string;
  code: string;
  name: string;
  role: OperatorRole;
  sort: Generated<number>;
}

export interface ServicesTable {
  id: string;
  code: string;
  name: string;
  group_id: string;
  is_exam: Generated<boolean>;
  documents: ColumnType<string[], string[] | undefined, string[]>;
  price: string | null;
  name_en: ColumnType<string | null, string | null | undefined, string | null>;
  documents_en: ColumnType<string[], string[] | undefined, string[]>;
  price_en: ColumnType<string | null, string | null | undefined, string | null>;
  sort: Generated<number>;
  /** Vehicle categories a practical exam is taken in (SPEC §2 Exams); empty for other services. */
  exam_categories: ColumnType<string[], string[] | undefined, string[]>;
}

export interface DesksTable {
  id: string;
  center_id: string;
  number: number;
  group_ids: string[];
  active: Generated<boolean>;
}

export interface StaffTable {
  id: string;
  center_id: string | null;
  full_name: string;
  role: StaffRole;
  email: string | null;
  oidc_sub: string | null;
  active: Generated<boolean>;
}

export interface NormsTable {
  id: Generated<number>;
  center_id: string | null;
  group_id: string;
  role: OperatorRole;
  per_day: number;
}

export interface RosterShiftsTable {
  id: Generated<number>;
  center_id: string;
  staff_id: string;
  desk_id: string;
  weekdays: number[];
  valid_from: string;
  valid_to: string | null;
  starts: string | null;
  ends: string | null;
}

export interface StaffAbsencesTable {
  staff_id: string;
  day: string;
  reason: string | null;
}

export type Pool = 'online' | 'terminal';

export interface SlotsTable {
  id: Generated<number>;
  center_id: string;
  group_id: string;
  day: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  pool: Pool;
  capacity: number;
  booked: Generated<number>;
}

export interface SlotReturnsTable {
  id: Generated<number>;
  slot_id: number;
  registration_id: string;
  due_at: Timestamp;
  /** Rule 8: the vehicle category place the freed place takes back with it (migrations/0018). */
  exam_category: string | null;
}

export interface CapacityDaysTable {
  center_id: string;
  day: string;
  generated_at: Timestamp;
  released_at: Timestamp;
}

export interface CapacityConflictsTable {
  id: Generated<number>;
  center_id: string;
  day: string;
  registration_id: string;
  reason: string;
  created_at: Timestamp;
  resolved_at: Timestamp | null;
  resolved_by: string | null;
  resolution: string | null;
  /** What settled it (migration 0019): marked resolved, moved by an accepted offer, cancelled with notice. */
  outcome: 'resolved' | 'moved' | 'cancelled' | null;
}

export type IdKind = 'rnokpp' | 'passport';

export interface PersonsTable {
  id: string;
  id_hash: string;
  id_kind: IdKind;
  id_enc: string;
  last_name: string;
  first_name: string;
  middle_name: string | null;
  email: string | null;
  phone: string | null;
  lang: Generated<string>;
  blocked_until: Timestamp | null;
  blocked_at: Timestamp | null;
  block_center_id: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** Further identifiers of a person (migrations/0011): the passport next to the РНОКПП. */
export interface PersonIdentifiersTable {
  id_hash: string;
  person_id: string;
  id_kind: IdKind;
  created_at: Timestamp;
}

export interface LegalEntitiesTable {
  edrpou: string;
  name: string;
  created_at: Timestamp;
}

export type Channel = 'online' | 'terminal';

export interface UsageCountersTable {
  subject: string;
  channel: Channel;
  period: string;
  used: number;
}

export interface TicketCountersTable {
  center_id: string;
  day: string;
  sequence: 'regular' | 'priority';
  last: number;
}

/** The lifecycle and its allowed moves: src/registration/registration-states.ts. */
export type RegistrationStatus =
  | 'pending'
  | 'offered'
  | 'booked'
  | 'arrived'
  | 'called'
  | 'served'
  | 'refused_mismatch'
  | 'no_show'
  | 'cancelled'
  | 'lost'
  | 'released';

export type PriorityCategory = 'disability' | 'disability_companion' | 'fallen_defender_family' | 'military';

export interface RegistrationsTable {
  id: string;
  center_id: string;
  service_id: string;
  group_id: string;
  slot_id: number | null;
  person_id: string;
  legal_entity: string | null;
  channel: Channel;
  status: RegistrationStatus;
  day: string;
  starts_at: Timestamp;
  call_at: Timestamp;
  number: number | null;
  priority_category: PriorityCategory | null;
  priority_doc_type: string | null;
  priority_doc_enc: string | null;
  priority_doc_hash: string | null;
  desk_id: string | null;
  call_count: Generated<number>;
  called_at: Timestamp | null;
  parked_at: Timestamp | null;
  exam_passed: boolean | null;
  outcome_at: Timestamp | null;
  outcome_by: string | null;
  cancelled_at: Timestamp | null;
  alert_excused: Generated<boolean>;
  called_by: string | null;
  arrived_at: Timestamp | null;
  held_until: Timestamp | null;
  move_count: Generated<number>;
  /** The vehicle category of a practical exam (SPEC §2 Exams); null for other services. */
  exam_category: string | null;
  /** The contact typed at the kiosk for this registration (never copied into the person's file). */
  contact_email: string | null;
  contact_phone: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** The vehicle categories a center examines with its own cars (SPEC §2 Exams, rule 8). */
export interface CenterExamCategoriesTable {
  center_id: string;
  category: string;
  /** Rule 8: cars of this category the center examines with (migrations/0018). */
  cars: Generated<number>;
}

/** Rule 8: claimed places of a vehicle category per center, day and pool (migrations/0018). */
export interface ExamCategoryPlacesTable {
  center_id: string;
  day: string;
  pool: 'online' | 'terminal';
  category: string;
  booked: number;
}

export interface RegistrationTransitionsTable {
  from_status: RegistrationStatus;
  to_status: RegistrationStatus;
}

export interface IdempotencyKeysTable {
  scope: string;
  key: string;
  request_hash: string;
  status_code: number | null;
  response: Json<unknown> | null;
  created_at: Timestamp;
}

export type SessionKind = 'citizen' | 'staff' | 'device';

export interface SessionsTable {
  id_hash: string;
  kind: SessionKind;
  person_id: string | null;
  staff_id: string | null;
  role: string;
  center_id: string | null;
  desk_id: string | null;
  legal_entity: string | null;
  csrf_token: string;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  /** How a citizen signed in at ID.GOV.UA (migrations/0010); set after the row is created. */
  auth_type: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_kind: string;
  actor_id: string | null;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  center_id: string | null;
  ip: string | null;
  details: Json<Record<string, unknown>>;
  /** The staff actor's name and position when they acted (migrations/0015); null for others. */
  actor_name: Generated<string | null>;
  actor_staff_role: Generated<string | null>;
}

/** A national policy value set in the console (migrations/0015), replacing the configured one. */
/** Rule 9: the last online day the system has opened (migration 0023; one row). */
export interface ReleaseMarksTable {
  id: Generated<boolean>;
  last_day: string;
  updated_at: Timestamp;
}

export interface PolicyOverridesTable {
  key: string;
  value: number;
  changed_at: Timestamp;
  changed_by: string;
  changed_by_name: string | null;
  reason: string;
}

export type PolicySource = 'default' | 'config' | 'override';

/** Every policy change, append-only (migrations/0015). */
export interface PolicyChangesTable {
  id: Generated<number>;
  key: string;
  old_value: number;
  old_source: PolicySource;
  new_value: number;
  new_source: PolicySource;
  changed_at: Timestamp;
  changed_by: string;
  changed_by_name: string | null;
  reason: string;
}

export interface OutboxTable {
  id: Generated<number>;
  channel: 'email' | 'sms';
  template: string;
  recipient: string;
  lang: Generated<string>;
  payload: Json<Record<string, unknown>>;
  dedupe_key: string | null;
  status: Generated<'pending' | 'sending' | 'sent' | 'dead'>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  locked_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  sent_at: Timestamp | null;
}

export interface SettingsTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
  updated_by: string | null;
}

export interface Database {
  centers: CentersTable;
  holidays: HolidaysTable;
  service_groups: ServiceGroupsTable;
  services: ServicesTable;
  desks: DesksTable;
  staff: StaffTable;
  norms: NormsTable;
  roster_shifts: RosterShiftsTable;
  staff_absences: StaffAbsencesTable;
  slots: SlotsTable;
  slot_returns: SlotReturnsTable;
  capacity_days: CapacityDaysTable;
  capacity_conflicts: CapacityConflictsTable;
  persons: PersonsTable;
  person_identifiers: PersonIdentifiersTable;
  legal_entities: LegalEntitiesTable;
  usage_counters: UsageCountersTable;
  ticket_counters: TicketCountersTable;
  registrations: RegistrationsTable;
  registration_transitions: RegistrationTransitionsTable;
  center_exam_categories: CenterExamCategoriesTable;
  exam_category_places: ExamCategoryPlacesTable;
  idempotency_keys: IdempotencyKeysTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  settings: SettingsTable;
  policy_overrides: PolicyOverridesTable;
  release_marks: ReleaseMarksTable;
  policy_changes: PolicyChangesTable;
}
