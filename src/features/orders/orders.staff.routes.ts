// Staff pages of orders: the list (by status), one order with its serial numbers and the customer's voluntary phone
// number (to call about the order), and the status change. Every view of one order is recorded (recordAccess).
import Type from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import type { Text } from '../../platform/i18n.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import {
  changeOrderStatus,
  findCustomerPhone,
  getOrderForStaff,
  listOrdersForStaff,
  TRANSITIONS,
} from './orders.service.ts';
import { staffOrderPage, staffOrdersPage } from './orders.staff-pages.ts';
import type { OrderStatus } from './orders.tables.ts';
import { serialsSection } from './serials.pages.ts';
import { listOrderSerialSlots } from './serials.service.ts';
import { recordAccess } from '../../privacy/access-audit.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

const StaffOrdersQuery = Type.Object({ status: Type.Optional(Type.String()) });
const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const StatusForm = formBody({ status: formText(100) });

const statusParam = (raw: string | undefined): OrderStatus | undefined =>
  raw !== undefined && Object.hasOwn(TRANSITIONS, raw) ? (raw as OrderStatus) : undefined;

export function registerOrderStaffRoutes(app: App, deps: Deps): void {
  app.get('/staff/orders', { schema: { querystring: StaffOrdersQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const status = statusParam(request.query.status);
    return sendPage(reply, staffOrdersPage(pageContext(request), await listOrdersForStaff(deps, status), status));
  });

  /** One order as staff see it, after recording the view: the order, the customer's phone number, the serials. */
  async function viewOrder(request: FastifyRequest, id: string, error?: Text): Promise<string> {
    const order = await getOrderForStaff(deps, id);
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userId: order.user_id },
      what: 'order.view',
      why: 'order-fulfilment',
      path: request.url,
    });
    const ctx = pageContext(request);
    const serials = serialsSection(ctx, order, await listOrderSerialSlots(deps, order));
    const phone = await findCustomerPhone(deps, order);
    return staffOrderPage(ctx, order, TRANSITIONS[order.status], { error, serials, phone });
  }

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
        await changeOrderStatus(deps, id, to);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        // The order is shown again with the reason: a view like any other, recorded.
        return sendPage(reply, await viewOrder(request, id, err.text), err.status);
      }
      return reply.redirect(`/staff/orders/${id}`, 303);
    },
  );
}
