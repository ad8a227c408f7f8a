// Staff routes of the order page's actions (issue 12, point 2): internal notes, the invoice PDF, cancel and refund
// (each a confirmation page: GET shows what will happen, POST with CSRF and `confirm` does it), and recording an
// invoice's bank transfer. Every page that shows the order records the view (recordAccess).
import Type from 'typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { cancelConfirmPage, refundConfirmPage } from './order-page.pages.ts';
import {
  addOrderNote,
  cancelOrder,
  markInvoicePaid,
  NOTE_MAX,
  previewCancel,
  previewRefund,
  refundOrder,
  type RefundRequest,
} from './order-page.service.ts';
import { orderCorrectionPdf } from './orders.corrections.ts';
import { orderInvoicePdf } from './orders.invoice.ts';
import { getOrderForStaff } from './orders.service.ts';
import type { OrderViewer } from './orders.staff.routes.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];
const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const CorrectionParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  cid: Type.String({ minLength: 1, maxLength: 64 }),
});
/** Orders have far fewer lines than this; the form names them `qty.0`, `qty.1`, … */
const MAX_LINES = 100;
const qtyFields = Object.fromEntries(Array.from({ length: MAX_LINES }, (_, i) => [`qty.${i}`, formText(10)] as const));
const RefundQuery = Type.Object({
  scope: Type.Optional(Type.String({ maxLength: 10 })),
  shipping: Type.Optional(Type.String({ maxLength: 10 })),
  ...qtyFields,
});
const RefundForm = formBody({
  scope: formText(10),
  shipping: formText(10),
  confirm: formText(10),
  amount: formText(20),
  ...qtyFields,
});
const CancelForm = formBody({ confirm: formText(10) });
// Longer than a note may be, so that a too long note gets its message in the user's language, not a schema error.
const NoteForm = formBody({ note: formText(NOTE_MAX * 4) });
const PaidForm = formBody({ paidOn: formText(20), reference: formText(1000) });

const confirmMissing = () =>
  errors.invalid({
    en: 'This step cannot be undone: confirm it on its confirmation page.',
    de: 'Dieser Schritt kann nicht rückgängig gemacht werden: Bestätigen Sie ihn auf seiner Bestätigungsseite.',
  });

/** The request from the refund form (GET) or its confirmation (POST). */
function refundRequestOf(fields: Record<string, string | undefined>): RefundRequest {
  const amount = fields.amount !== undefined && /^\d{1,15}$/.test(fields.amount) ? Number(fields.amount) : undefined;
  if (fields.scope === 'full') return { scope: 'full', expectedCents: amount };
  if (fields.scope !== 'lines')
    throw errors.invalid({ en: 'Choose what to refund.', de: 'Wählen Sie, was erstattet werden soll.' });
  const quantities = new Map<number, number>();
  const bad: Record<string, { en: string; de: string }> = {};
  for (let i = 0; i < MAX_LINES; i++) {
    const raw = fields[`qty.${i}`]?.trim();
    if (raw === undefined || raw === '') continue;
    if (!/^\d{1,6}$/.test(raw))
      bad[`qty.${i}`] = { en: 'Enter a whole number of units.', de: 'Geben Sie eine ganze Stückzahl ein.' };
    else quantities.set(i, Number(raw));
  }
  if (Object.keys(bad).length > 0) throw errors.invalidFields(bad);
  return { scope: 'lines', quantities, shipping: fields.shipping === '1', expectedCents: amount };
}

export function registerOrderPageActionRoutes(app: App, deps: Deps, viewOrder: OrderViewer): void {
  const recordView = async (request: FastifyRequest, userId: string, what = 'order.view') =>
    recordAccess(deps, {
      actor: request.viewer,
      whose: { userId },
      what,
      why: 'order-fulfilment',
      path: request.url,
    });

  /** A refused action: the order again with the reason (a view like any other, recorded). */
  const refused = async (
    request: FastifyRequest,
    reply: FastifyReply,
    id: string,
    err: unknown,
    form?: { name: 'note' | 'paid'; values: Record<string, string> },
  ) => {
    if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
    // Problems of a form the order page does not show (the refund's quantities) go into the message itself.
    const fields = Object.values(err.fields);
    const text =
      form || fields.length === 0
        ? err.text
        : { en: fields.map((f) => f.en).join(' '), de: fields.map((f) => f.de).join(' ') };
    return sendPage(
      reply,
      await viewOrder(request, id, text, undefined, form && { ...form, fields: err.fields }),
      err.status,
    );
  };

  app.post('/staff/orders/:id/notes', { schema: { params: OrderParams, body: NoteForm } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, STAFF);
    const id = request.params.id;
    const note = request.body.note ?? '';
    try {
      await addOrderNote(deps, viewer, id, note);
    } catch (err) {
      return refused(request, reply, id, err, { name: 'note', values: { note } });
    }
    return reply.redirect(`/staff/orders/${id}#notes-title`, 303);
  });

  app.post('/staff/orders/:id/paid', { schema: { params: OrderParams, body: PaidForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = request.params.id;
    const values = { paidOn: request.body.paidOn ?? '', reference: request.body.reference ?? '' };
    try {
      await markInvoicePaid(deps, id, values);
    } catch (err) {
      return refused(request, reply, id, err, { name: 'paid', values });
    }
    return reply.redirect(`/staff/orders/${id}`, 303);
  });

  app.get('/staff/orders/:id/invoice.pdf', { schema: { params: OrderParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const order = await getOrderForStaff(deps, request.params.id);
    const invoice = await orderInvoicePdf(deps, order, request.lang);
    if (!invoice) throw errors.notFound();
    await recordView(request, order.user_id, 'order.invoice-view');
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="${invoice.number}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(invoice.pdf);
  });

  // A cancellation invoice (decision 0048): viewed like the invoice, recorded in the access audit.
  app.get(
    '/staff/orders/:id/corrections/:cid.pdf',
    { schema: { params: CorrectionParams } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const order = await getOrderForStaff(deps, request.params.id);
      const correction = await orderCorrectionPdf(deps, order, request.params.cid, request.lang);
      if (!correction) throw errors.notFound();
      await recordView(request, order.user_id, 'order.invoice-view');
      return reply
        .type('application/pdf')
        .header('content-disposition', `inline; filename="${correction.number}.pdf"`)
        .header('cache-control', 'private, no-store')
        .send(correction.pdf);
    },
  );

  // Cancel: only an unpaid invoice order.
  app.get('/staff/orders/:id/cancel', { schema: { params: OrderParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = request.params.id;
    try {
      const preview = await previewCancel(deps, id);
      await recordView(request, preview.order.user_id);
      return sendPage(
        reply,
        cancelConfirmPage(pageContext(request), preview.order, preview.lines, preview.licenceCount),
      );
    } catch (err) {
      return refused(request, reply, id, err);
    }
  });

  app.post(
    '/staff/orders/:id/cancel',
    { schema: { params: OrderParams, body: CancelForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const id = request.params.id;
      try {
        if (request.body.confirm !== 'yes') throw confirmMissing();
        await cancelOrder(deps, id);
      } catch (err) {
        return refused(request, reply, id, err);
      }
      return reply.redirect(`/staff/orders/${id}`, 303);
    },
  );

  // Refund: full or per line, from the order page's form (a GET) to the confirmation and its POST.
  app.get(
    '/staff/orders/:id/refund',
    { schema: { params: OrderParams, querystring: RefundQuery } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const id = request.params.id;
      try {
        const plan = await previewRefund(deps, id, refundRequestOf(request.query));
        await recordView(request, plan.order.user_id);
        return sendPage(reply, refundConfirmPage(pageContext(request), plan));
      } catch (err) {
        return refused(request, reply, id, err);
      }
    },
  );

  app.post(
    '/staff/orders/:id/refund',
    { schema: { params: OrderParams, body: RefundForm } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, STAFF);
      const id = request.params.id;
      const body: Record<string, string | undefined> = request.body;
      try {
        if (body.confirm !== 'yes') throw confirmMissing();
        await refundOrder(deps, viewer, id, refundRequestOf(body));
      } catch (err) {
        // A provider that did not refund: the order again, saying so (nothing changed).
        if (err instanceof AppError && err.code === 'refund_failed')
          return sendPage(reply, await viewOrder(request, id, err.text), err.status);
        return refused(request, reply, id, err);
      }
      return reply.redirect(`/staff/orders/${id}`, 303);
    },
  );
}
