import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * Bypass: the ID.GOV.UA `redirect_uri` (where the provider sends the login code) and, in demo
 * mode, the provider's own address were built from `X-Forwarded-Host`/`X-Forwarded-Proto`, which
 * any client can send. A link through a proxy that passes the header, or a poisoned cache, sent
 * the code to the attacker's host. Every redirect is now built from PUBLIC_URL.
 */
const evil = { 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https', host: 'evil.example' };

describe('red team: redirects built from forwarded headers', () => {
  let h: Harness;
  beforeAll(async () => {
    // No PUBLIC_URL given: the demo default applies, as on a developer's machine.
    h = await createHarness('pglite');
  });
  afterAll(() => h.close());

  it('the login redirect and its redirect_uri ignore X-Forwarded-Host / Host', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/auth/citizen/login', headers: evil });
    expect(res.statusCode).toBe(302);
    const authorize = new URL(res.headers.location as string);
    expect(authorize.origin).toBe('http://localhost:3000');
    expect(authorize.searchParams.get('redirect_uri')).toBe('http://localhost:3000/auth/citizen/callback');
    expect(res.headers.location).not.toContain('evil.example');
  });

  it('the emulator sends the code only to this service’s callback, whatever redirect_uri says', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/dev/idgovua/authorize',
      headers: evil,
      payload: {
        client_id: 'e-zapys-demo',
        state: 's',
        redirect_uri: 'https://evil.example/auth/citizen/callback',
        persona: 'individual',
      },
    });
    expect(res.headers.location ?? '').not.toContain('evil.example');
  });

  it('the demo default of PUBLIC_URL is this server on localhost, never a request header', () => {
    expect(loadConfig({ NODE_ENV: 'development', PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
  });

  it('production refuses to start without PUBLIC_URL, in one line', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgres://db/e',
      PII_KEYS: `k1:${key}`,
      PII_HMAC_KEY: key,
      SMTP_URL: 'smtp://mail:25',
      IDGOVUA_BASE_URL: 'https://id.gov.ua',
      IDGOVUA_CLIENT_ID: 'mvs-e-zapys',
      IDGOVUA_CLIENT_SECRET: 'real-secret',
      IDGOVUA_PLAIN_USERINFO: 'on',
      STAFF_OIDC_ISSUER: 'https://sso.mvs.gov.ua/realms/staff',
      STAFF_OIDC_CLIENT_SECRET: 'real-staff-secret',
      ANTIBOT_HMAC_KEY: key,
    };
    let message = 'started';
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/PUBLIC_URL/);
    expect(message).not.toContain('\n');
    expect(() => loadConfig({ ...env, PUBLIC_URL: 'http://e-zapys.example' })).toThrow(/PUBLIC_URL.*https/);
  });
});
