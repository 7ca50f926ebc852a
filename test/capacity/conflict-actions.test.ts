import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { declaredRoutes } from '../../src/identity/auth.js';
import { conflictOfferToken } from '../../src/notify/conflict-offer-link.js';
import { formatKyiv } from '../../src/platform/kyiv-time.js';
import { parseIcs, SmtpSink } from '../notify/smtp-sink.js';
import { CENTER, OTHER_CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { seedRoster } from './capacity-support.js';

/**
 * SPEC rule 8: a registration that regeneration cannot keep is listed for the center head, who
 * offers other times (the person moves the SAME registration by a signed one-click link: a GET
 * only shows, a POST confirms) or cancels it with notice. Real generated capacity (roster, norms),
 * a holiday that hits bookings, real SMTP delivery of the mails.
 */
const NOW = '2026-11-24T08:00:00Z'; // Tuesday 10:00 in Kyiv
const HIT = '2026-11-26'; // the holiday
const PEOPLE = 7;

interface Conflict {
  id: number;
  registrationId: string;
  person: { email: string | null };
}

describe.each(testDatabases())('rule 8: the head acts on a conflict on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  let head: string;
  const conflicts: Conflict[] = [];
  const base = `/api/v1/admin/centers/${CENTER}/capacity`;

  const registration = (id: string) =>
    h.ctx.db.selectFrom('registrations').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const slot = (id: number) =>
    h.ctx.db
      .selectFrom('slots')
      .select(['capacity', 'booked'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
  const links = (text: string) =>
    [...text.matchAll(/https:\/\/e-zapys\.example\/conflict-offer\/([\w.-]+)/g)].map((m) => m[1] as string);
  const conflictFor = (n: number) => conflicts[n] as Conflict;

  async function freeTimes(conflictId: number) {
    const res = await h.app.inject({
      url: `${base}/conflicts/${conflictId}/free-times`,
      headers: { cookie: head },
    });
    expect(res.statusCode).toBe(200);
    return res.json() as Array<{ slotId: number; day: string; startsAt: string; free: number }>;
  }

  async function offer(conflictId: number, slotIds: number[]) {
    const res = await h.app.inject({
      method: 'POST',
      url: `${base}/conflicts/${conflictId}/offers`,
      headers: { cookie: head },
      payload: { slotIds },
    });
    expect(res.statusCode, res.body).toBe(201);
    await h.ctx.notify.worker.drain();
    const mail = sink
      .inOrder()
      .filter((m) => m.subject.startsWith('Оберіть інший час'))
      .at(-1);
    if (!mail?.text) throw new Error('no offer mail');
    return {
      offers: res.json() as Array<{ id: string; slotId: number }>,
      mail: { ...mail, text: mail.text },
      tokens: links(mail.text),
    };
  }

  beforeAll(async () => {
    sink = await new SmtpSink().start();
    h = await createHarness(kind, {
      now: NOW,
      poolSize: 8, // the race below runs on separate connections
      env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://e-zapys.example', OUTBOX_POLL_MS: String(3_600_000) },
    });
    await seedCatalog(h.ctx.db);
    await seedRoster(h.ctx.db);
    await h.ctx.capacity.releaseDue();
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${HIT}` })
    ).json() as Array<{ id: number; free: number }>;
    const open = slots.flatMap((s) => Array.from({ length: s.free }, () => s.id));
    for (let i = 0; i < PEOPLE; i++) {
      const { cookie } = await citizenCookie(h.app, {
        rnokpp: rnokpp(1700 + i),
        email: `person${i}@example.com`,
        lastName: 'Шевченко',
        firstName: `Тарас${i}`,
      });
      const booked = await h.app.inject({
        method: 'POST',
        url: '/api/v1/bookings',
        headers: { cookie, 'idempotency-key': `conflict-actions-${i}` },
        payload: { slotId: open[i], serviceId: SERVICE.vehicle },
      });
      expect(booked.statusCode, booked.body).toBe(201);
    }
    head = await staffCookie(h.app, 'center_head', CENTER);
    const holiday = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${CENTER}/holidays`,
      headers: { cookie: head },
      payload: { day: HIT, name: 'Ремонт приміщення' },
    });
    expect(holiday.statusCode).toBe(201);
    const listed = await h.app.inject({ url: `${base}/conflicts`, headers: { cookie: head } });
    conflicts.push(...(listed.json() as Conflict[]));
    expect(conflicts).toHaveLength(PEOPLE);
    await h.ctx.notify.worker.drain(); // the schedule_conflict mails
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await sink?.stop();
  });

  beforeEach(async () => {
    sink.received.length = 0;
    h.clock.set(NOW);
    head = await staffCookie(h.app, 'center_head', CENTER);
  });

  it('rule 8: offer → the GET of the link changes nothing → the confirming POST moves the same registration; the e-mail brings the new time and .ics', async () => {
    const c = conflictFor(0);
    const before = await registration(c.registrationId);
    const times = await freeTimes(c.id);
    expect(times.length).toBeGreaterThan(2);
    expect(times.every((t) => t.day !== HIT && t.free > 0)).toBe(true);
    const december = times.find((t) => t.day === '2026-12-01');
    const friday = times.find((t) => t.day === '2026-11-27');
    if (!december || !friday) throw new Error('no free time to offer');

    const { offers, mail, tokens } = await offer(c.id, [december.slotId, friday.slotId]);
    expect(offers).toHaveLength(2);
    expect(mail.envelopeTo).toEqual([c.person.email]);
    expect(mail.subject).toBe(
      `Оберіть інший час: ваш запис на ${formatKyiv(new Date(before.starts_at))}, ТСЦ МВС № 8041`,
    );
    expect(mail.text).toContain('Перенести на 27.11.2026');
    expect(mail.text).toContain('Перенести на 01.12.2026');
    expect(mail.html).toContain('<html lang="uk">');
    expect(tokens).toHaveLength(2);
    const decemberToken = tokens[mail.text.indexOf('01.12.2026') < mail.text.indexOf('27.11.2026') ? 0 : 1];
    if (!decemberToken) throw new Error('no link');

    // A mail scanner (or the person) opening the link: a page, and nothing changes.
    const snapshot = async () => ({
      reg: await registration(c.registrationId),
      offers: (await sql`SELECT id, status FROM conflict_offers ORDER BY id`.execute(h.ctx.db)).rows,
      old: await slot(before.slot_id as number),
      target: await slot(december.slotId),
      counters: (await sql`SELECT * FROM usage_counters ORDER BY subject, period`.execute(h.ctx.db)).rows,
    });
    const unchanged = await snapshot();
    for (let i = 0; i < 3; i++) {
      const page = await h.app.inject({ url: `/conflict-offer/${decemberToken}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Перенести запис на інший час?');
      expect(page.body).toContain('01.12.2026');
      expect(page.body).toContain('method="post"');
      expect(page.body).not.toContain('Шевченко');
    }
    const head2 = await h.app.inject({ method: 'HEAD', url: `/conflict-offer/${decemberToken}` });
    expect(head2.statusCode).toBe(200);
    expect(await snapshot()).toEqual(unchanged);

    h.clock.set('2026-11-24T09:00:00Z');
    sink.received.length = 0;
    const accepted = await h.app.inject({
      method: 'POST',
      url: `/conflict-offer/${decemberToken}`,
      payload: 'confirm=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.body).toContain('Запис перенесено');
    expect(accepted.body).toContain(formatKyiv(new Date(december.startsAt)));
    head = await staffCookie(h.app, 'center_head', CENTER);

    const after = await registration(c.registrationId);
    expect(after.id).toBe(before.id);
    expect(after.status).toBe('booked');
    expect(Number(after.slot_id)).toBe(december.slotId);
    expect(new Date(after.starts_at).toISOString()).toBe(december.startsAt);
    expect(after.day).toBe('2026-12-01');
    expect(after.move_count).toBe(0); // not one of the owner's 2 moves
    // The old place vanished with its time (a holiday: nobody serves it); the new one is taken.
    expect(await slot(before.slot_id as number)).toEqual({ capacity: 0, booked: 0 });
    expect((await slot(december.slotId)).booked).toBe(unchanged.target.booked + 1);
    // Counted once, in the month of the new time.
    const usage = (
      await sql<{ period: string; used: number }>`
      SELECT to_char(period, 'YYYY-MM') AS period, used FROM usage_counters WHERE subject = ${`person:${before.person_id}`} AND channel = 'online'
      ORDER BY period`.execute(h.ctx.db)
    ).rows;
    expect(usage.map((u) => [u.period, u.used])).toEqual([
      ['2026-11', 0],
      ['2026-12', 1],
    ]);

    const listed = await h.app.inject({ url: `${base}/conflicts?all=true`, headers: { cookie: head } });
    const settled = (
      listed.json() as Array<{ id: number; resolvedAt: string | null; resolution: string }>
    ).find((x) => x.id === c.id);
    expect(settled?.resolvedAt).not.toBeNull();
    expect(settled?.resolution).toContain('Перенесено на 01.12.2026');
    const state = await h.app.inject({ url: `${base}/conflict-offers`, headers: { cookie: head } });
    const view = state.json() as {
      offers: Array<{ slotId: number; state: string; conflictId: number }>;
      outcomes: Array<{ id: number; outcome: string }>;
    };
    const mine = view.offers.filter((o) => o.conflictId === c.id);
    expect(mine.map((o) => [o.slotId, o.state]).sort()).toEqual(
      [
        [december.slotId, 'accepted'],
        [friday.slotId, 'withdrawn'],
      ].sort(),
    );
    expect(view.outcomes).toContainEqual({ id: c.id, outcome: 'moved' });

    // The confirmation with the new time and a replacing .ics.
    await h.ctx.notify.worker.drain();
    const moved = sink.received.find((m) => m.subject.startsWith('Запис перенесено'));
    if (!moved) throw new Error('no moved mail');
    expect(moved.envelopeTo).toEqual([c.person.email]);
    expect(moved.subject).toContain('01.12.2026');
    expect(moved.text).toContain(`Запис перенесено з ${formatKyiv(new Date(before.starts_at))}`);
    const ics = moved.attachments.find((a) => a.contentType === 'text/calendar');
    if (!ics) throw new Error('no .ics');
    expect(parseIcs(ics.content).get('UID')?.value).toBe(c.registrationId);
    expect(parseIcs(ics.content).get('DTSTART')?.value).toMatch(/^20261201T/);

    // Single use: the same link again, and the other time's link, are refused with a clear page.
    const again = await h.app.inject({
      method: 'POST',
      url: `/conflict-offer/${decemberToken}`,
      payload: {},
    });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('Посилання вже використано');
    const other = tokens.find((t) => t !== decemberToken) as string;
    const otherPage = await h.app.inject({ url: `/conflict-offer/${other}` });
    expect(otherPage.statusCode).toBe(410);
    expect(otherPage.body).toContain('Пропозиція більше не діє');
    expect(Number((await registration(c.registrationId)).slot_id)).toBe(december.slotId);

    const audited = await h.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'actor_kind', 'actor_id'])
      .where('subject_id', '=', c.registrationId)
      .where('action', 'like', 'capacity.conflict%')
      .orderBy('id')
      .execute();
    expect(audited).toEqual([
      { action: 'capacity.conflict_offer_sent', actor_kind: 'center_head', actor_id: expect.any(String) },
      { action: 'capacity.conflict_offer_accepted', actor_kind: 'citizen', actor_id: before.person_id },
    ]);
  }, 60_000);

  it('rule 8: a forged, re-bound or expired link is refused with a Ukrainian page and changes nothing', async () => {
    const c = conflictFor(1);
    const times = await freeTimes(c.id);
    const target = times.find((t) => t.day === '2026-11-27') ?? times[0];
    if (!target) throw new Error('no time');
    const { offers, tokens } = await offer(c.id, [target.slotId]);
    const token = tokens[0] as string;
    const before = await registration(c.registrationId);

    const [id, exp, mac] = token.split('.') as [string, string, string];
    const forged = [
      `${id}.${exp}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`, // MAC changed
      `${id}.${Number(exp) + 86_400}.${mac}`, // expiry stretched
      'AAAAAAAAAAAAAAAAAAAAAA.1800000000.AAAAAAAAAAAAAAAAAAAAAA',
      'nonsense',
      // A genuine-looking token for the same offer bound to another time: the MAC differs.
      conflictOfferToken(h.ctx.crypto, {
        id: offers[0]?.id as string,
        registrationId: c.registrationId,
        slotId: (times.find((t) => t.slotId !== target.slotId) ?? target).slotId,
        expiresAt: new Date(Number(exp) * 1000),
      }),
    ];
    for (const bad of forged) {
      const get = await h.app.inject({ url: `/conflict-offer/${encodeURIComponent(bad)}` });
      const post = await h.app.inject({ method: 'POST', url: `/conflict-offer/${encodeURIComponent(bad)}` });
      for (const res of [get, post]) {
        expect(res.statusCode, bad).toBe(404);
        expect(res.body).toContain('Посилання недійсне');
        expect(res.body).toContain('<html lang="uk">');
      }
    }

    // After its expiry the genuine link says so, and does nothing.
    h.clock.set(new Date(Number(exp) * 1000 + 1000).toISOString());
    const late = await h.app.inject({ url: `/conflict-offer/${token}` });
    expect(late.statusCode).toBe(410);
    expect(late.body).toContain('Термін пропозиції минув');
    const latePost = await h.app.inject({ method: 'POST', url: `/conflict-offer/${token}` });
    expect(latePost.statusCode).toBe(410);
    expect(await registration(c.registrationId)).toEqual(before);
    const view = (
      await h.app.inject({
        url: `${base}/conflict-offers`,
        headers: { cookie: await staffCookie(h.app, 'center_head', CENTER) },
      })
    ).json() as { offers: Array<{ conflictId: number; state: string }> };
    expect(view.offers.filter((o) => o.conflictId === c.id).map((o) => o.state)).toEqual(['expired']);
  });

  it('rule 8: another center’s head can neither see the times, nor offer, nor cancel; a national admin can', async () => {
    const c = conflictFor(2);
    const other = await staffCookie(h.app, 'center_head', OTHER_CENTER);
    const times = await freeTimes(c.id);
    const calls = [
      { method: 'GET' as const, url: `${base}/conflicts/${c.id}/free-times` },
      {
        method: 'POST' as const,
        url: `${base}/conflicts/${c.id}/offers`,
        payload: { slotIds: [times[0]?.slotId] },
      },
      {
        method: 'POST' as const,
        url: `${base}/conflicts/${c.id}/cancel`,
        payload: { reason: 'Чужий центр' },
      },
      { method: 'GET' as const, url: `${base}/conflict-offers` },
    ];
    for (const call of calls) {
      const res = await h.app.inject({ ...call, headers: { cookie: other } });
      expect(res.statusCode, call.url).toBe(403);
    }
    // Naming their own center does not reach our conflict either.
    const own = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${OTHER_CENTER}/capacity/conflicts/${c.id}/cancel`,
      headers: { cookie: other },
      payload: { reason: 'Чужий центр' },
    });
    expect(own.statusCode).toBe(404);
    for (const role of ['operator', 'terminal'] as const) {
      const cookie = await staffCookie(h.app, role, CENTER, role === 'operator' ? `${CENTER}-d1` : undefined);
      const res = await h.app.inject({
        method: 'POST',
        url: `${base}/conflicts/${c.id}/offers`,
        headers: { cookie },
        payload: { slotIds: [times[0]?.slotId] },
      });
      expect(res.statusCode).toBe(403);
    }
    const anonymous = await h.app.inject({ url: `${base}/conflicts/${c.id}/free-times` });
    expect(anonymous.statusCode).toBe(401);
    expect((await registration(c.registrationId)).status).toBe('booked');
    const national = await staffCookie(h.app, 'national_admin');
    const seen = await h.app.inject({ url: calls[0]?.url as string, headers: { cookie: national } });
    expect(seen.statusCode).toBe(200);
  });

  it('rule 8: cancel with notice — the person is told the reason and how to book again; the place is not freed; the limit unit is given back', async () => {
    const c = conflictFor(3);
    const before = await registration(c.registrationId);
    const heldBefore = await slot(before.slot_id as number);
    const times = await freeTimes(c.id);
    await offer(c.id, [times[0]?.slotId as number]);
    sink.received.length = 0;

    const res = await h.app.inject({
      method: 'POST',
      url: `${base}/conflicts/${c.id}/cancel`,
      headers: { cookie: head },
      payload: { reason: 'Центр закрито на ремонт, вільних місць цього тижня немає' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: c.id, status: 'cancelled', notified: true });
    const after = await registration(c.registrationId);
    expect(after.status).toBe('cancelled');
    // The place of a time nobody serves vanishes: never back in the pool, never to a waiter.
    expect(await slot(before.slot_id as number)).toEqual({
      capacity: heldBefore.capacity - 1,
      booked: heldBefore.booked - 1,
    });
    const returns =
      await sql`SELECT * FROM slot_returns WHERE registration_id = ${c.registrationId}::uuid`.execute(
        h.ctx.db,
      );
    expect(returns.rows).toEqual([]);
    const usage = await sql<{ used: number }>`SELECT used FROM usage_counters
      WHERE subject = ${`person:${before.person_id}`} AND channel = 'online' AND period = '2026-11-01'`.execute(
      h.ctx.db,
    );
    expect(usage.rows[0]?.used).toBe(0);

    await h.ctx.notify.worker.drain();
    expect(sink.received).toHaveLength(1);
    const mail = sink.received[0];
    expect(mail?.envelopeTo).toEqual([c.person.email]);
    expect(mail?.subject).toBe(
      `Сервісний центр скасував ваш запис: ${formatKyiv(new Date(before.starts_at))}, ТСЦ МВС № 8041`,
    );
    expect(mail?.text).toContain('Причина: Центр закрито на ремонт, вільних місць цього тижня немає');
    expect(mail?.text).toContain('Щоб записатися знову');
    expect(mail?.text).toContain('https://e-zapys.example/book');
    expect(mail?.html).toContain('Центр закрито на ремонт');

    // The earlier offer's link no longer works; the conflict is settled, audited with the head.
    const state = (
      await h.app.inject({ url: `${base}/conflict-offers`, headers: { cookie: head } })
    ).json() as {
      offers: Array<{ conflictId: number; state: string }>;
      outcomes: Array<{ id: number; outcome: string }>;
    };
    expect(state.offers.filter((o) => o.conflictId === c.id).map((o) => o.state)).toEqual(['withdrawn']);
    expect(state.outcomes).toContainEqual({ id: c.id, outcome: 'cancelled' });
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select(['actor_kind', 'details'])
      .where('action', '=', 'capacity.conflict_cancelled')
      .where('subject_id', '=', c.registrationId)
      .executeTakeFirstOrThrow();
    expect(audit.actor_kind).toBe('center_head');
    expect(audit.details).toMatchObject({ conflictId: c.id, oldPlace: 'dropped' });
    const twice = await h.app.inject({
      method: 'POST',
      url: `${base}/conflicts/${c.id}/cancel`,
      headers: { cookie: head },
      payload: { reason: 'Ще раз' },
    });
    expect(twice.statusCode).toBe(409);
  });

  it('rule 8: two accepts of two offers of one registration at once leave exactly one move', async () => {
    const c = conflictFor(4);
    const times = (await freeTimes(c.id)).filter((t) => t.day === '2026-11-30');
    const [a, b] = times;
    if (!a || !b) throw new Error('two free times needed');
    const { tokens } = await offer(c.id, [a.slotId, b.slotId]);
    expect(tokens).toHaveLength(2);
    const before = { a: await slot(a.slotId), b: await slot(b.slotId) };
    const results = await Promise.all(
      [...tokens, ...tokens].map((t) => h.app.inject({ method: 'POST', url: `/conflict-offer/${t}` })),
    );
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes.filter((s) => s === 200)).toHaveLength(1);
    expect(codes.filter((s) => s !== 200).every((s) => s === 410)).toBe(true);
    const after = await registration(c.registrationId);
    const claimed = { a: await slot(a.slotId), b: await slot(b.slotId) };
    expect(claimed.a.booked - before.a.booked + claimed.b.booked - before.b.booked).toBe(1);
    expect([a.slotId, b.slotId]).toContain(Number(after.slot_id));
    expect(after.move_count).toBe(0);
    const accepted =
      await sql`SELECT id FROM conflict_offers WHERE conflict_id = ${c.id} AND status = 'accepted'`.execute(
        h.ctx.db,
      );
    expect(accepted.rows).toHaveLength(1);
    const movedMails = await h.ctx.db
      .selectFrom('outbox')
      .select('id')
      .where('template', '=', 'registration_moved')
      .where(sql<boolean>`payload->>'registrationId' = ${c.registrationId}`)
      .execute();
    expect(movedMails).toHaveLength(1);
  });
  it('rule 8: marking a conflict resolved by hand stops the links of the times offered for it', async () => {
    const c = conflictFor(6);
    const target = (await freeTimes(c.id))[0];
    if (!target) throw new Error('no time');
    const { tokens } = await offer(c.id, [target.slotId]);
    const before = await registration(c.registrationId);
    const resolved = await h.app.inject({
      method: 'POST',
      url: `${base}/conflicts/${c.id}/resolve`,
      headers: { cookie: head },
      payload: { resolution: 'Зателефонували, домовились на інший день' },
    });
    expect(resolved.statusCode, resolved.body).toBe(200);
    const { rows } = await sql<{ status: string; outcome: string | null }>`
      SELECT o.status, c.outcome FROM conflict_offers o JOIN capacity_conflicts c ON c.id = o.conflict_id
      WHERE o.conflict_id = ${c.id}`.execute(h.ctx.db);
    expect(rows).toEqual([{ status: 'withdrawn', outcome: 'resolved' }]);
    const post = await h.app.inject({
      method: 'POST',
      url: `/conflict-offer/${tokens[0]}`,
      payload: 'confirm=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(post.statusCode).toBe(410);
    expect((await registration(c.registrationId)).slot_id).toBe(before.slot_id);
  });

  it('rule 9: the routes declare who may call them and their rate limits (the link like a login)', () => {
    const of = (method: string, url: string) =>
      declaredRoutes(h.app).find((r) => r.method === method && r.url === url);
    for (const [method, url] of [
      ['GET', '/api/v1/admin/centers/:id/capacity/conflicts/:conflictId/free-times'],
      ['POST', '/api/v1/admin/centers/:id/capacity/conflicts/:conflictId/offers'],
      ['POST', '/api/v1/admin/centers/:id/capacity/conflicts/:conflictId/cancel'],
      ['GET', '/api/v1/admin/centers/:id/capacity/conflict-offers'],
    ] as const)
      expect(of(method, url), url).toMatchObject({
        access: ['center_head', 'national_admin'],
        antibot: false,
      });
    expect(of('GET', '/conflict-offer/:token')).toMatchObject({ access: 'public', rateLimit: 'reads' });
    expect(of('POST', '/conflict-offer/:token')).toMatchObject({ access: 'public', rateLimit: 'logins' });
  });

  it('rule 1: the times offered are never on a day the person already holds another registration of the group', async () => {
    const c = conflictFor(5);
    expect((await freeTimes(c.id)).some((t) => t.day === '2026-11-27')).toBe(true);
    const slots = (
      await h.app.inject({
        url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=2026-11-27`,
      })
    ).json() as Array<{ id: number }>;
    // The same person (see beforeAll) books another vehicle registration on the 27th.
    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(1700 + 5), email: 'person5@example.com' });
    const second = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'idempotency-key': 'conflict-actions-second' },
      payload: { slotId: slots[0]?.id, serviceId: SERVICE.vehicle },
    });
    expect(second.statusCode, second.body).toBe(201);
    expect((await freeTimes(c.id)).some((t) => t.day === '2026-11-27')).toBe(false);
  });

  it('rule 8: a practical exam moved by an offer takes its vehicle category’s place on the new day and gives the old one back', async () => {
    await sql`UPDATE services SET exam_categories = '{B}' WHERE id = ${SERVICE.practical}`.execute(h.ctx.db);
    await sql`INSERT INTO center_exam_categories (center_id, category, cars) VALUES (${CENTER}, 'B', 1)
      ON CONFLICT DO NOTHING`.execute(h.ctx.db);
    const day = '2026-12-02';
    const slots = (
      await h.app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${SERVICE.practical}&date=${day}` })
    ).json() as Array<{ id: number }>;
    const { cookie, personId } = await citizenCookie(h.app, {
      rnokpp: rnokpp(1790),
      email: 'exam@example.com',
    });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie, 'idempotency-key': 'conflict-actions-exam' },
      payload: { slotId: slots[0]?.id, serviceId: SERVICE.practical, examCategory: 'B' },
    });
    expect(booked.statusCode, booked.body).toBe(201);
    const places = async (d: string) =>
      (
        await sql<{ booked: number }>`SELECT booked FROM exam_category_places
          WHERE center_id = ${CENTER} AND day = ${d}::date AND pool = 'online' AND category = 'B'`.execute(
          h.ctx.db,
        )
      ).rows[0]?.booked ?? 0;
    expect(await places(day)).toBe(1);
    const holiday = await h.app.inject({
      method: 'POST',
      url: `/api/v1/admin/centers/${CENTER}/holidays`,
      headers: { cookie: head },
      payload: { day, name: 'Техобслуговування автомобіля' },
    });
    expect(holiday.statusCode).toBe(201);
    const listed = (
      await h.app.inject({ url: `${base}/conflicts`, headers: { cookie: head } })
    ).json() as Array<Conflict & { day: string }>;
    const c = listed.find((x) => x.day === day);
    if (!c) throw new Error('no exam conflict');
    const target = (await freeTimes(c.id)).find((t) => t.day === '2026-12-03');
    if (!target) throw new Error('no free exam time');
    const { tokens } = await offer(c.id, [target.slotId]);
    const res = await h.app.inject({ method: 'POST', url: `/conflict-offer/${tokens[0]}` });
    expect(res.statusCode, res.body).toBe(200);
    expect(await places('2026-12-03')).toBe(1);
    expect(await places(day)).toBe(0);
    const reg = await registration(c.registrationId);
    expect([reg.person_id, reg.exam_category, reg.day]).toEqual([personId, 'B', '2026-12-03']);
  });
  it('rules 3, 12: when the time is served again (the holiday removed) a cancelled place goes the ordinary way: held for its random return, never straight back to the pool', async () => {
    const c = conflictFor(2);
    const holidays = (
      await h.app.inject({ url: `/api/v1/admin/centers/${CENTER}/holidays`, headers: { cookie: head } })
    ).json() as Array<{ id: number; day: string }>;
    const hit = holidays.find((x) => x.day === HIT);
    if (!hit) throw new Error('no holiday');
    const removed = await h.app.inject({
      method: 'DELETE',
      url: `/api/v1/admin/centers/${CENTER}/holidays/${hit.id}`,
      headers: { cookie: head },
    });
    expect(removed.statusCode).toBe(200);
    const before = await registration(c.registrationId);
    const held = await slot(before.slot_id as number);
    const res = await h.app.inject({
      method: 'POST',
      url: `${base}/conflicts/${c.id}/cancel`,
      headers: { cookie: head },
      payload: { reason: 'Людина попросила скасувати телефоном' },
    });
    expect(res.statusCode, res.body).toBe(200);
    // Still counted in its slot until the random return (5–30 min), so nobody polling sees it.
    expect(await slot(before.slot_id as number)).toEqual(held);
    const returns = await sql<{ due_at: Date }>`SELECT due_at FROM slot_returns
      WHERE registration_id = ${c.registrationId}::uuid`.execute(h.ctx.db);
    expect(returns.rows).toHaveLength(1);
    const delay = new Date(returns.rows[0]?.due_at as Date).getTime() - new Date(NOW).getTime();
    expect(delay).toBeGreaterThanOrEqual(5 * 60_000);
    expect(delay).toBeLessThanOrEqual(30 * 60_000);
    const audit = await h.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'capacity.conflict_cancelled')
      .where('subject_id', '=', c.registrationId)
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ oldPlace: 'returning' });
  });
});
