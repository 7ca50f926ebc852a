import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { type DatabaseHandle, openPglite, openPostgres } from '../../src/platform/db.js';
import { migrate, migrationFiles, migrationText } from '../../src/platform/migrate.js';
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
 * A migrated PGlite data directory, made once per set of migrations and PGlite version and kept
 * in the temporary directory for every test file after (each file runs in a fresh process): a
 * PGlite started from it takes ~0.4 s, against ~2 s for initdb and the migrations (more than 80
 * test databases a run). Written to a temporary name and renamed, so concurrent test
 * processes never read half a file.
 */
function migratedPglite(): Promise<Blob> {
  snapshot ??= makeSnapshot();
  return snapshot;
}
let snapshot: Promise<Blob> | undefined;

async function makeSnapshot(): Promise<Blob> {
  const hash = createHash('sha256');
  hash.update(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url)));
  for (const file of migrationFiles()) hash.update(file).update(migrationText(file));
  const path = join(os.tmpdir(), `ez-pglite-${hash.digest('hex').slice(0, 16)}.tar`);
  if (!existsSync(path)) {
    const fresh = await openPglite(undefined);
    try {
      await migrate(fresh);
      const dump = await fresh.dumpDataDir();
      const partial = `${path}.${process.pid}.${randomBytes(4).toString('hex')}`;
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, path);
    } finally {
      await fresh.close();
    }
  }
  return new Blob([readFileSync(path)]);
}

/**
 * A fresh, migrated database: in-memory PGlite (from the migrated snapshot), or a new database on
 * the PostgreSQL server (dropped again by `drop`).
 */
export async function openTestDb(
  kind: DbKind,
  options: { poolSize?: number } = {},
): Promise<DatabaseHandle & { url?: string; drop(): Promise<void> }> {
  if (kind === 'pglite') {
    const handle = await openPglite(undefined, { loadDataDir: await migratedPglite() });
    await migrate(handle); // a no-op on the snapshot; kept so a stale one could never be used as is
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
