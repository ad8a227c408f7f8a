// The staff team (issue 12 point 7): invitations with their own mail and single-use links that sign the person in,
// revocation and resending, role changes with the last-admin guard, deactivation, last sign-in, admin-only pages,
// and `candor user create` (the BASE_URL warning, and the set-up link that signs in).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { asRole, deliverMail, PASSWORD, signedIn, uniqueEmail, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, linkIn, openHarness, type Harness } from '../../testing/harness.ts';
import { javaSkip, validateHtml, type HtmlDocument } from '../../testing/html-checker.ts';

const TEAM = '/staff/team';
const INVITATION = '/account/invitation';

describeEachDatabase('staff team', (dbKind) => {
  let h: Harness;
  let admin: Account;
  before(async () => {
    h = await openHarness(dbKind);
    admin = await asRole(h, await signedIn(h, { name: 'Ada Admin' }), 'admin');
  });
  after(() => h.close());

  /** Invites through the team page's form, as the admin; returns the answer. */
  const invite = (fields: Record<string, string>, by: Account = admin) =>
    by.b.submit(TEAM, `${TEAM}/invitations`, { role: 'staff', lang: 'en', ...fields });

  /** The invitation link mailed to `email` (the newest one), as a path with its token. */
  async function invitationLink(email: string): Promise<string> {
    await deliverMail(h);
    const mails = h.mailer.to(email).filter((m) => m.text.includes(INVITATION));
    assert.ok(mails.length > 0, `no invitation mail to ${email}`);
    return linkIn(mails[mails.length - 1]!.text, INVITATION);
  }

  /** Opens the link in a fresh browser and accepts with the fields; returns the browser and the answer. */
  async function accept(link: string, fields: Record<string, string>, b = new Browser(h.app, '198.51.100.20')) {
    const opened = await b.get(link);
    const page = opened.statusCode === 303 ? await b.get(INVITATION) : opened;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
    const res = await b.post(INVITATION, { _csrf: token, ...fields });
    return { b, opened, page, res };
  }

  async function userByEmail(email: string) {
    return h.deps.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
  }

  test('the invitation mail says who invites, to which shop, as which role, until when and what follows (en, de); no table holds the token', async () => {
    const en = uniqueEmail('invitee');
    const de = uniqueEmail('eingeladen');
    assert.equal((await invite({ email: en, name: 'Ina Invitee', role: 'dpo' })).statusCode, 303);
    assert.equal((await invite({ email: de, role: 'admin', lang: 'de' })).statusCode, 303);
    const company = h.deps.config.operator.company;
    const enLink = await invitationLink(en);
    const deLink = await invitationLink(de);
    const enMail = h.mailer.to(en)[0]!;
    assert.match(enMail.subject, /Invitation/);
    assert.ok(!/reset/i.test(enMail.subject) && !/reset your password/i.test(enMail.text), 'not a password-reset text');
    for (const part of [
      'Hello Ina Invitee',
      'Ada Admin invites you',
      company,
      'as data protection officer',
      'valid until',
      'second factor',
    ])
      assert.ok(enMail.text.includes(part), `English mail lacks "${part}":\n${enMail.text}`);
    const deMail = h.mailer.to(de)[0]!;
    assert.match(deMail.subject, /Einladung/);
    for (const part of ['Ada Admin lädt Sie ein', company, 'als Administrator', 'gültig', 'zweiten Faktor'])
      assert.ok(deMail.text.includes(part), `German mail lacks "${part}":\n${deMail.text}`);
    // The working token exists only in the mail as sent: every table of the database is scanned for it.
    for (const link of [enLink, deLink]) {
      const token = new URL(link, 'http://x').searchParams.get('token')!;
      assert.equal(token.length, 43);
      for (const table of await listTables(h.deps.db, h.deps.dbKind)) {
        const rows = await h.deps.db
          .selectFrom(table as 'users')
          .selectAll()
          .execute();
        assert.ok(!JSON.stringify(rows).includes(token), `table ${table} holds an invitation token`);
      }
    }
    const stored = await h.deps.db.selectFrom('outbox').select('body').where('recipient', '=', en).execute();
    assert.ok(
      stored.some((r) => String(r.body).includes('{{secret:staff-invitation:')),
      'outbox keeps a placeholder',
    );
  });

  test('accepting signs the person in with the role; the link works once', async () => {
    const email = uniqueEmail('newstaff');
    await invite({ email, name: 'Nina New', role: 'staff' });
    const link = await invitationLink(email);
    const { b, opened, page, res } = await accept(link, { name: 'Nina New', password: 'violet harbour ninety' });
    assert.equal(opened.statusCode, 303, 'the token leaves the address bar');
    assert.equal(opened.headers.location, INVITATION);
    assert.match(page.body, /Choose a password/);
    assert.equal(res.statusCode, 303, res.body);
    assert.equal(res.headers.location, '/staff');
    const user = await userByEmail(email);
    assert.equal(user?.role, 'staff');
    assert.ok(user?.email_verified_at !== null, 'the link proved the address');
    assert.ok(b.cookie('candor_session') ?? [...b.cookieHeader().matchAll(/session/g)].length > 0, 'a session cookie');
    const me = await b.get('/account');
    assert.equal(me.statusCode, 200, 'signed in');
    const sessions = await h.deps.db.selectFrom('sessions').select('id').where('user_id', '=', user!.id).execute();
    assert.equal(sessions.length, 1);
    // Reused: a clear page, 4xx.
    const again = await new Browser(h.app, '198.51.100.21').get(link);
    assert.equal(again.statusCode, 410);
    assert.match(again.body, /invalid, was already used, was revoked or has expired/);
  });

  test('an expired invitation is refused with a clear page in the reader’s language', async () => {
    const email = uniqueEmail('late');
    await invite({ email });
    const link = await invitationLink(email);
    h.clock.advance(7 * DAY + 1);
    try {
      const b = new Browser(h.app, '198.51.100.22');
      const res = await b.get(link, { 'accept-language': 'de' });
      assert.equal(res.statusCode, 410);
      assert.match(res.body, /ungültig, wurde bereits verwendet, wurde widerrufen oder ist abgelaufen/);
      assert.equal(await userByEmail(email), undefined);
    } finally {
      h.clock.advance(-(7 * DAY + 1));
    }
  });

  test('an existing customer account gets the role only with its own password', async () => {
    const customer = await signedIn(h, { name: 'Carl Customer' });
    await invite({ email: customer.email, role: 'staff' });
    const link = await invitationLink(customer.email);
    const wrong = await accept(link, { password: 'not the password at all' });
    assert.match(wrong.page.body, /already has an account/);
    assert.equal(wrong.res.statusCode, 400);
    assert.equal((await userByEmail(customer.email))?.role, 'customer');
    const right = await accept(link, { password: PASSWORD });
    assert.equal(right.res.statusCode, 303, right.res.body);
    const user = await userByEmail(customer.email);
    assert.equal(user?.role, 'staff');
    assert.equal(user?.name, 'Carl Customer', 'the account stays as it was');
  });

  test('a revoked invitation is dead; a resent one has a new link and the old one dies', async () => {
    const revoked = uniqueEmail('revoked');
    await invite({ email: revoked });
    const revokedLink = await invitationLink(revoked);
    const inv = await h.deps.db
      .selectFrom('staff_invitations')
      .selectAll()
      .where('email', '=', revoked)
      .executeTakeFirstOrThrow();
    assert.equal((await admin.b.submit(TEAM, `${TEAM}/invitations/${inv.id}/revoke`, {})).statusCode, 303);
    assert.equal(
      (await accept(revokedLink, { name: 'Rita', password: 'violet harbour ninety' })).opened.statusCode,
      410,
    );

    const resent = uniqueEmail('resent');
    await invite({ email: resent });
    const first = await invitationLink(resent);
    const row = await h.deps.db
      .selectFrom('staff_invitations')
      .selectAll()
      .where('email', '=', resent)
      .executeTakeFirstOrThrow();
    assert.equal((await admin.b.submit(TEAM, `${TEAM}/invitations/${row.id}/resend`, {})).statusCode, 303);
    const second = await invitationLink(resent);
    assert.notEqual(first, second);
    assert.equal((await new Browser(h.app, '198.51.100.23').get(first)).statusCode, 410, 'the old link is dead');
    const ok = await accept(second, { name: 'Rex Resent', password: 'violet harbour ninety' });
    assert.equal(ok.res.statusCode, 303, ok.res.body);
    const changes = await h.deps.db
      .selectFrom('staff_changes')
      .select('action')
      .where('invitation_id', 'in', [inv.id, row.id])
      .execute();
    assert.deepEqual(changes.map((c) => c.action).sort(), [
      'accept-invitation',
      'invite',
      'invite',
      'resend-invitation',
      'revoke-invitation',
    ]);
  });

  test('an admin changes roles, but the last active admin keeps theirs', async () => {
    const h2 = await openHarness(dbKind);
    try {
      const only = await asRole(h2, await signedIn(h2, { name: 'Only Admin' }), 'admin');
      const staff = await asRole(h2, await signedIn(h2, { name: 'Sam Staff' }), 'staff');
      const demote = await only.b.submit(TEAM, `${TEAM}/${only.id}/role`, { role: 'staff' });
      assert.equal(demote.statusCode, 409);
      assert.match(demote.body, /At least one active administrator account must remain/);
      const deactivateSelf = await only.b.submit(TEAM, `${TEAM}/${only.id}/deactivate`, {});
      assert.equal(deactivateSelf.statusCode, 409);
      const de = await only.b.get(TEAM, { 'accept-language': 'de' });
      assert.equal(de.statusCode, 200);
      const promote = await only.b.submit(TEAM, `${TEAM}/${staff.id}/role`, { role: 'admin' });
      assert.equal(promote.statusCode, 303, promote.body);
      assert.equal((await only.b.submit(TEAM, `${TEAM}/${only.id}/role`, { role: 'dpo' })).statusCode, 303);
      const roles = await h2.deps.db.selectFrom('users').select(['id', 'role']).execute();
      assert.equal(roles.find((r) => r.id === staff.id)?.role, 'admin');
      assert.equal(roles.find((r) => r.id === only.id)?.role, 'dpo');
      const changes = await h2.deps.db
        .selectFrom('staff_changes')
        .select(['action', 'detail', 'actor_user_id'])
        .execute();
      assert.deepEqual(changes.map((c) => c.detail).sort(), ['admin→dpo', 'staff→admin']);
      assert.ok(changes.every((c) => c.actor_user_id === only.id));
    } finally {
      await h2.close();
    }
  });

  test('deactivation ends every session, refuses sign-in like a wrong password and sends no reset link', async () => {
    const member = await asRole(h, await signedIn(h, { name: 'Dora Deactivated' }), 'staff');
    const other = new Browser(h.app, '198.51.100.30');
    // 201, or 202 when the second factor is asked for next: either way the password was accepted.
    assert.ok(
      [201, 202].includes(
        (await other.api('POST', '/api/v1/sessions', { email: member.email, password: PASSWORD })).statusCode,
      ),
    );
    assert.equal((await member.b.get('/account')).statusCode, 200);
    const res = await admin.b.submit(TEAM, `${TEAM}/${member.id}/deactivate`, {});
    assert.equal(res.statusCode, 303, res.body);
    const left = await h.deps.db.selectFrom('sessions').select('id').where('user_id', '=', member.id).execute();
    assert.equal(left.length, 0, 'all sessions ended at once');
    assert.notEqual((await member.b.get('/account')).statusCode, 200);
    // A session begun after the deactivation (a second-factor step started before it) does not resolve either.
    const { startSession, resolveSession } = await import('./accounts.service.ts');
    const late = await startSession(h.deps, h.deps.db, member.id, false, { device: null, ip: '198.51.100.33' });
    assert.equal(await resolveSession(h.deps, late.token, '198.51.100.33'), null);
    const b = new Browser(h.app, '198.51.100.31');
    const right = await b.api('POST', '/api/v1/sessions', { email: member.email, password: PASSWORD });
    const wrong = await new Browser(h.app, '198.51.100.32').api('POST', '/api/v1/sessions', {
      email: uniqueEmail('nobody'),
      password: PASSWORD,
    });
    assert.equal(right.statusCode, 401);
    assert.equal(right.statusCode, wrong.statusCode);
    assert.equal(JSON.parse(right.body).error.code, JSON.parse(wrong.body).error.code);
    const before = h.mailer.to(member.email).length;
    await b.submit('/account/password-reset', '/account/password-reset', { email: member.email });
    await deliverMail(h);
    assert.equal(h.mailer.to(member.email).length, before, 'no reset mail for a deactivated account');
    const page = await admin.b.get(TEAM);
    assert.match(page.body, /Dora Deactivated<\/td><td>[^<]+<\/td><td>staff member<\/td><td>deactivated/);
    assert.equal((await admin.b.submit(TEAM, `${TEAM}/${member.id}/reactivate`, {})).statusCode, 303);
    assert.ok(
      [201, 202].includes(
        (await b.api('POST', '/api/v1/sessions', { email: member.email, password: PASSWORD })).statusCode,
      ),
    );
  });

  test('the team page shows the last sign-in, pages on a keyset and records the view', async () => {
    const member = await asRole(h, await signedIn(h, { name: 'Lena Lastsignin' }), 'staff');
    const row = await userByEmail(member.email);
    assert.ok(row?.last_sign_in_at, 'sign-in recorded');
    const page = await admin.b.get(TEAM);
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['cache-control'], 'no-store');
    assert.match(
      page.body,
      /Lena Lastsignin<\/td><td>[^<]+<\/td><td>staff member<\/td><td>active<\/td><td>29 Nov 2026/,
    );
    const de = await admin.b.get(TEAM, { 'accept-language': 'de' });
    assert.match(de.body, /Letzte Anmeldung/);
    const { listTeam } = await import('./accounts.team.service.ts');
    const first = await listTeam(h.deps, {}, 2);
    assert.equal(first.members.length, 2);
    assert.ok(first.nextAfter);
    const second = await listTeam(h.deps, { after: first.nextAfter }, 2);
    assert.ok(
      second.members.every((m) => m.email > first.nextAfter!),
      'the next page starts after the last address',
    );
    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select(['what', 'actor_user_id'])
      .where('what', '=', 'accounts.team-view')
      .execute();
    assert.ok(audit.some((a) => a.actor_user_id === admin.id));
  });

  test('only admins reach the team page and its actions', async () => {
    const customer = await signedIn(h);
    const staff = await asRole(h, await signedIn(h), 'staff');
    const dpo = await asRole(h, await signedIn(h), 'dpo');
    for (const who of [customer, staff, dpo]) {
      assert.equal((await who.b.get(TEAM)).statusCode, 403);
      const token = /name="_csrf" value="([^"]+)"/.exec((await who.b.get('/account/profile')).body)?.[1] ?? '';
      const res = await who.b.post(`${TEAM}/invitations`, { _csrf: token, email: uniqueEmail(), role: 'admin' });
      assert.equal(res.statusCode, 403);
      assert.equal((await who.b.post(`${TEAM}/${admin.id}/deactivate`, { _csrf: token })).statusCode, 403);
    }
    const empty = await openHarness(dbKind);
    try {
      assert.equal(await empty.deps.db.selectFrom('staff_invitations').select('id').executeTakeFirst(), undefined);
      const only = await asRole(empty, await signedIn(empty), 'admin');
      assert.match((await only.b.get(TEAM)).body, /No open invitations/);
    } finally {
      await empty.close();
    }
  });

  test('the team and invitation pages are valid HTML in English and German', { skip: javaSkip }, async () => {
    const docs: HtmlDocument[] = [];
    const email = uniqueEmail('valid');
    await invite({ email, name: 'Vera Valid' });
    const link = await invitationLink(email);
    for (const lang of ['en', 'de']) {
      const headers = { 'accept-language': lang };
      docs.push({ url: `GET ${TEAM} (${lang})`, body: (await admin.b.get(TEAM, headers)).body });
      const token = /name="_csrf" value="([^"]+)"/.exec((await admin.b.get(TEAM)).body)?.[1] ?? '';
      const bad = await admin.b.post(
        `${TEAM}/invitations`,
        { _csrf: token, email: 'not an address', role: 'x' },
        headers,
      );
      assert.equal(bad.statusCode, 400);
      docs.push({ url: `POST ${TEAM}/invitations (${lang}, bad)`, body: bad.body });
      const b = new Browser(h.app, '198.51.100.50');
      await b.get(link);
      docs.push({ url: `GET ${INVITATION} (${lang})`, body: (await b.get(INVITATION, headers)).body });
      docs.push({
        url: `GET ${INVITATION} dead (${lang})`,
        body: (await new Browser(h.app).get(INVITATION, headers)).body,
      });
    }
    assert.match(docs[2]!.body, /Choose a password/);
    assert.match(docs[6]!.body, /Passwort wählen/);
    assert.deepEqual(validateHtml(docs), []);
  });

  test('candor user create warns without BASE_URL, and the set-up link signs the person in', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'candor-cli-team-'));
    const saved = { ...process.env };
    process.env.DATA_DIR = dataDir;
    delete process.env.DATABASE_URL;
    delete process.env.BASE_URL;
    process.env.LOG_LEVEL = 'silent';
    const { runCli } = await import('../../testing/app.ts');
    const write = { out: process.stdout.write.bind(process.stdout), err: process.stderr.write.bind(process.stderr) };
    let out = '';
    let err = '';
    const run = async (args: string[]) => {
      out = '';
      err = '';
      process.stdout.write = ((c: string) => ((out += c), true)) as typeof process.stdout.write;
      process.stderr.write = ((c: string) => ((err += c), true)) as typeof process.stderr.write;
      try {
        return await runCli(args);
      } finally {
        process.stdout.write = write.out;
        process.stderr.write = write.err;
      }
    };
    try {
      assert.equal(await run(['user', 'create', '--email', 'cli.staff@example.org', '--role', 'staff']), 0);
      assert.match(err, /Warning: BASE_URL is not set/);
      const shown = /(http:\/\/[^/\s]+)\/account\/password-reset\/confirm\?token=/.exec(out);
      assert.ok(shown, out);
      assert.ok(err.includes(shown[1]!), 'the warning names the address the link points to');
      process.env.BASE_URL = 'http://127.0.0.1:8080';
      assert.equal(await run(['user', 'create', '--email', 'cli.other@example.org', '--role', 'dpo']), 0);
      assert.equal(err, '', 'no warning once BASE_URL is set');
    } finally {
      process.env = saved;
      rmSync(dataDir, { recursive: true, force: true });
    }
    // The set-up link, through the harness's app: choosing a password signs in.
    const { createStaffUser } = await import('../../testing/app.ts');
    const email = uniqueEmail('setup');
    const { link } = await createStaffUser(h.deps, { email, role: 'staff', name: 'Sia Setup' });
    const b = new Browser(h.app, '198.51.100.40');
    const url = new URL(link);
    assert.equal((await b.get(`${url.pathname}${url.search}`)).statusCode, 303, 'the token moves into a cookie');
    const res = await b.submit(url.pathname, url.pathname, { password: 'violet harbour ninety' });
    assert.equal(res.statusCode, 303, res.body);
    assert.equal((await b.get('/account')).statusCode, 200, 'signed in after choosing the password');
    // An ordinary reset still asks for a new sign-in.
    const customer = await signedIn(h);
    const rb = new Browser(h.app, '198.51.100.41');
    await rb.submit('/account/password-reset', '/account/password-reset', { email: customer.email });
    await deliverMail(h);
    const resetMail = h.mailer.to(customer.email).find((m) => m.subject === 'Reset your password');
    assert.ok(resetMail);
    await rb.get(linkIn(resetMail.text, '/account/password-reset/confirm'));
    const reset = await rb.submit('/account/password-reset/confirm', '/account/password-reset/confirm', {
      password: 'violet harbour ninety two',
    });
    assert.equal(reset.statusCode, 200);
    assert.match(reset.body, /please sign in again/);
  });
});
