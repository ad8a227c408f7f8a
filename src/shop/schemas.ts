// Shop concepts that several features show in their API: amounts of money and postal addresses.
// They sit above the platform (which knows no shop rules) and below the features; app.ts registers them.
// The shapes are those the API answers with today: amounts are euros as text with two decimals ("19.90").
import Type, { type Static, type TSchema } from 'typebox';

/** An amount of money as text, two decimals, never a float: "19.90". */
export const Amount = Type.String({
  $id: 'Amount',
  pattern: '^-?[0-9]+\\.[0-9]{2}$',
  description: 'An amount of money in euros (or the currency named beside it), two decimals, as text: "19.90".',
});
export const amountRef = Type.Unsafe<string>(Type.Ref('Amount'));

/** Writes integer cents as an `Amount`: 1990 → "19.90". */
export const amountOfCents = (cents: number): string => (cents / 100).toFixed(2);

const currency = Type.String({ description: 'ISO 4217 code; the shop sells in EUR.' });

/** A product's price, as the catalog shows it. */
export const Price = Type.Object(
  {
    amount: amountRef,
    currency,
    vatIncluded: Type.Boolean({ description: 'Whether the amount includes VAT (it always does).' }),
    vatRate: Type.Number({ description: 'VAT rate in percent.' }),
  },
  { $id: 'Price', description: 'A price.' },
);
export type Price = Static<typeof Price>;
export const priceRef = Type.Unsafe<Price>(Type.Ref('Price'));

/** What a basket or an order costs in all. */
export const Total = Type.Object(
  {
    amount: amountRef,
    currency,
    vatIncluded: amountRef,
  },
  { $id: 'Total', description: 'A total with VAT included; `vatIncluded` is the VAT it contains (an amount).' },
);
export type Total = Static<typeof Total>;
export const totalRef = Type.Unsafe<Total>(Type.Ref('Total'));

/** The longest each address line may be (the schema below and the checkout form's own check agree on these). */
export const ADDRESS_LIMITS = { name: 200, street: 200, postalCode: 12, city: 100, country: 2 } as const;

const line = (maxLength: number) => Type.String({ minLength: 1, maxLength });

/** A postal address, as checkout takes it and orders give it back. */
export const PostalAddress = Type.Object(
  {
    name: line(ADDRESS_LIMITS.name),
    street: line(ADDRESS_LIMITS.street),
    postalCode: line(ADDRESS_LIMITS.postalCode),
    city: line(ADDRESS_LIMITS.city),
    country: Type.String({
      minLength: 1,
      maxLength: ADDRESS_LIMITS.country,
      description: 'ISO 3166-1 alpha-2 code, e.g. "DE".',
    }),
  },
  { $id: 'PostalAddress', additionalProperties: false, description: 'A postal address.' },
);
export type PostalAddress = Static<typeof PostalAddress>;
export const postalAddressRef = Type.Unsafe<PostalAddress>(Type.Ref('PostalAddress'));

/** Shared schemas of the shop, registered beside the platform's. */
export const shopSchemas: TSchema[] = [Amount, Price, Total, PostalAddress];
