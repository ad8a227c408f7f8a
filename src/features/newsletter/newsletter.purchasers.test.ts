import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BERLIN, deliverMail, fillBasket, signedIn } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { sendSimilarProductMails } from '../advertising/index.ts';
import { deliverDueMail } from '../mail/index.ts';

const linkIn = (text: string, path: string): string => {
  const m = new RegExp(`https?://\\S*${path.replace(/\//g, '\\/')}\\?\\S+`).exec(text);
  if (!m) throw new Error(`no ${path} link in mail`);
  const u = new URL(m[0]);
  return `${u.pathname}${u.search}`;
};

describeEachDatabase('purchasers and demo downloaders', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
  });
  after(() => h.close());
  const rowsOf = (email: string) =>
    h.deps.db.selectFrom('newsletter_subscriptions').selectAll().where('email', '=', email).execute();
  let n = 0;
  const order = async (b: Awaited<ReturnType<typeof signedIn>>['b'], choices?: Record<string, boolean>) => {
    await fillBasket(h, b, ['driftwood-reverb']);
    return b.api(
      'POST',
      '/api/v1/orders',
      { billingAddress: BERLIN, payment: { method: 'wallet' }, ...(choices ? { choices } : {}) },
      { 'idempotency-key': `nl-order-${++n}-${process.pid}` },
    );
  };

  test('the checkout shows the notice and the box before the order; buying enrols with origin purchase; ticking it objects', async () => {
    const buyer = await signedIn(h);
    await fillBasket(h, buyer.b, ['driftwood-reverb']);
    const page = (await buyer.b.get('/checkout')).body;
    assert.match(page, /id="notice-noProductSuggestions"/);
    assert.match(page, /<input id="f-noProductSuggestions" type="checkbox" name="noProductSuggestions" value="1"/);
    assert.ok(page.indexOf('notice-noProductSuggestions') < page.indexOf('type="submit">Buy now'));
    assert.equal((await order(buyer.b, { noProductSuggestions: false })).statusCode, 201);
    const [row] = await rowsOf(buyer.email);
    assert.equal(row?.list, 'similar-products');
    assert.equal(row?.origin, 'purchase');
    assert.equal(row?.status, 'confirmed');
    assert.match(row?.consent_text ?? '', /object/);

    const objector = await signedIn(h);
    assert.equal((await order(objector.b, { noProductSuggestions: true })).statusCode, 201);
    assert.deepEqual(await rowsOf(objector.email), []);
    const objection = await h.deps.db
      .selectFrom('processing_objections')
      .selectAll()
      .where('user_id', '=', objector.id)
      .executeTakeFirst();
    assert.equal(objection?.via, 'checkout');
    // An unknown choice is refused and nothing is placed.
    const unknown = await order(objector.b, { somethingElse: true });
    assert.equal(unknown.statusCode, 400);
  });

  test('a demo download subscribes only when the box is ticked and the address confirmed', async () => {
    const person = await signedIn(h);
    const plain = await person.b.submit('/shop/aurora-synth/demo/start', '/shop/aurora-synth/demo', {
      email: person.email,
    });
    assert.equal(plain.statusCode, 200);
    assert.deepEqual(await rowsOf(person.email), [], 'subscribed without the box');
    const ticked = await person.b.submit('/shop/aurora-synth/demo/start', '/shop/aurora-synth/demo', {
      email: person.email,
      newsletter: '1',
    });
    assert.equal(ticked.statusCode, 200);
    const [pending] = await rowsOf(person.email);
    assert.equal(pending?.status, 'pending');
    assert.equal(pending?.origin, 'demo-download');
    assert.equal(pending?.source, 'demo-download:aurora-synth');
    await deliverMail(h);
    const mail = h.mailer.to(person.email).find((m) => m.subject === 'Please confirm your newsletter subscription')!;
    await person.b.get(linkIn(mail.text, '/newsletter/confirm'));
    assert.equal((await person.b.post('/newsletter/confirm', {})).statusCode, 200);
    const [confirmed] = await rowsOf(person.email);
    assert.equal(confirmed?.status, 'confirmed');
    assert.equal(confirmed?.user_id, person.id);
    // The unsubscribe link in the first marketing mail (the welcome mail) works.
    await deliverMail(h);
    const welcome = h.mailer.to(person.email).find((m) => m.subject === 'Welcome to the newsletter')!;
    await person.b.get(linkIn(welcome.text, '/newsletter/unsubscribe'));
    const done = await person.b.post('/newsletter/unsubscribe', { scope: 'list' });
    assert.equal(done.statusCode, 200, done.body);
    assert.equal((await rowsOf(person.email))[0]?.status, 'unsubscribed');
    // The account lists it with its origin.
    assert.match((await person.b.get('/account/subscriptions')).body, /a demo download, confirmed by mail/);
  });
  test('an API order that leaves out the choice (no notice shown) enrols nobody and records nothing', async () => {
    const buyer = await signedIn(h);
    assert.equal((await order(buyer.b)).statusCode, 201);
    assert.deepEqual(await rowsOf(buyer.email), [], 'enrolled without the § 7(3) notice');
    assert.equal((await order(buyer.b, {})).statusCode, 201);
    assert.deepEqual(await rowsOf(buyer.email), [], 'enrolled by an empty choices object');
    const objections = await h.deps.db
      .selectFrom('processing_objections')
      .selectAll()
      .where('user_id', '=', buyer.id)
      .execute();
    assert.deepEqual(objections, []);
    // Sent with the box (false: left unticked), the order enrols.
    assert.equal((await order(buyer.b, { noProductSuggestions: false })).statusCode, 201);
    assert.equal((await rowsOf(buyer.email))[0]?.origin, 'purchase');
  });

  test('the API document gives the § 7(3) notice with choices.noProductSuggestions and says leaving it out enrols nobody', async () => {
    const doc = (await h.app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    const body = doc.paths['/api/v1/orders'].post.requestBody.content['application/json'].schema;
    const described = JSON.stringify(body.properties.choices.properties.noProductSuggestions);
    assert.match(described, /object to our using your email address for such suggestions at any time/);
    assert.match(described, /[Ll]eft out.*enrols nobody|enrols nobody.*left out/);
  });

  test('objecting at checkout stops suggestion mails already queued for the buyer', async () => {
    const buyer = await signedIn(h);
    assert.equal((await order(buyer.b, { noProductSuggestions: false })).statusCode, 201);
    await sendSimilarProductMails(h.deps);
    assert.equal((await order(buyer.b, { noProductSuggestions: true })).statusCode, 201);
    // Delivered as the delivery job does it: a marketing mail meets the suppression list as it leaves.
    await deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
      suppressionKey: h.deps.config.suppressionKey,
    });
    assert.deepEqual(
      h.mailer.to(buyer.email).filter((m) => m.subject === 'To go with your products'),
      [],
      'a suggestion queued before the objection went out',
    );
  });

  test('switching the newsletter on in the account sends the welcome mail with its one-click unsubscribe', async () => {
    const person = await signedIn(h);
    const on = await person.b.submit('/account/subscriptions', '/account/subscriptions', {
      list: 'newsletter',
      on: 'yes',
    });
    assert.equal(on.statusCode, 303, on.body);
    assert.equal((await rowsOf(person.email))[0]?.status, 'confirmed');
    await deliverMail(h);
    const welcome = h.mailer.to(person.email).filter((m) => m.subject === 'Welcome to the newsletter');
    assert.equal(welcome.length, 1, 'no welcome mail after subscribing in the account');
    assert.equal(welcome[0]!.headers?.['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    assert.match(welcome[0]!.text, /\/newsletter\/unsubscribe\?s=/);
  });
});
