import type { Policy } from '../config.js';
import type { Channel } from '../platform/db-schema.js';
import { type Day, kyivMonth } from '../platform/kyiv-time.js';

/** A limit counter to claim (rule 1): whose, which period, up to how many. */
export interface Quota {
  subject: string;
  period: string;
  limit: number;
}

/** Rule 1: the period a registration counts in — its appointment's month (person) or day (legal entity). */
export function limitPeriod(subject: 'person' | 'entity', appointmentDay: Day): Day {
  return subject === 'person' ? kyivMonth(appointmentDay) : appointmentDay;
}

export function limitFor(subject: 'person' | 'entity', channel: Channel, policy: Policy): number {
  if (subject === 'person')
    return channel === 'online' ? policy.personOnlinePerMonth : policy.personTerminalPerMonth;
  return channel === 'online' ? policy.entityOnlinePerDay : policy.entityTerminalPerDay;
}

/**
 * Rule 1: the counter a registration takes a unit of. A legal entity's registrations count
 * against the entity per appointment day, a person's own against the person per month.
 */
export function quotaFor(
  who: { personId: string; legalEntity: string | null },
  channel: Channel,
  appointmentDay: Day,
  policy: Policy,
): Quota {
  const subject = who.legalEntity ? 'entity' : 'person';
  return {
    subject: who.legalEntity ? `entity:${who.legalEntity}` : `person:${who.personId}`,
    period: limitPeriod(subject, appointmentDay),
    limit: limitFor(subject, channel, policy),
  };
}
