// Keyset paging of the older staff lists (issue 12 point 10): open withdrawals, kept letters, credit decision reviews
// and the team's accounts. Each gets more than one page of rows (written straight into the tables where the way
// through the shop is long); page 1 and the page its "next" link opens hold every row once, in the list's order,
// and a broken page address is a 400 in English and German.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { asRole, placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, START, type Harness } from '../../testing/harness.ts';

const PAGE = 50;
const ROWS = 63;

const REL_NEXT = /<a href="([^"]+)" rel="next">/;

/** The address of the page's "next" link, or null when there is none. */
function nextLink(body: string, link = REL_NEXT): string | null {
  const href = link.exec(body)?.[1];
  return href === undefined ? null : href.replaceAll('&amp;', '&');
}

const matches = (body: string, re: RegExp): string[] => [...body.matchAll(re)].map((m) => m[1]!);

/** Reads page 1 and the page its "next" link opens; the second has no "next" link. */
async function twoPages(
  a: Account,
  path: string,
  pick: (body: string) => string[],
  link = REL_NEXT,
): Promise<string[][]> {
  const first = await a.b.get(path);
  assert.equal(first.statusCode, 200, first.body);
  const next = nextLink(first.body, link);
  assert.ok(next, `${path}: a link to the next page`);
  assert.ok(next.startsWith(`${path}?after=`), next);
  const second = await a.b.get(next);
  assert.equal(second.statusCode, 200, second.body);
  assert.equal(nextLink(second.body, link), null, `${path}: the second page is the last`);
  const de = await a.b.get(next, { 'accept-language': 'de' });
  assert.equal(de.statusCode, 200);
  return [pick(first.body), pick(second.body)];
}

/** Every row once, in order, 50 on the first page. */
function assertPaged(pages: string[][], expected: string[]): void {
  const [one, two] = pages as [string[], string[]];
  assert.ok(expected.length > PAGE, 'more rows than one page');
  assert.equal(one.length, PAGE);
  assert.deepEqual([...one, ...two], expected);
}

async function assertBrokenCursor(a: Account, path: string, param = 'after'): Promise<void> {
  for (const raw of ['nonsense', '12x.abc', '.abc', '1.a%20b', '1.']) {
    const en = await a.b.get(`${path}?${param}=${raw}`);
    assert.equal(en.statusCode, 400, `${path} ${raw}`);
    assert.match(en.body, /This page address is not valid/);
    const de = await a.b.get(`${path}?${param}=${raw}`, { 'accept-language': 'de' });
    assert.equal(de.statusCode, 400, `${path} ${raw} (de)`);
    assert.match(de.body, /Diese Seitenadresse ist ungültig/);
  }
}

describeEachDatabase('keyset paging of the staff lists', (db) => {
  let h: Harness;
  let staff: Account;
  let customer: Account;
  before(async () => {
    h = await openHarness(db, { seed: true });
    staff = await staffMember(h);
    customer = await signedIn(h, { name: 'Paula Pages' });
  });
  after(() => h.close());

  /** Creation times with ties (every third row shares the time of the one before), so the id must break them. */
  const timeOf = (i: number) => START - DAY + (i - (i % 3 === 2 ? 1 : 0)) * 1000;

  test('/staff/withdrawals pages oldest first, 50 a page', async () => {
    const order = await placeOrder(h, customer.b, ['padgrid']);
    await h.deps.db.updateTable('orders').set({ status: 'paid' }).where('id', '=', order.id).execute();
    await h.deps.db
      .insertInto('order_withdrawals')
      .values(
        Array.from({ length: ROWS }, (_, i) => ({
          id: randomUUID(),
          order_id: order.id,
          user_id: customer.id,
          lines: JSON.stringify([{ lineNo: 0, productId: 'p', title: `K${String(i).padStart(3, '0')}`, quantity: 1 }]),
          statement: null,
          created_at: timeOf(i),
          restricted_at: null,
        })),
      )
      .execute();
    const expected = await h.deps.db
      .selectFrom('order_withdrawals')
      .select(['id', 'lines'])
      .orderBy('created_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    const titles = expected.map((w) => (JSON.parse(w.lines) as { title: string }[])[0]!.title);
    const pages = await twoPages(staff, '/staff/withdrawals', (body) => matches(body, /× (K\d{3})/g));
    assertPaged(pages, titles);
    await assertBrokenCursor(staff, '/staff/withdrawals');
  });

  test('/staff/letters pages newest first, 50 a page', async () => {
    await h.deps.db
      .insertInto('business_letters')
      .values(
        Array.from({ length: ROWS }, (_, i) => ({
          id: randomUUID(),
          kind: 'order-confirmation',
          ref: `ref-${i}`,
          user_id: customer.id,
          outbox_id: randomUUID(),
          recipient: customer.email,
          lang: 'en',
          subject: `Letter ${i}`,
          body: 'Text',
          html: null,
          attachments: '[]',
          created_at: timeOf(i),
          restricted_at: null,
        })),
      )
      .execute();
    const expected = await h.deps.db
      .selectFrom('business_letters')
      .select('id')
      .where('restricted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    const pages = await twoPages(staff, '/staff/letters', (body) =>
      matches(body, /href="\/staff\/letters\/([^"?]+)"/g),
    );
    assertPaged(
      pages,
      expected.map((l) => l.id),
    );
    await assertBrokenCursor(staff, '/staff/letters');
  });

  test('/staff/credit-reviews pages oldest first, 50 a page', async () => {
    const checks = Array.from({ length: ROWS }, (_, i) => ({
      id: randomUUID(),
      user_id: customer.id,
      agency: 'test',
      sent: '{}',
      requested_at: timeOf(i),
      decision: 'declined' as const,
      reason: 'Score too low',
      answered_at: timeOf(i),
    }));
    await h.deps.db.insertInto('credit_checks').values(checks).execute();
    await h.deps.db
      .insertInto('credit_reviews')
      .values(
        checks.map((c, i) => ({
          id: randomUUID(),
          check_id: c.id,
          user_id: customer.id,
          method: 'invoice' as const,
          amount_cents: 1000 + i,
          billing: '{}',
          billing_key: 'k',
          statement: null,
          requested_at: timeOf(i),
          status: 'open' as const,
          staff_note: null,
          decided_at: null,
          approval_expires_at: null,
          approval_used_at: null,
          approval_order_id: null,
        })),
      )
      .execute();
    const expected = await h.deps.db
      .selectFrom('credit_reviews')
      .select('id')
      .where('status', '=', 'open')
      .orderBy('requested_at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    const pages = await twoPages(staff, '/staff/credit-reviews', (body) => matches(body, /id="h-([^"]+)"/g));
    assertPaged(
      pages,
      expected.map((r) => r.id),
    );
    await assertBrokenCursor(staff, '/staff/credit-reviews');
  });

  test('/staff/team pages its accounts by address, 50 a page', async () => {
    const admin = await asRole(h, await signedIn(h, { name: 'Ada Admin' }), 'admin');
    await h.deps.db
      .insertInto('users')
      .values(
        Array.from({ length: ROWS }, (_, i) => ({
          id: randomUUID(),
          email: `k${String(i).padStart(3, '0')}@team.example`,
          name: `Member ${i}`,
          password_hash: '',
          role: 'staff' as const,
          email_verified_at: START,
          company: null,
          phone: null,
          lang: 'en',
          created_at: START,
          updated_at: START,
          last_sign_in_at: null,
          deactivated_at: null,
        })),
      )
      .execute();
    const expected = await h.deps.db
      .selectFrom('users')
      .select('email')
      .where('role', 'in', ['staff', 'dpo', 'admin'])
      .orderBy('email')
      .orderBy('id')
      .execute();
    const accounts = (body: string) =>
      matches(/<table class="team">[\s\S]*?<\/table>/.exec(body)?.[0] ?? '', /<td>([^<\s]+@[^<\s]+)<\/td>/g);
    const pages = await twoPages(admin, '/staff/team', accounts, /<a href="([^"]+)">More accounts<\/a>/);
    assertPaged(
      pages,
      expected.map((u) => u.email),
    );
    await assertBrokenCursor(admin, '/staff/team');
    await assertBrokenCursor(admin, '/staff/team', 'invitationsAfter');
    // A well-formed position whose value is no address is refused as well.
    const noAddress = await admin.b.get('/staff/team?after=nobody.abc');
    assert.equal(noAddress.statusCode, 400);
  });
});
