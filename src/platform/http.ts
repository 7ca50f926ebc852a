import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable, unavailableReason } from './db-errors.js';
import { DomainError, type ProblemCode, toProblem } from './problems.js';

/** Seconds a client is asked to wait while the database is away (a restart or failover). */
export const UNAVAILABLE_RETRY_AFTER_S = 5;

export type Lang = 'uk' | 'en';

/** Ukrainian unless the person chose English (cookie) or the browser prefers it. */
export function requestLang(request: FastifyRequest): Lang {
  const cookie = (request.cookies as Record<string, string | undefined> | undefined)?.lang;
  if (cookie === 'en' || cookie === 'uk') return cookie;
  const accept = request.headers['accept-language'] ?? '';
  const first = accept.split(',')[0]?.trim().toLowerCase() ?? '';
  return first.startsWith('en') ? 'en' : 'uk';
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: DomainError) {
  const problem = toProblem(error, requestLang(request), request.url.split('?')[0]);
  if (
    (error.code === 'RATE_LIMITED' || error.code === 'SERVICE_UNAVAILABLE') &&
    typeof error.extensions.retryAfter === 'number'
  ) {
    reply.header('Retry-After', String(error.extensions.retryAfter));
  }
  return reply.status(error.status).type('application/problem+json; charset=utf-8').send(problem);
}

const fastifyCodes: Record<string, ProblemCode> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'VALIDATION',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'VALIDATION',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION',
  FST_ERR_CTP_BODY_TOO_LARGE: 'VALIDATION',
  FST_ERR_VALIDATION: 'VALIDATION',
};

/**
 * Every error leaves as RFC 9457 problem details with a stable code and a Ukrainian message;
 * never a stack trace. Unknown errors are logged (scrubbed) and answered as INTERNAL.
 */
export function installProblemHandlers(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof DomainError) return sendProblem(request, reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const errors = error.validation.map((v) => ({
        field: [error.validationContext, ...String(v.instancePath).split('/').filter(Boolean)].join('.'),
        message: v.message,
      }));
      return sendProblem(request, reply, new DomainError('VALIDATION', { extensions: { errors } }));
    }
    if (error.statusCode === 429) return sendProblem(request, reply, new DomainError('RATE_LIMITED'));
    const mapped = error.code ? fastifyCodes[error.code] : undefined;
    if (mapped || (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)) {
      const detail =
        error instanceof SyntaxError ||
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        /JSON/.test(error.message)
          ? 'Тіло запиту не є коректним JSON.'
          : undefined;
      return sendProblem(request, reply, new DomainError(mapped ?? 'VALIDATION', { detail }));
    }
    if (isDatabaseUnavailable(error)) {
      // Expected during a database restart or failover: one line, no stack, and a hint to retry.
      request.log.warn({ reason: unavailableReason(error) }, 'database unavailable');
      return sendProblem(request, reply, serviceUnavailable());
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(request, reply, new DomainError('INTERNAL'));
  });
  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, new DomainError('NOT_FOUND')));
}

export const serviceUnavailable = () =>
  new DomainError('SERVICE_UNAVAILABLE', { extensions: { retryAfter: UNAVAILABLE_RETRY_AFTER_S } });
