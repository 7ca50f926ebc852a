import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookRequest } from '../support/client.js';
import { addSlot, CENTER, declareExams, GROUP, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

// 06:00:30 Kyiv on 23 Nov 2026 (UTC+2): the day released now is 14 Dec (today + 21).
const RELEASE = '2026-11-23T04:00:30Z';
const DAY = '2026-12-14';
const RELEASED_AT = new Date('2026-11-23T04:00:00Z');

describe.each(testDatabases())(
  'rule 9 and SPEC §2 Exams: a practical exam entered in the lottery, on %s',
  (kind) => {
    let h: Harness;
    beforeAll(async () => {
      h = await createHarness(kind, { now: RELEASE });
      await seedCatalog(h.ctx.db);
      await declareExams(h.ctx.db, { [CENTER]: { B: 1 } });
    });
    afterAll(() => h.close());

    it('the entry keeps the chosen vehicle category and the draw books the place with it', async () => {
      h.clock.set(RELEASE);
      const slot = await addSlot(h.ctx.db, {
        day: DAY,
        time: '10:00',
        capacity: 2,
        group: GROUP.practical,
        releasedAt: RELEASED_AT,
      });
      const p = await citizenCookie(h.app, { rnokpp: rnokpp(7701) });
      // The category is checked for an entry as for a booking: this center has no C car.
      const wrong = await h.client.book({ cookie: p.cookie }, {
        slotId: slot,
        serviceId: SERVICE.practical,
        examCategory: 'C',
      } as BookRequest);
      expect(wrong.json().code).toBe('VALIDATION');
      const res = await h.client.book({ cookie: p.cookie }, {
        slotId: slot,
        serviceId: SERVICE.practical,
        examCategory: 'B',
      } as BookRequest);
      expect(res.statusCode).toBe(202);
      const id = res.json().id as string;
      const pending = await h.ctx.db
        .selectFrom('registrations')
        .select(['status', 'exam_category'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(pending).toEqual({ status: 'pending', exam_category: 'B' });

      h.clock.set('2026-11-23T04:10:00Z');
      const drawn = await h.ctx.fairness.lottery.drawDue({ seed: 'exam-seed' });
      expect(drawn).toMatchObject([{ day: DAY, entries: 1, won: 1 }]);
      const booked = await h.ctx.db
        .selectFrom('registrations')
        .select(['status', 'exam_category', 'slot_id'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow();
      expect(booked).toEqual({ status: 'booked', exam_category: 'B', slot_id: slot });
      const audit = await h.ctx.db
        .selectFrom('audit_log')
        .select('details')
        .where('action', '=', 'lottery.entered')
        .where('subject_id', '=', id)
        .executeTakeFirstOrThrow();
      expect(audit.details).toMatchObject({ examCategory: 'B' });
    });
  },
);
