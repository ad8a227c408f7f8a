// The page layout and the shell's own pages (imprint, cookies, errors). Pure functions from a model to HTML.
import type { AppError } from '../../platform/errors.ts';
import { html, type SafeHtml } from '../../platform/html.ts';
import type { Viewer } from '../../platform/http/context.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';

export interface PageContext {
  lang: Lang;
  viewer: Viewer | null;
  /** Called only by pages that render a form (see csrfField). */
  csrfToken: () => string;
  path: string;
  company: string;
}

const T = {
  skip: { en: 'Skip to content', de: 'Zum Inhalt springen' },
  mainNav: { en: 'Main', de: 'Hauptnavigation' },
  shop: { en: 'Shop', de: 'Shop' },
  basket: { en: 'Basket', de: 'Warenkorb' },
  account: { en: 'My account', de: 'Mein Konto' },
  login: { en: 'Sign in', de: 'Anmelden' },
  register: { en: 'Create account', de: 'Konto anlegen' },
  logout: { en: 'Sign out', de: 'Abmelden' },
  language: { en: 'Language', de: 'Sprache' },
  change: { en: 'Change', de: 'Ändern' },
  legal: { en: 'Legal', de: 'Rechtliches' },
  privacy: { en: 'Privacy policy', de: 'Datenschutzerklärung' },
  imprint: { en: 'Imprint', de: 'Impressum' },
  cookies: { en: 'Cookie settings', de: 'Cookie-Einstellungen' },
  staffMail: { en: 'Outgoing mail', de: 'Ausgehende E-Mails' },
  staffOrders: { en: 'Orders (staff)', de: 'Bestellungen (Team)' },
  staffProducts: { en: 'Products (staff)', de: 'Produkte (Team)' },
} satisfies Record<string, Text>;

export function csrfField(ctx: PageContext): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${ctx.csrfToken()}">`;
}

export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const staff = ctx.viewer && ctx.viewer.role !== 'customer';
  return `<!doctype html>\n${html`<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${ctx.company}</title>
<link rel="stylesheet" href="/assets/site.css">
</head>
<body>
<a class="skip-link" href="#main">${t(T.skip)}</a>
<header class="site-header">
  <a class="brand" href="/">${ctx.company}</a>
  <nav aria-label="${t(T.mainNav)}">
    <ul>
      <li><a href="/shop">${t(T.shop)}</a></li>
      <li><a href="/basket">${t(T.basket)}</a></li>
      ${ctx.viewer
        ? html`<li><a href="/account">${t(T.account)}</a></li>
      ${staff ? html`<li><a href="/staff/orders">${t(T.staffOrders)}</a></li><li><a href="/staff/products">${t(T.staffProducts)}</a></li><li><a href="/staff/mail">${t(T.staffMail)}</a></li>` : ''}
      <li><form method="post" action="/account/logout" class="inline">${csrfField(ctx)}<button type="submit">${t(T.logout)}</button></form></li>`
        : html`<li><a href="/account/login">${t(T.login)}</a></li>
      <li><a href="/account/register">${t(T.register)}</a></li>`}
    </ul>
  </nav>
  <nav aria-label="${t(T.language)}" class="lang-switch">
    <ul>
      <li><a href="/preferences/language?lang=en&amp;back=${encodeURIComponent(ctx.path)}" hreflang="en" lang="en"${ctx.lang === 'en' ? html` aria-current="true"` : ''}>English</a></li>
      <li><a href="/preferences/language?lang=de&amp;back=${encodeURIComponent(ctx.path)}" hreflang="de" lang="de"${ctx.lang === 'de' ? html` aria-current="true"` : ''}>Deutsch</a></li>
    </ul>
  </nav>
</header>
<main id="main" tabindex="-1">
${body}
</main>
<footer class="site-footer">
  <nav aria-label="${t(T.legal)}">
    <ul>
      <li><a href="/privacy">${t(T.privacy)}</a></li>
      <li><a href="/imprint">${t(T.imprint)}</a></li>
      <li><a href="/cookies">${t(T.cookies)}</a></li>
    </ul>
  </nav>
  <p>© ${ctx.company}</p>
</footer>
</body>
</html>`}`;
}

export function imprintPage(ctx: PageContext, operator: Operator): string {
  const title = tr(ctx.lang, T.imprint);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<address>
  <strong>${operator.company}</strong><br>
  ${operator.address.map((line) => html`${line}<br>`)}
  <a href="mailto:${operator.email}">${operator.email}</a>
</address>
<p>${operator.registry}<br>${ctx.lang === 'de' ? 'USt-IdNr.' : 'VAT ID'}: ${operator.vatId}</p>`,
  );
}

const cookieRows: { name: Text; purpose: Text; lifetime: Text }[] = [
  {
    name: { en: 'candor_session (login session)', de: 'candor_session (Anmeldesitzung)' },
    purpose: { en: 'Keeps you signed in; set only when you sign in.', de: 'Hält Sie angemeldet; wird nur bei der Anmeldung gesetzt.' },
    lifetime: { en: 'until the browser closes, or 90 days with “Remember me”', de: 'bis der Browser geschlossen wird, mit „Angemeldet bleiben“ 90 Tage' },
  },
  {
    name: { en: 'candor_csrf (form protection)', de: 'candor_csrf (Formularschutz)' },
    purpose: { en: 'Proves that a submitted form came from this site.', de: 'Belegt, dass ein abgeschicktes Formular von dieser Website stammt.' },
    lifetime: { en: 'until the browser closes', de: 'bis der Browser geschlossen wird' },
  },
  {
    name: { en: 'candor_basket (basket)', de: 'candor_basket (Warenkorb)' },
    purpose: { en: 'Finds your basket while you shop without signing in; set when you add the first product.', de: 'Findet Ihren Warenkorb, solange Sie ohne Anmeldung einkaufen; wird beim ersten Hinzufügen gesetzt.' },
    lifetime: { en: 'until the browser closes; merged into your account basket when you sign in', de: 'bis der Browser geschlossen wird; bei der Anmeldung in den Warenkorb Ihres Kontos übernommen' },
  },
  {
    name: { en: 'candor_prefs (preferences)', de: 'candor_prefs (Einstellungen)' },
    purpose: { en: 'Remembers the language you chose.', de: 'Merkt sich die gewählte Sprache.' },
    lifetime: { en: 'one year', de: 'ein Jahr' },
  },
];

export function cookiesPage(ctx: PageContext): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t(T.cookies);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({
      en: 'This site sets only the cookies it needs to work. It loads nothing from other companies and sets no tracking or advertising cookies, so there is nothing to agree to.',
      de: 'Diese Website setzt nur die Cookies, die sie zum Funktionieren braucht. Sie lädt nichts von anderen Unternehmen und setzt keine Tracking- oder Werbe-Cookies; es gibt daher nichts einzuwilligen.',
    })}</p>
<table>
  <caption>${t({ en: 'Cookies in use', de: 'Verwendete Cookies' })}</caption>
  <thead><tr><th scope="col">${t({ en: 'Cookie', de: 'Cookie' })}</th><th scope="col">${t({ en: 'Purpose', de: 'Zweck' })}</th><th scope="col">${t({ en: 'Lifetime', de: 'Speicherdauer' })}</th></tr></thead>
  <tbody>${cookieRows.map((r) => html`<tr><td>${t(r.name)}</td><td>${t(r.purpose)}</td><td>${t(r.lifetime)}</td></tr>`)}</tbody>
</table>`,
  );
}

export function errorPage(ctx: PageContext, error: AppError): string {
  const title = error.status === 404 ? tr(ctx.lang, { en: 'Not found', de: 'Nicht gefunden' }) : tr(ctx.lang, { en: 'Something is not right', de: 'Da stimmt etwas nicht' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="alert">${tr(ctx.lang, error.text, { seconds: error.headers['retry-after'] ?? '' })}</p>
<p><a href="/">${tr(ctx.lang, { en: 'Back to the shop', de: 'Zurück zum Shop' })}</a></p>`,
  );
}
