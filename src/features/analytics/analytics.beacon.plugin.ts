// Puts the beacon script on pages, only for a visitor with statistics consent who may be counted (request.analytics
// not null: no opt-out, Do Not Track, GPC or staff) and never on a sensitive page. Also: when a visitor saves a
// choice without statistics after having had it, their pseudonyms are excluded at once (withdrawal).
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
    // The consent id of a visitor who had statistics when POST /consent began (the consent layer updates
    // request.consent as it saves, so the state before is taken here).
    const hadStatistics = new WeakMap<FastifyRequest, string>();
    const isConsentPost = (request: FastifyRequest) =>
      request.method === 'POST' && request.routeOptions.url === '/consent';
    app.addHook('preHandler', async (request) => {
      const stored = request.consent?.stored;
      if (isConsentPost(request) && stored?.categories.includes('statistics')) hadStatistics.set(request, stored.id);
    });
    app.addHook('onResponse', async (request, reply) => {
      const consentId = hadStatistics.get(request);
      if (consentId === undefined || reply.statusCode >= 400) return;
      const raw = reply.getHeader('set-cookie');
      const set = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
      const saved = set.find((c) => c.startsWith(`${consentCookie}=`));
      if (!saved) return;
      const value = decodeURIComponent(saved.slice(consentCookie.length + 1).split(';')[0] ?? '');
      const after = decodeConsentCookie(deps.config.secret, value, deps.consent);
      if (after?.categories.includes('statistics')) return;
      // Withdrawn: the consent's pseudonym, and the account's when signed in, leave every count from now on.
      const recorder = request.server.analyticsRecorder;
      recorder.exclude(pseudonymOf(deps.config.analyticsKey, 'consent', consentId), 'withdrawal');
      if (request.viewer)
        recorder.exclude(pseudonymOf(deps.config.analyticsKey, 'account', request.viewer.userId), 'withdrawal');
    });
  },
});
