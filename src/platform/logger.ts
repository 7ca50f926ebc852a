import pino, { type Logger } from 'pino';

/**
 * Logs never carry personal data: identifiers, documents, tokens and cookies are redacted by
 * path, and free text is scrubbed of anything shaped like an РНОКПП or passport number.
 */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.rnokpp',
  '*.passport',
  '*.document',
  '*.documentNumber',
  '*.access_token',
  '*.refresh_token',
  '*.authCode',
  '*.drfocode',
  '*.password',
  '*.secret',
];

// Lookarounds, not \b: \b only knows ASCII word characters, so it never sits before a Cyrillic
// letter ("паспорт КВ123456") and it does sit between "_" and a digit. Latin look-alikes too
// (a passport typed "AB 654321").
const PII_PATTERN = /(?<!\p{N})\p{N}{9,10}(?!\p{N})|(?<!\p{L})[А-ЯІЇЄҐA-Z]{2}[\s-]?\d{6}(?!\p{N})/gu;

export function scrub(text: string): string {
  return text.replace(PII_PATTERN, '[скрито]');
}

// Fastify's two lines per request (log-controller.js), at info level.
const REQUEST_LINES = new Set(['incoming request', 'request completed']);

/**
 * `requestLogs: false` drops the per-request lines (the demo's default: on a terminal they bury
 * the start-up URLs); errors and everything else still log. Production keeps them.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  options: { requestLogs?: boolean } = {},
): Logger {
  const requestLogs = options.requestLogs ?? true;
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[скрито]' },
      serializers: {
        req: (req: { method: string; url: string; id?: string }) => ({
          method: req.method,
          // Query strings may carry OAuth codes or identifiers: log the path only.
          url: req.url.split('?')[0],
          id: req.id,
        }),
        err: (err: Error) => ({
          type: err.name,
          message: scrub(err.message),
          stack: err.stack && scrub(err.stack),
        }),
      },
      hooks: {
        logMethod(args, method) {
          if (!requestLogs && typeof args[1] === 'string' && REQUEST_LINES.has(args[1])) return;
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrub(a) : a)) as Parameters<
            typeof method
          >;
          method.apply(this, scrubbed);
        },
      },
    },
    destination,
  );
}
