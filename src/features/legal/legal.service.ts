// The legal texts as use cases: the current version of each document, a staff save as a new version, the versions
// an order records at checkout and the texts of those versions for its confirmation (the durable medium).
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import type { Deps } from '../../deps.ts';
import { isUniqueViolation } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Role } from '../../platform/http/context.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import * as q from './legal.queries.ts';
import { LEGAL_DOCS, type LegalDoc, type LegalTextsTable } from './legal.tables.ts';

/** Where each document is published. */
export const LEGAL_PATHS: Record<LegalDoc, string> = {
  terms: '/legal/terms',
  withdrawal: '/legal/withdrawal',
  shipping: '/legal/shipping-and-payment',
  contact: '/legal/contact',
};

/** The documents' names, as links and headings name them until the operator's own title is there. */
export const LEGAL_NAMES: Record<LegalDoc, Text> = {
  terms: { en: 'Terms and conditions', de: 'AGB' },
  withdrawal: { en: 'Right of withdrawal', de: 'Widerrufsbelehrung' },
  shipping: { en: 'Shipping and payment', de: 'Versand und Zahlung' },
  contact: { en: 'Contact', de: 'Kontakt' },
};

/** The documents a customer accepts at checkout; their versions are recorded on the order. */
export const ACCEPTED_DOCS = ['terms', 'withdrawal'] as const satisfies readonly LegalDoc[];
export type AcceptedDoc = (typeof ACCEPTED_DOCS)[number];

export const isLegalDoc = (value: string): value is LegalDoc => (LEGAL_DOCS as readonly string[]).includes(value);

export const TITLE_MAX = 200;
export const BODY_MAX = 100_000;

export async function getCurrentLegalText(db: Kysely<Database>, doc: LegalDoc): Promise<LegalTextsTable | undefined> {
  return q.findLatestLegalText(db, doc);
}

export async function getLegalTextVersion(
  db: Kysely<Database>,
  doc: LegalDoc,
  version: number,
): Promise<LegalTextsTable> {
  const row = await q.findLegalTextVersion(db, doc, version);
  if (!row) throw errors.notFound();
  return row;
}

export const listLegalTextVersions = q.listLegalTextVersions;

export interface LegalTextInput {
  title_en: string;
  title_de: string;
  body_en: string;
  body_de: string;
}

// Line breaks and tabs are text; every other control character is refused.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Checks a staff member's text; every problem at once, per field. */
export function checkLegalTextInput(input: LegalTextInput): { clean: LegalTextInput; fields: Record<string, Text> } {
  const fields: Record<string, Text> = {};
  const clean = {
    title_en: input.title_en.trim(),
    title_de: input.title_de.trim(),
    body_en: input.body_en.replace(/\r\n?/g, '\n').trim(),
    body_de: input.body_de.replace(/\r\n?/g, '\n').trim(),
  };
  for (const [field, max] of [
    ['title_en', TITLE_MAX],
    ['title_de', TITLE_MAX],
    ['body_en', BODY_MAX],
    ['body_de', BODY_MAX],
  ] as const) {
    const value = clean[field];
    if (value === '') fields[field] = { en: 'Please fill this in.', de: 'Bitte ausfüllen.' };
    else if (value.length > max) fields[field] = { en: `At most ${max} characters.`, de: `Höchstens ${max} Zeichen.` };
    else if (CONTROL.test(value) || (field.startsWith('title') && /\n/.test(value)))
      fields[field] = {
        en: 'Remove the invisible control characters.',
        de: 'Bitte entfernen Sie die unsichtbaren Steuerzeichen.',
      };
  }
  return { clean, fields };
}

const changedMeanwhile = () =>
  new AppError(409, 'legal_text_changed', {
    en: 'Someone saved this text meanwhile. Reload the page, check the newest version and save again.',
    de: 'Jemand hat diesen Text inzwischen gespeichert. Laden Sie die Seite neu, prüfen Sie die neueste Fassung und speichern Sie erneut.',
  });

/**
 * A staff member's save: always a new version (the old ones stay, for staff and for the orders that accepted
 * them), with its time and the author's role. `baseVersion` is the version the editor was opened on (0: none yet;
 * the form sends it hidden): when a newer one was saved meanwhile, the save is refused (409), not a lost update.
 * Two saves at the same moment: the second is refused by the unique key.
 */
export async function saveLegalText(
  deps: Pick<Deps, 'db' | 'clock'>,
  role: Role,
  doc: LegalDoc,
  input: LegalTextInput,
  baseVersion?: number,
): Promise<LegalTextsTable> {
  const { clean, fields } = checkLegalTextInput(input);
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  try {
    return await deps.db.transaction().execute(async (trx) => {
      const latest = await q.findLatestLegalText(trx, doc);
      if (baseVersion !== undefined && (latest?.version ?? 0) !== baseVersion) throw changedMeanwhile();
      const row: LegalTextsTable = {
        doc,
        version: (latest?.version ?? 0) + 1,
        ...clean,
        author_role: role,
        created_at: deps.clock.now(),
      };
      await q.insertLegalText(trx, row);
      return row;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw changedMeanwhile();
    throw err;
  }
}

/** The versions an order records at checkout: the current terms and withdrawal policy (those that exist). */
export async function legalVersionsToRecord(db: Kysely<Database>): Promise<Record<string, number>> {
  const latest = await q.listLatestLegalVersions(db);
  return Object.fromEntries(
    latest.filter((l) => (ACCEPTED_DOCS as readonly string[]).includes(l.doc)).map((l) => [l.doc, l.version]),
  );
}

/** The accepted documents (terms, withdrawal policy) that have no published version yet. */
export async function missingLegalTexts(db: Kysely<Database>): Promise<AcceptedDoc[]> {
  const latest = new Set((await q.listLatestLegalVersions(db)).map((l) => l.doc));
  return ACCEPTED_DOCS.filter((doc) => !latest.has(doc));
}

/** Whether the shop may take orders: a real operator needs published terms and a withdrawal policy first. */
export async function legalTextsBlockOrders(deps: Pick<Deps, 'db' | 'config'>): Promise<boolean> {
  if (deps.config.operator.demo) return false;
  return (await missingLegalTexts(deps.db)).length > 0;
}

/**
 * Refuses an order (503, in both languages) while a real operator has not published both the terms and the
 * withdrawal policy: an order must record the versions its customer accepted (Art. 246a § 1 EGBGB, § 312d BGB).
 */
export async function requireLegalTextsForOrders(deps: Pick<Deps, 'db' | 'config'>): Promise<void> {
  if (await legalTextsBlockOrders(deps))
    throw new AppError(503, 'legal_texts_missing', {
      en: 'The shop cannot take orders yet: its terms and conditions and its withdrawal policy are not published. Please try again later.',
      de: 'Der Shop kann noch keine Bestellungen annehmen: Seine AGB und seine Widerrufsbelehrung sind noch nicht veröffentlicht. Bitte versuchen Sie es später erneut.',
    });
}

/** A stored body as plain text for a mail: headings lose their "## " mark. */
export function plainLegalText(body: string): string {
  return body.replace(/^##\s+/gm, '');
}

/**
 * The terms and the withdrawal policy an order accepted, as plain text in the customer's language, for the
 * order confirmation (the durable medium, Art. 246a § 1(2) EGBGB, § 312f(2) BGB). `versions` as recorded on the
 * order; null (or a document it does not name) gives the current version. A document with no version at all is
 * left out.
 */
export async function legalTextsForOrder(
  db: Kysely<Database>,
  lang: Lang,
  versions: Record<string, number> | null,
): Promise<{ key: 'terms' | 'withdrawal'; title: string; text: string }[]> {
  const out: { key: 'terms' | 'withdrawal'; title: string; text: string }[] = [];
  for (const key of ACCEPTED_DOCS) {
    const version = versions?.[key];
    const row =
      (typeof version === 'number' ? await q.findLegalTextVersion(db, key, version) : undefined) ??
      (await q.findLatestLegalText(db, key));
    if (!row) continue;
    out.push({
      key,
      title: lang === 'de' ? row.title_de : row.title_en,
      text: plainLegalText(lang === 'de' ? row.body_de : row.body_en),
    });
  }
  return out;
}

/** Whether a product kind is delivered as digital content (a download, a licence) rather than shipped as goods. */
export function isDigitalKind(kind: string): boolean {
  return kind !== 'hardware';
}

/** The express consent and acknowledgement of § 356(5) BGB, as the checkbox at checkout says it. */
export const DIGITAL_CONSENT_TEXT: Text = {
  en: 'I expressly agree that you begin delivering the digital content (downloads, licence keys) before the withdrawal period ends, and I acknowledge that I thereby lose my right of withdrawal for it (§ 356(5) BGB).',
  de: 'Ich stimme ausdrücklich zu, dass Sie vor Ablauf der Widerrufsfrist mit der Lieferung der digitalen Inhalte (Downloads, Lizenzschlüssel) beginnen. Mir ist bekannt, dass ich dadurch mein Widerrufsrecht für diese Inhalte verliere (§ 356 Abs. 5 BGB).',
};

/** The consents the checkout asks for, and the field errors when one is missing. */
export interface CheckoutConsents {
  terms?: boolean;
  digitalContent?: boolean;
}

export function checkoutConsentProblems(consents: CheckoutConsents, kinds: string[]): Record<string, Text> {
  const fields: Record<string, Text> = {};
  if (!consents.terms)
    fields.acceptTerms = {
      en: 'Please accept the terms and conditions to place your order.',
      de: 'Bitte akzeptieren Sie die AGB, um die Bestellung abzuschicken.',
    };
  if (kinds.some(isDigitalKind) && !consents.digitalContent)
    fields.digitalConsent = {
      en: 'Your order contains digital content: please give your consent to its delivery before the withdrawal period ends.',
      de: 'Ihre Bestellung enthält digitale Inhalte: Bitte stimmen Sie der Lieferung vor Ablauf der Widerrufsfrist zu.',
    };
  return fields;
}
