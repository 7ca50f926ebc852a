import { maskIdentifier } from '../platform/crypto.js';

/**
 * Rule 4, before a block is lifted: the head sees enough to know the person in front of them is
 * the blocked one, and no more. Every part of a name keeps at most its last two characters, like
 * every identifier on screen (see maskIdentifier): "Шевченко Тарас" → "******ко ****с".
 */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => maskIdentifier(part))
    .join(' ');
}

/** Who may lift the block: a national admin anywhere, a head only at the center of the last registration. */
export function mayLift(input: {
  isNationalAdmin: boolean;
  headCenterId: string | null;
  liftCenterId: string | null;
}) {
  return input.isNationalAdmin || (input.liftCenterId !== null && input.liftCenterId === input.headCenterId);
}
