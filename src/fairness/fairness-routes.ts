import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { admissionSkipped, deferAdmission } from '../platform/admission.js';
import type { Clock } from '../platform/clock.js';
import { sha256 } from '../platform/crypto.js';
import { DomainError } from '../platform/problems.js';
import type { CheckedProof, PowCaller } from './antibot-service.js';
import { antibotChallenge, suspicionReport } from './fairness-api-schema.js';
import type { Fairness } from './fairness-service.js';
import type { LimitScope, Who } from './rate-limits.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The rate-limit scope of a route, declared on the route itself (so renaming its URL keeps
     * it); `false` says the route is deliberately not counted. A mutating route open to citizens
     * or the public must declare one (test/fairness/route-scopes.test.ts).
     */
    rateLimit?: LimitScope | false;
    /**
     * The route requires a solved proof-of-work in body field `altcha`. `'handler'`: the handler
     * awaits the verdict itself (`admission(request)`, platform/admission.ts) before it writes or
     * answers, so its reads overlap the proof's claim.
     */
    antibot?: boolean | 'handler';
  }
}

function scopeOf(request: FastifyRequest): LimitScope | null {
  return request.routeOptions.config?.rateLimit || null;
}

function proofMode(request: FastifyRequest): 'before' | 'handler' | null {
  const mode = request.routeOptions.config?.antibot;
  return mode === 'handler' ? 'handler' : mode === true ? 'before' : null;
}

/** Who a request is, for counting: the person, staff member or device session, and the address. */
export function whoOf(request: FastifyRequest): Who {
  const p = request.principal;
  const identity = p?.personId
    ? `p:${p.personId}`
    : p?.staffId
      ? `s:${p.staffId}`
      : request.sessionToken && p
        ? `t:${sha256(request.sessionToken).slice(0, 24)}`
        : null;
  return { identity, address: request.ip };
}

/** The proof-of-work caller: the session that asks (a digest of its token) and the guarded scope. */
function powCaller(request: FastifyRequest, scope: string): PowCaller {
  const who = whoOf(request);
  const session = request.principal && request.sessionToken ? sha256(`pow:${request.sessionToken}`) : null;
  return { ...who, session, scope };
}

const codes = new WeakMap<FastifyRequest, string>();

/**
 * Hooks every request through the fairness layer: rate limits right after the session is read
 * (onRequest, so a refused request costs no body parsing), the proof-of-work before the handler
 * (preHandler, after the access check), and the attempt audit after the response.
 */
export function installFairness(
  app: FastifyInstance,
  fairness: Fairness,
  options: { rateLimits: boolean; antibot: boolean; clock: Clock },
) {
  // The hooks are synchronous where they have nothing to wait for (Fastify catches what they
  // throw): most requests pass them without a promise of their own (#19).
  //
  // A route whose handler awaits its proof (`antibot: 'handler'`, the booking) has its rate-limit
  // take made in the proof's claim, one statement for both, when the counters are PostgreSQL rows:
  // one round trip fewer for every attempt at the release moment (#19). Every attempt is still
  // counted, and an exhausted limit is still the answer before any proof's: a request whose proof
  // fails the checks without the database is taken on its own before it is refused.
  const joinsClaim = (request: FastifyRequest, scope: LimitScope | null): scope is LimitScope =>
    scope !== null &&
    options.antibot &&
    fairness.limits?.joinsStatements === true &&
    proofMode(request) === 'handler';

  app.addHook('onRequest', (request, _reply, done) => {
    const scope = options.rateLimits && fairness.limits ? scopeOf(request) : null;
    if (!scope || !fairness.limits || joinsClaim(request, scope)) return done();
    // Undefined when counted from this process's lease (public reads): nothing to wait for.
    const counting = fairness.limits.consume(scope, whoOf(request));
    if (!counting) return done();
    counting.then(() => done(), done);
  });

  app.addHook('preHandler', (request, _reply, done) => {
    const mode = options.antibot ? proofMode(request) : null;
    if (!mode) return done();
    const body = request.body as { altcha?: unknown } | undefined;
    const raw = typeof body?.altcha === 'string' ? body.altcha : null;
    const caller = powCaller(request, scopeOf(request) ?? 'bookings');
    if (mode === 'before') return void fairness.antibot.verify(raw, caller).then(() => done(), done);
    const scope = options.rateLimits && fairness.limits ? scopeOf(request) : null;
    const limits = joinsClaim(request, scope) ? fairness.limits : undefined;
    // The handler reads while the claim is in flight, only for a proof whose solution, signature,
    // expiry, session and scope hold: an unsolved or foreign proof is refused here and costs no read.
    let proof: CheckedProof;
    try {
      proof = fairness.antibot.check(raw, caller);
    } catch (refusal) {
      if (!limits || !scope) throw refusal;
      const counting = limits.consume(scope, caller) ?? Promise.resolve();
      return void counting.then(() => done(refusal as Error), done);
    }
    // The caller is who the request is (identity and address), as `whoOf` says.
    const take = limits && scope ? limits.take(scope, caller) : null;
    deferAdmission(request, fairness.antibot.claim(proof, take));
    done();
  });

  // A route that defers its proof to the handler must ask for the verdict: a success answered
  // without it is a programming error, refused here instead of sent (a hook of those routes only).
  app.addHook('onRoute', (route) => {
    if (route.config?.antibot !== 'handler') return;
    const own = route.onSend ? [route.onSend].flat() : [];
    route.onSend = [
      ...own,
      (request, reply, payload, done) => {
        if (reply.statusCode < 400 && admissionSkipped(request)) {
          throw new Error(`${request.routeOptions.url} answered without awaiting admission(request)`);
        }
        done(null, payload);
      },
    ];
  });

  app.addHook('onError', (request, _reply, error, done) => {
    if (error instanceof DomainError) codes.set(request, error.code);
    done();
  });

  app.addHook('onResponse', (request, reply, done) => {
    const scope = scopeOf(request);
    const status = reply.statusCode;
    if (scope !== 'bookings' && status !== 429) return done();
    const who = whoOf(request);
    const code =
      codes.get(request) ??
      (status === 201 ? 'BOOKED' : status === 202 ? 'PENDING' : status === 429 ? 'RATE_LIMITED' : null);
    fairness.attempts.record({
      at: options.clock.now(),
      scope: scope ?? 'other',
      personId: request.principal?.personId ?? null,
      ip: who.address,
      status,
      code,
    });
    if (scope === 'bookings' && status >= 400 && options.antibot && fairness.limits) {
      fairness.limits.recordFailure(who).then(
        () => done(),
        () => done(),
      );
      return;
    }
    done();
  });
}

const powScopes = [
  'bookings',
  'logins',
  'terminal',
  'slots',
  'reads',
] as const satisfies readonly LimitScope[];

const when = z.union([z.iso.datetime({ offset: true }), z.iso.date()]);

export const fairnessRoutes =
  (ctx: { fairness: Fairness; clock: Clock }): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/v1/antibot/challenge',
      {
        // Each challenge reads the caller's counters: fetching them is limited like a public read.
        config: { access: 'public', rateLimit: 'reads' },
        schema: {
          tags: ['booking'],
          summary: 'Завдання proof-of-work (ALTCHA) для запису',
          description:
            'Завдання дійсне лише для сесії, яка його отримала, і для однієї дії (`scope`, типово запис).',
          querystring: z.object({ scope: z.enum(powScopes).default('bookings') }),
          response: { 200: antibotChallenge },
        },
      },
      async (request, reply) => {
        reply.header('Cache-Control', 'no-store');
        return ctx.fairness.antibot.challenge(powCaller(request, request.query.scope));
      },
    );

    app.get(
      '/api/v1/admin/suspicion',
      {
        config: { access: ['national_admin'] },
        schema: {
          tags: ['admin'],
          summary: 'Підозрілі ідентичності й адреси (аномальні спроби запису)',
          querystring: z.object({ from: when.optional(), to: when.optional() }),
          response: { 200: suspicionReport },
        },
      },
      async (request) => {
        const to = request.query.to ? new Date(request.query.to) : ctx.clock.now();
        const from = request.query.from ? new Date(request.query.from) : new Date(to.getTime() - 86_400_000);
        if (!(from < to))
          throw new DomainError('VALIDATION', { detail: 'Початок періоду має бути раніше кінця.' });
        return ctx.fairness.suspicion(from, to);
      },
    );
  };
