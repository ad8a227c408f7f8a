// The staff order list in the operator's time zone, far from UTC (Pacific/Kiritimati is UTC+14, Pacific/Auckland
// UTC+13 in December): the date filter's days begin at the operator's midnight, the CSV writes the operator's local
// time with its offset (as the page shows it), and the list's access audit names every customer it showed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { placeOrder, signedIn, staffMember, type Account } from '../../testing/factories.ts';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { startOfDay, zoneTimestamp } from './orders.console.ts';

test('startOfDay is the operator’s midnight in every zone, UTC-12 to UTC+14', () => {
  assert.equal(startOfDay('2026-12-01', 0, 'Pacific/Kiritimati'), Date.parse('2026-11-30T10:00:00Z'));
  assert.equal(startOfDay('2026-12-01', 1, 'Pacific/Kiritimati'), Date.parse('2026-12-01T10:00:00Z'));
  assert.equal(startOfDay('2026-12-01', 0, 'Pacific/Auckland'), Date.parse('2026-11-30T11:00:00Z'));
  assert.equal(startOfDay('2026-12-01', 0, 'Europe/Berlin'), Date.parse('2026-11-30T23:00:00Z'));
  assert.equal(startOfDay('2026-12-01', 0, 'Etc/GMT+12'), Date.parse('2026-12-01T12:00:00Z'));
  assert.equal(startOfDay('2026-12-01', 0, 'UTC'), Date.parse('2026-12-01T00:00:00Z'));
  // Across a clock change (Berlin, 29 March 2026: 02:00 → 03:00).
  assert.equal(startOfDay('2026-03-29', 1, 'Europe/Berlin'), Date.parse('2026-03-29T22:00:00Z'));
});

test('zoneTimestamp writes the local time with its offset', () => {
  const at = Date.parse('2026-12-01T10:30:00Z');
  assert.equal(zoneTimestamp(at, 'Pacific/Kiritimati'), '2026-12-02T00:30:00+14:00');
  assert.equal(zoneTimestamp(at, 'Europe/Berlin'), '2026-12-01T11:30:00+01:00');
  assert.equal(zoneTimestamp(at, 'UTC'), '2026-12-01T10:30:00+00:00');
});

describeEachDatabase('the staff order list in a zone of UTC+14', (db) => {
  let h: Harness;
  let staff: Account;
  let ips = 0;
  const nextIp = () => `10.78.${Math.floor(++ips / 250)}.${(ips % 250) + 1}`;
  before(async () => {
    h = await openHarness(db, { seed: true, operator: { timeZone: 'Pacific/Kiritimati' } });
    staff = await staffMember(h, { ip: nextIp() });
  });
  after(() => h.close());

  test('the day filter, the CSV dates and the list audit follow the operator’s zone and name the customers shown', async () => {
    const customer = await signedIn(h, { ip: nextIp(), name: 'Kiri Timati' });
    const other = await signedIn(h, { ip: nextIp(), name: 'Otto Other' });
    const early = await placeOrder(h, customer.b, ['padgrid']);
    const late = await placeOrder(h, other.b, ['padgrid']);
    // 1 Dec 10:30 UTC is 2 Dec 00:30 in Kiritimati; 1 Dec 09:30 UTC is still 1 Dec there.
    const placedAt = (id: string, at: string) =>
      h.deps.db
        .updateTable('orders')
        .set({ created_at: Date.parse(at) })
        .where('id', '=', id)
        .execute();
    await placedAt(early.id, '2026-12-01T09:30:00Z');
    await placedAt(late.id, '2026-12-01T10:30:00Z');
    const numberOf = async (id: string) =>
      (await h.deps.db.selectFrom('orders').select('number').where('id', '=', id).executeTakeFirstOrThrow()).number;
    const [e, l] = [await numberOf(early.id), await numberOf(late.id)];
    const shown = async (query: string) => {
      const body = (await staff.b.get(`/staff/orders?${query}`)).body;
      return [e, l].filter((n) => body.includes(`>${n}<`));
    };
    assert.deepEqual(await shown('from=2026-12-01&to=2026-12-01'), [e]);
    assert.deepEqual(await shown('from=2026-12-02&to=2026-12-02'), [l]);

    const csv = (await staff.b.get('/staff/orders.csv?from=2026-12-01&to=2026-12-02')).body;
    const rowOf = (n: string) => csv.split('\n').find((line) => line.startsWith(`${n},`)) ?? '';
    assert.match(rowOf(e), /,2026-12-01T23:30:00\+14:00,/);
    assert.match(rowOf(l), /,2026-12-02T00:30:00\+14:00,/);

    // The list view is recorded for each customer it showed, not as a view of no one.
    await h.deps.db.deleteFrom('access_audit').where('what', '=', 'order.list').execute();
    assert.equal((await staff.b.get('/staff/orders?from=2026-12-02&to=2026-12-02')).statusCode, 200);
    const audit = await h.deps.db
      .selectFrom('access_audit')
      .select('subject_user_id')
      .where('what', '=', 'order.list')
      .execute();
    assert.deepEqual(
      audit.map((a) => a.subject_user_id),
      [other.id],
    );
  });
});
