// What every request carries once the platform's hooks ran: language, the signed-in viewer, cookie names.
import { errors } from '../errors.ts';
import type { Lang } from '../i18n.ts';

export type Role = 'customer' | 'staff' | 'dpo' | 'admin';
export const roles: Role[] = ['customer', 'staff', 'dpo', 'admin'];

export interface Viewer {
  userId: string;
  sessionId: string;
  name: string;
  role: Role;
  emailVerified: boolean;
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

export function requireRole(viewer: Viewer | null, allowed: Role[]): Viewer {
  const v = requireViewer(viewer);
  if (!allowed.includes(v.role)) throw errors.forbidden();
  return v;
}

/** For what needs a proven address (checkout, data export): the viewer must have verified their email. */
export function requireVerifiedEmail(viewer: Viewer | null): Viewer {
  const v = requireViewer(viewer);
  if (!v.emailVerified) throw errors.emailUnverified();
  return v;
}
