// Staff pages of orders: the list (by status), one order with its serial numbers, the customer's voluntary phone
// number (to call about the order) and an invoice order's reminders; the status change and the ship action
// (carrier, tracking number, serials). Every view of one order is recorded (recordAccess).
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Text } from '../../platform/i18n.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { changeOrderStatus, findCustomerPhone, getOrderForStaff, TRANSITIONS } from './orders.service.ts';
import { reminderStateOf } from './orders.reminders.ts';
import { parcelSection, remindersSection, shipForm, type ShipFormState } from './orders.shipping-pages.ts';
import { shipOrder, trackingOf } from './orders.shipping.ts';
import { staffOrderPage } from './orders.staff-pages.ts';
import type { OrderStatus } from './orders.tables.ts';
import { serialsSection } from './serials.pages.ts';
import { withdrawalsSection } from './withdrawals.pages.ts';
import { listWithdrawalsOfOrder, refundDueAt } from './withdrawals.service.ts';
import { listOrderSerialSlots } from './serials.service.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import type { OrderPageModel } from './order-page.pages.ts';
import { registerOrderPageActionRoutes } from './order-page.routes.ts';
import { IRREVERSIBLE, notHere, orderPageModel, steppedElsewhere } from './order-page.service.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const StatusForm = formBody({ status: formText(100) });
const MAX_UNITS = 200;
/** The ship form: carrier, tracking number, and one serial number per hardware unit (`serial.0`, `serial.1`, …). */
const ShipForm = formBody({
  carrier: formText(100),
  tracking: formText(100),
  ...Object.fromEntries(Array.from({ length: MAX_UNITS }, (_, i) => [`serial.${i}`, formText(100)] as const)),
});

const statusParam = (raw: string | undefined): OrderStatus | undefined =>
  raw !== undefined && Object.hasOwn(TRANSITIONS, raw) ? (raw as OrderStatus) : undefined;

/** Renders one order for staff after recording the view; `form` is a refused form of the order page with its values. */
export type OrderViewer = (
  request: FastifyRequest,
  id: string,
  error?: Text,
  ship?: ShipFormState,
  form?: OrderPageModel['form'],
) => Promise<string>;

export function registerOrderStaffRoutes(app: App, deps: Deps): void {
  /**
   * One order as staff see it, after recording the view: the order, the customer's phone number, the reminders of
   * an invoice, and the ship form for a paid order with hardware (which then takes its serials), else the serials.
   */
  const viewOrder: OrderViewer = async (request, id, error, ship, form) => {
    const order = await getOrderForStaff(deps, id);
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userId: order.user_id },
      what: 'order.view',
      why: 'order-fulfilment',
      path: request.url,
    });
    const ctx = pageContext(request);
    const slots = await listOrderSerialSlots(deps, order);
    const phone = await findCustomerPhone(deps, order);
    const reminders = remindersSection(ctx, await reminderStateOf(deps, order));
    // Hardware leaves only through the ship form; an order of downloads alone keeps the plain status change.
    const shipsHere = order.status === 'paid' && slots.length > 0;
    // Cancel, refund and an invoice's payment have their own forms (order-page.routes.ts), not the plain change.
    const next = TRANSITIONS[order.status].filter(
      (s) =>
        !((s === 'shipped' || (s === 'completed' && order.status === 'paid')) && slots.length > 0) &&
        !steppedElsewhere(order, s),
    );
    const shipping = shipsHere
      ? shipForm(ctx, order, deps.config.operator.carriers, slots, ship)
      : parcelSection(ctx, trackingOf(deps.config.operator, order));
    const serials = shipsHere ? undefined : serialsSection(ctx, order, slots);
    return staffOrderPage(ctx, order, next, {
      error,
      phone,
      reminders,
      ship: shipping,
      ...(serials ? { serials } : {}),
      page: await orderPageModel(deps, order, form),
      withdrawals: withdrawalsSection(ctx, await listWithdrawalsOfOrder(deps, order.id), (at) =>
        refundDueAt(deps.config.operator, at),
      ),
    });
  };

  app.get('/staff/orders/:id', { schema: { params: OrderParams } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    return sendPage(reply, await viewOrder(request, request.params.id));
  });

  app.post(
    '/staff/orders/:id/status',
    { schema: { params: OrderParams, body: StatusForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const id = request.params.id;
      const to = statusParam(request.body.status);
      try {
        if (!to) throw errors.invalid({ en: 'Choose a status.', de: 'Wählen Sie einen Status.' });
        // Cancel and refund are confirmed on their own pages; an invoice's payment is recorded with its day.
        if (IRREVERSIBLE.has(to) || steppedElsewhere(await getOrderForStaff(deps, id), to)) throw notHere(to);
        await changeOrderStatus(deps, id, to);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        // The order is shown again with the reason: a view like any other, recorded.
        return sendPage(reply, await viewOrder(request, id, err.text), err.status);
      }
      return reply.redirect(`/staff/orders/${id}`, 303);
    },
  );

  app.post('/staff/orders/:id/ship', { schema: { params: OrderParams, body: ShipForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const id = request.params.id;
    const body: Record<string, string | undefined> = request.body;
    const values = {
      carrier: body.carrier ?? '',
      tracking: body.tracking ?? '',
      serials: Array.from({ length: MAX_UNITS }, (_, i) => body[`serial.${i}`] ?? ''),
    };
    try {
      await shipOrder(deps, id, values);
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
      // The order again with the reasons at their fields and what was typed: a view like any other, recorded.
      return sendPage(reply, await viewOrder(request, id, err.text, { values, fields: err.fields }), err.status);
    }
    return reply.redirect(`/staff/orders/${id}`, 303);
  });

  registerOrderPageActionRoutes(app, deps, viewOrder);
}
