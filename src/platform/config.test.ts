import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';
import { demoOperator } from './operator.ts';

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
      loadConfig({
        DATA_DIR: dir,
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        BASE_URL: 'ftp://x',
        SMTP_URL: 'mail',
        CANDOR_SECRET: 'short',
        TRUST_PROXY: 'sometimes',
      });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      const text = err.message;
      for (const name of ['PORT', 'DATABASE_URL', 'BASE_URL', 'SMTP_URL', 'CANDOR_SECRET', 'TRUST_PROXY'])
        assert.match(text, new RegExp(name));
      assert.equal(err.problems.length, 6);
    }
  }));

test('TRUST_PROXY takes true, a hop count or a list of proxy addresses', () =>
  withDir((dir) => {
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ DATA_DIR: dir, TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(loadConfig({ DATA_DIR: dir, TRUST_PROXY: '10.0.0.1, 10.0.0.0/8' }).trustProxy, [
      '10.0.0.1',
      '10.0.0.0/8',
    ]);
  }));

const realOperator = {
  company: 'Real Audio AG',
  address: ['Hauptstraße 1', '80331 München', 'Deutschland'],
  email: 'info@real-audio.de',
  registry: 'Amtsgericht München, HRB 123456',
  vatId: 'DE123456789',
  representedBy: ['Rita Real', 'Otto Real'],
  phone: '+49 89 1234560',
  dpo: { name: 'Pat DPO', email: 'dpo@real-audio.de' },
  supervisoryAuthority: {
    name: 'Bayerisches Landesamt für Datenschutzaufsicht',
    address: ['Promenade 18', '91522 Ansbach', 'Deutschland'],
    url: 'https://www.lda.bayern.de',
  },
  recipients: {
    'delivery-company': { name: 'Paketdienst Real GmbH', address: ['Paketweg 1', '53113 Bonn', 'Deutschland'] },
  },
  bankAccount: {
    accountHolder: 'Real Audio AG',
    iban: 'DE89 3704 0044 0532 0130 00',
    bic: 'COBADEFFXXX',
    bank: 'Commerzbank',
  },
  carriers: [{ id: 'paketdienst', name: 'Paketdienst Real', trackingUrl: 'https://paketdienst.real/t/{tracking}' }],
};

test('operator facts come from the operator file when there is one', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'operator.json'), JSON.stringify(realOperator));
    const config = loadConfig({ DATA_DIR: dir });
    assert.equal(config.operator.company, 'Real Audio AG');
    assert.equal(config.operator.dpo.name, 'Pat DPO');
    assert.deepEqual(config.operator.representedBy, ['Rita Real', 'Otto Real']);
    // Who represents the company is required (the imprint names them, § 5 DDG).
    const { representedBy: _left, ...withoutRepresentatives } = realOperator;
    writeFileSync(join(dir, 'operator.json'), JSON.stringify(withoutRepresentatives));
    assert.throws(() => loadConfig({ DATA_DIR: dir }), /representedBy is missing/);
    writeFileSync(join(dir, 'operator.json'), '{ not json');
    assert.throws(() => loadConfig({ DATA_DIR: dir }), /not valid JSON/);
  }));

test('the DPO’s title is optional, one of the German forms the policy can decline, and refused otherwise', () =>
  withDir((dir) => {
    const file = join(dir, 'operator.json');
    writeFileSync(file, JSON.stringify(realOperator));
    assert.equal(loadConfig({ DATA_DIR: dir }).operator.dpo.title, undefined, 'no title: the policy uses the default');
    const title = { en: 'data protection officer', de: 'Datenschutzbeauftragte' };
    writeFileSync(file, JSON.stringify({ ...realOperator, dpo: { ...realOperator.dpo, title } }));
    assert.deepEqual(loadConfig({ DATA_DIR: dir }).operator.dpo.title, title);
    for (const bad of [
      { en: 'DPO', de: 'Datenschutzbeauftragte(r)' },
      { de: 'Datenschutzbeauftragter' },
      'Datenschutzbeauftragte',
    ]) {
      writeFileSync(file, JSON.stringify({ ...realOperator, dpo: { ...realOperator.dpo, title: bad } }));
      assert.throws(
        () => loadConfig({ DATA_DIR: dir }),
        /dpo\.title must be .*"Datenschutzbeauftragte" or "Datenschutzbeauftragter"/,
      );
    }
  }));

test('an operator file without vendors or social links switches on none and inherits nothing of the demo company', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'operator.json'), JSON.stringify(realOperator));
    const { operator } = loadConfig({ DATA_DIR: dir });
    assert.deepEqual(operator.vendors, []);
    assert.deepEqual(operator.social, []);
    assert.equal(operator.demo, undefined);
    assert.ok(!JSON.stringify(operator).includes('demo'), 'no demo value');
  }));

test('a partial operator file stops the start with every missing or invalid field named', () =>
  withDir((dir) => {
    writeFileSync(
      join(dir, 'operator.json'),
      JSON.stringify({
        company: 'Real Audio AG',
        email: 'not an address',
        dpo: { name: 'Pat DPO' },
        social: [{ network: 'myspace', url: 'https://x' }],
        vendor: [],
      }),
    );
    try {
      loadConfig({ DATA_DIR: dir });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      for (const field of [
        'address',
        'email',
        'registry',
        'vatId',
        'dpo.email',
        'supervisoryAuthority',
        'social[0].network',
        'vendor is not a known field',
      ]) {
        assert.ok(
          err.problems.some((p) => p.includes(field)),
          `${field} named in:\n${err.message}`,
        );
      }
      assert.ok(!err.problems.some((p) => p.includes(': company ')), 'the company given is fine');
    }
  }));

test("the demo company's made-up facts are refused in an operator file not marked as the demo", () =>
  withDir((dir) => {
    const copied = {
      ...realOperator,
      registry: demoOperator.registry,
      vendors: [demoOperator.vendors[0]],
      social: demoOperator.social.slice(0, 1),
    };
    writeFileSync(join(dir, 'operator.json'), JSON.stringify(copied));
    try {
      loadConfig({ DATA_DIR: dir });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 3, err.message);
      for (const field of ['registry', 'vendors (google-analytics measurementId)', 'social (facebook)'])
        assert.ok(
          err.problems.some((p) => p.includes(field)),
          field,
        );
    }
    // The demo itself (no file, or a file marked as the demo, as the tests write) may use them.
    writeFileSync(join(dir, 'operator.json'), JSON.stringify({ ...demoOperator, company: 'Demo Variant GmbH' }));
    assert.equal(loadConfig({ DATA_DIR: dir }).operator.vendors.length, 6);
  }));

test('an operator file names the delivery company, and the mail relay when SMTP_URL is set; the demo has stand-ins', () =>
  withDir((dir) => {
    const file = join(dir, 'operator.json');
    const write = (recipients: unknown) => writeFileSync(file, JSON.stringify({ ...realOperator, recipients }));
    const relay = {
      name: 'Relay Real GmbH',
      address: ['Mailweg 2', '10115 Berlin', 'Deutschland'],
      privacyPolicyUrl: 'https://relay.example/privacy',
    };
    const SMTP_URL = 'smtp://127.0.0.1:2525';
    write(realOperator.recipients);
    // Hand-offs to the delivery company are always on; without SMTP_URL no mail leaves the machine.
    assert.deepEqual(loadConfig({ DATA_DIR: dir }).operator.recipients, realOperator.recipients);
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, SMTP_URL }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 1 &&
        /recipients\.mail-provider is missing: name the mail relay of SMTP_URL/.test(err.problems[0]!),
    );
    write({ ...realOperator.recipients, 'mail-provider': relay });
    assert.deepEqual(loadConfig({ DATA_DIR: dir, SMTP_URL }).operator.recipients?.['mail-provider'], relay);
    write({});
    assert.throws(() => loadConfig({ DATA_DIR: dir }), /recipients\.delivery-company is missing/);
    write({
      'delivery-company': { name: '', address: 'Paketweg 1', privacyPolicyUrl: 'http://x', phone: '1' },
      'payment-provider': relay,
    });
    try {
      loadConfig({ DATA_DIR: dir });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      for (const problem of [
        "recipients.delivery-company.name must be the company's name",
        'recipients.delivery-company.address must be a list of address lines',
        'recipients.delivery-company.privacyPolicyUrl must be an https:// address',
        'recipients.delivery-company.phone is not a known field',
        'recipients.payment-provider is not a recipient named here',
      ])
        assert.ok(
          err.problems.some((p) => p.includes(problem)),
          `${problem} in:\n${err.message}`,
        );
    }
    // The demo's stand-ins are fictional and marked so; copied into a real file they are refused.
    const demoRecipients = demoOperator.recipients!;
    for (const c of Object.values(demoRecipients)) assert.match(c.name, /demo stand-in, not a real company/);
    write(demoRecipients);
    assert.throws(() => loadConfig({ DATA_DIR: dir }), /recipients\.delivery-company holds the fictional demo company/);
    assert.ok(loadConfig({ DATA_DIR: join(dir, 'none'), SMTP_URL }).operator.recipients?.['mail-provider']);
  }));

test('a missing operator file named by CANDOR_OPERATOR_FILE stops the start instead of using the demo company', () =>
  withDir((dir) => {
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, CANDOR_OPERATOR_FILE: join(dir, 'typo.json') }),
      /typo\.json: the file does not exist/,
    );
  }));

test('a public https BASE_URL without SMTP_URL or an operator file stops the start, naming both with every other problem', () =>
  withDir((dir) => {
    try {
      loadConfig({ DATA_DIR: dir, BASE_URL: 'https://shop.real-audio.de', PORT: 'eighty' });
      assert.fail('should throw');
    } catch (err) {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.problems.length, 3, err.message);
      assert.ok(
        err.problems.some((p) => p.includes('PORT')),
        err.message,
      );
      assert.ok(
        err.problems.some(
          (p) => p.startsWith('SMTP_URL') && p.includes('DATA_DIR/mail') && p.includes('CANDOR_DEMO=true'),
        ),
        err.message,
      );
      assert.ok(
        err.problems.some(
          (p) => p.includes('operator file') && p.includes('demo company') && p.includes('CANDOR_DEMO=true'),
        ),
        err.message,
      );
    }
    // Each is named on its own when the other is set.
    assert.throws(
      () =>
        loadConfig({
          DATA_DIR: dir,
          BASE_URL: 'https://shop.real-audio.de',
          SMTP_URL: 'smtp://mail.real-audio.de:587',
        }),
      (err: unknown) =>
        err instanceof ConfigError && err.problems.length === 1 && /operator file/.test(err.problems[0]!),
    );
    writeFileSync(join(dir, 'operator.json'), JSON.stringify(realOperator));
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, BASE_URL: 'https://shop.real-audio.de' }),
      (err: unknown) => err instanceof ConfigError && err.problems.length === 1 && /^SMTP_URL/.test(err.problems[0]!),
    );
    // With SMTP_URL the file names the relay too.
    const relay = { name: 'Relay Real GmbH', address: ['Mailweg 2', '10115 Berlin', 'Deutschland'] };
    writeFileSync(
      join(dir, 'operator.json'),
      JSON.stringify({ ...realOperator, recipients: { ...realOperator.recipients, 'mail-provider': relay } }),
    );
    const real = loadConfig({
      DATA_DIR: dir,
      BASE_URL: 'https://shop.real-audio.de',
      SMTP_URL: 'smtp://mail.real-audio.de:587',
    });
    assert.equal(real.operator.company, 'Real Audio AG');
    assert.equal(real.operator.demo, undefined);
  }));

test('an operator file marked as the demo counts as the demo company on a public https BASE_URL', () =>
  withDir((dir) => {
    writeFileSync(join(dir, 'operator.json'), JSON.stringify({ ...demoOperator, company: 'Demo Variant GmbH' }));
    assert.throws(
      () =>
        loadConfig({
          DATA_DIR: dir,
          BASE_URL: 'https://shop.real-audio.de',
          SMTP_URL: 'smtp://mail.real-audio.de:587',
        }),
      /operator file/,
    );
  }));

test('CANDOR_DEMO=true runs the demo on a public https BASE_URL on purpose; any other value than true or false is refused', () =>
  withDir((dir) => {
    const config = loadConfig({ DATA_DIR: dir, BASE_URL: 'https://demo.real-audio.de', CANDOR_DEMO: 'true' });
    assert.equal(config.operator.company, demoOperator.company);
    assert.equal(config.smtpUrl, undefined);
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, BASE_URL: 'https://demo.real-audio.de', CANDOR_DEMO: 'false' }),
      /SMTP_URL/,
    );
    assert.throws(() => loadConfig({ DATA_DIR: dir, CANDOR_DEMO: 'maybe' }), /CANDOR_DEMO must be "true" or "false"/);
  }));

test('the development defaults stay allowed on http and on local https addresses', () =>
  withDir((dir) => {
    for (const BASE_URL of [
      undefined,
      'http://127.0.0.1:3000',
      'http://shop.real-audio.de',
      'https://localhost:8443',
      'https://shop.localhost',
      'https://127.0.0.1:8443',
      'https://[::1]:8443',
    ]) {
      const config = loadConfig({ DATA_DIR: dir, ...(BASE_URL ? { BASE_URL } : {}) });
      assert.equal(config.operator.company, demoOperator.company, BASE_URL);
    }
  }));

test('the operator’s time zone defaults to Europe/Berlin, takes any zone Intl knows, and refuses others by name', () =>
  withDir((dir) => {
    const file = join(dir, 'operator.json');
    writeFileSync(file, JSON.stringify(realOperator));
    assert.equal(loadConfig({ DATA_DIR: dir }).operator.timeZone, 'Europe/Berlin');
    assert.equal(loadConfig({ DATA_DIR: join(dir, 'none') }).operator.timeZone, 'Europe/Berlin', 'the demo too');
    writeFileSync(file, JSON.stringify({ ...realOperator, timeZone: 'America/New_York' }));
    assert.equal(loadConfig({ DATA_DIR: dir }).operator.timeZone, 'America/New_York');
    for (const bad of ['Mars/Olympus_Mons', '', 3600]) {
      writeFileSync(file, JSON.stringify({ ...realOperator, timeZone: bad }));
      assert.throws(() => loadConfig({ DATA_DIR: dir }), /timeZone must be a time zone name such as "Europe\/Berlin"/);
    }
  }));

test('support settings: the inbound listener is off unless INBOUND_SMTP_PORT is set; the support address is plain', () =>
  withDir((dir) => {
    const defaults = loadConfig({ DATA_DIR: dir });
    assert.equal(defaults.inboundSmtp, undefined);
    assert.equal(defaults.supportAddress, defaults.operator.email);
    assert.equal(defaults.inboundMaxMb, 25);
    assert.equal(defaults.supportAttachmentMaxMb, 10);
    assert.equal(defaults.retention.supportTicketDays, 730);
    assert.equal(defaults.retention.repairAddressDays, 30);
    const set = loadConfig({
      DATA_DIR: dir,
      INBOUND_SMTP_PORT: '2525',
      INBOUND_SMTP_HOST: '127.0.0.1',
      SUPPORT_ADDRESS: 'help@shop.example',
      SUPPORT_TICKET_DAYS: '365',
      REPAIR_ADDRESS_DAYS: '14',
    });
    assert.deepEqual(set.inboundSmtp, { port: 2525, host: '127.0.0.1' });
    assert.equal(set.supportAddress, 'help@shop.example');
    assert.deepEqual([set.retention.supportTicketDays, set.retention.repairAddressDays], [365, 14]);
    assert.throws(
      () =>
        loadConfig({
          DATA_DIR: dir,
          INBOUND_SMTP_PORT: 'smtp',
          SUPPORT_ADDRESS: 'help+x@shop.example',
          SUPPORT_ATTACHMENT_MAX_MB: '0',
        }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        ['INBOUND_SMTP_PORT', 'SUPPORT_ADDRESS', 'SUPPORT_ATTACHMENT_MAX_MB'].every((k) =>
          err.problems.some((p) => p.includes(k)),
        ),
    );
  }));

test('analytics settings: raw events 30 days and aggregates 25 months by default; the pseudonym key is its own file', () =>
  withDir((dir) => {
    const defaults = loadConfig({ DATA_DIR: dir });
    assert.equal(defaults.retention.analyticsRawDays, 30);
    assert.equal(defaults.retention.analyticsAggregateMonths, 25);
    assert.match(defaults.analyticsKey, /^[0-9a-f]{64}$/);
    assert.notEqual(defaults.analyticsKey, defaults.secret);
    assert.notEqual(defaults.analyticsKey, defaults.suppressionKey);
    assert.equal(loadConfig({ DATA_DIR: dir }).analyticsKey, defaults.analyticsKey, 'made once, then read');
    const set = loadConfig({
      DATA_DIR: dir,
      ANALYTICS_RAW_DAYS: '7',
      ANALYTICS_AGGREGATE_MONTHS: '13',
      ANALYTICS_KEY: 'k'.repeat(40),
    });
    assert.deepEqual([set.retention.analyticsRawDays, set.retention.analyticsAggregateMonths], [7, 13]);
    assert.equal(set.analyticsKey, 'k'.repeat(40));
    assert.throws(
      () =>
        loadConfig({ DATA_DIR: dir, ANALYTICS_RAW_DAYS: '0', ANALYTICS_AGGREGATE_MONTHS: 'x', ANALYTICS_KEY: 'short' }),
      (err: unknown) =>
        err instanceof ConfigError &&
        err.problems.length === 3 &&
        ['ANALYTICS_RAW_DAYS', 'ANALYTICS_AGGREGATE_MONTHS', 'ANALYTICS_KEY'].every((k) =>
          err.problems.some((p) => p.includes(k)),
        ),
    );
  }));

test('privacy settings: exports kept 7 days and dormant accounts after 3 years by default; bounds checked', () =>
  withDir((dir) => {
    const defaults = loadConfig({ DATA_DIR: dir });
    assert.deepEqual([defaults.retention.exportDays, defaults.retention.dormantYears], [7, 3]);
    const set = loadConfig({ DATA_DIR: dir, PRIVACY_EXPORT_DAYS: '2', DORMANT_ACCOUNT_YEARS: '5' });
    assert.deepEqual([set.retention.exportDays, set.retention.dormantYears], [2, 5]);
    assert.throws(
      () => loadConfig({ DATA_DIR: dir, PRIVACY_EXPORT_DAYS: '0', DORMANT_ACCOUNT_YEARS: 'x' }),
      (err: unknown) =>
        err instanceof Error &&
        'problems' in err &&
        Array.isArray(err.problems) &&
        ['PRIVACY_EXPORT_DAYS', 'DORMANT_ACCOUNT_YEARS'].every((k) =>
          (err.problems as string[]).some((p) => p.includes(k)),
        ),
    );
  }));
