// The staff console of competitions: list (keyset paging), create, edit until drawn, draw after the end, the
// winners with their contact details (each view recorded in the access audit) and the prize hand-over.
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { encodeCursor, parseNumberCursor } from '../../web/keyset.ts';
import {
  competitionFormPage,
  formValuesOf,
  staffCompetitionPage,
  staffCompetitionsPage,
} from './competitions.pages.ts';
import { countEntries, findCompetitionById, listCompetitionsPage } from './competitions.queries.ts';
import {
  createCompetition,
  drawCompetition,
  editCompetition,
  findDrawOfCompetition,
  handOverPrize,
  winnersOf,
  type CompetitionInput,
} from './competitions.service.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];
const PAGE = 25;

const ListQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })) });
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }) });
const WinnerParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
  entry: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }),
});
const CompetitionForm = formBody({
  slug: formText(100),
  titleEn: formText(300),
  titleDe: formText(300),
  textEn: formText(6000),
  textDe: formText(6000),
  prizeEn: formText(300),
  prizeDe: formText(300),
  startsAt: formText(40),
  endsAt: formText(40),
  winners: formText(10),
  prizeDays: formText(10),
  countries: Type.Optional(
    Type.Union([Type.String({ maxLength: 2 }), Type.Array(Type.String({ maxLength: 2 }), { maxItems: 300 })]),
  ),
});

type Form = {
  slug?: string | undefined;
  titleEn?: string | undefined;
  titleDe?: string | undefined;
  textEn?: string | undefined;
  textDe?: string | undefined;
  prizeEn?: string | undefined;
  prizeDe?: string | undefined;
  startsAt?: string | undefined;
  endsAt?: string | undefined;
  winners?: string | undefined;
  prizeDays?: string | undefined;
  countries?: string | string[] | undefined;
};

function inputOf(body: Form): CompetitionInput {
  const { countries, ...rest } = body;
  return { ...rest, countries: countries === undefined ? [] : Array.isArray(countries) ? countries : [countries] };
}

export function registerCompetitionStaffRoutes(app: App, deps: Deps): void {
  const { operator } = deps.config;

  app.get('/staff/competitions', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const after = parseNumberCursor(request.query.after);
    const rows = await listCompetitionsPage(deps.db, after, PAGE + 1);
    const shown = rows.slice(0, PAGE);
    const last = shown[shown.length - 1];
    const next = rows.length > PAGE && last ? encodeCursor(last.ends_at, last.id) : null;
    const withCounts = await Promise.all(
      shown.map(async (competition) => ({ competition, counts: await countEntries(deps.db, competition.id) })),
    );
    return sendPage(
      reply,
      staffCompetitionsPage(pageContext(request), withCounts, deps.clock.now(), { paged: Boolean(after), next }),
    );
  });

  const form = (
    request: FastifyRequest,
    reply: FastifyReply,
    action: string,
    values: CompetitionInput,
    error?: AppError,
  ) =>
    sendPage(
      reply,
      competitionFormPage(pageContext(request), {
        action,
        values,
        sellsTo: operator.sellsTo,
        ...(error ? { errors: error.fields, message: error.text } : {}),
      }),
      error?.status ?? 200,
    );

  app.get('/staff/competitions/new', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return form(request, reply, '/staff/competitions', {
      countries: [operator.country],
      prizeDays: '60',
      winners: '1',
    });
  });

  app.post('/staff/competitions', { schema: { body: CompetitionForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const input = inputOf(request.body);
    try {
      const created = await createCompetition(deps, input);
      return reply.redirect(`/staff/competitions/${created.id}`, 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 429)
        return form(request, reply, '/staff/competitions', input, err);
      throw err;
    }
  });

  app.get('/staff/competitions/:id/edit', { schema: { params: IdParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const c = await findCompetitionById(deps.db, request.params.id);
    if (!c) throw errors.notFound();
    return form(request, reply, `/staff/competitions/${c.id}/edit`, formValuesOf(c, operator.timeZone));
  });

  app.post(
    '/staff/competitions/:id/edit',
    { schema: { params: IdParams, body: CompetitionForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const input = inputOf(request.body);
      try {
        await editCompetition(deps, request.params.id, input);
      } catch (err) {
        if (err instanceof AppError && err.status < 500 && err.status !== 429 && err.status !== 404)
          return form(request, reply, `/staff/competitions/${request.params.id}/edit`, input, err);
        throw err;
      }
      return reply.redirect(`/staff/competitions/${request.params.id}`, 303);
    },
  );

  const show = async (request: FastifyRequest, reply: FastifyReply, id: string, error?: AppError) => {
    const viewer = requireRole(request.viewer, STAFF);
    const c = await findCompetitionById(deps.db, id);
    if (!c) throw errors.notFound();
    const winners = await winnersOf(deps, c.id);
    // Winners' names and addresses are personal data: each view is recorded against them.
    if (winners.length > 0)
      for (const w of winners)
        await recordAccess(deps, {
          actor: viewer,
          whose: { email: w.email },
          what: 'competitions.winners',
          why: 'prize-handover',
          path: request.url,
        });
    const model: { error?: Text } = error ? { error: error.text } : {};
    return sendPage(
      reply,
      staffCompetitionPage(pageContext(request), c, deps.clock.now(), {
        counts: await countEntries(deps.db, c.id),
        draw: await findDrawOfCompetition(deps.db, c.id),
        winners,
        ...model,
      }),
      error?.status ?? 200,
    );
  };

  app.get('/staff/competitions/:id', { schema: { params: IdParams } }, async (request, reply) =>
    show(request, reply, request.params.id),
  );

  app.post(
    '/staff/competitions/:id/draw',
    { schema: { params: IdParams, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      try {
        await drawCompetition(deps, request.params.id);
      } catch (err) {
        if (err instanceof AppError && err.status === 409) return show(request, reply, request.params.id, err);
        throw err;
      }
      return reply.redirect(`/staff/competitions/${request.params.id}`, 303);
    },
  );

  app.post(
    '/staff/competitions/:id/winners/:entry/handed-over',
    { schema: { params: WinnerParams, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      await handOverPrize(deps, request.params.id, request.params.entry);
      return reply.redirect(`/staff/competitions/${request.params.id}`, 303);
    },
  );
}
