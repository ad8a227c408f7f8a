// Staff-written Markdown (product descriptions, newsletter campaigns) as safe HTML and as plain text, through
// markdown-it with raw HTML off: links only to http(s) and mailto, external ones with rel="nofollow noopener"; no
// images (a picture from another host is a third-party request, in a page or a mail), no other URLs.
import MarkdownIt from 'markdown-it';
import { unsafeRaw, type SafeHtml } from './html.ts';

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });
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

interface Env {
  topHeading?: number;
  [key: string]: unknown;
}

type Token = ReturnType<typeof markdown.parse>[number];

// The text sits under a page's or a mail's own headings: its highest heading becomes `topHeading`, the others follow.
markdown.core.ruler.push('shift_headings', (state) => {
  const topHeading = (state.env as Env).topHeading ?? 3;
  const headings = state.tokens.filter((t) => t.type === 'heading_open' || t.type === 'heading_close');
  const top = Math.min(...headings.map((t) => Number(t.tag.slice(1))));
  for (const token of headings) token.tag = `h${Math.min(6, Number(token.tag.slice(1)) - top + topHeading)}`;
});

/** The HTML of a Markdown text; empty text gives nothing. `topHeading`: the level of its highest heading (3). */
export function renderMarkdown(text: string, options: { topHeading?: number } = {}): SafeHtml {
  // markdown-it escapes every text and attribute it writes, and writes no raw HTML with `html: false`.
  return unsafeRaw(text.trim() === '' ? '' : markdown.render(text, { topHeading: options.topHeading ?? 3 }));
}

function inlineText(children: Token[] | null): string {
  let out = '';
  let href: string | null = null;
  let label = '';
  for (const t of children ?? []) {
    if (t.type === 'link_open') {
      href = String(t.attrGet('href') ?? '');
      label = '';
    } else if (t.type === 'link_close') {
      out += href && href !== label && `mailto:${label}` !== href ? `${label} (${href})` : label;
      href = null;
    } else {
      const piece =
        t.type === 'softbreak' || t.type === 'hardbreak'
          ? '\n'
          : t.type === 'text' || t.type === 'code_inline'
            ? t.content
            : '';
      if (href !== null) label += piece;
      else out += piece;
    }
  }
  return out;
}

/**
 * The same text for a plain-text mail part: paragraphs and headings as lines, list items with their marker, links
 * as "label (address)" (only the links the HTML would make), code as written. Nothing is escaped: it is text.
 */
export function markdownText(text: string): string {
  if (text.trim() === '') return '';
  const blocks: string[] = [];
  const lists: { ordered: boolean; n: number }[] = [];
  let quote = 0;
  let marker = '';
  let heading = 0;
  let tight = false;
  let afterTightItem = false;
  for (const t of markdown.parse(text, { topHeading: 1 })) {
    const indent = '  '.repeat(Math.max(0, lists.length - 1));
    const prefix = '> '.repeat(quote);
    switch (t.type) {
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: t.type === 'ordered_list_open', n: Number(t.attrGet('start') ?? 1) - 1 });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        afterTightItem = false;
        break;
      case 'list_item_open': {
        const list = lists.at(-1)!;
        list.n++;
        marker = list.ordered ? `${list.n}. ` : '- ';
        break;
      }
      case 'blockquote_open':
        quote++;
        break;
      case 'blockquote_close':
        quote--;
        break;
      case 'heading_open':
        heading = Number(t.tag.slice(1));
        break;
      case 'paragraph_open':
        tight = t.hidden;
        break;
      case 'inline': {
        const line = inlineText(t.children);
        if (heading > 0) {
          blocks.push(`${prefix}${line}\n${prefix}${(heading === 1 ? '=' : '-').repeat(Math.min(60, line.length))}`);
          heading = 0;
          afterTightItem = false;
        } else {
          const lead = lists.length > 0 ? indent + (marker || '  ') : '';
          const body = line.split('\n').join(`\n${prefix}${' '.repeat(lead.length)}`);
          // Items of a tight list follow each other line by line.
          if (tight && lists.length > 0 && afterTightItem) blocks[blocks.length - 1] += `\n${prefix}${lead}${body}`;
          else blocks.push(`${prefix}${lead}${body}`);
          afterTightItem = tight && lists.length > 0;
          marker = '';
        }
        break;
      }
      case 'fence':
      case 'code_block':
        blocks.push(
          t.content
            .replace(/\n$/, '')
            .split('\n')
            .map((l) => `${prefix}    ${l}`)
            .join('\n'),
        );
        break;
      case 'hr':
        blocks.push(`${prefix}----`);
        break;
    }
  }
  return blocks.join('\n\n');
}
