// The staff's experiment pages (list and create, edit a draft, start, stop with a confirmation, results). Results are
// aggregates per variant only: no page here shows a pseudonym or an assignment.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import {
  csrfField,
  errorSummary,
  layout,
  type FieldErrors,
  type FieldLabels,
  type PageContext,
} from '../../web/index.ts';
import type { ExperimentRow } from './analytics.experiments.queries.ts';
import type { VariantResult } from './analytics.experiments.stats.ts';
import {
  GOAL_KINDS,
  MAX_VARIANTS,
  parseVariants,
  type ExperimentReport,
  type GoalKind,
} from './analytics.experiments.ts';

const stateNames: Record<string, Text> = {
  draft: { en: 'draft', de: 'Entwurf' },
  running: { en: 'running', de: 'läuft' },
  stopped: { en: 'stopped', de: 'beendet' },
};

const goalNames: Record<GoalKind, Text> = {
  pageview: { en: 'A page view of a path', de: 'Aufruf einer Seite' },
  'add-to-basket': { en: 'Add to basket', de: 'In den Warenkorb' },
  order: { en: 'Order', de: 'Bestellung' },
};

const T = {
  experiments: { en: 'Experiments', de: 'Experimente' },
  all: { en: 'All experiments', de: 'Alle Experimente' },
  name: { en: 'Name', de: 'Name' },
  key: { en: 'Key', de: 'Schlüssel' },
  state: { en: 'State', de: 'Zustand' },
  goal: { en: 'Goal', de: 'Ziel' },
  created: { en: 'Created', de: 'Erstellt' },
  results: { en: 'Results', de: 'Ergebnisse' },
  variant: { en: 'Variant', de: 'Variante' },
  weight: { en: 'Weight', de: 'Gewicht' },
  exposures: { en: 'Exposures', de: 'Teilnehmer' },
  conversions: { en: 'Conversions', de: 'Erfolge' },
  rate: { en: 'Conversion rate', de: 'Erfolgsquote' },
  interval: { en: '95% interval', de: '95-%-Intervall' },
  beats: { en: 'Probability to beat control', de: 'Wahrscheinlichkeit, die Kontrolle zu schlagen' },
  control: { en: 'control', de: 'Kontrolle' },
} satisfies Record<string, Text>;

function percent(lang: Lang, value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '–';
  return new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    style: 'percent',
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

function goalText(lang: Lang, row: Pick<ExperimentRow, 'goal_kind' | 'goal_path'>): string {
  const name = tr(lang, goalNames[row.goal_kind as GoalKind] ?? { en: row.goal_kind, de: row.goal_kind });
  return row.goal_kind === 'pageview' && row.goal_path ? `${name}: ${row.goal_path}` : name;
}

/** The form's values as typed (after a refused submission) or from the stored experiment. */
export type FormValues = Record<string, string | undefined>;

export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

function valuesOf(row?: ExperimentRow): FormValues {
  const variants = row ? parseVariants(row.variants) : [{ key: 'control', weight: 50 }];
  const values: FormValues = {
    key: row?.key ?? '',
    name: row?.name ?? '',
    changes: row?.changes ?? '',
    goal_kind: row?.goal_kind ?? 'add-to-basket',
    goal_path: row?.goal_path ?? '',
  };
  variants.forEach((v, i) => {
    values[`variant_key_${i + 1}`] = v.key;
    values[`variant_weight_${i + 1}`] = String(v.weight);
  });
  return values;
}

const LABELS: FieldLabels = {
  key: T.key,
  name: T.name,
  changes: { en: 'What it changes', de: 'Was es ändert' },
  goal_kind: T.goal,
  goal_path: { en: 'Path of the goal page', de: 'Pfad der Zielseite' },
  ...Object.fromEntries(
    Array.from({ length: MAX_VARIANTS }, (_, i) => [
      [`variant_key_${i + 1}`, { en: `Variant ${i + 1}: key`, de: `Variante ${i + 1}: Schlüssel` }],
      [`variant_weight_${i + 1}`, { en: `Variant ${i + 1}: weight`, de: `Variante ${i + 1}: Gewicht` }],
    ]).flat(),
  ),
};
const ORDER = Object.keys(LABELS);

function detailsFields(ctx: PageContext, state: FormState): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const v = (name: string) => state.values[name] ?? '';
  const invalid = (name: string) => (state.errors[name] ? html` aria-invalid="true"` : '');
  return html`${Object.keys(state.errors).length > 0 ? errorSummary(ctx.lang, { en: 'Nothing was saved.', de: 'Es wurde nichts gespeichert.' }, state.errors, LABELS, ORDER) : ''}
<div class="field"><label for="f-key">${t(T.key)}</label><p class="hint" id="f-key-hint">${t({ en: 'What features ask for: lower-case letters, digits and hyphens, e.g. product-cta.', de: 'Wonach Funktionen fragen: Kleinbuchstaben, Ziffern und Bindestriche, z. B. product-cta.' })}</p><input id="f-key" name="key" maxlength="41" required aria-describedby="f-key-hint"${invalid('key')} value="${v('key')}"></div>
<div class="field"><label for="f-name">${t(T.name)}</label><input id="f-name" name="name" maxlength="200" required${invalid('name')} value="${v('name')}"></div>
<div class="field"><label for="f-changes">${t({ en: 'What it changes (page or feature)', de: 'Was es ändert (Seite oder Funktion)' })}</label><textarea id="f-changes" name="changes" rows="2" maxlength="2000" required${invalid('changes')}>${v('changes')}</textarea></div>
<div class="field"><label for="f-goal_kind">${t(T.goal)}</label><select id="f-goal_kind" name="goal_kind"${invalid('goal_kind')}>${GOAL_KINDS.map((g) => html`<option value="${g}"${v('goal_kind') === g ? html` selected` : ''}>${t(goalNames[g])}</option>`)}</select></div>
<div class="field"><label for="f-goal_path">${t({ en: 'Path of the goal page (for a page view)', de: 'Pfad der Zielseite (bei einem Seitenaufruf)' })}</label><input id="f-goal_path" name="goal_path" maxlength="500"${invalid('goal_path')} value="${v('goal_path')}"></div>
<fieldset class="field"><legend>${t({ en: 'Variants (2 to 5; the first is the control)', de: 'Varianten (2 bis 5; die erste ist die Kontrolle)' })}</legend>
${Array.from(
  { length: MAX_VARIANTS },
  (_, i) =>
    html`<div class="variant-row"><label for="f-variant_key_${i + 1}">${tr(ctx.lang, LABELS[`variant_key_${i + 1}`]!)}</label><input id="f-variant_key_${i + 1}" name="variant_key_${i + 1}" maxlength="41" size="16"${invalid(`variant_key_${i + 1}`)} value="${v(`variant_key_${i + 1}`)}">
<label for="f-variant_weight_${i + 1}">${tr(ctx.lang, LABELS[`variant_weight_${i + 1}`]!)}</label><input id="f-variant_weight_${i + 1}" name="variant_weight_${i + 1}" inputmode="numeric" size="5"${invalid(`variant_weight_${i + 1}`)} value="${v(`variant_weight_${i + 1}`)}"></div>`,
)}
</fieldset>`;
}

export function experimentListPage(ctx: PageContext, rows: ExperimentRow[], form?: FormState): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.experiments);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Only visitors who consented to statistics take part, by lot drawn from their pseudonym; everyone else sees the control and is not counted. Results are aggregates per variant.', de: 'Nur Besucher, die in Statistik eingewilligt haben, nehmen teil, per Los aus ihrem Pseudonym; alle anderen sehen die Kontrolle und werden nicht gezählt. Ergebnisse sind Summen je Variante.' })}</p>
${
  rows.length === 0
    ? html`<p>${t({ en: 'No experiments yet.', de: 'Noch keine Experimente.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${t(T.name)}</th><th scope="col">${t(T.key)}</th><th scope="col">${t(T.state)}</th><th scope="col">${t(T.goal)}</th><th scope="col">${t(T.created)}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td data-label="${t(T.name)}"><a href="/staff/experiments/${r.id}">${r.name}</a></td><td data-label="${t(T.key)}"><code>${r.key}</code></td><td data-label="${t(T.state)}">${t(stateNames[r.state] ?? { en: r.state, de: r.state })}</td><td data-label="${t(T.goal)}">${goalText(ctx.lang, r)}</td><td data-label="${t(T.created)}">${formatTime(ctx.lang, r.created_at, ctx.timeZone)}</td></tr>`)}</tbody></table>`
}
<h2>${t({ en: 'New experiment', de: 'Neues Experiment' })}</h2>
<form method="post" action="/staff/experiments">${csrfField(ctx)}
${detailsFields(ctx, form ?? { values: valuesOf(), errors: {} })}
<button type="submit">${t({ en: 'Create experiment', de: 'Experiment anlegen' })}</button>
</form>`,
  );
}

export function experimentPage(ctx: PageContext, row: ExperimentRow, notice?: string, form?: FormState): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const id = row.id;
  const action = (path: string, label: Text) =>
    html`<form method="post" action="/staff/experiments/${id}/${path}" class="inline">${csrfField(ctx)}<button type="submit">${t(label)}</button></form>`;
  const variants = parseVariants(row.variants);
  return layout(
    ctx,
    row.name,
    html`<h1>${row.name}</h1>
${notice === 'saved' ? html`<p role="status" class="notice">${t({ en: 'Saved.', de: 'Gespeichert.' })}</p>` : ''}
<p>${t(T.state)}: <strong>${t(stateNames[row.state] ?? { en: row.state, de: row.state })}</strong> · <code>${row.key}</code> · ${goalText(ctx.lang, row)} · <a href="/staff/experiments/${id}/results">${t(T.results)}</a></p>
<p>${row.changes}</p>
<ul>${variants.map((v, i) => html`<li><code>${v.key}</code>${i === 0 ? html` (${t(T.control)})` : ''}: ${t(T.weight)} ${v.weight}</li>`)}</ul>
<div class="actions">
${row.state === 'draft' ? action('start', { en: 'Start experiment', de: 'Experiment starten' }) : ''}
${row.state === 'running' ? html`<a class="button" href="/staff/experiments/${id}/stop">${t({ en: 'Stop experiment…', de: 'Experiment beenden …' })}</a>` : ''}
${row.state === 'draft' ? action('delete', { en: 'Delete draft', de: 'Entwurf löschen' }) : ''}
</div>
${
  row.state === 'draft'
    ? html`<h2>${t({ en: 'Details', de: 'Angaben' })}</h2>
<form method="post" action="/staff/experiments/${id}">${csrfField(ctx)}
${detailsFields(ctx, form ?? { values: valuesOf(row), errors: {} })}
<button type="submit">${t({ en: 'Save details', de: 'Angaben speichern' })}</button>
</form>`
    : html`<p>${t({ en: 'A started experiment can no longer be changed.', de: 'Ein gestartetes Experiment lässt sich nicht mehr ändern.' })}</p>`
}
<p><a href="/staff/experiments">${t(T.all)}</a></p>`,
  );
}

export function stopExperimentPage(ctx: PageContext, row: ExperimentRow): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = tr(ctx.lang, { en: 'Stop “{name}”?', de: '„{name}“ beenden?' }, { name: row.name });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Everyone will see the control again. The figures per variant are kept; the individual assignments are deleted and the experiment cannot be restarted.', de: 'Alle sehen wieder die Kontrolle. Die Zahlen je Variante bleiben erhalten; die einzelnen Zuteilungen werden gelöscht und das Experiment kann nicht wieder gestartet werden.' })}</p>
<form method="post" action="/staff/experiments/${row.id}/stop">${csrfField(ctx)}<button type="submit">${t({ en: 'Stop experiment', de: 'Experiment beenden' })}</button></form>
<p><a href="/staff/experiments/${row.id}">${t({ en: 'Keep it running', de: 'Weiterlaufen lassen' })}</a></p>`,
  );
}

const CHART_WIDTH = 600;
const LABEL_WIDTH = 140;
const ROW_HEIGHT = 40;

/** Each variant's rate as a dot on its 95% interval, on a common scale; the figures are in the table too. */
function resultsChart(ctx: PageContext, results: VariantResult[]): SafeHtml {
  const lang = ctx.lang;
  const max = Math.min(1, Math.max(0.01, ...results.map((r) => r.interval?.high ?? 0)) * 1.1);
  const plot = CHART_WIDTH - LABEL_WIDTH - 20;
  const x = (v: number) => Math.round((LABEL_WIDTH + (v / max) * plot) * 10) / 10;
  const height = results.length * ROW_HEIGHT + 30;
  const summary = results
    .map((r) =>
      r.rate === null
        ? tr(lang, { en: '{v}: no exposures yet', de: '{v}: noch keine Teilnehmer' }, { v: r.key })
        : tr(
            lang,
            { en: '{v}: {rate} (95% interval {low} to {high})', de: '{v}: {rate} (95-%-Intervall {low} bis {high})' },
            {
              v: r.key,
              rate: percent(lang, r.rate),
              low: percent(lang, r.interval?.low),
              high: percent(lang, r.interval?.high),
            },
          ),
    )
    .join('; ');
  const title = tr(lang, { en: 'Conversion rate per variant', de: 'Erfolgsquote je Variante' });
  return html`<figure class="experiment-chart">
<svg viewBox="0 0 ${CHART_WIDTH} ${height}" role="img" aria-labelledby="rates-title rates-desc" xmlns="http://www.w3.org/2000/svg">
<title id="rates-title">${title}</title>
<desc id="rates-desc">${summary}.</desc>
${results.map((r, i) => {
  const y = i * ROW_HEIGHT + 24;
  return html`<text x="0" y="${y + 5}" font-size="16" fill="#222228">${r.key}</text>
${
  r.rate === null || !r.interval
    ? html`<text x="${LABEL_WIDTH}" y="${y + 5}" font-size="14" fill="#55555f">–</text>`
    : html`<line x1="${x(r.interval.low)}" y1="${y}" x2="${x(r.interval.high)}" y2="${y}" stroke="#0b5cad" stroke-width="3"/>
<line x1="${x(r.interval.low)}" y1="${y - 8}" x2="${x(r.interval.low)}" y2="${y + 8}" stroke="#0b5cad" stroke-width="2"/>
<line x1="${x(r.interval.high)}" y1="${y - 8}" x2="${x(r.interval.high)}" y2="${y + 8}" stroke="#0b5cad" stroke-width="2"/>
<circle cx="${x(r.rate)}" cy="${y}" r="6" fill="#0b5cad"/>`
}`;
})}
<line x1="${LABEL_WIDTH}" y1="${height - 22}" x2="${LABEL_WIDTH + plot}" y2="${height - 22}" stroke="#8a8a95"/>
<text x="${LABEL_WIDTH}" y="${height - 4}" font-size="14" fill="#55555f">${percent(lang, 0, 0)}</text>
<text x="${LABEL_WIDTH + plot}" y="${height - 4}" font-size="14" fill="#55555f" text-anchor="end">${percent(lang, max)}</text>
</svg>
<figcaption>${title}: ${summary}.</figcaption>
</figure>`;
}

export function experimentResultsPage(ctx: PageContext, report: ExperimentReport): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const { row, results } = report;
  const title = tr(ctx.lang, { en: 'Results: {name}', de: 'Ergebnisse: {name}' }, { name: row.name });
  const source: Record<ExperimentReport['source'], Text> = {
    assignments: {
      en: 'Running: figures from the current assignments; conversions are marked every 5 minutes.',
      de: 'Läuft: Zahlen aus den aktuellen Zuteilungen; Erfolge werden alle 5 Minuten erfasst.',
    },
    aggregates: {
      en: 'Stopped: figures kept when the experiment stopped.',
      de: 'Beendet: Zahlen, die beim Beenden des Experiments festgehalten wurden.',
    },
    none: { en: 'Not started yet: no figures.', de: 'Noch nicht gestartet: keine Zahlen.' },
  };
  const head = [T.variant, T.exposures, T.conversions, T.rate, T.interval, T.beats].map(t);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t(source[report.source])} ${t(T.goal)}: ${goalText(ctx.lang, row)}.</p>
${resultsChart(ctx, results)}
<table class="stack"><caption>${t({ en: 'Figures per variant', de: 'Zahlen je Variante' })}</caption>
<thead><tr>${head.map((h) => html`<th scope="col">${h}</th>`)}</tr></thead>
<tbody>${results.map(
      (r, i) =>
        html`<tr><th scope="row" data-label="${head[0]}"><code>${r.key}</code>${i === 0 ? html` (${t(T.control)})` : ''}</th><td data-label="${head[1]}">${r.exposures}</td><td data-label="${head[2]}">${r.conversions}</td><td data-label="${head[3]}">${percent(ctx.lang, r.rate)}</td><td data-label="${head[4]}">${r.interval ? `${percent(ctx.lang, r.interval.low)} – ${percent(ctx.lang, r.interval.high)}` : '–'}</td><td data-label="${head[5]}">${r.beatsControl === null ? '–' : percent(ctx.lang, r.beatsControl)}</td></tr>`,
    )}</tbody></table>
<p class="hint">${t({ en: 'Interval: Wilson score, 95%. Probability to beat the control: Beta(1 + conversions, 1 + non-conversions) posteriors, by normal approximation.', de: 'Intervall: Wilson-Score, 95 %. Wahrscheinlichkeit, die Kontrolle zu schlagen: Beta(1 + Erfolge, 1 + Nicht-Erfolge)-Posteriori, per Normalapproximation.' })}</p>
<p><a href="/staff/experiments/${row.id}">${t({ en: 'Back to the experiment', de: 'Zurück zum Experiment' })}</a> · <a href="/staff/experiments">${t(T.all)}</a></p>`,
  );
}
