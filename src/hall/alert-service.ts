import { audit } from '../audit/audit-store.js';
import type { Actor } from '../booking/booking-service.js';
import { enqueue } from '../notify/outbox-store.js';
import type { Tx } from '../platform/db.js';
import { channels } from '../platform/events.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import type { AlertsFeed } from './alerts-feed.js';
import type { HallDeps } from './hall-deps.js';
import type { AlertSource } from './hall-schema.js';
import * as store from './hall-store.js';

export interface AlertState {
  active: boolean;
  since: string | null;
}

/**
 * Air-raid alerts (SPEC 3.7): the manual switch of the center head, the feed poll, and what the
 * all-clear does to the day (shift, notify, excuse). Also the martial-law switch (SPEC 3.5c).
 */
export function createAlertService(deps: HallDeps & { feed?: AlertsFeed }) {
  const { db, clock, events } = deps;

  async function start(trx: Tx, centerId: string, source: AlertSource, actor: Actor): Promise<AlertState> {
    const now = clock.now();
    const opened = await store.startAlert(trx, { centerId, now, source, by: actor.id });
    if (!opened) {
      const open = await store.openAlert(trx, centerId);
      return { active: true, since: open ? new Date(open.started_at).toISOString() : null };
    }
    const since = new Date(opened.started_at).toISOString();
    await events.publish(trx, channels.center(centerId), { type: 'alert', active: true, since });
    await audit(trx, {
      at: now,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'alert.started',
      subjectKind: 'center',
      subjectId: centerId,
      centerId,
      ip: actor.ip,
      details: { source },
    });
    return { active: true, since };
  }

  async function end(
    trx: Tx,
    centerId: string,
    source: AlertSource | undefined,
    actor: Actor,
  ): Promise<AlertState> {
    const now = clock.now();
    const closed = await store.endAlert(trx, { centerId, now, by: actor.id, source });
    if (!closed) return { active: (await store.openAlert(trx, centerId)) !== undefined, since: null };
    const window = { start: new Date(closed.started_at), end: new Date(closed.ended_at) };
    const shifted = await store.shiftWaiting(trx, {
      centerId,
      day: kyivDay(now),
      start: window.start,
      end: window.end,
      now,
    });
    const pauseMs = window.end.getTime() - window.start.getTime();
    // In calling order, so that the mail goes out in a stable, meaningful order.
    shifted.sort(
      (x, y) =>
        new Date(x.call_at).getTime() - new Date(y.call_at).getTime() || (x.number ?? 0) - (y.number ?? 0),
    );
    for (const r of shifted) {
      if (!r.email || pauseMs === 0) continue;
      const newCallAt = new Date(r.call_at).toISOString();
      await enqueue(trx, now, {
        template: 'alert_delay',
        recipient: r.email,
        lang: r.lang,
        payload: { registrationId: r.id, newCallAt, number: r.number },
        dedupeKey: `alert_delay:${r.id}:${newCallAt}`,
      });
    }
    await events.publish(trx, channels.center(centerId), { type: 'alert', active: false, since: null });
    await audit(trx, {
      at: now,
      actorKind: actor.kind,
      actorId: actor.id,
      action: 'alert.ended',
      subjectKind: 'center',
      subjectId: centerId,
      centerId,
      ip: actor.ip,
      details: {
        startedAt: window.start.toISOString(),
        pauseSeconds: Math.round(pauseMs / 1000),
        shifted: shifted.length,
      },
    });
    return { active: false, since: null };
  }

  const feedActor: Actor = { kind: 'system', id: 'alerts-feed', ip: '' };

  return {
    async state(centerId: string): Promise<AlertState> {
      const open = await store.openAlert(db, centerId);
      return { active: open !== undefined, since: open ? new Date(open.started_at).toISOString() : null };
    },

    /** The center head's switch (a national admin may switch any center). */
    async setManual(centerId: string, active: boolean, actor: Actor): Promise<AlertState> {
      return db.transaction().execute(async (trx) => {
        if (!(await store.centerExists(trx, centerId)))
          throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
        return active ? start(trx, centerId, 'manual', actor) : end(trx, centerId, undefined, actor);
      });
    },

    /**
     * Job: asks the feed which regions are under an alert and opens / closes the centers' feed
     * alerts. A manual alert is never closed by the feed (the head switched it on for a reason).
     */
    async pollFeed(): Promise<{ started: string[]; ended: string[] }> {
      if (!deps.feed) return { started: [], ended: [] };
      const regions = await deps.feed.activeRegions();
      const started: string[] = [];
      const ended: string[] = [];
      for (const c of await store.centersWithRegions(db)) {
        await db.transaction().execute(async (trx) => {
          const open = await store.openAlert(trx, c.id);
          if (regions.has(c.region) && !open) {
            await start(trx, c.id, 'feed', feedActor);
            started.push(c.id);
          } else if (!regions.has(c.region) && open?.source === 'feed') {
            await end(trx, c.id, 'feed', feedActor);
            ended.push(c.id);
          }
        });
      }
      return { started, ended };
    },

    async martialLaw(): Promise<{ active: boolean }> {
      return { active: await store.isMartialLaw(db) };
    },

    async setMartialLaw(active: boolean, actor: Actor): Promise<{ active: boolean }> {
      return db.transaction().execute(async (trx) => {
        const now = clock.now();
        await store.setMartialLaw(trx, active, now, actor.id);
        await audit(trx, {
          at: now,
          actorKind: actor.kind,
          actorId: actor.id,
          action: 'settings.martial_law',
          ip: actor.ip,
          details: { active },
        });
        return { active };
      });
    },
  };
}

export type AlertService = ReturnType<typeof createAlertService>;
