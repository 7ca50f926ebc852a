import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { surfaces, webRoutes } from './web-routes.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fakeBuild(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ez-web-'));
  dirs.push(dir);
  for (const s of Object.keys(surfaces)) {
    mkdirSync(join(dir, s));
    writeFileSync(join(dir, s, 'index.html'), `<!doctype html><title>${s}</title>`);
  }
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'assets', 'portal-abc123.js'), 'console.log(1)');
  mkdirSync(join(dir, 'icons'));
  writeFileSync(join(dir, 'icons', 'icon-192.png'), 'png');
  writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  writeFileSync(join(dir, 'manifest.webmanifest'), '{}');
  return dir;
}

async function appOver(dir: string) {
  const app = Fastify();
  await app.register(webRoutes, { dir });
  await app.ready();
  return app;
}

describe('web surfaces served by the API server', () => {
  it('serves each surface at its path, with its SPA fallback, as revalidated HTML', async () => {
    const app = await appOver(fakeBuild());
    const cases: Array<[string, string]> = [
      ['/', 'portal'],
      ['/my', 'portal'],
      ['/my/feedback/123', 'portal'],
      ['/book', 'portal'],
      ['/kiosk', 'kiosk'],
      ['/board', 'board'],
      ['/operator', 'operator'],
      ['/operator/desk/1', 'operator'],
      ['/admin', 'admin'],
    ];
    for (const [url, surface] of cases) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain(`<title>${surface}</title>`);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    await app.close();
  });

  it('hashed assets are immutable; the service worker may control the whole origin', async () => {
    const app = await appOver(fakeBuild());
    const js = await app.inject({ url: '/assets/portal-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const sw = await app.inject({ url: '/sw.js' });
    expect(sw.headers['service-worker-allowed']).toBe('/');
    expect(sw.headers['cache-control']).toBe('no-cache');
    expect(sw.headers['content-type']).toContain('javascript');
    const manifest = await app.inject({ url: '/manifest.webmanifest' });
    expect(manifest.headers['content-type']).toContain('application/manifest+json');
    expect((await app.inject({ url: '/assets/missing.js' })).statusCode).toBe(404);
    await app.close();
  });

  it('without a build, every surface answers with a clear Ukrainian message saying how to build', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ez-web-empty-'));
    dirs.push(empty);
    const app = await appOver(empty);
    const res = await app.inject({ url: '/kiosk' });
    expect(res.statusCode).toBe(503);
    expect(res.body).toContain('Вебінтерфейс ще не зібрано');
    expect(res.body).toContain('npm run build:web');
    await app.close();
  });
});
