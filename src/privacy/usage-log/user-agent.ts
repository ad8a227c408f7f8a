// Reduces a User-Agent header to what the policy lists: browser, its major version, operating system.
// Deliberately coarse: the full header is a fingerprinting aid and is not stored.
import { createMemo } from '../../platform/cache.ts';

export interface AgentSummary {
  browser: string | null;
  version: string | null;
  os: string | null;
}

const browsers: [string, RegExp][] = [
  ['Edge', /Edg(?:e|A|iOS)?\/(\d+)/],
  ['Opera', /OPR\/(\d+)/],
  ['Samsung Internet', /SamsungBrowser\/(\d+)/],
  ['Firefox', /(?:Firefox|FxiOS)\/(\d+)/],
  ['Chrome', /(?:Chrome|CriOS)\/(\d+)/],
  ['Safari', /Version\/(\d+)[\d.]* (?:Mobile\/\S+ )?Safari\//],
  ['curl', /^curl\/(\d+)/],
];

const systems: [string, RegExp][] = [
  ['Android', /Android/],
  ['iOS', /iPhone|iPad|iPod/],
  ['Windows', /Windows/],
  ['macOS', /Mac OS X|Macintosh/],
  ['ChromeOS', /CrOS/],
  ['Linux', /Linux/],
];

// Most requests come from a few common browsers: their summaries are kept (in this process only, never stored) so
// that each request does not run the patterns again.
const recent = createMemo<Readonly<AgentSummary>>({ max: 256 });
const NO_AGENT: Readonly<AgentSummary> = Object.freeze({ browser: null, version: null, os: null });

export function summariseAgent(header: string | undefined): Readonly<AgentSummary> {
  if (!header) return NO_AGENT;
  return recent.get(header, () => Object.freeze(summarise(header)));
}

function summarise(header: string): AgentSummary {
  let browser: string | null = null;
  let version: string | null = null;
  for (const [name, pattern] of browsers) {
    const m = pattern.exec(header);
    if (m) {
      browser = name;
      version = m[1] ?? null;
      break;
    }
  }
  const os = systems.find(([, pattern]) => pattern.test(header))?.[0] ?? null;
  return { browser: browser ?? 'other', version, os };
}

/** The first language of Accept-Language, e.g. "de-DE". */
export function primaryLanguage(header: string | undefined): string | null {
  const first = header?.split(',')[0]?.split(';')[0]?.trim();
  return first && /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(first) ? first.slice(0, 35) : null;
}
