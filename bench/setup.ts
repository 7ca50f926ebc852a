import { PRODUCTION_MIN_ANTIBOT_NUMBER } from '../src/config.js';
import { BENCH_HMAC_KEY } from './pow.js';

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
  };
}

/** The simulated client number `i`'s own address (10.0.0.0/8: 16 million of them). */
export function addressOf(i: number): string {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}
