// Mail transports. With SMTP_URL, messages go over SMTP; without it, the embedded default writes each
// message as an .eml file under DATA_DIR/mail so a newcomer can read it. Both build RFC 5322 messages
// with nodemailer (text and HTML as multipart/alternative, files as attachments) and a stable Message-ID per
// outbox row, so a retried delivery is recognisable.
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import nodemailer from 'nodemailer';

export interface OutgoingMail {
  id: string;
  from: string;
  to: string;
  subject: string;
  /** The plain-text part. */
  text: string;
  /** The HTML alternative of the same content (multipart/alternative with `text`). */
  html?: string;
  headers?: Record<string, string>;
  /** Files the message carries, rendered from their references at delivery. */
  attachments?: { filename: string; contentType: string; content: Buffer }[];
}

export interface Mailer {
  readonly kind: 'smtp' | 'file';
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

function messageId(mail: OutgoingMail, domain: string): string {
  return `<${mail.id}@${domain}>`;
}

export function createSmtpMailer(url: string, domain: string): Mailer {
  // Timeouts well inside the outbox lease (2 min), so a slow server cannot outlast it and cause a resend.
  const withTimeouts = new URL(url);
  for (const [key, ms] of [
    ['connectionTimeout', 20_000],
    ['greetingTimeout', 20_000],
    ['socketTimeout', 60_000],
  ] as const) {
    if (!withTimeouts.searchParams.has(key)) withTimeouts.searchParams.set(key, String(ms));
  }
  const transport = nodemailer.createTransport(withTimeouts.toString());
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({ ...mail, messageId: messageId(mail, domain) });
    },
    close: () => transport.close(),
  };
}

export function mailDirectory(dataDir: string): string {
  return join(dataDir, 'mail');
}

/** `clock`: the file's time is set from it, so the data map's retention of these files follows the injected clock. */
export function createFileMailer(dataDir: string, domain: string, clock?: { now(): number }): Mailer {
  const dir = mailDirectory(dataDir);
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    kind: 'file',
    async send(mail) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const info = await transport.sendMail({ ...mail, messageId: messageId(mail, domain) });
      // The outbox id names the file, so a retried delivery overwrites instead of duplicating.
      const file = join(dir, `${mail.id}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      if (clock) utimesSync(file, clock.now() / 1000, clock.now() / 1000);
    },
    close: () => transport.close(),
  };
}
