import http from 'node:http';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

/**
 * A small HTTP load client: keep-alive connections (64 by default), a fixed list of requests or
 * a time budget, latencies in a histogram (microseconds).
 */
export interface Req {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Res {
  status: number;
  body: string;
  /** Milliseconds since the run started, when the response ended. */
  doneAt: number;
}

export class Client {
  private readonly agent: http.Agent;
  constructor(
    private readonly port: number,
    connections = 64,
  ) {
    this.agent = new http.Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  }

  send(req: Req): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const r = http.request(
        {
          host: '127.0.0.1',
          port: this.port,
          method: req.method,
          path: req.path,
          agent: this.agent,
          headers: {
            ...(req.body
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) }
              : {}),
            ...req.headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      r.on('error', reject);
      if (req.body) r.write(req.body);
      r.end();
    });
  }

  close() {
    this.agent.destroy();
  }
}

export interface RunResult {
  results: Res[];
  histogram: RecordableHistogram;
  elapsedMs: number;
}

/** Sends every request once, `concurrency` at a time. */
export async function runList(client: Client, requests: Req[], concurrency = 64): Promise<RunResult> {
  const histogram = createHistogram();
  const results: Res[] = new Array(requests.length);
  let next = 0;
  const start = performance.now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      const req = requests[i];
      if (!req) return;
      const t0 = performance.now();
      const r = await client.send(req);
      const t1 = performance.now();
      histogram.record(Math.max(1, Math.round((t1 - t0) * 1000)));
      results[i] = { ...r, doneAt: t1 - start, tookMs: t1 - t0 } as Res;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { results, histogram, elapsedMs: performance.now() - start };
}

/** Sends requests made by `make` for `durationMs`, `concurrency` at a time. */
export async function runFor(
  client: Client,
  make: () => Req,
  durationMs: number,
  concurrency = 64,
): Promise<{ count: number; errors: number; histogram: RecordableHistogram; elapsedMs: number }> {
  const histogram = createHistogram();
  let count = 0;
  let errors = 0;
  const start = performance.now();
  const worker = async () => {
    while (performance.now() - start < durationMs) {
      const t0 = performance.now();
      const r = await client.send(make());
      histogram.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
      count++;
      if (r.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { count, errors, histogram, elapsedMs: performance.now() - start };
}

export const ms = (h: RecordableHistogram, p: number) => Math.round(h.percentile(p) / 10) / 100;
