// Pages of the human review of a declined credit check: the customer's request (their view, optional) and staff's
// queue with the decision and the agency's reason, translated for staff. The customer never sees the reason.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, layout, type PageContext } from '../../web/index.ts';
import type { CreditCheckAnswer } from '../../shop/credit-agency.ts';
import { paymentMethodNames } from '../../shop/payment-methods.ts';
import type { OpenCreditReview } from './credit.reviews.queries.ts';
import {
  APPROVAL_DAYS,
  NOTE_MAX,
  REVIEW_WINDOW_DAYS,
  STATEMENT_MAX,
  type ReviewableCheck,
} from './credit.reviews.service.ts';
import type { BillingIdentity } from './credit.service.ts';
import type { CreditReviewsTable, CreditReviewStatus } from './credit.tables.ts';

const statusNames: Record<CreditReviewStatus, Text> = {
  open: { en: 'waiting for review', de: 'Überprüfung ausstehend' },
  approved: { en: 'approved after review', de: 'nach Überprüfung freigegeben' },
  rejected: { en: 'confirmed after review', de: 'nach Überprüfung bestätigt' },
};

/** The agency's reasons, for staff only. */
export const reasonNames: Record<CreditCheckAnswer['reason'], Text> = {
  ok: { en: 'approved', de: 'genehmigt' },
  amount_too_high: { en: 'amount too high for this payment method', de: 'Betrag für diese Zahlungsart zu hoch' },
  address_unknown: { en: 'address could not be verified', de: 'Anschrift konnte nicht bestätigt werden' },
  negative_record: { en: 'negative payment record', de: 'Negativmerkmal zum Zahlungsverhalten' },
};

const reasonName = (reason: string): Text =>
  Object.hasOwn(reasonNames, reason) ? reasonNames[reason as CreditCheckAnswer['reason']] : { en: reason, de: reason };

const oneLine = (b: BillingIdentity) => `${b.name}, ${b.street}, ${b.postalCode} ${b.city}, ${b.country}`;

export interface ReviewPageModel {
  checks: ReviewableCheck[];
  reviews: CreditReviewsTable[];
  sent: boolean;
  error?: Text;
  fieldErrors?: Record<string, Text>;
  statement?: string;
  /** What the policy says of paying another way (the unchecked methods, or that every method is checked). */
  alternatives: Text;
  /** The check the refused form was about: its form shows the field's message and the text typed. */
  checkId?: string;
}

/** The form a refused request came from: the one of its check, or else the first (the text typed is kept there). */
function formOfRequest(model: ReviewPageModel): string | undefined {
  if (model.checkId !== undefined && model.checks.some((c) => c.id === model.checkId)) return model.checkId;
  return model.checks[0]?.id;
}

function requestForm(ctx: PageContext, check: ReviewableCheck, model: ReviewPageModel): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const id = `statement-${check.id}`;
  const mine = formOfRequest(model) === check.id;
  const error = mine ? model.fieldErrors?.statement : undefined;
  return html`<section class="card"><h2>${t({ en: 'Decision of {at}', de: 'Entscheidung vom {at}' }, { at: formatTime(ctx.lang, check.answeredAt, ctx.timeZone) })}</h2>
<p>${t({ en: 'Payment by {method}, {amount}, for: {billing}', de: 'Zahlung per {method}, {amount}, für: {billing}' }, { method: t(paymentMethodNames[check.method].name), amount: formatEuro(ctx.lang, check.amountCents), billing: oneLine(check.billing) })}</p>
<form method="post" action="/account/decision-review">${csrfField(ctx)}
  <input type="hidden" name="checkId" value="${check.id}">
  <div class="field"><label for="${id}">${t({ en: 'Your point of view (optional, at most {max} characters)', de: 'Ihr Standpunkt (freiwillig, höchstens {max} Zeichen)' }, { max: STATEMENT_MAX })}</label>
  ${error ? html`<p class="field-error" id="${id}-error">${t(error)}</p>` : ''}
  <textarea id="${id}" name="statement" rows="6" maxlength="${STATEMENT_MAX}"${error ? html` aria-invalid="true" aria-describedby="${id}-error"` : ''}>${mine ? (model.statement ?? '') : ''}</textarea></div>
  <p><button type="submit">${t({ en: 'Ask for a review', de: 'Überprüfung beantragen' })}</button></p>
</form></section>`;
}

/** The customer's page: what a review is, their declined decisions to contest, and their requests so far. */
export function decisionReviewPage(ctx: PageContext, model: ReviewPageModel): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Review of a payment decision', de: 'Überprüfung einer Zahlungsentscheidung' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${model.sent ? html`<p class="notice" role="status">${t({ en: 'Thank you. A person on our staff will review the decision and write to you by email.', de: 'Vielen Dank. Eine Person aus unserem Team überprüft die Entscheidung und schreibt Ihnen per E-Mail.' })}</p>` : ''}
${errorSummary(ctx.lang, model.error)}
<p>${t({ en: 'Whether we offer a payment method that carries a credit risk (such as payment on invoice) is decided automatically, on the answer of a credit agency. You may ask for a person on our staff to review the decision, state your point of view and contest it. This page, the checkout and the data export in your account do not show the reason the agency gave, because a check concerns the name and address entered, which may be another person’s; the person reviewing sees it, and on request we tell it to the person the check was about once their identity is confirmed. You will receive the outcome by email; if the decision is changed, you can complete one order with the same name and billing address, up to the same amount, with that payment method within {days} days.', de: 'Ob wir eine Zahlungsart mit Ausfallrisiko (etwa die Zahlung auf Rechnung) anbieten, wird automatisiert anhand der Antwort einer Auskunftei entschieden. Sie können verlangen, dass eine Person aus unserem Team die Entscheidung überprüft, Ihren Standpunkt darlegen und die Entscheidung anfechten. Diese Seite, die Kasse und der Datenexport in Ihrem Kundenkonto zeigen den Grund der Auskunftei nicht an, weil sich eine Prüfung auf den eingegebenen Namen und die Anschrift bezieht, die einer anderen Person gehören können; die überprüfende Person sieht ihn, und auf Anfrage teilen wir ihn der Person mit, die die Prüfung betraf, sobald ihre Identität bestätigt ist. Das Ergebnis erhalten Sie per E-Mail; wird die Entscheidung geändert, können Sie innerhalb von {days} Tagen eine Bestellung mit demselben Namen und derselben Rechnungsadresse bis zum selben Betrag mit dieser Zahlungsart abschließen.' }, { days: APPROVAL_DAYS })}</p>
<p>${t(model.alternatives)}</p>
${
  model.checks.length > 0
    ? model.checks.map((c) => requestForm(ctx, c, model))
    : html`<p>${t({ en: 'There is no decision of the last {days} days that you can ask to be reviewed.', de: 'Es gibt keine Entscheidung der letzten {days} Tage, deren Überprüfung Sie beantragen können.' }, { days: REVIEW_WINDOW_DAYS })}</p>`
}
${
  model.reviews.length > 0
    ? html`<h2>${t({ en: 'Your requests', de: 'Ihre Anträge' })}</h2>
<ul>${model.reviews.map((r) => html`<li>${formatTime(ctx.lang, r.requested_at, ctx.timeZone)}: ${formatEuro(ctx.lang, r.amount_cents)}, ${t(paymentMethodNames[r.method].name)} – ${t(statusNames[r.status])}</li>`)}</ul>`
    : ''
}
<p><a href="/checkout">${t({ en: 'Back to the checkout', de: 'Zurück zur Kasse' })}</a></p>`,
  );
}

/** A refused decision: on which request, the message, and the message per field. */
export interface StaffReviewError {
  id: string;
  text: Text;
  fields: Record<string, Text>;
  /** The note staff typed, shown again in that request's form. */
  note?: string;
}

function staffReviewItem(ctx: PageContext, r: OpenCreditReview, error?: StaffReviewError): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const billing = JSON.parse(r.billing) as BillingIdentity;
  const noteId = `note-${r.id}`;
  const mine = error?.id === r.id;
  const noteError = mine ? error.fields.note : undefined;
  return html`<section class="card" aria-labelledby="h-${r.id}"><h2 id="h-${r.id}">${t({ en: 'Request of {at}', de: 'Antrag vom {at}' }, { at: formatTime(ctx.lang, r.requested_at, ctx.timeZone) })}</h2>
<dl>
  <dt>${t({ en: 'Decision', de: 'Entscheidung' })}</dt><dd>${t({ en: 'declined on {at}', de: 'abgelehnt am {at}' }, { at: formatTime(ctx.lang, r.answered_at, ctx.timeZone) })}</dd>
  <dt>${t({ en: 'Agency’s reason', de: 'Grund der Auskunftei' })}</dt><dd>${t(reasonName(r.reason))}</dd>
  <dt>${t({ en: 'Payment', de: 'Zahlung' })}</dt><dd>${t(paymentMethodNames[r.method].name)}, ${formatEuro(ctx.lang, r.amount_cents)}</dd>
  <dt>${t({ en: 'Billing name and address', de: 'Rechnungsname und -anschrift' })}</dt><dd>${oneLine(billing)}</dd>
  <dt>${t({ en: 'Customer’s statement', de: 'Stellungnahme des Kunden' })}</dt><dd>${r.statement ? html`<p class="statement">${r.statement}</p>` : t({ en: '(none)', de: '(keine)' })}</dd>
</dl>
<form method="post" action="/staff/credit-reviews/${r.id}/decision">${csrfField(ctx)}
  <div class="field"><label for="${noteId}">${t({ en: 'Note to the customer (required to confirm the decline, at most {max} characters)', de: 'Anmerkung an den Kunden (Pflicht, wenn die Ablehnung bestätigt wird; höchstens {max} Zeichen)' }, { max: NOTE_MAX })}</label>
  ${noteError ? html`<p class="field-error" id="${noteId}-error">${t(noteError)}</p>` : ''}
  <textarea id="${noteId}" name="note" rows="3" maxlength="${NOTE_MAX}"${noteError ? html` aria-invalid="true" aria-describedby="${noteId}-error"` : ''}>${mine ? (error.note ?? '') : ''}</textarea></div>
  <p><button type="submit" name="outcome" value="approve">${t({ en: 'Approve', de: 'Freigeben' })}</button>
  <button type="submit" name="outcome" value="reject">${t({ en: 'Confirm the decline', de: 'Ablehnung bestätigen' })}</button></p>
</form></section>`;
}

/** Staff's queue of open requests, oldest first. */
export function staffCreditReviewsPage(
  ctx: PageContext,
  reviews: OpenCreditReview[],
  notice?: Text,
  error?: StaffReviewError,
  paging: { after?: string | undefined; next: string | null } = { next: null },
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Credit decision reviews', de: 'Überprüfung von Bonitätsentscheidungen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${notice ? html`<p class="notice" role="status">${t(notice)}</p>` : ''}
${errorSummary(ctx.lang, error?.text)}
<p>${t({ en: 'Customers asked for a person to review an automated refusal (Art. 22 GDPR). Consider their statement and the agency’s reason; approving lets one next order with the same name, address and method up to the amount pass without a new enquiry.', de: 'Kunden haben verlangt, dass eine Person eine automatisierte Ablehnung überprüft (Art. 22 DSGVO). Berücksichtigen Sie ihre Stellungnahme und den Grund der Auskunftei; eine Freigabe lässt eine nächste Bestellung mit demselben Namen, derselben Anschrift und Zahlungsart bis zum Betrag ohne neue Anfrage zu.' })}</p>
${reviews.length > 0 ? reviews.map((r) => staffReviewItem(ctx, r, error)) : html`<p>${t({ en: 'No open requests.', de: 'Keine offenen Anträge.' })}</p>`}
${
  paging.after || paging.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paging.after ? html`<a href="/staff/credit-reviews">${t({ en: 'First page', de: 'Erste Seite' })}</a> ` : ''}${paging.next ? html`<a href="/staff/credit-reviews?after=${encodeURIComponent(paging.next)}" rel="next">${t({ en: 'Next page', de: 'Nächste Seite' })}</a>` : ''}</nav>`
    : ''
}`,
  );
}
