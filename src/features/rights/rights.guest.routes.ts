// Requests without an account (/privacy/request), proven by a link to the address (helper H3, issue 16). The form
// answers every valid submission with the same page (no account enumeration) and is limited per client; the mailed
// link is checked (400 altered, 410 used or expired), its token moved into a SameSite=Strict cookie of the
// confirmation page (link-token.ts), and only the page's POST acts: link scanners that follow GETs do nothing.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { formBody, formText, pageContext, sendPage } from '../../web/index.ts';
import {
  guestConfirmedPage,
  guestConfirmPage,
  guestRequestPage,
  guestRequestReceivedPage,
  kindOfParam,
} from './rights.guest.pages.ts';
import {
  checkGuestLink,
  confirmGuestRequest,
  GUEST_CONFIRM_PATH,
  GUEST_FORM_PATH,
  MESSAGE_MAX,
  submitGuestRequest,
} from './rights.guest.service.ts';

const RequestForm = formBody({
  email: formText(300),
  kind: formText(20),
  ground: formText(30),
  message: formText(MESSAGE_MAX * 2),
});
const ConfirmQuery = Type.Object({
  r: Type.Optional(Type.String({ maxLength: 64 })),
  t: Type.Optional(Type.String({ maxLength: 64 })),
  k: Type.Optional(Type.String({ maxLength: 20 })),
});
const ConfirmForm = formBody({});

/** A reference is the waiting row's id (a UUID, 36 characters); the kept cookie holds it followed by its token. */
const REF_LENGTH = 36;

export function registerGuestRoutes(app: App, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);

  // The form takes an address: sensitive, so no vendor tag runs beside it.
  app.get(GUEST_FORM_PATH, { config: { sensitive: true } }, async (request, reply) =>
    sendPage(reply, guestRequestPage(pageContext(request))),
  );

  // Each submission may send a mail: one client gets them at the rate of the sign-in forms, so nobody can use the
  // shop to mail many strangers at once (an address gets at most three waiting links: the service's limit).
  app.post(
    GUEST_FORM_PATH,
    {
      config: { sensitive: true, rateLimit: { max: deps.config.rateLimit.authPerMinute * 3, timeWindow: 60_000 } },
      schema: { body: RequestForm },
    },
    async (request, reply) => {
      const values = {
        email: request.body.email ?? '',
        kind: request.body.kind ?? '',
        ground: request.body.ground ?? '',
        message: request.body.message ?? '',
      };
      try {
        await submitGuestRequest(deps, { ...values, lang: request.lang });
      } catch (err) {
        if (!(err instanceof AppError) || err.status >= 500) throw err;
        return sendPage(reply, guestRequestPage(pageContext(request), values, err.fields), err.status);
      }
      return sendPage(reply, guestRequestReceivedPage(pageContext(request)), 202);
    },
  );

  // The mailed link: checked, its token moved into a cookie, then the page with the button (a GET changes nothing).
  app.get(
    GUEST_CONFIRM_PATH,
    { config: { secretPath: true, tokenLink: true }, schema: { querystring: ConfirmQuery } },
    async (request, reply) => {
      const { r, t } = request.query;
      if (r || t) {
        if (!r || !t) throw errors.badToken();
        const row = await checkGuestLink(deps, r, t);
        return moveLinkTokenToCookie(
          reply,
          cookies,
          GUEST_CONFIRM_PATH,
          `${r}${t}`,
          `${GUEST_CONFIRM_PATH}?k=${row.kind}`,
        );
      }
      return sendPage(reply, guestConfirmPage(pageContext(request), GUEST_CONFIRM_PATH, kindOfParam(request.query.k)));
    },
  );

  // Only this POST, from our page with the kept token (SameSite=Strict: no other site can make a browser send it),
  // turns the waiting request into a request.
  app.post(
    GUEST_CONFIRM_PATH,
    {
      config: { secretPath: true, tokenLink: true, csrfExempt: true },
      schema: { querystring: ConfirmQuery, body: ConfirmForm },
    },
    async (request, reply) => {
      const kept = linkTokenOf(request, cookies);
      const [r, t] = [kept.slice(0, REF_LENGTH), kept.slice(REF_LENGTH)];
      if (!r || !t) throw errors.badToken();
      const opened = await confirmGuestRequest(deps, r, t);
      clearLinkToken(reply, cookies, GUEST_CONFIRM_PATH);
      return sendPage(
        reply,
        guestConfirmedPage(
          pageContext(request),
          {
            kind: opened.request.kind,
            dueAt: (opened.duplicateOf ?? opened.request).due_at,
            duplicate: opened.duplicateOf !== undefined,
          },
          deps.config.operator.timeZone,
        ),
      );
    },
  );
}
