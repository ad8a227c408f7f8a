// Staff routes of the customer console (staff and admin; the DPO works through the privacy console). Every list
// and page view is recorded in the access audit with the accounts shown; so is every support action.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, type Role } from '../../platform/http/context.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { formBody, pageContext, sendPage } from '../../web/index.ts';
import { customerPage, customersPage } from './customers.pages.ts';
import {
  getCustomer,
  loadSections,
  runCustomerAction,
  searchCustomers,
  type CustomerAction,
} from './customers.service.ts';

const STAFF: Role[] = ['staff', 'admin'];
const WHY = 'customer-service';

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 400 })),
  after: Type.Optional(Type.String({ maxLength: 100 })),
});
const CustomerParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 40 })) });
const ActionForm = formBody({});

const ACTIONS: Record<CustomerAction, string> = {
  'resend-verification': 'customer.resend-verification',
  'end-sessions': 'customer.end-sessions',
  'password-reset': 'customer.password-reset',
};

export function registerCustomerRoutes(app: App, deps: Deps): void {
  app.get('/staff/customers', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const query = { q: (request.query.q ?? '').trim(), after: request.query.after };
    const ctx = pageContext(request);
    try {
      const list = await searchCustomers(deps, app.customerSections, query);
      await recordAccess(deps, {
        actor: request.viewer,
        whose: { userIds: list.rows.map((r) => r.id) },
        what: 'customer.list',
        why: WHY,
        path: request.url,
      });
      return sendPage(reply, customersPage(ctx, list, query));
    } catch (err) {
      if (!(err instanceof AppError) || err.status >= 500) throw err;
      // A term too long or a broken page link: the empty list with the reason, nobody's data shown.
      return sendPage(reply, customersPage(ctx, { rows: [], next: null }, { q: '' }, err.text), err.status);
    }
  });

  app.get(
    '/staff/customers/:id',
    { schema: { params: CustomerParams, querystring: NoticeQuery } },
    async (request, reply) => {
      const viewer = requireRole(request.viewer, STAFF);
      const ctx = pageContext(request);
      const customer = await getCustomer(deps, request.params.id);
      await recordAccess(deps, {
        actor: viewer,
        whose: { userId: customer.id },
        what: 'customer.view',
        why: WHY,
        path: request.url,
      });
      const sections = await loadSections(deps, app.customerSections, viewer.role, customer.id, ctx.lang);
      return sendPage(reply, customerPage(ctx, customer, sections, request.query.notice));
    },
  );

  for (const action of Object.keys(ACTIONS) as CustomerAction[]) {
    app.post(
      `/staff/customers/:id/${action}`,
      { schema: { params: CustomerParams, body: ActionForm } },
      async (request, reply) => {
        const viewer = requireRole(request.viewer, STAFF);
        const id = request.params.id;
        const notice = await runCustomerAction(deps, id, action);
        await recordAccess(deps, {
          actor: viewer,
          whose: { userId: id },
          what: ACTIONS[action],
          why: WHY,
          path: request.url,
        });
        return reply.redirect(`/staff/customers/${encodeURIComponent(id)}?notice=${notice}`, 303);
      },
    );
  }
}
