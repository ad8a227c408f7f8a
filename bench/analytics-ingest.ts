// Beacon ingestion (issue 15), four servers in this one process, measured one after the other by autocannon in a
// child process (so the load generator does not share this event loop), BENCH_ROUNDS rounds, medians:
//   bare       a bare Fastify POST route that parses the JSON and answers 202: the baseline;
//   queue      the same route doing Candor's request-path work: classify the user agent, one HMAC visitor hash, and
//              queue the events (a queue that only counts): what a request itself pays;
//   write      the same into the real batched writer, whose batches go to SQLite on this same thread;
//   candor     the real app's POST /api/v1/analytics/events with statistics consent (session, consent, CSRF/origin
//              rules, schema, rate limit, usage log), batches of BENCH_ANALYTICS_BATCH events (default 10) and of 1.
// Targets: the app accepts >= 5,000 events/s with 50 connections; the request-path work costs < 10% of the bare
// route (the SQLite batch writes, off the request path but on the same thread, are reported beside it).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Fastify from 'fastify';
import { buildApp } from '../src/app.ts';
import { createDeps, migrateDatabase } from '../src/composition.ts';
import { classifyAgent } from '../src/features/analytics/analytics.classify.ts';
import { visitorHash } from '../src/features/analytics/analytics.visitor.ts';
import { createAnalyticsWriter } from '../src/features/analytics/analytics.writer.ts';
import { loadConfig } from '../src/platform/config.ts';
import { createLogger } from '../src/platform/log.ts';
import { makeTempDir, removeTempDir } from './cleanup.ts';

const run = promisify(execFile);
export const INGEST_MIN_EVENTS_PER_SECOND = 5000;
export const INGEST_MAX_WRITE_COST = 0.1;

export interface IngestOptions {
  seconds: number;
  connections: number;
  rounds: number;
  batch: number;
  progress: (line: string) => void;
}

export interface IngestResult {
  id: string;
  label: string;
  eventsPerRequest: number;
  /** Median over the rounds. */
  requestsPerSecond: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

function body(events: number): string {
  return JSON.stringify({
    path: '/shop/padgrid-mk2',
    screen: { w: 1920, h: 1080 },
    tz: 'Europe/Berlin',
    events: Array.from({ length: events }, (_, i) =>
      i === 0
        ? { kind: 'engagement', duration_ms: 42_000, scroll_pct: 80 }
        : i % 3 === 0
          ? { kind: 'outbound', target: 'www.youtube.com' }
          : { kind: 'click', target: 'main > section.product > button.add' },
    ),
  });
}

async function autocannon(
  url: string,
  headers: Record<string, string>,
  payload: string,
  options: IngestOptions,
): Promise<{ rps: number; p99: number; non2xx: number; errors: number }> {
  const dir = makeTempDir('ingest-body');
  const file = join(dir, 'body.json');
  writeFileSync(file, payload);
  try {
    const args = [
      'node_modules/autocannon/autocannon.js',
      '-j',
      '-c',
      String(options.connections),
      '-d',
      String(options.seconds),
      '-m',
      'POST',
      '-i',
      file,
      ...Object.entries(headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
      url,
    ];
    const { stdout } = await run(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 });
    const r = JSON.parse(stdout) as {
      requests: { average: number };
      latency: { p99: number };
      non2xx: number;
      errors: number;
    };
    return { rps: r.requests.average, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors };
  } finally {
    removeTempDir(dir);
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

export async function benchAnalyticsIngest(options: IngestOptions): Promise<IngestResult[]> {
  const dir = makeTempDir('analytics-ingest');
  const config = loadConfig({
    DATA_DIR: dir,
    CANDOR_SECRET: randomBytes(32).toString('hex'),
    HOST: '127.0.0.1',
    PORT: '0',
    RATE_LIMIT_PER_MINUTE: '1000000',
    LOG_LEVEL: 'silent',
  });
  const deps = createDeps(config, { log: createLogger('silent') });
  await migrateDatabase(deps);
  const candor = await buildApp(deps);

  const bare = Fastify({ logger: false });
  bare.post('/events', async (_request, reply) => reply.code(202).send());

  // The request-path work of the app's route (classify the agent, hash the visitor, queue the events), without the
  // rest of the app: into a queue that only counts (what a request itself pays), and into the real writer whose
  // batches go to SQLite on this same thread (what the process pays in all).
  const writer = createAnalyticsWriter(deps.db, deps.log, { bulkInsert: deps.bulkInsert });
  let queued: unknown[] = [];
  const queueOnly = {
    record(event: unknown) {
      queued.push(event);
      if (queued.length >= 1000) queued = [];
    },
  };
  const salt = randomBytes(32).toString('hex');
  const writePath = (recorder: { record: (event: Parameters<typeof writer.record>[0]) => void }) => {
    const server = Fastify({ logger: false });
    server.post('/events', async (request, reply) => {
      const agent = classifyAgent(request.headers['user-agent']);
      const visitor = visitorHash(salt, request.ip, request.headers['user-agent'] ?? '', '127.0.0.1');
      const now = Date.now();
      const payload = request.body as {
        path: string;
        events: { kind: string; target?: string; duration_ms?: number }[];
      };
      for (const e of payload.events)
        recorder.record({
          at: now,
          kind: e.kind,
          visitor,
          pseudonym: null,
          path: payload.path,
          referrer_host: null,
          utm_source: null,
          utm_medium: null,
          utm_campaign: null,
          language: 'de',
          browser: agent.browser,
          os: agent.os,
          device: agent.device,
          country: 'DE',
          screen: '1920x1080',
          duration_ms: e.duration_ms ?? null,
          scroll_pct: null,
          target: e.target ?? null,
        });
      return reply.code(202).send();
    });
    return server;
  };
  const withQueue = writePath(queueOnly);
  const withWrite = writePath(writer);

  const results: IngestResult[] = [];
  try {
    const ports: Record<string, number> = {};
    for (const [id, server] of [
      ['bare', bare],
      ['queue', withQueue],
      ['write', withWrite],
      ['candor', candor],
    ] as const) {
      await server.listen({ host: '127.0.0.1', port: 0 });
      const address = server.server.address();
      if (address === null || typeof address === 'string') throw new Error('no TCP address');
      ports[id] = address.port;
    }
    // A visitor who accepted every category, as the banner records it.
    const consent = await fetch(`http://127.0.0.1:${ports.candor}/consent`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'sec-fetch-site': 'same-origin',
        'user-agent': UA,
      },
      body: 'action=accept',
      redirect: 'manual',
    });
    const cookie = consent.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    if (!/consent/.test(cookie)) throw new Error(`no consent cookie (status ${consent.status})`);
    const common = {
      'content-type': 'application/json',
      'user-agent': UA,
      'accept-language': 'de-DE,de;q=0.9',
      'sec-fetch-site': 'same-origin',
    };
    const targets = [
      {
        id: 'bare',
        label: 'bare Fastify POST route',
        port: ports.bare!,
        path: '/events',
        events: options.batch,
        headers: common,
      },
      {
        id: 'queue',
        label: 'bare route + request-path work, queue only',
        port: ports.queue!,
        path: '/events',
        events: options.batch,
        headers: common,
      },
      {
        id: 'candor',
        label: `Candor POST /api/v1/analytics/events`,
        port: ports.candor!,
        path: '/api/v1/analytics/events',
        events: options.batch,
        headers: { ...common, cookie },
      },
      {
        id: 'candor-1',
        label: `Candor POST /api/v1/analytics/events`,
        port: ports.candor!,
        path: '/api/v1/analytics/events',
        events: 1,
        headers: { ...common, cookie },
      },
      // Last in each round: its writer leaves a grown heap behind, which would slow the next target.
      {
        id: 'write',
        label: 'bare route + request-path work + SQLite batch writes',
        port: ports.write!,
        path: '/events',
        events: options.batch,
        headers: common,
      },
    ];
    const rounds = new Map<string, { rps: number; p99: number; non2xx: number; errors: number }[]>();
    for (let round = 1; round <= options.rounds; round++) {
      for (const t of targets) {
        const url = `http://127.0.0.1:${t.port}${t.path}`;
        const check = await fetch(url, { method: 'POST', headers: t.headers, body: body(t.events) });
        if (check.status !== 202) throw new Error(`${t.id}: answered ${check.status}, not 202`);
        const r = await autocannon(url, t.headers, body(t.events), options);
        rounds.set(t.id, [...(rounds.get(t.id) ?? []), r]);
        options.progress(
          `  ingest round ${round}/${options.rounds} ${t.id}: ${r.rps.toFixed(0)} req/s (${(r.rps * t.events).toFixed(0)} events/s), non-2xx ${r.non2xx}`,
        );
      }
    }
    for (const t of targets) {
      const rs = rounds.get(t.id) ?? [];
      results.push({
        id: t.id,
        label: t.label,
        eventsPerRequest: t.events,
        requestsPerSecond: median(rs.map((r) => r.rps)),
        p99Ms: median(rs.map((r) => r.p99)),
        non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
        errors: rs.reduce((n, r) => n + r.errors, 0),
      });
    }
  } finally {
    await bare.close();
    await withQueue.close();
    await withWrite.close();
    await candor.close();
    await writer.close();
    await deps.close();
    removeTempDir(dir);
  }
  return results;
}

export function analyticsIngestReport(results: IngestResult[]): string {
  const by = (id: string) => results.find((r) => r.id === id);
  const lines = results.map(
    (r) =>
      `${r.label.padEnd(52)} ${String(r.eventsPerRequest).padStart(2)} ev/req  ${r.requestsPerSecond.toFixed(0).padStart(6)} req/s  ${(r.requestsPerSecond * r.eventsPerRequest).toFixed(0).padStart(7)} events/s  p99 ${r.p99Ms.toFixed(0)} ms  non-2xx ${r.non2xx}  errors ${r.errors}`,
  );
  const bare = by('bare');
  for (const [id, what, target] of [
    ['queue', 'request-path cost (classify, hash, queue)', true],
    ['write', 'with the SQLite batch writes on the same thread', false],
  ] as const) {
    const r = by(id);
    if (!bare || !r) continue;
    const cost = 1 - r.requestsPerSecond / bare.requestsPerSecond;
    lines.push(
      `${what}: ${(cost * 100).toFixed(1)}% of the bare route's throughput` +
        (target
          ? `  ${cost < INGEST_MAX_WRITE_COST ? 'PASS' : 'FAIL'} (< ${INGEST_MAX_WRITE_COST * 100}%)`
          : ' (reported)'),
    );
  }
  for (const id of ['candor', 'candor-1']) {
    const r = by(id);
    if (r) {
      const eps = r.requestsPerSecond * r.eventsPerRequest;
      lines.push(
        `Candor, ${r.eventsPerRequest} event(s) per request: ${eps.toFixed(0)} events/s  ${eps >= INGEST_MIN_EVENTS_PER_SECOND ? 'PASS' : 'FAIL'} (>= ${INGEST_MIN_EVENTS_PER_SECOND})`,
      );
    }
  }
  return lines.join('\n');
}
