// The cookie-consent section of the staff customer page: the customer's consent receipts that are linked to their
// account (choices made while signed in, or in a browser where they signed in later), newest first, with what
// they granted. Choices made in a browser where they never signed in are not linked to anyone, and the page says so.
import type { CustomerSectionProvider } from '../../feature.ts';
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { listNewestConsentRecordsOfUser } from './consent.customer.queries.ts';
import type { ConsentAction } from './consent.tables.ts';
import { categoryInfo, type ConsentCategory } from './model.ts';

const SHOWN = 10;

const actions: Record<ConsentAction, Text> = {
  accept: { en: 'accepted all', de: 'alle akzeptiert' },
  reject: { en: 'rejected all', de: 'alle abgelehnt' },
  custom: { en: 'chose', de: 'ausgewählt' },
  gpc: { en: 'Global Privacy Control signal', de: 'Signal Global Privacy Control' },
  withdraw: { en: 'withdrew', de: 'widerrufen' },
};

/** Column names (headers, and the labels of the stacked cells on phones). */
const L = {
  date: { en: 'Date', de: 'Datum' },
  choice: { en: 'Choice', de: 'Entscheidung' },
  categories: { en: 'Categories granted', de: 'Erteilte Kategorien' },
} satisfies Record<string, Text>;

export const consentCustomerSection: CustomerSectionProvider = {
  roles: ['staff', 'admin'],
  order: 45,
  async load(deps, userId, lang) {
    const t = (text: Text) => tr(lang, text);
    const zone = deps.config.operator.timeZone;
    const rows = await listNewestConsentRecordsOfUser(deps.db, userId, SHOWN);
    const note = html`<p><small>${t({
      en: 'Only choices made in a browser where the customer was signed in are linked to the account; choices in other browsers are not linked to anyone.',
      de: 'Nur Entscheidungen in einem Browser, in dem der Kunde angemeldet war, sind mit dem Konto verknüpft; Entscheidungen in anderen Browsern sind niemandem zugeordnet.',
    })}</small></p>`;
    const granted = (choices: string) => {
      const parsed = JSON.parse(choices) as { categories?: string[] };
      const names = (parsed.categories ?? [])
        .filter((c): c is ConsentCategory => Object.hasOwn(categoryInfo, c))
        .map((c) => t(categoryInfo[c].name));
      return names.length > 0 ? names.join(', ') : '—';
    };
    return {
      title: { en: 'Cookie consent', de: 'Cookie-Einwilligung' },
      body:
        rows.length === 0
          ? html`<p>${t({ en: 'No consent choice is linked to this account.', de: 'Mit diesem Konto ist keine Einwilligungsentscheidung verknüpft.' })}</p>${note}`
          : html`<table class="customer-consents"><thead><tr><th scope="col">${t(L.date)}</th><th scope="col">${t(L.choice)}</th><th scope="col">${t(L.categories)}</th></tr></thead>
<tbody>${rows.map((r) => html`<tr><td data-label="${t(L.date)}">${formatTime(lang, r.recorded_at, zone)}</td><td data-label="${t(L.choice)}">${t(actions[r.action])}</td><td data-label="${t(L.categories)}">${granted(r.choices)}</td></tr>`)}</tbody></table>${note}`,
    };
  },
};
