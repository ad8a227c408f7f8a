// Competitions (issue 13, point 7; Done-when 4): entries confirmed by mail, a verifiable draw, and no entrant's
// name or address left anywhere once the competition is drawn and through retention (the winner's after the prize
// period). Runs on SQLite and, with TEST_DATABASE_URL, on PostgreSQL.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { DAY, HOUR } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import { classifyDataFile, listFilesUnder } from '../../privacy/files.ts';
import { selectAllRows } from '../../privacy/retention.queries.ts';
import { runRetention } from '../../privacy/retention.ts';
import { liftObjection, mayProcess, recordObjection } from '../../privacy/objections.ts';
import { eraseSubjectData } from '../../privacy/subject.ts';
import { asRole, signedIn, staffMember, uniqueEmail } from '../../testing/factories.ts';
import { alterParam, Browser, describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';
import { accessibilityViolations, browserSkip, openBrowserShop } from '../../testing/browser.ts';
import { deliverDueMail, pruneMailFiles } from '../mail/index.ts';
import { COMPETITION_ACTIVITY } from './competitions.data-map.ts';
import { drawWinners, entryHash, verifyDraw } from './competitions.draw.ts';
import { drawEndedCompetitionsJob } from './competitions.jobs.ts';
import { createCompetition, localDateTimeValue } from './competitions.service.ts';

const ZONE = 'Europe/Berlin';
const local = (at: number) => localDateTimeValue(at, ZONE);

async function competition(h: Harness, slug: string, o: { startsAt?: number; endsAt?: number; winners?: number } = {}) {
  return createCompetition(h.deps, {
    slug,
    titleEn: 'Win a synthesiser',
    titleDe: 'Gewinnen Sie einen Synthesizer',
    textEn: 'Tell us nothing, just enter.',
    textDe: 'Einfach teilnehmen.',
    prizeEn: 'One Tonfabrik synthesiser',
    prizeDe: 'Ein Tonfabrik-Synthesizer',
    startsAt: local(o.startsAt ?? START - HOUR),
    endsAt: local(o.endsAt ?? START + 10 * DAY),
    winners: String(o.winners ?? 1),
    countries: ['AT', 'DE'],
    prizeDays: '60',
  });
}

/** Sends due mail through the harness's mailer (the file sink where the harness has one), as the worker would. */
async function deliver(h: Harness): Promise<void> {
  await deliverDueMail({
    db: h.deps.db,
    clock: h.clock,
    mailer: h.deps.mailer,
    log: h.deps.log,
    from: 'shop@test',
    secret: h.deps.config.secret,
    attachments: h.deps.mailAttachments,
  });
}

let ip = 0;
/** A client address per visitor: entries are rate-limited per IP. */
const nextIp = () => `198.51.100.${++ip % 250}`;

function linkIn(text: string, path: string): string {
  const match = new RegExp(`https?://[^\\s]+${path}\\?r=[A-Za-z0-9_-]+&t=[A-Za-z0-9_-]+`).exec(text);
  if (!match) throw new Error(`no ${path} link in mail`);
  const url = new URL(match[0]);
  return `${url.pathname}${url.search}`;
}

async function enter(h: Harness, slug: string, p: { given: string; surname: string; email: string }, b?: Browser) {
  const browser = b ?? new Browser(h.app, nextIp());
  return browser.api('POST', `/api/v1/competitions/${slug}/entries`, {
    givenName: p.given,
    surname: p.surname,
    email: p.email,
    country: 'DE',
    acceptConditions: true,
  });
}

async function confirm(h: Harness, email: string): Promise<void> {
  await deliver(h);
  const mail = h.mailer.to(email).at(-1);
  assert.ok(mail, `a confirmation mail to ${email}`);
  const b = new Browser(h.app, nextIp());
  const moved = await b.get(linkIn(mail.text, '/competitions/confirm'));
  assert.equal(moved.statusCode, 303);
  const done = await b.submit('/competitions/confirm', '/competitions/confirm', {});
  assert.equal(done.statusCode, 200, done.body);
  assert.match(done.body, /entry is confirmed/);
}

/** The promise, or a failure after `ms` (a deadlock would otherwise hang the test). */
async function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function databaseText(h: Harness, except: string[] = []): Promise<string> {
  const parts: string[] = [];
  for (const table of await listTables(h.deps.db, h.deps.dbKind))
    if (!except.includes(table)) parts.push(JSON.stringify(await selectAllRows(h.deps.db, table)));
  return parts.join('\n');
}

function filesText(h: Harness): string {
  return listFilesUnder(h.dataDir)
    .filter((f) => classifyDataFile(h.deps.dataMap, f).set?.id !== 'platform.database')
    .map((f) => `${f}\n${readFileSync(join(h.dataDir, f), 'utf8')}`)
    .join('\n');
}

async function cli(h: Harness, args: string[]) {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DATA_DIR: h.dataDir,
    CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
    BASE_URL: 'http://127.0.0.1:3000',
    LOG_LEVEL: 'silent',
  };
  if (h.deps.dbKind === 'postgres') {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(h.deps.db);
    const url = new URL(process.env.TEST_DATABASE_URL as string);
    url.searchParams.set('options', `-c search_path=${rows[0]?.schema}`);
    env.DATABASE_URL = url.toString();
  }
  return spawnSync(process.execPath, [join(import.meta.dirname, '../../../bin/candor.js'), ...args], {
    env,
    encoding: 'utf8',
  });
}

describeEachDatabase('competitions', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db, { mailer: 'file' });
  });
  after(async () => h.close());

  test('a drawn competition leaves no entrant anywhere, the winner only for the prize period, and the draw verifies', async () => {
    const slug = `draw-${db}`;
    const c = await competition(h, slug, { winners: 1 });
    const people = [
      { given: 'Ottoline', surname: 'Wobblethorpe', email: uniqueEmail('ottoline') },
      { given: 'Brunhilde', surname: 'Fizzlewick', email: uniqueEmail('brunhilde') },
      { given: 'Xaverine', surname: 'Grumbleton', email: uniqueEmail('xaverine') },
      { given: 'Quirinus', surname: 'Snodgrassel', email: uniqueEmail('quirinus') },
    ];
    for (const p of people) assert.equal((await enter(h, slug, p)).statusCode, 202);
    // The first three confirm; the fourth never does.
    for (const p of people.slice(0, 3)) await confirm(h, p.email);
    await deliver(h);
    assert.equal(h.mailer.to(people[3]!.email).length, 1);

    // After the end the job draws: one winner kept, every other entry (the unconfirmed one too) deleted at once.
    h.clock.set(c.ends_at + 5 * 60_000);
    await drawEndedCompetitionsJob.run(h.deps);
    const rows = await h.deps.db.selectFrom('competition_entries').selectAll().execute();
    assert.equal(rows.length, 1);
    const winner = rows[0]!;
    assert.equal(winner.status, 'won');
    assert.equal(winner.delete_after, h.clock.now() + 60 * DAY);
    const losers = people.filter((p) => p.email !== winner.email);
    const traces = (p: (typeof people)[number]) => [p.given, p.surname, p.email];
    const outsideOutbox = await databaseText(h, ['outbox']);
    for (const p of losers) for (const s of traces(p)) assert.ok(!outsideOutbox.includes(s), `${s} after the draw`);

    // The draw record holds hashes and the seed, and re-runs to the same winner, from the command line too.
    const draw = await h.deps.db.selectFrom('competition_draws').selectAll().executeTakeFirstOrThrow();
    const hashes = JSON.parse(draw.entry_hashes) as string[];
    assert.equal(hashes.length, 3);
    assert.deepEqual(JSON.parse(draw.winner_hashes), [entryHash(winner.id, winner.email)]);
    const ok = await cli(h, ['competition', 'verify-draw', slug]);
    assert.equal(ok.status, 0, ok.stderr);
    assert.ok(ok.stdout.includes(entryHash(winner.id, winner.email)), ok.stdout);
    assert.match(ok.stdout, /match the recorded winners/);
    // A tampered record (another entry named as the winner) does not verify; a missing one neither.
    const other = hashes.find((x) => x !== entryHash(winner.id, winner.email))!;
    await h.deps.db
      .updateTable('competition_draws')
      .set({ winner_hashes: JSON.stringify([other]) })
      .where('id', '=', draw.id)
      .execute();
    const tampered = await cli(h, ['competition', 'verify-draw', slug]);
    assert.notEqual(tampered.status, 0);
    assert.match(tampered.stderr, /does NOT verify/);
    await h.deps.db
      .updateTable('competition_draws')
      .set({ winner_hashes: draw.winner_hashes })
      .where('id', '=', draw.id)
      .execute();
    assert.notEqual((await cli(h, ['competition', 'verify-draw', 'no-such-competition'])).status, 0);

    // 31 days on, retention has removed the sent confirmation mails (outbox rows and sink files): only the winner
    // is left, in the competition's table.
    h.clock.advance(31 * DAY);
    await runRetention(h.deps);
    await pruneMailFiles(h.deps.db, h.dataDir);
    const everything = `${await databaseText(h)}\n${filesText(h)}`;
    for (const p of losers) for (const s of traces(p)) assert.ok(!everything.includes(s), `${s} after retention`);
    const w = people.find((p) => p.email === winner.email)!;
    assert.ok(everything.includes(w.surname), 'the winner is kept for the prize period');

    // After the prize period the winner is gone too, and the draw still verifies.
    h.clock.set(winner.delete_after + HOUR);
    await runRetention(h.deps);
    await pruneMailFiles(h.deps.db, h.dataDir);
    const later = `${await databaseText(h)}\n${filesText(h)}`;
    for (const p of people) for (const s of traces(p)) assert.ok(!later.includes(s), `${s} after the prize period`);
    assert.equal((await cli(h, ['competition', 'verify-draw', slug])).status, 0);
  });

  test('the confirm link GET changes nothing; one entry per address, and a second sign-up answers the same', async () => {
    h.clock.set(START);
    const slug = `once-${db}`;
    await competition(h, slug);
    const p = { given: 'Amalberga', surname: 'Tullivant', email: uniqueEmail('amalberga') };
    const first = await enter(h, slug, p);
    await deliver(h);
    const again = await enter(h, slug, { ...p, given: 'Someone' });
    await deliver(h);
    assert.equal(again.statusCode, first.statusCode);
    assert.equal(again.body, first.body);
    assert.equal(h.mailer.to(p.email).length, 1, 'no second mail');
    const b = new Browser(h.app, nextIp());
    await b.get(linkIn(h.mailer.to(p.email)[0]!.text, '/competitions/confirm'));
    const page = await b.get('/competitions/confirm');
    assert.equal(page.statusCode, 200);
    const rows = await h.deps.db.selectFrom('competition_entries').selectAll().where('email', '=', p.email).execute();
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.status, 'pending', 'a GET confirms nothing');
    assert.equal(rows[0]!.given_name, 'Amalberga');
    // An altered token is a clear 400.
    const altered = alterParam(linkIn(h.mailer.to(p.email)[0]!.text, '/competitions/confirm'), 't');
    assert.equal((await new Browser(h.app, nextIp()).get(altered)).statusCode, 400);
  });

  /** Runs `fire` while a transaction holds the entries (see the test below), and lets go after 200 ms. */
  async function whileEntriesHeld<T>(fire: () => Promise<T>): Promise<T> {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let held = () => {};
    const holding = new Promise<void>((resolve) => (held = resolve));
    const holder = h.deps.db.transaction().execute(async (trx) => {
      if (h.deps.dbKind === 'postgres') await sql`lock table competition_entries in exclusive mode`.execute(trx);
      held();
      await gate;
    });
    await holding;
    const result = fire();
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    await holder;
    return result;
  }

  test('two entries of one address at the same moment: one entry, one mail, the same answer, and no deadlock', async () => {
    h.clock.set(START);
    const slug = `race-${db}`;
    await competition(h, slug);
    const p = { given: 'Gundolf', surname: 'Twistlewood', email: uniqueEmail('race') };
    // A double submit: both pass the "entered before?" look-up, then race for the unique index. Holding the
    // entries (PostgreSQL: a lock that lets reads through; SQLite: its one connection) until both requests wait
    // makes the race happen every time instead of now and then.
    const [first, second] = await within(
      10_000,
      whileEntriesHeld(() => Promise.all([enter(h, slug, p), enter(h, slug, { ...p, given: 'Gundolfine' })])),
    );
    assert.equal(first.statusCode, 202, first.body);
    assert.equal(second.statusCode, first.statusCode);
    assert.equal(second.body, first.body);
    // The process still answers: the database connection was not left waiting on itself.
    const page = await within(10_000, new Browser(h.app, nextIp()).get(`/competitions/${slug}`));
    assert.equal(page.statusCode, 200);
    await within(10_000, deliver(h));
    assert.equal(h.mailer.to(p.email).length, 1, 'one mail');
    const rows = await h.deps.db.selectFrom('competition_entries').selectAll().where('email', '=', p.email).execute();
    assert.equal(rows.length, 1);
  });

  test('a restriction keeps the entry out of the draw without deleting it; the activity is not objectable', async () => {
    h.clock.set(START);
    const slug = `restricted-${db}`;
    const c = await competition(h, slug, { winners: 5 });
    const kept = await signedIn(h);
    const other = { given: 'Philippa', surname: 'Dunsworthy', email: uniqueEmail('unrestricted') };
    await enter(h, slug, { given: 'Kunigunde', surname: 'Applewhite', email: kept.email });
    await enter(h, slug, other);
    await confirm(h, kept.email);
    await confirm(h, other.email);
    await recordObjection(h.deps.db, h.clock.now(), {
      person: kept.id,
      activity: COMPETITION_ACTIVITY,
      kind: 'restriction',
      via: 'staff',
    });
    // Art. 21 does not apply to a contract: the engine refuses an objection check for it.
    await assert.rejects(mayProcess(h.deps, kept.id, COMPETITION_ACTIVITY), /not marked objectable/);
    assert.equal(h.deps.dataMap.activities.find((a) => a.id === COMPETITION_ACTIVITY)?.objectable, undefined);

    h.clock.set(c.ends_at + 5 * 60_000);
    await drawEndedCompetitionsJob.run(h.deps);
    const draw = await h.deps.db
      .selectFrom('competition_draws')
      .selectAll()
      .where('competition_id', '=', c.id)
      .executeTakeFirstOrThrow();
    const rows = await h.deps.db
      .selectFrom('competition_entries')
      .selectAll()
      .where('competition_id', '=', c.id)
      .execute();
    const mine = rows.find((r) => r.email === kept.email);
    assert.ok(mine, 'the restricted entry is kept');
    assert.equal(mine.status, 'confirmed', 'and did not win');
    assert.ok(!JSON.parse(draw.entry_hashes).includes(entryHash(mine.id, mine.email)), 'not among the drawn');
    assert.equal(JSON.parse(draw.entry_hashes).length, 1);
    assert.equal(rows.find((r) => r.email === other.email)?.status, 'won');
    // The sweep leaves it while the restriction stands, and deletes it once the restriction is lifted.
    await drawEndedCompetitionsJob.run(h.deps);
    assert.ok(
      await h.deps.db.selectFrom('competition_entries').select('id').where('id', '=', mine.id).executeTakeFirst(),
    );
    await liftObjection(h.deps.db, kept.id, COMPETITION_ACTIVITY, 'restriction');
    await drawEndedCompetitionsJob.run(h.deps);
    assert.equal(
      await h.deps.db.selectFrom('competition_entries').select('id').where('id', '=', mine.id).executeTakeFirst(),
      undefined,
    );
  });

  test('before the start and after the end: a clear page, and a 4xx from the API', async () => {
    h.clock.set(START);
    const early = `early-${db}`;
    const late = `late-${db}`;
    await competition(h, early, { startsAt: START + DAY, endsAt: START + 5 * DAY });
    await competition(h, late, { startsAt: START - 5 * DAY, endsAt: START - DAY });
    const p = { given: 'Hildegunde', surname: 'Pemberton', email: uniqueEmail('early') };
    const b = new Browser(h.app, nextIp());
    const before = await enter(h, early, p, b);
    assert.equal(before.statusCode, 409);
    assert.match(JSON.parse(before.body).error.message, /starts on/);
    assert.equal((await enter(h, late, p, b)).statusCode, 410);
    const page = await b.get(`/competitions/${early}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /has not started yet/);
    assert.doesNotMatch(page.body, /name="givenName"/);
    const ended = await b.get(`/competitions/${late}`, { 'accept-language': 'de' });
    assert.match(ended.body, /ist beendet/);
    assert.equal(
      await h.deps.db.selectFrom('competition_entries').selectAll().where('email', '=', p.email).executeTakeFirst(),
      undefined,
    );
  });

  test('bad input is a 400 in English and German, and nothing is stored', async () => {
    h.clock.set(START);
    const slug = `bad-${db}`;
    await competition(h, slug);
    const b = new Browser(h.app, nextIp());
    const email = uniqueEmail('bad');
    const wrongCountry = await b.api('POST', `/api/v1/competitions/${slug}/entries`, {
      givenName: 'Rosamund',
      surname: 'Ketteridge',
      email,
      country: 'FR',
      acceptConditions: true,
    });
    assert.equal(wrongCountry.statusCode, 400);
    assert.match(JSON.parse(wrongCountry.body).error.message, /correct the marked fields/);
    const german = await b.api(
      'POST',
      `/api/v1/competitions/${slug}/entries`,
      { givenName: 'Rosamund', surname: 'Ketteridge', email: 'not-an-address', country: 'DE', acceptConditions: true },
      { 'accept-language': 'de' },
    );
    assert.equal(german.statusCode, 400);
    assert.match(german.body, /gültige E-Mail-Adresse/);
    const unknownField = await b.api('POST', `/api/v1/competitions/${slug}/entries`, { givenName: 'x', extra: 1 });
    assert.equal(unknownField.statusCode, 400);
    // The page's form: unticked conditions come back with the problem, in the visitor's language.
    const form = await b.submit(`/competitions/${slug}`, `/competitions/${slug}`, {
      givenName: 'Rosamund',
      surname: 'Ketteridge',
      email,
      country: 'DE',
    });
    assert.equal(form.statusCode, 400);
    assert.match(form.body, /accept the conditions of participation/);
    const rows = await h.deps.db.selectFrom('competition_entries').selectAll().where('email', '=', email).execute();
    assert.equal(rows.length, 0);
  });

  test('erasure removes the person’s entry; the withdraw link deletes an entry at once', async () => {
    h.clock.set(START);
    const slug = `erase-${db}`;
    await competition(h, slug);
    const p = { given: 'Eberharda', surname: 'Clutterbuck', email: uniqueEmail('erase') };
    const q = { given: 'Wilhelmina', surname: 'Pottinger', email: uniqueEmail('withdraw') };
    await enter(h, slug, p);
    await enter(h, slug, q);
    await confirm(h, p.email);
    await eraseSubjectData(h.deps, p.email);
    const left = await h.deps.db
      .selectFrom('competition_entries')
      .select('email')
      .where('email', 'in', [p.email, q.email])
      .execute();
    assert.deepEqual(
      left.map((r) => r.email),
      [q.email],
    );
    const b = new Browser(h.app, nextIp());
    await b.get(linkIn(h.mailer.to(q.email)[0]!.text, '/competitions/withdraw'));
    const done = await b.submit('/competitions/withdraw', '/competitions/withdraw', {});
    assert.equal(done.statusCode, 200);
    assert.equal(
      await h.deps.db.selectFrom('competition_entries').select('id').where('email', '=', q.email).executeTakeFirst(),
      undefined,
    );
  });

  test('staff create and draw in the console; customers get 403', async () => {
    h.clock.set(START);
    const customer = await signedIn(h);
    assert.equal((await customer.b.get('/staff/competitions')).statusCode, 403);
    const staff = await asRole(h, await staffMember(h), 'staff');
    const list = await staff.b.get('/staff/competitions');
    assert.equal(list.statusCode, 200);
    const slug = `console-${db}`;
    const created = await staff.b.submit('/staff/competitions/new', '/staff/competitions', {
      slug,
      titleEn: 'Console prize',
      titleDe: 'Konsolenpreis',
      textEn: 'Text',
      textDe: 'Text',
      prizeEn: 'A mug',
      prizeDe: 'Eine Tasse',
      startsAt: local(START - HOUR),
      endsAt: local(START + 20 * 60_000),
      winners: '2',
      countries: 'DE',
      prizeDays: '',
    });
    assert.equal(created.statusCode, 303, created.body.slice(0, 3000));
    const id = String(created.headers.location).split('/').at(-1)!;
    const c = await h.deps.db.selectFrom('competitions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(c.prize_days, 60);
    assert.equal(c.ends_at, START + 20 * 60_000);
    const bad = await staff.b.submit('/staff/competitions/new', '/staff/competitions', { slug: 'Bad Slug' });
    assert.equal(bad.statusCode, 400);
    assert.equal((await customer.b.post(`/staff/competitions/${id}/draw`, {})).statusCode, 403);
    const early = await staff.b.submit(`/staff/competitions/${id}`, `/staff/competitions/${id}/draw`, {});
    assert.equal(early.statusCode, 409);
    h.clock.set(START + 25 * 60_000);
    const drawn = await staff.b.submit(`/staff/competitions/${id}`, `/staff/competitions/${id}/draw`, {});
    assert.equal(drawn.statusCode, 303);
    assert.match((await staff.b.get(`/staff/competitions/${id}`)).body, /verify-draw/);
  });
});

test('the draw generator is deterministic and picks without bias', () => {
  const seed = '0f'.repeat(32);
  const hashes = Array.from({ length: 10 }, (_, i) => entryHash(`id-${i}`, `p${i}@example.org`)).sort();
  const a = drawWinners(seed, hashes, 3);
  assert.deepEqual(drawWinners(seed, hashes, 3), a);
  assert.equal(new Set(a.positions).size, 3);
  assert.ok(
    verifyDraw({ seed, entryHashes: hashes, winnersWanted: 3, winnerHashes: a.hashes, algorithm: verifyAlgorithm() })
      .ok,
  );
  // Over many seeds every one of 5 entries wins about a fifth of the time.
  const wins = [0, 0, 0, 0, 0];
  for (let i = 0; i < 5000; i++) {
    const s = (i.toString(16).padStart(8, '0') + '00'.repeat(28)).slice(0, 64);
    wins[drawWinners(s, hashes.slice(0, 5), 1).positions[0]!]!++;
  }
  for (const n of wins) assert.ok(n > 850 && n < 1150, `wins ${wins.join(',')}`);
});

function verifyAlgorithm(): string {
  return 'candor-draw-v1: sha256 entries, hmac-sha256-ctr, rejection sampling, fisher-yates';
}

test('the entry page passes axe-core at desktop and phone width', { skip: browserSkip }, async () => {
  const shop = await openBrowserShop();
  try {
    await competition(shop.h, 'axe-check');
    const page = await (await shop.browser.newContext({ bypassCSP: true })).newPage();
    for (const size of [
      { width: 1280, height: 900 },
      { width: 375, height: 740 },
    ]) {
      await page.setViewportSize(size);
      await page.goto(`${shop.base}/competitions/axe-check`);
      assert.deepEqual(await accessibilityViolations(page), [], `entry page at ${size.width}px`);
      await page.click('button[type=submit]');
      await page.waitForLoadState();
      assert.deepEqual(await accessibilityViolations(page), [], `entry page with problems at ${size.width}px`);
    }
  } finally {
    await shop.close();
  }
});
