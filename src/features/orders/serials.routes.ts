// Staff record the serial numbers of an order's hardware units (the form sits on the staff order page).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { getOrderForStaff } from './orders.service.ts';
import { staffSerialsPage } from './serials.pages.ts';
import { listOrderSerialSlots, recordOrderSerials } from './serials.service.ts';

const MAX_UNITS = 200;

const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** One field per hardware unit of the order: `serial.0`, `serial.1`, … */
const SerialsForm = formBody(
  Object.fromEntries(Array.from({ length: MAX_UNITS }, (_, i) => [`serial.${i}`, formText(100)] as const)),
);

export function registerSerialRoutes(app: App, deps: Deps): void {
  app.post(
    '/staff/orders/:id/serials',
    { schema: { params: OrderParams, body: SerialsForm } },
    async (request, reply) => {
      requireRole(request.viewer, ['staff', 'admin']);
      const id = request.params.id;
      const body = request.body;
      const values = Array.from({ length: MAX_UNITS }, (_, i) => body[`serial.${i}`] ?? '');
      try {
        await recordOrderSerials(deps, id, values);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        const order = await getOrderForStaff(deps, id);
        const slots = await listOrderSerialSlots(deps, order);
        const page = staffSerialsPage(pageContext(request), order, slots, values, err.text, err.fields);
        return sendPage(reply, page, err.status);
      }
      return reply.redirect(`/staff/orders/${id}`, 303);
    },
  );
}
