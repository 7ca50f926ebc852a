/**
 * Whether an error means "the database is away right now" (stopped, restarting, failing over,
 * frozen, unreachable, or every connection busy past the timeout) rather than a fault of the
 * request or of our code. Such a request is answered 503 with Retry-After: the same request
 * is likely to succeed in a few seconds.
 */

// Network errors of the socket to the database.
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

// PostgreSQL SQLSTATEs: admin_shutdown, crash_shutdown, cannot_connect_now, query_canceled (the
// statement timeout), idle_in_transaction_session_timeout, too_many_connections,
// read_only_sql_transaction (a standby that was the primary a moment ago).
const SQLSTATES = new Set(['57P01', '57P02', '57P03', '57014', '25P03', '53300', '25006']);

// node-postgres and its pool say these in words only.
const MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Query read timeout$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^The server does not support SSL connections$/,
];

function matches(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SQLSTATES.has(code)) return true;
    // Class 08: connection exception.
    if (/^08[0-9A-Z]{3}$/.test(code)) return true;
  }
  const message = (error as { message?: unknown }).message;
  return typeof message === 'string' && MESSAGES.some((m) => m.test(message));
}

export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || !error || typeof error !== 'object') return false;
  if (matches(error)) return true;
  const nested = (error as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable((error as { cause?: unknown }).cause, depth + 1);
}

/** A short description for the log: the code and message of the innermost cause, no stack. */
export function unavailableReason(error: unknown): string {
  let current: unknown = error;
  for (let i = 0; i < 6 && current && typeof current === 'object'; i++) {
    if (matches(current)) break;
    const next = (current as { cause?: unknown }).cause;
    if (!next) break;
    current = next;
  }
  const e = current as { code?: unknown; message?: unknown };
  return [e?.code, e?.message].filter((x) => typeof x === 'string' && x).join(' ');
}

/** Logs what the database connections report (a lost idle connection, a failed reconnect). */
export function logDatabaseErrors(logger: { warn(obj: object, msg: string): void }) {
  return (error: unknown, where: 'pool' | 'listener') =>
    logger.warn({ where, reason: unavailableReason(error) }, 'database connection error');
}
