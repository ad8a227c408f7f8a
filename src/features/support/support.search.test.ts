// The queue's search: by subject and by message text in English and German, the last word as a prefix, quoted
// phrases, FTS operators and stray punctuation in the input harmless, deleted tickets gone from the results.
import assert from 'node:assert/strict';
import { after, before, it, test } from 'node:test';
import { describeEachDatabase, openHarness, type Harness } from '../../testing/harness.ts';
import { parseSearch, searchTickets, toFts5, toTsquery } from './support.search.queries.ts';
import { addCustomerMessage, addStaffMessage, openTicket } from './support.service.ts';

test('user input becomes quoted words only, the last bare word a prefix', () => {
  assert.equal(parseSearch(''), null);
  assert.equal(parseSearch(' "*^():- '), null);
  const q = parseSearch('Reverb NEAR(x) OR "latency spike" plug');
  assert.ok(q);
  assert.equal(toFts5(q), '"reverb" "near" "x" "or" "latency spike" "plug"*');
  assert.equal(toTsquery(q), 'reverb & near & x & or & (latency <-> spike) & plug:*');
  assert.equal(toFts5(parseSearch('plug ')!), '"plug"');
  assert.equal(toFts5(parseSearch('"a b"')!), '"a b"');
  assert.equal(toTsquery(parseSearch("x' | !y & z:*")!), 'x & y & z');
});

describeEachDatabase('the support search', (db) => {
  let h: Harness;
  const ids: Record<string, string> = {};
  // Every query three ways: one page of 50; the same with a first window of one row (PostgreSQL then goes on to
  // its GIN index); pages of one row walked with the cursor, also with that window (PostgreSQL then walks on in
  // windows). The same tickets each way, latest activity first, each once.
  const search = async (q: string) => {
    const rows = await searchTickets(h.deps.db, h.deps.dbKind, q, {}, { limit: 50 });
    const subjects = rows.map((r) => r.subject);
    const small = await searchTickets(h.deps.db, h.deps.dbKind, q, {}, { limit: 50, window: 1 });
    assert.deepEqual(
      small.map((r) => r.subject),
      subjects,
      `${q}: the same from the index`,
    );
    for (const window of [undefined, 1]) {
      const walked: string[] = [];
      let after: { value: number; id: string } | undefined;
      for (;;) {
        const page = await searchTickets(h.deps.db, h.deps.dbKind, q, {}, { after, limit: 1, window });
        if (page[0]) walked.push(page[0].subject);
        if (page.length < 2) break;
        after = { value: page[0]!.position, id: page[0]!.id };
      }
      assert.deepEqual(walked, subjects, `${q}: the same page by page`);
    }
    return subjects.sort();
  };

  before(async () => {
    h = await openHarness(db);
    const open = async (key: string, subject: string, body: string, lang: 'en' | 'de' = 'en') => {
      ids[key] = (
        await openTicket(h.deps, { requester: `${key}@example.org`, subject, body, lang, source: 'email' })
      ).id;
    };
    await open('crash', 'Reverb Pro crashes on load', 'The plugin crashes when Ableton starts.');
    await open('licence', 'Licence transfer', 'I bought a new computer and need to move my licence.');
    await open('geraet', 'Gerät rauscht', 'Mein Gerät macht ein lautes Rauschen über Kopfhörer.', 'de');
    await open('latency', 'Question', 'There is a latency spike every few seconds.');
    await addCustomerMessage(h.deps, ids.licence!, { body: 'Also my serial ZX-99 is not accepted', via: 'web' });
    await addStaffMessage(h.deps, ids.latency!, {
      staffId: 'staff-1',
      body: 'Bitte prüfen Sie die Puffergröße',
      note: false,
    });
  });
  after(() => h.close());

  it('finds tickets by subject and by the text of any message, in English and German', async () => {
    assert.deepEqual(await search('reverb'), ['Reverb Pro crashes on load']);
    assert.deepEqual(await search('ableton crashes'), ['Reverb Pro crashes on load']);
    assert.deepEqual(await search('ZX-99'), ['Licence transfer'], 'a later customer message');
    assert.deepEqual(await search('Puffergröße'), ['Question'], 'a staff answer, German with umlaut');
    assert.deepEqual(await search('gerät'), ['Gerät rauscht']);
    assert.deepEqual(await search('KOPFHÖRER'), ['Gerät rauscht']);
    assert.deepEqual(await search('nothing-like-this'), []);
  });

  it('matches the last word as a prefix, and quoted words as a phrase', async () => {
    assert.deepEqual(await search('lic'), ['Licence transfer']);
    assert.deepEqual(await search('rausch'), ['Gerät rauscht']);
    assert.deepEqual(await search('lic '), [], 'a finished word is not a prefix');
    assert.deepEqual(await search('"latency spike"'), ['Question']);
    assert.deepEqual(await search('"spike latency"'), []);
  });

  it('treats operators, quotes and punctuation in the input as harmless', async () => {
    for (const q of [
      'reverb OR licence',
      'NOT reverb',
      'reverb*',
      'subject:reverb',
      '(reverb',
      'reverb"',
      "re'verb",
      'a & | ! :* <->',
      '^reverb',
      'reverb NEAR/2 pro',
    ])
      await assert.doesNotReject(search(q), q);
    assert.deepEqual(await search('reverb OR licence'), [], 'OR is a word to find, not an operator');
    assert.equal((await search('"*^():-')).length, 4, 'all punctuation: no search, every ticket');
    assert.equal((await search('')).length, 4);
  });

  it('lists matches by latest activity first, with the state filter, a new message moving a ticket up', async () => {
    await h.deps.db.updateTable('support_tickets').set({ state: 'open' }).where('id', '=', ids.geraet!).execute();
    const order = async (q: string, state?: 'open') => {
      const run = (window?: number) =>
        searchTickets(h.deps.db, h.deps.dbKind, q, { state }, { limit: 50, window }).then((rows) =>
          rows.map((r) => r.subject),
        );
      const subjects = await run();
      assert.deepEqual(await run(1), subjects, `${q}: the same from the index`);
      return subjects;
    };
    // Each ticket's last message: latency (staff answer) after licence (customer message) after gerät (opened).
    await addCustomerMessage(h.deps, ids.geraet!, { body: 'Noch eine Frage zur Lizenz', via: 'web' });
    assert.deepEqual(await order('l'), ['Gerät rauscht', 'Question', 'Licence transfer', 'Reverb Pro crashes on load']);
    assert.deepEqual(await order('l', 'open'), ['Gerät rauscht']);
    assert.deepEqual(await order('lizenz'), ['Gerät rauscht'], 'the new message is found');
  });

  it('drops a deleted ticket from the results and from the index', async () => {
    await h.deps.db.deleteFrom('support_tickets').where('id', '=', ids.crash!).execute();
    assert.deepEqual(await search('reverb'), []);
    const left = await h.deps.db
      .withTables<{ support_search: { ticket_id: string } }>()
      .selectFrom('support_search')
      .select('ticket_id')
      .where('ticket_id', '=', ids.crash!)
      .execute();
    assert.deepEqual(left, []);
  });
});
