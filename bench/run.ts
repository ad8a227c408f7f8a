// `npm run bench`: HTTP throughput of Candor against bare-Fastify baselines, and the cost of IP
// anonymisation at scale (Candor's partition drop against a naive UPDATE). A measurement: it prints
// PASS/FAIL against the issue's targets but never exits non-zero because of a FAIL.
//
// Environment (all optional):
//   BENCH_SECONDS          measured seconds per HTTP target (default 8)
//   BENCH_WARMUP_SECONDS   warm-up seconds per HTTP target (default 2)
//   BENCH_CONNECTIONS      concurrent connections (default 50)
//   BENCH_ROUNDS           rounds over all HTTP targets; the table shows each target's median round, a share of a
//                          baseline is the median of the rounds' own shares (default 1)
//   BENCH_ANON_ROWS        rows of the usage-log day partition (default 10,000,000)
//   BENCH_NAIVE_MAX_ROWS   rows the naive UPDATE really runs on; scaled linearly to BENCH_ANON_ROWS (default 2,000,000)
//   BENCH_ANON_FILL_LOG    on|off: also fill the request partition usage_log_d… with the same rows (default on)
//   BENCH_PARTS            http,anon,console,campaign (default http,anon,console); more below
//   BENCH_CONSOLE_ORDERS   orders of the console bench (default 100,000), of BENCH_CONSOLE_CUSTOMERS (default 10,000)
//   BENCH_CONSOLE_REQUESTS measured requests per console target and round (default 250), BENCH_ROUNDS rounds (min 3)
//   BENCH_PG_URL           PostgreSQL server the console and campaign benches also measure on (dropped after)
//   BENCH_CAMPAIGN_SUBSCRIBERS  confirmed subscribers of the campaign bench (default 10,000), BENCH_ROUNDS rounds
//   BENCH_CAMPAIGN_AUDIENCE     subscribers whose audience the campaign bench builds (default 100,000)
//   BENCH_TARGETS          HTTP target ids to run, e.g. hello,products,shop-on (default all)
//   BENCH_SUPPORT_TICKETS  tickets of the support-search part (default 100,000; 5 messages each), off by default:
//                          BENCH_PARTS=support-search; BENCH_SUPPORT_QUERIES measured queries (default 200)
//   BENCH_SUPPORT_INBOUND_MAILS  mails of the support-inbound part (default 500, over BENCH_SUPPORT_INBOUND_CONNECTIONS
//                          SMTP connections, default 4), off by default: BENCH_PARTS=support-inbound
//   BENCH_ANALYTICS_EVENTS page views of the analytics part (default 10,000,000 over 90 days, one busy day of
//                          BENCH_ANALYTICS_DAY_EVENTS, default 1,000,000), off by default: BENCH_PARTS=analytics;
//                          BENCH_ANALYTICS_QUERIES dashboard loads measured per period (default 50)
//   BENCH_PARTS=rights     the export ZIP and the erasure of a person with 1,000 orders, 50 tickets, 10,000 consent and
//                          access-audit records and 100 MB of attachments (bench/rights.ts), BENCH_ROUNDS rounds (min 3),
//                          off by default; with BENCH_PG_URL on PostgreSQL too
//   BENCH_PARTS=analytics-ingest  beacon events per second (see bench/analytics-ingest.ts), BENCH_ANALYTICS_BATCH
//                          events per beacon request (default 10; a run with 1 is reported too)
//   BENCH_PARTS=http-pg    the HTTP targets on PostgreSQL (BENCH_PG_URL, a schema of its own), beside the SQLite run,
//                          with a bare Fastify + pg product-list baseline (products-pg); off by default
//   BENCH_PARTS=large      a large catalogue (BENCH_CATALOGUE_PRODUCTS generated products, default 100,000, on top of
//                          the demo's 32; made once per run by catalog.generate.ts, which takes minutes) with the
//                          listing cache off, against bare baselines over a table of the same size; PASS/FAIL on
//                          SQLite, reported on PostgreSQL too with BENCH_PG_URL; off by default
//   BENCH_PARTS=two-process  two `candor serve` processes on one PostgreSQL (BENCH_PG_URL) behind the bench's own
//                          round-robin client, beside one; BENCH_TWO_PROCESS_PATHS (default
//                          /api/v1/products?limit=20,/), usage log on, listing cache off; BENCH_ROUNDS rounds (min 3)
//   Targets with the listing cache off (json-nocache, home-nocache, shop-nocache) must reach 60% (JSON) and 50% (pages)
//   of the bare product-list baseline of the same size and database (issue 17).
//   `npx tsx bench/profile.ts <path> [NAME=value ...]` profiles one Candor target (see there).
//   `npx tsx bench/ab.ts <other-checkout> <path> [runs] [NAME=value ...]` compares the CPU time per request of this
//   checkout's server with another checkout's, for changes too small for these throughput figures (see there).
import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { benchAnonymisation, type AnonResult } from './anonymise.ts';
import { cleanUpEverything, installCleanupHandlers } from './cleanup.ts';
import {
  benchCampaign,
  CAMPAIGN_MAX_SECONDS,
  CAMPAIGN_MIN_MAILS_PER_SECOND,
  type CampaignBenchResult,
} from './campaign.ts';
import { benchConsole, CONSOLE_TARGET_MS, type ConsoleTargetResult } from './console.ts';
import { measure, type LoadResult, type Target } from './throughput.ts';
import { analyticsCountingReport, benchAnalyticsCounting } from './analytics.ts';
import { analyticsIngestReport, benchAnalyticsIngest } from './analytics-ingest.ts';
import { benchSupportSearch, supportSearchReport } from './support-search.ts';
import { benchSupportInbound, supportInboundReport } from './support-inbound.ts';
import { benchRights, rightsReport } from './rights.ts';
import { withCatalogue, type PreparedCatalogue } from './scale.ts';
import { benchTwoProcess, type TwoProcessResult } from './two-process.ts';
import { intFromEnv } from './env.ts';

const USAGE_LOG_MAX_COST = 0.1;
const JSON_MIN_SHARE_OF_BASELINE = 0.6;
/** Home and catalogue pages with the listing cache off, against the bare product list of the same size. */
const PAGE_NOCACHE_MIN_SHARE = 0.5;

function onOffFromEnv(name: string, fallback: boolean): boolean {
  const raw = process.env[name]?.trim().toLowerCase();
  if (!raw) return fallback;
  if (raw !== 'on' && raw !== 'off') throw new Error(`${name} must be "on" or "off", got "${raw}"`);
  return raw === 'on';
}

const settings = {
  seconds: intFromEnv('BENCH_SECONDS', 8, 1),
  warmupSeconds: intFromEnv('BENCH_WARMUP_SECONDS', 2, 0),
  connections: intFromEnv('BENCH_CONNECTIONS', 50, 1),
  rounds: intFromEnv('BENCH_ROUNDS', 1, 1),
  anonRows: intFromEnv('BENCH_ANON_ROWS', 10_000_000, 1),
  naiveMaxRows: intFromEnv('BENCH_NAIVE_MAX_ROWS', 2_000_000, 1),
  fillLog: onOffFromEnv('BENCH_ANON_FILL_LOG', true),
  parts: new Set((process.env.BENCH_PARTS ?? 'http,anon,console').split(',').map((p) => p.trim())),
  consoleOrders: intFromEnv('BENCH_CONSOLE_ORDERS', 100_000, 1),
  consoleCustomers: intFromEnv('BENCH_CONSOLE_CUSTOMERS', 10_000, 1),
  consoleRequests: intFromEnv('BENCH_CONSOLE_REQUESTS', 250, 1),
  campaignSubscribers: intFromEnv('BENCH_CAMPAIGN_SUBSCRIBERS', 10_000, 1),
  campaignAudience: intFromEnv('BENCH_CAMPAIGN_AUDIENCE', 100_000, 1),
  supportTickets: intFromEnv('BENCH_SUPPORT_TICKETS', 100_000, 1),
  supportQueries: intFromEnv('BENCH_SUPPORT_QUERIES', 200, 1),
  analyticsEvents: intFromEnv('BENCH_ANALYTICS_EVENTS', 10_000_000, 1000),
  analyticsDayEvents: intFromEnv('BENCH_ANALYTICS_DAY_EVENTS', 1_000_000, 100),
  analyticsQueries: intFromEnv('BENCH_ANALYTICS_QUERIES', 50, 1),
  supportInboundMails: intFromEnv('BENCH_SUPPORT_INBOUND_MAILS', 500, 1),
  supportInboundConnections: intFromEnv('BENCH_SUPPORT_INBOUND_CONNECTIONS', 4, 1),
  targets: process.env.BENCH_TARGETS ? new Set(process.env.BENCH_TARGETS.split(',').map((t) => t.trim())) : undefined,
  catalogueProducts: intFromEnv('BENCH_CATALOGUE_PRODUCTS', 100_000, 1),
  twoProcessPaths: (process.env.BENCH_TWO_PROCESS_PATHS ?? '/api/v1/products?limit=20,/')
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.startsWith('/')),
  pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
};

const allTargets: Target[] = [
  { id: 'hello', label: 'baseline: hello (bare Fastify)', kind: 'hello', path: '/hello' },
  {
    id: 'products',
    label: 'baseline: product list (bare Fastify + better-sqlite3)',
    kind: 'products',
    path: '/products',
  },
  {
    id: 'naive',
    label: 'reference: product list + naive log (1 INSERT/request)',
    kind: 'naive-log',
    path: '/products',
  },
  { id: 'home-off', label: 'Candor GET / (HTML), usage log OFF', kind: 'candor', path: '/', env: { USAGE_LOG: 'off' } },
  { id: 'home-on', label: 'Candor GET / (HTML), usage log ON', kind: 'candor', path: '/', env: { USAGE_LOG: 'on' } },
  {
    id: 'json-off',
    label: 'Candor GET /api/v1/products?limit=20, usage log OFF',
    kind: 'candor',
    path: '/api/v1/products?limit=20',
    env: { USAGE_LOG: 'off' },
  },
  {
    id: 'json-on',
    label: 'Candor GET /api/v1/products?limit=20, usage log ON',
    kind: 'candor',
    path: '/api/v1/products?limit=20',
    env: { USAGE_LOG: 'on' },
  },
  {
    id: 'shop-on',
    label: 'Candor GET /shop (catalogue page, HTML), usage log ON',
    kind: 'candor',
    path: '/shop',
    env: { USAGE_LOG: 'on' },
  },
  {
    id: 'json-nocache',
    label: 'Candor GET /api/v1/products?limit=20, log ON, listing cache OFF',
    kind: 'candor',
    path: '/api/v1/products?limit=20',
    env: { USAGE_LOG: 'on', LISTING_CACHE_MS: '0' },
  },
  {
    id: 'shop-nocache',
    label: 'Candor GET /shop, log ON, listing cache OFF',
    kind: 'candor',
    path: '/shop',
    env: { USAGE_LOG: 'on', LISTING_CACHE_MS: '0' },
  },
  {
    id: 'home-nocache',
    label: 'Candor GET / (home page), log ON, listing cache OFF',
    kind: 'candor',
    path: '/',
    env: { USAGE_LOG: 'on', LISTING_CACHE_MS: '0' },
  },
];
const pgBaseline: Target = {
  id: 'products-pg',
  label: 'baseline: product list (bare Fastify + pg)',
  kind: 'products-pg',
  path: '/products',
};
const targets = allTargets.filter((t) => !settings.targets || settings.targets.has(t.id));
if (settings.targets && targets.length + (settings.targets.has('products-pg') ? 1 : 0) !== settings.targets.size) {
  throw new Error(
    `BENCH_TARGETS: unknown target; known are ${[...allTargets, pgBaseline].map((t) => t.id).join(', ')}`,
  );
}
/** The large catalogue's targets: the bare baselines of the same size and the uncached listing, home and shop. */
const LARGE_TARGET_IDS = ['hello', 'products', 'products-pg', 'json-nocache', 'home-nocache', 'shop-nocache'];

const started = performance.now();
const loadAtStart = loadavg()[0] ?? 0;
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s`;
const progress = (line: string) => process.stdout.write(`[${elapsed()}] ${line}\n`);
const num = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');

function table(header: string[], rows: string[][], rightAligned: Set<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** A target's rounds reduced to one: median req/s and median p50/p99, errors summed, range kept for the notes. */
interface Combined extends LoadResult {
  rounds: number;
  minRps: number;
  maxRps: number;
  /** req/s of each round, in the order the rounds ran (every target runs once per round, interleaved). */
  roundRps: number[];
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function combine(rounds: LoadResult[]): Combined {
  const first = rounds[0];
  if (!first) throw new Error('no rounds to combine');
  const rps = rounds.map((r) => r.requestsPerSecond);
  const sum = (f: (r: LoadResult) => number) => rounds.reduce((total, r) => total + f(r), 0);
  return {
    ...first,
    requestsPerSecond: median(rps),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    requests: sum((r) => r.requests),
    non2xx: sum((r) => r.non2xx),
    errors: sum((r) => r.errors),
    warmupRequests: sum((r) => r.warmupRequests),
    loggedRows: first.loggedRows === null ? null : sum((r) => r.loggedRows ?? 0),
    rounds: rounds.length,
    minRps: Math.min(...rps),
    maxRps: Math.max(...rps),
    roundRps: rps,
  };
}

/**
 * A target's req/s as a share of the baseline's. With several rounds the verdict takes the median of each round's
 * own share (target and baseline measured within the same minute), not the share of the two medians: the shared
 * machine's speed drifts by ±20% between rounds, and a round's share cancels that drift. Both are reported.
 */
interface Share {
  ofMedians: number;
  perRound: number[];
  /** The median of perRound (ofMedians when there is one round). */
  value: number;
}

function shareOf(target: Combined, baseline: Combined): Share {
  const ofMedians = target.requestsPerSecond / baseline.requestsPerSecond;
  const perRound = target.roundRps.flatMap((rps, i) => {
    const base = baseline.roundRps[i];
    return base ? [rps / base] : [];
  });
  return { ofMedians, perRound, value: perRound.length > 1 ? median(perRound) : ofMedians };
}

/** The cells of a share for the derived table: the verdict's value, then how it was reached. */
function shareCells(share: Share): [string, string] {
  if (share.perRound.length <= 1) return [pct(share.value), ''];
  return [
    pct(share.value),
    `median of rounds ${share.perRound.map(pct).join(' / ')}; of medians ${pct(share.ofMedians)}`,
  ];
}

/** `baselineId`: the bare product list the ratios are taken against (the same database as the targets). */
function httpReport(results: Combined[], baselineId = 'products'): string {
  const by = (id: string) => results.find((r) => r.target.id === id);
  const hello = by('hello');
  const products = by(baselineId);
  const rows = results.map((r) => {
    const notes: string[] = [];
    if (r.rounds > 1) notes.push(`median of ${r.rounds} rounds, ${num(r.minRps)}-${num(r.maxRps)} req/s`);
    if (r.non2xx) notes.push(`${num(r.non2xx)} non-2xx`);
    if (r.errors) notes.push(`${num(r.errors)} errors`);
    // autocannon does not count the requests still in flight when a run ends (≤ connections per run), the log does.
    if (r.loggedRows !== null)
      notes.push(`${num(r.loggedRows)} rows logged for ${num(r.requests + r.warmupRequests)} counted requests`);
    return [
      r.target.label,
      num(r.requestsPerSecond),
      num(r.p50Ms, 1),
      num(r.p99Ms, 1),
      hello ? `${(r.requestsPerSecond / hello.requestsPerSecond).toFixed(2)}x` : '-',
      products ? `${(r.requestsPerSecond / products.requestsPerSecond).toFixed(2)}x` : '-',
      num(r.bodyBytes),
      notes.join(', '),
    ];
  });
  const out = [
    table(
      ['target', 'req/s', 'p50 ms', 'p99 ms', 'vs hello', 'vs product list', 'body B', 'notes'],
      rows,
      new Set([1, 2, 3, 4, 5, 6]),
    ),
  ];

  const derived: string[][] = [];
  const cost = (on: Combined | undefined, off: Combined | undefined, label: string) => {
    if (!on || !off) return;
    const share = shareOf(on, off);
    const c = 1 - share.value;
    const how =
      share.perRound.length > 1 ? `median of rounds ${share.perRound.map((x) => pct(1 - x)).join(' / ')}` : '';
    derived.push([label, pct(c), `≤ ${pct(USAGE_LOG_MAX_COST)}`, verdict(c <= USAGE_LOG_MAX_COST), how]);
  };
  cost(by('home-on'), by('home-off'), 'usage-log cost, home page: 1 - rps(on)/rps(off)');
  cost(by('json-on'), by('json-off'), 'usage-log cost, JSON route: 1 - rps(on)/rps(off)');
  for (const [id, label, min] of [
    ['json-on', 'JSON route (full pipeline, log on) / product-list baseline', JSON_MIN_SHARE_OF_BASELINE],
    ['shop-on', 'catalogue page /shop (20 products, log on) / product-list baseline', JSON_MIN_SHARE_OF_BASELINE],
    ['json-nocache', 'JSON route, listing cache off', JSON_MIN_SHARE_OF_BASELINE],
    ['home-nocache', 'home page /, listing cache off', PAGE_NOCACHE_MIN_SHARE],
    ['shop-nocache', 'catalogue page /shop, listing cache off', PAGE_NOCACHE_MIN_SHARE],
  ] as const) {
    const r = by(id);
    if (!r || !products) continue;
    const share = shareOf(r, products);
    const [value, how] = shareCells(share);
    const name = id.endsWith('-on') ? label : `${label} / ${products.target.id} baseline`;
    derived.push([name, value, `≥ ${pct(min)}`, verdict(share.value >= min), how]);
  }
  const sqliteProducts = by('products');
  if (baselineId !== 'products' && sqliteProducts && products) {
    derived.push([
      `bare pg product list / bare SQLite product list`,
      pct(products.requestsPerSecond / sqliteProducts.requestsPerSecond),
      '(info)',
      '',
    ]);
  }
  const jsonOff = by('json-off');
  if (jsonOff && products) {
    derived.push([
      'JSON route (full pipeline, log off) / product-list baseline',
      pct(jsonOff.requestsPerSecond / products.requestsPerSecond),
      '(info)',
      '',
    ]);
  }
  const naive = by('naive');
  if (naive && products) {
    derived.push([
      'naive log cost: 1 - rps(naive log)/rps(product list)',
      pct(1 - naive.requestsPerSecond / products.requestsPerSecond),
      '(info)',
      '',
    ]);
  }
  if (derived.length > 0)
    out.push('', table(['derived figure', 'value', 'target', 'result', 'how'], derived, new Set([1])));
  const rounds = results[0]?.rounds ?? 1;
  if (rounds === 1) {
    out.push(
      '',
      'note: one run per target; the usage-log verdicts compare two single runs, whose difference can be noise on a',
      '      shared 2-core machine. Repeat with BENCH_ROUNDS=3 (median of interleaved rounds) before trusting them.',
    );
  }
  const busy = Math.max(loadavg()[0] ?? 0, loadAtStart);
  if (busy > cpus().length)
    out.push(
      `warning: load average reached ${busy.toFixed(2)} on ${cpus().length} cores: other processes competed for the CPU.`,
    );
  return out.join('\n');
}

function twoProcessReport(results: TwoProcessResult[]): string {
  const rows = results.map((r) => {
    const one = results.find((o) => o.path === r.path && o.processes === 1);
    const notes = [`rounds ${r.rounds.map((x) => num(x)).join(' / ')} req/s`];
    if (r.non2xx) notes.push(`${num(r.non2xx)} non-2xx`);
    if (r.errors) notes.push(`${num(r.errors)} errors`);
    return [
      `${r.processes} × candor serve`,
      `GET ${r.path}`,
      num(r.requestsPerSecond),
      num(r.p50Ms, 1),
      num(r.p99Ms, 1),
      one ? `${(r.requestsPerSecond / one.requestsPerSecond).toFixed(2)}x` : '-',
      notes.join(', '),
    ];
  });
  return table(
    ['processes', 'target', 'req/s', 'p50 ms', 'p99 ms', 'vs 1 process', 'notes'],
    rows,
    new Set([2, 3, 4, 5]),
  );
}

function consoleReport(results: ConsoleTargetResult[]): string {
  const rows = results.map((r) => [
    r.database,
    r.label,
    r.missing ? '-' : num(r.p50Ms, 1),
    r.missing ? '-' : num(r.p95Ms, 1),
    r.missing ? '-' : r.roundsP95.map((p) => num(p, 1)).join(' / '),
    r.missing ? '-' : num(r.requests),
    r.missing
      ? `not measured: ${r.missing}`
      : `${verdict(r.p95Ms < CONSOLE_TARGET_MS)}${r.statuses.some((s) => s !== 200) ? ` (statuses ${r.statuses.join(',')})` : ''}`,
  ]);
  return table(
    ['db', 'target', 'p50 ms', 'p95 ms', 'p95 per round', 'requests', `p95 < ${CONSOLE_TARGET_MS} ms`],
    rows,
    new Set([2, 3, 5]),
  );
}

function campaignReport(results: CampaignBenchResult[]): string {
  const rows = results.flatMap((r) => {
    const rounds = (values: number[], digits: number) => values.map((v) => num(v, digits)).join(' / ');
    return [
      [
        r.database,
        `delivery rate at the SMTP sink (MAIL_CONCURRENCY ${r.mailConcurrency})`,
        `${num(r.mailsPerSecond)} mails/s`,
        rounds(r.roundsMailsPerSecond, 0),
        `≥ ${CAMPAIGN_MIN_MAILS_PER_SECOND}`,
        verdict(r.mailsPerSecond >= CAMPAIGN_MIN_MAILS_PER_SECOND),
      ],
      [
        r.database,
        `whole campaign, ${num(r.subscribers)} mails (schedule → sent)`,
        `${num(r.totalSeconds, 1)} s`,
        rounds(r.roundsTotalSeconds, 1),
        `< ${CAMPAIGN_MAX_SECONDS} s`,
        verdict(r.totalSeconds < CAMPAIGN_MAX_SECONDS),
      ],
      [
        r.database,
        'repeated Message-IDs at the sink (no crash: none expected)',
        num(r.repeats),
        '',
        '0',
        verdict(r.repeats === 0),
      ],
      [
        r.database,
        `build the audience of ${num(r.audience)} subscribers`,
        `${num(r.audienceSeconds, 2)} s`,
        rounds(r.roundsAudienceSeconds, 2),
        '(info)',
        '',
      ],
    ];
  });
  return table(['db', 'figure', 'median', 'per round', 'target', 'result'], rows, new Set([2, 3]));
}

function anonReport(r: AnonResult): string {
  const scaled = r.naiveRows !== r.rows;
  const rows = [
    ['rows in the day partition', num(r.rows)],
    [
      `bulk load (${r.fillLog ? 'usage_log_d… and usage_ip_d…' : 'usage_ip_d… only'}, + naive copy, + indexes)`,
      `${r.loadSeconds.toFixed(1)} s (${num(r.loadRowsPerSecond)} rows/s), file ${num(r.fileBytes / 1e6)} MB`,
    ],
    [
      'Candor: runRetention() at day+8 (DROP TABLE usage_ip_d…)',
      `${r.retentionSeconds.toFixed(3)} s, ${r.partitionsDropped} partition dropped`,
    ],
    [
      `naive: UPDATE … SET ip = anonymise_ip(ip), measured on ${num(r.naiveRows)} rows`,
      `${r.naiveSeconds.toFixed(2)} s (${num(r.naiveRows / r.naiveSeconds)} rows/s)`,
    ],
    ['  of which reading the rows + anonymiseIp() alone (SELECT, for scale)', `${r.naiveReadSeconds.toFixed(2)} s`],
    [
      `naive for ${num(r.rows)} rows${scaled ? ' (extrapolated linearly: a lower bound, index upkeep grows faster)' : ''}`,
      `${r.naiveSecondsForAllRows.toFixed(1)} s`,
    ],
    ['naive / Candor', `${num(r.naiveSecondsForAllRows / r.retentionSeconds)}x slower`],
  ];
  return table(['IP anonymisation', 'result'], rows, new Set());
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const cpu = cpus();
  progress(
    `Candor bench: node ${process.version}, ${cpu.length} × ${cpu[0]?.model.trim() ?? 'cpu'}, ${num(totalmem() / 2 ** 30)} GiB RAM`,
  );
  progress(
    `load average at start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} (other processes on this machine skew every figure)`,
  );
  progress(
    `HTTP: ${settings.seconds} s measured + ${settings.warmupSeconds} s warm-up per target, ${settings.connections} connections; ` +
      `anonymisation: ${num(settings.anonRows)} rows (naive measured on ≤ ${num(settings.naiveMaxRows)})`,
  );

  const sections: string[] = [];
  const roundsNote = settings.rounds > 1 ? `, median of ${settings.rounds} rounds` : '';
  const httpNote = `each server in its own child process; autocannon in the runner; ${settings.connections} connections, ${settings.seconds} s each, after ${settings.warmupSeconds} s warm-up${roundsNote}`;
  /** Interleaved rounds over `list`, each target's server started with the catalogue's environment. */
  const runSuite = async (list: Target[], catalogueEnv: Record<string, string>, name: string) => {
    const byTarget = new Map<string, LoadResult[]>(list.map((t) => [t.id, []]));
    for (let round = 1; round <= settings.rounds; round++) {
      if (settings.rounds > 1) progress(`${name}: round ${round} of ${settings.rounds}`);
      for (const target of list) {
        const result = await measure(
          { ...target, env: { ...catalogueEnv, ...target.env } },
          {
            seconds: settings.seconds,
            warmupSeconds: settings.warmupSeconds,
            connections: settings.connections,
            progress,
          },
        );
        byTarget.get(target.id)?.push({ ...result, target });
      }
    }
    return list.map((t) => combine(byTarget.get(t.id) ?? []));
  };
  if (settings.parts.has('http')) {
    const list = targets.filter((t) => t.kind !== 'products-pg');
    sections.push(
      `== HTTP throughput, SQLite, demo catalogue (32 products) (${httpNote}) ==`,
      httpReport(await runSuite(list, {}, 'HTTP')),
    );
  }
  if (settings.parts.has('http-pg')) {
    if (!settings.pgUrl) throw new Error('BENCH_PARTS=http-pg needs BENCH_PG_URL');
    const list = [
      ...targets.filter((t) => t.id === 'hello' || t.id === 'products'),
      pgBaseline,
      ...targets.filter((t) => t.kind === 'candor'),
    ];
    const results = await withCatalogue('postgres', settings.pgUrl, 0, progress, (c) =>
      runSuite(list, c.env, 'HTTP on PostgreSQL'),
    );
    sections.push(
      '',
      `== HTTP throughput, PostgreSQL, demo catalogue (32 products); ratios against the bare pg product list (${httpNote}) ==`,
      httpReport(results, 'products-pg'),
    );
  }
  if (settings.parts.has('large')) {
    const n = settings.catalogueProducts;
    const size = `${num(n + 32)} products`;
    const pick = (pg: boolean) =>
      LARGE_TARGET_IDS.flatMap((id) =>
        id === 'products-pg' ? (pg ? [pgBaseline] : []) : allTargets.filter((t) => t.id === id),
      );
    const sqliteResults = await withCatalogue('sqlite', undefined, n, progress, (c) =>
      runSuite(pick(false), c.env, `large catalogue, SQLite`),
    );
    sections.push(
      '',
      `== Large catalogue, SQLite (${size}; bare baselines over a table of the same size; ${httpNote}) ==`,
      httpReport(sqliteResults),
    );
    if (settings.pgUrl) {
      const pgResults = await withCatalogue('postgres', settings.pgUrl, n, progress, (c) =>
        runSuite(pick(true), c.env, 'large catalogue, PostgreSQL'),
      );
      sections.push(
        '',
        `== Large catalogue, PostgreSQL (${size}; ratios against the bare pg product list of the same size; reported: the targets bind on SQLite, the verdicts here are for information) ==`,
        httpReport(pgResults, 'products-pg'),
      );
    }
  }
  if (settings.parts.has('two-process')) {
    if (!settings.pgUrl) throw new Error('BENCH_PARTS=two-process needs BENCH_PG_URL');
    const rounds = Math.max(3, settings.rounds);
    const results = await withCatalogue('postgres', settings.pgUrl, 0, progress, (catalogue: PreparedCatalogue) =>
      benchTwoProcess({
        catalogue,
        paths: settings.twoProcessPaths,
        seconds: settings.seconds,
        warmupSeconds: settings.warmupSeconds,
        connections: settings.connections,
        rounds,
        env: { USAGE_LOG: 'on', LISTING_CACHE_MS: '0' },
        progress,
      }),
    );
    sections.push(
      '',
      `== Two \`candor serve\` processes on one PostgreSQL (demo catalogue, usage log on, listing cache off; ${settings.connections} connections dealt round-robin over the processes; median of ${rounds} interleaved rounds) ==`,
      twoProcessReport(results),
    );
  }
  if (settings.parts.has('anon')) {
    const result = await benchAnonymisation({
      rows: settings.anonRows,
      naiveMaxRows: settings.naiveMaxRows,
      fillLog: settings.fillLog,
      progress,
    });
    sections.push(
      '',
      `== IP anonymisation at scale (SQLite, Candor's schema and connection settings) ==`,
      anonReport(result),
    );
  }

  if (settings.parts.has('console')) {
    const rounds = Math.max(3, settings.rounds);
    const results = await benchConsole({
      orders: settings.consoleOrders,
      customers: settings.consoleCustomers,
      requests: settings.consoleRequests,
      rounds,
      pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
      progress,
    });
    sections.push(
      '',
      `== Staff console at scale (${num(settings.consoleOrders)} orders, ${num(settings.consoleCustomers)} customers; in-process requests one at a time, usage log off, median of ${rounds} rounds' p95) ==`,
      consoleReport(results),
    );
  }

  if (settings.parts.has('campaign')) {
    const results = await benchCampaign({
      subscribers: settings.campaignSubscribers,
      audience: settings.campaignAudience,
      rounds: settings.rounds,
      pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
      progress,
    });
    const roundsNote = settings.rounds > 1 ? `, median of ${settings.rounds} rounds` : '';
    sections.push(
      '',
      `== Campaign (${num(settings.campaignSubscribers)} confirmed subscribers, one campaign, CAMPAIGN_RATE_PER_MINUTE=0; delivered by a \`candor worker\` child into a counting smtp-server sink; audience built in process${roundsNote}) ==`,
      campaignReport(results),
    );
  }

  if (settings.parts.has('support-search')) {
    const results = await benchSupportSearch({
      tickets: settings.supportTickets,
      messagesPerTicket: 5,
      queries: settings.supportQueries,
      pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
      progress,
    });
    sections.push(
      '',
      `== Support queue search (${num(settings.supportTickets)} tickets, ${num(settings.supportTickets * 5)} messages; searchTickets + state counts, one at a time) ==`,
      supportSearchReport(results),
    );
  }

  if (settings.parts.has('support-inbound')) {
    const rounds = Math.max(3, settings.rounds);
    const results = await benchSupportInbound({
      mails: settings.supportInboundMails,
      connections: settings.supportInboundConnections,
      rounds,
      pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
      progress,
    });
    sections.push(
      '',
      `== Support inbound mail (${num(settings.supportInboundMails)} mails over ${settings.supportInboundConnections} SMTP connections into the listener, a ticket each; median of ${rounds} rounds) ==`,
      supportInboundReport(results),
    );
  }

  if (settings.parts.has('analytics-ingest')) {
    const rounds = Math.max(3, settings.rounds);
    const batch = intFromEnv('BENCH_ANALYTICS_BATCH', 10, 1);
    const results = await benchAnalyticsIngest({
      seconds: settings.seconds,
      connections: settings.connections,
      rounds,
      batch,
      progress,
    });
    sections.push(
      '',
      `== Analytics beacon ingestion (${settings.connections} connections, ${settings.seconds} s per target, median of ${rounds} rounds; servers in this process, autocannon in a child) ==`,
      analyticsIngestReport(results),
    );
  }

  if (settings.parts.has('analytics')) {
    const results = await benchAnalyticsCounting({
      events: settings.analyticsEvents,
      days: 90,
      busyDayEvents: settings.analyticsDayEvents,
      queries: settings.analyticsQueries,
      pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
      progress,
    });
    sections.push(
      '',
      `== Analytics counting (${num(settings.analyticsEvents)} page views over 90 days written into the raw daily tables, each day rolled up; the main dashboard, unfiltered, one load at a time) ==`,
      analyticsCountingReport(results),
    );
  }

  if (settings.parts.has('rights')) {
    const results = await benchRights({
      rounds: settings.rounds,
      pgUrl: process.env.BENCH_PG_URL?.trim() || undefined,
      progress,
    });
    sections.push(
      '',
      '== Data-subject requests (a person with 1,000 orders, 50 tickets, 10,000 consent and access-audit records, 100 MB of attachments; the whole request run to its end, median of the rounds) ==',
      rightsReport(results),
    );
  }

  process.stdout.write(`\n${sections.join('\n')}\n\n`);
  progress(
    `done; load average at end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(cleanUpEverything);
