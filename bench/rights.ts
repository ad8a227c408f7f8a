// Data-subject requests at scale (issue 16): a person with 1,000 orders, 50 support tickets, 10,000 consent
// receipts, 10,000 access-audit records and 100 MB of attachments (20 files of 5 MB under support-attachments,
// with their rows). Measured: the export (the whole request run by the engine to a finished ZIP) and the erasure
// (runRequest of an erasure request), BENCH_ROUNDS rounds (at least 3), medians, on SQLite and, with BENCH_PG_URL,
// on PostgreSQL; and the peak growth of live memory (after collecting garbage) during an export with 10 MB and with
// 100 MB of attachments, which must not grow with them (the ZIP is streamed). Targets: export < 5 s, erasure < 2 s. A measurement, never part of CI.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Deps } from '../src/deps.ts';
import { createStaffUser } from '../src/features/accounts/index.ts';
import { openRequest } from '../src/features/rights/rights.service.ts';
import { exportFilePath } from '../src/features/rights/rights.export.ts';
import { runRequestNow } from '../src/features/rights/rights.steps.ts';
import { withBenchDatabase } from './database.ts';
import { percentile } from './stats.ts';

export const EXPORT_TARGET_MS = 5000;
export const ERASURE_TARGET_MS = 2000;
/** Live memory growth with 100 MB of attachments may exceed that with 10 MB by at most this (MB). */
export const LIVE_GROWTH_SLACK_MB = 16;
const MB = 1024 * 1024;

export interface RightsBenchOptions {
  rounds: number;
  pgUrl: string | undefined;
  progress: (line: string) => void;
}

export interface RightsBenchResult {
  database: 'sqlite' | 'postgres';
  exportMs: number[];
  erasureMs: number[];
  zipMb: number;
  /** Peak RSS growth (MB) during one export with 10 MB and with 100 MB of attachments. */
  rssGrowth10Mb: number;
  rssGrowth100Mb: number;
  /** Peak growth of live memory (after collecting garbage) during one export with 10 MB and with 100 MB (MB). */
  liveGrowth10Mb: number;
  liveGrowth100Mb: number;
}

const median = (xs: number[]) =>
  percentile(
    [...xs].sort((a, b) => a - b),
    50,
  );

async function chunked<T>(rows: T[], size: number, write: (part: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await write(rows.slice(i, i + size));
}

let personNo = 0;

/** A person with the volumes; `files` attachments of 5 MB each. Returns their account id and address. */
async function seedPerson(deps: Deps, files: number): Promise<{ id: string; email: string }> {
  const n = ++personNo;
  const email = `bench.person${n}@example.org`;
  const { user } = await createStaffUser(deps, { email, role: 'customer', name: `Bench Person ${n}` });
  const now = deps.clock.now();
  const orders = Array.from({ length: 1000 }, (_, i) => ({
    id: randomUUID(),
    number: `2026-B${n}${String(i).padStart(5, '0')}`,
    user_id: user.id,
    status: 'completed' as const,
    lines: JSON.stringify([{ productId: 'p1', title: 'PadGrid Pro', quantity: 1, unitCents: 4900 }]),
    billing: JSON.stringify({
      name: `Bench Person ${n}`,
      street: 'Benchstraße 1',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
    }),
    shipping: JSON.stringify({
      name: `Bench Person ${n}`,
      street: 'Benchstraße 1',
      postalCode: '10115',
      city: 'Berlin',
      country: 'DE',
    }),
    payment_method: 'card' as const,
    card_brand: 'visa',
    card_last4: '4242',
    card_exp_month: 12,
    payment_reference: `ref-${n}-${i}`,
    total_cents: 4900,
    vat_cents: 782,
    currency: 'EUR',
    idempotency_key: randomUUID(),
    request_hash: null,
    history: JSON.stringify([{ status: 'completed', at: now - i * 60_000 }]),
    payment_failed_at: null,
    legal_versions: null,
    terms_accepted_at: null,
    digital_consent_at: null,
    vat_country: 'DE',
    carrier: null,
    tracking_number: null,
    invoice_paid_on: null,
    invoice_paid_reference: null,
    restricted_at: null,
    created_at: now - i * 60_000,
    updated_at: now - i * 60_000,
  }));
  await chunked(orders, 200, (part) => deps.db.insertInto('orders').values(part).execute());

  const tickets = Array.from({ length: 50 }, (_, i) => ({
    id: randomUUID(),
    ref: `BN${n}T${String(i).padStart(4, '0')}`,
    requester: user.id,
    requester_name: null,
    subject: `Question ${i} of bench person ${n}`,
    state: 'open' as const,
    category: 'technical' as const,
    product_id: null,
    order_id: null,
    assignee_id: null,
    lang: 'en',
    source: 'account' as const,
    profile_snapshot: null,
    merged_into: null,
    created_at: now,
    updated_at: now,
    solved_at: null,
    closed_at: null,
    kept_reason: null,
    kept_note: null,
    delete_after: null,
    restricted_at: null,
  }));
  await deps.db.insertInto('support_tickets').values(tickets).execute();
  const messages = tickets.map((t) => ({
    id: randomUUID(),
    ticket_id: t.id,
    requester: user.id,
    author: 'customer' as const,
    staff_id: null,
    body: `The keys stick after the update. ${'Details. '.repeat(20)}`,
    via: 'web',
    mail_message_id: null,
    created_at: now,
    kept_reason: null,
    restricted_at: null,
  }));
  await deps.db.insertInto('support_messages').values(messages).execute();
  await addAttachments(deps, user.id, tickets[0]!.id, messages[0]!.id, files);

  const consentSeqBase = n * 100_000;
  const consents = Array.from({ length: 10_000 }, (_, i) => ({
    id: randomUUID(),
    seq: consentSeqBase + i,
    consent_id: randomUUID(),
    recorded_at: now - i * 1000,
    policy_hash: 'p'.repeat(64),
    locale: 'de',
    banner_hash: 'b'.repeat(64),
    choices: JSON.stringify({ statistics: i % 2 === 0, marketing: false }),
    action: 'custom' as const,
    ip_anon: '203.0.113.0',
    browser: 'Firefox',
    user_id: user.id,
    prev_hash: 'x'.repeat(64),
    hash: randomBytes(32).toString('hex'),
  }));
  await chunked(consents, 500, (part) => deps.db.insertInto('consent_records').values(part).execute());

  const audits = Array.from({ length: 10_000 }, (_, i) => ({
    id: randomUUID(),
    at: now - i * 1000,
    actor_user_id: randomUUID(),
    actor_role: 'staff',
    subject_user_id: user.id,
    what: 'order.view',
    why: 'customer-service',
    path: `/staff/orders/${orders[i % orders.length]!.id}`,
    seq: consentSeqBase + i,
    prev_hash: 'y'.repeat(64),
    hash: randomBytes(32).toString('hex'),
    path_salt: randomBytes(16).toString('hex'),
    path_digest: randomBytes(32).toString('hex'),
  }));
  await chunked(audits, 500, (part) => deps.db.insertInto('access_audit').values(part).execute());
  return { id: user.id, email };
}

/** `count` attachments of 5 MB of random bytes (incompressible, as photos and archives are) with their rows. */
async function addAttachments(deps: Deps, userId: string, ticketId: string, messageId: string, count: number) {
  const dir = join(deps.config.dataDir, 'support-attachments');
  mkdirSync(dir, { recursive: true });
  const content = randomBytes(5 * MB);
  for (let i = 0; i < count; i++) {
    const id = randomUUID();
    content.writeUInt32LE(i, 0); // each file its own bytes
    writeFileSync(join(dir, id), content);
    await deps.db
      .insertInto('support_attachments')
      .values({
        id,
        ticket_id: ticketId,
        message_id: messageId,
        requester: userId,
        file_name: `photo-${i}.bin`,
        content_type: 'application/octet-stream',
        size: content.length,
        created_at: deps.clock.now(),
        kept_reason: null,
        restricted_at: null,
      })
      .execute();
  }
}

/**
 * A collector the bench may call (RSS keeps freed but not yet collected buffers, so it cannot tell what an export
 * holds from garbage): V8's own `gc`, made reachable at run time.
 */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * Runs an export for the person to its end (untimed), collecting garbage and sampling live memory (heap in use plus
 * buffers outside the heap) every 50 ms: the peak growth over the start (MB) is what the export held at once.
 */
async function liveMemoryPeak(deps: Deps, person: { id: string; email: string }): Promise<{ mb: number; id: string }> {
  const gc = collector();
  const live = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.external;
  };
  const { request } = await openRequest(deps, {
    kind: 'export',
    userId: person.id,
    email: person.email,
    lang: 'en',
    channel: 'account',
    verified: true,
  });
  const base = live();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, live())), 50);
  const finished = await runRequestNow(deps, request.id);
  clearInterval(sampler);
  if (!finished) throw new Error('the export request did not finish');
  return { mb: (peak - base) / MB, id: request.id };
}

/** Runs a request of `kind` for the person to its end; its time (ms) and the peak RSS growth while it ran (MB). */
async function timedRequest(
  deps: Deps,
  person: { id: string; email: string },
  kind: 'export' | 'erasure',
): Promise<{ ms: number; rssGrowthMb: number; id: string }> {
  const { request } = await openRequest(deps, {
    kind,
    userId: person.id,
    email: person.email,
    lang: 'en',
    channel: 'account',
    verified: true,
  });
  (globalThis as { gc?: () => void }).gc?.();
  const base = process.memoryUsage.rss();
  let peak = base;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const t = performance.now();
  const finished = await runRequestNow(deps, request.id);
  const ms = performance.now() - t;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage.rss());
  if (!finished) throw new Error(`the ${kind} request did not finish`);
  return { ms, rssGrowthMb: (peak - base) / MB, id: request.id };
}

async function benchOne(database: 'sqlite' | 'postgres', o: RightsBenchOptions): Promise<RightsBenchResult> {
  return withBenchDatabase(database, o.pgUrl, 'rights', async (deps) => {
    o.progress(`rights bench (${database}): seeding a person with 10 MB of attachments`);
    const person = await seedPerson(deps, 2);
    // Warm-up, then the export with 10 MB of attachments.
    rmSync(exportFilePath(deps.config.dataDir, (await timedRequest(deps, person, 'export')).id), { force: true });
    const small = await timedRequest(deps, person, 'export');
    rmSync(exportFilePath(deps.config.dataDir, small.id), { force: true });
    const live10 = await liveMemoryPeak(deps, person);
    rmSync(exportFilePath(deps.config.dataDir, live10.id), { force: true });
    const { id: ticketId } = await deps.db
      .selectFrom('support_tickets')
      .select('id')
      .where('requester', '=', person.id)
      .executeTakeFirstOrThrow();
    const { id: messageId } = await deps.db
      .selectFrom('support_messages')
      .select('id')
      .where('ticket_id', '=', ticketId)
      .executeTakeFirstOrThrow();
    await addAttachments(deps, person.id, ticketId, messageId, 18); // 20 files, 100 MB
    const exportMs: number[] = [];
    let rssGrowth100Mb = 0;
    let zipMb = 0;
    for (let r = 0; r < o.rounds; r++) {
      const run = await timedRequest(deps, person, 'export');
      exportMs.push(run.ms);
      rssGrowth100Mb = Math.max(rssGrowth100Mb, run.rssGrowthMb);
      const zip = exportFilePath(deps.config.dataDir, run.id);
      zipMb = statSync(zip).size / MB;
      rmSync(zip, { force: true });
      o.progress(
        `  ${database}: export round ${r + 1}: ${run.ms.toFixed(0)} ms, RSS +${run.rssGrowthMb.toFixed(1)} MB`,
      );
    }
    const live100 = await liveMemoryPeak(deps, person);
    rmSync(exportFilePath(deps.config.dataDir, live100.id), { force: true });
    o.progress(
      `  ${database}: live memory peak growth ${live10.mb.toFixed(1)} MB (10 MB), ${live100.mb.toFixed(1)} MB (100 MB)`,
    );
    const erasureMs: number[] = [];
    for (let r = 0; r < o.rounds; r++) {
      const victim = await seedPerson(deps, 20);
      const run = await timedRequest(deps, victim, 'erasure');
      erasureMs.push(run.ms);
      o.progress(`  ${database}: erasure round ${r + 1}: ${run.ms.toFixed(0)} ms`);
    }
    return {
      database,
      exportMs,
      erasureMs,
      zipMb,
      rssGrowth10Mb: small.rssGrowthMb,
      rssGrowth100Mb,
      liveGrowth10Mb: live10.mb,
      liveGrowth100Mb: live100.mb,
    };
  });
}

export async function benchRights(o: RightsBenchOptions): Promise<RightsBenchResult[]> {
  const options = { ...o, rounds: Math.max(3, o.rounds) };
  const results = [await benchOne('sqlite', options)];
  if (o.pgUrl) results.push(await benchOne('postgres', options));
  else o.progress('rights bench: BENCH_PG_URL not set, PostgreSQL skipped');
  return results;
}

export function rightsReport(results: RightsBenchResult[]): string {
  return results
    .map((r) => {
      const ex = median(r.exportMs);
      const er = median(r.erasureMs);
      const flat = r.liveGrowth100Mb <= r.liveGrowth10Mb + LIVE_GROWTH_SLACK_MB;
      return (
        `${r.database.padEnd(8)}  export median ${ex.toFixed(0)} ms (${r.exportMs.map((m) => m.toFixed(0)).join(', ')}; ZIP ${r.zipMb.toFixed(1)} MB)  ${ex < EXPORT_TARGET_MS ? 'PASS' : 'FAIL'} (< ${EXPORT_TARGET_MS} ms)\n` +
        `          erasure median ${er.toFixed(0)} ms (${r.erasureMs.map((m) => m.toFixed(0)).join(', ')})  ${er < ERASURE_TARGET_MS ? 'PASS' : 'FAIL'} (< ${ERASURE_TARGET_MS} ms)\n` +
        `          live memory peak growth during an export: ${r.liveGrowth10Mb.toFixed(1)} MB with 10 MB of attachments, ${r.liveGrowth100Mb.toFixed(1)} MB with 100 MB  ${flat ? 'PASS' : 'FAIL'} (does not grow with them, slack ${LIVE_GROWTH_SLACK_MB} MB)\n` +
        `          (peak RSS growth, for reference: ${r.rssGrowth10Mb.toFixed(1)} MB and ${r.rssGrowth100Mb.toFixed(1)} MB; RSS keeps uncollected buffers)`
      );
    })
    .join('\n');
}
