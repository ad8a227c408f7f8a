import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { TCString } from '@iabtcf/core';
import {
  buildCmpApiScript,
  categoryPurposes,
  decodeTcString,
  encodeTcString,
  loadVendorList,
  type TcStringInput,
} from './tcf.ts';

const fixture = fileURLToPath(new URL('./testdata/vendor-list.json', import.meta.url));
const vendorList = loadVendorList(fixture);
const now = new Date('2026-11-29T15:04:05.678Z');

function encode(choices: Partial<TcStringInput>): string {
  return encodeTcString({
    vendorList,
    cmpId: 300,
    cmpVersion: 2,
    consentLanguage: 'EN',
    purposes: [],
    vendors: [],
    now,
    ...choices,
  });
}

test('a TC string decodes to exactly the purposes, vendors and CMP it was built with', () => {
  const tcString = encode({ purposes: categoryPurposes.statistics, vendors: [755], disclosedVendors: [91, 755] });
  assert.deepEqual(decodeTcString(tcString), {
    purposes: [1, 8, 9, 10],
    vendors: [755],
    cmpId: 300,
    disclosedVendors: [91, 755],
  });
  // TCF 2.3: the Disclosed Vendors segment is there and names only the vendors shown, never the whole list.
  assert.equal(tcString.split('.').length, 3);
});

test('with nothing consented the TC string decodes to no purposes and no vendors', () => {
  assert.deepEqual(decodeTcString(encode({ disclosedVendors: [91] })), {
    purposes: [],
    vendors: [],
    cmpId: 300,
    disclosedVendors: [91],
  });
});

test('vendors that are not on the vendor list are left out of the TC string', () => {
  const tcString = encode({ purposes: [1], vendors: [9999, 91] });
  assert.deepEqual(decodeTcString(tcString).vendors, [91]);
  assert.equal(TCString.decode(tcString).vendorConsents.has(9999), false);
});

test('a vendor declaring no purpose on the consent basis gets no consent bit', () => {
  // Vendor 1002 in the fixture declares special purposes only; @iabtcf/core drops its consent signal.
  assert.deepEqual(decodeTcString(encode({ purposes: [1], vendors: [1002, 755] })).vendors, [755]);
});

test('the same choices give the same TC string, with day-level UTC timestamps', () => {
  const input = { purposes: categoryPurposes.marketing, vendors: [91, 755] };
  const first = encode(input);
  assert.equal(encode({ ...input, now: new Date('2026-11-29T23:59:59.999Z') }), first);
  const model = TCString.decode(first);
  assert.equal(model.created.toISOString(), '2026-11-29T00:00:00.000Z');
  assert.equal(model.lastUpdated.toISOString(), '2026-11-29T00:00:00.000Z');
  assert.equal(model.isServiceSpecific, true);
  assert.equal(model.consentScreen, 1);
  assert.equal(model.policyVersion, 5);
  assert.equal(model.vendorListVersion, 120);
});

test('the TC string carries the consent language the visitor saw', () => {
  assert.equal(TCString.decode(encode({ consentLanguage: 'DE' })).consentLanguage, 'DE');
  assert.equal(TCString.decode(encode({ consentLanguage: 'EN' })).consentLanguage, 'EN');
});

test('a purpose the vendor list does not define is refused', () => {
  assert.throws(() => encode({ purposes: [1, 12] }), /TCF purpose 12 is not defined in .*vendor-list\.json/);
});

test('a missing or broken vendor-list file fails with a message naming the file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-tcf-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const missing = join(dir, 'missing-vendor-list.json');
  assert.throws(
    () => loadVendorList(missing),
    (err: Error) => err.message.includes(missing),
  );
  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"vendors":');
  assert.throws(
    () => loadVendorList(broken),
    (err: Error) => err.message.includes(broken) && /not valid JSON/.test(err.message),
  );
  const invalid = join(dir, 'invalid.json');
  writeFileSync(invalid, JSON.stringify({ ...vendorList.json, vendors: { 7: { id: 7, name: 'x', purposes: [1] } } }));
  assert.throws(
    () => loadVendorList(invalid),
    (err: Error) => err.message.includes(invalid) && /vendor 7: legIntPurposes/.test(err.message),
  );
});

test('the bundled CMP API script serves __tcfapi with the TC string from its script tag', async (t) => {
  const script = await buildCmpApiScript();
  t.diagnostic(`cmpapi bundle: ${Buffer.byteLength(script, 'utf8')} bytes minified`);
  assert.equal(await buildCmpApiScript(), script, 'the bundle is built once and cached');

  const tcString = encode({ purposes: categoryPurposes.statistics, vendors: [755] });
  // All the bundle touches is document.currentScript.dataset (our entry) and `window.__tcfapi` (cmpapi installs it
  // there), so the page is a context whose `window` is its own global object, as in a browser.
  const page = vm.createContext({
    document: { currentScript: { dataset: { cmpId: '300', cmpVersion: '2', tcString } } },
  });
  page.window = page;
  vm.runInContext(script, page);

  const tcfapi = page.__tcfapi as (
    command: string,
    version: number,
    callback: (data: Record<string, unknown> | null, success: boolean) => void,
  ) => void;
  assert.equal(typeof tcfapi, 'function');
  const { data, success } = await new Promise<{ data: Record<string, unknown> | null; success: boolean }>((resolve) => {
    tcfapi('getTCData', 2, (data, success) => resolve({ data, success }));
  });
  assert.equal(success, true);
  assert.equal(data?.tcString, tcString);
  assert.equal(data?.gdprApplies, true);
  assert.equal(data?.cmpId, 300);
  assert.equal(data?.isServiceSpecific, true);
});

test('the CMP API script without a TC string says GDPR applies with no consent yet', async () => {
  const page = vm.createContext({
    document: { currentScript: { dataset: { cmpId: '300', cmpVersion: '2', tcString: '' } } },
  });
  page.window = page;
  vm.runInContext(await buildCmpApiScript(), page);
  const data = await new Promise<Record<string, unknown> | null>((resolve) => {
    (
      page.__tcfapi as (
        command: string,
        version: number,
        callback: (data: Record<string, unknown> | null) => void,
      ) => void
    )('getTCData', 2, resolve);
  });
  assert.equal(data?.tcString, '');
  assert.equal(data?.gdprApplies, true);
  assert.equal(JSON.stringify((data?.purpose as { consents: unknown }).consents), '{}');
});
