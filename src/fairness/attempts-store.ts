import { sql } from 'kysely';
import type { Executor } from '../platform/db.js';
import { storeOp } from '../platform/problems.js';
import type { AttemptStats } from './fairness-rules.js';
import './fairness-schema.js';

/** Audited attempts (booking attempts and rate-limit refusals): person id and address, no PII. */
export interface Attempt {
  at: Date;
  scope: string;
  personId: string | null;
  ip: string;
  status: number;
  code: string | null;
}

/**
 * One statement per batch (up to 500 rows at the release moment): each column is one array
 * parameter, unnested, instead of a VALUES list with six parameters a row, which the query
 * builder made as thousands of nodes and the database parsed as thousands of parameters.
 */
export async function insertAttempts(db: Executor, rows: Attempt[]): Promise<void> {
  if (!rows.length) return;
  await storeOp('attempts.insert', () =>
    sql`INSERT INTO booking_attempts (at, scope, person_id, ip, status, code)
      SELECT * FROM unnest(${rows.map((r) => r.at.toISOString())}::timestamptz[],
                           ${rows.map((r) => r.scope)}::text[],
                           ${rows.map((r) => r.personId)}::uuid[],
                           ${rows.map((r) => r.ip)}::text[],
                           ${rows.map((r) => r.status)}::int[],
                           ${rows.map((r) => r.code)}::text[])`.execute(db),
  );
}

/** Per identity and per address over [from, to): attempts, failures, distinct people, codes. */
export async function attemptStats(db: Executor, from: Date, to: Date): Promise<AttemptStats[]> {
  return storeOp('attempts.stats', async () => {
    const rows = await sql<{
      kind: 'person' | 'address';
      subject: string;
      attempts: number;
      failures: number;
      persons: number;
      codes: Record<string, number> | null;
    }>`
      WITH a AS (SELECT * FROM booking_attempts WHERE at >= ${from} AND at < ${to}),
      per_code AS (
        SELECT 'person' AS kind, person_id::text AS subject, code, count(*)::int AS n
          FROM a WHERE person_id IS NOT NULL AND code IS NOT NULL GROUP BY person_id, code
        UNION ALL
        SELECT 'address', ip, code, count(*)::int FROM a WHERE code IS NOT NULL GROUP BY ip, code
      ),
      totals AS (
        SELECT 'person' AS kind, person_id::text AS subject, count(*)::int AS attempts,
          count(*) FILTER (WHERE status >= 400)::int AS failures, 1 AS persons
          FROM a WHERE person_id IS NOT NULL GROUP BY person_id
        UNION ALL
        SELECT 'address', ip, count(*)::int, count(*) FILTER (WHERE status >= 400)::int,
          count(DISTINCT person_id)::int FROM a GROUP BY ip
      )
      SELECT t.kind, t.subject, t.attempts, t.failures, t.persons,
        (SELECT jsonb_object_agg(c.code, c.n) FROM per_code c WHERE c.kind = t.kind AND c.subject = t.subject) AS codes
      FROM totals t`.execute(db);
    return rows.rows.map((r) => ({
      kind: r.kind,
      subject: r.subject,
      attempts: Number(r.attempts),
      failures: Number(r.failures),
      distinctPersons: Number(r.persons),
      codes: r.codes ?? {},
    }));
  });
}
