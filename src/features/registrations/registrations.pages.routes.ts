// The account page "My products" (software licences and registered hardware) with the registration forms, and
// the staff console: registrations searchable by serial number, and the review queue of disputed registrations.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, requireViewer } from '../../platform/http/context.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { listProductCards } from '../catalog/index.ts';
import { myProducts, myProductsSections } from '../downloads/index.ts';
import {
  productsPage,
  registrationReviewsPage,
  registrationsSection,
  staffRegistrationsPage,
} from './registrations.pages.ts';
import { listActiveRegistrations } from './registrations.queries.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import {
  registerHardware,
  registrationRows,
  releaseHardware,
  resolveReview,
  staffRegistrationList,
  staffReviewQueue,
  underReviewText,
} from './registrations.service.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

const notices: Record<string, Text> = {
  deactivated: { en: 'The machine was deactivated.', de: 'Der Rechner wurde deaktiviert.' },
  renamed: { en: 'The machine was renamed.', de: 'Der Rechner wurde umbenannt.' },
  registered: { en: 'The device is registered to your account.', de: 'Das Gerät ist in Ihrem Konto registriert.' },
  released: { en: 'The registration was released.', de: 'Die Registrierung wurde freigegeben.' },
  review: underReviewText,
};
const registrationErrors: Record<string, Text> = {
  orderNumber: {
    en: 'An order number looks like 2026-4F7E2C9A1B (in your order confirmation).',
    de: 'Eine Bestellnummer sieht aus wie 2026-4F7E2C9A1B (in Ihrer Bestellbestätigung).',
  },
  serial: {
    en: 'A serial number looks like TF-2026-AB12CD (on the label under the device).',
    de: 'Eine Seriennummer sieht aus wie TF-2026-AB12CD (auf dem Etikett unter dem Gerät).',
  },
  invalid: {
    en: 'Please choose a hardware product and enter its serial number.',
    de: 'Bitte wählen Sie ein Hardware-Produkt und geben Sie seine Seriennummer ein.',
  },
};

const licenceErrors: Record<string, Text> = {
  machineName: {
    en: "The machine was not renamed: a machine name has 1 to 40 characters: letters, digits, spaces and . , ' ( ) # & + _ -",
    de: "Der Rechner wurde nicht umbenannt: Ein Rechnername hat 1 bis 40 Zeichen: Buchstaben, Ziffern, Leerzeichen und . , ' ( ) # & + _ -",
  },
};

const ProductsQuery = Type.Object({
  notice: Type.Optional(Type.String()),
  licenceError: Type.Optional(Type.String()),
  registrationError: Type.Optional(Type.String()),
});
const RegisterForm = formBody({ productId: formText(100), serial: formText(100), orderNumber: formText(100) });
const ReleaseParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const ReviewParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const ReviewForm = formBody({ decision: formText(100) });
/** A serial number, whole or in part (letters, digits, dashes, spaces), and the keyset of the page. */
const StaffListQuery = Type.Object({
  serial: Type.Optional(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9 -]*$' })),
  after: Type.Optional(Type.String({ maxLength: 100 })),
});
/** The keysets of the two lists (web/keyset.ts). */
const ReviewsQuery = Type.Object({
  after: Type.Optional(Type.String({ maxLength: 100 })),
  heldAfter: Type.Optional(Type.String({ maxLength: 100 })),
});

export function registerRegistrationPageRoutes(app: App, deps: Deps): void {
  app.get('/account/products', { schema: { querystring: ProductsQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { notice, registrationError, licenceError } = request.query;
    const purchases = await myProducts(deps, viewer.userId, request.lang);
    const active = await listActiveRegistrations(deps.db, viewer.userId);
    const registrations = await registrationRows(deps, request.lang, active);
    // Archived hardware is no longer sold but still owned: its serial numbers can be registered.
    const statuses = ['active', 'archived'] as const;
    const hardware = (await listProductCards(deps.db, request.lang, 100, 0, { dbKind: deps.dbKind, statuses })).rows
      .filter((p) => p.kind === 'hardware')
      .map((p) => ({ id: p.id, title: p.title }));
    const ctx = pageContext(request);
    const error = registrationError ? (registrationErrors[registrationError] ?? registrationErrors.invalid) : undefined;
    const sections = [...myProductsSections(ctx, purchases), registrationsSection(ctx, registrations, hardware, error)];
    const problem = licenceError ? (licenceErrors[licenceError] ?? licenceErrors.machineName) : undefined;
    return sendPage(reply, productsPage(ctx, sections, notices[notice ?? ''], problem));
  });

  app.post('/account/products/registrations', { schema: { body: RegisterForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const body = request.body;
    try {
      const productId = body.productId ?? '';
      const outcome = await registerHardware(deps, viewer.userId, productId, body.serial ?? '', body.orderNumber);
      if (outcome.status === 'under_review') return reply.redirect('/account/products?notice=review', 303);
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && err.status !== 429) {
        // The page shows the reason by a short code; no input goes into the URL.
        const reason = 'serial' in err.fields ? 'serial' : 'orderNumber' in err.fields ? 'orderNumber' : 'invalid';
        return reply.redirect(`/account/products?registrationError=${reason}`, 303);
      }
      throw err;
    }
    return reply.redirect('/account/products?notice=registered', 303);
  });

  app.post(
    '/account/products/registrations/:id/release',
    { schema: { body: formBody({}), params: ReleaseParams } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      await releaseHardware(deps, viewer.userId, request.params.id);
      return reply.redirect('/account/products?notice=released', 303);
    },
  );

  const reviewsPage = async (request: FastifyRequest, query: { after?: string; heldAfter?: string }, error?: Text) => {
    const model = await staffReviewQueue(deps, request.lang, query);
    return registrationReviewsPage(
      pageContext(request),
      model,
      { after: Boolean(query.after), heldAfter: Boolean(query.heldAfter) },
      error,
    );
  };

  app.get('/staff/registrations', { schema: { querystring: StaffListQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const model = await staffRegistrationList(deps, request.lang, request.query);
    // A search by serial number looks up whoever holds that unit: recorded against them; the plain list, once.
    await recordAccess(deps, {
      actor: request.viewer,
      whose: model.term ? { userIds: model.rows.map((r) => r.holder.id) } : null,
      what: model.term ? 'registrations.search' : 'registrations.list',
      why: 'registration-review',
      path: request.url,
    });
    return sendPage(reply, staffRegistrationsPage(pageContext(request), model, Boolean(request.query.after)));
  });

  app.get('/staff/registrations/reviews', { schema: { querystring: ReviewsQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    await recordAccess(deps, {
      actor: request.viewer,
      whose: null,
      what: 'registrations.review-list',
      why: 'registration-review',
      path: request.url,
    });
    return sendPage(reply, await reviewsPage(request, request.query));
  });

  app.post(
    '/staff/registrations/reviews/:id',
    { schema: { params: ReviewParams, body: ReviewForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const decision = request.body.decision;
      try {
        if (decision !== 'assign' && decision !== 'reject') {
          throw errors.invalid({ en: 'Choose to assign or to reject.', de: 'Wählen Sie Zuordnen oder Ablehnen.' });
        }
        await resolveReview(deps, request.params.id, decision);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        return sendPage(reply, await reviewsPage(request, {}, err.text), err.status);
      }
      return reply.redirect('/staff/registrations/reviews', 303);
    },
  );
}
