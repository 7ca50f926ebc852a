#!/usr/bin/env node
// `npm run build`: the server compiled to JavaScript in dist/server (with the SQL migrations
// beside the compiled migrate module), the five web surfaces built by Vite into dist/web, and
// dist/.build-stamp last, so a build that failed half-way never looks fresh to scripts/start.mjs.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const bin = (name) => join(root, 'node_modules', '.bin', name);

function run(label, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`build: ${label} failed`);
    process.exit(result.status ?? 1);
  }
  console.log(`build: ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

export function build() {
  rmSync(join(dist, '.build-stamp'), { force: true });
  // Stale modules of deleted sources must not survive in the build.
  rmSync(join(dist, 'server'), { recursive: true, force: true });
  run('server → dist/server', bin('tsc'), ['-p', 'tsconfig.build.json']);
  const from = join(root, 'src', 'platform', 'migrations');
  const to = join(dist, 'server', 'platform', 'migrations');
  mkdirSync(to, { recursive: true });
  for (const file of readdirSync(from).filter((f) => f.endsWith('.sql')))
    cpSync(join(from, file), join(to, file));
  run('web → dist/web', bin('vite'), ['build', '--logLevel', 'warn']);
  writeFileSync(join(dist, '.build-stamp'), `${new Date().toISOString()}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) build();
