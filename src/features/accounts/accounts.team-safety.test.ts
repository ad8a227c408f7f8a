// The review's fixes to the staff team and the second factor: an admin (or the operator's CLI) resets a lost factor,
// set-up links and password changes do not skip or outlive the code step, invitations die with their inviter's
// power, the last admin survives two removals at once, staff_changes outlives erasure restricted, and a broken page
// position is refused in the reader's language.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Viewer } from '../../platform/http/context.ts';
import { demoOperator } from '../../platform/operator.ts';
import { eraseSubjectData } from '../../privacy/subject.ts';
import {
  asRole,
  deliverMail,
  enrolSecondFactor,
  nextTotpCode,
  totpCode,
  signedIn,
  uniqueEmail,
  type Account,
} from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { inviteStaff } from './accounts.team.service.ts';

const TEAM = '/staff/team';
const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '10000', RATE_LIMIT_PER_MINUTE: '100000' };
const csrfOf = (body: string) => /name="_csrf" value="([^"]+)"/.exec(body)?.[1] as string;

describeEachDatabase('staff team and second factor safety', (dbKind) => {
  let h: Harness;
  let admin: Account;
  let ip = 0;
  const nextIp = () => `203.0.113.${++ip}`;
  before(async () => {
    h = await openHarness(dbKind, { env: ENV });
    admin = await asRole(h, await signedIn(h, { name: 'Ada Admin', ip: nextIp() }), 'admin');
  });
  after(() => h.close());

  const factorOf = (id: string) =>
    h.deps.db.selectFrom('two_factor').select('user_id').where('user_id', '=', id).executeTakeFirst();
  const factorOn = async (id: string) =>
    (await h.deps.db.selectFrom('two_factor').select('confirmed_at').where('user_id', '=', id).executeTakeFirst())
      ?.confirmed_at != null;
  const challengesOf = async (id: string) =>
    (await h.deps.db.selectFrom('two_factor_challenges').select('token_hash').where('user_id', '=', id).execute())
      .length;

  /** The password step in a fresh browser: answers the code step's page (a pending sign-in). */
  async function passwordStep(account: Account) {
    const b = new Browser(h.app, nextIp());
    const res = await b.submit('/account/login', '/account/login', {
      email: account.email,
      password: account.password,
      next: '/account',
    });
    assert.equal(res.statusCode, 200, res.body);
    assert.match(res.body, /name="pending"/);
    return { b, page: res.body };
  }

  async function enterCode(b: Browser, page: string, code: string) {
    const pending = /name="pending" value="([^"]+)"/.exec(page)?.[1] as string;
    return b.post('/account/login/code', { _csrf: csrfOf(page), code, next: '/account', pending });
  }

  test('an admin resets another member’s lost second factor after confirming; never their own; it is recorded', async () => {
    const member = await asRole(h, await signedIn(h, { name: 'Lou Lost', ip: nextIp() }), 'staff');
    assert.ok(await factorOf(member.id));
    const team = await admin.b.get(TEAM);
    assert.match(team.body, new RegExp(`/staff/team/${member.id}/reset-second-factor`));
    assert.doesNotMatch(team.body, new RegExp(`/staff/team/${admin.id}/reset-second-factor`), 'no form for oneself');
    const unconfirmed = await admin.b.post(
      `${TEAM}/${member.id}/reset-second-factor`,
      { _csrf: csrfOf(team.body) },
      { 'accept-language': 'de' },
    );
    assert.equal(unconfirmed.statusCode, 400);
    assert.match(unconfirmed.body, /Es wurde nichts zurückgesetzt/);
    assert.ok(await factorOf(member.id), 'nothing reset without the confirmation');
    const own = await admin.b.post(`${TEAM}/${admin.id}/reset-second-factor`, {
      _csrf: csrfOf(team.body),
      confirm: 'yes',
    });
    assert.equal(own.statusCode, 409);
    assert.match(own.body, /cannot reset your own second factor/);
    assert.ok(await factorOf(admin.id));
    const staff = await asRole(h, await signedIn(h, { ip: nextIp() }), 'staff');
    const refused = await staff.b.post(`${TEAM}/${member.id}/reset-second-factor`, {
      _csrf: csrfOf((await staff.b.get('/account')).body),
      confirm: 'yes',
    });
    assert.equal(refused.statusCode, 403);
    const done = await admin.b.post(`${TEAM}/${member.id}/reset-second-factor`, {
      _csrf: csrfOf(team.body),
      confirm: 'yes',
    });
    assert.equal(done.statusCode, 303, done.body);
    assert.equal(await factorOf(member.id), undefined);
    const record = await h.deps.db
      .selectFrom('staff_changes')
      .selectAll()
      .where('subject_user_id', '=', member.id)
      .where('action', '=', 'reset-second-factor')
      .executeTakeFirst();
    assert.equal(record?.actor_user_id, admin.id);
    // The member's staff pages lead to enrolment again.
    const staffPage = await member.b.get('/staff');
    assert.equal(staffPage.statusCode, 303);
    assert.match(String(staffPage.headers.location), /^\/account\/two-factor/);
  });

  test('the operator resets the only admin’s factor with candor user reset-second-factor', async () => {
    if (dbKind !== 'sqlite') return; // the CLI reads DATA_DIR; the harness's PostgreSQL schema is not configurable
    const { runCli } = await import('../../testing/app.ts');
    const only = await asRole(h, await signedIn(h, { name: 'Olga Only', ip: nextIp() }), 'admin');
    assert.ok(await factorOf(only.id));
    const saved = { ...process.env };
    Object.assign(process.env, { DATA_DIR: h.dataDir, BASE_URL: 'http://127.0.0.1:3000', LOG_LEVEL: 'silent' });
    delete process.env.DATABASE_URL;
    process.env.CANDOR_SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
    const write = process.stdout.write.bind(process.stdout);
    let out = '';
    process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
    try {
      assert.equal(await runCli(['user', 'reset-second-factor', '--email', only.email]), 0);
    } finally {
      process.stdout.write = write;
      process.env = saved;
    }
    assert.match(out, /second factor was removed/);
    assert.equal(await factorOf(only.id), undefined);
    const record = await h.deps.db
      .selectFrom('staff_changes')
      .selectAll()
      .where('subject_user_id', '=', only.id)
      .where('action', '=', 'reset-second-factor')
      .executeTakeFirst();
    assert.equal(record?.actor_user_id, null);
    assert.equal(record?.detail, 'cli');
  });

  test('new recovery codes need a current code, are shown once, and the old ones die', async () => {
    const customer = await signedIn(h, { ip: nextIp() });
    await enrolSecondFactor(h, customer);
    const before = await h.deps.db
      .selectFrom('two_factor_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', customer.id)
      .execute();
    const status = await customer.b.get('/account/two-factor', { 'accept-language': 'de' });
    assert.match(status.body, /Neue Wiederherstellungscodes erstellen/);
    const wrong = await customer.b.post('/account/two-factor/recovery-codes', {
      _csrf: csrfOf(status.body),
      code: '000000',
    });
    assert.equal(wrong.statusCode, 400);
    const renewed = await customer.b.post('/account/two-factor/recovery-codes', {
      _csrf: csrfOf(status.body),
      code: await nextTotpCode(h, customer.email),
    });
    assert.equal(renewed.statusCode, 200, renewed.body);
    assert.match(renewed.body, /earlier ones no longer work/);
    const shown = [...renewed.body.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]);
    assert.equal(shown.length, 10);
    const after = await h.deps.db
      .selectFrom('two_factor_recovery_codes')
      .select('code_hash')
      .where('user_id', '=', customer.id)
      .execute();
    assert.equal(after.length, 10);
    const old = new Set(before.map((r) => r.code_hash));
    assert.ok(
      after.every((r) => !old.has(r.code_hash)),
      'no earlier code survives',
    );
  });

  test('a set-up link does not sign in past the code step of an account with a second factor', async () => {
    const customer = await signedIn(h, { ip: nextIp() });
    await enrolSecondFactor(h, customer);
    // As undoing an email change leaves it: no usable password, a link to choose one.
    await h.deps.db.updateTable('users').set({ password_hash: '!unset:test' }).where('id', '=', customer.id).execute();
    const b = new Browser(h.app, nextIp());
    await b.submit('/account/password-reset', '/account/password-reset', { email: customer.email });
    await deliverMail(h);
    const mail = h.mailer.to(customer.email).filter((m) => m.text.includes('/account/password-reset/confirm'));
    await b.get(linkIn(mail[mail.length - 1]!.text, '/account/password-reset/confirm'));
    const res = await b.submit('/account/password-reset/confirm', '/account/password-reset/confirm', {
      password: 'violet harbour ninety three',
    });
    assert.equal(res.statusCode, 200, `no session from the link: ${res.statusCode} ${String(res.headers.location)}`);
    assert.match(res.body, /please sign in again/);
    assert.equal((await b.get('/account')).statusCode, 303, 'not signed in');
  });

  test('confirming enrolment ends the account’s other sessions', async () => {
    const customer = await signedIn(h, { ip: nextIp() });
    const other = new Browser(h.app, nextIp());
    await other.submit('/account/login', '/account/login', { email: customer.email, password: customer.password });
    assert.equal((await other.get('/account')).statusCode, 200);
    await enrolSecondFactor(h, customer);
    assert.equal((await other.get('/account')).statusCode, 303, 'the other session ended');
    assert.equal((await customer.b.get('/account')).statusCode, 200, 'the enrolling session stays');
  });

  test('the key being set up is shown to one session only: another session gets its own, and the first is void', async () => {
    const owner = await signedIn(h, { ip: nextIp() });
    const other = new Browser(h.app, nextIp());
    await other.submit('/account/login', '/account/login', { email: owner.email, password: owner.password });
    const keyOf = (body: string) => /data-secret="([A-Z2-7]+)"/.exec(body)?.[1];
    const first = keyOf((await owner.b.get('/account/two-factor')).body);
    assert.equal(keyOf((await owner.b.get('/account/two-factor')).body), first, 'the same session sees its key again');
    const seen = keyOf((await other.get('/account/two-factor')).body);
    assert.ok(first && seen && seen !== first, 'the other session is not shown the owner’s key');
    // The owner's key is void now: its code is refused, and the owner is shown a new key and sets that one up.
    const refused = await owner.b.submit('/account/two-factor', '/account/two-factor', { code: totpCode(h, first) });
    assert.equal(refused.statusCode, 400, refused.body);
    assert.equal(await factorOn(owner.id), false);
    const page = await owner.b.get('/account/two-factor');
    const again = keyOf(page.body);
    assert.ok(again && again !== seen, 'the owner gets a key of their own again');
    const done = await enrolSecondFactor(h, owner);
    assert.equal(done, again);
    assert.equal((await other.get('/account')).statusCode, 303, 'the other session ended with the confirmation');
  });

  test('a password change, a password reset and deactivation end the sign-ins waiting for their code', async () => {
    const customer = await signedIn(h, { ip: nextIp() });
    await enrolSecondFactor(h, customer);
    const waiting = await passwordStep(customer);
    assert.equal(await challengesOf(customer.id), 1);
    const form = await customer.b.get('/account/password');
    const changed = await customer.b.post('/account/password', {
      _csrf: csrfOf(form.body),
      currentPassword: customer.password,
      newPassword: 'copper meadow forty one',
    });
    assert.ok(changed.statusCode < 400, changed.body);
    customer.password = 'copper meadow forty one';
    assert.equal(await challengesOf(customer.id), 0);
    const late = await enterCode(waiting.b, waiting.page, await nextTotpCode(h, customer.email));
    assert.equal(late.statusCode, 401, 'the old password’s pending sign-in is dead');

    const waiting2 = await passwordStep(customer);
    assert.equal(await challengesOf(customer.id), 1);
    const rb = new Browser(h.app, nextIp());
    await rb.submit('/account/password-reset', '/account/password-reset', { email: customer.email });
    await deliverMail(h);
    const mail = h.mailer.to(customer.email).filter((m) => m.text.includes('/account/password-reset/confirm'));
    await rb.get(linkIn(mail[mail.length - 1]!.text, '/account/password-reset/confirm'));
    const reset = await rb.submit('/account/password-reset/confirm', '/account/password-reset/confirm', {
      password: 'silver canyon twenty two',
    });
    assert.equal(reset.statusCode, 200, reset.body);
    assert.equal(await challengesOf(customer.id), 0);
    assert.equal((await enterCode(waiting2.b, waiting2.page, await nextTotpCode(h, customer.email))).statusCode, 401);

    const member = await asRole(h, await signedIn(h, { ip: nextIp() }), 'staff');
    await passwordStep(member);
    assert.equal(await challengesOf(member.id), 1);
    const team = await admin.b.get(TEAM);
    const off = await admin.b.post(`${TEAM}/${member.id}/deactivate`, { _csrf: csrfOf(team.body) });
    assert.equal(off.statusCode, 303);
    assert.equal(await challengesOf(member.id), 0);
  });

  test('deactivating or demoting an admin revokes the open invitations they sent', async () => {
    for (const how of ['deactivate', 'demote'] as const) {
      const other = await asRole(h, await signedIn(h, { name: 'Ivo Inviter', ip: nextIp() }), 'admin');
      const invitee = uniqueEmail('invitee');
      const sent = await other.b.submit(TEAM, `${TEAM}/invitations`, { email: invitee, role: 'staff', lang: 'en' });
      assert.equal(sent.statusCode, 303, sent.body);
      await deliverMail(h);
      const link = linkIn(h.mailer.to(invitee)[0]!.text, '/account/invitation');
      const team = await admin.b.get(TEAM);
      const res =
        how === 'deactivate'
          ? await admin.b.post(`${TEAM}/${other.id}/deactivate`, { _csrf: csrfOf(team.body) })
          : await admin.b.post(`${TEAM}/${other.id}/role`, { _csrf: csrfOf(team.body), role: 'staff' });
      assert.equal(res.statusCode, 303, res.body);
      const inv = await h.deps.db
        .selectFrom('staff_invitations')
        .selectAll()
        .where('email', '=', invitee)
        .executeTakeFirstOrThrow();
      assert.notEqual(inv.revoked_at, null, `${how}: the invitation is revoked`);
      const opened = await new Browser(h.app, nextIp()).get(link);
      assert.equal(opened.statusCode, 410, `${how}: the link is dead`);
    }
  });

  test('two admins deactivating each other at the same moment leave one active admin', async () => {
    const h2 = await openHarness(dbKind, { env: ENV });
    try {
      for (let round = 0; round < 3; round++) {
        // Each round starts from exactly two active admins.
        await h2.deps.db.updateTable('users').set({ role: 'customer' }).where('role', '=', 'admin').execute();
        const x = await asRole(h2, await signedIn(h2, { name: 'Xena', ip: nextIp() }), 'admin');
        const y = await asRole(h2, await signedIn(h2, { name: 'Yuri', ip: nextIp() }), 'admin');
        const [tx, ty] = [csrfOf((await x.b.get(TEAM)).body), csrfOf((await y.b.get(TEAM)).body)];
        const results = await Promise.all([
          x.b.post(`${TEAM}/${y.id}/deactivate`, { _csrf: tx }, { 'accept-language': 'de' }),
          y.b.post(`${TEAM}/${x.id}/deactivate`, { _csrf: ty }, { 'accept-language': 'de' }),
        ]);
        const active = await h2.deps.db
          .selectFrom('users')
          .select('id')
          .where('role', '=', 'admin')
          .where('deactivated_at', 'is', null)
          .execute();
        assert.equal(active.length, 1, `round ${round}: ${results.map((r) => r.statusCode).join(', ')}`);
        // One deactivation wins (303). The other is refused (409) when both ran at once, or finds its own session
        // already ended by the first (401) when that committed before it was even read: either way nobody else goes.
        const codes = results.map((r) => r.statusCode).sort();
        assert.ok(codes[0] === 303 && [401, 409].includes(codes[1]!), codes.join(', '));
        const refused = results.find((r) => r.statusCode === 409);
        if (refused) assert.match(refused.body, /Mindestens ein aktives Konto mit Administratorrechten muss bleiben/);
      }
    } finally {
      await h2.close();
    }
  });

  test('erasure keeps a person’s staff_changes rows, restricted, as proof of who gave whom access', async () => {
    const member = await asRole(h, await signedIn(h, { ip: nextIp() }), 'staff');
    const team = await admin.b.get(TEAM);
    assert.equal(
      (await admin.b.post(`${TEAM}/${member.id}/role`, { _csrf: csrfOf(team.body), role: 'dpo' })).statusCode,
      303,
    );
    const rows = () =>
      h.deps.db.selectFrom('staff_changes').selectAll().where('subject_user_id', '=', member.id).execute();
    assert.equal((await rows()).length, 1);
    await eraseSubjectData(h.deps, member.email);
    assert.equal(
      await h.deps.db.selectFrom('users').select('id').where('id', '=', member.id).executeTakeFirst(),
      undefined,
    );
    const kept = await rows();
    assert.equal(kept.length, 1, 'the record survives the account');
    assert.equal(kept[0]!.actor_user_id, admin.id);
    assert.equal(Number(kept[0]!.restricted_at), h.clock.now());
  });

  test('a broken page position on the team page answers 400 in the reader’s language', async () => {
    for (const query of ['after=not-an-address', 'invitationsAfter=nonsense', 'after=a%20b%40c']) {
      const en = await admin.b.get(`${TEAM}?${query}`);
      assert.equal(en.statusCode, 400, query);
      assert.match(en.body, /page address is not valid/);
      const de = await admin.b.get(`${TEAM}?${query}`, { 'accept-language': 'de' });
      assert.equal(de.statusCode, 400, query);
      assert.match(de.body, /Seitenadresse ist ungültig/);
    }
    assert.equal((await admin.b.get(`${TEAM}?after=${encodeURIComponent('a@example.org')}`)).statusCode, 200);
  });

  test('German: the invitation page says “Sie wurden … eingeladen”; the mail names the DPO as the operator does', async () => {
    const email = uniqueEmail('dsb');
    const other = await h.reopen({
      dpo: { ...demoOperator.dpo, title: { en: 'data protection officer', de: 'Datenschutzbeauftragte' } },
    });
    const viewer: Viewer = {
      userId: admin.id,
      sessionId: 'unused',
      name: 'Ada Admin',
      role: 'admin',
      emailVerified: true,
      secondFactor: true,
    };
    await inviteStaff(other.deps, viewer, { email, role: 'dpo', lang: 'de' });
    await deliverMail(h);
    const mail = h.mailer.to(email)[0]!;
    assert.match(mail.text, /als Datenschutzbeauftragte mitzuarbeiten/);
    const b = new Browser(h.app, nextIp());
    await b.get(linkIn(mail.text, '/account/invitation'));
    const page = await b.get('/account/invitation', { 'accept-language': 'de' });
    assert.match(page.body, /Sie wurden als .+ in die Verwaltung von .+ eingeladen/);
  });

  test('the policy says security secrets are stored only as hashes or encrypted (the TOTP key is encrypted)', async () => {
    const b = new Browser(h.app, nextIp());
    assert.match((await b.get('/privacy')).body, /security secrets \(stored only as hashes or encrypted\)/);
    const de = await b.get('/privacy', { 'accept-language': 'de' });
    assert.match(de.body, /Sicherheitsgeheimnisse \(nur als Hash oder verschlüsselt gespeichert\)/);
  });
});
