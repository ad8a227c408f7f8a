// The site's navigation, contributed by the features: each manifest lists its links, with the place they go
// (the header or the legal footer), whom they are for, and a position. The layout names no feature's page.
import { html, SafeHtml } from '../platform/html.ts';
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
type Part = SafeHtml | { form: NavLink };
const rendered = new WeakMap<readonly NavLink[], Map<string, Part[]>>();

function partsFor(links: readonly NavLink[], place: NavLink['place'], lang: Lang, audience: Audience): Part[] {
  let byKey = rendered.get(links);
  if (!byKey) rendered.set(links, (byKey = new Map()));
  const key = `${place}|${lang}|${audience}`;
  let parts = byKey.get(key);
  if (!parts) {
    parts = [];
    for (const link of links) {
      if (link.place !== place || !shownTo(link, audience)) continue;
      parts.push(
        link.method === 'post' ? { form: link } : html`<li><a href="${link.href}">${tr(lang, link.label)}</a></li>`,
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
): SafeHtml {
  return html`${partsFor(links, place, lang, audienceOf(viewer)).map((part) =>
    part instanceof SafeHtml
      ? part
      : html`<li><form method="post" action="${part.form.href}" class="inline">${csrf()}<button type="submit">${tr(lang, part.form.label)}</button></form></li>`,
  )}`;
}
