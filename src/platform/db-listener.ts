import pg from 'pg';

/**
 * The one LISTEN connection of a process. PostgreSQL forgets a session's LISTENs when the session
 * ends (a restart, a failover, `pg_terminate_backend`), and notifications sent meanwhile are lost
 * for good. So when the connection goes, this reconnects with capped exponential backoff,
 * LISTENs every channel again and then tells everyone who asked (`onResync`) to re-read what
 * they show: only a fresh read can cover the gap.
 */
export type ListenerState = 'idle' | 'connecting' | 'listening' | 'reconnecting' | 'closed';

export interface ListenerStatus {
  state: ListenerState;
  channels: number;
  subscribers: number;
  /** Successful reconnects since start (each one followed by a resync). */
  reconnects: number;
}

export interface ListenerOptions {
  connectionString: string;
  connectTimeoutMs: number;
  /** A liveness query this often; a silent network partition would otherwise go unnoticed. */
  heartbeatMs?: number;
  /** How long the liveness query may take before the connection counts as dead. */
  heartbeatTimeoutMs: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
  onError?: (error: unknown) => void;
}

const quote = (channel: string) => pg.escapeIdentifier(channel);

/** Ends a client without waiting on a server that may not answer (frozen, partitioned). */
async function endWithin(c: pg.Client, ms: number) {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      (c as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
      resolve();
    }, ms);
  });
  await Promise.race([c.end().catch(() => {}), gaveUp]);
  clearTimeout(timer);
}

export function createListener(options: ListenerOptions) {
  const retryBaseMs = options.retryBaseMs ?? 200;
  const retryMaxMs = options.retryMaxMs ?? 10_000;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const resyncs = new Set<() => void>();
  let client: pg.Client | undefined;
  let connecting: Promise<void> | undefined;
  let state: ListenerState = 'idle';
  let attempt = 0;
  let reconnects = 0;
  let retryTimer: NodeJS.Timeout | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  const query = (c: pg.Client, text: string) =>
    c.query({ text, query_timeout: options.heartbeatTimeoutMs } as pg.QueryConfig);

  function open(): Promise<void> {
    const c = new pg.Client({
      connectionString: options.connectionString,
      connectionTimeoutMillis: options.connectTimeoutMs,
      keepAlive: true,
      keepAliveInitialDelayMillis: 10_000,
    });
    // Registered before connecting: an error event without a listener would end the process.
    c.on('error', (error) => lost(c, error));
    c.on('end', () => lost(c));
    c.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) {
        try {
          h(msg.payload ?? '');
        } catch (error) {
          options.onError?.(error);
        }
      }
    });
    const run = (async () => {
      await c.connect();
      const names = [...handlers.keys()];
      if (names.length) await query(c, names.map((n) => `LISTEN ${quote(n)}`).join('; '));
      if (state === 'closed') throw new Error('listener closed');
      client = c;
    })();
    return run.catch(async (error) => {
      await endWithin(c, 1_000);
      throw error;
    });
  }

  function startHeartbeat(c: pg.Client) {
    clearInterval(heartbeat);
    heartbeat = setInterval(() => {
      query(c, 'SELECT 1').catch((error: unknown) => {
        // A frozen or unreachable server: drop the connection, the reconnect loop takes over.
        (c as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        lost(c, error);
      });
    }, heartbeatMs);
    heartbeat.unref();
  }

  function lost(c: pg.Client, error?: unknown) {
    if (client !== c) return;
    client = undefined;
    clearInterval(heartbeat);
    if (error) options.onError?.(error);
    void endWithin(c, 1_000);
    if (state === 'closed') return;
    if (handlers.size === 0 && resyncs.size === 0) {
      state = 'idle';
      return;
    }
    state = 'reconnecting';
    attempt = 0;
    scheduleRetry();
  }

  function scheduleRetry() {
    clearTimeout(retryTimer);
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** attempt) * (0.8 + Math.random() * 0.4);
    attempt++;
    retryTimer = setTimeout(() => void retry(), delay);
    retryTimer.unref();
  }

  async function retry() {
    if (state !== 'reconnecting') return;
    connecting = open();
    try {
      await connecting;
    } catch (error) {
      connecting = undefined;
      if (state === 'reconnecting') scheduleRetry();
      options.onError?.(error);
      return;
    }
    connecting = undefined;
    if (!client) return;
    state = 'listening';
    reconnects++;
    startHeartbeat(client);
    for (const r of [...resyncs]) {
      try {
        r();
      } catch (error) {
        options.onError?.(error);
      }
    }
  }

  /** Connects when nobody did yet; throws when the database cannot be reached right now. */
  async function ensure(): Promise<void> {
    if (state === 'listening' || state === 'reconnecting') return;
    if (state === 'closed') throw new Error('listener closed');
    if (!connecting) {
      state = 'connecting';
      connecting = open().then(
        () => {
          connecting = undefined;
          // Lost again already: the reconnect loop owns the state now.
          if (state !== 'connecting' || !client) return;
          state = 'listening';
          startHeartbeat(client);
        },
        (error) => {
          if (state === 'connecting') state = 'idle';
          connecting = undefined;
          throw error;
        },
      );
    }
    await connecting;
  }

  return {
    /**
     * Subscribes to a channel. Resolves once LISTEN is in place, or once a reconnect is under
     * way (whose resync covers this subscriber too); rejects only when there was no connection
     * and none could be made.
     */
    async listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
      let set = handlers.get(channel);
      const isNew = !set;
      if (!set) {
        set = new Set();
        handlers.set(channel, set);
      }
      set.add(onPayload);
      const unsubscribe = async () => {
        const current = handlers.get(channel);
        if (!current?.delete(onPayload) || current.size > 0) return;
        handlers.delete(channel);
        if (client) await query(client, `UNLISTEN ${quote(channel)}`).catch(() => {});
      };
      try {
        const wasConnected = state === 'listening';
        await ensure();
        // A fresh connection LISTENed every channel in the map already.
        if (isNew && wasConnected && client) {
          await query(client, `LISTEN ${quote(channel)}`).catch(() => {
            // The connection went while LISTENing: the reconnect re-LISTENs and resyncs.
          });
        }
      } catch (error) {
        await unsubscribe();
        throw error;
      }
      return unsubscribe;
    },
    /** Called after every reconnect, once all channels are LISTENed again. */
    onResync(handler: () => void): () => void {
      resyncs.add(handler);
      return () => {
        resyncs.delete(handler);
      };
    },
    status(): ListenerStatus {
      let subscribers = 0;
      for (const s of handlers.values()) subscribers += s.size;
      return { state, channels: handlers.size, subscribers, reconnects };
    },
    async close() {
      state = 'closed';
      clearTimeout(retryTimer);
      clearInterval(heartbeat);
      const c = client;
      client = undefined;
      await connecting?.catch(() => {});
      if (c) await endWithin(c, 1_000);
    },
  };
}

export type Listener = ReturnType<typeof createListener>;
