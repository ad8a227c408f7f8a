// "My products" (licences from the licences feature, and hardware), and the staff page: registrations and the
// review queue of disputed ones.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import type { ReviewReason } from './registrations.tables.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';

export interface RegistrationRow {
  id: string;
  serial: string;
  title: string;
  registeredAt: number;
}

export function registrationsSection(
  ctx: PageContext,
  rows: RegistrationRow[],
  hardware: { id: string; title: string }[],
  error?: Text,
): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<h2>${t({ en: 'Registered hardware', de: 'Registrierte Hardware' })}</h2>
${
  rows.length === 0
    ? html`<p>${t({ en: 'No hardware registered yet.', de: 'Noch keine Hardware registriert.' })}</p>`
    : html`<ul>${rows.map(
        (r) => html`<li>${r.title}: <code>${r.serial}</code> (${formatTime(ctx.lang, r.registeredAt, ctx.timeZone)})
    <form method="post" action="/account/products/registrations/${r.id}/release" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t({ en: 'Release (sold or given away)', de: 'Freigeben (verkauft oder verschenkt)' })}</button></form></li>`,
      )}</ul>`
}
<form method="post" action="/account/products/registrations" novalidate>
  ${csrfField(ctx)}
  ${error ? html`<p class="field-error" role="alert">${t(error)}</p>` : ''}
  <label for="reg-product">${t({ en: 'Product', de: 'Produkt' })}</label>
  <select id="reg-product" name="productId">${hardware.map((p) => html`<option value="${p.id}">${p.title}</option>`)}</select>
  <label for="reg-serial">${t({ en: 'Serial number (e.g. TF-2026-AB12CD)', de: 'Seriennummer (z. B. TF-2026-AB12CD)' })}</label>
  <input id="reg-serial" type="text" name="serial" maxlength="20" autocomplete="off">
  <label for="reg-order">${t({ en: 'Order number (optional: proof if you bought the device from us and it is registered to someone else)', de: 'Bestellnummer (freiwillig: Nachweis, wenn Sie das Gerät bei uns gekauft haben und es für jemand anderen registriert ist)' })}</label>
  <input id="reg-order" type="text" name="orderNumber" maxlength="40" autocomplete="off">
  <p><button type="submit">${t({ en: 'Register', de: 'Registrieren' })}</button></p>
</form>`;
}

export interface ReviewRow {
  id: string;
  serial: string;
  title: string;
  userId: string;
  reason: ReviewReason;
  orderNumber: string | null;
  createdAt: number;
  holderUserId: string | null;
  sale: { userId: string; orderNumber: string } | null;
}

const reasonNames: Record<ReviewReason, Text> = {
  'sold-to-another': { en: 'sold to another customer', de: 'an einen anderen Kunden verkauft' },
  'registered-to-another': { en: 'registered to another account', de: 'für ein anderes Konto registriert' },
};

function reviewQueue(ctx: PageContext, reviews: ReviewRow[], error?: Text): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const none = t({ en: 'none', de: 'keine' });
  return html`<h2>${t({ en: 'Waiting for review', de: 'Zu prüfen' })}</h2>
${errorSummary(ctx.lang, error)}
${
  reviews.length === 0
    ? html`<p>${t({ en: 'No disputed registrations.', de: 'Keine strittigen Registrierungen.' })}</p>`
    : html`<table><thead><tr><th scope="col">${t({ en: 'Serial', de: 'Seriennummer' })}</th><th scope="col">${t({ en: 'Product', de: 'Produkt' })}</th><th scope="col">${t({ en: 'Claimed by account', de: 'Beansprucht von Konto' })}</th><th scope="col">${t({ en: 'Why', de: 'Grund' })}</th><th scope="col">${t({ en: 'Order number given', de: 'Angegebene Bestellnummer' })}</th><th scope="col">${t({ en: 'Sold here (order, account)', de: 'Hier verkauft (Bestellung, Konto)' })}</th><th scope="col">${t({ en: 'Registered now to account', de: 'Derzeit registriert für Konto' })}</th><th scope="col">${t({ en: 'Asked', de: 'Angefragt' })}</th><th scope="col">${t({ en: 'Decision', de: 'Entscheidung' })}</th></tr></thead>
<tbody>${reviews.map(
        (
          r,
        ) => html`<tr><td><code>${r.serial}</code></td><td>${r.title}</td><td>${r.userId}</td><td>${t(reasonNames[r.reason])}</td><td>${r.orderNumber ?? none}</td><td>${r.sale ? `${r.sale.orderNumber}, ${r.sale.userId}` : none}</td><td>${r.holderUserId ?? none}</td><td>${formatTime(ctx.lang, r.createdAt, ctx.timeZone)}</td>
<td><form method="post" action="/staff/registrations/reviews/${r.id}" class="inline">${csrfField(ctx)}<button type="submit" name="decision" value="assign">${t({ en: 'Assign to the claimant', de: 'Dem Anfragenden zuordnen' })}</button> <button type="submit" name="decision" value="reject" class="secondary">${t({ en: 'Reject', de: 'Ablehnen' })}</button></form></td></tr>`,
      )}</tbody></table>`
}`;
}

export function staffRegistrationsPage(
  ctx: PageContext,
  rows: (RegistrationRow & { userId: string })[],
  reviews: ReviewRow[],
  error?: Text,
): string {
  const title = tr(ctx.lang, { en: 'Hardware registrations', de: 'Hardware-Registrierungen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${reviewQueue(ctx, reviews, error)}
<h2>${tr(ctx.lang, { en: 'Registered', de: 'Registriert' })}</h2>
<table><thead><tr><th scope="col">${tr(ctx.lang, { en: 'Serial', de: 'Seriennummer' })}</th><th scope="col">${tr(ctx.lang, { en: 'Product', de: 'Produkt' })}</th><th scope="col">${tr(ctx.lang, { en: 'Account', de: 'Konto' })}</th><th scope="col">${tr(ctx.lang, { en: 'Registered', de: 'Registriert' })}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td><code>${r.serial}</code></td><td>${r.title}</td><td>${r.userId}</td><td>${formatTime(ctx.lang, r.registeredAt, ctx.timeZone)}</td></tr>`)}</tbody></table>`,
  );
}

/** "My products": its sections (purchases with keys and downloads, registered hardware) and a notice after a change or a refusal. */
export function productsPage(ctx: PageContext, sections: SafeHtml[], notice?: Text, problem?: Text): string {
  const title = tr(ctx.lang, { en: 'My products', de: 'Meine Produkte' });
  const noticeHtml = notice ? html`<p class="notice" role="status">${tr(ctx.lang, notice)}</p>` : '';
  const problemHtml = errorSummary(ctx.lang, problem);
  return layout(ctx, title, html`<h1>${title}</h1>${noticeHtml}${problemHtml}${sections}`);
}
