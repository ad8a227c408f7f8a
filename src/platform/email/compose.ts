// Transactional mail as one document with two faces: a plain-text part and a small, accessible HTML part (inline
// CSS, no remote images, the language set), both made from the same blocks so they never say different things.
// Placeholders of secret links (platform/secret-links.ts) pass through both faces untouched and are revealed at
// delivery. Attachments are references, rendered when the message leaves (the outbox stores no file copies).
import { escapeHtml, type SafeHtml } from '../html.ts';
import type { Lang } from '../i18n.ts';

/** A file the message carries, made at delivery by the renderer registered for `kind` (e.g. `invoice` + order id). */
export interface MailAttachmentRef {
  kind: string;
  ref: string;
  filename: string;
  /** The language the file is made in (the mail's); the renderer's default when absent. */
  lang?: Lang;
}

/** A file as it leaves with the message. */
export interface RenderedAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/**
 * Makes the file of a reference when the message is delivered; undefined when the thing referred to is gone (the
 * delivery then fails and is retried: a letter never leaves without the file it announces).
 */
export type AttachmentRenderer = (ref: MailAttachmentRef) => Promise<RenderedAttachment | undefined>;

/** The renderers by reference kind, registered by the composition root (e.g. `invoice`: the order's invoice PDF). */
export type AttachmentRenderers = Readonly<Record<string, AttachmentRenderer>>;

export type MailBlock =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; text: string }
  /** A call to action: a button in HTML, `label: href` in text. */
  | { kind: 'link'; label: string; href: string }
  /** Label and value pairs (an order's lines, totals, bank details). */
  | { kind: 'table'; caption?: string; rows: { label: string; value: string; strong?: boolean }[] }
  /** Codes the reader copies (licence keys): monospace, never broken inside a code. */
  | { kind: 'codes'; caption?: string; items: { label: string; code: string }[] }
  /** A postal address or another short block of lines under a caption. */
  | { kind: 'address'; caption: string; lines: string[] }
  /** Long text kept as written, e.g. terms or withdrawal information (paragraphs split on blank lines). */
  | { kind: 'text'; title?: string; text: string }
  /** Small print at the end (why you receive this, contact). */
  | { kind: 'note'; text: string }
  /**
   * Content rendered elsewhere by a safe renderer (staff Markdown through platform/markdown.ts): its HTML as it is,
   * and the same content as plain text for the text part. Never markup built from input by hand.
   */
  | { kind: 'rendered'; html: SafeHtml; text: string };

export interface ComposedMail {
  to: string;
  subject: string;
  /** The plain-text part. */
  body: string;
  /** The HTML part. */
  html: string;
  headers?: Record<string, string>;
  attachments?: MailAttachmentRef[];
  template?: string;
}

export interface ComposeInput {
  to: string;
  lang: Lang;
  subject: string;
  blocks: MailBlock[];
  headers?: Record<string, string>;
  attachments?: MailAttachmentRef[];
  /** Which mail this is (`account-reset-password`), kept with the outbox row so staff can find mail by it. */
  template?: string;
}

export function composeMail(input: ComposeInput): ComposedMail {
  return {
    ...(input.template ? { template: input.template } : {}),
    to: input.to,
    subject: input.subject,
    body: mailText(input.blocks),
    html: mailHtml(input.lang, input.subject, input.blocks),
    ...(input.headers ? { headers: input.headers } : {}),
    ...(input.attachments?.length ? { attachments: input.attachments } : {}),
  };
}

export function mailText(blocks: MailBlock[]): string {
  const parts = blocks.map((b): string => {
    switch (b.kind) {
      case 'heading':
        return `${b.text}\n${'='.repeat(Math.min(b.text.length, 60))}`;
      case 'paragraph':
      case 'note':
      case 'rendered':
        return b.text;
      case 'link':
        return `${b.label}:\n${b.href}`;
      case 'table': {
        const width = Math.min(40, Math.max(...b.rows.map((r) => r.label.length)));
        const rows = b.rows.map((r) => `  ${r.label.padEnd(width)}  ${r.value}`);
        return [b.caption, ...rows].filter(Boolean).join('\n');
      }
      case 'codes':
        return [b.caption, ...b.items.map((i) => `  ${i.label}:\n    ${i.code}`)].filter(Boolean).join('\n');
      case 'address':
        return [`${b.caption}:`, ...b.lines.map((l) => `  ${l}`)].join('\n');
      case 'text':
        return [b.title ? `${b.title}\n${'-'.repeat(Math.min(b.title.length, 60))}` : '', b.text.trim()]
          .filter(Boolean)
          .join('\n\n');
    }
  });
  return parts.join('\n\n') + '\n';
}

/** A value up to this long (an amount, a date) stays on one line; a longer one (a bank's name) wraps on a phone. */
const SHORT = 20;
const FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";
const e = escapeHtml;

function paragraphs(text: string, style: string): string {
  return text
    .trim()
    .split(/\n{2,}/)
    .map((p) => `<p style="${style}">${e(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

export function mailHtml(lang: Lang, subject: string, blocks: MailBlock[]): string {
  const p = 'margin:0 0 16px;font-size:16px;line-height:1.5;color:#1a1a1a';
  const body = blocks
    .map((b): string => {
      switch (b.kind) {
        case 'heading':
          return `<h1 style="margin:0 0 16px;font-size:22px;line-height:1.3;color:#1a1a1a">${e(b.text)}</h1>`;
        case 'paragraph':
          return paragraphs(b.text, p);
        case 'note':
          return paragraphs(b.text, 'margin:24px 0 0;font-size:13px;line-height:1.5;color:#4a4a4a');
        case 'link':
          return `<p style="margin:0 0 16px"><a href="${e(b.href)}" style="display:inline-block;padding:12px 20px;background:#0b5cad;color:#ffffff;text-decoration:none;border-radius:4px;font-weight:600">${e(b.label)}</a></p><p style="margin:0 0 16px;font-size:13px;color:#4a4a4a;word-break:break-all">${e(b.href)}</p>`;
        case 'table':
          // A data table: each label is its row's header, so a screen reader reads "Total, 199.00 €".
          return `<table style="width:100%;border-collapse:collapse;margin:0 0 16px;font-size:15px">${b.caption ? `<caption style="text-align:left;font-weight:600;padding:0 0 8px">${e(b.caption)}</caption>` : ''}<tbody>${b.rows
            .map(
              (r) =>
                `<tr><th scope="row" style="padding:6px 8px 6px 0;border-bottom:1px solid #ddd;vertical-align:top;text-align:left;font-weight:${r.strong ? '700' : '400'}">${e(r.label)}</th><td style="padding:6px 0;border-bottom:1px solid #ddd;text-align:right;vertical-align:top;${r.value.length <= SHORT ? 'white-space:nowrap' : 'overflow-wrap:anywhere'}${r.strong ? ';font-weight:700' : ''}">${e(r.value)}</td></tr>`,
            )
            .join('')}</tbody></table>`;
        case 'address':
          return `<p style="${p}"><strong>${e(b.caption)}</strong><br>${b.lines.map((l) => e(l)).join('<br>')}</p>`;
        case 'codes':
          return `${b.caption ? `<p style="${p};font-weight:600">${e(b.caption)}</p>` : ''}${b.items
            .map(
              (i) =>
                `<p style="margin:0 0 4px;font-size:14px;color:#4a4a4a">${e(i.label)}</p><p style="margin:0 0 12px"><code style="font-family:ui-monospace,Menlo,Consolas,monospace;font-size:15px;background:#f2f2f2;padding:4px 6px;white-space:nowrap">${e(i.code)}</code></p>`,
            )
            .join('')}`;
        case 'rendered':
          return `<div style="margin:0 0 16px;font-size:16px;line-height:1.5;color:#1a1a1a">${b.html.value}</div>`;
        case 'text':
          return `<section style="margin:24px 0 0;border-top:1px solid #ddd;padding-top:16px">${b.title ? `<h2 style="margin:0 0 12px;font-size:18px;color:#1a1a1a">${e(b.title)}</h2>` : ''}${paragraphs(b.text, 'margin:0 0 12px;font-size:14px;line-height:1.5;color:#1a1a1a')}</section>`;
      }
    })
    .join('');
  return `<!DOCTYPE html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${e(subject)}</title></head><body style="margin:0;padding:0;background:#ffffff"><main style="max-width:600px;margin:0 auto;padding:24px 16px;${FONT}">${body}</main></body></html>`;
}
