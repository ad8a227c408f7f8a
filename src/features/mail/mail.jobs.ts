// The mail feature's jobs: delivering the outbox, and removing mail files whose outbox row is gone.
import type { Job } from '../../feature.ts';
import { deliverMailWhileDue, pruneMailFiles } from './mail.service.ts';

export const deliverOutboxJob: Job<'db' | 'clock' | 'mailer' | 'log' | 'config' | 'mailAttachments'> = {
  name: 'mail.deliver-outbox',
  everyMs: 2000,
  // Every worker delivers, each claiming its own batches (mail.queries.ts claimDueOutboxBatch).
  everyWorker: true,
  run: async (deps, run) => {
    // Keeps delivering while mail is due (up to 20 s), so a campaign is not held at one batch per tick.
    const done = await deliverMailWhileDue(
      {
        db: deps.db,
        clock: deps.clock,
        mailer: deps.mailer,
        log: deps.log,
        from: `${deps.config.operator.company} <${deps.config.operator.email}>`,
        secret: deps.config.secret,
        attachments: deps.mailAttachments,
        concurrency: deps.config.mailConcurrency,
        suppressionKey: deps.config.suppressionKey,
      },
      undefined,
      run?.signal,
    );
    return { items: done.sent + done.failed };
  },
};

export const pruneMailFilesJob: Job<'db' | 'mailer' | 'config'> = {
  name: 'mail.prune-mail-files',
  everyMs: 10 * 60_000,
  run: async (deps) => {
    // Only the file mailer writes files (development and tests).
    if (deps.mailer.kind === 'file') await pruneMailFiles(deps.db, deps.config.dataDir);
  },
};
