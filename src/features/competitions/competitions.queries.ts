// SQL of competitions, their entries and draws. Entries are found by competition and address (one each), by their
// link reference, or by their deletion time; nothing here decides a rule.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { CompetitionDrawsTable, CompetitionEntriesTable, CompetitionsTable } from './competitions.tables.ts';

type Db = Kysely<Database>;

export async function insertCompetition(db: Db, row: CompetitionsTable): Promise<void> {
  await db.insertInto('competitions').values(row).execute();
}

export async function updateCompetition(
  db: Db,
  id: string,
  values: Omit<CompetitionsTable, 'id' | 'created_at' | 'drawn_at'>,
): Promise<void> {
  await db.updateTable('competitions').set(values).where('id', '=', id).execute();
}

export async function findCompetitionBySlug(db: Db, slug: string): Promise<CompetitionsTable | undefined> {
  return db.selectFrom('competitions').selectAll().where('slug', '=', slug).executeTakeFirst();
}

export async function findCompetitionById(db: Db, id: string): Promise<CompetitionsTable | undefined> {
  return db.selectFrom('competitions').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A page of competitions, newest end first, after the keyset cursor (ends_at, id). */
export async function listCompetitionsPage(
  db: Db,
  after: { value: number; id: string } | undefined,
  limit: number,
): Promise<CompetitionsTable[]> {
  let query = db.selectFrom('competitions').selectAll();
  if (after)
    query = query.where((eb) =>
      eb.or([eb('ends_at', '<', after.value), eb.and([eb('ends_at', '=', after.value), eb('id', '<', after.id)])]),
    );
  return query.orderBy('ends_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

/** Ended, not yet drawn: the automatic draw's work list. */
export async function listEndedUndrawnCompetitionIds(db: Db, now: number): Promise<string[]> {
  const rows = await db
    .selectFrom('competitions')
    .select('id')
    .where('ends_at', '<=', now)
    .where('drawn_at', 'is', null)
    .execute();
  return rows.map((r) => r.id);
}

/** Claims the draw: true for the one caller that set drawn_at. */
export async function markCompetitionDrawn(db: Db, id: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('competitions')
    .set({ drawn_at: now })
    .where('id', '=', id)
    .where('drawn_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertEntry(db: Db, row: CompetitionEntriesTable): Promise<void> {
  await db.insertInto('competition_entries').values(row).execute();
}

export async function findEntryByAddress(
  db: Db,
  competitionId: string,
  email: string,
): Promise<CompetitionEntriesTable | undefined> {
  return db
    .selectFrom('competition_entries')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .where('email', '=', email)
    .executeTakeFirst();
}

export async function findEntryByLinkRef(db: Db, ref: string): Promise<CompetitionEntriesTable | undefined> {
  return db.selectFrom('competition_entries').selectAll().where('link_ref', '=', ref).executeTakeFirst();
}

export async function confirmEntry(db: Db, id: string, now: number, deleteAfter: number): Promise<boolean> {
  const result = await db
    .updateTable('competition_entries')
    .set({ status: 'confirmed', confirmed_at: now, delete_after: deleteAfter })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function deleteEntry(db: Db, id: string): Promise<number> {
  const result = await db.deleteFrom('competition_entries').where('id', '=', id).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listConfirmedEntries(
  db: Db,
  competitionId: string,
): Promise<Pick<CompetitionEntriesTable, 'id' | 'email'>[]> {
  return db
    .selectFrom('competition_entries')
    .select(['id', 'email'])
    .where('competition_id', '=', competitionId)
    .where('status', '=', 'confirmed')
    .execute();
}

export async function markWinner(db: Db, id: string, position: number, deleteAfter: number): Promise<void> {
  await db
    .updateTable('competition_entries')
    .set({ status: 'won', won_position: position, delete_after: deleteAfter })
    .where('id', '=', id)
    .execute();
}

/** Every entry of a drawn competition that did not win: gone at once. */
export async function deleteNonWinningEntries(db: Db, competitionId: string): Promise<number> {
  const result = await db
    .deleteFrom('competition_entries')
    .where('competition_id', '=', competitionId)
    .where('status', '!=', 'won')
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Non-winning entries left over in drawn competitions (a confirmation that raced the draw): the job's sweep. */
export async function deleteNonWinningEntriesOfDrawn(db: Db): Promise<number> {
  const result = await db
    .deleteFrom('competition_entries')
    .where('status', '!=', 'won')
    .where('competition_id', 'in', (eb) => eb.selectFrom('competitions').select('id').where('drawn_at', 'is not', null))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listWinners(db: Db, competitionId: string): Promise<CompetitionEntriesTable[]> {
  return db
    .selectFrom('competition_entries')
    .selectAll()
    .where('competition_id', '=', competitionId)
    .where('status', '=', 'won')
    .orderBy('won_position')
    .execute();
}

export async function markHandedOver(db: Db, competitionId: string, entryId: string, now: number): Promise<boolean> {
  const result = await db
    .updateTable('competition_entries')
    .set({ handed_over_at: now })
    .where('id', '=', entryId)
    .where('competition_id', '=', competitionId)
    .where('status', '=', 'won')
    .where('handed_over_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function countEntries(
  db: Db,
  competitionId: string,
): Promise<{ pending: number; confirmed: number; won: number }> {
  const rows = await db
    .selectFrom('competition_entries')
    .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('competition_id', '=', competitionId)
    .groupBy('status')
    .execute();
  const of = (s: string) => Number(rows.find((r) => r.status === s)?.n ?? 0);
  return { pending: of('pending'), confirmed: of('confirmed'), won: of('won') };
}

/** The entries of an address (the account page), with their competition's title. */
export async function listEntriesOfAddress(db: Db, email: string) {
  return db
    .selectFrom('competition_entries as e')
    .innerJoin('competitions as c', 'c.id', 'e.competition_id')
    .select(['e.id', 'e.status', 'e.created_at', 'e.link_ref', 'c.title_en', 'c.title_de', 'c.slug', 'c.ends_at'])
    .where('e.email', '=', email)
    .orderBy('e.created_at', 'desc')
    .execute();
}

/** Entries whose address belongs to one of these accounts' addresses, for the objection sweep. */
export async function listEntryIdsByAddresses(db: Db, emails: string[]): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await db.selectFrom('competition_entries').select('id').where('email', 'in', emails).execute();
  return rows.map((r) => r.id);
}

export async function listEntryAddresses(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('competition_entries').select('email').distinct().execute();
  return rows.map((r) => r.email);
}

export async function insertDraw(db: Db, row: CompetitionDrawsTable): Promise<void> {
  await db.insertInto('competition_draws').values(row).execute();
}

export async function findDrawOfCompetition(db: Db, competitionId: string): Promise<CompetitionDrawsTable | undefined> {
  return db.selectFrom('competition_draws').selectAll().where('competition_id', '=', competitionId).executeTakeFirst();
}
