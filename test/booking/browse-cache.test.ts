import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp } from '../support/harness.js';

/**
 * Browse answers for HTTP caches (the anonymous polling at 06:00 absorbed by a CDN or HAProxy):
 * every slot and calendar answer carries an ETag and `Cache-Control: public, max-age=1`, a client
 * holding the current answer gets 304 without a body, and a booking changes the tag, so a cache
 * revalidating after its second never serves the old places as current.
 */
describe('browse answers are cacheable for a second and revalidate by ETag', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness('pglite', { env: { AVAILABILITY_CACHE_MS: '60000' } });
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());

  const day = '2026-11-26';
  const slotsUrl = `/api/v1/centers/${CENTER}/slots?service=${SERVICE.vehicle}&date=${day}`;
  const calendarUrl = `/api/v1/centers/${CENTER}/availability?service=${SERVICE.vehicle}`;

  it('slots: ETag and Cache-Control; If-None-Match answers 304; a booking changes the tag', async () => {
    const slot = await addSlot(h.ctx.db, { day, time: '11:00', capacity: 2 });
    const first = await h.app.inject({ url: slotsUrl });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=1');
    const tag = first.headers.etag as string;
    expect(tag).toMatch(/^"[\w-]+"$/);

    const again = await h.app.inject({ url: slotsUrl, headers: { 'if-none-match': tag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(tag);
    // A list of tags, a weak form of ours, and `*` match too; another tag does not.
    expect(
      (await h.app.inject({ url: slotsUrl, headers: { 'if-none-match': `"x", W/${tag}` } })).statusCode,
    ).toBe(304);
    expect((await h.app.inject({ url: slotsUrl, headers: { 'if-none-match': '"other"' } })).statusCode).toBe(
      200,
    );

    const { cookie } = await citizenCookie(h.app, { rnokpp: rnokpp(911) });
    const booked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId: slot, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);
    // The old tag no longer matches: the full answer with one place fewer, under a new tag.
    const after = await h.app.inject({ url: slotsUrl, headers: { 'if-none-match': tag } });
    expect(after.statusCode).toBe(200);
    expect(after.json().find((s: { id: number }) => s.id === slot).free).toBe(1);
    expect(after.headers.etag).not.toBe(tag);
  });

  it('the calendar (free places per day) carries the same validators', async () => {
    const first = await h.app.inject({ url: calendarUrl });
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('public, max-age=1');
    const tag = first.headers.etag as string;
    expect((await h.app.inject({ url: calendarUrl, headers: { 'if-none-match': tag } })).statusCode).toBe(
      304,
    );
  });

  it('a refused read (unknown center) is not made cacheable', async () => {
    const res = await h.app.inject({
      url: `/api/v1/centers/nowhere/slots?service=${SERVICE.vehicle}&date=${day}`,
    });
    expect(res.statusCode).toBe(404);
    expect(res.headers.etag).toBeUndefined();
  });
});
