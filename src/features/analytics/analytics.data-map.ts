// Policy 2c (aa)-(dd), issue 15: first-party statistics. Cookieless counting rests on legitimate interest with an
// opt-out; the beacon, the pseudonymous id of returning visitors and experiments need statistics consent. Raw
// events hold no IP and no user agent and are kept a configured number of days; aggregates hold no person.
import type { DataMapPart, Text } from '../../privacy/data-map.ts';
import { ACTIVITY } from './analytics.model.ts';

const t = (en: string, de: string): Text => ({ en, de });

export const ANALYTICS_EVENTS = 'analytics_events';
/** How long an experiment's assignments are kept at most while it runs (they go at once when it stops). */
export const ASSIGNMENT_DAYS = 365;

export function analyticsDataMap(options: { rawDays: number; aggregateMonths: number }): DataMapPart {
  const { rawDays, aggregateMonths } = options;
  const aggregateRule = (id: string, what: Text, from: string, fromEvent: Text) => ({
    id,
    what,
    after: { months: aggregateMonths },
    from,
    fromEvent,
    basis: t(
      `to compare the shop's use over ${aggregateMonths} months with the same months of the year before`,
      `um die Nutzung des Shops über ${aggregateMonths} Monate mit denselben Monaten des Vorjahres zu vergleichen`,
    ),
    action: { kind: 'delete' as const },
  });
  const aggregatesUnlinked = t(
    'Counts per day or hour (visitors, visits, page views, pages, sources, devices, countries); they hold no identifier of any visitor.',
    'Zählungen je Tag oder Stunde (Besucher, Besuche, Seitenaufrufe, Seiten, Quellen, Geräte, Länder); sie enthalten keine Kennung eines Besuchers.',
  );
  return {
    activities: [
      {
        id: ACTIVITY.counting,
        name: t('Counting visits without cookies', 'Zählung von Besuchen ohne Cookies'),
        purpose: t(
          'Counting visitors, visits and page views, where visitors come from and which devices and languages they use, so that we can improve the shop. Counted on our server from the requests your browser makes anyway, without cookies and without any tracking script.',
          'Zählung von Besuchern, Besuchen und Seitenaufrufen, woher Besucher kommen und welche Geräte und Sprachen sie nutzen, damit wir den Shop verbessern können. Gezählt auf unserem Server aus den Anfragen, die Ihr Browser ohnehin stellt, ohne Cookies und ohne Tracking-Skript.',
        ),
        legalBasis: 'legitimate-interests',
        basisDetail: t(
          'Our interest in knowing how the shop is used. A visitor is recognised for one day only: by a keyed hash of a random salt, the IP address, the browser identification and our site; the salt changes every midnight (UTC) and is deleted 48 hours after its day began, so that no one, we included, can link two days. The IP address and the browser identification are never stored. You can object at any time on the page about our statistics; a browser that sends Do Not Track or Global Privacy Control is not counted.',
          'Unser Interesse daran zu wissen, wie der Shop genutzt wird. Ein Besucher wird nur für einen Tag wiedererkannt: an einem mit Schlüssel gebildeten Hash aus einem zufälligen Salt, der IP-Adresse, der Browserkennung und unserer Website; das Salt wechselt jede Mitternacht (UTC) und wird 48 Stunden nach Beginn seines Tages gelöscht, sodass niemand, auch wir nicht, zwei Tage verknüpfen kann. IP-Adresse und Browserkennung werden nie gespeichert. Sie können jederzeit auf der Seite über unsere Statistik widersprechen; ein Browser, der Do Not Track oder Global Privacy Control sendet, wird nicht gezählt.',
        ),
        subjects: t('visitors of the website', 'Besucher der Website'),
        recipients: [],
        objectable: true,
      },
      {
        id: ACTIVITY.interaction,
        name: t('How pages are used', 'Wie Seiten genutzt werden'),
        purpose: t(
          'Measuring what only your browser knows: screen size, time on a page, how far you scroll, which links lead away from the shop and which elements are clicked (by their position in the page, never text, form entries or keystrokes), with a small script of our own.',
          'Messung dessen, was nur Ihr Browser weiß: Bildschirmgröße, Verweildauer, wie weit Sie scrollen, welche Links aus dem Shop hinausführen und welche Elemente angeklickt werden (an ihrer Stelle in der Seite, nie Texte, Formulareingaben oder Tastenanschläge), mit einem kleinen eigenen Skript.',
        ),
        legalBasis: 'consent',
        consentCategory: 'statistics',
        subjects: t('visitors who consented to statistics', 'Besucher, die in Statistik eingewilligt haben'),
        recipients: [],
        // Its events are rows of the raw events table (rowActivity), kept as long as the counting's.
        uses: [{ table: ANALYTICS_EVENTS, columns: ['path', 'screen', 'duration_ms', 'scroll_pct', 'target'] }],
      },
      {
        id: ACTIVITY.returning,
        name: t('Returning visitors under a pseudonym', 'Wiederkehrende Besucher unter Pseudonym'),
        purpose: t(
          'Counting returning visitors and customers over more than one day, under a pseudonym: a keyed hash of your account or of your cookie choice, from which our staff cannot learn who you are.',
          'Zählung wiederkehrender Besucher und Kunden über mehr als einen Tag unter einem Pseudonym: einem mit Schlüssel gebildeten Hash Ihres Kontos oder Ihrer Cookie-Auswahl, aus dem unsere Beschäftigten nicht erfahren, wer Sie sind.',
        ),
        legalBasis: 'consent',
        consentCategory: 'statistics',
        subjects: t('visitors who consented to statistics', 'Besucher, die in Statistik eingewilligt haben'),
        recipients: [],
        objectable: true,
      },
      {
        id: ACTIVITY.experiments,
        name: t('Experiments (A/B tests)', 'Experimente (A/B-Tests)'),
        purpose: t(
          'Trying two or more versions of a page or feature, shown to consenting visitors by lot, to learn which works better. The lot is drawn from your pseudonym, so you keep your version on later days; without consent you always see the usual version and are not counted.',
          'Erprobung von zwei oder mehr Fassungen einer Seite oder Funktion, die einwilligenden Besuchern per Los gezeigt werden, um zu lernen, welche besser funktioniert. Das Los wird aus Ihrem Pseudonym gezogen, sodass Sie Ihre Fassung auch an späteren Tagen behalten; ohne Einwilligung sehen Sie immer die übliche Fassung und werden nicht gezählt.',
        ),
        legalBasis: 'consent',
        consentCategory: 'statistics',
        subjects: t('visitors who consented to statistics', 'Besucher, die in Statistik eingewilligt haben'),
        recipients: [],
        uses: [{ table: ANALYTICS_EVENTS, columns: ['pseudonym', 'path', 'target'] }],
      },
    ],
    tables: [
      {
        table: ANALYTICS_EVENTS,
        partitioned: 'daily',
        activity: ACTIVITY.counting,
        rowActivity: {
          column: 'kind',
          activities: { engagement: ACTIVITY.interaction, click: ACTIVITY.interaction, outbound: ACTIVITY.interaction },
        },
        subject: null,
        unlinkedBecause: t(
          'The events hold no IP address, no browser identification and no account. Without consent a visitor is one hash for one day; the pseudonym of a consenting visitor is a keyed hash that only the pseudonym key can recompute from the account, and when you withdraw, object or ask for erasure your pseudonym is put on an exclusion list and your events are deleted.',
          'Die Ereignisse enthalten keine IP-Adresse, keine Browserkennung und kein Konto. Ohne Einwilligung ist ein Besucher ein Hash für einen Tag; das Pseudonym eines einwilligenden Besuchers ist ein mit Schlüssel gebildeter Hash, den nur der Pseudonym-Schlüssel aus dem Konto neu berechnen kann, und wenn Sie widerrufen, widersprechen oder die Löschung verlangen, kommt Ihr Pseudonym auf eine Ausschlussliste und Ihre Ereignisse werden gelöscht.',
        ),
        columns: {
          id: 'not-personal',
          at: 'usage',
          kind: 'usage',
          visitor: 'online-identifier',
          pseudonym: 'online-identifier',
          path: 'usage',
          referrer_host: 'usage',
          utm_source: 'usage',
          utm_medium: 'usage',
          utm_campaign: 'usage',
          language: 'language',
          browser: 'device',
          os: 'device',
          device: 'device',
          country: 'country',
          screen: 'device',
          duration_ms: 'usage',
          scroll_pct: 'usage',
          target: 'usage',
        },
        erasure: null,
        retention: [
          {
            id: 'analytics.drop-events',
            what: t('Raw statistics events', 'Rohe Statistik-Ereignisse'),
            after: { days: rawDays },
            from: 'at',
            fromEvent: t('the page view or event', 'dem Seitenaufruf oder Ereignis'),
            basis: t(
              'to correct and re-count recent days; afterwards only the daily and hourly counts remain',
              'um die letzten Tage korrigieren und neu zählen zu können; danach bleiben nur die Tages- und Stundenzählungen',
            ),
            action: { kind: 'drop-partition', exact: false },
          },
        ],
      },
      {
        table: 'analytics_daily',
        activity: ACTIVITY.counting,
        subject: null,
        unlinkedBecause: aggregatesUnlinked,
        columns: {
          day: 'not-personal',
          dimension: 'not-personal',
          value: 'not-personal',
          visitors: 'not-personal',
          visits: 'not-personal',
          pageviews: 'not-personal',
          bounces: 'not-personal',
          duration_ms: 'not-personal',
          events: 'not-personal',
        },
        erasure: null,
        retention: [
          aggregateRule(
            'analytics.delete-daily-counts',
            t('Daily counts', 'Tageszählungen'),
            'day',
            t('the day counted', 'dem gezählten Tag'),
          ),
        ],
      },
      {
        table: 'analytics_hourly',
        activity: ACTIVITY.counting,
        subject: null,
        columns: { hour: 'not-personal', visitors: 'not-personal', visits: 'not-personal', pageviews: 'not-personal' },
        erasure: null,
        retention: [
          aggregateRule(
            'analytics.delete-hourly-counts',
            t('Hourly counts', 'Stundenzählungen'),
            'hour',
            t('the hour counted', 'der gezählten Stunde'),
          ),
        ],
      },
      {
        table: 'analytics_bots',
        activity: ACTIVITY.counting,
        subject: null,
        columns: { day: 'not-personal', reason: 'not-personal', count: 'not-personal' },
        erasure: null,
        retention: [
          aggregateRule(
            'analytics.delete-bot-counts',
            t('Counts of requests by bots', 'Zählungen von Bot-Anfragen'),
            'day',
            t('the day counted', 'dem gezählten Tag'),
          ),
        ],
      },
      {
        table: 'analytics_salts',
        activity: ACTIVITY.counting,
        subject: null,
        columns: { day: 'not-personal', salt: 'not-personal', created_at: 'not-personal' },
        erasure: null,
        retention: [
          {
            id: 'analytics.delete-salts',
            what: t('The random daily salts', 'Die zufälligen Tages-Salts'),
            after: { days: 2 },
            from: 'created_at',
            fromEvent: t('the start of its day (UTC)', 'dem Beginn seines Tages (UTC)'),
            basis: t(
              'so that no one can recompute a visitor hash or link two days once the day is over',
              'damit niemand nach Ablauf des Tages einen Besucher-Hash neu berechnen oder zwei Tage verknüpfen kann',
            ),
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'analytics_exclusions',
        activity: ACTIVITY.returning,
        subject: null,
        unlinkedBecause: t(
          'Pseudonyms of visitors who withdrew, objected, asked for restriction or erasure: keyed hashes kept only so that no raw event or report counts them again.',
          'Pseudonyme von Besuchern, die widerrufen, widersprochen, die Einschränkung oder die Löschung verlangt haben: mit Schlüssel gebildete Hashes, nur aufbewahrt, damit kein Rohereignis und kein Bericht sie wieder zählt.',
        ),
        columns: { pseudonym: 'online-identifier', reason: 'preferences', added_at: 'usage' },
        erasure: null,
        retention: [
          {
            id: 'analytics.delete-exclusions',
            what: t('Excluded pseudonyms', 'Ausgeschlossene Pseudonyme'),
            after: { days: rawDays },
            from: 'added_at',
            fromEvent: t(
              'the exclusion, renewed every hour while an objection or restriction lasts',
              'dem Ausschluss, der stündlich erneuert wird, solange ein Widerspruch oder eine Einschränkung andauert',
            ),
            basis: t(
              'as long as raw events that could carry the pseudonym exist',
              'solange Rohereignisse bestehen, die das Pseudonym tragen könnten',
            ),
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'analytics_dirty_days',
        activity: ACTIVITY.counting,
        subject: null,
        columns: { day: 'not-personal', marked_at: 'not-personal' },
        erasure: null,
        retention: [],
      },
      {
        table: 'analytics_experiments',
        activity: ACTIVITY.experiments,
        subject: null,
        columns: {
          id: 'not-personal',
          key: 'not-personal',
          name: 'not-personal',
          changes: 'not-personal',
          goal_kind: 'not-personal',
          goal_path: 'not-personal',
          variants: 'not-personal',
          state: 'not-personal',
          created_at: 'not-personal',
          started_at: 'not-personal',
          stopped_at: 'not-personal',
        },
        erasure: null,
        retention: [],
      },
      {
        table: 'analytics_assignments',
        activity: ACTIVITY.experiments,
        subject: null,
        unlinkedBecause: t(
          'A consenting visitor’s pseudonym with the version shown and whether the goal was reached. The rows of an experiment are deleted when it stops (only the counts per version remain), and a person’s rows when they withdraw, object or ask for erasure.',
          'Das Pseudonym eines einwilligenden Besuchers mit der gezeigten Fassung und ob das Ziel erreicht wurde. Die Zeilen eines Experiments werden gelöscht, wenn es endet (es bleiben nur die Zahlen je Fassung), und die Zeilen einer Person, wenn sie widerruft, widerspricht oder die Löschung verlangt.',
        ),
        refersTo: ['analytics_experiments'],
        columns: {
          experiment_id: 'not-personal',
          pseudonym: 'online-identifier',
          variant: 'usage',
          assigned_at: 'usage',
          converted_at: 'usage',
        },
        erasure: null,
        retention: [
          {
            id: 'analytics.delete-assignments',
            what: t('Versions shown in experiments', 'In Experimenten gezeigte Fassungen'),
            after: { days: ASSIGNMENT_DAYS },
            from: 'assigned_at',
            fromEvent: t(
              'the first time the version was shown (or earlier, when the experiment stops)',
              'dem ersten Zeigen der Fassung (oder früher, wenn das Experiment endet)',
            ),
            basis: t(
              'so that a long experiment counts each visitor once',
              'damit ein langes Experiment jeden Besucher nur einmal zählt',
            ),
            action: { kind: 'delete' },
          },
        ],
      },
      {
        table: 'analytics_experiment_results',
        activity: ACTIVITY.experiments,
        subject: null,
        refersTo: ['analytics_experiments'],
        columns: {
          experiment_id: 'not-personal',
          variant: 'not-personal',
          exposures: 'not-personal',
          conversions: 'not-personal',
        },
        erasure: null,
        retention: [],
      },
    ],
  };
}
