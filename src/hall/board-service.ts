import { channels } from '../platform/events.js';
import { kyivDay } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import * as board from './board-store.js';
import type { HallDeps } from './hall-deps.js';
import * as store from './hall-store.js';
import { averageMs } from './queue-rules.js';

export interface BoardEvent {
  type: 'called' | 'alert' | 'capacity' | 'desk';
  data: Record<string, unknown>;
}

const RECENT = 10;

/**
 * The hall board (SPEC §1 hall) and the center-day statistics. The board shows numbers, desk
 * numbers and times only: it hangs in a public hall, so no personal data ever reaches it.
 */
export function createBoardService(deps: HallDeps) {
  const { db, clock, events } = deps;

  async function center(centerId: string) {
    const c = await board.centerOf(db, centerId);
    if (!c) throw new DomainError('NOT_FOUND', { detail: 'Сервісний центр не знайдено.' });
    return c;
  }

  async function freeByService(centerId: string) {
    const now = clock.now();
    const rows = await board.freeByService(db, centerId, kyivDay(now), now);
    return rows.map((r) => ({ serviceId: r.id, name: r.name, free: Number(r.free) }));
  }

  return {
    async snapshot(centerId: string) {
      const now = clock.now();
      const day = kyivDay(now);
      const c = await center(centerId);
      const [called, free, perService, alert] = await Promise.all([
        board.calledTickets(db, centerId, day, RECENT + 20),
        board.freeToday(db, centerId, day, now),
        freeByService(centerId),
        store.openAlert(db, centerId),
      ]);
      const shape = (r: (typeof called)[number]) => ({
        number: r.number,
        desk: r.desk,
        calledAt: r.called_at ? new Date(r.called_at).toISOString() : null,
        priority: r.priority_category !== null,
      });
      return {
        now: now.toISOString(),
        date: day,
        center: { id: c.id, name: c.name },
        current: called.filter((r) => r.status === 'called').map(shape),
        recent: called
          .filter((r) => r.status !== 'called')
          .slice(0, RECENT)
          .map(shape),
        freeToday: free,
        freeByService: perService,
        alert: {
          active: alert !== undefined,
          since: alert ? new Date(alert.started_at).toISOString() : null,
        },
      };
    },

    /**
     * Live board events of a center from every instance (LISTEN/NOTIFY). Only the PII-free
     * fields are passed on. Resolves to the unsubscribe function.
     */
    async subscribe(centerId: string, send: (event: BoardEvent) => void): Promise<() => Promise<void>> {
      await center(centerId);
      // Events are passed on in the order they happened, also when one needs a read first.
      let queue: Promise<void> = Promise.resolve();
      const later = (make: () => Promise<BoardEvent> | BoardEvent) => {
        queue = queue.then(make).then(send, () => undefined);
      };
      return events.subscribe(channels.center(centerId), (e) => {
        if (e.type === 'called') {
          later(() => ({
            type: 'called',
            data: {
              number: e.number,
              desk: e.desk,
              calledAt: e.calledAt,
              priority: e.priority === true,
              recall: e.recall === true,
            },
          }));
        } else if (e.type === 'alert') {
          later(() => ({ type: 'alert', data: { active: e.active === true, since: e.since ?? null } }));
        } else if (e.type === 'desk') {
          // A desk's visitor was finished, parked or returned: workstations re-read that desk.
          later(() => ({ type: 'desk', data: { desk: e.desk } }));
        } else if (e.type === 'capacity') {
          // The new counts ride along, so a board need not ask for a whole snapshot.
          later(() =>
            freeByService(centerId).then(
              (perService): BoardEvent => ({ type: 'capacity', data: { freeByService: perService } }),
              (): BoardEvent => ({ type: 'capacity', data: {} }),
            ),
          );
        }
      });
    },

    async stats(centerId: string) {
      const now = clock.now();
      const day = kyivDay(now);
      const c = await center(centerId);
      const [s, free, groups] = await Promise.all([
        board.dayStats(db, centerId, day),
        board.freeToday(db, centerId, day, now),
        board.serviceGroups(db),
      ]);
      const waitingBy = new Map(s.waiting.map((w) => [w.group_id, Number(w.n)]));
      const t = s.totals;
      return {
        date: day,
        center: { id: c.id, name: c.name },
        waiting: {
          total: [...waitingBy.values()].reduce((a, b) => a + b, 0),
          byGroup: groups
            .filter((g) => waitingBy.has(g.id))
            .map((g) => ({ groupId: g.id, name: g.name, waiting: waitingBy.get(g.id) ?? 0 })),
        },
        atDesks: t?.called ?? 0,
        served: t?.served ?? 0,
        noShows: t?.no_show ?? 0,
        refused: t?.refused ?? 0,
        averageWaitSeconds: t?.avg_wait_ms == null ? null : Math.round(t.avg_wait_ms / 1000),
        perDesk: s.perDesk.map((d) => ({
          desk: d.desk,
          served: d.served,
          averageServiceSeconds: d.avg_service_ms == null ? null : Math.round(d.avg_service_ms / 1000),
        })),
        averageServiceSeconds: (() => {
          const avg = averageMs(
            s.perDesk
              .filter((d) => d.avg_service_ms != null)
              .flatMap((d) => Array(d.served).fill(d.avg_service_ms)),
          );
          return avg == null ? null : Math.round(avg / 1000);
        })(),
        freeToday: free,
      };
    },
  };
}

export type BoardService = ReturnType<typeof createBoardService>;
