// Postal addresses: the one check every address passes (checkout form, API, address book), reporting every field's
// problem at once, and the address book (saved addresses, default billing and shipping) with the checkout's prefill.
// Countries are ISO 3166-1 alpha-2 codes the operator sells to; a country's name is refused with the code to use.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import { fromBool, toBool } from '../../platform/db/dialect.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { Text } from '../../platform/i18n.ts';
import type { Operator } from '../../platform/operator.ts';
import { ADDRESS_LIMITS } from '../../shop/schemas.ts';
import { countryName } from '../../shop/vat.ts';
import * as q from './addresses.queries.ts';
import type { AddressBookTable } from './addresses.tables.ts';
import type { Address } from './orders.tables.ts';

export type FieldErrors = Record<string, Text>;
export type FormValues = Record<string, string | undefined>;

export const ADDRESS_FIELDS = ['name', 'street', 'postalCode', 'city', 'country'] as const;

/** At most this many saved addresses per account. */
export const MAX_SAVED_ADDRESSES = 20;

type CountryOperator = Pick<Operator, 'sellsTo'>;

/** The code of a country the shop sells to whose English or German name this is ("Germany", "Deutschland"). */
function codeOfName(operator: CountryOperator, value: string): string | undefined {
  const wanted = value.trim().toLocaleLowerCase('de');
  return operator.sellsTo.find((code) =>
    (['en', 'de'] as const).some((lang) => countryName(lang, code).toLocaleLowerCase('de') === wanted),
  );
}

/**
 * Trims and checks an address; every problem goes into `fields` under `<prefix>.<field>` (all of them, not the
 * first), so that one answer names everything to correct. Answers the cleaned address (country in capitals).
 */
export function checkAddress(
  prefix: string,
  a: Partial<Record<keyof Address, string>>,
  operator: CountryOperator,
  fields: FieldErrors,
): Address {
  const clean: Address = {
    name: (a.name ?? '').trim(),
    street: (a.street ?? '').trim(),
    postalCode: (a.postalCode ?? '').trim(),
    city: (a.city ?? '').trim(),
    country: (a.country ?? '').trim().toUpperCase(),
  };
  for (const f of ADDRESS_FIELDS) {
    // The same limits as the API's address schema, so that an order placed by the form is a valid address too.
    const max = ADDRESS_LIMITS[f];
    if (clean[f] === '')
      fields[`${prefix}.${f}`] =
        f === 'country'
          ? { en: 'Please choose a country.', de: 'Bitte wählen Sie ein Land.' }
          : { en: 'Please fill this in.', de: 'Bitte ausfüllen.' };
    else if (f !== 'country' && clean[f].length > max)
      fields[`${prefix}.${f}`] = { en: `At most ${max} characters.`, de: `Höchstens ${max} Zeichen.` };
  }
  if (clean.country && !/^[A-Z]{2}$/.test(clean.country)) {
    const code = codeOfName(operator, a.country ?? '');
    fields[`${prefix}.country`] = code
      ? {
          en: `Send the country as its two-letter ISO 3166-1 code: ${code} for ${countryName('en', code)}.`,
          de: `Geben Sie das Land als zweistelligen ISO-3166-1-Code an: ${code} für ${countryName('de', code)}.`,
        }
      : {
          en: 'Send the country as its two-letter ISO 3166-1 code, such as DE for Germany.',
          de: 'Geben Sie das Land als zweistelligen ISO-3166-1-Code an, etwa DE für Deutschland.',
        };
  } else if (clean.country && !operator.sellsTo.includes(clean.country)) {
    fields[`${prefix}.country`] = {
      en: `We do not deliver to ${countryName('en', clean.country)} (${clean.country}). Please choose a country from the list.`,
      de: `Nach ${countryName('de', clean.country)} (${clean.country}) liefern wir nicht. Bitte wählen Sie ein Land aus der Liste.`,
    };
  }
  if (
    clean.postalCode &&
    clean.postalCode.length <= ADDRESS_LIMITS.postalCode &&
    !/^[A-Za-z0-9 -]{2,12}$/.test(clean.postalCode)
  )
    fields[`${prefix}.postalCode`] = {
      en: 'Enter a valid postal code.',
      de: 'Geben Sie eine gültige Postleitzahl ein.',
    };
  return clean;
}

/** The form values of an address (a prefill), under `prefix`. */
export function addressValues(prefix: string, a: Address | undefined): FormValues {
  if (!a) return {};
  return Object.fromEntries(ADDRESS_FIELDS.map((f) => [`${prefix}.${f}`, a[f]]));
}

export interface SavedAddress extends Address {
  id: string;
  defaultBilling: boolean;
  defaultShipping: boolean;
}

const toSaved = (row: AddressBookTable): SavedAddress => ({
  id: row.id,
  name: row.name,
  street: row.street,
  postalCode: row.postal_code,
  city: row.city,
  country: row.country,
  defaultBilling: toBool(row.default_billing),
  defaultShipping: toBool(row.default_shipping),
});

const sameAddress = (a: Address, b: Address) => ADDRESS_FIELDS.every((f) => a[f] === b[f]);

export async function listSavedAddresses(deps: Pick<Deps, 'db'>, userId: string): Promise<SavedAddress[]> {
  return (await q.listAddressesOfUser(deps.db, userId)).map(toSaved);
}

export async function getSavedAddress(deps: Pick<Deps, 'db'>, userId: string, id: string): Promise<SavedAddress> {
  const row = await q.findAddressOfUser(deps.db, userId, id);
  if (!row) throw errors.notFound();
  return toSaved(row);
}

const bookFull = () =>
  new AppError(409, 'address_book_full', {
    en: `Your address book holds at most ${MAX_SAVED_ADDRESSES} addresses. Delete one you no longer need first.`,
    de: `Ihr Adressbuch fasst höchstens ${MAX_SAVED_ADDRESSES} Adressen. Löschen Sie zuerst eine, die Sie nicht mehr brauchen.`,
  });

export interface AddressBookEntry {
  address: Partial<Record<keyof Address, string>>;
  defaultBilling: boolean;
  defaultShipping: boolean;
}

/**
 * Adds (id undefined) or changes a saved address; marking it a default takes the mark from the account's other
 * addresses. The account's first address becomes its default for both.
 */
export async function saveAddress(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  id: string | undefined,
  entry: AddressBookEntry,
): Promise<SavedAddress> {
  // Someone else's or an unknown address is not found, whatever the body says: the answer reveals nothing about it.
  if (id !== undefined && !(await q.findAddressOfUser(deps.db, userId, id))) throw errors.notFound();
  const fields: FieldErrors = {};
  const address = checkAddress('address', entry.address, deps.config.operator, fields);
  if (Object.keys(fields).length > 0) throw errors.invalidFields(fields);
  const now = deps.clock.now();
  return deps.db.transaction().execute(async (trx) => {
    // One change of a person's address book at a time (PostgreSQL runs concurrent requests side by side): the
    // limit and the single default of each kind hold, and no two writers deadlock on the default marks.
    if (!(await q.lockAddressBookOfUser(trx, userId))) throw errors.notFound();
    const rowId = await writeAddress(trx, userId, id, address, entry, now);
    return toSaved((await q.findAddressOfUser(trx, userId, rowId)) as AddressBookTable);
  });
}

/** Adds or changes a checked address inside the caller's transaction; answers its id. */
async function writeAddress(
  trx: Deps['db'],
  userId: string,
  id: string | undefined,
  address: Address,
  entry: Pick<AddressBookEntry, 'defaultBilling' | 'defaultShipping'>,
  now: number,
): Promise<string> {
  const count = await q.countAddressesOfUser(trx, userId);
  const first = id === undefined && count === 0;
  const values = {
    name: address.name,
    street: address.street,
    postal_code: address.postalCode,
    city: address.city,
    country: address.country,
    default_billing: fromBool(entry.defaultBilling || first),
    default_shipping: fromBool(entry.defaultShipping || first),
    updated_at: now,
  };
  let rowId = id;
  if (rowId === undefined) {
    if (count >= MAX_SAVED_ADDRESSES) throw bookFull();
    rowId = randomUUID();
    await q.insertAddress(trx, { id: rowId, user_id: userId, created_at: now, ...values });
  } else if (!(await q.updateAddressOfUser(trx, userId, rowId, values))) throw errors.notFound();
  if (values.default_billing) await q.clearDefaultOfUser(trx, userId, 'default_billing', rowId);
  if (values.default_shipping) await q.clearDefaultOfUser(trx, userId, 'default_shipping', rowId);
  return rowId;
}

export async function deleteSavedAddress(deps: Pick<Deps, 'db'>, userId: string, id: string): Promise<void> {
  if (!(await q.deleteAddressOfUser(deps.db, userId, id))) throw errors.notFound();
}

/**
 * "Save this address" at checkout: an address already in the book is not saved twice; the account's first one
 * becomes its default. Beyond the book's limit nothing is saved (the order does not fail for it).
 */
export async function rememberCheckoutAddresses(
  deps: Pick<Deps, 'db' | 'clock'>,
  userId: string,
  addresses: { address: Address; kind: 'billing' | 'shipping' }[],
): Promise<void> {
  const now = deps.clock.now();
  // One transaction holding the account's lock: a double submit (two requests at once) checks "already saved?"
  // one after the other, so the same address is never saved twice.
  await deps.db.transaction().execute(async (trx) => {
    if (!(await q.lockAddressBookOfUser(trx, userId))) return; // the account is gone
    for (const { address, kind } of addresses) {
      const saved = (await q.listAddressesOfUser(trx, userId)).map(toSaved);
      if (saved.some((s) => sameAddress(s, address)) || saved.length >= MAX_SAVED_ADDRESSES) continue;
      const hasDefault = saved.some((s) => (kind === 'billing' ? s.defaultBilling : s.defaultShipping));
      await writeAddress(
        trx,
        userId,
        undefined,
        address,
        { defaultBilling: kind === 'billing' && !hasDefault, defaultShipping: kind === 'shipping' && !hasDefault },
        now,
      );
    }
  });
}

/**
 * What the checkout form starts with: the default billing and shipping addresses of the book, else the addresses
 * of the last order (a different shipping address only where it differed); for a first order the account's name.
 */
export async function checkoutPrefill(
  deps: Pick<Deps, 'db'>,
  userId: string,
): Promise<{ billing?: Address; shipping?: Address; name?: string }> {
  const saved = await listSavedAddresses(deps, userId);
  const plain = (s: SavedAddress | undefined): Address | undefined =>
    s && { name: s.name, street: s.street, postalCode: s.postalCode, city: s.city, country: s.country };
  const billing = plain(saved.find((s) => s.defaultBilling));
  const shipping = plain(saved.find((s) => s.defaultShipping));
  if (billing) return { billing, ...(shipping && !sameAddress(shipping, billing) ? { shipping } : {}) };
  const last = await q.findLastOrderAddresses(deps.db, userId);
  if (!last) {
    if (shipping) return { billing: shipping };
    // A first order: the account's name is the billing name until the customer types another.
    const name = await q.findAccountName(deps.db, userId);
    return name ? { name } : {};
  }
  const lastBilling = JSON.parse(last.billing) as Address;
  const lastShipping = JSON.parse(last.shipping) as Address;
  return { billing: lastBilling, ...(sameAddress(lastShipping, lastBilling) ? {} : { shipping: lastShipping }) };
}
