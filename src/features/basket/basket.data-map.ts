// Policy 2b/6a: the basket. A guest's basket is tied only to a random cookie token; an account's to the account.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const basketDataMap: DataMapPart = {
  activities: [
    {
      id: 'basket.shopping-basket',
      name: { en: 'Shopping basket', de: 'Warenkorb' },
      purpose: {
        en: 'Remembering the products you put in your basket, for a guest through a session cookie, for a customer in the account.',
        de: 'Merken der Produkte in Ihrem Warenkorb, für Gäste über ein Sitzungs-Cookie, für Kunden im Konto.',
      },
      legalBasis: 'contract',
      basisDetail: { en: 'Steps at your request before a purchase.', de: 'Maßnahmen auf Ihre Anfrage vor einem Kauf.' },
      subjects: {
        en: 'visitors and customers who use the basket',
        de: 'Besucher und Kunden, die den Warenkorb nutzen',
      },
      recipients: [],
    },
  ],
  tables: [
    {
      table: 'baskets',
      refersTo: ['users'],
      activity: 'basket.shopping-basket',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'online-identifier',
        user_id: 'account',
        token_hash: 'secret',
        lines: 'purchases',
        version: 'not-personal',
        added_notice: 'purchases',
        created_at: 'usage',
        updated_at: 'usage',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'basket.delete-stale-baskets',
          what: { en: 'Baskets', de: 'Warenkörbe' },
          after: { days: 90 },
          from: 'updated_at',
          fromEvent: { en: 'their last change', de: 'ihrer letzten Änderung' },
          basis: {
            en: 'a basket left unchanged that long has been given up',
            de: 'ein so lange unveränderter Warenkorb ist aufgegeben',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
