import type { BookingService } from '../booking/booking-service.js';
import type { Policy } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { PiiCrypto } from '../platform/crypto.js';
import type { Db, Executor } from '../platform/db.js';
import type { EventBus } from '../platform/events.js';

/** The narrow dependencies of the hall services (composition in hall-service.ts). */
export interface HallDeps {
  db: Db;
  clock: Clock;
  crypto: PiiCrypto;
  events: EventBus;
  policy: Policy;
  /** Service time assumed for wait estimates before the day has any served visit. */
  defaultServiceMs: number;
  /** Rule 4, from the booking core: an online no-show may block the person. */
  applyNoShowRule: BookingService['applyNoShowRule'];
  /** Rule 11 (feedback): the served visit's thank-you and rating link. */
  notifyServed: (trx: Executor, registrationId: string, now: Date) => Promise<void>;
}
