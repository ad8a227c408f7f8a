// The application log never carries personal data: neither what people type in (names, addresses, passwords),
// nor what identifies them (session cookies, tokens from mails, client IPs). The flows below go through the
// pages, the JSON API and the worker; then every captured log line is searched for each of those values.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { DAY, MINUTE } from './clock.ts';
import type { OutgoingMail } from './email/mailer.ts';
import { buildWorker } from '../testing/app.ts';
import {
  Browser,
  describeEachDatabase,
  linkIn,
  openHarness,
  RecordingMailer,
  type Harness,
} from '../testing/harness.ts';

/** Records sent mail like the harness's mailer, but refuses the next deliveries the way an SMTP relay does, quoting the address. */
class RefusingMailer extends RecordingMailer {
  refuseNext = 0;
  override send(mail: OutgoingMail): Promise<void> {
    if (this.refuseNext > 0) {
      this.refuseNext--;
      return Promise.reject(
        Object.assign(new Error(`550 5.1.1 <${mail.to}>: Recipient address rejected: User unknown`), {
          code: 'EENVELOPE',
          responseCode: 550,
        }),
      );
    }
    return super.send(mail);
  }
}

const IPV4 = '203.0.113.7';
const IPV6 = '2001:db8::7';

const form = {
  name: 'Lena Jovanović-Formularska',
  email: 'Lena.Formularska@Example.com',
  password: 'lantern orchard violet 1987',
  newPassword: 'seventeen paper kites drifting',
  wrongPassword: 'lantern orchard violet 1988',
  company: 'Formularska Feinkost GmbH',
  phone: '+49 30 5550 1987',
};
const api = {
  name: 'Anton Apitestovich',
  email: 'anton.apitestovich@example.org',
  newEmail: 'a.apitestovich@example.net',
  password: 'correct horse battery staple',
  newPassword: 'quiet marble harbour sunrise',
  wrongPassword: 'correct horse battery stable',
  weakPassword: 'password123',
};
const stranger = 'ghost.visitor@example.net';

describeEachDatabase('the application log', (db) => {
  let h: Harness;
  let mailer: RefusingMailer;

  beforeEach(async () => {
    mailer = new RefusingMailer();
    h = await openHarness(db, { mailer });
  });

  afterEach(async () => {
    await h.close();
  });

  it('never contains personal data, whichever page, API call or job handled it', async () => {
    const browsers: Browser[] = [];
    const cookieValues = new Set<string>();
    const open = (ip = IPV4) => {
      const b = new Browser(h.app, ip);
      browsers.push(b);
      return b;
    };
    const noteCookies = () => {
      for (const b of browsers) {
        for (const pair of b.cookieHeader().split('; ')) {
          const value = pair.slice(pair.indexOf('=') + 1);
          if (pair !== '' && value !== '') cookieValues.add(value);
        }
      }
    };
    const worker = buildWorker(h.deps);
    const runWorker = async () => {
      h.clock.advance(5000);
      await worker.tick();
    };

    // ---- pages ----
    const alice = open();
    let res = await alice.submit('/account/register', '/account/register', {
      name: form.name,
      email: form.email,
      password: 'password',
      company: form.company,
      phone: form.phone,
    });
    assert.equal(res.statusCode, 400, 'a breached password is refused');
    res = await alice.submit('/account/register', '/account/register', {
      name: form.name,
      email: form.email,
      password: form.password,
      company: form.company,
      phone: form.phone,
    });
    assert.equal(res.statusCode, 200, res.body);
    res = await alice.submit('/account/login', '/account/login', { email: form.email, password: form.password });
    assert.equal(res.statusCode, 303, res.body);
    noteCookies();
    assert.equal((await alice.get('/account')).statusCode, 200);

    // The first delivery is refused by the relay, with the address in the reply; the retry a minute later works.
    mailer.refuseNext = 1;
    await runWorker();
    assert.equal(mailer.sent.length, 0);
    h.clock.advance(MINUTE);
    await runWorker();
    const formEmail = form.email.toLowerCase();
    res = await alice.get(mailer.linkTo(formEmail, '/account/verify'));
    // The token is spent on arrival and the browser is sent on to a token-free address (issue 8.7).
    assert.equal(res.statusCode, 303);
    res = await alice.get(String(res.headers.location));
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Address confirmed/);
    noteCookies();

    const bob = open();
    res = await bob.submit('/account/login', '/account/login', {
      email: form.email,
      password: form.password,
      remember: '1',
    });
    assert.equal(res.statusCode, 303, res.body);
    noteCookies();

    const carol = open(IPV6);
    res = await carol.submit('/account/login', '/account/login', { email: form.email, password: form.wrongPassword });
    assert.equal(res.statusCode, 401);
    res = await carol.submit('/account/login', '/account/login', { email: stranger, password: form.wrongPassword });
    assert.equal(res.statusCode, 401);
    res = await carol.submit('/account/password-reset', '/account/password-reset', { email: form.email });
    assert.equal(res.statusCode, 200);
    res = await carol.submit('/account/password-reset', '/account/password-reset', { email: stranger });
    assert.equal(res.statusCode, 200);
    noteCookies();
    await runWorker();
    assert.equal(mailer.to(stranger).length, 0);
    const resetLink = mailer.linkTo(formEmail, '/account/password-reset/confirm');
    const resetToken = new URL(resetLink, 'http://x').searchParams.get('token') ?? '';
    res = await carol.submit(resetLink, '/account/password-reset/confirm', {
      token: resetToken,
      password: form.newPassword,
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /Password saved/);
    res = await carol.submit('/account/login', '/account/login', { email: form.email, password: form.newPassword });
    assert.equal(res.statusCode, 303);
    noteCookies();
    // The reset ended Bob's session; his next page clears the cookie.
    assert.equal((await bob.get('/account')).statusCode, 303);

    // ---- JSON API ----
    const dave = open();
    res = await dave.api('POST', '/api/v1/accounts', { name: api.name, email: api.email, password: api.weakPassword });
    assert.equal(res.statusCode, 400);
    res = await dave.api('POST', '/api/v1/accounts', {
      name: api.name,
      email: api.email,
      password: api.password,
      phone: '+43 1 555 0199',
    });
    assert.equal(res.statusCode, 202, res.body);
    res = await dave.api('POST', '/api/v1/accounts', { name: api.name, email: api.email, password: api.password });
    assert.equal(res.statusCode, 202, 'a known address is answered like a new one');
    res = await dave.api('POST', '/api/v1/sessions', { email: api.email, password: api.wrongPassword });
    assert.equal(res.statusCode, 401);
    res = await dave.api('POST', '/api/v1/sessions', { email: stranger, password: api.password });
    assert.equal(res.statusCode, 401);
    res = await dave.api('POST', '/api/v1/sessions', { email: api.email, password: api.password });
    assert.equal(res.statusCode, 201, res.body);
    noteCookies();
    assert.equal((await dave.api('GET', '/api/v1/me')).statusCode, 200);
    res = await dave.api('PATCH', '/api/v1/me', { email: api.newEmail, currentPassword: api.password });
    assert.equal(res.statusCode, 200, res.body);
    // The change takes effect when the new address confirms it.
    await runWorker();
    res = await dave.api('POST', '/api/v1/email-changes/confirm', {
      token:
        new URL(linkIn(mailer.to(api.newEmail)[0]!.text, '/account/email-change/confirm'), 'http://x').searchParams.get(
          'token',
        ) ?? '',
    });
    assert.equal(res.statusCode, 204, res.body);
    res = await dave.api('POST', '/api/v1/me/password', {
      currentPassword: api.wrongPassword,
      newPassword: api.newPassword,
    });
    assert.ok(res.statusCode >= 400 && res.statusCode < 500, `wrong current password: ${res.statusCode}`);
    res = await dave.api('POST', '/api/v1/me/password', {
      currentPassword: api.password,
      newPassword: api.newPassword,
    });
    assert.equal(res.statusCode, 204, res.body);
    noteCookies();
    res = await dave.api('POST', '/api/v1/password-resets', { email: api.newEmail });
    assert.equal(res.statusCode, 202);
    // A NUL byte inside the address (which PostgreSQL refuses in text) is turned away before any query.
    res = await dave.api('POST', '/api/v1/sessions', { email: `${api.newEmail}\u0000`, password: api.newPassword });
    assert.equal(res.statusCode, 400);
    res = await dave.api('DELETE', '/api/v1/sessions/current');
    assert.equal(res.statusCode, 204);
    noteCookies();

    await runWorker();
    assert.ok(mailer.to(api.newEmail).length >= 2, 'confirmation of the new address and the reset link');
    res = await dave.api('POST', '/api/v1/password-resets/confirm', {
      token:
        new URL(mailer.linkTo(api.newEmail, '/account/password-reset/confirm'), 'http://x').searchParams.get('token') ??
        '',
      password: `${api.newPassword} again`,
    });
    assert.equal(res.statusCode, 204, res.body);

    // Retention later deletes the delivered mail and the expired sessions, and says so in the log.
    h.clock.advance(91 * DAY);
    await runWorker();
    await worker.stop();

    // ---- what must not be in the log ----
    const tokens = mailer.sent.flatMap((m) =>
      [...m.text.matchAll(/token=([A-Za-z0-9_-]+)/g)].map((match) => match[1]!),
    );
    assert.ok(tokens.length >= 5, `tokens from mails: ${tokens.length}`);
    assert.ok(cookieValues.size >= 6, `cookie values seen: ${cookieValues.size}`);
    const secrets: Record<string, string[]> = {
      email: [form.email, formEmail, api.email, api.newEmail, stranger],
      password: [
        form.password,
        form.newPassword,
        form.wrongPassword,
        api.password,
        api.newPassword,
        api.wrongPassword,
        api.weakPassword,
      ],
      name: [form.name, 'Formularska', api.name, 'Apitestovich'],
      contact: [form.company, form.phone, '+43 1 555 0199'],
      cookie: [...cookieValues],
      token: tokens,
      ip: [IPV4, IPV6],
    };

    assert.ok(h.logLines.length > 0, 'the flows above did log something (the refused delivery, retention)');
    assert.ok(h.logLines.some((l) => l.includes('mail delivery failed')));
    assert.ok(h.logLines.some((l) => l.includes('retention applied')));

    const leaks: string[] = [];
    for (const line of h.logLines) {
      const lower = line.toLowerCase();
      for (const [kind, values] of Object.entries(secrets)) {
        for (const value of values) {
          assert.ok(value.length >= 8, `secret too short to search for: ${kind}`);
          const forms = [value, JSON.stringify(value).slice(1, -1)].map((v) => v.toLowerCase());
          if (forms.some((v) => lower.includes(v))) leaks.push(`${kind} "${value}" in: ${line.trim()}`);
        }
      }
    }
    assert.deepEqual(leaks, []);
  });

  it('censors personal fields that are passed to the logger by mistake', async () => {
    h.deps.log.info(
      {
        email: 'x@y.z',
        password: 'hunter2-but-longer',
        ip: '198.51.100.23',
        user: { name: 'Probe Person', token: 'probe-token-value' },
        headers: { cookie: 'candor_session=abc' },
        outboxId: 'kept-id',
      },
      'probe',
    );
    const line = h.logLines.find((l) => l.includes('"probe"'));
    assert.ok(line, 'the probe was logged');
    for (const value of [
      'x@y.z',
      'hunter2-but-longer',
      '198.51.100.23',
      'Probe Person',
      'probe-token-value',
      'candor_session=abc',
    ]) {
      assert.ok(!line.includes(value), `${value} must be censored`);
    }
    const entry = JSON.parse(line) as Record<string, unknown>;
    assert.equal(entry.email, '[redacted]');
    assert.equal(entry.password, '[redacted]');
    assert.equal(entry.ip, '[redacted]');
    assert.deepEqual(entry.user, { name: '[redacted]', token: '[redacted]' });
    assert.equal(entry.headers, '[redacted]');
    assert.equal(entry.outboxId, 'kept-id', 'ids stay readable');
    assert.equal(entry.msg, 'probe');
  });

  it('logs only the code and stack frames of an error, not its message', async () => {
    const err = Object.assign(new Error(`duplicate key value (email)=(${form.email}) already exists`), {
      code: '23505',
    });
    h.deps.log.error({ err }, 'probe error');
    const line = h.logLines.find((l) => l.includes('probe error'));
    assert.ok(line);
    assert.ok(!line.toLowerCase().includes(form.email.toLowerCase()));
    const entry = JSON.parse(line) as { err: { type: string; code: string; stack: string } };
    assert.equal(entry.err.type, 'Error');
    assert.equal(entry.err.code, '23505');
    assert.match(entry.err.stack, /log\.test\.ts/);
  });
});
