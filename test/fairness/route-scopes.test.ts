import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installFairness } from '../../src/fairness/fairness-routes.js';
import type { Fairness } from '../../src/fairness/fairness-service.js';
import { type DeclaredRoute, declaredRoutes } from '../../src/identity/auth.js';
import { admission } from '../../src/platform/admission.js';
import { installProblemHandlers } from '../../src/platform/http.js';
import { DomainError } from '../../src/platform/problems.js';
import { createHarness, type Harness } from '../support/harness.js';

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Open to the public, a citizen or the kiosk: the callers rule 9 counts. The bundled stand-ins
 * for the external identity providers (demo mode only; production refuses them) are not ours.
 */
const standIn = (r: DeclaredRoute) => /^\/dev\/(idgovua|oidc)\//.test(r.url);
const exposed = (r: DeclaredRoute) =>
  r.access === 'public' ||
  (Array.isArray(r.access) && (r.access.includes('citizen') || r.access.includes('terminal')));

/**
 * SPEC 3.9: rate limits and proof-of-work are declared on each route (`config.rateLimit`,
 * `config.antibot`), not looked up in a table of URL strings, so renaming a URL cannot silently
 * drop its protection, and a new mutating route open to citizens fails here until it says
 * which scope counts it (or `rateLimit: false`, deliberately none).
 */
describe('rule 9: every guarded route declares its own rate-limit scope', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { DEV_SESSION: 'on' } });
  });
  afterAll(() => h.close());

  it('every mutating route open to the public, citizens or the kiosk declares a scope', () => {
    const routes = declaredRoutes(h.app).filter((r) => MUTATING.has(r.method) && exposed(r) && !standIn(r));
    expect(routes.length).toBeGreaterThan(5);
    const undeclared = routes.filter((r) => r.rateLimit === undefined).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it('the scopes of SPEC 3.9 sit on their routes: booking attempts, slot queries, the kiosk, logins', () => {
    const of = (method: string, url: string) =>
      declaredRoutes(h.app).find((r) => r.method === method && r.url === url);
    expect(of('POST', '/api/v1/bookings')).toMatchObject({
      rateLimit: 'bookings',
      antibot: true,
      proofInHandler: true,
    });
    expect(of('GET', '/api/v1/centers/:id/slots')).toMatchObject({ rateLimit: 'slots' });
    expect(of('POST', '/api/v1/centers/:id/terminal/registrations')).toMatchObject({ rateLimit: 'terminal' });
    for (const url of [
      '/auth/citizen/login',
      '/auth/citizen/callback',
      '/auth/staff/login',
      '/auth/staff/callback',
    ])
      expect(of('GET', url)).toMatchObject({ rateLimit: 'logins' });
    expect(of('POST', '/dev/session')).toMatchObject({ rateLimit: 'logins' });
    // Only what claims a place pays a proof-of-work: booking, moving, waiting, accepting an offer.
    const proofs = declaredRoutes(h.app)
      .filter((r) => r.antibot)
      .map((r) => r.url);
    expect(proofs.filter((u) => !u.endsWith('/reschedule'))).toEqual([
      '/api/v1/bookings',
      '/api/v1/waitlist',
      '/api/v1/offers/:id/accept',
    ]);
    // A route whose handler awaits the proof itself must pass admission(request) on to its
    // service and have a test that a refused proof writes nothing; so far only the booking.
    expect(
      declaredRoutes(h.app)
        .filter((r) => r.proofInHandler)
        .map((r) => `${r.method} ${r.url}`),
    ).toEqual(['POST /api/v1/bookings']);
    expect(of('POST', '/api/v1/waitlist')).toMatchObject({ rateLimit: 'bookings' });
    expect(of('POST', '/api/v1/offers/:id/accept')).toMatchObject({ rateLimit: 'bookings' });
  });
});

describe('rule 9: protection follows the declaration, whatever the URL', () => {
  it('a route under a new URL is counted and asks for a proof by its config alone', async () => {
    const consumed: string[] = [];
    const verified: string[] = [];
    const fairness = {
      limits: { consume: async (scope: string) => void consumed.push(scope), recordFailure: async () => {} },
      antibot: {
        verify: async (_raw: unknown, caller: { scope: string }) => void verified.push(caller.scope),
      },
      attempts: { record: () => {} },
    } as unknown as Fairness;
    const app = Fastify();
    app.decorateRequest('principal', null);
    app.decorateRequest('sessionToken', null);
    installFairness(app, fairness, { rateLimits: true, antibot: true, clock: { now: () => new Date() } });
    app.post(
      '/api/v2/renamed-bookings',
      { config: { rateLimit: 'bookings', antibot: true } },
      async () => ({}),
    );
    app.post('/api/v1/bookings', async () => ({}));
    await app.ready();
    await app.inject({ method: 'POST', url: '/api/v2/renamed-bookings', payload: {} });
    expect(consumed).toEqual(['bookings']);
    expect(verified).toEqual(['bookings']);
    // The old URL without a declaration is nothing special any more.
    await app.inject({ method: 'POST', url: '/api/v1/bookings', payload: {} });
    expect(consumed).toEqual(['bookings']);
    await app.close();
  });

  it('a route that defers its proof to the handler: refused when the claim fails, 500 when the handler never asks', async () => {
    let fresh = true;
    const fairness = {
      limits: { consume: async () => {}, recordFailure: async () => {} },
      antibot: {
        check: (raw: unknown) => {
          if (raw !== 'solved')
            throw new DomainError('ANTIBOT_REQUIRED', { extensions: { reason: 'missing' } });
          return { raw };
        },
        claim: async () => {
          if (!fresh) throw new DomainError('ANTIBOT_REQUIRED', { extensions: { reason: 'reused' } });
        },
      },
      attempts: { record: () => {} },
    } as unknown as Fairness;
    const app = Fastify();
    app.decorateRequest('principal', null);
    app.decorateRequest('sessionToken', null);
    installProblemHandlers(app);
    installFairness(app, fairness, { rateLimits: true, antibot: true, clock: { now: () => new Date() } });
    const written: string[] = [];
    app.post('/asks', { config: { rateLimit: 'bookings', antibot: 'handler' } }, async (request) => {
      await admission(request);
      written.push('asks');
      return { ok: true };
    });
    app.post('/forgets', { config: { rateLimit: 'bookings', antibot: 'handler' } }, async () => {
      written.push('forgets');
      return { ok: true };
    });
    await app.ready();
    const post = (url: string, altcha?: string) => app.inject({ method: 'POST', url, payload: { altcha } });
    expect((await post('/asks', 'solved')).statusCode).toBe(200);
    expect((await post('/asks')).json()).toMatchObject({ code: 'ANTIBOT_REQUIRED', reason: 'missing' });
    fresh = false;
    expect((await post('/asks', 'solved')).json()).toMatchObject({
      code: 'ANTIBOT_REQUIRED',
      reason: 'reused',
    });
    expect(written).toEqual(['asks']);
    // The handler that never asked for the verdict does not get its success out.
    expect((await post('/forgets', 'solved')).statusCode).toBe(500);
    await app.close();
  });
});
