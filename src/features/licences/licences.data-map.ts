// Policy 6b: product registration and software activation.
import type { DataMapPart } from '../../privacy/data-map.ts';

export const licencesDataMap: DataMapPart = {
  activities: [
    {
      id: 'licences.software-activation',
      name: { en: 'Software licences and activation', de: 'Softwarelizenzen und Aktivierung' },
      purpose: {
        en: 'Issuing licence keys for software you bought and activating it on your machines, which we recognise by a hash of a machine fingerprint and, if you give one, by the name you chose for the machine (such as “Studio iMac”). Licence keys are product credentials you must be able to see again, not keys to your account, so unlike access tokens they are stored readable.',
        de: 'Ausgabe von Lizenzschlüsseln für gekaufte Software und deren Aktivierung auf Ihren Rechnern, die wir an einem Hash eines Geräte-Fingerabdrucks und, falls Sie einen angeben, an dem von Ihnen gewählten Namen des Rechners (etwa „Studio-iMac“) erkennen. Lizenzschlüssel sind Produkt-Zugangsdaten, die Sie wieder einsehen können müssen, keine Schlüssel zu Ihrem Konto; anders als Zugangs-Token speichern wir sie daher lesbar.',
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
        licence_key: 'product-identifier',
        user_id: 'account',
        order_id: 'purchases',
        product_id: 'purchases',
        max_activations: 'not-personal',
        created_at: 'purchases',
        revoked_at: 'purchases',
      },
      erasure: { action: 'delete' },
      retention: [],
      // The licence is what the customer bought: it has no period of its own.
      keptUntil: {
        en: 'A licence key is kept as long as you have your account, so that you can see it again and activate the software; when you ask us to erase your data, it is deleted.',
        de: 'Ein Lizenzschlüssel bleibt gespeichert, solange Sie Ihr Konto haben, damit Sie ihn wieder einsehen und die Software aktivieren können; verlangen Sie die Löschung Ihrer Daten, wird er gelöscht.',
      },
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
        machine_hash: 'machine-identifier',
        machine_name: 'machine-identifier',
        activated_at: 'usage',
        deactivated_at: 'usage',
      },
      erasure: { action: 'delete' },
      keptUntil: {
        en: 'An activation is kept as long as the software is activated on that computer: until you deactivate it there or in your account, or ask us to erase your data.',
        de: 'Eine Aktivierung bleibt gespeichert, solange die Software auf diesem Rechner aktiviert ist: bis Sie sie dort oder in Ihrem Konto deaktivieren oder die Löschung Ihrer Daten verlangen.',
      },
      retention: [
        {
          id: 'licences.delete-old-deactivations',
          what: { en: 'Deactivated machines', de: 'Deaktivierte Rechner' },
          after: { days: 30 },
          from: 'deactivated_at',
          fromEvent: { en: 'deactivation', de: 'der Deaktivierung' },
          basis: {
            en: 'to answer questions about a deactivation shortly after it',
            de: 'um Fragen zu einer Deaktivierung kurz danach beantworten zu können',
          },
          action: { kind: 'delete' },
        },
      ],
    },
  ],
};
