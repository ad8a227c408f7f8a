// Routes of the legal texts: the four published documents, and the staff editor with its versions.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, type Role } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { legalPage, staffLegalEditPage, staffLegalIndexPage, staffLegalVersionPage } from './legal.pages.ts';
import {
  BODY_MAX,
  getCurrentLegalText,
  getLegalTextVersion,
  isLegalDoc,
  legalTextsBlockOrders,
  LEGAL_PATHS,
  listLegalTextVersions,
  saveLegalText,
  TITLE_MAX,
} from './legal.service.ts';
import { LEGAL_DOCS, type LegalDoc, type LegalTextsTable } from './legal.tables.ts';

const STAFF: Role[] = ['staff', 'admin'];

const DocParams = Type.Object({ doc: Type.String({ minLength: 1, maxLength: 40 }) });
const VersionParams = Type.Object({
  doc: Type.String({ minLength: 1, maxLength: 40 }),
  version: Type.String({ pattern: '^[0-9]{1,9}$' }),
});
const EditQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 1 })) });
// A little above the service's limits, so that its checks give the friendly messages.
const LegalForm = formBody({
  title_en: formText(TITLE_MAX * 2),
  title_de: formText(TITLE_MAX * 2),
  body_en: formText(BODY_MAX + 1000),
  body_de: formText(BODY_MAX + 1000),
  /** The version the editor was opened on (hidden): a newer one saved meanwhile refuses the save. */
  base_version: formText(12),
});

const docParam = (raw: string): LegalDoc => {
  if (!isLegalDoc(raw)) throw errors.notFound();
  return raw;
};

export function registerLegalRoutes(app: App, deps: Deps): void {
  for (const doc of LEGAL_DOCS)
    app.get(LEGAL_PATHS[doc], async (request, reply) =>
      sendPage(reply, legalPage(pageContext(request), doc, await getCurrentLegalText(deps.db, doc))),
    );

  app.get('/staff/legal', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const current: Partial<Record<LegalDoc, LegalTextsTable>> = {};
    for (const doc of LEGAL_DOCS) current[doc] = await getCurrentLegalText(deps.db, doc);
    const blocked = await legalTextsBlockOrders(deps);
    return sendPage(reply, staffLegalIndexPage(pageContext(request), current, { ordersBlocked: blocked }));
  });

  app.get('/staff/legal/:doc', { schema: { params: DocParams, querystring: EditQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const doc = docParam(request.params.doc);
    const page = staffLegalEditPage(
      pageContext(request),
      doc,
      await getCurrentLegalText(deps.db, doc),
      await listLegalTextVersions(deps.db, doc),
      { saved: request.query.saved === '1' },
    );
    return sendPage(reply, page);
  });

  app.post('/staff/legal/:doc', { schema: { params: DocParams, body: LegalForm } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, STAFF);
    const doc = docParam(request.params.doc);
    const form = request.body;
    const values = {
      title_en: form.title_en ?? '',
      title_de: form.title_de ?? '',
      body_en: form.body_en ?? '',
      body_de: form.body_de ?? '',
    };
    const base = form.base_version;
    // Absent (an old form): no check; anything but a number is a stale or forged form, as if changed meanwhile.
    const baseVersion = base === undefined ? undefined : /^[0-9]{1,9}$/.test(base) ? Number(base) : -1;
    try {
      await saveLegalText(deps, viewer.role, doc, values, baseVersion);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      const page = staffLegalEditPage(
        pageContext(request),
        doc,
        await getCurrentLegalText(deps.db, doc),
        await listLegalTextVersions(deps.db, doc),
        { values, errors: err.fields, message: err.text },
      );
      return sendPage(reply, page, err.status);
    }
    return reply.redirect(`/staff/legal/${doc}?saved=1`, 303);
  });

  app.get('/staff/legal/:doc/versions/:version', { schema: { params: VersionParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const doc = docParam(request.params.doc);
    const row = await getLegalTextVersion(deps.db, doc, Number(request.params.version));
    const latest = (await getCurrentLegalText(deps.db, doc))?.version ?? row.version;
    return sendPage(reply, staffLegalVersionPage(pageContext(request), row, latest));
  });
}
