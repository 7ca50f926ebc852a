import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type AppContext, createContext } from '../../src/context.js';
import { type FixedClock, fixedClock } from '../../src/platform/clock.js';
import { type DatabaseHandle, openPostgres, type PostgresOptions } from '../../src/platform/db.js';
import { migrate } from '../../src/platform/migrate.js';
import type { PgCluster } from './pg-cluster.js';

export interface ClusterApp {
  ctx: AppContext;
  app: FastifyInstance;
  handle: DatabaseHandle;
  clock: FixedClock;
  database: string;
  logs: Array<{ level: number; msg: string; [key: string]: unknown }>;
  /** http://127.0.0.1:<port> of the listening app. */
  base: string;
  close(): Promise<void>;
}

let seq = 0;

/**
 * The app over a new database of a test-owned cluster, listening on a free port (SSE and timing
 * tests need real sockets), with the timeouts the test asks for.
 */
export async function clusterApp(
  cluster: PgCluster,
  options: PostgresOptions & { now?: string } = {},
): Promise<ClusterApp> {
  const database = `ez_fault_${process.pid}_${++seq}`;
  const url = await cluster.createDatabase(database);
  const handle = await openPostgres(url, { poolSize: 10, listenRetryMaxMs: 1_000, ...options });
  await migrate(handle);
  const clock = fixedClock(options.now ?? '2026-11-23T07:00:00Z');
  const config = loadConfig({
    NODE_ENV: 'test',
    ANTIBOT: 'off',
    RATE_LIMITS: 'off',
    JOBS: 'off',
    SESSION_CACHE_MS: '0',
    AVAILABILITY_CACHE_MS: '0',
  });
  const ctx = createContext({ config, handle, clock });
  // The app's warnings and errors, kept for the test to read (DEBUG_FAULT_TESTS=1 prints them).
  const logs: Array<{ level: number; msg: string; [key: string]: unknown }> = [];
  const logger = pino(
    { level: 'warn' },
    {
      write(line: string) {
        logs.push(JSON.parse(line));
        if (process.env.DEBUG_FAULT_TESTS) process.stderr.write(line);
      },
    },
  );
  const app = await buildApp(ctx, logger);
  await ctx.start(app);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as AddressInfo;
  return {
    ctx,
    app,
    handle,
    clock,
    database,
    logs,
    base: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      await ctx.stop();
      await handle.close();
    },
  };
}

/** A Server-Sent Events stream read in the background; `text` grows as events arrive. */
export function openSse(url: string) {
  const abort = new AbortController();
  const state = { text: '', status: 0, ended: false };
  const opened = fetch(url, { signal: abort.signal }).then((res) => {
    state.status = res.status;
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    void (async () => {
      for (;;) {
        const chunk = await reader.read();
        if (chunk.value) state.text += decoder.decode(chunk.value, { stream: true });
        if (chunk.done) break;
      }
    })()
      .catch(() => {})
      .finally(() => {
        state.ended = true;
      });
    return res;
  });
  opened.catch(() => {});
  return {
    state,
    opened,
    /** The events so far, in order (comments and the retry line left out). */
    events(): Array<{ event: string; data: Record<string, unknown> }> {
      return state.text
        .split('\n\n')
        .filter((block) => block.startsWith('event:'))
        .map((block) => {
          const [eventLine, dataLine] = block.split('\n');
          return { event: eventLine?.slice(7) ?? '', data: JSON.parse(dataLine?.slice(6) ?? '{}') };
        });
    },
    close: () => abort.abort(),
  };
}

export async function until(check: () => boolean | Promise<boolean>, ms: number, what = 'condition') {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > ms) throw new Error(`${what} not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - started;
}
