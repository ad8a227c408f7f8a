// Shows that tests do not lean on each other: for each suite of each test file, runs the suite's last test without
// the tests before it (--test-name-pattern) and checks that exactly that test ran and passed. The last test is the
// one most likely to depend on what earlier tests left behind. The last tests of one file's suites run in one
// process, one after another (a process per suite took CI half as long again, most of it loading the app).
//
//   node --import tsx scripts/tests-alone.ts [--every] [files...]
//
// A suite is a top-level describe (one per database for describeEachDatabase) or a top-level test. --every runs
// every test of every suite alone instead of the last one (slow; for hunting dependencies).
//
// Node 20 matches a name pattern against each test's own name, not its path, so a test is selected by its exact
// name; namesakes in other suites (the same test on PostgreSQL) run with it and are reported. Subtests made with
// t.test() are not selectable (their parent would be skipped), so a test with subtests counts as one test.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

const CONCURRENCY = 2;
// A crash test's last test runs a worker child to each of its fault points, on both databases at once when run alone.
const RUN_TIMEOUT_MS = 420_000;
const NAME_MISMATCH = 'test name does not match pattern';

// One JSON line per finished test or suite (scripts/test-events.mjs); `npm test` leaves the same lines of its whole
// run in EVENTS_FILE, from which a file's tests are known without loading it once more.
const reporter = './scripts/test-events.mjs';
const EVENTS_FILE = 'tmp/test-events.jsonl';
/** When that run began (epoch ms), written by scripts/test.mjs: a file changed after it may have other tests. */
const STARTED_FILE = 'tmp/test-events.started';

interface Finished {
  event: 'test:pass' | 'test:fail';
  name: string;
  nesting: number;
  kind: 'suite' | 'test';
  file?: string;
  skip?: string;
  error?: unknown;
}

interface Node extends Finished {
  children: Node[];
}

interface Run {
  roots: Node[];
  /** What the test process wrote to stderr (an import error when the file does not load). */
  errors: string;
  exitCode: number | null;
  timedOut: boolean;
  stderr: string;
  ms: number;
}

interface Row {
  file: string;
  suite: string;
  test: string;
  result: 'pass' | 'FAIL' | 'skip';
  note: string;
  ms: number;
}

function runFile(file: string, pattern: string, timeoutMs = RUN_TIMEOUT_MS): Promise<Run> {
  const started = Date.now();
  const args = ['--import', 'tsx', '--test', `--test-reporter=${reporter}`, `--test-name-pattern=${pattern}`, file];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { env: process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      resolve({
        roots: treeOf(stdout),
        errors: errorsOf(stdout),
        exitCode,
        timedOut,
        stderr,
        ms: Date.now() - started,
      });
    });
  });
}

function errorsOf(stdout: string): string {
  const lines = stdout.split('\n').filter((l) => l.startsWith('{"event":"stderr"'));
  return lines.map((l) => (JSON.parse(l) as { message: string }).message).join('');
}

/** Children finish before their parent, so each finished test adopts the ones one level deeper that wait. */
function treeOf(stdout: string): Node[] {
  const waiting: Node[][] = [];
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const finished = JSON.parse(line) as Finished | { event: 'stderr' };
    if (finished.event === 'stderr') continue;
    const level = finished.nesting;
    const node: Node = { ...finished, children: waiting[level + 1] ?? [] };
    waiting[level + 1] = [];
    (waiting[level] ??= []).push(node);
  }
  return waiting[0] ?? [];
}

/** The tests that can be selected by name: tests inside suites (at any depth), not their t.test() subtests. */
function testsOf(node: Node): Node[] {
  if (node.kind === 'test') return [node];
  return node.children.flatMap(testsOf);
}

function allTests(nodes: Node[]): Node[] {
  return nodes.flatMap(testsOf);
}

const escapeRegExp = (s: string): string => s.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

function firstLine(value: unknown): string {
  return String(value ?? '')
    .split('\n')[0]!
    .slice(0, 160);
}

/** The file a suite or test was written in: describeEachDatabase's suites are made in the harness, their tests not. */
function fileOf(node: Node): string | undefined {
  if (node.file?.endsWith('.test.ts')) return node.file;
  for (const child of node.children) {
    const found = fileOf(child);
    if (found) return found;
  }
  return undefined;
}

/**
 * The suites of each test file as `npm test` last ran them (EVENTS_FILE), for files not changed since that run
 * began and that passed in it; SQLite's only (this check runs without TEST_DATABASE_URL). Node reports one file's
 * tests after another's, never mixed. A file that failed, or did not load, is listed by running it as before.
 */
function listingsFromLastRun(): Map<string, Node[]> {
  const listings = new Map<string, Node[]>();
  if (process.env.TEST_DATABASE_URL || !existsSync(EVENTS_FILE) || !existsSync(STARTED_FILE)) return listings;
  const started = Number(readFileSync(STARTED_FILE, 'utf8'));
  const failed = new Set<string>();
  for (const root of treeOf(readFileSync(EVENTS_FILE, 'utf8'))) {
    const file = fileOf(root);
    if (!file) continue;
    if (root.event === 'test:fail' || root.name === file) failed.add(file);
    if (root.name.endsWith(' [postgres]')) continue;
    if (!existsSync(file) || !(statSync(file).mtimeMs < started)) continue;
    const roots = listings.get(file) ?? [];
    roots.push(root);
    listings.set(file, roots);
  }
  for (const file of failed) listings.delete(file);
  return listings;
}

async function checkFile(file: string, every: boolean, known: Node[] | undefined): Promise<Row[]> {
  const name = relative(process.cwd(), file);
  if (known) return checkSuites(name, file, known, every);
  // A pattern that matches nothing lists the tests: every suite is loaded, no test runs.
  const listing = await runFile(file, '(?!)');
  const failedToLoad = listing.roots.find((r) => r.event === 'test:fail' && r.kind === 'test' && r.skip === undefined);
  if (listing.timedOut || failedToLoad || listing.roots.length === 0) {
    const loadError = /^\w*Error\b.*$/m.exec(listing.errors)?.[0];
    const why = listing.timedOut
      ? 'timed out'
      : firstLine(loadError ?? failedToLoad?.error ?? listing.stderr) || 'no tests';
    return [{ file: name, suite: '-', test: '-', result: 'FAIL', note: `cannot list: ${why}`, ms: listing.ms }];
  }
  return checkSuites(name, file, listing.roots, every);
}

interface Target {
  root: Node;
  suite: string;
  test: Node;
}

async function checkSuites(name: string, file: string, roots: Node[], every: boolean): Promise<Row[]> {
  const targets = roots.flatMap((root) => {
    const candidates = testsOf(root);
    const suite = root.kind === 'suite' ? root.name : '(top-level test)';
    return (every ? candidates : candidates.slice(-1)).map((test) => ({ root, suite, test }));
  });
  // --every: each test in a process of its own; otherwise the suites' last tests together.
  const groups = every ? targets.map((t) => [t]) : [targets];
  const rows: Row[] = [];
  for (const group of groups) {
    if (group.length === 0) continue;
    const names = [...new Set(group.map((t) => t.test.name))];
    const timeoutMs = RUN_TIMEOUT_MS * group.length;
    const run = await runFile(file, `^(?:${names.map(escapeRegExp).join('|')})$`, timeoutMs);
    for (const target of group) rows.push(judge(name, run, target, new Set(names), timeoutMs));
  }
  return rows;
}

/** Whether a target ran as it should in `run`, which selected the tests named in `selected`. */
function judge(
  name: string,
  run: Run,
  { root, suite, test: target }: Target,
  selected: Set<string>,
  timeoutMs: number,
): Row {
  const index = testsOf(root).indexOf(target);
  const row = (result: Row['result'], note: string): Row => ({
    file: name,
    suite,
    test: target.name,
    result,
    note,
    ms: run.ms,
  });
  if (run.timedOut) return row('FAIL', `timed out after ${timeoutMs / 1000} s`);
  const ran = allTests(run.roots).filter((t) => t.skip !== NAME_MISMATCH);
  const strangers = ran.filter((t) => !selected.has(t.name));
  if (strangers.length > 0) return row('FAIL', `other tests ran too: ${strangers.map((t) => t.name).join('; ')}`);
  const sameRoot = run.roots.find((r) => r.name === root.name && r.kind === root.kind);
  const mine = sameRoot ? testsOf(sameRoot)[index] : undefined;
  if (!sameRoot || !mine || mine.name !== target.name)
    return row('FAIL', 'the test was not found in its suite when run alone');
  const hookFailure = sameRoot.kind === 'suite' && sameRoot.event === 'test:fail' ? sameRoot : undefined;
  if (mine.skip === NAME_MISMATCH) return row('FAIL', 'not selected by its name pattern');
  const namesakes = ran.filter((t) => t.name === target.name).length - 1;
  const also = namesakes > 0 ? ` (${namesakes} namesake(s) in other suites ran too)` : '';
  if (mine.skip !== undefined) return row('skip', `skipped by the test itself: ${mine.skip}`);
  if (mine.event === 'test:fail') return row('FAIL', firstLine(mine.error) + also);
  if (hookFailure) return row('FAIL', `suite failed: ${firstLine(hookFailure.error)}`);
  if (ran.some((t) => t.name === target.name && t.event === 'test:fail'))
    return row('FAIL', `a namesake failed${also}`);
  // A non-zero exit is this target's failure only when no selected test failed (one that did is reported as such).
  if (run.exitCode !== 0 && !ran.some((t) => t.event === 'test:fail'))
    return row('FAIL', `exit code ${run.exitCode}: ${firstLine(run.stderr)}`);
  return row('pass', also.trim());
}

function findTests(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findTests(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

async function main(): Promise<void> {
  const started = Date.now();
  const args = process.argv.slice(2);
  const every = args.includes('--every');
  const given = args.filter((a) => a !== '--every');
  const files = given.length > 0 ? given : findTests('src').sort();
  const listings = listingsFromLastRun();
  if (listings.size > 0) console.log(`${listings.size} files listed from ${EVENTS_FILE} (npm test's last run)`);
  const results: Row[][] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < files.length) {
      const i = next++;
      results[i] = await checkFile(files[i]!, every, listings.get(resolve(files[i]!)));
      for (const r of results[i]!) process.stderr.write(`${r.result} ${r.file} > ${r.suite} > ${r.test}\n`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  const rows = results.flat();
  printTable(rows);
  const failed = rows.filter((r) => r.result === 'FAIL').length;
  const skipped = rows.filter((r) => r.result === 'skip').length;
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `\n${rows.length} ${every ? 'tests' : 'suites'} in ${files.length} files: ${rows.length - failed - skipped} passed alone, ` +
      `${failed} failed, ${skipped} skipped; ${seconds} s`,
  );
  process.exitCode = failed > 0 ? 1 : 0;
}

function printTable(rows: Row[]): void {
  const cut = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const cells = rows.map((r) => [
    r.file,
    cut(r.suite, 40),
    cut(r.test, 60),
    r.result,
    `${(r.ms / 1000).toFixed(1)}s`,
    r.note,
  ]);
  const head = ['file', 'suite', 'test', 'result', 'time', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => (i === 5 ? 0 : c[i]!.length))));
  const line = (c: string[]): string =>
    c
      .map((v, i) => (i === 5 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  console.log([line(head), ...cells.map(line)].join('\n'));
}

await main();
