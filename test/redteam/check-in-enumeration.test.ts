import { describe, expect, it } from 'vitest';
import { checkInCode } from '../../src/hall/check-in-code.js';
import { createPiiCrypto } from '../../src/platform/crypto.js';
import { checkIn } from '../hall/check-in-support.js';
import { hallFixture, onlineToday, TODAY } from '../hall/hall-support.js';
import { addSlot, CENTER, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// Attacks on the kiosk's arrival check-in (rule 13). The answer to every miss is the same
// NOT_FOUND, so it tells an attacker nothing; nothing changes in the database.
describe.each(testDatabases())('red team: check-in codes and numbers on %s', (kind) => {
  let h: Harness;
  let term: string;
  hallFixture(kind, (hall) => ({ h, term } = hall));

  const arrived = async () =>
    (await h.ctx.db.selectFrom('registrations').select('id').where('status', '=', 'arrived').execute())
      .length;

  it('a guessed number with a wrong surname answers exactly like an unknown number', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'online' });
    const r = await onlineToday(h, slot, 1);
    const wrong = await checkIn(h, term, { number: r.number, lastName: 'Петренко' });
    const unknown = await checkIn(h, term, { number: 4321, lastName: 'Петренко' });
    expect(wrong.statusCode).toBe(404);
    expect(wrong.json().code).toBe('NOT_FOUND');
    const strip = (b: Record<string, unknown>) => ({ ...b, instance: undefined, traceId: undefined });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
    expect(await arrived()).toBe(0);
  });

  it("another center's code, or its number, does not check in here", async () => {
    const slot = await addSlot(h.ctx.db, {
      center: OTHER_CENTER,
      day: TODAY,
      time: '10:00',
      capacity: 5,
      pool: 'online',
    });
    const r = await onlineToday(h, slot, 1);
    expect((await checkIn(h, term, { code: checkInCode(h.ctx.crypto, r.id, TODAY) })).json().code).toBe(
      'NOT_FOUND',
    );
    expect((await checkIn(h, term, { number: r.number, lastName: 'Шевченко' })).json().code).toBe(
      'NOT_FOUND',
    );
    expect(await arrived()).toBe(0);
  });

  it("yesterday's code (genuine, signed for its own day) and a code for tomorrow are refused", async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'online' });
    const r = await onlineToday(h, slot, 1);
    expect(
      (await checkIn(h, term, { code: checkInCode(h.ctx.crypto, r.id, '2026-11-22') })).json().code,
    ).toBe('NOT_FOUND');
    const tomorrow = await addSlot(h.ctx.db, {
      day: '2026-11-24',
      time: '10:00',
      capacity: 5,
      pool: 'online',
    });
    const t = await onlineToday(h, tomorrow, 2);
    expect(
      (await checkIn(h, term, { code: checkInCode(h.ctx.crypto, t.id, '2026-11-24') })).json().code,
    ).toBe('NOT_FOUND');
    expect(await arrived()).toBe(0);
  });

  it('a forged code (right layout, today, a real id, MAC made up or from another key) is refused', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'online' });
    const r = await onlineToday(h, slot, 1);
    const genuine = checkInCode(h.ctx.crypto, r.id, TODAY);
    const forged = `${genuine.slice(0, 33)}AAAAAAAAAAAAAAAA`;
    expect((await checkIn(h, term, { code: forged })).json().code).toBe('NOT_FOUND');
    const otherKey = createPiiCrypto({ hmacKey: Buffer.alloc(32, 9).toString('base64') });
    expect((await checkIn(h, term, { code: checkInCode(otherKey, r.id, TODAY) })).json().code).toBe(
      'NOT_FOUND',
    );
    expect(await arrived()).toBe(0);
    // The genuine one works, so the refusals above are the signature's doing.
    expect((await checkIn(h, term, { code: genuine })).statusCode).toBe(200);
  });

  it('a citizen or a board cannot call the kiosk check-in; a kiosk of another center is refused', async () => {
    const board = await staffCookie(h.app, 'board', CENTER);
    expect((await checkIn(h, board, { number: 1000, lastName: 'Шевченко' })).statusCode).toBe(403);
    const otherKiosk = await staffCookie(h.app, 'terminal', OTHER_CENTER);
    expect((await checkIn(h, otherKiosk, { number: 1000, lastName: 'Шевченко' })).statusCode).toBe(403);
  });
});

describe.each(testDatabases())('red team: a bot enumerating check-in numbers on %s', (kind) => {
  it('the kiosk device is rate limited: past RATE_LIMIT_TERMINAL tries a minute it gets RATE_LIMITED', async () => {
    const h = await createHarness(kind, { env: { RATE_LIMITS: 'on', RATE_LIMIT_TERMINAL: '5/1000' } });
    try {
      await seedCatalog(h.ctx.db);
      const term = await staffCookie(h.app, 'terminal', CENTER);
      const answers = [];
      for (let n = 1000; n < 1008; n++)
        answers.push(await checkIn(h, term, { number: n, lastName: 'Шевченко' }));
      expect(answers.slice(0, 5).every((a) => a.json().code === 'NOT_FOUND')).toBe(true);
      expect(answers.slice(5).every((a) => a.statusCode === 429 && a.json().code === 'RATE_LIMITED')).toBe(
        true,
      );
    } finally {
      await h.close();
    }
  });
});
