// Pages of the product import: the upload form with the expected columns and the earlier imports, the progress of
// one import (reloaded every 2 s by the Refresh header until it has finished, no script needed) with its report of
// rejected rows, and the page of a refused file.
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';
import {
  IMPORT_MAX_MB,
  IMPORT_MAX_ROWS,
  OPTIONAL_COLUMNS,
  REQUIRED_COLUMNS,
  type ImportView,
} from './catalog.import.ts';

const stateNames: Record<ImportView['state'], Text> = {
  running: { en: 'Running', de: 'Läuft' },
  finished: { en: 'Finished', de: 'Abgeschlossen' },
  failed: { en: 'Failed', de: 'Fehlgeschlagen' },
  waiting: { en: 'Waiting', de: 'Wartet' },
};

const counts = (ctx: PageContext, i: ImportView) =>
  tr(
    ctx.lang,
    {
      en: '{done} of {total} rows processed: {created} created, {updated} updated, {rejected} rejected.',
      de: '{done} von {total} Zeilen verarbeitet: {created} angelegt, {updated} aktualisiert, {rejected} abgelehnt.',
    },
    {
      done: i.done,
      total: i.total,
      created: i.created_count,
      updated: i.updated_count,
      rejected: new Set(i.rejected.map((r) => r.line)).size,
    },
  );

export function importPage(ctx: PageContext, model: { imports: ImportView[]; next: string | undefined }): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Import products', de: 'Produkte importieren' });
  const cols = {
    started: t({ en: 'Started', de: 'Gestartet' }),
    state: t({ en: 'State', de: 'Status' }),
    progress: t({ en: 'Progress', de: 'Fortschritt' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/products">${t({ en: 'Back to the products', de: 'Zurück zu den Produkten' })}</a></p>
<h2>${t({ en: 'Upload a CSV file', de: 'CSV-Datei hochladen' })}</h2>
<p>${t({ en: 'UTF-8 text with a header row; columns separated by commas (or semicolons). A row whose slug exists updates that product; any other row creates one. Each row is checked by the rules of the product form; rows with mistakes are left out and listed with their line.', de: 'UTF-8-Text mit Kopfzeile; Spalten durch Kommas (oder Semikolons) getrennt. Eine Zeile, deren Slug bereits existiert, aktualisiert dieses Produkt; jede andere Zeile legt ein neues an. Jede Zeile wird nach den Regeln des Produktformulars geprüft; fehlerhafte Zeilen werden ausgelassen und mit ihrer Zeilennummer aufgeführt.' })}</p>
<dl class="import-columns">
<dt>${t({ en: 'Required columns', de: 'Pflichtspalten' })}</dt><dd><code>${REQUIRED_COLUMNS.join(', ')}</code></dd>
<dt>${t({ en: 'Optional columns', de: 'Optionale Spalten' })}</dt><dd><code>${OPTIONAL_COLUMNS.join(', ')}</code></dd>
<dt><code>kind</code></dt><dd>software, hardware, expansion, bundle</dd>
<dt><code>price</code></dt><dd>${t({ en: 'Gross price in euros, e.g. 199.00 or 199,00', de: 'Bruttopreis in Euro, z. B. 199,00 oder 199.00' })}</dd>
<dt><code>stock</code></dt><dd>${t({ en: 'Whole number; required for hardware', de: 'Ganze Zahl; für Hardware erforderlich' })}</dd>
<dt><code>category</code></dt><dd>${t({ en: 'The slug of an existing category, or empty', de: 'Der Slug einer bestehenden Kategorie oder leer' })}</dd>
<dt><code>contents</code></dt><dd>${t({ en: 'For a bundle: the slugs of its products, separated by spaces', de: 'Für ein Paket: die Slugs seiner Produkte, durch Leerzeichen getrennt' })}</dd>
</dl>
<form method="post" action="/staff/products/import" enctype="multipart/form-data">${csrfField(ctx)}
<label for="import-file">${t({ en: 'CSV file', de: 'CSV-Datei' })}</label>
<p class="hint" id="import-file-hint">${t({ en: 'At most {mb} MB and {rows} rows.', de: 'Höchstens {mb} MB und {rows} Zeilen.' }, { mb: IMPORT_MAX_MB, rows: IMPORT_MAX_ROWS.toLocaleString(ctx.lang === 'de' ? 'de-DE' : 'en-GB') })}</p>
<input type="file" id="import-file" name="file" accept=".csv,text/csv" aria-describedby="import-file-hint" required>
<p><button type="submit">${t({ en: 'Import', de: 'Importieren' })}</button></p>
</form>
<h2>${t({ en: 'Earlier imports', de: 'Frühere Importe' })}</h2>
${
  model.imports.length === 0
    ? html`<p>${t({ en: 'No imports yet.', de: 'Noch keine Importe.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${cols.started}</th><th scope="col">${cols.state}</th><th scope="col">${cols.progress}</th></tr></thead>
<tbody>${model.imports.map(
        (i) =>
          html`<tr><td data-label="${cols.started}"><a href="/staff/products/import/${i.id}">${formatTime(ctx.lang, i.created_at, ctx.timeZone)}</a></td><td data-label="${cols.state}">${t(stateNames[i.state])}</td><td data-label="${cols.progress}">${counts(ctx, i)}</td></tr>`,
      )}</tbody></table>
${model.next ? html`<p><a href="/staff/products/import?before=${model.next}" rel="next">${t({ en: 'Older imports', de: 'Ältere Importe' })}</a></p>` : ''}`
}`,
  );
}

export function importProgressPage(ctx: PageContext, view: ImportView): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Product import', de: 'Produktimport' });
  const percent = view.total === 0 ? 100 : Math.floor((view.done / view.total) * 100);
  const cols = {
    line: t({ en: 'Line', de: 'Zeile' }),
    column: t({ en: 'Column', de: 'Spalte' }),
    reason: t({ en: 'Reason', de: 'Grund' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p><a href="/staff/products/import">${t({ en: 'All imports', de: 'Alle Importe' })}</a></p>
<p class="import-state">${t({ en: 'State', de: 'Status' })}: <strong>${t(stateNames[view.state])}</strong></p>
<p role="status"><progress max="${view.total}" value="${view.done}" aria-label="${t({ en: 'Import progress', de: 'Fortschritt des Imports' })}">${percent} %</progress> ${counts(ctx, view)}</p>
${view.state === 'running' || view.state === 'waiting' ? html`<p class="hint">${t({ en: 'This page reloads every 2 seconds until the import has finished.', de: 'Diese Seite lädt sich alle 2 Sekunden neu, bis der Import abgeschlossen ist.' })}</p>` : ''}
${view.state === 'waiting' ? html`<p class="import-waiting">${t({ en: 'The import has not advanced for a minute: the shop’s background worker is not running or was restarted. It continues by itself where it stopped as soon as the worker runs again; there is no need to import the file again.', de: 'Der Import ist seit einer Minute nicht vorangekommen: Der Hintergrunddienst des Shops läuft nicht oder wurde neu gestartet. Sobald er wieder läuft, setzt er den Import selbständig an der unterbrochenen Stelle fort; die Datei muss nicht erneut importiert werden.' })}</p>` : ''}
${view.state === 'failed' ? errorSummary(ctx.lang, { en: 'The import failed because of a fault of the shop. The rows up to the count above were saved; please import the file again: rows already saved are updated, not duplicated.', de: 'Der Import ist wegen eines Fehlers des Shops fehlgeschlagen. Die Zeilen bis zur obigen Anzahl wurden gespeichert; bitte importieren Sie die Datei erneut: Bereits gespeicherte Zeilen werden aktualisiert, nicht verdoppelt.' }) : ''}
<h2>${t({ en: 'Rejected rows', de: 'Abgelehnte Zeilen' })}</h2>
${
  view.rejected.length === 0
    ? html`<p>${view.state === 'running' || view.state === 'waiting' ? t({ en: 'None so far.', de: 'Bisher keine.' }) : t({ en: 'None: every row was saved.', de: 'Keine: Jede Zeile wurde gespeichert.' })}</p>`
    : html`<table class="stack import-rejected"><thead><tr><th scope="col">${cols.line}</th><th scope="col">${cols.column}</th><th scope="col">${cols.reason}</th></tr></thead>
<tbody>${view.rejected.map(
        (r) =>
          html`<tr><td data-label="${cols.line}">${r.line}</td><td data-label="${cols.column}">${r.column ? html`<code>${r.column}</code>` : '—'}</td><td data-label="${cols.reason}">${t(r.reason)}</td></tr>`,
      )}</tbody></table>`
}`,
  );
}

export function importErrorPage(ctx: PageContext, message: Text): string {
  const title = tr(ctx.lang, { en: 'The file was not imported', de: 'Die Datei wurde nicht importiert' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, message)}
<p><a href="/staff/products/import">${tr(ctx.lang, { en: 'Back to the import', de: 'Zurück zum Import' })}</a></p>`,
  );
}
