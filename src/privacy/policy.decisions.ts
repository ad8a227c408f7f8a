// Policy sections on what the person must provide (Art. 13(2)(e) GDPR), decisions by automated means alone
// (Art. 22, Art. 13(2)(f)) and data obtained from others (Art. 14). Each comes from the activities' declarations
// in the data map; an activity that declares nothing is not mentioned, and the negative statements hold only
// because no activity declares such a fact.
import { html } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { linkFor } from './policy-links.ts';
import { categoryNames, type AutomatedDecision } from './data-map.ts';
import {
  type ActivityView,
  type PolicyInput,
  type Section,
  gdpr,
  joinList,
  linkNote,
  pageLink,
  writeToDpo,
} from './policy.common.ts';

// ---------------------------------------------------------------- required or voluntary (Art. 13(2)(e))

export function requirementsSection(lang: Lang, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const declared = views.filter((v) => v.activity.requirement);
  return {
    id: 'requirements',
    title: { en: 'Required and voluntary data', de: 'Pflichtangaben und freiwillige Angaben' },
    body: html`<p>${t({
      en: `No law obliges you to give us personal data. Some data is needed to conclude or perform a contract with you: without it we cannot do what you ask for. What is needed, what happens without it and what is voluntary (${gdpr('en', '13(2)(e)')}):`,
      de: `Keine gesetzliche Vorschrift verpflichtet Sie, uns personenbezogene Daten bereitzustellen. Einige Daten sind für einen Vertragsabschluss oder die Vertragserfüllung erforderlich: Ohne sie können wir nicht tun, worum Sie uns bitten. Was erforderlich ist, welche Folgen die Nichtbereitstellung hätte und was freiwillig ist (${gdpr('de', '13(2)(e)')}):`,
    })}</p>
${declared.map(({ activity }) => {
  const r = activity.requirement!;
  return html`<section id="requirement-${activity.id}">
<h3>${t(activity.name)}</h3>
<dl>
<dt>${t({ en: 'Required', de: 'Erforderlich' })}</dt><dd>${t(r.required)}</dd>
<dt>${t({ en: 'If you do not provide it', de: 'Folgen der Nichtbereitstellung' })}</dt><dd>${t(r.without)}</dd>
${r.voluntary ? html`<dt>${t({ en: 'Voluntary', de: 'Freiwillig' })}</dt><dd>${t(r.voluntary)}</dd>` : ''}
</dl>
<p><a href="#${activity.id}">${t({ en: 'Details of this processing', de: 'Einzelheiten zu dieser Verarbeitung' })}</a></p>
</section>`;
})}
<p>${t({
      en: 'Other services that you choose to use in your account, such as registering a hardware unit, need the data their forms ask for; without it we cannot provide that service. What we record when you visit the site is described in the sections on visits and cookies.',
      de: 'Andere Dienste, die Sie in Ihrem Konto nutzen möchten, etwa die Registrierung eines Geräts, benötigen die Angaben, nach denen ihre Formulare fragen; ohne sie können wir den Dienst nicht erbringen. Was wir bei Ihrem Besuch der Website erfassen, beschreiben die Abschnitte zu Besuchen und Cookies.',
    })}</p>`,
  };
}

// ---------------------------------------------------------------- automated decisions (Art. 22)

/** The exception of Art. 22(2) GDPR that permits a decision, as the policy states it. */
const exceptionText: Record<NonNullable<AutomatedDecision['exception']>, Text> = {
  contract: {
    en: `${gdpr('en', '22(2)(a)')}: the decision is necessary for entering into, or performing, a contract between you and us.`,
    de: `${gdpr('de', '22(2)(a)')}: Die Entscheidung ist für den Abschluss oder die Erfüllung eines Vertrags zwischen Ihnen und uns erforderlich.`,
  },
  law: {
    en: `${gdpr('en', '22(2)(b)')}: the decision is authorised by Union or Member State law to which we are subject, which also lays down suitable measures to safeguard your rights, freedoms and legitimate interests.`,
    de: `${gdpr('de', '22(2)(b)')}: Die Entscheidung ist aufgrund von Rechtsvorschriften der Union oder der Mitgliedstaaten, denen wir unterliegen, zulässig; diese Rechtsvorschriften enthalten angemessene Maßnahmen zur Wahrung Ihrer Rechte und Freiheiten sowie Ihrer berechtigten Interessen.`,
  },
  consent: {
    en: `${gdpr('en', '22(2)(c)')}: you have given your explicit consent to the decision.`,
    de: `${gdpr('de', '22(2)(c)')}: Sie haben in die Entscheidung ausdrücklich eingewilligt.`,
  },
};

export function automatedDecisionsSection(lang: Lang, input: PolicyInput, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const declared = views.filter((v) => v.activity.automatedDecision);
  const review = linkFor(input.dataMap.links, 'contest-automated-decision');
  const title: Text = {
    en: `Automated individual decisions (${gdpr('en', '22')})`,
    de: `Automatisierte Entscheidungen im Einzelfall (${gdpr('de', '22')})`,
  };
  if (declared.length === 0) {
    return {
      id: 'automated-decisions',
      title,
      body: html`<p>${t({
        en: 'We make no decisions about you that are based solely on automated processing and that have legal effects for you or similarly significantly affect you.',
        de: 'Wir treffen keine ausschließlich auf einer automatisierten Verarbeitung beruhenden Entscheidungen, die Ihnen gegenüber rechtliche Wirkung entfalten oder Sie in ähnlicher Weise erheblich beeinträchtigen.',
      })}</p>`,
    };
  }
  const route = html`${
    review
      ? html`${t({ en: 'Ask for the review on the page', de: 'Beantragen Sie die Überprüfung auf der Seite' })} ${pageLink(lang, review)}${linkNote(lang, review)}, ${t({ en: 'or', de: 'oder' })} `
      : ''
  }${writeToDpo(lang, input.operator)}.`;
  return {
    id: 'automated-decisions',
    title,
    body: html`<p>${t({
      en: 'The following decisions are made by automated means alone: no person at our company looks at the individual case before the result applies to you. Here is how each works (Art. 13(2)(f) GDPR):',
      de: 'Die folgenden Entscheidungen fallen ausschließlich automatisiert: Kein Mensch in unserem Unternehmen prüft den Einzelfall, bevor das Ergebnis Sie betrifft. So funktioniert jede von ihnen (Art. 13 Abs. 2 lit. f DSGVO):',
    })}</p>
${declared.map(({ activity }) => {
  const d = activity.automatedDecision!;
  return html`<section id="decision-${activity.id}">
<h3>${t(activity.name)}</h3>
<dl>
${
  d.exception
    ? html`<dt>${t({ en: 'Why we may decide this way', de: 'Warum wir so entscheiden dürfen' })}</dt><dd id="exception-${activity.id}">${t(exceptionText[d.exception])}</dd>`
    : ''
}
<dt>${t({ en: 'Which data goes into it', de: 'Welche Daten einfließen' })}</dt><dd>${t(d.inputs)}</dd>
<dt>${t({ en: 'Logic and criteria', de: 'Logik und Kriterien' })}</dt><dd>${t(d.logic)}</dd>
<dt>${t({ en: 'What the decision means for you', de: 'Bedeutung und Folgen für Sie' })}</dt><dd>${t(d.consequences)}</dd>
<dt>${t({ en: 'Your alternatives', de: 'Ihre Alternativen' })}</dt><dd>${t(d.alternatives)}</dd>
<dt>${t({ en: 'Review by a person', de: 'Überprüfung durch einen Menschen' })}</dt><dd id="review-${activity.id}">${
    // Art. 22(3) grants these rights where the decision rests on a contract or consent; a law that permits a
    // decision lays down its own safeguards. The statute first, then how our review works, then one route.
    d.exception === 'law'
      ? ''
      : html`${t({
          en: `You have the right to obtain human intervention on our part, to express your point of view and to contest the decision (${gdpr('en', '22(3)')}).`,
          de: `Sie haben das Recht, das Eingreifen einer Person auf unserer Seite zu erwirken, Ihren eigenen Standpunkt darzulegen und die Entscheidung anzufechten (${gdpr('de', '22(3)')}).`,
        })} `
  }${t(d.humanReview)} ${route}</dd>
</dl>
<p><a href="#${activity.id}">${t({ en: 'Details of this processing', de: 'Einzelheiten zu dieser Verarbeitung' })}</a></p>
</section>`;
})}`,
  };
}

// ---------------------------------------------------------------- where the data comes from (Art. 14)

export function sourcesSection(lang: Lang, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const sources = views.flatMap(({ activity }) => (activity.sources ?? []).map((source) => ({ activity, source })));
  return {
    id: 'sources',
    title: { en: 'Where your data comes from', de: 'Woher Ihre Daten stammen' },
    body: html`<p>${
      sources.length > 0
        ? t({
            en: 'Apart from the data listed below, all personal data we process comes from you: what you enter on our pages, and what your browser sends when you use them.',
            de: 'Abgesehen von den unten genannten Daten stammen alle personenbezogenen Daten, die wir verarbeiten, von Ihnen selbst: aus Ihren Eingaben auf unseren Seiten und aus dem, was Ihr Browser bei deren Nutzung übermittelt.',
          })
        : t({
            en: 'All personal data we process comes from you: what you enter on our pages, and what your browser sends when you use them. We obtain no data about you from others.',
            de: 'Alle personenbezogenen Daten, die wir verarbeiten, stammen von Ihnen selbst: aus Ihren Eingaben auf unseren Seiten und aus dem, was Ihr Browser bei deren Nutzung übermittelt. Von anderen erhalten wir keine Daten über Sie.',
          })
    }</p>
${
  sources.length > 0
    ? html`<p>${t({ en: `Data we obtain from others (${gdpr('en', '14')}):`, de: `Daten, die wir von anderen erhalten (${gdpr('de', '14')}):` })}</p>
<ul>${sources.map(
        ({ activity, source }, i) =>
          html`<li id="source-${activity.id}-${i}"><a href="#${activity.id}">${t(activity.name)}</a>: ${t(source.from)} ${t({ en: 'Categories of data obtained:', de: 'Erhaltene Datenkategorien:' })} ${joinList(
            lang,
            source.categories.map((c) => t(categoryNames[c])),
          )}. ${
            source.publiclyAccessible
              ? t({ en: 'The source is publicly accessible.', de: 'Die Quelle ist öffentlich zugänglich.' })
              : t({ en: 'The source is not publicly accessible.', de: 'Die Quelle ist nicht öffentlich zugänglich.' })
          }</li>`,
      )}</ul>`
    : ''
}`,
  };
}
