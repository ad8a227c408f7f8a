// Surveys: staff build them, invite the consenting purchasers of chosen products (one mail each, through the
// marketing pipeline), and see the answers in aggregate only. One response per invitation; the link's token is
// derived from the invitation's id and never stored.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { isLang, type Lang, type Text } from '../../platform/i18n.ts';
import { isDerivedSecret, secretPlaceholder } from '../../platform/secret-links.ts';
import { personsNotToProcess } from '../../privacy/objections.ts';
import { enqueueMarketingMail, suppressedAmong } from '../mail/index.ts';
import { listPurchases, type OrderLine } from '../orders/index.ts';
import { SURVEYS_ACTIVITY } from './surveys.data-map.ts';
import { surveyInvitationMail } from './surveys.emails.ts';
import {
  aggregateResults,
  checkAnswers,
  type Answers,
  type SurveyQuestion,
  type SurveyResults,
} from './surveys.model.ts';
import {
  countInvitations,
  deleteSurvey as deleteSurveyRow,
  findInvitation,
  findSurvey,
  insertInvitation,
  insertResponse,
  insertSurvey,
  listAnswersOfSurvey,
  listConsentingPeople,
  listReachedUserIds,
  markInvitationAnswered,
  updateSurvey as updateSurveyRow,
} from './surveys.queries.ts';
import type { SurveysTable } from './surveys.tables.ts';

export const SURVEY_LIST = 'surveys';
const INVITATION = 'survey-invitation';
const WITHDRAW = 'survey-withdraw';
export const WITHDRAW_PATH = '/surveys/withdraw';
export const DEFAULT_RETENTION_DAYS = 365;

export type SurveyStatus = 'draft' | 'open' | 'closed';

export const surveyAnswered = () =>
  new AppError(409, 'survey_answered', {
    en: 'This invitation has been answered already: each invitation takes one response.',
    de: 'Diese Einladung wurde bereits beantwortet: Jede Einladung nimmt eine Antwort an.',
  });

export const surveyClosed = () =>
  new AppError(410, 'survey_closed', {
    en: 'This survey is closed and takes no more answers. Thank you for your interest.',
    de: 'Diese Umfrage ist beendet und nimmt keine Antworten mehr an. Danke für Ihr Interesse.',
  });

const notDraft = () =>
  new AppError(409, 'survey_not_draft', {
    en: 'Only a survey that has not been opened yet can be changed.',
    de: 'Ändern lässt sich nur eine Umfrage, die noch nicht geöffnet wurde.',
  });

export interface SurveyView {
  row: SurveysTable;
  questions: SurveyQuestion[];
  productIds: string[];
  status: SurveyStatus;
}

export function viewOf(row: SurveysTable): SurveyView {
  return {
    row,
    questions: JSON.parse(row.questions) as SurveyQuestion[],
    productIds: JSON.parse(row.product_ids) as string[],
    status: row.status as SurveyStatus,
  };
}

export async function loadSurvey(deps: Pick<Deps, 'db'>, id: string): Promise<SurveyView> {
  const row = await findSurvey(deps.db, id);
  if (!row) throw errors.notFound();
  return viewOf(row);
}

export interface SurveyDetails {
  title: Text;
  intro: Text;
  productIds: string[];
  retentionDays: number;
}

export async function createSurvey(deps: Pick<Deps, 'db' | 'clock'>, details: SurveyDetails): Promise<string> {
  const id = randomUUID();
  await insertSurvey(deps.db, {
    id,
    title_en: details.title.en,
    title_de: details.title.de,
    intro_en: details.intro.en,
    intro_de: details.intro.de,
    questions: '[]',
    product_ids: JSON.stringify(details.productIds),
    retention_days: details.retentionDays,
    status: 'draft',
    created_at: deps.clock.now(),
    opened_at: null,
    closed_at: null,
  });
  return id;
}

export async function changeSurvey(deps: Pick<Deps, 'db'>, id: string, details: SurveyDetails): Promise<void> {
  const survey = await loadSurvey(deps, id);
  if (survey.status !== 'draft') throw notDraft();
  await updateSurveyRow(deps.db, id, {
    title_en: details.title.en,
    title_de: details.title.de,
    intro_en: details.intro.en,
    intro_de: details.intro.de,
    product_ids: JSON.stringify(details.productIds),
    retention_days: details.retentionDays,
  });
}

export async function addQuestion(
  deps: Pick<Deps, 'db'>,
  id: string,
  question: Omit<SurveyQuestion, 'id'>,
): Promise<void> {
  const survey = await loadSurvey(deps, id);
  if (survey.status !== 'draft') throw notDraft();
  const questions = [...survey.questions, { ...question, id: randomUUID().slice(0, 8) }];
  await updateSurveyRow(deps.db, id, { questions: JSON.stringify(questions) });
}

export async function removeQuestion(deps: Pick<Deps, 'db'>, id: string, questionId: string): Promise<void> {
  const survey = await loadSurvey(deps, id);
  if (survey.status !== 'draft') throw notDraft();
  const questions = survey.questions.filter((q) => q.id !== questionId);
  await updateSurveyRow(deps.db, id, { questions: JSON.stringify(questions) });
}

export async function openSurvey(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<void> {
  const survey = await loadSurvey(deps, id);
  if (survey.status !== 'draft') throw notDraft();
  if (survey.questions.length === 0)
    throw errors.invalid({
      en: 'Add at least one question before opening the survey.',
      de: 'Fügen Sie vor dem Öffnen mindestens eine Frage hinzu.',
    });
  await updateSurveyRow(deps.db, id, { status: 'open', opened_at: deps.clock.now() });
}

export async function closeSurvey(deps: Pick<Deps, 'db' | 'clock'>, id: string): Promise<void> {
  const survey = await loadSurvey(deps, id);
  if (survey.status !== 'open')
    throw new AppError(409, 'survey_not_open', {
      en: 'This survey is not open.',
      de: 'Diese Umfrage ist nicht geöffnet.',
    });
  await updateSurveyRow(deps.db, id, { status: 'closed', closed_at: deps.clock.now() });
}

/** Deletes a survey with all its invitations and answers. */
export async function deleteSurvey(deps: Pick<Deps, 'db'>, id: string): Promise<void> {
  await loadSurvey(deps, id);
  await deps.db.transaction().execute((trx) => deleteSurveyRow(trx, id));
}

/** The token of an invitation's personal link (HMAC of its id under the instance secret). */
export function validInvitationToken(secret: string, invitationId: string, token: string): boolean {
  return isDerivedSecret(secret, INVITATION, invitationId, token);
}

/** The token of the withdrawal link in every invitation, for the person's account id. */
export function validWithdrawToken(secret: string, userId: string, token: string): boolean {
  return isDerivedSecret(secret, WITHDRAW, userId, token);
}

/**
 * Invites every purchaser of the survey's products who consented, may be processed (no objection or restriction:
 * personsNotToProcess) and is not on the suppression list, and was not invited to this survey before: one mail each, with
 * the invitation row in the same transaction. Answers how many were invited.
 */
export async function inviteToSurvey(
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'dataMap'>,
  id: string,
): Promise<number> {
  const survey = await loadSurvey(deps, id);
  if (survey.status !== 'open') throw surveyClosedForInvites();
  const products = new Set(survey.productIds);
  const reached = await listReachedUserIds(deps.db, id);
  // A fixed number of queries whatever the number of people: the consenting people with their accounts, every
  // bought order (as orders counts them), and the objections and restrictions of them all.
  const buyers = new Set<string>();
  for (const order of await listPurchases(deps.db))
    if ((JSON.parse(order.lines) as OrderLine[]).some((line) => products.has(line.productId)))
      buyers.add(order.user_id);
  const people = (await listConsentingPeople(deps.db)).filter((p) => !reached.has(p.user_id) && buyers.has(p.user_id));
  const refused = await personsNotToProcess(
    deps,
    people.map((p) => p.user_id),
    SURVEYS_ACTIVITY,
  );
  const candidates = people
    .filter((p) => !refused.has(p.user_id))
    .map((p) => ({ userId: p.user_id, email: p.email, name: p.name, lang: isLang(p.lang) ? p.lang : ('en' as Lang) }));
  const suppressed = await suppressedAmong(
    deps.db,
    deps.config.suppressionKey,
    candidates.map((c) => c.email),
    SURVEY_LIST,
  );
  let invited = 0;
  for (const c of candidates) {
    if (suppressed.has(c.email)) continue;
    const invitationId = randomUUID();
    const base = deps.config.baseUrl;
    const link = `${base}/surveys/${id}?i=${invitationId}&t=${secretPlaceholder(deps.config.secret, INVITATION, invitationId, c.email)}`;
    const withdraw = `${base}${WITHDRAW_PATH}?u=${c.userId}&t=${secretPlaceholder(deps.config.secret, WITHDRAW, c.userId, c.email)}`;
    await deps.db.transaction().execute(async (trx) => {
      await insertInvitation(trx, {
        id: invitationId,
        survey_id: id,
        user_id: c.userId,
        lang: c.lang,
        invited_at: deps.clock.now(),
        responded_at: null,
      });
      await enqueueMarketingMail(
        { db: trx, clock: deps.clock, config: deps.config },
        surveyInvitationMail(c.lang, {
          to: c.email,
          name: c.name,
          title: c.lang === 'de' ? survey.row.title_de : survey.row.title_en,
          intro: c.lang === 'de' ? survey.row.intro_de : survey.row.intro_en,
          link,
          withdraw,
          retentionDays: survey.row.retention_days,
        }),
        { list: SURVEY_LIST, oneClickUrl: withdraw, suppressionChecked: true },
      );
    });
    invited++;
  }
  return invited;
}

const surveyClosedForInvites = () =>
  new AppError(409, 'survey_not_open', {
    en: 'Only an open survey can send invitations.',
    de: 'Einladungen versendet nur eine geöffnete Umfrage.',
  });

/** The invitation a link names, when its token is right and it belongs to this survey; else a 400. */
export async function checkInvitation(
  deps: Pick<Deps, 'db' | 'config'>,
  surveyId: string,
  invitationId: string,
  token: string,
) {
  if (!validInvitationToken(deps.config.secret, invitationId, token)) throw errors.badToken();
  const invitation = await findInvitation(deps.db, invitationId);
  if (!invitation || invitation.survey_id !== surveyId) throw errors.badToken();
  return invitation;
}

/**
 * Stores one response for an invitation: a bad token 400, a closed survey 410, a second response 409, answers that
 * do not fit the questions 400 with a message per question. Nothing is stored unless all of it is right.
 */
export async function submitResponse(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  surveyId: string,
  link: { invitationId: string; token: string },
  raw: Record<string, unknown>,
): Promise<void> {
  const invitation = await checkInvitation(deps, surveyId, link.invitationId, link.token);
  const survey = await loadSurvey(deps, surveyId);
  if (survey.status === 'closed') throw surveyClosed();
  if (survey.status !== 'open') throw errors.notFound();
  if (invitation.responded_at !== null) throw surveyAnswered();
  const { answers, problems } = checkAnswers(survey.questions, raw);
  if (Object.keys(problems).length > 0) throw errors.invalidFields(problems);
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await markInvitationAnswered(trx, invitation.id, now))) throw surveyAnswered();
    await insertResponse(trx, {
      id: randomUUID(),
      survey_id: surveyId,
      user_id: invitation.user_id,
      answers: JSON.stringify(answers),
      submitted_at: now,
      delete_after: now + survey.row.retention_days * DAY,
    });
  });
}

/** What staff see of a survey's answers: the aggregate only, with the number invited. */
export async function surveyResults(
  deps: Pick<Deps, 'db'>,
  id: string,
): Promise<{ survey: SurveyView; invited: number; results: SurveyResults }> {
  const survey = await loadSurvey(deps, id);
  const answers = (await listAnswersOfSurvey(deps.db, id)).map((a) => JSON.parse(a) as Answers);
  return {
    survey,
    invited: await countInvitations(deps.db, id),
    results: aggregateResults(survey.questions, answers),
  };
}
