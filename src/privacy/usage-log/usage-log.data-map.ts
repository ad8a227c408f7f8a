// Policy 2a: usage data of every request. The full IP is kept 7 days for (D)DoS defence, apart from
// the rest of the request, then dropped; the request itself keeps only the anonymised prefix.
import type { DataMapPart } from '../data-map.ts';
import { USAGE_IP, USAGE_LOG } from './usage-log.writer.ts';

export const USAGE_IP_DAYS = 7;
export const USAGE_LOG_DAYS = 90;

export const usageLogDataMap: DataMapPart = {
  activities: [
    {
      id: 'usage.request-log',
      name: { en: 'Usage data of every visit', de: 'Nutzungsdaten bei jedem Besuch' },
      purpose: {
        en: 'Delivering the website, finding faults, and recognising and fending off (distributed) denial-of-service attacks.',
        de: 'Auslieferung der Website, Fehlersuche sowie Erkennung und Abwehr von (verteilten) Denial-of-Service-Angriffen.',
      },
      legalBasis: 'legitimate-interests',
      basisDetail: {
        en: 'Our interest in a secure and working website. The full IP address is joined with the other request data only where that is needed to defend against an attack.',
        de: 'Unser Interesse an einer sicheren und funktionierenden Website. Die vollständige IP-Adresse wird nur mit den übrigen Anfragedaten zusammengeführt, wenn das zur Abwehr eines Angriffs nötig ist.',
      },
      subjects: {
        en: 'every visitor of the website and user of the API',
        de: 'alle Besucher der Website und Nutzer der API',
      },
      recipients: [],
      role: 'request-log',
    },
  ],
  tables: [
    {
      table: USAGE_LOG,
      partitioned: 'daily',
      activity: 'usage.request-log',
      subject: null,
      unlinkedBecause: {
        en: 'These records hold no full IP address and no account; no row can be tied to a person, so none is part of a personal data export.',
        de: 'Diese Einträge enthalten weder eine vollständige IP-Adresse noch ein Konto; keine Zeile lässt sich einer Person zuordnen, daher ist keine Teil eines Datenexports.',
      },
      columns: {
        id: 'not-personal',
        at: 'usage',
        duration_ms: 'usage',
        tz_offset_min: 'usage',
        method: 'usage',
        path: 'usage',
        status: 'usage',
        bytes: 'usage',
        referrer: 'usage',
        browser: 'device',
        browser_version: 'device',
        language: 'device',
        os: 'device',
        // Anonymised at once (IPv4 /24, IPv6 /48): no longer an identifier on its own.
        ip_prefix: 'not-personal',
      },
      erasure: null,
      retention: [
        {
          id: 'usage.drop-request-log',
          what: {
            en: 'Request records (without full IP address)',
            de: 'Anfrageprotokolle (ohne vollständige IP-Adresse)',
          },
          after: { days: USAGE_LOG_DAYS },
          from: 'at',
          fromEvent: { en: 'the request', de: 'der Anfrage' },
          action: { kind: 'drop-partition', exact: false },
        },
      ],
    },
    {
      table: USAGE_IP,
      partitioned: 'daily',
      activity: 'usage.request-log',
      // Not linked to anyone: an IP address is shared by everyone behind one router, so rows found by it would
      // hand one person's requests to another in an export or erase theirs (Art. 15(4) GDPR). It lasts 7 days.
      subject: null,
      unlinkedBecause: {
        en: `An IP address is shared by everyone behind the same router or network, so a full address cannot tell whose request it was; these rows are not linked to any person and are neither exported nor erased per person. They are deleted ${USAGE_IP_DAYS} days after the request.`,
        de: `Eine IP-Adresse teilen sich alle hinter demselben Router oder Netz, daher lässt sich an der vollständigen Adresse nicht erkennen, wessen Anfrage es war; diese Zeilen sind keiner Person zugeordnet und werden weder pro Person exportiert noch gelöscht. Sie werden ${USAGE_IP_DAYS} Tage nach der Anfrage gelöscht.`,
      },
      columns: { log_id: 'not-personal', at: 'usage', ip: 'ip-address' },
      erasure: null,
      retention: [
        {
          id: 'usage.anonymise-ip-addresses',
          what: {
            en: 'Full IP addresses (the request records keep only the address with its last 8 bits, for IPv6 its last 80 bits, removed)',
            de: 'Vollständige IP-Adressen (die Anfrageprotokolle behalten nur die um die letzten 8 Bit, bei IPv6 die letzten 80 Bit, gekürzte Adresse)',
          },
          after: { days: USAGE_IP_DAYS },
          from: 'at',
          fromEvent: { en: 'the request', de: 'der Anfrage' },
          action: { kind: 'drop-partition', exact: true },
        },
      ],
    },
  ],
};
