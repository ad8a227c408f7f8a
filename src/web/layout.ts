// The page layout every page renders through, and the error page. Pure functions from a model to HTML.
import type { AppError } from '../platform/errors.ts';
import { html, type SafeHtml } from '../platform/html.ts';
import type { Viewer } from '../platform/http/context.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';
import { csrfField } from './forms.ts';
import { renderConsoleNavigation, renderNavigation, type NavLink } from './navigation.ts';
import type { SlotContent } from './slots.ts';

export interface PageContext {
  lang: Lang;
  viewer: Viewer | null;
  /** Called only by pages that render a form (see csrfField). */
  csrfToken: () => string;
  path: string;
  company: string;
  /** What other layers contribute to every page through declared slots (see web/slots.ts). */
  slots: () => SlotContent;
  /** Links to the company's social network pages: plain links that load nothing from those hosts. */
  social: { name: string; url: string }[];
  /** The features' links, in order (see web/navigation.ts). */
  navigation: readonly NavLink[];
  /** The operator's time zone (operator.json `timeZone`): pass it to formatTime. */
  timeZone: string;
  /** Where the header's search field sends its query; without it the header has no search field. */
  searchPath?: string;
  /** The staff console's home; pages under it render in the console's frame for staff. */
  consolePath?: string;
}

const T = {
  skip: { en: 'Skip to content', de: 'Zum Inhalt springen' },
  mainNav: { en: 'Main', de: 'Hauptnavigation' },
  language: { en: 'Language', de: 'Sprache' },
  legal: { en: 'Legal', de: 'Rechtliches' },
  social: { en: 'Follow us', de: 'Folgen Sie uns' },
  search: { en: 'Search products', de: 'Produkte suchen' },
  searchButton: { en: 'Search', de: 'Suchen' },
  searchExample: { en: 'e.g. synth', de: 'z. B. Hall' },
  console: { en: 'Console', de: 'Verwaltung' },
} satisfies Record<string, Text>;

/** Every page under the console's home, for a signed-in member of staff, renders in the console's frame (its sidebar). */
export const inConsole = (ctx: Pick<PageContext, 'path' | 'viewer' | 'consolePath'>): boolean =>
  !!ctx.consolePath &&
  (ctx.path === ctx.consolePath || ctx.path.startsWith(`${ctx.consolePath}/`)) &&
  !!ctx.viewer &&
  ctx.viewer.role !== 'customer';

export function layout(ctx: PageContext, title: string, body: SafeHtml): string {
  const t = (text: Text) => tr(ctx.lang, text);
  const slots = ctx.slots();
  const main = html`<main id="main" tabindex="-1">
${body}
</main>`;
  return `<!doctype html>\n${html`<html lang="${ctx.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${ctx.company}</title>
<link rel="stylesheet" href="/assets/site.css">
${slots.head}</head>
<body>
<a class="skip-link" href="#main">${t(T.skip)}</a>
${slots.top}
<header class="site-header">
  <a class="brand" href="/">${ctx.company}</a>
  ${
    ctx.searchPath
      ? html`<form class="site-search" method="get" action="${ctx.searchPath}" role="search" aria-label="${t(T.search)}">
    <label for="site-search-q" class="visually-hidden">${t(T.search)}</label>
    <input id="site-search-q" type="search" name="q" maxlength="100" placeholder="${t(T.searchExample)}">
    <button type="submit">${t(T.searchButton)}</button>
  </form>`
      : ''
  }
  <nav aria-label="${t(T.mainNav)}">
    <ul>
      ${renderNavigation(ctx.navigation, 'header', ctx.viewer, ctx.lang, () => csrfField(ctx), slots.counts)}
    </ul>
  </nav>
  <nav aria-label="${t(T.language)}" class="lang-switch">
    <ul>
      <li><a href="/preferences/language?lang=en&amp;back=${encodeURIComponent(ctx.path)}" hreflang="en" lang="en"${ctx.lang === 'en' ? html` aria-current="true"` : ''}>English</a></li>
      <li><a href="/preferences/language?lang=de&amp;back=${encodeURIComponent(ctx.path)}" hreflang="de" lang="de"${ctx.lang === 'de' ? html` aria-current="true"` : ''}>Deutsch</a></li>
    </ul>
  </nav>
</header>
${
  inConsole(ctx)
    ? html`<div class="console">
<nav aria-label="${t(T.console)}" class="console-nav">
  <ul>
    ${renderConsoleNavigation(ctx.navigation, ctx.viewer, ctx.lang, ctx.path, ctx.consolePath)}
  </ul>
</nav>
${main}
</div>`
    : main
}
<footer class="site-footer">
  <nav aria-label="${t(T.legal)}">
    <ul>
      ${renderNavigation(ctx.navigation, 'legal', ctx.viewer, ctx.lang, () => csrfField(ctx))}
    </ul>
  </nav>
  ${
    ctx.social.length > 0
      ? html`<nav aria-label="${t(T.social)}"><ul class="social">${ctx.social.map((l) => html`<li><a href="${l.url}" rel="noopener noreferrer">${l.name}</a></li>`)}</ul></nav>`
      : ''
  }
  <p>© ${ctx.company}</p>
</footer>
</body>
</html>`}`;
}

export function errorPage(ctx: PageContext, error: AppError): string {
  const title =
    error.status === 404
      ? tr(ctx.lang, { en: 'Not found', de: 'Nicht gefunden' })
      : tr(ctx.lang, { en: 'Something is not right', de: 'Da stimmt etwas nicht' });
  return layout(
    ctx,
    title,
    html`<h1>${title}</h1>
<p role="alert">${tr(ctx.lang, error.text, { seconds: error.headers['retry-after'] ?? '' })}</p>
<p><a href="/">${tr(ctx.lang, { en: 'Back to the shop', de: 'Zurück zum Shop' })}</a></p>`,
  );
}
