import { useSyncExternalStore } from 'react';
import type { ServerTime } from '../../src/platform/time-routes.js';
import { api } from './api.js';
import { kyivDay } from './time.js';

/**
 * Every screen's "now" is the server's (SPEC: dates and times come from the server, never from
 * the device): a phone or a kiosk with a wrong clock still offers the server's booking window.
 * The server's instant is read once and carried forward on the monotonic `performance.now()`,
 * which a change of the device's wall clock does not move. The answer is read again every few
 * minutes and when the Kyiv day turns, because the window moves with the day (and at 06:00).
 */
export interface Now {
  /** The server's current instant. */
  now: Date;
  /** Its Kyiv calendar day (YYYY-MM-DD). */
  today: string;
  /** The online booking window, both ends included. */
  horizonFrom: string;
  horizonTo: string;
  /** The rules screens state in words: days ahead, cancel window, monthly online limit. */
  policy: ServerTime['policy'];
}

const REFRESH_MS = 5 * 60_000;
const TICK_MS = 1000;
const RETRY_MS = 5000;

let base: { serverMs: number; at: number; answer: ServerTime } | null = null;
let loading: Promise<void> | null = null;
let snapshot: Now | null = null;
const listeners = new Set<() => void>();

/** The server's rules as last read, or null before the first answer (for code outside components). */
export function serverPolicy(): ServerTime['policy'] | null {
  return base?.answer.policy ?? null;
}

/** The server's instant now, or null before the first answer. */
export function serverNow(): Date | null {
  return base ? new Date(base.serverMs + (performance.now() - base.at)) : null;
}

function rebuild() {
  const now = serverNow();
  if (!base || !now) return;
  const today = kyivDay(now);
  if (
    snapshot &&
    snapshot.today === today &&
    Math.floor(snapshot.now.getTime() / TICK_MS) === Math.floor(now.getTime() / TICK_MS)
  )
    return;
  snapshot = {
    now,
    today,
    horizonFrom: base.answer.horizonFrom,
    horizonTo: base.answer.horizonTo,
    policy: base.answer.policy,
  };
  if (today !== base.answer.today || performance.now() - base.at > REFRESH_MS) void load();
  for (const l of listeners) l();
}

function load(): Promise<void> {
  loading ??= (async () => {
    try {
      const sent = performance.now();
      const answer = await api.get<ServerTime>('/api/v1/time');
      // The answer was made about half-way through the round trip.
      const at = (sent + performance.now()) / 2;
      base = { serverMs: Date.parse(answer.now), at, answer };
    } catch {
      // Offline or the server is restarting: screens keep their loading state and ask again.
      if (listeners.size > 0) setTimeout(() => void load(), RETRY_MS);
    } finally {
      loading = null;
    }
    rebuild();
    for (const l of listeners) l();
  })();
  return loading;
}

let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!base && !loading) void load();
  timer ??= setInterval(rebuild, TICK_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

/**
 * The server's time for a component, ticking once a second: `null` until the server answered
 * (screens show a loading state rather than a guess from the device's clock).
 */
export function useServerTime(): Now | null {
  return useSyncExternalStore(subscribe, () => snapshot);
}
