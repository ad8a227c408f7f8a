// Outgoing mail: the outbox, its delivery job, and the staff page that lists what was sent.
import { defineFeature } from '../../feature.ts';
import { mailDataMap } from './mail.data-map.ts';
import { mailFigures } from './mail.figures.ts';
import { registerMailPages } from './mail.routes.ts';
import { deliverOutboxJob, pruneMailFilesJob } from './mail.jobs.ts';
import { createOutbox } from './migrations/001-outbox.ts';
import { addHtmlAndAttachments } from './migrations/002-html-and-attachments.ts';
import { createBusinessLetters } from './migrations/003-business-letters.ts';
import { addMailTemplate } from './migrations/004-mail-template.ts';
import { addMarketingAndSuppression } from './migrations/005-marketing-and-suppression.ts';
import { addTransactionalFirstIndex } from './migrations/006-transactional-first.ts';

export {
  enqueueBusinessLetter,
  enqueueMail,
  enqueueMarketingMail,
  enqueueMarketingMails,
  deliverDueMail,
  deliverMailWhileDue,
  outboxDeliveryStates,
  pruneMailFiles,
  type BusinessLetterOf,
  type DeliveryDeps,
  type EnqueueOptions,
  type MailMessage,
  type MarketingMailOf,
} from './mail.service.ts';
export { pauseOutboxRows, resumeOutboxRows } from './mail.queries.ts';
// The outbox's backlog for the operations feature's figures (/metrics, /staff/operations).
export { findOutboxBacklog } from './mail.figures.queries.ts';
export {
  ALL_MARKETING,
  isSuppressed,
  liftSuppression,
  suppressAddress,
  suppressedAmong,
  suppressedMails,
  suppressionHash,
  suppressionsOf,
  type SuppressionReason,
} from './mail.suppression.ts';

export const mailFeature = defineFeature({
  name: 'mail',
  navigation: [
    {
      href: '/staff/mail',
      label: { en: 'Outgoing mail', de: 'Ausgehende E-Mails' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'dpo', 'admin'],
      order: 52,
    },
    {
      href: '/staff/letters',
      label: { en: 'Business letters', de: 'Geschäftsbriefe' },
      place: 'console',
      for: 'staff',
      roles: ['staff', 'dpo', 'admin'],
      order: 52.5,
    },
  ],
  consoleFigures: mailFigures,
  migrations: [
    createOutbox,
    addHtmlAndAttachments,
    createBusinessLetters,
    addMailTemplate,
    addMarketingAndSuppression,
    addTransactionalFirstIndex,
  ],
  dataMap: (config) => mailDataMap(config.retention.letterYears ?? 6),
  routes: registerMailPages,
  jobs: [deliverOutboxJob, pruneMailFilesJob],
});
