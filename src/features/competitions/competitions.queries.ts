// SQL of competitions, their entries and draws. Entries are found by competition and address (one each), by their
// link reference, or by their deletion time; nothing here decides a rule.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { CompetitionDrawsTable, CompetitionEntriesTable, CompetitionsTable } from './competitions.tables.ts';

type Db = Kysely<Database>;

/**
 * The entry's address belongs to an account that had the activity restricted (Art. 18 GDPR, the privacy engine's
 * `processing_objections`, kind 'restriction'): one correlated subquery, so a draw asks once, not per entry.
 */
function restrictedAddress(eb: ExpressionBuilder<Database, 'competition_entries'>, activity: string) {
  return eb.exists(
    eb
      .selectFrom('processing_objections as o')
      .innerJoin('users as u', 'u.id', 'o.user_id')
      .select('o.user_id')
      .whereRef('u.email', '=', 'competition_entries.email')
      .where('o.activity', '=', activity)
      .where('o.kind', '=', 'restriction'),
  );
}

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

/** Inserts the entry unless the address entered this competition already (the unique index): true when inserted. */
export async function insertEntry(db: Db, row: CompetitionEntriesTable): Promise<boolean> {
  const result = await db
    .insertInto('competition_entries')
    .values(row)
    .onConflict((oc) => oc.columns(['competition_id', 'email']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
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

/** The confirmed entries that take part in the draw: not those of addresses restricted for the activity. */
export async function listConfirmedEntries(
  db: Db,
  competitionId: string,
  activity: string,
): Promise<Pick<CompetitionEntriesTable, 'id' | 'email'>[]> {
  return db
    .selectFrom('competition_entries')
    .select(['id', 'email'])
    .where('competition_id', '=', competitionId)
    .where('status', '=', 'confirmed')
    .where((eb) => eb.not(restrictedAddress(eb, activity)))
    .execute();
}

export async function markWinner(db: Db, id: string, position: number, deleteAfter: number): Promise<void> {
  await db
    .updateTable('competition_entries')
    .set({ status: 'won', won_position: position, delete_after: deleteAfter })
    .where('id', '=', id)
    .execute();
}

/** Every entry of a drawn competition that did not win, but those kept by a restriction: gone at once. */
export async function deleteNonWinningEntries(db: Db, competitionId: string, activity: string): Promise<number> {
  const result = await db
    .deleteFrom('competition_entries')
    .where('competition_id', '=', competitionId)
    .where('status', '!=', 'won')
    .where((eb) => eb.not(restrictedAddress(eb, activity)))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * Non-winning entries left over in drawn competitions (a confirmation that raced the draw, or an entry whose
 * restriction was lifted since): the job's sweep. Entries still restricted stay.
 */
export async function deleteNonWinningEntriesOfDrawn(db: Db, activity: string): Promise<number> {
  const result = await db
    .deleteFrom('competition_entries')
    .where('status', '!=', 'won')
    .where((eb) => eb.not(restrictedAddress(eb, activity)))
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

export async function insertDraw(db: Db, row: CompetitionDrawsTable): Promise<void> {
  await db.insertInto('competition_draws').values(row).execute();
}

export async function findDrawOfCompetition(db: Db, competitionId: string): Promise<CompetitionDrawsTable | undefined> {
  return db.selectFrom('competition_draws').selectAll().where('competition_id', '=', competitionId).executeTakeFirst();
}
