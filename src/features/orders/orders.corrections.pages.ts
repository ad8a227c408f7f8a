// The list of an order's cancellation invoices (decision 0048) with their PDF links: on the staff order page and
// on the customer's order page, each with its own download route. Pure function; nothing when there are none.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatDay, formatEuro, tr } from '../../platform/i18n.ts';
import type { PageContext } from '../../web/index.ts';
import type { CorrectionListItem } from './orders.corrections.ts';

/** `base` is the route the PDFs hang under: `${base}/${id}.pdf`; `level` the heading's (2 or 3 by the page). */
export function correctionsList(
  ctx: PageContext,
  base: string,
  corrections: CorrectionListItem[],
  level: 2 | 3 = 3,
): SafeHtml | '' {
  if (corrections.length === 0) return '';
  const t = (en: string, de: string) => tr(ctx.lang, { en, de });
  const heading = t('Cancellation invoices', 'Stornorechnungen');
  return html`${level === 2 ? html`<h2>${heading}</h2>` : html`<h3>${heading}</h3>`}
<ul class="order-corrections">${corrections.map(
    (c) =>
      html`<li><a href="${base}/${c.id}.pdf">${t('Cancellation invoice', 'Stornorechnung')} ${c.number} (PDF)</a>, ${formatDay(ctx.lang, c.issuedAt, ctx.timeZone)}, ${formatEuro(ctx.lang, -c.totalCents)}</li>`,
  )}</ul>`;
}
