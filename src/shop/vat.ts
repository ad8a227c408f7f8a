// VAT by destination (one-stop shop, decision 0031): which country's VAT a sale carries and how much of a gross
// price it is. Gross prices stay fixed whatever the country; the VAT inside them follows the country.
// The visitor's country, once the checkout knows it, is remembered in the preferences cookie (with the language).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { createMemo } from '../platform/cache.ts';
import { cookiePolicy } from '../platform/http/cookies.ts';
import { countryName, type Lang } from '../platform/i18n.ts';
import type { Operator } from '../platform/operator.ts';

export { countryName };

type VatOperator = Pick<Operator, 'country' | 'sellsTo' | 'vatRates'>;

/** Where a sale's VAT comes from: the country and its rate in percent (0 outside the EU). */
export interface VatPlace {
  country: string;
  rate: number;
}

/**
 * The VAT rate of a sale to a consumer in `country`: the home rate at home, the destination's rate in another EU
 * member state (digital goods and, the distance-sales threshold being exceeded, goods too), none outside the EU
 * (exports and services whose place of supply is abroad).
 */
export function vatRateFor(operator: VatOperator, country: string): number {
  return operator.vatRates[country] ?? 0;
}

export function vatPlaceOf(operator: VatOperator, country: string): VatPlace {
  return { country, rate: vatRateFor(operator, country) };
}

/**
 * The country whose VAT an order line carries: goods are taxed where the transport ends (the shipping address),
 * digital goods where the customer lives (the billing address, our evidence of it).
 */
export function vatCountryOfLine(kind: string, billingCountry: string, shippingCountry: string): string {
  return kind === 'hardware' ? shippingCountry : billingCountry;
}

/** The VAT inside a gross amount at `rate` percent, in cents. */
export const vatOfGross = (grossCents: number, rate: number): number =>
  rate === 0 ? 0 : Math.round(grossCents - grossCents / (1 + rate / 100));

/** A line's share of VAT: its gross amount, rate and (where known) country. */
export interface VatLine {
  lineCents: number;
  vatRate: number;
  vatCountry?: string | undefined;
}

/**
 * The VAT of lines with their own rates, per rate and country (as the invoice lists them): each group's gross summed
 * and its VAT rounded once.
 */
export function vatGroups(
  lines: VatLine[],
): { rate: number; country: string | undefined; grossCents: number; vatCents: number }[] {
  const groups = new Map<string, { rate: number; country: string | undefined; grossCents: number }>();
  for (const l of lines) {
    const key = `${l.vatRate}|${l.vatCountry ?? ''}`;
    const g = groups.get(key) ?? { rate: l.vatRate, country: l.vatCountry, grossCents: 0 };
    g.grossCents += l.lineCents;
    groups.set(key, g);
  }
  return [...groups.values()].map((g) => ({ ...g, vatCents: vatOfGross(g.grossCents, g.rate) }));
}

/** The VAT of lines with their own rates: the sum of vatGroups. */
export function vatOfLines(lines: VatLine[]): number {
  return vatGroups(lines).reduce((sum, g) => sum + g.vatCents, 0);
}

// Built once per language: constructing an Intl.NumberFormat costs about 0.1 ms, and every catalogue and home page
// says its VAT rate (7% of the uncached /shop page's time in a profile, issue 17).
const rateFormats = new Map<Lang, Intl.NumberFormat>();
function rateFormat(lang: Lang): Intl.NumberFormat {
  let format = rateFormats.get(lang);
  if (!format)
    rateFormats.set(
      lang,
      (format = new Intl.NumberFormat(lang === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 2 })),
    );
  return format;
}

/** A rate as the page's language writes it: "19 %" and "25,5 %" in German, "19%" and "25.5%" in English. */
// A shop has a few rates; each page shows them on every card.
const rateTexts = createMemo<string>({ max: 200 });

export function formatRate(lang: Lang, rate: number): string {
  return rateTexts.get(`${lang}${rate}`, () => {
    const n = rateFormat(lang).format(rate);
    return lang === 'de' ? `${n} %` : `${n}%`;
  });
}

/** The VAT a price includes, as a page says it: "incl. 20% VAT (Austria)" / "inkl. 20 % MwSt. (Österreich)". */
export function vatIncludedText(lang: Lang, place: VatPlace): string {
  const country = countryName(lang, place.country);
  if (place.rate === 0) return lang === 'de' ? `ohne MwSt. (${country})` : `no VAT (${country})`;
  return lang === 'de'
    ? `inkl. ${formatRate(lang, place.rate)} MwSt. (${country})`
    : `incl. ${formatRate(lang, place.rate)} VAT (${country})`;
}

/** The country whose VAT a line of an order placed before VAT followed the destination carries (decision 0031). */
export const LEGACY_VAT_COUNTRY = 'DE';

/** The distinct rates and countries of lines, in the order they first occur (lines without a country: DE). */
export function vatPlacesOf(lines: { vatRate: number; vatCountry?: string | undefined }[]): VatPlace[] {
  const places = new Map<string, VatPlace>();
  for (const l of lines) {
    const country = l.vatCountry ?? LEGACY_VAT_COUNTRY;
    places.set(`${l.vatRate}|${country}`, { country, rate: l.vatRate });
  }
  return [...places.values()];
}

/**
 * The one label of included VAT, on the checkout, the order page, the confirmation mail and the invoice:
 * "Included VAT (19%, Germany)" / "Enthaltene MwSt. (19 %, Deutschland; 20 %, Österreich)"; a rate of 0 is "none".
 */
export function vatLabel(lang: Lang, places: VatPlace[]): string {
  const parts = places.map(
    (p) =>
      `${p.rate === 0 ? (lang === 'de' ? 'keine' : 'none') : formatRate(lang, p.rate)}, ${countryName(lang, p.country)}`,
  );
  const label = lang === 'de' ? 'Enthaltene MwSt.' : 'Included VAT';
  return parts.length > 0 ? `${label} (${parts.join('; ')})` : label;
}

/** A two-letter ISO 3166-1 code the shop sells to. */
export function isSoldTo(operator: Pick<Operator, 'sellsTo'>, code: string): boolean {
  return operator.sellsTo.includes(code);
}

/** The countries the shop sells to, as the checkout's select lists them: by name in the page's language. */
export function countryOptions(lang: Lang, codes: readonly string[]): { code: string; name: string }[] {
  return codes
    .map((code) => ({ code, name: countryName(lang, code) }))
    .sort((a, b) => a.name.localeCompare(b.name, lang));
}

const COUNTRY_PARAM = 'country';

/** The country the visitor chose at the last checkout (preferences cookie), or null while none is known. */
export function rememberedCountry(request: FastifyRequest, baseUrl: string, operator: VatOperator): string | null {
  const raw = request.cookies[cookiePolicy(baseUrl).prefs];
  const code = raw ? new URLSearchParams(raw).get(COUNTRY_PARAM) : null;
  return code && /^[A-Z]{2}$/.test(code) && isSoldTo(operator, code) ? code : null;
}

/** The VAT a visitor's prices show: their checkout's country once known, else the operator's own. */
export function visitorVat(request: FastifyRequest, config: { baseUrl: string; operator: VatOperator }): VatPlace {
  const { operator } = config;
  return vatPlaceOf(operator, rememberedCountry(request, config.baseUrl, operator) ?? operator.country);
}

/** Remembers the checkout's country in the preferences cookie, keeping the language chosen there. */
export function rememberCountry(request: FastifyRequest, reply: FastifyReply, baseUrl: string, country: string): void {
  const cookies = cookiePolicy(baseUrl);
  const params = new URLSearchParams(request.cookies[cookies.prefs] ?? '');
  if (params.get(COUNTRY_PARAM) === country) return;
  params.set(COUNTRY_PARAM, country);
  reply.setCookie(cookies.prefs, params.toString(), {
    path: '/',
    httpOnly: true,
    secure: cookies.secure,
    sameSite: 'lax',
    maxAge: 365 * 24 * 3600,
  });
}
