// Staff record the serial numbers of an order's hardware units (the form sits on the staff order page).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import { requireRole } from '../../platform/http/context.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { pageContext } from '../shell/index.ts';
import { getOrderForStaff } from './orders.service.ts';
import { staffSerialsPage } from './serials.pages.ts';
import { listOrderSerialSlots, recordOrderSerials } from './serials.service.ts';

const MAX_UNITS = 200;

export function registerSerialRoutes(app: FastifyInstance, deps: Deps): void {
  app.post(
    '/staff/orders/:id/serials',
    { schema: { params: { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64 } } }, body: { type: 'object', additionalProperties: { type: 'string', maxLength: 100 } } } },
    async (request, reply) => {
      requireRole(request.viewer, ['staff', 'admin']);
      const id = (request.params as { id: string }).id;
      const body = request.body as Record<string, string>;
      const values = Array.from({ length: MAX_UNITS }, (_, i) => body[`serial.${i}`] ?? '');
      try {
        await recordOrderSerials(deps, id, values);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        const order = await getOrderForStaff(deps, id);
        const slots = await listOrderSerialSlots(deps, order);
        return sendPage(reply, staffSerialsPage(pageContext(request, deps), order, slots, values, err.text, err.fields), err.status);
      }
      return reply.redirect(`/staff/orders/${id}`, 303);
    },
  );
}
