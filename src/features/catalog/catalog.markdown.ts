// Staff-written Markdown (long descriptions, system requirements) as HTML for the shop: the platform's safe renderer
// (platform/markdown.ts: raw HTML off, no images, links to http(s) and mailto only). The text sits under the page's
// h1 and a section's h2, so its highest heading becomes h3.
import { renderMarkdown as renderSafeMarkdown } from '../../platform/markdown.ts';
import type { SafeHtml } from '../../platform/html.ts';

/** The HTML of a Markdown text; empty text gives nothing. */
export function renderMarkdown(text: string): SafeHtml {
  return renderSafeMarkdown(text, { topHeading: 3 });
}
