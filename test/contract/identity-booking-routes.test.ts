import Fastify, { type RouteOptions } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { bookingRoutes } from '../../src/booking/booking-routes.js';
import { loadConfig } from '../../src/config.js';
import { devSessionRoutes } from '../../src/identity/dev-session-routes.js';
import { deviceRoutes } from '../../src/identity/device-routes.js';
import { loginRoutes } from '../../src/identity/login-routes.js';
import { piiRoutes } from '../../src/identity/pii-routes.js';

/**
 * Issue #13: every route of the booking and identity route files encodes its answer through a
 * response schema (the serializer drops fields a schema does not name, and the web's types are
 * inferred from the same schemas). The plugins are only registered here, never called: a route
 * added without a schema fails this test before any screen reads its answer.
 */
const cookies = { secureCookies: false, absoluteHours: 12 };
const plugins = {
  'booking-routes.ts': bookingRoutes({ booking: {} as never, arrivals: {} as never }),
  'login-routes.ts': loginRoutes({ login: {} as never, config: loadConfig({}), cookies }),
  'device-routes.ts': deviceRoutes({ devices: {} as never, cookies }),
  'pii-routes.ts': piiRoutes({ pii: {} as never }),
  'dev-session-routes.ts': devSessionRoutes({ devSessions: {} as never, cookies }),
};

/** Routes that answer only with a redirect to the provider or back to a surface: no body. */
const REDIRECTS = [
  'GET /auth/citizen/login',
  'GET /auth/citizen/callback',
  'GET /auth/staff/login',
  'GET /auth/staff/callback',
];

async function routesOf(plugin: (typeof plugins)[keyof typeof plugins]) {
  const seen: Array<{ route: string; response: Record<string, z.ZodType> | undefined }> = [];
  const app = Fastify();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onRoute', (r: RouteOptions) => {
    for (const method of [r.method].flat())
      if (method !== 'HEAD')
        seen.push({
          route: `${method} ${r.url}`,
          response: (r.schema as { response?: Record<string, z.ZodType> } | undefined)?.response,
        });
  });
  await app.register(plugin);
  await app.ready();
  await app.close();
  return seen;
}

describe('issue #13: the booking and identity routes declare what they answer', () => {
  it('every route of these files has a response schema, except the login redirects', async () => {
    const without: string[] = [];
    let total = 0;
    for (const plugin of Object.values(plugins)) {
      const routes = await routesOf(plugin);
      total += routes.length;
      for (const r of routes) if (!r.response || Object.keys(r.response).length === 0) without.push(r.route);
    }
    expect(total).toBeGreaterThan(20);
    expect(without.sort()).toEqual([...REDIRECTS].sort());
  });

  it('the answers the portal reads have their schema, per status', async () => {
    const byRoute = new Map(
      (await routesOf(plugins['booking-routes.ts'])).map((r) => [r.route, Object.keys(r.response ?? {})]),
    );
    expect(byRoute.get('POST /api/v1/bookings')).toEqual(['201', '202']);
    expect(byRoute.get('GET /api/v1/me')).toEqual(['200']);
    expect(byRoute.get('GET /api/v1/me/bookings')).toEqual(['200']);
    expect(byRoute.get('POST /api/v1/bookings/:id/cancel')).toEqual(['200']);
    expect(byRoute.get('POST /api/v1/admin/blocks/lift')).toEqual(['200']);
    const login = new Map(
      (await routesOf(plugins['login-routes.ts'])).map((r) => [r.route, r.response?.['200']]),
    );
    expect(login.get('GET /auth/session')?.parse({ authenticated: false })).toEqual({ authenticated: false });
    expect(login.get('POST /auth/logout')?.parse({ status: 'signed_out' })).toEqual({ status: 'signed_out' });
  });
});
