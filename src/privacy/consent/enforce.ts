// Server-side enforcement: the Content-Security-Policy admits only consented vendors' hosts; Set-Cookie
// headers for cookies without consent (or not registered at all) are dropped; and first-party cookies of
// vendors the visitor has not (or no longer) consented to are expired on every response.
import type { RegisteredCookie } from './registry.ts';
import type { EffectiveConsent } from './state.ts';

const BASE_CSP: [string, string[]][] = [
  ['default-src', ["'self'"]],
  ['script-src', ["'self'"]],
  ['style-src', ["'self'"]],
  ['img-src', ["'self'", 'data:']],
  ['font-src', ["'self'"]],
  ['connect-src', ["'self'"]],
  ['frame-src', ["'none'"]],
  ['form-action', ["'self'"]],
  ['frame-ancestors', ["'none'"]],
  ['base-uri', ["'none'"]],
  ['object-src', ["'none'"]],
];

/** The CSP for a set of consented vendors; with none it is the strict policy of the whole site. */
export function buildCsp(consent: Pick<EffectiveConsent, 'vendors'>, https: boolean): string {
  const extra: Record<string, string[]> = { 'script-src': [], 'connect-src': [], 'img-src': [], 'frame-src': [] };
  for (const v of consent.vendors) {
    extra['script-src']!.push(...v.template.hosts.script);
    extra['connect-src']!.push(...v.template.hosts.connect);
    extra['img-src']!.push(...v.template.hosts.img);
    extra['frame-src']!.push(...v.template.hosts.frame);
  }
  const directives = BASE_CSP.map(([name, base]) => {
    const hosts = [...new Set(extra[name] ?? [])].sort().map((h) => `https://${h}`);
    const values = hosts.length > 0 && base[0] === "'none'" ? hosts : [...base, ...hosts];
    return `${name} ${values.join(' ')}`;
  });
  if (https) directives.push('upgrade-insecure-requests');
  return directives.join('; ');
}

function matches(cookie: RegisteredCookie, name: string): boolean {
  return cookie.name.endsWith('*') ? name.startsWith(cookie.name.slice(0, -1)) : cookie.name === name;
}

function findRegisteredCookie(cookies: RegisteredCookie[], name: string): RegisteredCookie | undefined {
  return cookies.find((c) => matches(c, name));
}

/** Whether a cookie may be set or kept under this consent. Unregistered cookies never may. */
function cookieAllowed(
  cookies: RegisteredCookie[],
  consent: Pick<EffectiveConsent, 'categories' | 'vendors'>,
  name: string,
): boolean {
  const spec = findRegisteredCookie(cookies, name);
  if (!spec) return false;
  if (spec.category === 'necessary') return true;
  return consent.categories.has(spec.category) && consent.vendors.some((v) => v.template.id === spec.owner);
}

const cookieName = (header: string) => header.slice(0, Math.max(0, header.indexOf('='))).trim();
const isExpiry = (header: string) =>
  /;\s*max-age=0(\s*;|$)/i.test(header) || /;\s*expires=Thu, 01 Jan 1970/i.test(header);

/**
 * The Set-Cookie headers that may go out: expiries always, others only when allowed. Returns the kept
 * headers and the names of the dropped ones (names only: never values).
 */
export function filterSetCookies(
  headers: string[],
  cookies: RegisteredCookie[],
  consent: Pick<EffectiveConsent, 'categories' | 'vendors'>,
): { kept: string[]; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const h of headers) {
    const name = cookieName(h);
    if (isExpiry(h) || cookieAllowed(cookies, consent, name)) kept.push(h);
    else dropped.push(name);
  }
  return { kept, dropped };
}

/**
 * Expiry headers for the first-party cookies a request carries that this consent does not allow and that
 * belong to a vendor (Candor's own cookies are managed by their features). Vendors' scripts may set them on
 * the host or on a parent domain, so all are expired.
 */
export function expireDisallowedCookies(
  requestCookieNames: string[],
  cookies: RegisteredCookie[],
  consent: Pick<EffectiveConsent, 'categories' | 'vendors'>,
  host: string,
): string[] {
  const out: string[] = [];
  // `host` is our configured hostname. Every ancestor with two or more labels (shop.example.co.uk,
  // example.co.uk, co.uk): browsers ignore a public suffix, and we cannot tell which one is ours.
  const labels = host.split('.');
  const domains =
    /^[\d.]+$|^\[|^localhost$/.test(host) || labels.length < 2 || !/^[a-z0-9.-]+$/i.test(host)
      ? []
      : labels.slice(0, -1).map((_, i) => labels.slice(i).join('.'));
  for (const name of requestCookieNames) {
    const spec = findRegisteredCookie(cookies, name);
    if (!spec || spec.owner === 'candor' || spec.party !== 'first' || cookieAllowed(cookies, consent, name)) continue;
    if (!/^[\w!#$%&'*+.^`|~-]+$/.test(name)) continue;
    out.push(`${name}=; Max-Age=0; Path=/`);
    for (const d of domains) out.push(`${name}=; Max-Age=0; Path=/; Domain=${d}`);
  }
  return out;
}
