import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { DatabaseHandle, Executor } from './db.js';

// Beside this module both in the sources and in the build (the build copies the .sql files).
const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');
const MIGRATION_LOCK = 784512001;

/** The migration files in the order they apply. */
export function migrationFiles(): string[] {
  return readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
}

/** The SQL of one migration file. */
export function migrationText(file: string): string {
  return readFileSync(join(migrationsDir, file), 'utf8');
}

async function appliedNames(executor: Executor): Promise<Set<string>> {
  const rows = (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(executor)).rows;
  return new Set(rows.map((r) => r.name));
}

/** Migrations this code has that the database has not applied (readiness: none). */
export async function pendingMigrations(executor: Executor): Promise<string[]> {
  const done = await appliedNames(executor);
  return migrationFiles().filter((f) => !done.has(f));
}

const CREATE_TABLE =
  'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())';

const wrap = (file: string, body: string) =>
  `BEGIN;\n${body}\n;INSERT INTO schema_migrations (name) VALUES ('${file.replace(/'/g, "''")}');\nCOMMIT;`;

/**
 * Applies migrations/*.sql in name order, each once, each in its own transaction. The same files
 * run on PGlite and PostgreSQL. On a server, starting instances migrate one at a time under an
 * advisory lock, taken, used and released on one connection held for the whole run: a session
 * lock belongs to its connection, and through the pool the unlock could land on another one
 * (leaving the lock held until that connection closes).
 */
export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  const files = migrationFiles();
  if (handle.kind !== 'postgres') {
    await handle.execScript(CREATE_TABLE);
    const done = await appliedNames(handle.db);
    const applied: string[] = [];
    for (const file of files) {
      if (done.has(file)) continue;
      await handle.execScript(wrap(file, migrationText(file)));
      applied.push(file);
    }
    return applied;
  }
  return handle.db.connection().execute(async (conn) => {
    // Waiting for another instance's migration, or a long index build, is not a stuck query:
    // no statement timeout on this connection while it migrates (restored before it goes back).
    await sql`SET statement_timeout = 0`.execute(conn);
    await sql`SELECT pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
    try {
      // No parameters: the script runs as one simple query, several statements allowed.
      await sql.raw(CREATE_TABLE).execute(conn);
      const done = await appliedNames(conn);
      const applied: string[] = [];
      for (const file of files) {
        if (done.has(file)) continue;
        await sql.raw(wrap(file, migrationText(file))).execute(conn);
        applied.push(file);
      }
      return applied;
    } catch (error) {
      // A failed script leaves its transaction open on this connection: close it before unlocking.
      await sql`ROLLBACK`.execute(conn).catch(() => {});
      throw error;
    } finally {
      await sql`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn).catch(() => {});
      await sql`RESET statement_timeout`.execute(conn).catch(() => {});
    }
  });
}
