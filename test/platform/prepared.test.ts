import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREPARED } from '../../src/platform/db.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { openTestDb, requirePostgres, testDatabases } from '../support/test-db.js';

describe.each(testDatabases())('statements marked PREPARED on %s', (kind) => {
  const onPostgres = kind === 'postgres' ? it : () => {};
  let handle: Awaited<ReturnType<typeof openTestDb>>;
  beforeAll(async () => {
    // One connection, so every statement below runs on the same session.
    handle = await openTestDb(kind, { poolSize: 1 });
  });
  afterAll(() => handle.drop());

  const marked = (n: number) => sql<{ v: number }>`${sql.raw(PREPARED)}SELECT ${n}::int + 1 AS v`;
  const plain = (n: number) => sql<{ v: number }>`SELECT ${n}::int + 2 AS v`;

  it('answer like any other statement, with fresh parameters on every call', async () => {
    expect((await marked(1).execute(handle.db)).rows).toEqual([{ v: 2 }]);
    expect((await marked(41).execute(handle.db)).rows).toEqual([{ v: 42 }]);
    expect((await plain(1).execute(handle.db)).rows).toEqual([{ v: 3 }]);
  });

  onPostgres('are prepared once per connection; unmarked statements are not', async () => {
    await marked(2).execute(handle.db);
    const { rows } = await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements`.execute(
      handle.db,
    );
    const statements = rows.map((r) => r.statement);
    expect(statements.filter((s) => s.includes('::int + 1'))).toHaveLength(1);
    expect(statements.some((s) => s.includes('::int + 2'))).toBe(false);
  });
});

describe.runIf(requirePostgres())('prepared hot statements across a migration (PostgreSQL)', () => {
  let h: Harness;
  beforeAll(async () => {
    // One connection: the session read is prepared on it by the first request.
    h = await createHarness('postgres', { poolSize: 1 });
  });
  afterAll(() => h.close());

  it('a session is still read after a migration adds a column to sessions', async () => {
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(41) });
    expect((await h.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
    await sql`ALTER TABLE sessions ADD COLUMN user_agent text`.execute(h.ctx.db);
    // A prepared `SELECT *` would now fail: "cached plan must not change result type".
    expect((await h.app.inject({ url: '/api/v1/me', headers: { cookie } })).statusCode).toBe(200);
  });
});
