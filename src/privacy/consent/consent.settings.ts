// The cookie settings page (/cookies, linked from every page's footer): choices per category and vendor,
// withdrawal, every cookie with its category, and the visitor's own receipts. Also the same as JSON.
import Type, { type Static } from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { html } from '../../platform/html.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { cookieTable } from '../policy.cookies.ts';
import { receiptsTable, savedChoiceText, settingsForm } from './consent.pages.ts';
import { listConsentRecordsOf } from './consent.queries.ts';
import { layout, pageContext, sendPage } from '../../web/index.ts';

const SavedQuery = Type.Object({ saved: Type.Optional(Type.String({ maxLength: 5 })) });

const Choices = Type.Object({ categories: Type.Array(Type.String()), vendors: Type.Array(Type.String()) });
type Choices = Static<typeof Choices>;

const MyConsent = Type.Object({
  policyHash: Type.String(),
  gpc: Type.Boolean(),
  ask: Type.Boolean(),
  categories: Type.Array(Type.String()),
  vendors: Type.Array(Type.String()),
  receipts: Type.Array(
    Type.Object({
      seq: Type.Integer(),
      at: Type.String(),
      action: Type.String(),
      choices: Choices,
      policyHash: Type.String(),
      hash: Type.String(),
    }),
  ),
});

export function registerConsentPages(app: App, deps: Pick<Deps, 'db' | 'config' | 'consent' | 'dataMap'>): void {
  const registry = deps.consent;
  // Pages where a person objects to processing without consent (our cookieless statistics): offered beside the choices.
  const objectLinks = deps.dataMap.links.filter((l) => l.right === 'object');

  app.get('/cookies', { schema: { querystring: SavedQuery } }, async (request, reply) => {
    const ctx = pageContext(request);
    const t = (text: Text) => tr(ctx.lang, text);
    const consent = request.consent;
    const receipts = consent.stored ? await listConsentRecordsOf(deps.db, consent.stored.id) : [];
    const title = t({ en: 'Cookie settings', de: 'Cookie-Einstellungen' });
    // The banner is not repeated on the page that holds the same form.
    const page = layout(
      { ...ctx, slots: () => ({ head: ctx.slots().head, top: html`` }) },
      title,
      html`<h1>${title}</h1>
<p>${t({
        en: 'Necessary cookies keep the site working. Everything else loads only with your consent, which you can give, change or withdraw here at any time; a change takes effect on the next page.',
        de: 'Notwendige Cookies halten die Website in Betrieb. Alles andere wird nur mit Ihrer Einwilligung geladen, die Sie hier jederzeit erteilen, ändern oder widerrufen können; eine Änderung wirkt ab der nächsten Seite.',
      })} <a href="/privacy">${t({ en: 'Privacy policy', de: 'Datenschutzerklärung' })}</a></p>
${request.query.saved === '1' ? html`<p class="notice consent-saved" role="status">${savedChoiceText(ctx.lang, registry, consent)}</p>` : ''}
${consent.gpc ? html`<p class="notice">${t({ en: 'Your browser sends the Global Privacy Control signal: marketing stays off unless you switch it on here.', de: 'Ihr Browser sendet das Signal „Global Privacy Control“: Marketing bleibt aus, solange Sie es hier nicht einschalten.' })}</p>` : ''}
${registry.vendors.length > 0 || registry.own.length > 0 ? settingsForm(ctx.lang, registry, consent, 'page') : html`<p>${t({ en: 'This site uses no services of other companies, so there is nothing to agree to.', de: 'Diese Website nutzt keine Dienste anderer Unternehmen; es gibt daher nichts einzuwilligen.' })}</p>`}
${
  consent.stored && consent.stored.categories.length > 0
    ? html`<form method="post" action="/consent"><button type="submit" name="action" value="withdraw" class="secondary">${t({ en: 'Withdraw all consent', de: 'Alle Einwilligungen widerrufen' })}</button></form>`
    : ''
}
${objectLinks.map((l) => html`<p class="consent-object"><a href="${l.href}">${t(l.label)}</a>${l.note ? ` (${t(l.note)})` : ''}</p>`)}
<h2>${t({ en: 'Cookies', de: 'Cookies' })}</h2>
${cookieTable(ctx.lang, registry, deps.config.operator.company)}
<h2>${t({ en: 'Your receipts', de: 'Ihre Belege' })}</h2>
${receiptsTable(ctx.lang, receipts, registry, ctx.timeZone)}`,
    );
    return sendPage(reply.header('cache-control', 'no-store'), page);
  });

  app.get(
    '/api/v1/consent',
    {
      schema: {
        summary: 'My consent in this browser and its receipts',
        tags: ['consent'],
        response: { 200: MyConsent },
      },
    },
    async (request) => {
      const consent = request.consent;
      const receipts = consent.stored ? await listConsentRecordsOf(deps.db, consent.stored.id) : [];
      return {
        policyHash: registry.hash,
        gpc: consent.gpc,
        ask: consent.ask,
        categories: [...consent.categories],
        vendors: consent.vendors.map((v) => v.template.id),
        receipts: receipts.map((r) => ({
          seq: Number(r.seq),
          at: new Date(Number(r.recorded_at)).toISOString(),
          action: r.action,
          choices: parseChoices(r.choices),
          policyHash: r.policy_hash,
          hash: r.hash,
        })),
      };
    },
  );
}

/** A receipt's choices as recorded (JSON written by the ledger). */
function parseChoices(json: string): Choices {
  const parsed: unknown = JSON.parse(json);
  const list = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
  if (typeof parsed !== 'object' || parsed === null) return { categories: [], vendors: [] };
  return { categories: list(Reflect.get(parsed, 'categories')), vendors: list(Reflect.get(parsed, 'vendors')) };
}
