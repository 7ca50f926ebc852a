import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { audit } from '../audit/audit-store.js';
import type { LotteryGate } from '../booking/booking-service.js';
import type { Policy } from '../config.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import { DomainError } from '../platform/problems.js';
import { claimExamPlace, releaseExamPlace } from '../registration/claim-store.js';
import { quotaFor } from '../registration/quota-rules.js';
import { transitionDrawLost, transitionDrawWon } from '../registration/registration-store.js';
import { choosePlace, releasedDay, shuffledOrder } from './fairness-rules.js';
import { writeEntryWithOthers } from './lottery-entries-store.js';
import { nextDrawAt, releaseOf, undecided } from './lottery-rules.js';
import * as store from './lottery-store.js';

/**
 * The release lottery (SPEC 3.9): requests for the newly released day in its first minutes become
 * entries (one per person, day and service); when the window closes one instance draws them in a
 * seeded random order and serves them against the free places.
 */
export interface LotteryDeps {
  db: Db;
  clock: Clock;
  policy: Policy;
  logger?: Logger;
}

export interface DrawSummary {
  day: string;
  seed: string;
  entries: number;
  won: number;
  lost: number;
}

/** How long a draw took until its commit, and its loss letters after it (milliseconds). */
export interface Timings {
  durationMs: number;
  lettersMs: number;
}

export function createLottery(deps: LotteryDeps) {
  const { db, clock, policy } = deps;

  const gate: LotteryGate = {
    undecided: (day, now, draw) => undecided(day, now, draw, policy),

    async openDraw(trx, day, now) {
      const release = releaseOf(day, now, policy);
      if (release) await store.ensureDraw(trx, day, release.decidesAt);
      return store.lockOpenDraw(trx, day);
    },

    async enter(entry) {
      // The day released today gets its draw row on its first entry (or from the job when the
      // window closes), whichever comes first.
      if (!entry.draw) {
        const release = releaseOf(entry.day, entry.now, policy);
        if (release) await store.ensureDraw(db, entry.day, release.decidesAt);
      }
      const written = await writeEntryWithOthers(db, {
        id: entry.id,
        day: entry.day,
        personId: entry.personId,
        serviceId: entry.serviceId,
        centerId: entry.slot.center_id,
        groupId: entry.slot.group_id,
        slotId: entry.slot.id,
        startsAt: new Date(entry.slot.starts_at),
        legalEntity: entry.legalEntity,
        examCategory: entry.examCategory,
        now: entry.now,
        audit: { actorKind: entry.actor.kind, actorId: entry.actor.id, ip: entry.actor.ip },
        idempotency: entry.idempotency,
      });
      if (written.ok) return 'entered';
      switch (written.reason) {
        case 'DRAWN':
          return 'drawn';
        case 'IDEMPOTENT_REPLAY':
          return 'replay';
        case 'ALREADY_ENTERED':
          throw new DomainError('LOTTERY_ALREADY_ENTERED');
        default:
          // The person already holds an active registration that day in that service group (rule 1).
          throw new DomainError('LIMIT_REACHED');
      }
    },
  };

  /**
   * Draws one day inside the caller's transaction, deterministically given `seed` and the
   * entries: canonical order (by id) → seeded shuffle → each entry in turn gets its wanted slot,
   * else the nearest time of the same center and group; limits (rule 1) and blocks (rule 4) are
   * honoured; the outcome goes to the registration, the entry and the outbox.
   */
  async function draw(trx: Tx, day: string, seed: string, now: Date): Promise<DrawSummary> {
    const entries = await store.entriesOf(trx, day);
    const places = await store.lockPlaces(trx, day, now);
    const order = shuffledOrder(seed, entries.length);
    // An entry may only get a place of its own center and group: each looks among those alone
    // (the same answer as over all the day's places, in a fraction of the time at 20,000 places).
    const placesOf = new Map<string, typeof places>();
    for (const p of places) {
      const key = `${p.centerId}|${p.groupId}`;
      const list = placesOf.get(key);
      if (list) list.push(p);
      else placesOf.set(key, [p]);
    }
    // Rule 1's limit counters of everyone who may win, locked; units are then taken in memory, in
    // draw order, and written at once (a few statements, not one per entry).
    const quotaOf = (entry: (typeof entries)[number]) =>
      quotaFor({ personId: entry.person_id, legalEntity: entry.legal_entity }, 'online', day, policy);
    const quotas = new Map<string, ReturnType<typeof quotaOf> & { n: number; used: number }>();
    for (const entry of entries) {
      if (entry.status !== 'pending') continue;
      const q = quotaOf(entry);
      quotas.set(store.quotaKey(q), { ...q, n: 0, used: 0 });
    }
    const used = await store.lockQuotas(trx, [...quotas.values()]);
    for (const [key, q] of quotas) q.used = used.get(key) ?? 0;
    const outcomes: store.Outcome[] = [];
    const taken = new Map<number, number>();
    const winners: Array<{ entry: (typeof entries)[number]; place: (typeof places)[number] }> = [];
    const losers: typeof entries = [];
    for (const [position, index] of order.entries()) {
      const entry = entries[index];
      if (!entry) continue;
      const lose = (reason: string) => {
        outcomes.push({ id: entry.id, position, outcome: 'lost', reason, slotId: null });
        if (entry.status === 'pending') losers.push(entry);
      };
      if (entry.status !== 'pending') {
        lose('withdrawn');
        continue;
      }
      if (entry.blocked_until && new Date(entry.blocked_until) > now) {
        lose('blocked');
        continue;
      }
      const place = choosePlace(
        {
          slotId: entry.slot_id,
          centerId: entry.center_id,
          groupId: entry.group_id,
          startsAt: new Date(entry.starts_at).getTime(),
        },
        placesOf.get(`${entry.center_id}|${entry.group_id}`) ?? [],
      );
      // Rule 8: a practical exam's entry also needs a place of its vehicle category that day.
      const category = entry.exam_category;
      if (!place || !(await claimExamPlace(trx, place.slotId, category))) {
        lose('no_place');
        continue;
      }
      const quota = quotas.get(store.quotaKey(quotaOf(entry)));
      if (!quota || quota.used + quota.n >= quota.limit) {
        await releaseExamPlace(trx, place.slotId, category);
        lose('limit');
        continue;
      }
      quota.n += 1;
      place.free -= 1;
      taken.set(place.slotId, (taken.get(place.slotId) ?? 0) + 1);
      winners.push({ entry, place });
      outcomes.push({ id: entry.id, position, outcome: 'won', reason: null, slotId: place.slotId });
    }
    await store.takeQuotas(
      trx,
      [...quotas.values()].filter((q) => q.n > 0),
    );
    // The rows are locked and the counts computed from them: a refusal here is a bug.
    const claims = [...taken].map(([slotId, n]) => ({ slotId, n }));
    if ((await store.claimPlaces(trx, claims)) !== claims.length)
      throw new Error('lottery overbooked a slot');
    const won = await transitionDrawWon(
      trx,
      day,
      winners.map(({ entry, place }) => ({
        id: entry.id,
        slotId: place.slotId,
        centerId: place.centerId,
        startsAt: new Date(place.startsAt),
      })),
      now,
    );
    // The entries were pending when read under the draw's lock (nothing else leaves 'pending'
    // while it is held): a refusal here is a bug.
    if (won !== winners.length) throw new Error('lottery could not book every winner');
    // The losers: every entry still pending, by center, in statements of about 25,000 rows (each
    // well inside the statement timeout; the status guard checks each statement's rows together,
    // migration 0024).
    const lostAt = new Map<string, number>();
    for (const l of losers) lostAt.set(l.center_id, (lostAt.get(l.center_id) ?? 0) + 1);
    const batches: string[][] = [[]];
    let rows = 0;
    for (const [centerId, n] of [...lostAt].sort(([a], [b]) => (a < b ? -1 : 1))) {
      if (rows + n > 25_000 && rows > 0) {
        batches.push([]);
        rows = 0;
      }
      batches.at(-1)?.push(centerId);
      rows += n;
    }
    let lost = 0;
    for (const centers of batches)
      if (centers.length) lost += await transitionDrawLost(trx, day, centers, now);
    // The entries were pending when read under the draw's lock: any other count is a bug.
    if (lost !== losers.length) throw new Error('lottery could not close every lost entry');
    await store.saveOutcomes(trx, outcomes);
    // The winners' letters are their booking confirmations (rule 10: in the same transaction);
    // the losers' are owed by this commit and queued right after it (`tellLosers`).
    await store.enqueueOutcomes(
      trx,
      now,
      winners.flatMap(({ entry }) =>
        entry.email
          ? [{ template: 'lottery_won', recipient: entry.email, lang: entry.lang, registrationId: entry.id }]
          : [],
      ),
    );
    const summary = {
      day,
      seed,
      entries: entries.length,
      won: winners.length,
      lost: outcomes.length - winners.length,
    };
    await store.finishDraw(trx, { ...summary, now });
    await audit(trx, {
      at: now,
      actorKind: 'system',
      action: 'lottery.drawn',
      subjectKind: 'lottery',
      subjectId: day,
      details: { ...summary },
    });
    return summary;
  }

  /**
   * Queues the loss letters a committed draw owes, in parts of its order run two at a time (each
   * part its own short transaction; a part run twice queues nothing twice), then marks them told.
   */
  async function tellLosers(day: string, entries: number): Promise<void> {
    const PART = 25_000;
    const parts = Array.from({ length: Math.ceil(entries / PART) }, (_, i) => ({
      from: i * PART,
      to: (i + 1) * PART,
    }));
    const lane = async () => {
      for (let part = parts.shift(); part; part = parts.shift()) {
        await store.enqueueLossLetters(db, day, clock.now(), part);
      }
    };
    await Promise.all([lane(), lane()]);
    await store.markLosersTold(db, day, clock.now());
  }

  const api = {
    gate,
    draw,

    /**
     * Job: draws every day whose window has closed, each exactly once across instances, and
     * queues each draw's loss letters after it (and any a crash left owed). `durationMs` is the
     * draw's (until its commit opened the day), `lettersMs` its loss letters'.
     */
    async drawDue(options: { seed?: string } = {}): Promise<Array<DrawSummary & Timings>> {
      const stalled = new Date(clock.now().getTime() - 60_000);
      for (const owed of await store.untoldDraws(db, stalled)) await tellLosers(owed.day, owed.entries);
      const done: Array<DrawSummary & Timings> = [];
      // A window that closed with no entry still gets its (empty) draw, which opens first-come.
      const opened = releaseOf(releasedDay(clock.now(), policy), clock.now(), policy);
      if (opened) await store.ensureDraw(db, releasedDay(clock.now(), policy), opened.decidesAt);
      for (;;) {
        const started = performance.now();
        const summary = await db.transaction().execute(async (trx) => {
          const now = clock.now();
          const due = await store.claimDueDraw(trx, now);
          if (!due) return null;
          return draw(trx, due.day, options.seed ?? randomBytes(32).toString('hex'), now);
        });
        if (!summary) return done;
        const durationMs = Math.round(performance.now() - started);
        await tellLosers(summary.day, summary.entries);
        const lettersMs = Math.round(performance.now() - started) - durationMs;
        deps.logger?.info({ ...summary, seed: undefined, durationMs, lettersMs }, 'release lottery drawn');
        done.push({ ...summary, durationMs, lettersMs });
      }
    },

    /**
     * Job: draws what is due, then, when a window closes within `withinMs`, sleeps until that very
     * moment and draws again, so the draw starts as the window closes rather than on a poll.
     */
    async drawOnTime(withinMs: number): Promise<Array<DrawSummary & Timings>> {
      const done = await api.drawDue();
      const next = nextDrawAt(clock.now(), policy);
      const wait = next ? next.getTime() - clock.now().getTime() : Number.POSITIVE_INFINITY;
      if (wait > withinMs) return done;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
      return [...done, ...(await api.drawDue())];
    },
  };
  return api;
}

export type Lottery = ReturnType<typeof createLottery>;
