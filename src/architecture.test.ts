// Rules of the house that a grep can check (the layer rules are dependency-cruiser's, run by `npm run lint:layers`).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';

const SRC = new URL('.', import.meta.url).pathname;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('no handler casts request.body, request.params or request.query: the route schema types them', () => {
  const casts = sources(SRC).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        /\brequest\.(body|params|query)\)?\s+as\b/.test(line)
          ? [`${relative(SRC, file)}:${i + 1}: ${line.trim()}`]
          : [],
      ),
  );
  assert.deepEqual(casts, []);
});

test('every manifest is only a manifest: data maps, migrations and routes live in their own files', () => {
  const features = join(SRC, 'features');
  const slices = [
    ...readdirSync(features, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(features, e.name)),
    join(SRC, 'privacy'),
    ...['consent', 'disclosures', 'usage-log'].map((name) => join(SRC, 'privacy', name)),
  ];
  const problems: string[] = [];
  for (const dir of slices) {
    const entry = { name: relative(SRC, dir) };
    const files = readdirSync(dir);
    if (!files.includes('index.ts')) {
      problems.push(`${entry.name}: no index.ts`);
      continue;
    }
    const index = readFileSync(join(dir, 'index.ts'), 'utf8');
    if (!/defineFeature\(/.test(index)) problems.push(`${entry.name}: index.ts defines no manifest`);
    if (/\btables:\s*\[/.test(index)) problems.push(`${entry.name}: data map inline in index.ts`);
    if (/\basync up\(/.test(index)) problems.push(`${entry.name}: migration inline in index.ts`);
    if (/\bapp\.(get|post|put|patch|delete)\(/.test(index)) problems.push(`${entry.name}: routes in index.ts`);
    if (/\brun:\s*(async\b|\()/.test(index)) problems.push(`${entry.name}: job body in index.ts`);
  }
  assert.deepEqual(problems, []);
});

test('the platform and the web layer name no feature’s page: the manifests declare them', () => {
  const pages = /['"`](\/(account|checkout|staff|shop|basket|cookies|privacy|imprint|consent)\b[^'"`]*)/;
  const found = [...sources(join(SRC, 'platform')), ...sources(join(SRC, 'web'))].flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((line, i) =>
        pages.test(line) && !line.trim().startsWith('//') && !line.trim().startsWith('*')
          ? [`${relative(SRC, file)}:${i + 1}: ${line.trim()}`]
          : [],
      ),
  );
  assert.deepEqual(found, []);
});
