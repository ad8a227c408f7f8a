// The shell: the language switch, the imprint and the health check.
import Type from 'typebox';
import type { Deps } from '../../deps.ts';
import type { App } from '../../platform/http/app.ts';
import { cookiePolicy } from '../../platform/http/cookies.ts';
import { isLang } from '../../platform/i18n.ts';
import { pageContext, safeBackPath, sendPage } from '../../web/index.ts';
import { imprintPage } from './shell.pages.ts';

const LanguageQuery = Type.Object({
  lang: Type.Optional(Type.String({ maxLength: 5 })),
  back: Type.Optional(Type.String({ maxLength: 500 })),
});

export function registerShell(app: App, deps: Pick<Deps, 'config'>): void {
  const cookies = cookiePolicy(deps.config.baseUrl);

  // A link, not a form: switching the language changes only the visitor's own preference cookie.
  app.get('/preferences/language', { schema: { querystring: LanguageQuery } }, async (request, reply) => {
    const { lang, back } = request.query;
    if (isLang(lang)) {
      reply.setCookie(cookies.prefs, new URLSearchParams({ lang }).toString(), {
        path: '/',
        httpOnly: true,
        secure: cookies.secure,
        sameSite: 'lax',
        maxAge: 365 * 24 * 3600,
      });
    }
    return reply.header('cache-control', 'no-store').redirect(safeBackPath(back), 303);
  });

  app.get('/imprint', async (request, reply) =>
    sendPage(reply, imprintPage(pageContext(request), deps.config.operator)),
  );
  app.get('/healthz', async () => ({ status: 'ok' }));
}
