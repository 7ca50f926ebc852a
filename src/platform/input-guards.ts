import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError } from './problems.js';

/**
 * Input every route refuses before it is read: a NUL byte anywhere in the path, the query or a
 * JSON body (PostgreSQL cannot store one, so it would surface as a 500), and, on the JSON API,
 * any body that is not JSON: a form or text/plain body is what a cross-site HTML form can send
 * without a preflight, and the API has no use for one (forms post to pages outside /api/).
 */
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refuse(detail: string): DomainError {
  return new DomainError('VALIDATION', { detail });
}

function hasNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(hasNul);
  if (value && typeof value === 'object')
    return Object.entries(value).some(([k, v]) => hasNul(k) || hasNul(v));
  return false;
}

function isJson(request: FastifyRequest): boolean {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return type === 'application/json' || type.endsWith('+json');
}

/** Both hooks are synchronous (Fastify catches what they throw): no promise per request. */
export function installInputGuards(app: FastifyInstance): void {
  app.addHook('onRequest', (request, _reply, done) => {
    if (request.url.includes('%00') || request.url.includes('\u0000'))
      throw refuse('Запит містить недопустимий символ (NUL).');
    const hasBody =
      request.headers['content-type'] !== undefined || Number(request.headers['content-length'] ?? 0) > 0;
    if (UNSAFE.has(request.method) && request.url.startsWith('/api/') && hasBody && !isJson(request))
      throw refuse('Очікується тіло запиту у форматі JSON (application/json).');
    done();
  });
  app.addHook('preValidation', (request, _reply, done) => {
    if (hasNul(request.body)) throw refuse('Запит містить недопустимий символ (NUL).');
    done();
  });
}
