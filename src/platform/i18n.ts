// English and German. Every user-facing text is a `Text` with both; the language comes from the
// preferences cookie, else Accept-Language, else English.
import { createMemo } from './cache.ts';

export type Lang = 'en' | 'de';
export const languages: Lang[] = ['en', 'de'];

/** A text in every language the shop speaks. */
export interface Text {
  en: string;
  de: string;
}

export function isLang(value: unknown): value is Lang {
  return value === 'en' || value === 'de';
}

export function tr(lang: Lang, text: Text, params?: Record<string, string | number>): string {
  const chosen = text[lang];
  if (!params || !chosen.includes('{')) return chosen;
  return chosen.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}

// Browsers send a few common Accept-Language values; each is worked out once.
const negotiated = createMemo<Lang>({ max: 500, maxKeyLength: 200 });

export function negotiateLang(cookieLang: string | undefined, acceptLanguage: string | undefined): Lang {
  if (isLang(cookieLang)) return cookieLang;
  if (!acceptLanguage) return 'en';
  return negotiated.get(acceptLanguage, () => fromAcceptLanguage(acceptLanguage));
}

function fromAcceptLanguage(acceptLanguage: string): Lang {
  const ranked = acceptLanguage
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^q=([\d.]+)$/.exec(p.trim())).find(Boolean);
      return { lang: tag.toLowerCase().slice(0, 2), q: q ? Number(q[1]) : 1 };
    })
    .filter((x) => isLang(x.lang) && x.q > 0)
    .sort((a, b) => b.q - a.q);
  return (ranked[0]?.lang as Lang | undefined) ?? 'en';
}

/** The zone times are shown in when the operator names none (operator.json `timeZone`). */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

/** Whether Intl knows the zone (an IANA name such as "Europe/Berlin" or "UTC"). */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// One formatter per language and zone: building an Intl.DateTimeFormat costs far more than using one.
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * "5 Dec 2026, 14:30 CET" / "05.12.2026, 14:30 MEZ": a moment as the operator's clock shows it, with the zone's
 * short name, so that nobody has to convert from UTC. `timeZone` is the operator's (PageContext.timeZone).
 */
export function formatTime(lang: Lang, epochMs: number, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
      ...(lang === 'de' ? { day: '2-digit', month: '2-digit' } : { day: 'numeric', month: 'short' }),
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZone,
      timeZoneName: 'short',
    });
    dateFormats.set(key, format);
  }
  return format.format(new Date(epochMs));
}

// One day format per language and zone, as for formatTime.
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** "5 December 2026" / "5. Dezember 2026": the operator's calendar day of a moment (an invoice at 00:30 in Berlin is of that day). */
export function formatDay(lang: Lang, epochMs: number, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let format = dayFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long', timeZone });
    dayFormats.set(key, format);
  }
  return format.format(new Date(epochMs));
}

const regionNames = new Map<Lang, Intl.DisplayNames>();
// Names already looked up (at most 2 × 26 × 26): DisplayNames.of() costs microseconds, and every catalogue page
// names the visitor's country (issue 17).
const countryNames = new Map<string, string>();

/** A country's name in the page's language ("Österreich") from its ISO 3166-1 code; anything else as given. */
export function countryName(lang: Lang, code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  const key = `${lang}:${code}`;
  const known = countryNames.get(key);
  if (known !== undefined) return known;
  let names = regionNames.get(lang);
  if (!names) regionNames.set(lang, (names = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' })));
  let name = code;
  try {
    name = names.of(code) ?? code;
  } catch {
    // Not a region Intl knows: shown as given.
  }
  countryNames.set(key, name);
  return name;
}

/**
 * "€1,299.00" in English, "1.299,00 €" in German (with a no-break space), as Intl formats them; written out
 * because Intl.NumberFormat costs microseconds per call and a catalogue page formats dozens of prices.
 */
export function formatEuro(lang: Lang, cents: number): string {
  const negative = cents < 0;
  const abs = Math.abs(Math.round(cents));
  const units = Math.floor(abs / 100);
  // Most prices are below a thousand: no grouping to do.
  const whole =
    units < 1000 ? String(units) : String(units).replace(/\B(?=(\d{3})+(?!\d))/g, lang === 'de' ? '.' : ',');
  const fraction = String(abs % 100).padStart(2, '0');
  const sign = negative ? '-' : '';
  return lang === 'de' ? `${sign}${whole},${fraction}\u00a0€` : `${sign}€${whole}.${fraction}`;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich; Berlin in winter: +1 h). */
function zoneOffsetAt(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
  return wall - Math.floor(at / 1000) * 1000;
}

/**
 * The instant the calendar day `days` after the day of `at` begins, both days as the zone's clock shows them
 * (0: the start of the day of `at`). Correct across clock changes.
 */
export function startOfZoneDay(at: number, days: number, timeZone: string): number {
  const local = new Date(at + zoneOffsetAt(at, timeZone));
  const midnight = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + days);
  // The offset at midnight itself (twice, in case the first guess crosses a clock change).
  const guess = midnight - zoneOffsetAt(midnight, timeZone);
  return midnight - zoneOffsetAt(guess, timeZone);
}
