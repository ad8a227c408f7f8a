// Attachments of support messages: an allow-list of types recognised by their content (magic bytes), never by the
// name or the type the sender claimed; the name's extension must agree with the content, so a script named
// `crash.png` is refused. Files live under DATA_DIR/support-attachments/<attachment id>, outside the web root, and
// are served only through the routes that check who may see them (with Content-Disposition: attachment and nosniff).
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const ATTACHMENT_DIRECTORY = 'support-attachments';

interface Kind {
  type: string;
  extensions: string[];
  matches: (b: Buffer) => boolean;
}

const starts = (b: Buffer, bytes: number[], at = 0) => bytes.every((x, i) => b[at + i] === x);

const KINDS: Kind[] = [
  {
    type: 'image/png',
    extensions: ['png'],
    matches: (b) => starts(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  },
  { type: 'image/jpeg', extensions: ['jpg', 'jpeg'], matches: (b) => starts(b, [0xff, 0xd8, 0xff]) },
  { type: 'image/gif', extensions: ['gif'], matches: (b) => starts(b, [0x47, 0x49, 0x46, 0x38]) },
  {
    type: 'image/webp',
    extensions: ['webp'],
    matches: (b) => starts(b, [0x52, 0x49, 0x46, 0x46]) && starts(b, [0x57, 0x45, 0x42, 0x50], 8),
  },
  { type: 'application/pdf', extensions: ['pdf'], matches: (b) => starts(b, [0x25, 0x50, 0x44, 0x46, 0x2d]) },
  { type: 'application/zip', extensions: ['zip'], matches: (b) => starts(b, [0x50, 0x4b, 0x03, 0x04]) },
  {
    // Crash logs and reports: UTF-8 text without control characters, and not a script or markup.
    type: 'text/plain',
    extensions: ['txt', 'log', 'csv'],
    matches: (b) => isPlainText(b),
  },
];

function isPlainText(b: Buffer): boolean {
  if (b.length === 0) return false;
  const text = new TextDecoder('utf-8', { fatal: false }).decode(b);
  if (text.includes('\uFFFD')) return false; // not valid UTF-8
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text)) return false;
  const head = text.trimStart().slice(0, 200).toLowerCase();
  return !head.startsWith('#!') && !head.startsWith('<') && !head.startsWith('\ufeff<');
}

/** The allowed types by name, for messages ("PNG, JPEG, GIF, WebP, PDF, ZIP, TXT, LOG, CSV"). */
export const ALLOWED_EXTENSIONS = KINDS.flatMap((k) => k.extensions);

export type AttachmentCheck =
  { ok: true; contentType: string; fileName: string } | { ok: false; reason: 'too-big' | 'type' | 'empty' };

/** A file name safe to show and to put in Content-Disposition: no path, no control or bidi characters, ≤ 120 chars. */
export function cleanFileName(raw: string): string {
  const base = raw.split(/[\\/]/).pop() ?? '';
  // Control characters, quotes and bidirectional overrides (which would show `\u202Egnp.exe` as `exe.png`) go.
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001F\u007F-\u009F"\u200E\u200F\u202A-\u202E\u2066-\u2069]/g, '').trim();
  return (clean || 'attachment').slice(-120);
}

/** Checks one file against the limit and the allow-list; the name's extension must match the content's type. */
export function checkAttachment(fileName: string, content: Buffer, maxBytes: number): AttachmentCheck {
  if (content.length === 0) return { ok: false, reason: 'empty' };
  if (content.length > maxBytes) return { ok: false, reason: 'too-big' };
  const name = cleanFileName(fileName);
  const ext = /\.([A-Za-z0-9]{1,8})$/.exec(name)?.[1]?.toLowerCase();
  const kind = KINDS.find((k) => k.matches(content));
  if (!kind || ext === undefined || !kind.extensions.includes(ext)) return { ok: false, reason: 'type' };
  return { ok: true, contentType: kind.type, fileName: name };
}

export function attachmentPath(dataDir: string, id: string): string {
  if (!/^[0-9a-f-]{36}$/.test(id)) throw new Error('bad attachment id');
  return join(dataDir, ATTACHMENT_DIRECTORY, id);
}

/** Writes an attachment's file; its modification time comes from the clock, as the data map's file rules expect. */
export function writeAttachmentFile(dataDir: string, id: string, content: Buffer, now: number): void {
  mkdirSync(join(dataDir, ATTACHMENT_DIRECTORY), { recursive: true, mode: 0o700 });
  const path = attachmentPath(dataDir, id);
  writeFileSync(path, content, { mode: 0o600 });
  utimesSync(path, new Date(now), new Date(now));
}

export function readAttachmentFile(dataDir: string, id: string): Buffer | undefined {
  try {
    return readFileSync(attachmentPath(dataDir, id));
  } catch {
    return undefined;
  }
}

export function removeAttachmentFile(dataDir: string, id: string): void {
  rmSync(attachmentPath(dataDir, id), { force: true });
}
