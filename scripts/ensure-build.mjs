#!/usr/bin/env node
// Runs before `npm start` and `npm run worker`. The demo keeps its two-command quick start
// (`npm ci && npm start`): it builds when dist/ is missing or older than the sources, once. In
// production (NODE_ENV=production) it never builds: the release is built where the development
// dependencies are, and a server with only `npm ci --omit=dev` runs what it was given.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', '.build-stamp');
const howTo = 'run `npm ci && npm run build` where the development dependencies are installed';

const sources = ['src', 'web', 'vite.config.ts', 'tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time under the build's inputs (tests excluded). */
function newestSource() {
  let newest = 0;
  const visit = (path) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const entry of readdirSync(path)) if (entry !== 'node_modules') visit(join(path, entry));
    } else if (!path.endsWith('.test.ts') && !path.endsWith('.test.tsx')) {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const source of sources) visit(join(root, source));
  return newest;
}

const built = existsSync(stamp) && existsSync(join(root, 'dist', 'server', 'main.js'));
const canBuild = ['tsc', 'vite'].every((name) => existsSync(join(root, 'node_modules', '.bin', name)));

if (process.env.NODE_ENV === 'production') {
  if (!built) {
    console.error(`E-Запис не запущено: no build in dist/ (production never builds on start); ${howTo}.`);
    process.exit(1);
  }
} else if (!built || statSync(stamp).mtimeMs < newestSource()) {
  if (canBuild) {
    console.log(
      built ? 'E-Запис: sources changed since the last build; building…' : 'E-Запис: first start; building…',
    );
    const { build } = await import('./build.mjs');
    build();
  } else if (built) {
    console.warn(`E-Запис: dist/ is older than the sources; starting the old build (to rebuild, ${howTo}).`);
  } else {
    console.error(`E-Запис не запущено: no build in dist/; ${howTo}.`);
    process.exit(1);
  }
}
