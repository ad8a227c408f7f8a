import assert from 'node:assert/strict';
import { test } from 'node:test';
import vm from 'node:vm';
import { demoOperator } from '../../platform/operator.ts';
import type { Text } from '../data-map.ts';
import type { VendorTemplate } from './model.ts';
import { vendorTemplates } from './vendors.catalogue.ts';

const exampleSettings = (tpl: VendorTemplate): Record<string, string> =>
  Object.fromEntries(tpl.settings.map((s) => [s.key, s.example]));
const hostileSettings = (tpl: VendorTemplate): Record<string, string> =>
  Object.fromEntries(tpl.settings.map((s) => [s.key, `${s.example}"'</script><!--\u2028\\x/../@evil.example?#`]));

/** A CSP host source: exact, or `*.example.com` for any subdomain of example.com. */
function hostAllowed(host: string, list: string[]): boolean {
  return list.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
}

function runBootstrap(code: string): Record<string, unknown> {
  const sandbox: Record<string, unknown> = { navigator: { userAgent: 'Mozilla/5.0 (X11; Linux x86_64)' } };
  sandbox.window = sandbox;
  vm.runInNewContext(code, sandbox);
  return sandbox;
}

test('the catalogue holds exactly the eight vendors, each id once', () => {
  const ids = vendorTemplates.map((t) => t.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), [
    'criteo',
    'facebook-pixel',
    'google-analytics',
    'google-remarketing',
    'hotjar',
    'optimizely',
    'webtrekk',
    'zendesk',
  ]);
});

test('each vendor sits in its consent category, with Consent Mode and TCF ids only where they apply', () => {
  const byId = new Map(vendorTemplates.map((t) => [t.id, t]));
  const expected: Record<string, string> = {
    'google-analytics': 'statistics',
    hotjar: 'statistics',
    optimizely: 'statistics',
    webtrekk: 'statistics',
    zendesk: 'preferences',
    criteo: 'marketing',
    'facebook-pixel': 'marketing',
    'google-remarketing': 'marketing',
  };
  for (const [id, category] of Object.entries(expected)) assert.equal(byId.get(id)?.category, category, id);
  for (const t of vendorTemplates) {
    assert.equal(t.googleConsentMode === true, t.id.startsWith('google-'), `${t.id}: googleConsentMode`);
  }
  assert.equal(byId.get('google-analytics')?.tcfVendorId, 755);
  assert.equal(byId.get('google-remarketing')?.tcfVendorId, 755);
  assert.equal(byId.get('criteo')?.tcfVendorId, 91);
});

test('every example setting and every demo operator value matches its pattern', () => {
  for (const t of vendorTemplates) {
    assert.ok(t.settings.length > 0, `${t.id} has settings`);
    for (const s of t.settings) assert.ok(s.pattern.test(s.example), `${t.id}.${s.key}: example ${s.example}`);
  }
  for (const choice of demoOperator.vendors) {
    const t = vendorTemplates.find((v) => v.id === choice.id);
    assert.ok(t, `demo vendor ${choice.id} is in the catalogue`);
    for (const s of t.settings) {
      const value = choice.settings?.[s.key];
      assert.ok(value !== undefined && s.pattern.test(value), `demo ${t.id}.${s.key} = ${value}`);
    }
  }
});

test('setting patterns are anchored and stateless, and refuse hostile or padded values', () => {
  assert.equal(
    vendorTemplates.find((t) => t.id === 'google-analytics')?.settings[0]?.pattern.test('G-1"><script>'),
    false,
  );
  for (const t of vendorTemplates) {
    for (const s of t.settings) {
      const where = `${t.id}.${s.key}`;
      assert.ok(s.pattern.source.startsWith('^') && s.pattern.source.endsWith('$'), `${where} is anchored`);
      assert.ok(!s.pattern.global && !s.pattern.sticky && !s.pattern.multiline, `${where} has no g, y or m flag`);
      const hostile = [
        '',
        `${s.example}"><script>`,
        `"><script>alert(1)</script>`,
        `${s.example}\n`,
        ` ${s.example}`,
        `${s.example}'`,
        `${s.example}/../x`,
        `${s.example}</script>`,
      ];
      for (const value of hostile)
        assert.equal(s.pattern.test(value), false, `${where} refuses ${JSON.stringify(value)}`);
    }
  }
});

test('every script URL is https and its host is listed in hosts.script, even for hostile settings', () => {
  for (const t of vendorTemplates) {
    for (const settings of [exampleSettings(t), hostileSettings(t)]) {
      const tag = t.tag(settings);
      assert.ok(tag.scripts.length > 0, `${t.id} loads a script`);
      for (const src of tag.scripts) {
        const url = new URL(src);
        assert.equal(url.protocol, 'https:', src);
        assert.equal(url.username + url.password, '', src);
        assert.ok(hostAllowed(url.host, t.hosts.script), `${t.id}: ${url.host} is in hosts.script`);
      }
    }
  }
});

test('script URLs carry setting values percent-encoded', () => {
  for (const t of vendorTemplates) {
    const settings = hostileSettings(t);
    const joined = t.tag(settings).scripts.join(' ');
    for (const value of Object.values(settings))
      assert.ok(!joined.includes(value), `${t.id}: raw value absent from script URLs`);
    assert.ok(!/["<> ]/.test(joined), `${t.id}: no double quote, angle bracket or space in ${joined}`);
  }
});

test('hosts are bare host names, with at most a leading *. wildcard', () => {
  const hostSource = /^(?:\*\.)?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/;
  for (const t of vendorTemplates) {
    for (const [directive, hosts] of Object.entries(t.hosts)) {
      assert.equal(new Set(hosts).size, hosts.length, `${t.id} ${directive}: no duplicates`);
      for (const host of hosts) assert.match(host, hostSource, `${t.id} ${directive}: ${host}`);
    }
  }
});

test('no bootstrap contains </script or <!--, even when built from hostile values', () => {
  for (const t of vendorTemplates) {
    for (const settings of [exampleSettings(t), hostileSettings(t)]) {
      const code = t.tag(settings).bootstrap ?? '';
      assert.ok(!/<\/script/i.test(code), `${t.id}: no </script`);
      assert.ok(!code.includes('<!--'), `${t.id}: no <!--`);
      assert.doesNotThrow(() => new vm.Script(code), `${t.id}: hostile values do not break the syntax`);
    }
  }
});

test('bootstraps embed setting values only as JSON strings', () => {
  for (const t of vendorTemplates) {
    const settings = exampleSettings(t);
    const code = t.tag(settings).bootstrap;
    if (code === undefined) continue;
    for (const value of Object.values(settings)) {
      const rest = code.split(JSON.stringify(value)).join('');
      assert.ok(!rest.includes(value), `${t.id}: ${value} appears only JSON-quoted`);
    }
  }
});

test('bootstraps are ES5, run in a bare window and only prepare queues and configuration', () => {
  for (const t of vendorTemplates) {
    const code = t.tag(exampleSettings(t)).bootstrap;
    if (code === undefined) continue;
    assert.ok(!/=>|`|\b(?:const|let|class)\s/.test(code), `${t.id}: no ES2015 syntax`);
    assert.ok(!/\bconsent\b/i.test(code), `${t.id}: no Consent Mode call`);
    assert.ok(!/createElement|appendChild|insertBefore|\.src\s*=/.test(code), `${t.id}: loads nothing itself`);
    assert.doesNotThrow(() => runBootstrap(code), t.id);
  }
  const ga = vendorTemplates.find((t) => t.id === 'google-analytics');
  assert.ok(ga);
  const win = runBootstrap(ga.tag({ measurementId: 'G-DEMO000001' }).bootstrap ?? '');
  const queued = (win.dataLayer as ArrayLike<unknown>[]).map((args) => Array.from(args));
  assert.deepEqual(queued.at(-1), ['config', 'G-DEMO000001']);
  const pixel = vendorTemplates.find((t) => t.id === 'facebook-pixel');
  assert.ok(pixel);
  const fb = runBootstrap(pixel.tag({ pixelId: '100000000000001' }).bootstrap ?? '') as {
    fbq?: { queue: ArrayLike<unknown>[] };
  };
  assert.deepEqual(Array.from(fb.fbq?.queue[0] ?? []), ['init', '100000000000001']);
});

test('every text has English and German', () => {
  const filled = (text: Text, where: string) => {
    assert.ok(text.en.trim().length > 0, `${where} (en)`);
    assert.ok(text.de.trim().length > 0, `${where} (de)`);
    assert.notEqual(text.en, text.de, `${where} is translated`);
  };
  for (const t of vendorTemplates) {
    assert.ok(t.name.trim() && t.company.name.trim() && t.company.address.trim(), `${t.id}: name and company`);
    filled(t.purpose, `${t.id} purpose`);
    filled(t.dataTransferred, `${t.id} dataTransferred`);
    if (t.thirdCountry.transfer) {
      assert.ok(t.thirdCountry.countries.length > 0, `${t.id}: countries`);
      filled(t.thirdCountry.safeguard, `${t.id} safeguard`);
    }
    for (const c of t.cookies) {
      filled(c.purpose, `${t.id} cookie ${c.name} purpose`);
      filled(c.lifetime, `${t.id} cookie ${c.name} lifetime`);
    }
    for (const s of t.settings) assert.ok(s.label.trim(), `${t.id}.${s.key} label`);
  }
});

test('every cookie pattern is a name or a prefix ending in a single *', () => {
  for (const t of vendorTemplates) {
    assert.ok(t.cookies.length > 0, `${t.id} lists its cookies`);
    for (const c of t.cookies) {
      assert.match(c.name, /^[A-Za-z0-9_.-]+\*?$/, `${t.id}: ${c.name}`);
      assert.ok(c.party === 'first' || c.party === 'third', `${t.id}: ${c.name} party`);
    }
    assert.equal(new Set(t.cookies.map((c) => c.name)).size, t.cookies.length, `${t.id}: no cookie twice`);
  }
});

test('every vendor names an https opt-out and privacy policy', () => {
  for (const t of vendorTemplates) {
    for (const link of [t.privacyPolicyUrl, t.optOutUrl]) {
      const url = new URL(link);
      assert.equal(url.protocol, 'https:', `${t.id}: ${link}`);
      assert.ok(url.hostname.includes('.'), `${t.id}: ${link}`);
    }
  }
});
