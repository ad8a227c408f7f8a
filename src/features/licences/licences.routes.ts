// Activation API for the products' clients (the licence key is the credential), owner views, and the
// deactivation form of the account page "My products" (the page itself is registrations' own: it shows both).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { formBody, formText } from '../../web/index.ts';
import { activate, deactivateActivation, licencesOf, renameMachine, signerFor } from './licences.service.ts';
import { COPY_SCRIPT_PATH, copyKeysJs } from './licences.pages.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';

const LicenceKey = Type.String({ pattern: '^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$' });
const KeyParams = Type.Object({ key: LicenceKey });
const ActivationParams = Type.Object({ key: LicenceKey, id: Type.String({ minLength: 1, maxLength: 64 }) });
const ActivationBody = Type.Object(
  {
    fingerprint: Type.String({ pattern: '^[a-f0-9]{64}$' }),
    // Checked by the service (letters, digits, a few marks; at most 40 characters), which says what is allowed.
    machineName: Type.Optional(
      Type.String({
        maxLength: 200,
        description: 'A name the customer chose for the machine, e.g. "Studio iMac" (optional; at most 40 characters)',
      }),
    ),
  },
  { additionalProperties: false },
);

const Activation = Type.Object({
  id: Type.String(),
  licenceKey: Type.String(),
  productId: Type.String(),
  machineName: Type.Union([Type.String(), Type.Null()]),
  activatedAt: Type.String(),
  offlineFile: Type.Object({ payload: Type.String(), signature: Type.String() }),
});

const ApiLicence = Type.Object({
  key: Type.String(),
  productId: Type.String(),
  orderId: Type.String(),
  maxActivations: Type.Integer(),
  withdrawnAt: Type.Union([Type.String(), Type.Null()], {
    description: 'When the order line of this licence was withdrawn from (it no longer activates); null while valid',
  }),
  activations: Type.Array(
    Type.Object({
      id: Type.String(),
      machine: Type.String(),
      machineName: Type.Union([Type.String(), Type.Null()]),
      activatedAt: Type.String(),
    }),
  ),
});

/** Fastify sends no body with a 204, so the handler sends nothing. */
const NoContent = Type.Unsafe<void>({ type: 'null' });

const toApiLicence = (l: LicencesTable, activations: ActivationsTable[]) => ({
  key: l.licence_key,
  productId: l.product_id,
  orderId: l.order_id,
  maxActivations: l.max_activations,
  withdrawnAt: l.revoked_at === null ? null : new Date(l.revoked_at).toISOString(),
  activations: activations.map((a) => ({
    id: a.id,
    machine: a.machine_hash,
    machineName: a.machine_name,
    activatedAt: new Date(a.activated_at).toISOString(),
  })),
});

// The page's form: an id as before (no minimum length); nothing read from the body but the form token.
const DeactivateParams = Type.Object({ key: LicenceKey, id: Type.String({ maxLength: 64 }) });

export function registerLicenceRoutes(app: App, deps: Deps): void {
  // The licence key is a credential: the usage log records these routes by pattern, not by path.
  const keyLimit = {
    rateLimit: { max: deps.config.rateLimit.authPerMinute * 3, timeWindow: 60_000 },
    secretPath: true,
  };
  const secretPath = { secretPath: true };

  app.get(COPY_SCRIPT_PATH, async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(copyKeysJs),
  );

  app.get(
    '/api/v1/licences/public-key',
    {
      schema: {
        summary: 'The Ed25519 public key that verifies offline activation files',
        tags: ['licences'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string' }) },
      },
    },
    // A Buffer bypasses the JSON serializer: the PEM goes out as it is.
    async (_request, reply) => reply.type('application/x-pem-file').send(Buffer.from(signerFor(deps).publicKeyPem)),
  );

  app.post(
    '/api/v1/licences/:key/activations',
    {
      config: keyLimit,
      schema: {
        summary:
          'Activate a licence on a machine (called by the product; the machine is a SHA-256 fingerprint hash, ' +
          'never a host name or IP; optionally with a name the customer chose for it, e.g. "Studio iMac")',
        tags: ['licences'],
        params: KeyParams,
        body: ActivationBody,
        response: { 201: Activation, 400: errorRef, 404: errorRef, 409: errorRef, 410: errorRef },
      },
    },
    async (request, reply) => {
      const { fingerprint, machineName } = request.body;
      const result = await activate(deps, request.params.key, fingerprint, machineName);
      return reply.code(201).send({
        id: result.activation.id,
        licenceKey: result.licence.licence_key,
        productId: result.licence.product_id,
        machineName: result.activation.machine_name,
        activatedAt: new Date(result.activation.activated_at).toISOString(),
        offlineFile: result.offlineFile,
      });
    },
  );

  app.delete(
    '/api/v1/licences/:key/activations/:id',
    {
      config: keyLimit,
      schema: {
        summary: 'Deactivate a machine',
        tags: ['licences'],
        params: ActivationParams,
        response: { 204: NoContent, 404: errorRef },
      },
    },
    async (request, reply) => {
      await deactivateActivation(deps, request.params.key, request.params.id, request.viewer?.userId);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/v1/me/licences',
    {
      schema: {
        summary: 'My licences and their activations',
        tags: ['licences'],
        response: { 200: Type.Object({ items: Type.Array(ApiLicence) }), 401: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return { items: (await licencesOf(deps, viewer.userId)).map((r) => toApiLicence(r.licence, r.activations)) };
    },
  );

  app.get(
    '/api/v1/licences/:key',
    {
      config: secretPath,
      schema: {
        summary: 'One of my licences',
        tags: ['licences'],
        params: KeyParams,
        response: { 200: ApiLicence, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const key = request.params.key.toUpperCase();
      const found = (await licencesOf(deps, viewer.userId)).find((r) => r.licence.licence_key === key);
      if (!found) throw errors.notFound();
      return toApiLicence(found.licence, found.activations);
    },
  );

  app.post(
    '/account/products/licences/:key/activations/:id/deactivate',
    { config: secretPath, schema: { body: formBody({}), params: DeactivateParams } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await deactivateActivation(deps, request.params.key, request.params.id, viewer.userId);
      return reply.redirect('/account/products?notice=deactivated', 303);
    },
  );

  app.post(
    '/account/products/licences/:key/activations/:id/rename',
    { config: secretPath, schema: { body: formBody({ machineName: formText(200) }), params: DeactivateParams } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      try {
        await renameMachine(deps, request.params.key, request.params.id, viewer.userId, request.body.machineName ?? '');
      } catch (err) {
        // The page says what a name may hold, by a short code: no input goes into the address.
        if (err instanceof AppError && err.status === 400) {
          return reply.redirect('/account/products?licenceError=machineName', 303);
        }
        throw err;
      }
      return reply.redirect('/account/products?notice=renamed', 303);
    },
  );
}
