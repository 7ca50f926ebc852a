import { relative } from 'node:path';
import type { FastifyInstance, RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHarness, type Harness } from '../support/harness.js';

interface SeenRoute {
  route: string;
  file: string;
  hasResponse: boolean;
}

/** Every route the app adds, with the file that adds it (read from the call stack). */
const { seen, PLUGIN } = vi.hoisted(() => ({
  seen: [] as SeenRoute[],
  /** The file of a route no source file of ours adds (a plugin's own, e.g. @fastify/static's). */
  PLUGIN: '(a plugin in node_modules)',
}));

vi.mock('fastify', async (importOriginal) => {
  const original = await importOriginal<typeof import('fastify')>();
  const create = ((options?: Parameters<typeof original.default>[0]) => {
    const app = original.default(options as never) as unknown as FastifyInstance;
    app.addHook('onRoute', (route: RouteOptions) => {
      const methods = [route.method].flat().filter((m) => m !== 'HEAD');
      // The first frame of our source (src/) in the stack that adds the route.
      const file = new Error().stack
        ?.split('\n')
        .map((line) => /\((\/[^)]+?):\d+:\d+\)$|at (\/\S+?):\d+:\d+$/.exec(line))
        .map((m) => (m ? relative(process.cwd(), m[1] ?? m[2] ?? '') : ''))
        .find((f) => f.startsWith('src/'));
      const schema = route.schema as { response?: Record<string, unknown> } | undefined;
      for (const method of methods)
        seen.push({
          route: `${method} ${route.url}`,
          file: file ?? PLUGIN,
          hasResponse: Object.keys(schema?.response ?? {}).length > 0,
        });
    });
    return app;
  }) as typeof original.default;
  return { ...original, default: create, fastify: create };
});

/**
 * Files whose routes answer nothing of our JSON contract, so there is nothing for a response
 * schema to encode.
 */
const NOT_OUR_JSON_FILES: Record<string, string> = {
  'src/web/web-routes.ts': "the surfaces' HTML, the service worker, the manifest, icons",
  'src/platform/metrics.ts': 'Prometheus text',
  'src/identity/idgovua/idgovua-emulator.ts':
    "the demo stand-in of ID.GOV.UA: the provider's contract, not ours",
  'src/identity/staff-oidc/dev-oidc-provider.ts': "the demo OIDC provider: oidc-provider's own protocol",
};

/** Single routes that answer no JSON of ours. */
const NOT_OUR_JSON_ROUTES: Record<string, string> = {
  'GET /api/v1/centers/:id/board/events': 'Server-Sent Events',
  'GET /api/v1/me/bookings/:id/events': 'Server-Sent Events',
  'GET /auth/citizen/login': 'a redirect',
  'GET /auth/citizen/callback': 'a redirect',
  'GET /auth/staff/login': 'a redirect',
  'GET /auth/staff/callback': 'a redirect',
  'GET /feedback/:token': 'the HTML form the e-mail links to',
  'POST /feedback/:token': 'its HTML answer',
  'GET /conflict-offer/:token': 'the HTML page a moved-time offer e-mail links to',
  'POST /conflict-offer/:token': 'its HTML answer',
  'GET /dev/mailbox': 'HTML (demo mailbox)',
  'GET /dev/mailbox/:id': 'HTML (demo mailbox)',
  'GET /dev/mailbox/:id/attachments/:n': 'a file (demo mailbox)',
  'GET /api/v1/openapi.json': 'the OpenAPI document',
  'GET /assets/*': 'static files (@fastify/static, registered by web-routes)',
  'GET /icons/*': 'static files (@fastify/static, registered by web-routes)',
};

/**
 * The ratchet (issue #13): JSON routes still answering without a response schema, by the file
 * that declares them. It may only shrink, and it is empty now: a new route without a schema
 * fails until it has one.
 */
const NOT_YET: Record<string, string[]> = {};

describe('issue #13: every JSON answer is encoded through its response schema', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { DEV_SESSION: 'on' } });
  });
  afterAll(() => h?.close());

  const json = () => seen.filter((r) => !(r.route in NOT_OUR_JSON_ROUTES) && !(r.file in NOT_OUR_JSON_FILES));

  it('every route is seen with the file that declares it', () => {
    expect(seen.length).toBeGreaterThan(100);
    expect(json().filter((r) => r.file === PLUGIN)).toEqual([]);
    expect(seen.find((r) => r.route === 'GET /api/v1/desks/:id')).toMatchObject({
      file: 'src/hall/hall-routes.ts',
      hasResponse: true,
    });
    expect(seen.find((r) => r.route === 'GET /api/v1/admin/centers/:id/roster')).toMatchObject({
      file: 'src/capacity/roster-routes.ts',
    });
  });

  it('a JSON route without a response schema is one the ratchet still lists, and only such', () => {
    const without: Record<string, string[]> = {};
    for (const r of json()) if (!r.hasResponse) without[r.file] = [...(without[r.file] ?? []), r.route];
    expect(without).toEqual(NOT_YET);
  });

  it('the hall, staff, audit, report and feedback routes all have one', () => {
    const covered = [
      'src/hall/hall-routes.ts',
      'src/hall/stats-routes.ts',
      'src/hall/check-in-routes.ts',
      'src/hall/terminal-routes.ts',
      'src/capacity/roster-routes.ts',
      'src/audit/audit-routes.ts',
      'src/fairness/fairness-routes.ts',
      'src/notify/notify-routes.ts',
      'src/feedback/feedback-routes.ts',
    ];
    const missing = json()
      .filter((r) => covered.includes(r.file) && !r.hasResponse)
      .map((r) => r.route);
    expect(missing).toEqual([]);
    const all = json();
    expect(all.filter((r) => r.hasResponse).length).toBe(all.length);
  });
});
