// The account pages of a signed-in person (and the way in): overview, registration, sign-in and -out,
// details, password and sessions. Forms answer with the page and inline errors, never a bare 400.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import { AppError } from '../../platform/errors.ts';
import type { App } from '../../platform/http/app.ts';
import { requireViewer } from '../../platform/http/context.ts';
import { clearCookie, clearSiteData } from '../../platform/http/cookies.ts';
import type { Text } from '../../platform/i18n.ts';
import { formBody, formText, pageContext, safeBackPath, sendPage } from '../../web/index.ts';
import { type AccountsHttp, clientOf, formError } from './accounts.http.ts';
import { confirmationResentPage, withNext } from './accounts.onward.pages.ts';
import * as pages from './accounts.pages.ts';
import * as service from './accounts.service.ts';
import { codeStepPage } from './two-factor.pages.ts';

/** The most any field of these forms may hold; the service's own checks give the friendly messages. */
const FIELD = 1000;
const NoticeQuery = Type.Object({ notice: Type.Optional(Type.String()) });
const LoginQuery = Type.Object({ next: Type.Optional(Type.String()) });
const EmptyForm = formBody({});
const NextForm = formBody({ next: formText(FIELD) });
const RegisterForm = formBody({
  next: formText(FIELD),
  name: formText(FIELD),
  email: formText(FIELD),
  company: formText(FIELD),
  phone: formText(FIELD),
  password: formText(FIELD),
});
const LoginForm = formBody({
  email: formText(FIELD),
  password: formText(FIELD),
  remember: formText(FIELD),
  next: formText(FIELD),
});
const ProfileForm = formBody({
  name: formText(FIELD),
  email: formText(FIELD),
  company: formText(FIELD),
  phone: formText(FIELD),
  currentPassword: formText(FIELD),
});
const PasswordForm = formBody({ currentPassword: formText(FIELD), newPassword: formText(FIELD) });
const SessionParams = Type.Object({ id: Type.String({ maxLength: 64, minLength: 1 }) });

const CHECK_MAIL: Text = {
  en:
    'We sent a message to the address you gave. If you already have an account, it tells you how to sign in. ' +
    'You can sign in with your password now; confirming the address unlocks checkout and the data export.',
  de:
    'Wir haben eine Nachricht an die angegebene Adresse geschickt. Falls Sie schon ein Konto haben, steht darin, ' +
    'wie Sie sich anmelden. Sie können sich jetzt mit Ihrem Passwort anmelden; die Bestätigung der Adresse ' +
    'schaltet Bestellung und Datenexport frei.',
};
const SAVED_CHANGE_ASKED: Text = {
  en:
    'Your details are saved. To change the email address, open the link we sent to the new address; ' +
    'until then the current one stays.',
  de:
    'Ihre Angaben sind gespeichert. Um die E-Mail-Adresse zu ändern, öffnen Sie den Link, den wir an die neue ' +
    'Adresse geschickt haben; bis dahin bleibt die bisherige.',
};
const SAVED: Text = { en: 'Your details are saved.', de: 'Ihre Angaben sind gespeichert.' };

function verifiedNotice(code: string | undefined): Text | undefined {
  switch (code) {
    case 'verification-sent':
      return {
        en:
          'We sent the confirmation link again. To keep mailboxes safe from floods we send at most one such mail ' +
          'in 15 minutes; until then, the link in the last one works.',
        de:
          'Wir haben den Bestätigungslink erneut geschickt. Zum Schutz vor Mailfluten senden wir höchstens eine ' +
          'solche E-Mail in 15 Minuten; bis dahin gilt der Link in der letzten.',
      };
    case 'password-set':
      return {
        en: 'Your new password is saved, and you are signed in.',
        de: 'Ihr neues Passwort ist gespeichert, und Sie sind angemeldet.',
      };
    case 'password-changed':
      return {
        en: 'Your password is changed. Other sessions were ended.',
        de: 'Ihr Passwort ist geändert. Andere Sitzungen wurden beendet.',
      };
    default:
      return undefined;
  }
}

export function registerAccountPages(app: App, deps: Deps, http: AccountsHttp): void {
  const { authLimit, cookies, throttle } = http;

  app.get('/account', { schema: { querystring: NoticeQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const notice = verifiedNotice(request.query.notice);
    const user = await service.getProfile(deps, viewer.userId);
    return sendPage(reply, pages.accountPage(pageContext(request), user, notice));
  });

  // `next` (a same-site path, e.g. /checkout) travels with the registration into the confirmation link and the
  // sign-in link, so that the shopper arrives where they were going (accounts.onward.pages.ts).
  app.get('/account/register', { schema: { querystring: LoginQuery } }, async (request, reply) => {
    const next = safeBackPath(request.query.next, '');
    if (request.viewer) return reply.redirect(next || '/account', 303);
    return sendPage(reply, pages.registerPage(pageContext(request), {}, {}, undefined, next));
  });

  app.post('/account/register', { config: authLimit, schema: { body: RegisterForm } }, async (request, reply) => {
    const { name = '', email = '', company = '', phone = '', password = '' } = request.body;
    const next = safeBackPath(request.body.next, '');
    const values = { name, email, company, phone };
    try {
      await service.registerAccount(deps, { ...values, password, lang: request.lang, next });
      const signIn = {
        href: withNext('/account/login', next),
        label: next ? { en: 'Sign in and continue', de: 'Anmelden und weiter' } : { en: 'Sign in', de: 'Anmelden' },
      };
      const title = { en: 'Check your mail', de: 'Bitte prüfen Sie Ihre E-Mails' };
      return sendPage(reply, pages.messagePage(pageContext(request), title, CHECK_MAIL, signIn));
    } catch (err) {
      const e = formError(err);
      const page = pages.registerPage(pageContext(request), values, e.fields, e.text, next);
      return sendPage(reply, page, e.status);
    }
  });

  app.get('/account/login', { schema: { querystring: LoginQuery } }, async (request, reply) => {
    const next = safeBackPath(request.query.next, '/account');
    if (request.viewer) return reply.redirect(next, 303);
    return sendPage(reply, pages.loginPage(pageContext(request), next));
  });

  app.post('/account/login', { config: authLimit, schema: { body: LoginForm } }, async (request, reply) => {
    const { email = '', password = '', remember = '' } = request.body;
    const next = safeBackPath(request.body.next, '/account');
    try {
      const started = await service.login(
        deps,
        throttle,
        { email, password, remember: remember === '1' },
        clientOf(request),
        request.viewer?.sessionId,
        request.cookies[cookies.device],
      );
      if (started.pending) {
        // The password was right; the account asks for its second factor before any session starts. The pending
        // token travels in the code form (no extra cookie, nothing in the address).
        http.setDeviceCookie(reply, started.device);
        return sendPage(reply, codeStepPage(pageContext(request), next, started.pending.token));
      }
      http.startCookie(reply, started);
      return reply.redirect(next, 303);
    } catch (err) {
      const e = err instanceof AppError && err.code === 'sign_in_delayed' ? err : formError(err);
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      const seconds = e.headers['retry-after'] ?? '';
      const message = { en: e.text.en.replace('{seconds}', seconds), de: e.text.de.replace('{seconds}', seconds) };
      const page = pages.loginPage(pageContext(request), next, { email, remember }, message);
      return sendPage(reply, page, e.status);
    }
  });

  app.post('/account/logout', { schema: { body: EmptyForm } }, async (request, reply) => {
    if (request.viewer) await service.logout(deps, request.viewer.sessionId);
    clearCookie(reply, cookies, cookies.session);
    clearSiteData(reply);
    return reply.redirect('/', 303);
  });

  // Rate-limited like the sign-in forms, and silent about the address: the same answer whether a link went out,
  // the address is confirmed already or the window for such mails is still closed.
  app.post('/account/verify/resend', { config: authLimit, schema: { body: NextForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const next = safeBackPath(request.body.next, '');
    await service.resendVerification(deps, viewer.userId, next);
    if (!next) return reply.redirect('/account?notice=verification-sent', 303);
    return reply.redirect(withNext('/account/verify/resent', next), 303);
  });

  app.get('/account/verify/resent', { schema: { querystring: LoginQuery } }, async (request, reply) => {
    const next = safeBackPath(request.query.next, '/account');
    return sendPage(reply, confirmationResentPage(pageContext(request), next, request.viewer !== null));
  });

  app.get('/account/profile', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const user = await service.getProfile(deps, viewer.userId);
    const values = { name: user.name, email: user.email, company: user.company ?? '', phone: user.phone ?? '' };
    return sendPage(reply, pages.profilePage(pageContext(request), values));
  });

  app.post('/account/profile', { schema: { body: ProfileForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { name = '', email = '', company = '', phone = '', currentPassword = '' } = request.body;
    const values = { name, email, company, phone };
    try {
      const saved = await service.updateProfile(deps, throttle, viewer.userId, { ...values, currentPassword });
      // The same words whether or not another account holds the new address (it never tells).
      const asked = service.normaliseEmail(values.email) !== saved.email;
      const shown = { ...values, email: saved.email };
      return sendPage(reply, pages.profilePage(pageContext(request), shown, {}, asked ? SAVED_CHANGE_ASKED : SAVED));
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.profilePage(pageContext(request), values, e.fields, e.text), e.status);
    }
  });

  app.get('/account/password', async (request, reply) => {
    requireViewer(request.viewer);
    return sendPage(reply, pages.passwordPage(pageContext(request)));
  });

  app.post('/account/password', { config: authLimit, schema: { body: PasswordForm } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const { currentPassword = '', newPassword = '' } = request.body;
    try {
      const current = (await service.listSessions(deps, viewer.userId)).find((s) => s.id === viewer.sessionId);
      const started = await service.changePassword(
        deps,
        throttle,
        viewer,
        currentPassword,
        newPassword,
        clientOf(request),
        current?.remember === 1,
      );
      http.startCookie(reply, started);
      return reply.redirect('/account?notice=password-changed', 303);
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.passwordPage(pageContext(request), e.fields, e.text), e.status);
    }
  });

  app.get('/account/sessions', { schema: { querystring: NoticeQuery } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const sessions = await service.listSessions(deps, viewer.userId);
    const revoked = request.query.notice === 'revoked';
    const notice = revoked ? { en: 'The session was ended.', de: 'Die Sitzung wurde beendet.' } : undefined;
    return sendPage(reply, pages.sessionsPage(pageContext(request), sessions, viewer.sessionId, notice));
  });

  app.post(
    '/account/sessions/:id/revoke',
    { schema: { body: EmptyForm, params: SessionParams } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const id = request.params.id;
      await service.revokeSession(deps, viewer.userId, id);
      if (id === viewer.sessionId) {
        clearCookie(reply, cookies, cookies.session);
        clearSiteData(reply);
        return reply.redirect('/', 303);
      }
      return reply.redirect('/account/sessions?notice=revoked', 303);
    },
  );
}
