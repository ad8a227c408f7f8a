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
        serial: 'device',
        registered_at: 'purchases',
        released_at: 'purchases',
        assigned_by_staff: 'purchases',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'registrations.delete-released',
          what: { en: 'Released registrations', de: 'Freigegebene Registrierungen' },
          after: { days: 30 },
          from: 'released_at',
          fromEvent: { en: 'release', de: 'der Freigabe' },
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
        serial: 'device',
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
          action: { kind: 'delete' },
        },
        {
          id: 'registrations.delete-old-reviews',
          what: {
            en: 'Reviews of disputed registrations, decided or not',
            de: 'Prüfungen strittiger Registrierungen, entschieden oder nicht',
          },
          after: { days: 365 },
          from: 'created_at',
          fromEvent: { en: 'the request', de: 'der Anfrage' },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
