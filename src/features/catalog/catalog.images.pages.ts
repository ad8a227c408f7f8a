// Pages of product images: the staff section of a product's edit page (upload, alt texts, order, delete), the page
// of a refused upload, and the <img> markup of the shop (srcset of the stored widths, width and height given so
// that nothing shifts while loading, alt text in the page's language).
import { html, type SafeHtml } from '../../platform/html.ts';
import { tr, type Lang, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';
import {
  ALT_MAX,
  fallbackWidth,
  MAX_IMAGES_PER_PRODUCT,
  productImageSrcset,
  productImageUrl,
  type MainImage,
} from './catalog.images.ts';
import type { ProductImagesTable } from './catalog.images.tables.ts';

const altOf = (image: Pick<MainImage, 'alt_en' | 'alt_de'>, lang: Lang) =>
  lang === 'de' ? image.alt_de : image.alt_en;

/**
 * An uploaded product image at a display width: `sizes` says how wide it is shown, `displayWidth` sets the width
 * attribute (the height follows the image's proportions).
 */
export function productImageTag(
  image: MainImage,
  lang: Lang,
  options: { displayWidth: number; sizes: string; lazy: boolean; className?: string },
): SafeHtml {
  const height = Math.round((options.displayWidth * image.height) / image.width);
  return html`<img src="${productImageUrl(image.id, fallbackWidth(image))}" srcset="${productImageSrcset(image)}" sizes="${options.sizes}" alt="${altOf(image, lang)}" width="${options.displayWidth}" height="${height}" decoding="async"${options.lazy ? html` loading="lazy"` : ''}${options.className ? html` class="${options.className}"` : ''}>`;
}

/** The further images of a product page, below its main one. */
export function productGallery(images: MainImage[], lang: Lang): SafeHtml | '' {
  if (images.length === 0) return '';
  return html`<ul class="product-gallery">${images.map(
    (image) => html`<li>${productImageTag(image, lang, { displayWidth: 160, sizes: '160px', lazy: true })}</li>`,
  )}</ul>`;
}

/** The staff section below a product's form: its images with alt texts and order, and the upload form. */
export function staffImagesSection(
  ctx: PageContext,
  productId: string,
  images: ProductImagesTable[],
  maxMb: number,
): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const base = `/staff/products/${productId}/images`;
  const moveButton = (image: ProductImagesTable, move: 'first' | 'up' | 'down', label: Text, n: number) =>
    html`<form method="post" action="${base}/${image.id}/move" class="inline">${csrfField(ctx)}<input type="hidden" name="move" value="${move}"><button type="submit" class="secondary" aria-label="${t(label, { n })}">${t(
      move === 'first'
        ? { en: 'Make main image', de: 'Zum Hauptbild machen' }
        : move === 'up'
          ? { en: 'Move up', de: 'Nach oben' }
          : { en: 'Move down', de: 'Nach unten' },
    )}</button></form>`;
  return html`<section id="images" aria-labelledby="images-title">
<h2 id="images-title">${t({ en: 'Images', de: 'Bilder' })}</h2>
${
  images.length === 0
    ? html`<p>${t({ en: 'No images yet: the shop shows a drawn placeholder.', de: 'Noch keine Bilder: Der Shop zeigt einen gezeichneten Platzhalter.' })}</p>`
    : html`<ol class="product-images">${images.map((image, i) => {
        const n = i + 1;
        return html`<li>
<img src="${productImageUrl(image.id, 320 <= image.width ? 320 : image.width)}" alt="${ctx.lang === 'de' ? image.alt_de : image.alt_en}" width="160" height="${Math.round((160 * image.height) / image.width)}" loading="lazy">
<p>${i === 0 ? html`<strong>${t({ en: 'Main image', de: 'Hauptbild' })}</strong> · ` : ''}${t({ en: 'Image {n}', de: 'Bild {n}' }, { n })} · ${image.width} × ${image.height} px</p>
<form method="post" action="${base}/${image.id}">${csrfField(ctx)}
<label for="alt-en-${image.id}">${t({ en: 'Description (English)', de: 'Beschreibung (Englisch)' })}</label>
<input type="text" id="alt-en-${image.id}" name="alt_en" value="${image.alt_en}" maxlength="${ALT_MAX}" required>
<label for="alt-de-${image.id}">${t({ en: 'Description (German)', de: 'Beschreibung (Deutsch)' })}</label>
<input type="text" id="alt-de-${image.id}" name="alt_de" value="${image.alt_de}" maxlength="${ALT_MAX}" required>
<p><button type="submit">${t({ en: 'Save descriptions', de: 'Beschreibungen speichern' })}</button></p>
</form>
<p class="actions">${i > 0 ? moveButton(image, 'first', { en: 'Make image {n} the main image', de: 'Bild {n} zum Hauptbild machen' }, n) : ''}${i > 0 ? moveButton(image, 'up', { en: 'Move image {n} up', de: 'Bild {n} nach oben' }, n) : ''}${i < images.length - 1 ? moveButton(image, 'down', { en: 'Move image {n} down', de: 'Bild {n} nach unten' }, n) : ''}<form method="post" action="${base}/${image.id}/delete" class="inline">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="${t({ en: 'Delete image {n}', de: 'Bild {n} löschen' }, { n })}">${t({ en: 'Delete', de: 'Löschen' })}</button></form></p>
</li>`;
      })}</ol>`
}
${
  images.length < MAX_IMAGES_PER_PRODUCT
    ? html`<h3>${t({ en: 'Add an image', de: 'Bild hinzufügen' })}</h3>
<form method="post" action="${base}" enctype="multipart/form-data">${csrfField(ctx)}
<p class="hint">${t({ en: 'The first image is the main one (cards and the top of the product page). Describe each image for visitors who cannot see it.', de: 'Das erste Bild ist das Hauptbild (Karten und Kopf der Produktseite). Beschreiben Sie jedes Bild für Besucher, die es nicht sehen können.' })}</p>
<label for="img-alt-en">${t({ en: 'Description (English)', de: 'Beschreibung (Englisch)' })}</label>
<input type="text" id="img-alt-en" name="alt_en" maxlength="${ALT_MAX}" required>
<label for="img-alt-de">${t({ en: 'Description (German)', de: 'Beschreibung (Deutsch)' })}</label>
<input type="text" id="img-alt-de" name="alt_de" maxlength="${ALT_MAX}" required>
<label for="img-file">${t({ en: 'Image', de: 'Bild' })}</label>
<p class="hint" id="img-file-hint">${t({ en: 'JPEG, PNG, WebP or AVIF; at most {max} MB. Stored resized as WebP, without the photo’s metadata (such as location).', de: 'JPEG, PNG, WebP oder AVIF; höchstens {max} MB. Gespeichert verkleinert als WebP, ohne die Metadaten des Fotos (etwa den Aufnahmeort).' }, { max: maxMb })}</p>
<input type="file" id="img-file" name="file" accept="image/jpeg,image/png,image/webp,image/avif" aria-describedby="img-file-hint" required>
<p><button type="submit">${t({ en: 'Upload image', de: 'Bild hochladen' })}</button></p>
</form>`
    : html`<p>${t({ en: 'This product has the most images it may have.', de: 'Dieses Produkt hat die Höchstzahl an Bildern.' })}</p>`
}
</section>`;
}

/** A refused upload or change of an image: what is wrong, in the staff member's language, and the way back. */
export function staffImageErrorPage(
  ctx: PageContext,
  productId: string,
  heading: Text,
  message: Text,
  fields: Record<string, Text> = {},
): string {
  const title = tr(ctx.lang, heading);
  const details = Object.values(fields);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, message)}
${details.length > 0 ? html`<ul>${[...new Set(details.map((d) => tr(ctx.lang, d)))].map((d) => html`<li>${d}</li>`)}</ul>` : ''}
<p><a href="/staff/products/${productId}#images">${tr(ctx.lang, { en: 'Back to the product', de: 'Zurück zum Produkt' })}</a></p>`,
  );
}
