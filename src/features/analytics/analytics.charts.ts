// Charts of the analytics dashboard as inline SVG drawn on the server (no script): page views as bars, visitors as a
// line with points, one scale for both. Each chart is an image with a title and a description, and its numbers follow
// as a table (the text alternative). Colours keep at least 3:1 against white (WCAG 1.4.11).
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import type { Chart } from './analytics.dashboard.ts';

export const CHART_COLOURS = { pageviews: '#4a7fbf', visitors: '#a15c00', axis: '#55555f' } as const;

const WIDTH = 640;
const HEIGHT = 240;
const TOP = 24;
const BOTTOM = 30;
const LEFT = 4;

const T = {
  visitors: { en: 'Visitors', de: 'Besucher' },
  pageviews: { en: 'Page views', de: 'Seitenaufrufe' },
  numbers: { en: 'The numbers of the chart', de: 'Die Zahlen des Diagramms' },
  hour: { en: 'Hour (UTC)', de: 'Stunde (UTC)' },
  day: { en: 'Day', de: 'Tag' },
  month: { en: 'Month', de: 'Monat' },
  desc: {
    en: 'Visitors and page views per {unit} from {first} to {last}: {visitors} visitors and {pageviews} page views in total; the most page views, {max}, on {maxAt}.',
    de: 'Besucher und Seitenaufrufe pro {unit} von {first} bis {last}: insgesamt {visitors} Besucher und {pageviews} Seitenaufrufe; die meisten Seitenaufrufe, {max}, am {maxAt}.',
  },
  unitHour: { en: 'hour', de: 'Stunde' },
  unitDay: { en: 'day', de: 'Tag' },
  unitMonth: { en: 'month', de: 'Monat' },
  empty: {
    en: 'No visitors and no page views in this period.',
    de: 'Keine Besucher und keine Seitenaufrufe in diesem Zeitraum.',
  },
} satisfies Record<string, Text>;

export const formatCount = (lang: Lang, n: number): string =>
  Math.round(n).toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');

const formats = new Map<string, Intl.DateTimeFormat>();
/** A bucket's label: "14:00", "5 Dec" / "5. Dez.", "Dec 2026" / "Dez. 2026" (UTC, as the rollups count days). */
export function bucketLabel(lang: Lang, unit: Chart['unit'], at: number): string {
  const key = `${lang} ${unit}`;
  let f = formats.get(key);
  if (!f) {
    const locale = lang === 'de' ? 'de-DE' : 'en-GB';
    f = new Intl.DateTimeFormat(
      locale,
      unit === 'hour'
        ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }
        : unit === 'day'
          ? { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }
          : { month: 'short', year: 'numeric', timeZone: 'UTC' },
    );
    formats.set(key, f);
  }
  return f.format(new Date(at));
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The chart of visitors and page views with its text alternative; `id` makes its element ids unique. */
export function trafficChart(lang: Lang, chart: Chart, id: string, heading: string): SafeHtml {
  const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
  const points = chart.points;
  const max = Math.max(0, ...points.map((p) => Math.max(p.pageviews, p.visitors)));
  const plot = HEIGHT - TOP - BOTTOM;
  const slot = (WIDTH - LEFT) / Math.max(1, points.length);
  const y = (v: number) => round(HEIGHT - BOTTOM - (max > 0 ? (v / max) * plot : 0));
  const x = (i: number) => round(LEFT + i * slot + slot / 2);
  const totalVisitors = points.reduce((n, p) => n + p.visitors, 0);
  const totalViews = points.reduce((n, p) => n + p.pageviews, 0);
  const peak = points.reduce((best, p) => (p.pageviews > (best?.pageviews ?? -1) ? p : best), points[0]);
  const unitName = t(chart.unit === 'hour' ? T.unitHour : chart.unit === 'day' ? T.unitDay : T.unitMonth);
  const first = points[0];
  const last = points[points.length - 1];
  const desc =
    totalViews === 0 && totalVisitors === 0
      ? t(T.empty)
      : t(T.desc, {
          unit: unitName,
          first: first ? bucketLabel(lang, chart.unit, first.at) : '',
          last: last ? bucketLabel(lang, chart.unit, last.at) : '',
          visitors: formatCount(lang, totalVisitors),
          pageviews: formatCount(lang, totalViews),
          max: formatCount(lang, peak?.pageviews ?? 0),
          maxAt: peak ? bucketLabel(lang, chart.unit, peak.at) : '',
        });
  const line = points.map((p, i) => `${x(i)},${y(p.visitors)}`).join(' ');
  const barWidth = round(Math.max(1, slot * 0.7));
  const unitHead = t(chart.unit === 'hour' ? T.hour : chart.unit === 'day' ? T.day : T.month);
  const swatch = (colour: string, kind: 'bar' | 'line') =>
    html`<svg width="22" height="12" viewBox="0 0 22 12" aria-hidden="true" focusable="false">${
      kind === 'bar'
        ? html`<rect x="4" y="0" width="14" height="12" fill="${colour}"/>`
        : html`<line x1="0" y1="6" x2="22" y2="6" stroke="${colour}" stroke-width="3"/><circle cx="11" cy="6" r="3" fill="${colour}"/>`
    }</svg>`;
  return html`<section class="console-chart analytics-chart" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${heading}</h2>
<ul class="chart-legend">
<li>${swatch(CHART_COLOURS.pageviews, 'bar')} ${t(T.pageviews)}</li>
<li>${swatch(CHART_COLOURS.visitors, 'line')} ${t(T.visitors)}</li>
</ul>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">${heading}</title>
<desc id="${id}-desc">${desc}</desc>
<line x1="${LEFT}" y1="${TOP}" x2="${WIDTH}" y2="${TOP}" stroke="#d8d8e0"/>
<line x1="${LEFT}" y1="${round(TOP + plot / 2)}" x2="${WIDTH}" y2="${round(TOP + plot / 2)}" stroke="#d8d8e0"/>
${points.map((p, i) => {
  const top = y(p.pageviews);
  return html`<rect x="${round(x(i) - barWidth / 2)}" y="${top}" width="${barWidth}" height="${round(HEIGHT - BOTTOM - top)}" fill="${CHART_COLOURS.pageviews}"/>`;
})}
<line x1="${LEFT}" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}" stroke="${CHART_COLOURS.axis}"/>
${points.length > 1 ? html`<polyline points="${line}" fill="none" stroke="${CHART_COLOURS.visitors}" stroke-width="2.5"/>` : ''}
${points.length <= 62 ? points.map((p, i) => html`<circle cx="${x(i)}" cy="${y(p.visitors)}" r="3" fill="${CHART_COLOURS.visitors}"/>`) : ''}
<text x="${LEFT}" y="16" font-size="15" fill="${CHART_COLOURS.axis}">${formatCount(lang, max)}</text>
${first ? html`<text x="${LEFT}" y="${HEIGHT - 8}" font-size="15" fill="${CHART_COLOURS.axis}">${bucketLabel(lang, chart.unit, first.at)}</text>` : ''}
${last && points.length > 1 ? html`<text x="${WIDTH}" y="${HEIGHT - 8}" font-size="15" fill="${CHART_COLOURS.axis}" text-anchor="end">${bucketLabel(lang, chart.unit, last.at)}</text>` : ''}
</svg>
<details>
<summary>${t(T.numbers)}</summary>
<div class="table-box">
<table>
<caption>${heading}</caption>
<thead><tr><th scope="col">${unitHead}</th><th scope="col" class="num">${t(T.visitors)}</th><th scope="col" class="num">${t(T.pageviews)}</th></tr></thead>
<tbody>
${points.map(
  (p) =>
    html`<tr><th scope="row">${bucketLabel(lang, chart.unit, p.at)}</th><td class="num">${formatCount(lang, p.visitors)}</td><td class="num">${formatCount(lang, p.pageviews)}</td></tr>`,
)}
</tbody>
</table>
</div>
</details>
</section>`;
}
