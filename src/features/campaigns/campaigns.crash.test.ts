// Issue 13, "Done when" 2: a campaign to 10,000 subscribers whose worker is killed with SIGKILL at each named step
// (src/platform/faults.ts, decision 0049) and started again delivers a mail to every subscriber; a repeat carries
// the Message-ID of the first and happens only for the kill between the server's acceptance and the commit.
// The worker is a real `candor worker` child over a database shared with this process; the SMTP server is a real
// one in this process that counts Message-IDs from the raw DATA (no parsing, to stay fast at 10,000 mails).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { after, before, test } from 'node:test';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { loadConfig } from '../../platform/config.ts';
import { createLogger } from '../../platform/log.ts';
import { createDeps, migrateDatabase } from '../../testing/app.ts';
import { describeEachDatabase } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { createWorkerDatabase, runWorker, type WorkerExit } from '../../testing/worker.ts';
import { BUILD_PAGE } from './campaigns.service.ts';
import { campaignProgress, createCampaign, scheduleCampaign } from './index.ts';

const SUBSCRIBERS = 10_000;
const STEPS = [
  'campaign.before-page-commit',
  'campaign.after-page-commit',
  'mail.after-claim',
  'mail.after-accept',
  'mail.after-commit',
] as const;
type Step = (typeof STEPS)[number];
/** Messages the outbox delivery claims at once with MAIL_CONCURRENCY=1 (mail.service.ts: max(16, 8 × concurrency)). */
const CLAIM_BATCH = 16;

interface Run {
  step: Step | undefined;
  n: number;
  exit: WorkerExit;
  /** Accepted messages at the sink when the child was gone, and the last Message-ID among them. */
  acceptedAfter: number;
  lastMessageId: string | undefined;
  seconds: number;
}

describeEachDatabase('a campaign whose worker is killed at each step', (kind) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-crash-'));
  const sink = new TestSmtpServer({ countOnly: true });
  let deps: Deps;
  let env: Record<string, string>;
  let dropDatabase: (() => Promise<void>) | undefined;
  let campaignId: string;
  const addresses: string[] = [];
  let started = 0;

  before(async () => {
    started = performance.now();
    await sink.start();
    let databaseUrl: string | undefined;
    if (kind === 'postgres') {
      // The test kills the worker, never the database server: commits need not wait for the disk (a server crash
      // could lose them, a client crash cannot), which keeps 10,000 one-at-a-time sends inside the time budget.
      const database = await createWorkerDatabase('candor_crash', { synchronous_commit: 'off' });
      databaseUrl = database.url;
      dropDatabase = database.drop;
    }
    env = {
      DATA_DIR: dataDir,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      BASE_URL: 'http://127.0.0.1:3000',
      SMTP_URL: sink.url,
      USAGE_LOG: 'off',
      CAMPAIGN_RATE_PER_MINUTE: '0',
      // One message in flight: at 'mail.after-accept' exactly one mail is between acceptance and commit.
      MAIL_CONCURRENCY: '1',
      LOG_LEVEL: 'warn',
      ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    };
    deps = createDeps(loadConfig(env), { log: createLogger('silent') });
    await migrateDatabase(deps);
    const now = Date.now();
    for (let from = 0; from < SUBSCRIBERS; from += 1000) {
      const rows: Database['newsletter_subscriptions'][] = [];
      for (let i = from; i < Math.min(SUBSCRIBERS, from + 1000); i++) {
        const email = `reader.${i}@crash.example`;
        addresses.push(email);
        rows.push({
          id: randomUUID(),
          email,
          user_id: null,
          list: 'newsletter',
          topics: '[]',
          lang: i % 2 === 0 ? 'en' : 'de',
          origin: 'double-opt-in',
          status: 'confirmed',
          requested_at: now - 86_400_000,
          confirmed_at: now - 86_000_000,
          unsubscribed_at: null,
          pending_until: null,
          ip_prefix: '203.0.113.0/24',
          consent_text: 'Crash test subscriber',
          consent_version: 'test',
          source: 'newsletter-page',
          confirm_sent_at: null,
          confirm_window_from: null,
          confirm_count: 0,
          renewal: null,
          renewal_until: null,
        });
      }
      await deps.db.transaction().execute((trx) => trx.insertInto('newsletter_subscriptions').values(rows).execute());
    }
    campaignId = await createCampaign(deps, {
      subjectEn: 'Crash test',
      subjectDe: 'Absturztest',
      bodyEn: 'Every reader gets **one** mail.',
      bodyDe: 'Jede Leserin bekommt **eine** E-Mail.',
      topic: null,
      lang: null,
      createdBy: 'crash-test',
    });
    await scheduleCampaign(deps, campaignId, Date.now());
  });

  after(async () => {
    await deps?.close();
    await sink.stop();
    await dropDatabase?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** What a dead worker leaves behind expires, as its time would pass on its own (decision 0049). */
  async function expireLeases(): Promise<void> {
    const past = Date.now() - 1;
    await deps.db.updateTable('job_leases').set({ expires_at: past }).execute();
    await deps.db
      .updateTable('outbox')
      .set({ locked_until: past })
      .where('locked_until', 'is not', null)
      .where('sent_at', 'is', null)
      .execute();
  }

  /** Starts `candor worker`; resolves when it exited, or (without a fault) once the campaign is sent. */
  async function runWorkerAt(step: Step | undefined, n: number): Promise<Run> {
    const t0 = performance.now();
    const { exit, stopped, stderr } = await runWorker({
      env,
      faultAt: step ? `${step}:${n}` : undefined,
      // Without a fault: done once sent. With one armed past the end: sent without the kill, fail at once.
      done: async () => sink.messageIdsByRecipient.size >= SUBSCRIBERS && (await isSent()),
      timeoutMs: 150_000,
      pollMs: 250,
    });
    if (step) assert.ok(!stopped, `the worker armed at ${step}:${n} was not killed there (stderr: ${stderr})`);
    return {
      step,
      n,
      exit,
      acceptedAfter: sink.accepted,
      lastMessageId: sink.lastMessageId,
      seconds: (performance.now() - t0) / 1000,
    };
  }

  async function isSent(): Promise<boolean> {
    return (await campaignProgress(deps, campaignId)).sent >= SUBSCRIBERS;
  }

  /** The n that kills at `step` roughly halfway through what remains of it. */
  async function halfway(step: Step): Promise<number> {
    if (step.startsWith('campaign.')) {
      const progress = await campaignProgress(deps, campaignId);
      const pages = Math.ceil((SUBSCRIBERS - progress.total) / BUILD_PAGE);
      return Math.max(1, Math.floor(pages / 2));
    }
    const unsent = SUBSCRIBERS - sink.messageIdsByRecipient.size;
    // 'mail.after-claim' is reached once per claimed batch, the other two once per message.
    const times = step === 'mail.after-claim' ? Math.ceil(unsent / CLAIM_BATCH) : unsent;
    return Math.max(1, Math.floor(times / 2));
  }

  test(
    `delivers to all ${SUBSCRIBERS.toLocaleString('en-US')} subscribers; the one repeat is the kill after acceptance, with the same Message-ID`,
    { timeout: 900_000 },
    async (t) => {
      const runs: Run[] = [];
      for (const step of STEPS) {
        await expireLeases();
        const n = await halfway(step);
        const run = await runWorkerAt(step, n);
        runs.push(run);
        t.diagnostic(
          `${step}:${n}: ${run.exit.signal ?? run.exit.code} after ${run.seconds.toFixed(1)} s, ${run.acceptedAfter} accepted`,
        );
        assert.equal(run.exit.signal, 'SIGKILL', `the worker armed at ${step}:${n} died by its fault point`);
      }
      await expireLeases();
      const last = await runWorkerAt(undefined, 0);
      runs.push(last);
      t.diagnostic(`no fault: sent after ${last.seconds.toFixed(1)} s`);

      // Every subscriber got the mail.
      const missing = addresses.filter((a) => !sink.messageIdsByRecipient.has(a));
      assert.deepEqual(missing.slice(0, 5), [], `${missing.length} subscribers got no mail`);
      assert.equal(sink.messageIdsByRecipient.size, SUBSCRIBERS);
      // Each recipient's messages all carry one Message-ID, which no other recipient's message carries.
      const owners = new Map<string, string>();
      for (const [to, ids] of sink.messageIdsByRecipient) {
        assert.equal(new Set(ids).size, 1, `${to} got messages with different Message-IDs`);
        assert.notEqual(ids[0], '', 'every message has a Message-ID');
        assert.equal(owners.get(ids[0] as string), undefined, 'a Message-ID is one recipient’s');
        owners.set(ids[0] as string, to);
      }
      // Exactly one repeat: the message the server had accepted when the worker died at 'mail.after-accept'.
      const repeated = [...sink.countByMessageId].filter(([, count]) => count > 1);
      const afterAccept = runs.find((r) => r.step === 'mail.after-accept');
      assert.deepEqual(repeated, [[afterAccept?.lastMessageId, 2]]);
      assert.equal(sink.accepted, SUBSCRIBERS + 1);
      const progress = await campaignProgress(deps, campaignId);
      assert.equal(progress.sent, SUBSCRIBERS);
      t.diagnostic(`[${kind}] crash test took ${((performance.now() - started) / 1000).toFixed(1)} s in all`);
    },
  );
});
