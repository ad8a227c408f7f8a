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
        // Shortened at once (IPv4 /24, IPv6 /48). A prefix can still point to one connection (a /48 is often one
        // customer's line), so it is personal data and listed as such.
        ip_prefix: 'ip-prefix',
      },
      erasure: null,
      retention: [
        {
          id: 'usage.drop-request-log',
          what: {
            en: 'Request records with the shortened IP address',
            de: 'Anfrageprotokolle mit gekürzter IP-Adresse',
          },
          after: { days: USAGE_LOG_DAYS },
          from: 'at',
          fromEvent: { en: 'the request', de: 'der Anfrage' },
          basis: {
            en: 'to find faults and recognise patterns of attack that build up over weeks',
            de: 'um Fehler zu finden und Angriffsmuster zu erkennen, die sich über Wochen aufbauen',
          },
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
            en: 'Full IP addresses stored apart from the request records',
            de: 'Die getrennt von den Anfrageprotokollen gespeicherten vollständigen IP-Adressen',
          },
          after: { days: USAGE_IP_DAYS },
          from: 'at',
          fromEvent: { en: 'the request', de: 'der Anfrage' },
          basis: {
            en: 'to recognise and fend off denial-of-service attacks, distributed or not, while they are recent',
            de: 'um Denial-of-Service-Angriffe, auch verteilte, zu erkennen und abzuwehren, solange sie aktuell sind',
          },
          action: { kind: 'drop-partition', exact: true },
        },
      ],
    },
  ],
};
