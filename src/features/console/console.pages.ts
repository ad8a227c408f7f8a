// The staff home: key figures as tiles and each chart as a bar chart in inline SVG, drawn on the server (no
// script), with its numbers as a table inside a <details> for screen readers and for anyone who wants them.
import type { ConsoleChart, ConsoleFigure, ConsolePeriod } from '../../feature.ts';
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatDay, formatEuro, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { layout, type PageContext } from '../../web/index.ts';

const T = {
  title: { en: 'Console', de: 'Verwaltung' },
  figures: { en: 'Key figures', de: 'Kennzahlen' },
  none: { en: 'No figures for your role.', de: 'Für Ihre Rolle gibt es keine Kennzahlen.' },
  chartNumbers: { en: 'The numbers per day', de: 'Die Zahlen pro Tag' },
  day: { en: 'Day', de: 'Tag' },
  chartSummary: {
    en: '{label} over the last {n} days: {total} in total, at most {max} on one day.',
    de: '{label} in den letzten {n} Tagen: insgesamt {total}, höchstens {max} an einem Tag.',
  },
} satisfies Record<string, Text>;

export interface ConsoleHome {
  period: ConsolePeriod;
  figures: ConsoleFigure[];
  charts: ConsoleChart[];
}

const formatValue = (lang: Lang, unit: ConsoleFigure['unit'], value: number): string =>
  unit === 'cents' ? formatEuro(lang, value) : value.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB');

const shortDays = new Map<string, Intl.DateTimeFormat>();
function shortDay(lang: Lang, at: number, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let format = shortDays.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { day: 'numeric', month: 'short', timeZone });
    shortDays.set(key, format);
  }
  return format.format(new Date(at));
}

export function consoleHomePage(ctx: PageContext, home: ConsoleHome): string {
  const t = (text: Text) => tr(ctx.lang, text);
  return layout(
    ctx,
    t(T.title),
    html`<h1>${t(T.title)}</h1>
<section aria-labelledby="figures-heading">
<h2 id="figures-heading">${t(T.figures)}</h2>
${
  home.figures.length === 0
    ? html`<p>${t(T.none)}</p>`
    : html`<ul class="figures">${home.figures.map((f) => figureTile(ctx.lang, f))}</ul>`
}
</section>
${home.charts.map((c, i) => chartSection(ctx, home.period, c, i))}`,
  );
}

function figureTile(lang: Lang, f: ConsoleFigure): SafeHtml {
  const value = formatValue(lang, f.unit, f.value);
  const label = tr(lang, f.label);
  return html`<li><span class="figure-value">${value}</span> <span class="figure-label">${
    f.href ? html`<a href="${f.href}">${label}</a>` : label
  }</span>${f.note ? html` <span class="figure-note">${tr(lang, f.note.text, f.note.params)}</span>` : ''}</li>`;
}

const WIDTH = 600;
const HEIGHT = 220;
const TOP = 20;
const BOTTOM = 30;

function chartSection(ctx: PageContext, period: ConsolePeriod, chart: ConsoleChart, index: number): SafeHtml {
  const lang = ctx.lang;
  const label = tr(lang, chart.label);
  const values = chart.values;
  const max = Math.max(0, ...values);
  const total = values.reduce((a, b) => a + b, 0);
  const fmt = (v: number) => formatValue(lang, chart.unit, v);
  const summary = tr(lang, T.chartSummary, { label, n: values.length, total: fmt(total), max: fmt(max) });
  const slot = WIDTH / Math.max(1, values.length);
  const plot = HEIGHT - TOP - BOTTOM;
  const id = `chart-${index}`;
  const days = period.days;
  return html`<section class="console-chart" aria-labelledby="${id}-heading">
<h2 id="${id}-heading">${label}</h2>
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" xmlns="http://www.w3.org/2000/svg">
<title id="${id}-title">${label}</title>
<desc id="${id}-desc">${summary}</desc>
<line x1="0" y1="${HEIGHT - BOTTOM}" x2="${WIDTH}" y2="${HEIGHT - BOTTOM}" stroke="#8a8a95"/>
${values.map((v, i) => {
  const h = max > 0 ? Math.round((v / max) * plot * 10) / 10 : 0;
  return html`<rect x="${Math.round((i * slot + slot * 0.15) * 10) / 10}" y="${HEIGHT - BOTTOM - h}" width="${Math.round(slot * 0.7 * 10) / 10}" height="${h}" fill="#0b5cad"/>`;
})}
<text x="0" y="16" font-size="16" fill="#55555f">${fmt(max)}</text>
${
  days.length > 0
    ? html`<text x="0" y="${HEIGHT - 8}" font-size="16" fill="#55555f">${shortDay(lang, days[0]!, ctx.timeZone)}</text>
<text x="${WIDTH}" y="${HEIGHT - 8}" font-size="16" fill="#55555f" text-anchor="end">${shortDay(lang, days[days.length - 1]!, ctx.timeZone)}</text>`
    : ''
}
</svg>
<details>
<summary>${tr(lang, T.chartNumbers)}</summary>
<table class="stack">
<caption>${label}</caption>
<thead><tr><th scope="col">${tr(lang, T.day)}</th><th scope="col">${label}</th></tr></thead>
<tbody>
${values.map(
  (v, i) =>
    html`<tr><th scope="row">${days[i] === undefined ? '' : formatDay(lang, days[i], ctx.timeZone)}</th><td data-label="${label}">${fmt(v)}</td></tr>`,
)}
</tbody>
</table>
</details>
</section>`;
}
