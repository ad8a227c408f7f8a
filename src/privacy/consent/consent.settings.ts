// The cookie settings page (/cookies, linked from every page's footer): choices per category and vendor,
// withdrawal, every cookie with its category, and the visitor's own receipts. Also the same as JSON.
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { html } from '../../platform/html.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { layout, pageContext } from '../../features/shell/index.ts';
import { cookieTable } from '../policy.document.ts';
import { receiptsTable, settingsForm } from './consent.pages.ts';
import { listConsentRecordsOf } from './consent.queries.ts';

export function registerConsentPages(app: FastifyInstance, deps: Deps): void {
  const registry = deps.consent;

  app.get('/cookies', async (request, reply) => {
    const ctx = pageContext(request, deps);
    const t = (text: Text) => tr(ctx.lang, text);
    const consent = request.consent;
    const receipts = consent.stored ? await listConsentRecordsOf(deps.db, consent.stored.id) : [];
    const title = t({ en: 'Cookie settings', de: 'Cookie-Einstellungen' });
    // The banner is not repeated on the page that holds the same form.
    const page = layout(
      { ...ctx, consentView: () => ({ head: ctx.consentView().head, banner: html`` }) },
      title,
      html`<h1>${title}</h1>
<p>${t({
        en: 'Necessary cookies keep the site working. Everything else loads only with your consent, which you can give, change or withdraw here at any time; a change takes effect on the next page.',
        de: 'Notwendige Cookies halten die Website in Betrieb. Alles andere wird nur mit Ihrer Einwilligung geladen, die Sie hier jederzeit erteilen, ändern oder widerrufen können; eine Änderung wirkt ab der nächsten Seite.',
      })} <a href="/privacy">${t({ en: 'Privacy policy', de: 'Datenschutzerklärung' })}</a></p>
${consent.gpc ? html`<p class="notice">${t({ en: 'Your browser sends the Global Privacy Control signal: marketing stays off unless you switch it on here.', de: 'Ihr Browser sendet das Signal „Global Privacy Control“: Marketing bleibt aus, solange Sie es hier nicht einschalten.' })}</p>` : ''}
${registry.vendors.length > 0 ? settingsForm(ctx.lang, registry, consent, 'page') : html`<p>${t({ en: 'This site uses no services of other companies, so there is nothing to agree to.', de: 'Diese Website nutzt keine Dienste anderer Unternehmen; es gibt daher nichts einzuwilligen.' })}</p>`}
${consent.stored && consent.stored.categories.length > 0
  ? html`<form method="post" action="/consent"><button type="submit" name="action" value="withdraw" class="secondary">${t({ en: 'Withdraw all consent', de: 'Alle Einwilligungen widerrufen' })}</button></form>`
  : ''}
<h2>${t({ en: 'Cookies', de: 'Cookies' })}</h2>
${cookieTable(ctx.lang, registry, deps.config.operator.company)}
<h2>${t({ en: 'Your receipts', de: 'Ihre Belege' })}</h2>
${receiptsTable(ctx.lang, receipts, registry)}`,
    );
    return sendPage(reply.header('cache-control', 'no-store'), page);
  });

  app.get('/api/v1/consent', {
      schema: {
        summary: 'My consent in this browser and its receipts',
        tags: ['consent'],
        response: {
          200: {
            type: 'object',
            properties: {
              policyHash: { type: 'string' },
              gpc: { type: 'boolean' },
              ask: { type: 'boolean' },
              categories: { type: 'array', items: { type: 'string' } },
              vendors: { type: 'array', items: { type: 'string' } },
              receipts: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    seq: { type: 'integer' },
                    at: { type: 'string' },
                    action: { type: 'string' },
                    choices: { type: 'object', properties: { categories: { type: 'array', items: { type: 'string' } }, vendors: { type: 'array', items: { type: 'string' } } } },
                    policyHash: { type: 'string' },
                    hash: { type: 'string' },
                  },
                },
              },
            },
          },
        },
      },
    }, async (request) => {
    const consent = request.consent;
    const receipts = consent.stored ? await listConsentRecordsOf(deps.db, consent.stored.id) : [];
    return {
      policyHash: registry.hash,
      gpc: consent.gpc,
      ask: consent.ask,
      categories: [...consent.categories],
      vendors: consent.vendors.map((v) => v.template.id),
      receipts: receipts.map((r) => ({ seq: Number(r.seq), at: new Date(Number(r.recorded_at)).toISOString(), action: r.action, choices: JSON.parse(r.choices), policyHash: r.policy_hash, hash: r.hash })),
    };
  });
}
