// The files of the data map: every file Candor writes under the data directory belongs to a registered file set.
// Retention deletes a set's files when their period has run (mtime, set from the injected clock) or their row is
// gone; erasure deletes a person's files. Worker, CLI and erasure may race: a file already deleted is no error.
import { existsSync, readdirSync, statSync, unlinkSync, utimesSync } from 'node:fs';
import { join, posix } from 'node:path';
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.ts';
import { cutoffOf, type DataMap, type FileSetMap } from './data-map.ts';
import { selectColumnWhereIn } from './retention.queries.ts';

export interface DataFile {
  /** '/'-separated, relative to the data directory. */
  path: string;
  set: FileSetMap | undefined;
  /** The first capture group of the set's name pattern: the row key. */
  key: string | undefined;
}

/** Every file under `dir`, recursively, '/'-separated and relative to it. */
export function listFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries;
    try {
      entries = readdirSync(join(dir, rel), { withFileTypes: true });
    } catch (err) {
      if (isMissing(err)) return; // removed since its parent was read
      throw err;
    }
    for (const entry of entries) {
      const child = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  walk('');
  return out.sort();
}

function inDirectory(pattern: string, directory: string): boolean {
  const want = pattern === '' ? [] : pattern.split('/');
  const have = directory === '.' || directory === '' ? [] : directory.split('/');
  return want.length === have.length && want.every((segment, i) => segment === '*' || segment === have[i]);
}

/** The registered set a file belongs to, if any. */
export function classifyDataFile(map: DataMap, path: string): DataFile {
  const directory = posix.dirname(path);
  const name = posix.basename(path);
  for (const set of map.files) {
    if (!inDirectory(set.directory, directory)) continue;
    const match = set.names.exec(name);
    if (match) return { path, set, key: match[1] };
  }
  return { path, set: undefined, key: undefined };
}

/** Files under the data directory that belong to no registered set: must be empty. */
export function findUnregisteredFiles(map: DataMap, dataDir: string): string[] {
  return listFilesUnder(dataDir)
    .map((p) => classifyDataFile(map, p))
    .filter((f) => !f.set)
    .map((f) => f.path);
}

/** Writers call this right after writing, so the file's age follows the injected clock (and --now). */
export function stampFileTime(file: string, clock: Clock): void {
  const seconds = clock.now() / 1000;
  utimesSync(file, seconds, seconds);
}

export interface FileRetentionOutcome {
  rule: string;
  set: string;
  files: number;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/** Runs the file sets' retention: expired files, and files whose row is gone. Idempotent. */
export async function runFileRetention(deps: {
  db: AnyDb;
  clock: Clock;
  dataMap: DataMap;
  dataDir: string;
}): Promise<FileRetentionOutcome[]> {
  const now = deps.clock.now();
  const all = listFilesUnder(deps.dataDir).map((p) => classifyDataFile(deps.dataMap, p));
  const outcomes: FileRetentionOutcome[] = [];
  for (const set of deps.dataMap.files) {
    let files = all.filter((f) => f.set === set);
    for (const rule of set.retention) {
      const cutoff = cutoffOf(rule.after, now);
      let removed = 0;
      files = files.filter((f) => {
        const full = join(deps.dataDir, f.path);
        const modified = modifiedAt(full);
        if (modified === undefined) return false;
        if (modified >= cutoff) return true;
        if (unlinkIfPresent(full)) removed++;
        return false;
      });
      outcomes.push({ rule: rule.id, set: set.id, files: removed });
    }
    if (set.subject && files.length > 0) {
      // A file never outlives its row: whatever removed the row (retention, erasure, a cancellation) removes it.
      const keys = files.map((f) => f.key).filter((k): k is string => k !== undefined);
      const existing = new Set<string>();
      for (let i = 0; i < keys.length; i += 500) {
        for (const v of await selectColumnWhereIn(
          deps.db,
          set.subject.table,
          set.subject.keyColumn,
          set.subject.keyColumn,
          keys.slice(i, i + 500),
        ))
          existing.add(String(v));
      }
      let removed = 0;
      for (const f of files) {
        if (f.key !== undefined && existing.has(f.key)) continue;
        if (unlinkIfPresent(join(deps.dataDir, f.path))) removed++;
      }
      outcomes.push({ rule: `${set.id}:without-row`, set: set.id, files: removed });
    }
  }
  return outcomes;
}

/** The files that belong to the given rows of each set's table; found before the rows are erased. */
export async function findFilesOfRows(
  map: DataMap,
  dataDir: string,
  rowKeys: (set: FileSetMap) => Promise<string[]>,
): Promise<DataFile[]> {
  const sets = map.files.filter((s) => s.subject && s.erasure);
  if (sets.length === 0) return [];
  const all = listFilesUnder(dataDir).map((p) => classifyDataFile(map, p));
  const found: DataFile[] = [];
  for (const set of sets) {
    const keys = new Set(await rowKeys(set));
    for (const f of all) if (f.set === set && f.key !== undefined && keys.has(f.key)) found.push(f);
  }
  return found;
}

export function deleteDataFiles(dataDir: string, files: DataFile[]): number {
  let removed = 0;
  for (const f of files) if (unlinkIfPresent(join(dataDir, f.path))) removed++;
  return removed;
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';

/**
 * Deletes a file that another process (the worker, a CLI retention run, an erasure) may have deleted a moment ago:
 * a file already gone is no error, and counts for whoever deleted it.
 */
function unlinkIfPresent(file: string): boolean {
  try {
    unlinkSync(file);
    return true;
  } catch (err) {
    if (isMissing(err)) return false;
    throw err;
  }
}

/** The file's modification time, or undefined when it was deleted since it was listed. */
function modifiedAt(file: string): number | undefined {
  try {
    return statSync(file).mtimeMs;
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}
