// Buffers usage-log entries in memory and writes them in batches, so a request never waits for the log.
// At most `maxDelayMs` of entries can be lost if the process is killed; close() flushes what is left.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { BulkInsert } from '../../platform/db/dialect.ts';
import type { Logger } from '../../platform/log.ts';
import { partitionName } from '../data-map.ts';
import { anonymiseIp } from './ip.ts';
import { createUsagePartitions, insertUsageRows } from './usage-log.queries.ts';
import type { UsageIpRow, UsageLogRow } from './usage-log.tables.ts';

export interface UsageEntry {
  at: number;
  durationMs: number;
  tzOffsetMin: number | null;
  method: string;
  path: string;
  status: number;
  bytes: number;
  referrer: string | null;
  browser: string | null;
  browserVersion: string | null;
  language: string | null;
  os: string | null;
  ip: string;
}

export interface UsageLogWriter {
  record(entry: UsageEntry): void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export const USAGE_LOG = 'usage_log';
export const USAGE_IP = 'usage_ip';

export function createUsageLogWriter(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  bulkInsert: BulkInsert,
  log: Logger,
  options: { maxBatch?: number; maxDelayMs?: number } = {},
): UsageLogWriter {
  const maxBatch = options.maxBatch ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 250;
  let buffer: UsageEntry[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const knownPartitions = new Set<string>();
  // Ids grow with time (then a per-process random part and a counter), so inserts append to the end of the
  // primary-key index instead of landing at random places in it.
  const processPart = randomBytes(4).toString('hex');
  let counter = 0;
  const nextId = (at: number) =>
    `${at.toString(36).padStart(9, '0')}${processPart}${(counter++ % 1_679_616).toString(36).padStart(4, '0')}`;

  async function write(entries: UsageEntry[]): Promise<void> {
    const byDay = new Map<string, { logs: UsageLogRow[]; ips: UsageIpRow[] }>();
    for (const e of entries) {
      const day = partitionName('', e.at);
      let group = byDay.get(day);
      if (!group) byDay.set(day, (group = { logs: [], ips: [] }));
      const id = nextId(e.at);
      group.logs.push({
        id,
        at: e.at,
        duration_ms: Math.round(e.durationMs),
        tz_offset_min: e.tzOffsetMin,
        method: e.method,
        path: e.path,
        status: e.status,
        bytes: e.bytes,
        referrer: e.referrer,
        browser: e.browser,
        browser_version: e.browserVersion,
        language: e.language,
        os: e.os,
        ip_prefix: anonymiseIp(e.ip),
      });
      if (e.ip) group.ips.push({ log_id: id, at: e.at, ip: e.ip });
    }
    for (const [day, { logs, ips }] of byDay) {
      const logTable = `${USAGE_LOG}${day}`;
      const ipTable = `${USAGE_IP}${day}`;
      if (!knownPartitions.has(day)) {
        await createPartitionsOnce(db, logTable, ipTable);
        knownPartitions.add(day);
      }
      await db.transaction().execute((trx) => insertUsageRows(trx, bulkInsert, logTable, ipTable, logs, ips));
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const entries = buffer;
    buffer = [];
    if (entries.length === 0) return writing;
    writing = writing.then(() =>
      write(entries).catch((err: unknown) => {
        log.error({ err, count: entries.length }, 'usage log batch lost');
      }),
    );
    return writing;
  }

  return {
    record(entry) {
      buffer.push(entry);
      if (buffer.length >= maxBatch) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), maxDelayMs);
        timer.unref();
      }
    },
    flush,
    close: flush,
  };
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function createPartitionsOnce(db: Kysely<any>, logTable: string, ipTable: string): Promise<void> {
  try {
    await createUsagePartitions(db, logTable, ipTable);
  } catch {
    // Another process may have created the same day's tables at the same moment; try once more.
    await createUsagePartitions(db, logTable, ipTable);
  }
}
