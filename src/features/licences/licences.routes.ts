// Activation API for the products' clients (the licence key is the credential), owner views, and the
// account page "My products".
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import type { Text } from '../../platform/i18n.ts';
import { findProductsByIds, listProductCards, productTitle } from '../catalog/index.ts';
import { listActiveRegistrations, registrationRows, registrationsSection, underReviewText } from '../registrations/index.ts';
import { pageContext } from '../shell/index.ts';
import { licencesSection, productsPage } from './licences.pages.ts';
import { activate, deactivateActivation, licencesOf, signerFor } from './licences.service.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';

const errorRef = { $ref: 'candor-error#' };
const keyParam = { type: 'string', pattern: '^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$' };
const activationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    licenceKey: { type: 'string' },
    productId: { type: 'string' },
    activatedAt: { type: 'string' },
    offlineFile: { type: 'object', properties: { payload: { type: 'string' }, signature: { type: 'string' } } },
  },
};

const toApiLicence = (l: LicencesTable, activations: ActivationsTable[]) => ({
  key: l.licence_key,
  productId: l.product_id,
  orderId: l.order_id,
  maxActivations: l.max_activations,
  activations: activations.map((a) => ({ id: a.id, machine: a.machine_hash, activatedAt: new Date(a.activated_at).toISOString() })),
});

const notices: Record<string, Text> = {
  deactivated: { en: 'The machine was deactivated.', de: 'Der Rechner wurde deaktiviert.' },
  registered: { en: 'The device is registered to your account.', de: 'Das Gerät ist in Ihrem Konto registriert.' },
  released: { en: 'The registration was released.', de: 'Die Registrierung wurde freigegeben.' },
  review: underReviewText,
};
const registrationErrors: Record<string, Text> = {
  orderNumber: { en: 'An order number looks like 2026-4F7E2C9A1B (in your order confirmation).', de: 'Eine Bestellnummer sieht aus wie 2026-4F7E2C9A1B (in Ihrer Bestellbestätigung).' },
  serial: { en: 'A serial number looks like TF-2026-AB12CD (on the label under the device).', de: 'Eine Seriennummer sieht aus wie TF-2026-AB12CD (auf dem Etikett unter dem Gerät).' },
  invalid: { en: 'Please choose a hardware product and enter its serial number.', de: 'Bitte wählen Sie ein Hardware-Produkt und geben Sie seine Seriennummer ein.' },
};

export function registerLicenceRoutes(app: FastifyInstance, deps: Deps): void {
  // The licence key is a credential: the usage log records these routes by pattern, not by path.
  const keyLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute * 3, timeWindow: 60_000 }, secretPath: true };
  const secretPath = { secretPath: true };

  app.get('/api/v1/licences/public-key', { schema: { summary: 'The Ed25519 public key that verifies offline activation files', tags: ['licences'], response: { 200: { type: 'string' } } } }, async (_request, reply) =>
    // A Buffer bypasses the JSON serializer: the PEM goes out as it is.
    reply.type('application/x-pem-file').send(Buffer.from(signerFor(deps).publicKeyPem)),
  );

  app.post(
    '/api/v1/licences/:key/activations',
    {
      config: keyLimit,
      schema: {
        summary: "Activate a licence on a machine (called by the product; the machine is a SHA-256 fingerprint hash, never a host name or IP)",
        tags: ['licences'],
        params: { type: 'object', required: ['key'], properties: { key: keyParam } },
        body: { type: 'object', additionalProperties: false, required: ['fingerprint'], properties: { fingerprint: { type: 'string', pattern: '^[a-f0-9]{64}$' } } },
        response: { 201: activationSchema, 400: errorRef, 404: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      const result = await activate(deps, (request.params as { key: string }).key, (request.body as { fingerprint: string }).fingerprint);
      return reply.code(201).send({ id: result.activation.id, licenceKey: result.licence.licence_key, productId: result.licence.product_id, activatedAt: new Date(result.activation.activated_at).toISOString(), offlineFile: result.offlineFile });
    },
  );

  app.delete(
    '/api/v1/licences/:key/activations/:id',
    {
      config: keyLimit,
      schema: {
        summary: 'Deactivate a machine',
        tags: ['licences'],
        params: { type: 'object', required: ['key', 'id'], properties: { key: keyParam, id: { type: 'string', minLength: 1, maxLength: 64 } } },
        response: { 204: { type: 'null' }, 404: errorRef },
      },
    },
    async (request, reply) => {
      const params = request.params as { key: string; id: string };
      await deactivateActivation(deps, params.key, params.id, request.viewer?.userId);
      return reply.code(204).send();
    },
  );

  app.get('/api/v1/me/licences', { schema: { summary: 'My licences and their activations', tags: ['licences'], response: { 401: errorRef } } }, async (request) => {
    const viewer = requireViewer(request.viewer);
    return { items: (await licencesOf(deps, viewer.userId)).map((r) => toApiLicence(r.licence, r.activations)) };
  });

  app.get(
    '/api/v1/licences/:key',
    { config: secretPath, schema: { summary: 'One of my licences', tags: ['licences'], params: { type: 'object', required: ['key'], properties: { key: keyParam } }, response: { 401: errorRef, 404: errorRef } } },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const found = (await licencesOf(deps, viewer.userId)).find((r) => r.licence.licence_key === (request.params as { key: string }).key.toUpperCase());
      if (!found) throw errors.notFound();
      return toApiLicence(found.licence, found.activations);
    },
  );

  app.get('/account/products', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const rows = await licencesOf(deps, viewer.userId);
    const products = new Map((await findProductsByIds(deps.db, [...new Set(rows.map((r) => r.licence.product_id))])).map((p) => [p.id, p]));
    const withTitles = rows.map((r) => ({ ...r, title: products.get(r.licence.product_id) ? productTitle(products.get(r.licence.product_id)!, request.lang) : r.licence.product_id }));
    const query = request.query as Record<string, string>;
    const notice = notices[query.notice ?? ''];
    const registrations = await registrationRows(deps, request.lang, await listActiveRegistrations(deps.db, viewer.userId));
    const hardware = (await listProductCards(deps.db, request.lang, 100, 0)).rows.filter((p) => p.kind === 'hardware').map((p) => ({ id: p.id, title: p.title }));
    const ctx = pageContext(request, deps);
    const registrationError = query.registrationError ? registrationErrors[query.registrationError] ?? registrationErrors.invalid : undefined;
    return sendPage(reply, productsPage(ctx, [licencesSection(ctx, withTitles), registrationsSection(ctx, registrations, hardware, registrationError)], notice));
  });

  app.post(
    '/account/products/licences/:key/activations/:id/deactivate',
    { config: secretPath, schema: { body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } }, params: { type: 'object', properties: { key: keyParam, id: { type: 'string', maxLength: 64 } } } } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const params = request.params as { key: string; id: string };
      await deactivateActivation(deps, params.key, params.id, viewer.userId);
      return reply.redirect('/account/products?notice=deactivated', 303);
    },
  );
}
