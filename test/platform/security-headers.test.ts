import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helmetHeaders } from '../../src/platform/security-headers.js';
import { createHarness, type Harness } from '../support/harness.js';

describe('security headers on every response', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite');
  });
  afterAll(() => h.close());

  it.each([
    ['an API answer', '/api/v1/centers'],
    ['a problem (unknown route)', '/api/v1/no-such-thing'],
    ['a refused request', '/api/v1/me'],
  ])('%s carries the CSP and the other helmet headers, and no X-Powered-By', async (_name, url) => {
    const res = await h.app.inject({ url });
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-powered-by']).toBeUndefined();
    // HSTS only in production (demo runs on plain http://localhost).
    expect(res.headers['strict-transport-security']).toBeUndefined();
  });

  it('HSTS is sent when enabled (production)', () => {
    expect(helmetHeaders({ hsts: true })['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(helmetHeaders({ hsts: false })['strict-transport-security']).toBeUndefined();
  });
});
