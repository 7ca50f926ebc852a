import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const key = Buffer.alloc(32, 7).toString('base64');
/** A production environment that starts; each test breaks one thing. */
const good = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/e',
  PII_KEYS: `k1:${key}`,
  PII_HMAC_KEY: key,
  SMTP_URL: 'smtp://mail:25',
  PUBLIC_URL: 'https://e-zapys.example',
  IDGOVUA_PLAIN_USERINFO: 'on',
  IDGOVUA_BASE_URL: 'https://id.gov.ua',
  IDGOVUA_CLIENT_ID: 'mvs-e-zapys',
  IDGOVUA_CLIENT_SECRET: 'real-secret',
  STAFF_OIDC_ISSUER: 'https://sso.mvs.gov.ua/realms/staff',
  STAFF_OIDC_CLIENT_ID: 'e-zapys',
  STAFF_OIDC_CLIENT_SECRET: 'real-staff-secret',
  ANTIBOT_HMAC_KEY: key,
};

function refusal(env: Record<string, string | undefined>): string {
  try {
    loadConfig({ ...good, ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  return 'started';
}

describe('production mode refuses unsafe identity settings, in one line', () => {
  it('a complete production configuration starts, with no development providers', () => {
    const config = loadConfig(good);
    expect(config.identity.devProviders).toBe(false);
    expect(config.devSession).toBe(false);
    expect(config.demo).toBe(false);
  });

  it.each([
    [{ PII_KEYS: undefined }, /PII_KEYS/],
    [{ PII_HMAC_KEY: undefined }, /PII_HMAC_KEY/],
    [{ DEV_SESSION: 'on' }, /DEV_SESSION/],
    [{ DEV_PROVIDERS: 'on' }, /DEV_PROVIDERS/],
    [{ IDGOVUA_BASE_URL: undefined }, /IDGOVUA_BASE_URL/],
    [{ IDGOVUA_BASE_URL: 'https://e-zapys.example/dev/idgovua' }, /IDGOVUA_BASE_URL.*emulator/],
    [{ IDGOVUA_CLIENT_ID: undefined }, /IDGOVUA_CLIENT_ID/],
    [{ IDGOVUA_CLIENT_SECRET: undefined }, /IDGOVUA_CLIENT_SECRET/],
    [{ STAFF_OIDC_ISSUER: undefined }, /STAFF_OIDC_ISSUER/],
    [{ STAFF_OIDC_ISSUER: 'https://e-zapys.example/dev/oidc' }, /STAFF_OIDC_ISSUER.*development/],
    [{ STAFF_OIDC_CLIENT_SECRET: undefined }, /STAFF_OIDC_CLIENT_SECRET/],
  ])('%j is refused', (env, reason) => {
    expect(refusal(env)).toMatch(reason);
  });

  it('demo mode defaults to the bundled providers (emulator and development OIDC)', () => {
    const config = loadConfig({ NODE_ENV: 'development' });
    expect(config.identity).toMatchObject({
      devProviders: true,
      idgovuaBaseUrl: undefined,
      staffOidcIssuer: undefined,
      idgovuaAuthTypes: 'dig_sign,bank_id,diia_id,diia_oauth',
    });
  });
});
