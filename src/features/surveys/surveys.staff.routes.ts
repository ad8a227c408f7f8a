// The staff's survey console (staff and admin): build, open, invite, close, delete, and the aggregate results. No
// route here answers who was invited or who answered what.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import { listProducts, productTitle } from '../catalog/index.ts';
import { QUESTION_KINDS, SCALES, type QuestionKind, type ScaleName } from './surveys.model.ts';
import { countInvitations, listSurveys } from './surveys.queries.ts';
import {
  addQuestion,
  changeSurvey,
  closeSurvey,
  createSurvey,
  deleteSurvey,
  inviteToSurvey,
  loadSurvey,
  openSurvey,
  removeQuestion,
  surveyResults,
  type SurveyDetails,
} from './surveys.service.ts';
import { surveyEditPage, surveyListPage, surveyResultsPage } from './surveys.staff.pages.ts';

const ROLES = ['staff', 'admin'] as const;
const PAGE_SIZE = 50;
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const QuestionParams = Type.Object({ id: Type.String({ maxLength: 64 }), qid: Type.String({ maxLength: 64 }) });
const ListQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })) });
const EditQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 30 })) });
const ProductIds = Type.Optional(
  Type.Union([Type.String({ maxLength: 64 }), Type.Array(Type.String({ maxLength: 64 }), { maxItems: 500 })]),
);
const DetailsForm = formBody({
  title_en: formText(200),
  title_de: formText(200),
  intro_en: formText(2000),
  intro_de: formText(2000),
  productIds: ProductIds,
  retentionDays: formText(6),
});
const QuestionForm = formBody({
  kind: formText(20),
  text_en: formText(500),
  text_de: formText(500),
  options: formText(4000),
  scale: formText(10),
});

const required: Text = { en: 'Please fill in this field.', de: 'Bitte füllen Sie dieses Feld aus.' };

/** The details of the form, or a 400 naming every field to correct. */
function parseDetails(body: {
  title_en?: string | undefined;
  title_de?: string | undefined;
  intro_en?: string | undefined;
  intro_de?: string | undefined;
  productIds?: string | string[] | undefined;
  retentionDays?: string | undefined;
}): SurveyDetails {
  const problems: Record<string, Text> = {};
  const title = { en: body.title_en?.trim() ?? '', de: body.title_de?.trim() ?? '' };
  if (!title.en) problems.title_en = required;
  if (!title.de) problems.title_de = required;
  const productIds = [...new Set([body.productIds ?? []].flat())];
  if (productIds.length === 0)
    problems.productIds = {
      en: 'Choose at least one product whose purchasers are invited.',
      de: 'Wählen Sie mindestens ein Produkt, dessen Käufer eingeladen werden.',
    };
  const days = /^\d{1,4}$/.test(body.retentionDays?.trim() ?? '') ? Number(body.retentionDays) : NaN;
  if (!(days >= 1 && days <= 3650))
    problems.retentionDays = {
      en: 'Enter a number of days from 1 to 3650.',
      de: 'Geben Sie eine Zahl von Tagen von 1 bis 3650 ein.',
    };
  if (Object.keys(problems).length > 0) throw errors.invalidFields(problems);
  return {
    title,
    intro: { en: body.intro_en?.trim() ?? '', de: body.intro_de?.trim() ?? '' },
    productIds,
    retentionDays: days,
  };
}

export function registerSurveyStaffRoutes(app: App, deps: Deps): void {
  const products = async (lang: 'en' | 'de') =>
    (await listProducts(deps.db, 500, 0)).map((p) => ({ id: p.id, title: productTitle(p, lang) }));

  app.get('/staff/surveys', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const after = request.query.after || undefined;
    const keyset = parseNumberCursor(after);
    const rows = await listSurveys(deps.db, PAGE_SIZE + 1, keyset && { createdAt: keyset.value, id: keyset.id });
    const items = rows.slice(0, PAGE_SIZE);
    const last = items.at(-1);
    const next = rows.length > PAGE_SIZE && last ? encodeCursor(last.created_at, last.id) : null;
    return sendPage(
      reply,
      surveyListPage(pageContext(request), { items, after, next, products: await products(request.lang) }),
    );
  });

  app.post('/staff/surveys', { schema: { body: DetailsForm } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const id = await createSurvey(deps, parseDetails(request.body));
    return reply.redirect(`/staff/surveys/${id}`, 303);
  });

  app.get('/staff/surveys/:id', { schema: { params: Params, querystring: EditQuery } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const survey = await loadSurvey(deps, request.params.id);
    return sendPage(
      reply,
      surveyEditPage(pageContext(request), survey, {
        products: await products(request.lang),
        invited: await countInvitations(deps.db, survey.row.id),
        notice: request.query.notice,
      }),
    );
  });

  app.post('/staff/surveys/:id', { schema: { params: Params, body: DetailsForm } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    await changeSurvey(deps, request.params.id, parseDetails(request.body));
    return reply.redirect(`/staff/surveys/${request.params.id}?notice=saved`, 303);
  });

  app.post(
    '/staff/surveys/:id/questions',
    { schema: { params: Params, body: QuestionForm } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      const body = request.body;
      const problems: Record<string, Text> = {};
      const kind = QUESTION_KINDS.find((k) => k === body.kind);
      if (!kind) problems.kind = { en: 'Choose a kind of question.', de: 'Wählen Sie eine Art von Frage.' };
      const text = { en: body.text_en?.trim() ?? '', de: body.text_de?.trim() ?? '' };
      if (!text.en) problems.text_en = required;
      if (!text.de) problems.text_de = required;
      const lines = (body.options ?? '')
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l !== '');
      const options = lines.map((line, i) => {
        const [en, de] = line.split('|').map((s) => s.trim());
        return { id: `o${i + 1}`, text: { en: en ?? '', de: de ?? '' } };
      });
      const choice = kind === 'single' || kind === 'multiple';
      if (choice && (options.length < 2 || options.length > 20 || options.some((o) => !o.text.en || !o.text.de)))
        problems.options = {
          en: 'Give 2 to 20 answers, one per line, each as “English | German”.',
          de: 'Geben Sie 2 bis 20 Antworten an, eine je Zeile, jeweils als „Englisch | Deutsch“.',
        };
      const scaleName = (Object.keys(SCALES) as ScaleName[]).find((s) => s === body.scale) ?? '1-5';
      if (Object.keys(problems).length > 0) throw errors.invalidFields(problems);
      await addQuestion(deps, request.params.id, {
        kind: kind as QuestionKind,
        text,
        options: choice ? options : [],
        ...(kind === 'scale' ? { scale: { ...SCALES[scaleName] } } : {}),
      });
      return reply.redirect(`/staff/surveys/${request.params.id}?notice=saved`, 303);
    },
  );

  app.post(
    '/staff/surveys/:id/questions/:qid/delete',
    { schema: { params: QuestionParams, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      await removeQuestion(deps, request.params.id, request.params.qid);
      return reply.redirect(`/staff/surveys/${request.params.id}?notice=saved`, 303);
    },
  );

  for (const [action, run] of [
    ['open', openSurvey],
    ['close', closeSurvey],
  ] as const) {
    app.post(
      `/staff/surveys/:id/${action}`,
      { schema: { params: Params, body: formBody({}) } },
      async (request, reply) => {
        requireRole(request.viewer, [...ROLES]);
        await run(deps, request.params.id);
        return reply.redirect(`/staff/surveys/${request.params.id}?notice=saved`, 303);
      },
    );
  }

  app.post('/staff/surveys/:id/invite', { schema: { params: Params, body: formBody({}) } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const invited = await inviteToSurvey(deps, request.params.id);
    return reply.redirect(`/staff/surveys/${request.params.id}?notice=invited-${invited}`, 303);
  });

  app.post('/staff/surveys/:id/delete', { schema: { params: Params, body: formBody({}) } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    await deleteSurvey(deps, request.params.id);
    return reply.redirect('/staff/surveys', 303);
  });

  app.get('/staff/surveys/:id/results', { schema: { params: Params } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const { survey, invited, results } = await surveyResults(deps, request.params.id);
    return sendPage(reply, surveyResultsPage(pageContext(request), survey, results, invited));
  });
}
