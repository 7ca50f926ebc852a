import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { type AppContext, createContext } from '../../src/context.js';
import { openPostgres } from '../../src/platform/db.js';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { requirePostgres, testDatabases } from '../support/test-db.js';
import {
  callNext,
  DESK,
  hallFixture,
  kiosk,
  onlineToday,
  outcome,
  parseSse,
  post,
  readSse,
  TODAY,
} from './hall-support.js';

describe.each(testDatabases())('board and statistics on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  hallFixture(kind, (hall) => ({ h, term, op } = hall));

  it('board: the snapshot shows date, time, called numbers with desks, free places and the alert, and no personal data', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal', minutes: 60 });
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '10:00',
      capacity: 4,
      pool: 'terminal',
      group: GROUP.licence,
    });
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '08:00',
      capacity: 9,
      pool: 'terminal',
      group: GROUP.licence,
    }); // ended
    const a = (await kiosk(h.app, term, { seed: 1 })).json();
    h.clock.advance(1000);
    await kiosk(h.app, term, { seed: 2 });
    await kiosk(h.app, term, {
      seed: 3,
      priority: { category: 'disability', document: { type: 'x', number: 'y' } },
    });
    h.clock.set('2026-11-23T07:00:00Z');
    await callNext(h.app, op, DESK.d1); // the priority ticket 1
    h.clock.set('2026-11-23T07:01:00Z');
    const op2 = await staffCookie(h.app, 'operator', CENTER);
    await callNext(h.app, op2, DESK.d2); // 1000
    await outcome(h.app, op2, a.id, 'served');
    h.clock.advance(60_000);
    await callNext(h.app, op2, DESK.d2); // 1001
    const res = await h.app.inject({ url: `/api/v1/centers/${CENTER}/board` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      now: '2026-11-23T07:02:00.000Z',
      date: TODAY,
      center: { id: CENTER, name: 'ТСЦ МВС № 8041' },
      current: [
        { number: 1001, desk: 2, calledAt: '2026-11-23T07:02:00.000Z', priority: false },
        { number: 1, desk: 1, calledAt: '2026-11-23T07:00:00.000Z', priority: true },
      ],
      recent: [{ number: 1000, desk: 2, calledAt: '2026-11-23T07:01:00.000Z', priority: false }],
      freeToday: { total: 7, byGroup: { [GROUP.vehicle]: 3, [GROUP.licence]: 4 } },
      freeByService: [
        { serviceId: SERVICE.licence, name: 'Обмін посвідчення водія', free: 4 },
        { serviceId: SERVICE.vehicle, name: 'Реєстрація транспортного засобу', free: 3 },
      ],
      alert: { active: false, since: null },
    });
    expect(res.body).not.toMatch(/Коваленко|Гість|guest|@|380/);
    expect((await h.app.inject({ url: '/api/v1/centers/nope/board' })).statusCode).toBe(404);
  });

  it('board: live events arrive as Server-Sent Events (called, alert, capacity) with retry and no personal data', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal', minutes: 60 });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as { port: number }).port;
    const head = await staffCookie(h.app, 'center_head', CENTER);
    const text = await readSse(
      `http://127.0.0.1:${port}/api/v1/centers/${CENTER}/board/events`,
      (t) => t.includes('event: alert'),
      async () => {
        await kiosk(h.app, term, { seed: 1 });
        await callNext(h.app, op, DESK.d1);
        // Rule 5: a live call of a priority ticket says so, as the snapshot does.
        await kiosk(h.app, term, {
          seed: 2,
          priority: { category: 'disability', document: { type: 'x', number: 'y' } },
        });
        await callNext(h.app, await staffCookie(h.app, 'operator', CENTER), DESK.d2);
        await post(h.app, head, `/api/v1/centers/${CENTER}/alert`, { active: true });
      },
    );
    expect(text.startsWith('retry: 3000\n')).toBe(true);
    const events = parseSse(text);
    expect(events[0]).toEqual({
      event: 'capacity',
      data: {
        freeByService: [{ serviceId: SERVICE.vehicle, name: 'Реєстрація транспортного засобу', free: 4 }],
      },
    });
    expect(events.filter((e) => e.event === 'called')).toEqual([
      {
        event: 'called',
        data: { number: 1000, desk: 1, calledAt: '2026-11-23T07:00:00.000Z', priority: false, recall: false },
      },
      {
        event: 'called',
        data: { number: 1, desk: 2, calledAt: '2026-11-23T07:00:00.000Z', priority: true, recall: false },
      },
    ]);
    expect(events.at(-1)).toEqual({
      event: 'alert',
      data: { active: true, since: '2026-11-23T07:00:00.000Z' },
    });
    expect(text).not.toMatch(/Коваленко|guest/);
  });

  it('statistics: waiting per group, served, no-shows, average wait and service time per desk, free places', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal', minutes: 60 });
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '08:30',
      capacity: 5,
      pool: 'terminal',
      minutes: 60,
      group: GROUP.licence,
    });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '08:50', capacity: 5, pool: 'online' });
    const o = await onlineToday(h, online, 1); // call 08:50 Kyiv = 06:50Z, created the day before
    const a = (await kiosk(h.app, term, { seed: 1 })).json(); // call 07:00Z, created 07:00Z
    h.clock.advance(1000);
    await kiosk(h.app, term, { seed: 2 });
    await kiosk(h.app, term, { seed: 3, service: SERVICE.licence });
    h.clock.set('2026-11-23T07:04:00Z');
    op = await staffCookie(h.app, 'operator', CENTER);
    expect((await callNext(h.app, op, DESK.d2)).json().id).toBe(o.id); // waited 14 min
    h.clock.set('2026-11-23T07:10:00Z');
    await outcome(h.app, op, o.id, 'served'); // 6 min at desk 2
    expect((await callNext(h.app, op, DESK.d2)).json().id).toBe(a.id); // waited 10 min
    await post(h.app, op, `/api/v1/registrations/${a.id}/recall`); // rule 6: called twice
    await outcome(h.app, op, a.id, 'no_show');
    const res = await h.app.inject({ url: `/api/v1/centers/${CENTER}/stats/today`, headers: { cookie: op } });
    expect(res.json()).toEqual({
      date: TODAY,
      center: { id: CENTER, name: 'ТСЦ МВС № 8041' },
      waiting: {
        total: 2,
        byGroup: [
          { groupId: GROUP.licence, name: 'Посвідчення водія', waiting: 1 },
          { groupId: GROUP.vehicle, name: 'Реєстраційні операції з ТЗ', waiting: 1 },
        ],
      },
      atDesks: 0,
      served: 1,
      noShows: 1,
      refused: 0,
      averageWaitSeconds: 12 * 60,
      perDesk: [{ desk: 2, served: 1, averageServiceSeconds: 6 * 60 }],
      averageServiceSeconds: 6 * 60,
      freeToday: { total: 7, byGroup: { [GROUP.vehicle]: 3, [GROUP.licence]: 4 } },
    });
    const foreign = await staffCookie(h.app, 'operator', OTHER_CENTER);
    expect(
      (await h.app.inject({ url: `/api/v1/centers/${CENTER}/stats/today`, headers: { cookie: foreign } }))
        .statusCode,
    ).toBe(403);
    expect((await h.app.inject({ url: `/api/v1/centers/${CENTER}/stats/today` })).statusCode).toBe(401);
    expect(
      (await h.app.inject({ url: `/api/v1/centers/${CENTER}/stats/today`, headers: { cookie: term } }))
        .statusCode,
    ).toBe(403);
  });
});

describe.runIf(requirePostgres())('board events across instances (PostgreSQL LISTEN/NOTIFY)', () => {
  let h: Harness;
  let b: { ctx: AppContext; app: FastifyInstance; close(): Promise<void> };
  beforeAll(async () => {
    h = await createHarness('postgres');
    await seedCatalog(h.ctx.db);
    const handle = await openPostgres(h.handle.url as string, 5);
    const ctx = createContext({ config: h.config, handle, clock: h.clock });
    const app = await buildApp(ctx);
    await ctx.start(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    b = {
      ctx,
      app,
      async close() {
        await app.close();
        await ctx.stop();
        await handle.close();
      },
    };
  });
  afterAll(async () => {
    await b.close();
    await h.close();
  });

  it('board: an SSE client on instance B receives the call made on instance A', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 5, pool: 'terminal', minutes: 60 });
    const term = await staffCookie(h.app, 'terminal', CENTER);
    const op = await staffCookie(h.app, 'operator', CENTER);
    const port = (b.app.server.address() as { port: number }).port;
    const text = await readSse(
      `http://127.0.0.1:${port}/api/v1/centers/${CENTER}/board/events`,
      (t) => t.includes('event: called'),
      async () => {
        expect((await kiosk(h.app, term, { seed: 1, person: { rnokpp: rnokpp(42) } })).statusCode).toBe(201);
        expect((await callNext(h.app, op, DESK.d1)).statusCode).toBe(200);
      },
    );
    expect(parseSse(text)).toEqual([
      {
        event: 'capacity',
        data: {
          freeByService: [{ serviceId: SERVICE.vehicle, name: 'Реєстрація транспортного засобу', free: 4 }],
        },
      },
      {
        event: 'called',
        data: { number: 1000, desk: 1, calledAt: '2026-11-23T07:00:00.000Z', priority: false, recall: false },
      },
    ]);
  });
});
