// Consent on the server: each request's consent is read from the signed cookie (with GPC applied), the
// response's CSP and cookies are cut to it, pages get the banner and the consented tags, and /consent
// records every choice in the ledger.
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import { defineGlobalPlugin, type App } from '../../platform/http/app.ts';
import { html, type SafeHtml } from '../../platform/html.ts';
import { addLayoutSlot } from '../../web/index.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { isApiPath, provesSameOrigin } from '../../platform/http/security.ts';
import { isSensitiveRequest } from '../../platform/http/sensitive.ts';
import type { Lang } from '../../platform/i18n.ts';
import { anonymiseIp } from '../usage-log/ip.ts';
import { summariseAgent } from '../usage-log/user-agent.ts';
import { registerConsentAssetRoutes } from './consent.assets.routes.ts';
import { bannerHash, consentBanner, vendorTags } from './consent.pages.ts';
import { linkConsentRecords } from './consent.queries.ts';
import type { ConsentAction } from './consent.tables.ts';
import { buildCsp, expireDisallowedCookies, filterSetCookies } from './enforce.ts';
import { recordConsent } from './ledger.ts';
import {
  choicesFor,
  decodeConsentCookie,
  effectiveConsent,
  encodeConsentCookie,
  newConsentId,
  type EffectiveConsent,
  type StoredConsent,
} from './state.ts';
import { tcfForRequest } from './tcf-bridge.ts';

declare module 'fastify' {
  interface FastifyRequest {
    consent: EffectiveConsent;
    /** The answer holds a secret or a person's data (platform/http/sensitive.ts): no vendor loads, whatever the consent. */
    vendorFree: boolean;
    /** The consent parts of a page: tags for <head>, and the banner when the visitor has to be asked. */
    consentView: () => { head: SafeHtml; banner: SafeHtml };
  }
}

const YEAR_SECONDS = 365 * 24 * 3600;
const ACTIONS = ['accept', 'reject', 'custom', 'withdraw'] as const;

/** One value or several: a form sends a field once per checked box. */
const oneOrMore = (maxLength: number, maxItems: number) =>
  Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems })]);

/** The banner's and the settings page's form; it carries no form token (see the route). */
const ConsentForm = Type.Object({
  action: Type.Enum(ACTIONS, { type: 'string' }),
  categories: Type.Optional(oneOrMore(40, 10)),
  vendors: Type.Optional(oneOrMore(60, 50)),
});

function wantsPage(request: FastifyRequest): boolean {
  return (
    request.method === 'GET' &&
    !isApiPath(request.url) &&
    !request.url.startsWith('/assets/') &&
    !request.url.startsWith('/consent/') &&
    /text\/html/.test(request.headers.accept ?? '')
  );
}

/**
 * Consent is global: every answer's CSP and cookies are cut to the visitor's consent, and every page gets the
 * banner and the consented tags through the layout's slot. It needs the session (receipts are linked to the
 * signed-in account) and the web layer (the language and the layout slots).
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
  const accountTag = (userId: string) =>
    createHmac('sha256', secret).update(`consent-link:${userId}`).digest('base64url').slice(0, 12);
  const cspCache = new Map<string, string>();
  const bannerCache = new Map<string, SafeHtml>();
  const tcf = tcfForRequest(deps);

  const saveState = (reply: FastifyReply, state: StoredConsent) =>
    reply.setCookie(cookies.consent, encodeConsentCookie(secret, state), {
      path: '/',
      httpOnly: true,
      secure: cookies.secure,
      sameSite: 'lax',
      maxAge: YEAR_SECONDS,
    });

  async function record(
    request: FastifyRequest,
    reply: FastifyReply,
    action: ConsentAction,
    stored: StoredConsent | null,
    choices: { categories: StoredConsent['categories']; vendors: string[] },
    explicit: boolean,
  ): Promise<StoredConsent> {
    const gpc = request.headers['sec-gpc'] === '1';
    // A choice made under GPC that the signal was not yet recorded for gets its gpc receipt first, so the
    // ledger shows that the signal was honoured before the visitor chose.
    const current = stored && stored.hash === registry.hash.slice(0, 16) ? stored : null;
    if (gpc && action !== 'gpc' && !current?.gpc) {
      const before = effectiveConsent(registry, stored, true);
      stored = await record(
        request,
        reply,
        'gpc',
        stored,
        { categories: [...before.categories], vendors: before.vendors.map((v) => v.template.id) },
        current?.explicit ?? false,
      );
    }
    const state: StoredConsent = {
      id: stored?.id ?? newConsentId(),
      hash: registry.hash.slice(0, 16),
      categories: choices.categories,
      vendors: choices.vendors,
      explicit,
      gpc,
      linked: request.viewer ? accountTag(request.viewer.userId) : '',
    };
    const agent = summariseAgent(request.headers['user-agent']);
    await recordConsent(deps.db, {
      consentId: state.id,
      now: () => deps.clock.now(),
      policyHash: registry.hash,
      locale: request.lang,
      bannerHash: bannerHash(request.lang, registry, gpc),
      choices: { categories: state.categories, vendors: state.vendors },
      action,
      ipAnon: anonymiseIp(request.ip),
      browser: agent.browser,
      userId: request.viewer?.userId ?? null,
    });
    saveState(reply, state);
    request.consent = effectiveConsent(registry, state, gpc);
    return state;
  }

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
      const head = request.vendorFree
        ? html``
        : vendorTags(
            registry,
            consent,
            tcf && tcString !== null ? { cmpId: tcf.cmpId, cmpVersion: tcf.cmpVersion, tcString } : null,
          );
      // Nothing to ask: no vendors, or (with GPC) only marketing ones.
      if (!consent.ask || !registry.vendors.some((v) => !(consent.gpc && v.template.category === 'marketing')))
        return { head, banner: html`` };
      // The banner depends only on these, never on who the visitor is.
      const key = `${request.lang}|${consent.gpc ? 1 : 0}|${consent.stored ? `${consent.stored.hash}${consent.stored.explicit ? 'e' : ''}` : '-'}|${[...consent.categories].join(',')}|${consent.vendors.map((v) => v.template.id).join(',')}`;
      let banner = bannerCache.get(key);
      if (!banner) {
        banner = consentBanner(request.lang as Lang, registry, consent);
        if (bannerCache.size < 200) bannerCache.set(key, banner);
      }
      return { head, banner };
    };
  });

  app.addHook('onSend', async (request, reply, payload) => {
    const consent = request.consent;
    if (!consent) return payload;
    // The consent itself stays as it is (its cookies are kept), but a sensitive answer admits no vendor host.
    const vendors = request.vendorFree ? [] : consent.vendors;
    const key = vendors.map((v) => v.template.id).join(',');
    let csp = cspCache.get(key);
    if (!csp) cspCache.set(key, (csp = buildCsp({ vendors }, https)));
    reply.header('content-security-policy', csp);
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

  app.post(
    '/consent',
    {
      config: { csrfExempt: true },
      schema: { body: ConsentForm },
    },
    async (request, reply) => {
      // No form token (so that the banner sets no cookie before a choice); the browser must show instead that
      // the form came from this site, which every browser with <dialog> does through Sec-Fetch-Site or Origin.
      if (!provesSameOrigin(request, deps.config.baseUrl)) throw errors.foreignOrigin();
      const ours = new URL(deps.config.baseUrl).origin;
      const body = request.body;
      const list = (v: string | string[] | undefined) => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
      const choices = choicesFor(
        registry,
        body.action,
        { categories: list(body.categories), vendors: list(body.vendors) },
        request.consent.gpc,
      );
      await record(request, reply, body.action, request.consent.stored, choices, true);
      const referer = request.headers.referer;
      let back = '/';
      if (referer) {
        try {
          const url = new URL(referer);
          if (url.origin === ours || url.host === request.host) back = `${url.pathname}${url.search}`;
        } catch {
          back = '/';
        }
      }
      return reply.header('cache-control', 'no-store').redirect(/^\/(?![/\\])/.test(back) ? back : '/', 303);
    },
  );

  registerConsentAssetRoutes(app, registry, tcf);
}
