import type { Policy } from '../config.js';
import type { PolicySource } from '../platform/db-schema.js';

/**
 * The national policy values the national admin may change in the console (SPEC §1), each with
 * the range the console accepts and what a change affects. Pure: no database, no clock.
 *
 * Left out on purpose: `slotWindowMinutes` (the shape of every generated slot: changing it moves
 * existing times) and `cancelBeforeMinutes` (the e-mail renderer, which may run in its own worker
 * process, prints it from the configuration): those stay environment settings.
 */
export interface PolicySetting {
  /** The environment variable that configures it (README, Configuration). */
  env: string;
  /** SPEC §3 rule. */
  rule: number;
  min: number;
  max: number;
  /** The unit shown and stored: whole numbers; `percent` is stored as 0–100, kept as a fraction. */
  unit: 'count' | 'days' | 'minutes' | 'hour' | 'percent';
}

export const policySettings = {
  personOnlinePerMonth: { env: 'LIMIT_PERSON_ONLINE_PER_MONTH', rule: 1, min: 1, max: 31, unit: 'count' },
  personTerminalPerMonth: { env: 'LIMIT_PERSON_TERMINAL_PER_MONTH', rule: 1, min: 1, max: 31, unit: 'count' },
  entityOnlinePerDay: { env: 'LIMIT_ENTITY_ONLINE_PER_DAY', rule: 1, min: 1, max: 200, unit: 'count' },
  entityTerminalPerDay: { env: 'LIMIT_ENTITY_TERMINAL_PER_DAY', rule: 1, min: 1, max: 200, unit: 'count' },
  horizonDays: { env: 'HORIZON_DAYS', rule: 8, min: 1, max: 60, unit: 'days' },
  releaseHour: { env: 'RELEASE_HOUR', rule: 8, min: 0, max: 23, unit: 'hour' },
  lotteryWindowMinutes: { env: 'LOTTERY_WINDOW_MINUTES', rule: 9, min: 0, max: 120, unit: 'minutes' },
  onlineShare: { env: 'ONLINE_SHARE_PERCENT', rule: 8, min: 0, max: 100, unit: 'percent' },
  maxMoves: { env: 'MAX_MOVES', rule: 3, min: 0, max: 10, unit: 'count' },
  resaleDelayMinMinutes: { env: 'RESALE_DELAY_MIN_MINUTES', rule: 3, min: 0, max: 240, unit: 'minutes' },
  resaleDelayMaxMinutes: { env: 'RESALE_DELAY_MAX_MINUTES', rule: 3, min: 0, max: 240, unit: 'minutes' },
  noShowBlockThreshold: { env: 'NO_SHOW_BLOCK_THRESHOLD', rule: 4, min: 1, max: 31, unit: 'count' },
  noShowBlockDays: { env: 'NO_SHOW_BLOCK_DAYS', rule: 4, min: 1, max: 365, unit: 'days' },
  callsBeforeNoShow: { env: 'CALLS_BEFORE_NO_SHOW', rule: 6, min: 1, max: 5, unit: 'count' },
  examRetryDays: { env: 'EXAM_RETRY_DAYS', rule: 9, min: 0, max: 60, unit: 'days' },
  waitlistHoldMinutes: { env: 'WAITLIST_HOLD_MINUTES', rule: 12, min: 5, max: 240, unit: 'minutes' },
} as const satisfies Record<string, PolicySetting>;

export type PolicyKey = keyof typeof policySettings;

export const policyKeys = Object.keys(policySettings) as PolicyKey[];

export function isPolicyKey(key: string): key is PolicyKey {
  return Object.hasOwn(policySettings, key);
}

/** The value as the console shows and stores it (the online share in percent). */
export function shownValue(key: PolicyKey, policy: Policy): number {
  const v = policy[key];
  return policySettings[key].unit === 'percent' ? Math.round(v * 100) : v;
}

function intoPolicy(key: PolicyKey, shown: number): number {
  return policySettings[key].unit === 'percent' ? shown / 100 : shown;
}

/** Where a value in force comes from: a console override, the environment, or the SPEC default. */
export function sourceOf(
  key: PolicyKey,
  configured: Policy,
  defaults: Policy,
  overrides: ReadonlyMap<PolicyKey, number>,
): PolicySource {
  if (overrides.has(key)) return 'override';
  return shownValue(key, configured) === shownValue(key, defaults) ? 'default' : 'config';
}

/**
 * The values in force: the configured ones with the overrides on top. Writes into `target` (the
 * process's one Policy object every service reads), so a change reaches every reader at once.
 */
export function applyOverrides(
  target: Policy,
  configured: Policy,
  overrides: ReadonlyMap<PolicyKey, number>,
) {
  for (const key of policyKeys) {
    const shown = overrides.get(key);
    target[key] = shown === undefined ? configured[key] : intoPolicy(key, shown);
  }
}

/**
 * Why a new value is refused (a Ukrainian detail), or null: a whole number in the key's range,
 * and consistent with the other values in force.
 */
export function refusalOf(key: PolicyKey, value: number, inForce: Policy): string | null {
  const s = policySettings[key];
  if (!Number.isInteger(value) || value < s.min || value > s.max)
    return `Значення має бути цілим числом від ${s.min} до ${s.max}.`;
  const next: Policy = { ...inForce, [key]: intoPolicy(key, value) };
  if (next.resaleDelayMinMinutes > next.resaleDelayMaxMinutes)
    return 'Найменша затримка повернення місця не може перевищувати найбільшу.';
  // The lottery window closes on the day it opened (the draw is per released day).
  if (next.releaseHour * 60 + next.lotteryWindowMinutes >= 24 * 60)
    return 'Вікно жеребкування має закінчитися до півночі дня відкриття.';
  return null;
}
