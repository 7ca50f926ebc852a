import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { Clock } from './clock.js';
import type { DatabaseHandle, Db } from './db.js';
import type { ListenerState, ListenerStatus } from './db-listener.js';
import type { Job } from './jobs.js';
import { kyivDay } from './kyiv-time.js';
import { hallQueues, outboxBacklog, readForScrape } from './metrics-store.js';
import { DomainError } from './problems.js';

/** What the scrape reads besides its own counters; each part optional (PGlite has no pool). */
export interface MetricsSources {
  db: Db;
  clock: Clock;
  pool?: () => { total: number; idle: number; waiting: number };
  listener?: () => ListenerStatus;
  /** Lottery entries written by this process together (one statement per batch) and alone. */
  entryWrites?: () => { together: number; alone: number; failedBatches: number };
}

/** The database handle's pool and LISTEN connection state, where it has them. */
export function metricsSourcesOf(handle: DatabaseHandle, clock: Clock): MetricsSources {
  const poolStats = handle.poolStats?.bind(handle);
  return { db: handle.db, clock, pool: poolStats, listener: () => handle.listenerStatus() };
}

export interface Metrics {
  registry: Registry;
  /** Times each run of the background jobs (and counts what the lottery draw decided). */
  timeJobs(jobs: Job[]): Job[];
}

declare module 'fastify' {
  interface FastifyInstance {
    metrics: Metrics;
  }
}

// Database reads at most this often, however often (and by however many) /metrics is scraped.
const DB_REFRESH_MS = 5_000;
// A scrape answers within this even when the database hangs (the values are then stale and
// ezapys_metrics_database_up says 0).
const DB_READ_BUDGET_MS = 2_000;

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** Routes whose answers count as registration outcomes. */
function operationOf(
  method: string,
  route: string,
): { kind: 'booking' | 'offer'; label: string } | undefined {
  if (method !== 'POST') return undefined;
  if (route === '/api/v1/bookings') return { kind: 'booking', label: 'online' };
  if (/^\/api\/v1\/centers\/:\w+\/terminal\/registrations$/.test(route))
    return { kind: 'booking', label: 'terminal' };
  // A waitlist offer's actions (accept, decline): the last path segment names the action.
  if (/\/offers?\//.test(route)) return { kind: 'offer', label: route.split('/').at(-1) ?? 'unknown' };
  return undefined;
}

/** The problem code of an error answer (RFC 9457 body), for the outcome label. */
function problemCode(payload: unknown): string {
  if (typeof payload === 'string') {
    const match = /"code"\s*:\s*"([A-Z_]{2,40})"/.exec(payload);
    if (match?.[1]) return match[1];
  }
  return 'UNKNOWN';
}

export function createMetrics(sources: MetricsSources): Metrics & {
  install(app: FastifyInstance, options: { token?: string }): void;
} {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });

  const http = new Histogram({
    name: 'ezapys_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern and status class',
    labelNames: ['method', 'route', 'status_class'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [registry],
  });
  const bookings = new Counter({
    name: 'ezapys_bookings_total',
    help: 'Registration requests by channel and outcome (booked, lottery_entry or the problem code)',
    labelNames: ['channel', 'outcome'] as const,
    registers: [registry],
  });
  const lotteryEntries = new Counter({
    name: 'ezapys_lottery_entries_total',
    help: 'Release lottery entries by outcome: entered (accepted into the draw), won, lost',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const offers = new Counter({
    name: 'ezapys_offers_total',
    help: 'Waitlist offer actions by action and outcome (ok or the problem code)',
    labelNames: ['action', 'outcome'] as const,
    registers: [registry],
  });
  const jobDuration = new Histogram({
    name: 'ezapys_job_duration_seconds',
    help: 'Background job runs by job',
    labelNames: ['job'] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60],
    registers: [registry],
  });
  const jobFailures = new Counter({
    name: 'ezapys_job_failures_total',
    help: 'Background job runs that failed, by job',
    labelNames: ['job'] as const,
    registers: [registry],
  });
  const drawDuration = new Histogram({
    name: 'ezapys_lottery_draw_duration_seconds',
    help: 'Duration of the release draws of a job run, until each committed (loss letters after it not counted)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [registry],
  });
  const outbox = new Gauge({
    name: 'ezapys_outbox_messages',
    help: 'Outbox messages by status (pending, sending, dead)',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const outboxAge = new Gauge({
    name: 'ezapys_outbox_oldest_undelivered_age_seconds',
    help: 'Age of the oldest outbox message not yet delivered (0 when none)',
    registers: [registry],
  });
  const queueWaiting = new Gauge({
    name: 'ezapys_queue_waiting',
    help: 'People waiting in the hall now, per center (today)',
    labelNames: ['center'] as const,
    registers: [registry],
  });
  const queueLongest = new Gauge({
    name: 'ezapys_queue_longest_wait_seconds',
    help: 'Longest current wait in the hall, per center (today)',
    labelNames: ['center'] as const,
    registers: [registry],
  });
  const databaseUp = new Gauge({
    name: 'ezapys_metrics_database_up',
    help: '1 when the last scrape-time database read succeeded, 0 when it failed or timed out',
    registers: [registry],
  });
  const pool = sources.pool;
  if (pool) {
    new Gauge({
      name: 'ezapys_db_pool_connections',
      help: 'Database pool connections: total open and idle',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const stats = pool();
        this.set({ state: 'total' }, stats.total);
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'ezapys_db_pool_waiting_requests',
      help: 'Queries waiting for a free database pool connection',
      registers: [registry],
      collect() {
        this.set(pool().waiting);
      },
    });
  }
  const entryWrites = sources.entryWrites;
  if (entryWrites) {
    new Counter({
      name: 'ezapys_lottery_entry_writes_total',
      help: 'Lottery entries written by this process: together (a batch statement) or alone (one statement each)',
      labelNames: ['path'] as const,
      registers: [registry],
      collect() {
        const n = entryWrites();
        this.reset();
        this.inc({ path: 'together' }, n.together);
        this.inc({ path: 'alone' }, n.alone);
      },
    });
    new Counter({
      name: 'ezapys_lottery_entry_batches_failed_total',
      help: 'Batch statements of lottery entries that could not stand (a row changed under them): their entries were written alone',
      registers: [registry],
      collect() {
        this.reset();
        this.inc(entryWrites().failedBatches);
      },
    });
  }
  const listener = sources.listener;
  if (listener) {
    const states: ListenerState[] = ['idle', 'connecting', 'listening', 'reconnecting', 'closed'];
    new Gauge({
      name: 'ezapys_event_listener_state',
      help: 'State of the LISTEN connection for live events: 1 for the current state',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        const now = listener().state;
        for (const state of states) this.set({ state }, state === now ? 1 : 0);
      },
    });
    new Gauge({
      name: 'ezapys_event_listener_reconnects',
      help: 'Times the LISTEN connection came back after a loss since start (each followed by a resync)',
      registers: [registry],
      collect() {
        this.set(listener().reconnects);
      },
    });
  }

  async function readDatabase() {
    const now = sources.clock.now();
    const { backlog, queues } = await readForScrape(sources.db, async (tx) => ({
      backlog: await outboxBacklog(tx),
      queues: await hallQueues(tx, kyivDay(now), now),
    }));
    for (const [status, n] of Object.entries(backlog.byStatus)) outbox.set({ status }, n);
    const oldest = backlog.oldestUndelivered;
    outboxAge.set(oldest ? Math.max(0, (now.getTime() - oldest.getTime()) / 1000) : 0);
    queueWaiting.reset();
    queueLongest.reset();
    for (const q of queues) {
      queueWaiting.set({ center: q.centerId }, q.waiting);
      const since = q.longestSince;
      queueLongest.set(
        { center: q.centerId },
        since ? Math.max(0, (now.getTime() - since.getTime()) / 1000) : 0,
      );
    }
  }

  let lastRead = Number.NEGATIVE_INFINITY;
  let reading: Promise<void> | undefined;
  /** Refreshes the database gauges; never throws, never takes longer than the budget. */
  function refresh(): Promise<void> {
    if (reading) return reading;
    if (performance.now() - lastRead < DB_REFRESH_MS) return Promise.resolve();
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('scrape read timed out')), DB_READ_BUDGET_MS);
    });
    reading = Promise.race([readDatabase(), budget])
      .then(
        () => databaseUp.set(1),
        () => databaseUp.set(0),
      )
      .finally(() => {
        clearTimeout(timer);
        lastRead = performance.now();
        reading = undefined;
      });
    return reading;
  }

  function timeJobs(jobs: Job[]): Job[] {
    return jobs.map((job) => ({
      ...job,
      async run() {
        const end = jobDuration.startTimer({ job: job.name });
        const started = performance.now();
        try {
          const result = await job.run();
          const draws = drawSummaries(result);
          if (draws.length) {
            // The draw itself (until its commit opened the day), not the job's wait for the close.
            const drawn = draws.reduce((sum, d) => sum + (d.durationMs ?? 0), 0);
            drawDuration.observe((drawn || performance.now() - started) / 1000);
            for (const d of draws) {
              lotteryEntries.inc({ outcome: 'won' }, d.won);
              lotteryEntries.inc({ outcome: 'lost' }, d.lost);
            }
          }
          return result;
        } catch (error) {
          jobFailures.inc({ job: job.name });
          throw error;
        } finally {
          end();
        }
      },
    }));
  }

  function countOutcome(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const operation = operationOf(request.method, request.routeOptions.url ?? '');
    if (!operation) return;
    const status = reply.statusCode;
    if (operation.kind === 'offer') {
      offers.inc({ action: operation.label, outcome: status < 400 ? 'ok' : problemCode(payload) });
    } else if (status === 202) {
      lotteryEntries.inc({ outcome: 'entered' });
    } else {
      bookings.inc({ channel: operation.label, outcome: status < 400 ? 'booked' : problemCode(payload) });
    }
  }

  function install(app: FastifyInstance, options: { token?: string }) {
    app.decorate('metrics', { registry, timeJobs });
    // Synchronous hooks: no promise per request for a counter.
    app.addHook('onSend', (request, reply, payload, done) => {
      countOutcome(request, reply, payload);
      done(null, payload);
    });
    app.addHook('onResponse', (request, reply, done) => {
      http.observe(
        {
          method: request.method,
          // The pattern, never the raw URL (ids would make a series per registration).
          route: request.routeOptions.url ?? 'unmatched',
          status_class: `${Math.floor(reply.statusCode / 100)}xx`,
        },
        reply.elapsedTime / 1000,
      );
      done();
    });
    app.get('/metrics', { config: { access: 'public' }, schema: { hide: true } }, async (request, reply) => {
      if (!scrapeAllowed(request, options.token)) throw new DomainError('FORBIDDEN');
      await refresh();
      return reply
        .header('cache-control', 'no-store')
        .type(registry.contentType)
        .send(await registry.metrics());
    });
  }

  return { registry, timeJobs, install };
}

function drawSummaries(result: unknown): Array<{ won: number; lost: number; durationMs?: number }> {
  if (!Array.isArray(result)) return [];
  return result.filter(
    (r): r is { won: number; lost: number; durationMs?: number } =>
      typeof r === 'object' && r !== null && typeof r.won === 'number' && typeof r.lost === 'number',
  );
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * With METRICS_TOKEN: the bearer token, from anywhere. Without: only a direct connection from
 * loopback or a private network, and never one relayed by a proxy (the public load balancer's
 * own address is private, so a relayed request is known by its forwarding headers).
 */
export function scrapeAllowed(request: FastifyRequest, token: string | undefined): boolean {
  if (token) {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(given), digest(token));
  }
  if (request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined)
    return false;
  return isPrivateAddress(request.socket.remoteAddress ?? '');
}

export function isPrivateAddress(address: string): boolean {
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(v4) === 4) {
    const [a = 0, b = 0] = v4.split('.').map(Number);
    return a === 127 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  }
  if (isIP(address) === 6) {
    const lower = address.toLowerCase();
    return lower === '::1' || lower.startsWith('fc') || lower.startsWith('fd');
  }
  return false;
}
