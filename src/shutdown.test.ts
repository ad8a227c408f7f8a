// Graceful shutdown of a real `candor serve` child on SQLite: SIGTERM lets a request in flight finish, refuses new
// connections, writes the usage log and exits 0; a request that does not finish is cut after SHUTDOWN_GRACE_MS;
// a second signal exits at once.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

interface Served {
  child: ChildProcess;
  port: number;
  dataDir: string;
  /** Everything the child logged (pino JSON lines). */
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

async function startServe(env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'candor-shutdown-'));
  const child = spawn(process.execPath, ['bin/candor.js', 'serve'], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      BASE_URL: `http://127.0.0.1:${port}`,
      CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
      USAGE_LOG: 'on',
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  const deadline = Date.now() + 30_000;
  while (!out.includes('candor started')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`candor serve did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, port, dataDir, output: () => out, exited };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, agent: false, headers: { accept: 'text/html' } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** A POST whose body is sent in two halves: the request is in flight until `finish()` sends the rest. */
function slowPost(port: number, path: string, json: unknown) {
  const body = Buffer.from(JSON.stringify(json));
  const half = Math.floor(body.length / 2);
  let req!: ClientRequest;
  const answered = new Promise<IncomingMessage & { text: string }>((resolve, reject) => {
    req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': body.length },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(Object.assign(res, { text })));
      },
    );
    req.on('error', reject);
  });
  req.write(body.subarray(0, half));
  return { answered, finish: () => req.end(body.subarray(half)) };
}

/** A raw HTTP/1.1 request on a kept-alive connection whose body arrives in two halves; `closed` when the server hangs up. */
function keptAliveRequest(port: number) {
  const body = '{"email":"another@example.com"}';
  const socket = connect(port, '127.0.0.1');
  let head = '';
  let answeredAt = 0;
  const closed = new Promise<{ answeredAt: number; closedAt: number; head: string }>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      if (!answeredAt) answeredAt = Date.now();
      head += chunk.toString();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => resolve({ answeredAt, closedAt: Date.now(), head }));
  });
  socket.write(
    `POST /api/v1/password-resets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
  );
  return { closed, finish: () => socket.write(body.slice(10)) };
}

function usageRows(dataDir: string): { path: string; status: number }[] {
  const db = new SQLite(join(dataDir, 'candor.sqlite'), { readonly: true });
  try {
    const tables = db
      .prepare(`select name from sqlite_master where type = 'table' and name like 'usage_log_d%'`)
      .all() as { name: string }[];
    return tables.flatMap(
      (t) => db.prepare(`select path, status from "${t.name}"`).all() as { path: string; status: number }[],
    );
  } finally {
    db.close();
  }
}

const cleanup = (s: Served) => rmSync(s.dataDir, { recursive: true, force: true });

test('SIGTERM: the request in flight finishes, new connections are refused, the usage log is written, exit 0', async () => {
  const s = await startServe({ SHUTDOWN_GRACE_MS: '8000' });
  try {
    assert.equal((await get(s.port, '/healthz')).status, 200);
    assert.equal((await get(s.port, '/api/v1/categories')).status, 200);
    const slow = slowPost(s.port, '/api/v1/password-resets', { email: 'someone@example.com' });
    const kept = keptAliveRequest(s.port);
    await new Promise((r) => setTimeout(r, 200));
    s.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 500));
    await assert.rejects(get(s.port, '/healthz'), /ECONNREFUSED/, 'a new connection is refused');
    assert.equal(s.child.exitCode, null, 'still running while the request is in flight');
    slow.finish();
    const res = await slow.answered;
    assert.equal(res.statusCode, 202, res.text);
    // A kept-alive connection (HTTP/1.1 without "Connection: close", as browsers and proxies send) whose request was
    // in flight is closed by the server once its answer is out, not held open to the end of the grace time (8 s).
    kept.finish();
    const { answeredAt, closedAt, head } = await kept.closed;
    assert.match(head, /^HTTP\/1\.1 202/);
    assert.ok(closedAt - answeredAt < 2000, `closed ${closedAt - answeredAt} ms after its answer`);
    const exit = await s.exited;
    assert.deepEqual([exit.code, exit.signal], [0, null], s.output());
    const rows = usageRows(s.dataDir);
    // Probes (/healthz) are kept out of the usage log; every other request is in it.
    assert.deepEqual(rows.map((r) => `${r.path} ${r.status}`).sort(), [
      '/api/v1/categories 200',
      '/api/v1/password-resets 202',
      '/api/v1/password-resets 202',
    ]);
    const lines = s.output();
    assert.match(lines, /candor stopping/);
    assert.match(lines, /candor stopped/);
    assert.ok(!lines.includes('someone@example.com'), 'no personal data in the log');
  } finally {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    cleanup(s);
  }
});

test('a request that does not finish is cut after SHUTDOWN_GRACE_MS; a second signal exits at once', async () => {
  const s = await startServe({ SHUTDOWN_GRACE_MS: '600' });
  try {
    const stuck = slowPost(s.port, '/api/v1/password-resets', { email: 'someone@example.com' });
    const stuckOutcome = stuck.answered.then(
      () => 'answered',
      (err: NodeJS.ErrnoException) => err.code ?? 'error',
    );
    await new Promise((r) => setTimeout(r, 200));
    const signalled = Date.now();
    s.child.kill('SIGTERM');
    const exit = await s.exited;
    assert.deepEqual([exit.code, exit.signal], [0, null], s.output());
    assert.ok(exit.at - signalled < 5000, `stopped ${exit.at - signalled} ms after the signal`);
    assert.equal(await stuckOutcome, 'ECONNRESET');
    assert.match(s.output(), /grace time over/);
    assert.equal(readdirSync(s.dataDir).includes('candor.sqlite'), true);
  } finally {
    if (s.child.exitCode === null) s.child.kill('SIGKILL');
    cleanup(s);
  }

  const t = await startServe({ SHUTDOWN_GRACE_MS: '20000' });
  try {
    const stuck = slowPost(t.port, '/api/v1/password-resets', { email: 'someone@example.com' });
    stuck.answered.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 200));
    t.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    t.child.kill('SIGINT');
    const exit = await t.exited;
    assert.deepEqual([exit.code, exit.signal], [1, null], t.output());
    assert.ok(exit.at - signalled < 2000, 'at once');
    assert.match(t.output(), /second signal/);
  } finally {
    if (t.child.exitCode === null) t.child.kill('SIGKILL');
    cleanup(t);
  }
});
