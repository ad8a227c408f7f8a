// The basket page. Works without JavaScript; says plainly when it cannot work because cookies are blocked.
import { html } from '../../platform/html.ts';
import { formatEuro, tr, type Text } from '../../platform/i18n.ts';
import { MAX_QUANTITY, type BasketView } from './basket.service.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

export function basketPage(
  ctx: PageContext,
  basket: BasketView,
  options: { cookiesBlocked: boolean; error?: Text | undefined; notice?: Text | undefined },
): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const title = t({ en: 'Basket', de: 'Warenkorb' });
  // Column names, also on each cell for phones, where a line stacks as a block (site CSS, .stack).
  const head = {
    product: { en: 'Product', de: 'Produkt' },
    unit: { en: 'Unit price', de: 'Einzelpreis' },
    quantity: { en: 'Quantity', de: 'Menge' },
    total: { en: 'Total', de: 'Summe' },
  } satisfies Record<string, Text>;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${
  options.cookiesBlocked
    ? html`<p class="notice" role="status">${t({
        en: 'Your browser sends no cookies. You can browse the shop, but the basket needs one cookie to remember what you chose (it holds only a random number, no tracking). Allow cookies for this site to shop.',
        de: 'Ihr Browser sendet keine Cookies. Sie können den Shop ansehen, aber der Warenkorb braucht ein Cookie, um sich Ihre Auswahl zu merken (es enthält nur eine Zufallszahl, kein Tracking). Erlauben Sie Cookies für diese Website, um einzukaufen.',
      })}</p>`
    : ''
}
${options.error ? html`<div class="error-summary" role="alert"><p>${t(options.error)}</p></div>` : ''}
${options.notice ? html`<p class="notice" role="status">${t(options.notice)}</p>` : ''}
${
  basket.items.length === 0
    ? html`<p>${t({ en: 'Your basket is empty.', de: 'Ihr Warenkorb ist leer.' })} <a href="/shop">${t({ en: 'Go to the shop', de: 'Zum Shop' })}</a></p>`
    : html`<table class="stack basket-lines">
  <caption class="visually-hidden">${title}</caption>
  <thead><tr><th scope="col">${t(head.product)}</th><th scope="col">${t(head.unit)}</th><th scope="col">${t(head.quantity)}</th><th scope="col">${t(head.total)}</th><th scope="col"><span class="visually-hidden">${t({ en: 'Remove', de: 'Entfernen' })}</span></th></tr></thead>
  <tbody>${basket.items.map(
    (i) => html`<tr>
    <td class="basket-product"><a href="/shop/${i.slug}">${i.title}</a></td>
    <td data-label="${t(head.unit)}">${formatEuro(ctx.lang, i.unitCents)}</td>
    <td data-label="${t(head.quantity)}"><form method="post" action="/basket/items/${i.productId}" class="inline">${csrfField(ctx)}
      <label class="visually-hidden" for="qty-${i.productId}">${t({ en: 'Quantity of {title}', de: 'Menge von {title}' }, { title: i.title })}</label>
      <input id="qty-${i.productId}" type="number" name="quantity" value="${i.quantity}" min="0" max="${i.stock ?? MAX_QUANTITY}" inputmode="numeric">
      <button type="submit" class="secondary">${t({ en: 'Update', de: 'Ändern' })}</button></form></td>
    <td data-label="${t(head.total)}">${formatEuro(ctx.lang, i.lineCents)}</td>
    <td class="basket-remove"><form method="post" action="/basket/items/${i.productId}/remove" class="inline">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="${t({ en: 'Remove {title}', de: '{title} entfernen' }, { title: i.title })}">${t({ en: 'Remove', de: 'Entfernen' })}</button></form></td>
  </tr>`,
  )}</tbody>
  <tfoot><tr><th scope="row" colspan="3">${t({ en: 'Total (incl. {vat} VAT)', de: 'Gesamt (inkl. {vat} MwSt.)' }, { vat: formatEuro(ctx.lang, basket.vatCents) })}</th><td colspan="2"><strong>${formatEuro(ctx.lang, basket.totalCents)}</strong></td></tr></tfoot>
</table>
<p><a class="button" href="/checkout">${t({ en: 'Proceed to checkout', de: 'Zur Kasse' })}</a></p>`
}`,
  );
}
