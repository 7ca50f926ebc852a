import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * One build, five surfaces (SPEC §1): each entry's HTML lands in dist/web/<surface>/index.html and
 * the server (src/web/web-routes.ts) serves it at its path. Hashed assets go to dist/web/assets.
 */
const web = resolve(import.meta.dirname, 'web');

export default defineConfig({
  root: web,
  base: '/',
  publicDir: resolve(web, 'public'),
  plugins: [react()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/web'),
    emptyOutDir: true,
    target: 'es2022',
    // The CSP allows scripts from 'self' only: no inline module-preload polyfill.
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        portal: resolve(web, 'portal/index.html'),
        kiosk: resolve(web, 'kiosk/index.html'),
        board: resolve(web, 'board/index.html'),
        operator: resolve(web, 'operator/index.html'),
        admin: resolve(web, 'admin/index.html'),
      },
    },
  },
  server: {
    proxy: {
      '/api': 'http://localhost:3000',
      '/dev': 'http://localhost:3000',
      '/auth': 'http://localhost:3000',
    },
  },
});
