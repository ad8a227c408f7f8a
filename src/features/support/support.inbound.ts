// Inbound mail to the support address (issue 14): a reply continues its ticket, found only by a reply token that
// verifies (in the address it was sent to, or in In-Reply-To/References), never by its subject; any other mail opens a
// ticket. Auto-replies, bounces, mailing lists and our own mail are dropped without a word: nothing is ever sent back
// to an inbound sender (a spoofed sender would turn an acknowledgement into backscatter). A token that does not verify
// refuses the mail. A new ticket is filed under the From address (never a registered account's: From is not verified),
// which must be a valid address. Attachments pass the same checks as uploads; a refused file is dropped (nothing of it
// is stored) and an internal note tells staff which and why. The logs carry reason codes only, never addresses.
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { simpleParser, type AddressObject, type ParsedMail } from 'mailparser';
import type { Deps } from '../../deps.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import type { Lang } from '../../platform/i18n.ts';
import { LIMITS } from './support.model.ts';
import { findTicket, findTicketByRef, hasMailMessageId, insertMessage } from './support.queries.ts';
import {
  AttachmentRefused,
  addCustomerMessage,
  checkAttachments,
  TicketRestricted,
  oneLine,
  openTicket,
  requesterOf,
  type NewAttachment,
} from './support.service.ts';
import type { SupportTicketsTable } from './support.tables.ts';
import { replyTargetOfAddress, replyTargetOfMessageId, type ReplyTarget } from './support.tokens.ts';

export type InboundDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'log'>;

/** The SMTP envelope; null for a mail delivered to the inbox folder (taken from its Return-Path and To/Cc). */
export type InboundEnvelope = { from: string; to: string[] } | null;

export type DropReason =
  | 'auto-submitted'
  | 'auto-reply'
  | 'bulk'
  | 'list'
  | 'report'
  | 'bounce'
  | 'loop'
  | 'own-address'
  | 'not-for-us'
  | 'bad-sender';

export type InboundResult =
  | { outcome: 'opened' | 'continued'; ticketId: string; refusedFiles: number }
  | { outcome: 'dropped'; reason: DropReason }
  | { outcome: 'duplicate' }
  | { outcome: 'refused'; reason: 'forged-token' | 'too-big' };

/** Reads one inbound mail into a ticket, or drops or refuses it. Throws only on a database (or storage) error. */
export async function receiveInboundMail(
  deps: InboundDeps,
  raw: Buffer | Readable,
  envelope: InboundEnvelope,
): Promise<InboundResult> {
  const maxBytes = deps.config.inboundMaxMb * 1024 * 1024;
  if (Buffer.isBuffer(raw) && raw.length > maxBytes) return refuse(deps, 'too-big');
  const mail = await simpleParser(raw, { skipImageLinks: true, maxHtmlLengthToParse: 2 * 1024 * 1024 });
  const env = envelope ?? envelopeOfHeaders(mail);

  const drop = dropReason(deps, mail, env);
  if (drop) return dropped(deps, drop);
  // Only the recipients that are ours count (a mail Cc'd to us among others is still ours); none: not for us.
  const ours = { from: env.from, to: env.to.filter((a) => isSupportAddress(deps, a)) };
  if (ours.to.length === 0) return dropped(deps, 'not-for-us');

  const messageId = oneLine(mail.messageId ?? '', 250) || null;
  if (messageId && (await hasMailMessageId(deps.db, messageId))) {
    deps.log.info({ inbound: 'duplicate' }, 'inbound support mail read already');
    return { outcome: 'duplicate' };
  }

  const target = replyTarget(deps, mail, ours);
  if (target && !target.valid) return refuse(deps, 'forged-token');
  const ticket = target ? await followMerges(deps, await findTicketByRef(deps.db, target.ref)) : undefined;

  const body = bodyOf(mail);
  const { accepted, refused } = sortAttachments(deps, mail);
  let ticketId: string | undefined;
  let outcome: 'opened' | 'continued' = 'continued';
  if (ticket) {
    try {
      await addCustomerMessage(deps, ticket.id, {
        via: 'email',
        body,
        attachments: accepted,
        mailMessageId: messageId,
      });
      ticketId = ticket.id;
    } catch (err) {
      // A restricted ticket (kept after its person's erasure) takes nothing more: the mail opens a new one instead.
      if (!(err instanceof TicketRestricted)) throw err;
    }
  }
  if (ticketId === undefined) {
    // The From header is not verified (anyone can write any address there): a new ticket is always filed under the
    // address, like a guest's, never under the account registered with it.
    const address = senderOf(mail, env);
    if (address === undefined) return dropped(deps, 'bad-sender');
    const opened = await openTicket(deps, {
      requester: requesterOf({ email: address }),
      requesterName: mail.from?.value[0]?.name || null,
      subject: mail.subject ?? '',
      body,
      lang: langOf(mail),
      source: 'email',
      attachments: accepted,
      mailMessageId: messageId,
    });
    ticketId = opened.id;
    outcome = 'opened';
  }
  if (refused.length > 0) await noteRefusedFiles(deps, ticketId, refused);
  deps.log.info({ inbound: outcome, refusedFiles: refused.length }, 'inbound support mail read');
  return { outcome, ticketId, refusedFiles: refused.length };
}

function dropped(deps: InboundDeps, reason: DropReason): InboundResult {
  deps.log.info({ inbound: 'dropped', reason }, 'inbound support mail dropped');
  return { outcome: 'dropped', reason };
}

function refuse(deps: InboundDeps, reason: 'forged-token' | 'too-big'): InboundResult {
  deps.log.info({ inbound: 'refused', reason }, 'inbound support mail refused');
  return { outcome: 'refused', reason };
}

// ---------------------------------------------------------------------------------------------------------------
// Who and what: the envelope of a folder delivery, the domains of our own mail.

function addressesOf(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? '')).filter((a) => a !== '');
}

function header(mail: ParsedMail, name: string): string | undefined {
  const value = mail.headers.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(String).join(', ');
  if (value instanceof Date) return value.toISOString();
  if ('value' in value && typeof value.value === 'string') return value.value;
  if ('text' in value && typeof value.text === 'string') return value.text;
  return undefined;
}

/** The addresses of a header as mailparser gives it: a string, an address object, or a list of either. */
function headerAddresses(mail: ParsedMail, name: string): string[] {
  const value = mail.headers.get(name);
  const list: unknown[] = value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((v) => {
    if (typeof v === 'string') return v.split(',').map((a) => a.trim().replace(/^<|>$/g, ''));
    if (v && typeof v === 'object' && 'value' in v && Array.isArray(v.value)) return addressesOf(v as AddressObject);
    return [];
  });
}

/**
 * The envelope of a mail from the inbox folder: Return-Path (`<>` for a bounce), and the recipients the delivering
 * server wrote (Delivered-To, X-Original-To) or, without them, To and Cc.
 */
function envelopeOfHeaders(mail: ParsedMail): { from: string; to: string[] } {
  const returnPath = header(mail, 'return-path');
  const from =
    returnPath !== undefined ? returnPath.replace(/^\s*<?\s*|\s*>?\s*$/g, '') : (mail.from?.value[0]?.address ?? '');
  const delivered = [...headerAddresses(mail, 'delivered-to'), ...headerAddresses(mail, 'x-original-to')];
  const to = delivered.length > 0 ? delivered : [...addressesOf(mail.to), ...addressesOf(mail.cc)];
  return { from, to: to.filter((a) => a.includes('@')) };
}

// A plain address of at most 254 characters: what a ticket's requester (and the reply's recipient) can be.
const EMAIL =
  /^[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+(?:\.[\p{L}\p{N}!#$%&'*+/=?^_`{|}~-]+)*@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+[\p{L}\p{N}-]{2,63}$/u;

/** The sender of a new ticket: the From header's address (the envelope's without one), if it is a valid address. */
function senderOf(mail: ParsedMail, envelope: { from: string }): string | undefined {
  const raw = mail.from ? (mail.from.value[0]?.address ?? '') : envelope.from;
  const address = normaliseEmail(raw);
  if (address.length > 254 || address.lastIndexOf('@') > 64 || !EMAIL.test(address)) return undefined;
  return address;
}

function split(address: string): { local: string; domain: string } {
  const at = address.lastIndexOf('@');
  return at < 0 ? { local: address, domain: '' } : { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/** The domains our own Message-IDs end in: the support address's and the shop's host (the outbox's ids). */
function ourDomains(deps: InboundDeps): Set<string> {
  const domains = new Set([split(deps.config.supportAddress.toLowerCase()).domain]);
  try {
    domains.add(new URL(deps.config.baseUrl).hostname.toLowerCase());
  } catch {
    // a base URL that does not parse names no domain
  }
  return domains;
}

const bareId = (id: string) => id.trim().replace(/^</, '').replace(/>$/, '');

const OUTBOX_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTIFICATION_ID = /^[A-HJ-NP-Z2-9]{8}\.[A-Za-z0-9_-]{43}\.[^.@]+$/;

/** Whether a Message-ID is one Candor gave a mail (the outbox's `<uuid@host>`, a notification's `<REF.token.n@domain>`). */
function isOurMessageId(deps: InboundDeps, id: string): boolean {
  const { local, domain } = split(bareId(id));
  if (!ourDomains(deps).has(domain.toLowerCase())) return false;
  return OUTBOX_ID.test(local) || NOTIFICATION_ID.test(local);
}

/** Whether an address is the support address itself, with or without a `+` tag. */
function isSupportAddress(deps: InboundDeps, address: string): boolean {
  const support = split(normaliseEmail(deps.config.supportAddress));
  const { local, domain } = split(normaliseEmail(address));
  const base = local.includes('+') ? local.slice(0, local.indexOf('+')) : local;
  return domain === support.domain && base === support.local;
}

// ---------------------------------------------------------------------------------------------------------------
// Dropping: mail that no person wrote to us, or that we wrote ourselves.

const BULK_PRECEDENCE = new Set(['bulk', 'junk', 'list', 'auto_reply']);
const AUTO_REPLY_SUBJECT =
  /^\s*(out of (the )?office|automatic reply|auto-?reply|abwesenheitsnotiz|automatische antwort)\b/i;

/** An out-of-office or other auto-reply that does not say Auto-Submitted (Exchange, many webmailers). */
function isAutoReply(mail: ParsedMail): boolean {
  if (mail.headers.has('x-autoreply') || mail.headers.has('x-autorespond')) return true;
  const suppress = header(mail, 'x-auto-response-suppress')?.toLowerCase() ?? '';
  if (/\b(oof|all)\b/.test(suppress)) return true;
  if (mail.headers.has('x-ms-exchange-generated-message-source')) return true;
  return AUTO_REPLY_SUBJECT.test(mail.subject ?? '');
}
const DAEMONS = new Set(['mailer-daemon', 'postmaster']);

export function dropReason(
  deps: InboundDeps,
  mail: ParsedMail,
  envelope: { from: string; to: string[] },
): DropReason | undefined {
  const autoSubmitted = header(mail, 'auto-submitted')?.trim().toLowerCase();
  if (autoSubmitted !== undefined && autoSubmitted !== 'no') return 'auto-submitted';
  const contentType = header(mail, 'content-type')?.trim().toLowerCase();
  if (contentType?.startsWith('multipart/report')) return 'report';
  const sender = envelope.from.trim().replace(/^<|>$/g, '');
  if (sender === '') return 'bounce';
  const fromHeader = mail.from?.value[0]?.address ?? '';
  if ([sender, fromHeader].some((a) => DAEMONS.has(split(a.toLowerCase()).local))) return 'bounce';
  if (isAutoReply(mail)) return 'auto-reply';
  const precedence = header(mail, 'precedence')?.trim().toLowerCase();
  if (precedence !== undefined && BULK_PRECEDENCE.has(precedence)) return 'bulk';
  // mailparser gathers List-* headers under `list` ({ id, unsubscribe, … }).
  const list = mail.headers.get('list');
  const listHeaders = list && typeof list === 'object' ? Object.keys(list) : [];
  if (listHeaders.includes('id') || listHeaders.includes('unsubscribe')) return 'list';
  if (mail.headers.has('list-id') || mail.headers.has('list-unsubscribe')) return 'list';
  if (mail.messageId && isOurMessageId(deps, mail.messageId)) return 'loop';
  if ([sender, fromHeader].some((a) => a !== '' && isSupportAddress(deps, a))) return 'own-address';
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// The ticket a reply belongs to.

/**
 * The reply target: the envelope recipients first, then In-Reply-To and References (only Message-IDs under our own
 * domains, so another mailer's ids never look like a forged token). A token that verifies anywhere wins; one that
 * does not, with none that does, refuses the mail.
 */
function replyTarget(
  deps: InboundDeps,
  mail: ParsedMail,
  envelope: { from: string; to: string[] },
): ReplyTarget | undefined {
  const secret = deps.config.secret;
  const targets = envelope.to.map((to) => replyTargetOfAddress(secret, deps.config.supportAddress, to));
  const valid = targets.find((t) => t?.valid);
  if (valid) return valid;
  // A tag that does not verify refuses the mail only when it was sent to no plain support address beside it (a new
  // request that Cc's a stale reply address still opens a ticket).
  const invalid = targets.find((t) => t !== undefined);
  if (invalid && !targets.includes(undefined)) return invalid;
  const domains = ourDomains(deps);
  const references = typeof mail.references === 'string' ? [mail.references] : (mail.references ?? []);
  const ids = [...(mail.inReplyTo ? mail.inReplyTo.split(/\s+/) : []), ...references.flatMap((r) => r.split(/\s+/))]
    .map(bareId)
    .filter((id) => id !== '' && domains.has(split(id).domain.toLowerCase()));
  const byId = ids.map((id) => replyTargetOfMessageId(secret, id)).filter((t): t is ReplyTarget => t !== undefined);
  return byId.find((t) => t.valid) ?? byId[0];
}

/** A merged ticket's reply continues the ticket it was merged into (followed a few steps at most). */
async function followMerges(
  deps: InboundDeps,
  ticket: SupportTicketsTable | undefined,
): Promise<SupportTicketsTable | undefined> {
  let current = ticket;
  for (let step = 0; step < 10 && current?.merged_into; step++) {
    const next = await findTicket(deps.db, current.merged_into);
    if (!next) break;
    current = next;
  }
  return current;
}

// ---------------------------------------------------------------------------------------------------------------
// What is kept: the new text without the quoted thread, the attachments that pass.

const QUOTE_HEADS = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*Am\b.{0,300}\bschrieb\b.{0,300}:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Ursprüngliche Nachricht)\s*-{2,}\s*$/i,
];

/** The text of a reply without the quoted thread below the usual markers, at most LIMITS.body characters. */
export function stripQuotedReply(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const joined = i + 1 < lines.length ? `${line} ${lines[i + 1]!}` : line;
    if (QUOTE_HEADS.some((re) => re.test(line))) break;
    // A client that wrapped "On …, X <x@y> wrote:" over two lines.
    if (/^\s*(On|Am)\b/.test(line) && QUOTE_HEADS.some((re) => re.test(joined))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return kept.join('\n').trim();
}

function bodyOf(mail: ParsedMail): string {
  const text = mail.text ?? '';
  const stripped = stripQuotedReply(text);
  return (stripped || text.trim()).slice(0, LIMITS.body);
}

function langOf(mail: ParsedMail): Lang {
  return header(mail, 'content-language')?.trim().toLowerCase().startsWith('de') ? 'de' : 'en';
}

interface RefusedFile {
  fileName: string;
  reason: AttachmentRefused['reason'];
}

/** Each attachment through the upload checks on its own: a refused one is left out, the others go on. */
function sortAttachments(deps: InboundDeps, mail: ParsedMail): { accepted: NewAttachment[]; refused: RefusedFile[] } {
  const accepted: NewAttachment[] = [];
  const refused: RefusedFile[] = [];
  for (const a of mail.attachments) {
    const file = { fileName: a.filename || 'attachment', content: a.content };
    try {
      // Its own check first (a refused file is told its real reason), then the count.
      const [checked] = checkAttachments(deps, [file]);
      if (accepted.length >= LIMITS.attachmentsPerMessage) {
        refused.push({ fileName: file.fileName, reason: 'too-many' });
        continue;
      }
      accepted.push({ fileName: checked!.fileName, content: file.content });
    } catch (err) {
      if (!(err instanceof AttachmentRefused)) throw err;
      refused.push({ fileName: file.fileName, reason: err.reason });
    }
  }
  return { accepted, refused };
}

const REASON_TEXT: Record<AttachmentRefused['reason'], string> = {
  'too-big': 'too big / zu groß',
  type: 'type not allowed or not matching its name / Dateityp nicht erlaubt oder passt nicht zum Namen',
  empty: 'empty / leer',
  'too-many': 'more than five files / mehr als fünf Dateien',
};

/** The internal note (no staff author) naming the files left out and why, so staff can ask for another format. */
async function noteRefusedFiles(deps: InboundDeps, ticketId: string, refused: RefusedFile[]): Promise<void> {
  const ticket = await findTicket(deps.db, ticketId);
  if (!ticket) return;
  const lines = refused.map((f) => `- ${oneLine(f.fileName, 120)}: ${REASON_TEXT[f.reason]}`);
  await insertMessage(deps.db, {
    id: randomUUID(),
    ticket_id: ticket.id,
    requester: ticket.requester,
    author: 'note',
    staff_id: null,
    body: [
      'Attachments of the last email were not taken (ask for another format if needed):',
      'Anhänge der letzten E-Mail wurden nicht übernommen (bei Bedarf um ein anderes Format bitten):',
      ...lines,
    ].join('\n'),
    via: 'email',
    mail_message_id: null,
    created_at: deps.clock.now(),
    kept_reason: ticket.kept_reason,
    restricted_at: null,
  });
}
