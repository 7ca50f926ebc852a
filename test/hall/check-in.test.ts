import { describe, expect, it } from 'vitest';
import { checkInCode } from '../../src/hall/check-in-code.js';
import { addSlot } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { checkIn, citizenOf, myBookings } from './check-in-support.js';
import { callNext, DESK, hallFixture, kiosk, onlineToday, TODAY } from './hall-support.js';

// The harness clock: 2026-11-23T07:00Z = 09:00 Kyiv, a Monday. citizenCookie's surname: Шевченко.
describe.each(testDatabases())('rule 13: arrival check-in on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  hallFixture(kind, (hall) => ({ h, term, op } = hall));

  it('rule 13: by number + surname (any case) the registration is arrived, with people ahead and the expected call', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '09:30', capacity: 5, pool: 'online' });
    const first = await onlineToday(h, slot, 1);
    const mine = await onlineToday(h, slot, 2);
    const res = await checkIn(h, term, { number: mine.number, lastName: ' шевченко ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      id: mine.id,
      number: mine.number,
      position: 1,
      expectedCallAt: '2026-11-23T07:30:00.000Z',
      desks: [1, 2],
    });
    const row = await h.ctx.db
      .selectFrom('registrations')
      .select(['status', 'arrived_at'])
      .where('id', '=', mine.id)
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('arrived');
    expect(new Date(row.arrived_at as Date).toISOString()).toBe('2026-11-23T07:00:00.000Z');
    // A second scan shows the place again and changes nothing.
    const again = await checkIn(h, term, { number: mine.number, lastName: 'Шевченко' });
    expect(again.statusCode).toBe(200);
    expect(again.json().position).toBe(1);
    const trail = await h.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'subject_id', 'details'])
      .where('action', '=', 'registration.checked_in')
      .execute();
    expect(trail).toHaveLength(1);
    expect(trail[0]).toMatchObject({ subject_id: mine.id, details: { via: 'number', number: mine.number } });
    // The operator's queue shows who is in the hall.
    const queue = await h.app.inject({ url: `/api/v1/desks/${DESK.d1}/queue`, headers: { cookie: op } });
    expect(queue.json().map((t: { id: string; arrivedAt: string | null }) => [t.id, t.arrivedAt])).toEqual([
      [first.id, null],
      [mine.id, '2026-11-23T07:00:00.000Z'],
    ]);
  });

  it('rule 13: by the signed code from "my registrations", which carries no РНОКПП', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '09:30', capacity: 5, pool: 'online' });
    const mine = await onlineToday(h, slot, 1);
    const { cookie } = await citizenOf(h, 1);
    const before = (await myBookings(h, cookie)).find((b) => b.id === mine.id);
    expect(before).toMatchObject({ checkedInAt: null, position: 0 });
    const code = before?.checkInCode as string;
    expect(code).toBe(checkInCode(h.ctx.crypto, mine.id, TODAY));
    expect(code).toHaveLength(49);
    const res = await checkIn(h, term, { code });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: mine.id, number: mine.number, position: 0 });
    const after = (await myBookings(h, cookie)).find((b) => b.id === mine.id);
    expect(after).toMatchObject({
      status: 'arrived',
      checkedInAt: '2026-11-23T07:00:00.000Z',
      checkInCode: null,
      position: 0,
      expectedCallAt: '2026-11-23T07:30:00.000Z',
    });
  });

  it('rule 13: a registration already called cannot check in (INVALID_STATE); an arrived one is called normally', async () => {
    const slot = await addSlot(h.ctx.db, {
      day: TODAY,
      time: '08:30',
      capacity: 5,
      pool: 'online',
      minutes: 60,
    });
    const a = await onlineToday(h, slot, 1);
    const b = await onlineToday(h, slot, 2);
    expect((await checkIn(h, term, { number: b.number, lastName: 'Шевченко' })).statusCode).toBe(200);
    const called = await callNext(h.app, op, DESK.d1);
    expect(called.json().id).toBe(a.id);
    const late = await checkIn(h, term, { number: a.number, lastName: 'Шевченко' });
    expect(late.statusCode).toBe(409);
    expect(late.json().code).toBe('INVALID_STATE');
    expect((await callNext(h.app, op, DESK.d2)).json().id).toBe(b.id);
  });

  it('rule 13: the live position arrives as Server-Sent Events when the queue moves', async () => {
    const slot = await addSlot(h.ctx.db, {
      day: TODAY,
      time: '08:30',
      capacity: 5,
      pool: 'online',
      minutes: 60,
    });
    await onlineToday(h, slot, 1);
    const mine = await onlineToday(h, slot, 2);
    const { cookie } = await citizenOf(h, 2);
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as { port: number }).port;
    const abort = new AbortController();
    const res = await fetch(`http://127.0.0.1:${port}/api/v1/me/bookings/${mine.id}/events`, {
      headers: { cookie },
      signal: abort.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    const positions = () =>
      [...text.matchAll(/event: position\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1] as string));
    // One read in flight at a time: a read abandoned to a timeout would swallow its chunk.
    let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
    const readUntil = async (n: number) => {
      const deadline = Date.now() + 8000;
      while (positions().length < n && Date.now() < deadline) {
        pending ??= reader.read();
        const chunk = await Promise.race([pending, new Promise<null>((r) => setTimeout(() => r(null), 500))]);
        if (chunk) {
          pending = null;
          if (chunk.value) text += decoder.decode(chunk.value);
        }
      }
    };
    await readUntil(1);
    expect(positions()[0]).toEqual({
      status: 'booked',
      checkedInAt: null,
      position: 1,
      expectedCallAt: '2026-11-23T07:00:00.000Z',
    });
    await checkIn(h, term, { number: mine.number, lastName: 'Шевченко' });
    await callNext(h.app, op, DESK.d1);
    await readUntil(2);
    abort.abort();
    expect(positions().at(-1)).toMatchObject({
      status: 'arrived',
      checkedInAt: '2026-11-23T07:00:00.000Z',
      position: 0,
    });
    // Someone else's registration: no stream.
    const other = await citizenOf(h, 1);
    const foreign = await h.app.inject({
      method: 'GET',
      url: `/api/v1/me/bookings/${mine.id}/events`,
      headers: { cookie: other.cookie },
    });
    expect(foreign.statusCode).toBe(404);
  });

  it('rule 13: a terminal ticket is no online registration to check in', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 5, pool: 'terminal' });
    const t = await kiosk(h.app, term, { seed: 1 });
    const res = await checkIn(h, term, { number: t.json().number, lastName: 'Коваленко' });
    expect(res.json().code).toBe('NOT_FOUND');
  });
});
