// The campaign bench (issue 13, "Performance"): N confirmed subscribers (BENCH_CAMPAIGN_SUBSCRIBERS, 10,000), one
// campaign, throttling off (CAMPAIGN_RATE_PER_MINUTE=0), delivered by a real `candor worker` child process (the
// command an operator runs, default MAIL_CONCURRENCY) over SMTP into a local smtp-server sink in this process that
// only counts. Measured: the campaign's total time from scheduling to "sent N" in campaignProgress (building the
// audience, the scheduler's pick-up and delivery included), and mails/s at the sink (first to last acceptance).
// Separately, in this process: the time buildDueCampaigns() takes to build the audience of BENCH_CAMPAIGN_AUDIENCE
// (100,000) subscribers. SQLite, and PostgreSQL when BENCH_PG_URL is set (a database of its own per round, dropped
// afterwards). Median of the rounds. A measurement, never part of CI.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { createDeps, migrateDatabase } from '../src/composition.ts';
import type { Database } from '../src/database.ts';
import type { Deps } from '../src/deps.ts';
import {
  buildDueCampaigns,
  campaignProgress,
  createCampaign,
  scheduleCampaign,
} from '../src/features/campaigns/index.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { TestSmtpServer } from '../src/testing/smtp.ts';
import { makeTempDir, removeTempDir, trackChild } from './cleanup.ts';

export const CAMPAIGN_MIN_MAILS_PER_SECOND = 200;
export const CAMPAIGN_MAX_SECONDS = 60;

export interface CampaignBenchOptions {
  subscribers: number;
  /** Subscribers of the audience-building measurement. */
  audience: number;
  rounds: number;
  pgUrl: string | undefined;
  progress: (line: string) => void;
}

export interface CampaignBenchResult {
  database: 'sqlite' | 'postgres';
  subscribers: number;
  /** Median over the rounds. */
  mailsPerSecond: number;
  totalSeconds: number;
  roundsMailsPerSecond: number[];
  roundsTotalSeconds: number[];
  /** Messages accepted at the sink beyond the first of their Message-ID, summed over the rounds (expected 0). */
  repeats: number;
  mailConcurrency: number;
  audience: number;
  audienceSeconds: number;
  roundsAudienceSeconds: number[];
}

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SECRET = randomBytes(32).toString('hex');
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

/** A fresh, migrated database: a SQLite file in a temp DATA_DIR, or a PostgreSQL database of its own. */
interface BenchDatabase {
  env: Record<string, string>;
  deps: Deps;
  close(): Promise<void>;
}

async function openBenchDatabase(database: 'sqlite' | 'postgres', pgUrl: string | undefined): Promise<BenchDatabase> {
  const dir = makeTempDir(`campaign-${database}`);
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (database === 'postgres' && pgUrl) {
    dbName = `bench_campaign_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: pgUrl });
    await admin.connect();
    await admin.query(`create database ${dbName}`);
    await admin.end();
    const url = new URL(pgUrl);
    url.pathname = `/${dbName}`;
    databaseUrl = url.toString();
  }
  const env: Record<string, string> = {
    DATA_DIR: dir,
    CANDOR_SECRET: SECRET,
    BASE_URL: 'http://127.0.0.1:3000',
    USAGE_LOG: 'off',
    CAMPAIGN_RATE_PER_MINUTE: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const deps = createDeps(loadConfig({ ...env, LOG_LEVEL: 'silent' }), { log: createLogger('silent') });
  await migrateDatabase(deps);
  return {
    env,
    deps,
    async close() {
      await deps.close();
      if (dbName && pgUrl) {
        const admin = new pg.Client({ connectionString: pgUrl });
        await admin.connect();
        await admin.query(`drop database if exists ${dbName} with (force)`);
        await admin.end();
      }
      removeTempDir(dir);
    },
  };
}

/** Confirmed subscribers of the general newsletter, written straight into the table in batches. */
async function insertSubscribers(deps: Deps, count: number, now: number): Promise<void> {
  const batch = 1000;
  for (let from = 0; from < count; from += batch) {
    const rows: Database['newsletter_subscriptions'][] = [];
    for (let i = from; i < Math.min(count, from + batch); i++)
      rows.push({
        id: randomUUID(),
        email: `subscriber.${i}@bench.example`,
        user_id: null,
        list: 'newsletter',
        topics: '[]',
        lang: i % 3 === 0 ? 'en' : 'de',
        origin: 'double-opt-in',
        status: 'confirmed',
        requested_at: now - 86_400_000,
        confirmed_at: now - 86_000_000,
        unsubscribed_at: null,
        pending_until: null,
        ip_prefix: '203.0.113.0/24',
        consent_text: 'Bench subscriber',
        consent_version: 'bench',
        source: 'newsletter-page',
        confirm_sent_at: null,
        confirm_window_from: null,
        confirm_count: 0,
        renewal: null,
        renewal_until: null,
      });
    await deps.db.transaction().execute((trx) => trx.insertInto('newsletter_subscriptions').values(rows).execute());
  }
}

async function newCampaign(deps: Deps): Promise<string> {
  return createCampaign(deps, {
    subjectEn: 'Bench campaign',
    subjectDe: 'Bench-Kampagne',
    bodyEn: 'Hello from the **bench**.',
    bodyDe: 'Hallo vom **Bench**.',
    topic: null,
    lang: null,
    createdBy: 'bench',
  });
}

/** Starts `candor worker` and resolves once it logged that it started (its scheduler ticks from then on). */
function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['bin/candor.js', 'worker'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  trackChild(child);
  let errText = '';
  child.stderr?.on('data', (chunk: Buffer) => (errText = (errText + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('candor started')) resolve(child);
      if (out.length > 100_000) out = out.slice(-1000);
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`bench: the worker exited (${code ?? signal}) before it started: ${errText}`)),
    );
  });
}

function stopWorker(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

interface DeliveryRound {
  mailsPerSecond: number;
  totalSeconds: number;
  repeats: number;
  mailConcurrency: number;
}

async function deliveryRound(
  database: 'sqlite' | 'postgres',
  options: CampaignBenchOptions,
  round: number,
): Promise<DeliveryRound> {
  const sink = await new TestSmtpServer({ countOnly: true }).start();
  const bench = await openBenchDatabase(database, options.pgUrl);
  let worker: ChildProcess | undefined;
  try {
    await insertSubscribers(bench.deps, options.subscribers, Date.now());
    const campaign = await newCampaign(bench.deps);
    worker = await startWorker({ ...bench.env, SMTP_URL: sink.url });
    const mailConcurrency = loadConfig({ ...bench.env, SMTP_URL: sink.url }).mailConcurrency;
    const started = performance.now();
    await scheduleCampaign(bench.deps, campaign, Date.now());
    const deadline = started + 600_000;
    for (;;) {
      await new Promise((r) => setTimeout(r, 50));
      if (worker.exitCode !== null || worker.signalCode !== null) throw new Error('bench: the worker died');
      if (performance.now() > deadline)
        throw new Error(`bench: campaign not sent after 600 s (${sink.accepted} mails at the sink)`);
      // The sink's count costs nothing; the database is asked only once every mail arrived, so that measuring
      // does not compete with the worker for the CPU.
      if (sink.messageIdsByRecipient.size < options.subscribers) continue;
      if ((await campaignProgress(bench.deps, campaign)).sent >= options.subscribers) break;
    }
    const totalSeconds = (performance.now() - started) / 1000;
    if (sink.messageIdsByRecipient.size !== options.subscribers)
      throw new Error(
        `bench: ${sink.messageIdsByRecipient.size} recipients at the sink, ${options.subscribers} expected`,
      );
    const span = ((sink.lastAcceptedAt ?? 0) - (sink.firstAcceptedAt ?? 0)) / 1000;
    const mailsPerSecond = span > 0 ? sink.accepted / span : Infinity;
    options.progress(
      `  ${database} round ${round}: ${options.subscribers.toLocaleString('en-US')} mails in ${totalSeconds.toFixed(1)} s, ` +
        `${mailsPerSecond.toFixed(0)} mails/s at the sink, ${sink.repeats} repeats`,
    );
    return { mailsPerSecond, totalSeconds, repeats: sink.repeats, mailConcurrency };
  } finally {
    if (worker) await stopWorker(worker);
    await bench.close();
    await sink.stop();
  }
}

/** Time to build the audience of one campaign (outbox rows for every recipient), in this process. */
async function audienceRound(
  database: 'sqlite' | 'postgres',
  options: CampaignBenchOptions,
  round: number,
): Promise<number> {
  const bench = await openBenchDatabase(database, options.pgUrl);
  try {
    await insertSubscribers(bench.deps, options.audience, Date.now());
    const campaign = await newCampaign(bench.deps);
    await scheduleCampaign(bench.deps, campaign, Date.now());
    const started = performance.now();
    for (let pass = 0; ; pass++) {
      await buildDueCampaigns(bench.deps);
      const progress = await campaignProgress(bench.deps, campaign);
      if (progress.total >= options.audience) break;
      if (pass > options.audience) throw new Error('bench: the audience was not built');
    }
    const seconds = (performance.now() - started) / 1000;
    options.progress(
      `  ${database} round ${round}: audience of ${options.audience.toLocaleString('en-US')} built in ${seconds.toFixed(2)} s`,
    );
    return seconds;
  } finally {
    await bench.close();
  }
}

async function benchOne(database: 'sqlite' | 'postgres', options: CampaignBenchOptions): Promise<CampaignBenchResult> {
  const deliveries: DeliveryRound[] = [];
  const audiences: number[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    options.progress(`campaign bench on ${database}, round ${round} of ${options.rounds}`);
    deliveries.push(await deliveryRound(database, options, round));
    audiences.push(await audienceRound(database, options, round));
  }
  return {
    database,
    subscribers: options.subscribers,
    mailsPerSecond: median(deliveries.map((d) => d.mailsPerSecond)),
    totalSeconds: median(deliveries.map((d) => d.totalSeconds)),
    roundsMailsPerSecond: deliveries.map((d) => d.mailsPerSecond),
    roundsTotalSeconds: deliveries.map((d) => d.totalSeconds),
    repeats: deliveries.reduce((n, d) => n + d.repeats, 0),
    mailConcurrency: deliveries[0]?.mailConcurrency ?? 0,
    audience: options.audience,
    audienceSeconds: median(audiences),
    roundsAudienceSeconds: audiences,
  };
}

export async function benchCampaign(options: CampaignBenchOptions): Promise<CampaignBenchResult[]> {
  const results = [await benchOne('sqlite', options)];
  if (options.pgUrl) results.push(await benchOne('postgres', options));
  else options.progress('campaign bench: BENCH_PG_URL not set, PostgreSQL skipped');
  return results;
}
