import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/**
 * The five web surfaces (SPEC §1), built by `npm run build:web` into dist/web. Hashed assets are
 * immutable; HTML, the manifest and the service worker are revalidated on every load so that a
 * new release reaches kiosks and boards without anyone clearing a cache.
 */
export const surfaces = {
  portal: ['/', '/my', '/my/*', '/book', '/book/*', '/login'],
  kiosk: ['/kiosk', '/kiosk/*'],
  board: ['/board', '/board/*'],
  operator: ['/operator', '/operator/*'],
  admin: ['/admin', '/admin/*'],
} as const;

const publicFiles: Record<string, string> = {
  '/sw.js': 'text/javascript; charset=utf-8',
  '/manifest.webmanifest': 'application/manifest+json; charset=utf-8',
  '/favicon.svg': 'image/svg+xml',
  '/robots.txt': 'text/plain; charset=utf-8',
};

export function defaultWebDir(): string {
  // This module runs from src/web (sources) or dist/server/web (the build): dist/web either way.
  const compiled = import.meta.dirname.endsWith(join('dist', 'server', 'web'));
  return resolve(import.meta.dirname, compiled ? '../../web' : '../../dist/web');
}

const notBuilt = `<!doctype html>
<html lang="uk"><head><meta charset="utf-8"><title>E-Запис: інтерфейс не зібрано</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;line-height:1.5">
<h1>Вебінтерфейс ще не зібрано</h1>
<p>Сервер працює, API доступне за адресою <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>,
але файли вебінтерфейсу відсутні.</p>
<p>Зберіть їх командою <code>npm run build:web</code> і перезапустіть сервер.</p>
<p lang="en">The web interface is not built yet: run <code>npm run build:web</code> and restart.</p>
</body></html>`;

export async function webRoutes(app: FastifyInstance, options: { dir?: string } = {}) {
  const dir = options.dir ?? defaultWebDir();
  const built = existsSync(join(dir, 'portal', 'index.html'));
  const html = new Map<string, string>();
  const page = (surface: keyof typeof surfaces) => {
    // Read once per process; a rebuild is picked up by restarting (as with any release).
    let body = html.get(surface);
    if (body === undefined) {
      body = readFileSync(join(dir, surface, 'index.html'), 'utf8');
      html.set(surface, body);
    }
    return body;
  };
  const sendHtml = (reply: FastifyReply, surface: keyof typeof surfaces) => {
    if (!built)
      return reply
        .status(503)
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(notBuilt);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page(surface));
  };

  for (const [surface, paths] of Object.entries(surfaces) as Array<
    [keyof typeof surfaces, readonly string[]]
  >) {
    for (const url of paths) {
      app.get(url, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) =>
        sendHtml(reply, surface),
      );
    }
  }

  if (!built) return;

  await app.register(fastifyStatic, {
    root: join(dir, 'assets'),
    prefix: '/assets/',
    decorateReply: false,
    index: false,
    cacheControl: false,
    setHeaders(reply) {
      reply.header('cache-control', 'public, max-age=31536000, immutable');
    },
  });
  if (existsSync(join(dir, 'icons'))) {
    await app.register(fastifyStatic, {
      root: join(dir, 'icons'),
      prefix: '/icons/',
      decorateReply: false,
      index: false,
      cacheControl: false,
      setHeaders(reply) {
        reply.header('cache-control', 'public, max-age=86400');
      },
    });
  }
  for (const [url, type] of Object.entries(publicFiles)) {
    const file = join(dir, url.slice(1));
    if (!existsSync(file)) continue;
    app.get(url, { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => {
      reply.type(type).header('cache-control', 'no-cache');
      // The service worker controls the whole origin although it is served from the root.
      if (url === '/sw.js') reply.header('service-worker-allowed', '/');
      return reply.send(readFileSync(file));
    });
  }
}
