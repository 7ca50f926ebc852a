/**
 * `npx tsx bench/browse-only.ts [--quick] [--profile] [--rounds N]`: only browse and its ceiling,
 * for experiments on the read path. The same seed, requests and bare route as `npm run bench`
 * (10 centers, four days of 20 windows, 64 connections, anonymous readers from 60,000 addresses,
 * the per-address read limit counted); the server and the bare route take turns N times (default
 * 2) so that both meet the machine in the same state. Prints one line a round (with each
 * process's CPU per request, from /proc; USER_HZ 100) and the median ratio.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { addDays, kyivDay } from '../src/platform/kyiv-time.js';
import { Client, ms, type Req, runFor } from './load.js';
import { SERVICE, seedCatalog, seedSlots } from './seed.js';
import { ensureBuild, freePort, PROFILE_DIR, startBareRoute, startProcess, stopProcess } from './server.js';
import { addressOf, benchDatabase, browseAnswers, defendedEnv } from './setup.js';

const quick = process.argv.includes('--quick');
const profile = process.argv.includes('--profile');
const roundsAt = process.argv.indexOf('--rounds');
const rounds = roundsAt < 0 ? 2 : Number(process.argv[roundsAt + 1]);
if (!(rounds >= 1)) throw new Error('--rounds needs a number ≥ 1');
const seconds = quick ? 3 : 10;
const CONNECTIONS = 64;

/** CPU seconds (user + system) a process has used so far (Linux /proc). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

ensureBuild();
const database = await benchDatabase();
const url = database.url;
const running: Array<Parameters<typeof stopProcess>[0]> = [];
try {
  const db = database.pool(4);
  const today = kyivDay(new Date());
  const centers = Array.from({ length: 10 }, (_, i) => `bench-c${String(i + 1).padStart(2, '0')}`);
  const days = [1, 2, 3, 4].map((n) => addDays(today, n));
  await seedCatalog(db, centers);
  await seedSlots(db, { centers, days, windows: 20, capacity: 25, releasedAt: new Date(0) });
  await db.end();

  let address = 0;
  const browseReq = (): Req => ({
    method: 'GET',
    path: `/api/v1/centers/${centers[Math.floor(Math.random() * centers.length)]}/slots?service=${SERVICE}&date=${days[Math.floor(Math.random() * days.length)]}`,
    headers: { 'x-forwarded-for': addressOf(2_000_000 + (address++ % 60_000)) },
  });

  const port = await freePort();
  const server = await startProcess({ port, profile, env: defendedEnv(url) });
  running.push(server);
  const client = new Client(port, CONNECTIONS);
  const answers = await browseAnswers(client, centers, days);
  // Warm-up, as the full bench's: the server's code compiled and optimised before it is measured.
  await runFor(client, browseReq, 2_000, CONNECTIONS);
  const { child: bare, port: barePort } = await startBareRoute(answers);
  running.push(bare);
  const bareClient = new Client(barePort, CONNECTIONS);
  await runFor(bareClient, browseReq, 2_000, CONNECTIONS);

  const ratios: number[] = [];
  for (let round = 1; round <= rounds; round++) {
    const cpu0 = cpuSeconds(server.pid);
    const api = await runFor(client, browseReq, seconds * 1000, CONNECTIONS);
    const cpu1 = cpuSeconds(server.pid);
    const bareCpu0 = cpuSeconds(bare.pid);
    const ceiling = await runFor(bareClient, browseReq, seconds * 1000, CONNECTIONS);
    const bareCpu1 = cpuSeconds(bare.pid);
    const perRequest = (cpu: number, n: number) => ((cpu * 1e6) / n).toFixed(1);
    const apiRps = Math.round(api.count / (api.elapsedMs / 1000));
    const bareRps = Math.round(ceiling.count / (ceiling.elapsedMs / 1000));
    ratios.push(apiRps / bareRps);
    console.log(
      `round ${round}: browse ${apiRps}/s (p50 ${ms(api.histogram, 50)} ms, p99 ${ms(api.histogram, 99)} ms, errors ${api.errors}, CPU ${perRequest(cpu1 - cpu0, api.count)} µs a read) | bare ${bareRps}/s (CPU ${perRequest(bareCpu1 - bareCpu0, ceiling.count)} µs) | ratio ${(apiRps / bareRps).toFixed(2)} | load ${os.loadavg()[0]?.toFixed(1)}`,
    );
  }
  ratios.sort((a, b) => a - b);
  console.log(`median ratio ${ratios[Math.floor((ratios.length - 1) / 2)]?.toFixed(2)}`);
  client.close();
  bareClient.close();
  if (profile) console.log(`server CPU profile: ${PROFILE_DIR}`);
} finally {
  for (const p of running) await stopProcess(p);
  await database.drop();
}
