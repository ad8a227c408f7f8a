// What the account route groups share: the session cookies, the sign-in throttle, the rate limit of routes
// that check a password, and the small translations between HTTP and the service.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { cookiePolicy, setCookie, type CookiePolicy } from '../../platform/http/cookies.ts';
import { summariseAgent } from '../../privacy/usage-log/user-agent.ts';
import * as service from './accounts.service.ts';
import type { SessionsTable } from './accounts.tables.ts';
import { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';

export interface AccountsHttp {
  cookies: CookiePolicy;
  /** Per address, across every route that checks a password and every process (Redis or the database). */
  throttle: SignInThrottle;
  /** Route config for routes that check a password or send mail: a tighter per-IP rate limit. */
  authLimit: { rateLimit: { max: number; timeWindow: number } };
  /** Sets the session cookie of a started session (and the known-device cookie, if the sign-in set one). */
  startCookie(reply: FastifyReply, started: service.StartedSession & { device?: string }): void;
  /** Sets only the known-device cookie: a right password for an account that still has its code step to pass. */
  setDeviceCookie(reply: FastifyReply, device: string): void;
}

/** Built once per app (the throttle counts through deps.shared: Redis or the database). */
export function accountsHttp(app: App, deps: Deps): AccountsHttp {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const throttle = createSignInThrottle(deps);
  app.addHook('onClose', () => throttle.close());
  return {
    cookies,
    throttle,
    authLimit: { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: 60_000 } },
    startCookie(reply, started) {
      const remember = started.session.remember === 1;
      const maxAge = remember ? Math.floor(service.SESSION.rememberAbsolute / 1000) : undefined;
      setCookie(reply, cookies, cookies.session, started.token, maxAge);
      if (started.device) {
        setCookie(reply, cookies, cookies.device, started.device, Math.floor(service.KNOWN_DEVICE_TTL / 1000));
      }
    },
    setDeviceCookie(reply, device) {
      setCookie(reply, cookies, cookies.device, device, Math.floor(service.KNOWN_DEVICE_TTL / 1000));
    },
  };
}

export function clientOf(request: FastifyRequest): service.ClientInfo {
  const agent = summariseAgent(request.headers['user-agent']);
  const version = agent.version ? ` ${agent.version}` : '';
  const os = agent.os ? ` on ${agent.os}` : '';
  return { device: agent.browser ? `${agent.browser}${version}${os}` : null, ip: request.ip };
}

/** When a session ends at the latest: at its absolute end or after idling, whichever comes first. */
export function sessionExpiry(s: SessionsTable): string {
  return new Date(Math.min(s.expires_at, s.idle_expires_at)).toISOString();
}

export function toPublicSession(s: SessionsTable, currentId: string | undefined) {
  return {
    id: s.id,
    current: s.id === currentId,
    remember: s.remember === 1,
    device: s.device,
    createdAt: new Date(s.created_at).toISOString(),
    lastSeenAt: new Date(s.last_seen_at).toISOString(),
    expiresAt: sessionExpiry(s),
  };
}

/** A form error that the page shows beside its fields; anything else goes to the error handler. */
export function formError(err: unknown): AppError {
  if (err instanceof AppError && err.status < 500 && err.status !== 429 && err.code !== 'csrf_failed') return err;
  throw err;
}
