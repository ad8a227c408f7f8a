// Catalogue pages: the home page lists the demo catalogue (browsing only; buying comes with the shop).
import { html } from '../../platform/html.ts';
import { formatEuro, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { layout, type PageContext } from '../shell/index.ts';
import type { ProductKind, ProductsTable } from './catalog.tables.ts';

const kindNames: Record<ProductKind, Text> = {
  software: { en: 'Software', de: 'Software' },
  hardware: { en: 'Hardware', de: 'Hardware' },
  expansion: { en: 'Expansion', de: 'Erweiterung' },
};

export const productTitle = (p: ProductsTable, lang: Lang) => (lang === 'de' ? p.title_de : p.title_en);

export function homePage(ctx: PageContext, products: ProductsTable[]): string {
  const title = tr(ctx.lang, { en: 'Instruments, effects and controllers', de: 'Instrumente, Effekte und Controller' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: 'All prices include 19% VAT.', de: 'Alle Preise inklusive 19 % MwSt.' })}</p>
<ul class="products">
${products.map(
  (p) => html`<li>
  <p class="kind">${tr(ctx.lang, kindNames[p.kind])}</p>
  <h2>${productTitle(p, ctx.lang)}</h2>
  <p>${ctx.lang === 'de' ? p.summary_de : p.summary_en}</p>
  <p class="price">${formatEuro(ctx.lang, p.price_cents)} <span class="hint">${tr(ctx.lang, { en: 'incl. VAT', de: 'inkl. MwSt.' })}</span></p>
</li>`,
)}
</ul>`,
  );
}
