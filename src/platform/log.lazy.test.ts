// A request's logger is made on its first log line (log.ts LazyChildLogger): requests that log nothing cost no
// pino child, and a line that is written still carries the request id and the redaction of the application log.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify from 'fastify';
import { createLogger, LazyChildLogger } from './log.ts';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { lines, stream };
}

test('the child is made on the first log line only, and its lines carry the bindings and are redacted', () => {
  const { lines, stream } = capture();
  const parent = createLogger('info', stream);
  let children = 0;
  const counting = Object.assign(Object.create(parent) as typeof parent, {
    child: (...args: Parameters<typeof parent.child>) => (children++, parent.child(...args)),
  });
  const lazy = new LazyChildLogger(counting, { reqId: 'req-1' });
  assert.equal(lazy.level, 'info');
  lazy.debug('below the level');
  assert.equal(children, 1, 'a line below the level still makes the child (pino decides the level)');
  const quiet = new LazyChildLogger(counting, { reqId: 'req-2' });
  assert.equal(quiet.level, 'info');
  assert.equal(children, 1, 'a logger nobody writes to makes no child');
  lazy.warn({ email: 'someone@example.com', code: 'X1' }, 'something happened');
  lazy.warn('again');
  assert.equal(children, 1, 'one child per request');
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.reqId, 'req-1');
  assert.equal(lines[0]?.email, '[redacted]');
  assert.equal(lines[0]?.code, 'X1');
  assert.equal(lines[1]?.msg, 'again');
});

test('in Fastify, request.log writes lines with the request id', async () => {
  const { lines, stream } = capture();
  const app = Fastify({
    loggerInstance: createLogger('info', stream),
    disableRequestLogging: true,
    childLoggerFactory: (logger, bindings, options) => new LazyChildLogger(logger, bindings, options),
  });
  app.get('/quiet', async () => 'ok');
  app.get('/loud', async (request) => {
    request.log.warn({ code: 'LOUD' }, 'a warning');
    return 'ok';
  });
  assert.equal((await app.inject('/quiet')).statusCode, 200);
  assert.equal(lines.length, 0);
  assert.equal((await app.inject('/loud')).statusCode, 200);
  assert.equal(lines.length, 1);
  assert.equal(lines[0]?.code, 'LOUD');
  assert.match(String(lines[0]?.reqId), /^req-/);
  await app.close();
});
