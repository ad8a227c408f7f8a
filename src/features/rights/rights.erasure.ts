// An erasure (Art. 17 GDPR) as steps: the person's files are listed while their rows still point to them, every
// table's rule runs in one transaction (with its step record), the files go, and a confirmation goes out listing
// what statutory retention keeps. Killed between any two, the next run resumes with the step after the last one
// recorded; none runs twice.
import { enqueueMail } from '../mail/index.ts';
import { classifyDataFile } from '../../privacy/files.ts';
import {
  deleteSubjectFiles,
  eraseSubjectRows,
  findSubjectFiles,
  keptRecordsOf,
  type ErasureOutcome,
} from '../../privacy/subject.ts';
import type { Lang } from '../../platform/i18n.ts';
import type { Deps } from '../../deps.ts';
import { erasureDoneMail } from './rights.emails.ts';
import type { RequestStep } from './rights.engine.ts';
import { requestKeys } from './rights.service.ts';
import type { PrivacyRequestsTable } from './rights.tables.ts';

const keysOf = (deps: Deps, request: PrivacyRequestsTable) => requestKeys(deps, request);

/** The period the data map gives sent mail (the confirmation itself stays that long in the outbox). */
function sentMailDays(deps: Deps): number | undefined {
  const rule = deps.dataMap.tables.flatMap((t) => t.retention).find((r) => r.id === 'mail.delete-sent-messages');
  return rule && 'days' in rule.after ? rule.after.days : undefined;
}

export const erasureSteps: readonly RequestStep[] = [
  {
    name: 'list-files',
    async run({ deps, request, commit }) {
      const files = await findSubjectFiles(deps, await keysOf(deps, request));
      await commit(
        async () => files.map((f) => f.path),
        (paths) => paths,
      );
    },
  },
  {
    name: 'erase-records',
    async run({ deps, request, markDone }) {
      await eraseSubjectRows(deps, await keysOf(deps, request), async (trx, outcomes) => {
        // The request record itself is among what the erasure keeps (restricted): its copy here must say so too.
        await markDone(trx, outcomes);
      });
    },
  },
  {
    name: 'delete-files',
    async run({ deps, results, commit }) {
      const paths = (results.get('list-files') as string[] | null) ?? [];
      const outcomes = deleteSubjectFiles(
        deps,
        paths.map((p) => classifyDataFile(deps.dataMap, p)),
      );
      await commit(
        async () => outcomes,
        (o) => o,
      );
    },
  },
  {
    name: 'confirm-by-mail',
    async run({ deps, request, results, commit }) {
      const outcomes = (results.get('erase-records') as ErasureOutcome[] | null) ?? [];
      const lang: Lang = request.lang === 'de' ? 'de' : 'en';
      const mail = erasureDoneMail(lang, {
        to: request.email,
        company: deps.config.operator.company,
        kept: keptRecordsOf(deps.dataMap, outcomes),
        activityName: (id) => deps.dataMap.activity(id).name[lang],
        sentMailDays: sentMailDays(deps),
      });
      await commit((trx) => enqueueMail(trx, deps.clock, mail));
    },
  },
];
