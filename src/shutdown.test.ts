// Graceful shutdown of a real `candor serve` child on SQLite: SIGTERM lets a request in flight finish, refuses new
// connections, writes the usage log and exits 0; a request that does not finish is cut after SHUTDOWN_GRACE_MS;
// a second signal exits at once.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import SQLite from 'better-sqlite3';
import { startServe } from './testing/serve.ts';
import { spawnCandor } from './testing/worker.ts';

/** A `candor serve` writing the usage log, with the grace time given. */
const serveWithGrace = (graceMs: string) =>
  startServe({ USAGE_LOG: 'on', SHUTDOWN_GRACE_MS: graceMs }, { dataDirPrefix: 'candor-shutdown-' });

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

test('SIGTERM: the request in flight finishes, new connections are refused, the usage log is written, exit 0', async () => {
  const s = await serveWithGrace('8000');
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
    await s.stop();
  }
});

test('a request that does not finish is cut after SHUTDOWN_GRACE_MS; a second signal exits at once', async () => {
  const s = await serveWithGrace('600');
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
    await s.stop();
  }

  const t = await serveWithGrace('20000');
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
    await t.stop();
  }
});

test('a start that fails half-way (its port taken) ends the process with an error instead of lingering', async () => {
  const s = await serveWithGrace('2000');
  try {
    const second = spawnCandor(
      'serve',
      {
        DATA_DIR: s.dataDir,
        BASE_URL: s.url,
        CANDOR_SECRET: 'test-secret-0123456789abcdef0123456789abcdef',
        USAGE_LOG: 'on',
        PORT: String(s.port),
        HOST: '127.0.0.1',
      },
      'pipe',
    );
    let out = '';
    second.stdout?.on('data', (c: Buffer) => (out += c.toString()));
    second.stderr?.on('data', (c: Buffer) => (out += c.toString()));
    const exited = new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    const timedOut = new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20_000));
    const outcome = await Promise.race([exited, timedOut]);
    if (outcome === 'still running') second.kill('SIGKILL');
    assert.notEqual(outcome, 'still running', `the failed start kept running:\n${out}`);
    assert.notEqual(outcome, 0, out);
    assert.match(out, /EADDRINUSE/);
    // The first process is untouched.
    assert.equal((await get(s.port, '/healthz')).status, 200);
  } finally {
    await s.stop();
  }
});
