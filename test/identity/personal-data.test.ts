import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { type AppContext, createContext } from '../../src/context.js';
import { personas } from '../../src/identity/idgovua/idgovua-personas.js';
import { fixedClock } from '../../src/platform/clock.js';
import { createLogger } from '../../src/platform/logger.js';
import { addSlot, CENTER, SERVICE, seedCatalog } from '../support/fixtures.js';
import { citizenCookie, rnokpp, staffCookie } from '../support/harness.js';
import { openTestDb, testDatabases } from '../support/test-db.js';
import { Browser, formFor } from './browser.js';

/**
 * SPEC §5: РНОКПП, passport and document numbers are never stored in clear and never logged.
 * Bookings through the API (real ID.GOV.UA emulator logins, a passport holder, a kiosk with
 * a device credential registering a priority visitor), an audited reveal; then every column of
 * every row of every table, and every log line of the run, are searched for the clear values.
 */
describe.each(testDatabases())('personal data at rest and in logs on %s', (kind) => {
  let ctx: AppContext;
  let app: FastifyInstance;
  let base: string;
  let drop: () => Promise<void>;
  const logLines: string[] = [];
  const secrets: string[] = [];

  beforeAll(async () => {
    const handle = await openTestDb(kind);
    drop = handle.drop;
    const config = loadConfig({ NODE_ENV: 'test', ANTIBOT: 'off', RATE_LIMITS: 'off', JOBS: 'off' });
    const sink = new Writable({
      write(chunk, _enc, done) {
        logLines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger('trace', sink);
    ctx = createContext({ config, handle, clock: fixedClock('2026-11-23T07:00:00Z'), logger });
    app = await buildApp(ctx, logger);
    await ctx.start(app);
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    ctx.config.publicUrl = base; // redirects are built from PUBLIC_URL: here, where it listens
    await seedCatalog(ctx.db);
  });
  afterAll(async () => {
    await app.close();
    await ctx.stop();
    await drop();
  });

  it('runs bookings and terminal registrations through the API', async () => {
    const online = await addSlot(ctx.db, { day: '2026-11-25', time: '10:00', capacity: 10 });
    // Citizens through the ID.GOV.UA emulator: an РНОКПП holder and a passport holder.
    for (const [i, id] of ['individual', 'passport'].entries()) {
      const browser = new Browser(base);
      const start = await browser.request('/auth/citizen/login');
      const page = await browser.request(start.headers.get('location') ?? '');
      const form = formFor(await page.text(), `value="${id}"`);
      await browser.follow(form.action, { form: form.fields }, (u) => !u.pathname.startsWith('/auth/'));
      const res = await browser.request('/api/v1/bookings', {
        json: { slotId: online, serviceId: SERVICE.vehicle },
        headers: { 'idempotency-key': `pii-online-${i}-0001` },
      });
      expect(res.status).toBe(201);
    }
    const individual = personas.find((p) => p.id === 'individual')?.user;
    secrets.push(String(individual?.drfocode), 'КВ123456', 'КВ 123456');

    // A passport holder through /dev/session, typing the number with Latin look-alikes.
    const typed = await citizenCookie(app, { passport: 'AB 654321' });
    secrets.push('АВ654321', 'AB 654321', 'AB654321');
    const booked = await app.inject({
      method: 'POST',
      url: '/api/v1/bookings',
      headers: { cookie: typed.cookie, 'idempotency-key': 'pii-online-passport-2' },
      payload: { slotId: online, serviceId: SERVICE.vehicle },
    });
    expect(booked.statusCode).toBe(201);

    // A kiosk: the head issues a credential, the kiosk exchanges it, registers two visitors.
    const head = await staffCookie(app, 'center_head', CENTER);
    const issued = await app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/devices`,
      headers: { cookie: head },
      payload: { kind: 'terminal', label: 'Кіоск 1' },
    });
    expect(issued.statusCode).toBe(201);
    const device = await app.inject({
      method: 'POST',
      url: '/api/v1/devices/session',
      payload: { token: issued.json().token },
    });
    expect(device.statusCode).toBe(200);
    const kiosk = { authorization: `Bearer ${device.json().token}` };
    await addSlot(ctx.db, { day: '2026-11-23', time: '12:00', capacity: 10, pool: 'terminal' });
    const visitor = rnokpp(7001);
    secrets.push(visitor, 'ВК123456', 'ВК 123456');
    const terminal = await app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: kiosk,
      payload: {
        serviceId: SERVICE.vehicle,
        person: {
          lastName: 'Мельник',
          firstName: 'Андрій',
          rnokpp: visitor,
          email: 'a.melnyk@example.com',
          phone: '+380661234567',
        },
        priority: { category: 'military', document: { type: 'military_id', number: 'ВК 123456' } },
      },
    });
    expect(terminal.statusCode).toBe(201);
    const passportVisitor = '987654321';
    secrets.push(passportVisitor);
    const terminal2 = await app.inject({
      method: 'POST',
      url: `/api/v1/centers/${CENTER}/terminal/registrations`,
      headers: kiosk,
      payload: {
        serviceId: SERVICE.vehicle,
        person: {
          lastName: 'Гнатюк',
          firstName: 'Олена',
          passport: passportVisitor,
          email: 'o.h@example.com',
        },
      },
    });
    expect(terminal2.statusCode).toBe(201);

    // A wrong request carrying an identifier in the query string and the body.
    await app.inject({ url: `/api/v1/centers/${CENTER}/slots?service=${visitor}&date=bad` });
    await app.inject({
      method: 'POST',
      url: '/dev/session',
      payload: { rnokpp: visitor.replace(/.$/, 'x'), lastName: 'Х', firstName: 'Y' },
    });

    // The operator's audited reveal returns the clear value (to the screen, not to logs), for the
    // ticket called to their desk (the priority visitor is called first).
    const operator = await staffCookie(app, 'operator', CENTER, `${CENTER}-d1`);
    const called = await app.inject({
      method: 'POST',
      url: `/api/v1/desks/${CENTER}-d1/call-next`,
      headers: { cookie: operator },
    });
    expect(called.json().id).toBe(terminal.json().id);
    const reveal = await app.inject({
      method: 'POST',
      url: `/api/v1/registrations/${terminal.json().id}/reveal-identity`,
      headers: { cookie: operator },
    });
    expect(reveal.statusCode).toBe(200);
    expect(reveal.json()).toMatchObject({ idKind: 'rnokpp', value: visitor });
    const viewed = await ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'pii.viewed')
      .execute();
    expect(viewed).toEqual([
      expect.objectContaining({ subject_id: terminal.json().id, center_id: CENTER, actor_kind: 'operator' }),
    ]);
  });

  it('no table holds an РНОКПП, passport or document number in clear text', async () => {
    const tables = await sql<{ name: string }>`
      SELECT table_name AS name FROM information_schema.tables
      WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`.execute(ctx.db);
    expect(tables.rows.map((t) => t.name)).toEqual(
      expect.arrayContaining(['persons', 'registrations', 'audit_log', 'sessions', 'outbox']),
    );
    let rowsSeen = 0;
    const found: string[] = [];
    for (const { name } of tables.rows) {
      const rows = await sql<{ row: string }>`SELECT t::text AS row FROM ${sql.table(name)} t`.execute(
        ctx.db,
      );
      rowsSeen += rows.rows.length;
      for (const { row } of rows.rows) {
        for (const s of secrets) if (row.includes(s)) found.push(`${name}: ${s}`);
      }
    }
    // The dump saw the data (a dump of nothing would pass any search).
    expect(rowsSeen).toBeGreaterThan(20);
    const persons = await ctx.db.selectFrom('persons').select(['id_enc']).execute();
    expect(persons.length).toBeGreaterThanOrEqual(5);
    expect(found).toEqual([]);
  });

  it('the logs of the run contain none of them', () => {
    const text = logLines.join('');
    expect(logLines.length).toBeGreaterThan(10);
    expect(text).toContain('/api/v1/bookings');
    const found = secrets.filter((s) => text.includes(s));
    expect(found).toEqual([]);
    // Nor any token of the login flows.
    expect(text).not.toMatch(/access_token=|code=[\w-]{10,}/);
  });
});
