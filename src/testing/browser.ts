// Browser-test helpers: Debian's Chromium through playwright-core (never a downloaded browser), a free port,
// axe-core for accessibility, and the shop served on that port with a browser beside it.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openHarness, type Harness, type HarnessOptions } from './harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);

/** Outside CI a machine without Chromium skips browser tests; in CI they must run. */
export const browserSkip: string | false =
  !existsSync(CHROMIUM) && process.env.CI !== 'true'
    ? 'Chromium is not installed (apt-get install -y chromium)'
    : false;

export function launchChromium(): Promise<Browser> {
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

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

export interface BrowserShop {
  h: Harness;
  /** Where the shop listens, e.g. http://127.0.0.1:40123 (also its BASE_URL). */
  base: string;
  browser: Browser;
  /** Closes the browser, then the harness (the harness even if closing the browser fails). */
  close(): Promise<void>;
}

/**
 * A SQLite harness with the given options (env merged; BASE_URL is set here) listening on a free local port,
 * and Chromium launched. If listening or the launch fails, what was opened is closed again and the error thrown.
 */
export async function openBrowserShop(options: HarnessOptions = {}): Promise<BrowserShop> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const h = await openHarness('sqlite', { ...options, env: { ...options.env, BASE_URL: base } });
  let browser: Browser;
  try {
    await h.app.listen({ port, host: '127.0.0.1' });
    browser = await launchChromium();
  } catch (err) {
    await h.close();
    throw err;
  }
  return {
    h,
    base,
    browser,
    async close() {
      try {
        await browser.close();
      } finally {
        await h.close();
      }
    },
  };
}
