import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { terminalTicket } from '../../src/notify/email-templates.js';
import type { RegistrationView } from '../../src/notify/message-store.js';
import { enqueue } from '../../src/notify/outbox-store.js';
import { kiosk } from '../hall/hall-support.js';
import { addSlot, CENTER, seedCatalog } from '../support/fixtures.js';
import { createHarness, type Harness, staffCookie } from '../support/harness.js';
import { testDatabases } from '../support/test-db.js';
import { bookOnline, clearOutbox, setDocuments } from './notify-fixtures.js';
import { SmtpSink } from './smtp-sink.js';

const TODAY = '2026-11-23';

describe.each(testDatabases())('e-mails: times, links, greetings, priority documents on %s', (kind) => {
  let h: Harness;
  let sink: SmtpSink;
  let term: string;
  beforeAll(async () => {
    sink = await new SmtpSink().start();
    h = await createHarness(kind, {
      env: { SMTP_URL: sink.url, PUBLIC_URL: 'https://e-zapys.example', OUTBOX_POLL_MS: String(3_600_000) },
    });
    await seedCatalog(h.ctx.db);
    await setDocuments(h);
    await addSlot(h.ctx.db, { day: TODAY, time: '08:30', capacity: 20, pool: 'terminal', minutes: 240 });
  });
  afterAll(async () => {
    await h.close();
    await sink.stop();
  });
  beforeEach(async () => {
    sink.received.length = 0;
    h.clock.set('2026-11-23T07:00:00Z'); // 09:00 in Kyiv
    term = await staffCookie(h.app, 'terminal', CENTER);
    await clearOutbox(h);
  });

  it('rule 7: a delay mail sent at 09:49 never announces an expected time before 09:49: now plus the queue ahead', async () => {
    const ids: string[] = [];
    for (const seed of [1, 2, 3]) {
      h.clock.advance(1000); // arrival order is the queue order
      const res = await kiosk(h.app, term, { seed: 100 + seed });
      expect(res.statusCode).toBe(201);
      ids.push((res.json() as { id: string }).id);
    }
    await clearOutbox(h);
    h.clock.set('2026-11-23T07:49:00Z'); // the all-clear, 09:49 in Kyiv
    // The call times moved by the pause land at 09:41: already past when the mail leaves.
    for (const id of [ids[0], ids[2]])
      await enqueue(h.ctx.db, h.clock.now(), {
        template: 'alert_delay',
        recipient: 'guest@example.com',
        payload: { registrationId: id, newCallAt: '2026-11-23T07:41:00.000Z' },
      });
    await h.ctx.notify.worker.drain();
    const mails = sink.inOrder();
    expect(mails).toHaveLength(2);
    for (const m of mails) {
      expect(m.subject).not.toContain('09:41');
      expect(m.text).not.toContain('09:41');
    }
    // First in the queue: called as soon as a desk is free, i.e. from now.
    expect(mails[0]?.text).toContain('Новий очікуваний час виклику: 23.11.2026 09:49');
    // Two people ahead, two desks serve the group, 15 minutes each: one round later.
    expect(mails[1]?.subject).toContain('орієнтовно 10:04');
    expect(mails[1]?.text).toContain('Новий очікуваний час виклику: 23.11.2026 10:04');
  });

  it('rule 10: the portal link and the calendar file lead to "my registrations", not to the front page', async () => {
    await bookOnline(h, { time: '15:00', email: 'olena@example.com' });
    await h.ctx.notify.worker.drain();
    const mail = sink.inOrder()[0];
    if (!mail) throw new Error('no mail');
    expect(mail.text).toContain('Мої записи на порталі: https://e-zapys.example/my');
    expect(mail.html).toContain('href="https://e-zapys.example/my"');
    expect(mail.text).not.toMatch(/https:\/\/e-zapys\.example\/(\s|$)/);
    const ics = mail.attachments.find((a) => a.contentType === 'text/calendar');
    expect(ics?.content).toContain('https://e-zapys.example/my');
  });

  it('rule 5: the priority ticket mail names the original document to show at the desk', async () => {
    const res = await kiosk(h.app, term, {
      seed: 200,
      priority: {
        category: 'fallen_defender_family',
        document: { type: 'certificate', number: 'АБ 123456' },
      },
    });
    expect(res.statusCode).toBe(201);
    await h.ctx.notify.worker.drain();
    const mail = sink.inOrder().find((m) => m.subject.startsWith('Ваш електронний талон'));
    if (!mail) throw new Error('no ticket mail');
    expect(mail.text).toContain(
      'Оригінал посвідчення члена сім’ї загиблого (померлого) Захисника чи Захисниці України — покажіть його у вікні, коли вас викличуть',
    );
    // The document's number itself never goes into a mail.
    expect(mail.raw).not.toContain('123456');
  });

  it('rule 11: the rating page of the mail link has the portal’s look: header, card, labelled controls, a way to "my registrations"', async () => {
    const res = await h.app.inject({ url: '/feedback/not-a-token' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('<html lang="uk">');
    expect(res.body).toMatch(/<header>.*Е-Запис.*Сервісні центри МВС/s);
    expect(res.body).toContain('<main id="main">');
    expect(res.body).toContain('--blue:#0a4a94');
    expect(res.body).toContain('<a class="button" href="/my">Мої записи</a>');
  });

  it('a plain ticket mail does not ask for a priority document', async () => {
    expect((await kiosk(h.app, term, { seed: 300 })).statusCode).toBe(201);
    await h.ctx.notify.worker.drain();
    const mail = sink.inOrder().find((m) => m.subject.startsWith('Ваш електронний талон'));
    expect(mail?.text).not.toContain('Оригінал');
  });
});

const view = (person: Partial<RegistrationView['person']>): RegistrationView => ({
  id: '00000000-0000-4000-8000-000000000001',
  number: 1000,
  channel: 'terminal',
  status: 'booked',
  day: TODAY,
  startsAt: new Date('2026-11-23T08:00:00Z'),
  endsAt: null,
  callAt: new Date('2026-11-23T08:00:00Z'),
  priority: null,
  deskId: null,
  centerId: CENTER,
  centerName: 'ТСЦ МВС № 8041',
  centerAddress: 'м. Київ, вул. Тестова, 1',
  serviceName: 'Реєстрація транспортного засобу',
  documents: [],
  price: null,
  person: {
    id: 'p',
    lastName: 'Шевченко',
    firstName: 'Тарас',
    middleName: null,
    email: null,
    phone: null,
    lang: 'uk',
    ...person,
  },
});

describe('e-mail greetings are the same in every mail', () => {
  const ctx = { portalUrl: 'https://e-zapys.example', cancelBeforeMinutes: 120 };

  it('a name typed in capitals or small letters at the kiosk is written like one typed properly', () => {
    const typed = terminalTicket(
      view({ lastName: 'КОВАЛЕНКО-ПЕТРЕНКО', firstName: 'олена', middleName: 'ІВАНІВНА' }),
      ctx,
    );
    expect(typed.text).toContain('Добрий день, Олена Іванівна Коваленко-Петренко!');
    expect(terminalTicket(view({ lastName: "Д'Арк", firstName: 'Жанна' }), ctx).text).toContain(
      "Добрий день, Жанна Д'Арк!",
    );
    expect(terminalTicket(view({ lang: 'en', firstName: 'OLENA', lastName: 'koval' }), ctx).text).toContain(
      'Hello, Olena Koval!',
    );
  });

  it('without a name the greeting has no empty comma', () => {
    expect(terminalTicket(view({ lastName: '', firstName: '' }), ctx).text).toContain('Добрий день!\n');
  });
});

describe('the kiosk ticket mail of a legal entity', () => {
  it('§2 legal entities: the ticket mail names the entity the representative came for', () => {
    const entity = {
      ...view({}),
      legalEntity: { edrpou: '32855961', name: 'ТОВ «Автолюкс-Київ»' },
    } as RegistrationView;
    const mail = terminalTicket(entity, { portalUrl: 'https://e-zapys.example', cancelBeforeMinutes: 120 });
    expect(mail.text).toContain('ТОВ «Автолюкс-Київ» (ЄДРПОУ 32855961)');
    expect(mail.text).toContain('Очікуваний час виклику');
  });
});
