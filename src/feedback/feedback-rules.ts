import type { RegistrationStatus } from '../platform/db-schema.js';
import { DomainError } from '../platform/problems.js';

/** Rule 11: only a served visit can be rated, 1–5, with an optional comment of ≤ 1000 chars. */
export const MAX_COMMENT = 1000;

export function assertRateable(status: RegistrationStatus): void {
  if (status !== 'served') {
    throw new DomainError('INVALID_STATE', { detail: 'Оцінити можна лише візит, на якому вас обслужили.' });
  }
}

export function normalizeComment(comment: string | null | undefined): string | null {
  const trimmed = comment?.trim() ?? '';
  if (trimmed.length > MAX_COMMENT) {
    throw new DomainError('VALIDATION', {
      extensions: { errors: [{ field: 'body.comment', message: `Не більше ${MAX_COMMENT} символів` }] },
    });
  }
  return trimmed || null;
}
