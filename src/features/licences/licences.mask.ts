// The one rule for licence keys on staff pages (order page, customer page): masked to their last four characters,
// enough to match what a customer reads out on the phone; the whole key is shown only to its owner, in their account.

/** Every character but the last four hidden, the dashes kept: XXXXX-…-AB12 becomes •••••-•••••-•••••-•AB12. */
export function maskKey(key: string): string {
  const keep = 4;
  let seen = 0;
  return [...key]
    .reverse()
    .map((c) => (c === '-' ? c : seen++ < keep ? c : '•'))
    .reverse()
    .join('');
}

/** What a staff page says under its masked keys. */
export const maskedKeysNotice = {
  en: 'Keys show their last 4 characters only; the customer sees the whole key in their account.',
  de: 'Schlüssel zeigen nur ihre letzten 4 Zeichen; der ganze Schlüssel ist nur im Kundenkonto zu sehen.',
};
