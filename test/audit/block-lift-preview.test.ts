import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/audit-store.js';
import { addSlot, CENTER, OTHER_CENTER, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';

const NOW = '2026-11-23T07:00:00Z';
const BLOCKED_AT = '2026-11-20T09:30:00Z';
const UNTIL = '2026-12-20T09:30:00Z';

/**
 * Rule 4: before a head lifts a no-show block, the console shows whom it would lift (masked: at
 * most the last 2 characters of each name part and of the identifier), since and until when, why
 * and the center that set it; the preview is a personal-data view in the audit log with the staff
 * member's name. A head of another center is refused with the center that can lift it.
 */
describe.each(testDatabases())('rule 4: the block-lift preview on %s', (kind) => {
  let h: Harness;
  let head: string;
  let otherHead: string;
  let personId: string;
  const id = rnokpp(170_017);

  beforeAll(async () => {
    h = await createHarness(kind, { now: NOW });
    await seedCatalog(h.ctx.db);
    head = await staffCookie(h.app, 'center_head', CENTER);
    otherHead = await staffCookie(h.app, 'center_head', OTHER_CENTER);
    const person = await citizenCookie(h.app, { rnokpp: id, lastName: 'Шевченко', firstName: 'Тарас' });
    personId = person.personId;
    // The last registration is at CENTER; the no-show that set the block was at OTHER_CENTER.
    const slot = await addSlot(h.ctx.db, { day: '2026-11-27', time: '10:00', capacity: 2 });
    expect((await h.client.book({ cookie: person.cookie }, { slotId: slot })).statusCode).toBe(201);
    await h.ctx.db
      .updateTable('persons')
      .set({
        blocked_until: new Date(UNTIL),
        blocked_at: new Date(BLOCKED_AT),
        block_center_id: OTHER_CENTER,
      })
      .where('id', '=', personId)
      .execute();
    await audit(h.ctx.db, {
      at: new Date(BLOCKED_AT),
      actorKind: 'system',
      action: 'person.blocked',
      subjectKind: 'person',
      subjectId: personId,
      centerId: OTHER_CENTER,
      details: { noShows: 4, blockedUntil: UNTIL },
    });
  });
  afterAll(() => h.close());

  const preview = (cookie: string, idValue = id, headers: Record<string, string> = {}) =>
    h.app.inject({
      method: 'POST',
      url: '/api/v1/admin/blocks/preview',
      headers: { cookie, ...headers },
      payload: { idKind: 'rnokpp', idValue },
    });

  it('rule 4: the head of the last registration’s center sees the masked person, since/until, the no-shows and the center that set it', async () => {
    const res = await preview(head);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      person: {
        lastName: '******ко',
        firstName: '****с',
        middleName: null,
        idKind: 'rnokpp',
        idMasked: `********${id.slice(8)}`,
      },
      blockedAt: new Date(BLOCKED_AT).toISOString(),
      blockedUntil: new Date(UNTIL).toISOString(),
      noShows: 4,
      blockCenter: { id: OTHER_CENTER, name: 'ТСЦ МВС № 4641', address: 'м. Львів, вул. Тестова, 2' },
      liftCenter: { id: CENTER, name: 'ТСЦ МВС № 8041', address: 'м. Київ, вул. Тестова, 1' },
    });
    // Nothing of the full name or number leaves the server.
    expect(res.body).not.toContain('Шевченко');
    expect(res.body).not.toContain(id);
  });

  it('rule 4: the preview is a personal-data view in the audit log, naming the staff member who looked', async () => {
    await preview(head);
    const items = (
      await h.app.inject({
        url: `/api/v1/admin/audit?action=pii.viewed&subjectId=${personId}`,
        headers: { cookie: head },
      })
    ).json().items;
    expect(items[0]).toMatchObject({
      actorKind: 'center_head',
      actorId: 'st-head-1',
      actorName: 'Коваль Марія',
      actorStaffRole: 'center_head',
      subjectKind: 'person',
      subjectId: personId,
      centerId: CENTER,
      details: { purpose: 'block_lift_preview' },
    });
  });

  it('rule 4: a head of another center is refused with the center that can lift the block, and sees no personal data', async () => {
    const before = await h.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'pii.viewed')
      .execute();
    const res = await preview(otherHead);
    expect(res.statusCode).toBe(403);
    const body = res.json();
    expect(body.code).toBe('FORBIDDEN');
    expect(body.liftCenter).toEqual({
      id: CENTER,
      name: 'ТСЦ МВС № 8041',
      address: 'м. Київ, вул. Тестова, 1',
    });
    expect(body.detail).toContain('«ТСЦ МВС № 8041»');
    expect(body.person).toBeUndefined();
    expect(res.body).not.toContain('ко"');
    const en = await preview(otherHead, id, { 'accept-language': 'en' });
    expect(en.json().detail).toBe(
      "Only the head of the center “ТСЦ МВС № 8041” (м. Київ, вул. Тестова, 1), of the person's last registration, can lift the block.",
    );
    const after = await h.ctx.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'pii.viewed')
      .execute();
    expect(after.length).toBe(before.length);
  });

  it('rule 4: a person without an active block is not found; a malformed number is a validation error', async () => {
    const free = rnokpp(170_018);
    await citizenCookie(h.app, { rnokpp: free });
    expect((await preview(head, free)).statusCode).toBe(404);
    expect((await preview(head, '12345abc90')).statusCode).toBe(400);
  });

  it('§1: operators, citizens and anonymous callers cannot preview a block', async () => {
    const operator = await staffCookie(h.app, 'operator', CENTER);
    const citizen = (await citizenCookie(h.app, { rnokpp: rnokpp(170_019) })).cookie;
    expect((await preview(operator)).statusCode).toBe(403);
    expect((await preview(citizen)).statusCode).toBe(403);
    expect((await preview('')).statusCode).toBe(401);
  });
});
