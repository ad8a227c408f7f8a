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

/**
 * `<outbox id@domain>`, stable across retries; a mail that names its own (a support notification, whose Message-ID
 * carries the ticket's reply token so that replies find their ticket) keeps that one.
 */
function messageId(mail: OutgoingMail, domain: string): string {
  return mail.headers?.['Message-ID'] ?? `<${mail.id}@${domain}>`;
}

/** The extra headers without Message-ID, which goes in as the message id itself. */
function otherHeaders(mail: OutgoingMail): Record<string, string> | undefined {
  if (!mail.headers) return undefined;
  const { ['Message-ID']: _id, ...rest } = mail.headers;
  return rest;
}

/** How the SMTP transport is built beyond its URL (config: MAIL_CONCURRENCY and DKIM_*). */
export interface SmtpMailerOptions {
  /** Connections kept open to the server at once (the pool's size); one message in flight on each. 1 by default. */
  maxConnections?: number;
  /** Signs every message (nodemailer's DKIM signer, whose header list covers both List-Unsubscribe headers). */
  dkim?: { domainName: string; keySelector: string; privateKey: string } | undefined;
}

/**
 * A pooled SMTP transport: up to `maxConnections` messages travel at once over connections that stay open between
 * messages, so a campaign does not pay a TCP and SMTP handshake per mail. It hands the server exactly the fields of
 * OutgoingMail (the gate in front of it has checked them against the data map), nothing nodemailer would add
 * beyond the structure of the message.
 */
export function createSmtpMailer(url: string, domain: string, options: SmtpMailerOptions = {}): Mailer {
  // Timeouts well inside the outbox lease (2 min), so a slow server cannot outlast it and cause a resend. Values in
  // the URL's query win over these defaults (nodemailer merges the URL over the object).
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: Math.max(1, options.maxConnections ?? 1),
    connectionTimeout: 20_000,
    greetingTimeout: 20_000,
    socketTimeout: 60_000,
    ...(options.dkim ? { dkim: options.dkim } : {}),
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await transport.sendMail({
        messageId: messageId(mail, domain),
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        ...(mail.html !== undefined ? { html: mail.html } : {}),
        ...(mail.headers ? { headers: otherHeaders(mail) } : {}),
        ...(mail.attachments ? { attachments: mail.attachments } : {}),
      });
    },
    close: () => transport.close(),
  };
}

/**
 * The transport the configuration asks for: with SMTP_URL a pooled SMTP connection to the relay (MAIL_CONCURRENCY
 * messages at once, DKIM-signed when DKIM_* is set); without it the file sink of development. The composition root
 * wraps it in the outbound gate.
 */
export function createMailer(
  config: {
    smtpUrl: string | undefined;
    dataDir: string;
    mailConcurrency: number;
    dkim?: SmtpMailerOptions['dkim'];
  },
  domain: string,
  clock?: { now(): number },
): Mailer {
  return config.smtpUrl
    ? createSmtpMailer(config.smtpUrl, domain, { maxConnections: config.mailConcurrency, dkim: config.dkim })
    : createFileMailer(config.dataDir, domain, clock);
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
      const info = await transport.sendMail({
        ...mail,
        headers: otherHeaders(mail),
        messageId: messageId(mail, domain),
      });
      // The outbox id names the file, so a retried delivery overwrites instead of duplicating.
      const file = join(dir, `${mail.id}.eml`);
      writeFileSync(file, info.message as Buffer, { mode: 0o600 });
      if (clock) utimesSync(file, clock.now() / 1000, clock.now() / 1000);
    },
    close: () => transport.close(),
  };
}
