import { describe, expect, it } from 'vitest';
import { loadQueue } from '../../src/hall/board-store.js';
import { orderQueue } from '../../src/hall/queue-rules.js';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE } from '../support/fixtures.js';
import { type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { callNext, DESK, hallFixture, kiosk, onlineToday, outcome, post, TODAY } from './hall-support.js';

const prio = (n: number) => ({ category: 'disability', document: { type: 'посвідчення', number: `D${n}` } });

describe.each(testDatabases())('calling (SPEC 3.6) on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  let head: string;
  hallFixture(kind, (hall) => ({ h, term, op, head } = hall));

  const status = async (id: string) =>
    h.ctx.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('rule 6: priority tickets are called first, then by call time, then by creation time', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '08:00', capacity: 3, pool: 'online' });
    const a = (await kiosk(h.app, term, { seed: 1 })).json(); // call 09:00, created 09:00
    h.clock.advance(60_000);
    const b = (await kiosk(h.app, term, { seed: 2 })).json(); // call 09:01
    const o = await onlineToday(h, online, 1); // call 08:00 (overdue)
    const p = (await kiosk(h.app, term, { seed: 3, priority: prio(1) })).json(); // call 09:01, priority
    h.clock.advance(60_000);
    const order: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await callNext(h.app, op, DESK.d2);
      expect(res.statusCode).toBe(200);
      order.push(res.json().id);
      await outcome(h.app, op, res.json().id, 'served');
    }
    expect(order).toEqual([p.id, o.id, a.id, b.id]);
    expect((await callNext(h.app, op, DESK.d2)).statusCode).toBe(204);
  });

  it('rule 6: the calling SQL follows the pure queue order (queue-rules) over a mixed queue', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 10, pool: 'terminal', minutes: 60 });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '08:00', capacity: 10, pool: 'online' });
    for (let i = 0; i < 3; i++) await onlineToday(h, online, 10 + i);
    for (let i = 0; i < 6; i++) {
      h.clock.advance(7_000);
      await kiosk(h.app, term, { seed: 20 + i, ...(i % 3 === 1 ? { priority: prio(i) } : {}) });
    }
    h.clock.set('2026-11-23T07:05:00Z');
    op = await staffCookie(h.app, 'operator', CENTER);
    const expected = orderQueue(await loadQueue(h.ctx.db, CENTER, TODAY, [GROUP.vehicle])).map((t) => t.id);
    expect(expected).toHaveLength(9);
    const called: string[] = [];
    for (;;) {
      const res = await callNext(h.app, op, DESK.d2);
      if (res.statusCode === 204) break;
      called.push(res.json().id);
      await outcome(h.app, op, res.json().id, 'served');
    }
    expect(called).toEqual(expected);
  });

  it('rule 6: equal call times go by creation time', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    // Both started slots: call time = registration time; set the same call time explicitly.
    const first = (await kiosk(h.app, term, { seed: 1 })).json();
    h.clock.advance(1000);
    const second = (await kiosk(h.app, term, { seed: 2 })).json();
    await h.ctx.db
      .updateTable('registrations')
      .set({ call_at: new Date('2026-11-23T07:00:00Z') })
      .execute();
    expect((await callNext(h.app, op, DESK.d1)).json().id).toBe(first.id);
    expect((await callNext(h.app, op, DESK.d2)).json().id).toBe(second.id);
  });

  it('rule 6: a ticket not yet due is not called; an idle desk calls a terminal ticket ahead of its time', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '11:00', capacity: 3, pool: 'terminal' });
    const online = await addSlot(h.ctx.db, { day: TODAY, time: '10:00', capacity: 3, pool: 'online' });
    const o = await onlineToday(h, online, 1);
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    expect(t.callTime).toBe('2026-11-23T09:00:00.000Z');
    // Desk 1 is idle: it may call the terminal visitor (already in the hall), not the online one.
    const first = await callNext(h.app, op, DESK.d1);
    expect(first.json().id).toBe(t.id);
    // Desk 1 is now busy and nothing else is due.
    expect((await callNext(h.app, op, DESK.d1)).statusCode).toBe(204);
    h.clock.set('2026-11-23T08:00:00Z');
    op = await staffCookie(h.app, 'operator', CENTER); // sessions expire after 30 idle minutes
    expect((await callNext(h.app, op, DESK.d2)).json().id).toBe(o.id);
  });

  it('rule 6: a desk calls only the service groups it serves', async () => {
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '08:30',
      capacity: 3,
      pool: 'terminal',
      group: GROUP.licence,
      minutes: 60,
    });
    const l = (await kiosk(h.app, term, { seed: 1, service: SERVICE.licence })).json();
    expect((await callNext(h.app, op, DESK.d2)).statusCode).toBe(204); // vehicle only
    expect((await callNext(h.app, op, DESK.d3)).statusCode).toBe(204); // exams only
    expect((await callNext(h.app, op, DESK.d1)).json().id).toBe(l.id);
  });

  it('rule 2: the operator sees the person data to compare with the document (identifier masked)', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1, priority: prio(7) })).json();
    const res = await callNext(h.app, op, DESK.d1);
    expect(res.json()).toMatchObject({
      id: t.id,
      number: 1,
      status: 'called',
      priority: 'disability',
      // Document numbers are masked on screen too; the full one only through the audited reveal.
      priorityDocument: { type: 'посвідчення', number: '**' },
      serviceName: 'Реєстрація транспортного засобу',
      desk: 1,
      callCount: 1,
      person: {
        lastName: 'Коваленко',
        firstName: 'Гість1',
        idKind: 'rnokpp',
        idMasked: `********${rnokpp(5001).slice(-2)}`,
        email: 'guest1@example.com',
        phone: '+380501234567',
      },
    });
    expect(JSON.stringify(res.json())).not.toContain(rnokpp(5001));
  });

  it('rule 6: recall counts calls; a ticket called twice without the person is a no-show', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    await callNext(h.app, op, DESK.d1);
    const again = await post(h.app, op, `/api/v1/registrations/${t.id}/recall`);
    expect(again.json()).toMatchObject({ status: 'called', callCount: 2 });
    const third = await post(h.app, op, `/api/v1/registrations/${t.id}/recall`);
    expect(third.json()).toMatchObject({ status: 'no_show', callCount: 2 });
    const actions = await h.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', t.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'registration.booked',
      'registration.called',
      'registration.recalled',
      'registration.no_show',
    ]);
  });

  it('rule 4: online no-shows feed the block rule; the 4th in a month blocks for 30 days', async () => {
    const slot = await addSlot(h.ctx.db, { day: TODAY, time: '08:00', capacity: 10, pool: 'online' });
    // One person: pre-existing 3 online no-shows this month, then a 4th called and not present.
    const first = await onlineToday(h, slot, 1);
    const personId = first.personId;
    const others = await h.ctx.db
      .selectFrom('registrations')
      .selectAll()
      .where('id', '=', first.id)
      .executeTakeFirstOrThrow();
    for (let i = 0; i < 3; i++) {
      await h.ctx.db
        .insertInto('registrations')
        .values({
          ...others,
          id: crypto.randomUUID(),
          status: 'no_show',
          number: null,
          day: `2026-11-0${i + 2}`,
          slot_id: null,
        })
        .execute();
    }
    const called = await callNext(h.app, op, DESK.d1);
    expect(called.json().id).toBe(first.id);
    await post(h.app, op, `/api/v1/registrations/${first.id}/recall`);
    const res = await outcome(h.app, op, first.id, 'no_show');
    expect(res.json().status).toBe('no_show');
    const person = await h.ctx.db
      .selectFrom('persons')
      .select('blocked_until')
      .where('id', '=', personId)
      .executeTakeFirstOrThrow();
    expect(person.blocked_until).toEqual(new Date('2026-12-23T07:00:00Z'));
    const mail = await h.ctx.db
      .selectFrom('outbox')
      .select('template')
      .where('template', '=', 'person_blocked')
      .execute();
    expect(mail).toHaveLength(1);
  });

  it('rule 4: a terminal no-show does not feed the block rule', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    await callNext(h.app, op, DESK.d1);
    await post(h.app, op, `/api/v1/registrations/${t.id}/recall`);
    expect((await outcome(h.app, op, t.id, 'no_show')).json().status).toBe('no_show');
    expect(
      await h.ctx.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'person.blocked')
        .execute(),
    ).toEqual([]);
  });

  it('rule 6: transfer sends the ticket to another group keeping its time; park holds it; unpark returns it', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    await callNext(h.app, op, DESK.d2);
    const moved = await post(h.app, op, `/api/v1/registrations/${t.id}/transfer`, { groupId: GROUP.theory });
    expect(moved.json()).toMatchObject({ status: 'booked', groupId: GROUP.theory, callCount: 0 });
    expect((await callNext(h.app, op, DESK.d2)).statusCode).toBe(204);
    expect((await callNext(h.app, op, DESK.d3)).json().id).toBe(t.id);
    const parked = await post(h.app, op, `/api/v1/registrations/${t.id}/park`);
    expect(parked.json()).toMatchObject({ status: 'booked', parked: true });
    expect((await callNext(h.app, op, DESK.d3)).statusCode).toBe(204);
    expect((await post(h.app, op, `/api/v1/registrations/${t.id}/unpark`)).json()).toMatchObject({
      parked: false,
    });
    expect((await callNext(h.app, op, DESK.d3)).json().id).toBe(t.id);
    expect((await post(h.app, op, `/api/v1/registrations/${t.id}/unpark`)).json().code).toBe('INVALID_STATE');
    const unknown = await post(h.app, op, `/api/v1/registrations/${t.id}/transfer`, { groupId: 'nope' });
    expect(unknown.statusCode).toBe(404);
  });

  it('rule 6: outcomes follow the state machine; served notifies, exam result is kept', async () => {
    await addSlot(h.ctx.db, {
      day: TODAY,
      time: '08:30',
      capacity: 3,
      pool: 'terminal',
      group: GROUP.theory,
      minutes: 60,
    });
    const t = (await kiosk(h.app, term, { seed: 1, service: SERVICE.theory })).json();
    const early = await outcome(h.app, op, t.id, 'served');
    expect(early.statusCode).toBe(409);
    expect(early.json().code).toBe('INVALID_STATE');
    await callNext(h.app, op, DESK.d3);
    h.clock.advance(10 * 60_000);
    const res = await outcome(h.app, op, t.id, 'served', false);
    expect(res.statusCode).toBe(200);
    const reg = await status(t.id);
    expect(reg).toMatchObject({ status: 'served', exam_passed: false, outcome_by: 'st-admin-1' });
    expect(reg.outcome_at).toEqual(new Date('2026-11-23T07:10:00Z'));
    expect((await outcome(h.app, op, t.id, 'no_show')).json().code).toBe('INVALID_STATE');
    const mail = await h.ctx.db
      .selectFrom('outbox')
      .select(['template', 'payload'])
      .where('template', '=', 'visit_served')
      .execute();
    expect(mail).toEqual([{ template: 'visit_served', payload: { registrationId: t.id } }]);
  });

  it('rule 6: a no-show is recorded only for a ticket called the policy number of times (2)', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    expect((await outcome(h.app, op, t.id, 'no_show')).json().code).toBe('INVALID_STATE');
    await callNext(h.app, op, DESK.d1);
    const once = await outcome(h.app, op, t.id, 'no_show');
    expect(once.statusCode).toBe(409);
    expect(once.json()).toMatchObject({ code: 'INVALID_STATE' });
    expect(once.json().detail).toContain('2 рази');
    expect((await status(t.id)).status).toBe('called');
    await post(h.app, op, `/api/v1/registrations/${t.id}/recall`);
    expect((await outcome(h.app, op, t.id, 'no_show')).json()).toMatchObject({
      status: 'no_show',
      callCount: 2,
    });
  });

  it('rule 6: served and refused_mismatch only for a ticket called to the operator own desk', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    // The head calls the ticket to desk 1; an operator at desk 2 cannot close it.
    expect((await callNext(h.app, head, DESK.d1)).json().id).toBe(t.id);
    const atDesk2 = await staffCookie(h.app, 'operator', CENTER, DESK.d2);
    for (const o of ['served', 'refused_mismatch'])
      expect((await outcome(h.app, atDesk2, t.id, o)).json().code).toBe('INVALID_STATE');
    expect((await status(t.id)).status).toBe('called');
    // An operator whose session is at desk 1 may, as may the one who called it.
    const atDesk1 = await staffCookie(h.app, 'operator', CENTER, DESK.d1);
    expect((await outcome(h.app, atDesk1, t.id, 'served')).json().status).toBe('served');
  });

  it('rule 2: a data mismatch is recorded as refused_mismatch', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    await callNext(h.app, op, DESK.d1);
    expect((await outcome(h.app, op, t.id, 'refused_mismatch')).json().status).toBe('refused_mismatch');
  });

  it('access: only staff of the center act on its desks and registrations', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 3, pool: 'terminal', minutes: 60 });
    const t = (await kiosk(h.app, term, { seed: 1 })).json();
    const foreign = await staffCookie(h.app, 'operator', OTHER_CENTER);
    expect((await callNext(h.app, foreign, DESK.d1)).statusCode).toBe(403);
    expect((await callNext(h.app, term, DESK.d1)).statusCode).toBe(403);
    expect((await callNext(h.app, '', DESK.d1)).statusCode).toBe(401);
    const atDesk2 = await staffCookie(h.app, 'operator', CENTER, DESK.d2);
    expect((await callNext(h.app, atDesk2, DESK.d1)).statusCode).toBe(403);
    await callNext(h.app, op, DESK.d1);
    expect((await outcome(h.app, foreign, t.id, 'served')).statusCode).toBe(403);
    expect((await callNext(h.app, op, 'no-such-desk')).statusCode).toBe(404);
  });
});
