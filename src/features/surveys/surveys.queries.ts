// All SQL of surveys. Answers are read for aggregation by survey only (never with their person); the person's
// link is used only to delete their rows (withdrawal) and, by the privacy engine, for export and erasure.
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type {
  SurveyConsentsTable,
  SurveyInvitationsTable,
  SurveyResponsesTable,
  SurveysTable,
} from './surveys.tables.ts';

type Db = Kysely<Database>;

export async function insertSurvey(db: Db, row: SurveysTable): Promise<void> {
  await db.insertInto('surveys').values(row).execute();
}

export async function findSurvey(db: Db, id: string): Promise<SurveysTable | undefined> {
  return db.selectFrom('surveys').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function updateSurvey(
  db: Db,
  id: string,
  changes: Partial<Omit<SurveysTable, 'id' | 'created_at'>>,
): Promise<void> {
  await db.updateTable('surveys').set(changes).where('id', '=', id).execute();
}

/** Deletes the survey; its invitations and answers go with it (foreign keys with cascade). */
export async function deleteSurvey(db: Db, id: string): Promise<void> {
  await db.deleteFrom('survey_responses').where('survey_id', '=', id).execute();
  await db.deleteFrom('survey_invitations').where('survey_id', '=', id).execute();
  await db.deleteFrom('surveys').where('id', '=', id).execute();
}

/** Newest first, keyset by (created_at, id); one more row than `limit` tells that a next page exists. */
export async function listSurveys(
  db: Db,
  limit: number,
  after?: { createdAt: number; id: string },
): Promise<Pick<SurveysTable, 'id' | 'title_en' | 'title_de' | 'status' | 'created_at'>[]> {
  let query = db.selectFrom('surveys').select(['id', 'title_en', 'title_de', 'status', 'created_at']);
  if (after)
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', after.createdAt),
        eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
      ]),
    );
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
}

export async function findConsent(db: Db, userId: string): Promise<SurveyConsentsTable | undefined> {
  return db.selectFrom('survey_consents').selectAll().where('user_id', '=', userId).executeTakeFirst();
}

/** A new consent replaces an older one (its proof is then the newer text and time). */
export async function upsertConsent(db: Db, row: SurveyConsentsTable): Promise<void> {
  await db
    .insertInto('survey_consents')
    .values(row)
    .onConflict((oc) =>
      oc.column('user_id').doUpdateSet({
        given_at: row.given_at,
        source: row.source,
        consent_text: row.consent_text,
        consent_version: row.consent_version,
        lang: row.lang,
      }),
    )
    .execute();
}

/** Withdrawal: the consent, the person's invitations and answers, all of them. */
export async function deleteConsentAndAnswers(db: Db, userId: string): Promise<{ answers: number }> {
  const answers = await db.deleteFrom('survey_responses').where('user_id', '=', userId).executeTakeFirst();
  await db.deleteFrom('survey_invitations').where('user_id', '=', userId).execute();
  await db.deleteFrom('survey_consents').where('user_id', '=', userId).execute();
  return { answers: Number(answers.numDeletedRows) };
}

/** The consenting people with what an invitation needs (address, name, language): one query for all. */
export async function listConsentingPeople(
  db: Db,
): Promise<{ user_id: string; email: string; name: string; lang: string }[]> {
  return db
    .selectFrom('survey_consents as c')
    .innerJoin('users as u', 'u.id', 'c.user_id')
    .select(['c.user_id', 'u.email', 'u.name', 'u.lang'])
    .orderBy('c.user_id')
    .execute();
}

/** People already invited to, or who answered, the survey: nobody gets a second invitation. */
export async function listReachedUserIds(db: Db, surveyId: string): Promise<Set<string>> {
  const invited = await db
    .selectFrom('survey_invitations')
    .select('user_id')
    .where('survey_id', '=', surveyId)
    .execute();
  const answered = await db
    .selectFrom('survey_responses')
    .select('user_id')
    .where('survey_id', '=', surveyId)
    .execute();
  return new Set([...invited, ...answered].map((r) => r.user_id));
}

export async function insertInvitation(db: Db, row: SurveyInvitationsTable): Promise<void> {
  await db.insertInto('survey_invitations').values(row).execute();
}

export async function findInvitation(db: Db, id: string): Promise<SurveyInvitationsTable | undefined> {
  return db.selectFrom('survey_invitations').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Marks the invitation answered unless it was; false when another response came first. */
export async function markInvitationAnswered(db: Db, id: string, at: number): Promise<boolean> {
  const result = await db
    .updateTable('survey_invitations')
    .set({ responded_at: at })
    .where('id', '=', id)
    .where('responded_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertResponse(db: Db, row: SurveyResponsesTable): Promise<void> {
  await db.insertInto('survey_responses').values(row).execute();
}

/** The answers of a survey, without their person or time: all the aggregate needs. */
export async function listAnswersOfSurvey(db: Db, surveyId: string): Promise<string[]> {
  return (await db.selectFrom('survey_responses').select('answers').where('survey_id', '=', surveyId).execute()).map(
    (r) => r.answers,
  );
}

export async function countInvitations(db: Db, surveyId: string): Promise<number> {
  const row = await db
    .selectFrom('survey_invitations')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('survey_id', '=', surveyId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
