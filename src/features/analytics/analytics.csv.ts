// The dashboard's tables as CSV for spreadsheets: UTF-8 with a byte order mark, headers in the staff member's
// language, raw values (codes, paths, hosts), and every cell a spreadsheet would run as a formula quoted with '.
import { stringify } from 'csv-stringify/sync';
import { tr, type Lang } from '../../platform/i18n.ts';
import type { Chart, CsvTable, Figure, ReportTable } from './analytics.dashboard.ts';
import { countColumn, countHead, FIGURE_NAMES, VALUE, VISITORS } from './analytics.staff.pages.ts';

/** A cell that begins with = + - @ (or a tab or carriage return, which spreadsheets skip) gets a leading '. */
export function guardCell(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const num = (n: number, digits = 0) => (digits === 0 ? String(Math.round(n)) : n.toFixed(digits));

function csvOf(rows: string[][]): string {
  return `\ufeff${stringify(rows.map((r) => r.map(guardCell)))}`;
}

export function tableCsv(lang: Lang, table: ReportTable): string {
  const count = countColumn(table.name);
  const withVisitors = table.name !== 'bots';
  const head = [
    tr(lang, VALUE),
    ...(withVisitors ? [tr(lang, VISITORS)] : []),
    ...(count ? [tr(lang, countHead(table.name))] : []),
  ];
  const rows = table.rows.map((r) => [
    r.value,
    ...(withVisitors ? [num(r.visitors)] : []),
    ...(count === 'pageviews'
      ? [num(r.pageviews)]
      : count === 'events'
        ? [num(r.events)]
        : count === 'conversion'
          ? [r.conversion === null || r.conversion === undefined ? '' : num(r.conversion, 1)]
          : []),
  ]);
  return csvOf([head, ...rows]);
}

export function figuresCsv(lang: Lang, figures: Figure[], realtime: number): string {
  const head =
    lang === 'de'
      ? ['Kennzahl', 'Wert', 'Vorzeitraum', 'Änderung (%)']
      : ['Figure', 'Value', 'Previous period', 'Change (%)'];
  const digits = (f: Figure) => (f.key === 'viewsPerVisit' || f.key === 'bounceRate' ? 2 : 0);
  const rows = figures.map((f) => [
    tr(lang, FIGURE_NAMES[f.key]) + (f.key === 'visitDuration' ? ' (s)' : f.key === 'bounceRate' ? ' (%)' : ''),
    num(f.key === 'visitDuration' ? f.value / 1000 : f.value, digits(f)),
    num(f.key === 'visitDuration' ? f.previous / 1000 : f.previous, digits(f)),
    f.change === null ? '' : num(f.change, 1),
  ]);
  rows.push([
    lang === 'de' ? 'Besucher in den letzten 5 Minuten' : 'Visitors in the last 5 minutes',
    num(realtime),
    '',
    '',
  ]);
  return csvOf([head, ...rows]);
}

export function chartCsv(lang: Lang, chart: Chart): string {
  const unit = {
    hour: { en: 'Hour (UTC)', de: 'Stunde (UTC)' },
    day: { en: 'Day', de: 'Tag' },
    month: { en: 'Month', de: 'Monat' },
  }[chart.unit];
  const head = [tr(lang, unit), tr(lang, VISITORS), lang === 'de' ? 'Seitenaufrufe' : 'Page views'];
  const at = (ms: number) => {
    const iso = new Date(ms).toISOString();
    return chart.unit === 'hour'
      ? iso.slice(0, 16).replace('T', ' ')
      : chart.unit === 'day'
        ? iso.slice(0, 10)
        : iso.slice(0, 7);
  };
  return csvOf([head, ...chart.points.map((p) => [at(p.at), num(p.visitors), num(p.pageviews)])]);
}

export type { CsvTable };
