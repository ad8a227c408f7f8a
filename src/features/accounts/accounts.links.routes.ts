// The pages behind links that carry a token (address confirmation, email change and its undo, password
// reset), and the password reset request. A token never stays in the address bar, the history or a referrer.
import type { FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { errors } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { clearCookie } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, safeBackPath, sendPage } from '../../web/index.ts';
import { type AccountsHttp, clientOf, formError } from './accounts.http.ts';
import { onwardLabel, withNext } from './accounts.onward.pages.ts';
import * as pages from './accounts.pages.ts';
import * as service from './accounts.service.ts';
import { registerTeamRoutes } from './accounts.team.routes.ts';

const FIELD = 1000;
const SpentLinkQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 100, minLength: 0 })),
  status: Type.Optional(Type.String({ maxLength: 20 })),
  /** Where the shopper was going when they registered (a same-site path; anything else is ignored). */
  next: Type.Optional(Type.String({ maxLength: 500 })),
});
const LinkPageQuery = Type.Object({
  token: Type.Optional(Type.String({ maxLength: 100, minLength: 0 })),
  link: Type.Optional(Type.String({ maxLength: 20 })),
});
const TokenForm = formBody({ token: formText(FIELD) });
const ResetRequestForm = formBody({ email: formText(FIELD) });
const ResetConfirmForm = formBody({ token: formText(FIELD), password: formText(FIELD) });

const UNDO_EMAIL = '/account/email-change/undo';
const RESET_CONFIRM = '/account/password-reset/confirm';

const toAccount = { href: '/account', label: { en: 'To my account', de: 'Zu meinem Konto' } };
const toReset = { href: '/account/password-reset', label: { en: 'Reset password', de: 'Passwort zurücksetzen' } };
const toSignIn = { href: '/account/login', label: { en: 'Sign in', de: 'Anmelden' } };

const UNDONE: Text = {
  en:
    'Your account uses this address again, every session was ended and the old password no longer works. ' +
    'We sent you a link to choose a new password.',
  de:
    'Ihr Konto verwendet wieder diese Adresse, alle Sitzungen wurden beendet und das alte Passwort gilt nicht mehr. ' +
    'Wir haben Ihnen einen Link geschickt, mit dem Sie ein neues Passwort wählen.',
};
const PASSWORD_SAVED: Text = {
  en: 'Your new password is saved. All sessions were ended; please sign in again.',
  de: 'Ihr neues Passwort ist gespeichert. Alle Sitzungen wurden beendet; bitte melden Sie sich neu an.',
};

export function registerAccountLinks(app: App, deps: Deps, http: AccountsHttp): void {
  const { authLimit, cookies, throttle } = http;
  // The staff team and the invitation link's page (accounts.team.routes.ts) share these cookies and the throttle.
  registerTeamRoutes(app, deps, http);

  /**
   * A link whose token is spent on arrival (opening it proves the mailbox): the answer is a redirect to a
   * token-free address that shows the outcome, so the secret never stays in the address bar, the history or a
   * referrer (docs/decisions/0012).
   */
  function registerSpentLink(
    path: string,
    spend: (token: string) => Promise<unknown>,
    done: { title: Text; text: Text },
  ): void {
    app.get(path, { config: { tokenLink: true }, schema: { querystring: SpentLinkQuery } }, async (request, reply) => {
      const { token = '', status } = request.query;
      const next = safeBackPath(request.query.next, '');
      const onward = next ? `&next=${encodeURIComponent(next)}` : '';
      if (token !== '') {
        let outcome = 'confirmed';
        try {
          await spend(token);
        } catch (err) {
          formError(err);
          outcome = 'failed';
        }
        return reply.header('cache-control', 'no-store').redirect(`${path}?status=${outcome}${onward}`, 303);
      }
      const ctx = pageContext(request);
      // On to where the shopper was going: directly when signed in, else through the sign-in page, which returns there.
      const goOn = next
        ? { href: request.viewer ? next : withNext('/account/login', next), label: onwardLabel(next) }
        : toAccount;
      if (status === 'confirmed') return sendPage(reply, pages.messagePage(ctx, done.title, done.text, goOn));
      const e = errors.badToken();
      const failed = { en: 'Confirmation failed', de: 'Bestätigung fehlgeschlagen' };
      return sendPage(reply, pages.messagePage(ctx, failed, e.text, toAccount), e.status);
    });
  }

  /**
   * A page reached by a link that carries a token: a live token moves into a short-lived cookie for this path
   * and the browser is sent to the clean address; a dead one to `?link=expired`. The page itself shows the form.
   */
  function registerLinkPage(
    path: string,
    isLive: (token: string) => Promise<boolean>,
    render: (request: FastifyRequest, valid: boolean) => string,
  ): void {
    app.get(path, { config: { tokenLink: true }, schema: { querystring: LinkPageQuery } }, async (request, reply) => {
      const { token: fromLink = '', link } = request.query;
      if (fromLink !== '') {
        if (await isLive(fromLink)) return moveLinkTokenToCookie(reply, cookies, path, fromLink);
        clearLinkToken(reply, cookies, path);
        return reply.header('cache-control', 'no-store').redirect(`${path}?link=expired`, 303);
      }
      const kept = linkTokenOf(request, cookies);
      return sendPage(reply, render(request, link !== 'expired' && (kept === '' || (await isLive(kept)))));
    });
  }

  registerSpentLink('/account/verify', (token) => service.verifyEmail(deps, token), {
    title: { en: 'Address confirmed', de: 'Adresse bestätigt' },
    text: { en: 'Thank you, your email address is confirmed.', de: 'Danke, Ihre E-Mail-Adresse ist bestätigt.' },
  });

  // The link mailed to the new address of an email change: opening it is the proof that the mailbox is the holder's.
  registerSpentLink('/account/email-change/confirm', (token) => service.confirmEmailChange(deps, token), {
    title: { en: 'Address changed', de: 'Adresse geändert' },
    text: {
      en: 'Thank you, your new email address is confirmed and your account uses it now.',
      de: 'Danke, Ihre neue E-Mail-Adresse ist bestätigt und Ihr Konto verwendet sie jetzt.',
    },
  });

  // The link in the notice to the old address. Opening it changes nothing (mail scanners follow links); the form
  // on the page does. As with reset links, the token moves from the address into a short-lived cookie.
  registerLinkPage(
    UNDO_EMAIL,
    (token) => service.isUndoTokenLive(deps, token),
    (request, valid) => pages.undoEmailChangePage(pageContext(request), valid),
  );

  app.post(
    UNDO_EMAIL,
    { config: { ...authLimit, tokenLink: true }, schema: { body: TokenForm } },
    async (request, reply) => {
      const ctx = pageContext(request);
      try {
        await service.undoEmailChange(deps, request.body.token || linkTokenOf(request, cookies));
        clearLinkToken(reply, cookies, UNDO_EMAIL);
        clearCookie(reply, cookies, cookies.session);
        const title = { en: 'Change undone', de: 'Änderung rückgängig gemacht' };
        return sendPage(reply, pages.messagePage(ctx, title, UNDONE, toReset));
      } catch (err) {
        const e = formError(err);
        const title = { en: 'Undo failed', de: 'Rückgängig machen fehlgeschlagen' };
        return sendPage(reply, pages.messagePage(ctx, title, e.text, toReset), e.status);
      }
    },
  );

  app.get('/account/password-reset', async (request, reply) =>
    sendPage(reply, pages.resetRequestPage(pageContext(request), false)),
  );

  app.post(
    '/account/password-reset',
    { config: authLimit, schema: { body: ResetRequestForm } },
    async (request, reply) => {
      const email = request.body.email ?? '';
      try {
        await service.requestPasswordReset(deps, email);
        return sendPage(reply, pages.resetRequestPage(pageContext(request), true));
      } catch (err) {
        const e = formError(err);
        return sendPage(reply, pages.resetRequestPage(pageContext(request), false, { email }, e.fields), e.status);
      }
    },
  );

  // Reset and set-up links: the token moves from the address into a short-lived cookie for this path (see
  // platform/http/link-token.ts), and the form posts with it. Without the cookie (the clean page was reached from a
  // webmail, which keeps a SameSite=Strict cookie back on that navigation) the form shows; the post will have it.
  registerLinkPage(
    RESET_CONFIRM,
    (token) => service.isResetTokenLive(deps, token),
    (request, valid) => pages.resetConfirmPage(pageContext(request), '', valid),
  );

  app.post(
    RESET_CONFIRM,
    { config: { ...authLimit, tokenLink: true }, schema: { body: ResetConfirmForm } },
    async (request, reply) => {
      const token = request.body.token || linkTokenOf(request, cookies);
      try {
        const done = await service.resetPassword(deps, throttle, token, request.body.password ?? '');
        clearLinkToken(reply, cookies, RESET_CONFIRM);
        // A set-up link (`candor user create`): the person chose their first password and is signed in at once (the
        // console's second-factor gate then leads staff to enrolment). A reset still asks for a new sign-in.
        if (done.setUp) {
          if (request.viewer) await service.logout(deps, request.viewer.sessionId);
          const started = await service.startSession(deps, deps.db, done.userId, false, clientOf(request));
          http.startCookie(reply, started);
          return reply.header('cache-control', 'no-store').redirect('/account?notice=password-set', 303);
        }
        const title = { en: 'Password saved', de: 'Passwort gespeichert' };
        return sendPage(reply, pages.messagePage(pageContext(request), title, PASSWORD_SAVED, toSignIn));
      } catch (err) {
        const e = formError(err);
        const page = pages.resetConfirmPage(pageContext(request), '', e.code !== 'invalid_token', e.fields);
        return sendPage(reply, page, e.status);
      }
    },
  );
}
