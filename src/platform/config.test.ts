import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'candor-config-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('defaults give an embedded shop on port 3000 with SQLite in ./data-like DATA_DIR', () =>
  withDir((dir) => {
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.port, 3000);
    assert.equal(config.databaseUrl, undefined);
    assert.equal(config.baseUrl, 'http://127.0.0.1:3000');
    assert.equal(config.trustProxy, false);
    assert.equal(config.operator.company, 'Tonfabrik Demo Audio GmbH');
  }));

test('the secret is generated once and kept in the data directory', () =>
  withDir((dir) => {
    const first = loadConfig({ DATA_DIR: dir }).secret;
    assert.equal(first.length, 64);
    assert.equal(loadConfig({ DATA_DIR: dir }).secret, first);
    assert.equal(readFileSync(join(dir, 'secret'), 'utf8').trim(), first);
  }));

test('every bad value is reported at once with a clear message', () =>
  withDir((dir) => {
    try {
      loadConfig({ DATA_DIR: dir, PORT: 'eighty', DATABASE_URL: 'mysql://x', BASE_URL: 'ftp://x', SMTP_URL: 'mail', CANDOR_SECRET: 'short', TRUST_PROXY: 'sometimes' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'DATABASE_URL', 'BASE_URL', 'SMTP_URL', 'CANDOR_SECRET', 'TRUST_PROXY']) assert.match(text, new RegExp(name));
      assert.equal(err.problems.length, 6);
    }
  }));

test('TRUST_PROXY takes true, a hop count or a list of proxy addresses', () =>
  withDir((dir) => {
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ DATA_DIR: dir, TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy, ['10.0.0.1', '10.0.0.0/8']);
  }));

test('operator facts come from the operator file when there is one', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'operator.json'), JSON.stringify({ company: 'Real Audio AG', email: 'info@real.example', dpo: { name: 'Pat DPO', email: 'dpo@real.example' } }));
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.operator.company, 'Real Audio AG');
    assert.equal(config.operator.dpo.name, 'Pat DPO');
    writeFileSync(join(dir, 'operator.json'), '{ not json');
    assert.throws(() => loadConfig({ DATA_DIR: dir }), /not valid JSON/);
  }));
