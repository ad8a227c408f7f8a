// Objection to advertising: in the account (signed in) and by one-click link from each such mail (signed token).
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { html } from '../../platform/html.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { tr } from '../../platform/i18n.ts';
import { csrfField, layout, pageContext } from '../shell/index.ts';
import { findObjection, recordObjection, withdrawObjection } from './advertising.queries.ts';
import { validOptOut } from './advertising.service.ts';

const formBody = { type: 'object', additionalProperties: { type: 'string', maxLength: 200 } };
const OPT_OUT_PATH = '/advertising/opt-out';
/** The link's `u` is a user id (a UUID); the kept cookie holds it followed by the signature `t`. */
const USER_ID_LENGTH = 36;
const optOutQuery = { type: 'object', properties: { u: { type: 'string', maxLength: 64 }, t: { type: 'string', maxLength: 64 } } };

export function registerAdvertisingRoutes(app: FastifyInstance, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  app.get('/account/advertising', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const ctx = pageContext(request, deps);
    const objected = await findObjection(deps.db, viewer.userId);
    const title = tr(ctx.lang, { en: 'Product suggestions by email', de: 'Produktvorschläge per E-Mail' });
    return sendPage(reply, 
      layout(
        ctx,
        title,
        html`<h1>${title}</h1>
<p>${tr(ctx.lang, { en: 'As a customer you may get emails about products similar to those you bought (§7(3) UWG). You can object at any time.', de: 'Als Kunde erhalten Sie ggf. E-Mails zu Produkten, die den gekauften ähneln (§7 Abs. 3 UWG). Sie können jederzeit widersprechen.' })}</p>
<p role="status"><strong>${objected ? tr(ctx.lang, { en: 'You have objected: you get no such emails.', de: 'Sie haben widersprochen: Sie erhalten keine solchen E-Mails.' }) : tr(ctx.lang, { en: 'You may get such emails.', de: 'Sie können solche E-Mails erhalten.' })}</strong></p>
<form method="post" action="/account/advertising">${csrfField(ctx)}<input type="hidden" name="object" value="${objected ? 'no' : 'yes'}">
<button type="submit">${objected ? tr(ctx.lang, { en: 'Allow suggestions again', de: 'Vorschläge wieder erlauben' }) : tr(ctx.lang, { en: 'No product suggestions, please', de: 'Bitte keine Produktvorschläge' })}</button></form>`,
      ),
    );
  });

  app.post('/account/advertising', { schema: { body: formBody } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    if ((request.body as Record<string, string>).object === 'yes') await recordObjection(deps.db, viewer.userId, deps.clock.now(), 'account');
    else await withdrawObjection(deps.db, viewer.userId);
    return reply.redirect('/account/advertising', 303);
  });

  // The link in each mail: a page with one button (a GET never changes anything, so link scanners do no harm). As
  // with reset links, the signed token leaves the address at once for a short-lived cookie of this path.
  app.get('/advertising/opt-out', { config: { secretPath: true, tokenLink: true }, schema: { querystring: optOutQuery } }, async (request, reply) => {
    const q = request.query as { u?: string; t?: string };
    if (q.u || q.t) {
      if (!q.u || !q.t || !validOptOut(deps.config.secret, q.u, q.t)) throw errors.badToken();
      return moveLinkTokenToCookie(reply, cookies, OPT_OUT_PATH, `${q.u}${q.t}`);
    }
    const ctx = pageContext(request, deps);
    const title = tr(ctx.lang, { en: 'No more product suggestions', de: 'Keine Produktvorschläge mehr' });
    return sendPage(reply, layout(ctx, title, html`<h1>${title}</h1><form method="post" action="${OPT_OUT_PATH}"><button type="submit">${tr(ctx.lang, { en: 'Confirm: no more such emails', de: 'Bestätigen: keine solchen E-Mails mehr' })}</button></form>`));
  });

  // ...and the RFC 8058 one-click POST that mail clients send. The signed token replaces the CSRF check.
  // From our own page the token comes in the SameSite=Strict cookie, which no other site can make a browser send.
  app.post('/advertising/opt-out', { config: { secretPath: true, tokenLink: true, csrfExempt: true }, schema: { querystring: optOutQuery, body: formBody } }, async (request, reply) => {
    const q = request.query as { u?: string; t?: string };
    const kept = linkTokenOf(request, cookies);
    const [u, t] = q.u || q.t ? [q.u, q.t] : [kept.slice(0, USER_ID_LENGTH), kept.slice(USER_ID_LENGTH)];
    if (!u || !t || !validOptOut(deps.config.secret, u, t)) throw errors.badToken();
    await recordObjection(deps.db, u, deps.clock.now(), 'mail');
    clearLinkToken(reply, cookies, OPT_OUT_PATH);
    const ctx = pageContext(request, deps);
    const title = tr(ctx.lang, { en: 'Done', de: 'Erledigt' });
    return sendPage(reply, layout(ctx, title, html`<h1>${title}</h1><p role="status">${tr(ctx.lang, { en: 'You will get no more product suggestions by email.', de: 'Sie erhalten keine Produktvorschläge per E-Mail mehr.' })}</p>`));
  });
}
