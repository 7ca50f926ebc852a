import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import type { Database } from './db-schema.js';

export type Db = Kysely<Database>;
export type Tx = Transaction<Database>;
/** Either the database or an open transaction: store functions take the caller's one. */
export type Executor = Db | Tx;

export interface DatabaseHandle {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Runs a multi-statement SQL script (migrations). */
  execScript(sql: string): Promise<void>;
  /** LISTEN on a channel; resolves to an unsubscribe function. */
  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

// Same value shapes on both databases: int8/numeric as numbers (our ids stay far below 2^53),
// `date` as the ISO day string (never a local-time Date), timestamptz as Date.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/**
 * A statement whose SQL starts with this comment is prepared once per connection and then
 * only bound and executed: for the few statements of the hot paths (the booking write, the
 * batched reads), where parsing and planning on every call cost PostgreSQL more than running
 * them. Its text must be the same on every call (vary only the parameters), and it names its
 * result columns (a `*` would change shape when a migration adds a column, which PostgreSQL
 * refuses for a prepared statement). PGlite ignores the mark.
 */
export const PREPARED = '/* prepared */ ';

const statementNames = new Map<string, string>();
const statementName = (text: string) => {
  let name = statementNames.get(text);
  if (!name) {
    name = `ez_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
    statementNames.set(text, name);
  }
  return name;
};

/** pg's client, naming (so preparing) the statements marked with PREPARED. */
class PreparingClient extends pg.Client {
  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this passes them through.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && config.startsWith(PREPARED)) {
      return super.query({ name: statementName(config), text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }
}

export async function openPostgres(connectionString: string, poolSize = 20): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    Client: PreparingClient,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
        if (oid === DATE) return (v: string) => v;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  let listener: pg.Client | undefined;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  return {
    db,
    kind: 'postgres',
    async execScript(sql) {
      const client = await pool.connect();
      try {
        await client.query(sql);
      } finally {
        client.release();
      }
    },
    async listen(channel, onPayload) {
      if (!listener) {
        listener = new pg.Client({ connectionString });
        listener.on('error', () => {
          listener = undefined;
        });
        await listener.connect();
        listener.on('notification', (msg) => {
          for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
        });
      }
      let set = handlers.get(channel);
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
        await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      }
      set.add(onPayload);
      return async () => {
        set?.delete(onPayload);
      };
    },
    async close() {
      await listener?.end().catch(() => {});
      await db.destroy();
    },
  };
}

/**
 * Embedded PGlite: one session, so connections are handed out one at a time. (kysely-pglite's
 * driver hands the same session to concurrent transactions, which would interleave their
 * BEGIN/COMMIT; this pool adapter serialises them, and Kysely's own Postgres dialect runs on top.)
 * Loaded only when used: the module alone costs a server on PostgreSQL some 40 MB of memory.
 */
export async function openPglite(dataDir: string | undefined): Promise<DatabaseHandle> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const { PGlite, types: pgliteTypes } = await import('@electric-sql/pglite');
  const client = await PGlite.create(dataDir, {
    parsers: {
      [pgliteTypes.INT8]: (v: string) => Number(v),
      [pgliteTypes.NUMERIC]: (v: string) => Number(v),
      [pgliteTypes.DATE]: (v: string) => v,
    },
  });
  const pool = new SingleSessionPool(client);
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  return {
    db,
    kind: 'pglite',
    async execScript(sql) {
      const conn = await pool.connect();
      try {
        await client.exec(sql);
      } finally {
        conn.release();
      }
    },
    async listen(channel, onPayload) {
      const unsubscribe = await client.listen(channel, onPayload);
      return async () => unsubscribe();
    },
    async close() {
      await db.destroy();
    },
  };
}

class SingleSessionPool {
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly client: PGlite) {}

  async connect() {
    let release!: () => void;
    const turn = new Promise<void>((resolve) => {
      release = resolve;
    });
    const previous = this.queue;
    this.queue = previous.then(() => turn);
    await previous;
    const client = this.client;
    let released = false;
    return {
      async query(sql: string, parameters: unknown[]) {
        const result = await client.query(sql, parameters as unknown[]);
        return { rows: result.rows, rowCount: result.affectedRows ?? 0, command: commandOf(sql) };
      },
      release() {
        if (released) return;
        released = true;
        release();
      },
    };
  }

  async end() {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.client.close();
  }
}

function commandOf(sql: string): string {
  const match =
    /^\s*(?:\/\*[\s\S]*?\*\/\s*)*(?:with\b[\s\S]*?\)\s*)?(insert|update|delete|merge|select)/i.exec(sql);
  return (match?.[1] ?? 'SELECT').toUpperCase();
}

export async function openDatabase(options: { databaseUrl?: string; dataDir?: string; poolSize?: number }) {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options.poolSize)
    : openPglite(options.dataDir);
}
