// Objection to advertising: in the account (signed in) and by one-click link from each such mail (signed token).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail } from '../../platform/http/context.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { accountAdvertisingPage, optedOutPage, optOutPage } from './advertising.pages.ts';
import { findObjection } from './advertising.queries.ts';
import { allowSuggestions, objectToSuggestions, validOptOut } from './advertising.service.ts';
import { acceptOneClickForms } from '../../web/one-click.ts';

const OPT_OUT_PATH = '/advertising/opt-out';
/** The link's `u` is a user id (a UUID); the kept cookie holds it followed by the signature `t`. */
const USER_ID_LENGTH = 36;

const ObjectionForm = formBody({ object: formText(200) });
/** The one-click POST (RFC 8058) sends `List-Unsubscribe=One-Click`; nothing in the body is read. */
const OptOutForm = formBody({});
const OptOutQuery = Type.Object({
  u: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 64 })),
});

export async function registerAdvertisingRoutes(app: App, deps: Deps): Promise<void> {
  // Its one-click target (RFC 8058) reads multipart bodies too, as mailbox providers are asked to send them.
  await acceptOneClickForms(app);
  const cookies = cookiePolicy(deps.config.baseUrl);

  app.get('/account/advertising', async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const objected = await findObjection(deps.db, viewer.userId);
    return sendPage(reply, accountAdvertisingPage(pageContext(request), objected !== undefined));
  });

  app.post('/account/advertising', { schema: { body: ObjectionForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    if (request.body.object === 'yes') await objectToSuggestions(deps, viewer.userId, 'account');
    else await allowSuggestions(deps, viewer.userId);
    return reply.redirect('/account/advertising', 303);
  });

  // The link in each mail: a page with one button (a GET never changes anything, so link scanners do no harm). As
  // with reset links, the signed token leaves the address at once for a short-lived cookie of this path.
  app.get(
    OPT_OUT_PATH,
    { config: { secretPath: true, tokenLink: true }, schema: { querystring: OptOutQuery } },
    async (request, reply) => {
      const { u, t } = request.query;
      if (u || t) {
        if (!u || !t || !validOptOut(deps.config.secret, u, t)) throw errors.badToken();
        return moveLinkTokenToCookie(reply, cookies, OPT_OUT_PATH, `${u}${t}`);
      }
      return sendPage(reply, optOutPage(pageContext(request), OPT_OUT_PATH));
    },
  );

  // ...and the RFC 8058 one-click POST that mail clients send. The signed token replaces the CSRF check.
  // From our own page the token comes in the SameSite=Strict cookie, which no other site can make a browser send.
  app.post(
    OPT_OUT_PATH,
    {
      config: { secretPath: true, tokenLink: true, csrfExempt: true },
      schema: { querystring: OptOutQuery, body: OptOutForm },
    },
    async (request, reply) => {
      const query = request.query;
      const kept = linkTokenOf(request, cookies);
      const [u, t] =
        query.u || query.t ? [query.u, query.t] : [kept.slice(0, USER_ID_LENGTH), kept.slice(USER_ID_LENGTH)];
      if (!u || !t || !validOptOut(deps.config.secret, u, t)) throw errors.badToken();
      await objectToSuggestions(deps, u, 'mail');
      clearLinkToken(reply, cookies, OPT_OUT_PATH);
      return sendPage(reply, optedOutPage(pageContext(request)));
    },
  );
}
