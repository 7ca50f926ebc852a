import { createHash } from 'node:crypto';
import type { Policy } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { Db } from '../platform/db.js';
import { addDays, type Day } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import * as store from './availability-store.js';
import { isInHorizon, onlineHorizon } from './booking-rules.js';

export type SlotView = { id: number; startsAt: string; endsAt: string; free: number };

/**
 * A browse answer as sent: its bytes, checked against the route's response schema, and its
 * validator for HTTP caches (ETag / If-None-Match), a digest of the bytes, so any instance gives
 * the same tag for the same free places. Made once per answer object: the process cache hands out
 * the same slots array until it expires, and every read of it in that time is sent as these
 * bytes without validating and encoding the answer again (issue #19: browse spent a fifth of its
 * time re-serialising and re-encoding the same answer).
 */
const encodings = new WeakMap<object, { tag: string; body: Buffer }>();
export function encodedAnswer(
  answer: object,
  schema: { parse(data: unknown): unknown },
): {
  tag: string;
  body: Buffer;
} {
  let encoded = encodings.get(answer);
  if (!encoded) {
    const body = Buffer.from(JSON.stringify(schema.parse(answer)));
    encoded = { tag: `"${createHash('sha1').update(body).digest('base64url')}"`, body };
    encodings.set(answer, encoded);
  }
  return encoded;
}

/** Whether an If-None-Match header names `tag` (a list, weak tags and `*` included, RFC 9110 13.1.2). */
export function notModified(ifNoneMatch: string | undefined, tag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === tag);
}

/** Browse answers may be kept by a CDN or HAProxy cache this long (s): fresh within 1 s of a booking. */
export const SLOTS_MAX_AGE_SECONDS = 1;

/**
 * Free online places: the browse hot path. A process may answer from memory for `cacheMs`; its
 * own bookings evict the day at once (a booking is visible in the next read), and changes made by
 * other instances show within that time. 0 reads every query.
 */
export function createAvailability(deps: { db: Db; clock: Clock; policy: Policy; cacheMs: number }) {
  const { db, clock, policy, cacheMs } = deps;
  // (center, day) → service → answer.
  const cache = new Map<string, Map<string, { until: number; at: number; slots: SlotView[] }>>();

  /**
   * Free online places of a center for a service on a day; for a practical exam's vehicle
   * category (rule 8), only what the category has left that day.
   */
  async function forDay(
    centerId: string,
    serviceId: string,
    day: Day,
    category: string | null = null,
  ): Promise<SlotView[]> {
    const now = clock.now();
    const dayKey = `${centerId}|${day}`;
    const answerKey = category ? `${serviceId}|${category}` : serviceId;
    const hit = cacheMs > 0 ? cache.get(dayKey)?.get(answerKey) : undefined;
    // The injected clock is part of the answer (released days, past times): reuse only for
    // the same second of it.
    if (hit && Date.now() < hit.until && Math.floor(hit.at / 1000) === Math.floor(now.getTime() / 1000)) {
      return hit.slots;
    }
    const rows = isInHorizon(day, now, policy)
      ? await store.freeOnlineSlots(db, centerId, serviceId, day, now, category)
      : [];
    if (rows.length === 0) {
      // Only an empty answer needs to tell "nothing free" from "no such center or service".
      const known = await store.centerAndServiceExist(db, centerId, serviceId);
      if (!known.center) throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
      if (!known.service) throw new DomainError('NOT_FOUND', { detail: 'Послугу не знайдено.' });
    }
    const slots = rows.map((r) => ({
      id: r.id,
      startsAt: new Date(r.starts_at).toISOString(),
      endsAt: new Date(r.ends_at).toISOString(),
      free: r.free,
    }));
    if (cacheMs > 0) {
      if (cache.size > 10_000) cache.clear();
      let perDay = cache.get(dayKey);
      if (!perDay) {
        perDay = new Map();
        cache.set(dayKey, perDay);
      }
      perDay.set(answerKey, { until: Date.now() + cacheMs, at: now.getTime(), slots });
    }
    return slots;
  }

  /** Free online places per day over the bookable horizon (the portal's calendar). */
  async function perDay(centerId: string, serviceId: string, category: string | null = null) {
    const now = clock.now();
    const { first, last } = onlineHorizon(now, policy);
    const known = await store.centerAndServiceExist(db, centerId, serviceId);
    if (!known.center) throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
    if (!known.service) throw new DomainError('NOT_FOUND', { detail: 'Послугу не знайдено.' });
    const rows = await store.freeOnlinePerDay(db, centerId, serviceId, first, last, now, category);
    const byDay = new Map(rows.map((r) => [r.day, r.free]));
    const days: Array<{ date: Day; free: number }> = [];
    for (let d = first; d <= last; d = addDays(d, 1)) days.push({ date: d, free: byDay.get(d) ?? 0 });
    return { from: first, to: last, days };
  }

  return {
    forDay,
    perDay,
    evictDay: (centerId: string, day: string) => cache.delete(`${centerId}|${day}`),
    evictAll: () => cache.clear(),
  };
}
