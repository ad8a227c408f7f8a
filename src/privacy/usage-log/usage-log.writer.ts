// Buffers usage-log entries in memory and writes them in batches, so a request never waits for the log.
// While the database is away the entries stay in the buffer (at most `bufferMax`; more are counted as dropped)
// and are written when it is back; a batch refused for another reason is tried `maxTries` times, then dropped.
// At most `maxDelayMs` of entries can be lost if the process is killed; close() writes what is left.
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isDatabaseUnavailable, isUniqueViolation, type BulkInsert } from '../../platform/db/dialect.ts';
import type { Logger } from '../../platform/log.ts';
import type { Metrics } from '../../platform/metrics.ts';
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
  /** Writes what is buffered now; while the database is away it leaves the entries for the next retry. */
  flush(): Promise<void>;
  /** Writes everything left, retrying for up to `deadlineMs` (5 s); what is still unwritten then is dropped. */
  close(deadlineMs?: number): Promise<void>;
}

export interface UsageLogWriterOptions {
  maxBatch?: number;
  maxDelayMs?: number;
  /** Entries kept while the database is away (USAGE_LOG_BUFFER_MAX, 20,000); beyond it new ones are dropped. */
  bufferMax?: number;
  /** Tries of a batch that fails for a reason other than an unreachable database (3). */
  maxTries?: number;
  /** The first wait before writing again after the database was unreachable; it doubles up to `maxBackoffMs`. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  metrics?: Pick<Metrics, 'usageLogBuffered' | 'usageLogDropped'>;
}

export const USAGE_LOG = 'usage_log';
export const USAGE_IP = 'usage_ip';

interface Pending {
  entry: UsageEntry;
  /** Given when recorded, so that a batch written again after a lost commit answer cannot be stored twice. */
  id: string;
  day: string;
}

export function createUsageLogWriter(
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  db: Kysely<any>,
  bulkInsert: BulkInsert,
  log: Logger,
  options: UsageLogWriterOptions = {},
): UsageLogWriter {
  const maxBatch = options.maxBatch ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const bufferMax = options.bufferMax ?? 20_000;
  const maxTries = options.maxTries ?? 3;
  const minBackoffMs = options.minBackoffMs ?? 200;
  const maxBackoffMs = options.maxBackoffMs ?? 2000;
  const metrics = options.metrics;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  /** > 0 while the database is away: the wait before the next try. */
  let backoffMs = 0;
  /** Tries of the batch at the head of the queue that failed for another reason than an outage. */
  let headTries = 0;
  /**
   * The size of the head batch that failed with an outage (0: none): its rows may have been committed after all,
   * so exactly that batch is tried again, and a unique violation then means it is stored.
   */
  let pinned = 0;
  let droppedUnlogged = 0;
  let droppedLoggedAt = -Infinity;
  const knownPartitions = new Set<string>();
  // Ids grow with time (then a per-process random part and a counter), so inserts append to the end of the
  // primary-key index instead of landing at random places in it.
  const processPart = randomBytes(4).toString('hex');
  let counter = 0;
  const nextId = (at: number) =>
    `${at.toString(36).padStart(9, '0')}${processPart}${(counter++ % 1_679_616).toString(36).padStart(4, '0')}`;

  const gauge = () => metrics?.usageLogBuffered.set(queue.length);

  function drop(count: number, reason: string): void {
    metrics?.usageLogDropped.inc(count);
    droppedUnlogged += count;
    // One line per 10 s at most, with the count only (never the entries: they hold addresses).
    if (Date.now() - droppedLoggedAt > 10_000) {
      log.error({ count: droppedUnlogged, reason }, 'usage log entries dropped');
      droppedUnlogged = 0;
      droppedLoggedAt = Date.now();
    }
  }

  async function write(batch: Pending[]): Promise<void> {
    const day = batch[0]?.day ?? '';
    const logs: UsageLogRow[] = [];
    const ips: UsageIpRow[] = [];
    for (const { entry: e, id } of batch) {
      logs.push({
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
      if (e.ip) ips.push({ log_id: id, at: e.at, ip: e.ip });
    }
    const logTable = `${USAGE_LOG}${day}`;
    const ipTable = `${USAGE_IP}${day}`;
    if (!knownPartitions.has(day)) {
      await createPartitionsOnce(db, logTable, ipTable);
      knownPartitions.add(day);
    }
    await db.transaction().execute((trx) => insertUsageRows(trx, bulkInsert, logTable, ipTable, logs, ips));
  }

  /** The head of the queue: entries of one day (one transaction), at most `maxBatch`. */
  function headBatch(): Pending[] {
    if (pinned > 0) return queue.slice(0, pinned);
    const day = queue[0]?.day;
    let n = 0;
    while (n < queue.length && n < maxBatch && queue[n]?.day === day) n++;
    return queue.slice(0, n);
  }

  /** Writes batches from the head until the queue is empty or the database is away. */
  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = headBatch();
      try {
        await write(batch);
      } catch (err) {
        if (pinned > 0 && isUniqueViolation(err)) {
          // The commit went through before the connection broke; the rows are stored.
        } else if (isDatabaseUnavailable(err)) {
          pinned = batch.length;
          if (backoffMs === 0) log.warn({ buffered: queue.length }, 'usage log waits for the database');
          backoffMs = backoffMs === 0 ? minBackoffMs : Math.min(maxBackoffMs, backoffMs * 2);
          scheduleRetry();
          return;
        } else {
          headTries++;
          if (headTries < maxTries) continue;
          log.error({ err: { code: (err as { code?: string }).code ?? null } }, 'usage log batch refused');
          drop(batch.length, 'refused');
        }
      }
      queue.splice(0, batch.length);
      headTries = 0;
      pinned = 0;
      if (backoffMs > 0) log.info({ buffered: queue.length }, 'usage log writes again');
      backoffMs = 0;
      gauge();
    }
  }

  function scheduleRetry(): void {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => void flush(), backoffMs);
    timer.unref();
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    writing = writing.then(drain).catch((err: unknown) => {
      // drain() handles every failure of a write; this is a bug, and the entries stay for the next flush.
      log.error({ err }, 'usage log writer failed');
    });
    return writing;
  }

  return {
    record(entry) {
      if (queue.length >= bufferMax) {
        drop(1, 'buffer full');
        return;
      }
      queue.push({ entry, id: nextId(entry.at), day: partitionName('', entry.at) });
      gauge();
      // While the database is away the retry timer is set; a full batch does not hurry it.
      if (backoffMs > 0) return;
      if (queue.length >= maxBatch) void flush();
      else if (!timer) {
        timer = setTimeout(() => void flush(), maxDelayMs);
        timer.unref();
      }
    },
    flush,
    async close(deadlineMs = 5000) {
      const deadline = Date.now() + deadlineMs;
      await flush();
      while (queue.length > 0 && Date.now() < deadline) {
        await new Promise((r) =>
          setTimeout(r, Math.min(backoffMs || minBackoffMs, Math.max(0, deadline - Date.now()))),
        );
        await flush();
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
      if (queue.length > 0) {
        droppedLoggedAt = -Infinity;
        drop(queue.length, 'closed while the database was away');
        queue = [];
        gauge();
      }
    },
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
