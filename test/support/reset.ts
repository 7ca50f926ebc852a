import { sql } from 'kysely';
import type { Db } from '../../src/platform/db.js';

/** The catalogue seedCatalog writes: kept by default. */
export const CATALOGUE_TABLES = ['centers', 'service_groups', 'services', 'desks', 'staff'];

// Per database: the tables its migrations filled (reference data such as the lifecycle's
// transitions or the default settings), recorded right after migrating.
const seededByMigrations = new WeakMap<Db, string[]>();

async function tablesOf(db: Db): Promise<string[]> {
  const rows = await sql<{ name: string }>`
    SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename`.execute(
    db,
  );
  return rows.rows.map((r) => r.name);
}

/** Called once a test database is migrated: remembers which tables the migrations filled. */
export async function recordMigrationData(db: Db): Promise<void> {
  const tables = await tablesOf(db);
  const probes = tables.map((t) => sql`SELECT ${t}::text AS name WHERE EXISTS (SELECT 1 FROM ${sql.id(t)})`);
  const filled = probes.length
    ? (await sql<{ name: string }>`${sql.join(probes, sql` UNION ALL `)}`.execute(db)).rows.map((r) => r.name)
    : [];
  seededByMigrations.set(db, filled);
}

/**
 * Empties every table of the database in one statement, except the migrations' bookkeeping, the
 * tables the migrations filled, and the ones named in `keep` (the catalogue by default). The
 * table list is read from the database, so a table a new migration adds is emptied too without
 * anyone listing it here. Any failure (a kept table referencing an emptied one, a lock timeout)
 * throws: a test must never start on state it did not expect.
 */
export async function resetDatabase(db: Db, options: { keep?: readonly string[] } = {}): Promise<void> {
  const seeded = seededByMigrations.get(db);
  if (!seeded)
    throw new Error('resetDatabase: open the database with openTestDb (it records the seeded tables)');
  const keep = new Set(['schema_migrations', ...seeded, ...(options.keep ?? CATALOGUE_TABLES)]);
  const tables = (await tablesOf(db)).filter((name) => !keep.has(name));
  if (!tables.length) return;
  await sql`TRUNCATE ${sql.join(tables.map((t) => sql.id(t)))}`.execute(db);
}
