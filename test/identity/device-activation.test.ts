import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeActivationCode } from '../../src/identity/device-code.js';
import { sha256 } from '../../src/platform/crypto.js';
import { CENTER, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Activation of a kiosk or board by the short code of the admin console (or its QR's link).
describe.each(testDatabases())('device activation code on %s', (kind) => {
  let h: Harness;
  let head: string;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
    head = await staffCookie(h.app, 'center_head', CENTER);
  });
  afterAll(() => h.close());

  const issue = async (center = CENTER, cookie = head) =>
    h.app.inject({
      method: 'POST',
      url: `/api/v1/centers/${center}/devices`,
      headers: { cookie },
      payload: { kind: 'terminal', label: 'Кіоск 2' },
    });
  const activate = (code: string) =>
    h.app.inject({ method: 'POST', url: '/api/v1/devices/session', payload: { code } });

  it('the head gets an 8-character code without look-alike characters, valid 10 minutes, stored hashed', async () => {
    h.clock.set('2026-11-23T07:00:00Z');
    const res = await issue();
    expect(res.statusCode).toBe(201);
    const { id, activationCode, activationExpiresAt } = res.json();
    expect(activationCode).toMatch(/^[ABCDEFGHJKMNPQRSTUVWXYZ23456789]{8}$/);
    expect(activationExpiresAt).toBe('2026-11-23T07:10:00.000Z');
    const row = await h.ctx.db
      .selectFrom('device_credentials')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.activation_hash).toBe(sha256(activationCode));
    expect(JSON.stringify(row)).not.toContain(activationCode);
  });

  it('the code, typed in lower case with a dash, opens a session of its center once; a second use fails', async () => {
    h.clock.set('2026-11-23T07:00:00Z');
    const { id, activationCode } = (await issue()).json();
    const typed = `${activationCode.slice(0, 4).toLowerCase()}-${activationCode.slice(4)}`;
    const first = await activate(typed);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ role: 'terminal', centerId: CENTER });
    const session = first.headers['set-cookie'];
    expect(String(session)).toContain('ezs=');
    const again = await activate(activationCode);
    expect(again.statusCode).toBe(401);
    expect(again.json().code).toBe('UNAUTHENTICATED');
    const logins = await h.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('subject_id', '=', id)
      .where('action', '=', 'login')
      .execute();
    expect(logins).toEqual([{ action: 'login', details: { via: 'activation_code' } }]);
  });

  it('an expired code, a revoked device and a guessed code are refused', async () => {
    h.clock.set('2026-11-23T07:00:00Z');
    const expired = (await issue()).json();
    const revoked = (await issue()).json();
    await h.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${revoked.id}/revoke`,
      headers: { cookie: head },
    });
    h.clock.set('2026-11-23T07:10:01Z');
    expect((await activate(expired.activationCode)).statusCode).toBe(401);
    h.clock.set('2026-11-23T07:05:00Z');
    expect((await activate(revoked.activationCode)).statusCode).toBe(401);
    expect((await activate('ABCDEFGH')).statusCode).toBe(401);
    expect((await activate('O0I1L0O0')).statusCode).toBe(401);
  });

  it('a new code for a device replaces the old one; only the head of its center may ask', async () => {
    h.clock.set('2026-11-23T07:00:00Z');
    const first = (await issue()).json();
    const renewed = await h.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${first.id}/activation`,
      headers: { cookie: head },
    });
    expect(renewed.statusCode).toBe(200);
    expect((await activate(first.activationCode)).statusCode).toBe(401);
    const otherHead = await staffCookie(h.app, 'center_head', OTHER_CENTER);
    const foreign = await h.app.inject({
      method: 'POST',
      url: `/api/v1/devices/${first.id}/activation`,
      headers: { cookie: otherHead },
    });
    expect(foreign.statusCode).toBe(403);
    expect((await activate(renewed.json().activationCode)).statusCode).toBe(200);
  });

  it('codes are normalised: case, spaces and dashes do not matter; look-alikes are never codes', () => {
    expect(normalizeActivationCode(' abcd efgh ')).toBe('ABCDEFGH');
    expect(normalizeActivationCode('ABCD-EFG0')).toBeNull();
    expect(normalizeActivationCode('ABCDEFG')).toBeNull();
  });
});

describe.each(testDatabases())('red team: guessing device activation codes on %s', (kind) => {
  it('the code is tried under the login rate limit per address', async () => {
    const h = await createHarness(kind, { env: { RATE_LIMITS: 'on', RATE_LIMIT_LOGINS: '100/5' } });
    try {
      const answers = [];
      for (let i = 0; i < 7; i++)
        answers.push(
          await h.app.inject({
            method: 'POST',
            url: '/api/v1/devices/session',
            payload: { code: `ABCDEFG${i + 2}` },
          }),
        );
      expect(answers.slice(0, 5).every((a) => a.statusCode === 401)).toBe(true);
      expect(answers.slice(5).every((a) => a.statusCode === 429)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
