// Issue 17: any number of workers deliver the outbox side by side. Claims take disjoint rows: on PostgreSQL a
// claim passes over rows another worker's claim holds locked (`for update skip locked`) instead of waiting for it;
// on SQLite (one writer) the conditional update is the claim.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { Database } from '../../database.ts';
import { MINUTE } from '../../platform/clock.ts';
import { describeEachDatabase, openBareDatabase, type BareDatabase } from '../../testing/harness.ts';
import { mailFeature } from './index.ts';
import { claimDueOutboxBatch } from './mail.queries.ts';
import type { OutboxTable } from './mail.tables.ts';

describeEachDatabase('claiming the outbox', (kind) => {
  let h: BareDatabase<Database>;
  before(async () => {
    h = await openBareDatabase<Database>(kind, mailFeature.migrations ?? []);
  });
  after(() => h.close());

  async function enqueue(n: number, list: string | null = null): Promise<string[]> {
    const now = h.clock.now();
    const rows: OutboxTable[] = Array.from({ length: n }, (_, i) => ({
      id: randomUUID(),
      recipient: `reader.${i}@claim.example`,
      subject: 'Claim',
      body: 'Claim test',
      html: null,
      headers: '{}',
      attachments: '[]',
      created_at: now,
      attempts: 0,
      next_attempt_at: now - n + i,
      locked_until: null,
      sent_at: null,
      failed_at: null,
      last_error: null,
      template: null,
      list,
    }));
    await h.db.insertInto('outbox').values(rows).execute();
    return rows.map((r) => r.id);
  }

  test('two claims at the same time take disjoint rows, transactional mail first, and neither waits for the other', async () => {
    await h.db.deleteFrom('outbox').execute();
    const marketing = await enqueue(12, 'newsletter');
    const transactional = await enqueue(4);
    const now = h.clock.now();
    const until = now + 2 * MINUTE;
    let first: OutboxTable[] = [];
    let second: OutboxTable[] = [];
    if (kind === 'postgres') {
      // The first claim's transaction stays open (its rows locked) while the second claims: without skip locked
      // the second would wait for the first's commit, which waits for the second: the race below would time out.
      await h.db.transaction().execute(async (trx) => {
        first = await claimDueOutboxBatch(trx, now, until, 8);
        second = await Promise.race([
          claimDueOutboxBatch(h.db, now, until, 8),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('the second claim waited for the first')), 3000),
          ),
        ]);
      });
    } else {
      first = await claimDueOutboxBatch(h.db, now, until, 8);
      second = await claimDueOutboxBatch(h.db, now, until, 8);
    }
    const ids = (rows: OutboxTable[]) => rows.map((r) => r.id);
    assert.deepEqual(ids(first).slice(0, 4), transactional, 'transactional mail first, oldest first');
    assert.equal(first.length, 8);
    assert.equal(second.length, 8);
    assert.deepEqual(new Set([...ids(first), ...ids(second)]), new Set([...transactional, ...marketing]));
    assert.ok(first.every((r) => r.attempts === 1 && r.locked_until === until));
    // Everything is leased now: a third claim finds nothing until the leases run out.
    assert.deepEqual(await claimDueOutboxBatch(h.db, now + 1, until, 8), []);
    const later = await claimDueOutboxBatch(h.db, until + 1, until + 2 * MINUTE, 100);
    assert.equal(later.length, 16, 'expired leases are taken over');
    assert.ok(later.every((r) => r.attempts === 2));
  });

  test('many concurrent claims on a pool never hand out a row twice', async () => {
    await h.db.deleteFrom('outbox').execute();
    await enqueue(200);
    const now = h.clock.now() + 10 * MINUTE;
    const claims = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const mine: string[] = [];
        for (;;) {
          const batch = await claimDueOutboxBatch(h.db, now, now + 2 * MINUTE, 7);
          if (batch.length === 0) return mine;
          mine.push(...batch.map((r) => r.id));
        }
      }),
    );
    const all = claims.flat();
    assert.equal(all.length, 200);
    assert.equal(new Set(all).size, 200);
  });
});
