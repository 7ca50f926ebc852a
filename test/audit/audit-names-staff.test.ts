import { describe, expect, it } from 'vitest';
import { callNext, DESK, hallFixture, kiosk, TODAY } from '../hall/hall-support.js';
import { addSlot, CENTER } from '../support/fixtures.js';
import type { Harness } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

interface Entry {
  action: string;
  actorKind: string;
  actorId: string | null;
  actorName: string | null;
  actorStaffRole: string | null;
}

/**
 * The audit log names the staff member who acted (the SSO identity's name), not only a role: a
 * view of personal data can be traced to a person.
 */
describe.each(testDatabases())('audit entries name the staff member on %s', (kind) => {
  let h: Harness;
  let term: string;
  let op: string;
  let head: string;
  hallFixture(kind, (hall) => ({ h, term, op, head } = hall));

  it("an operator's call and reveal of personal data read 'Іваненко Олена' (operator), a kiosk's entry no name", async () => {
    await addSlot(h.ctx.db, { day: TODAY, time: '09:00', capacity: 5, pool: 'terminal', minutes: 60 });
    await kiosk(h.app, term, { seed: 1 });
    const called = (await callNext(h.app, op, DESK.d1)).json();
    const reveal = await h.app.inject({
      method: 'POST',
      url: `/api/v1/registrations/${called.id}/reveal-identity`,
      headers: { cookie: op },
    });
    expect(reveal.statusCode).toBe(200);

    const res = await h.app.inject({
      url: `/api/v1/admin/audit?centerId=${CENTER}`,
      headers: { cookie: head },
    });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as Entry[];
    const byAction = (a: string) => items.find((e) => e.action === a);
    for (const action of ['registration.called', 'pii.viewed']) {
      expect(byAction(action), action).toMatchObject({
        actorKind: 'operator',
        actorId: 'st-admin-1',
        actorName: 'Іваненко Олена',
        actorStaffRole: 'administrator',
      });
    }
    const kioskEntries = items.filter((e) => e.actorKind === 'terminal');
    expect(kioskEntries.length).toBeGreaterThan(0);
    for (const e of kioskEntries) expect(e.actorName).toBeNull();
  });
});
