import { describe, expect, it } from 'vitest';
import { DomainError } from '../platform/problems.js';
import {
  allowedPairs,
  assertEvent,
  canTransition,
  EVENTS,
  isFinal,
  STATUSES,
  targetsOf,
} from './registration-states.js';

const codeOf = (fn: () => void) => {
  try {
    fn();
    return null;
  } catch (e) {
    return e instanceof DomainError ? e.code : 'other';
  }
};

describe('registration lifecycle (one table of named events)', () => {
  it('booked → called → served / refused_mismatch / no_show; booked → cancelled', () => {
    expect(canTransition('booked', 'called')).toBe(true);
    for (const end of ['served', 'refused_mismatch', 'no_show'] as const)
      expect(canTransition('called', end)).toBe(true);
    expect(canTransition('booked', 'cancelled')).toBe(true);
  });

  it('rule 6: a no-show, a service or a refusal is recorded only for a called ticket', () => {
    for (const end of ['served', 'refused_mismatch', 'no_show'] as const) {
      for (const from of STATUSES) expect(canTransition(from, end)).toBe(from === 'called');
    }
  });

  it('final states have no exits; a served registration cannot be cancelled', () => {
    expect(STATUSES.filter(isFinal)).toEqual([
      'served',
      'refused_mismatch',
      'no_show',
      'cancelled',
      'lost',
      'released',
    ]);
    expect(codeOf(() => assertEvent('cancel', 'served'))).toBe('INVALID_STATE');
    expect(codeOf(() => assertEvent('offer_accepted', 'released'))).toBe('INVALID_STATE');
    expect(codeOf(() => assertEvent('serve', 'booked'))).toBe('INVALID_STATE');
  });

  it('rule 3: a move keeps the registration (booked → booked); a recall keeps it called', () => {
    expect(targetsOf('move')).toEqual(['booked']);
    expect(targetsOf('recall')).toEqual(['called']);
  });

  it('rule 12: an offer is accepted (booked) or released; rule 13: a checked-in ticket is called from arrived', () => {
    expect(EVENTS.offer_accepted).toMatchObject({ from: ['offered'], to: 'booked' });
    expect(EVENTS.offer_released).toMatchObject({ from: ['offered'], to: 'released' });
    expect(canTransition('booked', 'arrived')).toBe(true);
    expect(canTransition('arrived', 'called')).toBe(true);
    expect(canTransition('arrived', 'cancelled')).toBe(false);
  });

  it('a ticket taken off the desk goes back to the waiting state it had', () => {
    expect(targetsOf('park')).toEqual(['booked', 'arrived']);
    expect(targetsOf('transfer')).toEqual(['booked', 'arrived']);
  });

  it('a lottery entry may be withdrawn by its owner (pending → cancelled)', () => {
    expect(EVENTS.withdraw).toMatchObject({ from: ['pending'], to: 'cancelled' });
  });

  it('the table has 16 allowed pairs of 121', () => {
    expect(allowedPairs()).toHaveLength(16);
  });
});
