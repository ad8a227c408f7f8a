// The end of dormant accounts (policy 9c; issue 16): a daily job finds customer accounts with no sign-in, no use of
// a session and no order for `retention.dormantYears` (3), mails a notice in their language (erased in 30 days
// unless they sign in, with what statutory retention would keep), and 30 days later, if they were not used since,
// opens an erasure request the worker runs like any other. An account that holds licences or registered hardware
// is never erased for dormancy: its notice offers the export instead, once per dormancy period. Using the account
// (signing in) deletes its notice, and with it the pending erasure.
import { randomUUID } from 'node:crypto';
import type { Deps } from '../../deps.ts';
import type { Job } from '../../feature.ts';
import { DAY } from '../../platform/clock.ts';
import { isLang, type Lang } from '../../platform/i18n.ts';
import type { KeptRecord } from '../../privacy/subject.ts';
import { linkValues } from '../../privacy/subject.ts';
import { enqueueMail } from '../mail/index.ts';
import { dormantErasureMail, dormantExportMail, type DormancyNotice } from './rights.dormancy.emails.ts';
import {
  countLinkedRows,
  deleteNoticesOfActiveAccounts,
  holdsLicencesOrHardware,
  insertNotice,
  latestNoticeOf,
  listDormantAccounts,
  setNoticeRequest,
  type DormantAccount,
} from './rights.dormancy.queries.ts';
import { openRequest } from './rights.service.ts';

/** Days between the notice and the erasure (policy 9c). */
export const DORMANCY_NOTICE_DAYS = 30;

type DormancyDeps = Pick<Deps, 'db' | 'clock' | 'config' | 'dataMap'>;

export interface DormancyOutcome {
  /** Notices deleted because their account was used since. */
  cleared: number;
  erasureNotices: number;
  exportNotices: number;
  /** Erasure requests opened. */
  erasures: number;
}

/** The same day and time `years` calendar years earlier. */
export function yearsBefore(at: number, years: number): number {
  const d = new Date(at);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.getTime();
}

/**
 * What an erasure of this account would keep for a statutory period: every table the data map keeps on erasure
 * that holds rows of the person, with its end and basis (one line per activity and end).
 */
export async function keptForAccount(
  deps: Pick<Deps, 'db' | 'dataMap'>,
  account: Pick<DormantAccount, 'id' | 'email'>,
): Promise<Pick<KeptRecord, 'activity' | 'until' | 'basis'>[]> {
  const keys = { email: account.email, userIds: [account.id] };
  const out = new Map<string, Pick<KeptRecord, 'activity' | 'until' | 'basis'>>();
  for (const table of deps.dataMap.tables) {
    const erasure = table.erasure;
    if (!table.subject || table.partitioned || !erasure) continue;
    if (erasure.action !== 'keep' && erasure.action !== 'delete-unless-kept') continue;
    const onlyKept = erasure.action === 'delete-unless-kept' ? erasure.keptColumn : undefined;
    const rows = await countLinkedRows(deps.db, table.table, table.subject.column, linkValues(table, keys), onlyKept);
    if (rows === 0) continue;
    const key = `${table.activity}\u0000${erasure.until.en}`;
    if (!out.has(key)) out.set(key, { activity: table.activity, until: erasure.until, basis: erasure.basis });
  }
  return [...out.values()];
}

function noticeOf(deps: DormancyDeps, account: DormantAccount): DormancyNotice {
  const base = deps.config.baseUrl;
  return {
    to: account.email,
    name: account.name,
    company: deps.config.operator.company,
    timeZone: deps.config.operator.timeZone,
    years: deps.config.retention.dormantYears ?? 3,
    signInUrl: `${base}/account/login`,
    privacyUrl: `${base}/account/privacy`,
  };
}

/** One daily run; idempotent (a second run the same day sends and opens nothing more). */
export async function runDormancy(deps: DormancyDeps): Promise<DormancyOutcome> {
  const now = deps.clock.now();
  const outcome: DormancyOutcome = { cleared: 0, erasureNotices: 0, exportNotices: 0, erasures: 0 };
  // First: a sign-in since a notice ends it, so the account is no longer dormant and nothing below touches it.
  outcome.cleared = await deleteNoticesOfActiveAccounts(deps.db);
  const since = yearsBefore(now, deps.config.retention.dormantYears ?? 3);
  for (const account of await listDormantAccounts(deps.db, since)) {
    const lang: Lang = isLang(account.lang) ? account.lang : 'en';
    const notice = await latestNoticeOf(deps.db, account.id);
    if (await holdsLicencesOrHardware(deps.db, account.id)) {
      if (notice?.kind === 'export') continue; // told once in this dormancy period
      await deps.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, deps.clock, dormantExportMail(lang, noticeOf(deps, account)));
        await insertNotice(trx, {
          id: randomUUID(),
          user_id: account.id,
          kind: 'export',
          notified_at: now,
          erasure_at: null,
          request_id: null,
        });
      });
      outcome.exportNotices++;
      continue;
    }
    if (!notice || notice.kind !== 'erasure') {
      const erasureAt = now + DORMANCY_NOTICE_DAYS * DAY;
      const kept = await keptForAccount(deps, account);
      const mail = dormantErasureMail(lang, {
        ...noticeOf(deps, account),
        erasureAt,
        kept,
        activityName: (id) => deps.dataMap.activity(id).name[lang],
      });
      await deps.db.transaction().execute(async (trx) => {
        await enqueueMail(trx, deps.clock, mail);
        await insertNotice(trx, {
          id: randomUUID(),
          user_id: account.id,
          kind: 'erasure',
          notified_at: now,
          erasure_at: erasureAt,
          request_id: null,
        });
      });
      outcome.erasureNotices++;
      continue;
    }
    if (notice.request_id !== null || (notice.erasure_at ?? Infinity) > now) continue;
    // Not used since the notice (the account is still dormant, and its notice was not cleared above): erase it
    // under the same rules as an erasure the person asks for.
    const { request } = await openRequest(deps, {
      kind: 'erasure',
      userId: account.id,
      email: account.email,
      lang,
      channel: 'system',
      verified: true,
    });
    await setNoticeRequest(deps.db, notice.id, request.id);
    outcome.erasures++;
  }
  return outcome;
}

export const dormantAccountsJob: Job = {
  name: 'rights.end-dormant-accounts',
  everyMs: DAY,
  run: async (deps) => {
    const outcome = await runDormancy(deps);
    if (outcome.erasureNotices + outcome.exportNotices + outcome.erasures + outcome.cleared > 0)
      deps.log.info({ ...outcome }, 'dormant accounts');
  },
};
