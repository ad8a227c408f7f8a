// The site's navigation, contributed by the features: each manifest lists its links, with the place they go
// (the header or the legal footer), whom they are for, and a position. The layout names no feature's page.
import { html, SafeHtml } from '../platform/html.ts';
import type { Role, Viewer } from '../platform/http/context.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';

export interface NavLink {
  href: string;
  label: Text;
  /** 'console': the staff console's sidebar (every page under /staff), shown to the roles in `roles`. */
  place: 'header' | 'legal' | 'console';
  /** Who sees it: everyone, only visitors not signed in, anyone signed in, or signed-in staff (any role but customer). */
  for: 'everyone' | 'guest' | 'signed-in' | 'staff';
  /** For a console link: the roles whose requireRole lets them use it (exactly those of its route). */
  roles?: readonly Role[];
  /** Position within its place, lowest first. */
  order: number;
  /** A link that changes something (signing out) is a form that posts, with the form token. */
  method?: 'post';
  /**
   * A number shown with the link (the basket's item count), taken from the layout slots' `counts` under `key`;
   * nothing is shown for 0. `one`/`other` name it for screen readers ("{n} items"), part of the link's name.
   */
  count?: { key: string; one: Text; other: Text };
}

type Audience = 'guest' | 'customer' | 'staff';

const audienceOf = (viewer: Viewer | null): Audience =>
  !viewer ? 'guest' : viewer.role === 'customer' ? 'customer' : 'staff';

function shownTo(link: NavLink, audience: Audience): boolean {
  if (link.for === 'everyone') return true;
  if (link.for === 'guest') return audience === 'guest';
  if (link.for === 'signed-in') return audience !== 'guest';
  return audience === 'staff';
}

// Every page renders the navigation, and it depends only on the place, the language and the audience: each
// combination is rendered once; only a form's token (sign-out) is filled in per page.
type Part = SafeHtml | { form: NavLink } | { counted: NavLink };
const rendered = new WeakMap<readonly NavLink[], Map<string, Part[]>>();

function partsFor(links: readonly NavLink[], place: NavLink['place'], lang: Lang, audience: Audience): Part[] {
  let byKey = rendered.get(links);
  if (!byKey) rendered.set(links, (byKey = new Map()));
  const key = `${place}|${lang}|${audience}`;
  let parts = byKey.get(key);
  if (!parts) {
    parts = [];
    for (const link of links) {
      if (link.place !== place || place === 'console' || !shownTo(link, audience)) continue;
      parts.push(
        link.method === 'post'
          ? { form: link }
          : link.count
            ? { counted: link }
            : html`<li><a href="${link.href}">${tr(lang, link.label)}</a></li>`,
      );
    }
    byKey.set(key, parts);
  }
  return parts;
}

/** The links of one place for this viewer, as list items. */
export function renderNavigation(
  links: readonly NavLink[],
  place: NavLink['place'],
  viewer: Viewer | null,
  lang: Lang,
  csrf: () => SafeHtml,
  counts: Readonly<Record<string, number>> = {},
): SafeHtml {
  return html`${partsFor(links, place, lang, audienceOf(viewer)).map((part) =>
    part instanceof SafeHtml
      ? part
      : 'form' in part
        ? html`<li><form method="post" action="${part.form.href}" class="inline">${csrf()}<button type="submit">${tr(lang, part.form.label)}</button></form></li>`
        : countedLink(part.counted, lang, counts[part.counted.count?.key ?? ''] ?? 0),
  )}`;
}

/** A link with its number: the digits for the eye, "(3 items)" for screen readers, both inside the link's name. */
function countedLink(link: NavLink, lang: Lang, n: number): SafeHtml {
  if (!link.count || n <= 0) return html`<li><a href="${link.href}">${tr(lang, link.label)}</a></li>`;
  const words = tr(lang, n === 1 ? link.count.one : link.count.other, { n });
  return html`<li><a href="${link.href}">${tr(lang, link.label)} <span class="nav-count" aria-hidden="true">${n}</span><span class="visually-hidden"> (${words})</span></a></li>`;
}

/** The consoles this viewer's role may use, in order (the console's sidebar and its home). */
export function consoleLinks(links: readonly NavLink[], viewer: Viewer | null): NavLink[] {
  if (!viewer || viewer.role === 'customer') return [];
  return links.filter((l) => l.place === 'console' && (l.roles ?? []).includes(viewer.role));
}

/** The console's sidebar links for this viewer, the current console marked. */
export function renderConsoleNavigation(
  links: readonly NavLink[],
  viewer: Viewer | null,
  lang: Lang,
  path: string,
  /** The console's home: marked only on itself, not on every page under it. */
  home?: string,
): SafeHtml {
  const shown = consoleLinks(links, viewer);
  const under = (href: string) => path === href || (href !== home && path.startsWith(`${href}/`));
  // The most specific console is the current one: on /staff/products/import, "Product import", not "Products".
  const current = shown
    .map((l) => l.href)
    .filter(under)
    .sort((a, b) => b.length - a.length)[0];
  return html`${shown.map(
    (l) =>
      html`<li><a href="${l.href}"${l.href === current ? html` aria-current="page"` : ''}>${tr(lang, l.label)}</a></li>`,
  )}`;
}
