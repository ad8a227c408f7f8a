// The advertising section of the staff customer page: whether the customer gets emailed suggestions of similar
// products (§ 7(3) UWG, purchasers only) or objected to them, and when and where the objection was recorded.
import type { CustomerSectionProvider } from '../../feature.ts';
import { html } from '../../platform/html.ts';
import { formatTime, tr, type Text } from '../../platform/i18n.ts';
import { findObjection as findRecord } from '../../privacy/objections.ts';
import { listPurchasesOfUser } from '../orders/index.ts';
import { findObjection, SIMILAR_PRODUCTS } from './advertising.queries.ts';

const via: Record<string, Text> = {
  account: { en: 'in the account', de: 'im Konto' },
  mail: { en: 'with the link in a mail', de: 'über den Link in einer E-Mail' },
  staff: { en: 'by staff on request', de: 'durch Mitarbeiter auf Anfrage' },
};

export const advertisingCustomerSection: CustomerSectionProvider = {
  roles: ['staff', 'admin'],
  order: 40,
  async load(deps, userId, lang) {
    const t = (text: Text, params?: Record<string, string | number>) => tr(lang, text, params);
    const zone = deps.config.operator.timeZone;
    const objection = await findObjection(deps.db, userId);
    const restriction = await findRecord(deps.db, userId, SIMILAR_PRODUCTS, 'restriction');
    const purchaser = (await listPurchasesOfUser(deps.db, userId)).length > 0;
    const state = objection
      ? t(
          {
            en: 'Objected on {at} ({via}): no suggestions are sent.',
            de: 'Widersprochen am {at} ({via}): Es werden keine Vorschläge versandt.',
          },
          {
            at: formatTime(lang, objection.recorded_at, zone),
            via: t(via[objection.via] ?? { en: objection.via, de: objection.via }),
          },
        )
      : restriction
        ? t({
            en: 'Restricted (Art. 18 GDPR): no suggestions are sent.',
            de: 'Eingeschränkt (Art. 18 DSGVO): Es werden keine Vorschläge versandt.',
          })
        : purchaser
          ? t({
              en: 'Receives suggestions as a purchaser (§ 7(3) UWG); may object at any time.',
              de: 'Erhält Vorschläge als Käufer (§ 7 Abs. 3 UWG); kann jederzeit widersprechen.',
            })
          : t({ en: 'None sent: no purchase yet.', de: 'Keine versandt: noch kein Kauf.' });
    return {
      title: { en: 'Product suggestions by email', de: 'Produktvorschläge per E-Mail' },
      body: html`<p class="advertising-state">${state}</p>`,
    };
  },
};
