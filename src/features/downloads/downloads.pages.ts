// Pages of downloads: the confirmation of a demo download another site started, the staff section of a product's
// edit page (files and activation how-to), and the part of "My products" that lists what was bought, every item of
// a bundle included, with its keys, downloads and how-to.
import { html, type SafeHtml } from '../../platform/html.ts';
import { formatTime, tr, type Lang, type Text } from '../../platform/i18n.ts';
import { type PageContext, csrfField, errorSummary, layout } from '../../web/index.ts';
import { copyKeysScript, licenceDetails, licencesSection } from '../licences/index.ts';
import {
  ALLOWED_EXTENSIONS,
  HOW_TO_MAX,
  LINK_LIFETIME_MS,
  type MyProducts,
  type PurchasedItem,
} from './downloads.service.ts';
import type { ProductFilesTable, ProductInstructionsTable } from './downloads.tables.ts';

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

/** A size in the customer's notation: 1.5 MB / 1,5 MB. */
export function formatSize(lang: Lang, bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  const number = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: digits }).format(
    value,
  );
  return `${number} ${units[unit]}`;
}

/** Text staff wrote, as paragraphs (blank lines) and line breaks; escaped like every value. */
function paragraphs(text: string): SafeHtml {
  return html`${text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter((p) => p !== '')
    .map((p) => {
      const lines = p.split('\n');
      return html`<p>${lines.map((line, i) => (i === 0 ? html`${line}` : html`<br>${line}`))}</p>`;
    })}`;
}

/** The staff section below a product's form: its files (upload, delete) and its activation how-to. */
export function staffDownloadsSection(
  ctx: PageContext,
  productId: string,
  files: ProductFilesTable[],
  instructions: ProductInstructionsTable | undefined,
  maxMb: number,
): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const base = `/staff/products/${productId}`;
  const label = (text: Text) => t(text);
  const cols = {
    file: label({ en: 'File', de: 'Datei' }),
    version: label({ en: 'Version', de: 'Version' }),
    size: label({ en: 'Size', de: 'Größe' }),
    checksum: label({ en: 'SHA-256', de: 'SHA-256' }),
    uploaded: label({ en: 'Uploaded', de: 'Hochgeladen' }),
    action: label({ en: 'Action', de: 'Aktion' }),
  };
  return html`<section id="downloads" aria-labelledby="downloads-title">
<h2 id="downloads-title">${t({ en: 'Downloads for buyers', de: 'Downloads für Käufer' })}</h2>
${
  files.length === 0
    ? html`<p>${t({ en: 'No files yet.', de: 'Noch keine Dateien.' })}</p>`
    : html`<table class="stack product-files"><thead><tr><th scope="col">${cols.file}</th><th scope="col">${cols.version}</th><th scope="col">${cols.size}</th><th scope="col">${cols.checksum}</th><th scope="col">${cols.uploaded}</th><th scope="col">${cols.action}</th></tr></thead>
<tbody>${files.map(
        (f) =>
          html`<tr><td data-label="${cols.file}">${f.label}<br><span class="hint">${f.original_name ?? f.file_name}</span></td><td data-label="${cols.version}">${f.version}</td><td data-label="${cols.size}">${formatSize(ctx.lang, f.size_bytes)}</td><td data-label="${cols.checksum}"><code class="checksum">${f.sha256}</code></td><td data-label="${cols.uploaded}">${formatTime(ctx.lang, f.created_at, ctx.timeZone)}</td><td data-label="${cols.action}"><form method="post" action="${base}/downloads/${f.id}/delete" class="inline">${csrfField(ctx)}<button type="submit" class="secondary" aria-label="${t({ en: 'Delete {file}', de: '{file} löschen' }, { file: `${f.label} ${f.version}`.trim() })}">${t({ en: 'Delete', de: 'Löschen' })}</button></form></td></tr>`,
      )}</tbody></table>`
}
<h3>${t({ en: 'Upload a file', de: 'Datei hochladen' })}</h3>
<form method="post" action="${base}/downloads" enctype="multipart/form-data">${csrfField(ctx)}
<label for="df-label">${t({ en: 'Description (e.g. Installer for macOS)', de: 'Beschreibung (z. B. Installer für macOS)' })}</label>
<input type="text" id="df-label" name="label" maxlength="100" required>
<label for="df-version">${t({ en: 'Version', de: 'Version' })} <span class="optional">(${t({ en: 'optional', de: 'optional' })})</span></label>
<input type="text" id="df-version" name="version" maxlength="40">
<label for="df-file">${t({ en: 'File', de: 'Datei' })}</label>
<p class="hint" id="df-file-hint">${t({ en: 'Allowed: {types}; at most {max} MB.', de: 'Erlaubt: {types}; höchstens {max} MB.' }, { types: ALLOWED_EXTENSIONS.join(', '), max: maxMb })}</p>
<input type="file" id="df-file" name="file" accept="${ALLOWED_EXTENSIONS.join(',')}" aria-describedby="df-file-hint" required>
<p><button type="submit">${t({ en: 'Upload', de: 'Hochladen' })}</button></p>
</form>
<h3>${t({ en: 'Activation how-to', de: 'Aktivierungsanleitung' })}</h3>
<form method="post" action="${base}/how-to">${csrfField(ctx)}
<p class="hint">${t({ en: 'Shown to buyers in "My products". Plain text; a blank line starts a new paragraph.', de: 'Wird Käufern unter „Meine Produkte“ gezeigt. Reiner Text; eine Leerzeile beginnt einen neuen Absatz.' })}</p>
<label for="howto-en">${t({ en: 'How-to (English)', de: 'Anleitung (Englisch)' })}</label>
<textarea id="howto-en" name="how_to_en" rows="6" maxlength="${HOW_TO_MAX}">${instructions?.how_to_en ?? ''}</textarea>
<label for="howto-de">${t({ en: 'How-to (German)', de: 'Anleitung (Deutsch)' })}</label>
<textarea id="howto-de" name="how_to_de" rows="6" maxlength="${HOW_TO_MAX}">${instructions?.how_to_de ?? ''}</textarea>
<p><button type="submit">${t({ en: 'Save how-to', de: 'Anleitung speichern' })}</button></p>
</form>
</section>`;
}

/** A refused upload or how-to: what is wrong, in the staff member's language, and the way back to the product. */
export function staffDownloadErrorPage(ctx: PageContext, productId: string, heading: Text, message: Text): string {
  const title = tr(ctx.lang, heading);
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, message)}
<p><a href="/staff/products/${productId}#downloads">${tr(ctx.lang, { en: 'Back to the product', de: 'Zurück zum Produkt' })}</a></p>`,
  );
}

export interface DeliveredFile {
  file: ProductFilesTable;
  href: string;
  count: number;
}

/** What one bought product shows: keys (rendered by the licences feature), files, how-to. */
export interface ProductDelivery {
  keys: SafeHtml[];
  files: DeliveredFile[];
  howTo: string;
}

const kindNames: Record<string, Text> = {
  software: { en: 'Software', de: 'Software' },
  expansion: { en: 'Expansion', de: 'Erweiterung' },
  bundle: { en: 'Bundle', de: 'Paket' },
  hardware: { en: 'Hardware', de: 'Hardware' },
};

function filesList(ctx: PageContext, files: DeliveredFile[]): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  if (files.length === 0) return html``;
  return html`<p class="downloads-title">${t({ en: 'Downloads', de: 'Downloads' })}:</p>
<ul class="downloads">${files.map(
    (d) =>
      html`<li><a href="${d.href}" download>${d.file.label}${d.file.version ? ` ${d.file.version}` : ''}</a> <span class="hint">(${d.file.original_name ?? d.file.file_name}, ${formatSize(ctx.lang, d.file.size_bytes)}; ${
        d.count === 0
          ? t({ en: 'not downloaded yet', de: 'noch nicht heruntergeladen' })
          : d.count === 1
            ? t({ en: 'downloaded once', de: 'einmal heruntergeladen' })
            : t({ en: 'downloaded {n} times', de: '{n}-mal heruntergeladen' }, { n: d.count })
      })</span><br><span class="hint">SHA-256: <code class="checksum">${d.file.sha256}</code></span></li>`,
  )}</ul>`;
}

function deliveryOf(ctx: PageContext, item: PurchasedItem, delivery: ProductDelivery | undefined): SafeHtml {
  const t = (text: Text) => tr(ctx.lang, text);
  if (!delivery) return html``;
  return html`${delivery.keys}${filesList(ctx, delivery.files)}${
    delivery.howTo
      ? html`<details class="how-to"><summary>${t({ en: 'How to activate', de: 'So aktivieren Sie' })} ${item.title}</summary>${paragraphs(delivery.howTo)}</details>`
      : ''
  }`;
}

/**
 * "My products": every purchase, and inside a bundle every item it contained, each with its keys, downloads and
 * activation how-to. `deliveryFor` answers what belongs to one item (its own keys, once).
 */
export function purchasesSection(
  ctx: PageContext,
  items: PurchasedItem[],
  deliveryFor: (item: PurchasedItem) => ProductDelivery | undefined,
  linkHours: number,
): SafeHtml {
  const t = (text: Text, p: Record<string, string | number> = {}) => tr(ctx.lang, text, p);
  const kind = (k: string) => (kindNames[k] ? t(kindNames[k]) : k);
  return html`<h2>${t({ en: 'What you bought', de: 'Ihre Käufe' })}</h2>
${
  items.length === 0
    ? html`<p>${t({ en: 'Nothing bought yet.', de: 'Noch nichts gekauft.' })}</p>`
    : html`<p class="hint">${t({ en: 'Download links are personal and work for {h} hours; this page always shows fresh ones.', de: 'Download-Links sind persönlich und gelten {h} Stunden; diese Seite zeigt immer neue.' }, { h: linkHours })}</p>
<ul class="purchases">${items.map(
        (item) => html`<li class="purchase">
<h3>${item.title}${item.quantity > 1 ? ` × ${item.quantity}` : ''}</h3>
<p class="hint"><span class="kind">${kind(item.kind)}</span> · ${t({ en: 'Order {n}', de: 'Bestellung {n}' }, { n: item.orderNumber })}</p>
${
  item.withdrawnAt !== null
    ? html`<p class="withdrawn"><strong>${t(
        {
          en: 'Withdrawn on {at}: no longer delivered (no downloads, keys no longer activate).',
          de: 'Widerrufen am {at}: wird nicht mehr geliefert (keine Downloads, Schlüssel aktivieren nicht mehr).',
        },
        { at: formatTime(ctx.lang, item.withdrawnAt, ctx.timeZone) },
      )}</strong></p>`
    : ''
}
${deliveryOf(ctx, item, deliveryFor(item))}
${
  item.contents.length > 0
    ? html`<p>${t({ en: 'This bundle contains:', de: 'Dieses Paket enthält:' })}</p>
<ul class="bundle-items">${item.contents.map(
        (c) =>
          html`<li><h4>${c.title} <span class="kind">${kind(c.kind)}</span></h4>${deliveryOf(ctx, c, deliveryFor(c))}</li>`,
      )}</ul>`
    : ''
}
</li>`,
      )}</ul>`
}`;
}

/** The sections of "My products" that the downloads feature fills: purchases, any licence of no purchase, keys' script. */
export function myProductsSections(ctx: PageContext, model: MyProducts): SafeHtml[] {
  // A line withdrawn from keeps its keys in view (marked withdrawn), but no longer offers files or a how-to.
  const deliveryFor = (item: PurchasedItem): ProductDelivery => ({
    keys: model.licencesOf(item).map((r) => licenceDetails(ctx, r.licence, r.activations)),
    files: item.withdrawnAt === null ? model.filesOf(item.productId) : [],
    howTo: item.withdrawnAt === null ? model.howToOf(item.productId, ctx.lang) : '',
  });
  const sections = [purchasesSection(ctx, model.items, deliveryFor, LINK_LIFETIME_MS / 3_600_000)];
  if (model.otherLicences.length > 0) sections.push(licencesSection(ctx, model.otherLicences));
  sections.push(copyKeysScript());
  return sections;
}

/**
 * The demo download with the newsletter offer: an UNTICKED box and an address field (a demo download is no sale,
 * so only consent and its confirmation by mail subscribe anyone). Without the box the download is as before.
 */
export function demoDownloadPage(
  ctx: PageContext,
  product: { slug: string; title: string },
  email: string,
  errors: Record<string, Text> = {},
): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const title = t({ en: 'Download the demo of {product}', de: 'Demo von {product} herunterladen' }).replace(
    '{product}',
    product.title,
  );
  const emailError = errors.email;
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
${errorSummary(ctx.lang, undefined, errors, { email: { en: 'Email address for the newsletter', de: 'E-Mail-Adresse für den Newsletter' } }, ['email'])}
<form method="post" action="/shop/${product.slug}/demo">
  ${csrfField(ctx)}
  <div class="checkbox"><input id="f-newsletter" type="checkbox" name="newsletter" value="1" aria-describedby="demo-newsletter-hint"> <label for="f-newsletter">${t({ en: 'Send me the newsletter', de: 'Senden Sie mir den Newsletter' })}</label></div>
  <div class="field">
    <label for="f-email">${t({ en: 'Email address for the newsletter', de: 'E-Mail-Adresse für den Newsletter' })} <span class="optional">${t({ en: '(only with the box ticked)', de: '(nur mit angekreuztem Kästchen)' })}</span></label>
    <input id="f-email" type="email" name="email" autocomplete="email" maxlength="254" value="${email}"${emailError ? html` aria-invalid="true" aria-describedby="f-email-error"` : ''}>
    ${emailError ? html`<p class="field-error" id="f-email-error">${t(emailError)}</p>` : ''}
  </div>
  <p class="hint" id="demo-newsletter-hint">${t({ en: 'Optional. If you tick the box, we send one mail with a link to confirm; you get the newsletter only after confirming and can unsubscribe at any time.', de: 'Freiwillig. Wenn Sie das Kästchen ankreuzen, senden wir eine E-Mail mit einem Bestätigungslink; den Newsletter erhalten Sie erst nach Ihrer Bestätigung und können ihn jederzeit abbestellen.' })}</p>
  <p><button type="submit">${t({ en: 'Download the demo', de: 'Demo herunterladen' })}</button></p>
</form>`,
  );
}
