// What every request carries once the platform's hooks ran: language, the signed-in viewer, cookie names.
// requireRole is the one gate of every staff page and staff API: the role, and for staff roles a passed second factor.
import { AppError, errors } from '../errors.ts';
import type { Lang } from '../i18n.ts';

export type Role = 'customer' | 'staff' | 'dpo' | 'admin';
export const roles: Role[] = ['customer', 'staff', 'dpo', 'admin'];

export interface Viewer {
  userId: string;
  sessionId: string;
  name: string;
  role: Role;
  emailVerified: boolean;
  /** This session passed the second factor (TOTP or a recovery code) at sign-in or enrolment. */
  secondFactor: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    lang: Lang;
    viewer: Viewer | null;
    /** The CSRF token for forms rendered in this response; the first call may set the CSRF cookie. */
    csrfToken: () => string;
  }
}

export function requireViewer(viewer: Viewer | null): Viewer {
  if (!viewer) throw errors.unauthenticated();
  return viewer;
}

/**
 * Staff, dpo and admin sessions reach nothing here without a passed second factor (issue 12): the API answers 403
 * `second_factor_required`; staff pages (GET) are redirected before they get here, to enrolment or the code step
 * (accounts.session.ts).
 */
export function requireRole(viewer: Viewer | null, allowed: Role[]): Viewer {
  const v = requireViewer(viewer);
  if (!allowed.includes(v.role)) throw errors.forbidden();
  if (v.role !== 'customer' && !v.secondFactor) throw secondFactorRequired();
  return v;
}

/** Whether `requireRole(viewer, allowed)` would let the viewer through: for what shows differently to staff. */
export function hasRole(viewer: Viewer | null, allowed: Role[]): boolean {
  return viewer !== null && allowed.includes(viewer.role) && (viewer.role === 'customer' || viewer.secondFactor);
}

export const secondFactorRequired = () =>
  new AppError(403, 'second_factor_required', {
    en: 'Staff accounts need a second factor. Set it up under /account/two-factor, or enter your code at /account/login/code.',
    de: 'Mitarbeiterkonten benötigen einen zweiten Faktor. Richten Sie ihn unter /account/two-factor ein oder geben Sie Ihren Code unter /account/login/code ein.',
  });

/** For what needs a proven address (checkout, data export): the viewer must have verified their email. */
export function requireVerifiedEmail(viewer: Viewer | null): Viewer {
  const v = requireViewer(viewer);
  if (!v.emailVerified) throw errors.emailUnverified();
  return v;
}
