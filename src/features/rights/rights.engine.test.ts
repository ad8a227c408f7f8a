// The request engine (issue 16): deadlines by calendar month, duplicates, and steps that run once each, in order,
// resume after a failure at the step that failed, hand a request to staff after five failures, and respect leases
// and identity checks. Then a real erasure request run through its four steps.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { deliverMail, signedIn } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { LEASE_MS, MAX_ATTEMPTS, runDueRequests, runRequest, type RequestStep } from './rights.engine.ts';
import { addCalendarMonths, deadlineOf } from './rights.model.ts';
import { selectDoneSteps, selectRequest, selectRequestEvents, updateRequest } from './rights.queries.ts';
import { openRequest } from './rights.service.ts';
import { runnerOf } from './rights.steps.ts';

test('a month is a calendar month; a day the month lacks is its last day', () => {
  const at = (s: string) => Date.parse(s);
  assert.equal(addCalendarMonths(at('2026-03-15T09:30:00Z'), 1), at('2026-04-15T09:30:00Z'));
  assert.equal(addCalendarMonths(at('2027-01-31T12:00:00Z'), 1), at('2027-02-28T12:00:00Z'));
  assert.equal(addCalendarMonths(at('2028-01-31T12:00:00Z'), 1), at('2028-02-29T12:00:00Z'));
  assert.equal(addCalendarMonths(at('2026-12-20T00:00:00Z'), 1), at('2027-01-20T00:00:00Z'));
  assert.equal(deadlineOf(at('2026-11-30T08:00:00Z'), false), at('2026-12-30T08:00:00Z'));
  assert.equal(deadlineOf(at('2026-11-30T08:00:00Z'), true), at('2027-02-28T08:00:00Z'));
});

describeEachDatabase('data-subject request engine', (kind) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(kind);
  });
  after(() => h.close());

  const open = (email: string, k: 'export' | 'erasure' | 'restriction' = 'export') =>
    openRequest(h.deps, { kind: k, userId: null, email, lang: 'en', channel: 'guest', verified: true });

  test('automated kinds start in progress, decisions wait for staff, and a repeat is marked as a duplicate', async () => {
    const { request } = await open('dup@example.test');
    assert.equal(request.state, 'in-progress');
    assert.equal(request.due_at, deadlineOf(request.received_at, false));
    const { request: decision } = await open('dup@example.test', 'restriction');
    assert.equal(decision.state, 'received');
    const again = await open('Dup@Example.test');
    assert.equal(again.duplicateOf?.id, request.id);
    assert.equal(again.request.duplicate_of, request.id);
    assert.equal(again.request.state, 'done');
    const events = await selectRequestEvents(h.deps.db, again.request.id);
    assert.deepEqual(
      events.map((e) => e.what),
      ['received', 'duplicate'],
    );
  });

  test('steps run once each, in order; a failure resumes at the failed step; five failures hand it to staff', async () => {
    const ran: string[] = [];
    let failB = 2;
    const steps: RequestStep[] = [
      { name: 'a', run: async () => void ran.push('a') },
      {
        name: 'b',
        run: async () => {
          ran.push('b');
          if (failB-- > 0) throw new Error('b fails');
        },
      },
      { name: 'c', run: async ({ results }) => void ran.push(`c:${String(results.has('a'))}`) },
    ];
    const runner = { deps: h.deps, steps: { export: steps } };
    const { request } = await open('steps@example.test');
    assert.equal(await runRequest(runner, request.id), false);
    assert.equal(await runRequest(runner, request.id), false);
    assert.equal(await runRequest(runner, request.id), true);
    assert.deepEqual(ran, ['a', 'b', 'b', 'b', 'c:true']);
    const done = await selectRequest(h.deps.db, request.id);
    assert.equal(done?.state, 'done');
    assert.equal(done?.attempts, 2);
    assert.equal(done?.lease_until, null);
    assert.deepEqual((await selectDoneSteps(h.deps.db, request.id)).map((s) => s.step).sort(), ['a', 'b', 'c']);
    assert.equal(await runRequest(runner, request.id), false, 'a done request does not run again');

    const failing = { deps: h.deps, steps: { export: [{ name: 'x', run: () => Promise.reject(new Error('no')) }] } };
    const { request: stuck } = await open('stuck@example.test');
    for (let i = 0; i < MAX_ATTEMPTS; i++) assert.equal(await runRequest(failing, stuck.id), false);
    const waiting = await selectRequest(h.deps.db, stuck.id);
    assert.equal(waiting?.state, 'waiting');
    assert.ok((await selectRequestEvents(h.deps.db, stuck.id)).some((e) => e.what === 'failed'));
    assert.ok(!h.logLines.join('\n').includes('stuck@example.test'), 'no address in the log');
  });

  test("another process's live lease holds a request; an expired one is taken over; an identity check waits", async () => {
    const steps = { export: [{ name: 'only', run: async () => undefined }] };
    const { request } = await open('lease@example.test');
    await updateRequest(h.deps.db, request.id, { lease_owner: 'other', lease_until: h.clock.now() + LEASE_MS });
    assert.equal(await runRequest({ deps: h.deps, steps }, request.id), false);
    h.clock.advance(LEASE_MS + 1);
    assert.equal(await runRequest({ deps: h.deps, steps }, request.id), true);

    const { request: checked } = await open('identity@example.test');
    await updateRequest(h.deps.db, checked.id, { identity_check: 1 });
    await runDueRequests({ deps: h.deps, steps });
    assert.equal(await runRequest({ deps: h.deps, steps }, checked.id), false, 'not even when run at once');
    assert.equal((await selectRequest(h.deps.db, checked.id))?.state, 'in-progress');
    await updateRequest(h.deps.db, checked.id, { identity_checked_at: h.clock.now() });
    await runDueRequests({ deps: h.deps, steps });
    assert.equal((await selectRequest(h.deps.db, checked.id))?.state, 'done');
  });

  test('an erasure request runs its four steps: the account is gone, one confirmation mail, the record kept', async () => {
    const person = await signedIn(h, { name: 'Erika Engine' });
    const { request } = await openRequest(h.deps, {
      kind: 'erasure',
      userId: person.id,
      email: person.email,
      lang: 'de',
      channel: 'account',
      verified: true,
    });
    assert.equal(await runRequest(runnerOf(h.deps), request.id), true);
    assert.deepEqual((await selectDoneSteps(h.deps.db, request.id)).map((s) => s.step).sort(), [
      'confirm-by-mail',
      'delete-files',
      'erase-records',
      'list-files',
    ]);
    assert.equal(
      await h.deps.db.selectFrom('users').select('id').where('id', '=', person.id).executeTakeFirst(),
      undefined,
    );
    const me = await person.b.api('GET', '/api/v1/me');
    assert.equal(me.statusCode, 401, 'the session ended with the account');
    const kept = await selectRequest(h.deps.db, request.id);
    assert.equal(kept?.state, 'done');
    assert.ok(kept?.restricted_at, 'the request record is kept, restricted');
    await deliverMail(h);
    const mails = h.mailer.to(person.email).filter((m) => m.subject === 'Ihre Daten wurden gelöscht');
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.text, /Kalenderjahres/, 'what is kept, with its end');
    assert.match(mails[0]!.text, /30 Tage/, 'and how long this mail itself is kept');
  });
});
