// The demo download route, the staff routes of product files and how-tos, and the signed download links of
// purchased files. A demo download is recorded only when the person started it here (our page, the address bar, a
// bookmark): another site cannot make a signed-in visitor's browser record one (and, later, subscribe).
import { createReadStream, statSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, requireViewer } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { findProductBySlug, findProductsByIds, productTitle } from '../catalog/index.ts';
import { confirmDemoPage, demoDownloadPage, staffDownloadErrorPage } from './downloads.pages.ts';
import { findUserById } from '../accounts/index.ts';
import { requestSubscription } from '../newsletter/index.ts';
import {
  checkDownloadLink,
  checkFileDescription,
  contentDisposition,
  deleteProductFile,
  discardProductFile,
  productFilePath,
  publishProductFile,
  recordDownload,
  recordFileDownload,
  saveInstructions,
  uploadErrors,
  writeProductFile,
  type PendingProductFile,
} from './downloads.service.ts';
import { formBody, formText, pageContext, readUpload, sendPage } from '../../web/index.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

/**
 * Fetch metadata first (browsers cannot forge it; `none` is the address bar or a bookmark); from a browser
 * without it, the Origin or Referer, when sent, must be ours. A client that sends none of them is no browser
 * another site could steer.
 */
function startedOnAnotherSite(request: FastifyRequest, baseUrl: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined) return site !== 'same-origin' && site !== 'none';
  const ours = [new URL(baseUrl).origin, `${request.protocol}://${request.host}`];
  const origin = request.headers.origin;
  if (origin !== undefined) return !ours.includes(origin);
  const referer = request.headers.referer;
  if (!referer) return false;
  try {
    return !ours.includes(new URL(referer).origin);
  } catch {
    return true;
  }
}

const DemoParams = Type.Object({ slug: Type.String({ maxLength: 100 }) });
const DemoForm = formBody({ newsletter: formText(5), email: formText(300) });

const ProductParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const FileParams = Type.Object({ id: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) });
const LinkParams = Type.Object({
  file: Type.String({ maxLength: 64 }),
  user: Type.String({ maxLength: 64 }),
  expires: Type.String({ maxLength: 20 }),
  signature: Type.String({ maxLength: 100 }),
});
const HowToForm = formBody({ how_to_en: formText(20_000), how_to_de: formText(20_000) });

export async function registerDownloadRoutes(app: App, deps: Deps): Promise<void> {
  const maxBytes = deps.config.downloadMaxMb * 1024 * 1024;
  // Multipart bodies only for this feature's routes (the upload): one file, a few short fields.
  await app.register(multipart, {
    limits: { fileSize: maxBytes, files: 1, fields: 8, fieldSize: 10_000, parts: 10, headerPairs: 100 },
  });

  const staffProduct = async (request: FastifyRequest, id: string) => {
    requireRole(request.viewer, STAFF);
    const [product] = await findProductsByIds(deps.db, [id]);
    if (!product) throw errors.notFound();
    return product;
  };
  const refused = (request: FastifyRequest, productId: string, title: Text, err: AppError) =>
    staffDownloadErrorPage(pageContext(request), productId, title, err.text);
  const notSaved: Text = { en: 'The file was not saved', de: 'Die Datei wurde nicht gespeichert' };

  // The upload reads the multipart body itself (readUpload), so the platform's form-token check (which reads
  // url-encoded bodies) is replaced by the same check on the form's first field, before any file byte is written.
  app.post(
    '/staff/products/:id/downloads',
    { config: { csrfExempt: true }, schema: { params: ProductParams } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      // The file is written while the body streams in, but offered (its row) only once the whole body was read and
      // accepted: a second file, too many fields or a broken end after it removes it again (discard).
      let pending: PendingProductFile | undefined;
      let published = false;
      try {
        try {
          const upload = await readUpload(request, {
            maxBytes,
            refusals: {
              tooBig: () => uploadErrors.tooBig(deps.config.downloadMaxMb),
              incomplete: uploadErrors.incomplete,
              notMultipart: uploadErrors.missing,
            },
            receive: async (file, fields) => {
              if (file.fileName === '') {
                file.stream.resume();
                throw uploadErrors.missing();
              }
              const description = checkFileDescription({ label: fields.label ?? '', version: fields.version ?? '' });
              return writeProductFile(deps, product.id, description, file);
            },
            discard: discardProductFile,
          });
          pending = upload.file;
          if (!pending) throw uploadErrors.missing();
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500 || err.code === 'csrf_failed') throw err;
          return sendPage(reply, refused(request, product.id, notSaved, err), err.status);
        }
        await publishProductFile(deps, pending);
        published = true;
      } finally {
        if (pending && !published) discardProductFile(pending);
      }
      return reply.redirect(`/staff/products/${product.id}#downloads`, 303);
    },
  );

  app.post(
    '/staff/products/:id/downloads/:fileId/delete',
    { schema: { params: FileParams, body: formBody({}) } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      await deleteProductFile(deps, product.id, request.params.fileId);
      return reply.redirect(`/staff/products/${product.id}#downloads`, 303);
    },
  );

  app.post(
    '/staff/products/:id/how-to',
    { schema: { params: ProductParams, body: HowToForm } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      try {
        await saveInstructions(deps, product.id, {
          en: request.body.how_to_en ?? '',
          de: request.body.how_to_de ?? '',
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const title: Text = { en: 'The how-to was not saved', de: 'Die Anleitung wurde nicht gespeichert' };
        return sendPage(reply, refused(request, product.id, title, err), err.status);
      }
      return reply.redirect(`/staff/products/${product.id}#downloads`, 303);
    },
  );

  // A purchased file by its signed link (made by "My products"): the link is the credential, so the usage log
  // keeps the route's pattern only. Each download (not a HEAD request) is counted for the customer and file.
  app.get(
    '/downloads/:file/:user/:expires/:signature',
    { config: { secretPath: true }, schema: { params: LinkParams } },
    async (request, reply) => {
      const { file: fileId, user, expires, signature } = request.params;
      const file = await checkDownloadLink(deps, { fileId, userId: user, expires, signature });
      const path = productFilePath(deps.config.dataDir, file);
      let size: number;
      try {
        size = statSync(path).size;
      } catch {
        throw new AppError(410, 'download_file_gone', {
          en: 'This file is no longer offered. "My products" in your account lists the current files.',
          de: 'Diese Datei wird nicht mehr angeboten. „Meine Produkte“ in Ihrem Konto zeigt die aktuellen Dateien.',
        });
      }
      if (request.method === 'GET') await recordFileDownload(deps, user, file.id);
      return reply
        .type(file.content_type)
        .header('content-disposition', contentDisposition(file))
        .header('content-length', String(size))
        .header('cache-control', 'private, no-store')
        .send(createReadStream(path));
    },
  );

  // The demo download page with the newsletter offer (an unticked box, then double opt-in).
  app.get(
    '/shop/:slug/demo/start',
    { config: { sensitive: true }, schema: { params: DemoParams } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const product = await findProductBySlug(deps.db, request.params.slug);
      if (!product || product.kind !== 'software' || product.status === 'draft') throw errors.notFound();
      const user = await findUserById(deps.db, viewer.userId);
      const title = productTitle(product, request.lang);
      return sendPage(reply, demoDownloadPage(pageContext(request), { slug: product.slug, title }, user?.email ?? ''));
    },
  );

  app.post('/shop/:slug/demo', { schema: { params: DemoParams, body: DemoForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const product = await findProductBySlug(deps.db, request.params.slug);
    if (!product || product.kind !== 'software' || product.status === 'draft') throw errors.notFound();
    if (request.body.newsletter === '1') {
      try {
        await requestSubscription(deps, {
          email: request.body.email ?? '',
          topics: [],
          lang: request.lang,
          ip: request.ip,
          source: `demo-download:${product.slug}`,
          origin: 'demo-download',
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const title = productTitle(product, request.lang);
        const page = demoDownloadPage(pageContext(request), { slug: product.slug, title }, '', err.fields);
        return sendPage(reply, page, err.status);
      }
    }
    await recordDownload(deps, viewer.userId, product.id);
    return sendDemo(reply, product);
  });

  app.get('/shop/:slug/demo', { schema: { params: DemoParams } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const product = await findProductBySlug(deps.db, request.params.slug);
    // A draft is not in the shop yet (catalogue status, decision 0042): neither is its demo.
    if (!product || product.kind !== 'software' || product.status === 'draft') throw errors.notFound();
    if (startedOnAnotherSite(request, deps.config.baseUrl)) {
      const title = productTitle(product, request.lang);
      return sendPage(reply, confirmDemoPage(pageContext(request), { slug: product.slug, title }), 403);
    }
    await recordDownload(deps, viewer.userId, product.id);
    return sendDemo(reply, product);
  });
}

function sendDemo(reply: FastifyReply, product: { slug: string; title_en: string }): FastifyReply {
  // The demo company ships no real installers: the file says what a real shop would serve here.
  const content =
    `${product.title_en} demo\n\n` +
    "This is the fictional demo shop of Candor. A real shop serves the product's demo installer here.\n";
  return reply
    .type('text/plain; charset=utf-8')
    .header('content-disposition', `attachment; filename="${product.slug}-demo.txt"`)
    .header('cache-control', 'private, no-store')
    .send(content);
}
