// Puts the beacon script on pages, only for a visitor with statistics consent who may be counted (request.analytics
// not null: no opt-out, Do Not Track, GPC or staff) and never on a sensitive page. Also: when a visitor saves a
// choice without statistics after having had it, their pseudonyms are excluded at once (withdrawal); when they give
// statistics consent again, an exclusion for that withdrawal is lifted (never one for an objection or restriction).
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { defineGlobalPlugin } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { html } from '../../platform/html.ts';
import { decodeConsentCookie } from '../../privacy/consent/state.ts';
import { addLayoutSlot } from '../../web/index.ts';
import { BEACON_VERSION } from './analytics.beacon.client.ts';
import { pseudonymOf } from './analytics.visitor.ts';

/** Whether this page may carry the beacon. */
export function wantsBeacon(request: FastifyRequest): boolean {
  return request.analytics !== null && !request.vendorFree && request.consent.categories.has('statistics');
}

export const analyticsBeaconPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-analytics-beacon',
  needs: ['candor-web', 'candor-consent', 'candor-analytics'],
  register: (app, deps) => {
    const tag = html`<script src="/analytics/beacon.js?v=${BEACON_VERSION}" defer></script>
`;
    const none = html``;
    addLayoutSlot(app, {
      name: 'analytics-beacon',
      render: (request) => ({ head: wantsBeacon(request) ? tag : none }),
    });

    const consentCookie = cookiePolicy(deps.config.baseUrl).consent;
    // The state before POST /consent (the consent layer updates request.consent as it saves, so it is taken here):
    // the consent id of a visitor who had statistics, or null for one who did not have them in effect.
    const before = new WeakMap<FastifyRequest, string | null>();
    const isConsentPost = (request: FastifyRequest) =>
      request.method === 'POST' && request.routeOptions.url === '/consent';
    app.addHook('preHandler', async (request) => {
      if (!isConsentPost(request) || !request.consent) return;
      const stored = request.consent.stored;
      if (stored?.categories.includes('statistics')) before.set(request, stored.id);
      else if (!request.consent.categories.has('statistics')) before.set(request, null);
    });
    app.addHook('onResponse', async (request, reply) => {
      const hadId = before.get(request);
      if (hadId === undefined || reply.statusCode >= 400) return;
      const raw = reply.getHeader('set-cookie');
      const set = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
      const saved = set.find((c) => c.startsWith(`${consentCookie}=`));
      if (!saved) return;
      const value = decodeURIComponent(saved.slice(consentCookie.length + 1).split(';')[0] ?? '');
      const after = decodeConsentCookie(deps.config.secret, value, deps.consent);
      const recorder = request.server.analyticsRecorder;
      const key = deps.config.analyticsKey;
      const granted = after?.categories.includes('statistics') === true;
      if (hadId !== null && !granted) {
        // Withdrawn: the consent's pseudonym, and the account's when signed in, leave every count from now on; the
        // cookieless counting goes on (analytics.hooks.ts).
        recorder.exclude(pseudonymOf(key, 'consent', hadId), 'withdrawal');
        if (request.viewer) recorder.exclude(pseudonymOf(key, 'account', request.viewer.userId), 'withdrawal');
      } else if (hadId === null && granted && after) {
        // Given again: what the earlier withdrawal excluded is counted again; an objection stays in force.
        recorder.include(pseudonymOf(key, 'consent', after.id), 'withdrawal');
        if (request.viewer) recorder.include(pseudonymOf(key, 'account', request.viewer.userId), 'withdrawal');
      }
    });
  },
});
