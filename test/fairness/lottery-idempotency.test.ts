import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const RELEASE = '2026-11-23T04:00:30Z';
const DAY = '2026-12-14';
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

describe.each(testDatabases())('rule 9: a lottery entry with an Idempotency-Key, on %s', (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind, { now: RELEASE });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  it('the same request sent three times at once is one entry, and every answer is its 202', async () => {
    h.clock.set(RELEASE);
    const slot = await addSlot(h.ctx.db, { day: DAY, time: '10:00', capacity: 2, releasedAt: RELEASED_AT });
    const p = await citizenCookie(h.app, { rnokpp: rnokpp(7901) });
    const send = () =>
      h.client.book({ cookie: p.cookie, idempotencyKey: 'entry-key-0001' }, { slotId: slot });
    const answers = await Promise.all([send(), send(), send()]);
    expect(answers.map((a) => a.statusCode)).toEqual([202, 202, 202]);
    const ids = new Set(answers.map((a) => a.json().id));
    expect(ids.size).toBe(1);
    const entries = await h.ctx.db
      .selectFrom('lottery_entries')
      .select('id')
      .where('person_id', '=', p.personId)
      .execute();
    expect(entries.map((e) => e.id)).toEqual([...ids]);
    // Later, the same key still answers the same entry.
    const again = await send();
    expect(again.statusCode).toBe(202);
    expect(again.json().id).toBe(entries[0]?.id);
  });
});
