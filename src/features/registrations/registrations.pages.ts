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

/** Someone the console names: linked to their customer page; name and address absent once the account is gone. */
export interface ConsolePerson {
  id: string;
  name: string | null;
  email: string | null;
}

/** The sale of a unit here: the order (linked to its staff page) and its buyer. */
export interface ConsoleSale {
  orderId: string;
  orderNumber: string;
  buyer: ConsolePerson;
}

export interface ConsoleRegistration {
  id: string;
  serial: string;
  title: string;
  registeredAt: number;
  releasedAt: number | null;
  byStaff: boolean;
  holder: ConsolePerson;
  sale: ConsoleSale | null;
}

export interface StaffRegistrationList {
  /** The serial number searched for (normalised), or ''. */
  term: string;
  rows: ConsoleRegistration[];
  /** The keyset of the next page, when there is one. */
  next: string | null;
  /** Open reviews, for the link to the queue. */
  open: number;
}

export interface ReviewRow {
  id: string;
  serial: string;
  title: string;
  claimant: ConsolePerson;
  reason: ReviewReason;
  orderNumber: string | null;
  createdAt: number;
  holder: ConsolePerson | null;
  sale: ConsoleSale | null;
}

export interface StaffReviewQueue {
  counts: { soldToAnother: number; registeredToAnother: number; decidedRecently: number };
  reviews: ReviewRow[];
  next: string | null;
  /** Units registered to someone other than their buyer, with no review. */
  held: ConsoleRegistration[];
  heldNext: string | null;
}

const reasonNames: Record<ReviewReason, Text> = {
  'sold-to-another': { en: 'sold to another customer', de: 'an einen anderen Kunden verkauft' },
  'registered-to-another': { en: 'registered to another account', de: 'für ein anderes Konto registriert' },
};

function person(ctx: PageContext, p: ConsolePerson): SafeHtml {
  const label =
    p.name || p.email
      ? html`${p.name ?? ''}${p.name && p.email ? html`<br>` : ''}${p.email ?? ''}`
      : tr(ctx.lang, { en: 'account deleted', de: 'Konto gelöscht' });
  return html`<a href="/staff/customers/${p.id}">${label}</a>`;
}

function sale(ctx: PageContext, s: ConsoleSale | null, holderId?: string): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  if (!s) return html`${t({ en: 'not sold here', de: 'nicht hier verkauft' })}`;
  const buyer =
    holderId === s.buyer.id
      ? html`${t({ en: 'to this customer', de: 'an diesen Kunden' })}`
      : html`<strong>${t({ en: 'to another customer:', de: 'an einen anderen Kunden:' })}</strong> ${person(ctx, s.buyer)}`;
  return html`<a href="/staff/orders/${s.orderId}">${s.orderNumber}</a><br>${buyer}`;
}

const tabs = (ctx: PageContext, current: 'list' | 'reviews', open: number | null) => {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const here = (which: 'list' | 'reviews') => (current === which ? html` aria-current="page"` : '');
  return html`<nav aria-label="${t({ en: 'Registrations', de: 'Registrierungen' })}"><p><a href="/staff/registrations"${here('list')}>${t({ en: 'All registrations', de: 'Alle Registrierungen' })}</a> · <a href="/staff/registrations/reviews"${here('reviews')}>${t({ en: 'Review queue', de: 'Prüfliste' })}${open !== null ? html` (${String(open)})` : ''}</a></p></nav>`;
};

function registrationTable(ctx: PageContext, rows: ConsoleRegistration[]): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  const head = {
    serial: t({ en: 'Serial', de: 'Seriennummer' }),
    product: t({ en: 'Product', de: 'Produkt' }),
    customer: t({ en: 'Customer', de: 'Kunde' }),
    registered: t({ en: 'Registered', de: 'Registriert' }),
    sold: t({ en: 'Sold here (order)', de: 'Hier verkauft (Bestellung)' }),
  };
  const when = (at: number) => formatTime(ctx.lang, at, ctx.timeZone);
  return html`<table class="stack"><thead><tr><th scope="col">${head.serial}</th><th scope="col">${head.product}</th><th scope="col">${head.customer}</th><th scope="col">${head.registered}</th><th scope="col">${head.sold}</th></tr></thead>
<tbody>${rows.map(
    (r) =>
      html`<tr><td data-label="${head.serial}"><code>${r.serial}</code></td><td data-label="${head.product}">${r.title}</td><td data-label="${head.customer}">${person(ctx, r.holder)}</td><td data-label="${head.registered}">${when(r.registeredAt)}${r.releasedAt !== null ? html`<br>${t({ en: 'released', de: 'freigegeben' })} ${when(r.releasedAt)}` : ''}${r.byStaff ? html`<br>${t({ en: 'assigned by staff', de: 'vom Personal zugeordnet' })}` : ''}</td><td data-label="${head.sold}">${sale(ctx, r.sale, r.holder.id)}</td></tr>`,
  )}</tbody></table>`;
}

/** The staff list of registrations, searchable by serial number, paged on a keyset. */
/** `paged`: this is not the first page. */
export function staffRegistrationsPage(ctx: PageContext, model: StaffRegistrationList, paged = false): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Hardware registrations', de: 'Hardware-Registrierungen' });
  const search = (after?: string) =>
    `/staff/registrations${model.term || after ? `?${new URLSearchParams({ ...(model.term ? { serial: model.term } : {}), ...(after ? { after } : {}) }).toString()}` : ''}`;
  const empty = model.term
    ? html`<p>${t({ en: 'No registration of this serial number.', de: 'Keine Registrierung zu dieser Seriennummer.' })} <a href="/staff/registrations">${t({ en: 'Show all registrations', de: 'Alle Registrierungen zeigen' })}</a></p>`
    : html`<p>${t({ en: 'No hardware is registered yet.', de: 'Bisher ist keine Hardware registriert.' })}</p>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${tabs(ctx, 'list', model.open)}
<form method="get" action="/staff/registrations" class="shop-filter" role="search">
  <label for="reg-search">${t({ en: 'Serial number (whole or part)', de: 'Seriennummer (ganz oder teilweise)' })}</label>
  <input id="reg-search" type="search" name="serial" maxlength="40" value="${model.term}" autocomplete="off">
  <button type="submit">${t({ en: 'Search', de: 'Suchen' })}</button>
</form>
${model.term ? html`<p role="status">${t({ en: "A whole serial number shows the unit's history, released registrations included.", de: 'Eine vollständige Seriennummer zeigt den Verlauf des Geräts, freigegebene Registrierungen eingeschlossen.' })}</p>` : ''}
${model.rows.length === 0 ? empty : registrationTable(ctx, model.rows)}
${
  paged || model.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paged ? html`<a href="${search()}">${t({ en: 'Newest registrations', de: 'Neueste Registrierungen' })}</a> ` : ''}${model.next ? html`<a href="${search(model.next)}" rel="next">${t({ en: 'Older registrations', de: 'Ältere Registrierungen' })}</a>` : ''}</nav>`
    : ''
}`,
  );
}

/** The review queue: counts, the open reviews with the decision buttons, and units held by someone not their buyer. */
export function registrationReviewsPage(
  ctx: PageContext,
  model: StaffReviewQueue,
  paged: { after: boolean; heldAfter: boolean },
  error?: Text,
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Registration review queue', de: 'Prüfliste der Registrierungen' });
  const none = t({ en: 'none', de: 'keine' });
  const { counts } = model;
  const open = counts.soldToAnother + counts.registeredToAnother;
  const head = {
    serial: t({ en: 'Serial', de: 'Seriennummer' }),
    product: t({ en: 'Product', de: 'Produkt' }),
    claimant: t({ en: 'Claimed by', de: 'Beansprucht von' }),
    why: t({ en: 'Why', de: 'Grund' }),
    given: t({ en: 'Order number given', de: 'Angegebene Bestellnummer' }),
    sold: t({ en: 'Sold here (order, buyer)', de: 'Hier verkauft (Bestellung, Käufer)' }),
    holder: t({ en: 'Registered now to', de: 'Derzeit registriert für' }),
    asked: t({ en: 'Asked', de: 'Angefragt' }),
    decision: t({ en: 'Decision', de: 'Entscheidung' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${tabs(ctx, 'reviews', null)}
${errorSummary(ctx.lang, error)}
<h2>${t({ en: 'Waiting for review', de: 'Zu prüfen' })}</h2>
<dl class="counts">
  <dt>${t({ en: 'Open reviews', de: 'Offene Prüfungen' })}</dt><dd>${String(open)}</dd>
  <dt>${t(reasonNames['sold-to-another'])}</dt><dd>${String(counts.soldToAnother)}</dd>
  <dt>${t(reasonNames['registered-to-another'])}</dt><dd>${String(counts.registeredToAnother)}</dd>
  <dt>${t({ en: 'Decided in the last 30 days', de: 'In den letzten 30 Tagen entschieden' })}</dt><dd>${String(counts.decidedRecently)}</dd>
</dl>
${
  model.reviews.length === 0
    ? html`<p>${paged.after ? t({ en: 'No more disputed registrations.', de: 'Keine weiteren strittigen Registrierungen.' }) : t({ en: 'No disputed registrations.', de: 'Keine strittigen Registrierungen.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.serial}</th><th scope="col">${head.product}</th><th scope="col">${head.claimant}</th><th scope="col">${head.why}</th><th scope="col">${head.given}</th><th scope="col">${head.sold}</th><th scope="col">${head.holder}</th><th scope="col">${head.asked}</th><th scope="col">${head.decision}</th></tr></thead>
<tbody>${model.reviews.map(
        (r) =>
          html`<tr><td data-label="${head.serial}"><code>${r.serial}</code></td><td data-label="${head.product}">${r.title}</td><td data-label="${head.claimant}">${person(ctx, r.claimant)}</td><td data-label="${head.why}">${t(reasonNames[r.reason])}</td><td data-label="${head.given}">${r.orderNumber ?? none}</td><td data-label="${head.sold}">${sale(ctx, r.sale, r.claimant.id)}</td><td data-label="${head.holder}">${r.holder ? person(ctx, r.holder) : none}</td><td data-label="${head.asked}">${formatTime(ctx.lang, r.createdAt, ctx.timeZone)}</td>
<td data-label="${head.decision}"><form method="post" action="/staff/registrations/reviews/${r.id}" class="inline">${csrfField(ctx)}<button type="submit" name="decision" value="assign">${t({ en: 'Assign to the claimant', de: 'Dem Anfragenden zuordnen' })}</button> <button type="submit" name="decision" value="reject" class="secondary">${t({ en: 'Reject', de: 'Ablehnen' })}</button></form></td></tr>`,
      )}</tbody></table>`
}
${pager(ctx, paged.after, model.next ? `/staff/registrations/reviews?after=${model.next}` : null)}
<h2>${t({ en: 'Registered to someone other than the buyer', de: 'Für jemand anderen als den Käufer registriert' })}</h2>
<p>${t({ en: 'Units sold here that another account registered (before the serial number was recorded on the order) and that their buyer neither released nor claimed yet.', de: 'Hier verkaufte Geräte, die ein anderes Konto registriert hat (bevor die Seriennummer bei der Bestellung erfasst wurde) und die ihr Käufer weder freigegeben noch beansprucht hat.' })}</p>
${model.held.length === 0 ? html`<p>${t({ en: 'None.', de: 'Keine.' })}</p>` : registrationTable(ctx, model.held)}
${pager(ctx, paged.heldAfter, model.heldNext ? `/staff/registrations/reviews?heldAfter=${model.heldNext}` : null)}`,
  );
}

function pager(ctx: PageContext, paged: boolean, next: string | null): SafeHtml | string {
  const t = (text: Text) => tr(ctx.lang, text);
  if (!paged && !next) return '';
  return html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paged ? html`<a href="/staff/registrations/reviews">${t({ en: 'First page', de: 'Erste Seite' })}</a> ` : ''}${next ? html`<a href="${next}" rel="next">${t({ en: 'Next page', de: 'Nächste Seite' })}</a>` : ''}</nav>`;
}

/** "My products": its sections (purchases with keys and downloads, registered hardware) and a notice after a change or a refusal. */
export function productsPage(ctx: PageContext, sections: SafeHtml[], notice?: Text, problem?: Text): string {
  const title = tr(ctx.lang, { en: 'My products', de: 'Meine Produkte' });
  const noticeHtml = notice ? html`<p class="notice" role="status">${tr(ctx.lang, notice)}</p>` : '';
  const problemHtml = errorSummary(ctx.lang, problem);
  return layout(ctx, title, html`<h1>${title}</h1>${noticeHtml}${problemHtml}${sections}`);
}
