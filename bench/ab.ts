// `npx tsx bench/ab.ts <other-checkout> <path> [runs] [NAME=value | A:NAME=value | B:NAME=value ...]`: the CPU time
// one Candor server spends per request, this checkout (A) against another one (B, e.g. a `git worktree` of the
// commit before a change, with its own node_modules or a link to these), for changes too small for `npm run bench`
// to see. Both servers run side by side on the demo catalogue; the load alternates between them, `runs` times each
// (default 10; 10,000 requests a run, 50 connections, after a warm-up), so that a busier or quieter moment of the
// machine falls on both. The figure is the server process's user + system CPU time (Linux /proc) per request, not
// its throughput: the load generator's share of the two cores does not count. It prints the median per side, each
// run's figure and A/B; one side's runs spread by about ±6% on the 2-core machine, so differences under ~3% are
// noise. NAME=value goes to both servers' environment (say LISTING_CACHE_MS=0 USAGE_LOG=on, or BENCH_TEMPLATE_DB=a
// prepared catalogue), A: or B: to one of them (A:LISTING_CACHE_MS=60000 B:LISTING_CACHE_MS=0 compares a setting).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { cleanUpEverything, installCleanupHandlers, makeTempDir } from './cleanup.ts';
import { HEADERS, startServer, type Server } from './throughput.ts';

const REQUESTS = 10_000;
const CONNECTIONS = 50;
const CLOCK_TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

interface Side {
  name: 'A' | 'B';
  server: Server;
  pid: string;
  perRequestUs: number[];
}

/** The environment of one side: NAME=value for both, A:NAME=value or B:NAME=value for that side only. */
function environmentOf(side: 'A' | 'B', pairs: string[]): Record<string, string> {
  const env: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^(?:([AB]):)?([A-Z_][A-Z0-9_]*)=(.*)$/.exec(pair);
    if (!match) throw new Error(`not NAME=value, A:NAME=value or B:NAME=value: ${pair}`);
    const [, only, name, value] = match;
    if (!only || only === side) env[name as string] = value as string;
  }
  return env;
}

/** The bench/server.ts children of this process (the fallback for a checkout whose startServer gives no pid). */
function serverChildren(): string[] {
  const out = execFileSync('ps', ['-o', 'pid=', '--ppid', String(process.pid)]).toString();
  return out
    .split(/\s+/)
    .filter(Boolean)
    .filter((pid) => commandLine(pid).includes('server.ts'));
}

/** A process's command line; empty once it has ended (the `ps` that listed it, say). */
function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** User + system CPU time of a process, in microseconds. */
function cpuMicros(pid: string): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_SECOND;
}

function load(port: number, path: string, amount: number): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    autocannon(
      { url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, amount, headers: HEADERS },
      (err, result) => (err ? fail(err) : done(result)),
    );
  });
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const [other, path, runsArg, ...pairs] = process.argv.slice(2);
  if (!other || !path?.startsWith('/'))
    throw new Error('usage: bench/ab.ts <other-checkout> <path> [runs] [NAME=value | A:NAME=value | B:NAME=value ...]');
  const runs = runsArg && /^\d+$/.test(runsArg) ? Number(runsArg) : 10;
  if (runsArg && !/^\d+$/.test(runsArg)) pairs.unshift(runsArg);
  installCleanupHandlers();
  const theirs = (await import(resolve(other, 'bench/throughput.ts'))) as { startServer: typeof startServer };
  // The other checkout's modules keep their own list of children to kill if this run is interrupted.
  const theirCleanup = (await import(resolve(other, 'bench/cleanup.ts'))) as { cleanUpEverything: () => void };
  process.once('exit', () => theirCleanup.cleanUpEverything());
  const sides: Side[] = [];
  for (const [name, start] of [
    ['A', startServer],
    ['B', theirs.startServer],
  ] as const) {
    const before = new Set(serverChildren());
    const server = await start(
      { id: name, label: `${name} ${path}`, kind: 'candor', path, env: environmentOf(name, pairs) },
      makeTempDir(`ab-${name}`),
    );
    const pid = server.pid === undefined ? serverChildren().find((p) => !before.has(p)) : String(server.pid);
    if (!pid) throw new Error(`${name}: cannot find the server's process`);
    sides.push({ name, server, pid, perRequestUs: [] });
  }
  for (const side of sides) await load(side.server.port, path, REQUESTS);
  for (let run = 0; run < runs; run++) {
    // Each side goes first every other run.
    for (const side of run % 2 === 0 ? sides : [...sides].reverse()) {
      const before = cpuMicros(side.pid);
      const result = await load(side.server.port, path, REQUESTS);
      if (result.non2xx > 0 || result.errors > 0)
        throw new Error(`${side.name}: ${result.non2xx} answers not 2xx, ${result.errors} errors`);
      side.perRequestUs.push((cpuMicros(side.pid) - before) / REQUESTS);
    }
  }
  const [a, b] = sides as [Side, Side];
  console.log(`GET ${path} ${pairs.join(' ')}: CPU time of the server per request, median of ${runs} runs`);
  for (const side of sides)
    console.log(
      `${side.name} ${median(side.perRequestUs).toFixed(1)} µs  (runs: ${side.perRequestUs.map((v) => v.toFixed(0)).join(' ')})`,
    );
  console.log(`A/B ${(median(a.perRequestUs) / median(b.perRequestUs)).toFixed(3)}`);
  for (const side of sides) await side.server.stop();
}

main()
  .catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  })
  .finally(() => cleanUpEverything());
