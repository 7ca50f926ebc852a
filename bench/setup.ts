import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { PRODUCTION_MIN_ANTIBOT_NUMBER } from '../src/config.js';
import { openPostgres } from '../src/platform/db.js';
import { migrate } from '../src/platform/migrate.js';
import type { Client } from './load.js';
import { BENCH_HMAC_KEY } from './pow.js';
import { SERVICE } from './seed.js';

/** Proof-of-work difficulty of the bench: the least production accepts. */
export const POW_FLOOR = PRODUCTION_MIN_ANTIBOT_NUMBER;

/**
 * The server under test with every defence on, as at 06:00 behind the load balancer: proof-of-work
 * at the production floor, rate limits counted (in PostgreSQL: no REDIS_URL unless BENCH_REDIS_URL),
 * the client's address taken from X-Forwarded-For because the peer (the load generator, 127.0.0.1)
 * is a trusted proxy. Demo mode only for what a bench needs: DEMO_NOW and no identity providers.
 */
export function defendedEnv(url: string): Record<string, string> {
  return {
    NODE_ENV: 'development',
    DATABASE_URL: url,
    HOST: '127.0.0.1',
    ANTIBOT: 'on',
    ANTIBOT_MAX_NUMBER: String(POW_FLOOR),
    ANTIBOT_HMAC_KEY: BENCH_HMAC_KEY,
    RATE_LIMITS: 'on',
    TRUST_PROXY: '127.0.0.1',
    JOBS: 'off',
    OUTBOX_WORKER: 'off',
    LOG_LEVEL: 'warn',
    WORKERS: process.env.BENCH_WORKERS ?? '1',
    ...(process.env.BENCH_REDIS_URL ? { REDIS_URL: process.env.BENCH_REDIS_URL } : {}),
    ...(process.env.BENCH_POOL_SIZE ? { DATABASE_POOL_SIZE: process.env.BENCH_POOL_SIZE } : {}),
    // Experiments only (e.g. '{"RATE_LIMITS":"off"}'): figures made with it are not the bench's.
    ...(process.env.BENCH_SERVER_ENV
      ? (JSON.parse(process.env.BENCH_SERVER_ENV) as Record<string, string>)
      : {}),
  };
}

/** The simulated client number `i`'s own address (10.0.0.0/8: 16 million of them). */
export function addressOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * A run's own database on BENCH_DATABASE_URL's server (default the machine's, as CI has it),
 * migrated and empty; `pool(max)` opens a pool on it for seeding and checks, `drop()` removes it
 * (connections still open are ended) and lets the server go.
 */
export async function benchDatabase(): Promise<{
  name: string;
  url: string;
  serverVersion: string;
  pool(max: number): pg.Pool;
  drop(): Promise<void>;
}> {
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `ez_bench_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const serverVersion =
    (await admin.query<{ server_version: string }>('SHOW server_version')).rows[0]?.server_version ?? '?';
  await admin.query(`CREATE DATABASE ${name}`);
  const address = new URL(adminUrl);
  address.pathname = `/${name}`;
  const url = address.toString();
  const drop = async () => {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  };
  const handle = await openPostgres(url, 2);
  try {
    await migrate(handle);
  } catch (error) {
    await handle.close();
    await drop();
    throw error;
  }
  await handle.close();
  return {
    name,
    url,
    serverVersion,
    pool(max) {
      const pool = new pg.Pool({ connectionString: url, max });
      pool.on('error', () => {}); // drop() ends idle connections (WITH (FORCE)): not an error here
      return pool;
    },
    drop,
  };
}

/** The server's browse answers of each center and day, as the bare route will serve them. */
export async function browseAnswers(
  client: Client,
  centers: readonly string[],
  days: readonly string[],
): Promise<Record<string, string>> {
  const answers: Record<string, string> = {};
  for (const c of centers)
    for (const d of days)
      answers[`${c}|${d}`] = (
        await client.send({
          method: 'GET',
          path: `/api/v1/centers/${c}/slots?service=${SERVICE}&date=${d}`,
          headers: { 'x-forwarded-for': addressOf(3_000_002) },
        })
      ).body;
  return answers;
}
