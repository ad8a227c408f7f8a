// The vendors an operator can switch on: who they are, what they receive, their hosts and cookies, and their tag.
// Invariants: settings reach scripts only through encodeURIComponent (URLs) or jsString (bootstraps); bootstraps are
// plain ES5, prepare queues and configuration only, and send no Consent Mode signals (another module does that).
import type { Text } from '../data-map.ts';
import type { VendorTemplate } from './model.ts';

const t = (en: string, de: string): Text => ({ en, de });

/**
 * A string as a JavaScript literal for a bootstrap. For values that passed their pattern this equals
 * JSON.stringify; it also escapes `<` and the JS line separators, so nothing can close a script element.
 */
function jsString(value: string): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The gtag queue and one `config` call; shared by Google Analytics and Google Ads (defining it twice is harmless). */
function gtagBootstrap(id: string): string {
  return [
    'window.dataLayer = window.dataLayer || [];',
    'window.gtag = window.gtag || function () { window.dataLayer.push(arguments); };',
    "window.gtag('js', new Date());",
    `window.gtag('config', ${jsString(id)});`,
  ].join('\n');
}

/**
 * Periods we set in the vendors' own consoles, stated in the policy as ours. An operator who switches the vendor on
 * must configure the vendor so (Analytics: Admin › Data retention; Google Ads: the audience's membership duration).
 */
export const GA4_RETENTION_MONTHS = 2;
export const GOOGLE_ADS_MEMBERSHIP_DAYS = 30;

const googleCompany = { name: 'Google Ireland Limited', address: 'Gordon House, Barrow Street, Dublin 4, Ireland' };
const googleTransfer: VendorTemplate['thirdCountry'] = {
  transfer: true,
  countries: ['US'],
  safeguards: [
    { kind: 'adequacy', framework: 'eu-us-data-privacy-framework', certified: 'Google LLC' },
    {
      kind: 'standard-contractual-clauses',
      between: t('Google Ireland Limited and Google LLC', 'Google Ireland Limited und Google LLC'),
    },
  ],
};

/**
 * The advertising vendors: with each of them we decide together on collecting data on our pages through its tag
 * and on transmitting it (CJEU, Fashion ID, C-40/17); what the vendor does with the data afterwards it decides alone.
 */
const jointScope = (vendor: string) =>
  t(
    `Collecting data on our pages through ${vendor}'s tag and transmitting it to ${vendor}. What ${vendor} does with the data after receiving it, it decides alone, as the controller.`,
    `Die Erhebung von Daten auf unseren Seiten über das Tag von ${vendor} und ihre Übermittlung an ${vendor}. Was ${vendor} nach dem Empfang mit den Daten tut, entscheidet ${vendor} allein als Verantwortlicher.`,
  );

export const vendorTemplates: VendorTemplate[] = [
  {
    id: 'google-analytics',
    name: 'Google Analytics 4',
    company: googleCompany,
    category: 'statistics',
    purpose: t(
      'Counts visits and shows us which pages and products are used and where visitors leave, so that we can improve the shop. We look at totals, not at individual people.',
      'Zählt Besuche und zeigt uns, welche Seiten und Produkte genutzt werden und wo Besucher abbrechen, damit wir den Shop verbessern können. Wir sehen uns Summen an, nicht einzelne Personen.',
    ),
    dataTransferred: t(
      'Your IP address (Google says Analytics does not store it), a random browser id from a cookie, the address and title of each page you open, the page you came from, browser, device, screen size, language and an approximate location derived from the IP address.',
      'Ihre IP-Adresse (laut Google speichert Analytics sie nicht), eine zufällige Browser-Kennung aus einem Cookie, Adresse und Titel jeder aufgerufenen Seite, die Seite, von der Sie kamen, Browser, Gerät, Bildschirmgröße, Sprache und ein aus der IP-Adresse abgeleiteter ungefährer Standort.',
    ),
    thirdCountry: googleTransfer,
    // Google's standard terms for Analytics make Google our processor (Google Ads Data Processing Terms).
    role: 'processor',
    retention: {
      setBy: 'us',
      statement: t(
        `Event data linked to cookies or device ids is deleted automatically ${GA4_RETENTION_MONTHS} months after it is collected (the data retention of our Analytics property).`,
        `Ereignisdaten, die mit Cookies oder Gerätekennungen verknüpft sind, werden ${GA4_RETENTION_MONTHS} Monate nach ihrer Erhebung automatisch gelöscht (Aufbewahrungsdauer unserer Analytics-Property).`,
      ),
      source: 'https://support.google.com/analytics/answer/7667196',
    },
    privacyPolicyUrl: 'https://policies.google.com/privacy',
    optOut: { url: 'https://tools.google.com/dlpage/gaoptout' },
    hosts: {
      script: ['www.googletagmanager.com'],
      connect: [
        'www.google-analytics.com',
        'region1.google-analytics.com',
        'analytics.google.com',
        'region1.analytics.google.com',
        'www.googletagmanager.com',
      ],
      img: ['www.google-analytics.com', 'www.googletagmanager.com'],
      frame: [],
    },
    cookies: [
      {
        name: '_ga',
        purpose: t(
          'A random id that lets Analytics tell that two visits come from the same browser.',
          'Eine zufällige Kennung, an der Analytics erkennt, dass zwei Besuche vom selben Browser kommen.',
        ),
        lifetime: t('2 years', '2 Jahre'),
        party: 'first',
      },
      {
        name: '_ga_*',
        purpose: t(
          'Keeps the state of the current visit (visit number and time) for our measurement id.',
          'Hält den Stand des aktuellen Besuchs (Besuchsnummer und Zeit) für unsere Mess-ID fest.',
        ),
        lifetime: t('2 years', '2 Jahre'),
        party: 'first',
      },
    ],
    settings: [
      { key: 'measurementId', label: 'Measurement ID (G-…)', pattern: /^G-[A-Z0-9]{6,12}$/, example: 'G-DEMO000001' },
    ],
    tag: (s) => ({
      scripts: [`https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(s.measurementId ?? '')}`],
      bootstrap: gtagBootstrap(s.measurementId ?? ''),
    }),
    googleConsentMode: true,
    tcfVendorId: 755,
  },
  {
    id: 'hotjar',
    name: 'Hotjar',
    company: {
      name: 'Hotjar Ltd',
      address: 'Dragonara Business Centre, 5th Floor, Dragonara Road, Paceville, St Julian’s STJ 3141, Malta',
    },
    category: 'statistics',
    purpose: t(
      'Records how visitors click, scroll and move through our pages (typed text is hidden) and turns this into heatmaps, so that we can find pages that confuse people. Can also show short feedback surveys.',
      'Zeichnet auf, wie Besucher auf unseren Seiten klicken, scrollen und sich bewegen (eingegebener Text wird ausgeblendet), und macht daraus Heatmaps, damit wir verwirrende Seiten finden. Kann auch kurze Feedback-Umfragen zeigen.',
    ),
    dataTransferred: t(
      'Your IP address (Hotjar says it cuts off the last part before storing it), a random browser id, the pages you open, clicks, mouse movements, scrolling and changes to the page, device type, browser, screen size, language and approximate country, and any survey answers you give.',
      'Ihre IP-Adresse (laut Hotjar wird der letzte Teil vor dem Speichern entfernt), eine zufällige Browser-Kennung, die aufgerufenen Seiten, Klicks, Mausbewegungen, Scrollen und Änderungen an der Seite, Gerätetyp, Browser, Bildschirmgröße, Sprache und ungefähres Land sowie Ihre Antworten auf Umfragen.',
    ),
    thirdCountry: { transfer: false },
    role: 'processor',
    retention: {
      setBy: 'vendor',
      statement: t(
        'Recordings, heatmap data and survey answers collected on our site are deleted 365 days after they are collected.',
        'Auf unserer Website erhobene Aufzeichnungen, Heatmap-Daten und Umfrageantworten werden 365 Tage nach ihrer Erhebung gelöscht.',
      ),
      source: 'https://www.hotjar.com/legal/policies/privacy/',
    },
    privacyPolicyUrl: 'https://www.hotjar.com/legal/policies/privacy/',
    optOut: { url: 'https://www.hotjar.com/policies/do-not-track/' },
    hosts: {
      script: ['static.hotjar.com', 'script.hotjar.com'],
      connect: ['*.hotjar.com', '*.hotjar.io'],
      img: ['*.hotjar.com'],
      frame: ['vars.hotjar.com'],
    },
    cookies: [
      {
        name: '_hjSessionUser_*',
        purpose: t(
          'A random id that recognises your browser when you come back to this site.',
          'Eine zufällige Kennung, die Ihren Browser wiedererkennt, wenn Sie auf diese Website zurückkehren.',
        ),
        lifetime: t('1 year', '1 Jahr'),
        party: 'first',
      },
      {
        name: '_hjSession_*',
        purpose: t(
          'Groups the pages of one visit into a single session.',
          'Fasst die Seiten eines Besuchs zu einer Sitzung zusammen.',
        ),
        lifetime: t('30 minutes', '30 Minuten'),
        party: 'first',
      },
      {
        name: '_hjTLDTest',
        purpose: t(
          'Set for a moment to find out on which domain level cookies can be stored, then removed.',
          'Wird kurz gesetzt, um herauszufinden, auf welcher Domain-Ebene Cookies gespeichert werden können, und dann entfernt.',
        ),
        lifetime: t('session', 'Sitzung'),
        party: 'first',
      },
    ],
    settings: [{ key: 'siteId', label: 'Hotjar site ID (digits)', pattern: /^[0-9]{4,10}$/, example: '1000001' }],
    tag: (s) => ({
      scripts: [`https://static.hotjar.com/c/hotjar-${encodeURIComponent(s.siteId ?? '')}.js?sv=6`],
      bootstrap: [
        'window.hj = window.hj || function () { (window.hj.q = window.hj.q || []).push(arguments); };',
        `window._hjSettings = { hjid: Number(${jsString(s.siteId ?? '')}), hjsv: 6 };`,
      ].join('\n'),
    }),
  },
  {
    id: 'optimizely',
    name: 'Optimizely Web Experimentation',
    company: { name: 'Optimizely, Inc.', address: '119 5th Avenue, 7th Floor, New York, NY 10003, USA' },
    category: 'statistics',
    purpose: t(
      'Runs experiments: different visitors see different versions of a page, and we measure which version works better.',
      'Führt Experimente durch: Verschiedene Besucher sehen verschiedene Varianten einer Seite, und wir messen, welche Variante besser funktioniert.',
    ),
    dataTransferred: t(
      'Your IP address, a random visitor id from a cookie, which variant you were shown, the pages you open and the actions we measure (for example adding a product to the basket), browser, device and approximate location.',
      'Ihre IP-Adresse, eine zufällige Besucher-Kennung aus einem Cookie, welche Variante Ihnen gezeigt wurde, die aufgerufenen Seiten und die Aktionen, die wir messen (zum Beispiel das Hinzufügen eines Produkts zum Warenkorb), Browser, Gerät und ungefährer Standort.',
    ),
    thirdCountry: {
      transfer: true,
      countries: ['US'],
      safeguards: [
        { kind: 'standard-contractual-clauses', between: t('us and Optimizely, Inc.', 'uns und Optimizely, Inc.') },
      ],
    },
    role: 'processor',
    retention: {
      setBy: 'us',
      statement: t(
        'The data processed for us is kept until our contract with Optimizely ends and is then deleted.',
        'Die für uns verarbeiteten Daten werden bis zum Ende unseres Vertrags mit Optimizely gespeichert und dann gelöscht.',
      ),
      source: 'https://www.optimizely.com/legal/privacy-notice/',
    },
    privacyPolicyUrl: 'https://www.optimizely.com/legal/privacy-notice/',
    optOut: { url: 'https://www.optimizely.com/legal/opt-out/' },
    hosts: {
      script: ['cdn.optimizely.com', 'cdn3.optimizely.com'],
      connect: ['logx.optimizely.com', '*.optimizely.com'],
      img: ['cdn.optimizely.com'],
      frame: [],
    },
    cookies: [
      {
        name: 'optimizelyEndUserId',
        purpose: t(
          'A random visitor id, so that you keep seeing the same variant and your actions count for it.',
          'Eine zufällige Besucher-Kennung, damit Sie dieselbe Variante weiter sehen und Ihre Aktionen ihr zugerechnet werden.',
        ),
        lifetime: t('6 months', '6 Monate'),
        party: 'first',
      },
      {
        name: 'optimizelyRedirectData',
        purpose: t(
          'Carries experiment data across a redirect to another variant page.',
          'Überträgt Experimentdaten bei einer Weiterleitung auf die Seite einer anderen Variante.',
        ),
        lifetime: t('a few seconds', 'wenige Sekunden'),
        party: 'first',
      },
      {
        name: 'optimizelyDomainTestCookie',
        purpose: t(
          'Set for a moment to find the domain level for the other cookies, then removed.',
          'Wird kurz gesetzt, um die Domain-Ebene für die anderen Cookies zu finden, und dann entfernt.',
        ),
        lifetime: t('removed at once', 'sofort wieder entfernt'),
        party: 'first',
      },
      {
        name: 'optimizelyOptOut',
        purpose: t(
          'Remembers that you opted out of Optimizely experiments.',
          'Merkt sich, dass Sie der Teilnahme an Optimizely-Experimenten widersprochen haben.',
        ),
        lifetime: t('10 years', '10 Jahre'),
        party: 'first',
      },
    ],
    settings: [
      { key: 'projectId', label: 'Optimizely project ID (digits)', pattern: /^[0-9]{6,15}$/, example: '10000000001' },
    ],
    tag: (s) => ({
      scripts: [`https://cdn.optimizely.com/js/${encodeURIComponent(s.projectId ?? '')}.js`],
      bootstrap: 'window.optimizely = window.optimizely || [];',
    }),
  },
  {
    id: 'webtrekk',
    name: 'Mapp Intelligence (Webtrekk)',
    company: {
      name: 'Mapp Digital Germany GmbH (formerly Webtrekk GmbH)',
      address: 'Sandstraße 3, 80335 München, Germany',
    },
    category: 'statistics',
    purpose: t(
      'Web analytics: counts visits and measures how the shop is used, up to orders, so that we can improve it.',
      'Webanalyse: zählt Besuche und misst, wie der Shop genutzt wird, bis hin zu Bestellungen, damit wir ihn verbessern können.',
    ),
    dataTransferred: t(
      'Your IP address, a random browser id from a cookie, the pages you open, the page you came from, the basket and order details we pass on (products, quantities, amounts, order number), browser, device and screen size.',
      'Ihre IP-Adresse, eine zufällige Browser-Kennung aus einem Cookie, die aufgerufenen Seiten, die Seite, von der Sie kamen, die Warenkorb- und Bestelldaten, die wir weitergeben (Produkte, Mengen, Beträge, Bestellnummer), Browser, Gerät und Bildschirmgröße.',
    ),
    thirdCountry: { transfer: false },
    role: 'processor',
    retention: {
      setBy: 'us',
      statement: t(
        'The tracking data processed for us is kept until our contract with Mapp ends and is then deleted.',
        'Die für uns verarbeiteten Trackingdaten werden bis zum Ende unseres Vertrags mit Mapp gespeichert und dann gelöscht.',
      ),
      source: 'https://mapp.com/privacy/',
    },
    privacyPolicyUrl: 'https://mapp.com/privacy/',
    // Mapp's opt-out is per customer account (under our track domain), not a page of its own that a fixed URL names.
    optOut: {
      noOptOut: t(
        'Mapp offers no opt-out page of its own for our site. To stop the measurement, withdraw your consent to the category Statistics or to this service in the cookie settings.',
        'Mapp bietet für unsere Website keine eigene Opt-out-Seite an. Um die Messung zu beenden, widerrufen Sie Ihre Einwilligung in die Kategorie Statistik oder in diesen Dienst in den Cookie-Einstellungen.',
      ),
    },
    hosts: {
      script: ['responder.wt-safetag.com'],
      connect: ['*.wt-eu02.net', '*.webtrekk.net'],
      img: ['*.wt-eu02.net', '*.webtrekk.net'],
      frame: [],
    },
    cookies: [
      {
        name: 'wt3_eid',
        purpose: t(
          'A random id that recognises your browser on later visits.',
          'Eine zufällige Kennung, die Ihren Browser bei späteren Besuchen wiedererkennt.',
        ),
        lifetime: t('6 months', '6 Monate'),
        party: 'first',
      },
      {
        name: 'wt3_sid',
        purpose: t(
          'Groups the pages of one visit into a single session.',
          'Fasst die Seiten eines Besuchs zu einer Sitzung zusammen.',
        ),
        lifetime: t('until the browser closes', 'bis der Browser geschlossen wird'),
        party: 'first',
      },
      {
        name: 'wteid_*',
        purpose: t(
          'The same random browser id, as newer versions of the pixel name it (per track id).',
          'Dieselbe zufällige Browser-Kennung in der Benennung neuerer Pixel-Versionen (je Track-ID).',
        ),
        lifetime: t('6 months', '6 Monate'),
        party: 'first',
      },
      {
        name: 'wtsid_*',
        purpose: t(
          'The session id, as newer versions of the pixel name it (per track id).',
          'Die Sitzungskennung in der Benennung neuerer Pixel-Versionen (je Track-ID).',
        ),
        lifetime: t('until the browser closes', 'bis der Browser geschlossen wird'),
        party: 'first',
      },
    ],
    settings: [
      { key: 'trackId', label: 'Track ID (15 digits)', pattern: /^[0-9]{15}$/, example: '100000000000001' },
      {
        key: 'trackDomain',
        label: 'Track domain hosted by Mapp (…wt-eu02.net or …webtrekk.net)',
        pattern: /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:wt-eu02\.net|webtrekk\.net)$/,
        example: 'tonfabrik01.wt-eu02.net',
      },
    ],
    tag: (s) => ({
      scripts: [`https://responder.wt-safetag.com/resp/api/get/${encodeURIComponent(s.trackId ?? '')}?v=5`],
      bootstrap: [
        'window.wts = window.wts || [];',
        `window._tiConfig = window._tiConfig || { tiDomain: 'responder.wt-safetag.com', tiId: ${jsString(s.trackId ?? '')}, option: {} };`,
        `window.webtrekkConfig = window.webtrekkConfig || { trackId: ${jsString(s.trackId ?? '')}, trackDomain: ${jsString(s.trackDomain ?? '')} };`,
      ].join('\n'),
    }),
  },
  {
    id: 'zendesk',
    name: 'Zendesk Web Widget',
    company: { name: 'Zendesk, Inc.', address: '989 Market Street, San Francisco, CA 94103, USA' },
    category: 'preferences',
    purpose: t(
      'Shows the help widget, in which you can search our help articles, chat with our support team or leave a message.',
      'Zeigt das Hilfe-Widget, in dem Sie unsere Hilfeartikel durchsuchen, mit unserem Support chatten oder eine Nachricht hinterlassen können.',
    ),
    dataTransferred: t(
      'Your IP address, browser and device information, the page you are on, and whatever you enter in the widget (name, e-mail address, messages, attachments).',
      'Ihre IP-Adresse, Browser- und Geräteangaben, die Seite, auf der Sie sind, und alles, was Sie in das Widget eingeben (Name, E-Mail-Adresse, Nachrichten, Anhänge).',
    ),
    thirdCountry: {
      transfer: true,
      countries: ['US'],
      safeguards: [
        { kind: 'adequacy', framework: 'eu-us-data-privacy-framework', certified: 'Zendesk, Inc.' },
        { kind: 'binding-corporate-rules', of: 'Zendesk' },
      ],
    },
    role: 'processor',
    retention: {
      setBy: 'us',
      statement: t(
        'Chats and messages stay in our Zendesk account until we delete them, and at the latest until our contract with Zendesk ends.',
        'Chats und Nachrichten bleiben in unserem Zendesk-Konto gespeichert, bis wir sie löschen, längstens bis zum Ende unseres Vertrags mit Zendesk.',
      ),
      source: 'https://www.zendesk.com/company/agreements-and-terms/privacy-notice/',
    },
    privacyPolicyUrl: 'https://www.zendesk.com/company/agreements-and-terms/privacy-notice/',
    // Zendesk has no opt-out page (its cookie notice is none); the widget runs only with consent.
    optOut: {
      noOptOut: t(
        'Zendesk offers no opt-out of its own. The widget is loaded only with your consent to the category Preferences; to stop it, withdraw that consent in the cookie settings. To have messages you sent through it deleted, write to us.',
        'Zendesk bietet kein eigenes Opt-out an. Das Widget wird nur mit Ihrer Einwilligung in die Kategorie Präferenzen geladen; um es zu beenden, widerrufen Sie diese Einwilligung in den Cookie-Einstellungen. Um über das Widget gesendete Nachrichten löschen zu lassen, schreiben Sie uns.',
      ),
    },
    hosts: {
      script: ['static.zdassets.com'],
      connect: [
        'static.zdassets.com',
        'ekr.zdassets.com',
        'ekr.zendesk.com',
        '*.zendesk.com',
        '*.zopim.com',
        'api.smooch.io',
        'media.smooch.io',
        'zendesk-eu.my.sentry.io',
      ],
      img: [
        'static.zdassets.com',
        'accounts.zendesk.com',
        '*.zendesk.com',
        'v2assets.zopim.io',
        'media.smooch.io',
        '*.zdusercontent.com',
      ],
      frame: [],
    },
    cookies: [
      {
        name: '__zlcmid',
        purpose: t(
          'A random id that keeps your chat conversation with us when you move to another page.',
          'Eine zufällige Kennung, die Ihren Chat mit uns beim Wechsel auf eine andere Seite erhält.',
        ),
        lifetime: t('1 year', '1 Jahr'),
        party: 'first',
      },
      {
        name: '__cf_bm',
        purpose: t(
          'Set on Zendesk’s domain by its network provider Cloudflare to tell people from bots.',
          'Wird auf der Domain von Zendesk von dessen Netzwerkdienstleister Cloudflare gesetzt, um Menschen von Bots zu unterscheiden.',
        ),
        lifetime: t('30 minutes', '30 Minuten'),
        party: 'third',
      },
    ],
    settings: [
      {
        key: 'widgetKey',
        label: 'Web Widget key (UUID)',
        pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        example: '00000000-0000-4000-8000-000000000001',
      },
    ],
    tag: (s) => ({
      scripts: [`https://static.zdassets.com/ekr/snippet.js?key=${encodeURIComponent(s.widgetKey ?? '')}`],
    }),
  },
  {
    id: 'criteo',
    name: 'Criteo OneTag',
    company: { name: 'Criteo SA', address: '32 Rue Blanche, 75009 Paris, France' },
    category: 'marketing',
    purpose: t(
      'Recognises you on other websites in Criteo’s advertising network and shows you ads for products you looked at here (retargeting); measures which ads lead to purchases.',
      'Erkennt Sie auf anderen Websites im Werbenetzwerk von Criteo wieder und zeigt Ihnen dort Anzeigen für Produkte, die Sie sich hier angesehen haben (Retargeting); misst, welche Anzeigen zu Käufen führen.',
    ),
    dataTransferred: t(
      'Your IP address, browser ids from cookies, the products you view, put in the basket or buy (product numbers, prices, order number), the pages you open, browser and device type.',
      'Ihre IP-Adresse, Browser-Kennungen aus Cookies, die Produkte, die Sie ansehen, in den Warenkorb legen oder kaufen (Produktnummern, Preise, Bestellnummer), die aufgerufenen Seiten, Browser und Gerätetyp.',
    ),
    thirdCountry: {
      transfer: true,
      countries: ['US'],
      safeguards: [
        {
          kind: 'standard-contractual-clauses',
          between: t(
            'Criteo SA and the Criteo companies outside the EU',
            'Criteo SA und den Criteo-Gesellschaften außerhalb der EU',
          ),
        },
      ],
    },
    role: 'joint-controller',
    jointControllership: {
      scope: jointScope('Criteo'),
      arrangement: t(
        'We inform you and ask for your consent before the tag loads; Criteo provides the tag, secures the transmission and answers requests about the data it has received. Each of us answers for its own part.',
        'Wir informieren Sie und holen Ihre Einwilligung ein, bevor das Tag geladen wird; Criteo stellt das Tag bereit, sichert die Übermittlung und beantwortet Anfragen zu den bei Criteo eingegangenen Daten. Jeder von uns ist für seinen Teil verantwortlich.',
      ),
      termsUrl: 'https://www.criteo.com/privacy/',
    },
    retention: {
      setBy: 'vendor',
      statement: t(
        'The data collected about your browser is kept for 13 months from its collection.',
        'Die über Ihren Browser erhobenen Daten werden 13 Monate ab ihrer Erhebung gespeichert.',
      ),
      source: 'https://www.criteo.com/privacy/',
    },
    privacyPolicyUrl: 'https://www.criteo.com/privacy/',
    optOut: { url: 'https://www.criteo.com/privacy/disable-criteo-services-on-internet-browsers/' },
    hosts: {
      script: ['dynamic.criteo.com', 'static.criteo.net'],
      connect: ['*.criteo.com', '*.criteo.net'],
      img: ['*.criteo.com', '*.criteo.net'],
      frame: ['gum.criteo.com'],
    },
    cookies: [
      {
        name: 'cto_bundle',
        purpose: t(
          'Holds Criteo’s ids for your browser on our domain, so that your visit can be matched to Criteo’s ads.',
          'Enthält die Kennungen von Criteo für Ihren Browser auf unserer Domain, damit Ihr Besuch den Anzeigen von Criteo zugeordnet werden kann.',
        ),
        lifetime: t('13 months', '13 Monate'),
        party: 'first',
      },
      {
        name: 'uid',
        purpose: t(
          'Criteo’s id for your browser on its own domain, used across all sites in its network.',
          'Die Kennung von Criteo für Ihren Browser auf dessen eigener Domain, genutzt auf allen Websites seines Netzwerks.',
        ),
        lifetime: t('13 months', '13 Monate'),
        party: 'third',
      },
    ],
    settings: [{ key: 'accountId', label: 'Criteo account ID (digits)', pattern: /^[0-9]{1,10}$/, example: '100001' }],
    tag: (s) => ({
      scripts: [`https://dynamic.criteo.com/js/ld/ld.js?a=${encodeURIComponent(s.accountId ?? '')}`],
      bootstrap: [
        'window.criteo_q = window.criteo_q || [];',
        '(function () {',
        '  var ua = navigator.userAgent;',
        "  var type = /iPad|Tablet/.test(ua) ? 't' : /Mobi|Android/.test(ua) ? 'm' : 'd';",
        `  window.criteo_q.push({ event: 'setAccount', account: Number(${jsString(s.accountId ?? '')}) }, { event: 'setSiteType', type: type });`,
        '})();',
      ].join('\n'),
    }),
    tcfVendorId: 91,
  },
  {
    id: 'facebook-pixel',
    name: 'Meta Pixel (Facebook)',
    company: { name: 'Meta Platforms Ireland Limited', address: 'Merrion Road, Dublin 4, D04 X2K5, Ireland' },
    category: 'marketing',
    purpose: t(
      'Tells Meta that you visited our shop and what you did here, so that we can show you our ads on Facebook and Instagram, measure whether they lead to purchases and reach people with similar interests.',
      'Teilt Meta mit, dass Sie unseren Shop besucht haben und was Sie hier getan haben, damit wir Ihnen unsere Anzeigen auf Facebook und Instagram zeigen, messen können, ob sie zu Käufen führen, und Menschen mit ähnlichen Interessen erreichen.',
    ),
    dataTransferred: t(
      'Your IP address, browser and device information, the pages you open, the events we send (page views, products viewed, added to the basket, purchases with their value) and the browser id from the _fbp cookie. If you are signed in to Facebook or Instagram in the same browser, Meta can link this to your account.',
      'Ihre IP-Adresse, Browser- und Geräteangaben, die aufgerufenen Seiten, die Ereignisse, die wir senden (Seitenaufrufe, angesehene und in den Warenkorb gelegte Produkte, Käufe mit Wert), und die Browser-Kennung aus dem Cookie _fbp. Sind Sie im selben Browser bei Facebook oder Instagram angemeldet, kann Meta dies mit Ihrem Konto verknüpfen.',
    ),
    thirdCountry: {
      transfer: true,
      countries: ['US'],
      safeguards: [
        { kind: 'adequacy', framework: 'eu-us-data-privacy-framework', certified: 'Meta Platforms, Inc.' },
        {
          kind: 'standard-contractual-clauses',
          between: t(
            'Meta Platforms Ireland Limited and Meta Platforms, Inc.',
            'Meta Platforms Ireland Limited und Meta Platforms, Inc.',
          ),
        },
      ],
    },
    role: 'joint-controller',
    jointControllership: {
      scope: jointScope('Meta'),
      arrangement: t(
        'Under Meta’s Controller Addendum we inform you and obtain your consent before the pixel loads; Meta answers requests to exercise your rights (Art. 15 to 20 GDPR) concerning the data collected and transmitted together, and secures the transmission. Meta’s Ireland company is its point of contact in the EU.',
        'Nach dem Controller Addendum von Meta informieren wir Sie und holen Ihre Einwilligung ein, bevor das Pixel geladen wird; Meta beantwortet Anträge auf Ausübung Ihrer Rechte (Art. 15 bis 20 DSGVO) zu den gemeinsam erhobenen und übermittelten Daten und sichert die Übermittlung. Ansprechpartner in der EU ist die irische Gesellschaft von Meta.',
      ),
      termsUrl: 'https://www.facebook.com/legal/controller_addendum',
    },
    retention: {
      setBy: 'vendor',
      statement: t(
        'The data received through the pixel is kept for as long as Meta needs it for the purposes set out in its privacy policy, and deleted after that.',
        'Über das Pixel erhaltene Daten werden so lange gespeichert, wie Meta sie für die in seiner Datenschutzrichtlinie genannten Zwecke benötigt, und danach gelöscht.',
      ),
      source: 'https://www.facebook.com/privacy/policy/',
    },
    privacyPolicyUrl: 'https://www.facebook.com/privacy/policy/',
    optOut: { url: 'https://www.facebook.com/adpreferences/' },
    hosts: {
      script: ['connect.facebook.net'],
      connect: ['www.facebook.com', 'connect.facebook.net'],
      img: ['www.facebook.com'],
      frame: [],
    },
    cookies: [
      {
        name: '_fbp',
        purpose: t(
          'A random browser id that lets Meta connect your visits here with its ads.',
          'Eine zufällige Browser-Kennung, mit der Meta Ihre Besuche hier mit seinen Anzeigen verbindet.',
        ),
        lifetime: t('90 days', '90 Tage'),
        party: 'first',
      },
      {
        name: '_fbc',
        purpose: t(
          'Set when you arrive from a Meta ad; holds the click id so that a purchase can be credited to that ad.',
          'Wird gesetzt, wenn Sie über eine Meta-Anzeige kommen; enthält die Klick-Kennung, damit ein Kauf dieser Anzeige zugerechnet werden kann.',
        ),
        lifetime: t('90 days', '90 Tage'),
        party: 'first',
      },
      {
        name: 'fr',
        purpose: t(
          'Meta’s advertising id for your browser on facebook.com.',
          'Die Werbekennung von Meta für Ihren Browser auf facebook.com.',
        ),
        lifetime: t('90 days', '90 Tage'),
        party: 'third',
      },
    ],
    settings: [
      { key: 'pixelId', label: 'Pixel ID (15 or 16 digits)', pattern: /^[0-9]{15,16}$/, example: '100000000000001' },
    ],
    tag: (s) => ({
      scripts: ['https://connect.facebook.net/en_US/fbevents.js'],
      bootstrap: [
        '(function (w) {',
        '  if (w.fbq) return;',
        '  var fbq = function () {',
        '    if (fbq.callMethod) fbq.callMethod.apply(fbq, arguments);',
        '    else fbq.queue.push(arguments);',
        '  };',
        '  fbq.push = fbq;',
        '  fbq.loaded = true;',
        "  fbq.version = '2.0';",
        '  fbq.queue = [];',
        '  w.fbq = fbq;',
        '  if (!w._fbq) w._fbq = fbq;',
        '})(window);',
        `window.fbq('init', ${jsString(s.pixelId ?? '')});`,
        "window.fbq('track', 'PageView');",
      ].join('\n'),
    }),
  },
  {
    id: 'google-remarketing',
    name: 'Google Ads Remarketing',
    company: googleCompany,
    category: 'marketing',
    purpose: t(
      'Puts visitors on audience lists so that Google can show them our ads on other websites and on YouTube, and measures which ad clicks lead to purchases.',
      'Nimmt Besucher in Zielgruppenlisten auf, damit Google ihnen unsere Anzeigen auf anderen Websites und auf YouTube zeigen kann, und misst, welche Anzeigenklicks zu Käufen führen.',
    ),
    dataTransferred: t(
      'Your IP address, browser and device information, the pages you open, cookie ids, the ad click id from the address if you came through a Google ad, and purchases with their value. If you are signed in to Google, Google can link this to your account.',
      'Ihre IP-Adresse, Browser- und Geräteangaben, die aufgerufenen Seiten, Cookie-Kennungen, die Klick-Kennung aus der Adresse, wenn Sie über eine Google-Anzeige kamen, und Käufe mit Wert. Sind Sie bei Google angemeldet, kann Google dies mit Ihrem Konto verknüpfen.',
    ),
    thirdCountry: googleTransfer,
    role: 'joint-controller',
    jointControllership: {
      scope: jointScope('Google'),
      arrangement: t(
        'We inform you and obtain your consent before the tag loads, and pass your choices on as Consent Mode signals; Google provides the tag, secures the transmission and answers requests about the data it has received. Google’s Ads Controller-Controller Data Protection Terms govern the rest.',
        'Wir informieren Sie und holen Ihre Einwilligung ein, bevor das Tag geladen wird, und geben Ihre Auswahl als Consent-Mode-Signale weiter; Google stellt das Tag bereit, sichert die Übermittlung und beantwortet Anfragen zu den bei Google eingegangenen Daten. Im Übrigen gelten die Ads Controller-Controller Data Protection Terms von Google.',
      ),
      termsUrl: 'https://business.safety.google/adscontrollerterms/',
    },
    retention: {
      setBy: 'us',
      statement: t(
        `Your browser stays on our audience lists for ${GOOGLE_ADS_MEMBERSHIP_DAYS} days after your last visit (the membership duration of our lists).`,
        `Ihr Browser bleibt nach Ihrem letzten Besuch ${GOOGLE_ADS_MEMBERSHIP_DAYS} Tage auf unseren Zielgruppenlisten (Mitgliedsdauer unserer Listen).`,
      ),
      source: 'https://policies.google.com/technologies/retention',
    },
    privacyPolicyUrl: 'https://policies.google.com/privacy',
    optOut: { url: 'https://adssettings.google.com/' },
    hosts: {
      script: ['www.googletagmanager.com', 'www.googleadservices.com', 'googleads.g.doubleclick.net', 'www.google.com'],
      connect: [
        'www.googletagmanager.com',
        'www.googleadservices.com',
        'googleads.g.doubleclick.net',
        'pagead2.googlesyndication.com',
        'www.google.com',
      ],
      img: [
        'www.googletagmanager.com',
        'www.googleadservices.com',
        'googleads.g.doubleclick.net',
        'www.google.com',
        'google.com',
      ],
      frame: ['www.googletagmanager.com', 'td.doubleclick.net'],
    },
    cookies: [
      {
        name: '_gcl_au',
        purpose: t(
          'A random id that lets Google Ads match purchases here to earlier ad views and clicks.',
          'Eine zufällige Kennung, mit der Google Ads Käufe hier früheren Anzeigenaufrufen und -klicks zuordnet.',
        ),
        lifetime: t('90 days', '90 Tage'),
        party: 'first',
      },
      {
        name: '_gcl_aw',
        purpose: t(
          'Set when you arrive through a Google ad; holds the click id so that a purchase can be credited to that ad.',
          'Wird gesetzt, wenn Sie über eine Google-Anzeige kommen; enthält die Klick-Kennung, damit ein Kauf dieser Anzeige zugerechnet werden kann.',
        ),
        lifetime: t('90 days', '90 Tage'),
        party: 'first',
      },
      {
        name: 'IDE',
        purpose: t(
          'Google’s advertising id for your browser on doubleclick.net, used across sites that show Google ads.',
          'Die Werbekennung von Google für Ihren Browser auf doubleclick.net, genutzt auf allen Websites mit Google-Anzeigen.',
        ),
        lifetime: t('13 months', '13 Monate'),
        party: 'third',
      },
    ],
    settings: [
      { key: 'conversionId', label: 'Google Ads tag ID (AW-…)', pattern: /^AW-[0-9]{6,12}$/, example: 'AW-100000001' },
    ],
    tag: (s) => ({
      scripts: [`https://www.googletagmanager.com/gtag/js?id=${encodeURIComponent(s.conversionId ?? '')}`],
      bootstrap: gtagBootstrap(s.conversionId ?? ''),
    }),
    googleConsentMode: true,
    tcfVendorId: 755,
  },
];
