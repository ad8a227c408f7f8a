// Cookie names and attributes. `__Host-` cookies must be Secure, which browsers accept over https and on
// localhost; on a plain-http non-local host the prefix is dropped (see docs/decisions/0003-cookies.md).
import type { FastifyReply } from 'fastify';

export interface CookiePolicy {
  secure: boolean;
  session: string;
  csrf: string;
  prefs: string;
  basket: string;
  consent: string;
  /** A secret from a link (reset, set-up), kept briefly for one page; path-limited, so never `__Host-`. */
  link: string;
  /** Known-device cookie: a browser that signed in to an account before skips that address's sign-in delay. */
  device: string;
}

// Read on many requests (the context, the form token, consent, the basket, VAT); one policy per address.
const policies = new Map<string, CookiePolicy>();

export function cookiePolicy(baseUrl: string): CookiePolicy {
  let policy = policies.get(baseUrl);
  if (!policy) {
    policy = Object.freeze(makeCookiePolicy(baseUrl));
    if (policies.size < 16) policies.set(baseUrl, policy);
  }
  return policy;
}

function makeCookiePolicy(baseUrl: string): CookiePolicy {
  const url = new URL(baseUrl);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  const secure = url.protocol === 'https:' || local;
  const prefix = secure ? '__Host-' : '';
  return {
    secure,
    session: `${prefix}candor_session`,
    csrf: `${prefix}candor_csrf`,
    prefs: 'candor_prefs',
    basket: `${prefix}candor_basket`,
    consent: `${prefix}candor_consent`,
    link: `${secure ? '__Secure-' : ''}candor_link`,
    device: `${prefix}candor_device`,
  };
}

export function setCookie(
  reply: FastifyReply,
  policy: CookiePolicy,
  name: string,
  value: string,
  maxAgeSeconds?: number,
): void {
  reply.setCookie(name, value, {
    path: '/',
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'lax',
    ...(maxAgeSeconds !== undefined ? { maxAge: maxAgeSeconds } : {}),
  });
}

export function clearCookie(reply: FastifyReply, policy: CookiePolicy, name: string): void {
  reply.clearCookie(name, { path: '/', httpOnly: true, secure: policy.secure, sameSite: 'lax' });
}

/** Signing out: the browser drops what this site left in its cache, cookies and storage. */
export function clearSiteData(reply: FastifyReply): FastifyReply {
  return reply.header('clear-site-data', '"cache", "cookies", "storage"');
}
