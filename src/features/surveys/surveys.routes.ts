// The invitee's side: the personal survey link (its token moves into a cookie at once), the form and the JSON API
// for one response per invitation; the account switch for consent; and the withdrawal link of every invitation,
// which also takes the RFC 8058 one-click POST (authenticated by its signed token, no CSRF token).
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireVerifiedEmail } from '../../platform/http/context.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { isLang } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import { giveConsent, withdrawConsent } from './surveys.consent.ts';
import { accountSurveysPage, surveyFormPage, surveyThanksPage, withdrawnPage, withdrawPage } from './surveys.pages.ts';
import { findConsent } from './surveys.queries.ts';
import {
  checkInvitation,
  loadSurvey,
  submitResponse,
  surveyAnswered,
  surveyClosed,
  validWithdrawToken,
  WITHDRAW_PATH,
} from './surveys.service.ts';
import { acceptOneClickForms } from '../../web/one-click.ts';

/** Ids are UUIDs: the kept cookie holds the id followed by the token. */
const ID_LENGTH = 36;
const Id = Type.String({ maxLength: 64 });
const Params = Type.Object({ id: Id });
const LinkQuery = Type.Object({
  i: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 100 })),
  lang: Type.Optional(Type.String({ maxLength: 2 })),
});
const WithdrawQuery = Type.Object({
  u: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 100 })),
});
/** The survey form: `q-<question id>` fields (one value, or several for multiple choice) and the form token. */
const AnswerForm = Type.Record(
  Type.String({ maxLength: 80 }),
  Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 })]),
);
const ResponseBody = Type.Object({
  invitation: Type.String({ maxLength: 64 }),
  token: Type.String({ maxLength: 100 }),
  // Checked against the survey's own questions (surveys.model.ts checkAnswers: 400 with a message per question),
  // so the schema says only that it is an object: ids and value kinds depend on the survey.
  answers: Type.Unsafe<Record<string, string | number | string[]>>({
    type: 'object',
    description:
      'Answers by question id: an option id (single choice), a list of option ids (multiple choice), a number (scale) or text (free text).',
  }),
});
const ConsentForm = formBody({ consent: formText(10) });
const AccountQuery = Type.Object({ notice: Type.Optional(Type.String({ maxLength: 20 })) });

export async function registerSurveyRoutes(app: App, deps: Deps): Promise<void> {
  // Its one-click target (RFC 8058) reads multipart bodies too, as mailbox providers are asked to send them.
  await acceptOneClickForms(app);
  const cookies = cookiePolicy(deps.config.baseUrl);
  const split = (kept: string) => ({ id: kept.slice(0, ID_LENGTH), token: kept.slice(ID_LENGTH) });

  // The personal link: the token leaves the address for a cookie of this survey's path; the clean page names the
  // invitee's language, so the form shows in it even when the cookie is not sent (a navigation from webmail).
  app.get(
    '/surveys/:id',
    { config: { tokenLink: true }, schema: { params: Params, querystring: LinkQuery } },
    async (request, reply) => {
      const { id } = request.params;
      const { i, t, lang } = request.query;
      const path = `/surveys/${id}`;
      if (i || t) {
        if (!i || !t) throw errors.badToken();
        const invitation = await checkInvitation(deps, id, i, t);
        return moveLinkTokenToCookie(reply, cookies, path, `${i}${t}`, `${path}?lang=${invitation.lang}`);
      }
      const survey = await loadSurvey(deps, id);
      if (survey.status === 'draft') throw errors.notFound();
      if (survey.status === 'closed') throw surveyClosed();
      const kept = linkTokenOf(request, cookies);
      let shownLang = isLang(lang) ? lang : request.lang;
      if (kept) {
        const link = split(kept);
        const invitation = await checkInvitation(deps, id, link.id, link.token);
        if (invitation.responded_at !== null) throw surveyAnswered();
        shownLang = isLang(invitation.lang) ? invitation.lang : shownLang;
      }
      return sendPage(reply, surveyFormPage({ ...pageContext(request), lang: shownLang }, survey));
    },
  );

  app.post(
    '/surveys/:id',
    { config: { tokenLink: true }, schema: { params: Params, body: AnswerForm } },
    async (request, reply) => {
      const { id } = request.params;
      const path = `/surveys/${id}`;
      const kept = linkTokenOf(request, cookies);
      if (!kept) throw errors.badToken();
      const link = split(kept);
      const invitation = await checkInvitation(deps, id, link.id, link.token);
      const ctx = { ...pageContext(request), lang: isLang(invitation.lang) ? invitation.lang : request.lang };
      try {
        await submitResponse(deps, id, { invitationId: link.id, token: link.token }, request.body);
      } catch (err) {
        // Answers that do not fit: the form again, in the invitee's language, with a message per question.
        if (err instanceof AppError && err.code === 'invalid_input' && Object.keys(err.fields).length > 0)
          return sendPage(reply, surveyFormPage(ctx, await loadSurvey(deps, id), err.fields), 400);
        throw err;
      }
      clearLinkToken(reply, cookies, path);
      return sendPage(reply, surveyThanksPage(ctx));
    },
  );

  app.post(
    '/api/v1/surveys/:id/responses',
    { config: { sensitive: true }, schema: { params: Params, body: ResponseBody } },
    async (request, reply) => {
      const { invitation, token, answers } = request.body;
      await submitResponse(deps, request.params.id, { invitationId: invitation, token }, answers);
      return reply.code(201).send({ status: 'recorded' });
    },
  );

  app.get('/account/surveys', { schema: { querystring: AccountQuery } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const consent = await findConsent(deps.db, viewer.userId);
    const notice = request.query.notice;
    return sendPage(
      reply,
      accountSurveysPage(
        pageContext(request),
        consent,
        notice === 'withdrawn' || notice === 'given' ? notice : undefined,
      ),
    );
  });

  app.post('/account/surveys', { schema: { body: ConsentForm } }, async (request, reply) => {
    const viewer = requireVerifiedEmail(request.viewer);
    const choice = request.body.consent;
    if (choice === 'yes') {
      await giveConsent(deps, viewer.userId, request.lang, 'account');
      return reply.redirect('/account/surveys?notice=given', 303);
    }
    if (choice === 'no') {
      await withdrawConsent(deps, viewer.userId);
      return reply.redirect('/account/surveys?notice=withdrawn', 303);
    }
    throw errors.invalidFields({
      consent: { en: 'Please tick the box to agree.', de: 'Bitte kreuzen Sie das Kästchen an, um zuzustimmen.' },
    });
  });

  // The withdrawal link in every invitation: a page with one button (a GET changes nothing, so link scanners do
  // no harm); its token moves into a cookie of this path at once.
  app.get(
    WITHDRAW_PATH,
    { config: { secretPath: true, tokenLink: true }, schema: { querystring: WithdrawQuery } },
    async (request, reply) => {
      const { u, t } = request.query;
      if (u || t) {
        if (!u || !t || !validWithdrawToken(deps.config.secret, u, t)) throw errors.badToken();
        return moveLinkTokenToCookie(reply, cookies, WITHDRAW_PATH, `${u}${t}`);
      }
      return sendPage(reply, withdrawPage(pageContext(request), WITHDRAW_PATH));
    },
  );

  // ...and the RFC 8058 one-click POST (`List-Unsubscribe=One-Click`) mail clients send: the signed token in the
  // address replaces the CSRF check; from our own page the token comes in the SameSite=Strict cookie.
  app.post(
    WITHDRAW_PATH,
    {
      config: { secretPath: true, tokenLink: true, csrfExempt: true },
      schema: { querystring: WithdrawQuery, body: formBody({}) },
    },
    async (request, reply) => {
      const query = request.query;
      const kept = linkTokenOf(request, cookies);
      const [u, t] = query.u || query.t ? [query.u, query.t] : [split(kept).id, split(kept).token];
      if (!u || !t || !validWithdrawToken(deps.config.secret, u, t)) throw errors.badToken();
      await withdrawConsent(deps, u);
      clearLinkToken(reply, cookies, WITHDRAW_PATH);
      return sendPage(reply, withdrawnPage(pageContext(request)));
    },
  );
}
