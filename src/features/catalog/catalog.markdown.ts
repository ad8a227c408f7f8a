// Staff-written Markdown (long descriptions, system requirements) as HTML for the shop, through markdown-it with raw
// HTML off: links only to http(s) and mailto, external ones with rel="nofollow noopener"; no images (a picture from
// another host would be a third-party request on the product page), no other URLs. Everything else is escaped.
import MarkdownIt from 'markdown-it';
import { unsafeRaw, type SafeHtml } from '../../platform/html.ts';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
// Images would load from anywhere; the product's own pictures are uploaded (catalog.images.ts).
markdown.disable('image');

const SAFE_LINK = /^(https?:\/\/|mailto:)/i;
// Absolute links only: a relative or protocol-relative address could not be told from an external one.
markdown.validateLink = (url: string) => SAFE_LINK.test(url.trim());

const defaultLinkOpen =
  markdown.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
markdown.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx];
  if (token && /^https?:/i.test(String(token.attrGet('href') ?? ''))) token.attrSet('rel', 'nofollow noopener');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

// The text sits under the page's h1 and a section's h2: its highest heading becomes h3, the others follow in step.
markdown.core.ruler.push('shift_headings', (state) => {
  const headings = state.tokens.filter((t) => t.type === 'heading_open' || t.type === 'heading_close');
  const top = Math.min(...headings.map((t) => Number(t.tag.slice(1))));
  for (const token of headings) token.tag = `h${Math.min(6, Number(token.tag.slice(1)) - top + 3)}`;
});

/** The HTML of a Markdown text; empty text gives nothing. */
export function renderMarkdown(text: string): SafeHtml {
  // markdown-it escapes every text and attribute it writes, and writes no raw HTML with `html: false`.
  return unsafeRaw(text.trim() === '' ? '' : markdown.render(text));
}
