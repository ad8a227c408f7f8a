// Policy 6b: product registration and software activation.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const licencesDataMap: DataMapPart = {
  activities: [
    {
      id: 'licences.software-activation',
      name: { en: 'Software licences and activation', de: 'Softwarelizenzen und Aktivierung' },
      purpose: {
        en: 'Issuing licence keys for software you bought and activating it on your machines, which we recognise only by a hash of a machine fingerprint. Licence keys are product credentials you must be able to see again, not keys to your account, so unlike access tokens they are stored readable.',
        de: 'Ausgabe von Lizenzschlüsseln für gekaufte Software und deren Aktivierung auf Ihren Rechnern, die wir nur an einem Hash eines Geräte-Fingerabdrucks erkennen. Lizenzschlüssel sind Produkt-Zugangsdaten, die Sie wieder einsehen können müssen, keine Schlüssel zu Ihrem Konto; anders als Zugangs-Token speichern wir sie daher lesbar.',
      },
      legalBasis: 'contract',
      subjects: { en: 'customers who bought software', de: 'Kunden, die Software gekauft haben' },
      recipients: [],
    },
  ],
  tables: [
    {
      table: 'licences',
      activity: 'licences.software-activation',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        licence_key: 'online-identifier',
        user_id: 'account',
        order_id: 'purchases',
        product_id: 'purchases',
        max_activations: 'not-personal',
        created_at: 'purchases',
      },
      erasure: { action: 'delete' },
      retention: [],
    },
    {
      table: 'activations',
      refersTo: ['licences'],
      activity: 'licences.software-activation',
      subject: { via: 'user-id', column: 'user_id' },
      columns: {
        id: 'not-personal',
        licence_id: 'not-personal',
        user_id: 'account',
        machine_hash: 'device',
        activated_at: 'device',
        deactivated_at: 'device',
      },
      erasure: { action: 'delete' },
      retention: [
        {
          id: 'licences.delete-old-deactivations',
          what: { en: 'Deactivated machines', de: 'Deaktivierte Rechner' },
          after: { days: 30 },
          from: 'deactivated_at',
          fromEvent: { en: 'deactivation', de: 'der Deaktivierung' },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
