// A real `candor serve` child on a free port (graceful shutdown, crash and outage tests), started like the worker
// of ./worker.ts: only the environment given, over a data directory of its own unless the test brings one.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.ts';
import { spawnCandor } from './worker.ts';

export interface ServeExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Date.now() when the child ended. */
  at: number;
}

export interface Served {
  child: ChildProcess;
  port: number;
  dataDir: string;
  /** http://127.0.0.1:<port> */
  url: string;
  /** Everything the child wrote (pino JSON lines, stdout and stderr). */
  output: () => string;
  exited: Promise<ServeExit>;
  /** Kills the child with SIGKILL if it still runs, waits for it, and removes the data directory it made. */
  stop: () => Promise<void>;
}

/**
 * Starts `candor serve` on 127.0.0.1 with a test secret, LOG_LEVEL info and `env` over them, and waits (at most
 * `timeoutMs`) for its "candor started" line. `dataDir` is the test's own (kept at stop); otherwise a temporary
 * directory named `<dataDirPrefix>…` is made and removed at stop.
 */
export async function startServe(
  env: Record<string, string> = {},
  options: { dataDir?: string; dataDirPrefix?: string; timeoutMs?: number } = {},
): Promise<Served> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const ownDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), options.dataDirPrefix ?? 'candor-serve-'));
  const child = spawnCandor(
    'serve',
    {
      DATA_DIR: dataDir,
      BASE_URL: url,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      LOG_LEVEL: 'info',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    'pipe',
  );
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<ServeExit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (ownDir) rmSync(dataDir, { recursive: true, force: true });
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  while (!out.includes('candor started')) {
    if (child.exitCode !== null || child.signalCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`candor serve did not start:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, dataDir, url, output: () => out, exited, stop };
}
