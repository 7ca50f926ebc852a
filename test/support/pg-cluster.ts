import { execFileSync, spawnSync } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './ports.js';

/**
 * A throwaway PostgreSQL cluster a test owns and may break: stop it (as a crash would), start it
 * again, freeze it (SIGSTOP: connections open but nothing answers), terminate backends. Own
 * port and data directory under the system's temporary directory, nothing shared with the
 * machine's server; removed again by `destroy` (and, should the test process die, on exit).
 */
export interface PgCluster {
  port: number;
  dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** pg_terminate_backend on every session of `database` but our own; returns how many. */
  terminate(database: string): Promise<number>;
  /**
   * Stops the server: `immediate` (default) like a crash, `fast` like an administrator's stop
   * (every session ends with 57P01). Connections are refused until `start`.
   */
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  /** SIGSTOP / SIGCONT on the postmaster and every backend: a database that hangs. */
  freeze(): void;
  thaw(): void;
  destroy(): void;
}

const inCi = () => !!process.env.CI && process.env.CI !== 'false' && process.env.CI !== '0';

/** The directory with initdb, pg_ctl and postgres, or undefined. */
export function findPgBin(): string | undefined {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  try {
    candidates.push(execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim());
  } catch {
    // No pg_config on PATH.
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a)))
      candidates.push(join(root, v, 'bin'));
  }
  candidates.push('/usr/local/bin', '/usr/bin');
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((b) => existsSync(join(dir, b))));
}

/**
 * Whether the fault tests that need their own cluster run: when PostgreSQL's server binaries are
 * installed. Skipped without them on a developer's machine; in CI a missing binary fails loudly.
 */
export function requirePgCluster(): boolean {
  if (findPgBin()) return true;
  if (inCi())
    throw new Error(
      'CI=true but PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found: install postgresql (or set PG_BIN); the database fault tests cannot run.',
    );
  return false;
}

/** initdb refuses to run as root: then the cluster belongs to the `postgres` user. */
function runAs(): { uid: number; gid: number; user: string } | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .map((l) => l.split(':'))
    .find((f) => f[0] === 'postgres');
  if (!passwd) throw new Error('running as root, and there is no postgres user to own the test cluster');
  return { user: 'postgres', uid: Number(passwd[2]), gid: Number(passwd[3]) };
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = findPgBin();
  if (!bin) throw new Error('PostgreSQL server binaries (initdb, pg_ctl) not found');
  const owner = runAs();
  const base = mkdtempSync(join(tmpdir(), 'ez-pgcluster-'));
  const dataDir = join(base, 'data');
  const socketDir = base;
  const logFile = join(base, 'postgres.log');
  if (owner) chownSync(base, owner.uid, owner.gid);
  const port = await freePort();

  const run = (cmd: string, args: string[], allowFail = false) => {
    const res = spawnSync(join(bin, cmd), args, {
      encoding: 'utf8',
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      env: { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8' },
      timeout: 60_000,
    });
    if (res.status !== 0 && !allowFail) {
      throw new Error(`${cmd} failed (${res.status}): ${res.stderr || res.stdout}\n${readLog()}`);
    }
    return res;
  };
  const readLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '');

  run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  writeFileSync(
    join(dataDir, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${socketDir}'`,
      'fsync = off',
      'full_page_writes = off',
      'shared_buffers = 32MB',
      'max_connections = 60',
    ].join('\n'),
  );
  const postmasterPid = () => {
    const file = join(dataDir, 'postmaster.pid');
    return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n')[0]) : undefined;
  };
  const start = () => {
    run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', 'start']);
  };
  const kill = (signal: NodeJS.Signals) => {
    const pid = postmasterPid();
    if (!pid) return;
    for (const p of [pid, ...childrenOf(pid)]) {
      try {
        process.kill(p, signal);
      } catch {
        // Gone already.
      }
    }
  };
  let destroyed = false;
  const destroy = () => {
    if (destroyed) return;
    destroyed = true;
    kill('SIGCONT');
    const pid = postmasterPid();
    if (pid) {
      run('pg_ctl', ['-D', dataDir, '-m', 'immediate', '-w', 'stop'], true);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Stopped.
      }
    }
    rmSync(base, { recursive: true, force: true });
  };
  // Whatever happens to the test, the cluster does not outlive its process.
  process.once('exit', destroy);
  try {
    start();
  } catch (error) {
    destroy();
    throw error;
  }

  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 5_000 });
    c.on('error', () => {});
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end().catch(() => {});
    }
  };
  return {
    port,
    dataDir,
    url,
    async createDatabase(name) {
      await admin((c) => c.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`));
      return url(name);
    },
    async terminate(database) {
      return admin(async (c) => {
        const r = await c.query<{ ok: boolean }>(
          'SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [database],
        );
        return r.rows.filter((x) => x.ok).length;
      });
    },
    stop(mode = 'immediate') {
      run('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
    },
    start,
    freeze: () => kill('SIGSTOP'),
    thaw: () => kill('SIGCONT'),
    destroy() {
      process.removeListener('exit', destroy);
      destroy();
    },
  };
}

/** Direct children of a process (the postmaster's backends and helpers), from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after its last ')' are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // Exited meanwhile.
    }
  }
  return out;
}
