import { readdirSync, readFileSync } from 'node:fs';
import { serverProcesses } from './server.js';

/**
 * Where a phase's CPU went, from Linux's /proc: the server process (all its threads, V8's
 * compiler and garbage collector included, and its workers with WORKERS > 1), every PostgreSQL
 * process, the load generator (this process) and the machine's idle time. On a machine where all
 * of them share the cores, these shares decide a ratio to a ceiling: the README's budget reads
 * them from each run.
 */

export interface CpuShares {
  /** CPU microseconds per answered request. */
  serverUs: number;
  postgresUs: number;
  loadUs: number;
  /** Cores in use on average over the phase, each part. */
  serverCores: number;
  postgresCores: number;
  loadCores: number;
  /** Share of the machine's cores idle over the phase (0…1). */
  idle: number;
  /** Seconds the phase lasted. */
  seconds: number;
}

const TICK_US = 10_000; // USER_HZ = 100 on Linux: /proc counts CPU time in 10 ms ticks

/** utime + stime of a process in ticks, or null when it is gone. */
function ticksOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces or parentheses: the fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return null;
  }
}

/** The server's ticks: the process and, with several workers (cluster), its children. */
function serverTicks(pid: number): number | null {
  const [own, ...workers] = serverProcesses(pid).map(ticksOf);
  if (own === null || own === undefined) return null;
  return workers.reduce<number>((sum, t) => sum + (t ?? 0), own);
}

function postgresTicks(): Map<number, number> {
  const ticks = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    const pid = Number(name);
    if (!Number.isInteger(pid)) continue;
    try {
      if (!readFileSync(`/proc/${pid}/comm`, 'utf8').startsWith('postgres')) continue;
    } catch {
      continue;
    }
    const t = ticksOf(pid);
    if (t !== null) ticks.set(pid, t);
  }
  return ticks;
}

/** The machine's idle and total ticks (all cores) from /proc/stat. */
function machineTicks(): { idle: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
  const f = line.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest is inside user)
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { idle: (f[3] ?? 0) + (f[4] ?? 0), total };
}

/**
 * Starts measuring; `stop(answers)` gives each part's CPU per answered request and cores in use.
 * PostgreSQL processes that start during the phase count from zero; one that ends during it is
 * lost (the server's pool keeps its connections through a phase). Null off Linux.
 */
export function cpuMeter(serverPid: number): { stop(answers: number): CpuShares | null } {
  if (process.platform !== 'linux') return { stop: () => null };
  const t0 = performance.now();
  const server0 = serverTicks(serverPid) ?? 0;
  const pg0 = postgresTicks();
  const load0 = process.cpuUsage();
  const machine0 = machineTicks();
  return {
    stop(answers) {
      const seconds = (performance.now() - t0) / 1000;
      const server = ((serverTicks(serverPid) ?? server0) - server0) * TICK_US;
      let pg = 0;
      for (const [pid, t] of postgresTicks()) pg += (t - (pg0.get(pid) ?? 0)) * TICK_US;
      const used = process.cpuUsage(load0);
      const load = used.user + used.system;
      const machine = machineTicks();
      const total = machine.total - machine0.total;
      const per = (us: number) => (answers > 0 ? Math.round(us / answers) : 0);
      const cores = (us: number) => Math.round((us / 1e6 / seconds) * 100) / 100;
      return {
        serverUs: per(server),
        postgresUs: per(pg),
        loadUs: per(load),
        serverCores: cores(server),
        postgresCores: cores(pg),
        loadCores: cores(load),
        idle: total > 0 ? Math.round(((machine.idle - machine0.idle) / total) * 100) / 100 : 0,
        seconds: Math.round(seconds * 10) / 10,
      };
    },
  };
}
