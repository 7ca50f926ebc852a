import { type ChildProcess, spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openSse, until } from '../support/cluster-app.js';
import { type PgCluster, requirePgCluster, startPgCluster } from '../support/pg-cluster.js';
import { freePort } from '../support/ports.js';

const DATABASE = 'ez_process';

interface Answer {
  url: string;
  status: number;
  type: string | null;
  retryAfter: string | null;
  body: string;
}

/**
 * The whole server as it runs in production (`src/main.ts`: HTTP, background jobs, outbox
 * worker, event listener) in its own process over a database the test owns, so that an error
 * nobody handles ends the process exactly as it would on a server.
 */
describe.runIf(requirePgCluster())(
  'SPEC §6: a server process survives its database going away (own PostgreSQL cluster)',
  () => {
    let cluster: PgCluster;
    let server: ChildProcess;
    let output = '';
    let base = '';
    beforeAll(async () => {
      cluster = await startPgCluster();
      const url = await cluster.createDatabase(DATABASE);
      const port = await freePort();
      base = `http://127.0.0.1:${port}`;
      server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: {
          ...process.env,
          NODE_ENV: 'development',
          DATABASE_URL: url,
          PORT: String(port),
          HOST: '127.0.0.1',
          DATA_DIR: '',
          DEMO_NOW: '2026-11-23T08:00:00Z',
          ANTIBOT: 'off',
          RATE_LIMITS: 'off',
          LOG_LEVEL: 'warn',
          WORKERS: '1',
          DB_CONNECT_TIMEOUT_MS: '1000',
          DB_STATEMENT_TIMEOUT_MS: '2000',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server.stdout?.on('data', (d: Buffer) => {
        output += d.toString();
      });
      server.stderr?.on('data', (d: Buffer) => {
        output += d.toString();
      });
      await until(
        async () => {
          if (server.exitCode !== null) throw new Error(`server exited (${server.exitCode}):\n${output}`);
          return (await fetch(`${base}/readyz`).catch(() => null))?.status === 200;
        },
        90_000,
        'server ready',
      );
    }, 120_000);
    afterAll(async () => {
      if (server && server.exitCode === null) {
        const exited = new Promise((resolve) => server.once('exit', resolve));
        server.kill('SIGTERM');
        const t = setTimeout(() => server.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(t);
      }
      cluster?.destroy();
    }, 30_000);

    it('three times all connections terminated and the database down: no exit, /readyz 503 and back, 503 problem details with Retry-After, the board hears the next event', async () => {
      const centers = (await (await fetch(`${base}/api/v1/centers`)).json()) as Array<{ id: string }>;
      const center = centers[0]?.id as string;
      const services = (await (await fetch(`${base}/api/v1/services`)).json()) as Array<{ id: string }>;
      const service = services[0]?.id as string;
      const login = await fetch(`${base}/dev/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ role: 'center_head', centerId: center }),
      });
      const head = `ezs=${((await login.json()) as { token: string }).token}`;
      const board = openSse(`${base}/api/v1/centers/${center}/board/events`);
      await board.opened;
      await until(() => board.state.text.includes(': connected'), 10_000, 'board stream open');

      // Light load all along: reads, a write (a session) and the readiness probe.
      const failures: Answer[] = [];
      let ok = 0;
      let stop = false;
      const targets = [
        { url: `${base}/api/v1/centers/${center}/board` },
        { url: `${base}/api/v1/centers/${center}/slots?service=${service}&date=2026-11-25` },
        {
          url: `${base}/dev/session`,
          init: {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ role: 'operator', centerId: center }),
          },
        },
      ];
      const loops = targets.map(async ({ url, init }) => {
        while (!stop) {
          const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) }).catch(
            (e: Error) => e,
          );
          if (res instanceof Error) {
            failures.push({ url, status: 0, type: null, retryAfter: null, body: res.message });
          } else {
            const body = await res.text();
            if (res.ok) ok++;
            else
              failures.push({
                url,
                status: res.status,
                type: res.headers.get('content-type'),
                retryAfter: res.headers.get('retry-after'),
                body,
              });
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      });

      const ready = async () =>
        (await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(5_000) })).status;
      let alertActive = false;
      for (let round = 1; round <= 3; round++) {
        await new Promise((r) => setTimeout(r, 500));
        const resyncs = board.events().filter((e) => e.event === 'resync').length;
        expect(await cluster.terminate(DATABASE)).toBeGreaterThan(0);
        // Kept down a while (a restart, a failover): what the process sees in between.
        cluster.stop('fast');
        try {
          await until(async () => (await ready()) === 503, 10_000, `round ${round}: /readyz 503`);
          const down = await fetch(`${base}/api/v1/centers/${center}/board`);
          expect(down.status).toBe(503);
          expect(down.headers.get('retry-after')).toBe('5');
          expect((await fetch(`${base}/healthz`)).status).toBe(200);
          await new Promise((r) => setTimeout(r, 1_000));
        } finally {
          cluster.start();
        }
        await until(async () => (await ready()) === 200, 20_000, `round ${round}: /readyz 200 again`);
        await until(
          () => board.events().filter((e) => e.event === 'resync').length > resyncs,
          20_000,
          `round ${round}: resync on the board`,
        );
        alertActive = !alertActive;
        const alert = await fetch(`${base}/api/v1/centers/${center}/alert`, {
          method: 'POST',
          headers: { cookie: head, 'content-type': 'application/json' },
          body: JSON.stringify({ active: alertActive }),
        });
        expect(alert.status, await alert.text()).toBe(200);
        await until(
          () => {
            const events = board.events();
            const last = events.at(-1);
            return last?.event === 'alert' && last.data.active === alertActive;
          },
          10_000,
          `round ${round}: the board hears the alert after the resync`,
        );
        expect(server.exitCode).toBe(null);
      }
      stop = true;
      await Promise.all(loops);
      board.close();

      expect(server.exitCode).toBe(null);
      expect(output).not.toMatch(/Uncaught|Unhandled|Emitted 'error' event|triggerUncaughtException/);
      expect(ok).toBeGreaterThan(20);
      // The outage was felt, and every failure was a fast 503 problem with Retry-After, no stack.
      expect(failures.length).toBeGreaterThan(0);
      for (const f of failures) {
        expect(f, f.body).toMatchObject({ status: 503, retryAfter: '5' });
        expect(f.type).toMatch(/^application\/problem\+json/);
        expect(JSON.parse(f.body)).toMatchObject({ code: 'SERVICE_UNAVAILABLE', status: 503 });
        expect(f.body).not.toMatch(/stack|node_modules|at \w+ \(/);
      }
    }, 180_000);
  },
);
