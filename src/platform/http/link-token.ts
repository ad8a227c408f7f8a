// A secret that arrives in a link (password reset, account set-up, email-change undo) leaves the address at once:
// the first request stores it in a short-lived cookie (HttpOnly, SameSite=Strict, limited to the page's path) and
// redirects to the clean address, so it stays out of history, referrers and logs; the form then posts with it.
// Strict cookies are not sent on a navigation that started on another site (a webmail), even after our redirect:
// the clean page must work without it, and only the form post (from our own page) relies on it.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CookiePolicy } from './cookies.ts';

export const LINK_TOKEN_SECONDS = 30 * 60;
const TOKEN = /^[A-Za-z0-9_-]{16,100}$/;

/** Stores the token for `path` and answers with a 303 to `path` (or `cleanUrl`, which must lie below it). */
export function moveLinkTokenToCookie(
  reply: FastifyReply,
  policy: CookiePolicy,
  path: string,
  token: string,
  cleanUrl = path,
): FastifyReply {
  reply.setCookie(policy.link, token, {
    path,
    httpOnly: true,
    secure: policy.secure,
    sameSite: 'strict',
    maxAge: LINK_TOKEN_SECONDS,
  });
  return reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').redirect(cleanUrl, 303);
}

/** The token kept for this page, or '' when there is none (or it is malformed). */
export function linkTokenOf(request: FastifyRequest, policy: CookiePolicy): string {
  const value = request.cookies[policy.link];
  return value && TOKEN.test(value) ? value : '';
}

export function clearLinkToken(reply: FastifyReply, policy: CookiePolicy, path: string): void {
  reply.clearCookie(policy.link, { path, httpOnly: true, secure: policy.secure, sameSite: 'strict' });
}
