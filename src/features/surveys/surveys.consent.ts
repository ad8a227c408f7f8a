// Consent to survey invitations (BGH VI ZR 225/17: an invitation by mail is advertising): an unticked box at checkout
// and a switch in the account. The proof kept is the text shown (in the language shown), its version, the time and
// where it was given. Withdrawing deletes the consent, the person's invitations and every answer they gave, at once.
import { createHash } from 'node:crypto';
import type { CheckoutChoice } from '../../feature.ts';
import type { Deps } from '../../deps.ts';
import type { Lang, Text } from '../../platform/i18n.ts';
import { deleteConsentAndAnswers, findConsent, upsertConsent } from './surveys.queries.ts';

export const consentLabel: Text = {
  en: 'Invite me by email to occasional surveys about products I bought.',
  de: 'Laden Sie mich per E-Mail gelegentlich zu Umfragen über gekaufte Produkte ein.',
};

export const consentNotice: Text = {
  en: 'We then send you an email now and then with a personal link to a short survey; taking part is voluntary. You can withdraw this consent at any time, in your account under “Surveys” or with the link in every invitation; withdrawing it deletes your answers at once.',
  de: 'Wir senden Ihnen dann hin und wieder eine E-Mail mit einem persönlichen Link zu einer kurzen Umfrage; die Teilnahme ist freiwillig. Sie können diese Einwilligung jederzeit widerrufen, im Kundenkonto unter „Umfragen“ oder über den Link in jeder Einladung; mit dem Widerruf werden Ihre Antworten sofort gelöscht.',
};

/** The version of the consent text: changes whenever a word of it changes, in either language. */
export const consentVersion = createHash('sha256')
  .update(JSON.stringify([consentLabel, consentNotice]))
  .digest('hex')
  .slice(0, 12);

export type ConsentSource = 'checkout' | 'account';

export async function giveConsent(
  deps: { db: Deps['db']; clock: Deps['clock'] },
  userId: string,
  lang: Lang,
  source: ConsentSource,
): Promise<void> {
  await upsertConsent(deps.db, {
    user_id: userId,
    given_at: deps.clock.now(),
    source,
    consent_text: `${consentLabel[lang]} ${consentNotice[lang]}`,
    consent_version: consentVersion,
    lang,
  });
}

/** Withdrawal (account, or the link in an invitation): consent, invitations and answers go in one transaction. */
export async function withdrawConsent(deps: Pick<Deps, 'db'>, userId: string): Promise<void> {
  await deps.db.transaction().execute((trx) => deleteConsentAndAnswers(trx, userId));
}

export async function hasConsent(deps: Pick<Deps, 'db'>, userId: string): Promise<boolean> {
  return (await findConsent(deps.db, userId)) !== undefined;
}

/** The box under the order form; ticked, the order's transaction records the consent with its proof. */
export const surveyCheckoutChoice: CheckoutChoice = {
  field: 'surveyInvitations',
  order: 20,
  label: consentLabel,
  notice: consentNotice,
  async onOrderPlaced(deps, placed) {
    // Unticked: nothing changes (an earlier consent given in the account stands until withdrawn there).
    if (!placed.checked) return;
    await giveConsent({ db: placed.db, clock: deps.clock }, placed.userId, placed.lang, 'checkout');
  },
};
