// The basket page. Works without JavaScript; says plainly when it cannot work because cookies are blocked. A
// refusal about one product is shown at its line as well as at the top; a product bought twice (alone and inside
// a bundle of the basket) is pointed out; the totals say what the checkout will charge.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatEuro, tr, type Text } from '../../platform/i18n.ts';
import { LEGACY_VAT_COUNTRY, vatLabel } from '../../shop/vat.ts';
import { MAX_QUANTITY, type BasketView } from './basket.service.ts';
import { type PageContext, csrfField, layout } from '../../web/index.ts';

export interface BasketPageOptions {
  cookiesBlocked: boolean;
  error?: Text | undefined;
  notice?: Text | undefined;
  /** The refusal's words for one line (the product the form changed). */
  lineError?: { productId: string; text: Text } | undefined;
}

/** The product's picture: a small first-party image, decorative (the product's name follows it). */
export const basketImageUrl = (slug: string) => `/assets/products/${slug}.svg`;

export function basketPage(ctx: PageContext, basket: BasketView, options: BasketPageOptions): string {
  const t = (text: Text, params: Record<string, string | number> = {}) => tr(ctx.lang, text, params);
  const euro = (cents: number) => formatEuro(ctx.lang, cents);
  const title = t({ en: 'Basket', de: 'Warenkorb' });
  // Column names, also on each cell for phones, where a line stacks as a block (site CSS, .stack).
  const head = {
    product: { en: 'Product', de: 'Produkt' },
    unit: { en: 'Unit price', de: 'Einzelpreis' },
    quantity: { en: 'Quantity', de: 'Menge' },
    total: { en: 'Total', de: 'Summe' },
  } satisfies Record<string, Text>;
  const lineError = options.lineError;
  const overlapText = (o: BasketView['overlaps'][number]) =>
    t(
      {
        en: '“{title}” is also part of “{bundle}” in your basket, so you would buy it twice. Remove one of them unless you want it twice.',
        de: '„{title}“ ist auch in „{bundle}“ in Ihrem Warenkorb enthalten; Sie würden es also doppelt kaufen. Entfernen Sie eines davon, wenn Sie es nicht zweimal möchten.',
      },
      { title: o.title, bundle: o.bundleTitle },
    );
  const overlapsOf = (productId: string) => basket.overlaps.filter((o) => o.productId === productId);
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
${
  options.error
    ? html`<div class="error-summary" role="alert"><p>${lineError ? html`<a href="#qty-${lineError.productId}">${t(options.error)}</a>` : t(options.error)}</p></div>`
    : ''
}
${options.notice ? html`<p class="notice" role="status">${t(options.notice)}</p>` : ''}
${
  basket.overlaps.length > 0
    ? html`<div class="warning" role="status">${basket.overlaps.map((o) => html`<p>${overlapText(o)}</p>`)}</div>`
    : ''
}
${
  basket.items.length === 0
    ? html`<p>${t({ en: 'Your basket is empty.', de: 'Ihr Warenkorb ist leer.' })} <a href="/shop">${t({ en: 'Go to the shop', de: 'Zum Shop' })}</a></p>`
    : html`<table class="stack basket-lines">
  <caption class="visually-hidden">${title}</caption>
  <thead><tr><th scope="col">${t(head.product)}</th><th scope="col">${t(head.unit)}</th><th scope="col">${t(head.quantity)}</th><th scope="col">${t(head.total)}</th><th scope="col"><span class="visually-hidden">${t({ en: 'Remove', de: 'Entfernen' })}</span></th></tr></thead>
  <tbody>${basket.items.map((i) => {
    const error = lineError?.productId === i.productId ? lineError.text : undefined;
    const short = i.stock !== null && i.quantity > i.stock;
    const notes: SafeHtml[] = [];
    if (error) notes.push(html`<p class="field-error" id="qty-${i.productId}-error">${t(error)}</p>`);
    else if (short)
      notes.push(
        html`<p class="field-error" id="qty-${i.productId}-error">${t({ en: 'Only {n} left in stock: lower the quantity to order.', de: 'Nur noch {n} auf Lager: Verringern Sie die Menge, um zu bestellen.' }, { n: i.stock ?? 0 })}</p>`,
      );
    const invalid = notes.length > 0;
    const overlaps = overlapsOf(i.productId);
    return html`<tr>
    <td class="basket-product"><img class="basket-thumb" src="${basketImageUrl(i.slug)}" alt="" width="64" height="40" loading="lazy"><a href="/shop/${i.slug}">${i.title}</a>${overlaps.map((o) => html`<p class="hint">${t({ en: 'Also in “{bundle}”.', de: 'Auch in „{bundle}“ enthalten.' }, { bundle: o.bundleTitle })}</p>`)}</td>
    <td data-label="${t(head.unit)}">${euro(i.unitCents)}</td>
    <td data-label="${t(head.quantity)}"><form method="post" action="/basket/items/${i.productId}" class="inline">${csrfField(ctx)}
      <label class="visually-hidden" for="qty-${i.productId}">${t({ en: 'Quantity of {title}', de: 'Menge von {title}' }, { title: i.title })}</label>
      ${notes}
      <input id="qty-${i.productId}" type="number" name="quantity" value="${i.quantity}" min="0" max="${i.stock ?? MAX_QUANTITY}" inputmode="numeric"${invalid ? html` aria-invalid="true" aria-describedby="qty-${i.productId}-error"` : ''}>
      <button type="submit" class="secondary">${t({ en: 'Update', de: 'Ändern' })}</button></form></td>
    <td data-label="${t(head.total)}">${euro(i.lineCents)}</td>
    <td class="basket-remove"><form method="post" action="/basket/items/${i.productId}/remove" class="inline">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="${t({ en: 'Remove {title}', de: '{title} entfernen' }, { title: i.title })}">${t({ en: 'Remove', de: 'Entfernen' })}</button></form></td>
  </tr>`;
  })}</tbody>
</table>
<section aria-labelledby="basket-totals-title">
<h2 id="basket-totals-title" class="visually-hidden">${t({ en: 'Totals', de: 'Summen' })}</h2>
<dl class="basket-totals">
  <div><dt>${t({ en: 'Subtotal ({n} items)', de: 'Zwischensumme ({n} Artikel)' }, { n: basket.count })}</dt><dd>${euro(basket.subtotalCents)}</dd></div>
  <div><dt>${t({ en: 'Shipping', de: 'Versand' })}</dt><dd>${
    basket.ships
      ? basket.shippingCents > 0
        ? euro(basket.shippingCents)
        : t({ en: 'free', de: 'kostenlos' })
      : t({ en: 'none (download)', de: 'entfällt (Download)' })
  }</dd></div>
  <div><dt>${vatLabel(ctx.lang, [basket.vat ?? { country: LEGACY_VAT_COUNTRY, rate: 19 }])}</dt><dd>${euro(basket.vatCents)}</dd></div>
  <div class="basket-total"><dt>${t({ en: 'Total', de: 'Gesamtsumme' })}</dt><dd><strong>${euro(basket.totalCents)}</strong></dd></div>
</dl>
</section>
<p><a class="button" href="/checkout">${t({ en: 'Proceed to checkout', de: 'Zur Kasse' })}</a></p>`
}`,
  );
}
