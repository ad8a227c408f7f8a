// The checkout's address part as a use case: what the form starts with (saved addresses, the last order, the
// remembered country), the VAT its lines carry for the countries chosen, and "save this address" after ordering.
import type { Deps } from '../../deps.ts';
import type { Lang } from '../../platform/i18n.ts';
import { vatCountryOfLine, vatLabel, vatOfLines, vatPlacesOf, vatRateFor } from '../../shop/vat.ts';
import {
  addressValues,
  checkoutPrefill,
  type FormValues,
  getSavedAddress,
  listSavedAddresses,
  rememberCheckoutAddresses,
  type SavedAddress,
} from './addresses.service.ts';
import type { CheckoutState } from './orders.pages.ts';
import type { Address } from './orders.tables.ts';

type AddressDeps = Pick<Deps, 'db' | 'config'>;

/** The VAT of basket items for the chosen countries, and its label: each rate with its country. */
export function checkoutVat(
  deps: Pick<Deps, 'config'>,
  lang: Lang,
  items: { kind: string; lineCents: number }[],
  billingCountry: string,
  shippingCountry: string,
): NonNullable<CheckoutState['vat']> {
  const { operator } = deps.config;
  const lines = items.map((i) => {
    const country = vatCountryOfLine(i.kind, billingCountry, shippingCountry);
    return { lineCents: i.lineCents, vatRate: vatRateFor(operator, country), vatCountry: country };
  });
  return { cents: vatOfLines(lines), label: vatLabel(lang, vatPlacesOf(lines)) };
}

const plain = (a: SavedAddress): Address => ({
  name: a.name,
  street: a.street,
  postalCode: a.postalCode,
  city: a.city,
  country: a.country,
});

/**
 * What the checkout form starts with: a saved address picked with `?billing=` / `?shipping=`, else the defaults of
 * the address book or the last order's addresses; a new customer's country is the remembered one or the operator's.
 */
export async function checkoutStartValues(
  deps: AddressDeps,
  userId: string,
  chosen: { billing?: string | undefined; shipping?: string | undefined },
  ships: boolean,
  rememberedCountry: string | null,
): Promise<FormValues> {
  const prefill = await checkoutPrefill(deps, userId);
  const pick = async (id: string | undefined): Promise<Address | undefined> => {
    if (!id) return undefined;
    try {
      return plain(await getSavedAddress(deps, userId, id));
    } catch {
      return undefined; // deleted meanwhile, or not this customer's: the usual prefill
    }
  };
  const billing = (await pick(chosen.billing)) ?? prefill.billing;
  const shipping = ships ? ((await pick(chosen.shipping)) ?? prefill.shipping) : undefined;
  return {
    ...(rememberedCountry && !billing ? { 'billingAddress.country': rememberedCountry } : {}),
    ...(prefill.name && !billing ? { 'billingAddress.name': prefill.name } : {}),
    ...addressValues('billingAddress', billing),
    ...addressValues('shippingAddress', shipping),
    ...(shipping ? { shipElsewhere: '1' } : {}),
  };
}

/** The address part's state and the VAT of the lines for the values on the form. */
export async function checkoutAddressState(
  deps: AddressDeps,
  lang: Lang,
  userId: string,
  items: { kind: string; lineCents: number }[],
  values: FormValues,
  shippingCents = 0,
): Promise<Pick<CheckoutState, 'address' | 'vat'>> {
  const { operator } = deps.config;
  const valid = (code: string | undefined) => {
    const c = (code ?? '').trim().toUpperCase();
    return operator.sellsTo.includes(c) ? c : undefined;
  };
  const billingCountry = valid(values['billingAddress.country']) ?? operator.country;
  const ships = items.some((i) => i.kind === 'hardware');
  const shippingCountry =
    (ships && values.shipElsewhere === '1' && valid(values['shippingAddress.country'])) || billingCountry;
  return {
    address: {
      countries: operator.sellsTo,
      defaultCountry: operator.country,
      saved: await listSavedAddresses(deps, userId),
    },
    // Shipping, when charged, carries the VAT of the goods (decision 0031).
    vat: checkoutVat(
      deps,
      lang,
      shippingCents > 0 ? [...items, { kind: 'hardware', lineCents: shippingCents }] : items,
      billingCountry,
      shippingCountry,
    ),
  };
}

/** "Save this address" once the order is placed: the billing address, and the shipping address where different. */
export async function saveCheckoutAddresses(
  deps: Pick<Deps, 'db' | 'clock' | 'config'>,
  userId: string,
  billing: Address,
  shipping: Address | undefined,
): Promise<void> {
  await rememberCheckoutAddresses(deps, userId, [
    { address: billing, kind: 'billing' },
    ...(shipping ? [{ address: shipping, kind: 'shipping' as const }] : []),
  ]);
}
