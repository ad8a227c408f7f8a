// The hardware part of "My products", and the staff list.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, layout, type PageContext } from '../shell/index.ts';

export interface RegistrationRow {
  id: string;
  serial: string;
  title: string;
  registeredAt: number;
}

export function registrationsSection(ctx: PageContext, rows: RegistrationRow[], hardware: { id: string; title: string }[], error?: Text): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<h2>${t({ en: 'Registered hardware', de: 'Registrierte Hardware' })}</h2>
${rows.length === 0
  ? html`<p>${t({ en: 'No hardware registered yet.', de: 'Noch keine Hardware registriert.' })}</p>`
  : html`<ul>${rows.map(
      (r) => html`<li>${r.title}: <code>${r.serial}</code> (${formatTime(ctx.lang, r.registeredAt)})
    <form method="post" action="/account/products/registrations/${r.id}/release" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t({ en: 'Release (sold or given away)', de: 'Freigeben (verkauft oder verschenkt)' })}</button></form></li>`,
    )}</ul>`}
<form method="post" action="/account/products/registrations" novalidate>
  ${csrfField(ctx)}
  ${error ? html`<p class="field-error" role="alert">${t(error)}</p>` : ''}
  <label for="reg-product">${t({ en: 'Product', de: 'Produkt' })}</label>
  <select id="reg-product" name="productId">${hardware.map((p) => html`<option value="${p.id}">${p.title}</option>`)}</select>
  <label for="reg-serial">${t({ en: 'Serial number (e.g. TF-2026-AB12CD)', de: 'Seriennummer (z. B. TF-2026-AB12CD)' })}</label>
  <input id="reg-serial" type="text" name="serial" maxlength="20" autocomplete="off">
  <p><button type="submit">${t({ en: 'Register', de: 'Registrieren' })}</button></p>
</form>`;
}

export function staffRegistrationsPage(ctx: PageContext, rows: (RegistrationRow & { userId: string })[]): string {
  const title = tr(ctx.lang, { en: 'Hardware registrations', de: 'Hardware-Registrierungen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<table><thead><tr><th scope="col">${tr(ctx.lang, { en: 'Serial', de: 'Seriennummer' })}</th><th scope="col">${tr(ctx.lang, { en: 'Product', de: 'Produkt' })}</th><th scope="col">${tr(ctx.lang, { en: 'Account', de: 'Konto' })}</th><th scope="col">${tr(ctx.lang, { en: 'Registered', de: 'Registriert' })}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><code>${r.serial}</code></td><td>${r.title}</td><td>${r.userId}</td><td>${formatTime(ctx.lang, r.registeredAt)}</td></tr>`)}</tbody></table>`,
  );
}
