// `npx tsx bench/allocations.ts <path> [NAME=value ...]`: how much memory one Candor request allocates, and where.
// The uncached pages' cost is mostly the memory a request touches (decision 0066); every byte allocated is memory
// written, and later scanned by the garbage collector. V8's sampling heap profiler runs in the server child during
// BENCH_ALLOC_REQUESTS requests (default 5,000, after 10,000 to warm up), counting the objects the collector has
// already taken back too; the figures are per request, by allocating function and by the innermost project
// function on the stack. Sampling allocations does not depend on how busy the machine is, so two runs of the same
// code agree far more closely than two CPU-time figures (bench/ab.ts): a tool to check a change that should
// allocate less. NAME=value pairs go into the server's environment (e.g. LISTING_CACHE_MS=0 USAGE_LOG=on);
// BENCH_ALLOC_TOP rows per table (default 25); BENCH_ALLOC_INTERVAL bytes between samples (default 1024).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { cleanUpEverything, installCleanupHandlers, makeTempDir } from './cleanup.ts';
import { envFromPairs, intFromEnv } from './env.ts';
import { frameKey, moduleOf, topList, type CallFrame } from './frames.ts';
import { HEADERS, startServer } from './throughput.ts';

interface SampledNode {
  callFrame: CallFrame;
  selfSize: number;
  children: SampledNode[];
}

const PRELOAD = fileURLToPath(new URL('./allocations.preload.ts', import.meta.url));
const WARM_UP = 10_000;
const CONNECTIONS = 50;

function load(url: string, amount: number): Promise<autocannon.Result> {
  return new Promise((done, fail) => {
    autocannon({ url, connections: CONNECTIONS, amount, headers: HEADERS }, (err, result) =>
      err ? fail(err) : done(result),
    );
  });
}

async function waitFor(file: string, ms: number): Promise<void> {
  for (const end = Date.now() + ms; !existsSync(file);) {
    if (Date.now() > end) throw new Error('the server wrote no allocation profile');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Bytes per request by allocating function and by the innermost project function (src/) on its stack. */
export function summarise(head: SampledNode, requests: number, top: number): string {
  const bySite = new Map<string, number>();
  const byOwn = new Map<string, number>();
  let total = 0;
  const add = (map: Map<string, number>, key: string, bytes: number) => map.set(key, (map.get(key) ?? 0) + bytes);
  const walk = (node: SampledNode, own: string) => {
    const key = frameKey(node.callFrame);
    const here = moduleOf(node.callFrame.url).startsWith('src/') ? key : own;
    if (node.selfSize > 0) {
      total += node.selfSize;
      add(bySite, key, node.selfSize);
      add(byOwn, here, node.selfSize);
    }
    for (const child of node.children) walk(child, here);
  };
  walk(head, '(outside src/)');
  const kb = (bytes: number) => (bytes / requests / 1024).toFixed(1).padStart(6);
  const list = (title: string, map: Map<string, number>) => topList(title, map, top, (bytes) => `${kb(bytes)} KB`);
  return [
    `${kb(total).trim()} KB allocated per request (sampled)`,
    list('by allocating function', bySite),
    list('by innermost project function on the stack', byOwn),
  ].join('\n\n');
}

async function main(): Promise<void> {
  installCleanupHandlers();
  const [path, ...pairs] = process.argv.slice(2);
  if (!path?.startsWith('/')) throw new Error('usage: bench/allocations.ts </path> [NAME=value ...]');
  const requests = intFromEnv('BENCH_ALLOC_REQUESTS', 5000, 100);
  const top = intFromEnv('BENCH_ALLOC_TOP', 25, 1);
  const dataDir = makeTempDir('allocations');
  const out = join(makeTempDir('allocations-out'), 'profile.json');
  const env = { ...envFromPairs(pairs), BENCH_ALLOC_OUT: out };
  const server = await startServer(
    { id: 'allocations', label: `allocations ${path}`, kind: 'candor', path, env },
    dataDir,
    ['--import', PRELOAD],
  );
  try {
    const url = `http://127.0.0.1:${server.port}${path}`;
    await load(url, WARM_UP);
    const pid = server.pid;
    if (pid === undefined) throw new Error('the server has no process id');
    process.kill(pid, 'SIGUSR2');
    // The profiler starts within the server's next turn; the requests begin after it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const result = await load(url, requests);
    process.kill(pid, 'SIGUSR2');
    await waitFor(out, 30_000);
    process.stdout.write(
      `${url}: ${result.requests.total} requests sampled, ${result.non2xx} non-2xx\n` +
        `${summarise(JSON.parse(readFileSync(out, 'utf8')).head as SampledNode, result.requests.total, top)}\n`,
    );
  } finally {
    await server.stop();
  }
}

main()
  .catch((err: unknown) => {
    process.stderr.write(`allocations failed: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = 1;
  })
  .finally(cleanUpEverything);
