// The job-runs page (issue 17, point 2): what the scheduler recorded, for administrators only, in English and
// German; a bad filter is a clear 400, never a 500.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createScheduler } from '../../platform/jobs/index.ts';
import { asRole, signedIn, staffMember } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';

describeEachDatabase('the job-runs page', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
  });
  after(() => h.close());

  test('shows each job’s last run, failures in 24 h, the leading worker and the recent runs, to admins only', async () => {
    let fail = false;
    const worker = createScheduler(
      h.deps,
      [
        { name: 'test.sweep-things', everyMs: 1000, run: async () => ({ items: 7 }) },
        {
          name: 'test.break-things',
          everyMs: 1000,
          run: async () => {
            if (fail) throw new RangeError('bad value for anna@example.com');
            return { items: 1 };
          },
        },
        { name: 'test.deliver-things', everyMs: 1000, everyWorker: true, run: async () => ({ items: 0 }) },
      ],
      undefined,
    );
    await worker.tick();
    fail = true;
    h.clock.advance(2000);
    await worker.tick();

    const staff = await staffMember(h);
    assert.equal((await staff.b.get('/staff/operations/jobs')).statusCode, 403);
    const admin = await signedIn(h);
    await asRole(h, admin, 'admin');
    const page = await admin.b.get('/staff/operations/jobs');
    assert.equal(page.statusCode, 200, page.body.slice(0, 300));
    assert.match(page.body, /<h1>Job runs<\/h1>/);
    assert.ok(page.body.includes(worker.holder), 'the leading worker is named');
    const row = (job: string) =>
      new RegExp(`<tr><th scope="row"><a href="/staff/operations/jobs\\?job=${job}">[^]*?</tr>`).exec(page.body)?.[0] ??
      '';
    assert.match(
      row('test.sweep-things'),
      /data-label="Items">7<\/td><td class="num" data-label="Runs in 24 h">2<\/td><td class="num" data-label="Failed in 24 h">0</,
    );
    assert.match(row('test.break-things'), /<strong>Failed<\/strong>[^]*data-label="Failed in 24 h">1</);
    assert.doesNotMatch(page.body, /test\.deliver-things/, 'a parallel run that did nothing is not recorded');
    assert.match(page.body, /<td data-label="Error">RangeError<\/td>/);
    assert.doesNotMatch(page.body, /anna@example\.com/, 'an error message never reaches the record');

    const filtered = await admin.b.get('/staff/operations/jobs?job=test.break-things', { 'accept-language': 'de' });
    assert.equal(filtered.statusCode, 200);
    assert.match(filtered.body, /<h1>Auftragsläufe<\/h1>/);
    assert.match(filtered.body, /Neueste Läufe von test\.break-things/);
    assert.match(filtered.body, /<strong>Fehlgeschlagen<\/strong>/);
    const recent = filtered.body.slice(filtered.body.indexOf('recent-heading'));
    assert.doesNotMatch(recent, /<td data-label="Auftrag">test\.sweep-things/);

    const bad = await admin.b.get('/staff/operations/jobs?job=%3Cscript%3E');
    assert.equal(bad.statusCode, 400);
    await worker.stop();
    const none = await admin.b.get('/staff/operations/jobs');
    assert.match(none.body, /No worker leads/);
  });
});
