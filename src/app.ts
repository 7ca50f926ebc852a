import fastifyCookie from '@fastify/cookie';
import fastifyFormbody from '@fastify/formbody';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { z } from 'zod';
import { auditRoutes } from './audit/audit-routes.js';
import { blockPreviewRoutes } from './audit/block-preview-routes.js';
import { createBlockPreview } from './audit/block-preview-service.js';
import { bookingRoutes } from './booking/booking-routes.js';
import { onlineHorizon } from './booking/booking-rules.js';
import { capacityRoutes } from './capacity/capacity-routes.js';
import { catalogRoutes } from './catalog/catalog-routes.js';
import { fastifyTrustProxy } from './config.js';
import type { AppContext } from './context.js';
import { fairnessRoutes, installFairness } from './fairness/fairness-routes.js';
import { entryWriteCounts } from './fairness/lottery-entries-store.js';
import { feedbackRoutes } from './feedback/feedback-routes.js';
import { checkInRoutes } from './hall/check-in-routes.js';
import { hallRoutes } from './hall/hall-routes.js';
import { statsRoutes } from './hall/stats-routes.js';
import { createStatsService } from './hall/stats-service.js';
import { terminalRoutes } from './hall/terminal-routes.js';
import { installAuth, secureCookiesFor } from './identity/auth.js';
import { devSessionRoutes } from './identity/dev-session-routes.js';
import { parsePassport } from './identity/identifiers.js';
import { identityRoutes } from './identity/identity-routes.js';
import { createLoginService } from './identity/login-service.js';
import { notifyRoutes } from './notify/notify-routes.js';
import { healthRoutes } from './platform/health-routes.js';
import { installProblemHandlers } from './platform/http.js';
import { installInputGuards } from './platform/input-guards.js';
import { lazyChildLogger } from './platform/logger.js';
import { createMetrics, metricsSourcesOf } from './platform/metrics.js';
import { installSecurityHeaders } from './platform/security-headers.js';
import { timeRoutes } from './platform/time-routes.js';
import { policyRoutes } from './policy/policy-routes.js';
import { waitlistRoutes } from './waitlist/waitlist-routes.js';
import { webRoutes } from './web/web-routes.js';

// Validation messages in Ukrainian, the default language of every message (SPEC §5).
z.config(z.locales.uk());

const CLOSE_GRACE_MS = 5_000;

/** Builds the HTTP application over a ready context (database migrated, services built). */
export async function buildApp(ctx: AppContext, logger?: Logger): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: logger as FastifyBaseLogger | undefined,
    // The client's address is the TCP peer's unless TRUST_PROXY names our proxies (SPEC 3.9):
    // every per-address limit, the proof-of-work difficulty and the audit read `request.ip`.
    trustProxy: fastifyTrustProxy(ctx.config.trustProxy),
    bodyLimit: 64 * 1024,
    genReqId: () => crypto.randomUUID(),
    childLoggerFactory: lazyChildLogger,
  }).withTypeProvider<ZodTypeProvider>();

  // On close, requests in flight get a few seconds to finish; then every connection still open
  // is cut: one that never carried a request (a browser's preconnect) is not "idle" to Node and
  // would otherwise hold the shutdown until its headers timeout, a minute later.
  app.addHook('preClose', (done) => {
    setTimeout(() => app.server.closeAllConnections(), CLOSE_GRACE_MS).unref();
    done();
  });

  app.setValidatorCompiler(validatorCompiler);
  // A route's response schema is its contract: the answer is encoded through it (unknown fields
  // are dropped, a wrong shape is a 500 rather than a silent change) and the web's types are
  // inferred from the same schemas (*-api-schema.ts).
  app.setSerializerCompiler(serializerCompiler);
  installProblemHandlers(app);
  installInputGuards(app);
  createMetrics({ ...metricsSourcesOf(ctx.handle, ctx.clock), entryWrites: entryWriteCounts }).install(app, {
    token: ctx.config.metricsToken,
  });

  installSecurityHeaders(app, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        formAction: ["'self'", ...ctx.formActionOrigins],
        frameAncestors: ["'none'"],
      },
    },
    crossOriginEmbedderPolicy: false,
    hsts: ctx.config.production,
  });
  await app.register(fastifyCookie);
  await app.register(fastifyFormbody);
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'E-Запис API',
        description: 'Електронний запис і черга сервісних центрів МВС. Errors are RFC 9457 problem details.',
        version: '1.0.0',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'ezs' } },
      },
    },
    transform: jsonSchemaTransform,
  });
  installAuth(app, {
    db: ctx.db,
    sessions: ctx.sessions,
    secureCookies: ctx.config.production,
    absoluteHours: ctx.config.sessionAbsoluteHours,
  });
  // After the session is read, before any route: rate limits, proof-of-work, attempt audit.
  installFairness(app, ctx.fairness, {
    rateLimits: ctx.config.rateLimits,
    antibot: ctx.config.antibot,
    clock: ctx.clock,
  });

  await app.register(healthRoutes(ctx));
  app.get('/api/v1/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  await app.register(
    timeRoutes({
      clock: ctx.clock,
      horizon: (now) => onlineHorizon(now, ctx.config.policy),
      policy: ctx.config.policy,
    }),
  );
  await app.register(catalogRoutes({ catalog: ctx.catalog }));
  await app.register(bookingRoutes({ booking: ctx.booking, arrivals: ctx.hall.checkIn }));
  await app.register(waitlistRoutes({ waitlist: ctx.waitlist }));
  await app.register(fairnessRoutes({ fairness: ctx.fairness, clock: ctx.clock }));
  await app.register(hallRoutes({ hall: ctx.hall, events: ctx.events }));
  await app.register(terminalRoutes({ hall: ctx.hall }));
  await app.register(checkInRoutes({ hall: ctx.hall, events: ctx.events }));
  await app.register(notifyRoutes({ notify: ctx.notify, production: ctx.config.production }));
  await app.register(feedbackRoutes({ feedback: ctx.feedback }));
  await app.register(capacityRoutes({ capacity: ctx.capacity, capacityAdmin: ctx.capacityAdmin }));
  if (ctx.config.devSession)
    await app.register(
      devSessionRoutes({
        devSessions: ctx.devSessions,
        cookies: {
          secureCookies: secureCookiesFor(ctx.config),
          absoluteHours: ctx.config.sessionAbsoluteHours,
        },
      }),
    );
  await app.register(
    identityRoutes({
      login: {
        login: createLoginService({
          db: ctx.db,
          clock: ctx.clock,
          crypto: ctx.crypto,
          sessions: ctx.sessions,
        }),
        config: ctx.config,
        cookies: {
          secureCookies: secureCookiesFor(ctx.config),
          absoluteHours: ctx.config.sessionAbsoluteHours,
        },
      },
      devices: ctx.devices,
      pii: ctx.pii,
      devProviders:
        ctx.config.demo && ctx.config.identity.devProviders
          ? { db: ctx.db, clock: ctx.clock, crypto: ctx.crypto, config: ctx.config }
          : null,
    }),
  );
  await app.register(auditRoutes({ audit: ctx.audit }));
  await app.register(policyRoutes({ policy: ctx.policy }));
  await app.register(
    blockPreviewRoutes({
      blockPreview: createBlockPreview({
        db: ctx.db,
        clock: ctx.clock,
        crypto: ctx.crypto,
        // The document number as the lift reads it (booking-routes' liftBody).
        normalizeId: (kind, raw) =>
          kind === 'passport'
            ? (parsePassport(raw)?.value ?? null)
            : /^\d{10}$/.test(raw.trim())
              ? raw.trim()
              : null,
      }),
    }),
  );
  await app.register(statsRoutes({ stats: createStatsService({ db: ctx.db, clock: ctx.clock }) }));
  await app.register(webRoutes);

  return app;
}
