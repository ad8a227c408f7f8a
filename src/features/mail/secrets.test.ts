// Links that grant access (password reset, account set-up, address verification, one-click unsubscribe) exist only
// in the message as sent: no table cell, log line or page that staff, DPO or admin can reach holds a working one.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { simpleParser } from 'mailparser';
import { listTables } from '../../platform/db/dialect.ts';
import { createFileMailer, createSmtpMailer } from '../../platform/email/mailer.ts';
import { issueSecret } from '../../platform/secret-links.ts';
import { selectAllRows } from '../../privacy/retention.queries.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { asRole, enrolledSecret } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { TestSmtpServer } from '../../testing/smtp.ts';
import { createStaffUser } from '../accounts/index.ts';
import { sendSimilarProductMails } from '../advertising/index.ts';
import { deliverDueMail, enqueueMail } from './index.ts';

const PASSWORD = 'amber falcon meadow';
const NEW_PASSWORD = 'copper lantern harbour';
const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };

const deliver = (h: Harness) =>
  deliverDueMail({
    db: h.deps.db,
    clock: h.clock,
    mailer: h.deps.mailer,
    log: h.deps.log,
    from: 'shop@test',
    secret: h.deps.config.secret,
  });

async function databaseText(h: Harness): Promise<string> {
  await h.deps.usageLog.flush();
  const parts: string[] = [];
  for (const table of await listTables(h.deps.db, h.deps.dbKind))
    parts.push(`${table}: ${JSON.stringify(await selectAllRows(h.deps.db, table))}`);
  return parts.join('\n');
}

/** Every token a delivered mail carries in a link (`?token=`, the unsubscribe `&t=`), text, HTML and headers. */
function mailedSecrets(h: Harness, filter: (text: string) => boolean = () => true): string[] {
  const found = new Set<string>();
  for (const mail of h.mailer.sent) {
    for (const text of [mail.text, mail.html ?? '', ...Object.values(mail.headers ?? {})]) {
      if (!filter(text)) continue;
      for (const m of text.matchAll(/(?:[?&]|&amp;)(?:token|t)=([A-Za-z0-9_-]{16,})/g)) found.add(m[1]!);
    }
  }
  return [...found];
}

/** Opens a mailed link as a browser does, following redirects (token links may move the token out of the address). */
async function openLink(browser: Browser, link: string) {
  let res = await browser.get(link);
  for (let i = 0; i < 3 && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location; i++)
    res = await browser.get(String(res.headers.location));
  return res;
}

/** The session cookie's token of each signed-in browser. */
function sessionTokens(browsers: Browser[]): string[] {
  return browsers
    .map((b) => /(?:^|; )[^=;]*candor_session=([^;]+)/.exec(b.cookieHeader())?.[1])
    .filter((t): t is string => t !== undefined);
}

/** GET routes of the app, read from Fastify's route tree (children's paths continue their parent's). */
function getRoutes(app: FastifyInstance): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const at = line.search(/[├└]── /);
    if (at < 0) continue;
    const depth = at / 4;
    const m = /^(\S+)(?: \((.*)\))?$/.exec(line.slice(at + 4).trim());
    if (!m) continue;
    const path = (depth === 0 ? '' : (stack[depth - 1] ?? '')) + m[1]!;
    stack[depth] = path;
    if ((m[2] ?? '').split(', ').includes('GET')) routes.push(path);
  }
  return routes;
}

/** Reads every GET route without parameters and every same-site link reachable from them, as one signed-in person. */
async function crawl(browser: Browser, seeds: string[], limit = 600): Promise<Map<string, string>> {
  const pages = new Map<string, string>();
  const queue = [...seeds];
  while (queue.length > 0 && pages.size < limit) {
    const url = queue.shift()!;
    if (pages.has(url)) continue;
    const res = await browser.get(url);
    pages.set(url, `${JSON.stringify(res.headers)}\n${res.body}`);
    if (!String(res.headers['content-type'] ?? '').includes('text/html')) continue;
    for (const m of res.body.matchAll(/(?:href|src)="([^"]+)"/g)) {
      const raw = m[1]!.replaceAll('&amp;', '&');
      if (!raw.startsWith('/') && !raw.startsWith('http://127.0.0.1:3000/')) continue;
      // Language links only set a cookie and come back; following them would double the crawl for nothing.
      if (raw.startsWith('//') || raw.startsWith('/preferences/language')) continue;
      const target = new URL(raw, 'http://127.0.0.1:3000');
      const next = `${target.pathname}${target.search}`;
      if (!pages.has(next)) queue.push(next);
    }
  }
  return pages;
}

describeEachDatabase('secret links are never stored readable', (db) => {
  let h: Harness;
  const people = {
    staff: { name: 'Stan Staff', email: 'stan@example.org' },
    dpo: { name: 'Dana Dpo', email: 'dana@example.org' },
    admin: { name: 'Ada Admin', email: 'ada@example.org' },
    cora: { name: 'Cora Customer', email: 'cora@example.org' },
    carl: { name: 'Carl Unverified', email: 'carl@example.org' },
    bea: { name: 'Bea Buyer', email: 'bea@example.org' },
  };
  const browsers: Record<string, Browser> = {};
  let setupLink = '';

  before(async () => {
    h = await openHarness(db, { seed: true, env: ENV });
    for (const person of Object.values(people)) {
      const res = await new Browser(h.app).api('POST', '/api/v1/accounts', { ...person, password: PASSWORD });
      assert.ok(res.statusCode === 201 || res.statusCode === 202, res.body);
    }
    await deliver(h);
    for (const [key, person] of Object.entries(people)) {
      const b = new Browser(h.app);
      const res = await b.api('POST', '/api/v1/sessions', { email: person.email, password: PASSWORD, remember: true });
      assert.equal(res.statusCode, 201, res.body);
      if (key !== 'carl')
        assert.match(
          (await openLink(b, linkIn(h.mailer.to(person.email)[0]!.text, '/account/verify'))).body,
          /Address confirmed/,
        );
      browsers[key] = b;
      if (key === 'staff' || key === 'dpo' || key === 'admin') await asRole(h, { b, email: person.email }, key);
    }
    // Bea buys, so that she gets a suggestion mail with a one-click unsubscribe link.
    const bea = browsers.bea!;
    const product = (await bea.api('GET', '/api/v1/products/driftwood-reverb')).json().id;
    assert.equal((await bea.api('POST', '/api/v1/basket/items', { productId: product, quantity: 1 })).statusCode, 201);
    const order = await bea.api(
      'POST',
      '/api/v1/orders',
      {
        billingAddress: { name: 'Bea Buyer', street: 'A 1', postalCode: '10115', city: 'Berlin', country: 'DE' },
        payment: { method: 'wallet' },
        // The API enrols for suggestions only when the choice was offered (review 13, finding 4).
        choices: { noProductSuggestions: false },
      },
      { 'idempotency-key': 'secrets-bea-1' },
    );
    assert.equal(order.statusCode, 201, order.body);
    assert.equal(await sendSimilarProductMails(h.deps), 1);

    // Staff, DPO and admin each ask resets for other accounts: the admin's too.
    const asks: [string, string][] = [
      ['staff', people.admin.email],
      ['staff', people.cora.email],
      ['dpo', people.staff.email],
      ['admin', people.dpo.email],
      ['admin', people.bea.email],
    ];
    for (const [who, email] of asks) {
      h.clock.advance(1000);
      assert.equal((await browsers[who]!.api('POST', '/api/v1/password-resets', { email })).statusCode, 202);
    }
    // `candor user create`: the set-up link may be printed on the console, but is stored nowhere readable.
    setupLink = (await createStaffUser(h.deps, { email: 'newhire@example.org', role: 'staff' })).link;
    await deliver(h);
  });

  after(() => h.close());

  it('a password reset leaves its token in no table cell, log line or usage record, and the mail console shows no working link', async () => {
    const resetMails = h.mailer
      .to(people.admin.email)
      .filter((m) => m.text.includes('/account/password-reset/confirm?token='));
    assert.equal(resetMails.length, 1);
    const [token] = mailedSecrets(h, (t) => t === resetMails[0]!.text);
    assert.ok(token);

    const text = await databaseText(h);
    assert.ok(!text.includes(token), 'a table cell holds the reset token');
    assert.ok(!h.logLines.join('\n').includes(token), 'a log line holds the reset token');

    const outbox = await h.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('recipient', '=', people.admin.email)
      .where('subject', '=', 'Reset your password')
      .executeTakeFirstOrThrow();
    const page = await browsers.staff!.get(`/staff/mail/${outbox.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Reset your password/);
    assert.ok(!page.body.includes(token), 'the mail console shows the reset token');
    assert.doesNotMatch(page.body, /password-reset\/confirm\?token=/, 'the mail console shows a reset link');
    assert.match(page.body, /\[link hidden\]/);

    // The admin's own data export shows the stored mail with the link hidden, not as a placeholder.
    const exported = JSON.stringify(await exportSubjectData(h.deps, people.admin.email));
    assert.match(exported, /Reset your password/);
    assert.ok(
      !exported.includes('{{secret:') && !exported.includes(token),
      'the export shows a placeholder or the token',
    );
  });

  it("a reset placeholder copied from the outbox into someone else's mail (a name at registration) never becomes the token", async () => {
    // Someone who can read the outbox table (a backup, a DBA) copies the admin's stored reset placeholder...
    const row = await h.deps.db
      .selectFrom('outbox')
      .select('body')
      .where('recipient', '=', people.admin.email)
      .where('subject', '=', 'Reset your password')
      .executeTakeFirstOrThrow();
    const placeholder = /\{\{secret:[^}]+\}\}/.exec(row.body)![0];
    const [token] = mailedSecrets(
      h,
      (t) =>
        t.includes('/account/password-reset/confirm?token=') &&
        h.mailer.to(people.admin.email).some((m) => m.text === t),
    );
    assert.ok(token);
    // ...into text that a mail to their own address carries: a name at registration, or any other stored text.
    const mallory = 'mallory@example.org';
    const res = await new Browser(h.app).api('POST', '/api/v1/accounts', {
      name: `Mal ${placeholder}`,
      email: mallory,
      password: PASSWORD,
    });
    assert.ok(res.statusCode === 202 || res.statusCode === 400, res.body);
    await enqueueMail(h.deps.db, h.clock, {
      to: mallory,
      subject: 'Your order',
      body: `Shipping to: ${placeholder}\n`,
      html: `<!DOCTYPE html><html lang="en"><body><p>Shipping to: ${placeholder}</p></body></html>`,
    });
    await deliver(h);
    const delivered = h.mailer
      .to(mallory)
      .map((m) => `${m.text}\n${m.html ?? ''}`)
      .join('\n');
    assert.match(delivered, /Shipping to/);
    assert.ok(!delivered.includes(token), "the admin's reset token reached another mailbox");
  });

  it('staff, dpo and admin reading every page they can reach after asking resets for other accounts (the admin too) find no string that resets a password', async () => {
    const routes = getRoutes(h.app);
    assert.ok(
      routes.includes('/staff/mail/:id') && routes.includes('/staff/orders'),
      `route list: ${routes.join(' ')}`,
    );
    const outboxIds = (await h.deps.db.selectFrom('outbox').select('id').execute()).map((r) => r.id);
    const seeds = [
      ...routes.filter((r) => !r.includes(':') && !r.includes('*')),
      ...outboxIds.map((id) => `/staff/mail/${id}`),
    ];
    const secrets = [...mailedSecrets(h), ...sessionTokens(Object.values(browsers))];
    assert.ok(secrets.length >= 16, `expected the mailed secrets and session tokens, found ${secrets.length}`);
    const hashesBefore = await h.deps.db
      .selectFrom('users')
      .select(['email', 'password_hash'])
      .orderBy('email')
      .execute();

    const candidates = new Set<string>();
    const tokenParams = new Set<string>();
    for (const role of ['staff', 'dpo', 'admin'] as const) {
      const pages = await crawl(browsers[role]!, seeds);
      assert.ok(pages.size > 20, `${role} read only ${pages.size} pages`);
      assert.ok(
        [...pages.keys()].some((u) => u.startsWith('/staff/mail/')),
        `${role} reached no mail page`,
      );
      // Staff pages first, so that a failure names the page a colleague could abuse.
      for (const [url, body] of [...pages].sort(
        ([a], [b]) => Number(b.startsWith('/staff/')) - Number(a.startsWith('/staff/')),
      )) {
        for (const secret of secrets) assert.ok(!body.includes(secret), `${role} finds a mailed token on ${url}`);
        for (const m of body.matchAll(/[A-Za-z0-9_-]{20,}/g)) candidates.add(m[0]);
        for (const m of body.matchAll(/[?&](?:amp;)?(?:token|t)=([^\s"'&<>]+)/g))
          tokenParams.add(decodeURIComponent(m[1]!));
      }
    }

    // Whatever they found, none of it is a live account token...
    const live = new Set(
      (
        await h.deps.db
          .selectFrom('account_tokens')
          .select('token_hash')
          .where('used_at', 'is', null)
          .where('expires_at', '>', h.clock.now())
          .execute()
      ).map((r) => r.token_hash),
    );
    assert.ok(live.size >= 6, 'the reset, set-up and verification tokens are live');
    for (const c of candidates)
      assert.ok(!live.has(createHash('sha256').update(c).digest('hex')), 'a page shows a live account token');
    // ...and tried as a reset token, nothing they found sets a password.
    const anon = new Browser(h.app);
    for (const token of [...tokenParams].slice(0, 50)) {
      const res = await anon.api('POST', '/api/v1/password-resets/confirm', {
        token: token.slice(0, 100),
        password: NEW_PASSWORD,
      });
      assert.notEqual(res.statusCode, 204, 'a string found on a staff page reset a password');
    }
    assert.deepEqual(
      await h.deps.db.selectFrom('users').select(['email', 'password_hash']).orderBy('email').execute(),
      hashesBefore,
    );
  });

  it("every stored mail of the scenario carries its links' tokens only as placeholders, in the text and the HTML part", async () => {
    const rows = await h.deps.db.selectFrom('outbox').select(['subject', 'body', 'html', 'headers']).execute();
    assert.ok(rows.length >= 14);
    assert.ok(
      rows.every((r) => r.html?.includes('<html lang=')),
      'every mail has an HTML part',
    );
    for (const row of rows) {
      const stored = `${row.body}\n${row.html ?? ''}\n${row.headers}`;
      for (const m of stored.matchAll(/https?:\/\/[^\s<>"]*?(?:[?&]|&amp;)(?:token|t)=([^\s&<>"]*)/g)) {
        assert.match(
          m[1]!,
          /^\{\{secret:[a-z-]+:[A-Za-z0-9_-]+:[A-Za-z0-9_-]{22}\}\}$/,
          `"${row.subject}" stores a bare token`,
        );
      }
    }
  });

  it('verification, set-up, one-click unsubscribe and session tokens appear in no table cell or log line, and on no mail console page', async () => {
    const verify = mailedSecrets(h, (t) => t.includes('/account/verify?token='));
    const unsubscribe = mailedSecrets(h, (t) => t.includes('/advertising/opt-out?'));
    const setup = new URL(setupLink).searchParams.get('token')!;
    const sessions = sessionTokens(Object.values(browsers));
    assert.ok(verify.length >= 6 && unsubscribe.length === 1 && setup.length === 43 && sessions.length === 6);
    assert.ok(mailedSecrets(h).includes(setup), 'the set-up mail carries the printed link');

    // The TOTP keys staff, dpo and admin enrolled (asRole): stored only encrypted (accounts/two-factor.crypto.ts).
    const totp = [people.staff, people.dpo, people.admin].map((p) => enrolledSecret(p.email));
    const text = await databaseText(h);
    const logs = h.logLines.join('\n');
    for (const secret of [...verify, ...unsubscribe, setup, ...sessions, ...totp]) {
      assert.ok(!text.includes(secret), 'a table cell holds a mailed token');
      assert.ok(!logs.includes(secret), 'a log line holds a mailed token');
    }
    const suggestion = await h.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('recipient', '=', people.bea.email)
      .where('subject', '=', 'To go with your products')
      .executeTakeFirstOrThrow();
    const page = await browsers.dpo!.get(`/staff/mail/${suggestion.id}`);
    assert.equal(page.statusCode, 200);
    assert.ok(!page.body.includes(unsubscribe[0]!));
    assert.doesNotMatch(page.body, /opt-out\?/);

    // The unsubscribe link as mailed still works, without a session.
    const mail = h.mailer.to(people.bea.email).find((m) => m.subject === 'To go with your products')!;
    const link = new URL(/<(.+)>/.exec(mail.headers?.['List-Unsubscribe'] ?? '')![1]!);
    const oneClick = await h.app.inject({
      method: 'POST',
      url: `${link.pathname}${link.search}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    assert.equal(oneClick.statusCode, 200);
    assert.equal(await sendSimilarProductMails(h.deps), 0);
  });
});

describeEachDatabase('secret links as delivered', (db) => {
  let smtp: TestSmtpServer;
  let h: Harness;

  beforeEach(async () => {
    smtp = await new TestSmtpServer().start();
    h = await openHarness(db, { env: ENV, mailer: createSmtpMailer(smtp.url, 'test.example') });
  });

  afterEach(async () => {
    await h.close();
    await smtp.stop();
  });

  it('the mail as delivered over SMTP carries a working reset link that the stored outbox row does not', async () => {
    const email = 'ada@example.org';
    const b = new Browser(h.app);
    const created = await b.api('POST', '/api/v1/accounts', { name: 'Ada Admin', email, password: PASSWORD });
    assert.ok(created.statusCode === 201 || created.statusCode === 202, created.body);
    await asRole(h, { email }, 'admin');
    assert.equal((await b.api('POST', '/api/v1/password-resets', { email })).statusCode, 202);
    await deliver(h);

    const mail = smtp.received.find((m) => m.parsed.subject === 'Reset your password');
    assert.ok(mail, 'the reset mail was delivered');
    const link = linkIn(mail.parsed.text ?? '', '/account/password-reset/confirm');
    const token = new URLSearchParams(link.split('?')[1]).get('token')!;
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);

    // The recipient opens the link: the usage log records the page, not the token.
    const opened = new Browser(h.app);
    assert.ok((await openLink(opened, link)).statusCode < 400);
    const stored = await h.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('subject', '=', 'Reset your password')
      .executeTakeFirstOrThrow();
    assert.ok(!stored.body.includes(token) && !stored.headers.includes(token), 'the outbox row holds the token');
    // The HTML part carries the same working link as sent, and the stored HTML only its placeholder.
    assert.ok(String(mail.parsed.html).includes(token), 'the HTML part as sent has the link');
    assert.ok(stored.html?.includes('{{secret:') && !stored.html.includes(token), 'the stored HTML holds the token');
    assert.ok(!(await databaseText(h)).includes(token));

    const reset = await new Browser(h.app).api('POST', '/api/v1/password-resets/confirm', {
      token,
      password: NEW_PASSWORD,
    });
    assert.equal(reset.statusCode, 204, reset.body);
    assert.equal(
      (await new Browser(h.app).api('POST', '/api/v1/sessions', { email, password: NEW_PASSWORD })).statusCode,
      201,
    );
  });

  it('the file mail sink, standing in for the mailbox in development, holds the message as sent with its working link', async () => {
    const email = 'mila@example.org';
    assert.ok(
      [201, 202].includes(
        (await new Browser(h.app).api('POST', '/api/v1/accounts', { name: 'Mila Novak', email, password: PASSWORD }))
          .statusCode,
      ),
    );
    const mailer = createFileMailer(h.dataDir, 'test.example');
    try {
      await deliverDueMail({
        db: h.deps.db,
        clock: h.clock,
        mailer,
        log: h.deps.log,
        from: 'shop@test',
        secret: h.deps.config.secret,
      });
    } finally {
      mailer.close();
    }
    const row = await h.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', email)
      .executeTakeFirstOrThrow();
    const parsed = await simpleParser(readFileSync(join(h.dataDir, 'mail', `${row.id}.eml`)));
    const link = linkIn(parsed.text ?? '', '/account/verify');
    assert.ok(!row.body.includes(new URLSearchParams(link.split('?')[1]).get('token')!));
    assert.match((await openLink(new Browser(h.app), link)).body, /Address confirmed/);
  });

  it('a placeholder in the body and headers is stored as it is and leaves as the token', async () => {
    const { token, placeholder } = issueSecret(h.deps.config.secret, 'account-reset-password', 'x@example.org');
    const link = `http://127.0.0.1:3000/account/password-reset/confirm?token=${placeholder}`;
    await enqueueMail(h.deps.db, h.clock, {
      to: 'x@example.org',
      subject: 'Hi',
      body: `Your link: ${link}\n`,
      html: `<!DOCTYPE html><html lang="en"><body><a href="${link}">Reset</a></body></html>`,
      headers: { 'List-Unsubscribe': `<${link}>` },
    });
    const row = await h.deps.db.selectFrom('outbox').selectAll().executeTakeFirstOrThrow();
    assert.ok(
      row.body.includes(placeholder) &&
        row.headers.includes(placeholder) &&
        row.html?.includes(placeholder) &&
        !`${row.body}${row.headers}${row.html}`.includes(token),
    );
    await deliver(h);
    assert.ok((smtp.received[0]!.parsed.text ?? '').includes(`token=${token}\n`));
    assert.ok(String(smtp.received[0]!.parsed.html).includes(`token=${token}"`), 'the HTML part leaves with the token');
    const header = smtp.received[0]!.parsed.headerLines.find((l) => l.key === 'list-unsubscribe')?.line ?? '';
    assert.ok(header.replace(/\r?\n\s+/g, '').includes(token), header);
  });
});
