// The licences part of "My products": keys and active machines (deactivate here).
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { ActivationsTable, LicencesTable } from './licences.tables.ts';
import { type PageContext, csrfField } from '../../web/index.ts';

export interface LicenceRow {
  licence: LicencesTable;
  title: string;
  activations: ActivationsTable[];
}

export function licencesSection(ctx: PageContext, rows: LicenceRow[]): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  return html`<h2>${t({ en: 'Software licences', de: 'Softwarelizenzen' })}</h2>
${
  rows.length === 0
    ? html`<p>${t({ en: 'No licences yet.', de: 'Noch keine Lizenzen.' })}</p>`
    : html`<ul class="licences">${rows.map(
        (r) => html`<li>
  <h3>${r.title}</h3>
  <p>${t({ en: 'Licence key', de: 'Lizenzschlüssel' })}: <code class="licence-key">${r.licence.licence_key}</code></p>
  <p>${t({ en: '{n} of {max} activations in use.', de: '{n} von {max} Aktivierungen belegt.' }, { n: r.activations.length, max: r.licence.max_activations })}</p>
  ${
    r.activations.length > 0
      ? html`<ul>${r.activations.map(
          (
            a,
          ) => html`<li>${t({ en: 'Machine {m}…, activated {at}', de: 'Rechner {m}…, aktiviert {at}' }, { m: a.machine_hash.slice(0, 12), at: formatTime(ctx.lang, a.activated_at, ctx.timeZone) })}
      <form method="post" action="/account/products/licences/${r.licence.licence_key}/activations/${a.id}/deactivate" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t({ en: 'Deactivate', de: 'Deaktivieren' })}</button></form></li>`,
        )}</ul>`
      : ''
  }
</li>`,
      )}</ul>`
}`;
}
