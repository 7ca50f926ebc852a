import { createServer, type Server, type Socket } from 'node:net';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../../src/platform/db.js';
import { postgresUrl, requirePostgres } from '../support/test-db.js';

/**
 * SPEC §6: a burst of requests queues for a free connection instead of failing at once, while a
 * database that does not answer is still given up on within the connect timeout. The two bounds
 * were one (DB_CONNECT_TIMEOUT_MS also bounded the pool wait), so a burst answered 503.
 */
describe.runIf(requirePostgres())('pool wait and connect timeout (PostgreSQL)', () => {
  it('a request waits for the busy connection longer than the connect timeout, up to the pool wait', async () => {
    const handle = await openPostgres(postgresUrl() as string, {
      poolSize: 1,
      connectTimeoutMs: 300,
      poolWaitMs: 5_000,
    });
    try {
      const slow = sql`select pg_sleep(1)`.execute(handle.db);
      const started = Date.now();
      const quick = await sql<{ one: number }>`select 1 as one`.execute(handle.db);
      expect(quick.rows[0]?.one).toBe(1);
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      await slow;
    } finally {
      await handle.close();
    }
  });

  it('past the pool wait the request fails (and is answered, not left hanging)', async () => {
    const handle = await openPostgres(postgresUrl() as string, {
      poolSize: 1,
      connectTimeoutMs: 200,
      poolWaitMs: 400,
    });
    try {
      const slow = sql`select pg_sleep(1.5)`.execute(handle.db);
      const started = Date.now();
      await expect(sql`select 1`.execute(handle.db)).rejects.toThrow(/timeout/);
      expect(Date.now() - started).toBeLessThan(1_400);
      await slow;
    } finally {
      await handle.close();
    }
  });
});

describe('a database that accepts the connection and never answers', () => {
  let silent: Server;
  let port = 0;
  const sockets: Socket[] = [];
  beforeAll(async () => {
    // Accepts and stays silent: a frozen server.
    silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    port = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('is given up on within the connect timeout, not the (longer) pool wait', async () => {
    const handle = await openPostgres(`postgres://postgres@127.0.0.1:${port}/none`, {
      poolSize: 1,
      connectTimeoutMs: 300,
      poolWaitMs: 10_000,
    });
    const started = Date.now();
    await expect(sql`select 1`.execute(handle.db)).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(3_000);
    await handle.close().catch(() => undefined);
  });
});
