// A real SMTP server (smtp-server) for tests: records and parses (mailparser) what it accepts, can refuse.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelopeFrom: string;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** A real SMTP server on a free local port that records what it accepts and can refuse the next messages. */
export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** Every DATA the server was offered, accepted or not. */
  offered = 0;
  private refuseNext = 0;
  private readonly server: SMTPServer;
  port = 0;

  constructor() {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
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
          // Parsed before the reply, so a resolved sendMail() means the mail is already in `received`.
          simpleParser(Buffer.concat(chunks)).then(
            (parsed) => {
              this.received.push({
                envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                envelopeTo: session.envelope.rcptTo.map((r) => r.address),
                parsed,
              });
              callback();
            },
            (err: Error) => callback(err),
          );
        });
      },
    });
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

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
