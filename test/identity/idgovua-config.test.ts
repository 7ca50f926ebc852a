import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

const key = Buffer.alloc(32, 7).toString('base64');
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://db/e',
  PII_KEYS: `k1:${key}`,
  PII_HMAC_KEY: key,
  SMTP_URL: 'smtp://mail:25',
  PUBLIC_URL: 'https://e-zapys.example',
  IDGOVUA_BASE_URL: 'https://id.gov.ua',
  IDGOVUA_CLIENT_ID: 'mvs-e-zapys',
  IDGOVUA_CLIENT_SECRET: 'real-secret',
  STAFF_OIDC_ISSUER: 'https://sso.mvs.gov.ua/realms/staff',
  STAFF_OIDC_CLIENT_SECRET: 'real-staff-secret',
  ANTIBOT_HMAC_KEY: key,
};

describe('production requires encrypted ID.GOV.UA user info unless told it talks to the test provider', () => {
  it('without IDGOVUA_ENCRYPTION_CERT/KEY it refuses to start, in one line', () => {
    let message = 'started';
    try {
      loadConfig(production);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      message = (error as Error).message;
    }
    expect(message).toMatch(/IDGOVUA_ENCRYPTION_CERT and IDGOVUA_ENCRYPTION_KEY/);
    expect(message).not.toContain('\n');
    expect(() => loadConfig({ ...production, IDGOVUA_ENCRYPTION_CERT: '/etc/e-zapys/enc.cer' })).toThrow(
      /IDGOVUA_ENCRYPTION_KEY/,
    );
  });

  it('with the certificate and key, or with IDGOVUA_PLAIN_USERINFO=on, it starts', () => {
    const withKeys = loadConfig({
      ...production,
      IDGOVUA_ENCRYPTION_CERT: '/etc/e-zapys/enc.cer',
      IDGOVUA_ENCRYPTION_KEY: '/etc/e-zapys/Key-6.dat',
      IDGOVUA_ENCRYPTION_KEY_PASSWORD: 'p',
    });
    expect(withKeys.identity).toMatchObject({
      idgovuaEncryptionCert: '/etc/e-zapys/enc.cer',
      idgovuaEncryptionKey: '/etc/e-zapys/Key-6.dat',
      idgovuaPlainUserInfo: false,
    });
    expect(loadConfig({ ...production, IDGOVUA_PLAIN_USERINFO: 'on' }).identity.idgovuaPlainUserInfo).toBe(
      true,
    );
  });

  it('the demo offers every sign-in method, Diia QR included', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).identity.idgovuaAuthTypes).toBe(
      'dig_sign,bank_id,diia_id,diia_oauth',
    );
  });
});
