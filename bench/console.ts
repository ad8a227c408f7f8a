// The staff console at scale (issue 12, "Done when"): 100,000 orders of 10,000 customers written straight into
// Candor's schema (all migrations) through Kysely, on SQLite and, when BENCH_PG_URL is set, on PostgreSQL (in a
// schema of its own, dropped afterwards); then the p95 latency of the order list with a status filter, the order
// list searched by a customer's email, and the customer search GET /staff/customers?q=<part of a name>. Requests
// go through the whole app in-process (app.inject: routing, session, schema, handler, page), one at a time, after
// a warm-up; several rounds, the median of the rounds' p95. A measurement, never part of CI.
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { createDeps, migrateDatabase } from '../src/composition.ts';
import type { Deps } from '../src/deps.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';
import { percentile, rng } from './stats.ts';

export interface ConsoleBenchOptions {
  orders: number;
  customers: number;
  /** Measured requests per target and round (after the warm-up). */
  requests: number;
  rounds: number;
  /** PostgreSQL server to measure on too (a schema of its own is created and dropped); none: SQLite only. */
  pgUrl: string | undefined;
  progress: (line: string) => void;
}

export interface ConsoleTargetResult {
  database: 'sqlite' | 'postgres';
  id: string;
  label: string;
  /** The status every measured request answered, or the statuses seen. */
  statuses: number[];
  p50Ms: number;
  p95Ms: number;
  /** Each round's p95. */
  roundsP95: number[];
  requests: number;
  /** Why the figure is missing (the page does not exist yet: 404). */
  missing?: string;
}

export const CONSOLE_TARGET_MS = 100;

const FIRST = ['Anna', 'Ben', 'Clara', 'David', 'Eva', 'Felix', 'Greta', 'Hannes', 'Ida', 'Jonas', 'Karla', 'Lukas'];
const LAST = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Neumann',
  'Schwarz',
  'Zimmermann',
  'Braun',
  'Krüger',
  'Hofmann',
];
const STATUSES = ['paid', 'shipped', 'completed', 'completed', 'completed', 'invoiced', 'cancelled', 'refunded'];
const METHODS = ['card', 'wallet', 'invoice'];
const DAY = 24 * 3600 * 1000;

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

interface Seeded {
  emails: string[];
}

/** Writes the customers and their orders in batches (one transaction each). */
async function seed(deps: Deps, options: ConsoleBenchOptions, now: number): Promise<Seeded> {
  const next = rng(0x5eed1234);
  const emails: string[] = [];
  const userIds: string[] = [];
  const userBatch = 500;
  for (let from = 0; from < options.customers; from += userBatch) {
    const rows = [];
    for (let i = from; i < Math.min(options.customers, from + userBatch); i++) {
      const first = FIRST[i % FIRST.length] as string;
      const last = LAST[Math.floor(i / FIRST.length) % LAST.length] as string;
      const id = randomUUID();
      const email = `${first.toLowerCase()}.${i}@bench.example`;
      userIds.push(id);
      emails.push(email);
      rows.push({
        id,
        email,
        name: `${first} ${last} ${i}`,
        password_hash: 'not-a-hash: bench customer, never signs in',
        role: 'customer' as const,
        email_verified_at: now - 400 * DAY,
        company: null,
        phone: null,
        lang: i % 3 === 0 ? 'en' : 'de',
        created_at: now - 400 * DAY + i * 1000,
        updated_at: now - 400 * DAY + i * 1000,
      });
    }
    await deps.db.insertInto('users').values(rows).execute();
  }
  options.progress(`  ${options.customers.toLocaleString('en-US')} customers written`);
  const orderBatch = 400;
  const started = performance.now();
  for (let from = 0; from < options.orders; from += orderBatch) {
    const rows = [];
    for (let i = from; i < Math.min(options.orders, from + orderBatch); i++) {
      const r = next();
      const userId = userIds[r % userIds.length] as string;
      const status = STATUSES[(r >>> 8) % STATUSES.length] as string;
      const method = status === 'invoiced' ? 'invoice' : (METHODS[(r >>> 12) % METHODS.length] as string);
      const createdAt = now - Math.floor((i / options.orders) * 365 * DAY) - ((r >>> 4) % 60_000);
      const address = {
        name: 'Bench Customer',
        street: 'Teststraße 1',
        postalCode: '10115',
        city: 'Berlin',
        country: 'DE',
      };
      const lines = [
        {
          productId: 'p1',
          slug: 'padgrid',
          kind: 'hardware',
          title: 'Padgrid',
          quantity: 1 + (r % 2),
          unitCents: 14900,
          lineCents: 14900 * (1 + (r % 2)),
          vatRate: 19,
          vatCountry: 'DE',
        },
      ];
      rows.push({
        id: randomUUID(),
        number: `B${String(i).padStart(7, '0')}`,
        user_id: userId,
        status,
        lines: JSON.stringify(lines),
        billing: JSON.stringify(address),
        shipping: JSON.stringify(address),
        payment_method: method,
        card_brand: null,
        card_last4: null,
        card_exp_month: null,
        payment_reference: null,
        total_cents: lines[0]!.lineCents,
        vat_cents: Math.round((lines[0]!.lineCents * 19) / 119),
        currency: 'EUR',
        idempotency_key: `bench-${i}`,
        request_hash: null,
        history: JSON.stringify([{ status, at: createdAt }]),
        payment_failed_at: null,
        legal_versions: null,
        terms_accepted_at: null,
        digital_consent_at: null,
        vat_country: 'DE',
        carrier: null,
        tracking_number: null,
        restricted_at: null,
        created_at: createdAt,
        updated_at: createdAt,
      });
    }
    await deps.db
      .insertInto('orders')
      .values(rows as never)
      .execute();
    if ((from / orderBatch) % 50 === 49)
      options.progress(
        `  ${(from + orderBatch).toLocaleString('en-US')} orders written (${((performance.now() - started) / 1000).toFixed(1)} s)`,
      );
  }
  options.progress(`  ${options.orders.toLocaleString('en-US')} orders written`);
  await sql`analyze`.execute(deps.db);
  return { emails };
}

/** An administrator's session through the real sign-up and sign-in; its second factor marked as passed. */
async function adminCookie(app: FastifyInstance, deps: Deps): Promise<string> {
  const email = `bench-admin-${randomBytes(4).toString('hex')}@bench.example`;
  const password = 'amber lantern seventeen bench';
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/accounts',
    payload: { name: 'Bench Admin', email, password },
  });
  if (created.statusCode >= 300) throw new Error(`bench: sign-up answered ${created.statusCode} ${created.body}`);
  const session = await app.inject({ method: 'POST', url: '/api/v1/sessions', payload: { email, password } });
  if (session.statusCode !== 201) throw new Error(`bench: sign-in answered ${session.statusCode} ${session.body}`);
  const cookie = (session.cookies as { name: string; value: string }[]).map((c) => `${c.name}=${c.value}`).join('; ');
  const user = await deps.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  await deps.db.updateTable('users').set({ role: 'admin' }).where('id', '=', user.id).execute();
  // The bench measures the console, not the TOTP step: the session counts as having passed it.
  await deps.db
    .updateTable('sessions')
    .set({ second_factor_at: Date.now() } as never)
    .where('user_id', '=', user.id)
    .execute();
  return cookie;
}

interface Target {
  id: string;
  label: string;
  path: (i: number) => string;
}

async function measureTarget(
  app: FastifyInstance,
  cookie: string,
  target: Target,
  database: 'sqlite' | 'postgres',
  options: ConsoleBenchOptions,
): Promise<ConsoleTargetResult> {
  const statuses = new Set<number>();
  const call = async (i: number) => {
    const t = performance.now();
    const res = await app.inject({ method: 'GET', url: target.path(i), headers: { cookie, accept: 'text/html' } });
    const ms = performance.now() - t;
    statuses.add(res.statusCode);
    return ms;
  };
  // Warm-up, and the check that the page exists at all.
  const probe = await app.inject({ method: 'GET', url: target.path(0), headers: { cookie, accept: 'text/html' } });
  if (probe.statusCode === 404)
    return {
      database,
      id: target.id,
      label: target.label,
      statuses: [404],
      p50Ms: NaN,
      p95Ms: NaN,
      roundsP95: [],
      requests: 0,
      missing: 'answers 404: the page does not exist yet (helper D builds /staff/customers)',
    };
  if (probe.statusCode !== 200) throw new Error(`bench: ${target.path(0)} answered ${probe.statusCode}`);
  for (let i = 0; i < 20; i++) await call(i);
  const roundsP95: number[] = [];
  const p50s: number[] = [];
  let n = 0;
  for (let round = 0; round < options.rounds; round++) {
    const times: number[] = [];
    for (let i = 0; i < options.requests; i++) times.push(await call(round * options.requests + i + 20));
    times.sort((a, b) => a - b);
    roundsP95.push(percentile(times, 95));
    p50s.push(percentile(times, 50));
    n += times.length;
  }
  return {
    database,
    id: target.id,
    label: target.label,
    statuses: [...statuses],
    p50Ms: median(p50s),
    p95Ms: median(roundsP95),
    roundsP95,
    requests: n,
  };
}

async function benchOne(database: 'sqlite' | 'postgres', options: ConsoleBenchOptions): Promise<ConsoleTargetResult[]> {
  const dir = makeTempDir(`console-${database}`);
  const schema = database === 'postgres' ? `bench_console_${randomBytes(5).toString('hex')}` : undefined;
  if (schema) {
    const client = new pg.Client({ connectionString: options.pgUrl });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  const config = loadConfig({
    DATA_DIR: dir,
    CANDOR_SECRET: randomBytes(32).toString('hex'),
    BASE_URL: 'http://127.0.0.1:3000',
    USAGE_LOG: 'off',
    // One staff member sends every measured request: the per-address limit would answer 429 within a minute.
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
    ...(schema && options.pgUrl ? { DATABASE_URL: options.pgUrl } : {}),
  });
  const deps = createDeps(config, { log: createLogger('silent'), ...(schema ? { schema } : {}) });
  let app: FastifyInstance | undefined;
  try {
    options.progress(`console bench on ${database}: migrating and seeding`);
    await migrateDatabase(deps);
    const now = Date.now();
    const { emails } = await seed(deps, options, now);
    app = await buildApp(deps);
    await app.ready();
    const cookie = await adminCookie(app, deps);
    const targets: Target[] = [
      { id: 'status', label: 'order list, status filter (?status=paid)', path: () => '/staff/orders?status=paid' },
      {
        id: 'email',
        label: 'order list, search by customer email (?q=<email>)',
        path: (i) => `/staff/orders?q=${encodeURIComponent(emails[(i * 7919) % emails.length] as string)}`,
      },
      {
        id: 'customers',
        label: 'customer search (/staff/customers?q=<part of a name>)',
        path: (i) => `/staff/customers?q=${encodeURIComponent((LAST[i % LAST.length] as string).slice(0, 5))}`,
      },
    ];
    const results: ConsoleTargetResult[] = [];
    for (const target of targets) {
      options.progress(`  measuring ${target.label}`);
      results.push(await measureTarget(app, cookie, target, database, options));
    }
    return results;
  } finally {
    await app?.close();
    await deps.close?.();
    if (schema) {
      const client = new pg.Client({ connectionString: options.pgUrl });
      await client.connect();
      await client.query(`drop schema ${schema} cascade`);
      await client.end();
    }
    removeTempDir(dir);
  }
}

export async function benchConsole(options: ConsoleBenchOptions): Promise<ConsoleTargetResult[]> {
  const results = await benchOne('sqlite', options);
  if (options.pgUrl) results.push(...(await benchOne('postgres', options)));
  else options.progress('console bench: BENCH_PG_URL not set, PostgreSQL skipped');
  return results;
}
