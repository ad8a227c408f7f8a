// Consent on the server, for every request: its consent is read from the signed cookie (with GPC applied), the
// answer's CSP and cookies are cut to it, and pages get the banner and the consented tags through a layout slot.
import type { FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { createMemo } from '../../platform/cache.ts';
import { defineGlobalPlugin, type App } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { isApiPath } from '../../platform/http/security.ts';
import { isSensitiveRequest } from '../../platform/http/sensitive.ts';
import { html, type SafeHtml } from '../../platform/html.ts';
import type { Lang } from '../../platform/i18n.ts';
import { addLayoutSlot } from '../../web/index.ts';
import { consentBanner, vendorTags } from './consent.pages.ts';
import { linkConsentRecords } from './consent.queries.ts';
import { consentRecorder } from './consent.record.ts';
import { buildCsp, expireDisallowedCookies, filterSetCookies } from './enforce.ts';
import {
  decodeConsentCookie,
  effectiveConsent,
  newConsentId,
  type EffectiveConsent,
  type StoredConsent,
} from './state.ts';
import { tcfForRequest } from './tcf-bridge.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consent: EffectiveConsent;
    /**
     * The answer holds a secret or a person's data (platform/http/sensitive.ts): no vendor loads, whatever the
     * consent.
     */
    vendorFree: boolean;
    /** The consent parts of a page: tags for <head>, and the banner when the visitor has to be asked. */
    consentView: () => { head: SafeHtml; banner: SafeHtml };
  }
}

function wantsPage(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' &&
    !isApiPath(request.url) &&
    !request.url.startsWith('/assets/') &&
    !request.url.startsWith('/consent/') &&
    /text\/html/.test(request.headers.accept ?? '')
  );
}

/** What the banner depends on, never who the visitor is: the key of its cache. */
function bannerKey(lang: string, consent: EffectiveConsent): string {
  const stored = consent.stored ? `${consent.stored.hash}${consent.stored.explicit ? 'e' : ''}` : '-';
  const vendors = consent.vendors.map((v) => v.template.id).join(',');
  return `${lang}|${consent.gpc ? 1 : 0}|${stored}|${[...consent.categories].join(',')}|${vendors}`;
}

/**
 * Consent is global: every answer's CSP and cookies are cut to the visitor's consent, and every page gets the
 * banner and the consented tags through the layout's slot. It needs the session (receipts are linked to the
 * signed-in account) and the web layer (the language and the layout slots). POST /consent and the consent
 * layer's own files are the feature's routes (consent.routes.ts).
 */
export const consentPlugin = defineGlobalPlugin<Deps>({
  name: 'candor-consent',
  needs: ['candor-web', 'candor-session'],
  register: registerConsent,
});

function registerConsent(app: App, deps: Pick<Deps, 'db' | 'clock' | 'config' | 'consent'>): void {
  const registry = deps.consent;
  const cookies = cookiePolicy(deps.config.baseUrl);
  const https = new URL(deps.config.baseUrl).protocol === 'https:';
  // Cookie domains come from our configured address, never from the request's Host header.
  const siteHost = new URL(deps.config.baseUrl).hostname;
  const secret = deps.config.secret;
  const { accountTag, saveState, record } = consentRecorder(deps);
  const cspCache = createMemo<string>({ max: 200, maxKeyLength: Infinity });
  const bannerCache = createMemo<SafeHtml>({ max: 200, maxKeyLength: Infinity });
  const headCache = createMemo<SafeHtml>({ max: 200, maxKeyLength: Infinity });
  const tcf = tcfForRequest(deps);

  app.decorateRequest('consent', null as unknown as EffectiveConsent);
  app.decorateRequest('vendorFree', false);
  app.decorateRequest('consentView', () => ({ head: html``, banner: html`` }));
  // Our own stylesheet and script on every page, then the consented vendors' tags; the banner tops the body.
  const assets = html`<link rel="stylesheet" href="/consent/consent.css">
<script src="/consent/consent.js" defer></script>
`;
  addLayoutSlot(app, {
    name: 'consent',
    render(request) {
      const view = request.consentView();
      return { head: html`${assets}${view.head}`, top: view.banner };
    },
  });

  app.addHook('onRequest', async (request, reply) => {
    const stored = decodeConsentCookie(secret, request.cookies[cookies.consent], registry);
    const gpc = request.headers['sec-gpc'] === '1';
    request.consent = effectiveConsent(registry, stored, gpc);
    request.vendorFree = isSensitiveRequest(request);
    if (stored && request.viewer && stored.linked !== accountTag(request.viewer.userId)) {
      if (stored.linked === '') {
        // Receipts made before signing in are linked to the account once, on the first request after it.
        await linkConsentRecords(deps.db, stored.id, request.viewer.userId);
        saveState(reply, { ...stored, linked: accountTag(request.viewer.userId) });
      } else {
        // Another account's browser: its receipts stay its own, and this person is asked afresh.
        const fresh: StoredConsent = {
          id: newConsentId(),
          hash: '',
          categories: [],
          vendors: [],
          explicit: false,
          gpc: false,
          linked: accountTag(request.viewer.userId),
        };
        saveState(reply, fresh);
        request.consent = effectiveConsent(registry, fresh, gpc);
      }
    }
    // Sec-GPC: 1 is honoured before the first byte for everyone. It is recorded when it takes back marketing
    // that a stored choice granted; for a visitor without one, with their first choice (see record()).
    const current = stored && stored.hash === registry.hash.slice(0, 16) ? stored : null;
    if (gpc && current && !current.gpc && current.categories.includes('marketing') && wantsPage(request)) {
      const keep = request.consent;
      await record(
        request,
        reply,
        'gpc',
        current,
        { categories: [...keep.categories], vendors: keep.vendors.map((v) => v.template.id) },
        current.explicit,
      );
    }
    request.consentView = () => {
      const consent = request.consent;
      // Sensitive pages load no vendor, so they need neither Consent Mode nor the TCF API either.
      const tcString = tcf && !request.vendorFree ? tcf.tcString(consent, request.lang) : null;
      let head = html``;
      if (!request.vendorFree) {
        // The tags follow from the consent's categories, vendors and question (and the TC string): kept per state.
        const headKey = `${consent.ask ? 1 : 0}|${[...consent.categories].join(',')}|${consent.vendors.map((v) => v.template.id).join(',')}|${tcString ?? ''}`;
        head = headCache.get(headKey, () =>
          vendorTags(
            registry,
            consent,
            tcf && tcString !== null ? { cmpId: tcf.cmpId, cmpVersion: tcf.cmpVersion, tcString } : null,
          ),
        );
      }
      // Nothing to ask: no vendors, or (with GPC) only marketing ones, and none of our own statistics (which never
      // run under GPC, so are not asked about then).
      const ownToAsk = registry.own.length > 0 && !consent.gpc;
      if (
        !consent.ask ||
        (!ownToAsk && !registry.vendors.some((v) => !(consent.gpc && v.template.category === 'marketing')))
      )
        return { head, banner: html`` };
      const banner = bannerCache.get(bannerKey(request.lang, consent), () =>
        consentBanner(request.lang as Lang, registry, consent),
      );
      return { head, banner };
    };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const consent = request.consent;
    if (!consent) return payload;
    // The consent itself stays as it is (its cookies are kept), but a sensitive answer admits no vendor host.
    const vendors = request.vendorFree ? [] : consent.vendors;
    const key = vendors.map((v) => v.template.id).join(',');
    reply.header(
      'content-security-policy',
      cspCache.get(key, () => buildCsp({ vendors }, https)),
    );
    // Pages differ by consent and signal: never let a shared cache hand one visitor's page to another.
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'private, no-cache');
      reply.header('vary', 'Cookie, Sec-GPC');
    }

    const raw = reply.getHeader('set-cookie');
    const setCookies = raw === undefined ? [] : Array.isArray(raw) ? raw.map(String) : [String(raw)];
    const expire = expireDisallowedCookies(Object.keys(request.cookies), registry.cookies, consent, siteHost);
    if (setCookies.length === 0 && expire.length === 0) return payload;
    const { kept, dropped } = filterSetCookies(setCookies, registry.cookies, consent);
    if (dropped.length > 0) request.log.warn({ cookies: dropped }, 'dropped cookies without consent or registration');
    reply.removeHeader('set-cookie');
    if (kept.length + expire.length > 0) reply.header('set-cookie', [...kept, ...expire]);
    return payload;
  });
}
