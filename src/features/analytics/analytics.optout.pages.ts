// The page about our statistics (policy 2c dd): how the cookieless counting works, what is and is not stored, the
// salt rotation and the retention, the visitor's state (counted or not, and why), and the opt-out form.
import { html } from '../../platform/html.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { csrfField, layout, type PageContext } from '../../web/index.ts';

export type CountingState = 'counted' | 'opted-out' | 'dnt' | 'gpc' | 'staff';

export interface OptOutModel {
  state: CountingState;
  /** Signed in: an objection is recorded for the account too. */
  objection: boolean | null;
  rawDays: number;
  aggregateMonths: number;
  /** The choice just saved (after the form). */
  saved: 'out' | 'in' | null;
}

const T = {
  title: { en: 'Our statistics', de: 'Unsere Statistik' },
  how: { en: 'How we count', de: 'Wie wir zählen' },
  stored: { en: 'What is stored, and what is not', de: 'Was gespeichert wird und was nicht' },
  state: { en: 'This browser', de: 'Dieser Browser' },
} satisfies Record<string, Text>;

const stateText: Record<CountingState, Text> = {
  counted: {
    en: 'This browser is counted (without cookies, as described above).',
    de: 'Dieser Browser wird gezählt (ohne Cookies, wie oben beschrieben).',
  },
  'opted-out': {
    en: 'This browser is not counted: you objected (the cookie candor_analytics_optout remembers it).',
    de: 'Dieser Browser wird nicht gezählt: Sie haben widersprochen (das Cookie candor_analytics_optout merkt es sich).',
  },
  dnt: {
    en: 'This browser is not counted: it sends Do Not Track.',
    de: 'Dieser Browser wird nicht gezählt: Er sendet „Do Not Track“.',
  },
  gpc: {
    en: 'This browser is not counted: it sends Global Privacy Control.',
    de: 'Dieser Browser wird nicht gezählt: Er sendet „Global Privacy Control“.',
  },
  staff: {
    en: 'You are signed in as staff: staff are never counted.',
    de: 'Sie sind als Beschäftigte angemeldet: Beschäftigte werden nie gezählt.',
  },
};

export function optOutPage(ctx: PageContext, m: OptOutModel): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const out = m.state === 'opted-out';
  return layout(
    ctx,
    t(T.title),
    html`<h1>${t(T.title)}</h1>
${m.saved ? html`<p class="notice" role="status">${t(m.saved === 'out' ? { en: 'Saved: this browser is no longer counted.', de: 'Gespeichert: Dieser Browser wird nicht mehr gezählt.' } : { en: 'Saved: this browser is counted again.', de: 'Gespeichert: Dieser Browser wird wieder gezählt.' })}</p>` : ''}
<h2>${t(T.how)}</h2>
<p>${t({
      en: 'We count visitors, visits and page views on our own server, from the requests your browser makes anyway: no cookie, no tracking script and no other company is involved. To tell one visitor from another for one day, we compute a keyed hash of a random salt, the IP address, the browser identification and our site. The salt is random, changes every midnight (UTC) and is deleted 48 hours after its day began; after that no one, we included, can recompute the hash or link two days.',
      de: 'Wir zählen Besucher, Besuche und Seitenaufrufe auf unserem eigenen Server, aus den Anfragen, die Ihr Browser ohnehin stellt: kein Cookie, kein Tracking-Skript und kein anderes Unternehmen ist beteiligt. Um Besucher für einen Tag zu unterscheiden, bilden wir einen mit Schlüssel gebildeten Hash aus einem zufälligen Salt, der IP-Adresse, der Browserkennung und unserer Website. Das Salt ist zufällig, wechselt jede Mitternacht (UTC) und wird 48 Stunden nach Beginn seines Tages gelöscht; danach kann niemand, auch wir nicht, den Hash neu berechnen oder zwei Tage verknüpfen.',
    })}</p>
<p>${t({
      en: 'Only with your consent to statistics (in the cookie settings) does a small script of our own add what only your browser knows: the screen size, the time on a page, how far you scroll, links that lead away (their host) and which elements are clicked (never text, form entries or keystrokes); and, signed in or not, a pseudonym lets us count returning visitors.',
      de: 'Nur mit Ihrer Einwilligung in Statistik (in den Cookie-Einstellungen) ergänzt ein kleines eigenes Skript, was nur Ihr Browser weiß: die Bildschirmgröße, die Verweildauer, wie weit Sie scrollen, Links nach außen (ihren Host) und welche Elemente angeklickt werden (nie Texte, Formulareingaben oder Tastenanschläge); und ein Pseudonym lässt uns wiederkehrende Besucher zählen.',
    })} <a href="/cookies">${t({ en: 'Cookie settings', de: 'Cookie-Einstellungen' })}</a></p>
<h2>${t(T.stored)}</h2>
<ul>
<li>${t({ en: 'Stored with each page view: the page, the referring site (its host only), campaign parameters, the language, the browser and operating system family, the device class and a country derived from the language or time zone, never from the IP address.', de: 'Mit jedem Seitenaufruf gespeichert: die Seite, die verweisende Website (nur ihr Host), Kampagnenparameter, die Sprache, die Browser- und Betriebssystemfamilie, die Geräteklasse und ein Land, abgeleitet aus Sprache oder Zeitzone, nie aus der IP-Adresse.' })}</li>
<li>${t({ en: 'Never stored: the IP address, the browser identification, any cookie of yours.', de: 'Nie gespeichert: die IP-Adresse, die Browserkennung, ein Cookie von Ihnen.' })}</li>
<li>${tr(ctx.lang, { en: 'Single events are kept {days} days; after that only counts per day and hour remain, for {months} months. They hold no identifier of any visitor.', de: 'Einzelne Ereignisse werden {days} Tage aufbewahrt; danach bleiben nur Zählungen je Tag und Stunde, {months} Monate lang. Sie enthalten keine Kennung eines Besuchers.' }, { days: m.rawDays, months: m.aggregateMonths })}</li>
<li>${t({ en: 'Browsers that send Do Not Track or Global Privacy Control are not counted at all, and neither are our staff.', de: 'Browser, die „Do Not Track“ oder „Global Privacy Control“ senden, werden gar nicht gezählt, ebenso wenig unsere Beschäftigten.' })}</li>
</ul>
<h2>${t(T.state)}</h2>
<p id="analytics-state" data-state="${m.state}">${t(stateText[m.state])}</p>
${m.objection === true ? html`<p>${t({ en: 'Your objection is also recorded for your account: you are not counted when you sign in elsewhere.', de: 'Ihr Widerspruch ist auch für Ihr Konto gespeichert: Sie werden auch nicht gezählt, wenn Sie sich anderswo anmelden.' })}</p>` : ''}
<form method="post" action="/privacy/analytics">
  ${csrfField(ctx)}
  ${
    out || m.objection === true
      ? html`<button type="submit" name="choice" value="in">${t({ en: 'Count this browser again', de: 'Diesen Browser wieder zählen' })}</button>`
      : html`<button type="submit" name="choice" value="out">${t({ en: 'Do not count this browser (object)', de: 'Diesen Browser nicht zählen (widersprechen)' })}</button>`
  }
</form>
<p class="hint">${t({ en: 'This works without consent and without an account: a necessary cookie remembers your choice for two years. Signed in, your objection also applies to your account.', de: 'Das funktioniert ohne Einwilligung und ohne Konto: Ein notwendiges Cookie merkt sich Ihre Wahl zwei Jahre lang. Wenn Sie angemeldet sind, gilt Ihr Widerspruch auch für Ihr Konto.' })}</p>`,
  );
}
