// How the policy names a recipient: its role (processor, independent or joint controller) and the exact fields it
// receives, from the data map's declaration, which is also what the outbound gate lets through (decision 0027).
import { html, type SafeHtml } from '../platform/html.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import type { Activity, Recipient, RecipientRole } from './data-map.ts';
import { externalLink } from './policy.common.ts';

export const recipientRoleNames: Record<RecipientRole, Text> = {
  processor: { en: 'processor (Art. 28 GDPR)', de: 'Auftragsverarbeiter (Art. 28 DSGVO)' },
  'independent-controller': { en: 'independent controller', de: 'eigenständig Verantwortlicher' },
  'joint-controller': { en: 'joint controller (Art. 26 GDPR)', de: 'gemeinsam Verantwortliche (Art. 26 DSGVO)' },
};

/** The labels of the fields a recipient receives, each once, in declaration order. */
export function recipientFieldLabels(fields: Recipient['fields']): Text[] {
  const seen = new Set<string>();
  return Object.values(fields).flatMap((f) => (seen.has(f.label.en) ? [] : (seen.add(f.label.en), [f.label])));
}

/** "processor (Art. 28 GDPR)", or a joint controller's role with the essence of the arrangement. */
export function recipientRole(lang: Lang, r: Pick<Recipient, 'role' | 'arrangement'>): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  return html`${t(recipientRoleNames[r.role])}${r.arrangement ? html`; ${t({ en: 'the essence of our arrangement', de: 'das Wesentliche unserer Vereinbarung' })}: ${t(r.arrangement)}` : ''}`;
}

/**
 * Who the recipient is, "name, address" (Art. 13(1)(e), 15(1)(c) GDPR; CJEU C-154/21), with its privacy notice
 * where it publishes one; empty for a recipient without a company (no mail relay without SMTP_URL).
 */
export function recipientCompany(lang: Lang, r: Pick<Recipient, 'company'>): SafeHtml | '' {
  const c = r.company;
  if (!c) return '';
  const t = (text: Text) => tr(lang, text);
  return html`<span class="recipient-company">${[c.name, ...c.address].join(', ')}${c.privacyPolicyUrl ? html` (${externalLink(c.privacyPolicyUrl, t({ en: 'its privacy notice', de: 'seine Datenschutzhinweise' }))})` : ''}</span>`;
}

/** The fields, in one element the reader (and the tests) find by its class; labels never contain a semicolon. */
export function recipientFields(lang: Lang, fields: Recipient['fields']): SafeHtml {
  return html`<span class="recipient-fields">${recipientFieldLabels(fields)
    .map((l) => tr(lang, l))
    .join('; ')}</span>`;
}

/** One recipient of one activity, for its "Who receives it" entry. */
export function recipientOfActivity(lang: Lang, activity: Activity, r: Recipient): SafeHtml {
  const t = (text: Text) => tr(lang, text);
  const company = r.company ? html` ${t({ en: 'Company', de: 'Unternehmen' })}: ${recipientCompany(lang, r)}.` : '';
  return html`<li id="${activity.id}--${r.id}">${t(r.name)}.${company} ${t({ en: 'Role', de: 'Rolle' })}: ${recipientRole(lang, r)}. ${t({ en: 'Receives', de: 'Erhält' })}: ${recipientFields(lang, r.fields)}.</li>`;
}
