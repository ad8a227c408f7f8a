// Pages of the staff customer console: the searchable list (plain GET form, keyset "next page" link) and one
// customer's page with the features' sections and the support actions (POST forms with CSRF, no scripts).
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, layout, type PageContext } from '../../web/index.ts';
import type { CustomerAccount, CustomerList } from './customers.service.ts';

const T = {
  title: { en: 'Customers', de: 'Kunden' },
  search: { en: 'Search customers', de: 'Kunden suchen' },
  searchHint: {
    en: 'Name, email address, order number or serial number',
    de: 'Name, E-Mail-Adresse, Bestellnummer oder Seriennummer',
  },
  searchButton: { en: 'Search', de: 'Suchen' },
  name: { en: 'Name', de: 'Name' },
  email: { en: 'Email', de: 'E-Mail' },
  verified: { en: 'Confirmed', de: 'Bestätigt' },
  created: { en: 'Customer since', de: 'Kunde seit' },
  orders: { en: 'Orders', de: 'Bestellungen' },
  lastOrder: { en: 'Last order', de: 'Letzte Bestellung' },
  yes: { en: 'yes', de: 'ja' },
  no: { en: 'no', de: 'nein' },
  none: { en: 'none', de: 'keine' },
  next: { en: 'Next page', de: 'Nächste Seite' },
  first: { en: 'First page', de: 'Erste Seite' },
  noMatch: { en: 'No customer matches “{q}”.', de: 'Kein Kunde passt zu „{q}“.' },
  noCustomers: { en: 'No customer accounts yet.', de: 'Noch keine Kundenkonten.' },
  all: { en: 'All customers', de: 'Alle Kunden' },
} satisfies Record<string, Text>;

export function customersPage(
  ctx: PageContext,
  list: CustomerList,
  query: { q: string; after?: string | undefined },
  error?: Text,
): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const title = t(T.title);
  const qs = (after: string) => `?${new URLSearchParams({ ...(query.q ? { q: query.q } : {}), after }).toString()}`;
  const empty = query.q ? t(T.noMatch, { q: query.q }) : t(T.noCustomers);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, error)}
<form method="get" action="/staff/customers" role="search" aria-label="${t(T.search)}" class="shop-filter">
  <label for="customer-search">${t(T.search)}</label>
  <input id="customer-search" name="q" type="search" value="${query.q}" maxlength="200" aria-describedby="customer-search-hint">
  <small id="customer-search-hint">${t(T.searchHint)}</small>
  <button type="submit">${t(T.searchButton)}</button>
</form>
${
  list.rows.length === 0
    ? html`<p class="empty-state">${empty}</p>`
    : html`<table class="customers"><thead><tr><th scope="col">${t(T.name)}</th><th scope="col">${t(T.email)}</th><th scope="col">${t(T.verified)}</th><th scope="col">${t(T.created)}</th><th scope="col">${t(T.orders)}</th><th scope="col">${t(T.lastOrder)}</th></tr></thead>
<tbody>${list.rows.map(
        (r) =>
          html`<tr><td data-label="${t(T.name)}"><a href="/staff/customers/${r.id}">${r.name}</a></td><td data-label="${t(T.email)}">${r.email}</td><td data-label="${t(T.verified)}">${t(r.verified ? T.yes : T.no)}</td><td data-label="${t(T.created)}">${formatTime(ctx.lang, r.createdAt, ctx.timeZone)}</td><td data-label="${t(T.orders)}">${r.orders}</td><td data-label="${t(T.lastOrder)}">${r.lastOrderAt === null ? t(T.none) : formatTime(ctx.lang, r.lastOrderAt, ctx.timeZone)}</td></tr>`,
      )}</tbody></table>`
}
<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${query.after ? html`<a href="/staff/customers${query.q ? html`?q=${encodeURIComponent(query.q)}` : ''}">${t(T.first)}</a> ` : ''}${list.next ? html`<a href="/staff/customers${qs(list.next)}" rel="next">${t(T.next)}</a>` : ''}</nav>
${query.q ? html`<p><a href="/staff/customers">${t(T.all)}</a></p>` : ''}`,
  );
}

const notices: Record<string, Text> = {
  'verification-sent': {
    en: 'The confirmation mail is on its way to the customer, unless one went out in the last 15 minutes (then its link still works).',
    de: 'Die Bestätigungs-E-Mail ist an den Kunden unterwegs, sofern in den letzten 15 Minuten keine versandt wurde (deren Link gilt dann weiter).',
  },
  'already-verified': {
    en: 'The customer has already confirmed the email address; no mail was sent.',
    de: 'Der Kunde hat die E-Mail-Adresse bereits bestätigt; es wurde keine E-Mail versandt.',
  },
  'sessions-ended': {
    en: 'All sessions of this account have ended: it is signed out everywhere.',
    de: 'Alle Sitzungen dieses Kontos sind beendet: Es ist überall abgemeldet.',
  },
  'reset-sent': {
    en: 'A password reset mail is on its way to the customer’s address, unless one went out in the last 15 minutes. Only the customer receives the link.',
    de: 'Eine E-Mail zum Zurücksetzen des Passworts ist an die Adresse des Kunden unterwegs, sofern in den letzten 15 Minuten keine versandt wurde. Nur der Kunde erhält den Link.',
  },
};

export function customerPage(
  ctx: PageContext,
  customer: CustomerAccount,
  sections: { title: Text; body: SafeHtml }[],
  notice?: string,
): string {
  const t = (text: Text, params?: Record<string, string | number>) => tr(ctx.lang, text, params);
  const when = (at: number | null) => (at === null ? t(T.none) : formatTime(ctx.lang, at, ctx.timeZone));
  const action = (path: string, label: Text, note: Text) =>
    html`<form method="post" action="/staff/customers/${customer.id}/${path}">${csrfField(ctx)}<button type="submit">${t(label)}</button> <small>${t(note)}</small></form>`;
  const shown = notice !== undefined ? notices[notice] : undefined;
  return layout(
    ctx,
    customer.name,
    html`<h1>${customer.name}</h1>
${shown ? html`<p class="notice" role="status">${t(shown)}</p>` : ''}
<section aria-labelledby="account-heading"><h2 id="account-heading">${t({ en: 'Account', de: 'Konto' })}</h2>
<dl class="customer-account">
<dt>${t(T.email)}</dt><dd>${customer.email}</dd>
<dt>${t({ en: 'Email address confirmed', de: 'E-Mail-Adresse bestätigt' })}</dt><dd>${t(customer.verified ? T.yes : T.no)}</dd>
<dt>${t({ en: 'Account created', de: 'Konto angelegt' })}</dt><dd>${when(customer.createdAt)}</dd>
<dt>${t({ en: 'Role', de: 'Rolle' })}</dt><dd>${t({ en: 'customer', de: 'Kunde' })}</dd>
<dt>${t({ en: 'Signed in now', de: 'Derzeit angemeldet' })}</dt><dd>${t(
      {
        en: '{n} session(s); the newest signed in: {at}',
        de: '{n} Sitzung(en); die neueste angemeldet: {at}',
      },
      { n: customer.sessions, at: when(customer.lastSignInAt) },
    )}</dd>
</dl></section>
<section aria-labelledby="actions-heading" class="customer-actions"><h2 id="actions-heading">${t({ en: 'Support actions', de: 'Support-Aktionen' })}</h2>
${
  customer.verified
    ? ''
    : action(
        'resend-verification',
        { en: 'Resend confirmation mail', de: 'Bestätigungs-E-Mail erneut senden' },
        {
          en: 'at most one per 15 minutes',
          de: 'höchstens eine je 15 Minuten',
        },
      )
}
${action(
  'end-sessions',
  { en: 'End all sessions', de: 'Alle Sitzungen beenden' },
  { en: 'signs the account out on every device', de: 'meldet das Konto auf allen Geräten ab' },
)}
${action(
  'password-reset',
  { en: 'Send password reset mail', de: 'E-Mail zum Zurücksetzen des Passworts senden' },
  {
    en: 'the link goes only to the customer’s address; at most one per 15 minutes',
    de: 'der Link geht nur an die Adresse des Kunden; höchstens eine je 15 Minuten',
  },
)}
</section>
${sections.map(
  (s, i) =>
    html`<section aria-labelledby="section-${i}" class="customer-section"><h2 id="section-${i}">${t(s.title)}</h2>
${s.body}</section>`,
)}
<p><a href="/staff/customers">${t(T.all)}</a></p>`,
  );
}
