import { describe, expect, it } from 'vitest';
import { addSlot, CENTER, OTHER_CENTER } from '../support/fixtures.js';
import { type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import {
  callNext,
  DESK,
  hallFixture,
  kiosk,
  outcome,
  parseSse,
  post,
  readSse,
  TODAY,
} from './hall-support.js';

/**
 * SPEC 3.6: the desk's current and parked tickets live on the server, so a reload or another
 * browser (a new session of the same operator) shows them and can finish them.
 */
describe.each(testDatabases())('the desk on the server, GET /api/v1/desks/{id} (SPEC 3.6) on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  hallFixture(kind, (hall) => ({ h, term, op } = hall));

  const state = async (cookie: string, desk = DESK.d1) =>
    h.app.inject({ url: `/api/v1/desks/${desk}`, headers: { cookie } });

  it('rule 6: a called ticket is restored in a new session of the operator, who finishes it there', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 1 });
    await kiosk(h.app, term, { seed: 2 });
    const called = (await callNext(h.app, op, DESK.d1)).json();

    // Another browser: a new session, nothing carried over from the first one.
    const other = await staffCookie(h.app, 'operator', CENTER);
    const res = await state(other);
    expect(res.statusCode).toBe(200);
    const s = res.json();
    expect(s.current).toMatchObject({ id: called.id, number: called.number, status: 'called', callCount: 1 });
    expect(s.current.person.lastName).toBe('Коваленко');
    expect(s).toMatchObject({
      desk: { id: DESK.d1, number: 1 },
      center: { id: CENTER, name: 'ТСЦ МВС № 8041' },
      operator: { name: 'Іваненко Олена', role: 'administrator' },
      alsoCalled: [],
      parked: [],
      queue: { waiting: 1, due: 1, parked: 0 },
      callsBeforeNoShow: 2,
      alert: { active: false },
    });
    expect(s.desk.groups.map((g: { name: string }) => g.name)).toContain('Реєстраційні операції з ТЗ');

    expect((await outcome(h.app, other, called.id, 'served')).statusCode).toBe(200);
    expect((await state(op)).json().current).toBeNull();
  });

  it('rule 6: a parked ticket is listed at its desk and returns to the queue from another session', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 3 });
    const called = (await callNext(h.app, op, DESK.d1)).json();
    expect((await post(h.app, op, `/api/v1/registrations/${called.id}/park`)).statusCode).toBe(200);

    const other = await staffCookie(h.app, 'operator', CENTER);
    const parked = (await state(other)).json();
    expect(parked.current).toBeNull();
    expect(parked.parked).toEqual([
      expect.objectContaining({ id: called.id, number: called.number, callCount: 1 }),
    ]);
    expect(parked.queue).toMatchObject({ waiting: 0, parked: 1 });
    // Parked at desk 1, not at desk 2 (which serves the same group).
    expect((await state(other, DESK.d2)).json().parked).toEqual([]);

    expect((await post(h.app, other, `/api/v1/registrations/${called.id}/unpark`)).statusCode).toBe(200);
    const back = (await state(op)).json();
    expect(back.parked).toEqual([]);
    expect(back.queue).toMatchObject({ waiting: 1, parked: 0 });
    // Back in the queue, it can be called again.
    expect((await callNext(h.app, op, DESK.d1)).json().id).toBe(called.id);
  });

  it('rule 6: a second call at a busy desk never orphans the first: it stays listed until finished', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 4 });
    await kiosk(h.app, term, { seed: 5 });
    const first = (await callNext(h.app, op, DESK.d1)).json();
    h.clock.advance(30_000);
    const second = (await callNext(h.app, op, DESK.d1)).json();
    const s = (await state(op)).json();
    expect(s.current.id).toBe(second.id);
    expect(s.alsoCalled).toEqual([expect.objectContaining({ id: first.id, number: first.number })]);
  });

  it('rule 6: no-show is refused after one call (409 INVALID_STATE) and the desk says how many calls it needs', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 6 });
    const called = (await callNext(h.app, op, DESK.d1)).json();
    const refused = await outcome(h.app, op, called.id, 'no_show');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().code).toBe('INVALID_STATE');
    const s = (await state(op)).json();
    expect(s.current).toMatchObject({ id: called.id, status: 'called', callCount: 1 });
    expect(s.callsBeforeNoShow).toBe(2);
  });

  it('the event stream tells every workstation when a desk parks, returns or finishes a ticket (numbers only)', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 8 });
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const port = (h.app.server.address() as { port: number }).port;
    const text = await readSse(
      `http://127.0.0.1:${port}/api/v1/centers/${CENTER}/board/events`,
      (t) => (t.match(/event: desk/g) ?? []).length >= 3,
      async () => {
        const id = (await callNext(h.app, op, DESK.d1)).json().id;
        await post(h.app, op, `/api/v1/registrations/${id}/park`);
        await post(h.app, op, `/api/v1/registrations/${id}/unpark`);
        await callNext(h.app, op, DESK.d1);
        await post(h.app, op, `/api/v1/registrations/${id}/recall`);
        await outcome(h.app, op, id, 'no_show');
      },
    );
    expect(parseSse(text).filter((e) => e.event === 'desk')).toEqual([
      { event: 'desk', data: { desk: 1 } },
      { event: 'desk', data: { desk: 1 } },
      { event: 'desk', data: { desk: 1 } },
    ]);
    expect(text).not.toMatch(/Коваленко|guest/);
  });

  it("another center's operator, and an operator bound to another desk, cannot read the desk", async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 7 });
    await callNext(h.app, op, DESK.d1);
    const otherCenter = await staffCookie(h.app, 'operator', OTHER_CENTER);
    const res = await state(otherCenter);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toMatch(/Коваленко/);
    const atDesk2 = await staffCookie(h.app, 'operator', CENTER, DESK.d2);
    expect((await state(atDesk2)).statusCode).toBe(403);
    expect((await state(atDesk2, DESK.d2)).statusCode).toBe(200);
    expect((await state(op, 'no-such-desk')).statusCode).toBe(404);
    expect((await h.app.inject({ url: `/api/v1/desks/${DESK.d1}` })).statusCode).toBe(401);
  });
});
