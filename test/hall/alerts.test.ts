import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createAlertService } from '../../src/hall/alert-service.js';
import { createAlertsInUaFeed } from '../../src/hall/alerts-feed.js';
import { addSlot, CENTER, OTHER_CENTER } from '../support/fixtures.js';
import { type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { callNext, DESK, hallFixture, kiosk, onlineToday, outcome, post, TODAY } from './hall-support.js';

/** A local stand-in for alerts.in.ua: answers /v1/alerts/active.json from `state`, checks the token. */
function fakeFeed(state: { alerts: object[] }) {
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.url} ${req.headers.authorization ?? ''}`);
    if (req.headers.authorization !== 'Bearer feed-token') {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(state));
  });
  return { server, seen };
}

describe.each(testDatabases())('air-raid alerts (SPEC 3.7) on %s', (kind) => {
  let h: Harness;
  let head: string;
  let op: string;
  let term: string;
  hallFixture(kind, (hall) => ({ h, head, op, term } = hall));

  const alert = (cookie: string, active: boolean, center = CENTER) =>
    post(h.app, cookie, `/api/v1/centers/${center}/alert`, { active });

  it('rule 7: during an alert call-next answers SERVICE_PAUSED and the board shows the alert', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 1 });
    const on = await alert(head, true);
    expect(on.json()).toEqual({ active: true, since: '2026-11-23T07:00:00.000Z' });
    const paused = await callNext(h.app, op, DESK.d1);
    expect(paused.statusCode).toBe(423);
    expect(paused.json()).toMatchObject({ code: 'SERVICE_PAUSED', since: '2026-11-23T07:00:00.000Z' });
    const board = await h.app.inject({ url: `/api/v1/centers/${CENTER}/board` });
    expect(board.json().alert).toEqual({ active: true, since: '2026-11-23T07:00:00.000Z' });
    // Switching on twice keeps the first start.
    h.clock.advance(60_000);
    expect((await alert(head, true)).json()).toEqual({ active: true, since: '2026-11-23T07:00:00.000Z' });
  });

  it('rule 7: after the all-clear calling resumes in the same order, call times shift by the pause, people are notified, times inside are excused', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '09:10', capacity: 3, pool: 'online' });
    const later = await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 3, pool: 'online' });
    const t = (await kiosk(h.app, term, { seed: 1 })).json(); // call 09:00
    const inside = await onlineToday(h, online, 1); // 09:10: inside the alert
    const after = await onlineToday(h, later, 2); // 11:00: after it
    h.clock.set('2026-11-23T07:05:00Z');
    head = await staffCookie(h.app, 'center_head', CENTER);
    await alert(head, true);
    h.clock.set('2026-11-23T07:35:00Z'); // 30 minutes later
    head = await staffCookie(h.app, 'center_head', CENTER);
    op = await staffCookie(h.app, 'operator', CENTER);
    expect((await alert(head, false)).json()).toEqual({ active: false, since: null });
    const regs = await h.ctx.db
      .selectFrom('registrations')
      .select(['id', 'call_at', 'alert_excused'])
      .orderBy('call_at')
      .execute();
    expect(regs).toEqual([
      { id: t.id, call_at: new Date('2026-11-23T07:30:00Z'), alert_excused: false },
      { id: inside.id, call_at: new Date('2026-11-23T07:40:00Z'), alert_excused: true },
      { id: after.id, call_at: new Date('2026-11-23T09:30:00Z'), alert_excused: false },
    ]);
    const mail = await h.ctx.db
      .selectFrom('outbox')
      .select(['recipient', 'payload'])
      .where('template', '=', 'alert_delay')
      .orderBy('recipient')
      .execute();
    expect(mail).toEqual([
      {
        recipient: 'guest1@example.com',
        payload: { registrationId: t.id, newCallAt: '2026-11-23T07:30:00.000Z', number: 1000 },
      },
      {
        recipient: 'online1@example.com',
        payload: { registrationId: inside.id, newCallAt: '2026-11-23T07:40:00.000Z', number: 1001 },
      },
      {
        recipient: 'online2@example.com',
        payload: { registrationId: after.id, newCallAt: '2026-11-23T09:30:00.000Z', number: 1002 },
      },
    ]);
    // Calling resumes from the ticket where it stopped.
    expect((await callNext(h.app, op, DESK.d1)).json().id).toBe(t.id);
    const ended = await h.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'details'])
      .where('action', 'like', 'alert.%')
      .orderBy('id')
      .execute();
    expect(ended).toEqual([
      { action: 'alert.started', details: { source: 'manual' } },
      {
        action: 'alert.ended',
        details: { startedAt: '2026-11-23T07:05:00.000Z', pauseSeconds: 1800, shifted: 3 },
      },
    ]);
  });

  it('rule 4: a registration whose time fell inside an alert is never counted as a no-show', async () => {
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '09:10', capacity: 3, pool: 'online' });
    const r = await onlineToday(h, online, 1);
    await alert(head, true);
    // No no-shows are recorded while the alert lasts.
    expect((await outcome(h.app, op, r.id, 'no_show')).json().code).toBe('SERVICE_PAUSED');
    h.clock.set('2026-11-23T07:20:00Z');
    head = await staffCookie(h.app, 'center_head', CENTER);
    op = await staffCookie(h.app, 'operator', CENTER);
    await alert(head, false);
    // Three earlier no-shows this month: a 4th counted one would block.
    const row = await h.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', r.id)
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      await h.ctx.db
        .insertInto('registrations')
        .values({
          ...row,
          id: crypto.randomUUID(),
          status: 'no_show',
          number: null,
          slot_id: null,
          alert_excused: false,
          day: `2026-11-0${i + 2}`,
        })
        .execute();
    }
    h.clock.set('2026-11-23T07:30:00Z');
    op = await staffCookie(h.app, 'operator', CENTER);
    expect((await callNext(h.app, op, DESK.d1)).json().id).toBe(r.id);
    await post(h.app, op, `/api/v1/registrations/${r.id}/recall`); // rule 6: called twice
    expect((await outcome(h.app, op, r.id, 'no_show')).json().status).toBe('no_show');
    const person = await h.ctx.db
      .selectFrom('persons')
      .select('blocked_until')
      .where('id', '=', r.personId)
      .executeTakeFirstOrThrow();
    expect(person.blocked_until).toBeNull();
  });

  it('rule 7: only the head of that center (or the national admin) switches the alert', async () => {
    const otherHead = await staffCookie(h.app, 'center_head', OTHER_CENTER);
    expect((await alert(otherHead, true)).statusCode).toBe(403);
    expect((await alert(op, true)).statusCode).toBe(403);
    expect((await alert(term, true)).statusCode).toBe(403);
    const admin = await staffCookie(h.app, 'national_admin');
    expect((await alert(admin, true)).json().active).toBe(true);
    expect((await h.app.inject({ url: `/api/v1/centers/${CENTER}/alert` })).json()).toEqual({
      active: true,
      since: '2026-11-23T07:00:00.000Z',
    });
  });

  it('rule 7: the alerts feed (alerts.in.ua format) opens and closes the alerts of the centers in its regions', async () => {
    await h.ctx.db.updateTable('centers').set({ alert_region: 'м. Київ' }).where('id', '=', CENTER).execute();
    const state = {
      alerts: [
        {
          location_title: 'м. Київ',
          location_type: 'city',
          alert_type: 'air_raid',
          started_at: '2026-11-23T06:59:00.000Z',
          finished_at: null,
        },
        {
          location_title: 'Херсонська область',
          location_type: 'oblast',
          alert_type: 'artillery_shelling',
          started_at: '2026-11-23T06:00:00.000Z',
          finished_at: null,
        },
        {
          location_title: 'Львівська область',
          location_type: 'oblast',
          alert_type: 'air_raid',
          started_at: '2026-11-23T05:00:00.000Z',
          finished_at: '2026-11-23T05:30:00.000Z',
        },
      ],
    };
    const { server, seen } = fakeFeed(state);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/alerts/active.json`;
      const feed = createAlertsInUaFeed({ url, token: 'feed-token' });
      expect([...(await feed.activeRegions())]).toEqual(['м. Київ']);
      await expect(createAlertsInUaFeed({ url, token: 'wrong' }).activeRegions()).rejects.toThrow('401');
      const alerts = createAlertService({ ...hallDeps(h), feed });
      expect(await alerts.pollFeed()).toEqual({ started: [CENTER], ended: [] });
      expect(await alerts.pollFeed()).toEqual({ started: [], ended: [] });
      expect((await callNext(h.app, op, DESK.d1)).statusCode).toBe(423);
      state.alerts = [
        {
          location_title: 'Львівська область',
          location_type: 'oblast',
          alert_type: 'air_raid',
          started_at: '2026-11-23T07:01:00.000Z',
          finished_at: null,
        },
      ];
      h.clock.advance(10 * 60_000);
      expect(await alerts.pollFeed()).toEqual({ started: [OTHER_CENTER], ended: [CENTER] });
      expect(seen[0]).toBe('/v1/alerts/active.json Bearer feed-token');
      // A manual alert is not closed by the feed.
      state.alerts = [];
      await h.ctx.hall.alerts.setManual(CENTER, true, { kind: 'center_head', id: 'st-head-1', ip: '' });
      expect(await alerts.pollFeed()).toEqual({ started: [], ended: [OTHER_CENTER] });
      expect((await h.ctx.hall.alerts.state(CENTER)).active).toBe(true);
      const periods = await h.ctx.db
        .selectFrom('alert_periods')
        .select(['center_id', 'source', 'started_at', 'ended_at'])
        .orderBy('id')
        .execute();
      expect(periods).toEqual([
        {
          center_id: CENTER,
          source: 'feed',
          started_at: new Date('2026-11-23T07:00:00Z'),
          ended_at: new Date('2026-11-23T07:10:00Z'),
        },
        {
          center_id: OTHER_CENTER,
          source: 'feed',
          started_at: new Date('2026-11-23T07:10:00Z'),
          ended_at: new Date('2026-11-23T07:10:00Z'),
        },
        { center_id: CENTER, source: 'manual', started_at: new Date('2026-11-23T07:10:00Z'), ended_at: null },
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

function hallDeps(h: Harness) {
  return {
    db: h.ctx.db,
    clock: h.clock,
    crypto: h.ctx.crypto,
    events: h.ctx.events,
    policy: h.config.policy,
    defaultServiceMs: 15 * 60_000,
    applyNoShowRule: h.ctx.booking.applyNoShowRule,
    notifyServed: async () => {},
  };
}
