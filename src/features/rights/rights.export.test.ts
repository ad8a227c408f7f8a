// The export ZIP (issue 16, Art. 15 and 20 GDPR): what it holds (README, export.json, JSON and CSV per data set, the
// person's files byte for byte, nothing of a bystander), its progress, who may download it (the owner signed in,
// or a guest with the link of their mail), its expiry, and that retention and the person's erasure delete it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { deliverMail, signedIn, type Account } from '../../testing/factories.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { readZip } from '../../testing/zip.ts';
import { runRetention } from '../../privacy/retention.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import type { StepContext } from './rights.engine.ts';
import { exportFilePath, exportSteps, rowsCsv, safeFileName } from './rights.export.ts';
import { selectRequest, selectRequestEvents } from './rights.queries.ts';
import { openRequest } from './rights.service.ts';
import { runRequestNow } from './rights.steps.ts';

const DAY = 24 * 60 * 60 * 1000;

let ticketNo = 0;
/** A support ticket of `requester` with one message and the given attachments (rows and files). */
async function ticketWithFiles(
  h: Harness,
  requester: string,
  subject: string,
  files: { name: string; content: Buffer; type?: string }[],
): Promise<string[]> {
  const n = ++ticketNo;
  const at = h.clock.now();
  const ticketId = `export-ticket-${n}-${requester.slice(0, 8)}`;
  await h.deps.db
    .insertInto('support_tickets')
    .values({
      id: ticketId,
      ref: `EXPT${String(n).padStart(4, '0')}`,
      requester,
      requester_name: null,
      subject,
      state: 'open',
      category: 'technical',
      product_id: null,
      order_id: null,
      assignee_id: null,
      lang: 'en',
      source: 'account',
      profile_snapshot: null,
      merged_into: null,
      created_at: at,
      updated_at: at,
      solved_at: null,
      closed_at: null,
      kept_reason: null,
      kept_note: null,
      delete_after: null,
      restricted_at: null,
    })
    .execute();
  const messageId = `${ticketId}-m`;
  await h.deps.db
    .insertInto('support_messages')
    .values({
      id: messageId,
      ticket_id: ticketId,
      requester,
      author: 'customer',
      staff_id: null,
      body: `Message about ${subject}`,
      via: 'web',
      mail_message_id: null,
      created_at: at,
      kept_reason: null,
      restricted_at: null,
    })
    .execute();
  const ids: string[] = [];
  mkdirSync(join(h.dataDir, 'support-attachments'), { recursive: true });
  for (const [i, f] of files.entries()) {
    const id = `00000000-0000-4000-8000-${String(n).padStart(6, '0')}${String(i).padStart(6, '0')}`;
    await h.deps.db
      .insertInto('support_attachments')
      .values({
        id,
        ticket_id: ticketId,
        message_id: messageId,
        requester,
        file_name: f.name,
        content_type: f.type ?? 'application/octet-stream',
        size: f.content.length,
        created_at: at,
        kept_reason: null,
        restricted_at: null,
      })
      .execute();
    writeFileSync(join(h.dataDir, 'support-attachments', id), f.content);
    ids.push(id);
  }
  return ids;
}

test('file names in the ZIP are safe; the CSV has a header and defuses formulas', () => {
  assert.equal(safeFileName('../../etc/passwd'), 'passwd');
  assert.equal(safeFileName('C:\\Users\\me\\a<b>.txt'), 'a_b_.txt');
  assert.equal(safeFileName('..'), 'file');
  assert.equal(safeFileName('line\nbreak.txt'), 'line_break.txt');
  const csv = rowsCsv([
    { id: 1, note: '=HYPERLINK("x")' },
    { id: 2, extra: { a: 1 } },
  ]);
  assert.equal(csv, '\ufeffid,note,extra\n1,"\'=HYPERLINK(""x"")",\n2,,"{""a"":1}"\n');
});

describeEachDatabase('the export ZIP and its download', (kind) => {
  let h: Harness;
  let person: Account;
  let bystander: Account;
  let stranger: Account;
  const big = Buffer.alloc(3 * 1024 * 1024 + 17);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7919) % 251;
  const personFiles = [
    { name: 'crash.log', content: Buffer.from('Crash log of EXPORT-ATT-1') },
    { name: 'crash.log', content: Buffer.from('Second crash EXPORT-ATT-2') },
    { name: '../../evil.bin', content: big },
  ];
  let exportId = '';

  before(async () => {
    h = await openHarness(kind);
    person = await signedIn(h, { name: 'Petra Export', ip: '203.0.113.21' });
    bystander = await signedIn(h, { name: 'Bernd Bystander', ip: '203.0.113.22' });
    stranger = await signedIn(h, { name: 'Sven Stranger', ip: '203.0.113.23' });
    await ticketWithFiles(h, person.id, 'Printer EXPORT-TICKET-7', personFiles);
    await ticketWithFiles(h, bystander.id, 'Bystander BYST-TICKET-9', [
      { name: 'theirs.txt', content: Buffer.from('BYST-ATT-3') },
    ]);
  });
  after(() => h.close());

  test('build-archive reports progress step by step and writes the ZIP through a .part file', async () => {
    const { request } = await openRequest(h.deps, {
      kind: 'export',
      userId: person.id,
      email: person.email,
      lang: 'de',
      channel: 'account',
      verified: true,
    });
    exportId = request.id;
    // A left-over part file of a killed run is replaced.
    mkdirSync(join(h.dataDir, 'exports'), { recursive: true });
    writeFileSync(`${exportFilePath(h.dataDir, request.id)}.part`, 'left over');
    const percents: number[] = [];
    let committed = 0;
    const ctx: StepContext = {
      deps: h.deps,
      request,
      results: new Map(),
      commit: async (work) => {
        committed++;
        return h.deps.db.transaction().execute(work);
      },
      markDone: async () => undefined,
      progress: async (p) => void percents.push(p),
    };
    await exportSteps.find((s) => s.name === 'build-archive')!.run(ctx);
    assert.equal(committed, 1);
    assert.ok(percents.length >= 5, `progress reported step by step: ${percents.join(',')}`);
    assert.deepEqual(
      percents,
      [...percents].sort((a, b) => a - b),
      'progress only grows',
    );
    assert.ok(percents.at(-1)! >= 90);
    assert.ok(existsSync(exportFilePath(h.dataDir, request.id)));
    assert.ok(!existsSync(`${exportFilePath(h.dataDir, request.id)}.part`));
    const row = await selectRequest(h.deps.db, request.id);
    assert.equal(row?.export_expires_at, h.clock.now() + 7 * DAY);
    assert.equal(row?.export_size, readFileSync(exportFilePath(h.dataDir, request.id)).length);
  });

  test("the request runs to the end: the ZIP holds README, export.json, JSON and CSV per data set and the person's files, none of a bystander", async () => {
    // The engine runs the remaining steps (build-archive again: the test above recorded no step) and finishes.
    assert.equal(await runRequestNow(h.deps, exportId), true);
    const row = await selectRequest(h.deps.db, exportId);
    assert.equal(row?.state, 'done');
    assert.equal(row?.progress, 100);
    const zip = await readZip(exportFilePath(h.dataDir, exportId));
    const names = [...zip.keys()];
    assert.equal(names[0], 'README.txt');
    assert.match(zip.get('README.txt')!.toString(), /Diese ZIP-Datei ist die Kopie Ihrer personenbezogenen Daten/);
    const exported = JSON.parse(zip.get('export.json')!.toString());
    assert.equal(exported.format, 'candor-subject-export/1');
    assert.equal(exported.subject.email, person.email);
    // Files are listed, not embedded.
    assert.equal(exported.files.length, 3, JSON.stringify(exported.files));
    assert.ok(exported.files.every((f: Record<string, unknown>) => !('content' in f) && typeof f.size === 'number'));
    assert.deepEqual(exported.files.map((f: { path: string }) => f.path).sort(), [
      'files/support.attachment-files/crash (2).log',
      'files/support.attachment-files/crash.log',
      'files/support.attachment-files/evil.bin',
    ]);
    // Per data set a JSON and a CSV file, with the person's rows.
    for (const record of exported.records as { table: string; activity: string; rows: unknown[] }[]) {
      const multi = exported.records.filter((r: { table: string }) => r.table === record.table).length > 1;
      const base = multi ? `data/${record.table}.${record.activity}` : `data/${record.table}`;
      const json = JSON.parse(zip.get(`${base}.json`)!.toString());
      assert.deepEqual(json.rows, record.rows);
      const csv = zip.get(`${base}.csv`)!.toString();
      assert.equal(csv.trimEnd().split('\n').length >= record.rows.length + 1, true, `${base}.csv has a header row`);
    }
    const users = JSON.parse(zip.get('data/users.json')!.toString());
    assert.equal(users.rows[0].email, person.email);
    assert.match(zip.get('data/users.csv')!.toString(), /^\ufeffid,/);
    assert.match(zip.get('data/support_tickets.json')!.toString(), /EXPORT-TICKET-7/);
    // The attachments, byte for byte.
    for (const [zipName, original] of [
      ['files/support.attachment-files/crash.log', personFiles[0]!.content],
      ['files/support.attachment-files/crash (2).log', personFiles[1]!.content],
      ['files/support.attachment-files/evil.bin', big],
    ] as const)
      assert.ok(zip.get(zipName)?.equals(original), `${zipName} byte-equal`);
    // Nothing of the bystander anywhere in the ZIP.
    const all = Buffer.concat([...zip.values()]).toString('latin1');
    for (const value of [bystander.email, bystander.id, 'Bernd Bystander', 'BYST-TICKET-9', 'BYST-ATT-3'])
      assert.ok(!all.includes(value), `${value} must not be in the export`);
  });

  test('notify mails the privacy centre link to an account holder, in their language', async () => {
    const mails = await h.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('recipient', '=', person.email)
      .where('template', '=', 'privacy-export-ready')
      .execute();
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, 'Ihre Datenkopie ist bereit');
    assert.match(mails[0]!.body, /\/account\/privacy\b/);
    assert.match(mails[0]!.body, /bis \d\d\.\d\d\.2026/);
  });

  test('only the signed-in owner downloads it: another account 404, no session refused', async () => {
    const res = await person.b.get(`/account/privacy/exports/${exportId}`);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(String(res.headers['content-disposition']), /^attachment; filename="my-data-\d{4}-\d\d-\d\d\.zip"$/);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.ok(res.rawPayload.equals(readFileSync(exportFilePath(h.dataDir, exportId))));
    const events = await selectRequestEvents(h.deps.db, exportId);
    assert.ok(events.some((e) => e.what === 'downloaded' && e.actor_user_id === person.id));

    assert.equal((await stranger.b.get(`/account/privacy/exports/${exportId}`)).statusCode, 404);
    assert.equal((await person.b.get('/account/privacy/exports/00000000-0000-4000-8000-000000000000')).statusCode, 404);
    assert.equal((await person.b.get('/account/privacy/exports/not-a-uuid')).statusCode, 404);
    const anonymous = await new Browser(h.app, '203.0.113.29').get(`/account/privacy/exports/${exportId}`);
    assert.ok([401, 303].includes(anonymous.statusCode), `no session: ${anonymous.statusCode}`);
    assert.ok(!anonymous.rawPayload.subarray(0, 2).equals(Buffer.from('PK')));
    // The account's link never works without a session, and the guest route wants the token.
    assert.equal((await stranger.b.get(`/privacy/exports/${exportId}`)).statusCode, 404);
  });

  test('a request not finished answers 409 in the person’s language', async () => {
    const { request } = await openRequest(h.deps, {
      kind: 'access',
      userId: stranger.id,
      email: stranger.email,
      lang: 'en',
      channel: 'account',
      verified: true,
    });
    const res = await stranger.b.get(`/account/privacy/exports/${request.id}`, { 'accept-language': 'de' });
    assert.equal(res.statusCode, 409);
    assert.match(res.body, /Ihre Kopie wird noch erstellt/);
    const en = await stranger.b.get(`/account/privacy/exports/${request.id}`, { 'accept-language': 'en' });
    assert.match(en.body, /Your copy is still being made/);
  });

  test("a guest's link: the mail stores no token; a wrong or missing token 404, the right one 200", async () => {
    const guest = 'gisela.guest@example.org';
    await ticketWithFiles(h, guest, 'Guest GUEST-TICKET-5', [{ name: 'note.txt', content: Buffer.from('GUEST-ATT') }]);
    const { request } = await openRequest(h.deps, {
      kind: 'export',
      userId: null,
      email: guest,
      lang: 'en',
      channel: 'guest',
      verified: true,
    });
    assert.equal(await runRequestNow(h.deps, request.id), true);
    const stored = await h.deps.db.selectFrom('outbox').selectAll().where('recipient', '=', guest).execute();
    assert.equal(stored.length, 1);
    const { deriveSecret } = await import('../../platform/secret-links.ts');
    const token = deriveSecret(h.deps.config.secret, 'privacy-export', request.id);
    assert.ok(!JSON.stringify(stored).includes(token), 'no readable token in the stored mail');
    assert.match(stored[0]!.body, /\/privacy\/exports\/[0-9a-f-]{36}\?token=\{\{secret:privacy-export:/);
    await deliverMail(h);
    const sent = h.mailer.to(guest).at(-1)!;
    assert.match(sent.text, /You can download it until/);
    const link = /https?:\/\/\S+\/privacy\/exports\/[0-9a-f-]{36}\?token=[A-Za-z0-9_-]+/.exec(sent.text)?.[0];
    assert.ok(link, 'the sent mail carries the link');
    const path = new URL(link).pathname + new URL(link).search;
    const b = new Browser(h.app, '203.0.113.31');
    assert.equal((await b.get(`/privacy/exports/${request.id}`)).statusCode, 404);
    assert.equal((await b.get(`/privacy/exports/${request.id}?token=${'A'.repeat(43)}`)).statusCode, 404);
    assert.equal((await b.get(`/privacy/exports/${exportId}?token=${token}`)).statusCode, 404, 'not for another id');
    const ok = await b.get(path);
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.headers['referrer-policy'], 'no-referrer');
    assert.equal(ok.headers['cache-control'], 'no-store');
    const zip = await readZip(ok.rawPayload);
    assert.ok(zip.get('files/support.attachment-files/note.txt')?.equals(Buffer.from('GUEST-ATT')));
    assert.ok(
      !Buffer.concat([...zip.values()])
        .toString('latin1')
        .includes(person.email),
    );
  });

  test('an erasure of the person deletes their ZIP', async () => {
    const owner = await signedIn(h, { name: 'Erika Erase', ip: '203.0.113.41' });
    const { request } = await openRequest(h.deps, {
      kind: 'export',
      userId: owner.id,
      email: owner.email,
      lang: 'en',
      channel: 'account',
      verified: true,
    });
    assert.equal(await runRequestNow(h.deps, request.id), true);
    assert.ok(existsSync(exportFilePath(h.dataDir, request.id)));
    const { request: erasure } = await openRequest(h.deps, {
      kind: 'erasure',
      userId: owner.id,
      email: owner.email,
      lang: 'en',
      channel: 'account',
      verified: true,
    });
    assert.equal(await runRequestNow(h.deps, erasure.id), true);
    assert.ok(!existsSync(exportFilePath(h.dataDir, request.id)), 'the ZIP went with the erasure');
    assert.ok(existsSync(exportFilePath(h.dataDir, exportId)), "another person's ZIP stays");
  });

  test('after its days the download answers 410 and retention deletes the ZIP and a stale part file', async () => {
    const zipPath = exportFilePath(h.dataDir, exportId);
    // A part file a killed run left (its request row exists: only its age removes it).
    const stale = `${zipPath}.part`;
    writeFileSync(stale, 'half written');
    const seconds = h.clock.now() / 1000;
    utimesSync(stale, seconds, seconds);
    h.clock.advance(6 * DAY);
    await runRetention(h.deps);
    assert.ok(existsSync(zipPath), 'kept within its days');
    assert.ok(existsSync(stale));
    h.clock.advance(2 * DAY); // 8 days after
    const again = await person.b.api('POST', '/api/v1/sessions', { email: person.email, password: person.password });
    assert.equal(again.statusCode, 201);
    assert.equal((await person.b.get(`/account/privacy/exports/${exportId}`)).statusCode, 410);
    await runRetention(h.deps);
    assert.ok(!existsSync(zipPath), 'retention deleted the expired ZIP');
    assert.ok(!existsSync(stale), 'and the stale part file');
    const gone = await person.b.get(`/account/privacy/exports/${exportId}`);
    assert.equal(gone.statusCode, 410);
    assert.match(gone.body, /expired|abgelaufen/);
  });

  // Last: it moves the shared clock by days.
  test('a disclosure to an authority kept confidential is in no export until its date, then it is', async () => {
    const owner = await signedIn(h, { name: 'Clara Confidential', ip: '203.0.113.44' });
    const until = h.clock.now() + 10 * 86_400_000;
    await h.deps.db
      .insertInto('authority_disclosures')
      .values({
        id: '00000000-0000-4000-8000-0000000c0f1d',
        subject: owner.id,
        authority: 'Staatsanwaltschaft Geheimstadt',
        legal_basis: '§ 100a StPO',
        reference: 'AZ 7 Js 1/26',
        categories: '["identity"]',
        disclosed_at: h.clock.now(),
        confidential_until: until,
        recorded_at: h.clock.now(),
        recorded_by: null,
        restricted_at: null,
      })
      .execute();
    const tables = async () =>
      (await exportSubjectData(h.deps, owner.email)).records
        .map((r) => r.table)
        .filter((t) => t === 'authority_disclosures');
    assert.deepEqual(await tables(), [], 'confidential: not in the export');
    const report = await owner.b.get('/account/privacy');
    assert.ok(!report.body.includes('Geheimstadt'), 'confidential: not in the access report');
    h.clock.advance(11 * 86_400_000);
    assert.deepEqual(await tables(), ['authority_disclosures'], 'after its date it is');
    // The session has expired meanwhile: sign in again.
    await owner.b.api('POST', '/api/v1/sessions', { email: owner.email, password: owner.password });
    const later = await owner.b.get('/account/privacy');
    assert.equal(later.statusCode, 200, later.headers.location as string);
    assert.ok(later.body.includes('Geheimstadt'));
  });
});
