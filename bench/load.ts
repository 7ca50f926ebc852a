import net from 'node:net';
import { createHistogram, performance, type RecordableHistogram } from 'node:perf_hooks';

/**
 * The load generator: a lean HTTP client over keep-alive connections (64 by default), driven by
 * a fixed list of requests or a time budget, latencies in a histogram (microseconds).
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

/**
 * A lean HTTP/1.1 client over keep-alive TCP connections (at most `connections`, one request
 * in flight on each). The load generator shares the machine's cores with the server and
 * PostgreSQL, so it is kept cheap: requests are written as prepared bytes and answers are read
 * by Content-Length, without node:http's machinery (a third of the CPU it took before).
 */
export class Client {
  private readonly idle: Connection[] = [];
  private readonly waiting: Array<(c: Connection) => void> = [];
  private open = 0;

  constructor(
    private readonly port: number,
    private readonly connections = 64,
  ) {}

  async send(req: Req): Promise<{ status: number; body: string }> {
    const connection = await this.acquire();
    try {
      return await connection.request(this.encode(req));
    } finally {
      this.release(connection);
    }
  }

  close() {
    for (const c of this.idle) c.destroy();
    this.idle.length = 0;
  }

  private encode(req: Req): Buffer {
    let head = `${req.method} ${req.path} HTTP/1.1\r\nhost: 127.0.0.1:${this.port}\r\n`;
    for (const [k, v] of Object.entries(req.headers ?? {})) head += `${k}: ${v}\r\n`;
    if (req.body === undefined) return Buffer.from(`${head}\r\n`, 'latin1');
    const body = Buffer.from(req.body, 'utf8');
    head += `content-type: application/json\r\ncontent-length: ${body.length}\r\n\r\n`;
    return Buffer.concat([Buffer.from(head, 'utf8'), body]);
  }

  private acquire(): Promise<Connection> {
    const ready = this.idle.pop();
    if (ready) return Promise.resolve(ready);
    if (this.open < this.connections) {
      this.open++;
      return Promise.resolve(new Connection(this.port, () => this.open--));
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(connection: Connection) {
    if (connection.closed) return;
    const next = this.waiting.shift();
    if (next) next(connection);
    else this.idle.push(connection);
  }
}

/** One keep-alive connection; answers are framed by Content-Length. */
class Connection {
  private readonly socket: net.Socket;
  private buffer: Buffer = Buffer.alloc(0);
  private pending: {
    resolve: (r: { status: number; body: string }) => void;
    reject: (e: Error) => void;
  } | null = null;
  closed = false;

  constructor(port: number, onClose: () => void) {
    this.socket = net.connect({ port, host: '127.0.0.1', noDelay: true });
    this.socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (error: Error) => {
      if (this.closed) return;
      this.closed = true;
      onClose();
      this.pending?.reject(error);
      this.pending = null;
    };
    this.socket.on('error', fail);
    this.socket.on('close', () => fail(new Error('connection closed by the server')));
  }

  request(bytes: Buffer): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(bytes);
    });
  }

  destroy() {
    this.socket.destroy();
  }

  private onData(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) return;
    const head = this.buffer.toString('latin1', 0, headEnd);
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    if (length === undefined) {
      this.pending?.reject(new Error(`answer without Content-Length: ${head.split('\r\n')[0]}`));
      this.pending = null;
      return;
    }
    const end = headEnd + 4 + Number(length);
    if (this.buffer.length < end) return;
    const answer = {
      status: Number(head.slice(9, 12)),
      body: this.buffer.toString('utf8', headEnd + 4, end),
    };
    this.buffer = this.buffer.subarray(end);
    const pending = this.pending;
    this.pending = null;
    pending?.resolve(answer);
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

/**
 * Sends every request once at a fixed rate (an open loop, as independent people arrive): request i
 * is due i ÷ `perSec` seconds after the start, whatever the answers before it, and its latency is
 * counted from that moment (a send delayed by a busy generator or a full set of connections counts
 * against the answer, never for it). The client's connections bound what is in flight.
 */
export async function runPaced(client: Client, requests: Req[], perSec: number): Promise<RunResult> {
  const histogram = createHistogram();
  const results: Res[] = new Array(requests.length);
  const pending: Array<Promise<void>> = [];
  const start = performance.now();
  let next = 0;
  while (next < requests.length) {
    const due = Math.min(requests.length, Math.floor(((performance.now() - start) * perSec) / 1000) + 1);
    for (; next < due; next++) {
      const i = next;
      const dueAt = start + (i * 1000) / perSec;
      pending.push(
        client.send(requests[i] as Req).then((r) => {
          const t1 = performance.now();
          histogram.record(Math.max(1, Math.round((t1 - dueAt) * 1000)));
          results[i] = { ...r, doneAt: t1 - start };
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
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
