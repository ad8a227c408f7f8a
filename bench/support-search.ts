// The staff support queue's search at scale (issue 14): 100,000 tickets with 500,000 messages written straight into
// Candor's schema (all migrations), their search rows built as the app builds them (indexText), on SQLite and, when
// BENCH_PG_URL is set, on PostgreSQL (a schema of its own, dropped afterwards). Then ~200 varied queries (rare and
// common words, two words, prefixes, phrases, German words, with and without a state filter) through the queue's
// query (searchTickets, first page of 50, plus the state counts the page shows); p50 and p95 per database.
// Target: p95 < 50 ms. A measurement, never part of CI.
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import type { Deps } from '../src/deps.ts';
import { countByState, indexText, searchTickets } from '../src/features/support/support.search.queries.ts';
import type { SupportMessagesTable, SupportTicketsTable } from '../src/features/support/support.tables.ts';
import { withBenchDatabase } from './database.ts';
import { percentile, rng } from './stats.ts';

export interface SupportSearchBenchOptions {
  tickets: number;
  messagesPerTicket: number;
  queries: number;
  pgUrl: string | undefined;
  progress: (line: string) => void;
}

export interface SupportSearchResult {
  database: 'sqlite' | 'postgres';
  seedSeconds: number;
  queries: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  /** The slowest queries, for the notes. */
  slowest: { q: string; ms: number; rows: number }[];
}

export const SUPPORT_SEARCH_TARGET_MS = 50;

const COMMON = ['the', 'and', 'i', 'to', 'is', 'it', 'my', 'not', 'with', 'ich', 'die', 'und', 'nicht', 'mit', 'das'];
const TOPICS = [
  'licence',
  'activation',
  'crash',
  'latency',
  'plugin',
  'installer',
  'update',
  'download',
  'refund',
  'invoice',
  'reverb',
  'compressor',
  'padgrid',
  'firmware',
  'driver',
  'midi',
  'controller',
  'knob',
  'display',
  'battery',
  'lizenz',
  'aktivierung',
  'absturz',
  'rechnung',
  'gerät',
  'rauschen',
  'kopfhörer',
  'pufferGröße',
  'treiber',
  'tasten',
  'ableton',
  'cubase',
  'logic',
  'reaper',
  'bitwig',
  'windows',
  'macos',
  'sonoma',
  'focusrite',
  'motu',
];
const SYLLABLES = ['ka', 'lo', 'mi', 'ver', 'sta', 'ton', 'rel', 'qua', 'zen', 'dor', 'fi', 'gru', 'pel', 'sor'];
const STATES = ['new', 'open', 'waiting', 'solved', 'closed', 'closed', 'closed', 'solved'] as const;
const DAY = 24 * 3600 * 1000;

/** 20,000 made-up words, picked with a skew (a few often, most rarely), beside common and topic words. */
export function vocabulary(): string[] {
  const next = rng(0xbeef);
  const words = new Set<string>();
  while (words.size < 20_000) {
    let w = '';
    const n = 2 + (next() % 3);
    for (let i = 0; i < n; i++) w += SYLLABLES[next() % SYLLABLES.length];
    words.add(w);
  }
  return [...words];
}

export async function seed(
  deps: Deps,
  options: SupportSearchBenchOptions,
  words: string[],
  now: number,
): Promise<void> {
  const next = rng(0x5eed);
  const pick = () => {
    const r = next() % 100;
    if (r < 35) return COMMON[next() % COMMON.length]!;
    if (r < 50) return TOPICS[next() % TOPICS.length]!;
    // Skewed: the square of a uniform number favours the first words.
    const u = (next() % 10_000) / 10_000;
    return words[Math.floor(u * u * words.length)]!;
  };
  const sentence = (n: number) => Array.from({ length: n }, pick).join(' ');
  const batch = 500;
  const started = performance.now();
  for (let from = 0; from < options.tickets; from += batch) {
    const tickets: SupportTicketsTable[] = [];
    const messages: SupportMessagesTable[] = [];
    const search: { ticket_id: string; requester: string; subject: string; body: string }[] = [];
    for (let i = from; i < Math.min(options.tickets, from + batch); i++) {
      const id = randomUUID();
      const at = now - Math.floor((i / options.tickets) * 700 * DAY);
      const subject = `${TOPICS[next() % TOPICS.length]} ${sentence(4)}`;
      const bodies: string[] = [];
      for (let m = 0; m < options.messagesPerTicket; m++) {
        const body = `${sentence(20 + (next() % 30))}. Serial TF-2026-${String(next() % 1_000_000).padStart(6, '0')}`;
        bodies.push(body);
        messages.push({
          id: randomUUID(),
          ticket_id: id,
          requester: `guest${i % 40_000}@bench.example`,
          author: m % 2 === 0 ? 'customer' : 'staff',
          staff_id: null,
          body,
          via: 'web',
          mail_message_id: null,
          created_at: at + m * 60_000,
          kept_reason: null,
          restricted_at: null,
        });
      }
      const state = STATES[next() % STATES.length]!;
      tickets.push({
        id,
        ref: `T-B${String(i).padStart(7, '0')}`,
        requester: `guest${i % 40_000}@bench.example`,
        requester_name: `Guest ${i % 40_000}`,
        subject,
        state,
        category: 'question',
        product_id: null,
        order_id: null,
        assignee_id: null,
        lang: i % 3 === 0 ? 'de' : 'en',
        source: 'email',
        profile_snapshot: null,
        merged_into: null,
        created_at: at,
        updated_at: at + options.messagesPerTicket * 60_000,
        solved_at: null,
        closed_at: null,
        kept_reason: null,
        kept_note: null,
        delete_after: null,
        restricted_at: null,
      });
      search.push({
        ticket_id: id,
        requester: `guest${i % 40_000}@bench.example`,
        subject: indexText(subject),
        body: indexText(bodies.join('\n')),
      });
    }
    await deps.db.transaction().execute(async (trx) => {
      await trx.insertInto('support_tickets').values(tickets).execute();
      for (let i = 0; i < messages.length; i += 1000)
        await trx
          .insertInto('support_messages')
          .values(messages.slice(i, i + 1000))
          .execute();
      await trx
        .withTables<{ support_search: { ticket_id: string; requester: string; subject: string; body: string } }>()
        .insertInto('support_search')
        .values(search)
        .execute();
    });
    if ((from / batch) % 20 === 19)
      options.progress(
        `  ${(from + batch).toLocaleString('en-US')} tickets written (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
  }
  // PostgreSQL: as autovacuum leaves a table soon after a bulk load (visibility map and hint bits set); SQLite: the
  // planner's statistics.
  await sql`${sql.raw(deps.dbKind === 'postgres' ? 'vacuum analyze' : 'analyze')}`.execute(deps.db);
}

/** ~200 queries of the kinds staff type: a topic word, a rare word, two words, a prefix, a phrase, a serial. */
function queries(n: number, words: string[]): { q: string; state?: (typeof STATES)[number] }[] {
  const next = rng(0x9e7);
  const out: { q: string; state?: (typeof STATES)[number] }[] = [];
  for (let i = 0; i < n; i++) {
    const w = () => words[Math.floor(((next() % 10_000) / 10_000) ** 2 * words.length)]!;
    const topic = () => TOPICS[next() % TOPICS.length]!;
    const kind = i % 8;
    const q =
      kind === 0
        ? topic()
        : kind === 1
          ? w()
          : kind === 2
            ? `${topic()} ${w()}`
            : kind === 3
              ? w().slice(0, 4)
              : kind === 4
                ? `"${w()} ${w()}"`
                : kind === 5
                  ? `TF-2026-${String(next() % 1_000_000).padStart(6, '0')}`
                  : kind === 6
                    ? `${topic()} ${topic()}`
                    : `${COMMON[next() % COMMON.length]} ${w().slice(0, 5)}`;
    out.push(i % 3 === 0 ? { q, state: STATES[next() % 5]! } : { q });
  }
  return out;
}

async function benchOne(
  database: 'sqlite' | 'postgres',
  options: SupportSearchBenchOptions,
): Promise<SupportSearchResult> {
  return withBenchDatabase(database, options.pgUrl, 'support-search', async (deps) => {
    options.progress(`support search bench on ${database}: seeding`);
    const words = vocabulary();
    const t0 = performance.now();
    await seed(deps, options, words, Date.now());
    const seedSeconds = (performance.now() - t0) / 1000;
    const list = queries(options.queries, words);
    const run = async (item: { q: string; state?: (typeof STATES)[number] }) => {
      const t = performance.now();
      const rows = await searchTickets(deps.db, deps.dbKind, item.q, { state: item.state }, { limit: 50 });
      await countByState(deps.db);
      return { ms: performance.now() - t, rows: rows.length };
    };
    for (const item of list.slice(0, 20)) await run(item); // warm-up
    const times: { q: string; ms: number; rows: number }[] = [];
    for (const item of list) {
      const r = await run(item);
      times.push({ q: `${item.q}${item.state ? ` [${item.state}]` : ''}`, ...r });
    }
    const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
    return {
      database,
      seedSeconds,
      queries: times.length,
      p50Ms: percentile(sorted, 50),
      p95Ms: percentile(sorted, 95),
      maxMs: sorted[sorted.length - 1] ?? NaN,
      slowest: [...times].sort((a, b) => b.ms - a.ms).slice(0, 3),
    };
  });
}

export async function benchSupportSearch(options: SupportSearchBenchOptions): Promise<SupportSearchResult[]> {
  const results = [await benchOne('sqlite', options)];
  if (options.pgUrl) results.push(await benchOne('postgres', options));
  else options.progress('support search bench: BENCH_PG_URL not set, PostgreSQL skipped');
  return results;
}

/** The report's lines. */
export function supportSearchReport(results: SupportSearchResult[]): string {
  return results
    .map(
      (r) =>
        `${r.database.padEnd(8)}  seed ${r.seedSeconds.toFixed(0)} s  ${r.queries} queries  p50 ${r.p50Ms.toFixed(1)} ms  p95 ${r.p95Ms.toFixed(1)} ms  max ${r.maxMs.toFixed(1)} ms  ${r.p95Ms < SUPPORT_SEARCH_TARGET_MS ? 'PASS' : 'FAIL'} (p95 < ${SUPPORT_SEARCH_TARGET_MS} ms)\n` +
        `          slowest: ${r.slowest.map((s) => `${JSON.stringify(s.q)} ${s.ms.toFixed(1)} ms (${s.rows} rows)`).join('; ')}`,
    )
    .join('\n');
}
