// The inbound support mail bench (issue 14): BENCH_SUPPORT_INBOUND_MAILS mails (500) sent by nodemailer over
// BENCH_SUPPORT_INBOUND_CONNECTIONS SMTP connections (4) into the real inbound listener (support.inbound-smtp.ts), each
// answered 250 only once its ticket is committed. Measured: messages per second from the first send to the last
// acceptance, and that every mail became exactly one ticket. Every fifth mail carries a small PNG attachment (stored
// under DATA_DIR). SQLite, and PostgreSQL when BENCH_PG_URL is set (a database of its own per round, dropped
// afterwards). Median of the rounds. A measurement, never part of CI.
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { createDeps, migrateDatabase } from '../src/composition.ts';
import type { Deps } from '../src/deps.ts';
import { startInboundSmtp } from '../src/features/support/support.inbound-smtp.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';

export const SUPPORT_INBOUND_MIN_PER_SECOND = 50;

export interface SupportInboundBenchOptions {
  mails: number;
  connections: number;
  rounds: number;
  pgUrl: string | undefined;
  progress: (line: string) => void;
}

export interface SupportInboundBenchResult {
  database: 'sqlite' | 'postgres';
  mails: number;
  connections: number;
  /** Median over the rounds. */
  perSecond: number;
  roundsPerSecond: number[];
  /** Tickets beyond or short of one per mail, summed over the rounds (expected 0). */
  mismatches: number;
}

const SECRET = randomBytes(32).toString('hex');
const SUPPORT = 'support@bench.example';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(2048)]);
const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

async function openBenchDatabase(
  database: 'sqlite' | 'postgres',
  pgUrl: string | undefined,
): Promise<{ deps: Deps; close(): Promise<void> }> {
  const dir = makeTempDir(`support-inbound-${database}`);
  let databaseUrl: string | undefined;
  let dbName: string | undefined;
  if (database === 'postgres' && pgUrl) {
    dbName = `bench_inbound_${randomBytes(5).toString('hex')}`;
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
    SUPPORT_ADDRESS: SUPPORT,
    LOG_LEVEL: 'silent',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
  };
  const deps = createDeps(loadConfig(env), { log: createLogger('silent') });
  await migrateDatabase(deps);
  return {
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

async function round(
  database: 'sqlite' | 'postgres',
  options: SupportInboundBenchOptions,
  n: number,
): Promise<{ perSecond: number; mismatch: number }> {
  const bench = await openBenchDatabase(database, options.pgUrl);
  const listener = await startInboundSmtp(bench.deps, 0, '127.0.0.1');
  const transport = nodemailer.createTransport({
    host: '127.0.0.1',
    port: listener.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: options.connections,
    maxMessages: Infinity,
  });
  try {
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.mails }, (_, i) =>
        transport.sendMail({
          from: `Customer ${i} <customer.${i}@bench.example>`,
          to: SUPPORT,
          subject: `Question ${i}`,
          text: `Hello,\n\nmy device ${i} does not start.\n\nOn Mon, 1 Jan 2026, Shop wrote:\n> earlier text`,
          messageId: `<${randomUUID()}@client.bench.example>`,
          ...(i % 5 === 0 ? { attachments: [{ filename: 'screen.png', content: PNG }] } : {}),
        }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    const row = await bench.deps.db
      .selectFrom('support_tickets')
      .select((e) => e.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const mismatch = Math.abs(Number(row.n) - options.mails);
    const perSecond = options.mails / seconds;
    options.progress(
      `  ${database} round ${n}: ${options.mails} mails in ${seconds.toFixed(2)} s, ${perSecond.toFixed(0)} msgs/s, ` +
        `${Number(row.n)} tickets`,
    );
    return { perSecond, mismatch };
  } finally {
    transport.close();
    await listener.stop();
    await bench.close();
  }
}

async function benchOne(
  database: 'sqlite' | 'postgres',
  options: SupportInboundBenchOptions,
): Promise<SupportInboundBenchResult> {
  const rounds: { perSecond: number; mismatch: number }[] = [];
  for (let n = 1; n <= options.rounds; n++) {
    options.progress(`support inbound bench on ${database}, round ${n} of ${options.rounds}`);
    rounds.push(await round(database, options, n));
  }
  return {
    database,
    mails: options.mails,
    connections: options.connections,
    perSecond: median(rounds.map((r) => r.perSecond)),
    roundsPerSecond: rounds.map((r) => r.perSecond),
    mismatches: rounds.reduce((s, r) => s + r.mismatch, 0),
  };
}

export async function benchSupportInbound(options: SupportInboundBenchOptions): Promise<SupportInboundBenchResult[]> {
  const results = [await benchOne('sqlite', options)];
  if (options.pgUrl) results.push(await benchOne('postgres', options));
  else options.progress('support inbound bench: BENCH_PG_URL not set, PostgreSQL skipped');
  return results;
}

export function supportInboundReport(results: SupportInboundBenchResult[]): string {
  return results
    .map(
      (r) =>
        `${r.database.padEnd(8)}  ${r.mails} mails over ${r.connections} connections  ${r.perSecond.toFixed(0)} msgs/s ` +
        `(rounds ${r.roundsPerSecond.map((v) => v.toFixed(0)).join(' / ')})  tickets off by ${r.mismatches}  ` +
        `${r.perSecond >= SUPPORT_INBOUND_MIN_PER_SECOND && r.mismatches === 0 ? 'PASS' : 'FAIL'} (≥ ${SUPPORT_INBOUND_MIN_PER_SECOND} msgs/s, one ticket per mail)`,
    )
    .join('\n');
}
