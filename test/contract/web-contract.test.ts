import { describe, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { auditPage } from '../../src/audit/audit-api-schema.js';
import type { meView, myBookingView } from '../../src/booking/booking-api-schema.js';
import type { staffView } from '../../src/capacity/capacity-api-schema.js';
import { centerView, serviceView } from '../../src/catalog/catalog-api-schema.js';
import type { antibotChallenge } from '../../src/fairness/fairness-api-schema.js';
import type { deskQueueItem, deskStateView, deskTicketView } from '../../src/hall/desk-api-schema.js';
import type { alertState } from '../../src/hall/hall-api-schema.js';
import type { todayStats } from '../../src/hall/stats-api-schema.js';
import type { deviceView, sessionView } from '../../src/identity/identity-api-schema.js';
import type { DeskState, DeskTicket, QueueItem } from '../../web/operator/use-desk.js';
import type { Booked } from '../../web/portal/book.js';
import type { Answer, Center, Me, MyBooking, Service, Wire } from '../../web/shared/api.js';
import type { Challenge } from '../../web/shared/pow-worker.js';
import type { SessionInfo } from '../../web/shared/session.js';

/**
 * One typed contract: the web's types are the server's response schemas as they travel (Wire).
 * The checks below are compile-time (`npm run typecheck` reads test/): if a response field is
 * renamed on the server, a line marked @ts-expect-error stops being an error and the type-check
 * fails, and so does every screen that reads the old name.
 */
describe('one contract for server and web', () => {
  it('the web reads the catalogue exactly as the server declares it', () => {
    expectTypeOf<Center>().toEqualTypeOf<Wire<z.output<typeof centerView>>>();
    expectTypeOf<Service>().toEqualTypeOf<Wire<z.output<typeof serviceView>>>();
    expectTypeOf<Center['workingHours']>().not.toBeAny();
  });

  it('the portal reads the profile, the registrations and the session as the server declares them', () => {
    expectTypeOf<Me>().toEqualTypeOf<Answer<typeof meView>>();
    expectTypeOf<MyBooking>().toEqualTypeOf<Answer<typeof myBookingView>>();
    expectTypeOf<SessionInfo>().toEqualTypeOf<Answer<typeof sessionView>>();
    expectTypeOf<MyBooking['status']>().not.toBeAny();
    expectTypeOf<Me['limits']['online']['used']>().toEqualTypeOf<number>();
    // A booking answers 201 (a place, with its ticket number) or 202 (a lottery entry).
    expectTypeOf<Booked['status']>().toEqualTypeOf<'booked' | 'pending'>();
    expectTypeOf<Booked['number']>().toEqualTypeOf<number | null | undefined>();
    // A lottery entry tells when its draw decides it (null otherwise).
    expectTypeOf<MyBooking['decidesAt']>().toEqualTypeOf<string | null>();
    // @ts-expect-error the feedback the old hand-written type promised and the server never sent
    const feedback: MyBooking['feedback'] = null;
    void feedback;
  });

  it('the proof-of-work worker solves the challenge the server declares', () => {
    expectTypeOf<Challenge>().toEqualTypeOf<Answer<typeof antibotChallenge>>();
    expectTypeOf<Challenge['maxnumber']>().toEqualTypeOf<number>();
    // @ts-expect-error the camel-case spelling the worker used to hedge with
    const hedge: Challenge['maxNumber'] = 0;
    void hedge;
  });

  it('dates travel as ISO strings', () => {
    expectTypeOf<Answer<typeof deviceView>['createdAt']>().toEqualTypeOf<string>();
    expectTypeOf<Answer<typeof deviceView>['revokedAt']>().toEqualTypeOf<string | null>();
    expectTypeOf<Answer<typeof auditPage>['items'][number]['at']>().toEqualTypeOf<string>();
  });

  it('a field the server does not send is a type error on the web', () => {
    type Staff = Answer<typeof staffView>;
    // @ts-expect-error the old snake_case spelling the admin screen used to hedge with
    const hedge: Staff['full_name'] = '';
    void hedge;
    expectTypeOf<Staff>().toHaveProperty('fullName');
  });

  it('the operator workstation reads the desk, its ticket and its queue as the server declares them', () => {
    expectTypeOf<DeskState>().toEqualTypeOf<Answer<typeof deskStateView>>();
    expectTypeOf<DeskTicket>().toEqualTypeOf<Answer<typeof deskTicketView>>();
    expectTypeOf<QueueItem>().toEqualTypeOf<Answer<typeof deskQueueItem>>();
    expectTypeOf<QueueItem['arrivedAt']>().toEqualTypeOf<string | null>();
  });

  it('the day statistics and the alert carry no shapes the server never sends', () => {
    type Today = Answer<typeof todayStats>;
    // @ts-expect-error free places were once hedged as a bare number; the server sends an object
    const free: Today['freeToday'] = 3;
    void free;
    expectTypeOf<Today['perDesk'][number]['averageServiceSeconds']>().toEqualTypeOf<number | null>();
    // The alert's `since` is always there: null when off, never missing.
    expectTypeOf<Answer<typeof alertState>['since']>().toEqualTypeOf<string | null>();
  });

  it('the schemas the web imports are plain data: they parse real answers', () => {
    const center = {
      id: 'c',
      code: '1',
      name: 'ТСЦ',
      region: 'Київ',
      address: 'вул. 1',
      latitude: null,
      longitude: null,
      workingHours: { '1': { open: '09:00', close: '18:00' } },
      examCategories: ['B'],
      nameEn: 'TSC',
      addressEn: null,
    };
    expectTypeOf(centerView.parse(center)).toEqualTypeOf<z.output<typeof centerView>>();
    serviceView.parse({
      id: 's',
      code: 'x',
      name: 'Реєстрація',
      group: 'g',
      groupName: 'Група',
      isExam: false,
      examCategories: [],
      documents: [],
      price: null,
      nameEn: null,
      documentsEn: [],
      priceEn: null,
    });
  });
});
