// Outgoing mail: the outbox, its delivery job, and the staff page that lists what was sent.
import { defineFeature } from '../../feature.ts';
import { mailDataMap } from './mail.data-map.ts';
import { registerMailPages } from './mail.routes.ts';
import { deliverDueMail, pruneMailFiles } from './mail.service.ts';
import { createOutbox } from './migrations/001-outbox.ts';

export { enqueueMail, deliverDueMail, pruneMailFiles, type MailMessage } from './mail.service.ts';

export const mailFeature = defineFeature({
  name: 'mail',
  migrations: [createOutbox],
  dataMap: mailDataMap,
  routes: registerMailPages,
  jobs: [
    {
      name: 'mail.deliver-outbox',
      everyMs: 2000,
      run: (deps) =>
        deliverDueMail({
          db: deps.db,
          clock: deps.clock,
          mailer: deps.mailer,
          log: deps.log,
          from: `${deps.config.operator.company} <${deps.config.operator.email}>`,
          secret: deps.config.secret,
        }).then(() => undefined),
    },
    {
      name: 'mail.prune-mail-files',
      everyMs: 10 * 60_000,
      run: async (deps) => {
        if (deps.mailer.kind === 'file') await pruneMailFiles(deps.db, deps.config.dataDir);
      },
    },
  ],
});
