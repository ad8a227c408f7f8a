// The compliance audit (`candor audit` and /staff/privacy/audit): checks the live database and data directory
// against each promise of the data map and gives the evidence, one named check per promise with its figures.
// Generic wherever the data map can say it: every timed retention rule of every table and file set, every column's
// classification, every file's registration, the columns classified as full IP addresses.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { Deps } from '../../deps.ts';
import { DAY } from '../../platform/clock.ts';
import { listTables } from '../../platform/db/dialect.ts';
import type { Text } from '../../platform/i18n.ts';
import { verifyAccessChain } from '../access-audit.ts';
import { findUnclassifiedColumns } from '../classification.ts';
import { verifyConsentChain } from '../consent/ledger.ts';
import { cutoffOf, type TableMap } from '../data-map.ts';
import { classifyDataFile, findUnregisteredFiles, listFilesUnder } from '../files.ts';
import { retentionJob } from '../privacy.jobs.ts';
import { listPartitions } from '../retention.queries.ts';
import { countInvitationsDespiteObjection, countQueuedMailDespiteObjection, countRowsBefore } from './audit.queries.ts';

/** The promise on full IP addresses: none is kept longer than this (the policy says so). */
export const FULL_IP_DAYS = 7;

/**
 * Marketing lists and the objectable activity whose objection or restriction keeps a person out of them: the
 * campaigns' newsletter and the surveys' invitations (the features filter their audiences with personsNotToProcess
 * under these activities). An activity the data map does not know fails the check rather than passing silently.
 */
export const AUDIENCES: readonly { list: string; activity: string; invitations?: boolean }[] = [
  { list: 'newsletter', activity: 'newsletter.subscriptions' },
  { list: 'surveys', activity: 'surveys.invitations', invitations: true },
];

/**
 * Retention runs as a job (retentionJob.everyMs, hourly): a row or file past its period by less than that is waiting
 * for the next run, not kept against the promise. The audit allows exactly that much, and says so in its figures.
 */
export const RETENTION_GRACE_MS = retentionJob.everyMs;

export interface AuditCheck {
  /** Stable, for monitoring: 'full-ip-addresses', 'retention:<rule id>', 'audiences', 'files', ... */
  id: string;
  name: Text;
  ok: boolean;
  /** The evidence: counts and the like. */
  figures: Record<string, number | string>;
  /** What is wrong, for the auditor to act on (no personal data: table, rule and file names, counts). */
  problems: string[];
}

export interface AuditReport {
  ok: boolean;
  at: number;
  checks: AuditCheck[];
}

export type AuditDeps = Pick<Deps, 'db' | 'dbKind' | 'clock' | 'dataMap'> & { config: { dataDir: string } };

function check(id: string, name: Text, figures: AuditCheck['figures'], problems: string[]): AuditCheck {
  return { id, name, ok: problems.length === 0, figures, problems };
}

/** The physical tables of a mapped table: its daily partitions, or itself. */
async function physicalTables(deps: AuditDeps, table: TableMap): Promise<string[]> {
  return table.partitioned === 'daily' ? listPartitions(deps.db, deps.dbKind, table.table) : [table.table];
}

async function existingTables(deps: AuditDeps): Promise<Set<string>> {
  return new Set(await listTables(deps.db, deps.dbKind));
}

async function fullIpCheck(deps: AuditDeps, now: number, live: Set<string>): Promise<AuditCheck> {
  const cutoff = now - FULL_IP_DAYS * DAY - RETENTION_GRACE_MS;
  const problems: string[] = [];
  let tables = 0;
  let rows = 0;
  for (const t of deps.dataMap.tables) {
    const ipColumns = Object.entries(t.columns).flatMap(([c, k]) => (k === 'ip-address' ? [c] : []));
    if (ipColumns.length === 0) continue;
    const from = t.retention[0]?.from;
    if (!from) {
      problems.push(`${t.table} holds full IP addresses but no retention rule says from when they count.`);
      continue;
    }
    for (const physical of await physicalTables(deps, t)) {
      if (!live.has(physical)) continue;
      tables++;
      const n = await countRowsBefore(deps.db, physical, from, cutoff, ipColumns);
      rows += n;
      if (n > 0) problems.push(`${physical}: ${n} rows hold a full IP address older than ${FULL_IP_DAYS} days.`);
    }
  }
  return check(
    'full-ip-addresses',
    {
      en: `No full IP address older than ${FULL_IP_DAYS} days`,
      de: `Keine vollständige IP-Adresse älter als ${FULL_IP_DAYS} Tage`,
    },
    { tables, rowsTooOld: rows, cutoff: new Date(cutoff).toISOString() },
    problems,
  );
}

async function tableRetentionChecks(deps: AuditDeps, now: number, live: Set<string>): Promise<AuditCheck[]> {
  const checks: AuditCheck[] = [];
  for (const t of deps.dataMap.tables) {
    for (const rule of t.retention) {
      const cutoff = cutoffOf(rule.after, now) - RETENTION_GRACE_MS;
      const problems: string[] = [];
      let rows = 0;
      let checked = 0;
      for (const physical of await physicalTables(deps, t)) {
        if (!live.has(physical)) continue;
        checked++;
        const n = await countRowsBefore(
          deps.db,
          physical,
          rule.from,
          cutoff,
          rule.action.kind === 'clear' ? rule.action.columns : undefined,
        );
        rows += n;
        if (n > 0)
          problems.push(
            `${physical}: ${n} rows past the period (${rule.from} before ${new Date(cutoff).toISOString()}).`,
          );
      }
      checks.push(
        check(
          `retention:${rule.id}`,
          { en: `Retention: ${rule.what.en} (${t.table})`, de: `Aufbewahrung: ${rule.what.de} (${t.table})` },
          { table: t.table, tables: checked, rowsPastPeriod: rows, cutoff: new Date(cutoff).toISOString() },
          problems,
        ),
      );
    }
  }
  return checks;
}

function fileRetentionChecks(deps: AuditDeps, now: number): AuditCheck[] {
  const files = listFilesUnder(deps.config.dataDir).map((p) => classifyDataFile(deps.dataMap, p));
  const checks: AuditCheck[] = [];
  for (const set of deps.dataMap.files) {
    const mine = files.filter((f) => f.set === set);
    for (const rule of set.retention) {
      const cutoff = cutoffOf(rule.after, now) - RETENTION_GRACE_MS;
      let old = 0;
      for (const f of mine) {
        try {
          if (statSync(join(deps.config.dataDir, f.path)).mtimeMs < cutoff) old++;
        } catch {
          // deleted since it was listed: not past its period
        }
      }
      checks.push(
        check(
          `retention:${rule.id}`,
          {
            en: `Retention: ${rule.what.en} (files ${set.id})`,
            de: `Aufbewahrung: ${rule.what.de} (Dateien ${set.id})`,
          },
          { fileSet: set.id, files: mine.length, filesPastPeriod: old, cutoff: new Date(cutoff).toISOString() },
          old > 0
            ? [`${set.id}: ${old} files past the period (modified before ${new Date(cutoff).toISOString()}).`]
            : [],
        ),
      );
    }
  }
  return checks;
}

async function audienceCheck(deps: AuditDeps, live: Set<string>): Promise<AuditCheck> {
  const problems: string[] = [];
  const figures: AuditCheck['figures'] = {};
  for (const a of AUDIENCES) {
    const activity = deps.dataMap.activities.find((x) => x.id === a.activity);
    if (!activity?.objectable) {
      problems.push(`activity ${a.activity} (list ${a.list}) is not an objectable activity of the data map.`);
      continue;
    }
    if (live.has('outbox')) {
      const n = await countQueuedMailDespiteObjection(deps.db, a.list, a.activity);
      figures[`queued:${a.list}`] = n;
      if (n > 0)
        problems.push(`${n} ${a.list} mails are queued for people who objected to ${a.activity} or had it restricted.`);
    }
    if (a.invitations && live.has('survey_invitations')) {
      const n = await countInvitationsDespiteObjection(deps.db, a.activity);
      figures[`invitations:${a.activity}`] = n;
      if (n > 0)
        problems.push(`${n} invitations were made after the person objected to ${a.activity} or had it restricted.`);
    }
  }
  return check(
    'audiences',
    {
      en: 'No restricted or objecting person in a campaign or survey audience',
      de: 'Keine Person mit Widerspruch oder Einschränkung im Empfängerkreis einer Kampagne oder Umfrage',
    },
    figures,
    problems,
  );
}

/** Runs every check once, as of the clock's time. */
export async function runAudit(deps: AuditDeps): Promise<AuditReport> {
  const now = deps.clock.now();
  const live = await existingTables(deps);
  const checks: AuditCheck[] = [];
  checks.push(await fullIpCheck(deps, now, live));
  checks.push(...(await tableRetentionChecks(deps, now, live)));
  checks.push(...fileRetentionChecks(deps, now));
  checks.push(await audienceCheck(deps, live));

  const unknown = findUnregisteredFiles(deps.dataMap, deps.config.dataDir);
  checks.push(
    check(
      'files',
      {
        en: 'Every file under the data directory is known to the data map',
        de: 'Jede Datei im Datenverzeichnis ist im Datenverzeichnis der Verarbeitungen erfasst',
      },
      { files: listFilesUnder(deps.config.dataDir).length, unknown: unknown.length },
      unknown.map((f) => `${f} belongs to no file set of the data map.`),
    ),
  );

  const consent = await verifyConsentChain(deps.db);
  checks.push(
    check(
      'consent-chain',
      { en: 'The consent ledger’s hash chain is intact', de: 'Die Hash-Kette der Einwilligungsnachweise ist intakt' },
      { records: consent.records, firstSeq: consent.firstSeq ?? '-' },
      consent.problems,
    ),
  );
  const access = await verifyAccessChain(deps.db);
  checks.push(
    check(
      'access-chain',
      {
        en: 'The access audit’s hash chain is intact',
        de: 'Die Hash-Kette des Zugriffsprotokolls ist intakt',
      },
      { records: access.records, firstSeq: access.firstSeq ?? '-' },
      access.problems,
    ),
  );

  const unclassified = await findUnclassifiedColumns(deps.db, deps.dbKind, deps.dataMap);
  checks.push(
    check(
      'classification',
      {
        en: 'Every column of every table is classified in the data map',
        de: 'Jede Spalte jeder Tabelle ist im Datenverzeichnis eingeordnet',
      },
      { tables: live.size, unclassified: unclassified.length },
      unclassified.map((c) => `${c} is not classified.`),
    ),
  );
  return { ok: checks.every((c) => c.ok), at: now, checks };
}
