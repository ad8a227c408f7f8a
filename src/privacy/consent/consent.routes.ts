// The consent feature's routes: POST /consent records every choice in the ledger; also the consent layer's own
// files (consent.assets.routes.ts) and the cookie settings page with its JSON (consent.settings.ts). The hooks
// that apply consent to every request are the global plugin (consent.plugin.ts).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { provesSameOrigin } from '../../platform/http/security.ts';
import { registerConsentAssetRoutes } from './consent.assets.routes.ts';
import { consentRecorder } from './consent.record.ts';
import { registerConsentPages } from './consent.settings.ts';
import { choicesFor } from './state.ts';
import { buildCmpApiScript } from './tcf.ts';

const ACTIONS = ['accept', 'reject', 'custom', 'withdraw'] as const;

/** One value or several: a form sends a field once per checked box. */
const oneOrMore = (maxLength: number, maxItems: number) =>
  Type.Union([Type.String({ maxLength }), Type.Array(Type.String({ maxLength }), { maxItems })]);

/** The banner's and the settings page's form; it carries no form token (see the route). */
const ConsentForm = Type.Object({
  action: Type.Enum(ACTIONS, { type: 'string' }),
  categories: Type.Optional(oneOrMore(40, 10)),
  vendors: Type.Optional(oneOrMore(60, 50)),
  /** The categories whose vendor boxes the form offered to choose from (see consent.pages.ts settingsForm). */
  offered: Type.Optional(oneOrMore(40, 10)),
});

export function registerConsentRoutes(
  app: App,
  deps: Pick<Deps, 'db' | 'clock' | 'config' | 'consent' | 'dataMap'>,
): void {
  const registry = deps.consent;
  const { record } = consentRecorder(deps);

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
        { categories: list(body.categories), vendors: list(body.vendors), offered: list(body.offered) },
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
      // Saved on the settings page: it confirms the choice in words (consent.settings.ts); elsewhere the banner is gone.
      if (back.split('?')[0] === '/cookies') back = '/cookies?saved=1';
      return reply.header('cache-control', 'no-store').redirect(/^\/(?![/\\])/.test(back) ? back : '/', 303);
    },
  );

  // The TCF API script needs no vendor list (the global plugin loads that for the TC strings).
  registerConsentAssetRoutes(app, registry, deps.config.operator.tcf ? { script: buildCmpApiScript } : null);
  registerConsentPages(app, deps);
}
