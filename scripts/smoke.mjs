#!/usr/bin/env node
// Production smoke test of the build: starts `node dist/server/main.js` with NODE_ENV=production
// on a fresh PostgreSQL database, checks /healthz, /readyz, /metrics and one web page, stops it
// with SIGTERM (it must exit 0) and drops the database. Exit code 0 = the release starts.
//   SMOKE_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres): an admin connection
//   on the server where the fresh database is created.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const adminUrl = process.env.SMOKE_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const name = `ez_smoke_${randomBytes(4).toString('hex')}`;
/**
 * A port that is free now and below the kernel's ephemeral range (32768 and up on Linux): a port
 * picked in that range can be taken by any outgoing connection, even the smoke's own to PostgreSQL,
 * before the server listens on it (seen once in CI: EADDRINUSE on 36192).
 */
async function freePort() {
  for (let attempt = 0; attempt < 50; attempt++) {
    const candidate = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise((resolve) => {
      const probe = net.createServer();
      probe.once('error', () => resolve(false));
      probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
    });
    if (free) return candidate;
  }
  throw new Error('smoke: no free port in 20000-31999');
}
const port = await freePort();
const base = `http://127.0.0.1:${port}`;
const key = randomBytes(32).toString('base64');
const metricsToken = randomBytes(24).toString('hex');

async function admin(sql) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const databaseUrl = new URL(adminUrl);
databaseUrl.pathname = `/${name}`;

// Only what production requires; no development dependency may be needed to run it.
const env = {
  PATH: process.env.PATH,
  NODE_ENV: 'production',
  HOST: '127.0.0.1',
  PORT: String(port),
  DATABASE_URL: databaseUrl.toString(),
  PUBLIC_URL: 'https://e-zapys.example',
  PII_KEYS: `k1:${key}`,
  PII_HMAC_KEY: key,
  ANTIBOT_HMAC_KEY: key,
  SMTP_URL: 'smtp://127.0.0.1:2525',
  IDGOVUA_BASE_URL: 'https://id.gov.ua',
  IDGOVUA_CLIENT_ID: 'e-zapys-smoke',
  IDGOVUA_CLIENT_SECRET: 'smoke-secret',
  IDGOVUA_PLAIN_USERINFO: 'on',
  STAFF_OIDC_ISSUER: 'https://sso.example/realms/staff',
  STAFF_OIDC_CLIENT_ID: 'e-zapys-smoke',
  STAFF_OIDC_CLIENT_SECRET: 'smoke-staff-secret',
  METRICS_TOKEN: metricsToken,
  LOG_LEVEL: 'warn',
};

const failures = [];
const check = (what, ok, detail = '') => {
  console.log(`smoke: ${ok ? 'ok  ' : 'FAIL'} ${what}${detail ? ` (${detail})` : ''}`);
  if (!ok) failures.push(what);
};

// `npm ci --omit=dev` installs only `dependencies`: every package the build imports must be one.
const { dependencies = {} } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const imported = new Set();
const visit = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) visit(path);
    else if (entry.name.endsWith('.js'))
      for (const m of readFileSync(path, 'utf8').matchAll(
        /^(?:import|export)\s[^;]*?from\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm,
      )) {
        const spec = m[1] ?? m[2] ?? '';
        if (!/^[@a-z]/.test(spec)) continue;
        const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
        if (!spec.startsWith('node:') && !builtinModules.includes(pkg)) imported.add(pkg);
      }
  }
};
visit(join(root, 'dist', 'server'));
const missing = [...imported].filter((pkg) => !(pkg in dependencies));
check('the build imports only production dependencies', missing.length === 0, missing.join(', '));

await admin(`CREATE DATABASE ${name}`);
const server = spawn(process.execPath, [join(root, 'dist', 'server', 'main.js')], {
  cwd: '/',
  env,
  stdio: ['ignore', 'pipe', 'pipe'],
});
let output = '';
server.stdout.on('data', (d) => {
  output += d;
});
server.stderr.on('data', (d) => {
  output += d;
});
const exited = new Promise((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })));
// However this script ends (a closed stdout included), the server it started ends with it.
process.once('exit', () => server.exitCode === null && server.kill('SIGKILL'));

try {
  const deadline = Date.now() + 30_000;
  let up = false;
  while (!up && Date.now() < deadline && server.exitCode === null) {
    up = await fetch(`${base}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (!up) await new Promise((r) => setTimeout(r, 250));
  }
  check('/healthz answers 200', up);
  if (up) {
    const ready = await fetch(`${base}/readyz`);
    check(
      '/readyz answers 200 (database reachable, migrations current)',
      ready.status === 200,
      `${ready.status}`,
    );
    const refused = await fetch(`${base}/metrics`);
    check('/metrics refuses a scrape without the token', refused.status === 403, `${refused.status}`);
    const metrics = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } });
    const text = await metrics.text();
    check('/metrics answers with the token', metrics.status === 200, `${metrics.status}`);
    check('/metrics reads the database', /^ezapys_metrics_database_up 1$/m.test(text));
    const page = await fetch(`${base}/`);
    check('the portal page is served from dist/web', page.status === 200, `${page.status}`);
  }
} finally {
  server.kill('SIGTERM');
  const { code, signal } = await Promise.race([
    exited,
    new Promise((r) => setTimeout(() => r({ code: 'timeout' }), 15_000)),
  ]);
  check('SIGTERM stops the server cleanly', code === 0, `exit ${code ?? signal}`);
  if (code === 'timeout') server.kill('SIGKILL');
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

if (failures.length) {
  console.error(`smoke: ${failures.length} check(s) failed; server output:\n${output}`);
  process.exit(1);
}
console.log('smoke: the production build starts, serves and stops');
