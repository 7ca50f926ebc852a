import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, createHarness, type Harness, rnokpp, staffCookie } from '../support/harness.js';
import { resetDatabase } from '../support/reset.js';
import type { DbKind } from '../support/test-db.js';

export const TODAY = '2026-11-23';

export interface Hall {
  h: Harness;
  /** Session cookies of the center's terminal, an operator and the head. */
  term: string;
  op: string;
  head: string;
}

/**
 * The set-up the hall test files share: one harness with the catalogue per file, and before
 * each test an empty hall at 09:00 Kyiv (a Monday) with the terminal, an operator and the head
 * of CENTER signed in. `use` receives them before each test.
 */
export function hallFixture(kind: DbKind, use: (hall: Hall) => void) {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness(kind);
    await seedCatalog(h.ctx.db);
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await resetHall(h);
    h.clock.set('2026-11-23T07:00:00Z');
    use({
      h,
      term: await staffCookie(h.app, 'terminal', CENTER),
      op: await staffCookie(h.app, 'operator', CENTER),
      head: await staffCookie(h.app, 'center_head', CENTER),
    });
  });
}
export const DESK = { d1: `${CENTER}-d1`, d2: `${CENTER}-d2`, d3: `${CENTER}-d3` };

export interface TerminalOptions {
  seed: number;
  service?: string;
  priority?: { category: string; document: { type: string; number: string } };
  legalEntity?: { edrpou: string; name: string };
  center?: string;
  person?: Record<string, unknown>;
}

export function terminalPayload(o: TerminalOptions) {
  return {
    serviceId: o.service ?? SERVICE.vehicle,
    person: {
      lastName: 'Коваленко',
      firstName: `Гість${o.seed}`,
      rnokpp: rnokpp(5000 + o.seed),
      phone: '+380501234567',
      email: `guest${o.seed}@example.com`,
      ...o.person,
    },
    ...(o.legalEntity ? { legalEntity: o.legalEntity } : {}),
    ...(o.priority ? { priority: o.priority } : {}),
  };
}

export async function kiosk(app: FastifyInstance, cookie: string, o: TerminalOptions) {
  return app.inject({
    method: 'POST',
    url: `/api/v1/centers/${o.center ?? CENTER}/terminal/registrations`,
    headers: { cookie },
    payload: terminalPayload(o),
  });
}

export async function post(app: FastifyInstance, cookie: string, url: string, payload?: object) {
  return app.inject({ method: 'POST', url, headers: { cookie }, ...(payload ? { payload } : {}) });
}

export const callNext = (app: FastifyInstance, cookie: string, desk: string) =>
  post(app, cookie, `/api/v1/desks/${desk}/call-next`);
export const outcome = (app: FastifyInstance, cookie: string, id: string, o: string, examPassed?: boolean) =>
  post(app, cookie, `/api/v1/registrations/${id}/outcome`, {
    outcome: o,
    ...(examPassed === undefined ? {} : { examPassed }),
  });

/**
 * An online registration for today: booked through the API the day before (the online horizon
 * starts tomorrow), then the clock goes back to `now`.
 */
export async function onlineToday(h: Harness, slotId: number, seed: number, serviceId = SERVICE.vehicle) {
  const now = h.clock.now();
  // Seconds apart by seed, so creation order (the last tie-break of rule 6) is the seed order.
  h.clock.set(new Date(Date.parse('2026-11-22T08:00:00Z') + seed * 1000));
  try {
    const { cookie, personId } = await citizenCookie(h.app, {
      rnokpp: rnokpp(9000 + seed),
      email: `online${seed}@example.com`,
    });
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie },
      payload: { slotId, serviceId },
    });
    if (res.statusCode !== 201) throw new Error(`online booking failed: ${res.statusCode} ${res.body}`);
    return { ...(res.json() as { id: string; number: number }), personId };
  } finally {
    h.clock.set(now);
  }
}

/** Clears the hall state between tests: every table but the catalogue; martial law on. */
export async function resetHall(h: Harness) {
  await resetDatabase(h.ctx.db);
  await h.ctx.db
    .updateTable('settings')
    .set({ value: JSON.stringify(true) })
    .where('key', '=', 'martial_law')
    .execute();
}

/** Reads a Server-Sent Events stream until `until` says enough; returns the raw text. */
export async function readSse(url: string, until: (text: string) => boolean, onOpen: () => Promise<void>) {
  const abort = new AbortController();
  const res = await fetch(url, { signal: abort.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let text = '';
  const first = await reader.read();
  text += decoder.decode(first.value);
  await onOpen();
  const deadline = Date.now() + 5000;
  while (!until(text) && Date.now() < deadline) {
    const chunk = await Promise.race([
      reader.read(),
      new Promise<{ value: undefined; done: true }>((r) =>
        setTimeout(() => r({ value: undefined, done: true }), deadline - Date.now()),
      ),
    ]);
    if (chunk.value) text += decoder.decode(chunk.value);
    if (chunk.done) break;
  }
  abort.abort();
  return text;
}

export function parseSse(text: string) {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: eventLine?.slice(7), data: JSON.parse(dataLine?.slice(6) ?? '{}') };
    });
}
