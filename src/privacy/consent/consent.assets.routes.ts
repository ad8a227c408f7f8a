// The consent layer's own files and small answers: the settings dialog, the GPC statement, the banner's
// script and stylesheet, and the bootstrap scripts of consented vendors (none without consent).
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { consentCss, consentJs, consentModeJs } from './consent.assets.ts';
import { settingsDialog } from './consent.pages.ts';
import type { ConsentRegistry } from './registry.ts';
import type { TcfBridge } from './tcf-bridge.ts';

const VendorScriptParams = Type.Object({ file: Type.String({ pattern: '^[a-z0-9-]{1,60}\\.js$' }) });

const JS = 'text/javascript; charset=utf-8';

export function registerConsentAssetRoutes(
  app: App,
  registry: ConsentRegistry,
  tcf: Pick<TcfBridge, 'script'> | null,
): void {
  app.get('/consent/settings', async (request, reply) =>
    reply
      .type('text/html; charset=utf-8')
      .header('cache-control', 'private, no-store')
      .send(settingsDialog(request.lang, registry, request.consent).toString()),
  );

  app.get('/.well-known/gpc.json', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').send({ gpc: true, lastUpdate: '2026-11-29' }),
  );

  const asset = (type: string, body: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    reply.type(type).header('cache-control', 'public, max-age=3600').send(body);
  app.get('/consent/consent.js', asset(JS, consentJs));
  app.get('/consent/consent.css', asset('text/css; charset=utf-8', consentCss));
  app.get('/consent/consent-mode.js', asset(JS, consentModeJs));
  app.get('/consent/vendors/:file', { schema: { params: VendorScriptParams } }, async (request, reply) => {
    const id = request.params.file.slice(0, -3);
    const vendor = request.consent.vendors.find((v) => v.template.id === id);
    // Only a consented vendor's bootstrap is served; without consent it does not exist for this visitor.
    if (!vendor?.tag.bootstrap) throw errors.notFound();
    return reply.type(JS).header('cache-control', 'private, no-store').send(vendor.tag.bootstrap);
  });
  if (tcf) {
    app.get('/consent/tcf.js', async (_request, reply) =>
      reply
        .type(JS)
        .header('cache-control', 'public, max-age=3600')
        .send(await tcf.script()),
    );
  }
}
