// The staff queue's SQL: the search index (support_search, migrations/002-search.ts) kept up to date, and one query
// behind the queue on both databases (searchTickets): filters, full-text match, keyset pages (by updated_at without
// a search, by the index row's id, i.e. latest activity, with one).
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

/**
 * Writes a ticket's row of the index from its subject and messages (call after a ticket or message is written). The
 * row is written anew with a new id, larger than every other (SQLite: max + 1; PostgreSQL: the sequence), so the
 * search reads the latest activity first. Two re-indexes of one ticket at once (PostgreSQL): the second insert finds
 * the first one's row and overwrites its texts.
 */
export async function reindexTicket(db: Db, ticketId: string): Promise<void> {
  const ticket = await db
    .selectFrom('support_tickets')
    .select(['requester', 'subject'])
    .where('id', '=', ticketId)
    .executeTakeFirst();
  const sdb = withSearch(db);
  await sdb.deleteFrom('support_search').where('ticket_id', '=', ticketId).execute();
  if (!ticket) return;
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
  /** The row's place in the order, for the page's cursor: updated_at without a search, the index row's id with one. */
  position: number;
}

const COLUMNS = sql`t.id, t.ref, t.subject, t.requester, t.requester_name, u.name as account_name, t.state,
  t.assignee_id, a.name as assignee_name, t.updated_at`;

/** The filters as SQL conditions on `t` (support_tickets). */
function filterSql(filters: QueueFilters) {
  const where = [];
  if (filters.state) where.push(sql`t.state = ${filters.state}`);
  if (filters.assigned === 'none') where.push(sql`t.assignee_id is null`);
  if (filters.assigned === 'me' && filters.me) where.push(sql`t.assignee_id = ${filters.me}`);
  if (filters.requester) where.push(sql`t.requester = ${filters.requester}`);
  return where;
}

/**
 * The queue: tickets matching the filters, `limit` rows after the cursor (plus one to tell whether there is a next
 * page). Without a search (an empty query), newest update first. With one, latest activity first (the index row's
 * id, new with each message): SQLite walks the FTS5 matches backwards from the newest and stops after a page
 * (CROSS JOIN keeps that order of the joins); PostgreSQL lets the planner pick the GIN index (rare words: the few
 * matches, sorted) or the primary key backwards testing the stored tsvector (common words: stops after a page).
 */
export async function searchTickets(
  db: Db,
  dbKind: DbKind,
  q: string,
  filters: QueueFilters,
  page: {
    after?: { value: number; id: string } | undefined;
    limit: number;
    /** PostgreSQL: the first window's size (tests take 1 to go through every path with a few tickets). */
    window?: number;
  },
): Promise<QueueRow[]> {
  const parsed = parseSearch(q);
  const after = page.after;
  if (!parsed) {
    let query = db
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
    if (filters.state) query = query.where('t.state', '=', filters.state);
    if (filters.assigned === 'none') query = query.where('t.assignee_id', 'is', null);
    if (filters.assigned === 'me' && filters.me) query = query.where('t.assignee_id', '=', filters.me);
    if (filters.requester) query = query.where('t.requester', '=', filters.requester);
    if (after)
      query = query.where((eb) =>
        eb.or([
          eb('t.updated_at', '<', after.value),
          eb.and([eb('t.updated_at', '=', after.value), eb('t.id', '<', after.id)]),
        ]),
      );
    const rows = await query
      .orderBy('t.updated_at', 'desc')
      .orderBy('t.id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return rows.map((r) => ({ ...r, position: Number(r.updated_at) }));
  }
  const limit = page.limit + 1;
  if (dbKind === 'postgres') return searchPostgres(db, parsed, filters, after?.value, limit, page.window ?? WINDOW);
  const where = filterSql(filters);
  if (after) where.push(sql`s.id < ${after.value}`);
  const and = where.length > 0 ? sql` and ${sql.join(where, sql` and `)}` : sql``;
  const result = await sql<QueueRow>`select ${COLUMNS}, s.id as position
    from support_search_fts f cross join support_search s cross join support_tickets t
    left join users u on u.id = t.requester left join users a on a.id = t.assignee_id
    where support_search_fts match ${toFts5(parsed)} and s.id = f.rowid and t.id = s.ticket_id${and}
    order by f.rowid desc limit ${limit}`.execute(db);
  return result.rows.map((r) => ({ ...r, position: Number(r.position) }));
}

/** PostgreSQL: how many of the newest index rows the search tests first, and at most at a time (searchPostgres). */
const WINDOW = 400;
const MAX_WINDOW = 5000;

/**
 * PostgreSQL's search. A GIN index returns its matches in no useful order, and a common word matches half of all
 * tickets (sorting those is slow), while walking the rows newest first testing each is slow for a rare word (and the
 * planner cannot tell them apart for a prefix, whose share it guesses). So the search walks the newest rows in
 * windows (a subquery ordered by id with a limit: always the primary key backwards), testing the filters, then the
 * stored tsvector of the rows that pass them; after each window, from the share of those that matched so far, it
 * estimates what the rest of the page costs: walking on (rows to test) or the GIN index (matches to fetch and sort; `id + 0` keeps the walk out),
 * and takes the cheaper. A common word fills the page in the first window; a rare one goes to the index after it.
 */
async function searchPostgres(
  db: Db,
  parsed: ParsedQuery,
  filters: QueueFilters,
  after: number | undefined,
  limit: number,
  window: number,
): Promise<QueueRow[]> {
  const tsq = sql`to_tsquery('simple'::regconfig, ${toTsquery(parsed)})`;
  const conditions = filterSql(filters);
  const ok = conditions.length > 0 ? sql`(${sql.join(conditions, sql` and `)})` : sql`true`;
  const and = conditions.length > 0 ? sql` and ${sql.join(conditions, sql` and `)}` : sql``;
  const below = (edge: number | undefined) => (edge === undefined ? sql`` : sql`and s.id < ${edge}`);
  const fix = (rows: QueueRow[]) =>
    rows.map((r) => ({ ...r, updated_at: Number(r.updated_at), position: Number(r.position) }));
  const span = await sql<{ span: string | null }>`select max(id) - min(id) + 1 as span from support_search`.execute(db);
  const rowsInAll = Number(span.rows[0]?.span ?? 0);
  const hits: QueueRow[] = [];
  let edge = after;
  let size = window;
  let scanned = 0;
  let passed = 0;
  for (;;) {
    const win = (
      await sql<{ edge: string | null; n: string }>`select min(w.id) as edge, count(*) as n
        from (select s.id from support_search s where true ${below(edge)} order by s.id desc limit ${size}) w`.execute(
        db,
      )
    ).rows[0];
    // The filters first (a ticket's row by its key), the words only for the tickets that pass them.
    const rows = await sql<QueueRow & { hit: boolean; passed: string; nth: string }>`select x.*, u.name as account_name,
        a.name as assignee_name
      from (select t.id, t.ref, t.subject, t.requester, t.requester_name, t.state, t.assignee_id, t.updated_at,
          s.id as position, (s.doc @@ ${tsq}) as hit, count(*) over () as passed,
          row_number() over () as nth
        from (select s.id, s.ticket_id, s.doc from support_search s where true ${below(edge)}
          order by s.id desc limit ${size}) s
        join support_tickets t on t.id = s.ticket_id
        where ${ok}) x
      left join users u on u.id = x.requester left join users a on a.id = x.assignee_id
      where x.hit or x.nth = 1 order by x.position desc`.execute(db);
    hits.push(...fix(rows.rows.filter((r) => r.hit).map(({ hit: _, passed: __, nth: ___, ...r }) => r)));
    const n = Number(win?.n ?? 0);
    if (hits.length >= limit || n < size || win?.edge == null) return hits.slice(0, limit);
    edge = Number(win.edge);
    scanned += n;
    // The words' share of all rows is taken from the tickets that passed the filters (the first row tells how
    // many, matching or not).
    passed += Number(rows.rows[0]?.passed ?? 0);
    // The rest of the page at the rates so far: walking on costs a key probe per row (about a quarter of testing a
    // tsvector) and a test per row that passes the filters; the GIN index a heap fetch per match (measured at
    // 100,000 tickets, about as much as a test).
    const walk = (((limit - hits.length) * scanned) / Math.max(hits.length, 0.5)) * (0.25 + passed / scanned);
    const gin = passed > 0 ? (hits.length / passed) * rowsInAll * 0.8 : 0;
    if (walk > gin) break;
    size = Math.min(MAX_WINDOW, Math.max(window, Math.ceil(walk * 1.2)));
  }
  // The matches sorted by id (`id + 0`: the GIN index, not the walk), then each one's ticket by its key until the
  // page is full (the lateral subquery with offset 0 keeps that nested loop: a hash join reads every ticket).
  const rest = await sql<QueueRow>`select t.id, t.ref, t.subject, t.requester, t.requester_name,
      u.name as account_name, t.state, t.assignee_id, a.name as assignee_name, t.updated_at, s.k as position
    from (select s.id + 0 as k, s.ticket_id from support_search s where s.doc @@ ${tsq} and s.id < ${edge}
      order by k desc offset 0) s
    cross join lateral (select * from support_tickets t where t.id = s.ticket_id${and} offset 0) t
    left join users u on u.id = t.requester left join users a on a.id = t.assignee_id
    order by s.k desc limit ${limit - hits.length}`.execute(db);
  return [...hits, ...fix(rest.rows)];
}

/**
 * How long the queue's tabs may show counts of a few seconds ago. Counting 100,000 tickets by state takes 10 to 30
 * ms, as long as the search itself; the tabs are a rough guide (the list below them is always current), so each
 * process counts at most once in this time (per database handle; counts with an assignment filter are not kept).
 */
export const STATE_COUNTS_CACHE_MS = 3000;
const stateCounts = new WeakMap<Db, { at: number; counts: Promise<Record<TicketState, number>> }>();

/** How many tickets are in each state (the queue's tabs); unfiltered counts kept for STATE_COUNTS_CACHE_MS. */
export async function countByState(db: Db, filters: QueueFilters = {}): Promise<Record<TicketState, number>> {
  if (filters.assigned) return countStates(db, filters);
  const now = Date.now();
  const kept = stateCounts.get(db);
  if (kept && now - kept.at < STATE_COUNTS_CACHE_MS) return kept.counts;
  const counts = countStates(db, {});
  stateCounts.set(db, { at: now, counts });
  counts.catch(() => stateCounts.delete(db));
  return counts;
}

async function countStates(db: Db, filters: QueueFilters): Promise<Record<TicketState, number>> {
  let q = db.selectFrom('support_tickets').select(['state', (eb) => eb.fn.countAll<number>().as('n')]);
  if (filters.assigned === 'none') q = q.where('assignee_id', 'is', null);
  if (filters.assigned === 'me' && filters.me) q = q.where('assignee_id', '=', filters.me);
  const rows = await q.groupBy('state').execute();
  const counts: Record<TicketState, number> = { new: 0, open: 0, waiting: 0, solved: 0, closed: 0 };
  for (const r of rows) if (r.state in counts) counts[r.state] = Number(r.n);
  return counts;
}

export type { SupportTicketsTable };
