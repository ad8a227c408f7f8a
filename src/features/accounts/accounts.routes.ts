// HTTP side of accounts: the session hook, the JSON API under /api/v1 and the account pages.
// Handlers stay thin: validate (schema), call the service, render or answer.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Deps } from '../../deps.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { requireVerifiedEmail, requireViewer } from '../../platform/http/context.ts';
import { clearCookie, clearSiteData, cookiePolicy, setCookie } from '../../platform/http/cookies.ts';
import { clearLinkToken, linkTokenOf, moveLinkTokenToCookie } from '../../platform/http/link-token.ts';
import { sendPage } from '../../platform/http/reply.ts';
import { isLang, type Text } from '../../platform/i18n.ts';
import { exportSubjectData } from '../../privacy/subject.ts';
import { summariseAgent } from '../../privacy/usage-log/user-agent.ts';
import { pageContext, safeBackPath } from '../shell/index.ts';
import * as pages from './accounts.pages.ts';
import * as service from './accounts.service.ts';
import type { SessionsTable } from './accounts.tables.ts';
import { createSignInThrottle } from './sign-in-throttle.ts';

const str = (maxLength: number, minLength = 0) => ({ type: 'string', maxLength, minLength });
const nullableStr = (maxLength: number) => ({ type: ['string', 'null'], maxLength });
const langSchema = { type: 'string', enum: ['en', 'de'] };

const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    email: { type: 'string' },
    emailVerified: { type: 'boolean' },
    company: { type: ['string', 'null'] },
    phone: { type: ['string', 'null'] },
    lang: { type: 'string' },
    role: { type: 'string' },
    createdAt: { type: 'string' },
  },
};
const sessionSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    current: { type: 'boolean' },
    remember: { type: 'boolean' },
    device: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
    lastSeenAt: { type: 'string' },
    expiresAt: { type: 'string' },
  },
};
const errorRef = { $ref: 'candor-error#' };
const noContent = { type: 'null', description: 'No content' };
const accepted = { type: 'object', properties: { status: { type: 'string' } } };

type Form = Record<string, unknown>;
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

function clientOf(request: FastifyRequest): service.ClientInfo {
  const agent = summariseAgent(request.headers['user-agent']);
  const device = agent.browser ? `${agent.browser}${agent.version ? ` ${agent.version}` : ''}${agent.os ? ` on ${agent.os}` : ''}` : null;
  return { device, ip: request.ip };
}

function toPublicSession(s: SessionsTable, currentId: string | undefined) {
  return {
    id: s.id,
    current: s.id === currentId,
    remember: s.remember === 1,
    device: s.device,
    createdAt: new Date(s.created_at).toISOString(),
    lastSeenAt: new Date(s.last_seen_at).toISOString(),
    expiresAt: new Date(Math.min(s.expires_at, s.idle_expires_at)).toISOString(),
  };
}

/** A form error that the page shows beside its fields; anything else goes to the error handler. */
function formError(err: unknown): AppError {
  if (err instanceof AppError && err.status < 500 && err.status !== 429 && err.code !== 'csrf_failed') return err;
  throw err;
}

export function registerAccountRoutes(app: FastifyInstance, deps: Deps): void {
  const cookies = cookiePolicy(deps.config.baseUrl);
  const authLimit = { rateLimit: { max: deps.config.rateLimit.authPerMinute, timeWindow: 60_000 } };
  // Per address, across every route that checks a password and every process (Redis or the database).
  const throttle = createSignInThrottle(deps);
  app.addHook('onClose', () => throttle.close());

  app.addSchema({
    $id: 'candor-error',
    type: 'object',
    properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, fields: { type: 'object', additionalProperties: { type: 'string' } } } } },
  });

  app.decorateRequest('viewer', null);
  app.addHook('onRequest', async (request, reply) => {
    const token = request.cookies[cookies.session];
    if (!token) return;
    request.viewer = /^[A-Za-z0-9_-]{43}$/.test(token) ? await service.resolveSession(deps, token, request.ip) : null;
    if (!request.viewer) clearCookie(reply, cookies, cookies.session);
  });

  function startCookie(reply: FastifyReply, started: service.StartedSession & { device?: string }): void {
    const remember = started.session.remember === 1;
    setCookie(reply, cookies, cookies.session, started.token, remember ? Math.floor(service.SESSION.rememberAbsolute / 1000) : undefined);
    if (started.device) setCookie(reply, cookies, cookies.device, started.device, Math.floor(service.KNOWN_DEVICE_TTL / 1000));
  }

  // ---------------- JSON API ----------------

  app.post(
    '/api/v1/accounts',
    {
      config: authLimit,
      schema: {
        summary: 'Register an account',
        tags: ['accounts'],
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['name', 'email', 'password'],
          properties: { name: str(200, 1), email: str(254, 3), password: str(128), company: nullableStr(200), phone: nullableStr(40), lang: langSchema },
        },
        description:
          'Answers 202 whether or not the address already has an account (a new one gets a confirmation link, a known one a notice to its owner). It does not sign in: sign in with POST /api/v1/sessions.',
        response: { 202: accepted, 400: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const body = request.body as { name: string; email: string; password: string; company?: string | null; phone?: string | null; lang?: string };
      await service.registerAccount(deps, { ...body, lang: isLang(body.lang) ? body.lang : request.lang });
      return reply.code(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/accounts/verification',
    { schema: { summary: 'Confirm an email address with the token from the mail', tags: ['accounts'], body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: str(100, 1) } }, response: { 204: noContent, 400: errorRef } } },
    async (request, reply) => {
      await service.verifyEmail(deps, (request.body as { token: string }).token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/password-resets',
    { config: authLimit, schema: { summary: 'Mail a password reset link', tags: ['accounts'], body: { type: 'object', additionalProperties: false, required: ['email'], properties: { email: str(254, 3) } }, response: { 202: accepted, 400: errorRef } } },
    async (request, reply) => {
      await service.requestPasswordReset(deps, (request.body as { email: string }).email);
      return reply.code(202).send({ status: 'accepted' });
    },
  );

  app.post(
    '/api/v1/password-resets/confirm',
    {
      config: authLimit,
      schema: { summary: 'Set a new password with a reset token', tags: ['accounts'], body: { type: 'object', additionalProperties: false, required: ['token', 'password'], properties: { token: str(100, 1), password: str(128) } }, response: { 204: noContent, 400: errorRef } },
    },
    async (request, reply) => {
      const body = request.body as { token: string; password: string };
      await service.resetPassword(deps, throttle, body.token, body.password);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/sessions',
    {
      config: authLimit,
      schema: {
        summary: 'Sign in',
        tags: ['sessions'],
        body: { type: 'object', additionalProperties: false, required: ['email', 'password'], properties: { email: str(254, 1), password: str(128), remember: { type: 'boolean' } } },
        description: 'Ends the session the request carried, if any. After repeated failures for one address, answers 429 sign_in_delayed with Retry-After (the same for addresses without an account).',
        response: { 201: { type: 'object', properties: { id: { type: 'string' }, expiresAt: { type: 'string' }, remember: { type: 'boolean' }, user: userSchema } }, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const body = request.body as { email: string; password: string; remember?: boolean };
      const started = await service.login(deps, throttle, { email: body.email, password: body.password, remember: body.remember === true }, clientOf(request), request.viewer?.sessionId, request.cookies[cookies.device]);
      startCookie(reply, started);
      return reply.code(201).send({
        id: started.session.id,
        expiresAt: new Date(Math.min(started.session.expires_at, started.session.idle_expires_at)).toISOString(),
        remember: started.session.remember === 1,
        user: service.toPublicUser(started.user),
      });
    },
  );

  app.delete('/api/v1/sessions/current', { schema: { summary: 'Sign out', tags: ['sessions'], response: { 204: noContent, 401: errorRef } } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    await service.logout(deps, viewer.sessionId);
    clearCookie(reply, cookies, cookies.session);
    clearSiteData(reply);
    return reply.code(204).send();
  });

  app.get('/api/v1/me', { schema: { summary: 'My account', tags: ['me'], response: { 200: userSchema, 401: errorRef } } }, async (request) => {
    const viewer = requireViewer(request.viewer);
    return service.toPublicUser(await service.getProfile(deps, viewer.userId));
  });

  app.patch(
    '/api/v1/me',
    {
      schema: {
        summary: 'Correct my details',
        description:
          'Changing email needs currentPassword and does not change it yet: a link goes to the new address, and the change takes effect when it is confirmed (POST /api/v1/email-changes/confirm); the old address is then told and can undo it. The answer (200 with the unchanged address) is the same whether or not another account holds the new address; its owner gets a notice instead.',
        tags: ['me'],
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: { name: str(200, 1), email: str(254, 3), company: nullableStr(200), phone: nullableStr(40), lang: langSchema, currentPassword: { ...str(128), description: 'Required when email changes' } },
        },
        response: { 200: userSchema, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      const body = request.body as service.ProfileChanges;
      return service.toPublicUser(await service.updateProfile(deps, throttle, viewer.userId, body));
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      config: authLimit,
      schema: {
        summary: 'Change my password; ends my other sessions',
        tags: ['me'],
        body: { type: 'object', additionalProperties: false, required: ['currentPassword', 'newPassword'], properties: { currentPassword: str(128), newPassword: str(128) } },
        response: { 204: noContent, 400: errorRef, 401: errorRef, 429: errorRef },
      },
    },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const body = request.body as { currentPassword: string; newPassword: string };
      const current = (await service.listSessions(deps, viewer.userId)).find((s) => s.id === viewer.sessionId);
      const started = await service.changePassword(deps, throttle, viewer, body.currentPassword, body.newPassword, clientOf(request), current?.remember === 1);
      startCookie(reply, started);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/email-changes/confirm',
    {
      config: authLimit,
      schema: {
        summary: 'Confirm an email change with the token mailed to the new address; the change takes effect now',
        tags: ['accounts'],
        body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: str(100, 1) } },
        response: { 204: noContent, 400: errorRef },
      },
    },
    async (request, reply) => {
      await service.confirmEmailChange(deps, (request.body as { token: string }).token);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/v1/email-changes/undo',
    {
      config: authLimit,
      schema: {
        summary: 'Undo an email change with the token mailed to the old address; ends every session',
        tags: ['accounts'],
        body: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: str(100, 1) } },
        response: { 204: noContent, 400: errorRef, 409: errorRef },
      },
    },
    async (request, reply) => {
      await service.undoEmailChange(deps, (request.body as { token: string }).token);
      if (request.viewer) clearCookie(reply, cookies, cookies.session);
      return reply.code(204).send();
    },
  );

  app.post('/api/v1/me/verification', { schema: { summary: 'Send the address confirmation mail again (at most one mail per 15 minutes)', tags: ['me'], response: { 202: accepted, 401: errorRef } } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    await service.resendVerification(deps, viewer.userId);
    return reply.code(202).send({ status: 'accepted' });
  });

  app.get(
    '/api/v1/me/sessions',
    { schema: { summary: 'My active sessions', tags: ['me'], response: { 200: { type: 'object', properties: { items: { type: 'array', items: sessionSchema } } }, 401: errorRef } } },
    async (request) => {
      const viewer = requireViewer(request.viewer);
      return { items: (await service.listSessions(deps, viewer.userId)).map((s) => toPublicSession(s, viewer.sessionId)) };
    },
  );

  app.delete(
    '/api/v1/me/sessions/:id',
    { schema: { summary: 'End one of my sessions', tags: ['me'], params: { type: 'object', required: ['id'], properties: { id: str(64, 1) } }, response: { 204: noContent, 401: errorRef, 404: errorRef } } },
    async (request, reply) => {
      const viewer = requireViewer(request.viewer);
      const id = (request.params as { id: string }).id;
      await service.revokeSession(deps, viewer.userId, id);
      if (id === viewer.sessionId) {
        clearCookie(reply, cookies, cookies.session);
        clearSiteData(reply);
      }
      return reply.code(204).send();
    },
  );

  // Portability (Art. 20): everything the data map links to me, as JSON. It needs a proven address.
  async function sendDataExport(request: FastifyRequest, reply: FastifyReply) {
    const viewer = requireVerifiedEmail(request.viewer);
    const user = await service.getProfile(deps, viewer.userId);
    const exported = await exportSubjectData(deps, user.email);
    return reply.header('content-disposition', 'attachment; filename="my-data.json"').header('cache-control', 'no-store').send(exported);
  }
  app.get('/api/v1/me/data-export', { schema: { summary: 'Download all my data (needs a confirmed email address)', tags: ['me'], response: { 401: errorRef, 403: errorRef } } }, sendDataExport);
  app.get('/account/data-export', sendDataExport);

  // ---------------- pages ----------------

  const formBody = { type: 'object', additionalProperties: { type: 'string', maxLength: 1000 } };

  app.get('/account', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const notice = verifiedNotice((request.query as Record<string, string>).notice);
    return sendPage(reply, pages.accountPage(pageContext(request, deps), await service.getProfile(deps, viewer.userId), notice));
  });

  app.get('/account/register', async (request, reply) => {
    if (request.viewer) return reply.redirect('/account', 303);
    return sendPage(reply, pages.registerPage(pageContext(request, deps)));
  });

  app.post('/account/register', { config: authLimit, schema: { body: formBody } }, async (request, reply) => {
    const body = request.body as Form;
    const values = { name: text(body.name), email: text(body.email), company: text(body.company), phone: text(body.phone) };
    try {
      await service.registerAccount(deps, { ...values, password: text(body.password), lang: request.lang });
      return sendPage(
        reply,
        pages.messagePage(
          pageContext(request, deps),
          { en: 'Check your mail', de: 'Bitte prüfen Sie Ihre E-Mails' },
          {
            en: 'We sent a message to the address you gave. If you already have an account, it tells you how to sign in. You can sign in with your password now; confirming the address unlocks checkout and the data export.',
            de: 'Wir haben eine Nachricht an die angegebene Adresse geschickt. Falls Sie schon ein Konto haben, steht darin, wie Sie sich anmelden. Sie können sich jetzt mit Ihrem Passwort anmelden; die Bestätigung der Adresse schaltet Bestellung und Datenexport frei.',
          },
          { href: '/account/login', label: { en: 'Sign in', de: 'Anmelden' } },
        ),
      );
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.registerPage(pageContext(request, deps), values, e.fields, e.text), e.status);
    }
  });

  app.get('/account/login', async (request, reply) => {
    const next = safeBackPath((request.query as Record<string, unknown>).next, '/account');
    if (request.viewer) return reply.redirect(next, 303);
    return sendPage(reply, pages.loginPage(pageContext(request, deps), next));
  });

  app.post('/account/login', { config: authLimit, schema: { body: formBody } }, async (request, reply) => {
    const body = request.body as Form;
    const next = safeBackPath(body.next, '/account');
    try {
      const started = await service.login(deps, throttle, { email: text(body.email), password: text(body.password), remember: body.remember === '1' }, clientOf(request), request.viewer?.sessionId, request.cookies[cookies.device]);
      startCookie(reply, started);
      return reply.redirect(next, 303);
    } catch (err) {
      const e = err instanceof AppError && err.code === 'sign_in_delayed' ? err : formError(err);
      for (const [k, v] of Object.entries(e.headers)) reply.header(k, v);
      const seconds = e.headers['retry-after'] ?? '';
      const message = { en: e.text.en.replace('{seconds}', seconds), de: e.text.de.replace('{seconds}', seconds) };
      return sendPage(reply, pages.loginPage(pageContext(request, deps), next, { email: text(body.email), remember: text(body.remember) }, message), e.status);
    }
  });

  app.post('/account/logout', { schema: { body: formBody } }, async (request, reply) => {
    if (request.viewer) await service.logout(deps, request.viewer.sessionId);
    clearCookie(reply, cookies, cookies.session);
    clearSiteData(reply);
    return reply.redirect('/', 303);
  });

  /**
   * A link whose token is spent on arrival (opening it proves the mailbox): the answer is a redirect to a token-free
   * address that shows the outcome, so the secret never stays in the address bar, the history or a referrer
   * (docs/decisions/0012).
   */
  function registerSpentLink(path: string, spend: (token: string) => Promise<unknown>, done: { title: Text; text: Text }): void {
    app.get(
      path,
      { config: { tokenLink: true }, schema: { querystring: { type: 'object', properties: { token: str(100), status: { type: 'string', maxLength: 20 } } } } },
      async (request, reply) => {
        const query = request.query as Form;
        const token = text(query.token);
        if (token !== '') {
          let status = 'confirmed';
          try {
            await spend(token);
          } catch (err) {
            formError(err);
            status = 'failed';
          }
          return reply.header('cache-control', 'no-store').redirect(`${path}?status=${status}`, 303);
        }
        const ctx = pageContext(request, deps);
        const toAccount = { href: '/account', label: { en: 'To my account', de: 'Zu meinem Konto' } };
        if (query.status === 'confirmed') return sendPage(reply, pages.messagePage(ctx, done.title, done.text, toAccount));
        const e = errors.badToken();
        return sendPage(reply, pages.messagePage(ctx, { en: 'Confirmation failed', de: 'Bestätigung fehlgeschlagen' }, e.text, toAccount), e.status);
      },
    );
  }

  registerSpentLink('/account/verify', (token) => service.verifyEmail(deps, token), {
    title: { en: 'Address confirmed', de: 'Adresse bestätigt' },
    text: { en: 'Thank you, your email address is confirmed.', de: 'Danke, Ihre E-Mail-Adresse ist bestätigt.' },
  });

  // The link mailed to the new address of an email change: opening it is the proof that the mailbox is the holder's.
  registerSpentLink('/account/email-change/confirm', (token) => service.confirmEmailChange(deps, token), {
    title: { en: 'Address changed', de: 'Adresse geändert' },
    text: { en: 'Thank you, your new email address is confirmed and your account uses it now.', de: 'Danke, Ihre neue E-Mail-Adresse ist bestätigt und Ihr Konto verwendet sie jetzt.' },
  });

  app.post('/account/verify/resend', { schema: { body: formBody } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    await service.resendVerification(deps, viewer.userId);
    return reply.redirect('/account?notice=verification-sent', 303);
  });

  app.get('/account/profile', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const user = await service.getProfile(deps, viewer.userId);
    return sendPage(reply, pages.profilePage(pageContext(request, deps), { name: user.name, email: user.email, company: user.company ?? '', phone: user.phone ?? '' }));
  });

  app.post('/account/profile', { schema: { body: formBody } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const body = request.body as Form;
    const values = { name: text(body.name), email: text(body.email), company: text(body.company), phone: text(body.phone) };
    try {
      const saved = await service.updateProfile(deps, throttle, viewer.userId, { ...values, currentPassword: text(body.currentPassword) });
      // The same words whether or not another account holds the new address (it never tells).
      const asked = service.normaliseEmail(values.email) !== saved.email;
      const message = asked
        ? {
            en: 'Your details are saved. To change the email address, open the link we sent to the new address; until then the current one stays.',
            de: 'Ihre Angaben sind gespeichert. Um die E-Mail-Adresse zu ändern, öffnen Sie den Link, den wir an die neue Adresse geschickt haben; bis dahin bleibt die bisherige.',
          }
        : { en: 'Your details are saved.', de: 'Ihre Angaben sind gespeichert.' };
      return sendPage(reply, pages.profilePage(pageContext(request, deps), { ...values, email: saved.email }, {}, message));
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.profilePage(pageContext(request, deps), values, e.fields, e.text), e.status);
    }
  });

  app.get('/account/password', async (request, reply) => {
    requireViewer(request.viewer);
    return sendPage(reply, pages.passwordPage(pageContext(request, deps)));
  });

  app.post('/account/password', { config: authLimit, schema: { body: formBody } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const body = request.body as Form;
    try {
      const current = (await service.listSessions(deps, viewer.userId)).find((s) => s.id === viewer.sessionId);
      const started = await service.changePassword(deps, throttle, viewer, text(body.currentPassword), text(body.newPassword), clientOf(request), current?.remember === 1);
      startCookie(reply, started);
      return reply.redirect('/account?notice=password-changed', 303);
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.passwordPage(pageContext(request, deps), e.fields, e.text), e.status);
    }
  });

  app.get('/account/sessions', async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const sessions = await service.listSessions(deps, viewer.userId);
    const notice = (request.query as Form).notice === 'revoked' ? { en: 'The session was ended.', de: 'Die Sitzung wurde beendet.' } : undefined;
    return sendPage(reply, pages.sessionsPage(pageContext(request, deps), sessions, viewer.sessionId, notice));
  });

  app.post('/account/sessions/:id/revoke', { schema: { body: formBody, params: { type: 'object', properties: { id: str(64, 1) } } } }, async (request, reply) => {
    const viewer = requireViewer(request.viewer);
    const id = (request.params as { id: string }).id;
    await service.revokeSession(deps, viewer.userId, id);
    if (id === viewer.sessionId) {
      clearCookie(reply, cookies, cookies.session);
      clearSiteData(reply);
      return reply.redirect('/', 303);
    }
    return reply.redirect('/account/sessions?notice=revoked', 303);
  });

  /**
   * A page reached by a link that carries a token: a live token moves into a short-lived cookie for this path and
   * the browser is sent to the clean address; a dead one to `?link=expired`. The page itself shows the form.
   */
  function registerLinkPage(path: string, isLive: (token: string) => Promise<boolean>, render: (request: FastifyRequest, valid: boolean) => string): void {
    app.get(
      path,
      { config: { tokenLink: true }, schema: { querystring: { type: 'object', properties: { token: str(100), link: { type: 'string', maxLength: 20 } } } } },
      async (request, reply) => {
        const query = request.query as Form;
        const fromLink = text(query.token);
        if (fromLink !== '') {
          if (await isLive(fromLink)) return moveLinkTokenToCookie(reply, cookies, path, fromLink);
          clearLinkToken(reply, cookies, path);
          return reply.header('cache-control', 'no-store').redirect(`${path}?link=expired`, 303);
        }
        const kept = linkTokenOf(request, cookies);
        return sendPage(reply, render(request, query.link !== 'expired' && (kept === '' || (await isLive(kept)))));
      },
    );
  }

  // The link in the notice to the old address. Opening it changes nothing (mail scanners follow links); the form
  // on the page does. As with reset links, the token moves from the address into a short-lived cookie.
  const UNDO_EMAIL = '/account/email-change/undo';
  registerLinkPage(UNDO_EMAIL, (token) => service.isUndoTokenLive(deps, token), (request, valid) => pages.undoEmailChangePage(pageContext(request, deps), valid));

  app.post(UNDO_EMAIL, { config: { ...authLimit, tokenLink: true }, schema: { body: formBody } }, async (request, reply) => {
    const ctx = pageContext(request, deps);
    try {
      await service.undoEmailChange(deps, text((request.body as Form).token) || linkTokenOf(request, cookies));
      clearLinkToken(reply, cookies, UNDO_EMAIL);
      clearCookie(reply, cookies, cookies.session);
      return sendPage(
        reply,
        pages.messagePage(
          ctx,
          { en: 'Change undone', de: 'Änderung rückgängig gemacht' },
          {
            en: 'Your account uses this address again, every session was ended and the old password no longer works. We sent you a link to choose a new password.',
            de: 'Ihr Konto verwendet wieder diese Adresse, alle Sitzungen wurden beendet und das alte Passwort gilt nicht mehr. Wir haben Ihnen einen Link geschickt, mit dem Sie ein neues Passwort wählen.',
          },
          { href: '/account/password-reset', label: { en: 'Reset password', de: 'Passwort zurücksetzen' } },
        ),
      );
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.messagePage(ctx, { en: 'Undo failed', de: 'Rückgängig machen fehlgeschlagen' }, e.text, { href: '/account/password-reset', label: { en: 'Reset password', de: 'Passwort zurücksetzen' } }), e.status);
    }
  });

  app.get('/account/password-reset', async (request, reply) => sendPage(reply, pages.resetRequestPage(pageContext(request, deps), false)));

  app.post('/account/password-reset', { config: authLimit, schema: { body: formBody } }, async (request, reply) => {
    const email = text((request.body as Form).email);
    try {
      await service.requestPasswordReset(deps, email);
      return sendPage(reply, pages.resetRequestPage(pageContext(request, deps), true));
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.resetRequestPage(pageContext(request, deps), false, { email }, e.fields), e.status);
    }
  });

  // Reset and set-up links: the token moves from the address into a short-lived cookie for this path (see
  // platform/http/link-token.ts), and the form posts with it. Without the cookie (the clean page was reached from a
  // webmail, which keeps a SameSite=Strict cookie back on that navigation) the form shows; the post will have it.
  const RESET_CONFIRM = '/account/password-reset/confirm';
  registerLinkPage(RESET_CONFIRM, (token) => service.isResetTokenLive(deps, token), (request, valid) => pages.resetConfirmPage(pageContext(request, deps), '', valid));

  app.post(RESET_CONFIRM, { config: { ...authLimit, tokenLink: true }, schema: { body: formBody } }, async (request, reply) => {
    const body = request.body as Form;
    const token = text(body.token) || linkTokenOf(request, cookies);
    try {
      await service.resetPassword(deps, throttle, token, text(body.password));
      clearLinkToken(reply, cookies, RESET_CONFIRM);
      return sendPage(reply, pages.messagePage(pageContext(request, deps), { en: 'Password saved', de: 'Passwort gespeichert' }, { en: 'Your new password is saved. All sessions were ended; please sign in again.', de: 'Ihr neues Passwort ist gespeichert. Alle Sitzungen wurden beendet; bitte melden Sie sich neu an.' }, { href: '/account/login', label: { en: 'Sign in', de: 'Anmelden' } }));
    } catch (err) {
      const e = formError(err);
      return sendPage(reply, pages.resetConfirmPage(pageContext(request, deps), '', e.code !== 'invalid_token', e.fields), e.status);
    }
  });
}

function verifiedNotice(code: string | undefined): Text | undefined {
  switch (code) {
    case 'verification-sent':
      return {
        en: 'We sent the confirmation link again. To keep mailboxes safe from floods we send at most one such mail in 15 minutes; until then, the link in the last one works.',
        de: 'Wir haben den Bestätigungslink erneut geschickt. Zum Schutz vor Mailfluten senden wir höchstens eine solche E-Mail in 15 Minuten; bis dahin gilt der Link in der letzten.',
      };
    case 'password-changed':
      return { en: 'Your password is changed. Other sessions were ended.', de: 'Ihr Passwort ist geändert. Andere Sitzungen wurden beendet.' };
    default:
      return undefined;
  }
}
