// The demo download route. A download is recorded only when the person started it here (our page, the address
// bar, a bookmark): another site cannot make a signed-in visitor's browser record one (and, later, subscribe).
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { findProductBySlug, productTitle } from '../catalog/index.ts';
import { confirmDemoPage } from './downloads.pages.ts';
import { recordDownload } from './downloads.service.ts';
import { pageContext, sendPage } from '../../web/index.ts';

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

export function registerDownloadRoutes(app: App, deps: Deps): void {
  app.get('/shop/:slug/demo', { schema: { params: DemoParams } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const product = await findProductBySlug(deps.db, request.params.slug);
    if (!product || product.kind !== 'software') throw errors.notFound();
    if (startedOnAnotherSite(request, deps.config.baseUrl)) {
      const title = productTitle(product, request.lang);
      return sendPage(reply, confirmDemoPage(pageContext(request), { slug: product.slug, title }), 403);
    }
    await recordDownload(deps, viewer.userId, product.id);
    // The demo company ships no real installers: the file says what a real shop would serve here.
    const content =
      `${product.title_en} demo\n\n` +
      "This is the fictional demo shop of Candor. A real shop serves the product's demo installer here.\n";
    return reply
      .type('text/plain; charset=utf-8')
      .header('content-disposition', `attachment; filename="${product.slug}-demo.txt"`)
      .header('cache-control', 'private, no-store')
      .send(content);
  });
}
