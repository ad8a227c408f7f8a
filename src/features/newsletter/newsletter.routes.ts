// The newsletter's routes: sign-up (page and API), the confirmation link (GET shows a button, POST confirms), the
// unsubscribe links (the RFC 8058 one-click POST, the page with the choices, and the API), and the account's list
// of subscriptions. Link tokens leave the address for a SameSite=Strict cookie of the page (link-token.ts).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail } from '../../platform/http/context.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { tr, type Lang } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { findUserById } from '../accounts/index.ts';
import { ONE_CLICK_PATH, UNSUBSCRIBE_PAGE_PATH } from './newsletter.links.ts';
import {
  accountSubscriptionsPage,
  confirmedPage,
  confirmPage,
  newsletterPage,
  signUpReceived,
  signUpReceivedPage,
  unsubscribedPage,
  unsubscribePage,
} from './newsletter.pages.ts';
import {
  checkConfirmLink,
  checkUnsubscribeLink,
  CONFIRM_PATH,
  CONFIRM_REF_LENGTH,
  confirmSubscription,
  listSubscriptionsOfEmail,
  NEWSLETTER,
  requestSubscription,
  resumeSimilarProductsFromAccount,
  SIMILAR_PRODUCTS_LIST,
  subscribeFromAccount,
  TOPIC_IDS,
  unsubscribe,
  type UnsubscribeScope,
} from './newsletter.service.ts';
import { acceptOneClickForms } from '../../web/one-click.ts';

const SignUpForm = formBody({
  email: formText(300),
  lang: formText(5),
  ...Object.fromEntries(TOPIC_IDS.map((id) => [`topic-${id}`, formText(5)])),
});

const SignUpBody = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: 300, description: 'The only required field.' }),
    topics: Type.Optional(
      Type.Array(Type.Unsafe<string>({ type: 'string', enum: TOPIC_IDS }), {
        maxItems: TOPIC_IDS.length,
        description: 'Topic ids; none: all topics.',
      }),
    ),
    lang: Type.Optional(Type.Unsafe<Lang>({ type: 'string', enum: ['en', 'de'] })),
  },
  { additionalProperties: false },
);
const SignUpReply = Type.Object({ status: Type.Literal('check-your-inbox'), message: Type.String() });

const ConfirmQuery = Type.Object({
  r: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 64 })),
});
const UnsubscribeQuery = Type.Object({
  s: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 64 })),
});
/** The one-click POST (RFC 8058) sends `List-Unsubscribe=One-Click`; the page's form sends the scope. */
const UnsubscribeForm = formBody({ 'List-Unsubscribe': formText(20), scope: formText(10) });
const ConfirmForm = formBody({});
const UnsubscribeBody = Type.Object(
  {
    subscription: Type.String({ minLength: 1, maxLength: 64 }),
    token: Type.String({ minLength: 1, maxLength: 64 }),
    scope: Type.Optional(Type.Unsafe<UnsubscribeScope>({ type: 'string', enum: ['list', 'all'] })),
  },
  { additionalProperties: false },
);
const UnsubscribeReply = Type.Object({ status: Type.Literal('unsubscribed'), scope: Type.String() });
const SwitchForm = formBody({ list: formText(40), on: formText(5) });
const AccountQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 10 })) });

/** A subscription id is a UUID (36 characters); the kept cookie holds it followed by its token. */
const ID_LENGTH = 36;

export async function registerNewsletterRoutes(app: App, deps: Deps): Promise<void> {
  // Its one-click target (RFC 8058) reads multipart bodies too, as mailbox providers are asked to send them.
  await acceptOneClickForms(app);
  const cookies = cookiePolicy(deps.config.baseUrl);
  const langOf = (value: string | undefined, fallback: Lang): Lang =>
    value === 'en' || value === 'de' ? value : fallback;

  // The form takes an address and its answers show it again: sensitive, so no vendor tag runs beside it. The
  // token pages declare `tokenLink` and the account page lies under /account, so no prefix of our own is needed.
  app.get('/newsletter', { config: { sensitive: true } }, async (request, reply) =>
    sendPage(reply, newsletterPage(pageContext(request))),
  );

  // Each sign-up sends a mail: one address gets at most one an hour (the service's limit); one sender of requests
  // gets sign-ups at the rate of the sign-in forms, so nobody can use the shop to mail many strangers at once.
  const signUpLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute * 3, timeWindow: 60_000 } };

  app.post(
    '/newsletter',
    { config: { sensitive: true, ...signUpLimit }, schema: { body: SignUpForm } },
    async (request, reply) => {
      const form: Record<string, string | undefined> = request.body;
      const topics = TOPIC_IDS.filter((id) => form[`topic-${id}`] === '1');
      const values = { email: form.email ?? '', topics, lang: form.lang };
      try {
        await requestSubscription(deps, {
          email: values.email,
          topics,
          lang: langOf(form.lang, request.lang),
          ip: request.ip,
          source: 'newsletter-page',
          origin: 'double-opt-in',
        });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return sendPage(reply, newsletterPage(pageContext(request), values, err.fields), err.status);
      }
      return sendPage(reply, signUpReceivedPage(pageContext(request)), 202);
    },
  );

  app.post(
    '/api/v1/newsletter/subscriptions',
    {
      config: signUpLimit,
      schema: {
        summary:
          'Subscribe an address to the newsletter (double opt-in: a mail with a confirmation link follows). The ' +
          'answer is the same whether or not the address is subscribed already.',
        tags: ['newsletter'],
        body: SignUpBody,
        response: { 202: SignUpReply, 400: errorRef },
      },
    },
    async (request, reply) => {
      await requestSubscription(deps, {
        email: request.body.email,
        topics: request.body.topics ?? [],
        lang: request.body.lang ?? request.lang,
        ip: request.ip,
        source: 'api',
        origin: 'double-opt-in',
      });
      return reply.code(202).send({ status: 'check-your-inbox' as const, message: tr(request.lang, signUpReceived) });
    },
  );

  // The confirmation link: checked (400 altered, 410 expired), its token moved into a cookie, then a button.
  app.get(
    CONFIRM_PATH,
    { config: { secretPath: true, tokenLink: true }, schema: { querystring: ConfirmQuery } },
    async (request, reply) => {
      const { r, t } = request.query;
      if (r || t) {
        if (!r || !t) throw errors.badToken();
        await checkConfirmLink(deps, r, t);
        return moveLinkTokenToCookie(reply, cookies, CONFIRM_PATH, `${r}${t}`);
      }
      return sendPage(reply, confirmPage(pageContext(request), CONFIRM_PATH));
    },
  );
  // Only this POST, from our page with the kept token, confirms: link scanners that follow GETs confirm nobody.
  app.post(
    CONFIRM_PATH,
    {
      config: { secretPath: true, tokenLink: true, csrfExempt: true },
      schema: { querystring: ConfirmQuery, body: ConfirmForm },
    },
    async (request, reply) => {
      const kept = linkTokenOf(request, cookies);
      const [r, t] = [kept.slice(0, CONFIRM_REF_LENGTH), kept.slice(CONFIRM_REF_LENGTH)];
      if (!r || !t) throw errors.badToken();
      await confirmSubscription(deps, r, t);
      clearLinkToken(reply, cookies, CONFIRM_PATH);
      return sendPage(reply, confirmedPage(pageContext(request)));
    },
  );

  // The visible link and a GET of the one-click address: the page with the choices (a GET changes nothing).
  const showUnsubscribe = async (
    request: { query: { s?: string; t?: string } },
    reply: Parameters<typeof moveLinkTokenToCookie>[0],
  ) => {
    const { s, t } = request.query;
    if (!s || !t) throw errors.badToken();
    await checkUnsubscribeLink(deps, s, t);
    return moveLinkTokenToCookie(reply, cookies, UNSUBSCRIBE_PAGE_PATH, `${s}${t}`);
  };
  app.get(
    UNSUBSCRIBE_PAGE_PATH,
    { config: { secretPath: true, tokenLink: true }, schema: { querystring: UnsubscribeQuery } },
    async (request, reply) => {
      if (request.query.s || request.query.t) return showUnsubscribe(request, reply);
      return sendPage(reply, unsubscribePage(pageContext(request), UNSUBSCRIBE_PAGE_PATH));
    },
  );
  app.get(
    ONE_CLICK_PATH,
    { config: { secretPath: true, tokenLink: true }, schema: { querystring: UnsubscribeQuery } },
    async (request, reply) => showUnsubscribe(request, reply),
  );
  // The page's POST: the token from the SameSite=Strict cookie (no other site can make a browser send it).
  app.post(
    UNSUBSCRIBE_PAGE_PATH,
    {
      config: { secretPath: true, tokenLink: true, csrfExempt: true },
      schema: { querystring: UnsubscribeQuery, body: UnsubscribeForm },
    },
    async (request, reply) => {
      const kept = linkTokenOf(request, cookies);
      const row = await checkUnsubscribeLink(deps, kept.slice(0, ID_LENGTH), kept.slice(ID_LENGTH));
      const scope: UnsubscribeScope = request.body.scope === 'all' ? 'all' : 'list';
      await unsubscribe(deps, row, scope);
      clearLinkToken(reply, cookies, UNSUBSCRIBE_PAGE_PATH);
      return sendPage(reply, unsubscribedPage(pageContext(request), scope));
    },
  );
  // RFC 8058: mailbox providers POST `List-Unsubscribe=One-Click` here, with no cookie, Origin or form token; the
  // signed token in the address authenticates it. It unsubscribes from this list at once.
  app.post(
    ONE_CLICK_PATH,
    {
      config: { secretPath: true, tokenLink: true, csrfExempt: true },
      schema: { querystring: UnsubscribeQuery, body: UnsubscribeForm },
    },
    async (request, reply) => {
      const { s, t } = request.query;
      if (!s || !t) throw errors.badToken();
      const row = await checkUnsubscribeLink(deps, s, t);
      await unsubscribe(deps, row, 'list');
      return sendPage(reply, unsubscribedPage(pageContext(request), 'list'));
    },
  );

  app.post(
    '/api/v1/newsletter/unsubscribe',
    {
      config: { secretPath: true },
      schema: {
        summary:
          'Unsubscribe with the subscription id and token of an unsubscribe link: `list` (default) ends that ' +
          'subscription, `all` every marketing mail to the address',
        tags: ['newsletter'],
        body: UnsubscribeBody,
        response: { 200: UnsubscribeReply, 400: errorRef },
      },
    },
    async (request, reply) => {
      const row = await checkUnsubscribeLink(deps, request.body.subscription, request.body.token);
      const scope = request.body.scope ?? 'list';
      await unsubscribe(deps, row, scope);
      return reply.send({ status: 'unsubscribed' as const, scope });
    },
  );

  // ---- the account ----
  const accountOwner = async (userId: string) => {
    const user = await findUserById(deps.db, userId);
    if (!user) throw errors.notFound();
    return user;
  };

  app.get('/account/subscriptions', { schema: { querystring: AccountQuery } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await accountOwner(viewer.userId);
    const rows = (await listSubscriptionsOfEmail(deps.db, user.email)).map((r) => ({
      list: r.list,
      origin: r.origin,
      status: r.status,
      since: r.unsubscribed_at ?? r.confirmed_at ?? r.requested_at,
    }));
    const notice =
      request.query.done === 'pending'
        ? {
            en: 'We have sent a confirmation link to your address.',
            de: 'Wir haben einen Bestätigungslink an Ihre Adresse geschickt.',
          }
        : request.query.done === '1'
          ? { en: 'Saved.', de: 'Gespeichert.' }
          : undefined;
    return sendPage(reply, accountSubscriptionsPage(pageContext(request), rows, deps.config.operator.timeZone, notice));
  });

  app.post('/account/subscriptions', { schema: { body: SwitchForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await accountOwner(viewer.userId);
    const { list, on } = request.body;
    if ((list !== NEWSLETTER && list !== SIMILAR_PRODUCTS_LIST) || (on !== 'yes' && on !== 'no'))
      throw errors.invalid({ en: 'Choose a subscription to switch.', de: 'Wählen Sie ein Abonnement zum Umschalten.' });
    const row = (await listSubscriptionsOfEmail(deps.db, user.email)).find((r) => r.list === list);
    let done = '1';
    if (on === 'no') {
      if (row) await unsubscribe(deps, row, 'list', 'account');
    } else if (list === NEWSLETTER) {
      if (viewer.emailVerified)
        await subscribeFromAccount(deps, { userId: user.id, email: user.email, lang: request.lang, ip: request.ip });
      else {
        await requestSubscription(deps, {
          email: user.email,
          topics: [],
          lang: request.lang,
          ip: request.ip,
          source: 'account',
          origin: 'double-opt-in',
        });
        done = 'pending';
      }
    } else if (row) await resumeSimilarProductsFromAccount(deps, { userId: user.id, email: user.email });
    return reply.redirect(`/account/subscriptions?done=${done}`, 303);
  });
}
