// Staff routes of the order list (issue 12, point 2): the list (GET /staff/orders), its CSV export
// (GET /staff/orders.csv), and the bulk actions on chosen orders: the ship page and its submission
// (POST /staff/orders/bulk-ship, …/bulk-ship/apply) and one PDF of invoices and delivery notes
// (POST /staff/orders/print). Every view and export of people's data is in the access audit.
import { Readable } from 'node:stream';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole } from '../../platform/http/context.ts';
import { recordAccess } from '../../privacy/access-audit.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { bulkShipPage, staffOrderListPage } from './orders.console-pages.ts';
import {
  BULK_MAX,
  chosenOrderIds,
  exportOrdersCsv,
  listOrderPage,
  loadBulkShipItems,
  parseListParams,
  parsePosition,
  resolveFilter,
  shipOrdersInBulk,
} from './orders.console.ts';
import { printOrders } from './orders.print.ts';

const STAFF: ('staff' | 'admin')[] = ['staff', 'admin'];

/** A value of the address or a form: once, or the same name repeated (checkboxes). */
const Value = (maxLength: number, maxItems = 20) =>
  Type.Optional(Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems })]));

const ListQuery = Type.Object({
  q: Value(400),
  status: Value(40),
  method: Value(40),
  from: Value(40),
  to: Value(40),
  overdue: Value(10),
  after: Value(100),
  before: Value(100),
});

const ChosenForm = Type.Object({
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  order: Value(64, BULK_MAX * 2),
});

/** The bulk ship form: `order` (repeated) and per order `carrier.<id>`, `tracking.<id>`, `serial.<id>.<i>`. */
const BulkShipForm = Type.Object(
  { _csrf: Type.Optional(Type.String({ maxLength: 200 })), order: Value(64, BULK_MAX * 2) },
  { additionalProperties: Value(100, 2), maxProperties: 10_000 },
);

/** The text of a form field, or '' (a field sent twice counts as its first value). */
const textOf = (value: unknown): string =>
  typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : '';

const MAX_UNITS = 200;

/**
 * The list's query: the web layer keeps only the first of a repeated page parameter, but the status filter is a
 * set of checkboxes (`status=paid&status=shipped`), so its values are read from the address itself.
 */
function listQuery(request: { url: string; query: ListQueryValues }): ListQueryValues {
  const raw = new URLSearchParams(request.url.split('?')[1] ?? '');
  return { ...request.query, status: raw.getAll('status') };
}
type ListQueryValues = Parameters<typeof parseListParams>[0];

export function registerOrderConsoleRoutes(app: App, deps: Deps): void {
  app.get('/staff/orders', { schema: { querystring: ListQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const query = listQuery(request);
    const params = parseListParams(query);
    const position = parsePosition(query);
    const page = await listOrderPage(deps, await resolveFilter(deps, params), position);
    // A list of many people: recorded as a view of each customer shown (so each finds it in their access report).
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userIds: page.rows.map((r) => r.user_id) },
      what: 'order.list',
      why: 'order-fulfilment',
      path: request.url,
    });
    const ctx = pageContext(request);
    return sendPage(reply, staffOrderListPage(ctx, params, page, deps.config.operator.carriers.length > 0));
  });

  app.get('/staff/orders.csv', { schema: { querystring: ListQuery } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, STAFF);
    const params = parseListParams(listQuery(request));
    const filter = await resolveFilter(deps, params);
    const lang = pageContext(request).lang;
    const recorded = new Set<string>();
    const path = request.url;
    // Each batch's customers are recorded before its rows leave (an export is a view of each of them).
    const csv = exportOrdersCsv(deps, filter, lang, async (userIds) => {
      const fresh = [...new Set(userIds)].filter((id) => !recorded.has(id));
      if (fresh.length === 0) return;
      for (const id of fresh) recorded.add(id);
      await recordAccess(deps, {
        actor: viewer,
        whose: { userIds: fresh },
        what: 'order.export',
        why: 'order-fulfilment',
        path,
      });
    });
    const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="orders-${day}.csv"`)
      .send(Readable.from(csv));
  });

  app.post('/staff/orders/bulk-ship', { schema: { body: ChosenForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const ids = chosenOrderIds(request.body.order);
    const items = await loadBulkShipItems(deps, ids);
    if (items.length === 0) throw errors.notFound();
    await recordAccess(deps, {
      actor: request.viewer,
      whose: { userIds: items.map((i) => i.order.user_id) },
      what: 'order.view',
      why: 'order-fulfilment',
      path: request.url,
    });
    return sendPage(reply, bulkShipPage(pageContext(request), items, deps.config.operator.carriers));
  });

  app.post('/staff/orders/bulk-ship/apply', { schema: { body: BulkShipForm } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const body: Record<string, unknown> = request.body;
    const ids = chosenOrderIds(request.body.order);
    const inputs = ids.map((orderId) => ({
      orderId,
      input: {
        carrier: textOf(body[`carrier.${orderId}`]),
        tracking: textOf(body[`tracking.${orderId}`]),
        serials: Array.from({ length: MAX_UNITS }, (_, i) => textOf(body[`serial.${orderId}.${i}`])),
      },
    }));
    const outcomes = await shipOrdersInBulk(deps, inputs);
    // The answer shows the refused orders again with their customers: a view like the ship page.
    const items = await loadBulkShipItems(deps, ids);
    if (items.length > 0)
      await recordAccess(deps, {
        actor: request.viewer,
        whose: { userIds: items.map((i) => i.order.user_id) },
        what: 'order.view',
        why: 'order-fulfilment',
        path: request.url,
      });
    const anyShipped = outcomes.some((o) => o.shipped);
    const anyRefused = outcomes.some((o) => !o.shipped);
    // Everything refused is an answer to correct (as a single ship form's refusal); a mixed run succeeded in part.
    const status = anyRefused && !anyShipped ? 400 : 200;
    return sendPage(reply, bulkShipPage(pageContext(request), items, deps.config.operator.carriers, outcomes), status);
  });

  app.post('/staff/orders/print', { schema: { body: ChosenForm } }, async (request, reply) => {
    const viewer = requireRole(request.viewer, STAFF);
    const ids = chosenOrderIds(request.body.order);
    const ctx = pageContext(request);
    const printed = await printOrders(deps, ids, ctx.lang);
    if (printed.documents === 0)
      throw errors.invalid({
        en: 'The selected orders have neither an invoice nor goods to ship: there is nothing to print.',
        de: 'Die ausgewählten Bestellungen haben weder eine Rechnung noch zu versendende Ware: Es gibt nichts zu drucken.',
      });
    await recordAccess(deps, {
      actor: viewer,
      whose: { userIds: printed.userIds },
      what: 'order.print',
      why: 'order-fulfilment',
      path: request.url,
    });
    const day = new Date(deps.clock.now()).toISOString().slice(0, 10);
    return reply
      .type('application/pdf')
      .header('content-disposition', `inline; filename="orders-${day}.pdf"`)
      .send(printed.pdf);
  });
}
