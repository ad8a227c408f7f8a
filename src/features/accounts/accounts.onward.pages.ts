// The way to a first purchase: where the shopper was going (`next`, always a same-site path) is kept from sign-in
// or registration through the confirmation link, and the pages on the way say why an account and a confirmed
// address are needed. Pure functions from a model to HTML.
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

/** A path with the onward target attached (none: the path alone). */
export function withNext(path: string, next: string): string {
  return next ? `${path}?next=${encodeURIComponent(next)}` : path;
}

/** The label of the link that takes the shopper on: to the checkout when that is where they were going. */
export function onwardLabel(next: string): Text {
  return next === '/checkout'
    ? { en: 'Continue to checkout', de: 'Weiter zur Kasse' }
    : { en: 'Continue', de: 'Weiter' };
}

/** The sign-in page's explanation: why orders go through an account (policy 6a), and what it keeps. */
export function whyAnAccount(ctx: PageContext, next: string): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  return html`<section class="notice why-account" aria-labelledby="why-account-title">
  <h2 id="why-account-title">${t(
    next === '/checkout'
      ? {
          en: 'Sign in or create an account to check out',
          de: 'Melden Sie sich an oder legen Sie ein Konto an, um zu bestellen',
        }
      : { en: 'Why an account?', de: 'Warum ein Konto?' },
  )}</h2>
  <p>${t({
    en: 'Every order goes through a customer account: it keeps your licence keys, your downloads and your order history with invoices and delivery status, so you can find them again at any time. Only a name, an email address and a password are needed.',
    de: 'Jede Bestellung läuft über ein Kundenkonto: Dort finden Sie jederzeit Ihre Lizenzschlüssel, Ihre Downloads und Ihre Bestellungen mit Rechnungen und Lieferstatus wieder. Nötig sind nur Name, E-Mail-Adresse und Passwort.',
  })}</p>
</section>`;
}

const resendButton = (ctx: PageContext, next: string) =>
  html`<form method="post" action="/account/verify/resend">${csrfField(ctx)}<input type="hidden" name="next" value="${next}"><button type="submit">${tr(ctx.lang, { en: 'Resend the confirmation mail', de: 'Bestätigungs-E-Mail erneut senden' })}</button></form>`;

/**
 * What a signed-in shopper whose address is not confirmed sees instead of the checkout (or another page that needs a
 * confirmed address): the reason, and a button that sends the link again, which then leads back to `next`.
 */
export function confirmAddressFirstPage(ctx: PageContext, email: string, next: string): string {
  const t = (text: Text, params: Record<string, string> = {}) => tr(ctx.lang, text, params);
  const title = t({
    en: 'Please confirm your email address first',
    de: 'Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse',
  });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${t(
      {
        en: 'Before your first order we need to know that {email} is yours: the order confirmation, your licence keys and the invoice are sent there. We sent you a link when you registered; open it and come back here.',
        de: 'Vor Ihrer ersten Bestellung müssen wir wissen, dass {email} Ihnen gehört: Dorthin senden wir die Bestellbestätigung, Ihre Lizenzschlüssel und die Rechnung. Wir haben Ihnen bei der Registrierung einen Link geschickt; öffnen Sie ihn und kommen Sie dann hierher zurück.',
      },
      { email },
    )}</p>
<p>${t({ en: 'No mail? Look in the spam folder, or have the link sent again:', de: 'Keine E-Mail? Sehen Sie im Spam-Ordner nach oder lassen Sie sich den Link erneut senden:' })}</p>
${resendButton(ctx, next)}
<p><a href="/basket">${t({ en: 'Back to the basket', de: 'Zurück zum Warenkorb' })}</a></p>`,
  );
}

/** The answer to "resend": the same words whatever the state of the address (confirmed, just sent, window full). */
export function confirmationResentPage(ctx: PageContext, next: string, signedIn: boolean): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Check your mail', de: 'Bitte prüfen Sie Ihre E-Mails' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="status">${t({
      en: 'If your address still needs confirming, a new link is on its way. To keep mailboxes safe from floods we send at most one such mail in 15 minutes; until then, the link in the last one works. The link brings you back here.',
      de: 'Falls Ihre Adresse noch bestätigt werden muss, ist ein neuer Link unterwegs. Zum Schutz vor Mailfluten senden wir höchstens eine solche E-Mail in 15 Minuten; bis dahin gilt der Link in der letzten. Der Link bringt Sie hierher zurück.',
    })}</p>
<p><a href="${signedIn ? next : withNext('/account/login', next)}">${t(onwardLabel(next))}</a></p>`,
  );
}
