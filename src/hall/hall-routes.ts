import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { actorOf, assertCenter } from '../identity/auth.js';
import type { EventBus } from '../platform/events.js';
import { DomainError } from '../platform/problems.js';
import { deskQueueItem, deskStateView, deskTicketView } from './desk-api-schema.js';
import type { Staff } from './desk-service.js';
import { alertState, boardSnapshot, martialLawState } from './hall-api-schema.js';
import type { Hall } from './hall-service.js';
import { todayStats } from './stats-api-schema.js';
import { terminalTicket } from './terminal-api-schema.js';

const HEARTBEAT_MS = 15_000;
const RETRY_MS = 3_000;

const centerParams = z.object({ id: z.string().min(1).max(64) });
const regParams = z.object({ id: z.string().uuid() });
const deskParams = z.object({ id: z.string().min(1).max(64) });
const staffAccess = { access: ['operator', 'center_head', 'national_admin'] as const };
const name = z.string().trim().min(1).max(100);

const terminalBody = z.object({
  serviceId: z.string().min(1).max(64),
  callTime: z.iso.datetime({ offset: true }).nullish(),
  person: z.object({
    lastName: name,
    firstName: name,
    middleName: z.string().trim().max(100).nullish(),
    rnokpp: z.string().max(20).nullish(),
    passport: z.string().max(20).nullish(),
    phone: z.string().max(30).nullish(),
    email: z.string().trim().min(3).max(254),
  }),
  legalEntity: z
    .object({
      edrpou: z.string().regex(/^\d{8}$/, 'ЄДРПОУ: 8 цифр'),
      name: z.string().trim().min(1).max(300),
    })
    .nullish(),
  /** Practical exams: the vehicle category (SPEC §2 Exams). */
  examCategory: z
    .string()
    .regex(/^[A-Z][A-Z0-9]{0,3}$/)
    .nullish(),
  priority: z
    .object({
      category: z.enum(['disability', 'disability_companion', 'fallen_defender_family', 'military']),
      document: z.object({
        type: z.string().trim().min(1).max(60),
        number: z.string().trim().min(1).max(40),
      }),
    })
    .nullish(),
});

function staffOf(request: FastifyRequest): Staff {
  const p = request.principal;
  if (!p) throw new DomainError('UNAUTHENTICATED');
  return {
    role: p.role,
    centerId: p.centerId,
    deskId: p.deskId,
    actor: actorOf(request),
    staffId: p.staffId,
  };
}

/** Routes of the hall: kiosk, desks, alert switch, board (snapshot + SSE) and day statistics. */
export const hallRoutes =
  (ctx: { hall: Hall; events: Pick<EventBus, 'onResync'> }): FastifyPluginAsyncZod =>
  async (app) => {
    const streams = new Set<ServerResponse>();
    app.addHook('preClose', async () => {
      for (const s of streams) s.end();
    });

    app.post(
      '/api/v1/centers/:id/terminal/registrations',
      {
        config: { access: ['terminal', 'operator', 'center_head'], rateLimit: 'terminal' },
        schema: {
          tags: ['hall'],
          summary: 'Реєстрація через термінал (день у день)',
          params: centerParams,
          body: terminalBody,
          response: { 201: terminalTicket },
        },
      },
      async (request, reply) => {
        assertCenter(request, request.params.id);
        const b = request.body;
        const result = await ctx.hall.terminal.register({
          centerId: request.params.id,
          serviceId: b.serviceId,
          callTime: b.callTime ? new Date(b.callTime) : null,
          person: { ...b.person, email: b.person.email },
          legalEntity: b.legalEntity ?? null,
          examCategory: b.examCategory ?? null,
          priority: b.priority ?? null,
          actor: actorOf(request),
        });
        return reply.status(201).send(result);
      },
    );

    app.get(
      '/api/v1/desks/:id',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Робоче місце: поточний і відкладені талони, черга, працівник',
          params: deskParams,
          response: { 200: deskStateView },
        },
      },
      async (request) => ctx.hall.desk.state(staffOf(request), request.params.id),
    );

    app.get(
      '/api/v1/desks/:id/queue',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Черга робочого місця в порядку виклику',
          params: deskParams,
          response: { 200: z.array(deskQueueItem) },
        },
      },
      async (request) => ctx.hall.desk.queue(staffOf(request), request.params.id),
    );

    app.post(
      '/api/v1/desks/:id/call-next',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Викликати наступного (204, якщо нікого викликати)',
          params: deskParams,
          response: { 200: deskTicketView, 204: z.null().describe('Нікого викликати') },
        },
      },
      async (request, reply) => {
        const called = await ctx.hall.desk.callNext(staffOf(request), request.params.id);
        return called ? called : reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/registrations/:id/recall',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Викликати повторно',
          params: regParams,
          response: { 200: deskTicketView },
        },
      },
      async (request) => ctx.hall.desk.recall(staffOf(request), request.params.id),
    );
    app.post(
      '/api/v1/registrations/:id/transfer',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Перенаправити до іншої групи послуг',
          params: regParams,
          body: z.object({ groupId: z.string().min(1).max(64) }),
          response: { 200: deskTicketView },
        },
      },
      async (request) => ctx.hall.desk.transfer(staffOf(request), request.params.id, request.body.groupId),
    );
    app.post(
      '/api/v1/registrations/:id/park',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Відкласти',
          params: regParams,
          response: { 200: deskTicketView },
        },
      },
      async (request) => ctx.hall.desk.park(staffOf(request), request.params.id),
    );
    app.post(
      '/api/v1/registrations/:id/unpark',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Повернути до черги',
          params: regParams,
          response: { 200: deskTicketView },
        },
      },
      async (request) => ctx.hall.desk.unpark(staffOf(request), request.params.id),
    );
    app.post(
      '/api/v1/registrations/:id/outcome',
      {
        config: staffAccess,
        schema: {
          tags: ['hall'],
          summary: 'Результат прийому',
          params: regParams,
          body: z.object({
            outcome: z.enum(['served', 'refused_mismatch', 'no_show']),
            examPassed: z.boolean().optional(),
          }),
          response: { 200: deskTicketView },
        },
      },
      async (request) =>
        ctx.hall.desk.outcome(
          staffOf(request),
          request.params.id,
          request.body.outcome,
          request.body.examPassed ?? null,
        ),
    );

    app.get(
      '/api/v1/centers/:id/alert',
      {
        config: { access: 'public' },
        schema: {
          tags: ['hall'],
          summary: 'Стан тривоги',
          params: centerParams,
          response: { 200: alertState },
        },
      },
      async (request) => ctx.hall.alerts.state(request.params.id),
    );
    app.post(
      '/api/v1/centers/:id/alert',
      {
        config: { access: ['center_head', 'national_admin'] },
        schema: {
          tags: ['hall'],
          summary: 'Повітряна тривога: увімкнути / відбій',
          params: centerParams,
          body: z.object({ active: z.boolean() }),
          response: { 200: alertState },
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        return ctx.hall.alerts.setManual(request.params.id, request.body.active, actorOf(request));
      },
    );

    app.get(
      '/api/v1/admin/settings/martial-law',
      {
        config: { access: ['national_admin', 'center_head'] },
        schema: { tags: ['admin'], summary: 'Воєнний стан', response: { 200: martialLawState } },
      },
      async () => ctx.hall.alerts.martialLaw(),
    );
    app.put(
      '/api/v1/admin/settings/martial-law',
      {
        config: { access: ['national_admin'] },
        schema: {
          tags: ['admin'],
          summary: 'Воєнний стан: увімкнути / вимкнути',
          body: z.object({ active: z.boolean() }),
          response: { 200: martialLawState },
        },
      },
      async (request) => ctx.hall.alerts.setMartialLaw(request.body.active, actorOf(request)),
    );

    app.get(
      '/api/v1/centers/:id/board',
      {
        config: { access: 'public', rateLimit: 'reads' },
        schema: {
          tags: ['hall'],
          summary: 'Табло: знімок',
          params: centerParams,
          response: { 200: boardSnapshot },
        },
      },
      async (request) => ctx.hall.board.snapshot(request.params.id),
    );

    app.get(
      '/api/v1/centers/:id/board/events',
      {
        config: { access: 'public', rateLimit: 'reads' },
        schema: { tags: ['hall'], summary: 'Табло: події (Server-Sent Events)', params: centerParams },
      },
      async (request, reply) => {
        const raw = reply.raw;
        let open = false;
        let closed = false;
        let missedResync = false;
        let unsubscribe: (() => Promise<void>) | undefined;
        let heartbeat: NodeJS.Timeout | undefined;
        const send = (type: string, data: unknown) => {
          if (open && !closed) raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
        };
        // Live events were lost while the database connection that listens was away: the board
        // takes a fresh snapshot.
        const stopResync = ctx.events.onResync(() => {
          if (open) send('resync', {});
          else missedResync = true;
        });
        // Registered before the first await: a client that leaves while we subscribe must not
        // leave its handler and heartbeat behind.
        raw.once('close', () => {
          closed = true;
          clearInterval(heartbeat);
          streams.delete(raw);
          stopResync();
          void unsubscribe?.();
        });
        // Subscribing first checks the center, so an unknown one still gets a problem answer.
        unsubscribe = await ctx.hall.board.subscribe(request.params.id, (e) => send(e.type, e.data));
        reply.hijack();
        if (closed) {
          void unsubscribe();
          return;
        }
        raw.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        raw.write(`retry: ${RETRY_MS}\n: connected\n\n`);
        open = true;
        if (missedResync) send('resync', {});
        streams.add(raw);
        heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS);
        heartbeat.unref();
      },
    );

    app.get(
      '/api/v1/centers/:id/stats/today',
      {
        config: { access: ['operator', 'center_head', 'national_admin'] },
        schema: {
          tags: ['hall'],
          summary: 'Статистика центру за сьогодні',
          params: centerParams,
          response: { 200: todayStats },
        },
      },
      async (request) => {
        assertCenter(request, request.params.id);
        return ctx.hall.board.stats(request.params.id);
      },
    );
  };
