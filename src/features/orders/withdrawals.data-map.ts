// The data map entry of withdrawals made with the account's withdrawal function: a declaration received and
// confirmed is a business letter, kept 6 years from the end of the calendar year (§ 257(1) no. 2 and 3, (4) HGB),
// restricted when the customer asks for erasure. Its activity is the order's (orders.purchase): a withdrawal
// unwinds that contract.
import type { TableMap } from '../../privacy/data-map.ts';
import { commercialLetterBasis, keptForTheLaw } from '../../privacy/retention-bases.ts';

/** Business letters, received and sent: 6 years from the end of the calendar year. */
export const WITHDRAWAL_YEARS = 6;

export function orderWithdrawalsTableMap(): TableMap {
  return {
    table: 'order_withdrawals',
    activity: 'orders.purchase',
    subject: { via: 'user-id', column: 'user_id' },
    columns: {
      id: 'not-personal',
      order_id: 'purchases',
      user_id: 'account',
      lines: 'purchases',
      statement: 'communication',
      created_at: 'purchases',
      restricted_at: 'account',
    },
    erasure: {
      action: 'keep',
      until: {
        en: `${WITHDRAWAL_YEARS} years after the end of the calendar year of the withdrawal`,
        de: `${WITHDRAWAL_YEARS} Jahre nach Ende des Kalenderjahres des Widerrufs`,
      },
      basis: keptForTheLaw(commercialLetterBasis),
      restrictColumn: 'restricted_at',
    },
    retention: [
      {
        id: 'orders.delete-expired-withdrawals',
        what: {
          en: 'Withdrawals from contracts and their confirmations',
          de: 'Widerrufe von Verträgen und ihre Bestätigungen',
        },
        after: { years: WITHDRAWAL_YEARS, fromEndOfYear: true },
        from: 'created_at',
        fromEvent: { en: 'the withdrawal', de: 'des Widerrufs' },
        basis: {
          en: `the withdrawal you declared and our confirmation of it are business letters: ${commercialLetterBasis.en}`,
          de: `Ihr erklärter Widerruf und unsere Bestätigung sind Geschäftsbriefe: ${commercialLetterBasis.de}`,
        },
        action: { kind: 'delete' },
      },
    ],
  };
}
