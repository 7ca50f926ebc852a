import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exchangeCode,
  IdGovUaError,
  type IdGovUaSettings,
  logout,
  USER_FIELDS,
  userInfo,
} from '../../src/identity/idgovua/idgovua-client.js';
import { generateTestKeyset, type TestKeyset } from '../../src/identity/idgovua/idgovua-envelope.js';

/**
 * The adapter against a scripted provider: what it sends (POST for the code, `fields`, `cert`
 * encoded twice) and how it reads the provider's answers, including its error answers and the
 * logout's `{"error":"0"}` success.
 */
type Handler = (req: IncomingMessage, body: string) => { status?: number; json?: unknown; text?: string };

describe('ID.GOV.UA adapter against the provider protocol', () => {
  let server: Server;
  let base: string;
  let keys: TestKeyset;
  let handler: Handler = () => ({ status: 500, text: 'no handler' });
  const seen: Array<{ method: string; url: string; body: string; contentType: string }> = [];

  beforeAll(async () => {
    keys = generateTestKeyset();
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          body,
          contentType: String(req.headers['content-type'] ?? ''),
        });
        const out = handler(req, body);
        res.statusCode = out.status ?? 200;
        if (out.json !== undefined) {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify(out.json));
        } else res.end(out.text ?? '');
      });
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);
  afterAll(() => new Promise<void>((done) => server.close(() => done())));

  const settings = (encrypted: boolean): IdGovUaSettings => ({
    baseUrl: base,
    clientId: 'mvs-e-zapys',
    clientSecret: 's3cret/+=',
    authTypes: 'dig_sign,bank_id,diia_id,diia_oauth',
    envelope: () => (encrypted ? keys.opener : null),
  });
  const tokens = { accessToken: 'at-1', refreshToken: null, expiresIn: 3600, userId: '42' };

  async function reasonOf(promise: Promise<unknown>): Promise<string> {
    try {
      await promise;
    } catch (error) {
      expect(error).toBeInstanceOf(IdGovUaError);
      expect((error as Error).message).not.toMatch(/s3cret|at-1/);
      return (error as IdGovUaError).reason;
    }
    return 'ok';
  }

  it('the code is exchanged by POST form: the client secret is never in a URL', async () => {
    seen.length = 0;
    handler = () => ({
      json: {
        access_token: 'at-1',
        token_type: 'bearer',
        expires_in: '3600',
        refresh_token: 'r',
        user_id: 42,
      },
    });
    expect(await exchangeCode(settings(false), 'code-1')).toMatchObject({
      accessToken: 'at-1',
      userId: '42',
    });
    const [call] = seen;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe('/get-access-token');
    expect(call?.contentType).toBe('application/x-www-form-urlencoded');
    expect(Object.fromEntries(new URLSearchParams(call?.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: 'mvs-e-zapys',
      client_secret: 's3cret/+=',
      code: 'code-1',
    });
  });

  it('user info asks for the documented fields and auth_type, with our certificate URL-encoded twice', async () => {
    seen.length = 0;
    handler = () => ({ json: { encryptedUserInfo: 'x' } });
    await reasonOf(userInfo(settings(true), tokens));
    const url = seen[0]?.url ?? '';
    expect(url.startsWith('/get-user-info?')).toBe(true);
    expect(url).toContain(`cert=${encodeURIComponent(encodeURIComponent(keys.ours.certBase64))}`);
    const q = new URL(url, base).searchParams;
    expect(q.get('fields')).toBe(USER_FIELDS);
    expect(USER_FIELDS.split(',')).toEqual(expect.arrayContaining(['drfocode', 'edrpoucode', 'auth_type']));
    expect(USER_FIELDS).not.toContain('passport');
    expect(q.get('user_id')).toBe('42');
    expect(decodeURIComponent(q.get('cert') ?? '')).toBe(keys.ours.certBase64);
  });

  it('an encrypted answer is opened; a plain answer to an encrypted request is refused (no downgrade)', async () => {
    const data = {
      lastname: 'Шевченко',
      givenname: 'Тарас',
      drfocode: '3048156203',
      auth_type: 'diia_oauth',
    };
    const sealed = await keys.sealer.seal(data, keys.ours.certBase64);
    handler = () => ({ json: { encryptedUserInfo: sealed } });
    expect(await userInfo(settings(true), tokens)).toEqual(data);
    handler = () => ({ json: data });
    expect(await reasonOf(userInfo(settings(true), tokens))).toBe('envelope');
    // The provider's test environment answers plain when no certificate is sent.
    expect(await userInfo(settings(false), tokens)).toEqual(data);
    handler = () => ({ json: { encryptedUserInfo: sealed } });
    expect(await reasonOf(userInfo(settings(false), tokens))).toBe('envelope');
  }, 60_000);

  it('a tampered envelope is refused with a clear reason, and no user is returned', async () => {
    const sealed = Buffer.from(
      await keys.sealer.seal({ drfocode: '3048156203' }, keys.ours.certBase64),
      'base64',
    );
    sealed[sealed.length - 10] = (sealed[sealed.length - 10] ?? 0) ^ 0x40;
    handler = () => ({ json: { encryptedUserInfo: sealed.toString('base64') } });
    expect(await reasonOf(userInfo(settings(true), tokens))).toMatch(
      /^envelope_(bad_signature|undecryptable|not_json)$/,
    );
  }, 60_000);

  it('the provider’s error answers are failures, with its code as the reason', async () => {
    handler = () => ({ status: 400, json: { error: 'invalid_grant', error_description: 'code expired' } });
    expect(await reasonOf(exchangeCode(settings(false), 'old'))).toBe('invalid_grant');
    handler = () => ({ status: 401, json: { error: 4, message: 'Access token expired' } });
    expect(await reasonOf(userInfo(settings(false), tokens))).toBe('4');
    handler = () => ({ status: 200, json: { error: 'invalid_token', error_description: 'used' } });
    expect(await reasonOf(userInfo(settings(false), tokens))).toBe('invalid_token');
    handler = () => ({ status: 502, text: '<html>Bad gateway</html>' });
    expect(await reasonOf(exchangeCode(settings(false), 'c'))).toBe('http_502');
    handler = () => ({ json: { token_type: 'bearer' } });
    expect(await reasonOf(exchangeCode(settings(false), 'c'))).toBe('incomplete');
  });

  it('logout: {"error":"0"} is the provider’s success; any other error code is a failure', async () => {
    seen.length = 0;
    handler = () => ({
      json: { error: '0', error_description: 'Дані користувача із ID = 42 видалено успішно' },
    });
    await expect(logout(settings(false), tokens)).resolves.toBeUndefined();
    expect(seen[0]?.url).toBe('/get-user-logout?user_id=42&access_token=at-1');
    handler = () => ({ json: { error: 0, error_description: 'ok' } });
    await expect(logout(settings(false), tokens)).resolves.toBeUndefined();
    handler = () => ({ status: 401, json: { error: '1', error_description: 'unknown user' } });
    expect(await reasonOf(logout(settings(false), tokens))).toBe('1');
  });
});
