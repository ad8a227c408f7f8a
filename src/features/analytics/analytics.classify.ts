// Reduces what a request carries to the coarse classes analytics stores: browser, OS and device family, language,
// a country from the language (or the browser's time zone), the referring site, UTM parameters, and bot signs.
// Pure functions; nothing here keeps or returns the User-Agent or the IP address themselves.
import { getCountryForTimezone } from 'countries-and-timezones';
import { isbot } from 'isbot';
import { createMemo } from '../../platform/cache.ts';
import { addressCarriesSecret } from '../../platform/http/sensitive.ts';

export type BrowserFamily = 'Chrome' | 'Firefox' | 'Safari' | 'Edge' | 'Opera' | 'Samsung Internet' | 'other';
export type OsFamily = 'Windows' | 'macOS' | 'iOS' | 'Android' | 'Linux' | 'ChromeOS' | 'other';
export type DeviceClass = 'desktop' | 'mobile' | 'tablet';

export interface AgentClass {
  browser: BrowserFamily;
  os: OsFamily;
  device: DeviceClass;
  /** On the maintained bot list (isbot), or no User-Agent at all. */
  bot: boolean;
}

// Order matters: Edge, Opera and Samsung Internet also say "Chrome", and Chrome also says "Safari".
const BROWSERS: [BrowserFamily, RegExp][] = [
  ['Edge', /\bEdg(?:e|A|iOS)?\//],
  ['Opera', /\b(?:OPR|OPiOS|OPT)\/|\bOpera\b/],
  ['Samsung Internet', /\bSamsungBrowser\//],
  ['Firefox', /\b(?:Firefox|FxiOS)\//],
  ['Chrome', /\b(?:Chrome|CriOS|Chromium)\//],
  ['Safari', /\bVersion\/[\d.]+.*\bSafari\//],
];

// iOS before macOS (iPhones say "like Mac OS X"), Android and ChromeOS before Linux.
const SYSTEMS: [OsFamily, RegExp][] = [
  ['iOS', /\b(?:iPhone|iPad|iPod)\b/],
  ['Android', /\bAndroid\b/],
  ['ChromeOS', /\bCrOS\b/],
  ['Windows', /\bWindows\b/],
  ['macOS', /\bMac OS X\b|\bMacintosh\b/],
  ['Linux', /\bLinux\b|\bX11\b/],
];

function deviceOf(ua: string, os: OsFamily): DeviceClass {
  if (/\biPad\b|\bTablet\b|\bKindle\b|\bSilk\//.test(ua)) return 'tablet';
  if (os === 'Android') return /\bMobile\b/.test(ua) ? 'mobile' : 'tablet';
  if (/\bMobi|\biPhone\b|\biPod\b|\bWindows Phone\b/.test(ua)) return 'mobile';
  return 'desktop';
}

function classifyUncached(ua: string): AgentClass {
  const browser = BROWSERS.find(([, pattern]) => pattern.test(ua))?.[0] ?? 'other';
  const os = SYSTEMS.find(([, pattern]) => pattern.test(ua))?.[0] ?? 'other';
  return { browser, os, device: deviceOf(ua, os), bot: ua === '' || isbot(ua) };
}

// Most requests come from a few hundred distinct agents: the regular expressions run once per agent.
const agentCache = createMemo<AgentClass>({ max: 2000 });

/** Browser, OS and device family of a User-Agent header, and whether it names a bot. */
export function classifyAgent(userAgent: string | undefined): AgentClass {
  const ua = (userAgent ?? '').slice(0, 512);
  return agentCache.get(ua, () => classifyUncached(ua));
}

/** The first language tag of Accept-Language, split into its primary subtag ('de') and region ('AT' of 'de-AT'). */
function firstLanguageTag(header: string | undefined): { language: string; region: string | null } | null {
  if (!header) return null;
  const first = header.split(',', 1)[0]?.split(';', 1)[0]?.trim() ?? '';
  const m = /^([A-Za-z]{2,3})(?:-[A-Za-z]{4})?(?:-([A-Za-z]{2}))?(?:-|$)/.exec(first);
  if (!m) return null;
  return { language: m[1]!.toLowerCase(), region: m[2] ? m[2].toUpperCase() : null };
}

/** The primary language subtag of the first Accept-Language entry ('de-AT,en;q=0.5' → 'de'). */
export function languageOf(acceptLanguage: string | undefined): string | null {
  return firstLanguageTag(acceptLanguage)?.language ?? null;
}

/** The country of the first Accept-Language entry's region ('de-AT' → 'AT'); never from the IP. */
export function countryFromLanguage(acceptLanguage: string | undefined): string | null {
  return firstLanguageTag(acceptLanguage)?.region ?? null;
}

/** The country of an IANA time zone the browser reports ('Europe/Vienna' → 'AT'), from the maintained zone list. */
export function countryFromTimeZone(timeZone: string | undefined | null): string | null {
  if (!timeZone || timeZone.length > 64 || !/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+){1,2}$/.test(timeZone)) return null;
  return getCountryForTimezone(timeZone)?.id ?? null;
}

/** A host name as URL gives it (IDN as punycode): letters, digits, hyphens and dots, with at least one letter label. */
const SITE_NAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * The referring site's host name, lower-case, when it is another site than ours; no path, no query, and never a user
 * name, password or port (URL.hostname carries none). An IP address is no site's name (it may be the visitor's own
 * network): null, like anything else that is not a plain host name.
 */
export function referrerHost(referer: string | undefined, ownHost: string): string | null {
  if (!referer || referer.length > 2000) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  // 'example.org.' and 'example.org' are the same site.
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  // The last label of an IPv4 address is all digits (URL turns every IPv4 notation into the dotted one); IPv6 is
  // in brackets: neither matches.
  if (!SITE_NAME.test(host) || host === ownHost.toLowerCase().replace(/\.$/, '')) return null;
  return host;
}

export interface Utm {
  utm_source: string | null;
  utm_medium: string | null;
  utm_campaign: string | null;
}

const NO_UTM: Utm = { utm_source: null, utm_medium: null, utm_campaign: null };

// eslint-disable-next-line no-control-regex -- removing control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** A campaign label: letters, digits and . _ + - only; no '@', '/', '=', '%', '<' or any other character. */
const LABEL = /^[A-Za-z0-9._+-]+$/;
/** A part between separators of 20 or more letters and digits, with both: a token or an id, not a word. */
const TOKEN_PART = /^(?=.*[A-Za-z])(?=.*\d)[A-Za-z0-9]{20,}$/;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
/** Seven digits in a row, or nine or more in groups joined by single separators: a phone or a card number. */
const LONG_NUMBER = /\d{7}/;
const GROUPED_NUMBER = /\d+(?:[._+-]\d+)+/g;

function looksPersonal(value: string): boolean {
  if (LONG_NUMBER.test(value) || UUID.test(value)) return true;
  for (const group of value.match(GROUPED_NUMBER) ?? []) if (group.replace(/\D/g, '').length >= 9) return true;
  // The rule that keeps a token's address out of every log and analytics table (32+ random or hex characters).
  return value.split(/[._+-]/).some((part) => TOKEN_PART.test(part)) || addressCarriesSecret(`/${value}`);
}

/**
 * A UTM value as stored: control characters removed, trimmed, at most 100 characters, runs of white space as one
 * '-'; then only a plain label of [A-Za-z0-9._+-] that looks like no token, id, phone or card number. Anything else
 * (an email address, a name with spaces and umlauts, a URL) is dropped: null.
 */
function cleanUtm(value: string | null): string | null {
  if (value === null) return null;
  const clean = value.replace(CONTROL, '').trim().slice(0, 100).trim().replace(/\s+/g, '-');
  if (clean === '' || !LABEL.test(clean) || looksPersonal(clean)) return null;
  return clean;
}

/** UTM source, medium and campaign of an address's query string, each a plain label or null (see cleanUtm). */
export function utmOf(url: string): Utm {
  const q = url.indexOf('?');
  if (q === -1 || !url.includes('utm_', q)) return NO_UTM;
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(url.slice(q + 1));
  } catch {
    return NO_UTM;
  }
  return {
    utm_source: cleanUtm(params.get('utm_source')),
    utm_medium: cleanUtm(params.get('utm_medium')),
    utm_campaign: cleanUtm(params.get('utm_campaign')),
  };
}

/**
 * Whether a page request lacks what every browser sends with a navigation: `Accept` naming text/html, and either
 * a `Sec-Fetch-*` header or `Accept-Language`. Scripts and simple crawlers usually send neither.
 */
export function lacksBrowserHeaders(headers: Record<string, string | string[] | undefined>): boolean {
  const accept = headers.accept;
  if (typeof accept !== 'string' || !accept.includes('text/html')) return true;
  if (headers['accept-language'] !== undefined) return false;
  for (const name in headers) if (name.startsWith('sec-fetch-')) return false;
  return true;
}
