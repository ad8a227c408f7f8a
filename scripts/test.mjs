// `npm test`: every *.test.ts under src with Node's test runner, each file in its own process, and at least two
// files at a time. Node's default (one fewer than the cores) runs one at a time on a 2-core machine, where much of a
// test's time is spent waiting on a browser, an SMTP server, a database or a child process. Prints the spec
// report and writes every finished test to tmp/test-events.jsonl (scripts/test-events.mjs), and when the run began
// to tmp/test-events.started, which `npm run test:alone` reads.
//
//   npm test [-- [node options] [files or directories]]
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const given = process.argv.slice(2);
const options = given.filter((a) => a.startsWith('-'));
const paths = given.filter((a) => !a.startsWith('-'));
const files = (paths.length > 0 ? paths : ['src']).flatMap((p) => (statSync(p).isDirectory() ? testFiles(p) : [p]));
// Reporters of one's own replace ours (node needs one destination per reporter).
const ownReporter = options.some((o) => o.startsWith('--test-reporter'));
const events = 'tmp/test-events.jsonl';
mkdirSync('tmp', { recursive: true });
rmSync(events, { force: true });
writeFileSync('tmp/test-events.started', String(Date.now()));
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${Math.max(2, availableParallelism() - 1)}`,
  ...(ownReporter
    ? []
    : [
        '--test-reporter=spec',
        '--test-reporter-destination=stdout',
        '--test-reporter=./scripts/test-events.mjs',
        `--test-reporter-destination=${events}`,
      ]),
  ...options,
  ...files.sort(),
];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
child.on('exit', (code, signal) => {
  if (signal) {
    // Ends the same way the runner did, so that a shell sees the signal.
    process.removeAllListeners(signal);
    process.kill(process.pid, signal);
  }
  process.exit(code ?? 1);
});
