import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type DatabaseHandle, openPglite, openPostgres } from '../../src/platform/db.js';
import { migrate } from '../../src/platform/migrate.js';
import { recordMigrationData } from './reset.js';

export type DbKind = 'pglite' | 'postgres';

const inCi = () => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/**
 * Whether PostgreSQL tests run: when TEST_DATABASE_URL is set. On a developer's machine they
 * are skipped without it; in CI (CI=true) a missing database fails the test file instead, so a
 * misconfigured pipeline cannot pass by running nothing.
 */
export function requirePostgres(): boolean {
  if (process.env.TEST_DATABASE_URL) return true;
  if (inCi()) throw new Error('CI=true but TEST_DATABASE_URL is not set: the PostgreSQL tests cannot run.');
  return false;
}

/** The databases integration tests run on: PGlite always, PostgreSQL when it is available. */
export function testDatabases(): DbKind[] {
  return requirePostgres() ? ['pglite', 'postgres'] : ['pglite'];
}

export const postgresUrl = () => process.env.TEST_DATABASE_URL;

/**
 * A fresh, migrated database: in-memory PGlite, or a new database on the PostgreSQL server
 * (dropped again by `drop`).
 */
export async function openTestDb(
  kind: DbKind,
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle & { url?: string; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const handle = await openPglite(undefined);
    await migrate(handle);
    await recordMigrationData(handle.db);
    return { ...handle, drop: () => handle.close() };
  }
  const adminUrl = postgresUrl();
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = `ez_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const handle = await openPostgres(url.toString(), options.poolSize ?? 20);
  await migrate(handle);
  await recordMigrationData(handle.db);
  return {
    ...handle,
    url: url.toString(),
    async drop() {
      await handle.close();
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}
