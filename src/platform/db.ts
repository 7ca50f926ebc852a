import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, type Transaction } from 'kysely';
import pg from 'pg';
import { defaultDbTimeouts } from '../config.js';
import { createListener, type ListenerStatus } from './db-listener.js';
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
  /**
   * Called each time the LISTEN connection is back after a loss, all channels LISTENed again:
   * notifications in between are lost, so subscribers re-read their state.
   */
  onResync(handler: () => void): () => void;
  /** State of the LISTEN connection (for readiness, metrics and tests). */
  listenerStatus(): ListenerStatus;
  /** Connections of the pool (PostgreSQL; PGlite has none), read by /metrics. */
  poolStats?(): { total: number; idle: number; waiting: number };
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

/**
 * pg's client, naming (so preparing) the statements marked with PREPARED, and giving up on a
 * server that does not answer: each query may wait for its statement timeout plus a second.
 * A session that sets its statement timeout to 0 (a migration) waits as long as it takes.
 */
class PreparingClient extends pg.Client {
  private readonly defaultReadTimeoutMs: number;
  private readTimeoutMs: number;

  // biome-ignore lint/suspicious/noExplicitAny: pg's Client takes pg's config shape.
  constructor(config?: any) {
    // The pool's connectionTimeoutMillis bounds the wait for a free connection; opening one has
    // its own, shorter bound (a dead server is known in seconds, a busy pool is only waited for).
    super(
      config && 'openTimeoutMs' in config
        ? { ...config, connectionTimeoutMillis: config.openTimeoutMs }
        : config,
    );
    this.defaultReadTimeoutMs = Number(config?.readTimeoutMs ?? 0);
    this.readTimeoutMs = this.defaultReadTimeoutMs;
    // The pool listens for errors only while a client is idle. A checked-out client (inside a
    // transaction, between statements) whose server ends the session (57P01 on a restart or
    // pg_terminate_backend, a crash) would otherwise emit an unhandled 'error' and end the
    // process. The query in flight fails on its own; the pool drops the client on release.
    this.on('error', () => {});
  }

  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; this passes them through.
  override query(config: any, values?: any, callback?: any): any {
    let result: unknown;
    if (typeof config === 'string') {
      if (typeof values === 'function') {
        callback = values;
        values = undefined;
      }
      this.noteTimeout(config);
      const q: pg.QueryConfig & { query_timeout?: number } = { text: config, values };
      if (config.startsWith(PREPARED)) q.name = statementName(config);
      if (this.readTimeoutMs > 0) q.query_timeout = this.readTimeoutMs;
      result = super.query(q, callback);
    } else if (config && typeof config === 'object' && typeof config.submit !== 'function') {
      if (typeof config.text === 'string') this.noteTimeout(config.text);
      const q = this.readTimeoutMs > 0 ? { query_timeout: this.readTimeoutMs, ...config } : config;
      result = super.query(q, values, callback);
    } else {
      result = super.query(config, values, callback);
    }
    if (result instanceof Promise) {
      // pg's read timeout answers the caller but leaves the connection waiting for a server that
      // may never answer (frozen, partitioned): cut it, so the pool replaces it.
      result.catch((error: unknown) => {
        if (error instanceof Error && error.message === 'Query read timeout') this.cut();
      });
    }
    return result;
  }

  private noteTimeout(text: string) {
    const set = /^\s*SET\s+(?:SESSION\s+)?statement_timeout\s*(?:=|TO)\s*'?(\d+)'?\s*;?\s*$/i.exec(text);
    if (set) {
      const ms = Number(set[1]);
      this.readTimeoutMs = ms === 0 ? 0 : ms + 1_000;
    } else if (/^\s*RESET\s+statement_timeout\s*;?\s*$/i.test(text)) {
      this.readTimeoutMs = this.defaultReadTimeoutMs;
    }
  }

  private cut() {
    (this as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
  }
}

export interface PostgresOptions {
  poolSize?: number;
  /** Opening a connection. */
  connectTimeoutMs?: number;
  /** Waiting for a free connection when all are busy (at least connectTimeoutMs). */
  poolWaitMs?: number;
  /** Server-side statement_timeout; the client gives up a second later (frozen server). */
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  /** Longest pause between reconnect attempts of the LISTEN connection. */
  listenRetryMaxMs?: number;
  onError?: (error: unknown, where: 'pool' | 'listener') => void;
}

export async function openPostgres(
  connectionString: string,
  optionsOrPoolSize: PostgresOptions | number = {},
): Promise<DatabaseHandle> {
  const options = typeof optionsOrPoolSize === 'number' ? { poolSize: optionsOrPoolSize } : optionsOrPoolSize;
  const connectTimeoutMs = options.connectTimeoutMs ?? defaultDbTimeouts.connectTimeoutMs;
  const poolWaitMs = connectTimeoutMs
    ? Math.max(connectTimeoutMs, options.poolWaitMs ?? defaultDbTimeouts.poolWaitMs)
    : 0;
  const statementTimeoutMs = options.statementTimeoutMs ?? defaultDbTimeouts.statementTimeoutMs;
  const idleTxMs = options.idleInTransactionTimeoutMs ?? defaultDbTimeouts.idleInTransactionTimeoutMs;
  const queryTimeoutMs = statementTimeoutMs > 0 ? statementTimeoutMs + 1_000 : undefined;
  // readTimeoutMs reaches each PreparingClient: the pool hands its options to the clients it makes.
  const poolConfig: pg.PoolConfig & { readTimeoutMs?: number; openTimeoutMs?: number } = {
    connectionString,
    max: options.poolSize ?? 20,
    Client: PreparingClient,
    connectionTimeoutMillis: poolWaitMs || undefined,
    openTimeoutMs: connectTimeoutMs || undefined,
    statement_timeout: statementTimeoutMs || undefined,
    idle_in_transaction_session_timeout: idleTxMs || undefined,
    readTimeoutMs: queryTimeoutMs,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    types: {
      getTypeParser: ((oid: number, format?: string) => {
        if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
        if (oid === DATE) return (v: string) => v;
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  };
  const pool = new pg.Pool(poolConfig);
  // An idle connection dropped by the server must not crash the process; the pool replaces it.
  pool.on('error', (error) => options.onError?.(error, 'pool'));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const listener = createListener({
    connectionString,
    connectTimeoutMs,
    heartbeatTimeoutMs: queryTimeoutMs ?? 10_000,
    retryMaxMs: options.listenRetryMaxMs,
    onError: (error) => options.onError?.(error, 'listener'),
  });
  return {
    db,
    kind: 'postgres',
    async execScript(sql) {
      const client = await pool.connect();
      let failed: unknown;
      try {
        // Scripts (migrations) may run longer than a request's statement timeout.
        await client.query('SET statement_timeout = 0');
        await client.query(sql);
        await client.query('RESET statement_timeout');
      } catch (error) {
        failed = error;
        throw error;
      } finally {
        // A session left without its timeout (or in a failed state) is not given back.
        client.release(failed instanceof Error ? failed : undefined);
      }
    },
    listen: (channel, onPayload) => listener.listen(channel, onPayload),
    onResync: (handler) => listener.onResync(handler),
    listenerStatus: () => listener.status(),
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    async close() {
      await listener.close();
      await db.destroy();
    },
  };
}

/**
 * Embedded PGlite: one session, so connections are handed out one at a time. (kysely-pglite's
 * driver hands the same session to concurrent transactions, which would interleave their
 * BEGIN/COMMIT; this pool adapter serialises them, and Kysely's own Postgres dialect runs on top.)
 * Loaded only when used: the module alone costs a server on PostgreSQL some 40 MB of memory.
 * `loadDataDir` starts from a data directory `dumpDataDir` made (tests: a migrated database in
 * 0.4 s instead of an initdb of 2 s and the migrations).
 */
export async function openPglite(
  dataDir: string | undefined,
  options: { loadDataDir?: Blob } = {},
): Promise<DatabaseHandle & { dumpDataDir(): Promise<Blob> }> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const { PGlite, types: pgliteTypes } = await import('@electric-sql/pglite');
  const client = await PGlite.create(dataDir, {
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    parsers: {
      [pgliteTypes.INT8]: (v: string) => Number(v),
      [pgliteTypes.NUMERIC]: (v: string) => Number(v),
      [pgliteTypes.DATE]: (v: string) => v,
    },
  });
  const pool = new SingleSessionPool(client);
  let subscribers = 0;
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
      subscribers++;
      let done = false;
      return async () => {
        if (done) return;
        done = true;
        subscribers--;
        await unsubscribe();
      };
    },
    // In-process: never loses a notification, so never asks for a resync.
    onResync: () => () => {},
    listenerStatus: () => ({ state: 'listening', channels: 0, subscribers, reconnects: 0 }),
    dumpDataDir: () => client.dumpDataDir('none'),
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

export async function openDatabase(
  options: { databaseUrl?: string; dataDir?: string } & PostgresOptions,
): Promise<DatabaseHandle> {
  const { databaseUrl, dataDir, ...postgres } = options;
  return databaseUrl ? openPostgres(databaseUrl, postgres) : openPglite(dataDir);
}
