import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { safeReturnTo } from '../../src/identity/auth-flow-store.js';
import { Browser, formFor } from '../identity/browser.js';
import { createHarness, type Harness } from '../support/harness.js';

/**
 * Bypass: "open redirect after login". The return target survives the whole ID.GOV.UA round trip
 * and ends up in the Location of the callback. Browsers strip TAB/CR/LF from URLs and read `\` as
 * `/`, so `/\t/evil.example` passed a "starts with / but not //" check and became `//evil.example`.
 */
const payloads = [
  '/\t/evil.example/steal',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\\evil.example',
  '/\t\\evil.example',
  '\\\\evil.example',
  '//evil.example',
  '/%09/evil.example',
  'https://evil.example/',
  ' /\t/evil.example',
  '/\u0000/evil.example',
];

describe('red team: open redirect after login', () => {
  let h: Harness;
  let base: string;
  beforeAll(async () => {
    h = await createHarness('pglite');
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    h.ctx.config.publicUrl = base;
  });
  afterAll(() => h.close());

  /** Where a browser would go after the callback's redirect, parsed as browsers parse it. */
  async function landingAfterLogin(returnTo: string): Promise<URL> {
    const browser = new Browser(base);
    const start = await browser.request(`/auth/citizen/login?returnTo=${encodeURIComponent(returnTo)}`);
    // A NUL byte is refused before any redirect (400 problem, request hygiene): the browser stays here.
    if (start.status === 400) return new URL(base);
    const page = await browser.request(start.headers.get('location') ?? '');
    const form = formFor(await page.text(), 'value="individual"');
    const toCallback = await browser.request(form.action, { form: form.fields });
    const callback = await browser.request(toCallback.headers.get('location') ?? '');
    expect(callback.status).toBe(303);
    return new URL(callback.headers.get('location') ?? '', base);
  }

  it.each(payloads)('returnTo %j lands on this origin after a real login', async (payload) => {
    const landing = await landingAfterLogin(payload);
    expect(landing.origin).toBe(new URL(base).origin);
  });

  it('a local path with a query still returns there', async () => {
    const landing = await landingAfterLogin('/book?center=c1#slots');
    expect(landing.pathname + landing.search + landing.hash).toBe('/book?center=c1#slots');
  });

  it.each(payloads)('safeReturnTo(%j) never yields a target a browser resolves elsewhere', (payload) => {
    const target = safeReturnTo(payload);
    expect(new URL(target, 'https://e-zapys.example').origin).toBe('https://e-zapys.example');
    expect(target).not.toMatch(/[\p{Cc}\\]/u);
  });
});
