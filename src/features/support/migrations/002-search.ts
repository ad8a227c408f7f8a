// The staff console's search over tickets (issue 14): one row per ticket in `support_search` (its subject and all
// its message texts as lower-case words), gone with its ticket (foreign key with cascade on both databases). A row's
// id grows with each re-index (support.search.queries.ts reindexTicket gives it a new one), so the newest id is the
// latest activity: matches are read newest id first and the search stops after a page.
// SQLite: an FTS5 index over that table (external content, kept in step by triggers, secure-delete so a deleted
// ticket's words leave the index at once); `… match ? order by rowid desc limit n` walks the doclists backwards and
// stops early; prefix indexes for prefixes of 2 to 6 letters (the queue's last word). PostgreSQL: the 'simple'
// tsvector of subject and body stored in `doc` (generated) with a GIN index on it ('simple' neither stems nor drops
// stop words, so German and English text are found alike); the planner takes the GIN index for rare words and walks
// the primary key backwards, testing the stored `doc`, for common ones.
import { sql, type Kysely } from 'kysely';
import type { Migration } from '../../../platform/db/migrate.ts';

export const createSupportSearch: Migration = {
  id: 'support.002-search',
  async up(db, kind) {
    // The queue without a state filter: newest update first (the state tabs use support_tickets_queue).
    await sql`create index support_tickets_updated on support_tickets (updated_at, id)`.execute(db);
    if (kind === 'postgres') {
      await sql`create table support_search (
        id bigserial primary key,
        ticket_id varchar(64) not null unique references support_tickets(id) on delete cascade,
        requester varchar(255) not null,
        subject text not null,
        body text not null,
        doc tsvector generated always as (to_tsvector('simple'::regconfig, subject || ' ' || body)) stored
      )`.execute(db);
      await sql`create index support_search_doc on support_search using gin (doc)`.execute(db);
      await sql`create index support_search_requester on support_search (requester)`.execute(db);
      await indexExisting(db);
      return;
    }
    await sql`create table support_search (
      id integer primary key,
      ticket_id varchar(64) not null unique references support_tickets(id) on delete cascade,
      requester varchar(255) not null,
      subject text not null,
      body text not null
    )`.execute(db);
    await sql`create index support_search_requester on support_search (requester)`.execute(db);
    await sql`create virtual table support_search_fts using fts5(
      subject, body, content='support_search', content_rowid='id', tokenize='unicode61 remove_diacritics 2', prefix='2 3 4 5 6'
    )`.execute(db);
    await sql`insert into support_search_fts(support_search_fts, rank) values ('secure-delete', 1)`.execute(db);
    await sql`create trigger support_search_ai after insert on support_search begin
      insert into support_search_fts(rowid, subject, body) values (new.id, new.subject, new.body);
    end`.execute(db);
    await sql`create trigger support_search_ad after delete on support_search begin
      insert into support_search_fts(support_search_fts, rowid, subject, body)
        values ('delete', old.id, old.subject, old.body);
    end`.execute(db);
    await sql`create trigger support_search_au after update on support_search begin
      insert into support_search_fts(support_search_fts, rowid, subject, body)
        values ('delete', old.id, old.subject, old.body);
      insert into support_search_fts(rowid, subject, body) values (new.id, new.subject, new.body);
    end`.execute(db);
    await indexExisting(db);
  },
};

// The index's word rule as of this migration (frozen; support.search.queries.ts indexText): letters and digits only.
const words = (text: string): string =>
  text
    .normalize('NFC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Tickets that exist already (none in a new installation), a thousand at a time. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations see the raw schema
async function indexExisting(db: Kysely<any>): Promise<void> {
  let after = '';
  for (;;) {
    const tickets: { id: string; requester: string; subject: string }[] = await db
      .selectFrom('support_tickets')
      .select(['id', 'requester', 'subject'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(1000)
      .execute();
    if (tickets.length === 0) return;
    for (const t of tickets) {
      const messages: { body: string }[] = await db
        .selectFrom('support_messages')
        .select('body')
        .where('ticket_id', '=', t.id)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      await db
        .insertInto('support_search')
        .values({
          ticket_id: t.id,
          requester: t.requester,
          subject: words(t.subject),
          body: words(messages.map((m) => m.body).join('\n')),
        })
        .execute();
    }
    after = tickets[tickets.length - 1]!.id;
  }
}
