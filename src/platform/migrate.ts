import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { DatabaseHandle } from './db.js';

const migrationsDir = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Applies migrations/*.sql in name order, each once, each in its own transaction. The same files
 * run on PGlite and PostgreSQL. On a server an advisory lock keeps two starting instances from
 * migrating at the same time.
 */
export async function migrate(handle: DatabaseHandle): Promise<string[]> {
  const files = readdirSync(migrationsDir)
    .filter((f) => f.endsWith('.sql'))
    .sort();
  await handle.execScript(
    'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
  );
  const applied: string[] = [];
  const lock = handle.kind === 'postgres';
  if (lock) await handle.execScript('SELECT pg_advisory_lock(784512001)');
  try {
    const done = new Set(
      (await sql<{ name: string }>`SELECT name FROM schema_migrations`.execute(handle.db)).rows.map(
        (r) => r.name,
      ),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const body = readFileSync(join(migrationsDir, file), 'utf8');
      const escaped = file.replace(/'/g, "''");
      await handle.execScript(
        `BEGIN;\n${body}\n;INSERT INTO schema_migrations (name) VALUES ('${escaped}');\nCOMMIT;`,
      );
      applied.push(file);
    }
  } finally {
    if (lock) await handle.execScript('SELECT pg_advisory_unlock(784512001)');
  }
  return applied;
}
