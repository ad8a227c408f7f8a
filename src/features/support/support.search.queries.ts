// The staff queue's SQL: the search index (support_search, migrations/002-search.ts) kept up to date, and one query
// behind the queue on both databases (searchTickets): filters, full-text match, keyset pages by updated_at desc.
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { DbKind } from '../../platform/db/dialect.ts';
import type { SupportTicketsTable, TicketState } from './support.tables.ts';

type Db = Kysely<Database>;

/** One row per ticket: its subject and all its message texts, lower-cased (the index, never shown). */
export interface SupportSearchTable {
  id: number;
  ticket_id: string;
  requester: string;
  subject: string;
  body: string;
}

const withSearch = (db: Db) => db.withTables<{ support_search: Omit<SupportSearchTable, 'id'> & { id?: number } }>();

const fold = (text: string): string => text.normalize('NFC').toLowerCase();
/** What the index holds: the words only (letters and digits), lower-cased, so that both databases split alike. */
export const indexText = (text: string): string =>
  fold(text)
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** Writes a ticket's row of the index from its subject and messages (call after a ticket or message is written). */
export async function reindexTicket(db: Db, ticketId: string): Promise<void> {
  const ticket = await db
    .selectFrom('support_tickets')
    .select(['requester', 'subject'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  const sdb = withSearch(db);
  if (!ticket) {
    await sdb.deleteFrom('support_search').where('ticket_id', '=', ticketId).execute();
    return;
  }
  const messages = await db
    .selectFrom('support_messages')
    .select('body')
    .where('ticket_id', '=', ticketId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const row = {
    ticket_id: ticketId,
    requester: ticket.requester,
    subject: indexText(ticket.subject),
    body: indexText(messages.map((m) => m.body).join('\n')),
  };
  await sdb
    .insertInto('support_search')
    .values(row)
    .onConflict((oc) =>
      oc.column('ticket_id').doUpdateSet({ requester: row.requester, subject: row.subject, body: row.body }),
    )
    .execute();
}

/** A query the user typed, parsed into words and quoted phrases; the last bare word also matches as a prefix. */
export interface ParsedQuery {
  /** Each part: one word, or several words that must follow each other (a quoted phrase). */
  parts: string[][];
  /** Whether the last part is a single word to match as a prefix. */
  prefix: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
const MAX_PARTS = 12;

/**
 * Turns user input into words and phrases: only letters and digits survive (no FTS operator, quote or bracket of
 * the input reaches the engine); quotes group words into a phrase. Null for an empty or all-punctuation query.
 */
export function parseSearch(input: string): ParsedQuery | null {
  const parts: string[][] = [];
  const segments = input.split('"');
  let prefix = false;
  segments.forEach((segment, i) => {
    const words = fold(segment).match(WORD) ?? [];
    if (words.length === 0) return;
    // Odd segments lie between quotes (an unclosed quote runs to the end).
    if (i % 2 === 1) {
      parts.push(words);
      prefix = false;
    } else {
      for (const w of words) parts.push([w]);
      prefix = i === segments.length - 1 && /[\p{L}\p{N}]$/u.test(segment);
    }
  });
  if (parts.length === 0) return null;
  const kept = parts.slice(0, MAX_PARTS);
  return { parts: kept, prefix: prefix && kept.length === parts.length };
}

/** FTS5 syntax: every word in double quotes (letters and digits only, so nothing to escape), AND between parts. */
export function toFts5(q: ParsedQuery): string {
  return q.parts.map((words, i) => `"${words.join(' ')}"${q.prefix && i === q.parts.length - 1 ? '*' : ''}`).join(' ');
}

/** PostgreSQL tsquery syntax: `&` between parts, `<->` inside a phrase, `:*` for the prefix. */
export function toTsquery(q: ParsedQuery): string {
  return q.parts
    .map((words, i) => {
      const last = q.prefix && i === q.parts.length - 1 ? ':*' : '';
      return words.length === 1 ? `${words[0]}${last}` : `(${words.join(' <-> ')})`;
    })
    .join(' & ');
}

/** Above this many matches a search counts as broad (see searchTickets). */
const BROAD = 3000;

/** The ids of the support_search rows that match, as a subquery of the dialect's full-text index. */
function matchSql(dbKind: DbKind, parsed: ParsedQuery) {
  if (dbKind === 'sqlite') {
    const fts = toFts5(parsed);
    return {
      ids: sql`select rowid from support_search_fts where support_search_fts match ${fts}`,
      /** Whether ticket t matches (correlated: one index probe per ticket). */
      probe: sql`select 1 from support_search s join support_search_fts f on f.rowid = s.id
        where s.ticket_id = t.id and support_search_fts match ${fts}`,
    };
  }
  const tsq = sql`to_tsquery('simple'::regconfig, ${toTsquery(parsed)})`;
  const doc = sql`to_tsvector('simple'::regconfig, subject || ' ' || body)`;
  return {
    ids: sql`select id from support_search where ${doc} @@ ${tsq}`,
    probe: sql`select 1 from support_search s where s.ticket_id = t.id and ${doc} @@ ${tsq}`,
  };
}

async function countMatches(db: Db, match: ReturnType<typeof matchSql>, cap: number): Promise<number> {
  const r = await sql<{ n: number }>`select count(*) as n from (${match.ids} limit ${cap}) m`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export interface QueueFilters {
  state?: TicketState | undefined;
  /** 'me' with `me`, or 'none' for unassigned tickets. */
  assigned?: 'me' | 'none' | undefined;
  me?: string | undefined;
  /** Only one requester's tickets (the staff customer page). */
  requester?: string | undefined;
}

export interface QueueRow {
  id: string;
  ref: string;
  subject: string;
  requester: string;
  requester_name: string | null;
  account_name: string | null;
  state: TicketState;
  assignee_id: string | null;
  assignee_name: string | null;
  updated_at: number;
}

/**
 * The queue: tickets matching the filters and the search (none for an empty query), newest update first, `limit`
 * rows after the cursor (plus one to tell whether there is a next page).
 */
export async function searchTickets(
  db: Db,
  dbKind: DbKind,
  q: string,
  filters: QueueFilters,
  page: { after?: { value: number; id: string } | undefined; limit: number; broadAbove?: number },
): Promise<QueueRow[]> {
  const parsed = parseSearch(q);
  let query = withSearch(db)
    .selectFrom('support_tickets as t')
    .leftJoin('users as u', 'u.id', 't.requester')
    .leftJoin('users as a', 'a.id', 't.assignee_id')
    .select([
      't.id',
      't.ref',
      't.subject',
      't.requester',
      't.requester_name',
      'u.name as account_name',
      't.state',
      't.assignee_id',
      'a.name as assignee_name',
      't.updated_at',
    ]);
  if (parsed) {
    const match = matchSql(dbKind, parsed);
    // Few matches: the matching tickets, sorted. Many (a common word): walk the tickets newest first and test each,
    // which stops after a page instead of sorting tens of thousands of matches.
    const broad = page.broadAbove ?? BROAD;
    const common = (await countMatches(db, match, broad)) >= broad;
    query = common
      ? query.where(sql<boolean>`exists (${match.probe})`)
      : query.where('t.id', 'in', sql<string>`(select s.ticket_id from support_search s where s.id in (${match.ids}))`);
  }
  if (filters.state) query = query.where('t.state', '=', filters.state);
  if (filters.assigned === 'none') query = query.where('t.assignee_id', 'is', null);
  if (filters.assigned === 'me' && filters.me) query = query.where('t.assignee_id', '=', filters.me);
  if (filters.requester) query = query.where('t.requester', '=', filters.requester);
  const after = page.after;
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('t.updated_at', '<', after.value),
        eb.and([eb('t.updated_at', '=', after.value), eb('t.id', '<', after.id)]),
      ]),
    );
  return query
    .orderBy('t.updated_at', 'desc')
    .orderBy('t.id', 'desc')
    .limit(page.limit + 1)
    .execute();
}

/** How many tickets are in each state (the queue's tabs). */
export async function countByState(db: Db, filters: QueueFilters = {}): Promise<Record<TicketState, number>> {
  let q = db.selectFrom('support_tickets').select(['state', (eb) => eb.fn.countAll<number>().as('n')]);
  if (filters.assigned === 'none') q = q.where('assignee_id', 'is', null);
  if (filters.assigned === 'me' && filters.me) q = q.where('assignee_id', '=', filters.me);
  const rows = await q.groupBy('state').execute();
  const counts: Record<TicketState, number> = { new: 0, open: 0, waiting: 0, solved: 0, closed: 0 };
  for (const r of rows) if (r.state in counts) counts[r.state] = Number(r.n);
  return counts;
}

export type { SupportTicketsTable };
