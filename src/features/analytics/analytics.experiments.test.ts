import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { markConversions } from './analytics.experiments.jobs.ts';
import { experimentStatistics, normalCdf, probabilityToBeat, wilsonInterval } from './analytics.experiments.stats.ts';
import { findExperimentByKey } from './analytics.experiments.queries.ts';
import { deleteExperiment, pickVariant, type Variant } from './analytics.experiments.ts';
import { createEventPartition, insertEvents } from './analytics.queries.ts';
import type { AnalyticsEventRow } from './analytics.tables.ts';
import { rawEvent } from './analytics.testing.ts';

const SAME_ORIGIN = { origin: 'http://127.0.0.1:3000', 'sec-fetch-site': 'same-origin' };
const BROWSER_HEADERS = {
  'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  'accept-language': 'en',
};

test('assignment is deterministic and follows the weights over 10,000 pseudonyms', () => {
  const share = (variants: Variant[], id: string) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 10_000; i++) {
      const v = pickVariant(id, `pseudonym-${i}`, variants);
      counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    return (key: string) => (counts.get(key) ?? 0) / 10_000;
  };
  const even = share(
    [
      { key: 'control', weight: 50 },
      { key: 'buy-now', weight: 50 },
    ],
    'exp-even',
  );
  assert.ok(Math.abs(even('control') - 0.5) < 0.02, `control ${even('control')}`);
  const skewed = share(
    [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 3 },
    ],
    'exp-skewed',
  );
  assert.ok(Math.abs(skewed('a') - 0.25) < 0.02, `a ${skewed('a')}`);
  const three = share(
    [
      { key: 'a', weight: 1 },
      { key: 'b', weight: 1 },
      { key: 'c', weight: 2 },
    ],
    'exp-three',
  );
  assert.ok(Math.abs(three('c') - 0.5) < 0.02 && Math.abs(three('a') - 0.25) < 0.02, `${three('a')} ${three('c')}`);
  // The same pseudonym always gets the same variant; another experiment draws anew.
  const variants = [
    { key: 'x', weight: 1 },
    { key: 'y', weight: 1 },
  ];
  for (let i = 0; i < 100; i++)
    assert.equal(pickVariant('e1', `p${i}`, variants), pickVariant('e1', `p${i}`, variants));
  const differs = Array.from(
    { length: 100 },
    (_, i) => pickVariant('e1', `p${i}`, variants) !== pickVariant('e2', `p${i}`, variants),
  );
  assert.ok(differs.some(Boolean), 'experiments draw independently');
});

test('the statistics match known values: Wilson intervals and the probability to beat the control', () => {
  const close = (actual: number | undefined, expected: number, tolerance: number, what: string) =>
    assert.ok(actual !== undefined && Math.abs(actual - expected) < tolerance, `${what}: ${actual} ≠ ${expected}`);
  // Wilson 95% for 10 of 100: 5.52% to 17.44%; for 0 of 50: 0 to 7.13%; none for no exposures.
  const ten = wilsonInterval(10, 100);
  close(ten?.low, 0.0552291, 1e-6, 'low 10/100');
  close(ten?.high, 0.1743657, 1e-6, 'high 10/100');
  close(wilsonInterval(0, 50)?.low, 0, 1e-9, 'low 0/50');
  close(wilsonInterval(0, 50)?.high, 0.0713476, 1e-6, 'high 0/50');
  assert.equal(wilsonInterval(0, 0), null);
  close(normalCdf(1.959963985), 0.975, 1e-6, 'Φ(1.96)');
  // Exact values by numerical integration of the Beta posteriors (scipy): the normal approximation stays close.
  close(
    probabilityToBeat({ conversions: 120, exposures: 1000 }, { conversions: 100, exposures: 1000 }),
    0.92318,
    0.005,
    '120 vs 100 of 1000',
  );
  close(
    probabilityToBeat({ conversions: 30, exposures: 200 }, { conversions: 20, exposures: 200 }),
    0.93331,
    0.01,
    '30 vs 20 of 200',
  );
  close(
    probabilityToBeat({ conversions: 100, exposures: 1000 }, { conversions: 100, exposures: 1000 }),
    0.5,
    1e-9,
    'equal',
  );
  close(
    probabilityToBeat({ conversions: 1, exposures: 1 }, { conversions: 0, exposures: 0 }),
    2 / 3,
    0.01,
    'Beta(2,1) vs uniform',
  );
  const rows = experimentStatistics(
    [
      { key: 'control', weight: 1 },
      { key: 'buy-now', weight: 1 },
      { key: 'unseen', weight: 1 },
    ],
    [
      { variant: 'control', exposures: 1000, conversions: 100 },
      { variant: 'buy-now', exposures: 1000, conversions: 120 },
    ],
  );
  assert.deepEqual(
    rows.map((r) => [r.key, r.exposures, r.conversions, r.rate]),
    [
      ['control', 1000, 100, 0.1],
      ['buy-now', 1000, 120, 0.12],
      ['unseen', 0, 0, null],
    ],
  );
  assert.equal(rows[0]?.beatsControl, null);
  close(rows[1]?.beatsControl ?? undefined, 0.92318, 0.005, 'table');
});

describeEachDatabase('experiments', (db) => {
  let h: Harness;
  let staff: Account;
  let slug: string;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    staff = await staffMember(h);
    // The demo's draft of the same key (analytics.seed.ts) makes way for the experiments these tests create.
    const seeded = await findExperimentByKey(h.deps.db, 'product-cta');
    assert.equal(seeded?.state, 'draft', 'the demo data holds a draft for the product page');
    await deleteExperiment(h.deps, seeded.id);
    const product = await h.deps.db
      .selectFrom('products')
      .select('slug')
      .where('status', '=', 'active')
      .where((eb) => eb.or([eb('stock', 'is', null), eb('stock', '>', 0)]))
      .orderBy('slug')
      .executeTakeFirstOrThrow();
    slug = product.slug;
  });
  after(() => h.close());

  const form = (fields: Record<string, string> = {}) => ({
    key: 'product-cta',
    name: 'Wording of the basket button',
    changes: 'The product page’s add-to-basket button',
    goal_kind: 'add-to-basket',
    goal_path: '',
    variant_key_1: 'control',
    variant_weight_1: '50',
    variant_key_2: 'buy-now',
    variant_weight_2: '50',
    ...fields,
  });

  async function create(fields: Record<string, string> = {}): Promise<string> {
    const res = await staff.b.submit('/staff/experiments', '/staff/experiments', form(fields));
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
    return String(res.headers.location).split('/').at(-1)!;
  }
  async function act(id: string, action: 'start' | 'stop' | 'delete'): Promise<void> {
    const page = action === 'stop' ? `/staff/experiments/${id}/stop` : `/staff/experiments/${id}`;
    const res = await staff.b.submit(page, `/staff/experiments/${id}/${action}`, {});
    assert.equal(res.statusCode, 303, res.body.slice(0, 800));
  }
  const assignments = (id: string) =>
    h.deps.db.selectFrom('analytics_assignments').selectAll().where('experiment_id', '=', id).execute();

  /** A visitor who consented to statistics in the cookie banner. */
  async function consenting(ip: string): Promise<Browser> {
    const b = new Browser(h.app, ip, BROWSER_HEADERS);
    const res = await b.post(
      '/consent',
      [
        ['action', 'custom'],
        ['categories', 'statistics'],
      ],
      {
        ...SAME_ORIGIN,
        referer: 'http://127.0.0.1:3000/shop',
      },
    );
    assert.ok(res.statusCode < 400, res.body.slice(0, 300));
    return b;
  }
  const buttonOf = async (b: Browser) => {
    const page = await b.get(`/shop/${slug}`);
    assert.equal(page.statusCode, 200);
    const text = /<form method="post" action="\/basket\/items">[\s\S]*?<button type="submit">([^<]+)<\/button>/.exec(
      page.body,
    )?.[1];
    assert.ok(text, 'the product page has its basket button');
    return text;
  };

  test('staff create, change and start an experiment; a started one can no longer be changed', async () => {
    const id = await create({ key: 'staff-flow' });
    const list = await staff.b.get('/staff/experiments');
    assert.match(list.body, /Wording of the basket button/);
    const changed = await staff.b.submit(
      `/staff/experiments/${id}`,
      `/staff/experiments/${id}`,
      form({ key: 'staff-flow', name: 'Renamed' }),
    );
    assert.equal(changed.statusCode, 303);
    assert.match((await staff.b.get(`/staff/experiments/${id}`)).body, /<h1>Renamed<\/h1>/);
    await act(id, 'start');
    const again = await staff.b.submit(
      `/staff/experiments/${id}`,
      `/staff/experiments/${id}`,
      form({ key: 'staff-flow' }),
    );
    assert.equal(again.statusCode, 409);
    const stopPage = await staff.b.get(`/staff/experiments/${id}/stop`);
    assert.match(stopPage.body, /Stop “Renamed”\?/);
    await act(id, 'stop');
    const draft = await create({ key: 'to-delete' });
    await act(draft, 'delete');
    assert.equal((await staff.b.get(`/staff/experiments/${draft}`)).statusCode, 404);
  });

  test('invalid forms are refused with 400 and a message in the visitor’s language', async () => {
    const page = await staff.b.get('/staff/experiments');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    for (const [lang, message] of [
      ['en', /Enter a key of 2 to 41 characters/],
      ['de', /Geben Sie einen Schlüssel aus 2 bis 41 Zeichen ein/],
    ] as const) {
      const bad = await staff.b.post(
        '/staff/experiments',
        { _csrf: csrf, ...form({ key: 'Bad Key', variant_key_2: '', variant_weight_2: '' }) },
        { 'accept-language': lang },
      );
      assert.equal(bad.statusCode, 400, bad.body.slice(0, 300));
      assert.match(bad.body, message);
      assert.match(bad.body, lang === 'en' ? /Give 2 to 5 variants/ : /Geben Sie 2 bis 5 Varianten an/);
    }
    const noPath = await staff.b.post('/staff/experiments', {
      _csrf: csrf,
      ...form({ key: 'no-path', goal_kind: 'pageview' }),
    });
    assert.equal(noPath.statusCode, 400);
    assert.match(noPath.body, /Enter the path of the page/);
    const badWeight = await staff.b.post('/staff/experiments', {
      _csrf: csrf,
      ...form({ key: 'bad-weight', variant_weight_2: '0' }),
    });
    assert.equal(badWeight.statusCode, 400);
    const twice = await staff.b.post('/staff/experiments', {
      _csrf: csrf,
      ...form({ key: 'dup', variant_key_2: 'control' }),
    });
    assert.equal(twice.statusCode, 400);
    await create({ key: 'taken' });
    const taken = await staff.b.post('/staff/experiments', { _csrf: csrf, ...form({ key: 'taken' }) });
    assert.equal(taken.statusCode, 400);
    assert.match(taken.body, /already uses this key/);
  });

  test('customers are refused and signed-out visitors are not let in', async () => {
    const customer = await signedIn(h);
    for (const path of ['/staff/experiments', '/staff/experiments/x/results'])
      assert.equal((await customer.b.get(path)).statusCode, 403, path);
    const anonymous = new Browser(h.app, '198.51.100.40');
    const res = await anonymous.get('/staff/experiments');
    assert.ok([303, 401].includes(res.statusCode), String(res.statusCode));
    assert.doesNotMatch(res.body, /New experiment/);
  });

  test('without statistics consent a visitor sees the control and is not assigned; with it the same variant on every day', async () => {
    const id = await create();
    await act(id, 'start');
    // No consent: the control, and no assignment.
    const plain = new Browser(h.app, '198.51.100.20', BROWSER_HEADERS);
    assert.equal(await buttonOf(plain), 'Add to basket');
    await h.app.analyticsRecorder.flush();
    assert.equal((await assignments(id)).length, 0);
    // With consent: the variant sha256(id, pseudonym) picks, recorded once.
    const b = await consenting('198.51.100.21');
    const first = await buttonOf(b);
    await buttonOf(b);
    await h.app.analyticsRecorder.flush();
    const rows = await assignments(id);
    assert.equal(rows.length, 1);
    const row = rows[0]!;
    const variants = [
      { key: 'control', weight: 50 },
      { key: 'buy-now', weight: 50 },
    ];
    assert.equal(row.variant, pickVariant(id, row.pseudonym, variants));
    assert.equal(first, row.variant === 'buy-now' ? 'Buy now' : 'Add to basket');
    // The next day (a new salt, a new visitor hash) the pseudonym and so the variant stay.
    h.clock.advance(DAY);
    staff = await staffMember(h); // a day later the first staff session has ended
    assert.equal(await buttonOf(b), first);
    await h.app.analyticsRecorder.flush();
    assert.deepEqual(
      (await assignments(id)).map((r) => [r.pseudonym, r.variant]),
      [[row.pseudonym, row.variant]],
    );
    // Enough consenting visitors see both wordings.
    const seen = new Set([first]);
    for (let i = 0; i < 20 && seen.size < 2; i++) seen.add(await buttonOf(await consenting(`198.51.100.${100 + i}`)));
    assert.deepEqual([...seen].sort(), ['Add to basket', 'Buy now']);
    await act(id, 'stop');
    // Stopped: everyone sees the control again and no one is assigned.
    assert.equal(await buttonOf(b), 'Add to basket');
  });

  test('stopping keeps the aggregates per variant and deletes the raw assignments in one go', async () => {
    const id = await create({ key: 'stop-keeps' });
    await act(id, 'start');
    const at = h.clock.now();
    for (let i = 0; i < 30; i++)
      h.app.analyticsRecorder.recordExposure({
        experimentId: id,
        pseudonym: `stop-${i}`,
        variant: i % 3 === 0 ? 'control' : 'buy-now',
        at,
      });
    await h.app.analyticsRecorder.flush();
    await h.deps.db
      .updateTable('analytics_assignments')
      .set({ converted_at: at + 1000 })
      .where('experiment_id', '=', id)
      .where('pseudonym', 'in', ['stop-0', 'stop-1', 'stop-2', 'stop-4'])
      .execute();
    const running = await staff.b.get(`/staff/experiments/${id}/results`);
    assert.match(running.body, /Running: figures from the current assignments/);
    await act(id, 'stop');
    assert.equal((await assignments(id)).length, 0, 'the raw assignments are gone');
    const kept = await h.deps.db
      .selectFrom('analytics_experiment_results')
      .select(['variant', 'exposures', 'conversions'])
      .where('experiment_id', '=', id)
      .orderBy('variant')
      .execute();
    assert.deepEqual(kept, [
      { variant: 'buy-now', exposures: 20, conversions: 3 },
      { variant: 'control', exposures: 10, conversions: 1 },
    ]);
    const results = await staff.b.get(`/staff/experiments/${id}/results`);
    assert.equal(results.statusCode, 200);
    assert.match(results.body, /Stopped: figures kept/);
    assert.match(results.body, /<td data-label="Exposures">20<\/td><td data-label="Conversions">3<\/td>/);
    assert.match(results.body, /<svg viewBox="[^"]+" role="img" aria-labelledby="rates-title rates-desc"/);
    assert.match(results.body, /<desc id="rates-desc">control: 10\.0% \(95% interval/);
    // An exposure another process queued before it learnt of the stop is removed by the next job run.
    h.app.analyticsRecorder.recordExposure({ experimentId: id, pseudonym: 'late', variant: 'control', at });
    await h.app.analyticsRecorder.flush();
    await markConversions(h.deps);
    assert.equal((await assignments(id)).length, 0);
  });

  test('mark-conversions finds goal events at or after assignment in yesterday’s and today’s tables, idempotently', async () => {
    const now = h.clock.now();
    const basket = await create({ key: 'conv-basket' });
    const page = await create({ key: 'conv-page', goal_kind: 'pageview', goal_path: '/checkout' });
    await act(basket, 'start');
    await act(page, 'start');
    const assignedAt = now - DAY + 1000;
    const assign = async (experimentId: string, pseudonym: string, at = assignedAt) =>
      h.deps.db
        .insertInto('analytics_assignments')
        .values({ experiment_id: experimentId, pseudonym, variant: 'control', assigned_at: at, converted_at: null })
        .execute();
    for (const p of ['yesterday', 'today', 'before', 'other-goal', 'never']) await assign(basket, p);
    await assign(page, 'viewer');
    await assign(page, 'wrong-path');
    const event = (at: number, fields: Partial<AnalyticsEventRow>) =>
      rawEvent(at, { kind: 'goal', path: '/basket/items', target: 'add-to-basket', ...fields });
    const yesterday = now - DAY + 5000;
    const today = now - 1000;
    const rows: [number, AnalyticsEventRow[]][] = [
      [
        yesterday,
        [
          event(yesterday, { pseudonym: 'yesterday' }),
          event(assignedAt - 500, { pseudonym: 'before' }),
          event(yesterday, { pseudonym: 'other-goal', target: 'order' }),
          event(yesterday, { pseudonym: 'viewer', kind: 'pageview', path: '/checkout', target: null }),
        ],
      ],
      [
        today,
        [
          event(today, { pseudonym: 'yesterday' }),
          event(today, { pseudonym: 'today' }),
          event(today, { pseudonym: 'wrong-path', kind: 'pageview', path: '/basket', target: null }),
          event(today, { pseudonym: 'nobody-assigned' }),
        ],
      ],
    ];
    for (const [day, events] of rows) {
      await createEventPartition(h.deps.db, day);
      await insertEvents(h.deps.db, day, events);
    }
    await markConversions(h.deps);
    const converted = async () =>
      Object.fromEntries(
        (
          await h.deps.db
            .selectFrom('analytics_assignments')
            .select(['pseudonym', 'converted_at'])
            .where('experiment_id', 'in', [basket, page])
            .execute()
        ).map((r) => [r.pseudonym, r.converted_at]),
      );
    const expected = {
      yesterday,
      today,
      before: null,
      'other-goal': null,
      never: null,
      viewer: yesterday,
      'wrong-path': null,
    };
    assert.deepEqual(await converted(), expected);
    await markConversions(h.deps);
    assert.deepEqual(await converted(), expected, 'a second run changes nothing');
  });
});
