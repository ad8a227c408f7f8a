// Policy 6b: hardware registration, and the staff review queue of disputed registrations.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const registrationsDataMap: DataMapPart = {
  activities: [
    {
      id: 'registrations.hardware',
      name: { en: 'Hardware registration', de: 'Hardware-Registrierung' },
      purpose: {
        en: 'Registering the serial numbers of your devices to your account, for support, warranty and updates. A device we sold is registered by its buyer (we record the serial numbers when we ship); our staff check disputed registrations.',
        de: 'Registrierung der Seriennummern Ihrer Geräte in Ihrem Konto, für Support, Gewährleistung und Updates. Ein von uns verkauftes Gerät registriert sein Käufer (wir erfassen die Seriennummern beim Versand); strittige Registrierungen prüfen unsere Mitarbeiter.',
      },
      legalBasis: 'contract',
      subjects: { en: 'customers who register hardware', de: 'Kunden, die Hardware registrieren' },
      recipients: [],
      // A registration is checked against the sale of the unit (orders' findSaleOfSerial): who bought which serial.
      uses: [
        { table: 'order_serials', columns: ['serial', 'user_id', 'product_id', 'order_id'] },
        { table: 'orders', columns: ['number', 'status'] },
      ],
    },
  ],
  tables: [
    {
      table: 'hardware_registrations',
      activity: 'registrations.hardware',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        user_id: 'account',
        product_id: 'purchases',
        serial: 'product-identifier',
        registered_at: 'purchases',
        released_at: 'purchases',
        assigned_by_staff: 'purchases',
      },
      erasure: { action: 'delete' },
      keptUntil: {
        en: 'A registration is kept as long as the device is registered to your account: until you release it (for instance when you sell the device), staff assign it to its new owner, or you ask us to erase your data.',
        de: 'Eine Registrierung bleibt gespeichert, solange das Gerät in Ihrem Konto registriert ist: bis Sie es freigeben (etwa beim Verkauf), unsere Mitarbeiter es dem neuen Eigentümer zuordnen oder Sie die Löschung Ihrer Daten verlangen.',
      },
      retention: [
        {
          id: 'registrations.delete-released',
          what: { en: 'Released registrations', de: 'Freigegebene Registrierungen' },
          after: { days: 30 },
          from: 'released_at',
          fromEvent: { en: 'release', de: 'der Freigabe' },
          basis: {
            en: 'a release shows that you passed the device on, so that its next owner can register it without a review',
            de: 'eine Freigabe zeigt, dass Sie das Gerät weitergegeben haben, sodass der nächste Eigentümer es ohne Prüfung registrieren kann',
          },
          action: { kind: 'delete' },
        },
      ],
    },
    {
      table: 'registration_reviews',
      activity: 'registrations.hardware',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        user_id: 'account',
        product_id: 'purchases',
        serial: 'product-identifier',
        reason: 'purchases',
        order_number: 'purchases',
        created_at: 'purchases',
        resolved_at: 'purchases',
        resolution: 'purchases',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'registrations.delete-decided-reviews',
          what: {
            en: 'Decided reviews of disputed registrations',
            de: 'Entschiedene Prüfungen strittiger Registrierungen',
          },
          after: { days: 90 },
          from: 'resolved_at',
          fromEvent: { en: 'the decision', de: 'der Entscheidung' },
          basis: {
            en: 'to answer questions about the decision',
            de: 'um Fragen zur Entscheidung beantworten zu können',
          },
          action: { kind: 'delete' },
        },
        {
          id: 'registrations.delete-old-reviews',
          what: {
            en: 'All reviews of disputed registrations, decided or not,',
            de: 'Alle Prüfungen strittiger Registrierungen, entschieden oder nicht,',
          },
          after: { days: 365 },
          from: 'created_at',
          fromEvent: { en: 'the request', de: 'der Anfrage' },
          basis: {
            en: 'a dispute not decided within a year is closed so that its data does not linger',
            de: 'ein Streit, der binnen eines Jahres nicht entschieden ist, wird geschlossen, damit seine Daten nicht liegen bleiben',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
