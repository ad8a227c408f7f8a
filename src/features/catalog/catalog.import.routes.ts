// Staff routes of the product import: the form and the earlier imports, the upload (checked whole, then stored for
// the job catalog.run-product-imports), and the progress page of one import. Registered in the media scope, which
// reads multipart bodies.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { intoMemory, pageContext, readUpload, sendPage } from '../../web/index.ts';
import { importErrorPage, importPage, importProgressPage } from './catalog.import.pages.ts';
import { findImport, importErrors, IMPORT_MAX_MB, listImports, startProductImport } from './catalog.import.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];
const ImportParams = Type.Object({ importId: Type.String({ maxLength: 64 }) });
const ListQuery = Type.Object({ before: Type.Optional(Type.String({ maxLength: 80 })) });

export function registerProductImportRoutes(app: App, deps: Deps): void {
  app.get('/staff/products/import', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return sendPage(reply, importPage(pageContext(request), await listImports(deps, request.query.before)));
  });

  // The form token is checked on the multipart body's first field (readUpload), as for image uploads. The file is
  // checked whole here (a broken file starts nothing) and its rows are saved by the job.
  app.post('/staff/products/import', { config: { csrfExempt: true } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, STAFF);
    let id: string;
    try {
      const upload = await readUpload(request, {
        maxBytes: IMPORT_MAX_MB * 1024 * 1024,
        refusals: { tooBig: importErrors.tooBig, incomplete: importErrors.incomplete },
        receive: intoMemory,
      });
      if (!upload.file || upload.file.fileName === '') throw importErrors.missing();
      id = await startProductImport(deps, viewer.userId, upload.file.content);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.code === 'csrf_failed') throw err;
      return sendPage(reply, importErrorPage(pageContext(request), err.text), err.status);
    }
    return reply.redirect(`/staff/products/import/${id}`, 303);
  });

  app.get('/staff/products/import/:importId', { schema: { params: ImportParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const view = await findImport(deps, request.params.importId);
    if (!view) throw errors.notFound();
    // Until it has finished the page reloads itself every 2 s: the Refresh header works without a script.
    if (view.state === 'running' || view.state === 'waiting') reply.header('refresh', '2');
    return sendPage(reply, importProgressPage(pageContext(request), view));
  });
}
