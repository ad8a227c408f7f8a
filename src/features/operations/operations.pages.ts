// The staff operations page (/staff/operations, admin): this process's figures as /metrics gives them, as tiles,
// bar charts in inline SVG drawn on the server (no script) and tables. Each chart is an image with a title and a
// description; its numbers are in the table beside it. Nothing here is about a person.
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import { layout, type PageContext } from '../../web/index.ts';
import type { OperationsFigures, Quantile, RouteFigures } from './operations.figures.ts';

/** The job-runs page (issue 17, point 2): its own page under this one, linked from the jobs section. */
export const JOB_RUNS_PATH = '/staff/operations/jobs';

const T = {
  title: { en: 'Operations', de: 'Betrieb' },
  intro: {
    en: 'The figures of this web process since it started ({uptime}): each process counts its own requests, jobs and buffers; the outbox is the whole shop’s. Prometheus reads the same figures from /metrics.',
    de: 'Die Zahlen dieses Web-Prozesses seit seinem Start ({uptime}): Jeder Prozess zählt seine eigenen Anfragen, Aufträge und Puffer; der Postausgang ist der des ganzen Shops. Prometheus liest dieselben Zahlen unter /metrics.',
  },
  state: { en: 'State', de: 'Zustand' },
  outboxWaiting: { en: 'Mail waiting in the outbox', de: 'Wartende E-Mails im Postausgang' },
  outboxAge: { en: 'Oldest due mail waiting for', de: 'Älteste fällige E-Mail wartet seit' },
  outboxStale: {
    en: 'Could not be read just now: the last known value.',
    de: 'Gerade nicht lesbar: der zuletzt bekannte Wert.',
  },
  usageBuffered: { en: 'Usage-log entries in the buffer', de: 'Nutzungsprotokoll-Einträge im Puffer' },
  usageDropped: { en: 'Usage-log entries dropped', de: 'Verworfene Nutzungsprotokoll-Einträge' },
  shared: { en: 'Rate limits and caches', de: 'Ratenbegrenzung und Caches' },
  sharedOk: { en: 'Shared', de: 'Geteilt' },
  sharedDegraded: { en: 'This process only', de: 'Nur dieser Prozess' },
  sharedFallbacks: {
    en: 'Fell back to this process {n} times (Redis unreachable).',
    de: '{n}-mal auf diesen Prozess zurückgefallen (Redis nicht erreichbar).',
  },
  databaseUnavailable: {
    en: 'Requests answered 503 (database unreachable)',
    de: 'Mit 503 beantwortete Anfragen (Datenbank nicht erreichbar)',
  },
  poolTotal: { en: 'Database connections open', de: 'Offene Datenbankverbindungen' },
  poolNote: { en: '{idle} idle, {waiting} requests waiting', de: '{idle} frei, {waiting} Anfragen warten' },
  requests: { en: 'Requests by route', de: 'Anfragen nach Route' },
  noRequests: { en: 'No requests counted yet.', de: 'Noch keine Anfragen gezählt.' },
  requestsChart: { en: 'Requests of the busiest routes', de: 'Anfragen der meistgenutzten Routen' },
  requestsDesc: {
    en: 'Requests per route for the {n} busiest routes: {total} requests in total, at most {max} on {top}.',
    de: 'Anfragen pro Route für die {n} meistgenutzten Routen: insgesamt {total} Anfragen, höchstens {max} bei {top}.',
  },
  latencyChart: { en: 'Time to answer (95th percentile)', de: 'Antwortzeit (95. Perzentil)' },
  latencyDesc: {
    en: '95th percentile of the time to answer for the {n} busiest routes; the slowest, {max}, on {top}.',
    de: '95. Perzentil der Antwortzeit für die {n} meistgenutzten Routen; die langsamste, {max}, bei {top}.',
  },
  route: { en: 'Route', de: 'Route' },
  method: { en: 'Method', de: 'Methode' },
  count: { en: 'Requests', de: 'Anfragen' },
  p50: { en: 'Median', de: 'Median' },
  p95: { en: '95th percentile', de: '95. Perzentil' },
  unmatched: { en: '(no route: 404)', de: '(keine Route: 404)' },
  jobs: { en: 'Job runs', de: 'Auftragsläufe' },
  jobsIntro: {
    en: 'Runs of scheduled and parallel jobs in this process, by outcome.',
    de: 'Läufe geplanter und paralleler Aufträge in diesem Prozess, nach Ergebnis.',
  },
  noJobs: {
    en: 'No job has run in this process (jobs run in the worker processes).',
    de: 'In diesem Prozess ist kein Auftrag gelaufen (Aufträge laufen in den Worker-Prozessen).',
  },
  jobsChart: { en: 'Job runs by outcome', de: 'Auftragsläufe nach Ergebnis' },
  jobsDesc: {
    en: 'Job runs in this process by outcome: {parts}.',
    de: 'Auftragsläufe in diesem Prozess nach Ergebnis: {parts}.',
  },
  job: { en: 'Job', de: 'Auftrag' },
  outcome: { en: 'Outcome', de: 'Ergebnis' },
  runs: { en: 'Runs', de: 'Läufe' },
  jobRunsLink: {
    en: 'Every job run of all workers, with start, end and items',
    de: 'Alle Auftragsläufe aller Worker, mit Beginn, Ende und Posten',
  },
  seconds: { en: '{n} s', de: '{n} s' },
  milliseconds: { en: '{n} ms', de: '{n} ms' },
  above: { en: 'over {v}', de: 'über {v}' },
} satisfies Record<string, Text>;

const OUTCOMES: Record<string, Text> = {
  ok: { en: 'succeeded', de: 'erfolgreich' },
  failed: { en: 'failed', de: 'fehlgeschlagen' },
  skipped: { en: 'skipped', de: 'übersprungen' },
};

export interface OperationsPageModel {
  figures: OperationsFigures;
  /** Seconds since this process started. */
  uptimeSeconds: number;
}

const locale = (lang: Lang) => (lang === 'de' ? 'de-DE' : 'en-GB');
const formatCount = (lang: Lang, n: number) => Math.round(n).toLocaleString(locale(lang));

/** A duration as a person reads it: "340 ms", "12 s", "3 min", "2 h 5 min". */
export function formatDuration(lang: Lang, seconds: number): string {
  const fmt = (n: number, digits = 0) => n.toLocaleString(locale(lang), { maximumFractionDigits: digits });
  if (seconds < 1) return tr(lang, T.milliseconds, { n: fmt(seconds * 1000, seconds < 0.01 ? 1 : 0) });
  if (seconds < 120) return tr(lang, T.seconds, { n: fmt(seconds, seconds < 10 ? 1 : 0) });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${fmt(minutes)} min`;
  return `${fmt(Math.floor(minutes / 60))} h ${fmt(minutes % 60)} min`;
}

function formatQuantile(lang: Lang, q: Quantile | null): string {
  if (!q) return '–';
  const v = formatDuration(lang, q.seconds);
  return q.above ? tr(lang, T.above, { v }) : v;
}

export function operationsPage(ctx: PageContext, model: OperationsPageModel): string {
  const lang = ctx.lang;
  const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
  const f = model.figures;
  return layout(
    ctx,
    t(T.title),
    html`<h1>${t(T.title)}</h1>
<p>${t(T.intro, { uptime: formatDuration(lang, model.uptimeSeconds) })}</p>
<section aria-labelledby="state-heading">
<h2 id="state-heading">${t(T.state)}</h2>
<ul class="figures">
${tile(formatCount(lang, f.outbox.waiting), t(T.outboxWaiting), f.outbox.current ? undefined : t(T.outboxStale))}
${tile(formatDuration(lang, f.outbox.oldestDueSeconds), t(T.outboxAge), f.outbox.current ? undefined : t(T.outboxStale))}
${tile(formatCount(lang, f.usageLog.buffered), t(T.usageBuffered))}
${tile(formatCount(lang, f.usageLog.dropped), t(T.usageDropped))}
${tile(
  t(f.sharedState.degraded ? T.sharedDegraded : T.sharedOk),
  t(T.shared),
  f.sharedState.fallbacks > 0 ? t(T.sharedFallbacks, { n: formatCount(lang, f.sharedState.fallbacks) }) : undefined,
)}
${tile(formatCount(lang, f.databaseUnavailable), t(T.databaseUnavailable))}
${
  f.pool
    ? tile(
        formatCount(lang, f.pool.total),
        t(T.poolTotal),
        t(T.poolNote, { idle: formatCount(lang, f.pool.idle), waiting: formatCount(lang, f.pool.waiting) }),
      )
    : ''
}
</ul>
</section>
${requestsSection(lang, f.routes)}
${jobsSection(lang, f.jobs)}`,
  );
}

function tile(value: string, label: string, note?: string): SafeHtml {
  return html`<li><span class="figure-value">${value}</span> <span class="figure-label">${label}</span>${
    note ? html` <span class="figure-note">${note}</span>` : ''
  }</li>`;
}

const routeName = (lang: Lang, r: Pick<RouteFigures, 'route' | 'method'>) =>
  `${r.method} ${r.route === 'unmatched' ? tr(lang, T.unmatched) : r.route}`;

/** At most this many routes in the charts (the table lists all). */
const CHART_ROUTES = 12;

function requestsSection(lang: Lang, routes: RouteFigures[]): SafeHtml {
  const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
  if (routes.length === 0)
    return html`<section aria-labelledby="requests-heading"><h2 id="requests-heading">${t(T.requests)}</h2><p>${t(T.noRequests)}</p></section>`;
  const top = routes.slice(0, CHART_ROUTES);
  const total = routes.reduce((n, r) => n + r.requests, 0);
  const busiest = top[0]!;
  const slowest = top.reduce((a, b) => ((b.p95?.seconds ?? 0) > (a.p95?.seconds ?? 0) ? b : a), busiest);
  const statuses = ['2xx', '3xx', '4xx', '5xx'];
  return html`<section aria-labelledby="requests-heading">
<h2 id="requests-heading">${t(T.requests)}</h2>
${barChart({
  id: 'requests-chart',
  title: t(T.requestsChart),
  desc: t(T.requestsDesc, {
    n: top.length,
    total: formatCount(lang, total),
    max: formatCount(lang, busiest.requests),
    top: routeName(lang, busiest),
  }),
  bars: top.map((r) => ({ label: routeName(lang, r), value: r.requests, shown: formatCount(lang, r.requests) })),
})}
${barChart({
  id: 'latency-chart',
  title: t(T.latencyChart),
  desc: t(T.latencyDesc, { n: top.length, max: formatQuantile(lang, slowest.p95), top: routeName(lang, slowest) }),
  bars: top.map((r) => ({
    label: routeName(lang, r),
    value: r.p95?.seconds ?? 0,
    shown: formatQuantile(lang, r.p95),
  })),
})}
<table class="stack">
<caption>${t(T.requests)}</caption>
<thead><tr><th scope="col">${t(T.route)}</th><th scope="col">${t(T.method)}</th><th scope="col" class="num">${t(T.count)}</th>${statuses.map(
    (s) => html`<th scope="col" class="num">${s}</th>`,
  )}<th scope="col" class="num">${t(T.p50)}</th><th scope="col" class="num">${t(T.p95)}</th></tr></thead>
<tbody>
${routes.map(
  (r) =>
    html`<tr><th scope="row">${r.route === 'unmatched' ? t(T.unmatched) : r.route}</th><td data-label="${t(T.method)}">${r.method}</td><td class="num" data-label="${t(T.count)}">${formatCount(lang, r.requests)}</td>${statuses.map(
      (s) => html`<td class="num" data-label="${s}">${formatCount(lang, r.byStatus[s] ?? 0)}</td>`,
    )}<td class="num" data-label="${t(T.p50)}">${formatQuantile(lang, r.p50)}</td><td class="num" data-label="${t(T.p95)}">${formatQuantile(lang, r.p95)}</td></tr>`,
)}
</tbody>
</table>
</section>`;
}

function jobsSection(lang: Lang, jobs: OperationsFigures['jobs']): SafeHtml {
  const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
  const outcomeName = (o: string) => (OUTCOMES[o] ? t(OUTCOMES[o]) : o);
  const byOutcome = new Map<string, number>();
  for (const j of jobs) byOutcome.set(j.outcome, (byOutcome.get(j.outcome) ?? 0) + j.runs);
  const totals = [...byOutcome].map(([outcome, runs]) => ({ outcome, runs }));
  return html`<section aria-labelledby="jobs-heading">
<h2 id="jobs-heading">${t(T.jobs)}</h2>
${jobRunsLink(lang)}
${
  jobs.length === 0
    ? html`<p>${t(T.noJobs)}</p>`
    : html`<p>${t(T.jobsIntro)}</p>
${barChart({
  id: 'jobs-chart',
  title: t(T.jobsChart),
  desc: t(T.jobsDesc, {
    parts: totals.map((o) => `${outcomeName(o.outcome)} ${formatCount(lang, o.runs)}`).join(', '),
  }),
  bars: totals.map((o) => ({ label: outcomeName(o.outcome), value: o.runs, shown: formatCount(lang, o.runs) })),
})}
<table class="stack">
<caption>${t(T.jobs)}</caption>
<thead><tr><th scope="col">${t(T.job)}</th><th scope="col">${t(T.outcome)}</th><th scope="col" class="num">${t(T.runs)}</th></tr></thead>
<tbody>
${jobs.map(
  (j) =>
    html`<tr><th scope="row">${j.job}</th><td data-label="${t(T.outcome)}">${outcomeName(j.outcome)}</td><td class="num" data-label="${t(T.runs)}">${formatCount(lang, j.runs)}</td></tr>`,
)}
</tbody>
</table>`
}
</section>`;
}

/**
 * Where the job-runs page (JOB_RUNS_PATH, operations.jobs.ts: every run of every worker, from the database) links
 * in: one link here; that page's own content is its own.
 */
function jobRunsLink(lang: Lang): SafeHtml {
  return html`<p><a href="${JOB_RUNS_PATH}">${tr(lang, T.jobRunsLink)}</a></p>`;
}

interface BarChart {
  id: string;
  title: string;
  desc: string;
  bars: { label: string; value: number; shown: string }[];
}

const WIDTH = 600;
const ROW = 44;
const BAR = 16;
const COLOUR = '#0b5cad';
const TEXT = '#55555f';

/** Horizontal bars, one per row with its label and value above it: long route patterns need the width. */
function barChart(chart: BarChart): SafeHtml {
  const max = Math.max(0, ...chart.bars.map((b) => b.value));
  const height = chart.bars.length * ROW + 4;
  const round = (n: number) => Math.round(n * 10) / 10;
  const fit = (label: string) => (label.length > 52 ? `${label.slice(0, 51)}…` : label);
  return html`<div class="console-chart">
<h3 id="${chart.id}-heading">${chart.title}</h3>
<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-labelledby="${chart.id}-title ${chart.id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${chart.id}-title">${chart.title}</title>
<desc id="${chart.id}-desc">${chart.desc}</desc>
${chart.bars.map((b, i) => {
  const y = i * ROW;
  const w = max > 0 ? round((b.value / max) * WIDTH) : 0;
  return html`<text x="0" y="${y + 16}" font-size="15" fill="${TEXT}">${fit(b.label)}</text>
<text x="${WIDTH}" y="${y + 16}" font-size="15" fill="${TEXT}" text-anchor="end">${b.shown}</text>
<rect x="0" y="${y + 22}" width="${Math.max(w, b.value > 0 ? 1 : 0)}" height="${BAR}" fill="${COLOUR}"/>`;
})}
</svg>
</div>`;
}
