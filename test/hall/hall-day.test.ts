import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BoardEvent } from '../../src/hall/board-service.js';
import { kyivInstant } from '../../src/platform/kyiv-time.js';
import { addSlot, CENTER, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { callNext, DESK, kiosk, onlineToday, outcome, post, TODAY } from './hall-support.js';

/**
 * A scripted hall day (Kyiv times): online and terminal registrations, a priority arrival,
 * three desks calling, an air-raid alert in the middle, the all-clear, no-shows (one counted,
 * one excused by the alert). The final state, the audit trail and the board events are
 * asserted in full.
 */
describe.each(testDatabases())('a scripted hall day on %s', (kind) => {
  let h: Harness;
  const events: BoardEvent[] = [];
  let stop: () => Promise<void>;
  let op: string;
  let head: string;
  let term: string;

  beforeAll(async () => {
    h = await createHarness(kind, { now: '2026-11-22T08:00:00Z' });
    await seedCatalog(h.ctx.db);
    stop = await h.ctx.hall.board.subscribe(CENTER, (e) => events.push(e));
  });
  afterAll(async () => {
    await stop();
    await h.close();
  });

  /** Moves the clock to a Kyiv time today; staff sign in again (sessions expire when idle). */
  async function at(hm: string) {
    h.clock.set(kyivInstant(TODAY, hm));
    op = await staffCookie(h.app, 'operator', CENTER);
    head = await staffCookie(h.app, 'center_head', CENTER);
    term = await staffCookie(h.app, 'terminal', CENTER);
  }
  const call = async (desk: string) => {
    const res = await callNext(h.app, op, desk);
    return res.statusCode === 204 ? null : (res.json() as { id: string; number: number });
  };

  it('runs the day and leaves the expected state and event log', async () => {
    const db = h.ctx.db;
    await addSlot(db, { day: TODAY, time: '09:00', capacity: 2, pool: 'terminal', minutes: 60 });
    await addSlot(db, { day: TODAY, time: '10:00', capacity: 2, pool: 'terminal', minutes: 60 });
    await addSlot(db, {
      day: TODAY,
      time: '09:00',
      capacity: 1,
      pool: 'terminal',
      group: GROUP.theory,
      minutes: 60,
    });
    const on0900 = await addSlot(db, { day: TODAY, time: '09:00', capacity: 2, pool: 'online' });
    const on0930 = await addSlot(db, { day: TODAY, time: '09:30', capacity: 1, pool: 'online' });
    const on1030 = await addSlot(db, { day: TODAY, time: '10:30', capacity: 1, pool: 'online' });

    // The day before: four online registrations (clock at 2026-11-22).
    const o1 = await onlineToday(h, on0900, 1);
    const o2 = await onlineToday(h, on0900, 2);
    const o3 = await onlineToday(h, on0930, 3);
    const o4 = await onlineToday(h, on1030, 4);
    // o3's and o4's people already missed three online visits this month.
    for (const r of [o3, o4]) {
      const row = await db
        .selectFrom('registrations')
        .selectAll()
        .where('id', '=', r.id)
        .executeTakeFirstOrThrow();
      for (let i = 0; i < 3; i++) {
        await db
          .insertInto('registrations')
          .values({
            ...row,
            id: crypto.randomUUID(),
            status: 'no_show',
            number: null,
            slot_id: null,
            day: `2026-11-0${i + 2}`,
          })
          .execute();
      }
    }
    expect([o1.number, o2.number, o3.number, o4.number]).toEqual([1000, 1001, 1002, 1003]);

    await at('08:55');
    const t1 = (await kiosk(h.app, term, { seed: 1 })).json();
    const t2 = (await kiosk(h.app, term, { seed: 2, service: SERVICE.theory })).json();
    expect([t1.number, t1.callTime, t1.peopleAhead]).toEqual([1004, '2026-11-23T07:00:00.000Z', 2]);
    expect([t2.number, t2.callTime]).toEqual([1005, '2026-11-23T07:00:00.000Z']);

    await at('09:00');
    const p1 = (
      await kiosk(h.app, term, {
        seed: 3,
        priority: { category: 'disability', document: { type: 'посвідчення', number: 'ІН-1' } },
      })
    ).json();
    expect(p1.number).toBe(1);
    expect((await call(DESK.d1))?.id).toBe(p1.id); // priority first
    expect((await call(DESK.d2))?.id).toBe(o1.id); // 09:00, booked the day before
    expect((await call(DESK.d3))?.id).toBe(t2.id); // the exam desk

    await at('09:10');
    await outcome(h.app, op, p1.id, 'served');
    await outcome(h.app, op, o1.id, 'served');
    await outcome(h.app, op, t2.id, 'served', true);
    expect((await call(DESK.d1))?.id).toBe(o2.id);
    expect((await call(DESK.d2))?.id).toBe(t1.id);
    expect(await call(DESK.d3)).toBeNull();

    await at('09:20');
    await outcome(h.app, op, o2.id, 'served');
    await outcome(h.app, op, t1.id, 'refused_mismatch');
    expect(await call(DESK.d1)).toBeNull(); // o3 is due at 09:30

    await at('09:30');
    expect((await call(DESK.d1))?.id).toBe(o3.id);
    await at('09:32');
    await post(h.app, op, `/api/v1/registrations/${o3.id}/recall`);
    await at('09:34');
    expect((await post(h.app, op, `/api/v1/registrations/${o3.id}/recall`)).json().status).toBe('no_show');

    await at('10:00');
    expect((await post(h.app, head, `/api/v1/centers/${CENTER}/alert`, { active: true })).json().active).toBe(
      true,
    );
    expect((await callNext(h.app, op, DESK.d2)).json().code).toBe('SERVICE_PAUSED');
    await at('10:05');
    const t3 = (await kiosk(h.app, term, { seed: 4 })).json(); // registering still works
    expect([t3.number, t3.callTime]).toEqual([1006, '2026-11-23T08:05:00.000Z']);

    await at('10:40');
    expect(
      (await post(h.app, head, `/api/v1/centers/${CENTER}/alert`, { active: false })).json().active,
    ).toBe(false);
    expect((await call(DESK.d1))?.id).toBe(t3.id); // idle desk, terminal visitor (now due 10:45)
    expect(await call(DESK.d2)).toBeNull(); // o4 moved from 10:30 to 11:10

    await at('10:50');
    await outcome(h.app, op, t3.id, 'served');
    await at('11:10');
    expect((await call(DESK.d2))?.id).toBe(o4.id);
    await at('11:12');
    await post(h.app, op, `/api/v1/registrations/${o4.id}/recall`);
    await at('11:14');
    expect((await post(h.app, op, `/api/v1/registrations/${o4.id}/recall`)).json().status).toBe('no_show');

    // Final state of the day.
    const regs = await db
      .selectFrom('registrations as r')
      .leftJoin('desks as d', 'd.id', 'r.desk_id')
      .select([
        'r.number',
        'r.channel',
        'r.status',
        'r.call_at',
        'r.call_count',
        'r.alert_excused',
        'd.number as desk',
        'r.exam_passed',
      ])
      .where('r.day', '=', TODAY)
      .orderBy('r.number')
      .orderBy('r.channel')
      .execute();
    const hm = (d: Date) => new Date(d).toISOString().slice(11, 16);
    expect(
      regs.map((r) => [
        r.number,
        r.channel,
        r.status,
        hm(r.call_at),
        r.call_count,
        r.alert_excused,
        r.desk,
        r.exam_passed,
      ]),
    ).toEqual([
      [1, 'terminal', 'served', '07:00', 1, false, 1, null],
      [1000, 'online', 'served', '07:00', 1, false, 2, null],
      [1001, 'online', 'served', '07:00', 1, false, 1, null],
      [1002, 'online', 'no_show', '07:30', 2, false, 1, null],
      [1003, 'online', 'no_show', '09:10', 2, true, 2, null],
      [1004, 'terminal', 'refused_mismatch', '07:00', 1, false, 2, null],
      [1005, 'terminal', 'served', '07:00', 1, false, 3, true],
      [1006, 'terminal', 'served', '08:45', 1, true, 1, null],
    ]);
    // The counted no-show blocked o3's person; the excused one did not block o4's.
    const blocked = await db
      .selectFrom('persons')
      .select(['id', 'blocked_until'])
      .where('id', 'in', [o3.personId, o4.personId])
      .execute();
    expect(Object.fromEntries(blocked.map((p) => [p.id, p.blocked_until]))).toEqual({
      [o3.personId]: new Date('2026-12-23T07:34:00Z'),
      [o4.personId]: null,
    });

    // The audit trail of the day, in full.
    const trail = await db
      .selectFrom('audit_log')
      .select(['at', 'actor_kind', 'action', 'subject_id', 'details'])
      .where('at', '>=', kyivInstant(TODAY, '00:00'))
      .orderBy('id')
      .execute();
    const numberOf = new Map(
      (await db.selectFrom('registrations').select(['id', 'number']).where('day', '=', TODAY).execute()).map(
        (r) => [r.id, r.number],
      ),
    );
    expect(
      trail.map((a) => [hm(a.at), a.actor_kind, a.action, numberOf.get(a.subject_id ?? '') ?? a.subject_id]),
    ).toEqual([
      ['06:55', 'terminal', 'registration.booked', 1004],
      ['06:55', 'terminal', 'registration.booked', 1005],
      ['07:00', 'terminal', 'registration.booked', 1],
      ['07:00', 'operator', 'registration.called', 1],
      ['07:00', 'operator', 'registration.called', 1000],
      ['07:00', 'operator', 'registration.called', 1005],
      ['07:10', 'operator', 'registration.served', 1],
      ['07:10', 'operator', 'registration.served', 1000],
      ['07:10', 'operator', 'registration.served', 1005],
      ['07:10', 'operator', 'registration.called', 1001],
      ['07:10', 'operator', 'registration.called', 1004],
      ['07:20', 'operator', 'registration.served', 1001],
      ['07:20', 'operator', 'registration.refused_mismatch', 1004],
      ['07:30', 'operator', 'registration.called', 1002],
      ['07:32', 'operator', 'registration.recalled', 1002],
      ['07:34', 'operator', 'registration.no_show', 1002],
      ['07:34', 'system', 'person.blocked', o3.personId],
      ['08:00', 'center_head', 'alert.started', CENTER],
      ['08:05', 'terminal', 'registration.booked', 1006],
      ['08:40', 'center_head', 'alert.ended', CENTER],
      ['08:40', 'operator', 'registration.called', 1006],
      ['08:50', 'operator', 'registration.served', 1006],
      ['09:10', 'operator', 'registration.called', 1003],
      ['09:12', 'operator', 'registration.recalled', 1003],
      ['09:14', 'operator', 'registration.no_show', 1003],
    ]);
    expect(trail.find((a) => a.action === 'alert.ended')?.details).toEqual({
      startedAt: '2026-11-23T08:00:00.000Z',
      pauseSeconds: 2400,
      shifted: 2,
    });

    // Mail of the day: tickets, the alert delays, thank-yous, the block.
    const mail = await db
      .selectFrom('outbox')
      .select(['template', 'payload'])
      .where('created_at', '>=', kyivInstant(TODAY, '00:00'))
      .orderBy('id')
      .execute();
    expect(
      mail.map((m) => [m.template, numberOf.get(String(m.payload.registrationId)) ?? m.payload.personId]),
    ).toEqual([
      ['terminal_ticket', 1004],
      ['terminal_ticket', 1005],
      ['terminal_ticket', 1],
      ['visit_served', 1],
      ['visit_served', 1000],
      ['visit_served', 1005],
      ['visit_served', 1001],
      ['person_blocked', o3.personId],
      ['terminal_ticket', 1006],
      ['alert_delay', 1006],
      ['alert_delay', 1003],
      ['visit_served', 1006],
    ]);

    // Board events of the day, as the hall saw them (all instances' NOTIFYs).
    await vi.waitFor(() => expect(events.filter((e) => e.type === 'called')).toHaveLength(10));
    const at2 = (e: BoardEvent) =>
      e.type === 'called'
        ? ['called', e.data.number, e.data.desk, hm(new Date(String(e.data.calledAt))), e.data.recall]
        : e.type === 'alert'
          ? ['alert', e.data.active]
          : ['capacity'];
    // The terminal tickets that took a place change the free count (capacity); the priority one does not.
    // 'desk' events tell a desk's workstations to re-read it (test/hall/desk-state.test.ts); the
    // board's own events are these.
    expect(events.filter((e) => e.type !== 'desk').map(at2)).toEqual([
      ['capacity'],
      ['capacity'],
      ['called', 1, 1, '07:00', false],
      ['called', 1000, 2, '07:00', false],
      ['called', 1005, 3, '07:00', false],
      ['called', 1001, 1, '07:10', false],
      ['called', 1004, 2, '07:10', false],
      ['called', 1002, 1, '07:30', false],
      ['called', 1002, 1, '07:32', true],
      ['alert', true],
      ['capacity'],
      ['alert', false],
      ['called', 1006, 1, '08:40', false],
      ['called', 1003, 2, '09:10', false],
      ['called', 1003, 2, '09:12', true],
    ]);
  });
});
