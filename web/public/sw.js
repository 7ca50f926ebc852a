/*
 * E-Запис service worker (scope /). The portal works as an installable app and "my
 * registrations" opens without a network: pages are network-first with the last copy as a
 * fallback, hashed assets cache-first (they never change), and the citizen's own registrations and
 * profile are network-first with the last good answer kept. Nothing else of the API is cached.
 */
const VERSION = 'ez-v1';
const SHELL = `${VERSION}-shell`;
const ASSETS = `${VERSION}-assets`;
const DATA = `${VERSION}-data`;
const OFFLINE_API = ['/api/v1/me', '/api/v1/me/bookings', '/api/v1/centers', '/api/v1/services'];
const PORTAL_PAGES = ['/', '/my', '/book'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL)
      .then((cache) => cache.addAll(['/', '/manifest.webmanifest', '/favicon.svg']))
      .catch(() => undefined)
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => !k.startsWith(VERSION)).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

async function networkFirst(request, cacheName, key) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) await cache.put(key ?? request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(key ?? request);
    if (!cached) throw error;
    // Tell the page it is reading a saved copy, so it can say so.
    const headers = new Headers(cached.headers);
    headers.set('x-ez-offline', '1');
    return new Response(await cached.blob(), { status: cached.status, headers });
  }
}

async function cacheFirst(request) {
  const cache = await caches.open(ASSETS);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith('/assets/') || url.pathname.startsWith('/icons/')) {
    event.respondWith(cacheFirst(request));
    return;
  }
  if (OFFLINE_API.includes(url.pathname)) {
    event.respondWith(networkFirst(request, DATA));
    return;
  }
  if (request.mode === 'navigate') {
    const portal =
      PORTAL_PAGES.includes(url.pathname) ||
      url.pathname.startsWith('/my/') ||
      url.pathname.startsWith('/book/');
    // Portal pages share one HTML shell; other surfaces (kiosk, board, ...) are never cached here.
    if (portal) event.respondWith(networkFirst(request, SHELL, '/'));
  }
});

self.addEventListener('message', (event) => {
  // Signing out clears the citizen's saved data from this device.
  if (event.data === 'logout') event.waitUntil(caches.delete(DATA));
});
