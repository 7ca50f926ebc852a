import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { expect } from 'vitest';

const require = createRequire(import.meta.url);
export const ROOT = resolve(import.meta.dirname, '../..');
export const SCREENSHOTS = resolve(ROOT, 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

// In CI a missing browser is a broken machine, never a reason to skip the browser tests.
if (!hasChromium && process.env.CI) {
  throw new Error(
    `CI: no Chromium at ${CHROMIUM}; .ci/run installs Debian's chromium (or set CHROMIUM_PATH)`,
  );
}
if (!hasChromium) {
  console.warn(
    `\n!!!!!!!!!!\n!!! BROWSER TESTS SKIPPED: no Chromium at ${CHROMIUM}. Install it (apt-get install -y chromium) or set CHROMIUM_PATH.\n!!!!!!!!!!\n`,
  );
}

/** Builds the web surfaces once per run, so the browser tests always see the current code. */
export async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  // Vitest sets NODE_ENV=test, which would give React's development build; test what ships.
  const env = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: resolve(ROOT, 'vite.config.ts'), logLevel: 'warn', mode: 'production' });
  } finally {
    process.env.NODE_ENV = env;
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return resolve(SCREENSHOTS, `${name}.png`);
}

const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.1 A/AA rules) on the page and fails on serious or critical findings. The
 * script is evaluated through the DevTools protocol, so the page's strict CSP stays on.
 */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  await page.evaluate(axeSource);
  const result = (await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    return axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
  })) as {
    violations: Array<{
      id: string;
      impact: string | null;
      help: string;
      nodes: Array<{ target: string[] }>;
    }>;
  };
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.impact} ${v.id}: ${v.help} → ${v.nodes
          .map((n) => n.target.join(' '))
          .slice(0, 5)
          .join(' | ')}`,
    );
  expect(bad, `axe on ${label}`).toEqual([]);
}

/**
 * Opens `path` in a new context (Kyiv time zone, Ukrainian locale unless told), with an optional
 * device clock fixed at `deviceNow` and an optional session cookie; the context joins `contexts`
 * to be closed and the page's failures go to `errors` (every console error with `allConsoleErrors`).
 */
export async function openAt(
  browser: Browser,
  base: string,
  path: string,
  options: {
    viewport: { width: number; height: number };
    deviceNow?: string;
    locale?: string;
    cookie?: string;
    contexts: BrowserContext[];
    errors: string[];
    allConsoleErrors?: boolean;
    /** A touch screen (the kiosk). */
    hasTouch?: boolean;
    /** Called with the page before it opens `path` (e.g. to watch its requests from the start). */
    beforeGo?: (page: Page) => void;
  },
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({
    viewport: options.viewport,
    locale: options.locale ?? 'uk-UA',
    timezoneId: 'Europe/Kyiv',
    ...(options.hasTouch ? { hasTouch: true } : {}),
  });
  if (options.deviceNow) await context.clock.setFixedTime(new Date(options.deviceNow));
  if (options.cookie) {
    const [name, value] = options.cookie.split('=') as [string, string];
    await context.addCookies([{ name, value, url: base }]);
  }
  options.contexts.push(context);
  const page = await context.newPage();
  watchErrors(page, options.errors, options.allConsoleErrors);
  options.beforeGo?.(page);
  await page.goto(base + path);
  return { page, context };
}

/**
 * Collects browser-side failures (uncaught errors, CSP violations; with `allConsoleErrors` every
 * console error) to assert there are none.
 */
export function watchErrors(page: Page, into: string[], allConsoleErrors = false) {
  page.on('pageerror', (e) => into.push(`pageerror ${page.url()}: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (allConsoleErrors) into.push(`console ${page.url()}: ${m.text()}`);
    else if (/Content Security Policy|Refused to/.test(m.text())) into.push(`csp ${page.url()}: ${m.text()}`);
  });
}
