// The compliance audit: on a clean database every check passes; each promise broken on purpose makes the audit
// fail naming that check (issue 16, "Done when" 5); the real CLI exits non-zero then, and `--json` says why.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { DAY } from '../../platform/clock.ts';
import { signedIn, staffMember } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { recordAccess } from '../access-audit.ts';
import { recordConsent } from '../consent/ledger.ts';
import { recordObjection } from '../objections.ts';
import { runAudit, type AuditReport } from './audit.ts';

const failing = (r: AuditReport) => r.checks.filter((c) => !c.ok).map((c) => c.id);

async function cleanHarness(db: 'sqlite' | 'postgres'): Promise<Harness> {
  const h = await openHarness(db, { seed: true });
  // The usage log's daily tables exist once a request is logged.
  await new Browser(h.app).get('/');
  await h.deps.usageLog.flush();
  return h;
}

describeEachDatabase('candor audit', (db) => {
  let h: Harness;
  before(async () => {
    h = await cleanHarness(db);
  });
  after(() => h.close());

  test('on a clean database every check passes, with its evidence', async () => {
    const staff = await staffMember(h);
    await recordAccess(h.deps, {
      actor: { userId: staff.id, role: 'staff' },
      whose: null,
      what: 'x.list',
      why: 'test',
      path: '/',
    });
    const report = await runAudit(h.deps);
    assert.deepEqual(
      failing(report),
      [],
      JSON.stringify(
        report.checks.filter((c) => !c.ok),
        null,
        2,
      ),
    );
    const ids = report.checks.map((c) => c.id);
    for (const id of [
      'full-ip-addresses',
      'retention:newsletter.delete-unconfirmed',
      'retention:rights.delete-export-files',
      'retention:privacy.delete-old-access-records',
      'audiences',
      'files',
      'consent-chain',
      'access-chain',
      'classification',
    ])
      assert.ok(ids.includes(id), id);
    // Every timed rule of every table and file set is a check of its own.
    const rules = [
      ...h.deps.dataMap.tables.flatMap((t) => t.retention),
      ...h.deps.dataMap.files.flatMap((f) => f.retention),
    ];
    assert.equal(ids.filter((i) => i.startsWith('retention:')).length, rules.length);
    assert.ok(Number(report.checks.find((c) => c.id === 'full-ip-addresses')!.figures.tables) >= 1);
    assert.ok(Number(report.checks.find((c) => c.id === 'access-chain')!.figures.records) >= 1);
  });
});

describeEachDatabase('candor audit finds each broken promise', (db) => {
  const broken = async (name: string, breakIt: (h: Harness) => Promise<void>, want: string) => {
    test(name, async () => {
      const h = await cleanHarness(db);
      try {
        assert.deepEqual(failing(await runAudit(h.deps)), [], 'clean before');
        await breakIt(h);
        const report = await runAudit(h.deps);
        assert.ok(failing(report).includes(want), `${want} among ${failing(report).join(', ')}`);
        assert.ok(report.checks.find((c) => c.id === want)!.problems.length > 0);
        assert.equal(report.ok, false);
      } finally {
        await h.close();
      }
    });
  };

  void broken(
    'a full IP address older than 7 days',
    async (h) => {
      // Retention has not run for eight days: the request's full address is still there.
      h.clock.advance(8 * DAY);
    },
    'full-ip-addresses',
  );

  void broken(
    'an unconfirmed newsletter sign-up past its period',
    async (h) => {
      const now = h.clock.now();
      await h.deps.db
        .insertInto('newsletter_subscriptions')
        .values({
          id: randomUUID(),
          email: 'pending@example.org',
          user_id: null,
          list: 'newsletter',
          topics: '[]',
          lang: 'en',
          origin: 'double-opt-in',
          status: 'pending',
          requested_at: now - 3 * DAY,
          confirmed_at: null,
          unsubscribed_at: null,
          pending_until: now - DAY,
          ip_prefix: null,
          consent_text: 'x',
          consent_version: '1',
          source: 'test',
          confirm_sent_at: null,
          confirm_window_from: null,
          confirm_count: 0,
        })
        .execute();
    },
    'retention:newsletter.delete-unconfirmed',
  );

  void broken(
    'an expired export file',
    async (h) => {
      const dir = join(h.deps.config.dataDir, 'exports');
      mkdirSync(dir, { recursive: true });
      const file = join(dir, `${randomUUID()}.zip`);
      writeFileSync(file, 'zip');
      const old = (h.clock.now() - 30 * DAY) / 1000;
      utimesSync(file, old, old);
    },
    'retention:rights.delete-export-files',
  );

  void broken(
    'a file the data map does not know',
    async (h) => {
      writeFileSync(join(h.deps.config.dataDir, 'stray-dump.csv'), 'email\n');
    },
    'files',
  );

  void broken(
    'a tampered consent receipt',
    async (h) => {
      const r = await recordConsent(h.deps.db, {
        consentId: randomUUID(),
        now: () => h.clock.now(),
        policyHash: 'p',
        locale: 'en',
        bannerHash: 'b',
        choices: { categories: ['necessary'], vendors: [] },
        action: 'reject',
        ipAnon: null,
        browser: null,
        userId: null,
      });
      await h.deps.db
        .updateTable('consent_records')
        .set({ choices: JSON.stringify({ categories: ['marketing'], vendors: [] }) })
        .where('id', '=', r.id)
        .execute();
    },
    'consent-chain',
  );

  void broken(
    'a tampered access record',
    async (h) => {
      const staff = await staffMember(h);
      await recordAccess(h.deps, {
        actor: { userId: staff.id, role: 'staff' },
        whose: null,
        what: 'order.list',
        why: 'order-fulfilment',
        path: '/staff/orders',
      });
      await h.deps.db.updateTable('access_audit').set({ actor_user_id: 'someone-else' }).execute();
    },
    'access-chain',
  );

  void broken(
    'an unclassified column',
    async (h) => {
      await h.deps.db.schema.alterTable('users').addColumn('shoe_size', 'integer').execute();
    },
    'classification',
  );

  void broken(
    'a restricted person with a queued campaign mail',
    async (h) => {
      const customer = await signedIn(h);
      const now = h.clock.now();
      await recordObjection(h.deps.db, now - 1000, {
        person: customer.id,
        activity: 'newsletter.subscriptions',
        kind: 'restriction',
        via: 'staff',
      });
      await h.deps.db
        .insertInto('outbox')
        .values({
          id: randomUUID(),
          recipient: customer.email,
          subject: 'News',
          body: 'News',
          html: null,
          headers: '{}',
          attachments: '[]',
          created_at: now,
          attempts: 0,
          next_attempt_at: now,
          locked_until: null,
          sent_at: null,
          failed_at: null,
          last_error: null,
          template: null,
          list: 'newsletter',
        })
        .execute();
    },
    'audiences',
  );
});

const run = promisify(execFile);

test('the real CLI: exit 0 on a clean data directory, 1 with --json naming the failing check', async () => {
  const h = await openHarness('sqlite', { seed: true });
  await new Browser(h.app).get('/');
  await h.deps.usageLog.flush();
  const dataDir = h.deps.config.dataDir;
  const now = new Date(h.clock.now()).toISOString();
  await h.close();
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: '',
    CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
  };
  // As of the harness's time, which its rows' periods run from.
  const cli = ['--import', 'tsx', 'src/main.ts', 'audit', '--now', now];
  const clean = await run(process.execPath, cli, { env });
  assert.match(clean.stdout, /PASS access-chain/);
  writeFileSync(join(dataDir, 'stray-dump.csv'), 'email\n');
  const failed = await run(process.execPath, [...cli, '--json'], { env }).then(
    () => assert.fail('the audit should exit non-zero'),
    (err: { code: number; stdout: string }) => err,
  );
  assert.equal(failed.code, 1);
  const report = JSON.parse(failed.stdout) as AuditReport;
  assert.equal(report.ok, false);
  assert.deepEqual(failing(report), ['files']);
});
