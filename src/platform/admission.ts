import type { FastifyRequest } from 'fastify';

/**
 * A guard's verdict on a request that the handler awaits itself, so that the handler's reads run
 * while the guard's statement is in flight (#19: the proof-of-work claim and the booking's facts
 * read, one round trip instead of two in a row). Only for routes whose handler awaits
 * `admission(request)` before it writes or answers (route config `antibot: 'handler'`); the guard
 * of every other route is awaited before its handler runs, as before.
 */
const pending = new WeakMap<FastifyRequest, Promise<void>>();

/** Records `check` as the request's admission; a refusal is handled once the handler awaits it. */
export function deferAdmission(request: FastifyRequest, check: Promise<void>): void {
  // Marks the rejection handled here: a handler that fails on something else before it awaits
  // the admission must not turn the refusal into an unhandled rejection.
  check.catch(() => {});
  pending.set(request, check);
}

const asked = new WeakSet<FastifyRequest>();

/** The request's admission: resolves when every deferred guard passed, rejects with its refusal. */
export function admission(request: FastifyRequest): Promise<void> {
  asked.add(request);
  return pending.get(request) ?? Promise.resolve();
}

/**
 * True when a guard was deferred and the handler never asked for its verdict: a route declared
 * `antibot: 'handler'` whose handler forgot `admission(request)`. The fairness layer turns such
 * a success into a 500 rather than let an unchecked request through.
 */
export function admissionSkipped(request: FastifyRequest): boolean {
  return pending.has(request) && !asked.has(request);
}
