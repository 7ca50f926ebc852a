import type { Logger } from 'pino';
import { audit } from '../audit/audit-store.js';
import { onlineHorizon } from '../booking/booking-rules.js';
import type { Policy } from '../config.js';
import { releaseOf } from '../fairness/lottery-rules.js';
import { ensureDraw } from '../fairness/lottery-store.js';
import type { Actor } from '../platform/actor.js';
import type { Clock } from '../platform/clock.js';
import type { Db, Tx } from '../platform/db.js';
import type { PolicySource } from '../platform/db-schema.js';
import type { EventBus } from '../platform/events.js';
import { addDays, type Day } from '../platform/kyiv-time.js';
import { DomainError } from '../platform/problems.js';
import {
  applyOverrides,
  type PolicyKey,
  policyKeys,
  policySettings,
  refusalOf,
  shownValue,
  sourceOf,
} from './policy-rules.js';
import * as store from './policy-store.js';

/** Every process hears every change on this channel and re-reads the overrides. */
export const POLICY_CHANNEL = 'policy';

export interface PolicyDeps {
  db: Db;
  clock: Clock;
  events: Pick<EventBus, 'publish' | 'subscribe' | 'onResync'>;
  /**
   * The process's one Policy object, the one every service was built with: overrides are written
   * into it, so booking, capacity, fairness and the hall read the value in force on their next use.
   */
  live: Policy;
  /** The configured values (environment, else SPEC defaults), before any override. */
  configured: Policy;
  defaults: Policy;
  refreshMs: number;
  logger?: Logger;
}

/**
 * Rule 9: online days open one a day at 06:00, each through its release lottery. A longer
 * horizon opens several at once, at a moment someone chose: in the console (`change`) or in
 * HORIZON_DAYS at a redeploy (`start`). Each day past the last one accounted for (the release
 * mark) gets a release draw, unless it has one, deciding one lottery window from now, so requests
 * for it until then are entries and none goes to whoever asks first; only the daily roll (one day
 * more, released this morning) keeps the window of its 06:00 release. A shorter horizon moves the
 * mark back (days closed and opened again go through the lottery too). A new installation opens
 * its horizon as configured; after an outage of days, the days released meanwhile get a draw too.
 */
async function accountOpenedDays(trx: Tx, policy: Policy, now: Date) {
  const last = onlineHorizon(now, policy).last;
  const mark = await store.lockReleaseMark(trx, last, now);
  if (mark === null || mark === last) return;
  if (policy.lotteryWindowMinutes > 0) {
    // One day more, released this morning: the daily roll, whose draw keeps its own window.
    const daily = addDays(mark as Day, 1) === last ? releaseOf(last, now, policy) : null;
    const decidesAt = daily?.decidesAt ?? new Date(now.getTime() + policy.lotteryWindowMinutes * 60_000);
    for (let day = addDays(mark as Day, 1); day <= last; day = addDays(day, 1)) {
      await ensureDraw(trx, day, decidesAt);
    }
  }
  await store.setReleaseMark(trx, last, now);
}

/**
 * SPEC §1: the national admin changes the global policy values in the console. An override sits
 * in PostgreSQL (one row per key, every change in the history and the audit log with the staff
 * member's name); each server process applies the overrides to its Policy at start, on every
 * change notification, after a lost listener connection and every `refreshMs`, so stateless
 * processes behind a load balancer agree within moments.
 */
export function createPolicyService(deps: PolicyDeps) {
  const { db, clock, live, configured, defaults } = deps;
  let overrides = new Map<PolicyKey, store.OverrideRow>();
  let timer: NodeJS.Timeout | undefined;
  let unsubscribe: (() => Promise<void>) | undefined;
  let stopResync: (() => void) | undefined;

  const valuesOf = (rows: Iterable<store.OverrideRow>) => new Map([...rows].map((r) => [r.key, r.value]));

  let reads = 0;
  let latest: Promise<void> = Promise.resolve();
  /**
   * Reads the overrides and applies them. Reads overlap (a notification during a periodic read):
   * only the latest started applies, or an older answer arriving last would put back replaced
   * values; an overtaken caller waits for the newer read, so it returns with the newest state.
   */
  function refresh(): Promise<void> {
    const mine = ++reads;
    const run: Promise<void> = store.listOverrides(db).then(async (rows) => {
      if (mine !== reads) return latest;
      overrides = new Map(rows.map((r) => [r.key, r]));
      applyOverrides(live, configured, valuesOf(rows));
    });
    latest = run;
    return run;
  }

  const refreshQuietly = () =>
    refresh().catch((error) => deps.logger?.warn({ err: error }, 'policy overrides not re-read'));

  function view() {
    const values = valuesOf(overrides.values());
    return policyKeys.map((key) => {
      const o = overrides.get(key);
      const s = policySettings[key];
      return {
        key,
        value: shownValue(key, live),
        source: sourceOf(key, configured, defaults, values),
        configured: shownValue(key, configured),
        default: shownValue(key, defaults),
        env: s.env,
        rule: s.rule,
        min: s.min,
        max: s.max,
        unit: s.unit,
        changedAt: o ? o.changedAt.toISOString() : null,
        changedByName: o?.changedByName ?? null,
      };
    });
  }

  return {
    refresh,

    async start() {
      await refresh();
      // The horizon in force now may reach further than the last one (HORIZON_DAYS raised).
      await db.transaction().execute((trx) => accountOpenedDays(trx, live, clock.now()));
      unsubscribe = await deps.events.subscribe(POLICY_CHANNEL, () => void refreshQuietly());
      // Notifications sent while the listening connection was away are lost: read afresh.
      stopResync = deps.events.onResync(() => void refreshQuietly());
      if (deps.refreshMs > 0) {
        timer = setInterval(() => void refreshQuietly(), deps.refreshMs);
        timer.unref();
      }
    },

    async stop() {
      if (timer) clearInterval(timer);
      stopResync?.();
      await unsubscribe?.();
    },

    /** The values in force with their source and range, and the latest changes. */
    async current(historyLimit = 100) {
      return { values: view(), history: await store.listChanges(db, historyLimit) };
    },

    /**
     * Sets one value (`value`), or removes the override (`null`: the configured value again).
     * Validated against the values committed now, not this process's copy, under a lock per key.
     */
    async change(input: {
      key: PolicyKey;
      value: number | null;
      reason: string;
      actor: Actor;
      staffId: string;
    }) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await store.lockKey(trx, input.key);
        const committed = await store.listOverrides(trx);
        const values = valuesOf(committed);
        const inForce: Policy = { ...configured };
        applyOverrides(inForce, configured, values);
        const oldValue = shownValue(input.key, inForce);
        const oldSource = sourceOf(input.key, configured, defaults, values);
        if (input.value === null && oldSource !== 'override')
          throw new DomainError('VALIDATION', { detail: 'Це значення не змінювали в консолі.' });
        const newValue = input.value ?? shownValue(input.key, configured);
        if (input.value !== null) {
          const refusal = refusalOf(input.key, input.value, inForce);
          if (refusal)
            throw new DomainError('VALIDATION', {
              detail: refusal,
              extensions: { errors: [{ field: 'body.value', message: refusal }] },
            });
          if (input.value === oldValue && oldSource === 'override')
            throw new DomainError('VALIDATION', { detail: 'Нове значення збігається з чинним.' });
        }
        const after = new Map(values);
        if (input.value === null) after.delete(input.key);
        else after.set(input.key, input.value);
        const newSource: PolicySource = sourceOf(input.key, configured, defaults, after);
        await store.writeOverride(
          trx,
          {
            key: input.key,
            oldValue,
            oldSource,
            newValue,
            newSource,
            at: now,
            staffId: input.staffId,
            reason: input.reason,
          },
          input.value,
        );
        if (input.key === 'horizonDays') {
          await accountOpenedDays(trx, { ...inForce, horizonDays: newValue }, now);
        }
        await audit(trx, {
          at: now,
          actorKind: input.actor.kind,
          actorId: input.staffId,
          action: input.value === null ? 'policy.reset' : 'policy.changed',
          subjectKind: 'policy',
          subjectId: input.key,
          ip: input.actor.ip,
          details: {
            key: input.key,
            from: oldValue,
            to: newValue,
            oldSource,
            newSource,
            reason: input.reason,
          },
        });
        // Delivered on commit to every process (this one included).
        await deps.events.publish(trx, POLICY_CHANNEL, { key: input.key });
      });
      // This process answers with the new value at once, whatever the notification's timing
      // (the change is committed: a failed re-read is the next refresh's to repair).
      await refreshQuietly();
      return { values: view(), history: await store.listChanges(db, 100) };
    },
  };
}

export type PolicyService = ReturnType<typeof createPolicyService>;
