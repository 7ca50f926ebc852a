import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { audit } from '../audit/audit-store.js';
import type { AppContext } from '../context.js';
import { DomainError } from '../platform/problems.js';
import { secureCookiesFor, setSessionCookie } from './auth.js';
import { isValidEdrpou, isValidRnokpp, normalizePhone, parsePassport } from './identifiers.js';
import { upsertPerson } from './person-store.js';

/**
 * Demo mode only (production refuses to start with it): a shortcut for automation that sets the
 * same session cookie a real login sets.
 */
const citizenBody = z.object({
  rnokpp: z.string().optional(),
  passport: z.string().optional(),
  lastName: z.string().min(1).max(100),
  firstName: z.string().min(1).max(100),
  middleName: z.string().max(100).optional(),
  email: z.string().email().optional(),
  phone: z.string().optional(),
  legalEntity: z.object({ edrpou: z.string(), name: z.string().optional() }).optional(),
});
const staffBody = z.object({
  role: z.enum(['operator', 'center_head', 'terminal', 'board', 'national_admin']),
  centerId: z.string().optional(),
  deskId: z.string().optional(),
});

export const devSessionRoutes =
  (ctx: AppContext): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/dev/session',
      { config: { access: 'public' }, schema: { hide: true, body: z.union([staffBody, citizenBody]) } },
      async (request, reply) => {
        const body = request.body;
        const now = ctx.clock.now();
        const result = await ctx.db.transaction().execute(async (trx) => {
          if ('role' in body) {
            if (body.role !== 'national_admin') {
              if (!body.centerId) throw new DomainError('VALIDATION', { detail: 'Потрібен centerId.' });
              const center = await trx
                .selectFrom('centers')
                .select('id')
                .where('id', '=', body.centerId)
                .executeTakeFirst();
              if (!center) throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
            }
            const staffRole = body.role === 'operator' ? ['administrator', 'examiner'] : [body.role];
            const staff =
              body.role === 'terminal' || body.role === 'board'
                ? undefined
                : await trx
                    .selectFrom('staff')
                    .select('id')
                    .where(
                      'role',
                      'in',
                      staffRole as ('administrator' | 'examiner' | 'center_head' | 'national_admin')[],
                    )
                    .$if(body.role !== 'national_admin', (q) =>
                      q.where('center_id', '=', body.centerId ?? ''),
                    )
                    .orderBy('id')
                    .limit(1)
                    .executeTakeFirst();
            const session = await ctx.sessions.create(
              trx,
              {
                kind: body.role === 'terminal' || body.role === 'board' ? 'device' : 'staff',
                role: body.role,
                staffId: staff?.id ?? null,
                centerId: body.centerId ?? null,
                deskId: body.deskId ?? null,
              },
              request.sessionToken ?? undefined,
            );
            return {
              session,
              who: { role: body.role, centerId: body.centerId ?? null, staffId: staff?.id ?? null },
            };
          }
          const passport = body.passport ? parsePassport(body.passport) : null;
          if (body.rnokpp ? !isValidRnokpp(body.rnokpp) : !passport) {
            throw new DomainError('VALIDATION', {
              extensions: {
                errors: [{ field: 'body.rnokpp', message: 'Невірний РНОКПП (контрольна цифра) або паспорт' }],
              },
            });
          }
          if (body.legalEntity && !isValidEdrpou(body.legalEntity.edrpou)) {
            throw new DomainError('VALIDATION', {
              extensions: { errors: [{ field: 'body.legalEntity.edrpou', message: 'Невірний код ЄДРПОУ' }] },
            });
          }
          const personId = await upsertPerson(trx, ctx.crypto, now, {
            idKind: body.rnokpp ? 'rnokpp' : 'passport',
            idValue: body.rnokpp ?? passport?.value ?? '',
            lastName: body.lastName,
            firstName: body.firstName,
            middleName: body.middleName,
            email: body.email,
            phone: body.phone ? normalizePhone(body.phone) : null,
            // A demo sign-in stands for electronic identification.
            source: 'identification',
          });
          const session = await ctx.sessions.create(
            trx,
            {
              kind: 'citizen',
              role: 'citizen',
              personId,
              legalEntity: body.legalEntity?.edrpou ?? null,
              data: { anyEntity: true, via: 'dev-session' },
            },
            request.sessionToken ?? undefined,
          );
          await audit(trx, {
            at: now,
            actorKind: 'citizen',
            actorId: personId,
            action: 'login',
            ip: request.ip,
            details: { via: 'dev-session' },
          });
          return { session, who: { role: 'citizen', personId } };
        });
        setSessionCookie(reply, result.session.token, {
          secureCookies: secureCookiesFor(ctx.config),
          absoluteHours: ctx.config.sessionAbsoluteHours,
        });
        return { ...result.who, token: result.session.token, csrfToken: result.session.principal.csrfToken };
      },
    );
  };
