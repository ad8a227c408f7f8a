// User accounts and sessions (policy 5). Other features use the viewer on the request and these exports.
import { defineFeature } from '../../feature.ts';
import { accountsDataMap } from './accounts.data-map.ts';
import { registerAccountRoutes } from './accounts.routes.ts';
import { sessionPlugin } from './accounts.session.ts';
import { createAccounts } from './migrations/001-accounts.ts';
import { createAccountLimits } from './migrations/002-account-limits.ts';
import { normaliseEmails } from './migrations/003-normalise-emails.ts';
import { emailDomainsInOneForm } from './migrations/006-email-domains-in-one-form.ts';
import { createStaffTeam } from './migrations/004-staff-team.ts';
import { createTwoFactor } from './migrations/005-two-factor.ts';

export { createStaffUser, normaliseEmail, registerAccount, toPublicUser } from './accounts.service.ts';
export { mailSafeName, nameProblem } from './names.ts';
export { resetSecondFactor } from './two-factor.service.ts';
export { resetSecondFactorByEmail } from './accounts.team.service.ts';
// The privacy centre's erasure (rights): the password check with its throttle, and the session cookie's name.
export { confirmCurrentPassword } from './accounts.service.ts';
export { createSignInThrottle, type SignInThrottle } from './sign-in-throttle.ts';
export { confirmAddressFirstPage } from './accounts.onward.pages.ts';
export {
  findUserByEmail,
  findUserById,
  findUserIdsByEmails,
  findUserIdsMatching,
  userMatches,
} from './accounts.queries.ts';
// The staff customer console (customers feature): resend the verification mail, start a reset, end all sessions.
export { requestPasswordReset, resendVerification } from './accounts.service.ts';
export { deleteSessionsOfUser } from './accounts.queries.ts';
export type { AccountsTables } from './accounts.tables.ts';

export const accountsFeature = defineFeature({
  name: 'accounts',
  navigation: [
    // The staff team: accounts, roles, invitations, deactivation (accounts.team.routes.ts).
    {
      href: '/staff/team',
      label: { en: 'Staff accounts', de: 'Verwaltungskonten' },
      place: 'console',
      for: 'staff',
      roles: ['admin'],
      order: 90,
    },
    { href: '/account', label: { en: 'My account', de: 'Mein Konto' }, place: 'header', for: 'signed-in', order: 30 },
    { href: '/account/login', label: { en: 'Sign in', de: 'Anmelden' }, place: 'header', for: 'guest', order: 30 },
    {
      href: '/account/register',
      label: { en: 'Create account', de: 'Konto anlegen' },
      place: 'header',
      for: 'guest',
      order: 40,
    },
    {
      href: '/account/logout',
      label: { en: 'Sign out', de: 'Abmelden' },
      place: 'header',
      for: 'signed-in',
      order: 90,
      method: 'post',
    },
  ],
  // The account's pages, and every staff console (all of them live under /staff; the roles are this feature's).
  sensitivePaths: ['/account', '/staff'],
  signInPath: '/account/login',
  migrations: [
    createAccounts,
    createAccountLimits,
    normaliseEmails,
    createStaffTeam,
    createTwoFactor,
    emailDomainsInOneForm,
  ],
  dataMap: accountsDataMap,
  plugins: [sessionPlugin],
  routes: registerAccountRoutes,
  policyLinks: [
    // access and portability: the privacy centre (rights/index.ts).
    { right: 'rectification', href: '/account/profile', label: { en: 'your profile', de: 'Ihrem Profil' } },
    { right: 'password', href: '/account/password', label: { en: 'Change password', de: 'Passwort ändern' } },
  ],
});
