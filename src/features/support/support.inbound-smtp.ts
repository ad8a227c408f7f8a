// The inbound SMTP listener (INBOUND_SMTP_PORT, INBOUND_SMTP_HOST): runs only in the worker that leads the scheduler,
// takes mail for the support address and its reply addresses (`local+REF.token@domain`), nothing else (no relay).
// It speaks plain SMTP without AUTH or STARTTLS: terminate TLS in front of it (a relay or proxy of the mail server) or
// run it on a private port the operator's MX forwards to. A message is answered 250 only once it is committed, so a
// crash never loses accepted mail; a database error answers 451 (the sender tries again later).
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';
import type { LeaderService } from '../../feature.ts';
import { normaliseEmail } from '../../platform/email/address.ts';
import { receiveInboundMail, type InboundDeps } from './support.inbound.ts';
import { replyTargetOfAddress } from './support.tokens.ts';

/** At most this many senders at once, and this many recipients in one message (the size limit is inboundMaxMb). */
export const INBOUND_MAX_CLIENTS = 10;
export const INBOUND_MAX_RECIPIENTS = 10;

const smtpError = (code: number, text: string) => Object.assign(new Error(text), { responseCode: code });

/** Whether the listener takes mail for this recipient: the support address, or a reply address whose tag verifies. */
export function acceptsRecipient(deps: Pick<InboundDeps, 'config'>, address: string): boolean {
  if (normaliseEmail(address) === normaliseEmail(deps.config.supportAddress)) return true;
  return replyTargetOfAddress(deps.config.secret, deps.config.supportAddress, address)?.valid === true;
}

export interface InboundListener {
  port: number;
  stop(): Promise<void>;
}

/** Starts the listener on `port` (0: any free one) and `host`. */
export async function startInboundSmtp(deps: InboundDeps, port: number, host: string): Promise<InboundListener> {
  const maxBytes = deps.config.inboundMaxMb * 1024 * 1024;
  const server = new SMTPServer({
    name: new URL(deps.config.baseUrl).hostname,
    banner: 'Candor support mail',
    disabledCommands: ['AUTH', 'STARTTLS'],
    authOptional: true,
    size: maxBytes,
    maxClients: INBOUND_MAX_CLIENTS,
    logger: false,
    // Stopping (the lease lost, a shutdown) waits this long for sessions; a sender cut off retries later.
    closeTimeout: 5_000,
    onRcptTo(address: SMTPServerAddress, session, callback) {
      if (session.envelope.rcptTo.length >= INBOUND_MAX_RECIPIENTS)
        return callback(smtpError(452, '4.5.3 Too many recipients'));
      if (acceptsRecipient(deps, address.address)) return callback();
      callback(smtpError(550, '5.1.1 No such mailbox here'));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let size = 0;
      stream.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxBytes) chunks.push(chunk);
      });
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (stream.sizeExceeded || size > maxBytes) {
          deps.log.info({ inbound: 'refused', reason: 'too-big' }, 'inbound support mail refused');
          return callback(smtpError(552, '5.3.4 Message too big'));
        }
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
        };
        receiveInboundMail(deps, Buffer.concat(chunks), envelope).then(
          (result) => {
            if (result.outcome === 'refused')
              return callback(
                result.reason === 'too-big'
                  ? smtpError(552, '5.3.4 Message too big')
                  : smtpError(550, '5.7.1 This reply address is not valid'),
              );
            callback();
          },
          (err: unknown) => {
            deps.log.error({ err, inbound: 'failed' }, 'inbound support mail could not be stored');
            callback(smtpError(451, '4.3.0 Temporary failure, try again later'));
          },
        );
      });
    },
  });
  server.on('error', (err) => deps.log.error({ err }, 'inbound SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(port, host, () => {
      server.server.off('error', reject);
      resolve();
    });
  });
  const bound = (server.server.address() as AddressInfo).port;
  deps.log.info({ port: bound }, 'inbound SMTP listening');
  return {
    port: bound,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The listener as the leader's service: started with the lease when INBOUND_SMTP_PORT is set, a no-op otherwise. */
export const inboundSmtpService: LeaderService = {
  name: 'support.inbound-smtp',
  async start(deps) {
    const inbound = deps.config.inboundSmtp;
    if (!inbound) return { stop: () => Promise.resolve() };
    const listener = await startInboundSmtp(deps, inbound.port, inbound.host);
    return { stop: () => listener.stop() };
  },
};
