// Public competition routes: the page with its entry form, the JSON entry API, and the pages behind the mailed
// confirm and withdraw links (a GET moves the token into a short-lived cookie and shows a button; only the POST
// acts). The account's list of entries with a withdraw button. Entries are rate-limited per IP; per address, at
// most one mail goes out per entry, and a second sign-up answers the same as the first.
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail } from '../../platform/http/context.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { errorRef } from '../../platform/http/schemas.ts';
import { tr, type Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { findUserById } from '../accounts/index.ts';
import {
  accountCompetitionsPage,
  competitionPage,
  confirmEntryPage,
  linkButtonPage,
  withdrawEntryPage,
  type EntryFormValues,
} from './competitions.pages.ts';
import { listEntriesOfAddress } from './competitions.queries.ts';
import {
  CONFIRM_PATH,
  confirmationOf,
  confirmCompetitionEntry,
  enterCompetition,
  findOpenCompetition,
  participationText,
  participationVersion,
  splitKeptToken,
  withdrawalOf,
  withdrawCompetitionEntry,
  withdrawOwnEntry,
  WITHDRAW_PATH,
} from './competitions.service.ts';

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9-]+$' }) });
const EntryForm = formBody({
  givenName: formText(200),
  surname: formText(200),
  email: formText(254),
  country: formText(2),
  accept: formText(3),
  version: formText(64),
});
const EntryBody = Type.Object(
  {
    givenName: Type.String({ minLength: 1, maxLength: 200 }),
    surname: Type.String({ minLength: 1, maxLength: 200 }),
    email: Type.String({ minLength: 3, maxLength: 254 }),
    country: Type.String({ minLength: 2, maxLength: 2, pattern: '^[A-Z]{2}$' }),
    acceptConditions: Type.Boolean({
      description: 'The entrant accepts the conditions of participation (must be true).',
    }),
  },
  { additionalProperties: false },
);
const EntryAccepted = Type.Object({
  status: Type.Unsafe<'pending'>({ type: 'string', enum: ['pending'] }),
  message: Type.String(),
});
const LinkQuery = Type.Object({
  r: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 64 })),
});
const WithdrawOwnForm = formBody({ entry: formText(64) });
const AccountQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });

const acceptedText: Text = {
  en: 'Thank you. Your entry counts once you confirm it with the link we emailed; if the address has entered before, nothing new is sent.',
  de: 'Vielen Dank. Ihre Teilnahme zählt, sobald Sie sie mit dem per E-Mail gesandten Link bestätigen; hat die Adresse schon teilgenommen, senden wir nichts Neues.',
};

export function registerCompetitionRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const entryLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: 60_000 } };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    slug: string,
    status = 200,
    form: { values?: EntryFormValues; errors?: Record<string, Text>; message?: Text; done?: boolean } = {},
  ) => {
    const c = await findOpenCompetition(deps, slug);
    const participation = participationText(c, request.lang);
    return sendPage(
      reply,
      competitionPage(pageContext(request), c, deps.clock.now(), {
        participation,
        version: participationVersion(participation),
        ...form,
      }),
      status,
    );
  };

  app.get('/competitions/:slug', { schema: { params: SlugParams } }, async (request, reply) =>
    page(request, reply, request.params.slug),
  );

  app.post(
    '/competitions/:slug',
    { config: entryLimit, schema: { params: SlugParams, body: EntryForm } },
    async (request, reply) => {
      const body = request.body;
      const values = { givenName: body.givenName, surname: body.surname, email: body.email, country: body.country };
      try {
        await enterCompetition(deps, request.params.slug, { ...values, accept: body.accept === 'yes' }, request.lang);
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500 || err.status === 404 || err.status === 429) throw err;
        return page(request, reply, request.params.slug, err.status, { values, errors: err.fields, message: err.text });
      }
      return page(request, reply, request.params.slug, 200, { done: true });
    },
  );

  app.post(
    '/api/v1/competitions/:slug/entries',
    {
      config: entryLimit,
      schema: {
        summary: 'Enter a competition',
        tags: ['competitions'],
        description:
          'Records the entry and emails a confirmation link to the address; the entry counts only once confirmed. ' +
          'An address that entered before gets the same answer and no new mail. 409 before the start, 410 after the end.',
        params: SlugParams,
        body: EntryBody,
        response: { 202: EntryAccepted, 400: errorRef, 404: errorRef, 409: errorRef, 410: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const { givenName, surname, email, country, acceptConditions } = request.body;
      await enterCompetition(
        deps,
        request.params.slug,
        { givenName, surname, email, country, accept: acceptConditions },
        request.lang,
      );
      return reply.code(202).send({ status: 'pending', message: tr(request.lang, acceptedText) });
    },
  );

  // The links in the confirmation mail. `r` is the entry's public link reference, `t` its signed token.
  const linkRoutes = (
    path: string,
    validLink: (r: string, t: string) => Promise<unknown>,
    show: (request: FastifyRequest, r: string, t: string) => Promise<string>,
    act: (request: FastifyRequest, r: string, t: string) => Promise<string>,
    blank: (request: FastifyRequest) => string,
  ) => {
    app.get(
      path,
      { config: { secretPath: true, tokenLink: true }, schema: { querystring: LinkQuery } },
      async (request, reply) => {
        const { r, t } = request.query;
        if (r || t) {
          if (!r || !t) throw errors.badToken();
          await validLink(r, t);
          return moveLinkTokenToCookie(reply, cookies, path, `${r}${t}`);
        }
        const kept = linkTokenOf(request, cookies);
        // Arriving from a webmail, the strict cookie may be missing on this first view: the button still works.
        if (!kept) return sendPage(reply, blank(request));
        const { r: keptR, t: keptT } = splitKeptToken(kept);
        return sendPage(reply, await show(request, keptR, keptT));
      },
    );
    app.post(
      path,
      { config: { secretPath: true, tokenLink: true }, schema: { body: formBody({}) } },
      async (request, reply) => {
        const kept = linkTokenOf(request, cookies);
        if (!kept) throw errors.badToken();
        const { r, t } = splitKeptToken(kept);
        const body = await act(request, r, t);
        clearLinkToken(reply, cookies, path);
        return sendPage(reply, body);
      },
    );
  };

  linkRoutes(
    CONFIRM_PATH,
    (r, t) => confirmationOf(deps, r, t),
    async (request, r, t) => {
      const { entry, competition } = await confirmationOf(deps, r, t);
      return confirmEntryPage(pageContext(request), competition, entry.status !== 'pending');
    },
    async (request, r, t) => confirmEntryPage(pageContext(request), await confirmCompetitionEntry(deps, r, t), true),
    (request) => linkButtonPage(pageContext(request), CONFIRM_PATH, 'confirm'),
  );

  linkRoutes(
    WITHDRAW_PATH,
    (r, t) => withdrawalOf(deps, r, t),
    async (request, r, t) => withdrawEntryPage(pageContext(request), await withdrawalOf(deps, r, t), false),
    async (request, r, t) => {
      const c = await withdrawalOf(deps, r, t);
      await withdrawCompetitionEntry(deps, r, t);
      return withdrawEntryPage(pageContext(request), c, true);
    },
    (request) => linkButtonPage(pageContext(request), WITHDRAW_PATH, 'withdraw'),
  );

  app.get('/account/competitions', { schema: { querystring: AccountQuery } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await findUserById(deps.db, viewer.userId);
    const entries = user ? await listEntriesOfAddress(deps.db, user.email) : [];
    const notice =
      request.query.notice === 'withdrawn'
        ? { en: 'The entry is withdrawn and deleted.', de: 'Die Teilnahme ist zurückgezogen und gelöscht.' }
        : undefined;
    return sendPage(reply, accountCompetitionsPage(pageContext(request), entries, notice));
  });

  app.post('/account/competitions/withdraw', { schema: { body: WithdrawOwnForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await findUserById(deps.db, viewer.userId);
    if (!user) throw errors.notFound();
    await withdrawOwnEntry(deps, user.email, request.body.entry ?? '');
    return reply.redirect('/account/competitions?notice=withdrawn', 303);
  });
}
