// Policy sections on cookies, the services of other companies (consent vendors) and links to social networks.
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { categoryInfo, optionalCategories, type ConsentCategory, type TransferSafeguard } from './consent/model.ts';
import type { ConsentRegistry, EnabledVendor } from './consent/registry.ts';
import {
  type PolicyInput,
  type Section,
  consentRule,
  cookieSettingsPlace,
  countryNames,
  externalLink,
  gdpr,
  joinList,
  mailto,
  ourDpo,
} from './policy.common.ts';

// ---------------------------------------------------------------- 3. cookies

export function vendorName(registry: ConsentRegistry, id: string): string {
  return registry.vendors.find((v) => v.template.id === id)?.template.name ?? id;
}

/** Every cookie of the registry with purpose, lifetime, category, party and who sets it (also on the cookie settings page). */
export function cookieTable(lang: Lang, registry: ConsentRegistry, company: string): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const party = (p: 'first' | 'third') =>
    p === 'first'
      ? t({ en: 'first party (our domain)', de: 'Erstanbieter (unsere Domain)' })
      : t({ en: 'third party (the provider’s domain)', de: 'Drittanbieter (Domain des Anbieters)' });
  // Each cell carries its column's name, which a phone shows above the value when rows stack (site CSS, .stack).
  const head = {
    purpose: { en: 'Purpose', de: 'Zweck' },
    lifetime: { en: 'Lifetime', de: 'Speicherdauer' },
    category: { en: 'Category', de: 'Kategorie' },
    party: { en: 'First or third party', de: 'Erst- oder Drittanbieter' },
    setBy: { en: 'Set by', de: 'Gesetzt von' },
  } satisfies Record<string, Text>;
  return html`<table class="stack">
<caption>${t({ en: 'Every cookie this site may set', de: 'Alle Cookies, die diese Website setzen kann' })}</caption>
<thead><tr><th scope="col">${t({ en: 'Name', de: 'Name' })}</th><th scope="col">${t(head.purpose)}</th><th scope="col">${t(head.lifetime)}</th><th scope="col">${t(head.category)}</th><th scope="col">${t(head.party)}</th><th scope="col">${t(head.setBy)}</th></tr></thead>
<tbody>${registry.cookies.map(
    (c) =>
      html`<tr><th scope="row"><code>${c.name}</code></th><td data-label="${t(head.purpose)}">${t(c.purpose)}</td><td data-label="${t(head.lifetime)}">${t(c.lifetime)}</td><td data-label="${t(head.category)}">${t(categoryInfo[c.category].name)}</td><td data-label="${t(head.party)}">${party(c.party)}</td><td data-label="${t(head.setBy)}">${c.owner === 'candor' ? company : vendorName(registry, c.owner)}</td></tr>`,
  )}</tbody>
</table>`;
}

export function cookiesSection(lang: Lang, input: PolicyInput): Section {
  const { registry, operator } = input;
  const t = (text: Text) => tr(lang, text);
  const used = new Set<ConsentCategory>(registry.cookies.map((c) => c.category));
  for (const v of registry.vendors) used.add(v.template.category);
  const categories = (['necessary', ...optionalCategories] as ConsentCategory[]).filter((c) => used.has(c));
  const wildcard = registry.cookies.some((c) => c.name.endsWith('*'));
  return {
    id: 'cookies',
    title: { en: 'Cookies', de: 'Cookies' },
    body: html`<p>${t({
      en: 'Cookies are small pieces of text that a website stores in your browser and reads again later. Cookies that are strictly necessary to provide a service you have expressly requested we set without asking first (§ 25(2) no. 2 TDDDG). Every other cookie belongs to a service of another company and is set',
      de: 'Cookies sind kleine Textdateien, die eine Website in Ihrem Browser ablegt und später wieder ausliest. Cookies, die unbedingt erforderlich sind, damit wir einen von Ihnen ausdrücklich gewünschten digitalen Dienst zur Verfügung stellen können, setzen wir ohne vorherige Nachfrage (§ 25 Abs. 2 Nr. 2 TDDDG). Jedes andere Cookie gehört zu einem Dienst eines anderen Unternehmens und wird erst gesetzt,',
    })} ${t(consentRule)} (${lang === 'de' ? '§ 25 Abs. 1 TDDDG' : '§ 25(1) TDDDG'}, ${gdpr(lang, '6(1)(a)')}).</p>
<dl>${categories.map((c) => html`<dt>${t(categoryInfo[c].name)}</dt><dd>${t(categoryInfo[c].description)}</dd>`)}</dl>
${cookieTable(lang, registry, operator.company)}
${wildcard ? html`<p>${t({ en: 'A name ending in * stands for every cookie whose name starts that way.', de: 'Ein Name, der auf * endet, steht für alle Cookies, deren Name so beginnt.' })}</p>` : ''}
<p>${
      lang === 'de'
        ? html`Ihre Auswahl können Sie jederzeit ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })} ändern oder widerrufen.`
        : html`You can change or withdraw your choices at any time ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })}.`
    } ${t({
      en: 'When you withdraw, the services concerned stop loading, and cookies they placed under our domain are expired with the next page. Cookies under a provider’s own domain can be deleted in your browser.',
      de: 'Nach einem Widerruf werden die betroffenen Dienste nicht mehr geladen, und Cookies, die sie unter unserer Domain abgelegt haben, laufen mit der nächsten Seite ab. Cookies unter der eigenen Domain eines Anbieters können Sie in Ihrem Browser löschen.',
    })}</p>
<p>${t({
      en: 'You can also block cookies in your browser. Browsing the shop, the product pages and this policy keeps working. Only what has to recognise you from one page to the next stops working: the basket, signing in and sending forms need the necessary cookies listed above.',
      de: 'Sie können Cookies auch in Ihrem Browser sperren. Shop, Produktseiten und diese Erklärung bleiben nutzbar. Nur was Sie von Seite zu Seite wiedererkennen muss, funktioniert dann nicht: Warenkorb, Anmeldung und das Absenden von Formularen benötigen die oben genannten notwendigen Cookies.',
    })}</p>`,
  };
}

// ---------------------------------------------------------------- 4. third-party providers

/** One way of making a third-country transfer lawful, with its article, in a sentence. */
export function safeguardText(lang: Lang, s: TransferSafeguard): string {
  switch (s.kind) {
    case 'adequacy':
      return lang === 'de'
        ? `Angemessenheitsbeschluss der Europäischen Kommission zum EU-US Data Privacy Framework (${gdpr(lang, '45')}); ${s.certified} ist danach zertifiziert.`
        : `Adequacy decision of the European Commission for the EU-US Data Privacy Framework (${gdpr(lang, '45')}); ${s.certified} is certified under it.`;
    case 'standard-contractual-clauses':
      return lang === 'de'
        ? `Standardvertragsklauseln der Europäischen Kommission zwischen ${s.between.de} als geeignete Garantien (${gdpr(lang, '46(2)(c)')}).`
        : `Standard contractual clauses of the European Commission between ${s.between.en}, as appropriate safeguards (${gdpr(lang, '46(2)(c)')}).`;
    case 'binding-corporate-rules':
      return lang === 'de'
        ? `Von den Datenschutzaufsichtsbehörden genehmigte verbindliche interne Datenschutzvorschriften von ${s.of} als geeignete Garantien (Art. 46 Abs. 2 lit. b, Art. 47 DSGVO).`
        : `Binding corporate rules of ${s.of}, approved by the data protection authorities, as appropriate safeguards (Art. 46(2)(b) and Art. 47 GDPR).`;
  }
}

const SCC_TEXT = 'https://eur-lex.europa.eu/eli/dec_impl/2021/914/oj';
const DPF_LIST = 'https://www.dataprivacyframework.gov/list';

/** Where to see the adequacy certification or obtain a copy of the safeguards (Art. 13(1)(f) GDPR). */
function safeguardCopies(lang: Lang, input: PolicyInput, safeguards: TransferSafeguard[]): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const kinds = new Set(safeguards.map((s) => s.kind));
  return html`${
    kinds.has('adequacy')
      ? html` ${t({ en: 'The certification can be checked in the', de: 'Die Zertifizierung können Sie in der' })} ${externalLink(DPF_LIST, lang === 'de' ? 'Data Privacy Framework List' : 'Data Privacy Framework List')}${lang === 'de' ? ' prüfen.' : '.'}`
      : ''
  }${
    kinds.has('standard-contractual-clauses') || kinds.has('binding-corporate-rules')
      ? html` ${lang === 'de' ? `Eine Kopie der Garantien erhalten Sie von ${ourDpo(lang, input.operator, 'dative')} unter` : `You can obtain a copy of the safeguards from ${ourDpo(lang, input.operator, 'accusative')} at`} ${mailto(input.operator.dpo.email)}${
          kinds.has('standard-contractual-clauses')
            ? html`; ${t({ en: 'the text of the standard contractual clauses is published in the', de: 'den Wortlaut der Standardvertragsklauseln veröffentlicht das' })} ${externalLink(SCC_TEXT, lang === 'de' ? 'Amtsblatt der EU (Durchführungsbeschluss (EU) 2021/914)' : 'Official Journal of the EU (Implementing Decision (EU) 2021/914)')}`
            : ''
        }.`
      : ''
  }`;
}

type ThirdCountry = EnabledVendor['template']['thirdCountry'];

/** The countries a vendor transfers to and each safeguard with its article. */
function transferDetail(lang: Lang, thirdCountry: ThirdCountry & { transfer: true }): SafeHtml {
  return html`${countryNames(lang, thirdCountry.countries)}. ${thirdCountry.safeguards.map((s, i) => html`${i > 0 ? ' ' : ''}${safeguardText(lang, s)}`)}`;
}

/** Whether a vendor transfers data outside the EU/EEA, where to and on which safeguards. */
export function transferText(lang: Lang, thirdCountry: ThirdCountry): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  if (!thirdCountry.transfer)
    return html`${t({ en: 'No; the data stays in the EU/EEA.', de: 'Nein; die Daten bleiben in der EU bzw. im EWR.' })}`;
  return html`${t({ en: 'Yes, to', de: 'Ja, in folgende Länder' })}: ${transferDetail(lang, thirdCountry)}`;
}

export function vendorBlock(lang: Lang, vendor: EnabledVendor, input: PolicyInput): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const { registry } = input;
  const v = vendor.template;
  const cookies = registry.cookies.filter((c) => c.owner === v.id);
  const joint = v.jointControllership;
  return html`<section id="vendor-${v.id}">
<h4>${v.name}</h4>
<dl>
<dt>${t({ en: 'Provider', de: 'Anbieter' })}</dt><dd>${v.company.name}, ${v.company.address}</dd>
<dt>${t({ en: 'Purpose', de: 'Zweck' })}</dt><dd>${t(v.purpose)}</dd>
<dt>${t({ en: 'Data the provider receives', de: 'Daten, die der Anbieter erhält' })}</dt><dd>${t(v.dataTransferred)}</dd>
<dt>${t({ en: 'Role of the provider', de: 'Rolle des Anbieters' })}</dt><dd id="role-${v.id}">${
    v.role === 'processor'
      ? lang === 'de'
        ? `Auftragsverarbeiter (${gdpr(lang, '28')}): ${v.company.name} verarbeitet die Daten nur in unserem Auftrag und nach unseren Weisungen, auf Grundlage seiner Standardbedingungen zur Auftragsverarbeitung; für die Verarbeitung bleiben wir verantwortlich.`
        : `Processor (${gdpr(lang, '28')}): ${v.company.name} processes the data only on our behalf and on our instructions, under its standard data processing terms; we remain responsible for the processing.`
      : lang === 'de'
        ? `Mit uns gemeinsam Verantwortlicher (${gdpr(lang, '26')}); Einzelheiten im nächsten Punkt.`
        : `Joint controller with us (${gdpr(lang, '26')}); details in the next item.`
  }</dd>
${
  joint
    ? html`<dt>${t({ en: 'Joint controllers', de: 'Gemeinsam Verantwortliche' })} (${gdpr(lang, '26')})</dt>
<dd id="joint-${v.id}"><p>${lang === 'de' ? `${v.company.name} und wir sind gemeinsam verantwortlich für:` : `We and ${v.company.name} are joint controllers for:`} ${t(joint.scope)}</p>
<p>${t({ en: 'The essence of our arrangement:', de: 'Das Wesentliche unserer Vereinbarung:' })} ${t(joint.arrangement)} ${externalLink(joint.termsUrl, lang === 'de' ? `Bedingungen von ${v.company.name}` : `Terms of ${v.company.name}`)}</p>
<p>${lang === 'de' ? `Unabhängig von dieser Vereinbarung können Sie Ihre Rechte sowohl bei uns als auch bei ${v.company.name} geltend machen (${gdpr(lang, '26(3)')}).` : `Whatever the arrangement says, you can exercise your rights both with us and with ${v.company.name} (${gdpr(lang, '26(3)')}).`}</p></dd>`
    : ''
}
<dt>${t({ en: 'Transfer outside the EU/EEA', de: 'Übermittlung außerhalb der EU/des EWR' })}</dt>
<dd>${transferText(lang, v.thirdCountry)}${v.thirdCountry.transfer ? safeguardCopies(lang, input, v.thirdCountry.safeguards) : ''}</dd>
<dt>${t({ en: 'How long the provider keeps the data', de: 'Speicherdauer beim Anbieter' })}</dt>
<dd id="provider-retention-${v.id}">${t(v.retention.statement)} ${
    v.retention.setBy === 'us'
      ? t({ en: 'We set this period.', de: 'Die Speicherdauer legen wir fest.' })
      : lang === 'de'
        ? `Die Speicherdauer legt ${v.company.name} fest.`
        : `${v.company.name} sets this period.`
  } ${externalLink(v.retention.source, lang === 'de' ? `Angaben von ${v.company.name} zur Speicherdauer` : `${v.company.name} on data retention`)}</dd>
<dt>${t({ en: 'Cookies', de: 'Cookies' })}</dt>
<dd>${cookies.length === 0 ? t({ en: 'none', de: 'keine' }) : cookies.map((c, i) => html`${i > 0 ? ', ' : ''}<code>${c.name}</code>`)}</dd>
<dt>${t({ en: 'More information', de: 'Weitere Informationen' })}</dt>
<dd><ul>
<li>${externalLink(v.privacyPolicyUrl, lang === 'de' ? `Datenschutzerklärung von ${v.company.name}` : `Privacy policy of ${v.company.name}`)}</li>
<li>${
    v.optOut.url !== undefined
      ? externalLink(
          v.optOut.url,
          lang === 'de' ? `Opt-out direkt bei ${v.company.name}` : `Opt out directly with ${v.company.name}`,
        )
      : t(v.optOut.noOptOut)
  }</li>
</ul></dd>
</dl>
</section>`;
}

/** Art. 13(1)(f) GDPR: every enabled vendor that transfers data outside the EU/EEA, and what makes it lawful. */
export function transfersSection(lang: Lang, input: PolicyInput): Section {
  const t = (text: Text) => tr(lang, text);
  const transferring = input.registry.vendors.filter((v) => v.template.thirdCountry.transfer);
  return {
    id: 'transfers',
    title: { en: 'Transfers to countries outside the EU/EEA', de: 'Übermittlungen in Länder außerhalb der EU/des EWR' },
    body:
      transferring.length === 0
        ? html`<p>${t({
            en: 'None of the services of other companies that we use transfers data to a country outside the EU/EEA.',
            de: 'Keiner der von uns genutzten Dienste anderer Unternehmen übermittelt Daten in ein Land außerhalb der EU bzw. des EWR.',
          })}</p>`
        : html`<p>${t({
            en: 'The following services of other companies transfer data to countries outside the EU/EEA, each only after your consent. For each transfer, what makes it lawful:',
            de: 'Die folgenden Dienste anderer Unternehmen übermitteln Daten in Länder außerhalb der EU bzw. des EWR, jeweils nur nach Ihrer Einwilligung. Für jede Übermittlung, worauf sie beruht:',
          })}</p>
<ul>${transferring.map(
            (v) =>
              html`<li><a href="#vendor-${v.template.id}">${v.template.name}</a>, ${v.template.company.name}: ${v.template.thirdCountry.transfer ? html`${transferDetail(lang, v.template.thirdCountry)}${safeguardCopies(lang, input, v.template.thirdCountry.safeguards)}` : ''}</li>`,
          )}</ul>`,
  };
}

export function providersSection(lang: Lang, input: PolicyInput): Section {
  const { registry, operator } = input;
  const t = (text: Text) => tr(lang, text);
  const title = { en: 'Services of other companies', de: 'Dienste anderer Unternehmen' };
  if (registry.vendors.length === 0) {
    return {
      id: 'providers',
      title,
      body: html`<p>${t({
        en: 'We do not embed services of other companies: no script, image or font on our pages is loaded from another company’s servers.',
        de: 'Wir binden keine Dienste anderer Unternehmen ein: Kein Skript, Bild oder Schriftart auf unseren Seiten wird von Servern eines anderen Unternehmens geladen.',
      })}</p>`,
    };
  }
  const byCategory = optionalCategories
    .map((category) => ({ category, vendors: registry.vendors.filter((v) => v.template.category === category) }))
    .filter((g) => g.vendors.length > 0);
  const marketing = registry.vendors.filter((v) => v.template.category === 'marketing');
  const google = registry.vendors.filter((v) => v.template.googleConsentMode);
  return {
    id: 'providers',
    title,
    body: html`<p>${t({
      en: 'With your consent we use the services listed below. Each service’s script is loaded',
      de: 'Mit Ihrer Einwilligung nutzen wir die unten aufgeführten Dienste. Das Skript eines Dienstes wird erst geladen,',
    })} ${t(consentRule)}${t({
      en: '; until then your browser does not contact the service, and our server blocks its cookies. Legal basis: your consent under Art. 6(1)(a) GDPR and § 25(1) TDDDG.',
      de: '; bis dahin nimmt Ihr Browser keinen Kontakt zu dem Dienst auf, und unser Server blockiert dessen Cookies. Rechtsgrundlage: Ihre Einwilligung nach Art. 6 Abs. 1 lit. a DSGVO und § 25 Abs. 1 TDDDG.',
    })}</p>
<p>${
      lang === 'de'
        ? html`Sie können Ihre Einwilligung jederzeit ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })} widerrufen, so einfach, wie Sie sie erteilt haben.`
        : html`You can withdraw your consent at any time, as easily as you gave it, ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })}.`
    } ${t({
      en: 'The withdrawal applies from then on; it does not affect the lawfulness of processing before it.',
      de: 'Der Widerruf wirkt für die Zukunft; die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung bleibt davon unberührt.',
    })}</p>
${byCategory.map(
  (g) => html`<section id="providers-${g.category}">
<h3>${t(categoryInfo[g.category].name)}</h3>
<p>${t(categoryInfo[g.category].description)}</p>
${g.vendors.map((v) => vendorBlock(lang, v, input))}
</section>`,
)}
${
  marketing.length > 0
    ? html`<section id="retargeting">
<h3>${t({ en: 'Retargeting', de: 'Retargeting' })}</h3>
<p>${t({
        en: 'The marketing services place a cookie that lets their advertising network recognise your browser when you later visit other websites that belong to it. Those websites can then show you advertisements for products you looked at here. A marketing service runs',
        de: 'Die Marketing-Dienste legen ein Cookie ab, an dem ihr Werbenetzwerk Ihren Browser wiedererkennt, wenn Sie später andere Websites dieses Netzwerks besuchen. Diese Websites können Ihnen dann Werbung für Produkte zeigen, die Sie sich hier angesehen haben. Ein Marketing-Dienst läuft erst,',
      })} ${t(consentRule)}.</p>
${
  marketing.some((v) => v.template.jointControllership)
    ? html`<p>${t({
        en: 'For collecting the data on our pages and transmitting it, we and each of these providers are joint controllers (Art. 26 GDPR); see the entry of each service for the essence of the arrangement and where you can exercise your rights.',
        de: 'Für die Erhebung der Daten auf unseren Seiten und ihre Übermittlung sind wir und jeder dieser Anbieter gemeinsam Verantwortliche (Art. 26 DSGVO); das Wesentliche der Vereinbarung und wo Sie Ihre Rechte geltend machen können, steht im Eintrag des jeweiligen Dienstes.',
      })}</p>`
    : ''
}
<p>${t({ en: 'Retargeting services we use:', de: 'Von uns genutzte Retargeting-Dienste:' })}</p>
<ul>${marketing.map((v) => html`<li><a href="#vendor-${v.template.id}">${v.template.name}</a></li>`)}</ul>
<p>${t({
        en: 'Besides withdrawing your consent here, you can object to interest-based advertising directly with each provider through the opt-out link given in its entry.',
        de: 'Neben dem Widerruf Ihrer Einwilligung bei uns können Sie interessenbasierter Werbung auch direkt beim jeweiligen Anbieter über den in seinem Eintrag genannten Opt-out-Link widersprechen.',
      })}</p>
</section>
<section id="global-privacy-control">
<h3>${t({ en: 'Global Privacy Control', de: 'Global Privacy Control' })}</h3>
<p>${t({
        en: 'If your browser or an extension sends the Global Privacy Control signal (the request header Sec-GPC: 1), we treat it as a refusal of marketing: the category Marketing is switched off for every request that carries the signal. Only a choice you make in the cookie settings while the signal is on can switch it back on.',
        de: 'Sendet Ihr Browser oder eine Erweiterung das Signal Global Privacy Control (den Anfrage-Header Sec-GPC: 1), werten wir es als Ablehnung von Marketing: Die Kategorie Marketing ist für jede Anfrage mit diesem Signal ausgeschaltet. Nur eine Auswahl, die Sie bei eingeschaltetem Signal in den Cookie-Einstellungen treffen, kann sie wieder einschalten.',
      })}</p>
</section>`
    : ''
}
${
  google.length > 0
    ? html`<section id="google-consent-mode">
<h3>${t({ en: 'Google Consent Mode', de: 'Google Consent Mode' })}</h3>
<p>${
        lang === 'de'
          ? `Für ${joinList(
              lang,
              google.map((v) => v.template.name),
            )} geben wir Ihre Auswahl zusätzlich als Signale des Google Consent Mode (Version 2) weiter: ob Analyse- und Werbe-Cookies gespeichert und ob Daten für Werbung und personalisierte Werbung verwendet werden dürfen. So halten sich auch Googles Tags an Ihre Entscheidung für jede einzelne Kategorie. Geladen werden diese Tags ohnehin nur nach Ihrer Einwilligung.`
          : `For ${joinList(
              lang,
              google.map((v) => v.template.name),
            )} we also pass your choices on as Google Consent Mode (version 2) signals: whether analytics and advertising cookies may be stored, and whether data may be used for advertising and for personalised advertising. This way Google's tags follow your decision for each category. The tags themselves load only after your consent in any case.`
      }</p>
</section>`
    : ''
}
${
  operator.tcf
    ? html`<section id="tcf">
<h3>${t({ en: 'IAB Transparency and Consent Framework', de: 'IAB Transparency and Consent Framework' })}</h3>
<p>${t({
        en: 'We also express your choices in the format of the IAB Transparency and Consent Framework (version 2.2), so that advertising providers registered in that framework can read what you agreed to. Each time a page loads, our server builds this string (the TC string) from your choices and hands it to the providers’ scripts on our page through the framework’s interface. It holds your choices and when you made them, not your name. Where it can be linked to you, for example with the IP address the providers receive with each request, it is personal data (CJEU, IAB Europe, C-604/22), and we treat it as such.',
        de: 'Wir geben Ihre Auswahl zusätzlich im Format des IAB Transparency and Consent Framework (Version 2.2) wieder, damit dort registrierte Werbeanbieter erkennen, wozu Sie eingewilligt haben. Bei jedem Seitenaufruf erzeugt unser Server diese Zeichenkette (den TC-String) aus Ihrer Auswahl und übergibt sie über die Schnittstelle des Frameworks an die Skripte der Anbieter auf unserer Seite. Sie enthält Ihre Auswahl und deren Zeitpunkt, nicht Ihren Namen. Soweit sie sich Ihnen zuordnen lässt, etwa über die IP-Adresse, die die Anbieter mit jeder Anfrage erhalten, ist sie ein personenbezogenes Datum (EuGH, IAB Europe, C-604/22), und wir behandeln sie als solches.',
      })}</p>
</section>`
    : ''
}`,
  };
}

// ---------------------------------------------------------------- 5. social links

export function socialSection(lang: Lang, { registry }: PolicyInput): Section {
  const t = (text: Text) => tr(lang, text);
  const names = registry.social.map((s) => s.name);
  return {
    id: 'social-links',
    title: { en: 'Links to social networks', de: 'Links zu sozialen Netzwerken' },
    body: html`<p>${
      lang === 'de'
        ? `Unsere Seiten verlinken auf unsere Auftritte bei ${joinList(lang, names)}.`
        : `Our pages link to our profiles on ${joinList(lang, names)}.`
    } ${t({
      en: 'These are plain links: no button, script, image or font is loaded from these networks, so they learn nothing about your visit to our site. Only when you click a link does your browser open the network’s page, and from then on its own privacy policy applies. Our site tells other sites nothing about the page you came from.',
      de: 'Es handelt sich um einfache Links: Von diesen Netzwerken wird weder ein Button noch ein Skript, Bild oder eine Schriftart geladen, sie erfahren also nichts über Ihren Besuch bei uns. Erst wenn Sie einen Link anklicken, öffnet Ihr Browser die Seite des Netzwerks; ab dann gilt dessen eigene Datenschutzerklärung. Unsere Website teilt anderen Websites nicht mit, von welcher Seite Sie kommen.',
    })}</p>`,
  };
}
