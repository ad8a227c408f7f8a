import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { asRole } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { deliverDueMail } from '../mail/index.ts';
import { sendSimilarProductMails } from './index.ts';

describeEachDatabase('advertising to purchasers', (db) => {
  let h: Harness;
  const buyers: Record<string, Browser> = {};
  const deliver = () =>
    deliverDueMail({
      db: h.deps.db,
      clock: h.clock,
      mailer: h.mailer,
      log: h.deps.log,
      from: 'shop@test',
      secret: h.deps.config.secret,
      // As the delivery job does: a marketing mail meets the suppression list as it leaves.
      suppressionKey: h.deps.config.suppressionKey,
    });

  before(async () => {
    h = await openHarness(db, { seed: true, env: { RATE_LIMIT_AUTH_PER_MINUTE: '1000' } });
    const product = (await new Browser(h.app).api('GET', '/api/v1/products/driftwood-reverb')).json().id;
    for (const name of ['ann', 'ben', 'cem', 'dora']) {
      const b = new Browser(h.app);
      const email = `${name}@example.org`;
      await b.api('POST', '/api/v1/accounts', { name, email, password: 'maple harbour thunder' });
      await b.api('POST', '/api/v1/sessions', { email, password: 'maple harbour thunder' });
      await deliver();
      await b.get(linkIn(h.mailer.to(email)[0]!.text, '/account/verify'));
      if (name !== 'dora') {
        await b.api('POST', '/api/v1/basket/items', { productId: product, quantity: 1 });
        assert.equal(
          (
            await b.api(
              'POST',
              '/api/v1/orders',
              {
                billingAddress: { name, street: 'A 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
                payment: { method: 'wallet' },
                // The box was offered (as on the checkout page) and left unticked: enrolled after the notice.
                choices: { noProductSuggestions: false },
              },
              { 'idempotency-key': `ad-${name}-order` },
            )
          ).statusCode,
          201,
        );
      }
      buyers[name] = b;
    }
    await deliver();
  });
  after(() => h.close());

  const suggestionsTo = (email: string) => h.mailer.to(email).filter((m) => m.subject === 'To go with your products');

  test('purchasers get suggestions with a one-click opt-out; objectors, restricted persons and non-buyers get none', async () => {
    // ben objects in his account; cem asks for erasure (his order is kept, restricted); dora never bought.
    await buyers.ben!.submit('/account/advertising', '/account/advertising', { object: 'yes' });
    await eraseSubjectData(h.deps, 'cem@example.org');
    assert.equal(await sendSimilarProductMails(h.deps), 1);
    await deliver();
    const mail = suggestionsTo('ann@example.org')[0]!;
    assert.match(mail.text, /Tidal Delay|Ember Drive|Quartz Compressor|Prism EQ/);
    assert.doesNotMatch(mail.text, /Driftwood Reverb/, 'not what she already owns');
    assert.equal(mail.headers?.['List-Unsubscribe-Post'], 'List-Unsubscribe=One-Click');
    // § 7(3) no. 4 UWG: the notice of the right to object at basic rates only, in every such mail.
    assert.match(
      mail.text,
      /You may object to our using your email address for such suggestions at any time, without incurring any costs other than the transmission costs at the basic rates\./,
    );
    for (const email of ['ben@example.org', 'cem@example.org', 'dora@example.org'])
      assert.deepEqual(suggestionsTo(email), []);

    // The one-click POST a mail client sends: no session, no CSRF token, only the signed link.
    const link = new URL(/<(.+)>/.exec(mail.headers?.['List-Unsubscribe'] ?? '')![1]!);
    const forged = await h.app.inject({
      method: 'POST',
      url: `${link.pathname}?u=${link.searchParams.get('u')}&t=wrong`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(forged.statusCode, 400);
    const oneClick = await h.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(oneClick.statusCode, 200);
    assert.equal(await sendSimilarProductMails(h.deps), 0);
    assert.match((await buyers.ann!.get('/account/advertising')).body, /You have objected/);
  });

  test('the opt-out link from a mail moves its token out of the address, sends no referrer, and the page confirms with it', async () => {
    // Ann takes back the objection she made by one click in the test before.
    await buyers.ann!.submit('/account/advertising', '/account/advertising', { object: 'no' });
    assert.equal(await sendSimilarProductMails(h.deps), 1);
    await deliver();
    const mail = suggestionsTo('ann@example.org').at(-1)!;
    const link = new URL(/<(.+)>/.exec(mail.headers?.['List-Unsubscribe'] ?? '')![1]!);
    const opened = await h.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    assert.equal(opened.statusCode, 303);
    assert.equal(opened.headers.location, '/advertising/opt-out');
    assert.equal(opened.headers['referrer-policy'], 'no-referrer');
    const cookie = [opened.headers['set-cookie']].flat().find((c) => c?.includes('Path=/advertising/opt-out'));
    assert.ok(cookie && /HttpOnly/i.test(cookie) && /SameSite=Strict/i.test(cookie), String(cookie));
    const pair = cookie.split(';')[0]!;
    const page = await h.app.inject({ method: 'GET', url: '/advertising/opt-out', headers: { cookie: pair } });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['referrer-policy'], 'no-referrer');
    assert.ok(!page.body.includes(link.searchParams.get('t')!), 'the page repeats the token');
    // Without the cookie (another site posting) nothing changes; with it, the objection is recorded.
    const foreign = await h.app.inject({
      method: 'POST',
      url: '/advertising/opt-out',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(foreign.statusCode, 400);
    assert.equal(await sendSimilarProductMails(h.deps), 1, 'a post without the kept token recorded an objection');
    const confirmed = await h.app.inject({
      method: 'POST',
      url: '/advertising/opt-out',
      headers: { cookie: pair, 'content-type': 'application/x-www-form-urlencoded' },
      payload: '',
    });
    assert.equal(confirmed.statusCode, 200);
    assert.equal(await sendSimilarProductMails(h.deps), 0);
    await deliver();
  });

  test('a German-speaking purchaser’s mail carries the § 7 Abs. 3 UWG notice in German, with both ways to object', async () => {
    await buyers.ann!.submit('/account/advertising', '/account/advertising', { object: 'no' });
    await h.deps.db.updateTable('users').set({ lang: 'de' }).where('email', '=', 'ann@example.org').execute();
    try {
      await sendSimilarProductMails(h.deps);
      await deliver();
      const mail = h.mailer
        .to('ann@example.org')
        .filter((m) => m.subject === 'Passend zu Ihren Produkten')
        .at(-1);
      assert.ok(mail, 'a German suggestion mail');
      assert.match(
        mail.text,
        /Sie können der Verwendung Ihrer E-Mail-Adresse für solche Vorschläge jederzeit widersprechen, ohne dass hierfür andere als die Übermittlungskosten nach den Basistarifen entstehen\./,
      );
      assert.match(mail.text, /\/advertising\/opt-out\?u=/, 'the one-click link');
      assert.match(mail.text, /\/account\/advertising/, 'the account page');
      assert.doesNotMatch(mail.text, /You may object/, 'no English in the German mail');
    } finally {
      await h.deps.db.updateTable('users').set({ lang: 'en' }).where('email', '=', 'ann@example.org').execute();
    }
  });

  test('staff cannot send suggestion mails from a route: POST /staff/advertising/send answers 404', async () => {
    await asRole(h, { b: buyers.dora!, email: 'dora@example.org' }, 'staff');
    const before = suggestionsTo('ann@example.org').length;
    const sent = await buyers.dora!.submit('/account/advertising', '/staff/advertising/send', {});
    assert.equal(sent.statusCode, 404);
    await deliver();
    assert.equal(suggestionsTo('ann@example.org').length, before, 'no further mail was queued');
  });
  test('an objection in the account or by the one-click link stops suggestions already queued; lifting it lets new ones go', async () => {
    const ann = buyers.ann!;
    await ann.submit('/account/advertising', '/account/advertising', { object: 'no' });
    await deliver();
    const sent = () => suggestionsTo('ann@example.org').length;
    const start = sent();
    // Suggestions queued for Ann by one run (others may get theirs too when this test runs alone).
    const queuedForAnn = async () => {
      const count = async () =>
        (
          await h.deps.db
            .selectFrom('outbox')
            .select('id')
            .where('recipient', '=', 'ann@example.org')
            .where('list', '=', 'similar-products')
            .execute()
        ).length;
      const before = await count();
      await sendSimilarProductMails(h.deps);
      return (await count()) - before;
    };

    assert.equal(await queuedForAnn(), 1);
    await ann.submit('/account/advertising', '/account/advertising', { object: 'yes' });
    await deliver();
    assert.equal(sent(), start, 'a suggestion queued before the objection in the account went out');

    await ann.submit('/account/advertising', '/account/advertising', { object: 'no' });
    assert.equal(await queuedForAnn(), 1);
    await deliver();
    assert.equal(sent(), start + 1, 'taking the objection back did not let suggestions go again');

    const mail = suggestionsTo('ann@example.org').at(-1)!;
    const link = new URL(/<(.+)>/.exec(mail.headers?.['List-Unsubscribe'] ?? '')![1]!);
    assert.equal(await queuedForAnn(), 1);
    const oneClick = await h.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(oneClick.statusCode, 200);
    await deliver();
    assert.equal(sent(), start + 1, 'a suggestion queued before the one-click objection went out');
  });
});
