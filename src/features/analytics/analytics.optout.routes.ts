// The opt-out of our statistics (policy 2c dd): GET /privacy/analytics explains and shows the state, POST sets or
// clears the necessary cookie. It needs neither consent nor an account; signed in, it also records an objection to
// counting and to the returning-visitor pseudonym; the account's and the browser's consent pseudonyms are excluded at
// once. `in` lifts only what this page recorded, and nothing while another objection or a restriction stands.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { clearCookie, cookiePolicy, setCookie } from '../../platform/http/cookies.ts';
import { findObjection, liftObjection, mayProcess, recordObjection } from '../../privacy/objections.ts';
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
/** How objections made on this page are recorded, so that "count me again" lifts only those. */
const VIA = 'analytics-page';

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
    const recorder = request.server.analyticsRecorder;
    const key = deps.config.analyticsKey;
    // The browser's consent pseudonym too: a consenting visitor who objects leaves the reports whether signed in or
    // not (their pseudonymous events and assignments go with the exclusion).
    const consentId = request.consent.stored?.id;
    const pseudonyms = consentId ? [pseudonymOf(key, 'consent', consentId)] : [];
    const viewer = request.viewer;
    let stillRefused = false;
    if (viewer) {
      const at = deps.clock.now();
      for (const activity of OBJECTED) {
        if (out) await recordObjection(deps.db, at, { person: viewer.userId, activity, kind: 'objection', via: VIA });
        else {
          // "Count me again" withdraws only the objections made here; one made elsewhere, or a restriction the
          // data protection officer recorded, stands.
          const made = await findObjection(deps.db, viewer.userId, activity, 'objection');
          if (made?.via === VIA) await liftObjection(deps.db, viewer.userId, activity, 'objection');
        }
      }
      if (!out)
        for (const activity of OBJECTED) if (!(await mayProcess(deps, viewer.userId, activity))) stillRefused = true;
      pseudonyms.push(pseudonymOf(key, 'account', viewer.userId));
    }
    for (const pseudonym of pseudonyms) {
      if (out) recorder.exclude(pseudonym, 'objection');
      else if (!stillRefused) recorder.include(pseudonym, 'objection');
    }
    return reply.header('cache-control', 'no-store').redirect(`/privacy/analytics?saved=${out ? 'out' : 'in'}`, 303);
  });
}
