// The TEST provider's hosted payment page: where a real provider's page would be. It says plainly that no real
// payment happens, and works without JavaScript.
import { html } from '../../platform/html.ts';
import { formatEuro, tr, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

export const testModeNotice: Text = { en: 'Test mode: no real payment.', de: 'Testmodus: keine echte Zahlung.' };

export function testPaymentPage(ctx: PageContext, session: { id: string; amount_cents: number }, error?: Text): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Test payment provider', de: 'Test-Zahlungsdienstleister' });
  const field = (id: string, name: string, label: Text, autocomplete: string, max: number) =>
    html`<div class="field"><label for="${id}">${t(label)}</label><input id="${id}" type="text" name="${name}" autocomplete="${autocomplete}" inputmode="numeric" maxlength="${max}" required></div>`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p class="notice test-mode" role="status"><strong>${t(testModeNotice)}</strong> ${t({ en: 'Use 4242 4242 4242 4242; 4000 0000 0000 0002 is declined.', de: 'Verwenden Sie 4242 4242 4242 4242; 4000 0000 0000 0002 wird abgelehnt.' })}</p>
<p>${t({ en: 'Amount', de: 'Betrag' })}: <strong>${formatEuro(ctx.lang, session.amount_cents)}</strong></p>
${error ? html`<div class="error-summary" role="alert"><p>${t(error)}</p></div>` : ''}
<form method="post" action="/test-payments/pay/${session.id}">
  ${csrfField(ctx)}
  ${field('f-card-number', 'number', { en: 'Card number', de: 'Kartennummer' }, 'cc-number', 30)}
  ${field('f-card-month', 'expMonth', { en: 'Expiry month (MM)', de: 'Ablaufmonat (MM)' }, 'cc-exp-month', 2)}
  ${field('f-card-year', 'expYear', { en: 'Expiry year (YYYY)', de: 'Ablaufjahr (JJJJ)' }, 'cc-exp-year', 4)}
  ${field('f-card-cvc', 'cvc', { en: 'Security code', de: 'Prüfnummer' }, 'cc-csc', 4)}
  <p><button type="submit">${t({ en: 'Pay', de: 'Bezahlen' })}</button></p>
</form>
<form method="post" action="/test-payments/pay/${session.id}/cancel">${csrfField(ctx)}<p><button type="submit" class="secondary">${t({ en: 'Cancel and return to the shop', de: 'Abbrechen und zum Shop zurückkehren' })}</button></p></form>`,
  );
}

export function sessionGonePage(ctx: PageContext): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Payment page expired', de: 'Zahlungsseite abgelaufen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1><p>${t({ en: 'This payment page was used already or has expired. Return to the checkout to try again.', de: 'Diese Zahlungsseite wurde schon verwendet oder ist abgelaufen. Kehren Sie zur Kasse zurück, um es erneut zu versuchen.' })}</p><p><a href="/checkout">${t({ en: 'Checkout', de: 'Kasse' })}</a></p>`,
  );
}
