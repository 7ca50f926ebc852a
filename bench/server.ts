import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { freePort } from '../test/support/ports.js';

/** Starting and watching the server under test: the production build (dist/), as `npm start` runs it. */

export const PROFILE_DIR = `${os.tmpdir()}/ez-bench-profiles`;

export { freePort };

/**
 * The server's command line: the production build (`node dist/server/main.js`, as `npm start`), or
 * with BENCH_SERVER=tsx the TypeScript sources (while developing, when a build would be stale).
 */
export const serverArgs = () =>
  process.env.BENCH_SERVER === 'tsx' ? ['--import', 'tsx', 'src/main.ts'] : startArgs();

/** `npm start`'s node arguments (its V8 flags, e.g. the young generation's size, and the entry). */
function startArgs(): string[] {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
  const [node, ...args] = pkg.scripts.start.trim().split(/\s+/);
  return node === 'node' && args.at(-1) === 'dist/server/main.js' ? args : ['dist/server/main.js'];
}

/** Builds dist/ when it is missing or older than the sources (scripts/ensure-build.mjs decides). */
export function ensureBuild() {
  if (process.env.BENCH_SERVER === 'tsx') return;
  execFileSync(process.execPath, ['scripts/ensure-build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/**
 * Runs `entry` (default the built server) with `env` on top of the bench's environment and waits
 * until /healthz answers (and, with several workers, until all of them listen).
 */
export async function startProcess(opts: {
  env: Record<string, string>;
  port: number;
  workers?: number;
  profile?: boolean;
  args?: string[];
}): Promise<ChildProcess> {
  // A clustered server (WORKERS > 1) is ready when all its workers listen: a client that opened its
  // keep-alive connections before would have them all on the first workers.
  const workers = opts.workers ?? Number(opts.env.WORKERS ?? 1);
  const child = spawn(
    process.execPath,
    [
      ...(opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []),
      ...(opts.args ?? serverArgs()),
    ],
    { env: { ...process.env, ...opts.env, PORT: String(opts.port) }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let allListening = workers === 1;
  child.stdout?.on('data', (d: Buffer) => {
    if (d.toString().includes('server processes listening')) allListening = true;
  });
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const res = await fetch(`http://127.0.0.1:${opts.port}/healthz`);
      if (res.ok && allListening) return child;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${stderr}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function stopProcess(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** A server process and its cluster workers (Linux's /proc), the process first. */
export function serverProcesses(pid: number): number[] {
  const pids = [pid];
  try {
    pids.push(
      ...readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
        .trim()
        .split(/\s+/)
        .filter(Boolean)
        .map(Number),
    );
  } catch {
    // no children listed: a single process
  }
  return pids;
}

/** Peak RSS of a process and its cluster workers (the largest of them), MB. */
export function peakRssMb(pid: number): number {
  const kb = serverProcesses(pid).map((p) => {
    try {
      return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      return 0;
    }
  });
  return Math.round(Math.max(...kb) / 1024);
}

/**
 * The browse ceiling (bench/bare-server.ts) answering `answers` ({ "<center>|<date>": body }, as
 * captured from the real server), started as its own process like the server.
 */
export async function startBareRoute(
  answers: Record<string, string>,
): Promise<{ child: ChildProcess; port: number }> {
  const file = `${os.tmpdir()}/ez-bench-answers-${process.pid}.json`;
  writeFileSync(file, JSON.stringify(answers));
  const port = await freePort();
  const child = await startProcess({
    port,
    env: { BARE_ANSWERS: file },
    args: ['--import', 'tsx', 'bench/bare-server.ts'],
  });
  return { child, port };
}
