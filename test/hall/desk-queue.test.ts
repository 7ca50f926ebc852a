import { describe, expect, it } from 'vitest';
import { addSlot, OTHER_CENTER } from '../support/fixtures.js';
import { type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { callNext, DESK, hallFixture, kiosk, TODAY } from './hall-support.js';

describe.each(testDatabases())('the desk waiting list (SPEC 3.6) on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  hallFixture(kind, (hall) => ({ h, term, op } = hall));

  it('rule 6: lists the waiting tickets in calling order, priority first, and drops a called one', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    const a = (await kiosk(h.app, term, { seed: 11 })).json();
    h.clock.advance(60_000);
    const p = (
      await kiosk(h.app, term, {
        seed: 12,
        priority: { category: 'disability', document: { type: 'посвідчення', number: 'D9' } },
      })
    ).json();
    const queue = async () =>
      (await h.app.inject({ url: `/api/v1/desks/${DESK.d1}/queue`, headers: { cookie: op } })).json();
    const before = await queue();
    expect(before.map((t: { number: number }) => t.number)).toEqual([p.number, a.number]);
    expect(before[0]).toMatchObject({ priority: 'disability', parked: false });
    expect(JSON.stringify(before)).not.toMatch(/Шевченко|D9/); // numbers and times, no personal data
    expect((await callNext(h.app, op, DESK.d1)).json().number).toBe(p.number);
    expect((await queue()).map((t: { number: number }) => t.number)).toEqual([a.number]);
  });

  it("another center's operator cannot read it", async () => {
    const other = await staffCookie(h.app, 'operator', OTHER_CENTER);
    const res = await h.app.inject({ url: `/api/v1/desks/${DESK.d1}/queue`, headers: { cookie: other } });
    expect(res.statusCode).toBe(403);
  });

  it('rule 5: the priority document number is masked at the desk; the full one only through the audited reveal', async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    const doc = {
      category: 'fallen_defender_family',
      document: { type: 'посвідчення члена сім’ї', number: 'АБ 123456' },
    };
    await kiosk(h.app, term, { seed: 21, priority: doc });
    const called = (await callNext(h.app, op, DESK.d1)).json();
    expect(called.priorityDocument).toEqual({ type: 'посвідчення члена сім’ї', number: '******56' });
    const revealed = await h.app.inject({
      method: 'POST',
      url: `/api/v1/registrations/${called.id}/reveal-identity`,
      headers: { cookie: op },
    });
    expect(revealed.json().priorityDocument).toEqual({
      type: 'посвідчення члена сім’ї',
      number: 'АБ 123456',
    });
    const trail = await h.ctx.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', called.id)
      .execute();
    expect(trail.map((t) => t.action)).toContain('pii.viewed');
  });
});
