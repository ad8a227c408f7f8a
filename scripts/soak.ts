// `npm run soak` (issue 17, "Done when" 1): two `candor serve` web processes and one `candor worker` on PostgreSQL
// (a fresh database on the server of SOAK_DATABASE_URL, dropped after) and Redis (REDIS_URL), measured briefly for
// capacity, then run at half of it for SOAK_MINUTES with a realistic mix: browse (home, shop, product, search), the
// consent banner answered, sign-up, sign-in and the account page, basket, checkout with the test provider (wallet).
// Prints per minute: requests, errors, p50/p99 and each child's RSS. Exits 1 on any error (any answer but 2xx/3xx),
// an unstable p99 (the last minute's typical p99 over twice that of minute 2, the first after the warm-up, or of
// minute 1 in a two-minute run: the median of the p99s of its 10-second windows, so that one stall of the shared
// machine is not read as a trend; src/testing/latency.ts) or growing memory (any child's RSS up over 20% from
// minute 2 to the end).
//
// Environment (all optional):
//   SOAK_MINUTES            minutes at half capacity (default 10)
//   SOAK_CAPACITY_SECONDS   seconds of the capacity run (default 15)
//   SOAK_USERS              concurrent virtual customers (default 24)
//   SOAK_DATABASE_URL       PostgreSQL server (default postgres://postgres@127.0.0.1:5432/postgres)
//   REDIS_URL               Redis (default redis://127.0.0.1:6379)
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { p99Stability, quantile, WARMUP_MINUTES } from '../src/testing/latency.ts';
import { freePort } from '../src/testing/ports.ts';
import { TestSmtpServer } from '../src/testing/smtp.ts';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const MINUTES = Number(process.env.SOAK_MINUTES ?? 10);
const CAPACITY_SECONDS = Number(process.env.SOAK_CAPACITY_SECONDS ?? 15);
const USERS = Number(process.env.SOAK_USERS ?? 24);
/** How often each child's memory (RSS) is read. */
const RSS_SAMPLE_MS = 5000;
const SERVER_URL = process.env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Sample {
  at: number;
  ms: number;
  ok: boolean;
  what: string;
}

const children: { name: string; child: ChildProcess }[] = [];
let samples: Sample[] = [];
let stopping = false;
/** The mail relay of the run: sign-up confirmations are followed as a person would, by their link. */
const smtp = new TestSmtpServer();
const verifyLinks = new Map<string, string>();

/** The confirmation link mailed to `email`, once the worker delivered it (up to 60 s). */
async function verifyLinkFor(email: string): Promise<string | undefined> {
  for (let i = 0; i < 300 && !stopping; i++) {
    for (const mail of smtp.received.splice(0)) {
      const link = /https?:\/\/[^\s]+(\/account\/verify\?token=[A-Za-z0-9_-]+)/.exec(mail.parsed.text ?? '')?.[1];
      if (link) for (const to of mail.envelopeTo) verifyLinks.set(to.toLowerCase(), link);
    }
    const link = verifyLinks.get(email);
    if (link) {
      verifyLinks.delete(email);
      return link;
    }
    await sleep(200);
  }
  return undefined;
}

async function main(): Promise<number> {
  const name = `candor_soak_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const dbUrl = new URL(SERVER_URL);
  dbUrl.pathname = `/${name}`;
  await smtp.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-soak-'));
  const ports = [await freePort(), await freePort()];
  const baseUrl = `http://127.0.0.1:${ports[0]}`;
  const env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    DATABASE_URL: dbUrl.toString(),
    REDIS_URL,
    SMTP_URL: smtp.url,
    DATA_DIR: dataDir,
    CANDOR_SECRET: randomBytes(24).toString('hex'),
    BASE_URL: baseUrl,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    // Half capacity from a handful of addresses: the limits are not what this run measures.
    RATE_LIMIT_PER_MINUTE: '1000000',
    RATE_LIMIT_AUTH_PER_MINUTE: '10000',
  };
  try {
    await run(['seed'], env);
    // Enough stock for every order of the run.
    const db = new pg.Client({ connectionString: dbUrl.toString() });
    await db.connect();
    await db.query('update products set stock = 10000000 where stock is not null');
    await db.end();
    start('web-1', ['serve'], { ...env, PORT: String(ports[0]) });
    start('web-2', ['serve'], { ...env, PORT: String(ports[1]) });
    start('worker', ['worker'], env);
    const bases = ports.map((p) => `http://127.0.0.1:${p}`);
    for (const base of bases) await waitUntilUp(base);
    const products = await catalogue(bases[0]!);
    const shop = { bases, origin: baseUrl, products };

    // Capacity: every virtual customer as fast as answers come.
    samples = [];
    const capacityEnd = Date.now() + CAPACITY_SECONDS * 1000;
    await Promise.all(Array.from({ length: USERS }, (_, i) => customer(shop, i, capacityEnd, undefined)));
    const capacity = samples.length / CAPACITY_SECONDS;
    const capacityErrors = samples.filter((s) => !s.ok);
    const rate = capacity / 2;
    console.log(
      `capacity: ${capacity.toFixed(0)} requests/s over ${CAPACITY_SECONDS} s (${capacityErrors.length} errors); soak at ${rate.toFixed(0)}/s for ${MINUTES} min`,
    );

    // The soak: the same customers, paced to half of it together.
    samples = [];
    const started = Date.now();
    const end = started + MINUTES * 60_000;
    const pace = { next: Date.now(), gapMs: 1000 / rate };
    const rss: Record<string, number[]> = {};
    const watcher = setInterval(() => {
      for (const { name: n, child } of children) (rss[n] ??= []).push(rssOf(child.pid));
    }, RSS_SAMPLE_MS);
    await Promise.all(Array.from({ length: USERS }, (_, i) => customer(shop, i + USERS, end, pace)));
    clearInterval(watcher);

    const minutes = summarise(samples, started, MINUTES, rss);
    const problems: string[] = [];
    if (capacityErrors.length > 0)
      problems.push(`capacity run: ${capacityErrors.length} errors, first: ${capacityErrors[0]!.what}`);
    const kinds = new Map<string, number>();
    for (const s of samples.filter((x) => !x.ok)) kinds.set(s.what, (kinds.get(s.what) ?? 0) + 1);
    for (const [what, count] of kinds) problems.push(`error ×${count}: ${what}`);
    const errors = samples.filter((s) => !s.ok).length;
    if (errors > 0) problems.push(`${errors} errors`);
    const p99 = p99Stability(samples, started, minutes.length);
    console.log(
      `p99 per 10 s window, median: ${Math.round(p99.reference)} ms in minute ${p99.referenceMinute}, ${Math.round(p99.last)} ms in the last (limit: twice minute ${p99.referenceMinute}'s)`,
    );
    if (!p99.stable)
      problems.push(
        `p99 unstable: ${Math.round(p99.reference)} ms in minute ${p99.referenceMinute}'s windows, ${Math.round(p99.last)} ms in the last's`,
      );
    for (const [n, values] of Object.entries(rss)) {
      // From the first minute after the warm-up to the end; a run no longer than the warm-up compares its second
      // half with its end.
      const afterWarmup = (WARMUP_MINUTES * 60_000) / RSS_SAMPLE_MS;
      const from =
        values[Math.min(values.length - 1, MINUTES > WARMUP_MINUTES ? afterWarmup : Math.floor(values.length / 2))] ??
        0;
      const last = values.at(-1) ?? 0;
      if (from > 0 && last > from * 1.2)
        problems.push(`${n}: memory grew ${((last / from - 1) * 100).toFixed(0)}% (${mb(from)} → ${mb(last)} MB)`);
    }
    for (const p of problems) console.log(`FAIL ${p}`);
    console.log(problems.length === 0 ? 'PASS: 0 errors, p99 stable, memory flat' : 'FAIL');
    return problems.length === 0 ? 0 : 1;
  } finally {
    stopping = true;
    await stopChildren();
    rmSync(dataDir, { recursive: true, force: true });
    await dropDatabase(name);
    await smtp.stop();
  }
}

interface Shop {
  bases: string[];
  origin: string;
  products: { id: string; slug: string; kind: string; inStock: boolean }[];
}

/**
 * One virtual customer: visits over and over until `end`, each a realistic path (home, consent, shop, product,
 * search; every third visit signs up or in, looks at the account, fills the basket and checks out). Requests go
 * round-robin to the web processes, as a load balancer would send them.
 */
async function customer(shop: Shop, n: number, end: number, pace: { next: number; gapMs: number } | undefined) {
  let turn = n;
  let visit = 0;
  let account: { email: string; password: string } | undefined;
  while (Date.now() < end && !stopping) {
    const jar = new Map<string, string>();
    const ask = async (what: string, path: string, init: RequestInit = {}, expect: number[] = []) => {
      if (pace) {
        const slot = Math.max(Date.now(), pace.next);
        pace.next = slot + pace.gapMs;
        if (slot > Date.now()) await sleep(slot - Date.now());
      }
      const base = shop.bases[turn++ % shop.bases.length]!;
      const t0 = performance.now();
      let status = 0;
      let body = '';
      try {
        const res = await fetch(base + path, {
          ...init,
          redirect: 'manual',
          headers: {
            'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0 candor-soak',
            cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '),
            ...(init.headers as Record<string, string>),
          },
        });
        status = res.status;
        for (const c of res.headers.getSetCookie()) {
          const [pair] = c.split(';');
          const eq = pair!.indexOf('=');
          const value = pair!.slice(eq + 1);
          if (value === '' || /max-age=0/i.test(c)) jar.delete(pair!.slice(0, eq));
          else jar.set(pair!.slice(0, eq), value);
        }
        body = await res.text();
      } catch (err) {
        body = (err as Error).message;
      }
      const ms = performance.now() - t0;
      const ok = (status >= 200 && status < 400) || expect.includes(status);
      samples.push({ at: Date.now(), ms, ok, what: `${what} ${status} ${ok ? '' : body.slice(0, 200)}` });
      return { status, body };
    };
    const json = (body: unknown) => ({
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const product = shop.products[(n + visit) % shop.products.length]!;
    await ask('home', '/');
    await ask('consent', '/consent', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        origin: shop.origin,
        'sec-fetch-site': 'same-origin',
      },
      body: visit % 2 === 0 ? 'action=accept' : 'action=reject',
    });
    await ask('shop', `/shop${visit % 3 === 0 ? '?page=2' : ''}`);
    await ask('product', `/shop/${product.slug}`);
    await ask('search', `/shop?q=${encodeURIComponent(product.slug.split('-')[0]!)}`);
    await ask('products api', `/api/v1/products?limit=20&offset=${(visit % 2) * 20}`);
    if (visit % 3 === 0) {
      if (!account) {
        account = {
          email: `soak-${n}-${randomBytes(4).toString('hex')}@example.org`,
          password: 'amber lantern seventeen',
        };
        await ask('sign-up', '/api/v1/accounts', json({ name: 'Soak Customer', ...account }));
        const link = await verifyLinkFor(account.email);
        if (link) await ask('confirm address', link);
        else samples.push({ at: Date.now(), ms: 0, ok: false, what: 'no confirmation mail within 60 s' });
      }
      await ask('sign-in', '/api/v1/sessions', json(account));
      await ask('account', '/account');
      const buyable = shop.products.filter((p) => p.inStock && p.kind !== 'bundle');
      const item = buyable[(n + visit) % buyable.length]!;
      await ask('basket add', '/api/v1/basket/items', json({ productId: item.id, quantity: 1 }));
      await ask('basket', '/basket');
      const order = json({
        billingAddress: {
          name: 'Soak Customer',
          street: 'Teststraße 1',
          postalCode: '10115',
          city: 'Berlin',
          country: 'DE',
        },
        payment: { method: 'wallet' },
      });
      await ask('checkout', '/api/v1/orders', {
        ...order,
        headers: { ...order.headers, 'idempotency-key': `soak-${n}-${visit}-${randomBytes(4).toString('hex')}` },
      });
    }
    visit++;
  }
}

function summarise(all: Sample[], started: number, minutes: number, rss: Record<string, number[]>) {
  const rows: { minute: number; requests: number; errors: number; p50: number; p99: number }[] = [];
  const names = Object.keys(rss);
  console.log(`minute  requests  errors  p50 ms  p99 ms  ${names.map((n) => `${n} RSS MB`).join('  ')}`);
  for (let m = 0; m < minutes; m++) {
    const inMinute = all.filter((s) => s.at >= started + m * 60_000 && s.at < started + (m + 1) * 60_000);
    const times = inMinute.map((s) => s.ms);
    const q = (p: number) => Math.round(quantile(times, p));
    const row = {
      minute: m + 1,
      requests: inMinute.length,
      errors: inMinute.filter((s) => !s.ok).length,
      p50: q(0.5),
      p99: q(0.99),
    };
    rows.push(row);
    // The RSS at the end of the minute.
    const at = Math.min(((m + 1) * 60_000) / RSS_SAMPLE_MS - 1, Math.max(0, (rss[names[0]!]?.length ?? 1) - 1));
    console.log(
      `${String(row.minute).padStart(6)}  ${String(row.requests).padStart(8)}  ${String(row.errors).padStart(6)}  ${String(row.p50).padStart(6)}  ${String(row.p99).padStart(6)}  ${names.map((n) => String(mb(rss[n]![at] ?? 0)).padStart(n.length + 7)).join('  ')}`,
    );
  }
  return rows;
}

function start(name: string, args: string[], env: Record<string, string>): void {
  const child = spawn(process.execPath, ['bin/candor.js', ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr?.on('data', (chunk: Buffer) => process.stderr.write(`[${name}] ${chunk.toString()}`));
  child.once('exit', (code, signal) => {
    if (!stopping) console.log(`FAIL ${name} ended (${code ?? signal})`);
  });
  children.push({ name, child });
}

function run(args: string[], env: Record<string, string>): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/candor.js', ...args], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`candor ${args.join(' ')} failed (${code})`)),
    );
  });
}

async function stopChildren(): Promise<void> {
  await Promise.all(
    children.map(
      ({ child }) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const kill = setTimeout(() => child.kill('SIGKILL'), 20_000);
          child.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    ),
  );
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  try {
    for (let attempt = 0; attempt < 40; attempt++) {
      try {
        await admin.query(`drop database if exists ${name}`);
        return;
      } catch {
        await sleep(250);
      }
    }
  } finally {
    await admin.end();
  }
}

async function catalogue(base: string): Promise<Shop['products']> {
  const res = await fetch(`${base}/api/v1/products?limit=100`);
  const items = ((await res.json()) as { items: Shop['products'] }).items;
  if (items.length === 0) throw new Error('the demo catalogue is empty');
  return items;
}

async function waitUntilUp(base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (
      await fetch(`${base}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(200);
  }
  throw new Error(`${base} did not start`);
}

function rssOf(pid: number | undefined): number {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    return 0;
  }
}

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

process.once('SIGINT', () => {
  stopping = true;
});

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err);
    stopping = true;
    await stopChildren();
    process.exit(1);
  },
);
