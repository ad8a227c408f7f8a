// Repairs: the customer's request form and repair page (/account/support/repairs/…), the staff list and a repair's
// page with its state buttons (/staff/support/repairs/…). Staff views are recorded in the access audit.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, requireVerifiedEmail } from '../../platform/http/context.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import {
  newRepairPage,
  repairNotices,
  repairPage,
  staffRepairPage,
  staffRepairsPage,
} from './support.repairs.pages.ts';
import { findRepair, findRepairOf, listRepairs } from './support.repairs.queries.ts';
import { REPAIR_STATES, RepairRefused, requestRepair, setRepairState, type RepairInput } from './support.repairs.ts';
import { listRegisteredSerials } from './support.queries.ts';
import type { RepairState } from './support.tables.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

const RepairForm = formBody({
  registrationId: formText(64),
  fault: formText(4000),
  name: formText(100),
  line1: formText(100),
  line2: formText(100),
  postalCode: formText(12),
  city: formText(60),
  country: formText(60),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });
const StateForm = formBody({ state: formText(20) });

const isState = (s: string | undefined): s is RepairState => (REPAIR_STATES as readonly string[]).includes(s ?? '');

export function registerRepairRoutes(app: App, deps: Deps): void {
  const addressDays = deps.config.retention.repairAddressDays ?? 30;
  // Repairs are offered only when the operator file names the repair workshop that receives the address.
  const offered = (): void => {
    if (!deps.config.operator.recipients?.['repair-workshop']) throw errors.notFound();
  };

  app.get('/account/support/repairs/new', async (request, reply) => {
    offered();
    const viewer = requireVerifiedEmail(request.viewer);
    const units = await listRegisteredSerials(deps.db, viewer.userId);
    return sendPage(reply, newRepairPage(pageContext(request), units, addressDays));
  });

  app.post('/account/support/repairs', { schema: { body: RepairForm } }, async (request, reply) => {
    offered();
    const viewer = requireVerifiedEmail(request.viewer);
    const body = request.body;
    const input: RepairInput = {
      registrationId: body.registrationId ?? '',
      fault: body.fault ?? '',
      name: body.name ?? '',
      line1: body.line1 ?? '',
      line2: body.line2 ?? '',
      postalCode: body.postalCode ?? '',
      city: body.city ?? '',
      country: body.country ?? '',
    };
    try {
      const { repairId } = await requestRepair(deps, viewer.userId, request.lang, input);
      return reply.redirect(`/account/support/repairs/${repairId}?notice=created`, 303);
    } catch (err) {
      if (!(err instanceof RepairRefused)) throw err;
      const units = await listRegisteredSerials(deps.db, viewer.userId);
      return sendPage(reply, newRepairPage(pageContext(request), units, addressDays, input, err.fields), 400);
    }
  });

  app.get(
    '/account/support/repairs/:id',
    { schema: { params: IdParams, querystring: NoticeQuery } },
    async (request, reply) => {
      const viewer = requireVerifiedEmail(request.viewer);
      const repair = await findRepairOf(deps.db, viewer.userId, request.params.id);
      if (!repair || repair.restricted_at !== null) throw errors.notFound();
      const notice = repairNotices[request.query.notice ?? ''];
      return sendPage(reply, repairPage(pageContext(request), repair, notice));
    },
  );

  app.get('/staff/support/repairs', async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const rows = await listRepairs(deps.db);
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userIds: rows.map((r) => r.requester) },
      what: 'support.repairs.list',
      why: 'customer-service',
      path: request.url,
    });
    return sendPage(reply, staffRepairsPage(pageContext(request), rows));
  });

  app.get(
    '/staff/support/repairs/:id',
    { schema: { params: IdParams, querystring: NoticeQuery } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const repair = await findRepair(deps.db, request.params.id);
      if (!repair) throw errors.notFound();
      await recordAccess(deps, {
        actor: request.viewer,
        whose: { userId: repair.requester },
        what: 'support.repairs.view',
        why: 'customer-service',
        path: request.url,
      });
      const notice = repairNotices[request.query.notice ?? ''];
      return sendPage(reply, staffRepairPage(pageContext(request), repair, notice));
    },
  );

  app.post(
    '/staff/support/repairs/:id/state',
    { schema: { params: IdParams, body: StateForm } },
    async (request, reply) => {
      requireRole(request.viewer, STAFF);
      const state = request.body.state;
      if (!isState(state))
        throw errors.invalid({ en: 'Please choose one of the states.', de: 'Bitte wählen Sie einen der Stände.' });
      if (!(await setRepairState(deps, request.params.id, state))) throw errors.notFound();
      return reply.redirect(`/staff/support/repairs/${request.params.id}?notice=changed`, 303);
    },
  );
}
