// Policy sections on the data subject's rights, and the right to object set apart (Art. 21(4) GDPR).
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { linkFor } from './policy-links.ts';
import {
  type ActivityView,
  type PolicyInput,
  type Section,
  article,
  cookieSettingsPlace,
  externalLink,
  gdpr,
  linkNote,
  pageLink,
  writeToDpo,
} from './policy.common.ts';

// ---------------------------------------------------------------- 8. rights

export const OBJECTION_TITLE: Text = { en: 'Your right to object', de: 'Ihr Widerspruchsrecht' };

/**
 * The right to object, set apart from every other text as Art. 21(4) GDPR asks, and kept apart from withdrawing a
 * consent: case by case for what rests on legitimate interests (Art. 21(1)), and always for direct marketing
 * (Art. 21(2), (3)). An activity is direct marketing when a manifest declares an `object-direct-marketing` page for
 * it (dataMap.links); it is then listed only under the absolute right, never under the weighing of Art. 21(1).
 */
export function objectionSection(lang: Lang, input: PolicyInput, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const links = input.dataMap.links;
  const marketing = links.filter(
    (l) => l.right === 'object-direct-marketing' && views.some((v) => v.activity.id === l.activity),
  );
  const marketingIds = new Set(marketing.map((l) => l.activity));
  const marketingViews = views.filter((v) => marketingIds.has(v.activity.id));
  const interests = views.filter(
    (v) => v.activity.legalBasis === 'legitimate-interests' && !marketingIds.has(v.activity.id),
  );
  return {
    id: 'objection',
    title: { en: `${OBJECTION_TITLE.en} (Art. 21 GDPR)`, de: `${OBJECTION_TITLE.de} (Art. 21 DSGVO)` },
    highlight: true,
    body: html`<h3>${t({ en: 'Objection on grounds of your particular situation', de: 'Widerspruch aus Gründen Ihrer besonderen Situation' })}</h3>
<p>${t({
      en: `Where we process your data on the basis of our legitimate interests (${article('en', 'legitimate-interests')}), you have the right to object at any time, on grounds relating to your particular situation. We then no longer process your data for that purpose, unless we can demonstrate compelling legitimate grounds for the processing which override your interests, rights and freedoms, or the processing serves the establishment, exercise or defence of legal claims.`,
      de: `Soweit wir Ihre Daten auf Grundlage berechtigter Interessen verarbeiten (${article('de', 'legitimate-interests')}), haben Sie das Recht, aus Gründen, die sich aus Ihrer besonderen Situation ergeben, jederzeit Widerspruch einzulegen. Wir verarbeiten Ihre Daten dann für diesen Zweck nicht mehr, es sei denn, wir können zwingende schutzwürdige Gründe für die Verarbeitung nachweisen, die Ihre Interessen, Rechte und Freiheiten überwiegen, oder die Verarbeitung dient der Geltendmachung, Ausübung oder Verteidigung von Rechtsansprüchen.`,
    })}</p>
${
  interests.length > 0
    ? html`<p>${t({ en: 'This concerns:', de: 'Das betrifft:' })}</p>
<ul>${interests.map((v) => {
        const page = links.find((l) => l.right === 'object' && l.activity === v.activity.id);
        return html`<li><a href="#${v.activity.id}">${t(v.activity.name)}</a>${page ? html`: ${t({ en: 'object at once, without giving reasons, on', de: 'Widerspruch sofort und ohne Begründung unter' })} ${pageLink(lang, page)}${linkNote(lang, page)}` : ''}</li>`;
      })}</ul>`
    : ''
}
<p>${t({ en: 'How to use this right:', de: 'So üben Sie dieses Recht aus:' })} ${
      interests.some((v) => links.some((l) => l.right === 'object' && l.activity === v.activity.id))
        ? html`${t({ en: 'where a page is named above, there; otherwise', de: 'wo oben eine Seite genannt ist, dort; sonst' })} ${writeToDpo(lang, input.operator)}`
        : writeToDpo(lang, input.operator, true)
    }.</p>
<h3>${t({ en: 'Objection to direct marketing', de: 'Widerspruch gegen Direktwerbung' })}</h3>
<p>${t({
      en: `Where we use your data for direct marketing, you may object at any time and without giving reasons (${gdpr('en', '21(2)')}); this includes profiling connected with such marketing. We then no longer use your data for it (${gdpr('en', '21(3)')}).`,
      de: `Verwenden wir Ihre Daten für Direktwerbung, können Sie dem jederzeit und ohne Angabe von Gründen widersprechen (${gdpr('de', '21(2)')}); das gilt auch für ein damit verbundenes Profiling. Wir verwenden Ihre Daten dann nicht mehr für diese Zwecke (${gdpr('de', '21(3)')}).`,
    })}</p>
${
  marketingViews.length > 0
    ? html`<p>${t({ en: 'This concerns:', de: 'Das betrifft:' })}</p>
<ul id="objection-direct-marketing">${marketingViews.map((v) => html`<li><a href="#${v.activity.id}">${t(v.activity.name)}</a></li>`)}</ul>`
    : ''
}
<p>${t({ en: 'How to use this right:', de: 'So üben Sie dieses Recht aus:' })}${marketing.map(
      (l) => html`${l.before ? ` ${t(l.before)}` : ''} ${pageLink(lang, l)}${l.after ? ` ${t(l.after)}` : '.'}`,
    )} ${marketing.length > 0 ? html`${t({ en: 'Or', de: 'Oder' })} ${writeToDpo(lang, input.operator)}` : writeToDpo(lang, input.operator, true)}.</p>
<p>${t({
      en: 'An objection is not the same as withdrawing a consent: where we process data because you consented, see',
      de: 'Ein Widerspruch ist etwas anderes als der Widerruf einer Einwilligung: Wo wir Daten aufgrund Ihrer Einwilligung verarbeiten, siehe',
    })} <a href="#right-withdrawal">${t({ en: 'Withdrawing consent', de: 'Widerruf einer Einwilligung' })}</a>.</p>`,
  };
}

export function rightsSection(lang: Lang, input: PolicyInput): Section {
  const { operator, dataMap } = input;
  const t = (text: Text) => tr(lang, text);
  const sa = operator.supervisoryAuthority;
  const kept = [
    ...new Map(
      dataMap.tables.flatMap((tb) =>
        tb.erasure?.action === 'keep' || tb.erasure?.action === 'delete-unless-kept'
          ? [
              [
                `${tb.activity}|${t(tb.erasure.until)}`,
                { activity: dataMap.activity(tb.activity), until: tb.erasure.until, basis: tb.erasure.basis },
              ] as const,
            ]
          : [],
      ),
    ).values(),
  ];
  const links = dataMap.links;
  const [access, portability, profile, password, guest] = (
    ['access', 'portability', 'rectification', 'password', 'request-without-account'] as const
  ).map((r) => linkFor(links, r));
  const right = (id: string, title: Text, art: string, body: SafeHtml) => html`<section id="right-${id}">
<h3>${t(title)} (${gdpr(lang, art)})</h3>
${body}
</section>`;
  const dpoLine = writeToDpo(lang, operator);
  const dpoStart = writeToDpo(lang, operator, true);
  const how = (en: string) => t({ en, de: 'So üben Sie dieses Recht aus:' });
  return {
    id: 'rights',
    title: { en: 'Your rights and how to use them', de: 'Ihre Rechte und wie Sie sie ausüben' },
    body: html`<p>${t({
      en: 'Using your rights costs you nothing. Where we cannot tell from your account who you are, we may ask you to confirm your identity before we answer, so that nobody else receives your data.',
      de: 'Die Ausübung Ihrer Rechte ist für Sie unentgeltlich. Können wir nicht anhand Ihres Kontos erkennen, wer Sie sind, bitten wir Sie gegebenenfalls, Ihre Identität zu bestätigen, damit niemand sonst Ihre Daten erhält.',
    })}</p>
${
  guest
    ? html`<p>${t({
        en: 'Without an account, you can make each of the requests below at',
        de: 'Ohne Kundenkonto können Sie jede der folgenden Anfragen stellen unter',
      })} ${pageLink(lang, guest)}${linkNote(lang, guest)}. ${t({
        en: 'We first send a link to your email address; nothing is shown or done until you follow it.',
        de: 'Wir senden zuerst einen Link an Ihre E-Mail-Adresse; erst wenn Sie ihm folgen, zeigen oder tun wir etwas.',
      })}</p>`
    : ''
}
${right(
  'access',
  { en: 'Access', de: 'Auskunft' },
  '15',
  html`<p>${t({
    en: 'You can learn which data we hold about you, where it came from, who received it, for what purposes and for how long we keep it.',
    de: 'Sie können erfahren, welche Daten wir über Sie speichern, woher sie stammen, wer sie erhalten hat, zu welchen Zwecken und wie lange wir sie aufbewahren.',
  })}</p>
<p>${
    access
      ? html`${how('How:')} ${t({ en: 'when signed in, download everything at once from', de: 'Wenn Sie angemeldet sind, laden Sie alle Daten auf einmal herunter unter' })} ${pageLink(lang, access)}${linkNote(lang, access)}; ${t({ en: 'or', de: 'oder' })}`
      : how('How:')
  } ${access ? dpoLine : dpoStart}.</p>`,
)}
${right(
  'rectification',
  { en: 'Rectification', de: 'Berichtigung' },
  '16',
  html`<p>${t({ en: 'You can have inaccurate data about you rectified and incomplete data completed.', de: 'Sie können die Berichtigung unrichtiger und die Vervollständigung unvollständiger Daten über Sie verlangen.' })}</p>
<p>${
    profile
      ? html`${how('How:')} ${t({ en: 'change your name and contact details yourself in', de: 'Ändern Sie Namen und Kontaktdaten selbst unter' })} ${pageLink(lang, profile)}${
          password
            ? html`${t({ en: ', and your password under', de: ', Ihr Passwort unter' })} ${pageLink(lang, password)}`
            : ''
        }. ${t({ en: 'For anything else,', de: 'Für alles Weitere' })}`
      : how('How:')
  } ${profile ? dpoLine : dpoStart}.</p>`,
)}
${right(
  'erasure',
  { en: 'Erasure', de: 'Löschung' },
  '17',
  html`<p>${t({
    en: 'You can have your data erased where we no longer need it, where you withdraw the consent it rests on, or where you successfully object. Data that the law obliges us to keep is not deleted at once: we restrict its processing, so that it is used for nothing else, and delete it when the period ends.',
    de: 'Sie können die Löschung Ihrer Daten verlangen, wenn wir sie nicht mehr benötigen, wenn Sie die Einwilligung widerrufen, auf der die Verarbeitung beruht, oder wenn Sie erfolgreich Widerspruch einlegen. Daten, die wir aufgrund gesetzlicher Pflichten aufbewahren müssen, werden nicht sofort gelöscht: Wir schränken ihre Verarbeitung ein, sodass sie für nichts anderes verwendet werden, und löschen sie mit Ablauf der Aufbewahrungsfrist.',
  })}</p>
${
  kept.length > 0
    ? html`<ul>${kept.map((k) => html`<li><a href="#${k.activity.id}">${t(k.activity.name)}</a>: ${t(k.until)} (${t(k.basis)})</li>`)}</ul>`
    : ''
}
<p>${how('How:')} ${dpoStart}${t({
    en: ', preferably from the email address of your account.',
    de: ', am besten von der E-Mail-Adresse Ihres Kontos aus.',
  })}</p>`,
)}
${right(
  'restriction',
  { en: 'Restriction of processing', de: 'Einschränkung der Verarbeitung' },
  '18',
  html`<p>${t({
    en: 'You can ask us to keep your data but not otherwise use it, for example while we check whether it is accurate or while your objection is being decided.',
    de: 'Sie können die Einschränkung der Verarbeitung verlangen: Wir speichern Ihre Daten dann nur noch und verwenden sie nicht anderweitig, etwa solange wir ihre Richtigkeit prüfen oder über Ihren Widerspruch noch nicht entschieden ist.',
  })}</p>
<p>${how('How:')} ${dpoStart}.</p>`,
)}
${right(
  'portability',
  { en: 'Data portability', de: 'Datenübertragbarkeit' },
  '20',
  html`<p>${t({
    en: 'You can receive the data you gave us in a structured, commonly used and machine-readable format and pass it on to another controller.',
    de: 'Sie können die Daten, die Sie uns bereitgestellt haben, in einem strukturierten, gängigen und maschinenlesbaren Format erhalten und einem anderen Verantwortlichen übermitteln.',
  })}</p>
<p>${
    portability
      ? html`${how('How:')} ${t({ en: 'the download under', de: 'Der Download unter' })} ${pageLink(lang, portability)}${linkNote(lang, portability)} ${t(
          {
            en: 'is a JSON file made for exactly this; or',
            de: 'liefert eine eigens dafür vorgesehene JSON-Datei; oder',
          },
        )}`
      : how('How:')
  } ${portability ? dpoLine : dpoStart}.</p>`,
)}
${right(
  'objection',
  { en: 'Objection', de: 'Widerspruch' },
  '21',
  html`<p>${t({
    en: 'Your right to object to processing based on our legitimate interests, and to direct marketing, is set out on its own:',
    de: 'Ihr Recht, einer Verarbeitung auf Grundlage unserer berechtigten Interessen und der Direktwerbung zu widersprechen, ist gesondert dargestellt:',
  })} <a href="#objection">${t(OBJECTION_TITLE)}</a>.</p>`,
)}
${right(
  'withdrawal',
  { en: 'Withdrawing consent', de: 'Widerruf einer Einwilligung' },
  '7(3)',
  html`<p>${t({
    en: 'You can withdraw any consent you gave us at any time, as easily as you gave it. The withdrawal works for the future; processing before it stays lawful.',
    de: 'Jede Einwilligung können Sie jederzeit so einfach widerrufen, wie Sie sie erteilt haben. Der Widerruf wirkt für die Zukunft; die Rechtmäßigkeit der bis zum Widerruf erfolgten Verarbeitung bleibt davon unberührt.',
  })}</p>
<p id="withdrawal-cookies">${how('How:')} ${t({ en: 'for cookies and the services of other companies, including advertising cookies and retargeting,', de: 'Für Cookies und Dienste anderer Unternehmen, auch Werbe-Cookies und Retargeting,' })} ${cookieSettingsPlace(lang, input, { en: 'in the', de: 'in den' })}${
    profile
      ? lang === 'de'
        ? html`; für freiwillige Angaben in Ihrem Konto, indem Sie sie unter ${pageLink(lang, profile)} löschen`
        : html`; for details you gave voluntarily in your account, by deleting them in ${pageLink(lang, profile)}`
      : ''
  }${t({ en: '; for anything else,', de: '; für alles Weitere' })} ${dpoLine}.</p>`,
)}
${right(
  'complaint',
  { en: 'Complaint to a supervisory authority', de: 'Beschwerde bei einer Aufsichtsbehörde' },
  '77',
  html`<p>${t({
    en: 'If you believe that our processing of your data breaks data protection law, you can complain to a supervisory authority, in particular in the member state where you live or work or where the suspected breach took place. You do not have to contact us first. The authority responsible for us is:',
    de: 'Sind Sie der Ansicht, dass unsere Verarbeitung Ihrer Daten gegen das Datenschutzrecht verstößt, können Sie sich bei einer Aufsichtsbehörde beschweren, insbesondere in dem Mitgliedstaat Ihres gewöhnlichen Aufenthaltsorts, Ihres Arbeitsplatzes oder des Orts des mutmaßlichen Verstoßes. Sie müssen sich nicht zuvor an uns wenden. Für uns zuständig ist:',
  })}</p>
<address>${sa.name}<br>${sa.address.map((l) => html`${l}<br>`)}${externalLink(sa.url, `Website: ${sa.url}`)}</address>`,
)}
<section id="right-response">
<h3>${t({ en: 'When we answer', de: 'Wann wir antworten' })} (${gdpr(lang, '12(3)')})</h3>
<p>${t({
      en: 'We answer within one month of receiving your request. Where requests are complex or numerous, we may extend this by up to two further months; if so, we tell you within the first month, with the reasons.',
      de: 'Wir antworten innerhalb eines Monats nach Eingang Ihres Antrags. Bei komplexen oder zahlreichen Anträgen können wir diese Frist um bis zu zwei weitere Monate verlängern; dann teilen wir Ihnen das innerhalb des ersten Monats mit Begründung mit.',
    })}</p>
</section>`,
  };
}
