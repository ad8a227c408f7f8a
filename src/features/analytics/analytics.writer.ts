// The analytics recorder: requests only push to in-memory queues; batches (1000 events or 250 ms) are written one at
// a time into the day's raw table, bot counters are added up, exposures inserted once. A failed batch is logged
// (counts only) and dropped, never thrown into a request; excluded pseudonyms are dropped when queued and when written
// (for a withdrawal of consent only the pseudonym and the beacon's events go: page views stay, without a pseudonym).
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../database.ts';
import { DAY, systemClock, type Clock } from '../../platform/clock.ts';
import type { BulkInsert } from '../../platform/db/dialect.ts';
import type { Logger } from '../../platform/log.ts';
import type { AnalyticsEvent, AnalyticsRecorder, BotReason, ExclusionReason, Exposure } from './analytics.model.ts';
import { eventIdPrefix, exclusionReasonOf } from './analytics.model.ts';
import {
  addBotCounts,
  createEventPartition,
  deleteExclusions,
  eventTableOf,
  insertAssignments,
  insertEvents,
  listExclusions,
  upsertExclusions,
} from './analytics.queries.ts';
import type { AnalyticsBotsTable, AnalyticsEventRow } from './analytics.tables.ts';

export interface AnalyticsWriterOptions {
  clock?: Clock;
  /** Events per batch (1000). */
  maxBatch?: number;
  /** The longest an event waits in memory before its batch is written (250 ms). */
  maxDelayMs?: number;
  /** Events queued or being written at most; beyond it new events are dropped and counted (100,000). */
  maxQueued?: number;
  /** How often the exclusion list is read again, so other processes' exclusions apply here too (10 s). */
  refreshExclusionsMs?: number;
  /** What else an exclusion does once stored, e.g. deleting the pseudonym's raw events (analytics.exclusions.ts). */
  onExcluded?: (pseudonyms: string[], reason: string, at: number) => Promise<void>;
  /** The dialect's bulk insert (deps.bulkInsert); without it, multi-row INSERTs. */
  bulkInsert?: BulkInsert;
}

export interface AnalyticsWriter extends AnalyticsRecorder {
  /** Events dropped since start because the queue was full. */
  droppedEvents(): number;
}

export function createAnalyticsWriter(
  db: Kysely<Database>,
  log: Logger,
  options: AnalyticsWriterOptions = {},
): AnalyticsWriter {
  const clock = options.clock ?? systemClock;
  const maxBatch = options.maxBatch ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 250;
  const maxQueued = options.maxQueued ?? 100_000;

  let events: AnalyticsEvent[] = [];
  let inFlight = 0;
  let dropped = 0;
  let droppedUnlogged = 0;
  let bots = new Map<string, AnalyticsBotsTable>();
  let exposures: Exposure[] = [];
  // The pseudonyms left out in this process, with their reasons: the stored list (refreshed) and what this process
  // excluded or included since (an inclusion for one reason only removes an exclusion for that reason; null: any).
  let excluded = new Map<string, ExclusionReason>();
  const toExclude = new Map<string, ExclusionReason>();
  const toInclude = new Map<string, ExclusionReason | null>();

  /** The event as it may be kept: unchanged, without its pseudonym (withdrawn: a page view or goal), or null. */
  function admitted(event: AnalyticsEvent): AnalyticsEvent | null {
    if (event.pseudonym === null) return event;
    const reason = excluded.get(event.pseudonym);
    if (reason === undefined) return event;
    if (reason === 'withdrawal' && (event.kind === 'pageview' || event.kind === 'goal'))
      return { ...event, pseudonym: null };
    return null;
  }
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const knownTables = new Set<string>();

  // Ids grow with time, then a per-process random part and a counter: inserts append to the primary-key index,
  // and `id >= eventIdPrefix(t)` finds the events since t.
  const processPart = randomBytes(4).toString('hex');
  let counter = 0;
  const nextId = (at: number) =>
    `${eventIdPrefix(at)}${processPart}${(counter++ % 1_679_616).toString(36).padStart(4, '0')}`;

  // Every database task runs after the one before, so a refresh never overtakes the storing of an exclusion.
  let chain: Promise<void> = Promise.resolve();
  function enqueue(task: () => Promise<void>): Promise<void> {
    chain = chain.then(task).catch((err: unknown) => log.error({ err }, 'analytics write failed'));
    return chain;
  }

  async function loadExclusions(): Promise<void> {
    try {
      const stored = new Map<string, ExclusionReason>();
      for (const row of await listExclusions(db)) stored.set(row.pseudonym, exclusionReasonOf(row.reason));
      for (const [p, reason] of toInclude) if (reason === null || stored.get(p) === reason) stored.delete(p);
      for (const [p, reason] of toExclude) if (reason !== 'withdrawal' || !stored.has(p)) stored.set(p, reason);
      excluded = stored;
    } catch (err) {
      log.error({ err }, 'analytics exclusions not refreshed');
    }
  }

  async function storeExclusions(): Promise<void> {
    if (toExclude.size === 0 && toInclude.size === 0) return;
    const exclusions = [...toExclude];
    const inclusions = [...toInclude];
    const at = clock.now();
    try {
      for (const [p, reason] of inclusions) await deleteExclusions(db, [p], reason ?? undefined);
      if (exclusions.length > 0)
        await upsertExclusions(
          db,
          exclusions.map(([pseudonym, reason]) => ({ pseudonym, reason, added_at: at })),
        );
      for (const [p, reason] of exclusions) if (toExclude.get(p) === reason) toExclude.delete(p);
      for (const [p, reason] of inclusions) if (toInclude.get(p) === reason) toInclude.delete(p);
    } catch (err) {
      // Kept pending: the next flush tries again, and the set in memory already holds them.
      log.error({ err, count: exclusions.length + inclusions.length }, 'analytics exclusions not stored yet');
      return;
    }
    if (options.onExcluded) {
      const byReason = new Map<string, string[]>();
      for (const [p, reason] of exclusions) byReason.set(reason, [...(byReason.get(reason) ?? []), p]);
      for (const [reason, pseudonyms] of byReason) {
        try {
          await options.onExcluded(pseudonyms, reason, at);
        } catch (err) {
          log.error({ err, count: pseudonyms.length }, 'analytics exclusion follow-up failed');
        }
      }
    }
  }

  async function writeEvents(batch: AnalyticsEvent[]): Promise<void> {
    const byTable = new Map<string, AnalyticsEventRow[]>();
    for (const queued of batch) {
      const e = admitted(queued);
      if (e === null) continue;
      const table = eventTableOf(e.at);
      let rows = byTable.get(table);
      if (!rows) byTable.set(table, (rows = []));
      rows.push({ id: nextId(e.at), ...e });
    }
    for (const [table, rows] of byTable) {
      const at = rows[0]!.at;
      try {
        if (!knownTables.has(table)) {
          await createTableOnce(db, at);
          knownTables.add(table);
        }
        await db.transaction().execute((trx) => insertEvents(trx, at, rows, options.bulkInsert));
      } catch (err) {
        log.error({ err, count: rows.length }, 'analytics event batch lost');
      }
    }
  }

  async function writeCounters(botRows: AnalyticsBotsTable[], seen: Exposure[]): Promise<void> {
    if (botRows.length > 0) {
      try {
        await addBotCounts(db, botRows);
      } catch (err) {
        log.error({ err, count: botRows.length }, 'analytics bot counts lost');
      }
    }
    const assignments = seen
      .filter((x) => !excluded.has(x.pseudonym))
      .map((x) => ({
        experiment_id: x.experimentId,
        pseudonym: x.pseudonym,
        variant: x.variant,
        assigned_at: x.at,
        converted_at: null,
      }));
    if (assignments.length > 0) {
      try {
        await insertAssignments(db, assignments);
      } catch (err) {
        log.error({ err, count: assignments.length }, 'analytics exposures lost');
      }
    }
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = undefined;
    const batch = events;
    const botRows = [...bots.values()];
    const seen = exposures;
    events = [];
    bots = new Map();
    exposures = [];
    const droppedNow = droppedUnlogged;
    droppedUnlogged = 0;
    const nothing = batch.length === 0 && botRows.length === 0 && seen.length === 0;
    if (nothing && toExclude.size === 0 && toInclude.size === 0 && droppedNow === 0) return chain;
    inFlight += batch.length;
    return enqueue(async () => {
      try {
        if (droppedNow > 0) log.warn({ count: droppedNow }, 'analytics events dropped: queue full');
        await storeExclusions();
        if (batch.length > 0) await writeEvents(batch);
        await writeCounters(botRows, seen);
      } finally {
        inFlight -= batch.length;
      }
    });
  }

  function schedule(): void {
    if (!timer && !closed) {
      timer = setTimeout(() => void flush(), maxDelayMs);
      timer.unref();
    }
  }

  const refreshExclusions = () => enqueue(loadExclusions);
  void refreshExclusions();
  const refresher = setInterval(() => void refreshExclusions(), options.refreshExclusionsMs ?? 10_000);
  refresher.unref();

  return {
    record(queued) {
      const event = closed ? null : admitted(queued);
      if (event === null) return;
      if (events.length + inFlight >= maxQueued) {
        dropped++;
        droppedUnlogged++;
        return;
      }
      events.push(event);
      if (events.length >= maxBatch) void flush();
      else schedule();
    },
    recordBot(at, reason: BotReason) {
      if (closed) return;
      const day = at - (at % DAY);
      const key = `${day}|${reason}`;
      const row = bots.get(key);
      if (row) row.count++;
      else bots.set(key, { day, reason, count: 1 });
      schedule();
    },
    recordExposure(exposure) {
      if (closed || excluded.has(exposure.pseudonym)) return;
      if (exposures.length >= maxQueued) return;
      exposures.push(exposure);
      schedule();
    },
    exclude(pseudonym, reason = 'objection') {
      // A withdrawal of consent does not soften an objection, restriction or erasure already in force.
      const current = excluded.get(pseudonym);
      if (reason === 'withdrawal' && current !== undefined && current !== 'withdrawal') return;
      excluded.set(pseudonym, reason);
      toInclude.delete(pseudonym);
      toExclude.set(pseudonym, reason);
      void flush();
    },
    include(pseudonym, onlyReason) {
      const current = excluded.get(pseudonym);
      if (onlyReason === undefined || current === onlyReason) {
        excluded.delete(pseudonym);
        toExclude.delete(pseudonym);
      }
      // Stored either way: another process may have stored the exclusion this one has not read yet; the store
      // removes only one for `onlyReason`.
      toInclude.set(pseudonym, onlyReason ?? null);
      void flush();
    },
    isExcluded: (pseudonym) => excluded.has(pseudonym),
    exclusionOf: (pseudonym) => excluded.get(pseudonym) ?? null,
    refreshExclusions,
    droppedEvents: () => dropped,
    flush,
    async close() {
      closed = true;
      clearInterval(refresher);
      await flush();
      await chain;
    },
  };
}

/** Makes the raw table of the day of `at` (with its indexes) unless it exists. */
async function createTableOnce(db: Kysely<Database>, at: number): Promise<void> {
  try {
    await createEventPartition(db, at);
  } catch {
    // Another process may have created the same day's table at the same moment; try once more.
    await createEventPartition(db, at);
  }
}
