// Writing mail to the outbox (inside the caller's transaction) and delivering it from the worker.
// Delivery retries with growing delays; a message is leased before sending so no two workers send it.
// Links that grant access are stored as secret placeholders and become tokens only in the message as sent, in the
// text and the HTML part alike; attachments are stored as references and rendered only at delivery.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { MINUTE, type Clock } from '../../platform/clock.ts';
import { AppError, errors } from '../../platform/errors.ts';
import { mailDirectory, type Mailer } from '../../platform/email/mailer.ts';
import type { AttachmentRenderers, MailAttachmentRef, RenderedAttachment } from '../../platform/email/compose.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Logger } from '../../platform/log.ts';
import { revealSecrets } from '../../platform/secret-links.ts';
import { isSuppressed } from './mail.suppression.ts';
import {
  claimOutboxMessage,
  findOutboxMessage,
  insertBusinessLetter,
  insertOutboxMessage,
  listDueOutboxIds,
  listExistingOutboxIds,
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  requeueFailedOutboxMessage,
} from './mail.queries.ts';
import type { Database } from '../../database.ts';

export interface MailMessage {
  to: string;
  subject: string;
  /** The plain-text part. */
  body: string;
  /** The HTML part (platform/email/compose.ts makes both from one set of blocks). */
  html?: string;
  headers?: Record<string, string>;
  /** Files rendered at delivery from a reference (no copy of them is stored in the outbox). */
  attachments?: MailAttachmentRef[];
  /** The template that composed it (`account-reset-password`): the mail console filters by it. */
  template?: string;
  /**
   * The marketing list of a marketing mail: set only by `enqueueMarketingMail`, which adds the unsubscribe headers;
   * delivery then checks the suppression list. Absent for transactional mail, which the list never blocks.
   */
  list?: string;
}

/** Where and when an outbox row is written, beyond its content. */
export interface EnqueueOptions {
  /** The outbox id (and so the Message-ID): a campaign gives each recipient a stable one. A random UUID by default. */
  id?: string;
  /** Not sent before this time (throttled campaigns spread their mails); now by default. */
  notBefore?: number;
}

const RETRY_DELAYS = [1, 5, 15, 60, 180, 360, 720, 1440].map((m) => m * MINUTE);
const LEASE_MS = 2 * MINUTE;

/**
 * Call with the transaction that makes the change the mail reports, so both commit or neither does. A link that
 * grants access goes in with a placeholder (platform/secret-links.ts), never with its token.
 */
export async function enqueueMail(
  db: Kysely<Database>,
  clock: Clock,
  message: MailMessage,
  options: EnqueueOptions = {},
): Promise<string> {
  const now = clock.now();
  const id = options.id ?? randomUUID();
  await insertOutboxMessage(db, {
    id,
    recipient: message.to,
    subject: message.subject,
    body: message.body,
    html: message.html ?? null,
    headers: JSON.stringify(message.headers ?? {}),
    attachments: JSON.stringify(message.attachments ?? []),
    created_at: now,
    attempts: 0,
    next_attempt_at: options.notBefore ?? now,
    locked_until: null,
    sent_at: null,
    failed_at: null,
    last_error: null,
    template: message.template ?? null,
    list: message.list ?? null,
  });
  return id;
}

/** What makes a mail a marketing mail: its list, and the links to leave it. */
export interface MarketingMailOf {
  /** `newsletter`, `similar-products`, `surveys`...: the list the suppression list is checked against. */
  list: string;
  /**
   * The one-click target (RFC 8058): an HTTPS URL whose signed token authenticates a form-encoded POST
   * `List-Unsubscribe=One-Click` without cookie or CSRF token. May hold a secret placeholder (revealed at delivery).
   */
  oneClickUrl: string;
  /**
   * The caller filtered its recipients with `suppressedAmong` a moment ago (a campaign, by the thousand): skips the
   * lookup per mail. Delivery checks the list again in any case.
   */
  suppressionChecked?: boolean;
}

/**
 * Queues a marketing mail: adds `List-Unsubscribe` and `List-Unsubscribe-Post: List-Unsubscribe=One-Click` and
 * records the list, so delivery drops it if the address is on the suppression list by then. The caller's message
 * shows the visible unsubscribe link itself (its blocks). Returns null, writing nothing, when the address is
 * suppressed already.
 */
export async function enqueueMarketingMail(
  deps: { db: Kysely<Database>; clock: Clock; config: { suppressionKey: string } },
  message: MailMessage,
  of: MarketingMailOf,
  options: EnqueueOptions = {},
): Promise<string | null> {
  if (!of.suppressionChecked && (await isSuppressed(deps.db, deps.config.suppressionKey, message.to, of.list)))
    return null;
  return enqueueMail(
    deps.db,
    deps.clock,
    {
      ...message,
      list: of.list,
      headers: {
        ...message.headers,
        'List-Unsubscribe': `<${of.oneClickUrl}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    },
    options,
  );
}

const notFailed = () =>
  new AppError(409, 'mail_not_failed', {
    en: 'Only a mail whose delivery failed can be sent again; this one is queued or was sent.',
    de: 'Erneut senden lässt sich nur eine E-Mail, deren Zustellung fehlgeschlagen ist; diese wartet oder wurde versandt.',
  });

/**
 * Staff send a failed mail again: the same stored message goes back in the queue and the worker delivers it as it
 * would a new one. Its links are made at delivery from the stored placeholders (decision 0011), so a link works
 * only while its token does: a resend never renews a token (decision 0044). Answers the recipient (for the audit).
 */
export async function resendFailedMail(deps: { db: Kysely<Database>; clock: Clock }, id: string): Promise<string> {
  const message = await findOutboxMessage(deps.db, id);
  if (!message) throw errors.notFound();
  if (!(await requeueFailedOutboxMessage(deps.db, id, deps.clock.now()))) throw notFailed();
  return message.recipient;
}

/** What a kept business letter is and whom it is about. */
export interface BusinessLetterOf {
  /** e.g. `order-confirmation`. */
  kind: string;
  /** e.g. the order's id. */
  ref: string;
  userId: string;
  lang: Lang;
}

/**
 * A commercial letter (the order confirmation): queued like any mail, and a copy of it as written (both parts and
 * the attachment references; secret links stay placeholders) kept apart from the outbox for the statutory period
 * (§ 257 HGB: 6 years), in the same transaction. Returns the outbox id.
 */
export async function enqueueBusinessLetter(
  db: Kysely<Database>,
  clock: Clock,
  message: MailMessage,
  letter: BusinessLetterOf,
): Promise<string> {
  const outboxId = await enqueueMail(db, clock, message);
  await insertBusinessLetter(db, {
    id: randomUUID(),
    kind: letter.kind,
    ref: letter.ref,
    user_id: letter.userId,
    outbox_id: outboxId,
    recipient: message.to,
    lang: letter.lang,
    subject: message.subject,
    body: message.body,
    html: message.html ?? null,
    attachments: JSON.stringify(message.attachments ?? []),
    created_at: clock.now(),
    restricted_at: null,
  });
  return outboxId;
}

export interface DeliveryDeps {
  db: Kysely<Database>;
  clock: Clock;
  mailer: Mailer;
  log: Logger;
  from: string;
  /** CANDOR_SECRET: the key that turns the placeholders of secret links into tokens. */
  secret: string;
  /**
   * Makes the files of attachment references (the composition root registers them: Deps.mailAttachments). A
   * message with a reference whose kind has no renderer, or whose renderer finds nothing, is not sent but retried.
   * Without renderers at all (tests that do not look at files), references are left out of the message.
   */
  attachments?: AttachmentRenderers;
}

export async function deliverDueMail(deps: DeliveryDeps, limit = 50): Promise<{ sent: number; failed: number }> {
  let sent = 0;
  let failed = 0;
  for (const id of await listDueOutboxIds(deps.db, deps.clock.now(), limit)) {
    const now = deps.clock.now();
    const message = await claimOutboxMessage(deps.db, id, now, now + LEASE_MS);
    if (!message) continue;
    try {
      const headers = JSON.parse(message.headers) as Record<string, string>;
      const files = await renderAttachments(deps.attachments, JSON.parse(message.attachments) as MailAttachmentRef[]);
      // Secret links become tokens in both parts as the message leaves, never before (decision 0011).
      await deps.mailer.send({
        id: message.id,
        from: deps.from,
        to: message.recipient,
        subject: message.subject,
        text: revealSecrets(deps.secret, message.body, message.recipient),
        ...(message.html !== null ? { html: revealSecrets(deps.secret, message.html, message.recipient) } : {}),
        headers: Object.fromEntries(
          Object.entries(headers).map(([k, v]) => [k, revealSecrets(deps.secret, v, message.recipient)]),
        ),
        ...(files.length > 0 ? { attachments: files } : {}),
      });
      await markOutboxSent(deps.db, id, deps.clock.now());
      sent++;
    } catch (err) {
      // Only a code is kept: SMTP replies often quote the recipient's address.
      const code = describeError(err);
      const delay = RETRY_DELAYS[message.attempts - 1];
      if (delay === undefined) {
        await markOutboxFailed(deps.db, id, deps.clock.now(), code);
        failed++;
      } else {
        await markOutboxRetry(deps.db, id, deps.clock.now() + delay, code);
      }
      deps.log.warn({ outboxId: id, attempt: message.attempts, code }, 'mail delivery failed');
    }
  }
  return { sent, failed };
}

class AttachmentMissingError extends Error {
  readonly code = 'attachment-missing';
}

async function renderAttachments(
  renderers: AttachmentRenderers | undefined,
  refs: MailAttachmentRef[],
): Promise<RenderedAttachment[]> {
  if (!renderers || refs.length === 0) return [];
  const files: RenderedAttachment[] = [];
  for (const ref of refs) {
    const render = renderers[ref.kind];
    // The code names the kind only: a reference may be an order id, which the log must not tie to a person.
    const file = render ? await render(ref) : undefined;
    if (!file) throw new AttachmentMissingError(`no file for a ${ref.kind} attachment`);
    files.push({ ...file, filename: ref.filename });
  }
  return files;
}

function describeError(err: unknown): string {
  const e = err as { code?: string; responseCode?: number };
  return [e.code, e.responseCode].filter(Boolean).join(' ') || 'error';
}

/**
 * The embedded mail sink's .eml files follow their outbox rows: once retention or an erasure removed a row,
 * its file goes too, so no copy of a mail outlives what the data map allows.
 */
export async function pruneMailFiles(db: Kysely<Database>, dataDir: string): Promise<number> {
  const dir = mailDirectory(dataDir);
  if (!existsSync(dir)) return 0;
  const files = readdirSync(dir).filter((f) => /^[0-9a-f-]{36}\.eml$/.test(f));
  const existing = await listExistingOutboxIds(
    db,
    files.map((f) => f.slice(0, -4)),
  );
  let removed = 0;
  for (const file of files) {
    if (existing.has(file.slice(0, -4))) continue;
    unlinkSync(join(dir, file));
    removed++;
  }
  return removed;
}
