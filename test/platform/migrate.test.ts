import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openPostgres } from '../../src/platform/db.js';
import { migrate, migrationFiles, pendingMigrations } from '../../src/platform/migrate.js';
import { postgresUrl, requirePostgres } from '../support/test-db.js';

describe.runIf(requirePostgres())('migrations on PostgreSQL', () => {
  const adminUrl = postgresUrl() as string;
  const name = `ez_test_${randomBytes(6).toString('hex')}`;
  const handles: DatabaseHandle[] = [];

  afterAll(async () => {
    for (const h of handles) await h.close();
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('three instances starting at once: every migration applied once, and the lock released by the connection that took it', async () => {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    for (let i = 0; i < 3; i++) handles.push(await openPostgres(url.toString(), 3));
    // Keep the pools busy meanwhile, so a lock and its unlock sent through the pool would land
    // on different connections.
    const noise = handles.flatMap((h) =>
      Array.from({ length: 6 }, () => sql`SELECT pg_sleep(0.02)`.execute(h.db)),
    );
    const results = await Promise.all(handles.map((h) => migrate(h)));
    await Promise.all(noise);
    expect(results.flat().sort()).toEqual(migrationFiles());
    const db = handles[0]?.db;
    if (!db) throw new Error('no handle');
    expect(await pendingMigrations(db)).toEqual([]);
    const locks = await sql<{ n: number }>`
      SELECT count(*)::int AS n FROM pg_locks
      WHERE locktype = 'advisory' AND objid = 784512001
        -- Only this database's: other test files migrate theirs at the same time on the same server.
        AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`.execute(db);
    expect(locks.rows[0]?.n).toBe(0);
  });
});
