// The licences' section of the staff customer page: the software the customer owns, each key masked to its last
// four characters (enough to match what a customer reads out on the phone; the whole key stays in their account),
// with its activations and whether it was revoked.
import type { CustomerSectionProvider } from '../../feature.ts';
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { maskedKeysNotice, maskKey } from './licences.mask.ts';
import { licenceRows } from './licences.service.ts';

/** Column names (headers, and the labels of the stacked cells on phones). */
const L = {
  product: { en: 'Product', de: 'Produkt' },
  key: { en: 'Licence key', de: 'Lizenzschlüssel' },
  activations: { en: 'Activations', de: 'Aktivierungen' },
  issued: { en: 'Issued', de: 'Ausgestellt' },
} satisfies Record<string, Text>;

export const licenceCustomerSection: CustomerSectionProvider = {
  roles: ['staff', 'admin'],
  order: 20,
  async load(deps, userId, lang) {
    const rows = await licenceRows(deps, userId, lang);
    if (rows.length === 0) return null;
    const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
    const zone = deps.config.operator.timeZone;
    return {
      title: { en: 'Software and licences', de: 'Software und Lizenzen' },
      body: html`<p>${t(maskedKeysNotice)}</p>
<table class="customer-licences"><thead><tr><th scope="col">${t(L.product)}</th><th scope="col">${t(L.key)}</th><th scope="col">${t(L.activations)}</th><th scope="col">${t(L.issued)}</th></tr></thead>
<tbody>${rows.map(
        (r) =>
          html`<tr><td data-label="${t(L.product)}">${r.title}</td><td data-label="${t(L.key)}"><code>${maskKey(r.licence.licence_key)}</code>${r.licence.revoked_at !== null ? html` <strong>${t({ en: 'revoked', de: 'widerrufen' })}</strong>` : ''}</td><td data-label="${t(L.activations)}">${r.activations.length} / ${r.licence.max_activations}</td><td data-label="${t(L.issued)}">${formatTime(lang, r.licence.created_at, zone)}</td></tr>`,
      )}</tbody></table>`,
    };
  },
};
