// Browser-test helpers: Debian's Chromium through playwright-core (never a downloaded browser), a free port,
// axe-core for accessibility, and the shop served on that port with a browser beside it.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  openHarness,
  type DbUnderTest,
  type Harness,
  type HarnessOptions,
  type Browser as TestBrowser,
} from './harness.ts';
import { nextTotpCode, rememberSecret, totpCode } from './factories.ts';
import { freePort } from './ports.ts';

const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);

/** Outside CI a machine without Chromium skips browser tests; in CI they must run. */
export const browserSkip: string | false =
  !existsSync(CHROMIUM) && process.env.CI !== 'true'
    ? 'Chromium is not installed (apt-get install -y chromium)'
    : false;

export interface LaunchOptions {
  /**
   * The user agent of the whole browser (a context's user agent does not reach a request sent while a page unloads,
   * e.g. a beacon's). Headless Chromium otherwise names itself HeadlessChrome.
   */
  userAgent?: string;
  /** More command-line arguments, after the usual ones. */
  args?: string[];
}

export function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      ...(options.userAgent === undefined ? [] : [`--user-agent=${options.userAgent}`]),
      ...(options.args ?? []),
    ],
  });
}

/** Runs axe-core in the page; returns "rule: target" for every WCAG A/AA violation. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(ctx: unknown, opts: unknown): Promise<{ violations: { id: string; nodes: { target: unknown[] }[] }[] }>;
        };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id}: ${JSON.stringify(n.target)}`));
  });
}

export { freePort } from './ports.ts';

export interface BrowserShop {
  h: Harness;
  /** Where the shop listens, e.g. http://127.0.0.1:40123 (also its BASE_URL). */
  base: string;
  browser: Browser;
  /** Closes the browser, then the harness (the harness even if closing the browser fails). */
  close(): Promise<void>;
}

/** The harness behind each shop openBrowserShop serves, by base URL (finishSignInInPage needs its clock). */
const shops = new Map<string, Harness>();

/**
 * A harness (SQLite unless `db` says otherwise) with the given options (env merged; BASE_URL is set here) listening
 * on a free local port, and Chromium launched (with `launch`'s user agent and arguments). If listening or the launch
 * fails, what was opened is closed again and the error thrown.
 */
export async function openBrowserShop(
  options: HarnessOptions = {},
  db: DbUnderTest = 'sqlite',
  launch: LaunchOptions = {},
): Promise<BrowserShop> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await openHarness(db, { ...options, env: { ...options.env, BASE_URL: base } });
  let browser: Browser;
  try {
    await h.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium(launch);
  } catch (err) {
    await h.close();
    throw err;
  }
  shops.set(base, h);
  return {
    h,
    base,
    browser,
    async close() {
      shops.delete(base);
      try {
        await browser.close();
      } finally {
        await h.close();
      }
    },
  };
}

/**
 * In a signed-in page: sets up the second factor as a person would (reads the key shown as text on
 * /account/two-factor, types the code an authenticator app would show) or, when the account has one already,
 * passes it for this session on the code step. Staff pages open afterwards. English or German pages alike.
 */
export async function passSecondFactorInPage(page: Page, base: string, h: Harness, email: string): Promise<void> {
  await page.goto(`${base}/account/two-factor`);
  const key = page.locator('[data-secret]');
  if ((await key.count()) > 0) {
    const secret = (await key.getAttribute('data-secret')) as string;
    await page.locator('input[name="code"]').fill(totpCode(h, secret));
    rememberSecret(email, secret);
    await page.locator('form[action="/account/two-factor"] button[type="submit"]').click();
    await page.locator('ul.recovery-codes').waitFor();
    return;
  }
  await page.goto(`${base}/account/login/code`);
  if (new URL(page.url()).pathname === '/account/login/code') await enterSecondFactorInPage(page, h, email);
}

/** On the code step of a sign-in (after the password form): types the current code and sends it. */
export async function enterSecondFactorInPage(page: Page, h: Harness, email: string): Promise<void> {
  const form = page.locator('form[action="/account/login/code"]');
  await form.waitFor();
  await form.locator('input[name="code"]').fill(await nextTotpCode(h, email));
  await Promise.all([
    page.waitForURL((url) => !['/account/login', '/account/login/code'].includes(url.pathname)),
    form.locator('button[type="submit"]').click(),
  ]);
}

/**
 * After the password form was sent: when the account has a second factor, the answer is the code step; this types
 * the code and sends it. Then waits until the browser arrives at `landing` (the sign-in's destination).
 */
export async function finishSignInInPage(page: Page, base: string, email: string, landing = '/account'): Promise<void> {
  const h = shops.get(base);
  assert.ok(h, `no shop of openBrowserShop at ${base}`);
  await page.waitForLoadState();
  const code = page.locator('form[action="/account/login/code"]');
  // Whichever comes first; the other wait is dropped (its later timeout must not surface as a rejection).
  await Promise.race([
    page.waitForURL(`${base}${landing}`).catch(() => undefined),
    code.waitFor().catch(() => undefined),
  ]);
  if (await code.count()) await enterSecondFactorInPage(page, h, email);
  await page.waitForURL(`${base}${landing}`);
}

/**
 * The cookies of a session signed in through the harness's Browser (as the factories do), for a browser context:
 * host-only on 127.0.0.1, as the shop sets them (__Host-: Secure, path /, no Domain attribute).
 */
export function sessionCookies(
  b: TestBrowser,
): { name: string; value: string; domain: string; path: string; secure: boolean; sameSite: 'Lax' }[] {
  return b
    .cookieHeader()
    .split('; ')
    .filter((c) => c.includes('='))
    .map((c) => {
      const [name, ...value] = c.split('=');
      return {
        name: name!,
        value: value.join('='),
        domain: '127.0.0.1',
        path: '/',
        secure: true,
        sameSite: 'Lax' as const,
      };
    });
}
