// The withdrawal function's routes, in the account: overview, step 1, step 2 (confirm), the confirmation page.
// Only the customer's own orders; any other id is a 404. Staff: /staff/withdrawals, the open ones.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, requireViewer } from '../../platform/http/context.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import {
  checkWithdrawalInput,
  getWithdrawalOfUser,
  getWithdrawalView,
  listOpenWithdrawals,
  listWithdrawalOverview,
  STATEMENT_MAX,
  withdrawalDeclarant,
  withdrawFromOrder,
} from './withdrawals.service.ts';
import {
  withdrawalConfirmPage,
  withdrawalDonePage,
  withdrawalOverviewPage,
  withdrawalStartPage,
  staffWithdrawalsPage,
} from './withdrawals.pages.ts';

const OrderParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
/** The keyset of a page of the staff list (web/keyset.ts): the time and id of the last withdrawal shown before. */
const StaffListQuery = Type.Object({ after: Type.Optional(Type.String({ maxLength: 100 })) });
const LineNo = Type.String({ maxLength: 6 });
const WithdrawalForm = formBody({
  line: Type.Optional(Type.Union([LineNo, Type.Array(LineNo, { maxItems: 200 })])),
  statement: formText(STATEMENT_MAX * 2),
});

const lineNumbers = (raw: string | string[] | undefined): number[] =>
  (raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]).map((v) => (/^[0-9]{1,5}$/.test(v) ? Number(v) : -1));

export function registerWithdrawalRoutes(app: App, deps: Deps): void {
  app.get('/account/withdrawal', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { open, made, orders } = await listWithdrawalOverview(deps, viewer.userId);
    return sendPage(reply, withdrawalOverviewPage(pageContext(request), open, made, orders));
  });

  app.get('/account/orders/:id/withdraw', { schema: { params: OrderParams } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const view = await getWithdrawalView(deps, viewer.userId, request.params.id);
    return sendPage(reply, withdrawalStartPage(pageContext(request), view));
  });

  /** Step 1 again, with what went wrong and what was chosen. */
  const startAgain = async (
    request: FastifyRequest,
    userId: string,
    orderId: string,
    err: AppError,
    chosen: number[],
    statement: string,
  ) => {
    const view = await getWithdrawalView(deps, userId, orderId);
    return withdrawalStartPage(pageContext(request), view, {
      chosen,
      statement,
      errors: err.fields,
      message: err.text,
    });
  };

  app.post(
    '/account/orders/:id/withdraw',
    { schema: { params: OrderParams, body: WithdrawalForm } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const chosen = lineNumbers(request.body.line);
      const statement = request.body.statement ?? '';
      const view = await getWithdrawalView(deps, viewer.userId, request.params.id);
      try {
        const checked = checkWithdrawalInput(view, chosen, statement, deps.config.operator.timeZone);
        const declarant = await withdrawalDeclarant(deps, viewer.userId, view.order);
        return sendPage(
          reply,
          withdrawalConfirmPage(pageContext(request), view, checked.lines, checked.statement, declarant),
        );
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        const page = await startAgain(request, viewer.userId, view.order.id, err, chosen, statement);
        return sendPage(reply, page, err.status);
      }
    },
  );

  app.post(
    '/account/orders/:id/withdraw/confirm',
    { schema: { params: OrderParams, body: WithdrawalForm } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const chosen = lineNumbers(request.body.line);
      const statement = request.body.statement ?? '';
      try {
        const row = await withdrawFromOrder(deps, viewer, request.lang, request.params.id, chosen, statement);
        return reply.redirect(`/account/withdrawals/${row.id}`, 303);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404) throw err;
        const page = await startAgain(request, viewer.userId, request.params.id, err, chosen, statement);
        return sendPage(reply, page, err.status);
      }
    },
  );

  app.get('/staff/withdrawals', { schema: { querystring: StaffListQuery } }, async (request, reply) => {
    requireRole(request.viewer, ['staff', 'admin']);
    const page = await listOpenWithdrawals(deps, request.query.after || undefined);
    return sendPage(
      reply,
      staffWithdrawalsPage(pageContext(request), page.rows, deps.clock.now(), {
        after: request.query.after || undefined,
        next: page.next,
      }),
    );
  });

  app.get('/account/withdrawals/:id', { schema: { params: OrderParams } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { withdrawal, order } = await getWithdrawalOfUser(deps, viewer.userId, request.params.id);
    return sendPage(reply, withdrawalDonePage(pageContext(request), withdrawal, order));
  });
}
