import { BlockList, isIP } from 'node:net';
import { z } from 'zod';

/**
 * Every setting of the service, with its SPEC default, validated once at start-up.
 * Policy numbers (limits, windows, delays) live here and nowhere else.
 */

/** Every database call fails within these instead of hanging on an unreachable database. */
export const defaultDbTimeouts = {
  connectTimeoutMs: 3_000,
  poolWaitMs: 10_000,
  statementTimeoutMs: 5_000,
  idleInTransactionTimeoutMs: 10_000,
} as const;

const onOff = z.enum(['on', 'off']).transform((v) => v === 'on');
const int = (def: number) => z.coerce.number().int().nonnegative().default(def);

const envSchema = z.object({
  // Exactly one of three spellings: "Production" or "prod" must never fall through to demo mode.
  NODE_ENV: z
    .enum(['production', 'development', 'test'], {
      error: 'must be exactly "production", "development" or "test"',
    })
    .default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  PUBLIC_URL: z.string().url().optional(),
  DATABASE_URL: z.string().optional(),
  DATABASE_POOL_SIZE: int(20),
  // Fail fast while the database is away (SPEC §6); 0 turns a timeout off.
  DB_CONNECT_TIMEOUT_MS: int(defaultDbTimeouts.connectTimeoutMs),
  DB_POOL_WAIT_MS: int(defaultDbTimeouts.poolWaitMs),
  DB_STATEMENT_TIMEOUT_MS: int(defaultDbTimeouts.statementTimeoutMs),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: int(defaultDbTimeouts.idleInTransactionTimeoutMs),
  DATA_DIR: z.string().default('./data'),
  DEMO_NOW: z.string().datetime({ offset: true }).optional(),
  ANTIBOT: onOff.default(true),
  RATE_LIMITS: onOff.default(true),
  DEV_SESSION: onOff.optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Bearer token for GET /metrics; unset = only direct scrapes from loopback or a private network.
  METRICS_TOKEN: z.string().min(16).optional(),
  PII_KEYS: z.string().optional(),
  PII_HMAC_KEY: z.string().optional(),
  SESSION_IDLE_MINUTES: int(30),
  SESSION_ABSOLUTE_HOURS: int(12),
  SESSION_CACHE_MS: int(2000),
  AVAILABILITY_CACHE_MS: int(1000),
  SMTP_URL: z.string().optional(),
  MAIL_FROM: z.string().default('E-Запис МВС <no-reply@e-zapys.local>'),
  REDIS_URL: z.string().optional(),
  // Which peers may tell the client's address in X-Forwarded-For (SPEC 3.9); unset = nobody.
  TRUST_PROXY: z.string().optional(),
  // Fair access (SPEC 3.9). Rate limits: "<per identity>/<per network address>" per minute.
  ANTIBOT_HMAC_KEY: z.string().min(16).optional(),
  ANTIBOT_MAX_NUMBER: z.coerce.number().int().min(10).optional(),
  RATE_LIMIT_SLOTS: z
    .string()
    .regex(/^\d+\/\d+$/)
    .default('60/600'),
  RATE_LIMIT_BOOKINGS: z
    .string()
    .regex(/^\d+\/\d+$/)
    .default('10/60'),
  RATE_LIMIT_LOGINS: z
    .string()
    .regex(/^\d+\/\d+$/)
    .default('10/30'),
  RATE_LIMIT_TERMINAL: z
    .string()
    .regex(/^\d+\/\d+$/)
    .default('30/120'),
  // Public reads (centers, services, availability, board): generous, but not unlimited.
  RATE_LIMIT_READS: z
    .string()
    .regex(/^\d+\/\d+$/)
    .default('120/600'),
  JOBS: onOff.default(true),
  // Identity (SPEC §1, §2). Unset IDGOVUA_BASE_URL / STAFF_OIDC_ISSUER in demo mode = the bundled
  // providers of this same server (/dev/idgovua, /dev/oidc); production requires real ones.
  DEV_PROVIDERS: onOff.optional(),
  IDGOVUA_BASE_URL: z.string().url().optional(),
  IDGOVUA_CLIENT_ID: z.string().default('e-zapys-demo'),
  IDGOVUA_CLIENT_SECRET: z.string().default('e-zapys-demo-secret'),
  IDGOVUA_AUTH_TYPES: z.string().default('dig_sign,bank_id,diia_id,diia_oauth'),
  // Our encryption certificate (Base64/PEM DER, or a file path) sent as `cert`, its DSTU 4145 key
  // (IIT Key-6.dat / PBES2 / JKS file path or Base64) and password. Unset in demo = keys
  // generated at start; IDGOVUA_PLAIN_USERINFO=on asks for a plain answer (the test provider).
  IDGOVUA_ENCRYPTION_CERT: z.string().optional(),
  IDGOVUA_ENCRYPTION_KEY: z.string().optional(),
  IDGOVUA_ENCRYPTION_KEY_PASSWORD: z.string().optional(),
  IDGOVUA_PROVIDER_CERTS: z.string().optional(),
  IDGOVUA_PLAIN_USERINFO: onOff.default(false),
  STAFF_OIDC_ISSUER: z.string().url().optional(),
  STAFF_OIDC_CLIENT_ID: z.string().default('e-zapys-staff'),
  STAFF_OIDC_CLIENT_SECRET: z.string().default('e-zapys-staff-demo-secret'),
  // Notifications (SPEC 3.10, 3.11).
  OUTBOX_WORKER: onOff.default(true),
  OUTBOX_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  OUTBOX_POLL_MS: z.coerce.number().int().min(100).default(1000),
  OUTBOX_LEASE_SECONDS: z.coerce.number().int().min(10).default(300),
  OUTBOX_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  OUTBOX_SEND_TIMEOUT_MS: z.coerce.number().int().min(100).default(20_000),
  SMS: onOff.default(false),
  SMS_GATEWAY_URL: z.string().url().optional(),
  SMS_GATEWAY_TOKEN: z.string().optional(),
  REMINDER_HOUR: z.coerce.number().int().min(0).max(23).default(18),
  FEEDBACK_LINK_DAYS: z.coerce.number().int().min(1).default(30),
  // Policy (SPEC §3). Defaults are the spec's.
  LIMIT_PERSON_ONLINE_PER_MONTH: int(4),
  LIMIT_PERSON_TERMINAL_PER_MONTH: int(4),
  LIMIT_ENTITY_ONLINE_PER_DAY: int(4),
  LIMIT_ENTITY_TERMINAL_PER_DAY: int(6),
  HORIZON_DAYS: int(21),
  CANCEL_BEFORE_MINUTES: int(120),
  // SPEC 3.3: how many times the owner may move a registration to another time.
  MAX_MOVES: int(2),
  RESALE_DELAY_MIN_MINUTES: int(5),
  RESALE_DELAY_MAX_MINUTES: int(30),
  NO_SHOW_BLOCK_THRESHOLD: int(4),
  NO_SHOW_BLOCK_DAYS: int(30),
  EXAM_RETRY_DAYS: int(10),
  ONLINE_SHARE_PERCENT: int(50),
  RELEASE_HOUR: int(6),
  SLOT_WINDOW_MINUTES: z.coerce.number().int().min(5).max(240).default(30),
  LOTTERY_WINDOW_MINUTES: int(10),
  // SPEC 3.12: how long a freed place is held for the waiter it was offered to.
  WAITLIST_HOLD_MINUTES: z.coerce.number().int().min(1).default(30),
  CALLS_BEFORE_NO_SHOW: int(2),
  // The national admin's overrides of the values above (console): each process re-reads them this
  // often besides hearing every change at once (LISTEN/NOTIFY); 0 = only the notifications.
  POLICY_REFRESH_SECONDS: int(30),
  // Hall (SPEC 3.7): the regional air-raid alerts feed (alerts.in.ua format); off when unset.
  ALERTS_FEED_URL: z.string().url().optional(),
  ALERTS_FEED_TOKEN: z.string().optional(),
  ALERTS_POLL_SECONDS: z.coerce.number().int().min(5).default(30),
  HALL_SERVICE_MINUTES: z.coerce.number().int().min(1).default(15),
});

export type Env = z.infer<typeof envSchema>;

export interface Policy {
  personOnlinePerMonth: number;
  personTerminalPerMonth: number;
  entityOnlinePerDay: number;
  entityTerminalPerDay: number;
  horizonDays: number;
  cancelBeforeMinutes: number;
  /** Rule 3: moves allowed per registration (RESCHEDULE_LIMIT beyond). */
  maxMoves: number;
  resaleDelayMinMinutes: number;
  resaleDelayMaxMinutes: number;
  noShowBlockThreshold: number;
  noShowBlockDays: number;
  examRetryDays: number;
  onlineShare: number;
  releaseHour: number;
  /** Width of a bookable time window: appointments are bucketed into windows of this many minutes. */
  slotWindowMinutes: number;
  lotteryWindowMinutes: number;
  callsBeforeNoShow: number;
  /** Rule 12: minutes a waitlist offer is held for its waiter. */
  waitlistHoldMinutes: number;
}

export interface Config {
  production: boolean;
  /** Demo mode: the default of `npm start`; never in production. */
  demo: boolean;
  port: number;
  host: string;
  publicUrl?: string;
  databaseUrl?: string;
  databasePoolSize: number;
  databaseTimeouts: DatabaseTimeouts;
  metricsToken?: string;
  dataDir: string;
  demoNow?: Date;
  antibot: boolean;
  rateLimits: boolean;
  devSession: boolean;
  logLevel: Env['LOG_LEVEL'];
  piiKeys?: string;
  piiHmacKey?: string;
  sessionIdleMinutes: number;
  sessionAbsoluteHours: number;
  /** Per-process reuse of a read session / availability answer (0 = always read). */
  sessionCacheMs: number;
  availabilityCacheMs: number;
  smtpUrl?: string;
  mailFrom: string;
  redisUrl?: string;
  /**
   * Fastify's `trustProxy`: false = the TCP peer is the client; a hop count; or the addresses and
   * CIDR ranges of proxies whose X-Forwarded-For is believed.
   */
  trustProxy: false | number | string[];
  jobs: boolean;
  fairness: FairnessConfig;
  identity: IdentityConfig;
  notify: NotifyConfig;
  policy: Policy;
  /** How often a process re-reads the national policy overrides (ms; 0 = on notification only). */
  policyRefreshMs: number;
  hall: HallConfig;
}

export interface HallConfig {
  /** Regional alerts feed (alerts.in.ua `/v1/alerts/active.json` format); unset = no feed. */
  alertsFeedUrl?: string;
  alertsFeedToken?: string;
  alertsPollMs: number;
  /** Service time assumed for wait estimates until the day has served visits. */
  defaultServiceMs: number;
}

/** Fair access (SPEC 3.9): proof-of-work and rate limits. */
export interface FairnessConfig {
  /** HMAC key signing proof-of-work challenges; a fixed demo key outside production. */
  antibotHmacKey: string;
  /** Base proof-of-work difficulty (ALTCHA maxnumber): minimal in demo mode. */
  antibotMaxNumber: number;
  /** Requests per minute, per identity and per network address, for each guarded scope. */
  rateLimits: Record<
    'slots' | 'bookings' | 'logins' | 'terminal' | 'reads',
    { identity: number; address: number }
  >;
}

export interface IdentityConfig {
  /** The bundled ID.GOV.UA emulator and development OIDC server (demo mode only). */
  devProviders: boolean;
  /** Unset: the bundled emulator at `<this server>/dev/idgovua`. */
  idgovuaBaseUrl?: string;
  idgovuaClientId: string;
  idgovuaClientSecret: string;
  idgovuaAuthTypes: string;
  /** Our encryption certificate and key for the provider's encrypted user info (see README). */
  idgovuaEncryptionCert?: string;
  idgovuaEncryptionKey?: string;
  idgovuaEncryptionKeyPassword?: string;
  /** The provider's certificates, when its envelopes name the sender by issuer and serial. */
  idgovuaProviderCerts?: string;
  /** Ask for plain user info (the provider's test environment); off = encrypted. */
  idgovuaPlainUserInfo: boolean;
  /** Unset: the bundled OIDC server at `<this server>/dev/oidc`. */
  staffOidcIssuer?: string;
  staffOidcClientId: string;
  staffOidcClientSecret: string;
}

export interface NotifyConfig {
  /** Run the outbox worker inside `npm start` (`npm run worker` runs it on its own). */
  worker: boolean;
  maxAttempts: number;
  pollMs: number;
  leaseMs: number;
  /** Deliveries in flight at once per worker: a slow one never holds the others. */
  concurrency: number;
  /** One delivery (render and send) gives up after this and is retried later. */
  sendTimeoutMs: number;
  sms: boolean;
  smsGatewayUrl?: string;
  smsGatewayToken?: string;
  /** Kyiv hour from which the evening-before reminders are sent. */
  reminderHour: number;
  feedbackLinkDays: number;
}

export interface DatabaseTimeouts {
  /** Opening a connection to PostgreSQL. */
  connectTimeoutMs: number;
  /** Waiting for a free connection of the pool (a burst queues rather than failing at once). */
  poolWaitMs: number;
  /** One statement (the client gives up a second later if the server does not answer at all). */
  statementTimeoutMs: number;
  /** A transaction left open without a statement (its locks released). */
  idleInTransactionTimeoutMs: number;
}

export class ConfigError extends Error {}

export const defaultPolicy: Policy = policyFrom(envSchema.parse({}));

function policyFrom(env: Env): Policy {
  return {
    personOnlinePerMonth: env.LIMIT_PERSON_ONLINE_PER_MONTH,
    personTerminalPerMonth: env.LIMIT_PERSON_TERMINAL_PER_MONTH,
    entityOnlinePerDay: env.LIMIT_ENTITY_ONLINE_PER_DAY,
    entityTerminalPerDay: env.LIMIT_ENTITY_TERMINAL_PER_DAY,
    horizonDays: env.HORIZON_DAYS,
    cancelBeforeMinutes: env.CANCEL_BEFORE_MINUTES,
    maxMoves: env.MAX_MOVES,
    resaleDelayMinMinutes: env.RESALE_DELAY_MIN_MINUTES,
    resaleDelayMaxMinutes: Math.max(env.RESALE_DELAY_MIN_MINUTES, env.RESALE_DELAY_MAX_MINUTES),
    noShowBlockThreshold: env.NO_SHOW_BLOCK_THRESHOLD,
    noShowBlockDays: env.NO_SHOW_BLOCK_DAYS,
    examRetryDays: env.EXAM_RETRY_DAYS,
    onlineShare: Math.min(100, env.ONLINE_SHARE_PERCENT) / 100,
    releaseHour: env.RELEASE_HOUR,
    slotWindowMinutes: env.SLOT_WINDOW_MINUTES,
    lotteryWindowMinutes: env.LOTTERY_WINDOW_MINUTES,
    callsBeforeNoShow: Math.max(1, env.CALLS_BEFORE_NO_SHOW),
    waitlistHoldMinutes: env.WAITLIST_HOLD_MINUTES,
  };
}

/** Reads and validates the environment. Throws ConfigError with a one-line reason. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(
    Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== '')),
  );
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid setting ${issue?.path.join('.')}: ${issue?.message}`);
  }
  const env = parsed.data;
  const production = env.NODE_ENV === 'production';
  const demo = !production;
  const config: Config = {
    production,
    demo,
    port: env.PORT,
    host: env.HOST,
    // Every redirect is built from this, never from Host / X-Forwarded-* headers.
    publicUrl: (env.PUBLIC_URL ?? (production ? undefined : `http://localhost:${env.PORT}`))?.replace(
      /\/+$/,
      '',
    ),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    databaseTimeouts: {
      connectTimeoutMs: env.DB_CONNECT_TIMEOUT_MS,
      poolWaitMs: env.DB_POOL_WAIT_MS,
      statementTimeoutMs: env.DB_STATEMENT_TIMEOUT_MS,
      idleInTransactionTimeoutMs: env.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    metricsToken: env.METRICS_TOKEN,
    dataDir: env.DATA_DIR,
    demoNow: env.DEMO_NOW ? new Date(env.DEMO_NOW) : undefined,
    antibot: env.ANTIBOT,
    rateLimits: env.RATE_LIMITS,
    devSession: env.DEV_SESSION ?? demo,
    logLevel: env.LOG_LEVEL,
    piiKeys: env.PII_KEYS,
    piiHmacKey: env.PII_HMAC_KEY,
    sessionIdleMinutes: env.SESSION_IDLE_MINUTES,
    sessionAbsoluteHours: env.SESSION_ABSOLUTE_HOURS,
    sessionCacheMs: env.SESSION_CACHE_MS,
    availabilityCacheMs: env.AVAILABILITY_CACHE_MS,
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    redisUrl: env.REDIS_URL,
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    jobs: env.JOBS,
    fairness: {
      antibotHmacKey: env.ANTIBOT_HMAC_KEY ?? 'e-zapys-demo-antibot-key-not-for-production',
      antibotMaxNumber: env.ANTIBOT_MAX_NUMBER ?? (production ? 100_000 : 1_000),
      rateLimits: {
        slots: perMinute(env.RATE_LIMIT_SLOTS),
        bookings: perMinute(env.RATE_LIMIT_BOOKINGS),
        logins: perMinute(env.RATE_LIMIT_LOGINS),
        terminal: perMinute(env.RATE_LIMIT_TERMINAL),
        reads: perMinute(env.RATE_LIMIT_READS),
      },
    },
    identity: {
      devProviders: env.DEV_PROVIDERS ?? demo,
      idgovuaBaseUrl: env.IDGOVUA_BASE_URL?.replace(/\/+$/, ''),
      idgovuaClientId: env.IDGOVUA_CLIENT_ID,
      idgovuaClientSecret: env.IDGOVUA_CLIENT_SECRET,
      idgovuaAuthTypes: env.IDGOVUA_AUTH_TYPES,
      idgovuaEncryptionCert: env.IDGOVUA_ENCRYPTION_CERT,
      idgovuaEncryptionKey: env.IDGOVUA_ENCRYPTION_KEY,
      idgovuaEncryptionKeyPassword: env.IDGOVUA_ENCRYPTION_KEY_PASSWORD,
      idgovuaProviderCerts: env.IDGOVUA_PROVIDER_CERTS,
      idgovuaPlainUserInfo: env.IDGOVUA_PLAIN_USERINFO,
      staffOidcIssuer: env.STAFF_OIDC_ISSUER,
      staffOidcClientId: env.STAFF_OIDC_CLIENT_ID,
      staffOidcClientSecret: env.STAFF_OIDC_CLIENT_SECRET,
    },
    notify: {
      worker: env.OUTBOX_WORKER,
      maxAttempts: env.OUTBOX_MAX_ATTEMPTS,
      pollMs: env.OUTBOX_POLL_MS,
      leaseMs: env.OUTBOX_LEASE_SECONDS * 1000,
      concurrency: env.OUTBOX_CONCURRENCY,
      // A delivery gives up well before its lease ends, so no other worker sends it meanwhile.
      sendTimeoutMs: Math.min(env.OUTBOX_SEND_TIMEOUT_MS, (env.OUTBOX_LEASE_SECONDS * 1000) / 2),
      sms: env.SMS,
      smsGatewayUrl: env.SMS_GATEWAY_URL,
      smsGatewayToken: env.SMS_GATEWAY_TOKEN,
      reminderHour: env.REMINDER_HOUR,
      feedbackLinkDays: env.FEEDBACK_LINK_DAYS,
    },
    policy: policyFrom(env),
    policyRefreshMs: env.POLICY_REFRESH_SECONDS * 1000,
    hall: {
      alertsFeedUrl: env.ALERTS_FEED_URL,
      alertsFeedToken: env.ALERTS_FEED_TOKEN,
      alertsPollMs: env.ALERTS_POLL_SECONDS * 1000,
      defaultServiceMs: env.HALL_SERVICE_MINUTES * 60_000,
    },
  };
  if (production) assertProductionSafe(config);
  if (config.notify.sms && !config.notify.smsGatewayUrl)
    throw new ConfigError('SMS=on requires SMS_GATEWAY_URL (the HTTP SMS gateway).');
  return config;
}

/**
 * TRUST_PROXY: unset = the TCP peer; a hop count (every one of those hops must be a proxy of
 * ours, i.e. the server is reachable only through them); or a comma-separated list of addresses,
 * CIDR ranges and proxy-addr's names (loopback, linklocal, uniquelocal). "Trust everyone" is
 * refused: it would let any client choose its own address.
 */
export function parseTrustProxy(raw: string | undefined): false | number | string[] {
  const value = raw?.trim();
  if (!value) return false;
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops < 1 || hops > 10)
      throw new ConfigError('TRUST_PROXY hop count must be 1…10 (unset = no proxy).');
    return hops;
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    if (['loopback', 'linklocal', 'uniquelocal'].includes(entry)) continue;
    const [addr, bits, extra] = entry.split('/');
    const family = isIP(addr ?? '');
    const prefixOk =
      bits === undefined ||
      (/^\d+$/.test(bits) && Number(bits) >= 1 && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || extra !== undefined || !prefixOk)
      throw new ConfigError(
        `TRUST_PROXY entry "${entry}" is not a hop count, an address or a CIDR range of a proxy (and never all addresses).`,
      );
  }
  return entries;
}

/**
 * TRUST_PROXY as Fastify's option: a hop count becomes "trust the nearest N hops", a list "trust
 * these addresses" (`trustedAddresses`).
 */
export function fastifyTrustProxy(
  value: Config['trustProxy'],
): false | ((address: string, hop: number) => boolean) {
  if (value === false) return false;
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return trustedAddresses(value);
}

/** proxy-addr's names for address ranges, as TRUST_PROXY takes them. */
const NAMED_RANGES: Record<string, string[]> = {
  loopback: ['127.0.0.1/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/**
 * Whether an address is one of TRUST_PROXY's (addresses, CIDR ranges, names), as one native
 * BlockList. Every request asks twice (its peer, then the address the proxy forwarded): proxy-addr
 * parses both with ipaddr.js each time, about 7 times as long (3 % of a browse read, #19). An
 * IPv4-mapped IPv6 address is its IPv4 address either way round; anything else is not a proxy.
 */
export function trustedAddresses(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries.flatMap((e) => NAMED_RANGES[e] ?? [e])) {
    const [given = '', bits] = entry.split('/');
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(given)?.[1];
    const addr = bits === undefined && mapped ? mapped : given;
    const family = isIP(addr) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, family);
    else list.addSubnet(addr, Number(bits), family);
  }
  return (address) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
}

function perMinute(pair: string): { identity: number; address: number } {
  const [identity, address] = pair.split('/').map(Number);
  return { identity: identity ?? 0, address: address ?? 0 };
}

/** The least proof-of-work production accepts (ALTCHA maxnumber: ~25 000 hashes on average). */
export const PRODUCTION_MIN_ANTIBOT_NUMBER = 50_000;

/** Production refuses demo-only features, and says why in one line. */
function assertProductionSafe(config: Config): void {
  if (!config.databaseUrl)
    throw new ConfigError('Production mode requires DATABASE_URL (a PostgreSQL server).');
  if (config.demoNow) throw new ConfigError('DEMO_NOW is a demo-only setting; unset it in production.');
  if (!config.antibot) throw new ConfigError('ANTIBOT=off is a demo-only setting; unset it in production.');
  if (config.fairness.antibotMaxNumber < PRODUCTION_MIN_ANTIBOT_NUMBER)
    throw new ConfigError(
      `ANTIBOT_MAX_NUMBER below ${PRODUCTION_MIN_ANTIBOT_NUMBER} makes proof-of-work free for bots; raise it or unset it in production.`,
    );
  if (config.fairness.antibotHmacKey.includes('demo'))
    throw new ConfigError('Production mode requires ANTIBOT_HMAC_KEY (the proof-of-work signing key).');
  if (!config.rateLimits)
    throw new ConfigError('RATE_LIMITS=off is a demo-only setting; unset it in production.');
  if (config.devSession)
    throw new ConfigError('DEV_SESSION (/dev/session) is demo-only; unset it in production.');
  if (!config.piiKeys || !config.piiHmacKey)
    throw new ConfigError('Production mode requires PII_KEYS and PII_HMAC_KEY (personal-data key material).');
  if (!config.publicUrl?.startsWith('https://'))
    throw new ConfigError(
      'Production mode requires PUBLIC_URL (https://…, the address citizens use; every redirect is built from it).',
    );
  assertIdentityProductionSafe(config.identity);
  if (!config.smtpUrl)
    throw new ConfigError('Production mode requires SMTP_URL (the demo mailbox is demo-only).');
}

/** Production logs citizens in through the real ID.GOV.UA and staff through the ministry SSO. */
function assertIdentityProductionSafe(id: IdentityConfig): void {
  if (id.devProviders)
    throw new ConfigError(
      'DEV_PROVIDERS (the ID.GOV.UA emulator and development OIDC server) is demo-only; unset it in production.',
    );
  if (!id.idgovuaBaseUrl || /\/dev\/idgovua/.test(id.idgovuaBaseUrl))
    throw new ConfigError(
      'Production mode requires IDGOVUA_BASE_URL (the real ID.GOV.UA, not the emulator).',
    );
  if (id.idgovuaClientId === 'e-zapys-demo' || id.idgovuaClientSecret === 'e-zapys-demo-secret')
    throw new ConfigError(
      'Production mode requires IDGOVUA_CLIENT_ID and IDGOVUA_CLIENT_SECRET (not the demo ones).',
    );
  if (!id.idgovuaPlainUserInfo && (!id.idgovuaEncryptionCert || !id.idgovuaEncryptionKey))
    throw new ConfigError(
      'Production mode requires IDGOVUA_ENCRYPTION_CERT and IDGOVUA_ENCRYPTION_KEY (encrypted user info), or IDGOVUA_PLAIN_USERINFO=on for the test provider.',
    );
  if (!id.staffOidcIssuer || /\/dev\/oidc/.test(id.staffOidcIssuer))
    throw new ConfigError(
      'Production mode requires STAFF_OIDC_ISSUER (the ministry SSO, not the development server).',
    );
  if (id.staffOidcClientSecret === 'e-zapys-staff-demo-secret')
    throw new ConfigError('Production mode requires STAFF_OIDC_CLIENT_SECRET (not the demo one).');
}
