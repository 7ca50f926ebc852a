import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, GROUP, OTHER_CENTER, SERVICE, seedExamHub } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

/**
 * SPEC §2 and rule 8: a center head declares the vehicle categories the center examines and how
 * many cars of each; the public list of exam centers and the category's daily cap follow at once.
 */
const NOW = '2026-11-23T07:00:00Z';
const DAY = '2026-11-25';

describe.each(testDatabases())(
  '§2 exams: a head declares the categories and cars of the center, on %s',
  (kind) => {
    let h: Harness;
    let head: string;
    const url = `/api/v1/admin/centers/${CENTER}/exam-categories`;
    const put = (cookie: string, cars: Array<{ category: string; cars: number }>, center = CENTER) =>
      h.app.inject({
        method: 'PUT',
        url: `/api/v1/admin/centers/${center}/exam-categories`,
        headers: { cookie },
        payload: { cars },
      });

    beforeAll(async () => {
      h = await createHarness(kind, { now: NOW });
      await seedExamHub(h.ctx.db); // B: 1 car, C: 2 cars; the center's examiner norm 4 a day
      head = await staffCookie(h.app, 'center_head', CENTER);
    });
    afterAll(() => h.close());

    it('§2 exams: the head reads the offered categories and the center’s cars', async () => {
      const res = await h.app.inject({ url, headers: { cookie: head } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        offered: ['B', 'C'],
        cars: [
          { category: 'B', cars: 1 },
          { category: 'C', cars: 2 },
        ],
      });
    });

    it('rule 8: two cars of B double the category’s places a day; dropping C takes the center off the C list', async () => {
      const slot = await addSlot(h.ctx.db, { day: DAY, time: '09:00', capacity: 12, group: GROUP.practical });
      const changed = await put(head, [{ category: 'B', cars: 2 }]);
      expect(changed.statusCode, changed.body).toBe(200);
      expect(changed.json().cars).toEqual([{ category: 'B', cars: 2 }]);

      const centers = (
        await h.app.inject({ url: `/api/v1/centers?service=${SERVICE.practical}&category=C` })
      ).json() as Array<{ id: string }>;
      expect(centers.map((c) => c.id)).not.toContain(CENTER);

      // The cap is 2 cars × 4 = 8 B places a day (all online here): 8 people book, the 9th is refused.
      const answers: number[] = [];
      for (let i = 0; i < 9; i++) {
        const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(64000 + i) });
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/v1/bookings',
          headers: { cookie, 'idempotency-key': `cars-${kind}-${i}` },
          payload: { slotId: slot, serviceId: SERVICE.practical, examCategory: 'B' },
        });
        answers.push(res.statusCode);
      }
      expect(answers.filter((s) => s === 201)).toHaveLength(8);
      expect(answers.at(-1)).toBe(409);
    });

    it('a category no exam has, or given twice, is refused and nothing changes', async () => {
      for (const cars of [
        [{ category: 'Z', cars: 1 }],
        [
          { category: 'B', cars: 1 },
          { category: 'B', cars: 3 },
        ],
      ]) {
        const res = await put(head, cars);
        expect(res.statusCode).toBe(400);
        expect(res.json().code).toBe('VALIDATION');
      }
      expect((await h.app.inject({ url, headers: { cookie: head } })).json().cars).toEqual([
        { category: 'B', cars: 2 },
      ]);
    });

    it('another center’s head, an operator and a citizen are refused; the change is audited with the head', async () => {
      const other = await staffCookie(h.app, 'center_head', OTHER_CENTER);
      expect((await put(other, [{ category: 'C', cars: 1 }])).statusCode).toBe(403);
      const operator = await staffCookie(h.app, 'operator', CENTER);
      expect((await put(operator, [{ category: 'C', cars: 1 }])).statusCode).toBe(403);
      const citizen = await citizenCookie(h.app, { rnokpp: rnokpp(64100) });
      expect((await put(citizen.cookie, [{ category: 'C', cars: 1 }])).statusCode).toBe(403);
      const audited = await h.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'center_id'])
        .where('action', '=', 'catalog.exam_cars_set')
        .execute();
      expect(audited).toEqual([{ action: 'catalog.exam_cars_set', center_id: CENTER }]);
    });
  },
);
