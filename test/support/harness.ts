import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { type Config, loadConfig, type Policy } from '../../src/config.js';
import { type AppContext, createContext } from '../../src/context.js';
import { type FixedClock, fixedClock } from '../../src/platform/clock.js';
import type { DatabaseHandle } from '../../src/platform/db.js';
import { type TestClient, testClient } from './client.js';
import { type DbKind, openTestDb } from './test-db.js';

export interface Harness {
  kind: DbKind;
  ctx: AppContext;
  app: FastifyInstance;
  /** Typed calls of the API over `app.inject`. */
  client: TestClient;
  clock: FixedClock;
  handle: DatabaseHandle & { url?: string };
  config: Config;
  close(): Promise<void>;
}

/**
 * A migrated database, a context with a fixed clock and the HTTP app (driven with inject).
 * Every test file opens its own; each test builds the rows it needs.
 */
export async function createHarness(
  kind: DbKind,
  options: { now?: string; policy?: Partial<Policy>; env?: Record<string, string>; poolSize?: number } = {},
): Promise<Harness> {
  const handle = await openTestDb(kind, { poolSize: options.poolSize });
  const clock = fixedClock(options.now ?? '2026-11-23T07:00:00Z');
  // Tests read every session and availability answer fresh (no per-process reuse) unless a
  // test asks for the caches.
  const base = loadConfig({
    NODE_ENV: 'test',
    ANTIBOT: 'off',
    RATE_LIMITS: 'off',
    JOBS: 'off',
    SESSION_CACHE_MS: '0',
    AVAILABILITY_CACHE_MS: '0',
    ...options.env,
  });
  const config: Config = { ...base, policy: { ...base.policy, ...options.policy } };
  const ctx = createContext({ config, handle, clock });
  const app = await buildApp(ctx);
  await ctx.start(app);
  await app.ready();
  return {
    kind,
    ctx,
    app,
    client: testClient(app),
    clock,
    handle,
    config,
    async close() {
      await app.close();
      await ctx.stop();
      await handle.drop();
    },
  };
}

/** Signs a citizen in through /dev/session and returns the cookie header for later requests. */
export async function citizenCookie(
  app: FastifyInstance,
  person: {
    rnokpp?: string;
    passport?: string;
    lastName?: string;
    firstName?: string;
    email?: string;
    legalEntity?: { edrpou: string; name?: string };
  },
): Promise<{ cookie: string; personId: string; token: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/dev/session',
    payload: { lastName: 'Шевченко', firstName: 'Тарас', email: 'taras@example.com', ...person },
  });
  if (res.statusCode !== 200) throw new Error(`dev session failed: ${res.statusCode} ${res.body}`);
  const body = res.json() as { personId: string; token: string };
  return { cookie: `ezs=${body.token}`, personId: body.personId, token: body.token };
}

export async function staffCookie(
  app: FastifyInstance,
  role: 'operator' | 'center_head' | 'terminal' | 'board' | 'national_admin',
  centerId?: string,
  deskId?: string,
): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/dev/session', payload: { role, centerId, deskId } });
  if (res.statusCode !== 200) throw new Error(`dev session failed: ${res.statusCode} ${res.body}`);
  return `ezs=${(res.json() as { token: string }).token}`;
}

/** Valid РНОКПП numbers (control digit checked), one per test person. */
export function rnokpp(seed: number): string {
  const base = String(200000000 + (seed % 700000000))
    .padStart(9, '0')
    .slice(0, 9);
  const weights = [-1, 5, 7, 9, 4, 6, 10, 5, 7];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(base[i]), 0);
  return base + String((((sum % 11) + 11) % 11) % 10);
}
