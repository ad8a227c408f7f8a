// The registrations' section of the staff customer page: the hardware registered to the customer now (product and
// serial number, since when) and their claims waiting in the review queue; the customer search by the serial
// number of a registered unit.
import type { CustomerSectionProvider } from '../../feature.ts';
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { isSerial, normaliseSerial } from '../orders/index.ts';
import * as q from './registrations.queries.ts';
import { registrationRows } from './registrations.service.ts';

/** Column names (headers, and the labels of the stacked cells on phones). */
const L = {
  product: { en: 'Product', de: 'Produkt' },
  serial: { en: 'Serial number', de: 'Seriennummer' },
  registered: { en: 'Registered', de: 'Registriert' },
} satisfies Record<string, Text>;

export const registrationCustomerSection: CustomerSectionProvider = {
  roles: ['staff', 'admin'],
  order: 30,
  async load(deps, userId, lang) {
    const rows = await registrationRows(deps, lang, await q.listActiveRegistrations(deps.db, userId));
    const open = await q.countOpenReviewsOfUser(deps.db, userId);
    if (rows.length === 0 && open === 0) return null;
    const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
    const zone = deps.config.operator.timeZone;
    return {
      title: { en: 'Registered hardware', de: 'Registrierte Hardware' },
      body: html`${
        rows.length === 0
          ? html`<p>${t({ en: 'No hardware registered now.', de: 'Derzeit keine Hardware registriert.' })}</p>`
          : html`<table class="customer-registrations"><thead><tr><th scope="col">${t(L.product)}</th><th scope="col">${t(L.serial)}</th><th scope="col">${t(L.registered)}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td data-label="${t(L.product)}">${r.title}</td><td data-label="${t(L.serial)}"><code>${r.serial}</code></td><td data-label="${t(L.registered)}">${formatTime(lang, r.registeredAt, zone)}</td></tr>`)}</tbody></table>`
      }
${open > 0 ? html`<p><a href="/staff/registrations">${t({ en: '{n} registration(s) of this customer wait for review.', de: '{n} Registrierung(en) dieses Kunden warten auf Prüfung.' }, { n: open })}</a></p>` : ''}`,
    };
  },
  async findCustomers(deps, term) {
    const serial = normaliseSerial(term);
    if (!isSerial(serial)) return [];
    const row = await q.findActiveRegistrationBySerial(deps.db, serial);
    return row ? [row.user_id] : [];
  },
};
