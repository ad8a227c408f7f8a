// Policy sections on the processing activities (grouped by legal basis) and their recipients.
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { categoryNames, type Activity, type LegalBasis, type Recipient, type RecipientRole } from './data-map.ts';
import { recipientCompany, recipientFields, recipientOfActivity, recipientRole } from './policy.recipients.ts';
import {
  type PolicyInput,
  basisText,
  describeRule,
  joinHtml,
  article,
  type Section,
  type ActivityView,
} from './policy.common.ts';

export const basisGroups: { basis: LegalBasis; title: Text }[] = [
  {
    basis: 'contract',
    title: { en: 'To perform our contract with you', de: 'Zur Erfüllung unseres Vertrags mit Ihnen' },
  },
  {
    basis: 'legal-obligation',
    title: { en: 'Because the law requires it', de: 'Zur Erfüllung rechtlicher Verpflichtungen' },
  },
  {
    basis: 'legitimate-interests',
    title: { en: 'For our legitimate interests', de: 'Zur Wahrung unserer berechtigten Interessen' },
  },
  { basis: 'consent', title: { en: 'With your consent', de: 'Auf Grundlage Ihrer Einwilligung' } },
  {
    basis: 'vital-interests',
    title: { en: 'To protect vital interests', de: 'Zum Schutz lebenswichtiger Interessen' },
  },
  {
    basis: 'public-task',
    title: { en: 'For a task in the public interest', de: 'Für eine Aufgabe im öffentlichen Interesse' },
  },
];

/** Readable names of the usage log's columns; a column not listed here is described by its category. */

// ---------------------------------------------------------------- 6. processing activities

export function activitySection(lang: Lang, view: ActivityView): SafeHtml {
  const { activity } = view;
  const t = (text: Text) => tr(lang, text);
  // Rows no timed rule removes say until when they are kept, and what ends them (the data map requires it).
  // Several tables of one activity often share a sentence (a ticket's messages and files go with it): each once.
  const once = <T>(items: T[], key: (item: T) => string): T[] => [
    ...new Map(items.map((item) => [key(item), item] as const)).values(),
  ];
  const keptUntil = once(
    view.tables.flatMap((tb) => (tb.keptUntil ? [tb.keptUntil] : [])),
    (k) => t(k),
  );
  const kept = once(
    view.tables.flatMap((tb) =>
      tb.erasure?.action === 'keep' || tb.erasure?.action === 'delete-unless-kept' ? [tb.erasure] : [],
    ),
    (k) => `${k.action}|${t(k.until)}|${t(k.basis)}`,
  );
  return html`<section id="${activity.id}">
<h4>${t(activity.name)}</h4>
<dl>
<dt>${t({ en: 'Why', de: 'Zweck' })}</dt><dd>${t(activity.purpose)}</dd>
<dt>${t({ en: 'Legal basis', de: 'Rechtsgrundlage' })}</dt>
<dd>${article(lang, activity.legalBasis)}: ${t(basisText[activity.legalBasis])}.${activity.basisDetail ? html` ${t(activity.basisDetail)}` : ''}</dd>
<dt>${t({ en: 'Whose data', de: 'Betroffene' })}</dt><dd>${t(activity.subjects)}</dd>
<dt>${t({ en: 'Which data', de: 'Welche Daten' })}</dt><dd>${view.categories.map((c) => t(categoryNames[c])).join('; ')}</dd>
<dt>${t({ en: 'Who receives it', de: 'Empfänger' })}</dt>
<dd>${
    activity.recipients.length === 0
      ? t({ en: 'Nobody outside our company.', de: 'Niemand außerhalb unseres Unternehmens.' })
      : html`<ul>${activity.recipients.map((r) => recipientOfActivity(lang, activity, r))}</ul>`
  }</dd>
<dt>${t({ en: 'How long', de: 'Speicherdauer' })}</dt>
<dd><ul>${view.rules.map((r) => html`<li>${describeRule(lang, r)}</li>`)}${kept.map(
    (k) =>
      html`<li>${t(
        k.action === 'keep'
          ? {
              en: 'If you ask for erasure, we restrict the processing of this data instead of deleting it, and delete it when its retention period ends:',
              de: 'Verlangen Sie die Löschung, schränken wir die Verarbeitung dieser Daten ein, statt sie zu löschen, und löschen sie mit Ablauf der Aufbewahrungsfrist:',
            }
          : {
              en: 'If you ask for erasure, we delete this data at once, except for the following, whose processing we restrict instead and which we delete when its period ends:',
              de: 'Verlangen Sie die Löschung, löschen wir diese Daten sofort, außer den folgenden, deren Verarbeitung wir stattdessen einschränken und die wir mit Ablauf ihrer Frist löschen:',
            },
      )} ${t(k.until)}. ${t({ en: 'Legal basis:', de: 'Rechtsgrundlage:' })} ${t(k.basis)}.</li>`,
  )}${keptUntil.map((k) => html`<li>${t(k)}</li>`)}${
    view.usesDataOf.length > 0
      ? html`<li id="uses-${activity.id}">${t({ en: 'For the data taken from', de: 'Für die Daten aus' })} ${joinHtml(
          lang,
          view.usesDataOf.map(
            (a) => html`${t({ en: '“', de: '„' })}<a href="#${a.id}">${t(a.name)}</a>${t({ en: '”', de: '“' })}`,
          ),
        )} ${
          view.usesDataOf.length === 1
            ? t({ en: 'the storage period stated there applies.', de: 'gilt die dort genannte Speicherdauer.' })
            : t({
                en: 'the storage periods stated there apply.',
                de: 'gelten die dort jeweils genannten Speicherfristen.',
              })
        }</li>`
      : ''
  }</ul></dd>
</dl>
</section>`;
}

export function processingSection(lang: Lang, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const groups = basisGroups
    .map((g) => ({ ...g, views: views.filter((v) => v.activity.legalBasis === g.basis) }))
    .filter((g) => g.views.length > 0);
  return {
    id: 'processing',
    title: { en: 'What we process, why, and for how long', de: 'Was wir verarbeiten, warum und wie lange' },
    body: html`<p>${t({
      en: 'Here is every purpose for which we process personal data, grouped by its legal basis. Each retention period is carried out automatically by our software.',
      de: 'Im Folgenden nennen wir jeden Zweck, zu dem wir personenbezogene Daten verarbeiten, geordnet nach Rechtsgrundlage. Jede Speicherfrist setzt unsere Software automatisch um.',
    })}</p>
${groups.map(
  (g) => html`<section id="basis-${g.basis}">
<h3>${t(g.title)} (${article(lang, g.basis)})</h3>
${g.views.map((v) => activitySection(lang, v))}
</section>`,
)}`,
  };
}

// ---------------------------------------------------------------- 7. recipients

export interface RecipientSummary {
  id: string;
  name: Text;
  role: RecipientRole;
  arrangement?: Text;
  company?: Recipient['company'];
  /** Every field it receives in any activity, by path (the union of the activities' declarations). */
  fields: Recipient['fields'];
  activities: Activity[];
}

const roleOrder: RecipientRole[] = ['processor', 'independent-controller', 'joint-controller'];

/** What each role means for the reader; the policy explains the roles its recipients have. */
const roleExplanations: Record<RecipientRole, Text> = {
  processor: {
    en: 'A processor handles the data only on our behalf and on our instructions, under a contract as Art. 28 GDPR requires; we remain responsible for what it does with the data.',
    de: 'Ein Auftragsverarbeiter verarbeitet die Daten nur in unserem Auftrag und nach unseren Weisungen, auf Grundlage eines Vertrags nach Art. 28 DSGVO; für seine Verarbeitung bleiben wir verantwortlich.',
  },
  'independent-controller': {
    en: 'An independent controller receives the data to do its own part under its own responsibility and its own legal duties; its own privacy notice applies to what it does with the data.',
    de: 'Ein eigenständig Verantwortlicher erhält die Daten, um seinen eigenen Teil in eigener Verantwortung und nach seinen eigenen gesetzlichen Pflichten zu erledigen; für seine Verarbeitung gilt seine eigene Datenschutzerklärung.',
  },
  'joint-controller': {
    en: 'Joint controllers decide together with us why and how the data is processed (Art. 26 GDPR); we state the essence of our arrangement, and you can exercise your rights with each of us.',
    de: 'Gemeinsam Verantwortliche legen mit uns zusammen die Zwecke und Mittel der Verarbeitung fest (Art. 26 DSGVO); wir nennen das Wesentliche unserer Vereinbarung, und Sie können Ihre Rechte bei jedem der Beteiligten geltend machen.',
  },
};

/** Each recipient once, with every field it receives in any activity (the data map refuses two roles for one). */
export function collectRecipients(views: ActivityView[]): RecipientSummary[] {
  const byId = new Map<string, RecipientSummary>();
  for (const { activity } of views) {
    for (const r of activity.recipients) {
      const known: RecipientSummary = byId.get(r.id) ?? {
        id: r.id,
        name: r.name,
        role: r.role,
        ...(r.arrangement ? { arrangement: r.arrangement } : {}),
        ...(r.company ? { company: r.company } : {}),
        fields: {},
        activities: [],
      };
      known.fields = { ...known.fields, ...r.fields };
      if (!known.activities.includes(activity)) known.activities.push(activity);
      byId.set(r.id, known);
    }
  }
  return [...byId.values()];
}

export function recipientsSection(lang: Lang, input: PolicyInput, views: ActivityView[]): Section {
  const t = (text: Text) => tr(lang, text);
  const recipients = collectRecipients(views);
  const disclosure = views.find((v) => v.activity.role === 'disclosure-record');
  // The table's column names, also on each cell for phones, where rows stack (site CSS, .stack).
  const head = {
    role: { en: 'Role', de: 'Rolle' },
    receives: { en: 'What it receives', de: 'Was er erhält' },
    for: { en: 'For', de: 'Wofür' },
  } satisfies Record<string, Text>;
  return {
    id: 'recipients',
    title: { en: 'Who receives your data', de: 'Wer Ihre Daten erhält' },
    body: html`<p>${t({
      en: 'Every company outside ours that receives personal data from us is listed here, with its role.',
      de: 'Hier ist jedes Unternehmen außerhalb unseres eigenen aufgeführt, das personenbezogene Daten von uns erhält, mit seiner Rolle.',
    })}${roleOrder
      .filter((role) => recipients.some((r) => r.role === role))
      .map((role) => html` ${t(roleExplanations[role])}`)}</p>
<p>${t({
      en: 'Each recipient receives no more than the data listed for it below, and our software enforces this in two ways. A direct call to a recipient, such as a credit check or a payment, is checked against this list before it is made: a call that would contain anything else is refused, and nothing is sent. Data we hand over for later collection, such as the delivery company’s hand-off file, is cut down to the fields listed for the recipient before it is handed over; anything else is left out. We record which data went to which recipient and when, so that we can tell you in an access request; a later query about data already sent, such as the status of a payment, is not recorded again.',
      de: 'Jeder Empfänger erhält höchstens die unten für ihn aufgeführten Daten; das setzt unsere Software auf zwei Wegen durch. Eine unmittelbare Übermittlung an einen Empfänger, etwa eine Bonitätsanfrage oder eine Zahlung, wird vorher anhand dieser Liste geprüft: Enthielte sie darüber hinaus etwas, wird sie verweigert, und es wird nichts gesendet. Daten, die wir zur späteren Abholung übergeben, etwa die Übergabedatei für das Versandunternehmen, werden vor der Übergabe auf die für den Empfänger aufgeführten Felder beschränkt; alles andere wird weggelassen. Wir halten fest, welche Daten wann an welchen Empfänger gingen, damit wir Ihnen bei einer Auskunft Bescheid geben können; eine spätere Abfrage zu bereits übermittelten Daten, etwa zum Stand einer Zahlung, wird nicht erneut festgehalten.',
    })}</p>
${
  recipients.length === 0
    ? html`<p>${t({ en: 'No company outside ours receives personal data from the processing described here.', de: 'Kein Unternehmen außerhalb unseres eigenen erhält personenbezogene Daten aus der hier beschriebenen Verarbeitung.' })}</p>`
    : html`<table class="stack">
<caption>${t({ en: 'Recipients of personal data', de: 'Empfänger personenbezogener Daten' })}</caption>
<thead><tr><th scope="col">${t({ en: 'Recipient', de: 'Empfänger' })}</th><th scope="col">${t(head.role)}</th><th scope="col">${t(head.receives)}</th><th scope="col">${t(head.for)}</th></tr></thead>
<tbody>${recipients.map(
        (r) =>
          html`<tr id="recipient-${r.id}"><th scope="row">${t(r.name)}${r.company ? html`<br>${recipientCompany(lang, r)}` : ''}</th><td data-label="${t(head.role)}">${recipientRole(lang, r)}</td><td data-label="${t(head.receives)}">${recipientFields(lang, r.fields)}</td><td data-label="${t(head.for)}">${r.activities.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="#${a.id}">${t(a.name)}</a>`)}</td></tr>`,
      )}</tbody>
</table>`
}
${
  input.registry.vendors.length > 0
    ? html`<p>${t({ en: 'The', de: 'Die' })} <a href="#providers">${t({ en: 'services of other companies', de: 'Dienste anderer Unternehmen' })}</a> ${t(
        {
          en: 'receive data only after your consent, and only what their entries say.',
          de: 'erhalten Daten nur nach Ihrer Einwilligung und nur in dem dort genannten Umfang.',
        },
      )}</p>`
    : ''
}
${
  disclosure
    ? html`<p>${t({
        en: 'Public authorities, such as the police or a public prosecutor, receive data only where the law obliges us to hand it over, for example when an offence is suspected. We record every such disclosure:',
        de: 'Behörden wie Polizei oder Staatsanwaltschaft erhalten Daten nur, wenn das Gesetz uns zur Herausgabe verpflichtet, etwa beim Verdacht einer Straftat. Jede solche Herausgabe halten wir fest:',
      })} <a href="#${disclosure.activity.id}">${t(disclosure.activity.name)}</a>.</p>`
    : ''
}
<p>${t({ en: 'We pass your data to nobody else, and we never sell it.', de: 'Darüber hinaus geben wir Ihre Daten an niemanden weiter, und wir verkaufen sie nie.' })}</p>`,
  };
}
