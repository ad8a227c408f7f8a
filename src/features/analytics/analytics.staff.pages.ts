// The staff analytics dashboard: the period and filter form, key figures with their change, the realtime count, the
// chart and the report tables, each with its CSV. Aggregates only: no page here shows a visitor hash, a pseudonym or
// a single event. Pure functions from the model to HTML.
import { html, type SafeHtml } from '../../platform/html.ts';
import { countryName, formatDay, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { errorSummary, layout, type FieldErrors, type PageContext } from '../../web/index.ts';
import { bucketLabel, formatCount, trafficChart } from './analytics.charts.ts';
import {
  DEVICES,
  FILTER_NAMES,
  isoDay,
  PERIODS,
  type CsvTable,
  type Dashboard,
  type DashboardParams,
  type Figure,
  type FigureKey,
  type FilterName,
  type PeriodKey,
  type ReportTable,
  type TableName,
} from './analytics.dashboard.ts';

const T = {
  title: { en: 'Analytics', de: 'Statistik' },
  intro: {
    en: 'Counted without cookies; days are UTC days. Only aggregates are shown: no visitor can be picked out here.',
    de: 'Ohne Cookies gezählt; Tage sind UTC-Tage. Gezeigt werden nur Summen: Einzelne Besucher lassen sich hier nicht erkennen.',
  },
  period: { en: 'Period', de: 'Zeitraum' },
  from: { en: 'From (custom period)', de: 'Von (eigener Zeitraum)' },
  to: { en: 'To (custom period)', de: 'Bis (eigener Zeitraum)' },
  filters: { en: 'Filters', de: 'Filter' },
  page: { en: 'Page (path)', de: 'Seite (Pfad)' },
  source: { en: 'Source (referrer host)', de: 'Quelle (verweisender Host)' },
  country: { en: 'Country (code)', de: 'Land (Code)' },
  device: { en: 'Device', de: 'Gerät' },
  any: { en: 'Any', de: 'Alle' },
  show: { en: 'Show', de: 'Anzeigen' },
  reset: { en: 'Reset', de: 'Zurücksetzen' },
  figures: { en: 'Key figures', de: 'Kennzahlen' },
  previous: { en: 'previous period: {value}', de: 'Vorzeitraum: {value}' },
  noChange: { en: 'no comparison', de: 'kein Vergleich' },
  realtime: { en: 'Visitors in the last 5 minutes', de: 'Besucher in den letzten 5 Minuten' },
  chart: { en: 'Visitors and page views', de: 'Besucher und Seitenaufrufe' },
  reports: { en: 'Reports', de: 'Berichte' },
  csv: { en: 'CSV', de: 'CSV' },
  csvFigures: { en: 'Key figures as CSV', de: 'Kennzahlen als CSV' },
  csvChart: { en: 'Chart numbers as CSV', de: 'Zahlen des Diagramms als CSV' },
  value: { en: 'Value', de: 'Wert' },
  visitors: { en: 'Visitors', de: 'Besucher' },
  pageviews: { en: 'Page views', de: 'Seitenaufrufe' },
  events: { en: 'Events', de: 'Ereignisse' },
  clicks: { en: 'Clicks', de: 'Klicks' },
  requests: { en: 'Requests', de: 'Anfragen' },
  conversion: { en: 'Conversion', de: 'Konversion' },
  none: { en: 'Nothing counted in this period.', de: 'In diesem Zeitraum nichts gezählt.' },
  unfiltered: {
    en: 'The filter does not apply to this table: it shows the whole period.',
    de: 'Der Filter gilt nicht für diese Tabelle: Sie zeigt den ganzen Zeitraum.',
  },
  follow: {
    en: 'Key figures and the chart follow the {filter} filter alone (from the daily totals); the tables combine all filters.',
    de: 'Kennzahlen und Diagramm folgen allein dem Filter {filter} (aus den Tagessummen); die Tabellen verbinden alle Filter.',
  },
  filteredTables: {
    en: 'With a filter the tables are counted from the raw events, which are kept for a limited number of days.',
    de: 'Mit Filter werden die Tabellen aus den Rohereignissen gezählt, die nur eine begrenzte Zahl von Tagen aufbewahrt werden.',
  },
  uncovered: {
    en: 'The filtered tables do not cover these days (no raw events kept): {days}.',
    de: 'Die gefilterten Tabellen decken diese Tage nicht ab (keine Rohereignisse aufbewahrt): {days}.',
  },
  remove: { en: 'Remove filter {filter}', de: 'Filter {filter} entfernen' },
  filterBy: { en: 'Filter by {value}', de: 'Nach {value} filtern' },
  direct: { en: '(none)', de: '(keine)' },
  comparedWith: { en: 'Compared with {from} – {to}.', de: 'Verglichen mit {from} – {to}.' },
  shown: { en: '{from} – {to}', de: '{from} – {to}' },
} satisfies Record<string, Text>;

export const PERIOD_NAMES: Record<PeriodKey, Text> = {
  today: { en: 'Today', de: 'Heute' },
  yesterday: { en: 'Yesterday', de: 'Gestern' },
  '7d': { en: 'Last 7 days', de: 'Letzte 7 Tage' },
  '30d': { en: 'Last 30 days', de: 'Letzte 30 Tage' },
  month: { en: 'This month', de: 'Dieser Monat' },
  '12m': { en: 'Last 12 months', de: 'Letzte 12 Monate' },
  custom: { en: 'Custom dates', de: 'Eigene Daten' },
};

export const FIGURE_NAMES: Record<FigureKey, Text> = {
  visitors: { en: 'Visitors', de: 'Besucher' },
  visits: { en: 'Visits', de: 'Besuche' },
  pageviews: { en: 'Page views', de: 'Seitenaufrufe' },
  viewsPerVisit: { en: 'Views per visit', de: 'Aufrufe pro Besuch' },
  bounceRate: { en: 'Bounce rate', de: 'Absprungrate' },
  visitDuration: { en: 'Visit duration', de: 'Besuchsdauer' },
};

export const TABLE_NAMES: Record<TableName, Text> = {
  pages: { en: 'Top pages', de: 'Meistbesuchte Seiten' },
  entry: { en: 'Entry pages', de: 'Einstiegsseiten' },
  exit: { en: 'Exit pages', de: 'Ausstiegsseiten' },
  sources: { en: 'Sources', de: 'Quellen' },
  utm_campaign: { en: 'UTM campaigns', de: 'UTM-Kampagnen' },
  utm_source: { en: 'UTM sources', de: 'UTM-Quellen' },
  utm_medium: { en: 'UTM media', de: 'UTM-Medien' },
  browsers: { en: 'Browsers', de: 'Browser' },
  os: { en: 'Operating systems', de: 'Betriebssysteme' },
  devices: { en: 'Devices', de: 'Geräte' },
  screens: { en: 'Screen sizes', de: 'Bildschirmgrößen' },
  languages: { en: 'Languages', de: 'Sprachen' },
  countries: { en: 'Countries', de: 'Länder' },
  goals: { en: 'Goals', de: 'Ziele' },
  funnel: { en: 'Funnel: basket → checkout → order', de: 'Trichter: Warenkorb → Kasse → Bestellung' },
  outbound: { en: 'Outbound links', de: 'Ausgehende Links' },
  clicks: { en: 'Clicks', de: 'Klicks' },
  returning: {
    en: 'Returning visitors (with consent, by pseudonym)',
    de: 'Wiederkehrende Besucher (mit Einwilligung, per Pseudonym)',
  },
  bots: { en: 'Bots not counted', de: 'Nicht gezählte Bots' },
};

const FILTER_LABELS: Record<FilterName, Text> = {
  page: { en: 'page', de: 'Seite' },
  source: { en: 'source', de: 'Quelle' },
  country: { en: 'country', de: 'Land' },
  device: { en: 'device', de: 'Gerät' },
};

const VALUE_NAMES: Partial<Record<TableName, Record<string, Text>>> = {
  devices: {
    desktop: { en: 'Desktop', de: 'Desktop' },
    mobile: { en: 'Mobile', de: 'Mobilgerät' },
    tablet: { en: 'Tablet', de: 'Tablet' },
  },
  returning: {
    'customer-new': { en: 'Customers, first seen', de: 'Kunden, erstmals gesehen' },
    'customer-returning': { en: 'Customers, returning', de: 'Kunden, wiederkehrend' },
    'visitor-new': { en: 'Visitors without sign-in, first seen', de: 'Besucher ohne Anmeldung, erstmals gesehen' },
    'visitor-returning': { en: 'Visitors without sign-in, returning', de: 'Besucher ohne Anmeldung, wiederkehrend' },
  },
  funnel: {
    basket: { en: 'Basket', de: 'Warenkorb' },
    checkout: { en: 'Checkout', de: 'Kasse' },
    order: { en: 'Order', de: 'Bestellung' },
  },
  goals: {
    'add-to-basket': { en: 'Added to basket', de: 'In den Warenkorb gelegt' },
    order: { en: 'Order placed', de: 'Bestellung aufgegeben' },
  },
  bots: {
    'user-agent': { en: 'Known bot (user agent)', de: 'Bekannter Bot (User-Agent)' },
    'no-browser-headers': { en: 'No browser headers', de: 'Keine Browser-Kopfzeilen' },
    'too-fast': { en: 'Too fast', de: 'Zu schnell' },
  },
};
export const DEVICE_NAMES = VALUE_NAMES.devices as Record<string, Text>;

/** A value as people read it: a country's name, a device, a goal, a bot reason; '' as "(none)". */
export function valueLabel(lang: Lang, table: TableName, value: string): string {
  if (value === '') return tr(lang, T.direct);
  if (table === 'countries') return `${countryName(lang, value)} (${value})`;
  const named = VALUE_NAMES[table]?.[value];
  return named ? tr(lang, named) : value;
}

/** The column that the table counts besides visitors. */
export function countColumn(table: TableName): 'pageviews' | 'events' | 'conversion' | null {
  if (table === 'bots' || table === 'clicks' || table === 'outbound' || table === 'goals') return 'events';
  if (table === 'funnel') return 'conversion';
  if (table === 'screens' || table === 'returning') return null;
  return 'pageviews';
}
export function countHead(table: TableName): Text {
  if (table === 'bots') return T.requests;
  if (table === 'clicks' || table === 'outbound') return T.clicks;
  if (table === 'goals') return T.events;
  if (table === 'funnel') return T.conversion;
  return T.pageviews;
}
export const VISITORS: Text = T.visitors;
export const VALUE: Text = T.value;

/** Which filter a table's values can set (their links). */
const FILTER_OF: Partial<Record<TableName, FilterName>> = {
  pages: 'page',
  entry: 'page',
  exit: 'page',
  sources: 'source',
  countries: 'country',
  devices: 'device',
};

const percent = (lang: Lang, n: number, digits = 1) =>
  `${n.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })} %`;

/** "2 min 05 s" / "2 Min. 05 s". */
export function formatDuration(lang: Lang, ms: number): string {
  const s = Math.round(ms / 1000);
  const min = Math.floor(s / 60);
  const sec = String(s % 60).padStart(2, '0');
  return min > 0 ? `${min} ${lang === 'de' ? 'Min.' : 'min'} ${sec} s` : `${s % 60} s`;
}

export function formatFigure(lang: Lang, key: FigureKey, value: number): string {
  if (key === 'bounceRate') return percent(lang, value, 0);
  if (key === 'visitDuration') return formatDuration(lang, value);
  if (key === 'viewsPerVisit')
    return value.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', {
      maximumFractionDigits: 2,
      minimumFractionDigits: 2,
    });
  return formatCount(lang, value);
}

/** "+12.5 %" / "−3,0 %"; for the bounce rate a rise is the bad direction. */
export function formatChange(lang: Lang, change: number | null): string {
  if (change === null) return tr(lang, T.noChange);
  const sign = change > 0 ? '+' : change < 0 ? '−' : '±';
  return `${sign}${percent(lang, Math.abs(change))}`;
}

export interface DashboardView {
  params: DashboardParams;
  dashboard: Dashboard | null;
  error?: Text | undefined;
  fields?: FieldErrors | undefined;
}

/** The address of the dashboard (or its CSV) with the current parameters and the given changes. */
export function dashboardHref(
  params: DashboardParams,
  changes: Partial<Record<keyof DashboardParams | 'table', string | undefined>> = {},
  path = '/staff/analytics',
): string {
  const merged: Record<string, string | undefined> = { ...params, ...changes };
  const search = new URLSearchParams();
  for (const k of ['period', 'from', 'to', 'page', 'source', 'country', 'device', 'table'])
    if (merged[k]) search.set(k, merged[k]);
  const s = search.toString();
  return s ? `${path}?${s}` : path;
}

export function dashboardPage(ctx: PageContext, view: DashboardView): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const d = view.dashboard;
  const title = t(T.title);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p class="hint">${t(T.intro)}</p>
${errorSummary(ctx.lang, view.error, view.fields)}
${filterForm(ctx, view)}
${d ? dashboardBody(ctx, view.params, d) : ''}`,
  );
}

function fieldError(lang: Lang, fields: FieldErrors | undefined, name: string): SafeHtml | string {
  const e = fields?.[name];
  return e ? html`<p class="field-error" id="f-${name}-error">${tr(lang, e)}</p>` : '';
}

function filterForm(ctx: PageContext, view: DashboardView): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const p = view.params;
  const current = p.period ?? (p.from || p.to ? 'custom' : '30d');
  const invalid = (name: string) =>
    view.fields?.[name] ? html` aria-invalid="true" aria-describedby="f-${name}-error"` : '';
  return html`<form method="get" action="/staff/analytics" class="order-filter analytics-filter">
<div class="field"><label for="f-period">${t(T.period)}</label>
<select id="f-period" name="period"${invalid('period')}>${PERIODS.map(
    (k) => html`<option value="${k}"${k === current ? html` selected` : ''}>${t(PERIOD_NAMES[k])}</option>`,
  )}</select>${fieldError(ctx.lang, view.fields, 'period')}</div>
<div class="field"><label for="f-from">${t(T.from)}</label><input id="f-from" name="from" type="date" value="${p.from ?? ''}"${invalid('from')}>${fieldError(ctx.lang, view.fields, 'from')}</div>
<div class="field"><label for="f-to">${t(T.to)}</label><input id="f-to" name="to" type="date" value="${p.to ?? ''}"${invalid('to')}>${fieldError(ctx.lang, view.fields, 'to')}</div>
<div class="field"><label for="f-page">${t(T.page)}</label><input id="f-page" name="page" type="text" maxlength="500" value="${p.page ?? ''}"${invalid('page')}>${fieldError(ctx.lang, view.fields, 'page')}</div>
<div class="field"><label for="f-source">${t(T.source)}</label><input id="f-source" name="source" type="text" maxlength="253" value="${p.source ?? ''}"${invalid('source')}>${fieldError(ctx.lang, view.fields, 'source')}</div>
<div class="field"><label for="f-country">${t(T.country)}</label><input id="f-country" name="country" type="text" maxlength="2" autocomplete="off" value="${p.country ?? ''}"${invalid('country')}>${fieldError(ctx.lang, view.fields, 'country')}</div>
<div class="field"><label for="f-device">${t(T.device)}</label>
<select id="f-device" name="device"${invalid('device')}><option value="">${t(T.any)}</option>${DEVICES.map(
    (k) => html`<option value="${k}"${k === p.device ? html` selected` : ''}>${t(DEVICE_NAMES[k]!)}</option>`,
  )}</select>${fieldError(ctx.lang, view.fields, 'device')}</div>
<p><button type="submit">${t(T.show)}</button><a href="/staff/analytics">${t(T.reset)}</a></p>
</form>`;
}

function dashboardBody(ctx: PageContext, params: DashboardParams, d: Dashboard): SafeHtml {
  const lang = ctx.lang;
  const t = (text: Text, p?: Record<string, string | number>) => tr(lang, text, p);
  const day = (at: number) => formatDay(lang, at, 'UTC');
  const { period, previous, filters } = d.query;
  const active = FILTER_NAMES.filter((n) => filters[n] !== undefined);
  const chartHeading = `${t(T.chart)}: ${t(PERIOD_NAMES[period.key])}`;
  return html`<p class="period-line"><strong>${t(T.shown, { from: day(period.from), to: day(period.to - 1) })}</strong>. ${t(
    T.comparedWith,
    { from: day(previous.from), to: day(previous.to - 1) },
  )}</p>
${
  active.length > 0
    ? html`<ul class="tabs active-filters" aria-label="${t(T.filters)}">${active.map(
        (n) =>
          html`<li><a href="${dashboardHref(params, { [n]: undefined })}">${t(T.remove, {
            filter: `${t(FILTER_LABELS[n])} = ${n === 'device' ? t(DEVICE_NAMES[filters.device!] ?? { en: filters.device!, de: filters.device! }) : filters[n]!}`,
          })}</a></li>`,
      )}</ul>`
    : ''
}
${d.figuresFollow && active.length > 1 ? html`<p class="notice">${t(T.follow, { filter: t(FILTER_LABELS[d.figuresFollow]) })}</p>` : ''}
<section aria-labelledby="figures-heading">
<h2 id="figures-heading">${t(T.figures)}</h2>
<ul class="figures">${d.figures.map((f) => figureTile(lang, f))}
<li class="realtime"><span class="figure-value">${formatCount(lang, d.realtime)}</span> <span class="figure-label">${t(T.realtime)}</span></li>
</ul>
<p class="csv-links"><a href="${dashboardHref(params, { table: 'figures' }, '/staff/analytics.csv')}" download>${t(T.csvFigures)}</a></p>
</section>
${trafficChart(lang, d.chart, 'traffic', chartHeading)}
<p class="csv-links"><a href="${dashboardHref(params, { table: 'chart' }, '/staff/analytics.csv')}" download>${t(T.csvChart)}</a></p>
<h2>${t(T.reports)}</h2>
${active.length > 0 ? html`<p class="hint">${t(T.filteredTables)}</p>` : ''}
${
  active.length > 0 && d.uncovered.length > 0
    ? html`<p class="warning">${t(T.uncovered, { days: describeDays(lang, d.uncovered) })}</p>`
    : ''
}
<div class="analytics-tables">
${d.tables.map((table) => reportTable(ctx, params, table, active.length > 0))}
</div>`;
}

/** The uncovered days, consecutive days joined to ranges: "1 Nov 2026 – 3 Nov 2026, 7 Nov 2026". */
export function describeDays(lang: Lang, days: number[]): string {
  const ranges: [number, number][] = [];
  for (const d of days) {
    const last = ranges[ranges.length - 1];
    if (last && d - last[1] === 86_400_000) last[1] = d;
    else ranges.push([d, d]);
  }
  const day = (at: number) => formatDay(lang, at, 'UTC');
  return ranges.map(([a, b]) => (a === b ? day(a) : `${day(a)} – ${day(b)}`)).join(', ');
}

function figureTile(lang: Lang, f: Figure): SafeHtml {
  const direction =
    f.change === null || f.change === 0
      ? ''
      : (f.key === 'bounceRate' ? f.change < 0 : f.change > 0)
        ? 'change-good'
        : 'change-bad';
  return html`<li><span class="figure-value">${formatFigure(lang, f.key, f.value)}</span> <span class="figure-label">${tr(
    lang,
    FIGURE_NAMES[f.key],
  )}</span> <span class="figure-note"><span class="${direction}">${formatChange(lang, f.change)}</span> <span class="figure-previous">(${tr(
    lang,
    T.previous,
    { value: formatFigure(lang, f.key, f.previous) },
  )})</span></span></li>`;
}

function reportTable(ctx: PageContext, params: DashboardParams, table: ReportTable, filtering: boolean): SafeHtml {
  const lang = ctx.lang;
  const t = (text: Text, p?: Record<string, string | number>) => tr(lang, text, p);
  const name = t(TABLE_NAMES[table.name]);
  const id = `table-${table.name}`;
  const count = countColumn(table.name);
  const filterName = FILTER_OF[table.name];
  const showVisitors = table.name !== 'bots';
  const cell = (r: ReportTable['rows'][number]) => {
    if (count === 'pageviews') return formatCount(lang, r.pageviews);
    if (count === 'events') return formatCount(lang, r.events);
    if (count === 'conversion')
      return r.conversion === null || r.conversion === undefined ? '—' : percent(lang, r.conversion);
    return '';
  };
  const label = (value: string) => {
    const text = valueLabel(lang, table.name, value);
    return filterName && value !== ''
      ? html`<a href="${dashboardHref(params, { [filterName]: value })}" title="${t(T.filterBy, { value: text })}">${text}</a>`
      : text;
  };
  return html`<section class="analytics-table" aria-labelledby="${id}-heading">
<h3 id="${id}-heading">${name}</h3>
${filtering && !table.filtered ? html`<p class="hint">${t(T.unfiltered)}</p>` : ''}
${
  table.rows.length === 0
    ? html`<p class="empty-state">${t(T.none)}</p>`
    : html`<div class="table-box"><table>
<thead><tr><th scope="col">${t(T.value)}</th>${showVisitors ? html`<th scope="col" class="num">${t(T.visitors)}</th>` : ''}${count ? html`<th scope="col" class="num">${t(countHead(table.name))}</th>` : ''}</tr></thead>
<tbody>${table.rows.map(
        (r) =>
          html`<tr><th scope="row">${label(r.value)}</th>${showVisitors ? html`<td class="num">${formatCount(lang, r.visitors)}</td>` : ''}${count ? html`<td class="num">${cell(r)}</td>` : ''}</tr>`,
      )}</tbody></table></div>`
}
<p class="csv-links"><a href="${dashboardHref(params, { table: table.name }, '/staff/analytics.csv')}" download>${t(T.csv)}<span class="visually-hidden">: ${name}</span></a></p>
</section>`;
}

/** For the CSV: the chart's bucket label. */
export { bucketLabel, isoDay };
export type { CsvTable };
