import type { RegistrationStatus } from '../platform/db-schema.js';
import { DomainError } from '../platform/problems.js';
import { STATUSES } from './statuses.js';

/**
 * The registration lifecycle (SPEC §3 rules 3, 6, 9, 12, 13) as ONE table of named events.
 * `registration-store.transition` performs an event as one conditional UPDATE (from-states and
 * guard in SQL); migration 0009 copies the (from, to) pairs into `registration_transitions`,
 * and a trigger refuses any other change of `status`, whoever writes it.
 *
 *   pending ──draw_won──▶ booked ──call──▶ called ──serve/refuse/mark_no_show──▶ (final)
 *      │ draw_lost, withdraw   │  ▲ │ check_in      ▲ │ recall (called → called)
 *      ▼                       │  │ ▼               │ ▼ park/transfer (back to the queue)
 *   lost, cancelled      move ─┘  arrived ──call────┘
 *   offered ──offer_accepted──▶ booked;  offered ──offer_released──▶ released
 */

export { STATUSES };

/** Where a ticket taken off the desk goes: back to `arrived` if the person checked in, else `booked`. */
export const BACK_TO_QUEUE = 'back_to_queue';

export interface EventSpec {
  from: readonly RegistrationStatus[];
  to: RegistrationStatus | typeof BACK_TO_QUEUE;
  /** What the SQL guard of registration-store checks besides the from-state. */
  guard: string;
}

export const EVENTS = {
  draw_won: { from: ['pending'], to: 'booked', guard: 'the release lottery draw gave the entry a place' },
  draw_lost: { from: ['pending'], to: 'lost', guard: 'the release lottery draw gave the entry no place' },
  withdraw: {
    from: ['pending'],
    to: 'cancelled',
    guard: 'the owner withdraws a lottery entry before its draw (it holds no place, so no deadline)',
  },
  offer_accepted: {
    from: ['offered'],
    to: 'booked',
    guard: 'the waiter it is held for accepts before the hold ends',
  },
  offer_released: {
    from: ['offered'],
    to: 'released',
    guard: 'the waiter declines, or the hold has ended',
  },
  check_in: {
    from: ['booked'],
    to: 'arrived',
    guard: 'an online registration of today, checked in at the kiosk',
  },
  call: { from: ['booked', 'arrived'], to: 'called', guard: 'a ticket of today, called to a desk' },
  recall: {
    from: ['called'],
    to: 'called',
    guard: 'a ticket of today called fewer times than the no-show threshold',
  },
  park: {
    from: ['called'],
    to: BACK_TO_QUEUE,
    guard: 'the person steps aside; the ticket waits, parked, in its place',
  },
  transfer: {
    from: ['called'],
    to: BACK_TO_QUEUE,
    guard: 'the ticket moves to another service group keeping its call time',
  },
  serve: { from: ['called'], to: 'served', guard: "a ticket called to the operator's own desk" },
  refuse: {
    from: ['called'],
    to: 'refused_mismatch',
    guard: "a ticket called to the operator's own desk (document and data differ)",
  },
  mark_no_show: {
    from: ['called'],
    to: 'no_show',
    guard: 'a ticket of today called at least the no-show threshold of times (policy, 2)',
  },
  cancel: {
    from: ['booked'],
    to: 'cancelled',
    guard:
      'the owner, an online registration, until the cancellation deadline (2 h before); or the center head, for an open capacity conflict of the registration (rule 8)',
  },
  move: {
    from: ['booked'],
    to: 'booked',
    guard:
      "the owner, an online registration, until 2 h before, fewer than the allowed moves (2); or the owner accepting the center head's offer for an open capacity conflict (rule 8; not counted as one of the owner's moves)",
  },
} as const satisfies Record<string, EventSpec>;

export type RegistrationEvent = keyof typeof EVENTS;

/** The states an event may end in (a return to the queue can end in either waiting state). */
export function targetsOf(event: RegistrationEvent): RegistrationStatus[] {
  const to = EVENTS[event].to;
  return to === BACK_TO_QUEUE ? ['booked', 'arrived'] : [to];
}

/**
 * Every allowed (from, to) pair. A return to the queue keeps the waiting state the ticket had:
 * a checked-in person goes back to `arrived`, anyone else to `booked`.
 */
export function allowedPairs(): Array<[RegistrationStatus, RegistrationStatus]> {
  const pairs = new Map<string, [RegistrationStatus, RegistrationStatus]>();
  for (const event of Object.keys(EVENTS) as RegistrationEvent[]) {
    for (const from of EVENTS[event].from)
      for (const to of targetsOf(event)) pairs.set(`${from}>${to}`, [from, to]);
  }
  return [...pairs.values()];
}

export function canTransition(from: RegistrationStatus, to: RegistrationStatus): boolean {
  return allowedPairs().some(([f, t]) => f === from && t === to);
}

export function isFinal(status: RegistrationStatus): boolean {
  return !allowedPairs().some(([from]) => from === status);
}

export function allows(event: RegistrationEvent, status: RegistrationStatus): boolean {
  return (EVENTS[event].from as readonly RegistrationStatus[]).includes(status);
}

/** Refuses at once an event the registration's current state does not allow. */
export function assertEvent(event: RegistrationEvent, status: RegistrationStatus): void {
  if (!allows(event, status)) {
    throw new DomainError('INVALID_STATE', { extensions: { from: status, event } });
  }
}
