// HTTP throughput: each server in its own child process, autocannon (programmatic) in this one,
// one target at a time: start server → check one response → warm-up → measured run → stop server.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { makeTempDir, removeTempDir, trackChild } from './cleanup.ts';
import { isChildMessage, type ChildMessage, type ParentMessage, type ServerKind } from './protocol.ts';

export interface Target {
  id: string;
  label: string;
  kind: ServerKind;
  path: string;
  env?: Record<string, string>;
}

export interface LoadResult {
  target: Target;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  non2xx: number;
  errors: number;
  bodyBytes: number;
  /** Requests sent by the check and the warm-up, before the measured run. */
  warmupRequests: number;
  /** Rows the server's log held at the end (warm-up included), when it keeps one. */
  loggedRows: number | null;
}

export interface LoadOptions {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  progress: (line: string) => void;
}

const SERVER_FILE = fileURLToPath(new URL('./server.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

// Headers of an ordinary browser visit, so that the usage log's user-agent and language parsing do real work.
export const HEADERS = {
  'user-agent':
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  'accept-language': 'de-DE,de;q=0.9,en;q=0.8',
  accept: 'text/html,application/json;q=0.9,*/*;q=0.8',
};

export interface Server {
  port: number;
  /** The server child's process id (bench/ab.ts reads its CPU time). */
  pid: number | undefined;
  stop(): Promise<Extract<ChildMessage, { type: 'stopped' }> | undefined>;
}

/** Forks bench/server.ts for `target`; `execArgv` adds node options (bench/profile.ts passes --cpu-prof). */
export async function startServer(target: Target, dataDir: string, execArgv: string[] = []): Promise<Server> {
  const child = fork(SERVER_FILE, [target.kind, dataDir], {
    execArgv: ['--import', 'tsx', ...execArgv],
    env: { ...process.env, ...target.env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  trackChild(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopped: Extract<ChildMessage, { type: 'stopped' }> | undefined;

  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${target.label}: server did not start within ${START_TIMEOUT_MS / 1000} s`)),
      START_TIMEOUT_MS,
    );
    child.on('message', (message: unknown) => {
      if (!isChildMessage(message)) return;
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'failed') {
        clearTimeout(timer);
        reject(new Error(`${target.label}: server failed:\n${message.message}`));
      } else if (message.type === 'stopped') {
        stopped = message;
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${target.label}: server exited (${signal ?? code}) before it was ready`));
    });
  }).catch((err: unknown) => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    throw err;
  });

  return {
    port,
    pid: child.pid,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        if (child.connected) child.send({ type: 'stop' } satisfies ParentMessage);
        else child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      return stopped;
    },
  };
}

async function checkResponse(url: string, label: string): Promise<number> {
  const response = await fetch(url, { headers: HEADERS });
  const body = await response.arrayBuffer();
  if (response.status !== 200) throw new Error(`${label}: GET ${url} answered ${response.status}, expected 200`);
  return body.byteLength;
}

export function cannon(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({ url, connections, pipelining: 1, duration: seconds, headers: HEADERS });
}

export async function measure(target: Target, options: LoadOptions): Promise<LoadResult> {
  const dir = makeTempDir(target.id);
  let server: Server | undefined;
  try {
    server = await startServer(target, dir);
    const url = `http://127.0.0.1:${server.port}${target.path}`;
    const bodyBytes = await checkResponse(url, target.label);
    options.progress(
      `${target.label}: warm-up ${options.warmupSeconds} s, then ${options.seconds} s with ${options.connections} connections …`,
    );
    const warmup =
      options.warmupSeconds > 0 ? await cannon(url, options.warmupSeconds, options.connections) : undefined;
    const result = await cannon(url, options.seconds, options.connections);
    const stopped = await server.stop();
    server = undefined;
    const loggedRows = stopped?.usageLogRows ?? stopped?.naiveLogRows ?? null;
    const out: LoadResult = {
      target,
      // Completed requests over the measured time (not the mean of per-second samples).
      requestsPerSecond: result.requests.total / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      requests: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      bodyBytes,
      warmupRequests: 1 + (warmup?.requests.total ?? 0),
      loggedRows,
    };
    options.progress(
      `  ${Math.round(out.requestsPerSecond).toLocaleString('en-US')} req/s, p99 ${out.p99Ms} ms` +
        (out.non2xx || out.errors ? `, ${out.non2xx} non-2xx, ${out.errors} errors` : '') +
        (loggedRows !== null ? `, ${loggedRows.toLocaleString('en-US')} rows logged` : ''),
    );
    return out;
  } finally {
    await server?.stop();
    removeTempDir(dir);
  }
}
