// The opt-out of our statistics (policy 2c dd): GET /privacy/analytics explains and shows the state, POST sets or
// clears the necessary cookie. It needs neither consent nor an account; signed in, it also records an objection to
// counting and to the returning-visitor pseudonym, and excludes the account's pseudonym at once. `in` lifts both.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { clearCookie, cookiePolicy, setCookie } from '../../platform/http/cookies.ts';
import { findObjection, liftObjection, recordObjection } from '../../privacy/objections.ts';
import type { PolicyLink } from '../../privacy/policy-links.ts';
import { formBody, pageContext, sendPage } from '../../web/index.ts';
import { ACTIVITY, OPT_OUT_COOKIE } from './analytics.model.ts';
import { optOutPage, type CountingState } from './analytics.optout.pages.ts';
import { pseudonymOf } from './analytics.visitor.ts';

/** For the manifest's `policyLinks`: the policy and the cookie settings link here to object (Art. 21(1) GDPR). */
export const optOutPolicyLink: PolicyLink = {
  right: 'object',
  href: '/privacy/analytics',
  label: { en: 'Our statistics: do not count this browser', de: 'Unsere Statistik: diesen Browser nicht zählen' },
  note: { en: 'no account needed', de: 'ohne Konto' },
  activity: ACTIVITY.counting,
};

const TWO_YEARS = 2 * 365 * 24 * 3600;
const OBJECTED = [ACTIVITY.counting, ACTIVITY.returning] as const;

const OptOutForm = formBody({ choice: Type.Enum(['out', 'in'] as const, { type: 'string' }) });
const SavedQuery = Type.Object({ saved: Type.Optional(Type.Enum(['out', 'in'] as const, { type: 'string' })) });

export function registerOptOutRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);

  app.get('/privacy/analytics', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    const headers = request.headers;
    const state: CountingState =
      request.cookies[OPT_OUT_COOKIE] === '1'
        ? 'opted-out'
        : headers['sec-gpc'] === '1'
          ? 'gpc'
          : headers.dnt === '1'
            ? 'dnt'
            : request.viewer && request.viewer.role !== 'customer'
              ? 'staff'
              : 'counted';
    const viewer = request.viewer;
    const objection = viewer
      ? (await findObjection(deps.db, viewer.userId, ACTIVITY.counting, 'objection')) !== undefined
      : null;
    const page = optOutPage(pageContext(request), {
      state,
      objection,
      rawDays: deps.config.retention.analyticsRawDays ?? 30,
      aggregateMonths: deps.config.retention.analyticsAggregateMonths ?? 25,
      saved: request.query.saved ?? null,
    });
    return sendPage(reply.header('cache-control', 'no-store'), page);
  });

  app.post('/privacy/analytics', { schema: { body: OptOutForm } }, async (request, reply) => {
    const out = request.body.choice === 'out';
    if (out) setCookie(reply, cookies, OPT_OUT_COOKIE, '1', TWO_YEARS);
    else clearCookie(reply, cookies, OPT_OUT_COOKIE);
    const viewer = request.viewer;
    if (viewer) {
      const at = deps.clock.now();
      for (const activity of OBJECTED) {
        if (out)
          await recordObjection(deps.db, at, { person: viewer.userId, activity, kind: 'objection', via: 'account' });
        else await liftObjection(deps.db, viewer.userId, activity, 'objection');
      }
      const account = pseudonymOf(deps.config.analyticsKey, 'account', viewer.userId);
      if (out) request.server.analyticsRecorder.exclude(account, 'objection');
      else request.server.analyticsRecorder.include(account);
    }
    return reply.header('cache-control', 'no-store').redirect(`/privacy/analytics?saved=${out ? 'out' : 'in'}`, 303);
  });
}
