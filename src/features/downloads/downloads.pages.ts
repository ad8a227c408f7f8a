// The page shown instead of a demo download that another site started: one link that downloads it from here.
import { html } from '../../platform/html.ts';
import { tr } from '../../platform/i18n.ts';
import { type PageContext, layout } from '../../web/index.ts';

export function confirmDemoPage(ctx: PageContext, product: { slug: string; title: string }): string {
  const title = tr(ctx.lang, { en: 'Download the demo?', de: 'Demo herunterladen?' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: 'This download was started from another website, so we did not start it. If you want the demo of {product}, download it here.', de: 'Dieser Download wurde von einer anderen Website ausgelöst, daher haben wir ihn nicht gestartet. Möchten Sie die Demo von {product}, laden Sie sie hier herunter.' }, { product: product.title })}</p>
<p><a class="button" href="/shop/${product.slug}/demo">${tr(ctx.lang, { en: 'Download the demo', de: 'Demo herunterladen' })}</a></p>`,
  );
}
