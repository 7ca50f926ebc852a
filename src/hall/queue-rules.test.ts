import { describe, expect, it } from 'vitest';
import { defaultPolicy } from '../config.js';
import { DomainError } from '../platform/problems.js';
import {
  assertPriorityAllowed,
  averageMs,
  compareQueue,
  estimateCallTime,
  isAlertExcused,
  isDue,
  nextTicket,
  orderQueue,
  peopleAhead,
  type QueueTicket,
  recallOutcome,
  shiftedCallAt,
  terminalCallTime,
} from './queue-rules.js';

const at = (hm: string) => new Date(`2026-11-23T${hm}:00Z`);
const t = (id: string, over: Partial<QueueTicket> = {}): QueueTicket => ({
  id,
  groupId: 'g1',
  channel: 'online',
  priority: null,
  callAt: at('08:00'),
  createdAt: at('07:00'),
  parked: false,
  ...over,
});

describe('rule 6: calling order', () => {
  it('priority tickets come first, then by call time, then by creation time', () => {
    const list = [
      t('late', { callAt: at('09:00') }),
      t('early-created-later', { callAt: at('08:00'), createdAt: at('07:30') }),
      t('prio-late', { priority: 'disability', callAt: at('09:30') }),
      t('early', { callAt: at('08:00'), createdAt: at('07:10') }),
      t('prio-early', { priority: 'military', callAt: at('09:10') }),
    ];
    expect(orderQueue(list).map((x) => x.id)).toEqual([
      'prio-early',
      'prio-late',
      'early',
      'early-created-later',
      'late',
    ]);
  });

  it('ties on every field are broken by id so that the order is total', () => {
    expect(compareQueue(t('a'), t('b'))).toBeLessThan(0);
    expect(compareQueue(t('b'), t('a'))).toBeGreaterThan(0);
    expect(compareQueue(t('a'), t('a'))).toBe(0);
  });

  it('a ticket is due at its call time; an idle desk may call a terminal ticket ahead of time', () => {
    const now = at('08:00');
    expect(isDue(t('x', { callAt: at('08:00') }), now, false)).toBe(true);
    expect(isDue(t('x', { callAt: at('08:01') }), now, false)).toBe(false);
    expect(isDue(t('x', { callAt: at('09:00'), channel: 'terminal' }), now, true)).toBe(true);
    expect(isDue(t('x', { callAt: at('09:00'), channel: 'terminal' }), now, false)).toBe(false);
    expect(isDue(t('x', { callAt: at('09:00'), channel: 'online' }), now, true)).toBe(false);
  });

  it('parked tickets are never due', () => {
    expect(isDue(t('x', { parked: true }), at('12:00'), true)).toBe(false);
  });

  it('the next ticket is chosen among the desk groups only', () => {
    const list = [t('other', { groupId: 'g2', priority: 'disability' }), t('mine', { callAt: at('08:30') })];
    expect(nextTicket(list, ['g1'], at('09:00'), false)?.id).toBe('mine');
    expect(nextTicket(list, ['g1', 'g2'], at('09:00'), false)?.id).toBe('other');
    expect(nextTicket(list, ['g3'], at('09:00'), true)).toBeNull();
  });

  it('a busy desk does not call a terminal ticket before its time, an idle one does', () => {
    const list = [t('future-terminal', { channel: 'terminal', callAt: at('10:00') })];
    expect(nextTicket(list, ['g1'], at('09:00'), false)).toBeNull();
    expect(nextTicket(list, ['g1'], at('09:00'), true)?.id).toBe('future-terminal');
  });
});

describe('wait estimates', () => {
  it('counts the people ahead in the same group only', () => {
    const me = t('me', { callAt: at('09:00') });
    const list = [
      t('a', { callAt: at('08:00') }),
      t('b', { priority: 'disability', callAt: at('10:00') }),
      t('c', { callAt: at('08:30'), groupId: 'g2' }),
      t('d', { callAt: at('08:40'), parked: true }),
      t('after', { callAt: at('09:30') }),
      me,
    ];
    expect(peopleAhead(list, me)).toBe(2);
  });

  it('spreads the queue over the open desks and never estimates before the call time', () => {
    const now = at('08:00');
    const fifteen = 15 * 60_000;
    expect(estimateCallTime(4, 2, fifteen, at('08:00'), now)).toEqual(at('08:30'));
    expect(estimateCallTime(5, 2, fifteen, at('08:00'), now)).toEqual(at('08:30'));
    expect(estimateCallTime(0, 2, fifteen, at('09:00'), now)).toEqual(at('09:00'));
    expect(estimateCallTime(3, 0, fifteen, at('08:10'), now)).toEqual(at('08:10'));
  });

  it('averages durations, none for an empty list', () => {
    expect(averageMs([])).toBeNull();
    expect(averageMs([1000, 2000, 4000])).toBe(2333);
  });

  it('a terminal ticket is called at its slot start, or now when the slot has begun', () => {
    expect(terminalCallTime(at('10:00'), at('09:00'))).toEqual(at('10:00'));
    expect(terminalCallTime(at('09:00'), at('09:10'))).toEqual(at('09:10'));
  });
});

describe('rule 5c: military priority only under martial law', () => {
  it('refuses the military category when martial law is off', () => {
    expect(() => assertPriorityAllowed('military', false)).toThrow(DomainError);
    expect(() => assertPriorityAllowed('military', true)).not.toThrow();
    expect(() => assertPriorityAllowed('disability', false)).not.toThrow();
  });
});

describe('rule 6: recall', () => {
  it('a ticket called twice without the person coming up becomes a no-show on the next recall', () => {
    const policy = { callsBeforeNoShow: defaultPolicy.callsBeforeNoShow };
    expect(policy.callsBeforeNoShow).toBe(2);
    expect(recallOutcome(1, policy)).toBe('call');
    expect(recallOutcome(2, policy)).toBe('no_show');
    expect(recallOutcome(1, { callsBeforeNoShow: 1 })).toBe('no_show');
  });
});

describe('rule 7: alert shift', () => {
  const alert = { start: at('10:00'), end: at('10:40') };
  it('moves every waiting call time by the pause, keeping the order', () => {
    expect(shiftedCallAt(at('09:50'), alert)).toEqual(at('10:30'));
    expect(shiftedCallAt(at('11:00'), alert)).toEqual(at('11:40'));
  });
  it('excuses exactly the times inside the alert (both ends included)', () => {
    expect(isAlertExcused(at('09:59'), alert)).toBe(false);
    expect(isAlertExcused(at('10:00'), alert)).toBe(true);
    expect(isAlertExcused(at('10:40'), alert)).toBe(true);
    expect(isAlertExcused(at('10:41'), alert)).toBe(false);
  });
});
