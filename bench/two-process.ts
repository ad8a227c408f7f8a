// Two `candor serve` processes on one PostgreSQL against one, behind the bench's own round-robin client: autocannon
// with one URL per process, its connections dealt out in turn (each connection keeps to its process, as a
// keep-alive load balancer does). On 2 cores shared with the load generator two processes cannot double the rate;
// the figure shows what coordinating through the database costs.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makeTempDir, removeTempDir, trackChild } from './cleanup.ts';
import type { PreparedCatalogue } from './scale.ts';
import { HEADERS } from './throughput.ts';

const CANDOR = fileURLToPath(new URL('../bin/candor.js', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 20_000;

export interface TwoProcessResult {
  processes: number;
  path: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  rounds: number[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilServing(url: string, child: ChildProcess): Promise<void> {
  const until = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`candor serve exited (${child.exitCode})`);
    try {
      const response = await fetch(url, { headers: HEADERS });
      await response.arrayBuffer();
      if (response.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`candor serve did not answer ${url} within ${START_TIMEOUT_MS / 1000} s`);
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
}

/** Starts `count` `candor serve` processes on the catalogue's schema, one after the other, sharing one data dir. */
async function startServers(
  count: number,
  catalogue: PreparedCatalogue,
  env: Record<string, string>,
  dataDir: string,
  secret: string,
): Promise<{ urls: string[]; children: ChildProcess[] }> {
  if (!catalogue.databaseUrl) throw new Error('the two-process run needs a PostgreSQL catalogue');
  const urls: string[] = [];
  const children: ChildProcess[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const port = await freePort();
      const child = spawn(process.execPath, [CANDOR, 'serve'], {
        env: {
          ...process.env,
          ...env,
          DATABASE_URL: catalogue.databaseUrl,
          DATA_DIR: dataDir,
          CANDOR_SECRET: secret,
          HOST: '127.0.0.1',
          PORT: String(port),
          BASE_URL: `http://127.0.0.1:${port}`,
          RATE_LIMIT_PER_MINUTE: '1000000',
          LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn',
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      trackChild(child);
      children.push(child);
      const url = `http://127.0.0.1:${port}`;
      await waitUntilServing(`${url}/`, child);
      urls.push(url);
    }
    return { urls, children };
  } catch (err) {
    await Promise.all(children.map(stopProcess));
    throw err;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export async function benchTwoProcess(options: {
  catalogue: PreparedCatalogue;
  paths: string[];
  seconds: number;
  warmupSeconds: number;
  connections: number;
  rounds: number;
  env: Record<string, string>;
  progress: (line: string) => void;
}): Promise<TwoProcessResult[]> {
  const runs = new Map<string, { rps: number; p50: number; p99: number; non2xx: number; errors: number }[]>();
  const key = (processes: number, path: string) => `${processes} ${path}`;
  const dataDir = makeTempDir('two-process');
  const secret = randomBytes(32).toString('hex');
  try {
    for (let round = 1; round <= options.rounds; round++) {
      // Interleaved: one process, then two, in every round, so that a change of the machine's load hits both.
      for (const processes of [1, 2]) {
        const { urls, children } = await startServers(processes, options.catalogue, options.env, dataDir, secret);
        try {
          for (const path of options.paths) {
            const url = urls.map((u) => `${u}${path}`);
            options.progress(
              `round ${round}: ${processes} × candor serve, GET ${path}: warm-up ${options.warmupSeconds} s, then ${options.seconds} s …`,
            );
            const shoot = (duration: number) =>
              autocannon({
                // autocannon deals connections over an array of URLs in turn (lib/run.js); its types say string.
                url: url as unknown as string,
                connections: options.connections,
                pipelining: 1,
                duration,
                headers: HEADERS,
              });
            if (options.warmupSeconds > 0) await shoot(options.warmupSeconds);
            const r = await shoot(options.seconds);
            const rps = r.requests.total / r.duration;
            options.progress(`  ${Math.round(rps).toLocaleString('en-US')} req/s, p99 ${r.latency.p99} ms`);
            const list = runs.get(key(processes, path)) ?? [];
            list.push({ rps, p50: r.latency.p50, p99: r.latency.p99, non2xx: r.non2xx, errors: r.errors });
            runs.set(key(processes, path), list);
          }
        } finally {
          await Promise.all(children.map(stopProcess));
        }
      }
    }
  } finally {
    removeTempDir(dataDir);
  }
  return options.paths.flatMap((path) =>
    [1, 2].map((processes) => {
      const list = runs.get(key(processes, path)) ?? [];
      return {
        processes,
        path,
        requestsPerSecond: median(list.map((r) => r.rps)),
        p50Ms: median(list.map((r) => r.p50)),
        p99Ms: median(list.map((r) => r.p99)),
        non2xx: list.reduce((s, r) => s + r.non2xx, 0),
        errors: list.reduce((s, r) => s + r.errors, 0),
        rounds: list.map((r) => r.rps),
      };
    }),
  );
}
