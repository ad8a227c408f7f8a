// The withdrawal function's pages: step 1 (choose the items, an optional statement), step 2 (confirm), the
// confirmation page, the account's overview, the section on the staff order page and the staff's list of open
// withdrawals with their refund deadlines. Pure functions.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { csrfField, errorSummary, layout, type PageContext } from '../../web/index.ts';
import type { OrdersTable } from './orders.tables.ts';
import {
  canWithdraw,
  lineStateReason,
  type StaffWithdrawal,
  STATEMENT_MAX,
  type WithdrawalLineView,
  type WithdrawalView,
} from './withdrawals.service.ts';
import type { OrderWithdrawalsTable, WithdrawnLine } from './withdrawals.tables.ts';

export const WITHDRAW_LABEL: Text = { en: 'Withdraw from contract', de: 'Vertrag widerrufen' };
const CONFIRM_LABEL: Text = { en: 'Confirm withdrawal', de: 'Widerruf bestätigen' };

const withdrawalPolicyLink = (ctx: PageContext) =>
  html`<a href="/legal/withdrawal">${tr(ctx.lang, { en: 'withdrawal policy', de: 'Widerrufsbelehrung' })}</a>`;

/** Step 1: every line of the order; the open ones can be ticked, the others say why not. */
export function withdrawalStartPage(
  ctx: PageContext,
  view: WithdrawalView,
  options: { chosen?: number[]; statement?: string; errors?: Record<string, Text>; message?: Text } = {},
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = `${t(WITHDRAW_LABEL)}: ${t({ en: 'order {n}', de: 'Bestellung {n}' }, { n: view.order.number })}`;
  const errors = options.errors ?? {};
  const open = canWithdraw(view);
  const line = (l: WithdrawalLineView) => {
    const id = `w-line-${l.lineNo}`;
    const reason = lineStateReason(ctx.lang, l.state, ctx.timeZone);
    if (l.state.kind !== 'open' || view.closed)
      return html`<li class="withdrawal-line withdrawal-line-${l.state.kind}"><strong>${l.line.quantity} × ${l.line.title}</strong><br><span class="hint">${reason}</span></li>`;
    const checked = (options.chosen ?? []).includes(l.lineNo);
    return html`<li class="withdrawal-line"><div class="checkbox"><input id="${id}" type="checkbox" name="line" value="${l.lineNo}"${checked ? html` checked` : ''} aria-describedby="${id}-hint"> <label for="${id}">${l.line.quantity} × ${l.line.title}</label></div><span class="hint" id="${id}-hint">${reason}</span></li>`;
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, options.message)}
${view.closed ? html`<p class="notice" role="status">${t(view.closed)}</p>` : ''}
<p>${t({ en: 'Here you can withdraw from your contract within the withdrawal period, without giving a reason. Step 1 of 2: choose what you withdraw from. Details are in our', de: 'Hier können Sie Ihren Vertrag innerhalb der Widerrufsfrist ohne Angabe von Gründen widerrufen. Schritt 1 von 2: Wählen Sie, was Sie widerrufen. Einzelheiten stehen in unserer' })} ${withdrawalPolicyLink(ctx)}.</p>
${
  open
    ? html`<form method="post" action="/account/orders/${view.order.id}/withdraw" novalidate>
  ${csrfField(ctx)}
  <fieldset id="w-line"${errors.line ? html` aria-describedby="w-line-error"` : ''}><legend>${t({ en: 'Items of the order', de: 'Artikel der Bestellung' })}</legend>
    ${errors.line ? html`<p class="field-error" id="w-line-error">${t(errors.line)}</p>` : ''}
    <ul class="withdrawal-lines">${view.lines.map(line)}</ul>
  </fieldset>
  <div class="field"><label for="w-statement">${t({ en: 'Your statement (optional; no reason is needed)', de: 'Ihre Erklärung (freiwillig; ein Grund ist nicht nötig)' })}</label>
  ${errors.statement ? html`<p class="field-error" id="w-statement-error">${t(errors.statement)}</p>` : ''}
  <textarea id="w-statement" name="statement" rows="4" maxlength="${STATEMENT_MAX}"${errors.statement ? html` aria-invalid="true" aria-describedby="w-statement-error"` : ''}>${options.statement ?? ''}</textarea></div>
  <p><button type="submit">${t({ en: 'Continue to confirmation', de: 'Weiter zur Bestätigung' })}</button></p>
</form>`
    : html`<ul class="withdrawal-lines">${view.lines.map(line)}</ul>
<p>${t({ en: 'Nothing in this order can be withdrawn from any more.', de: 'Aus dieser Bestellung kann nichts mehr widerrufen werden.' })}</p>`
}
<p><a href="/account/orders/${view.order.id}">${t({ en: 'Back to the order', de: 'Zurück zur Bestellung' })}</a> · <a href="/account/withdrawal">${t({ en: 'All withdrawals', de: 'Alle Widerrufe' })}</a></p>`,
  );
}

/** Step 2: what will be declared, and the button that declares it. */
export function withdrawalConfirmPage(
  ctx: PageContext,
  view: WithdrawalView,
  lines: WithdrawalLineView[],
  statement: string | null,
  declarant: { name: string; email: string },
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = `${t(WITHDRAW_LABEL)}: ${t({ en: 'order {n}', de: 'Bestellung {n}' }, { n: view.order.number })}`;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Step 2 of 2: please check. With the button below you withdraw from the contract for these items:', de: 'Schritt 2 von 2: Bitte prüfen Sie. Mit der Schaltfläche unten widerrufen Sie den Vertrag für diese Artikel:' })}</p>
<ul>${lines.map((l) => html`<li>${l.line.quantity} × ${l.line.title}</li>`)}</ul>
${statement ? html`<p>${t({ en: 'Your statement', de: 'Ihre Erklärung' })}:</p><blockquote><p>${statement}</p></blockquote>` : ''}
<dl class="withdrawal-declarant">
  <dt>${t({ en: 'Declared by', de: 'Erklärt von' })}</dt><dd>${declarant.name}</dd>
  <dt>${t({ en: 'Confirmation by email to', de: 'Bestätigung per E-Mail an' })}</dt><dd>${declarant.email}</dd>
</dl>
<form method="post" action="/account/orders/${view.order.id}/withdraw/confirm">
  ${csrfField(ctx)}
  ${lines.map((l) => html`<input type="hidden" name="line" value="${l.lineNo}">`)}
  <input type="hidden" name="statement" value="${statement ?? ''}">
  <p><button type="submit">${t(CONFIRM_LABEL)}</button></p>
</form>
<p>${t({ en: 'You receive a confirmation by email at once.', de: 'Sie erhalten sofort eine Bestätigung per E-Mail.' })} <a href="/account/orders/${view.order.id}/withdraw">${t({ en: 'Change the selection', de: 'Auswahl ändern' })}</a></p>`,
  );
}

function withdrawnList(ctx: PageContext, w: OrderWithdrawalsTable): SafeHtml {
  return html`<ul>${(JSON.parse(w.lines) as WithdrawnLine[]).map((l) => html`<li>${l.quantity} × ${l.title}</li>`)}</ul>`;
}

/** The confirmation page after step 2 (the mail is the durable medium; this page can be opened again). */
export function withdrawalDonePage(ctx: PageContext, w: OrderWithdrawalsTable, order: OrdersTable): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Withdrawal received', de: 'Widerruf eingegangen' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p class="notice" role="status">${t({ en: 'You withdrew from your contract under order {n} on {at}. We sent you a confirmation by email.', de: 'Sie haben am {at} Ihren Vertrag aus der Bestellung {n} widerrufen. Wir haben Ihnen eine Bestätigung per E-Mail geschickt.' }, { n: order.number, at: formatTime(ctx.lang, w.created_at, ctx.timeZone) })}</p>
<h2>${t({ en: 'Withdrawn from', de: 'Widerrufen' })}</h2>
${withdrawnList(ctx, w)}
${w.statement ? html`<h2>${t({ en: 'Your statement', de: 'Ihre Erklärung' })}</h2><p>${w.statement}</p>` : ''}
<p>${t({ en: 'We refund your payments within 14 days with the means of payment you used. Please send goods back within 14 days; the address is in the email.', de: 'Wir erstatten Ihre Zahlungen binnen 14 Tagen über das Zahlungsmittel, das Sie verwendet haben. Bitte senden Sie Waren binnen 14 Tagen zurück; die Anschrift steht in der E-Mail.' })}</p>
<p><a href="/account/orders/${order.id}">${t({ en: 'Back to the order', de: 'Zurück zur Bestellung' })}</a> · <a href="/account/withdrawal">${t({ en: 'All withdrawals', de: 'Alle Widerrufe' })}</a></p>`,
  );
}

/** The account's way in: orders still open for a withdrawal, and the withdrawals made. */
export function withdrawalOverviewPage(
  ctx: PageContext,
  open: WithdrawalView[],
  made: OrderWithdrawalsTable[],
  orders: Map<string, OrdersTable>,
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t(WITHDRAW_LABEL);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'You can withdraw from a contract within the withdrawal period without giving a reason; see our', de: 'Sie können einen Vertrag innerhalb der Widerrufsfrist ohne Angabe von Gründen widerrufen; siehe unsere' })} ${withdrawalPolicyLink(ctx)}.</p>
<h2>${t({ en: 'Orders you can withdraw from', de: 'Bestellungen, die Sie widerrufen können' })}</h2>
${
  open.length === 0
    ? html`<p>${t({ en: 'None at the moment.', de: 'Zurzeit keine.' })}</p>`
    : html`<ul>${open.map((v) => html`<li><a href="/account/orders/${v.order.id}/withdraw">${t({ en: 'Order {n} of {at}', de: 'Bestellung {n} vom {at}' }, { n: v.order.number, at: formatTime(ctx.lang, v.order.created_at, ctx.timeZone) })}</a></li>`)}</ul>`
}
<h2>${t({ en: 'Your withdrawals', de: 'Ihre Widerrufe' })}</h2>
${
  made.length === 0
    ? html`<p>${t({ en: 'None yet.', de: 'Noch keine.' })}</p>`
    : html`<ul>${made.map((w) => html`<li><a href="/account/withdrawals/${w.id}">${t({ en: 'Order {n}, withdrawn on {at}', de: 'Bestellung {n}, widerrufen am {at}' }, { n: orders.get(w.order_id)?.number ?? '', at: formatTime(ctx.lang, w.created_at, ctx.timeZone) })}</a></li>`)}</ul>`
}`,
  );
}

/** For the staff order page: each withdrawal with its time, items and statement. */
export function withdrawalsSection(
  ctx: PageContext,
  withdrawals: OrderWithdrawalsTable[],
  refundDueAt?: (withdrawnAt: number) => number,
): SafeHtml | string {
  if (withdrawals.length === 0) return '';
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  return html`<section class="order-withdrawals"><h2>${t({ en: 'Withdrawals', de: 'Widerrufe' })}</h2>
${withdrawals.map(
  (
    w,
  ) => html`<p><strong>${t({ en: 'Withdrawn on {at}', de: 'Widerrufen am {at}' }, { at: formatTime(ctx.lang, w.created_at, ctx.timeZone) })}</strong></p>
${withdrawnList(ctx, w)}
${w.statement ? html`<p>${t({ en: 'Statement', de: 'Erklärung' })}: ${w.statement}</p>` : ''}
${refundDueAt ? html`<p>${t({ en: 'Refund due by {at}', de: 'Erstattung fällig bis {at}' }, { at: formatTime(ctx.lang, refundDueAt(w.created_at), ctx.timeZone) })}</p>` : ''}`,
)}
<p class="hint">${t({ en: 'Refund within 14 days of the withdrawal, by the payment method used (by hand: no refund automation).', de: 'Erstattung binnen 14 Tagen nach dem Widerruf über das verwendete Zahlungsmittel (von Hand: keine automatische Erstattung).' })}</p></section>`;
}

/** Staff: the withdrawals of orders not yet refunded or cancelled, with the refund deadline (§ 357(1) BGB). */
export function staffWithdrawalsPage(
  ctx: PageContext,
  rows: StaffWithdrawal[],
  now: number,
  paging: { after?: string | undefined; next: string | null } = { next: null },
): string {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const title = t({ en: 'Open withdrawals', de: 'Offene Widerrufe' });
  const head = {
    order: t({ en: 'Order', de: 'Bestellung' }),
    at: t({ en: 'Withdrawn on', de: 'Widerrufen am' }),
    items: t({ en: 'Items', de: 'Artikel' }),
    due: t({ en: 'Refund due by', de: 'Erstattung fällig bis' }),
  };
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${t({ en: 'Withdrawals of orders not yet wholly refunded or cancelled. Refund the withdrawn items within 14 days of the withdrawal from the order page (its refund form pays back through the payment method used).', de: 'Widerrufe zu Bestellungen, die noch nicht vollständig erstattet oder storniert sind. Erstatten Sie die widerrufenen Artikel binnen 14 Tagen nach dem Widerruf über die Bestellseite (ihr Erstattungsformular zahlt über das verwendete Zahlungsmittel zurück).' })}</p>
${
  rows.length === 0
    ? html`<p>${t({ en: 'No open withdrawals.', de: 'Keine offenen Widerrufe.' })}</p>`
    : html`<table class="stack"><thead><tr><th scope="col">${head.order}</th><th scope="col">${head.at}</th><th scope="col">${head.items}</th><th scope="col">${head.due}</th></tr></thead>
<tbody>${rows.map(
        (r) =>
          html`<tr><th scope="row"><a href="/staff/orders/${r.order.id}">${r.order.number}</a></th><td data-label="${head.at}">${formatTime(ctx.lang, r.withdrawal.created_at, ctx.timeZone)}</td><td data-label="${head.items}">${withdrawnList(ctx, r.withdrawal)}</td><td data-label="${head.due}">${r.refundedAt !== null ? html`<span class="withdrawal-refunded">${t({ en: 'Refunded on {at}', de: 'Erstattet am {at}' }, { at: formatTime(ctx.lang, r.refundedAt, ctx.timeZone) })}</span>` : r.refundDueAt < now ? html`<strong>${t({ en: 'overdue since {at}', de: 'überfällig seit {at}' }, { at: formatTime(ctx.lang, r.refundDueAt, ctx.timeZone) })}</strong>` : formatTime(ctx.lang, r.refundDueAt, ctx.timeZone)}</td></tr>`,
      )}</tbody></table>`
}
${
  paging.after || paging.next
    ? html`<nav class="pager" aria-label="${t({ en: 'Pages', de: 'Seiten' })}">${paging.after ? html`<a href="/staff/withdrawals">${t({ en: 'First page', de: 'Erste Seite' })}</a> ` : ''}${paging.next ? html`<a href="/staff/withdrawals?after=${encodeURIComponent(paging.next)}" rel="next">${t({ en: 'Next page', de: 'Nächste Seite' })}</a>` : ''}</nav>`
    : ''
}`,
  );
}
