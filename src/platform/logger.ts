import type { FastifyBaseLogger } from 'fastify';
import pino, { type Bindings, type ChildLoggerOptions, type Logger } from 'pino';

/**
 * Logs never carry personal data: identifiers, documents, tokens and cookies are redacted by
 * path, and free text is scrubbed of anything shaped like an РНОКПП or passport number.
 */
const SECRET_FIELDS = [
  'rnokpp',
  'passport',
  'document',
  'documentNumber',
  'access_token',
  'refresh_token',
  'authCode',
  'drfocode',
  'password',
  'secret',
];

/** Each secret field at the top of a line's object and one level down ("*.x" alone misses the top). */
export const redactPaths = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
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

type Level = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace';

/**
 * A request's logger that becomes pino's child only when the request logs a line its level lets
 * through. pino's `child()` serialises and redacts the bindings (the request id) at once: 3 % of a
 * browse read's time at tens of thousands a second (#19), for a logger that mostly never writes.
 * Every line it does write is the child's own, with the same bindings, as Fastify's default makes.
 */
class LazyChildLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;
  constructor(
    private readonly parent: Logger,
    private readonly bindings: Bindings,
    private readonly options: ChildLoggerOptions,
  ) {}

  private real(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  private write(level: Level, args: unknown[]): void {
    if (!this.#child && !this.parent.isLevelEnabled(level)) return;
    const child = this.real();
    (child[level] as (...a: unknown[]) => void).apply(child, args);
  }

  get level(): string {
    return this.#child?.level ?? this.parent.level;
  }
  set level(value: string) {
    this.real().level = value;
  }
  fatal(...args: unknown[]): void {
    this.write('fatal', args);
  }
  error(...args: unknown[]): void {
    this.write('error', args);
  }
  warn(...args: unknown[]): void {
    this.write('warn', args);
  }
  info(...args: unknown[]): void {
    this.write('info', args);
  }
  debug(...args: unknown[]): void {
    this.write('debug', args);
  }
  trace(...args: unknown[]): void {
    this.write('trace', args);
  }
  silent(): void {}
  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.real().child(bindings, options);
  }
}

/** Fastify's `childLoggerFactory`: a lazy child over our pino logger, pino's own child otherwise. */
export function lazyChildLogger(
  logger: FastifyBaseLogger,
  bindings: Bindings,
  options: ChildLoggerOptions,
): FastifyBaseLogger {
  const parent = logger as Partial<Logger>;
  return typeof parent.isLevelEnabled === 'function'
    ? new LazyChildLogger(logger as Logger, bindings, options)
    : logger.child(bindings, options);
}
