import type { Policy } from '../config.js';
import type { Channel, PriorityCategory } from '../platform/db-schema.js';
import { DomainError } from '../platform/problems.js';

/**
 * The hall's rules (SPEC 3.5–3.7) as pure functions over plain data and `now`, like Munich
 * eappointment's QueueList: the calling order, what is due, wait estimates and the alert shift.
 * The calling SQL (hall-store `claimNext`) implements `isDue` + `compareQueue` in one statement;
 * the tests hold the two to the same order.
 */

export interface QueueTicket {
  id: string;
  groupId: string;
  channel: Channel;
  priority: PriorityCategory | null;
  callAt: Date;
  createdAt: Date;
  parked: boolean;
}

/** Rule 6: priority tickets first, then by call time, then by creation time (then id, for a total order). */
export function compareQueue(a: QueueTicket, b: QueueTicket): number {
  const pa = a.priority ? 0 : 1;
  const pb = b.priority ? 0 : 1;
  if (pa !== pb) return pa - pb;
  const byCall = a.callAt.getTime() - b.callAt.getTime();
  if (byCall !== 0) return byCall;
  const byCreated = a.createdAt.getTime() - b.createdAt.getTime();
  if (byCreated !== 0) return byCreated;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Rule 6: a ticket is due when its call time has come, or when the desk is idle and the ticket
 * was made at the terminal today (the visitor is already in the hall). Parked tickets wait.
 */
export function isDue(t: QueueTicket, now: Date, deskIdle: boolean): boolean {
  if (t.parked) return false;
  return t.callAt.getTime() <= now.getTime() || (deskIdle && t.channel === 'terminal');
}

/** Rule 6: the ticket a desk serving `groups` calls next, or null. */
export function nextTicket(
  tickets: readonly QueueTicket[],
  groups: readonly string[],
  now: Date,
  deskIdle: boolean,
): QueueTicket | null {
  const due = tickets.filter((t) => groups.includes(t.groupId) && isDue(t, now, deskIdle));
  return due.sort(compareQueue)[0] ?? null;
}

/** The waiting queue of some groups in calling order (parked tickets excluded). */
export function orderQueue(tickets: readonly QueueTicket[], groups?: readonly string[]): QueueTicket[] {
  return tickets.filter((t) => !t.parked && (!groups || groups.includes(t.groupId))).sort(compareQueue);
}

/** How many waiting tickets of the same group come before `ticket` in calling order. */
export function peopleAhead(tickets: readonly QueueTicket[], ticket: QueueTicket): number {
  return orderQueue(tickets, [ticket.groupId]).filter(
    (t) => t.id !== ticket.id && compareQueue(t, ticket) < 0,
  ).length;
}

/**
 * Wait estimate: `ahead` people served by `desks` desks in parallel at `serviceMs` each; never
 * earlier than the ticket's own call time (a ticket is not called before its time unless a desk
 * is idle). With no desk open the estimate is the call time itself.
 */
export function estimateCallTime(
  ahead: number,
  desks: number,
  serviceMs: number,
  callAt: Date,
  now: Date,
): Date {
  const queueMs = desks > 0 ? Math.floor(ahead / desks) * serviceMs : 0;
  return new Date(Math.max(callAt.getTime(), now.getTime() + queueMs));
}

/** Average of durations in ms, or null for none (statistics and the service-time default). */
export function averageMs(durations: readonly number[]): number | null {
  if (durations.length === 0) return null;
  return Math.round(durations.reduce((a, b) => a + b, 0) / durations.length);
}

/** Rule 5 (terminal): the call time of a ticket in a terminal slot: its start, or now if it has begun. */
export function terminalCallTime(slotStart: Date, now: Date): Date {
  return slotStart.getTime() > now.getTime() ? slotStart : now;
}

/** Rule 5c: the military category only while martial law is in force. */
export function assertPriorityAllowed(category: PriorityCategory, martialLaw: boolean): void {
  if (category === 'military' && !martialLaw) {
    throw new DomainError('VALIDATION', {
      detail: 'Категорія «військовослужбовці» діє лише під час воєнного стану.',
      extensions: { errors: [{ field: 'body.priority.category', message: 'Воєнний стан не діє' }] },
    });
  }
}

/**
 * Rule 6: what a recall does. The first call and each recall count; once the ticket has been
 * called `callsBeforeNoShow` times without the person coming up, the next recall records a
 * no-show instead of calling again.
 */
export function recallOutcome(
  callCount: number,
  policy: Pick<Policy, 'callsBeforeNoShow'>,
): 'call' | 'no_show' {
  return callCount >= policy.callsBeforeNoShow ? 'no_show' : 'call';
}

export interface AlertWindow {
  start: Date;
  end: Date;
}

/** Rule 7: after the all-clear every waiting ticket of the day moves on by the pause length. */
export function shiftedCallAt(callAt: Date, alert: AlertWindow): Date {
  return new Date(callAt.getTime() + (alert.end.getTime() - alert.start.getTime()));
}

/** Rules 4 and 7: a registration whose time fell inside the alert is never a no-show. */
export function isAlertExcused(time: Date, alert: AlertWindow): boolean {
  return time.getTime() >= alert.start.getTime() && time.getTime() <= alert.end.getTime();
}
