// Recording a consent choice: the receipt in the ledger, then the signed cookie that carries the choice.
// Shared by the global plugin (the GPC receipt) and POST /consent (the visitor's choice).
import { createHmac } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { anonymiseIp } from '../usage-log/ip.ts';
import { summariseAgent } from '../usage-log/user-agent.ts';
import { bannerHash } from './consent.pages.ts';
import type { ConsentAction } from './consent.tables.ts';
import { recordConsent } from './ledger.ts';
import { effectiveConsent, encodeConsentCookie, newConsentId, type StoredConsent } from './state.ts';

const YEAR_SECONDS = 365 * 24 * 3600;

export type ConsentChoices = { categories: StoredConsent['categories']; vendors: string[] };

export interface ConsentRecorder {
  /** Which account a browser's consent was linked to, without naming it in the cookie. */
  accountTag(userId: string): string;
  saveState(reply: FastifyReply, state: StoredConsent): void;
  /** Writes the receipt and the cookie, and sets `request.consent` to the new state. */
  record(
    request: FastifyRequest,
    reply: FastifyReply,
    action: ConsentAction,
    stored: StoredConsent | null,
    choices: ConsentChoices,
    explicit: boolean,
  ): Promise<StoredConsent>;
}

export function consentRecorder(deps: Pick<Deps, 'db' | 'clock' | 'config' | 'consent'>): ConsentRecorder {
  const registry = deps.consent;
  const cookies = cookiePolicy(deps.config.baseUrl);
  const secret = deps.config.secret;
  const accountTag = (userId: string) =>
    createHmac('sha256', secret).update(`consent-link:${userId}`).digest('base64url').slice(0, 12);

  const saveState = (reply: FastifyReply, state: StoredConsent) =>
    void reply.setCookie(cookies.consent, encodeConsentCookie(secret, state), {
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
    choices: ConsentChoices,
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

  return { accountTag, saveState, record };
}
