// The address book in the account (pages) and in the API (/api/v1/me/addresses): list, add, change (with the
// default marks) and delete saved addresses.
import Type, { type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { addressBookPage, addressFormPage } from './addresses.pages.ts';
import {
  addressValues,
  deleteSavedAddress,
  getSavedAddress,
  listSavedAddresses,
  saveAddress,
  type FormValues,
  type SavedAddress,
} from './addresses.service.ts';

const AddressForm = formBody({
  'address.name': formText(200),
  'address.street': formText(200),
  'address.postalCode': formText(200),
  'address.city': formText(200),
  'address.country': formText(200),
  defaultBilling: formText(10),
  defaultShipping: formText(10),
});
const EmptyForm = formBody({});
const AddressParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });

/** A 204 answer: no body (`reply.code(204).send()`). */
const NoContent = Type.Unsafe<void>({ type: 'null', description: 'No content' });
const line = (maxLength: number) => Type.String({ maxLength });
/** A saved address as the API takes it; the address check answers every field's problem at once. */
const ApiAddressBody = Type.Object(
  {
    name: line(200),
    street: line(200),
    postalCode: line(200),
    city: line(200),
    country: Type.String({ maxLength: 60, description: 'ISO 3166-1 alpha-2 code of a country the shop sells to.' }),
    defaultBilling: Type.Optional(Type.Boolean()),
    defaultShipping: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const ApiSavedAddress = Type.Object({
  id: Type.String(),
  name: Type.String(),
  street: Type.String(),
  postalCode: Type.String(),
  city: Type.String(),
  country: Type.String(),
  defaultBilling: Type.Boolean(),
  defaultShipping: Type.Boolean(),
});
const toApi = (a: SavedAddress) => ({
  id: a.id,
  name: a.name,
  street: a.street,
  postalCode: a.postalCode,
  city: a.city,
  country: a.country,
  defaultBilling: a.defaultBilling,
  defaultShipping: a.defaultShipping,
});

export function registerAddressRoutes(app: App, deps: Deps): void {
  const { operator } = deps.config;
  const formModel = (values: FormValues) => ({
    values,
    errors: {},
    countries: operator.sellsTo,
    defaultCountry: operator.country,
  });

  app.get('/account/addresses', { schema: { querystring: NoticeQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const saved = await listSavedAddresses(deps, viewer.userId);
    return sendPage(reply, addressBookPage(pageContext(request), saved, request.query.notice));
  });

  app.get('/account/addresses/new', async (request, reply) => {
    requireViewer(request.viewer);
    return sendPage(reply, addressFormPage(pageContext(request), formModel({})));
  });

  app.get('/account/addresses/:id', { schema: { params: AddressParams } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const a = await getSavedAddress(deps, viewer.userId, request.params.id);
    const values = {
      ...addressValues('address', a),
      defaultBilling: a.defaultBilling ? '1' : undefined,
      defaultShipping: a.defaultShipping ? '1' : undefined,
    };
    return sendPage(reply, addressFormPage(pageContext(request), { id: a.id, ...formModel(values) }));
  });

  const save = (id: string | undefined) =>
    async function (
      request: { body: Record<string, string | undefined>; viewer: Parameters<typeof requireViewer>[0] },
      reply: Parameters<typeof sendPage>[0],
      ctx: ReturnType<typeof pageContext>,
    ) {
      const viewer = requireViewer(request.viewer);
      const form = request.body;
      try {
        await saveAddress(deps, viewer.userId, id, {
          address: {
            name: form['address.name'] ?? '',
            street: form['address.street'] ?? '',
            postalCode: form['address.postalCode'] ?? '',
            city: form['address.city'] ?? '',
            country: form['address.country'] ?? '',
          },
          defaultBilling: form.defaultBilling === '1',
          defaultShipping: form.defaultShipping === '1',
        });
        return reply.redirect('/account/addresses?notice=saved', 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        // Everything typed comes back, with every field's problem beside it.
        const page = addressFormPage(ctx, {
          ...(id ? { id } : {}),
          ...formModel(form),
          errors: err.fields,
          message: err.text,
        });
        return sendPage(reply, page, err.status);
      }
    };

  app.post('/account/addresses', { schema: { body: AddressForm } }, async (request, reply) =>
    save(undefined)(request, reply, pageContext(request)),
  );

  app.post('/account/addresses/:id', { schema: { params: AddressParams, body: AddressForm } }, async (request, reply) =>
    save(request.params.id)(request, reply, pageContext(request)),
  );

  app.post(
    '/account/addresses/:id/delete',
    { schema: { params: AddressParams, body: EmptyForm } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await deleteSavedAddress(deps, viewer.userId, request.params.id);
      return reply.redirect('/account/addresses?notice=deleted', 303);
    },
  );

  app.get(
    '/api/v1/me/addresses',
    {
      schema: {
        summary: 'My address book: saved addresses, defaults first',
        tags: ['me'],
        response: { 200: Type.Object({ items: Type.Array(ApiSavedAddress) }), 401: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return { items: (await listSavedAddresses(deps, viewer.userId)).map(toApi) };
    },
  );

  const fromBody = (body: Static<typeof ApiAddressBody>) => ({
    address: {
      name: body.name,
      street: body.street,
      postalCode: body.postalCode,
      city: body.city,
      country: body.country,
    },
    defaultBilling: body.defaultBilling === true,
    defaultShipping: body.defaultShipping === true,
  });

  app.post(
    '/api/v1/me/addresses',
    {
      schema: {
        summary: 'Save an address in my address book (the first one becomes the default for billing and shipping)',
        tags: ['me'],
        body: ApiAddressBody,
        response: { 201: ApiSavedAddress, 400: errorRef, 401: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      return reply.code(201).send(toApi(await saveAddress(deps, viewer.userId, undefined, fromBody(request.body))));
    },
  );

  app.patch(
    '/api/v1/me/addresses/:id',
    {
      schema: {
        summary: 'Change one of my saved addresses (send the whole address; a default mark left out is dropped)',
        tags: ['me'],
        params: AddressParams,
        body: ApiAddressBody,
        response: { 200: ApiSavedAddress, 400: errorRef, 401: errorRef, 404: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return toApi(await saveAddress(deps, viewer.userId, request.params.id, fromBody(request.body)));
    },
  );

  app.delete(
    '/api/v1/me/addresses/:id',
    {
      schema: {
        summary: 'Delete one of my saved addresses',
        tags: ['me'],
        params: AddressParams,
        response: { 204: NoContent, 401: errorRef, 404: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await deleteSavedAddress(deps, viewer.userId, request.params.id);
      return reply.code(204).send();
    },
  );
}
