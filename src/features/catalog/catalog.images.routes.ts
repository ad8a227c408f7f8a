// Routes of product images (staff: upload, alt texts, order, delete on the product's edit page; everyone: the stored
// files, with long-lived caching because a file's name changes whenever its image does) and, in the same scope
// that reads multipart bodies, the product import (catalog.import.routes.ts).
import { createReadStream, statSync } from 'node:fs';
import multipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { hasRole, requireRole } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, intoMemory, pageContext, readUpload, sendPage } from '../../web/index.ts';
import { staffImageErrorPage } from './catalog.images.pages.ts';
import {
  checkAltTexts,
  countProductImages,
  deleteProductImage,
  discardProductImage,
  findServedImage,
  imageErrors,
  MAX_IMAGES_PER_PRODUCT,
  moveProductImage,
  publishProductImage,
  saveImageAlt,
  writeProductImage,
  type PendingImage,
} from './catalog.images.ts';
import { registerProductImportRoutes } from './catalog.import.routes.ts';
import { findProductById } from './catalog.queries.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

const ProductParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ImageParams = Type.Object({ id: Type.String({ maxLength: 64 }), imageId: Type.String({ maxLength: 64 }) });
const MediaParams = Type.Object({ file: Type.String({ maxLength: 80 }) });
const AltForm = formBody({ alt_en: formText(1000), alt_de: formText(1000) });
const MoveForm = formBody({ move: formText(10) });

/** Registers the media scope: multipart bodies are read by these routes only. */
export async function registerProductMediaRoutes(app: App, deps: Deps): Promise<void> {
  await app.register(async (scope) => {
    // Generous parser limits; each route passes its own file size limit to readUpload.
    await scope.register(multipart, {
      limits: { files: 1, fields: 8, fieldSize: 10_000, parts: 10, headerPairs: 100 },
    });
    registerProductImageRoutes(scope as unknown as App, deps);
    registerProductImportRoutes(scope as unknown as App, deps);
  });
}

function registerProductImageRoutes(app: App, deps: Deps): void {
  const maxMb = deps.config.imageMaxMb;
  const staffProduct = async (request: FastifyRequest, id: string) => {
    requireRole(request.viewer, STAFF);
    const product = await findProductById(deps.db, id);
    if (!product) throw errors.notFound();
    return product;
  };
  const notSaved: Text = { en: 'The image was not saved', de: 'Das Bild wurde nicht gespeichert' };
  const refused = (request: FastifyRequest, productId: string, err: AppError) =>
    staffImageErrorPage(pageContext(request), productId, notSaved, err.text, err.fields ?? {});

  // The upload reads the multipart body itself, so the platform's form-token check (url-encoded bodies) is replaced
  // by the same check on the form's first field (readUpload). Nothing is written before the whole body was read
  // and accepted; the written files are removed again on every later refusal.
  app.post(
    '/staff/products/:id/images',
    { config: { csrfExempt: true }, schema: { params: ProductParams } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      let pending: PendingImage | undefined;
      let published = false;
      try {
        const upload = await readUpload(request, {
          maxBytes: maxMb * 1024 * 1024,
          refusals: { tooBig: () => imageErrors.tooBig(maxMb), incomplete: imageErrors.incomplete },
          receive: intoMemory,
        });
        if (!upload.file || upload.file.fileName === '' || upload.file.content.length === 0)
          throw imageErrors.missing();
        const alt = checkAltTexts(upload.fields);
        if ((await countProductImages(deps, product.id)) >= MAX_IMAGES_PER_PRODUCT) throw imageErrors.tooMany();
        pending = await writeProductImage(deps, product.id, alt, upload.file.content);
        await publishProductImage(deps, pending);
        published = true;
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.code === 'csrf_failed') throw err;
        return sendPage(reply, refused(request, product.id, err), err.status);
      } finally {
        if (pending && !published) discardProductImage(pending);
      }
      return reply.redirect(`/staff/products/${product.id}#images`, 303);
    },
  );

  app.post(
    '/staff/products/:id/images/:imageId',
    { schema: { params: ImageParams, body: AltForm } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      try {
        await saveImageAlt(deps, product.id, request.params.imageId, request.body);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        const title: Text = {
          en: 'The descriptions were not saved',
          de: 'Die Beschreibungen wurden nicht gespeichert',
        };
        return sendPage(
          reply,
          staffImageErrorPage(pageContext(request), product.id, title, err.text, err.fields ?? {}),
          err.status,
        );
      }
      return reply.redirect(`/staff/products/${product.id}#images`, 303);
    },
  );

  app.post(
    '/staff/products/:id/images/:imageId/move',
    { schema: { params: ImageParams, body: MoveForm } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      const move = request.body.move;
      if (move !== 'up' && move !== 'down' && move !== 'first')
        throw errors.invalid({ en: 'Unknown move.', de: 'Unbekannte Verschiebung.' });
      await moveProductImage(deps, product.id, request.params.imageId, move);
      return reply.redirect(`/staff/products/${product.id}#images`, 303);
    },
  );

  app.post(
    '/staff/products/:id/images/:imageId/delete',
    { schema: { params: ImageParams, body: formBody({}) } },
    async (request, reply) => {
      const product = await staffProduct(request, request.params.id);
      await deleteProductImage(deps, product.id, request.params.imageId);
      return reply.redirect(`/staff/products/${product.id}#images`, 303);
    },
  );

  // The stored widths of every image: the name is checked against its pattern and its row (nothing else under the
  // data directory can be named), and changes whenever the image does, so it is cached for a year. A draft's images
  // are not in the shop yet: only staff (second factor passed) see them, never from a shared cache; others get 404.
  app.get('/media/products/:file', { schema: { params: MediaParams } }, async (request, reply) => {
    const found = await findServedImage(deps, request.params.file);
    if (found?.draft && !hasRole(request.viewer, STAFF)) throw errors.notFound();
    const size = found ? statSync(found.path, { throwIfNoEntry: false })?.size : undefined;
    if (!found || size === undefined) throw errors.notFound();
    return reply
      .type('image/webp')
      .header('content-length', String(size))
      .header('cache-control', found.draft ? 'private, no-store' : 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(createReadStream(found.path));
  });
}
