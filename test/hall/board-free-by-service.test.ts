import { describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, SERVICE } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { hallFixture, kiosk, TODAY } from './hall-support.js';

describe.each(testDatabases())('board free places per service (SPEC §4 board row) on %s', (kind) => {
  let h: Harness;
  let term: string;
  hallFixture(kind, (hall) => ({ h, term } = hall));

  it('freeByService counts terminal and online places of today per service, from slots that have not ended', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal', minutes: 60 });
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 3, pool: 'online' });
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '10:00',
      capacity: 4,
      pool: 'terminal',
      group: GROUP.licence,
    });
    // Ended at 08:30 Kyiv, before the hall's 09:00: its places are gone.
    await addSlot(h.ctx.db, { day: TODAY, time: '08:00', capacity: 9, pool: 'online', group: GROUP.licence });
    // Tomorrow's places are not today's.
    await addSlot(h.ctx.db, {
      day: '2026-11-24',
      time: '10:00',
      capacity: 7,
      pool: 'terminal',
      group: GROUP.theory,
    });
    expect((await kiosk(h.app, term, { seed: 1 })).statusCode).toBe(201);

    const snap = (await h.app.inject({ url: `/api/v1/centers/${CENTER}/board` })).json();
    // In catalogue order (group, then service; ties by id).
    expect(snap.freeByService).toEqual([
      { serviceId: SERVICE.licence, name: 'Обмін посвідчення водія', free: 4 },
      { serviceId: SERVICE.vehicle, name: 'Реєстрація транспортного засобу', free: 7 },
    ]);
  });
});
