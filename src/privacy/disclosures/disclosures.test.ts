import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DAY } from '../../platform/clock.ts';
import { Browser, describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { runRetention } from '../retention.ts';
import { eraseSubjectData } from '../subject.ts';
import { deliverHandoffs, disclose, handoffDirectory } from './index.ts';
import { recordDisclosure } from './outbound.ts';

const MINUTE = 60_000;

describeEachDatabase('hand-off files', (db) => {
  let h: Harness;
  const people = [
    { name: 'Hanna Handoff', email: 'hanna.handoff@example.org', password: 'saffron pebble orbit' },
    { name: 'Otto Other', email: 'otto.other@example.org', password: 'walnut comet harbour' },
  ];
  const ids: Record<string, string> = {};
  before(async () => {
    h = await openHarness(db, { seed: true });
    for (const p of people) {
      await new Browser(h.app, '192.0.2.10').api('POST', '/api/v1/accounts', p);
      ids[p.email] = (
        await h.deps.db.selectFrom('users').select('id').where('email', '=', p.email).executeTakeFirstOrThrow()
      ).id;
    }
  });
  after(() => h.close());

  const handOff = (email: string, street: string) =>
    h.deps.db.transaction().execute((trx) =>
      disclose(h.deps, trx, {
        activity: 'orders.purchase',
        recipient: 'delivery-company',
        userId: ids[email]!,
        payload: {
          orderNumber: 'X-1',
          name: email,
          street,
          postalCode: '10115',
          city: 'Berlin',
          country: 'DE',
          items: [],
        },
      }),
    );
  const file = (id: string) => join(handoffDirectory(h.dataDir, 'delivery-company'), `${id}.json`);

  test('a hand-off file is deleted by the retention job 30 days after delivery, and kept until then', async () => {
    const id = await handOff(people[1]!.email, 'Fristweg 30');
    assert.equal(await deliverHandoffs(h.deps), 1);
    assert.ok(existsSync(file(id)));
    const delivered = h.clock.now();
    h.clock.set(delivered + 30 * DAY - MINUTE);
    await runRetention(h.deps);
    assert.ok(existsSync(file(id)), 'kept for its 30 days');
    const row = () => h.deps.db.selectFrom('handoffs').select('id').where('id', '=', id).executeTakeFirst();
    assert.ok(await row(), 'the row too');
    h.clock.set(delivered + 30 * DAY + 1);
    await runRetention(h.deps);
    assert.ok(!existsSync(file(id)), 'gone once its 30 days have run');
    assert.equal(await row(), undefined, 'the row too');
  });

  test('erasing a person removes their hand-off files and leaves other people’s', async () => {
    const hers = await handOff(people[0]!.email, 'Löschgasse 1');
    const his = await handOff(people[1]!.email, 'Bleibeweg 2');
    assert.equal(await deliverHandoffs(h.deps), 2);
    const outcomes = await eraseSubjectData(h.deps, people[0]!.email);
    assert.equal(outcomes.find((o) => o.table.startsWith('disclosures.handoff-files'))?.rows, 1);
    assert.ok(!existsSync(file(hers)), 'her file is gone');
    assert.ok(existsSync(file(his)), 'his file stays');
  });

  test('a hand-off file whose row is gone is removed by the next retention run', async () => {
    const id = await handOff(people[1]!.email, 'Waisenweg 3');
    const kept = await handOff(people[1]!.email, 'Bleibeweg 3');
    await deliverHandoffs(h.deps);
    await h.deps.db.deleteFrom('handoffs').where('id', '=', id).execute();
    await runRetention(h.deps);
    assert.ok(!existsSync(file(id)));
    assert.ok(existsSync(file(kept)), 'a file whose row is there stays');
    assert.ok(readdirSync(handoffDirectory(h.dataDir, 'delivery-company')).includes(`${kept}.json`));
  });
});

describeEachDatabase('records of disclosures', (db) => {
  let h: Harness;
  before(async () => {
    h = await openHarness(db);
  });
  after(() => h.close());

  test('a disclosure record stays three years from the end of its year (limitation, §§ 195, 199 BGB); a mail record as long as the mail', async () => {
    // 29 November 2026: the claim period runs to the end of 2029.
    await recordDisclosure(h.deps.db, h.clock.now(), {
      activity: 'orders.purchase',
      recipient: 'delivery-company',
      person: { userId: 'user-rec' },
      fields: ['name'],
    });
    await recordDisclosure(h.deps.db, h.clock.now(), {
      activity: 'mail.service-messages',
      recipient: 'mail-provider',
      person: { email: 'rec@example.org' },
      fields: ['to'],
      once: 'outbox-message-1',
    });
    const left = async () => ({
      accounts: (await h.deps.db.selectFrom('disclosures').select('id').execute()).length,
      addresses: (await h.deps.db.selectFrom('address_disclosures').select('id').execute()).length,
    });
    h.clock.advance(30 * DAY - MINUTE);
    await runRetention(h.deps);
    assert.deepEqual(await left(), { accounts: 1, addresses: 1 });
    h.clock.advance(2 * MINUTE);
    await runRetention(h.deps);
    assert.deepEqual(await left(), { accounts: 1, addresses: 0 }, 'the mail record goes with the mail, after 30 days');
    const endOf2029 = Date.parse('2030-01-01T00:00:00Z');
    h.clock.advance(endOf2029 - h.clock.now() - MINUTE);
    await runRetention(h.deps);
    assert.deepEqual(await left(), { accounts: 1, addresses: 0 }, 'kept through 2029');
    h.clock.advance(2 * 60 * MINUTE);
    await runRetention(h.deps);
    assert.deepEqual(await left(), { accounts: 0, addresses: 0 });
  });
});
