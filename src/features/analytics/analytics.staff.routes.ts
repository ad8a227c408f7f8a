// The staff analytics dashboard (staff and admin): GET /staff/analytics and each of its tables as CSV
// (GET /staff/analytics.csv?table=…). Aggregates only; a bad period or filter answers a 400 page in the
// staff member's language, never a 500.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireRole, type Role } from '../../platform/http/context.ts';
import { pageContext, sendPage } from '../../web/index.ts';
import { chartCsv, figuresCsv, tableCsv } from './analytics.csv.ts';
import {
  CSV_LIMIT,
  CSV_TABLES,
  isoDay,
  isRefusal,
  loadChart,
  loadDashboard,
  loadFigures,
  loadRealtime,
  loadTable,
  parseDashboardParams,
  type CsvTable,
  type DashboardParams,
} from './analytics.dashboard.ts';
import { dashboardPage } from './analytics.staff.pages.ts';

const STAFF: Role[] = ['staff', 'admin'];

const text = (maxLength: number) => Type.Optional(Type.String({ maxLength }));
const DashboardQuery = Type.Object({
  period: text(20),
  from: text(20),
  to: text(20),
  page: text(500),
  source: text(253),
  country: text(10),
  device: text(20),
});
const CsvQuery = Type.Object({ ...DashboardQuery.properties, table: text(40) });

/** The parameters the dashboard knows, empty ones left out (a form sends every field). */
function paramsOf(query: DashboardParams): DashboardParams {
  const out: DashboardParams = {};
  for (const k of ['period', 'from', 'to', 'page', 'source', 'country', 'device'] as const) {
    const v = query[k]?.trim();
    if (v) out[k] = v;
  }
  // A period other than custom ignores dates the form still carries.
  if (out.period && out.period !== 'custom') {
    delete out.from;
    delete out.to;
  }
  return out;
}

export function registerAnalyticsStaffRoutes(app: App, deps: Deps): void {
  app.get('/staff/analytics', { schema: { querystring: DashboardQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const ctx = pageContext(request);
    const params = paramsOf(request.query);
    try {
      const query = parseDashboardParams(params, deps.clock.now());
      const dashboard = await loadDashboard(deps, query);
      return sendPage(reply, dashboardPage(ctx, { params, dashboard }));
    } catch (err) {
      if (!isRefusal(err)) throw err;
      const page = dashboardPage(ctx, { params, dashboard: null, error: err.text, fields: err.fields });
      return sendPage(reply, page, err.status);
    }
  });

  app.get('/staff/analytics.csv', { schema: { querystring: CsvQuery } }, async (request, reply) => {
    requireRole(request.viewer, STAFF);
    const lang = pageContext(request).lang;
    const name = CSV_TABLES.find((t) => t === request.query.table) as CsvTable | undefined;
    if (!name)
      throw errors.invalidFields({
        table: { en: 'Choose one of the dashboard’s tables.', de: 'Wählen Sie eine der Tabellen der Statistik.' },
      });
    const query = parseDashboardParams(paramsOf(request.query), deps.clock.now());
    let body: string;
    if (name === 'figures') {
      const [figures, realtime] = await Promise.all([loadFigures(deps, query), loadRealtime(deps, query.filters)]);
      body = figuresCsv(lang, figures.figures, realtime);
    } else if (name === 'chart') body = chartCsv(lang, await loadChart(deps, query));
    else body = tableCsv(lang, await loadTable(deps, query, name, CSV_LIMIT));
    const file = `analytics-${name}-${isoDay(query.period.from)}-${isoDay(query.period.to - 1)}.csv`;
    return reply
      .header('cache-control', 'no-store')
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${file}"`)
      .send(body);
  });
}
