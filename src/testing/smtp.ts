// A real SMTP server (smtp-server) for tests: records and parses (mailparser) what it accepts, can refuse.
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
  /** The message as the server received it (DKIM verification needs the exact bytes). */
  raw: Buffer;
}

export interface TestSmtpServerOptions {
  /**
   * Count only (crash test, bench): no mailparser and nothing kept in `received`; each accepted message's
   * Message-ID and envelope recipients are read from the raw header block and counted (`countByMessageId`,
   * `messageIdsByRecipient`), which keeps tens of thousands of messages cheap.
   */
  countOnly?: boolean;
}

/** The Message-ID header of a raw message (header block only, folded lines joined), without the angle brackets. */
export function rawMessageId(raw: Buffer): string | undefined {
  const end = raw.indexOf('\r\n\r\n');
  const head = raw
    .subarray(0, end === -1 ? raw.length : end)
    .toString('latin1')
    .replace(/\r\n[ \t]+/g, ' ');
  const match = /^message-id:[ \t]*<?([^>\r\n]*)>?[ \t]*$/im.exec(head);
  return match?.[1]?.trim() || undefined;
}

/** A real SMTP server on a free local port that records what it accepts and can refuse the next messages. */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Every DATA the server was offered, accepted or not. */
  offered = 0;
  /** Messages accepted (answered 250), in either mode. */
  accepted = 0;
  /** How many accepted messages carried each Message-ID (without angle brackets; '' when a message had none). */
  readonly countByMessageId = new Map<string, number>();
  /** Per envelope recipient, the Message-IDs of the messages accepted for it, in the order they arrived. */
  readonly messageIdsByRecipient = new Map<string, string[]>();
  /** performance.now() of the first and the last acceptance (throughput of a run). */
  firstAcceptedAt: number | undefined;
  lastAcceptedAt: number | undefined;
  /** The Message-ID of the message accepted last. */
  lastMessageId: string | undefined;
  private refuseNext = 0;
  /** Recipients refused at RCPT TO, with the reply code and how many more times (refuseRecipient). */
  private readonly refusedRecipients = new Map<string, { code: number; times: number }>();
  /** SMTP sessions open now, and the most that were open at once (a pooled client's connections). */
  openSessions = 0;
  maxOpenSessions = 0;
  private readonly server: SMTPServer;
  port = 0;

  constructor(options: TestSmtpServerOptions = {}) {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onConnect: (_session, callback) => {
        this.openSessions++;
        this.maxOpenSessions = Math.max(this.maxOpenSessions, this.openSessions);
        callback();
      },
      onClose: () => {
        this.openSessions--;
      },
      onRcptTo: (address, _session, callback) => {
        const refusal = this.refusedRecipients.get(address.address.toLowerCase());
        if (!refusal || refusal.times <= 0) return callback();
        refusal.times--;
        const text = refusal.code >= 500 ? '5.1.1 No such mailbox here' : '4.2.1 Mailbox busy, try again later';
        callback(Object.assign(new Error(text), { responseCode: refusal.code }));
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', callback);
        stream.on('end', () => {
          this.offered++;
          if (this.refuseNext > 0) {
            this.refuseNext--;
            callback(
              Object.assign(new Error('4.3.0 Mailbox temporarily unavailable, try again later'), { responseCode: 451 }),
            );
            return;
          }
          const raw = Buffer.concat(chunks);
          const recipients = session.envelope.rcptTo.map((r) => r.address);
          if (options.countOnly) {
            this.count(raw, recipients);
            callback();
            return;
          }
          // Parsed before the reply, so a resolved sendMail() means the mail is already in `received`.
          simpleParser(raw).then(
            (parsed) => {
              this.count(raw, recipients);
              this.received.push({
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                parsed,
                raw,
              });
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
  }

  private count(raw: Buffer, recipients: string[]): void {
    const messageId = rawMessageId(raw) ?? '';
    this.accepted++;
    const now = performance.now();
    this.firstAcceptedAt ??= now;
    this.lastAcceptedAt = now;
    this.lastMessageId = messageId;
    this.countByMessageId.set(messageId, (this.countByMessageId.get(messageId) ?? 0) + 1);
    for (const to of recipients) {
      const seen = this.messageIdsByRecipient.get(to);
      if (seen) seen.push(messageId);
      else this.messageIdsByRecipient.set(to, [messageId]);
    }
  }

  /** Accepted messages beyond the first of their Message-ID: the repeats of an at-least-once delivery. */
  get repeats(): number {
    let n = 0;
    for (const c of this.countByMessageId.values()) n += c - 1;
    return n;
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.server.once('error', reject);
      this.server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  refuse(count: number): void {
    this.refuseNext = count;
  }

  /** Refuses this recipient at RCPT TO with `code` (550: no such mailbox, for good; 451: try later), `times` times. */
  refuseRecipient(address: string, code: number, times = Infinity): void {
    this.refusedRecipients.set(address.toLowerCase(), { code, times });
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
