import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { type AuditService, createAuditService } from './audit/audit-service.js';
import { onlineHorizon, resaleDelayMs } from './booking/booking-rules.js';
import { type BookingService, createBookingService } from './booking/booking-service.js';
import { scheduleSlotReturn } from './booking/booking-store.js';
import { lockRegistration, releaseQuota } from './booking/reschedule-store.js';
import { type CapacityAdmin, createCapacityAdmin } from './capacity/capacity-admin-service.js';
import { type CapacityService, createCapacityService } from './capacity/capacity-service.js';
import { createConflictOffers } from './capacity/conflict-offer-service.js';
import { type CatalogService, createCatalogService } from './catalog/catalog-service.js';
import { type Config, defaultPolicy } from './config.js';
import { createFairness, type Fairness } from './fairness/fairness-service.js';
import {
  createFeedbackService,
  type FeedbackService,
  feedbackLinks,
  notifyServed,
} from './feedback/feedback-service.js';
import { createAlertsInUaFeed } from './hall/alerts-feed.js';
import { checkInCode } from './hall/check-in-code.js';
import { createHall, type Hall } from './hall/hall-service.js';
import { queueAheadMs } from './hall/queue-wait.js';
import { createDevSessionService, type DevSessionService } from './identity/dev-session-service.js';
import { createDeviceService, type DeviceService } from './identity/device-service.js';
import { identityFormOrigins, identitySurfaces } from './identity/identity-surfaces.js';
import { createPiiService, type PiiService } from './identity/pii-service.js';
import { createSessionService, type SessionService } from './identity/session-service.js';
import { createNotifyService, type NotifyService } from './notify/notify-service.js';
import type { Clock } from './platform/clock.js';
import { createPiiCrypto, type PiiCrypto } from './platform/crypto.js';
import type { DatabaseHandle, Db } from './platform/db.js';
import { createEventBus, type EventBus } from './platform/events.js';
import { createPolicyService, type PolicyService } from './policy/policy-service.js';
import { createWaitlist, type Waitlist } from './waitlist/waitlist-service.js';

/**
 * The composition root: every service built once from explicit, narrow dependencies. Routes and
 * jobs receive this context; tests build it over a real database with a fixed clock.
 */
export interface AppContext {
  config: Config;
  db: Db;
  handle: DatabaseHandle;
  databaseKind: DatabaseHandle['kind'];
  clock: Clock;
  crypto: PiiCrypto;
  events: EventBus;
  logger?: Logger;
  sessions: SessionService;
  devices: DeviceService;
  pii: PiiService;
  /** Demo mode's sign-in shortcut (the route is registered only when DEV_SESSION is on). */
  devSessions: DevSessionService;
  catalog: CatalogService;
  audit: AuditService;
  booking: BookingService;
  /** SPEC rule 12: waits, and freed places offered to one waiter drawn at random. */
  waitlist: Waitlist;
  /** Fair access (SPEC 3.9): proof-of-work, rate limits, release lottery, suspicion report. */
  fairness: Fairness;
  notify: NotifyService;
  feedback: FeedbackService;
  capacity: CapacityService;
  capacityAdmin: CapacityAdmin;
  hall: Hall;
  /** SPEC §1: the national admin's policy overrides, applied to `config.policy` in every process. */
  policy: PolicyService;
  /** Origins a form may post to (the citizen identity provider's login page). */
  formActionOrigins: string[];
  ping(): Promise<void>;
  /** Starts what runs beside the HTTP server (listeners, dev mailbox, workers). */
  start(app: FastifyInstance): Promise<void>;
  stop(): Promise<void>;
  /** The URLs `npm start` prints. */
  surfaces(base: string): Array<[string, string]>;
}

export interface ContextInput {
  config: Config;
  handle: DatabaseHandle;
  clock: Clock;
  logger?: Logger;
}

export function createContext({ config, handle, clock, logger }: ContextInput): AppContext {
  const db = handle.db;
  const crypto = createPiiCrypto({ keys: config.piiKeys, hmacKey: config.piiHmacKey });
  const events = createEventBus(handle);
  // The configured values, kept before any console override is written into config.policy.
  const policy = createPolicyService({
    db,
    clock,
    events,
    live: config.policy,
    configured: { ...config.policy },
    defaults: defaultPolicy,
    refreshMs: config.policyRefreshMs,
    logger,
  });
  const sessions = createSessionService({
    clock,
    idleMinutes: config.sessionIdleMinutes,
    absoluteHours: config.sessionAbsoluteHours,
    cacheMs: config.sessionCacheMs,
  });
  const notify = createNotifyService({
    config,
    db,
    clock,
    crypto,
    events,
    logger,
    feedbackToken: feedbackLinks(crypto, config.notify.feedbackLinkDays),
    queueAheadMs,
    checkInCode: (id, day) => checkInCode(crypto, id, day),
  });
  const feedback = createFeedbackService({ db, clock });
  const catalog = createCatalogService({ db, clock });
  const audit = createAuditService({ db });
  const devices = createDeviceService({ db, clock, sessions });
  const pii = createPiiService({ db, clock, crypto });
  const devSessions = createDevSessionService({ db, clock, crypto, sessions });
  const fairness = createFairness({ config, handle, clock, logger });
  const waitlist = createWaitlist({ db, clock, policy: config.policy, afterCommit: () => notify.nudge() });
  const booking = createBookingService({
    db,
    clock,
    crypto,
    policy: config.policy,
    lottery: fairness.lottery.gate,
    freedPlaces: waitlist.freedPlaces,
    afterCommit: () => notify.nudge(),
    availabilityCacheMs: config.availabilityCacheMs,
  });
  const capacity = createCapacityService({ db, clock, events, policy: config.policy });
  // Rule 8: the head's offers of another time reuse the owner's move primitives (booking/).
  const conflictOffers = createConflictOffers({
    db,
    clock,
    crypto,
    policy: config.policy,
    booking: {
      lockRegistration,
      releaseQuota,
      scheduleSlotReturn,
      horizon: (now) => onlineHorizon(now, config.policy),
      resaleDelayMs: (r) => resaleDelayMs(r, config.policy),
    },
    freedPlaces: waitlist.freedPlaces,
    lottery: fairness.lottery.gate,
    afterCommit: () => notify.nudge(),
  });
  const capacityAdmin = createCapacityAdmin({ db, clock, capacity, conflictOffers });
  const hall = createHall({
    db,
    clock,
    crypto,
    events,
    policy: config.policy,
    defaultServiceMs: config.hall.defaultServiceMs,
    applyNoShowRule: booking.applyNoShowRule,
    notifyServed,
    feed: config.hall.alertsFeedUrl
      ? createAlertsInUaFeed({ url: config.hall.alertsFeedUrl, token: config.hall.alertsFeedToken })
      : undefined,
  });
  return {
    config,
    db,
    handle,
    databaseKind: handle.kind,
    clock,
    crypto,
    events,
    logger,
    sessions,
    devices,
    pii,
    devSessions,
    catalog,
    audit,
    booking,
    waitlist,
    fairness,
    notify,
    feedback,
    capacity,
    capacityAdmin,
    hall,
    policy,
    formActionOrigins: identityFormOrigins(config),
    async ping() {
      await handle.execScript('SELECT 1');
    },
    async start(_app) {
      // The national overrides first: jobs and routes read the values in force.
      await policy.start();
      // The outbox worker runs with the other background work (JOBS=on, OUTBOX_WORKER=on).
      if (config.jobs && config.notify.worker) await notify.start();
      fairness.start();
    },
    async stop() {
      await policy.stop();
      await notify.stop();
      await fairness.stop();
    },
    surfaces(base) {
      const list: Array<[string, string]> = [
        ['Citizen portal', `${base}/`],
        ['Kiosk', `${base}/kiosk`],
        ['Hall board', `${base}/board`],
        ['Operator workstation', `${base}/operator`],
        ['Admin console', `${base}/admin`],
        ['API (OpenAPI)', `${base}/api/v1/openapi.json`],
        ['Health', `${base}/healthz`],
      ];
      if (!config.production) list.push(['Demo mailbox', `${base}/dev/mailbox`]);
      list.push(...identitySurfaces(config, base));
      return list;
    },
  };
}
