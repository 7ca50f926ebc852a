import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, citizenOf } from '../identity/auth.js';
import { parsePassport } from '../identity/identifiers.js';
import { admission } from '../platform/admission.js';
import { isDay } from '../platform/kyiv-time.js';
import { encodedAnswer, notModified, SLOTS_MAX_AGE_SECONDS } from './availability-service.js';
import {
  availabilityView,
  blockLiftedView,
  bookedView,
  cancelledView,
  meView,
  movedView,
  myBookingView,
  pendingView,
  slotView,
} from './booking-api-schema.js';
import type { BookingService } from './booking-service.js';

const day = z.string().refine(isDay, 'Очікується дата у форматі YYYY-MM-DD');
const idempotencyKey = z
  .string()
  .min(8)
  .max(128)
  .regex(/^[\w.:-]+$/);

const bookingBody = z.object({
  slotId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  serviceId: z.string().min(1).max(64),
  legalEntity: z
    .object({
      edrpou: z.string().regex(/^\d{8}$/, 'ЄДРПОУ: 8 цифр'),
      name: z.string().min(1).max(300).optional(),
    })
    .nullish(),
  /** Practical exams: the vehicle category (SPEC §2 Exams). */
  examCategory: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,3}$/)
    .nullish(),
  /** Solved proof-of-work payload (SPEC 3.9), checked by the fairness layer. */
  altcha: z.string().max(4096).optional(),
  /** Priority categories register only at the terminal (SPEC 3.5). */
  priority: z.unknown().optional(),
});

/** Rule 8: a practical exam's vehicle category narrows the free places to what it has left. */
const examCategoryQuery = z
  .string()
  .regex(/^[A-Z][A-Z0-9]{0,3}$/)
  .optional();

const rescheduleBody = z.object({
  slotId: z.union([z.number().int().positive(), z.string().regex(/^\d+$/).transform(Number)]),
  /** Solved proof-of-work payload (SPEC 3.9), checked by the fairness layer. */
  altcha: z.string().max(4096).optional(),
});

/** Lifting a block names the person by document: the number is normalised here, refused if malformed. */
const liftBody = z
  .object({
    idKind: z.enum(['rnokpp', 'passport']),
    idValue: z.string().min(6).max(20),
    reason: z.string().trim().min(5, 'Вкажіть причину').max(1000),
    centerId: z.string().max(64).optional(),
  })
  .transform((body, check) => {
    const idValue = body.idKind === 'passport' ? parsePassport(body.idValue)?.value : body.idValue.trim();
    if (!idValue || (body.idKind === 'rnokpp' && !/^\d{10}$/.test(idValue))) {
      check.addIssue({ code: 'custom', path: ['idValue'], message: 'Невірний номер документа' });
      return z.NEVER;
    }
    return { ...body, idValue };
  });

/** Rule 13's arrival facts of a registration (null where the hall has none). */
interface Arrival {
  checkInCode: string | null;
  checkedInAt: string | null;
  position: number | null;
  expectedCallAt: string | null;
}
const noArrival: Arrival = { checkInCode: null, checkedInAt: null, position: null, expectedCallAt: null };

/**
 * A public browse answer that a CDN or HAProxy cache may keep for a second (ETag, Cache-Control);
 * a client that already holds it gets 304 without a body. Sent as bytes made once per answer
 * (`encodedAnswer`, checked against `schema`, the route's own response schema).
 */
function cacheable(
  ifNoneMatch: string | undefined,
  reply: FastifyReply,
  answer: object,
  schema: { parse(data: unknown): unknown },
) {
  const { tag, body } = encodedAnswer(answer, schema);
  reply.header('etag', tag).header('cache-control', `public, max-age=${SLOTS_MAX_AGE_SECONDS}`);
  if (notModified(ifNoneMatch, tag)) return reply.code(304).send();
  return reply.type('application/json; charset=utf-8').send(body);
}

const slotsAnswer = z.array(slotView);

export const bookingRoutes =
  (ctx: {
    booking: BookingService;
    /** Rule 13, from the hall: each registration's arrival code, check-in time and live position. */
    arrivals?: {
      enrich<B extends { id: string }>(personId: string, bookings: B[]): Promise<Array<B & Arrival>>;
    };
  }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/centers/:id/slots',
      {
        config: { access: 'public', rateLimit: 'slots' },
        schema: {
          tags: ['booking'],
          summary: 'Вільні онлайн-місця центру на день',
          params: z.object({ id: z.string().max(64) }),
          querystring: z.object({
            service: z.string().min(1).max(64),
            date: day,
            category: examCategoryQuery,
          }),
          response: { 200: slotsAnswer },
        },
      },
      async (request, reply) => {
        const slots = await ctx.booking.availability(
          request.params.id,
          request.query.service,
          request.query.date,
          request.query.category ?? null,
        );
        return cacheable(request.headers['if-none-match'], reply, slots, slotsAnswer);
      },
    );

    app.get(
      '/api/v1/centers/:id/availability',
      {
        config: { access: 'public', rateLimit: 'reads' },
        schema: {
          tags: ['booking'],
          summary: 'Вільні онлайн-місця центру по днях (D+1 … D+21)',
          params: z.object({ id: z.string().max(64) }),
          querystring: z.object({ service: z.string().min(1).max(64), category: examCategoryQuery }),
          response: { 200: availabilityView },
        },
      },
      async (request, reply) =>
        cacheable(
          request.headers['if-none-match'],
          reply,
          await ctx.booking.availabilityByDay(
            request.params.id,
            request.query.service,
            request.query.category ?? null,
          ),
          availabilityView,
        ),
    );

    app.get(
      '/api/v1/me',
      {
        config: { access: ['citizen'] },
        schema: { tags: ['citizen'], summary: 'Профіль, ліміти, блокування', response: { 200: meView } },
      },
      async (request) => {
        const citizen = citizenOf(request);
        return ctx.booking.me(citizen.personId, citizen.legalEntity);
      },
    );

    app.get(
      '/api/v1/me/bookings',
      {
        config: { access: ['citizen'] },
        schema: { tags: ['citizen'], summary: 'Мої записи', response: { 200: z.array(myBookingView) } },
      },
      async (request) => {
        const { personId } = citizenOf(request);
        const mine = await ctx.booking.myBookings(personId);
        // Rule 13: arrival code, check-in time and live position, from the hall.
        return ctx.arrivals ? ctx.arrivals.enrich(personId, mine) : mine.map((b) => ({ ...b, ...noArrival }));
      },
    );

    app.post(
      '/api/v1/bookings',
      {
        // Every booking attempt (and with it a lottery entry) is counted and pays a proof-of-work;
        // `book` reads the request's facts while the proof is claimed and awaits its verdict
        // before anything else (one round trip fewer at the release moment, #19).
        config: { access: ['citizen'], rateLimit: 'bookings', antibot: 'handler' },
        schema: {
          tags: ['booking'],
          summary: 'Записатися онлайн',
          body: bookingBody,
          headers: z.object({ 'idempotency-key': idempotencyKey.optional() }).passthrough(),
          // 202: until the released day's draw has committed, the request is a lottery entry.
          response: { 201: bookedView, 202: pendingView },
        },
      },
      async (request, reply) => {
        const citizen = citizenOf(request);
        const result = await ctx.booking.book({
          personId: citizen.personId,
          priority: Boolean(request.body.priority),
          slotId: request.body.slotId,
          serviceId: request.body.serviceId,
          legalEntity: request.body.legalEntity ?? null,
          examCategory: request.body.examCategory ?? null,
          representedEntity: citizen.legalEntity,
          anyEntity: request.principal?.data.anyEntity === true,
          idempotencyKey: request.headers['idempotency-key'],
          actor: actorOf(request),
          admitted: admission(request),
        });
        return reply.status(result.status).send(result.body);
      },
    );

    app.post(
      '/api/v1/bookings/:id/cancel',
      {
        // The owner's own registration, inside the cancel window: nothing to count.
        config: { access: ['citizen'], rateLimit: false },
        schema: {
          tags: ['booking'],
          summary: 'Скасувати запис',
          params: z.object({ id: z.string().uuid() }),
          response: { 200: cancelledView },
        },
      },
      async (request) =>
        ctx.booking.cancel({
          personId: citizenOf(request).personId,
          registrationId: request.params.id,
          actor: actorOf(request),
        }),
    );

    app.post(
      '/api/v1/bookings/:id/reschedule',
      {
        // A move claims a place like a booking: counted per identity and address, and it pays a proof-of-work.
        config: { access: ['citizen'], rateLimit: 'bookings', antibot: true },
        schema: {
          tags: ['booking'],
          summary: 'Перенести запис на інший час (той самий запис, до 2 разів)',
          params: z.object({ id: z.string().uuid() }),
          body: rescheduleBody,
          headers: z.object({ 'idempotency-key': idempotencyKey.optional() }).passthrough(),
          response: { 200: movedView },
        },
      },
      async (request) =>
        ctx.booking.reschedule({
          personId: citizenOf(request).personId,
          registrationId: request.params.id,
          slotId: request.body.slotId,
          idempotencyKey: request.headers['idempotency-key'],
          actor: actorOf(request),
        }),
    );

    app.post(
      '/api/v1/admin/blocks/lift',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['admin'],
          summary: 'Зняти блокування за неявки (особисте звернення, з причиною)',
          body: liftBody,
          response: { 200: blockLiftedView },
        },
      },
      async (request) => {
        const { idKind, idValue, reason } = request.body;
        const principal = request.principal;
        return ctx.booking.liftBlock({
          idKind,
          idValue,
          reason,
          headCenterId: principal?.centerId ?? null,
          isNationalAdmin: principal?.role === 'national_admin',
          actor: actorOf(request),
        });
      },
    );
  };
