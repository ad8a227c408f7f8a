// The legal texts' pages: the published document for everyone, and for staff the list, the editor (each save a
// new version) and each old version. Pure functions from a model to HTML; the texts are plain text, escaped.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, layout, type PageContext } from '../../web/index.ts';
import { BODY_MAX, LEGAL_NAMES, LEGAL_PATHS, TITLE_MAX } from './legal.service.ts';
import { LEGAL_DOCS, type LegalDoc, type LegalTextsTable } from './legal.tables.ts';

/** Plain text as HTML: blank lines part paragraphs, a line starting with "## " is a heading (h2). */
export function legalBody(body: string): SafeHtml {
  const blocks = body.trim().split(/\n{2,}/);
  return html`${blocks.map((block) => {
    const lines = block.split('\n');
    const parts: SafeHtml[] = [];
    let paragraph: string[] = [];
    const flush = () => {
      if (paragraph.length > 0)
        parts.push(html`<p>${paragraph.map((l, i) => (i === 0 ? html`${l}` : html`<br>${l}`))}</p>`);
      paragraph = [];
    };
    for (const line of lines) {
      const heading = /^##\s+(.*)$/.exec(line);
      if (heading) {
        flush();
        parts.push(html`<h2>${heading[1] ?? ''}</h2>`);
      } else paragraph.push(line);
    }
    flush();
    return html`${parts}`;
  })}`;
}

const titleOf = (ctx: PageContext, row: Pick<LegalTextsTable, 'title_en' | 'title_de'>) =>
  ctx.lang === 'de' ? row.title_de : row.title_en;

const roleNames: Record<string, Text> = {
  staff: { en: 'staff', de: 'Team' },
  admin: { en: 'admin', de: 'Administration' },
  demo: { en: 'demo text', de: 'Demo-Text' },
};
const roleName = (ctx: PageContext, role: string) => (roleNames[role] ? tr(ctx.lang, roleNames[role]) : role);

export function legalPage(ctx: PageContext, doc: LegalDoc, row: LegalTextsTable | undefined): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  if (!row) {
    const title = t(LEGAL_NAMES[doc]);
    return layout(
      ctx,
      title,
      html`<h1>${title}</h1>
<p>${t({ en: 'This text has not been published yet. Please contact us if you need it.', de: 'Dieser Text ist noch nicht veröffentlicht. Bitte wenden Sie sich an uns, wenn Sie ihn benötigen.' })}</p>`,
    );
  }
  const title = titleOf(ctx, row);
  return layout(
    ctx,
    title,
    html`<article class="legal-text">
<h1>${title}</h1>
<p class="hint">${t({ en: 'Version {v} of {at}', de: 'Fassung {v} vom {at}' }, { v: row.version, at: formatTime(ctx.lang, row.created_at, ctx.timeZone) })}</p>
${legalBody(ctx.lang === 'de' ? row.body_de : row.body_en)}
</article>`,
  );
}

export function staffLegalIndexPage(
  ctx: PageContext,
  current: Partial<Record<LegalDoc, LegalTextsTable>>,
  options: { ordersBlocked?: boolean } = {},
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Legal texts', de: 'Rechtstexte' });
  const head = {
    doc: t({ en: 'Text', de: 'Text' }),
    version: t({ en: 'Current version', de: 'Aktuelle Fassung' }),
    saved: t({ en: 'Saved', de: 'Gespeichert' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${options.ordersBlocked ? html`<div class="error-summary" role="alert"><p>${t({ en: 'The checkout refuses every order until the terms and conditions and the withdrawal policy are both published: write them here.', de: 'Die Kasse lehnt jede Bestellung ab, bis die AGB und die Widerrufsbelehrung beide veröffentlicht sind: Schreiben Sie sie hier.' })}</p></div>` : ''}
<p>${t({ en: 'Each save is a new version; earlier versions stay readable here, and every order records the versions of the terms and the withdrawal policy its customer accepted.', de: 'Jedes Speichern legt eine neue Fassung an; frühere Fassungen bleiben hier lesbar, und jede Bestellung hält fest, welche Fassungen der AGB und der Widerrufsbelehrung der Kunde akzeptiert hat.' })}</p>
<table class="stack">
<thead><tr><th scope="col">${head.doc}</th><th scope="col">${head.version}</th><th scope="col">${head.saved}</th></tr></thead>
<tbody>${LEGAL_DOCS.map((doc) => {
      const row = current[doc];
      return html`<tr><th scope="row"><a href="/staff/legal/${doc}">${t(LEGAL_NAMES[doc])}</a></th><td data-label="${head.version}">${row ? row.version : t({ en: 'none yet', de: 'noch keine' })}</td><td data-label="${head.saved}">${row ? `${formatTime(ctx.lang, row.created_at, ctx.timeZone)} (${roleName(ctx, row.author_role)})` : '–'}</td></tr>`;
    })}</tbody>
</table>`,
  );
}

export type LegalFormValues = Partial<Record<'title_en' | 'title_de' | 'body_en' | 'body_de', string>>;

export function staffLegalEditPage(
  ctx: PageContext,
  doc: LegalDoc,
  current: LegalTextsTable | undefined,
  versions: Pick<LegalTextsTable, 'version' | 'author_role' | 'created_at'>[],
  options: { values?: LegalFormValues; errors?: Record<string, Text>; message?: Text; saved?: boolean } = {},
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = `${t({ en: 'Edit', de: 'Bearbeiten' })}: ${t(LEGAL_NAMES[doc])}`;
  const errors = options.errors ?? {};
  const value = (f: keyof LegalFormValues) => options.values?.[f] ?? current?.[f] ?? '';
  const field = (f: keyof LegalFormValues, label: Text, multiline: boolean) => {
    const id = `f-${f}`;
    const error = errors[f];
    const described = error ? html` aria-invalid="true" aria-describedby="${id}-error"` : '';
    return html`<div class="field"><label for="${id}">${t(label)}</label>
${error ? html`<p class="field-error" id="${id}-error">${t(error)}</p>` : ''}
${
  multiline
    ? html`<textarea id="${id}" name="${f}" rows="20" maxlength="${BODY_MAX}" required${described}>${value(f)}</textarea>`
    : html`<input id="${id}" type="text" name="${f}" value="${value(f)}" maxlength="${TITLE_MAX}" required${described}>`
}</div>`;
  };
  const head = {
    version: t({ en: 'Version', de: 'Fassung' }),
    saved: t({ en: 'Saved', de: 'Gespeichert' }),
    by: t({ en: 'By', de: 'Von' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${options.saved ? html`<p class="notice" role="status">${t({ en: 'Saved as version {v}; it is published now.', de: 'Als Fassung {v} gespeichert; sie ist jetzt veröffentlicht.' }, { v: current?.version ?? '' })}</p>` : ''}
${options.message ? html`<div class="error-summary" role="alert"><p>${t(options.message)}</p></div>` : ''}
<p><a href="${LEGAL_PATHS[doc]}">${t({ en: 'Published page', de: 'Veröffentlichte Seite' })}</a>. ${t({ en: 'Plain text: a blank line starts a new paragraph, a line beginning with “## ” is a heading.', de: 'Reiner Text: Eine Leerzeile beginnt einen neuen Absatz, eine Zeile mit „## “ am Anfang ist eine Überschrift.' })}</p>
<form method="post" action="/staff/legal/${doc}" novalidate>
  ${csrfField(ctx)}
  <input type="hidden" name="base_version" value="${current?.version ?? 0}">
  <fieldset><legend>English</legend>
    ${field('title_en', { en: 'Title (English)', de: 'Titel (Englisch)' }, false)}
    ${field('body_en', { en: 'Text (English)', de: 'Text (Englisch)' }, true)}
  </fieldset>
  <fieldset><legend>Deutsch</legend>
    ${field('title_de', { en: 'Title (German)', de: 'Titel (Deutsch)' }, false)}
    ${field('body_de', { en: 'Text (German)', de: 'Text (Deutsch)' }, true)}
  </fieldset>
  <p><button type="submit">${t({ en: 'Save as new version', de: 'Als neue Fassung speichern' })}</button></p>
</form>
<h2>${t({ en: 'Versions', de: 'Fassungen' })}</h2>
${
  versions.length === 0
    ? html`<p>${t({ en: 'No version yet.', de: 'Noch keine Fassung.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.version}</th><th scope="col">${head.saved}</th><th scope="col">${head.by}</th></tr></thead>
<tbody>${versions.map((v) => html`<tr><th scope="row"><a href="/staff/legal/${doc}/versions/${v.version}">${v.version}</a></th><td data-label="${head.saved}">${formatTime(ctx.lang, v.created_at, ctx.timeZone)}</td><td data-label="${head.by}">${roleName(ctx, v.author_role)}</td></tr>`)}</tbody></table>`
}
<p><a href="/staff/legal">${t({ en: 'All legal texts', de: 'Alle Rechtstexte' })}</a></p>`,
  );
}

export function staffLegalVersionPage(ctx: PageContext, row: LegalTextsTable, latest: number): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = `${t(LEGAL_NAMES[row.doc])}, ${t({ en: 'version {v}', de: 'Fassung {v}' }, { v: row.version })}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p class="hint">${t({ en: 'Saved {at} by {by}.', de: 'Gespeichert am {at} von {by}.' }, { at: formatTime(ctx.lang, row.created_at, ctx.timeZone), by: roleName(ctx, row.author_role) })} ${row.version === latest ? t({ en: 'This is the current version.', de: 'Dies ist die aktuelle Fassung.' }) : t({ en: 'A newer version replaced it; orders placed under it keep naming it.', de: 'Eine neuere Fassung hat sie ersetzt; Bestellungen unter ihr verweisen weiter auf sie.' })}</p>
<section lang="en"><h2>${row.title_en}</h2>${legalBody(row.body_en)}</section>
<section lang="de"><h2>${row.title_de}</h2>${legalBody(row.body_de)}</section>
<p><a href="/staff/legal/${row.doc}">${t({ en: 'Back to the editor', de: 'Zurück zum Editor' })}</a></p>`,
  );
}
