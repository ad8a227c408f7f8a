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
      for (const s of t.thirdCountry.safeguards)
        if (s.kind === 'standard-contractual-clauses') filled(s.between, `${t.id} clauses between`);
    }
    filled(t.retention.statement, `${t.id} retention`);
    if (t.optOut.url === undefined) filled(t.optOut.noOptOut, `${t.id} without opt-out`);
    if (t.jointControllership) {
      filled(t.jointControllership.scope, `${t.id} joint scope`);
      filled(t.jointControllership.arrangement, `${t.id} joint arrangement`);
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

test('every vendor names an https privacy policy, its own retention statement and source, and an opt-out only where one exists', () => {
  for (const t of vendorTemplates) {
    const links = [t.privacyPolicyUrl, t.retention.source, ...(t.optOut.url ? [t.optOut.url] : [])];
    for (const link of links) {
      const url = new URL(link);
      assert.equal(url.protocol, 'https:', `${t.id}: ${link}`);
      assert.ok(url.hostname.includes('.'), `${t.id}: ${link}`);
    }
    // An opt-out link must lead to an opt-out, not to the vendor's privacy or cookie notice.
    if (t.optOut.url !== undefined) {
      assert.notEqual(t.optOut.url, t.privacyPolicyUrl, `${t.id}: the opt-out is not the privacy policy`);
      assert.doesNotMatch(t.optOut.url, /cookie-notice|cookie-policy/, `${t.id}: the opt-out is not a cookie notice`);
    }
  }
  // Zendesk has no opt-out page of its own; Mapp's is per customer account.
  for (const id of ['zendesk', 'webtrekk'])
    assert.equal(vendorTemplates.find((t) => t.id === id)?.optOut.url, undefined, `${id} names no opt-out link`);
});

test('the advertising vendors are joint controllers with us for collection and transmission (Art. 26 GDPR, Fashion ID)', () => {
  const joint = vendorTemplates.filter((t) => t.jointControllership).map((t) => t.id);
  assert.deepEqual(joint.sort(), ['criteo', 'facebook-pixel', 'google-remarketing']);
  for (const t of vendorTemplates.filter((v) => v.category === 'marketing')) {
    const j = t.jointControllership;
    assert.ok(j, `${t.id} declares joint controllership`);
    assert.match(j.scope.en, /collecting/i, `${t.id}: the collection`);
    assert.match(j.scope.en, /transmitting/i, `${t.id}: the transmission`);
    assert.equal(new URL(j.termsUrl).protocol, 'https:', `${t.id}: terms`);
  }
});

test('every transfer outside the EU/EEA names structured safeguards; the Data Privacy Framework only for the US', () => {
  for (const t of vendorTemplates) {
    if (!t.thirdCountry.transfer) continue;
    assert.ok(t.thirdCountry.safeguards.length > 0, `${t.id}: a safeguard`);
    for (const s of t.thirdCountry.safeguards) {
      if (s.kind === 'adequacy') {
        assert.deepEqual(t.thirdCountry.countries, ['US'], `${t.id}: the DPF covers transfers to the US only`);
        assert.ok(s.certified.trim(), `${t.id}: who is certified`);
      }
    }
  }
});

test('every vendor declares its role and who sets its one retention period', () => {
  const processors = vendorTemplates.filter((t) => t.role === 'processor').map((t) => t.id);
  assert.deepEqual(processors.sort(), ['google-analytics', 'hotjar', 'optimizely', 'webtrekk', 'zendesk']);
  for (const t of vendorTemplates) {
    // A joint controller states its arrangement (Art. 26(2)); a processor has none.
    assert.equal(t.role === 'joint-controller', t.jointControllership !== undefined, t.id);
    assert.ok(['vendor', 'us'].includes(t.retention.setBy), t.id);
    for (const lang of ['en', 'de'] as const) {
      const statement = t.retention.statement[lang];
      // One attribution only: who sets the period is rendered from `setBy`, the source is the link.
      assert.doesNotMatch(statement, /^(According to|Laut) /, `${t.id} (${lang})`);
      assert.doesNotMatch(statement, /\d+ (or|oder) \d+/, `${t.id} (${lang}): one period, not alternatives`);
    }
  }
  // The periods we configure in the vendor's console or contract are ours to state.
  for (const id of ['google-analytics', 'google-remarketing', 'zendesk'])
    assert.equal(vendorTemplates.find((t) => t.id === id)?.retention.setBy, 'us', id);
  for (const id of ['hotjar', 'criteo', 'facebook-pixel'])
    assert.equal(vendorTemplates.find((t) => t.id === id)?.retention.setBy, 'vendor', id);
});
