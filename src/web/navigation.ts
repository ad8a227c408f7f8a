// The site's navigation, contributed by the features: each manifest lists its links, with the place they go
// (the header or the legal footer), whom they are for, and a position. The layout names no feature's page.
import { html, type SafeHtml } from '../platform/html.ts';
import type { Viewer } from '../platform/http/context.ts';
import { tr, type Lang, type Text } from '../platform/i18n.ts';

export interface NavLink {
  href: string;
  label: Text;
  place: 'header' | 'legal';
  /** Who sees it: everyone, only visitors not signed in, anyone signed in, or signed-in staff (any role but customer). */
  for: 'everyone' | 'guest' | 'signed-in' | 'staff';
  /** Position within its place, lowest first. */
  order: number;
  /** A link that changes something (signing out) is a form that posts, with the form token. */
  method?: 'post';
}

export function linksFor(links: readonly NavLink[], place: NavLink['place'], viewer: Viewer | null): NavLink[] {
  return links.filter(
    (link) =>
      link.place === place &&
      (link.for === 'everyone' ||
        (link.for === 'guest' && !viewer) ||
        (link.for === 'signed-in' && viewer) ||
        (link.for === 'staff' && viewer && viewer.role !== 'customer')),
  );
}

export function renderLinks(links: NavLink[], lang: Lang, csrf: () => SafeHtml): SafeHtml {
  return html`${links.map((link) =>
    link.method === 'post'
      ? html`<li><form method="post" action="${link.href}" class="inline">${csrf()}<button type="submit">${tr(lang, link.label)}</button></form></li>`
      : html`<li><a href="${link.href}">${tr(lang, link.label)}</a></li>`,
  )}`;
}
