// The staff's experiment console (/staff/experiments; staff and admin): list and create, edit a draft, start, stop
// with a confirmation, delete a draft, and the results. Every change reloads this process's experiment cache at once.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { listExperiments } from './analytics.experiments.queries.ts';
import {
  experimentListPage,
  experimentPage,
  experimentResultsPage,
  stopExperimentPage,
  type FormState,
} from './analytics.experiments.pages.ts';
import {
  changeExperiment,
  createExperiment,
  deleteExperiment,
  experimentCacheFor,
  experimentReport,
  loadExperiment,
  startExperiment,
  stopExperiment,
  validateExperiment,
  type ExperimentDetails,
  type ExperimentForm,
} from './analytics.experiments.ts';

const ROLES = ['staff', 'admin'] as const;
const Params = Type.Object({ id: Type.String({ maxLength: 64 }) });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 30 })) });
const ExperimentFormBody = formBody({
  key: formText(100),
  name: formText(200),
  changes: formText(2000),
  goal_kind: formText(30),
  goal_path: formText(500),
  variant_key_1: formText(100),
  variant_weight_1: formText(10),
  variant_key_2: formText(100),
  variant_weight_2: formText(10),
  variant_key_3: formText(100),
  variant_weight_3: formText(10),
  variant_key_4: formText(100),
  variant_weight_4: formText(10),
  variant_key_5: formText(100),
  variant_weight_5: formText(10),
});

/** Validates the form and runs the change; a refusal comes back as the form as typed with its problems (a 400). */
async function withForm<T>(
  body: ExperimentForm,
  run: (details: ExperimentDetails) => Promise<T>,
): Promise<{ refused: FormState } | { value: T }> {
  try {
    return { value: await run(validateExperiment(body)) };
  } catch (err) {
    if (err instanceof AppError && err.status === 400 && Object.keys(err.fields).length > 0)
      return { refused: { values: { ...body }, errors: err.fields } };
    throw err;
  }
}

export function registerExperimentRoutes(app: App, deps: Deps): void {
  const cache = experimentCacheFor(app, deps);
  app.addHook('onReady', () => cache.refresh());

  app.get('/staff/experiments', async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    return sendPage(reply, experimentListPage(pageContext(request), await listExperiments(deps.db)));
  });

  app.post('/staff/experiments', { schema: { body: ExperimentFormBody } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const outcome = await withForm(request.body, (details) => createExperiment(deps, details));
    if ('refused' in outcome) {
      const rows = await listExperiments(deps.db);
      return sendPage(reply, experimentListPage(pageContext(request), rows, outcome.refused), 400);
    }
    const id = outcome.value;
    await cache.refresh();
    return reply.redirect(`/staff/experiments/${id}`, 303);
  });

  app.get(
    '/staff/experiments/:id',
    { schema: { params: Params, querystring: NoticeQuery } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      const row = await loadExperiment(deps, request.params.id);
      return sendPage(reply, experimentPage(pageContext(request), row, request.query.notice));
    },
  );

  app.post(
    '/staff/experiments/:id',
    { schema: { params: Params, body: ExperimentFormBody } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      const id = request.params.id;
      const outcome = await withForm(request.body, (details) => changeExperiment(deps, id, details));
      if ('refused' in outcome) {
        const row = await loadExperiment(deps, id);
        return sendPage(reply, experimentPage(pageContext(request), row, undefined, outcome.refused), 400);
      }
      await cache.refresh();
      return reply.redirect(`/staff/experiments/${request.params.id}?notice=saved`, 303);
    },
  );

  app.post(
    '/staff/experiments/:id/start',
    { schema: { params: Params, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      await startExperiment(deps, request.params.id);
      await cache.refresh();
      return reply.redirect(`/staff/experiments/${request.params.id}?notice=saved`, 303);
    },
  );

  app.get('/staff/experiments/:id/stop', { schema: { params: Params } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    const row = await loadExperiment(deps, request.params.id);
    if (row.state !== 'running') return reply.redirect(`/staff/experiments/${row.id}`, 303);
    return sendPage(reply, stopExperimentPage(pageContext(request), row));
  });

  app.post(
    '/staff/experiments/:id/stop',
    { schema: { params: Params, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      await stopExperiment(deps, request.params.id);
      await cache.refresh();
      return reply.redirect(`/staff/experiments/${request.params.id}/results`, 303);
    },
  );

  app.post(
    '/staff/experiments/:id/delete',
    { schema: { params: Params, body: formBody({}) } },
    async (request, reply) => {
      requireRole(request.viewer, [...ROLES]);
      await deleteExperiment(deps, request.params.id);
      await cache.refresh();
      return reply.redirect('/staff/experiments', 303);
    },
  );

  app.get('/staff/experiments/:id/results', { schema: { params: Params } }, async (request, reply) => {
    requireRole(request.viewer, [...ROLES]);
    return sendPage(
      reply,
      experimentResultsPage(pageContext(request), await experimentReport(deps, request.params.id)),
    );
  });
}
