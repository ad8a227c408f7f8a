// `npm test`: every *.test.ts under src with Node's test runner, each file in its own process, and at least two
// files at a time. Node's default (one fewer than the cores) runs one at a time on a 2-core machine, where much of a
// test's time is spent waiting on a browser, an SMTP server, a database or a child process. Prints the spec
// report and writes every finished test to tmp/test-events.jsonl (scripts/test-events.mjs), which
// `npm run test:alone` reads.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

function testFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return testFiles(path);
    return entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

// Files named on the command line (`npm test -- src/x.test.ts`) run instead of all; other arguments go to node.
const given = process.argv.slice(2);
const files = given.filter((a) => a.endsWith('.test.ts'));
const options = given.filter((a) => !a.endsWith('.test.ts'));
mkdirSync('tmp', { recursive: true });
const concurrency = Math.max(2, availableParallelism() - 1);
const args = [
  '--import',
  'tsx',
  '--test',
  `--test-concurrency=${concurrency}`,
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-events.mjs',
  '--test-reporter-destination=tmp/test-events.jsonl',
  ...options,
  ...(files.length > 0 ? files : testFiles('src').sort()),
];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
