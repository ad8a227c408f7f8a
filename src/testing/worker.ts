// Crash tests (decision 0049): a real `candor worker` child process, armed with CANDOR_FAULT_AT or not, over a
// database of its own shared with the test process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * A fresh PostgreSQL database on the server of TEST_DATABASE_URL, named `<prefix>_<random>`, with `settings`
 * (`alter database … set <name> = <value>`). `drop` waits for a killed worker's server processes to end (the server
 * notices them in a while) rather than force the drop.
 */
export async function createWorkerDatabase(
  prefix: string,
  settings: Record<string, string> = {},
): Promise<{ url: string; drop: () => Promise<void> }> {
  const serverUrl = process.env.TEST_DATABASE_URL as string;
  const name = `${prefix}_${randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  for (const [setting, value] of Object.entries(settings))
    await admin.query(`alter database ${name} set ${setting} = ${value}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const drop = async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await client.query(`drop database if exists ${name}`);
          break;
        } catch (err) {
          if (attempt >= 40) {
            const open = await client.query(
              'select pid, application_name, client_port, state, query from pg_stat_activity where datname = $1',
              [name],
            );
            throw new Error(`cannot drop ${name}: ${JSON.stringify(open.rows)}`, { cause: err });
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    } finally {
      await client.end();
    }
  };
  return { url: url.toString(), drop };
}

/**
 * Starts `bin/candor.js <command>` from the project root with only `env` (and PATH, HOME): nothing of the test
 * process's own environment leaks in. stderr is always piped; stdout as asked.
 */
export function spawnCandor(command: string, env: Record<string, string>, stdout: 'pipe' | 'ignore'): ChildProcess {
  return spawn(process.execPath, ['bin/candor.js', command], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', stdout, 'pipe'],
  });
}

export interface WorkerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface WorkerRun {
  /** How the child ended: on its own, or (`stopped`) by the SIGTERM sent once `done` held. */
  exit: WorkerExit;
  stopped: boolean;
  /** The last 4,000 characters the child wrote to stderr. */
  stderr: string;
}

/**
 * Starts `candor worker` with only `env` (and PATH, HOME), armed with CANDOR_FAULT_AT=`faultAt` if given; polls
 * every `pollMs` until the child exits or `done()` holds, then stops it with SIGTERM. Throws if neither happens
 * within `timeoutMs`.
 */
export async function runWorker(options: {
  env: Record<string, string>;
  faultAt?: string;
  done: () => boolean | Promise<boolean>;
  timeoutMs: number;
  pollMs: number;
  /** Called with the child once spawned (a test that stops and resumes it needs its pid). */
  onSpawn?: (child: ChildProcess) => void;
}): Promise<WorkerRun> {
  const { env, faultAt, done, timeoutMs, pollMs } = options;
  const child = spawnCandor('worker', { ...env, ...(faultAt ? { CANDOR_FAULT_AT: faultAt } : {}) }, 'ignore');
  options.onSpawn?.(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  let exit: WorkerExit | undefined;
  const exited = new Promise<WorkerExit>((resolve) =>
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    }),
  );
  const deadline = Date.now() + timeoutMs;
  let stopped = false;
  try {
    for (;;) {
      await new Promise((r) => setTimeout(r, pollMs));
      if (exit) break;
      if (Date.now() > deadline)
        throw new Error(`the worker (${faultAt ?? 'no fault'}) neither died nor finished in ${timeoutMs / 1000} s`);
      if (await done()) break;
    }
  } finally {
    if (!exit) {
      stopped = true;
      child.kill('SIGTERM');
      await exited;
    }
  }
  assert.ok(exit);
  return { exit, stopped, stderr };
}
