// The data map entry of the address book: addresses the customer chose to save for later orders. Only the
// customer adds them (in the account or with "save this address" at checkout), changes and deletes them; an
// erasure request deletes them. They are no booking voucher: the order keeps its own copy of its addresses.
import type { Activity, TableMap } from '../../privacy/data-map.ts';

export const addressBookActivity: Activity = {
  id: 'orders.address-book',
  name: { en: 'Address book', de: 'Adressbuch' },
  purpose: {
    en: 'Keeping the postal addresses you save in your account, so that the checkout can fill them in for your next orders.',
    de: 'Speichern der Postanschriften, die Sie in Ihrem Konto ablegen, damit die Kasse sie bei Ihren nächsten Bestellungen vorausfüllt.',
  },
  // Saved at the customer's request as part of the account they hold (the account's terms of use).
  legalBasis: 'contract',
  basisDetail: {
    en: 'You save an address yourself, in your account or by ticking “Save this address” at the checkout; it is part of the account service you use.',
    de: 'Sie speichern eine Adresse selbst, in Ihrem Konto oder mit „Diese Adresse speichern“ an der Kasse; sie gehört zu dem Kontodienst, den Sie nutzen.',
  },
  subjects: { en: 'customers', de: 'Kunden' },
  recipients: [],
};

export const addressBookTableMap: TableMap = {
  table: 'address_book',
  activity: 'orders.address-book',
  subject: { via: 'user-id', column: 'user_id' },
  columns: {
    id: 'not-personal',
    user_id: 'account',
    name: 'identity',
    street: 'address',
    postal_code: 'address',
    city: 'address',
    country: 'address',
    default_billing: 'not-personal',
    default_shipping: 'not-personal',
    created_at: 'account',
    updated_at: 'account',
  },
  erasure: { action: 'delete' },
  retention: [],
  // No period: a saved address is wanted until its owner deletes it.
  keptUntil: {
    en: 'A saved address is kept until you delete it in your address book, or until you ask us to erase your data.',
    de: 'Eine gespeicherte Adresse bleibt, bis Sie sie in Ihrem Adressbuch löschen oder die Löschung Ihrer Daten verlangen.',
  },
};
